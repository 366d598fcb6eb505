"""Fuzzing: generated programs and mutated real Keras code through the core, the fixer and both plugins.

Property (``support.properties``): no exception escapes, no ``KC000``, no position outside the file, and
the fixer's output always parses.

* ``hypothesmith`` programs (grammar-generated, and libcst-generated for valid code) with Keras snippets
  spliced in, so the rules have something to look at;
* a seeded mutation fuzzer over the realism corpus (12 legacy Keras packages): delete, duplicate and swap
  lines and tokens, truncate, insert odd characters, splice Keras snippets into unrelated code.

CI runs a bounded, derandomised profile (a few hundred examples, well under a minute). For a release,
run the long profile (random seeds, thousands of examples)::

    KERAS_COMPAT_FUZZ=release python -m pytest tests/test_fuzz.py -p no:cacheprovider

``KERAS_COMPAT_FUZZ_SEED`` fixes the mutation seed of a release run (it is printed on failure).
"""

from __future__ import annotations

import ast
import io
import os
import random
import tokenize
import warnings
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
hypothesmith = pytest.importorskip("hypothesmith")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from support.examples import everything  # noqa: E402
from support.frontends import parse_flake8, parse_pylint, run_flake8, run_pylint  # noqa: E402
from support.properties import assert_fix_parses, assert_migration_sound, assert_sound  # noqa: E402

from flake8_keras_compat import KerasCompatChecker  # noqa: E402
from keras_compat.engine import lint_source  # noqa: E402
from keras_compat.settings import Settings  # noqa: E402

RELEASE = os.environ.get("KERAS_COMPAT_FUZZ") == "release"
#: (grammar examples, libcst examples, mutants, mutants through flake8/pylint, mutants fixed for the migration
#: property) per profile
BUDGET = (3000, 300, 10000, 400, 2000) if RELEASE else (300, 20, 600, 60, 120)

settings.register_profile("kc-fuzz-ci", deadline=None, derandomize=True, database=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("kc-fuzz-release", deadline=None, derandomize=False,
                          suppress_health_check=list(HealthCheck))
PROFILE = settings.get_profile("kc-fuzz-release" if RELEASE else "kc-fuzz-ci")

SETTINGS = {"default": Settings(), "everything": everything(),
            "keras3": everything().with_options(target="keras3")}

#: Snippets that make rules fire (and fixes apply): spliced into generated and real code.
SNIPPETS = (
    "import keras\n",
    "from keras.layers import Dense, Conv2D, Merge, merge\n",
    "from keras import backend as K\n",
    "import tensorflow as tf\n",
    "from tensorflow.keras.layers import LSTM\n",
    "x = Dense(output_dim=10, init='uniform')(x)\n",
    "layer = Conv2D(32, 3, 3, border_mode='same', subsample=(2, 2))\n",
    "model.fit(x, y, nb_epoch=10, validation_split=0.1)\n",
    "model.fit_generator(gen, samples_per_epoch=100, nb_val_samples=10)\n",
    "y = merge([a, b], mode='concat')\n",
    "K.set_image_dim_ordering('th')\n",
    "os.environ['KERAS_BACKEND'] = 'theano'\n",
    "if keras.__version__.startswith('1'):\n    layer = Dense(output_dim=2)\nelse:\n    layer = Dense(units=2)\n",
    "class L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.W = self.add_weight((2, 2))\n"
    "    def call(self, x, mask=None):\n        return K.dot(x, self.W)\n",
    "model = keras.models.Model(input=a, output=b)\n",
    "from keras.utils.np_utils import to_categorical\n",
    "K.image_dim_ordering() == 'th'\n",
    "tf.keras.layers.Dense(output_dim=3)\n",
    "keras.optimizers.Adam(lr=0.1, decay=1e-6)\n",
)


def check_everywhere(text: str, where: str) -> None:
    """The property for one text, in the core (three settings), the fixer and the flake8 adapter."""
    for name, config in SETTINGS.items():
        found = lint_source(text, "fuzz.py", config)
        assert_sound(text, found, f"{where} [{name}]")
    assert_fix_parses(text, SETTINGS["everything"], where)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return  # flake8 reports E999 itself and never calls plugins
    lines = io.StringIO(text).readlines()
    results = list(KerasCompatChecker(tree, lines, "fuzz.py").run())
    assert not [r for r in results if r[2].startswith("KC000")], (where, results)
    physical = [line.rstrip("\r\n") for line in __import__("keras_compat.source").source.physical_lines(text)] or [""]
    for line, col, message, _ in results:
        assert 1 <= line <= len(physical), (where, line, message)
        assert 0 <= col <= len(physical[line - 1]), (where, line, col, message)


def _with_snippets(program: str, picks: list[int]) -> str:
    lines = program.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    for pick in picks:
        snippet = SNIPPETS[pick % len(SNIPPETS)]
        lines.insert(pick % (len(lines) + 1), snippet)
    return "".join(lines)


_PICKS = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=4)


@settings(PROFILE, max_examples=BUDGET[0])
@given(hypothesmith.from_grammar(), _PICKS)
def test_grammar_programs(program: str, picks: list[int]) -> None:
    check_everywhere("import keras\n" + program, "grammar program")
    check_everywhere(_with_snippets(program, picks), "grammar program with snippets")


@settings(PROFILE, max_examples=BUDGET[1])
@given(hypothesmith.from_node(), _PICKS)
def test_libcst_programs(program: str, picks: list[int]) -> None:
    check_everywhere(_with_snippets(program, picks), "libcst program with snippets")


# -- mutation fuzzer over the realism corpus -------------------------------------------------------------

