"""Properties every finding must have on any input (used by the hostile-input and fuzz tests).

* no ``KC000`` (an exception inside keras-compat);
* every position inside the file: lines ``1..n`` as Python's tokenizer counts them, columns within the line
  (the end of the line included), start not after end; the same for every fix edit;
* the fixer's output parses (``fix_text`` raises :class:`~keras_compat.fixes.FixError` instead of
  returning broken code, and the CLI then leaves the file alone, so a ``FixError`` is acceptable; broken
  output returned as a result is not).
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable

from keras_compat.diagnostics import Diagnostic
from keras_compat.fixes import FixError, fix_text
from keras_compat.settings import Settings
from keras_compat.source import SourceError, decode, physical_lines


def text_of(source: str | bytes) -> str | None:
    """The decoded text (None when it cannot be decoded, where only line 1..n of the bytes are checked)."""
    if isinstance(source, str):
        return source
    try:
        return decode(source).text
    except SourceError:
        return None


def position_problems(source: str | bytes, diagnostics: Iterable[Diagnostic]) -> list[str]:
    """Positions that are not inside ``source``; empty when all are."""
    text = text_of(source)
    if text is None:  # undecodable: only the line can be checked, against the raw bytes
        n = max(1, len(source.splitlines()))  # type: ignore[union-attr]
        return [f"{d.code} line {d.line} outside 1..{n}" for d in diagnostics if not 1 <= d.line <= n]
    lines = [line.rstrip("\r\n") for line in physical_lines(text)] or [""]
    problems = []

    def check(what: str, line: int, col: int, end_line: int, end_col: int) -> None:
        for ln, c in ((line, col), (end_line, end_col)):
            if not 1 <= ln <= len(lines):
                problems.append(f"{what}: line {ln} outside 1..{len(lines)}")
            elif not 0 <= c <= len(lines[ln - 1]):
                problems.append(f"{what}: column {c} outside 0..{len(lines[ln - 1])} on line {ln}")
        if (line, col) > (end_line, end_col):
            problems.append(f"{what}: start {(line, col)} after end {(end_line, end_col)}")

    for d in diagnostics:
        check(d.code, d.line, d.col, d.end_line, d.end_col)
        if d.fix is not None:
            for edit in d.fix.edits:
                check(f"{d.code} fix edit", edit.line, edit.col, edit.end_line, edit.end_col)
    return problems


def assert_sound(source: str | bytes, diagnostics: list[Diagnostic], where: str = "") -> None:
    internal = [d.message for d in diagnostics if d.code == "KC000"]
    assert not internal, f"{where}: KC000 {internal}"
    problems = position_problems(source, diagnostics)
    assert not problems, f"{where}: {problems}"


def assert_fix_parses(text: str, settings: Settings | None = None, where: str = "") -> str | None:
    """Fix ``text`` (unsafe fixes included); the result must parse. Returns the fixed text (None: FixError)."""
    try:
        result = fix_text(text, "fuzz.py", settings, unsafe=True)
    except FixError:
        return None  # the fixer refused its own broken output: the CLI keeps the file as it was
    if result.text != text:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ast.parse(result.text)
            except (SyntaxError, ValueError) as exc:  # pragma: no cover - this is the bug being hunted
                raise AssertionError(f"{where}: fixed text does not parse: {exc}\n{result.text}") from None
    assert_sound(result.text, result.remaining, f"{where} (after fixing)")
    return result.text
