"""The keras3 ``K.*`` -> ``keras.ops`` fixes (``KERAS3_OPS_REWRITES``) proven by running both programs.

Each sample call is linted under ``keras-target = keras3`` with unsafe fixes; the original runs on tf-keras 2.21
(the Keras 2 backend the code was written for: ``TF_USE_LEGACY_KERAS=1``), the fixed program on Keras 3.15.1,
and the results must agree: same shape, same kind of dtype (bool/int/float; the integer width may differ,
e.g. ``argmax`` gives int64 in TensorFlow and int32 in keras.ops), values within float tolerance. One process
per runtime (``support.runtime.run_snippets``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.runtime import Snippet, run_snippets

from keras_compat.data.keras3 import KERAS3_OPS_REWRITES
from keras_compat.fixes import fix_text
from keras_compat.settings import Settings

pytestmark = [pytest.mark.network, pytest.mark.execution, pytest.mark.slow]

PRELUDE = """\
import numpy as np
import tensorflow as tf
rng = np.random.default_rng(0)
a = tf.constant(rng.normal(size=(2, 3)).astype('float32'))
b = tf.constant(rng.normal(size=(2, 3)).astype('float32'))
p = tf.constant(rng.uniform(0.1, 1.0, size=(2, 3)).astype('float32'))
t3 = tf.constant(rng.normal(size=(2, 3, 4)).astype('float32'))
m = tf.constant(rng.normal(size=(4, 5)).astype('float32'))
m3 = tf.constant(rng.normal(size=(5, 4, 6)).astype('float32'))
flags = tf.constant([[True, False, True], [False, False, True]])
idx = tf.constant([1, 0], dtype='int32')
labels = tf.constant([0, 2, 1])
column = tf.ones((2, 1, 3))
"""

#: K call -> the calls that exercise it (positional and keyword forms, the defaults the fix writes out).
SAMPLES: dict[str, tuple[str, ...]] = {
    "abs": ("K.abs(a)",),
    "all": ("K.all(flags, axis=1)", "K.all(a)"),
    "any": ("K.any(flags)", "K.any(a, axis=0, keepdims=True)"),
    "cos": ("K.cos(a)",),
    "exp": ("K.exp(a)",),
    "log": ("K.log(p)",),
    "max": ("K.max(a, axis=1)", "K.max(t3, 1, True)"),
    "mean": ("K.mean(a)", "K.mean(a, axis=-1, keepdims=True)", "K.mean(flags)"),
    "min": ("K.min(a, axis=0)",),
    "prod": ("K.prod(p, axis=1)",),
    "round": ("K.round(a * 3)",),
    "sign": ("K.sign(a)",),
    "sin": ("K.sin(a)",),
    "square": ("K.square(a)",),
    "stack": ("K.stack([a, b])", "K.stack([a, b], axis=-1)"),
    "std": ("K.std(a, 1)",),
    "sum": ("K.sum(t3, axis=(1, 2))", "K.sum(a, keepdims=True)"),
    "tanh": ("K.tanh(a)",),
    "transpose": ("K.transpose(a)",),
    "var": ("K.var(a)", "K.var(t3, axis=-1)"),
    "ndim": ("K.ndim(t3)",),
    "sigmoid": ("K.sigmoid(a)",),
    "softmax": ("K.softmax(a)", "K.softmax(t3, axis=1)"),
    "softplus": ("K.softplus(a)",),
    "softsign": ("K.softsign(a)",),
    "elu": ("K.elu(a)", "K.elu(a, alpha=0.5)"),
    "cast": ("K.cast(a * 4, 'int32')", "K.cast(flags, dtype='float32')"),
    "equal": ("K.equal(a, a)",),
    "not_equal": ("K.not_equal(a, b)",),
    "greater": ("K.greater(a, b)",),
    "greater_equal": ("K.greater_equal(x=a, y=b)",),
    "less": ("K.less(a, 0.0)",),
    "less_equal": ("K.less_equal(a, b)",),
    "maximum": ("K.maximum(a, 0.0)",),
    "minimum": ("K.minimum(a, y=b)",),
    "dot": ("K.dot(a, tf.transpose(b))", "K.dot(t3, m)", "K.dot(t3, m3)"),
    "pow": ("K.pow(p, 2)", "K.pow(p, a=0.5)"),
    "reshape": ("K.reshape(t3, (2, 12))", "K.reshape(t3, shape=(-1,))"),
    "permute_dimensions": ("K.permute_dimensions(t3, (0, 2, 1))", "K.permute_dimensions(t3, pattern=(2, 0, 1))"),
    "repeat_elements": ("K.repeat_elements(a, 2, axis=1)", "K.repeat_elements(a, rep=3, axis=0)"),
    "reverse": ("K.reverse(a, 1)", "K.reverse(t3, axes=(0, 2))"),
    "one_hot": ("K.one_hot(labels, 3)", "K.one_hot(labels, num_classes=4)"),
    "squeeze": ("K.squeeze(column, 1)", "K.squeeze(column, axis=1)"),
    "argmax": ("K.argmax(a)", "K.argmax(a, axis=0)"),
    "argmin": ("K.argmin(t3)",),
    "concatenate": ("K.concatenate([a, b])", "K.concatenate([a, b], axis=0)", "K.concatenate(tensors=[a, b])"),
    "cumsum": ("K.cumsum(a)", "K.cumsum(a, axis=1)"),
    "cumprod": ("K.cumprod(p)",),
    "expand_dims": ("K.expand_dims(a)", "K.expand_dims(a, 0)"),
    "gather": ("K.gather(a, idx)", "K.gather(reference=t3, indices=idx)"),
    "zeros_like": ("K.zeros_like(a)",),
    "ones_like": ("K.ones_like(a, dtype='int32')",),
}

HEADER = "from tensorflow.keras import backend as K\n"


def _fixed(code: str) -> str:
    return fix_text(code, "sample.py", Settings(target="keras3"), unsafe=True).text


def _cases() -> list[tuple[str, str, str]]:
    return [(f"{name}-{index}", HEADER + f"out = {call}\n", _fixed(HEADER + f"out = {call}\n"))
            for name, calls in SAMPLES.items() for index, call in enumerate(calls)]


def test_every_rewrite_has_samples_and_every_sample_is_rewritten() -> None:
    assert set(SAMPLES) == set(KERAS3_OPS_REWRITES)
    for key, original, fixed in _cases():
        assert fixed != original and "keras.ops." in fixed and "K." not in fixed.split("\n", 2)[2], (key, fixed)


def _save(path: Path) -> str:
    return f"import numpy as _np\n_np.save({str(path)!r}, _np.asarray(out))\n"


def _compare(path: Path) -> str:
    """Check run after the rewritten call (in the runtime, which has NumPy): the same result as before."""
    return (f"import numpy as _np\n_old = _np.load({str(path)!r})\n_new = _np.asarray(out)\n"
            "assert _old.shape == _new.shape and _old.dtype.kind == _new.dtype.kind and "
            "_np.allclose(_old.astype('float64'), _new.astype('float64'), rtol=1e-5, atol=1e-6), "
            "f'before {_old.dtype}{_old.shape} {_old.tolist()}, after {_new.dtype}{_new.shape} {_new.tolist()}'\n")


def test_rewritten_calls_compute_what_the_originals_computed(tmp_path: Path) -> None:
    cases = _cases()
    originals = [Snippet(key, original, PRELUDE, _save(tmp_path / f"{key}.npy")) for key, original, _ in cases]
    before = run_snippets("tf-keras", originals)
    failed = [f"{key}: {before[key].error}" for key, _, _ in cases if not before[key].ok]
    assert not failed, "the original calls must run on tf-keras:\n" + "\n".join(failed)
    rewritten = [Snippet(key, fixed, PRELUDE, _compare(tmp_path / f"{key}.npy")) for key, _, fixed in cases]
    after = run_snippets("keras3", rewritten)
    problems = [f"{key}: {original.splitlines()[-1]} -> {fixed.splitlines()[-1]}: {after[key].error}"
                for key, original, fixed in cases if not after[key].ok]
    assert not problems, "\n".join(problems)
