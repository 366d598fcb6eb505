"""Findings and fixes: what every front-end translates.

Positions are 1-based lines and 0-based *character* columns; end positions are exclusive.
A fix is a list of text edits on the original source plus its safety.
"""

from __future__ import annotations

from keras_compat.record import Choice, Record, uncompared


class Safety(Choice):
    """Whether applying a fix can change what the program does."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class Edit(Record, order=True):
    """Replace the text between two positions with ``content`` (an insertion when start == end)."""

    line: int
    col: int
    end_line: int
    end_col: int
    content: str

    def __init__(self, line: int, col: int, end_line: int, end_col: int, content: str) -> None:
        # Written out (tests/test_record.py checks it against the fields): findings are made by the hundred
        # per run, and the generic initialiser costs about twice as much.
        values = self.__dict__
        values["line"], values["col"], values["end_line"], values["end_col"], values["content"] = \
            line, col, end_line, end_col, content

    @classmethod
    def insert(cls, line: int, col: int, content: str) -> Edit:
        return cls(line, col, line, col, content)


class Fix(Record):
    """A set of edits applied together, with a title for ``help:`` lines and review suggestions."""

    title: str
    edits: tuple[Edit, ...]
    safety: Safety = Safety.SAFE

    def __init__(self, title: str, edits: tuple[Edit, ...], safety: Safety = Safety.SAFE) -> None:
        # Written out, as Edit's.
        values = self.__dict__
        values["title"], values["edits"], values["safety"] = title, edits, safety

    @property
    def is_safe(self) -> bool:
        return self.safety is Safety.SAFE


class Diagnostic(Record):
    """One finding of one rule at one place."""

    code: str
    message: str
    line: int
    col: int
    end_line: int
    end_col: int
    fix: Fix | None = None
    fields: dict[str, str] = uncompared(make=dict)

    def __init__(self, code: str, message: str, line: int, col: int, end_line: int, end_col: int,
                 fix: Fix | None = None, fields: dict[str, str] | None = None) -> None:
        # Written out, as Edit's (``fields`` None: a new empty dictionary, as the generic factory makes).
        values = self.__dict__
        values["code"], values["message"], values["line"], values["col"], values["end_line"], values["end_col"] = \
            code, message, line, col, end_line, end_col
        values["fix"], values["fields"] = fix, {} if fields is None else fields

    @property
    def symbol(self) -> str:
        from keras_compat.registry import REGISTRY

        rule = REGISTRY.get(self.code)
        return rule.symbol if rule else "unknown"

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line, self.col, self.code)
