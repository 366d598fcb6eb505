"""What a run produces, independent of how it is printed: per-file results and the run's summary.

Output formats (``keras_compat.cli.output.*``) receive a :class:`Report` and only format it; the
runner never prints. Everything here is picklable (results come back from worker processes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from keras_compat.diagnostics import Diagnostic

#: Findings meaning "this file could not be analysed" (exit status 2).
FAILURE_CODES = ("KC001",)


@dataclass
class CellMap:
    """Where the lines of a notebook's concatenated source come from (see ``keras_compat.notebook``).

    Findings of a notebook keep module lines; formats translate them: :meth:`locate` gives the cell
    (1-based among all cells, as ruff counts) and the line in it, ``positions`` the place in the
    ``.ipynb`` text (1-based line, 0-based character column) of each finding's start and end.
    """

    cells: tuple[tuple[int, int, int], ...]  # (first module line, cell number, lines), in module order
    positions: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    file_lines: dict[int, str] = field(default_factory=dict)  # .ipynb text lines at those positions

    def locate(self, line: int) -> tuple[int, int]:
        """(cell number, line in the cell) of a module line."""
        found = None
        for start, number, _ in self.cells:
            if start > line:
                break
            found = (number, line - start + 1)
        return found or (self.cells[0][1] if self.cells else 1, max(1, line))


@dataclass
class FileResult:
    """The outcome for one file."""

    path: str  # as displayed (relative to the current directory when below it)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # reported findings (after fixing)
    suppressed: list[Diagnostic] = field(default_factory=list)  # hidden by ``# noqa``
    fixed: list[str] = field(default_factory=list)  # codes of the findings fixed (or that would be)
    notes: list[str] = field(default_factory=list)  # problems to show: write failures, fix errors
    read_error: bool = False  # the file could not be read at all
    changed: bool = False  # fixes changed (or, with --diff, would change) the file
    diff: str = ""  # unified diff (--diff)
    fixed_output: bytes | None = None  # the fixed source for stdin with --fix
    lines: dict[int, str] = field(default_factory=dict)  # source lines for --show-source
    cached: bool = False
    cache_key: str | None = None  # the cache entry this file's findings are in now (None: none)
    noqa_added: int = 0  # lines given a ``# noqa`` comment (--add-noqa)
    seconds: float = 0.0  # wall time spent on this file (reading, analysis, fixing)
    notebook: CellMap | None = None  # set for .ipynb files: findings' lines are in the concatenated cells

    @property
    def failed(self) -> bool:
        """The file could not be read or parsed (exit status 2)."""
        return self.read_error or any(d.code in FAILURE_CODES for d in self.diagnostics)


@dataclass
class RunOptions:
    """The switches that change what happens to a file (sent to worker processes)."""

    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    show_source: bool = False
    cache_dir: str | None = None  # None: no cache
    root: str = "."
    max_file_seconds: float = 30.0  # per-file time limit (0: none); see keras_compat.cli.limits
    max_file_bytes: int = 5_000_000  # larger files are not read (0: no limit)
    add_noqa: bool = False  # write ``# noqa: CODES`` on each line with a finding (--add-noqa)
    # the output carries fix edits (SARIF fixes, reviewdog suggestions, JSON): offer only fixes that pass the
    # fixer's validation (keras_compat.fixes.validate_fixes: one more analysis of a file that has fixes)
    validate_fixes: bool = False


@dataclass
class Report:
    """A whole run: results in a stable order plus the options that produced them."""

    results: list[FileResult]
    options: RunOptions
    missing: list[str] = field(default_factory=list)

    def findings(self) -> list[tuple[FileResult, Diagnostic]]:
        return [(r, d) for r in self.results for d in r.diagnostics]

    def counts(self) -> dict[str, int]:
        unsafe_ok = self.options.unsafe_fixes
        reported = [d for _, d in self.findings()]
        fixable_now = sum(1 for d in reported if d.fix is not None and (unsafe_ok or d.fix.is_safe))
        fixable_unsafe = sum(1 for d in reported if d.fix is not None and not d.fix.is_safe and not unsafe_ok)
        return {
            "files": len(self.results),
            "findings": len(reported),
            "fixed": sum(len(r.fixed) for r in self.results),
            "files_changed": sum(1 for r in self.results if r.changed),
            "fixable": fixable_now,
            "fixable_unsafe": fixable_unsafe,
            "manual": len(reported) - fixable_now - fixable_unsafe,
            "suppressed": sum(len(r.suppressed) for r in self.results),
            "failed": sum(1 for r in self.results if r.failed),
            "cached": sum(1 for r in self.results if r.cached),
            "noqa_added": sum(r.noqa_added for r in self.results),
            "files_noqa": sum(1 for r in self.results if r.noqa_added),
        }

    def statistics(self) -> list[tuple[str, int]]:
        counter = Counter(d.code for _, d in self.findings())
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))

    def exit_code(self) -> int:
        if self.missing or any(r.failed for r in self.results):
            return 2
        if self.options.diff:
            return 1 if any(r.changed for r in self.results) else 0
        return 1 if any(r.diagnostics for r in self.results) else 0
