"""Plain string tests that replaced regular expressions on the analysis path answer exactly what the
expressions did: the switch words of ``guards``, the project index's byte gate, the physical line split, and
the backend rules' table-path and first-sentence tests. Each is compared with its expression on generated
text over an alphabet of the characters that matter (case variants, Unicode case-folding partners, every
line break ``str.splitlines`` knows) and on the real inputs (the tables' entries, the repository's files)."""

from __future__ import annotations

import random
import re
from pathlib import Path

from keras_compat import guards
from keras_compat.data.backend import BACKEND_FUNCTIONS
from keras_compat.gate import mentions_any
from keras_compat.project import _mentions
from keras_compat.rules.backend import _dotted, _first_sentence
from keras_compat.source import physical_lines

ROOT = Path(__file__).resolve().parent.parent


def _texts(alphabet: str, count: int = 20_000, longest: int = 24, seed: int = 23) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]


def _repository_texts() -> list[str]:
    return [path.read_text("utf-8", errors="replace") for path in sorted(ROOT.rglob("*.py"))][:400]


def test_switch_words_are_the_expression() -> None:
    alphabet = "kerasKERASversionVERSIONtf12_legacybackend\u212a\u017f\u0130\u00e9 ."
    words = ["KerasVersion", "TF_1", "tf2x", "is_tf1", "LEGACY", "backEnd", "\u212aeras", "kera\u017f", "tfone"]
    for text in words + _texts(alphabet):
        assert mentions_any(text, guards._SWITCH_PLAIN, guards._SWITCH_WORDS) == \
            (re.search(guards._SWITCH_WORDS, text) is not None), text
        assert mentions_any(text, ("keras",), guards._SWITCH_STRINGS) == \
            (re.search(guards._SWITCH_STRINGS, text) is not None), text


def test_the_project_byte_gate_is_the_expression() -> None:
    pattern = re.compile(rb"keras|tensorflow|theano|cntk", re.IGNORECASE)
    alphabet = "kerasKERAStensorflowTHEANOcntk\u212a\u017f\u00e9 \n"
    for text in _texts(alphabet) + _repository_texts():
        data = text.encode("utf-8")
        assert _mentions(data) == (pattern.search(data) is not None), text[:80]
    assert not _mentions("\u212aeras".encode()) and _mentions(b"import KeRaS")  # bytes fold ASCII only


def test_physical_lines_are_the_tokenizer_lines() -> None:
    line = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
    alphabet = "ab \t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\u00e9"
    for text in _texts(alphabet) + _repository_texts():
        assert physical_lines(text) == line.findall(text), repr(text[:80])


def test_lines_a_host_hands_over_are_the_tokenizer_lines() -> None:
    """flake8's lines (read with universal newlines: split at each newline only) are reused for their text, never
    for text with a carriage return (standard input keeps them), never for another text."""
    import io

    from keras_compat.source import given_lines

    line = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
    alphabet = "ab \t\n\r\x0b\x0c\x1c\x85\u2028\u00e9"
    for raw in _texts(alphabet) + _repository_texts()[:50]:
        lines = io.StringIO(raw, newline=None).readlines()  # as flake8 reads a file
        text = "".join(lines)
        given_lines(text, lines)
        assert physical_lines(text) == line.findall(text), repr(text[:80])
        lines = [raw]  # what a host with carriage returns in its text might hand over: not used then
        given_lines(raw, lines)
        if "\r" in raw:
            assert physical_lines(raw) == line.findall(raw), repr(raw[:80])
    text = "a\nb\n"
    given_lines(text, ["a\n", "b\n"])
    assert physical_lines("".join(["a\n", "b", "\n"]) + "c") == ["a\n", "b\n", "c"]  # another text: split


def _old_first_sentence(note: str, limit: int = 110) -> str:
    sentence = re.split(r"(?<=[.;])\s", note, maxsplit=1)[0].rstrip(".;")
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + " ..."
    return sentence


def test_first_sentence_and_dotted_paths_are_the_expressions() -> None:
    notes = [note for entry in BACKEND_FUNCTIONS for note in (entry.note, entry.keras3_note)]
    for note in notes + _texts("ab.; \n\t\u2003x", longest=30):
        assert _first_sentence(note) == _old_first_sentence(note), note
    paths = [path for entry in BACKEND_FUNCTIONS for path in (entry.tf, entry.keras3) if path]
    for path in paths + ["tf", "tf.", "tf.a", "tf.1a", "tf.a..b", "tfx.a", "tf.\u00e9", "keras.layers.Dense", "tf.a(b)"]:
        for root in ("tf", "keras"):
            assert _dotted(path, root) == bool(re.match(rf"^{root}(\.[A-Za-z_][A-Za-z0-9_]*)+$", path)), path
    assert any(_dotted(path, "tf") for path in paths) and not all(_dotted(path, "tf") for path in paths)


def test_lines_with_a_word_are_the_physical_lines_holding_it() -> None:
    """KC102's pre-filter (``rules.imports._lines_with``): the lines, counted as the tokenizer counts them
    (``\\r\\n``, ``\\r``, ``\\n``; not form feeds), whose text holds the word."""
    import ast

    from keras_compat.context import Context
    from keras_compat.rules.imports import _lines_with
    from keras_compat.settings import Settings

    pieces = ["keras", "kera", "s", " x", "\r\n", "\r", "\n", "\x0c", "\x0b", "\x1c", "\u2028", "\u00e9"]
    rng = random.Random(5)
    generated = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(3_000)]
    assert sum("keras" in text and "\x0c" in text for text in generated) > 100  # the breaks that matter occur
    for text in generated + _repository_texts()[:50]:
        ctx = Context(ast.parse(""), text, Settings())
        expected = {number for number, line in enumerate(physical_lines(text), 1) if "keras" in line}
        assert _lines_with(ctx, "keras") == expected, repr(text)