ODD = ("(", ")", "[", "]", ":", ",", "\\", "'", '"', '"""', "\t", "\x0c", "\r", "\r\n", " ", "#", "@", "=",
       "lambda:", "not ", "await ", "*", "**", "\u00e9", "\U0001f600", "\ufeff", "\u2028", "\x00")


def _tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the tokens of ``text`` (as far as it tokenizes)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    spans = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in (tokenize.NAME, tokenize.OP, tokenize.NUMBER, tokenize.STRING):
                (sl, sc), (el, ec) = tok.start, tok.end
                if sl - 1 < len(starts) and el - 1 < len(starts):
                    spans.append((starts[sl - 1] + sc, starts[el - 1] + ec))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return spans


def mutate(text: str, rng: random.Random) -> str:
    """One to three random mutations of ``text``."""
    for _ in range(rng.randint(1, 3)):
        lines = text.splitlines(keepends=True) or [""]
        op = rng.choice(("delete-line", "duplicate-line", "swap-lines", "delete-token", "duplicate-token",
                         "swap-tokens", "truncate", "odd-character", "splice-snippet", "splice-snippet",
                         "indent-line", "join-lines"))
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        if op == "delete-line":
            del lines[i]
        elif op == "duplicate-line":
            lines.insert(j, lines[i])
        elif op == "swap-lines":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent-line":
            lines[i] = rng.choice(("    ", "\t", " ")) + lines[i]
        elif op == "join-lines":
            lines[i] = lines[i].rstrip("\r\n") + " "
        elif op == "splice-snippet":
            snippet = rng.choice(SNIPPETS)
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())] if rng.random() < 0.7 else ""
            lines.insert(i, "".join(indent + part for part in snippet.splitlines(keepends=True)))
        text = "".join(lines)
        if op in ("delete-token", "duplicate-token", "swap-tokens"):
            spans = _tokens(text)
            if spans:
                a, b = rng.choice(spans), rng.choice(spans)
                if op == "delete-token":
                    text = text[:a[0]] + text[a[1]:]
                elif op == "duplicate-token":
                    text = text[:b[0]] + text[a[0]:a[1]] + " " + text[b[0]:]
                else:
                    first, second = sorted((a, b))
                    if first[1] <= second[0]:
                        text = (text[:first[0]] + text[second[0]:second[1]] + text[first[1]:second[0]]
                                + text[first[0]:first[1]] + text[second[1]:])
        elif op == "truncate":
            text = text[: rng.randrange(len(text) + 1)]
        elif op == "odd-character":
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(ODD) + text[at:]
    return text


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str]]:
    from support.realism import PACKAGES, package_files

    files: list[tuple[str, str]] = []
    for name, version in PACKAGES:
        for path in package_files(name, version):
            text = path.read_bytes().decode("utf-8", errors="replace")
            if "keras" in text:
                files.append((f"{name}:{path.name}", text))
    return files


def _seed() -> int:
    if "KERAS_COMPAT_FUZZ_SEED" in os.environ:
        return int(os.environ["KERAS_COMPAT_FUZZ_SEED"])
    return random.SystemRandom().randrange(1 << 32) if RELEASE else 20261122


@pytest.mark.network
def test_mutated_corpus(corpus) -> None:
    seed = _seed()
    rng = random.Random(seed)
    for n in range(BUDGET[2]):
        where, original = rng.choice(corpus)
        text = mutate(original, rng)
        check_everywhere(text, f"mutant {n} of {where} (seed {seed})")


@pytest.mark.network
def test_mutants_fixed_introduce_nothing(corpus) -> None:
    """Issue 20's property on mutants of real code, under both targets: ``--fix --unsafe-fixes`` adds no
    KC102/KC103/KC106/KC107 on the lines it wrote, never leaves a module mixing two Keras libraries, and a
    second fix changes nothing (``support.properties.assert_migration_sound``)."""
    seed = _seed() + 2
    rng = random.Random(seed)
    for n in range(BUDGET[4]):
        where, original = rng.choice(corpus)
        text = mutate(original, rng)
        assert_migration_sound(text, SETTINGS["keras3" if n % 2 else "default"], f"mutant {n} of {where} (seed {seed})")


@pytest.mark.network
def test_mutated_corpus_through_flake8_and_pylint(corpus, tmp_path: Path) -> None:
    """A batch of mutants through the real flake8 and pylint (one run each): no KC000, no crash."""
    seed = _seed() + 1
    rng = random.Random(seed)
    for n in range(BUDGET[3]):
        where, original = rng.choice(corpus)
        (tmp_path / f"mutant_{n:04d}.py").write_text(mutate(original, rng), encoding="utf-8", newline="")
    files = sorted(p.name for p in tmp_path.glob("*.py"))
    status, out, err = run_flake8(files, "-j", "1", cwd=tmp_path)
    assert "keras-compat" not in err and '"KC"' not in err, (seed, err[-2000:])
    assert not [f for f in parse_flake8(out) if f[3] == "KC000"], seed
    status, out, err = run_pylint(files, cwd=tmp_path)
    assert not [f for f in parse_pylint(out) if f[3] == "KC000"], seed
    assert "keras_compat" not in err, (seed, err[-2000:])


def test_mutator_is_deterministic_and_mutates() -> None:
    text = "import keras\nfrom keras.layers import Dense\nx = Dense(output_dim=2)\n"
    first = [mutate(text, random.Random(7)) for _ in range(3)]
    assert len(set(first)) == 1
    assert any(mutate(text, random.Random(seed)) != text for seed in range(10))
