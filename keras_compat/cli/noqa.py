"""``# noqa`` comments with flake8's semantics (integration notes §1.6).

* The regex is flake8's ``NOQA_INLINE_REGEXP`` (case-insensitive) searched in the physical line, so the
  CLI and the flake8 plugin suppress exactly the same findings.
* ``# noqa`` alone suppresses every code on the line; ``# noqa: KC201,KC3`` suppresses codes equal to or
  starting with a listed code. Forms flake8 reads as blanket (``# noqa: KC`` without digits,
  ``# noqa : KC201`` with a space before the colon) are blanket here too.
* The comment must be on the reported physical line. Only a token spanning several lines (a multi-line
  string) shares one range: a noqa on any of its lines covers all of them, as in flake8.
* A line holding only ``# flake8: noqa`` (flake8's ``NOQA_FILE``; also ``# keras-compat: noqa``)
  suppresses every finding in the file. The findings are still computed and counted as suppressed,
  so ``--show-suppressed`` and the summary keep them visible. flake8 ignores ``# flake8: noqa: CODES``
  (with codes) as a file-level directive; so do we.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable
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


def _multiline_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) line ranges of tokens spanning several lines (strings); empty if untokenizable."""
    ranges = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.start[0] != tok.end[0] and tok.type not in (tokenize.NL, tokenize.NEWLINE):
                if tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_START", -1):
                    ranges.append((tok.start[0], tok.end[0]))
            if getattr(tokenize, "FSTRING_END", -2) == tok.type and ranges and ranges[-1][1] < tok.end[0]:
                ranges[-1] = (ranges[-1][0], tok.end[0])
    except (tokenize.TokenError, SyntaxError, IndentationError, ValueError):
        return []
    return ranges


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
    if '"""' in text or "'''" in text or "\\\n" in text:
        for start, end in _multiline_ranges(text):
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
