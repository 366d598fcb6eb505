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
from dataclasses import dataclass, field, replace

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
    new, chosen, _ = _apply(text, fixes)
    return new, chosen


def _apply(text: str, fixes: Iterable[Fix]) -> tuple[str, list[Fix], dict[int, list[tuple[int, int, int, int]]]]:
    """:func:`apply_fixes`, plus for each chosen fix (by id) the spans it replaced and wrote:
    ``(old start, old end, new start, new end)`` character offsets."""
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
    pieces = sorted(((s, id(f)) for f, spans in chosen for s in spans), key=lambda p: (p[0][0], p[0][1]))
    out, last, written = [], 0, 0
    where: dict[int, list[tuple[int, int, int, int]]] = {}
    for (start, end, content), owner in pieces:
        gap = text[last:start]
        out.append(gap)
        written += len(gap)
        out.append(content)
        where.setdefault(owner, []).append((start, end, written, written + len(content)))
        written += len(content)
        last = end
    out.append(text[last:])
    return "".join(out), [f for f, _ in chosen], where


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
    """Outcome of fixing one text. ``rejected`` are findings whose fix was withdrawn because the lines it
    wrote carried a finding that was not there before (see :func:`fix_text`)."""

    text: str
    applied: list[Diagnostic] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)
    passes: int = 0
    converged: bool = True
    rejected: list[Diagnostic] = field(default_factory=list)


def wanted(diagnostic: Diagnostic, unsafe: bool) -> bool:
    return diagnostic.fix is not None and (unsafe or diagnostic.fix.is_safe)


_FixKey = tuple[str, tuple[tuple[str, str], ...]]


def _fix_key(positions: Positions, text: str, fix: Fix) -> _FixKey:
    """What a fix does, independent of where the text around it has moved: the replaced text and the
    replacement of each edit (a rejected fix is recognised again in later passes by this key)."""
    spans = []
    for edit in fix.edits:
        start, end = _offsets(positions, edit)
        spans.append((text[start:end], edit.content))
    return fix.title, tuple(spans)


#: Codes that name the same problem of a line in another form: a module migration blocked by a removed name
#: (KC109) becomes the removed name's own finding (KC103) once the fix replaced its last use, and the
#: migration's next pass drops the import. Not a problem the fix introduced.
_SAME_PROBLEM: dict[str, tuple[str, ...]] = {"KC109": ("KC109", "KC103")}

#: Findings that a fix may leave on its lines when they carry a fix of their own that the run applies next:
#: replacing the last ``merge(...)`` call leaves ``merge`` an unused import of a removed module (KC103), whose
#: own fix drops it. That fix is validated in its pass like any other.
_FIXED_NEXT = frozenset({"KC103"})


def introduced(before: list[Diagnostic], after: list[Diagnostic], old_positions: Positions,
               new_positions: Positions, applied: list[Fix],
               spans: dict[int, list[tuple[int, int, int, int]]], unsafe: bool = True) -> list[Fix]:
    """The applied fixes whose written lines carry a finding (by code) that the lines they replaced did not.

    A fix that writes a name the target lacks (KC106), a second Keras flavour (KC102), a private path (KC103)
    or anything else a rule objects to is caught here, whatever rule built it. ``spans``: see :func:`_apply`."""
    codes_before: dict[int, set[str]] = {}
    for d in before:
        codes_before.setdefault(d.line, set()).update(_SAME_PROBLEM.get(d.code, (d.code,)))
    codes_after: dict[int, set[str]] = {}
    for d in after:
        if not (d.code in _FIXED_NEXT and wanted(d, unsafe)):
            codes_after.setdefault(d.line, set()).add(d.code)
    bad = []
    for fix in applied:
        old_codes: set[str] = set()
        new_codes: set[str] = set()
        for old_start, old_end, new_start, new_end in spans.get(id(fix), ()):
            for n in range(old_positions.line_of(old_start), old_positions.line_of(old_end) + 1):
                old_codes |= codes_before.get(n, set())
            last = new_positions.line_of(max(new_start, new_end - 1))
            for n in range(new_positions.line_of(new_start), last + 1):
                new_codes |= codes_after.get(n, set())
        if new_codes - old_codes:
            bad.append(fix)
    return bad


