"""Work counted as function calls, per rule: how the linearity tests see a quadratic path.

A count of Python and C function calls is deterministic (no clock, so no flakiness on a loaded machine) and
a loop that is quadratic in the input shows as a quadratic count. :func:`calls_per_rule` attributes the
calls made inside each rule's check (which computes the rule's fixes too) to that rule; the shared setup
(parsing, the context's indexes, the scopes) is counted as ``"setup"``. While counting, nodes compare through
a Python function (:func:`_same`), so that a scan of a statement list, a loop inside C, counts too.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from keras_compat import engine
from keras_compat.diagnostics import Diagnostic
from keras_compat.registry import Rule
from keras_compat.settings import Settings

SETUP = "setup"


def count_calls(fn: Callable[[], object]) -> int:
    """Python and C function calls made by ``fn()``."""
    count = 0

    def profile(frame, event, arg) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def calls_per_rule(text: str, settings: Settings, filename: str = "concatenated.py",
                   monkeypatch=None) -> tuple[Counter[str], list[Diagnostic]]:
    """Calls made inside each rule's check while linting ``text`` (rules by code; the rest under
    :data:`SETUP`), and the findings. ``monkeypatch``: pytest's fixture, which wraps the engine's rule call."""
    counts: Counter[str] = Counter()
    current = [SETUP]

    def profile(frame, event, arg) -> None:
        if event in ("call", "c_call"):
            counts[current[0]] += 1

    real = engine._run_rule

    def run_rule(rule: Rule, ctx):
        current[0] = rule.code
        try:
            return real(rule, ctx)
        finally:
            current[0] = SETUP

    monkeypatch.setattr(engine, "_run_rule", run_rule)
    monkeypatch.setattr(ast.AST, "__eq__", _same, raising=False)
    sys.setprofile(profile)
    try:
        found = engine.lint_source(text, filename, settings)
    finally:
        sys.setprofile(None)
        monkeypatch.setattr(engine, "_run_rule", real)
        monkeypatch.undo()
    return counts, found


def _same(node: ast.AST, other: object) -> bool:
    """Nodes compare by identity, as always, but through a Python call: a scan of a list of nodes
    (``child in parent.body``) is C code that makes no call of its own; comparing each item this way makes
    it visible to the count, one call per item looked at."""
    return node is other


def concatenable(text: str) -> str | None:
    """``text`` made fit to be pasted after other modules: ``from __future__`` imports (legal only at the
    top) blanked; None when it does not parse (Python 2 code)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    lines = text.splitlines()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            for index in range(node.lineno - 1, node.end_lineno or node.lineno):
                lines[index] = ""
    return "\n".join(lines) + "\n"


def without_star_imports(text: str) -> bool:
    """Whether ``text`` can be indented into a function body (``import *`` is only legal at module level)."""
    return not any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names)
                   for n in ast.walk(ast.parse(text)))


def indented(text: str, header: str, footer: str = "") -> str:
    """``text`` as the body of a compound statement (``def main():``, ``try:``...)."""
    body = "".join(("    " + line if line.strip() else line) + "\n" for line in text.splitlines())
    return f"{header}\n    pass\n{body}{footer}"


def files_covering(findings: dict[Path, list[Diagnostic]], texts: dict[Path, str], codes: Iterable[str],
                   fixable: Iterable[str]) -> list[Path]:
    """A few files that together exercise each rule in ``codes`` (the smallest file where it fires) and the
    fixes of each rule in ``fixable`` (the file where it has the most fixes)."""
    chosen: list[Path] = []
    for code in codes:
        firing = [p for p, found in findings.items() if any(d.code == code for d in found)]
        if firing:
            chosen.append(min(firing, key=lambda p: (len(texts[p]), str(p))))
    for code in fixable:
        fixed = {p: sum(1 for d in found if d.code == code and d.fix) for p, found in findings.items()}
        best = max(fixed, key=lambda p: (fixed[p], -len(texts[p]), str(p)), default=None)
        if best is not None and fixed[best]:
            chosen.append(best)
    return sorted(set(chosen), key=str)
