"""What the rules need of the API surfaces without the extractor: the reference releases and signatures.

:mod:`keras_compat.surface.extract` (which reads wheels) re-exports these; the rules import this small
module only, so that checking a file never loads the extractor.
"""

from __future__ import annotations

from keras_compat.record import Record

FORMAT = 1
VAR_KW = ("none", "layer", "closed", "any")

#: The release whose public API each target is checked against.
REFERENCES: dict[str, tuple[str, str]] = {"tf-keras": ("tf-keras", "2.15.0"), "keras3": ("keras", "3.15.1")}


class Signature(Record):
    """Keywords a class constructor or function accepts."""

    kind: str  # "class" | "function"
    params: tuple[str, ...]
    kwargs_keys: tuple[str, ...]
    var_kw: str  # one of VAR_KW

    @property
    def accepted(self) -> frozenset[str]:
        return frozenset(self.params) | frozenset(self.kwargs_keys)

    def to_json(self) -> list:
        return [self.kind, list(self.params), list(self.kwargs_keys), self.var_kw]

    @classmethod
    def from_json(cls, data: list) -> Signature:
        return cls(data[0], tuple(data[1]), tuple(data[2]), data[3])