def _parses(text: str, compiles: bool = False) -> Exception | None:
    """The error that makes ``text`` unusable, or None. With ``compiles``, the compiler's own checks too (a
    keyword argument repeated by two fixes parses but does not compile); nothing is executed. Code nested
    deeper than the compiler (or parser) can follow is unusable too, not a crash: Python 3.10's parser builds
    the tree of 5,000 nested ``not`` that its compiler then refuses with a RecursionError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences etc.: not ours to print
            if compiles:
                compile(text, "<fixed>", "exec", dont_inherit=True)
            else:
                ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return exc
    return None


def fix_text(text: str, filename: str = "<string>", settings: Settings | None = None, *,
             unsafe: bool = False, max_passes: int = MAX_PASSES,
             skip: Callable[[Diagnostic, str], bool] | None = None,
             lint: Callable[[str], list[Diagnostic]] | None = None) -> FixResult:
    """Lint and fix ``text`` until no fixable finding remains; raise :class:`FixError` on broken output.

    Every pass is validated by linting its result (the lint the next pass needs anyway): a fix whose
    written lines now carry a finding that the lines it replaced did not is withdrawn, the pass is redone
    without it, and it is not offered again (:attr:`FixResult.rejected`). Several findings may share one
    fix (a module's import migration): it is applied once, and not at all when one of them is skipped.

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
    compiles: bool | None = None  # whether the user's text compiles: then the fixed text must too (asked once)
    found = lint(current)
    rejected: set[_FixKey] = set()
    blamed_once: set[_FixKey] = set()
    for _ in range(max_passes):
        positions = Positions(current)
        groups = _candidates(found, unsafe, skip, current)
        candidates = [fix for fix in groups if _fix_key(positions, current, fix) not in rejected]
        if not candidates:
            result.remaining = found
            break
        result.passes += 1
        while True:
            new, applied, spans = _apply(current, candidates)
            if new == current:
                break
            if compiles is None:
                compiles = _parses(text, compiles=True) is None
            error = _parses(new, compiles)
            if error is not None:
                raise FixError(f"fixes produced invalid Python ({error})",
                               [d.code for f in applied for d in groups[f][:1]])
            after = lint(new)
            bad = introduced(found, after, positions, Positions(new), applied, spans, unsafe)
            if not bad:
                break
            for fix in bad:
                key = _fix_key(positions, current, fix)
                if len(bad) == 1 or key in blamed_once or _alone_on_lines(fix, bad):
                    rejected.add(key)
                    result.rejected.extend(groups[fix])
                blamed_once.add(key)
            dropped = {id(f) for f in bad}
            candidates = [f for f in candidates if id(f) not in dropped]
        if new == current:
            result.remaining = found
            break
        result.applied.extend(d for f in applied for d in groups[f])
        current, found = new, after
    else:
        result.converged = False
        result.remaining = found
    if rejected:  # what is left is reported without the fixes that were withdrawn
        positions = Positions(current)
        result.remaining = [replace(d, fix=None) if d.fix is not None and _fix_key(positions, current, d.fix)
                            in rejected else d for d in result.remaining]
    result.text = current
    return result


def _alone_on_lines(fix: Fix, bad: list[Fix]) -> bool:
    """Whether no other blamed fix edits a line this one edits (then the blame is certainly its own)."""
    lines = {n for e in fix.edits for n in range(e.line, e.end_line + 1)}
    return not any(other is not fix and lines & {n for e in other.edits for n in range(e.line, e.end_line + 1)}
                   for other in bad)


def _candidates(found: list[Diagnostic], unsafe: bool, skip: Callable[[Diagnostic, str], bool] | None,
                current: str) -> dict[Fix, list[Diagnostic]]:
    """The fixes to apply, each with the findings that carry it (in source order); a fix shared by several
    findings is left out when any of them is skipped (a suppressed line must not be rewritten)."""
    groups: dict[Fix, list[Diagnostic]] = {}
    for d in found:
        if wanted(d, unsafe):
            groups.setdefault(d.fix, []).append(d)  # type: ignore[arg-type]
    if skip is not None:
        groups = {fix: ds for fix, ds in groups.items() if not any(skip(d, current) for d in ds)}
    return groups


def validate_fixes(text: str, found: list[Diagnostic], lint: Callable[[str], list[Diagnostic]],
                   max_rounds: int = 3) -> list[Diagnostic]:
    """``found`` with every fix withdrawn that :func:`fix_text` would reject: what review suggestions, SARIF
    fixes and the ``help:`` lines offer is what ``--fix`` would apply.

    Each round applies the fixes not judged yet that do not overlap (safe and unsafe alike) to ``text``, lints
    the result once and blames the fixes whose written lines carry a new finding; fixes blamed together on
    shared lines are judged again one by one. A fix whose combination would not parse is judged alone too."""
    fixes = {d.fix for d in found if d.fix is not None}
    if not fixes:
        return found
    positions = Positions(text)
    compiles = _parses(text, compiles=True) is None
    pending = sorted(fixes, key=lambda f: min((e.line, e.col) for e in f.edits) if f.edits else (0, 0))
    bad: set[Fix] = set()
    alone = False
    for _ in range(max_rounds * 2):
        if not pending:
            break
        if alone:
            batches = [[fix] for fix in pending]
        else:
            batches = [pending]
        retry: list[Fix] = []
        for batch in batches:
            new, applied, spans = _apply(text, batch)
            taken = {id(f) for f in applied}
            unapplied = [f for f in batch if id(f) not in taken]
            if _parses(new, compiles) is not None:
                if len(applied) == 1:
                    bad.update(applied)
                else:
                    retry.extend(applied)
                retry.extend(unapplied)
                continue
            blamed = introduced(found, lint(new), positions, Positions(new), applied, spans) if new != text else []
            for fix in blamed:
                if len(applied) == 1 or _alone_on_lines(fix, blamed):
                    bad.add(fix)
                else:
                    retry.append(fix)
            retry.extend(unapplied)
        alone = bool(retry) and {id(f) for f in retry} == {id(f) for f in pending}
        pending = retry
    bad.update(pending)  # not judged within the rounds: not offered
    return [replace(d, fix=None) if d.fix in bad else d for d in found]
