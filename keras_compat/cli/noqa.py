"""``# noqa`` comments with flake8's semantics (integration notes §1.6).

* The regex is flake8's ``NOQA_INLINE_REGEXP`` (case-insensitive) searched in the physical line, so the
  CLI and the flake8 plugin suppress exactly the same findings.
* ``# noqa`` alone suppresses every code on the line; ``# noqa: KC201,KC3`` suppresses codes equal to or
  starting with a listed code. Forms flake8 reads as blanket (``# noqa: KC`` without digits,
  ``# noqa : KC201`` with a space before the colon) are blanket here too.
* The comment must be on the reported physical line, or on another line of the same range as flake8
  counts them (:func:`logical_ranges`): the lines of a multi-line string or of a backslash continuation
  share one range, a noqa on any of them covers all of them; each line inside brackets is its own.
* A line holding only ``# flake8: noqa`` (flake8's ``NOQA_FILE``; also ``# keras-compat: noqa``)
  suppresses every finding in the file. The findings are still computed and counted as suppressed,
  so ``--show-suppressed`` and the summary keep them visible. flake8 ignores ``# flake8: noqa: CODES``
  (with codes) as a file-level directive; so do we.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from keras_compat.diagnostics import Diagnostic
from keras_compat.source import physical_lines

NOQA_INLINE = re.compile(
    r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",  # flake8's NOQA_INLINE_REGEXP
    re.IGNORECASE,
)
NOQA_FILE = re.compile(r"\s*#\s*(?:flake8|keras-compat)[:=]\s*noqa(\s|$)", re.IGNORECASE)
_SEP = re.compile(r"[,\s]+")


@dataclass
class NoqaMap:
    """Which codes are suppressed on which line of one file."""

    file_level: bool = False
    lines: dict[int, frozenset[str] | None] = field(default_factory=dict)  # None = blanket

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        if self.file_level:
            return True
        if diagnostic.line not in self.lines:
            return False
        codes = self.lines[diagnostic.line]
        return codes is None or any(diagnostic.code.startswith(c) for c in codes)


def logical_ranges(text: str) -> list[tuple[int, int]] | None:
    """flake8's noqa ranges (``FileProcessor._noqa_line_mapping``): the physical lines between two NL/NEWLINE
    tokens share one range, so the lines of a multi-line string or of a backslash continuation are one
    range while each line inside brackets is its own. None when the text does not tokenize (flake8 then
    reads every physical line on its own)."""
    ranges: list[tuple[int, int]] = []
    low, high = 1 << 62, -1
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            low, high = min(low, tok.start[0]), max(high, tok.end[0])
            if tok.type in (tokenize.NL, tokenize.NEWLINE):
                ranges.append((low, high))
                low, high = 1 << 62, -1
    except (tokenize.TokenError, SyntaxError, IndentationError, ValueError):
        return None
    return ranges


def _spans_lines(text: str) -> bool:
    """Whether any range can span lines: a triple-quoted string or a backslash continuation."""
    return '"""' in text or "\'\'\'" in text or "\\\n" in text or "\\\r" in text


def _parse(line_text: str) -> frozenset[str] | None | bool:
    """Codes on one line: None = blanket, a set = those prefixes, False = no noqa comment."""
    match = NOQA_INLINE.search(line_text)
    if match is None:
        return False
    codes = match.group("codes")
    if not codes:
        return None
    return frozenset(c.upper() for c in _SEP.split(codes) if c)


def build(text: str) -> NoqaMap:
    """Scan ``text`` for noqa comments (cheap: a substring check first)."""
    result = NoqaMap()
    lowered = text.lower()
    if "noqa" not in lowered:
        return result
    # physical lines as Python and flake8 count them (\r\n, \r, \n; never form feeds), like the core
    physical = [line.rstrip("\r\n") for line in physical_lines(text)]
    for line in physical:
        if "noqa" in line.lower() and NOQA_FILE.match(line):
            rest = line[NOQA_FILE.match(line).end():]  # type: ignore[union-attr]
            if not rest.strip().startswith(":"):
                result.file_level = True
                return result
    joined: dict[int, str] = {}
    if _spans_lines(text):
        for start, end in logical_ranges(text) or ():
            if end > start:
                chunk = "\n".join(physical[start - 1:end])
                for n in range(start, end + 1):
                    joined[n] = chunk
    for number, line in enumerate(physical, start=1):
        subject = joined.get(number, line)
        if "noqa" not in subject.lower():
            continue
        parsed = _parse(subject)
        if parsed is not False:
            result.lines[number] = parsed  # type: ignore[assignment]
    return result


