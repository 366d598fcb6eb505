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

    @classmethod
    def insert(cls, line: int, col: int, content: str) -> Edit:
        return cls(line, col, line, col, content)


class Fix(Record):
    """A set of edits applied together, with a title for ``help:`` lines and review suggestions."""

    title: str
    edits: tuple[Edit, ...]
    safety: Safety = Safety.SAFE

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

    @property
    def symbol(self) -> str:
        from keras_compat.registry import REGISTRY

        rule = REGISTRY.get(self.code)
        return rule.symbol if rule else "unknown"

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line, self.col, self.code)
