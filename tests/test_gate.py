"""The text gate's library test (``names_library``) answers exactly what its case-insensitive expression does."""

from __future__ import annotations

from pathlib import Path

import pytest

from keras_compat.gate import RELEVANT, imported_roots, names_library

TEXTS = [
    "import keras\n", "import Keras", "KERAS", "from TensorFlow import x", "import theano.tensor as T",
    "THEANO", "# CNTK backend", "cntk", "Cntk", "ker as", "kera", "tensor flow", "nothing here", "",
    "k = 'kEraS'", "x = 1  # café\nimport keras", "café = 'TensorFlow'", "café",
    "\u212aeras",  # the Kelvin sign is a k when case is ignored
    "kera\u017f",  # and the long s an s
    "\u212aERA\u017f", "tenso\u017fflow", "ker\u0430s",  # (a Cyrillic a is not an a)
    "c\u00e9 Theano", "CN\u212aT", "x\nKeRaS\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_names_library_is_the_expression(text: str) -> None:
    assert names_library(text) == (RELEVANT.search(text) is not None)


def test_names_library_ignores_case_as_unicode_does() -> None:
    assert names_library("import \u212aeras") and names_library("import kera\u017f")
    assert not names_library("import ker\u0430s") and not names_library("import numpy")


def test_relevant_on_real_files() -> None:
    """Every Python file of the repository (ours and the test fixtures): the same answer as the expression."""
    root = Path(__file__).resolve().parent.parent
    texts = [path.read_text("utf-8", errors="replace") for path in sorted(root.rglob("*.py"))]
    assert len(texts) > 100
    assert any(not names_library(t) for t in texts) and any(names_library(t) for t in texts)
    for text in texts:
        assert names_library(text) == (RELEVANT.search(text) is not None)


# A module that never names Keras but calls a method only Keras models have is analysed (KC204): however
# Python lets the call be spelled.
_SPELLINGS = [
    "model.fit_generator(gen)", "model. fit_generator(gen)", "model .\tpredict_classes(x)",
    "(model.\n    fit_generator(gen))", "(model.  # the old API\n    evaluate_generator(gen))",
    "model.\\\nfit_generator(gen)", "model.\uff46it_generator(gen)", "model.\ufb01t_generator(gen)",
]


@pytest.mark.parametrize("call", _SPELLINGS)
def test_keras_only_methods_are_seen_however_spelled(call: str) -> None:
    from keras_compat.engine import lint_source
    from keras_compat.gate import calls_keras_methods

    source = f"def train(model, gen, x):\n    return {call}\n"
    assert calls_keras_methods(source)
    assert [d.code for d in lint_source(source, "train.py")] == ["KC204"]


@pytest.mark.parametrize("text", ["model.fit(gen)", "x = 1.5  # fit_generator", "def fit_generator(): pass",
                                  "model_generator = 1", "s = 'predict_classes'"])
def test_other_text_is_no_keras_only_method_call(text: str) -> None:
    from keras_compat.gate import calls_keras_methods

    assert not calls_keras_methods(text)


def test_the_import_roots_are_the_multiline_pattern_s() -> None:
    """gate.import_roots() searches text with a newline put in front (its pattern starts with that literal,
    which the regular expression engine searches for first); it finds the same roots, in order, as the pattern
    anchored with a multi-line ``^`` on the text itself, on the package, the tests, the fixtures, the realism
    corpus and line-ending edge cases."""
    import re

    from keras_compat.gate import import_roots

    anchored = re.compile(r"^[ \t]*(?:from[ \t]+(\.|[A-Za-z_]\w*)|import[ \t]+([A-Za-z_]\w*))", re.MULTILINE)
    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text(encoding="utf-8", errors="replace")
             for p in sorted([*root.joinpath("keras_compat").rglob("*.py"), *root.joinpath("tests").rglob("*.py")])]
    texts += ["import a", "  import b\nfrom . import c", "x\r\nimport d\rimport e\n\tfrom f.g import h",
              "from \\\n x import y", "\nimport i", "importj\nfrom.k import l", ""]
    for text in texts:
        expected = [(m.group(1), m.group(2)) for m in anchored.finditer(text)]
        assert [(m.group(1), m.group(2)) for m in import_roots().finditer("\n" + text)] == expected, text[:80]
        assert imported_roots(text) == tuple(first or second for first, second in expected), text[:80]


def test_the_gate_remembers_only_the_last_text_itself() -> None:
    """relevant() and imported_roots() keep their answer for the text they read last (the plugins ask about one
    text twice); another text, or an equal text that is another object, is read again."""
    from keras_compat.gate import relevant

    keras, plain = "import keras\n", "import numpy\n"
    for _ in range(2):
        assert relevant(keras) and not relevant(plain)
        assert imported_roots(keras) == ("keras",) and imported_roots(plain) == ("numpy",)
    same = "".join(["import ", "os\n"])
    assert imported_roots(same) == ("os",)
    other = "".join(["import ", "os\n"]).replace("os", "re")  # another object: read again, not remembered
    assert imported_roots(other) == ("re",)
    assert not relevant(same) and relevant("".join(["import ", "theano\n"]))
