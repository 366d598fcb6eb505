"""The TensorFlow 1 table of KC302 (``keras_compat.data.tf1``), checked against the real TensorFlow 2.21 of the
cached runtime: every name is absent from TF 2's namespace, and every function is still in ``tf.compat.v1``
(so the advice's TF1 spelling runs), in one process under both runtimes."""

from __future__ import annotations

import pytest
from support.runtime import RUNTIMES, Snippet, run_snippets

from keras_compat.data.tf1 import CONTRIB, TF1_DATASET_METHODS, TF1_FUNCTIONS

pytestmark = [pytest.mark.network, pytest.mark.execution, pytest.mark.slow]


def _snippets() -> list[Snippet]:
    out = [Snippet(f"tf.{name}", f"assert not hasattr(tf, {name!r})\nassert hasattr(tf.compat.v1, {name!r})\n",
                   prelude="import tensorflow as tf\n") for name in TF1_FUNCTIONS]
    out += [Snippet(f"Dataset.{name}", f"d = tf.data.Dataset.range(3)\nassert not hasattr(d, {name!r})\n"
                    f"assert hasattr(tf.compat.v1.data, {name!r})\n", prelude="import tensorflow as tf\n")
            for name in TF1_DATASET_METHODS]
    out.append(Snippet(CONTRIB, "import importlib.util\nassert importlib.util.find_spec('tensorflow.contrib') is None\n"
                       "assert not hasattr(tf, 'contrib') and not hasattr(tf.compat.v1, 'contrib')\n",
                       prelude="import tensorflow as tf\n"))
    return out


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_tf1_names_are_gone_from_tensorflow_2(runtime: str) -> None:
    outcomes = run_snippets(runtime, _snippets())
    failed = [f"{key}: {o.error}" for key, o in outcomes.items() if not o.ok]
    assert not failed, "not removed in TensorFlow 2.21 as the table says:\n" + "\n".join(failed)
    assert len(outcomes) == len(TF1_FUNCTIONS) + len(TF1_DATASET_METHODS) + 1


def test_the_check_fails_on_a_name_tensorflow_2_has() -> None:
    """The snippet for a TF 2 name (tf.reduce_sum) fails: the test above can fail."""
    snippet = Snippet("tf.reduce_sum", "assert not hasattr(tf, 'reduce_sum')\n", prelude="import tensorflow as tf\n")
    outcome = run_snippets("keras3", [snippet])["tf.reduce_sum"]
    assert not outcome.ok and outcome.error.startswith("AssertionError")
