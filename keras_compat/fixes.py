"""Applying fixes to source text: conflict resolution, repeated passes, and a parse check.

Rules compute edits from exact source positions; this module only applies them. Overlapping fixes are
resolved deterministically (the first in source order wins; the other waits for the next pass), passes
repeat until nothing changes, and a result that no longer parses is rejected as a whole.
"""

from __future__ import annotations

import ast
import bisect
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from keras_compat.diagnostics import Diagnostic, Edit, Fix
from keras_compat.settings import Settings
from keras_compat.source import Positions

MAX_PASSES = 10


class FixError(Exception):
    """Applying fixes produced invalid Python; the original text must be kept."""

    def __init__(self, message: str, codes: Iterable[str]) -> None:
        super().__init__(message)
        self.codes = sorted(set(codes))


def _offsets(positions: Positions, edit: Edit) -> tuple[int, int]:
    return positions.offset(edit.line, edit.col), positions.offset(edit.end_line, edit.end_col)


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, list[Fix]]:
    """Apply non-overlapping fixes in source order; return the new text and the fixes applied."""
    positions = Positions(text)
    taken = _Taken()
    chosen: list[tuple[Fix, list[tuple[int, int, str]]]] = []
    seen_inserts: set[tuple[int, str]] = set()
    ordered = sorted(fixes, key=lambda f: min((e.line, e.col) for e in f.edits) if f.edits else (0, 0))
    for fix in ordered:
        spans = []
        for edit in fix.edits:
            start, end = _offsets(positions, edit)
            spans.append((start, end, edit.content))
        real = [s for s in spans if not (s[0] == s[1] and (s[0], s[2]) in seen_inserts)]
        if any(taken.conflicts(a) for a in real):
            continue
        for start, end, content in real:
            taken.add((start, end))
            if start == end:
                seen_inserts.add((start, content))
        chosen.append((fix, real))
    pieces = sorted((s for _, spans in chosen for s in spans), key=lambda s: (s[0], s[1]))
    out, last = [], 0
    for start, end, content in pieces:
        out.append(text[last:start])
        out.append(content)
        last = end
    out.append(text[last:])
    return "".join(out), [f for f, _ in chosen]


class _Taken:
    """The spans of the fixes chosen so far, answering "does this span conflict with one?" (``_overlaps``)
    in logarithmic time: a file with thousands of fixes must not cost time quadratic in their number.

    Replaced spans of different fixes never overlap (a conflicting fix is not taken), so sorted by start
    they are sorted by end too and only the nearest one can overlap; if one fix brings overlapping edits of
    its own, every later question scans all spans, as before.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.points: list[int] = []  # insertions
        self.all: list[tuple[int, int]] = []
        self.messy = False

    def conflicts(self, span: tuple[int, int]) -> bool:
        if self.messy:
            return any(_overlaps(span, b) for b in self.all)
        start, end = span[0], span[1]
        if start == end:  # an insertion conflicts only strictly inside a replaced span
            j = bisect.bisect_left(self.starts, start) - 1
            return j >= 0 and self.ends[j] > start
        j = bisect.bisect_left(self.starts, end) - 1  # the last span starting before this one ends
        if j >= 0 and self.ends[j] > start:
            return True
        k = bisect.bisect_right(self.points, start)  # the first insertion after this span's start
        return k < len(self.points) and self.points[k] < end

    def add(self, span: tuple[int, int]) -> None:
        self.all.append(span)
        start, end = span
        if start == end:
            bisect.insort(self.points, start)
            return
        if not self.messy and self.conflicts(span):
            self.messy = True  # a fix's own edits overlap
        j = bisect.bisect_left(self.starts, start)
        self.starts.insert(j, start)
        self.ends.insert(j, end)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions conflict only strictly inside a replaced span
        point, span = (a, b) if a[0] == a[1] else (b, a)
        return span[0] < point[0] < span[1]
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class FixResult:
    """Outcome of fixing one text."""

    text: str
    applied: list[Diagnostic] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)
    passes: int = 0
    converged: bool = True


def wanted(diagnostic: Diagnostic, unsafe: bool) -> bool:
    return diagnostic.fix is not None and (unsafe or diagnostic.fix.is_safe)


def fix_text(text: str, filename: str = "<string>", settings: Settings | None = None, *,
             unsafe: bool = False, max_passes: int = MAX_PASSES,
             skip: Callable[[Diagnostic, str], bool] | None = None,
             lint: Callable[[str], list[Diagnostic]] | None = None) -> FixResult:
    """Lint and fix ``text`` until no fixable finding remains; raise :class:`FixError` on broken output.

    ``skip(diagnostic, current_text)`` returning True leaves that finding's fix unapplied (the CLI passes
    its ``# noqa`` check, so a suppressed finding is never rewritten). ``lint(current_text)`` replaces
    the core's ``lint_source`` (the notebook support uses it to place added imports).
    """
    from keras_compat.engine import lint_source

    if lint is None:
        def lint(current: str) -> list[Diagnostic]:
            return lint_source(current, filename, settings)

    result = FixResult(text)
    current = text
    for _ in range(max_passes):
        found = lint(current)
        fixable = [d for d in found if wanted(d, unsafe) and not (skip is not None and skip(d, current))]
        if not fixable:
            result.remaining = found
            break
        by_fix = {id(d.fix): d for d in fixable}
        new, applied = apply_fixes(current, [d.fix for d in fixable if d.fix is not None])
        result.passes += 1
        if new == current:
            result.remaining = found
            break
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escape sequences etc.: not ours to print
                ast.parse(new)
        except (SyntaxError, ValueError) as exc:
            raise FixError(f"fixes produced invalid Python ({exc})",
                           [by_fix[id(f)].code for f in applied]) from None
        result.applied.extend(by_fix[id(f)] for f in applied)
        current = new
    else:
        result.converged = False
        result.remaining = lint(current)
    result.text = current
    return result
