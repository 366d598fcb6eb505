"""Source text: decoding, parsing and position conversion.

``ast`` reports columns as UTF-8 byte offsets; every diagnostic the core emits uses character columns
(0-based) so that all front-ends agree on non-ASCII lines. This module owns that conversion.
"""

from __future__ import annotations

import ast
import bisect
import codecs
import io
import re
import tokenize
import warnings
from itertools import accumulate

from keras_compat.record import Record


class SourceError(Exception):
    """The file cannot be decoded or parsed; ``line``/``col`` locate the problem (1-based line)."""

    def __init__(self, message: str, line: int = 1, col: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


class Decoded(Record):
    """Decoded text plus what is needed to write it back unchanged (encoding, BOM)."""

    text: str
    encoding: str
    bom: bool


def decode(data: bytes) -> Decoded:
    """Decode bytes as Python does: BOM, PEP 263 cookie, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # unknown or conflicting cookie
        raise SourceError(f"cannot decode file: {exc.msg if hasattr(exc, 'msg') else exc}") from None
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8):]
        encoding = "utf-8"
    try:
        text = data.decode("utf-8" if encoding == "utf-8-sig" else encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        raise SourceError(
            f"cannot decode file as {encoding}: {exc.__class__.__name__} "
            "(add a PEP 263 coding cookie or save it as UTF-8)", line) from None
    return Decoded(text, encoding, bom)


_PY2_HINTS = (
    ("Missing parentheses in call to 'print'", "print statement"),
    ("Missing parentheses in call to 'exec'", "exec statement"),
    ("leading zeros in decimal integer literals", "old octal literal"),
    ("multiple exception types must be parenthesized", "'except X, e' clause"),
)


def _python2_hint(exc: SyntaxError, text: str) -> str | None:
    msg = exc.msg or ""
    for needle, what in _PY2_HINTS:
        if needle in msg:
            return what
    line = (exc.text or "").strip()
    if line.startswith("print ") and not line.startswith("print("):
        return "print statement"
    if "`" in line:
        return "backtick repr"
    if line.startswith("raise ") and line.count(",") == 1 and "(" not in line.split(",")[0]:
        return "'raise E, msg' statement"
    if "ur'" in line or 'ur"' in line:
        return "ur'' string prefix"
    return None


def parse(text: str, filename: str = "<string>") -> ast.Module:
    """Parse ``text``; a failure becomes a :class:`SourceError` with a clear message."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences etc. are not our business
            return ast.parse(text, filename=filename, type_comments=False)
    except SyntaxError as exc:
        hint = _python2_hint(exc, text)
        line, col = _error_position(exc, text)
        if hint:
            raise SourceError(
                f"not valid Python 3 (looks like Python 2: {hint}); keras-compat checks Python 3 code only, "
                "convert the file first (e.g. with 2to3 or pyupgrade)", line, col) from None
        raise SourceError(f"syntax error: {exc.msg}", line, col) from None
    except (RecursionError, MemoryError):
        raise SourceError("file is too deeply nested for the Python parser") from None
    except ValueError as exc:  # e.g. source code string cannot contain null bytes
        raise SourceError(f"cannot parse file: {exc}") from None


#: A physical line (compiled by ``re``'s cache on first use: only text outside :data:`_OTHER_BREAKS`'s fast
#: path needs it).
_LINE = r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z"
#: The line breaks of ``str.splitlines`` besides ``\r`` and ``\n``, which the tokenizer does not count.
_OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def _error_position(exc: SyntaxError, text: str) -> tuple[int, int]:
    """(1-based line, 0-based column) of a syntax error, always inside the file.

    ``SyntaxError.offset`` counts from the start of ``exc.text``, which is the whole *logical* line for
    errors after a backslash continuation (so it can exceed the physical line), and ``lineno`` can be one
    past the last line for errors at the end of the file.
    """
    lines = physical_lines(text) or [""]
    line = min(max(exc.lineno or 1, 1), len(lines))
    width = len(lines[line - 1].rstrip("\r\n"))
    return line, min(max((exc.offset or 1) - 1, 0), width)


#: The lines a host handed over with their text (:func:`given_lines`): the last text only, the object itself.
_given: tuple[str | None, list[str]] = (None, [])


def given_lines(text: str, lines: list[str]) -> None:
    """Hand over a host's lines of ``text`` (``text == "".join(lines)``), for :func:`physical_lines` to reuse when
    they are its answer: flake8 reads a file with universal newlines, so its text has no ``\\r`` and its lines
    end at each ``\\n``, exactly where the tokenizer ends them (text with a ``\\r``, from standard input, is
    split again). Saves splitting again every file that has a finding."""
    global _given
    if "\r" not in text:
        _given = text, lines


def physical_lines(text: str) -> list[str]:
    """Lines as Python's tokenizer counts them (ends kept): ``\\r\\n``, ``\\r`` or ``\\n``, never ``\\f``.
    ``str.splitlines`` (in C) when the text has none of the other breaks it knows (form feeds, vertical tabs,
    ``\\x1c``-``\\x1e``, ``\\x85``, ``\\u2028``, ``\\u2029``: nearly every module, also those with non-ASCII
    comments, for which the expression cost 46 M instructions a pass over the benchmark's corpus), else the
    expression; a host's own lines when it handed them over (:func:`given_lines`)."""
    given = _given
    if given[0] is text:
        return list(given[1])
    if not any(brk in text for brk in _OTHER_BREAKS):
        return text.splitlines(keepends=True)
    return re.findall(_LINE, text)


class Positions:
    """Converts ``ast`` (line, UTF-8 byte column) pairs to character columns, and back to offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Split like Python's tokenizer (\r\n, \r, \n only): str.splitlines also splits on form feeds,
        # \v, \x1c-\x1e, \x85, \u2028 and \u2029, which would shift every later ``ast`` line number.
        self.lines = physical_lines(text) or [""]
        self._starts: list[int] | None = None
        self._ascii = text.isascii()

    def line_text(self, line: int) -> str:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return ""

    def char_col(self, line: int, byte_col: int) -> int:
        """Character column of a UTF-8 byte column on a 1-based line."""
        if self._ascii or byte_col <= 0:
            return byte_col
        raw = self.line_text(line).encode("utf-8")
        return len(raw[:byte_col].decode("utf-8", errors="replace"))

    @property
    def starts(self) -> list[int]:
        """The offset of each line's start, and the text's length last."""
        if self._starts is None:
            self._starts = [0, *accumulate(map(len, self.lines))]
        return self._starts

    def line_of(self, offset: int) -> int:
        """1-based line of an absolute character offset (the last line for the end of the text)."""
        return max(1, min(bisect.bisect_right(self.starts, offset), len(self.lines)))

    def offset(self, line: int, col: int) -> int:
        """Absolute character offset of a (1-based line, 0-based character column)."""
        starts = self.starts
        if line < 1:
            return 0
        if line > len(self.lines):
            return len(self.text)
        return min(starts[line - 1] + col, starts[line])

    def node_range(self, node: ast.AST) -> tuple[int, int, int, int]:
        """(line, col, end_line, end_col) of a node in characters."""
        line = getattr(node, "lineno", 1)
        if self._ascii:  # a byte column is the character column (no call per column: a range per finding)
            col = getattr(node, "col_offset", 0)
            end_col = getattr(node, "end_col_offset", None)
            return line, col, getattr(node, "end_lineno", None) or line, col if end_col is None else end_col
        col = self.char_col(line, getattr(node, "col_offset", 0))
        end_line = getattr(node, "end_lineno", None) or line
        end_byte = getattr(node, "end_col_offset", None)
        end_col = self.char_col(end_line, end_byte) if end_byte is not None else col
        return line, col, end_line, end_col

    def segment(self, node: ast.AST) -> str:
        line, col, end_line, end_col = self.node_range(node)
        return self.text[self.offset(line, col): self.offset(end_line, end_col)]
