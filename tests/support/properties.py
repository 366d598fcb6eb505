"""Properties every finding must have on any input (used by the hostile-input and fuzz tests).

* no ``KC000`` (an exception inside keras-compat);
* every position inside the file: lines ``1..n`` as Python's tokenizer counts them, columns within the line
  (the end of the line included), start not after end; the same for every fix edit;
* the fixer's output parses (``fix_text`` raises :class:`~keras_compat.fixes.FixError` instead of
  returning broken code, and the CLI then leaves the file alone, so a ``FixError`` is acceptable; broken
  output returned as a result is not).
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable

from keras_compat.diagnostics import Diagnostic
from keras_compat.fixes import FixError, fix_text
from keras_compat.settings import Settings
from keras_compat.source import SourceError, decode, physical_lines


def text_of(source: str | bytes) -> str | None:
    """The decoded text (None when it cannot be decoded, where only line 1..n of the bytes are checked)."""
    if isinstance(source, str):
        return source
    try:
        return decode(source).text
    except SourceError:
        return None


def position_problems(source: str | bytes, diagnostics: Iterable[Diagnostic]) -> list[str]:
    """Positions that are not inside ``source``; empty when all are."""
    text = text_of(source)
    if text is None:  # undecodable: only the line can be checked, against the raw bytes
        n = max(1, len(source.splitlines()))  # type: ignore[union-attr]
        return [f"{d.code} line {d.line} outside 1..{n}" for d in diagnostics if not 1 <= d.line <= n]
    lines = [line.rstrip("\r\n") for line in physical_lines(text)] or [""]
    problems = []

    def check(what: str, line: int, col: int, end_line: int, end_col: int) -> None:
        for ln, c in ((line, col), (end_line, end_col)):
            if not 1 <= ln <= len(lines):
                problems.append(f"{what}: line {ln} outside 1..{len(lines)}")
            elif not 0 <= c <= len(lines[ln - 1]):
                problems.append(f"{what}: column {c} outside 0..{len(lines[ln - 1])} on line {ln}")
        if (line, col) > (end_line, end_col):
            problems.append(f"{what}: start {(line, col)} after end {(end_line, end_col)}")

    for d in diagnostics:
        check(d.code, d.line, d.col, d.end_line, d.end_col)
        if d.fix is not None:
            for edit in d.fix.edits:
                check(f"{d.code} fix edit", edit.line, edit.col, edit.end_line, edit.end_col)
    return problems


def assert_sound(source: str | bytes, diagnostics: list[Diagnostic], where: str = "") -> None:
    internal = [d.message for d in diagnostics if d.code == "KC000"]
    assert not internal, f"{where}: KC000 {internal}"
    problems = position_problems(source, diagnostics)
    assert not problems, f"{where}: {problems}"


def assert_fix_parses(text: str, settings: Settings | None = None, where: str = "") -> str | None:
    """Fix ``text`` (unsafe fixes included); the result must parse. Returns the fixed text (None: FixError)."""
    try:
        result = fix_text(text, "fuzz.py", settings, unsafe=True)
    except FixError:
        return None  # the fixer refused its own broken output: the CLI keeps the file as it was
    if result.text != text:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ast.parse(result.text)
            except (SyntaxError, ValueError) as exc:  # pragma: no cover - this is the bug being hunted
                raise AssertionError(f"{where}: fixed text does not parse: {exc}\n{result.text}") from None
    assert_sound(result.text, result.remaining, f"{where} (after fixing)")
    return result.text


# -- what a fix must never introduce (issue 20) ----------------------------------------------------------------

#: Findings a fix must never introduce on the lines it wrote: a second Keras library, a private path, a name
#: the target lacks, a tf.keras spelling under keras3.
WATCHED = ("KC102", "KC103", "KC106", "KC107")


def _families(text: str, target: str) -> set[str]:
    """Keras libraries a module uses outside compatibility code (guarded imports, version switches), as KC102
    counts them: under ``tf-keras`` standalone ``keras`` is one library and ``tensorflow.keras``/``tf_keras``
    another; under ``keras3`` ``keras`` and ``tensorflow.keras`` are both Keras 3 (TensorFlow >= 2.16), and
    ``tf_keras`` is Keras 2. ``tensorflow.python.keras`` is its own library under both."""
    from keras_compat.context import Context
    from keras_compat.names import Flavour

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return set()
    try:
        ctx = Context(tree, text, Settings(target=target), "m.py")
        found = {r.keras.flavour for r in ctx.imports
                 if r.keras is not None and not (r.guard.guarded and r.guard.alternatives)}
        if any(a.attr == "keras" and ctx.qualname(a) == "tensorflow.keras" and not ctx.in_compat_branch(a)
               for a in ctx.attributes):  # code in a version switch is compatibility code, like guarded imports
            found.add(Flavour.TF_KERAS)
    except RecursionError:
        return set()
    if target == "keras3":
        family = {Flavour.KERAS: "Keras 3", Flavour.TF_KERAS: "Keras 3", Flavour.TF_KERAS_PKG: "tf_keras"}
    else:
        family = {Flavour.KERAS: "standalone keras", Flavour.TF_KERAS: "tf.keras", Flavour.TF_KERAS_PKG: "tf.keras"}
    return {family.get(f, f.value) for f in found}


def mixes(text: str, target: str = "tf-keras") -> bool:
    """Whether a module uses two Keras libraries (standalone ``keras`` and ``tensorflow.keras`` under tf-keras)."""
    return len(_families(text, target)) > 1


def introduced_findings(before: str, after: str, settings: Settings | None) -> list[str]:
    """Findings of :data:`WATCHED` codes on lines the fix changed that the lines it replaced did not have,
    and a module left mixing two Keras libraries that did not before."""
    import difflib

    from keras_compat.engine import lint_source

    old_lines, new_lines = before.splitlines(), after.splitlines()
    by_line_before: dict[int, set[str]] = {}
    for d in lint_source(before, "m.py", settings):
        by_line_before.setdefault(d.line, set()).add(d.code)
    by_line_after: dict[int, set[str]] = {}
    for d in lint_source(after, "m.py", settings):
        by_line_after.setdefault(d.line, set()).add(d.code)
    problems = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        had = set().union(*(by_line_before.get(n + 1, set()) for n in range(i1, i2)))
        for n in range(j1, j2):
            for code in sorted(by_line_after.get(n + 1, set()) & set(WATCHED) - had):
                problems.append(f"{code} introduced on line {n + 1}: {new_lines[n]!r}")
    target = settings.target if settings is not None else "tf-keras"
    if mixes(after, target) and not mixes(before, target):
        problems.append("the fix left the module mixing two Keras libraries")
    return problems


def assert_migration_sound(text: str, settings: Settings | None, where: str = "") -> None:
    """``--fix --unsafe-fixes`` introduces no watched finding on the lines it wrote, never leaves a module
    mixing two Keras libraries, and fixing the result again changes nothing."""
    try:
        result = fix_text(text, "m.py", settings, unsafe=True)
    except FixError:
        return
    if result.text == text:
        return
    problems = introduced_findings(text, result.text, settings)
    assert not problems, f"{where}: {problems}\n--- before\n{text}\n--- after\n{result.text}"
    if result.converged:
        again = fix_text(result.text, "m.py", settings, unsafe=True)
        assert again.text == result.text, f"{where}: fixing twice changed the text again"