def suppression_check() -> Callable[[Diagnostic, str], bool]:
    """``skip(diagnostic, current_text)`` for the fixer: the noqa map of the text being fixed, rebuilt only
    when a fix pass changed the text."""
    maps: dict[str, NoqaMap] = {}

    def skip(diagnostic: Diagnostic, current: str) -> bool:
        if current not in maps:
            maps.clear()
            maps[current] = build(current)
        return maps[current].suppresses(diagnostic)

    return skip


# -- writing noqa comments (--add-noqa) -------------------------------------------------------------------

NEVER_SUPPRESSED = ("KC000", "KC001")
SPACES = " \t"  # about the file, not a line: a comment would not be the answer


def _comments(text: str) -> dict[int, list[tuple[int, str]]]:
    """``line -> [(column, text)]`` of the comment tokens (only real comments: never text inside a string)."""
    found: dict[int, list[tuple[int, str]]] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                found.setdefault(tok.start[0], []).append((tok.start[1], tok.string))
    except (tokenize.TokenError, SyntaxError, IndentationError, ValueError):
        return {}
    return found


def add_comments(text: str, diagnostics: Iterable[Diagnostic]) -> tuple[str, int, list[int]]:
    """``text`` with ``# noqa: CODES`` where flake8 reads it for each finding; (new text, lines written,
    lines of findings that no comment could suppress).

    The comment goes at the end of the last line of the finding's range as flake8 counts ranges
    (:func:`logical_ranges`): after the closing quotes of a multi-line string, after the last line of a
    backslash continuation, so no line is broken and no string changes. A ``# noqa: CODES`` comment already
    in that range is extended (``# noqa: E501`` -> ``# noqa: E501, KC201``); a line's other comment stays
    and the directive follows it. KC000/KC001 are about the whole file and get none. The result is read back
    as flake8 reads it: a range where a ``# noqa`` inside a string comes first (flake8 takes the first one)
    is left as it was and its findings' lines are returned.
    """
    findings = [d for d in diagnostics if d.code not in NEVER_SUPPRESSED]
    lines = physical_lines(text)
    original = list(lines)
    ranges = logical_ranges(text) if _spans_lines(text) else None
    first_of: dict[int, int] = {}
    last_of: dict[int, int] = {}
    for low, high in ranges or ():
        for n in range(low, high + 1):
            first_of.setdefault(n, low)
            last_of.setdefault(n, high)
    wanted: dict[int, list[str]] = {}
    for d in sorted(findings, key=Diagnostic.sort_key):
        if not 1 <= d.line <= len(lines):
            continue
        codes = wanted.setdefault(last_of.get(d.line, d.line), [])
        if d.code not in codes:
            codes.append(d.code)
    if not wanted:
        return text, 0, []
    comments = _comments(text)
    for target in sorted(wanted, reverse=True):
        codes = sorted(wanted[target])
        for number in range(first_of.get(target, target), target + 1):
            merged = _extend(lines[number - 1], comments.get(number, []), codes)
            if merged is not None:
                lines[number - 1] = merged
                break
        else:
            line = lines[target - 1]
            body = line.rstrip("\r\n")
            ending = line[len(body):]
            lines[target - 1] = f"{body.rstrip(SPACES)}  # noqa: {', '.join(codes)}{ending}"
    written = build("".join(lines))
    failed = sorted({d.line for d in findings if 1 <= d.line <= len(lines) and not written.suppresses(d)})
    for line in failed:  # undo the whole range: its comment would not be read
        target = last_of.get(line, line)
        for number in range(first_of.get(target, target), target + 1):
            lines[number - 1] = original[number - 1]
        wanted.pop(target, None)
    return "".join(lines), len(wanted), failed


def _extend(line: str, comments: list[tuple[int, str]], codes: list[str]) -> str | None:
    """``line`` with ``codes`` added to the ``# noqa: CODES`` comment on it (None: it has none)."""
    for column, comment in comments:
        match = NOQA_INLINE.search(comment)
        if match is None or not match.group("codes"):
            continue
        listed = match.group("codes").rstrip(", \t")
        present = [c for c in _SEP.split(listed) if c]
        merged = ", ".join([*present, *(c for c in codes if c not in present)])
        start = column + match.start()
        end = column + match.start("codes") + len(listed)
        return f"{line[:start]}# noqa: {merged}{line[end:]}"
    return None
