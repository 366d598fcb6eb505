"""Checking and fixing one Jupyter notebook for the CLI (the notebook counterpart of ``runner._process``).

The code cells become one module (:mod:`keras_compat.notebook`), which the core analyses like a ``.py``
file; findings keep their module lines and the result carries a :class:`~keras_compat.cli.model.CellMap`
that the output formats use to show cells. ``# noqa`` comments work per line inside cells. Fixes run on
the module, are split back into cells and spliced into the original JSON text; the same safety rules as
for ``.py`` files apply (the fixed cells must parse, the write is atomic and checks that the file did not
change meanwhile, a second run changes nothing).
"""

from __future__ import annotations

from pathlib import Path

from keras_compat import notebook as nb
from keras_compat.cli import cache as cache_mod
from keras_compat.cli import noqa
from keras_compat.cli.model import CellMap, FileResult, RunOptions
from keras_compat.cli.writer import WriteError, atomic_write, digest
from keras_compat.diagnostics import Diagnostic
from keras_compat.engine import UNPARSABLE, lint_source
from keras_compat.fixes import FixError, fix_text, wanted
from keras_compat.registry import REGISTRY
from keras_compat.settings import Settings
from keras_compat.source import physical_lines

SUFFIX = ".ipynb"


def is_notebook(path: str) -> bool:
    return path.lower().endswith(SUFFIX)


def _failure(reason: str) -> Diagnostic:
    return Diagnostic(UNPARSABLE, REGISTRY[UNPARSABLE].render(reason=reason), 1, 0, 1, 0, None,
                      {"reason": reason})


def _analyse(module: nb.Module, shown: str, settings: Settings) -> list[Diagnostic]:
    from keras_compat.cli import runner  # late: runner imports this module

    return nb.relocate_imports(module.text, runner.analyse(module.text, shown, settings))


def process_notebook(data: bytes, shown: str, relpath: str, settings: Settings, options: RunOptions,
                     store: cache_mod.Cache | None, disk: str | None) -> FileResult:
    result = FileResult(shown)
    try:
        notebook = nb.read(data)
    except nb.NotebookError as exc:
        result.diagnostics = [_failure(str(exc))] if settings.enabled(UNPARSABLE) else []
        return result
    result.notes.extend(notebook.warnings)
    if not notebook.is_python:
        result.notebook = CellMap(())
        return result
    module = nb.build(notebook)
    key = store.entry_key(data, relpath, settings, shown) if store is not None else None
    found = store.get(key) if store is not None and key is not None else None
    if found is None:
        found = _analyse(module, shown, settings)
        if store is not None and key is not None and store.put(key, found):
            result.cache_key = key
    else:
        result.cached = True
        result.cache_key = key
    found = sorted([*module.errors(settings.enabled(UNPARSABLE)), *found], key=Diagnostic.sort_key)

    noqa_map = noqa.build(module.text)
    if (options.fix or options.diff) and any(
            wanted(d, options.unsafe_fixes) and not noqa_map.suppresses(d) for d in found):
        module, found = _fix(data, module, found, shown, relpath, settings, options, store, disk, result)
        noqa_map = noqa.build(module.text)

    for d in found:
        (result.suppressed if noqa_map.suppresses(d) else result.diagnostics).append(d)
    if options.add_noqa and result.diagnostics:
        module = _add_noqa(data, module, shown, relpath, settings, store, disk, result)
    result.notebook = _cell_map(module, result)
    if result.diagnostics:
        lines = physical_lines(module.display)
        wanted_lines = {n for d in result.diagnostics for n in (d.line, d.end_line)}
        wanted_lines |= {n for d in result.diagnostics if d.fix for e in d.fix.edits for n in (e.line,
                                                                                               e.end_line)}
        result.lines = {n: lines[n - 1].rstrip("\r\n") for n in wanted_lines if 1 <= n <= len(lines)}
    return result


def _cell_map(module: nb.Module, result: FileResult) -> CellMap:
    """Cells plus the .ipynb positions of every finding's start and end (for the annotation formats)."""
    cell_map = CellMap(module.cell_map())
    by_number = {c.cell.number: c.cell.source for c in module.code_cells}
    text_lines = module.notebook.text.split("\n")
    for d in (*result.diagnostics, *result.suppressed):
        for line, col in ((d.line, d.col), (d.end_line, d.end_col)):
            number, in_cell = cell_map.locate(line)
            where = nb.position_in_file(module.notebook, number, by_number.get(number, ""), in_cell, col)
            if where is not None:
                cell_map.positions[(line, col)] = where
                if where[0] <= len(text_lines):
                    cell_map.file_lines[where[0]] = text_lines[where[0] - 1].rstrip("\r")
    return cell_map


def _cell_diff(old: str, new: str, name: str) -> str:
    from keras_compat.cli.runner import unified_diff

    return unified_diff(old, new, name)


def _rewritten(module: nb.Module, text: str, what: str) -> tuple[dict[int, str], bytes, nb.Notebook]:
    """(changed cell sources, new file bytes, the new notebook) for new module ``text``: only the changed
    sources are spliced into the JSON text, and the result must read back as intended."""
    notebook = module.notebook
    sources = module.split(text)
    for number, source in sources.items():
        if nb.mask(source).status != "python":
            raise nb.NotebookError(f"cell {number} would not parse after {what}")
    new_text = nb.splice(notebook, sources)
    new_data = (b"\xef\xbb\xbf" if notebook.bom else b"") + new_text.encode("utf-8")
    new_notebook = nb.read(new_data)
    if [c.source for c in new_notebook.cells] != [sources.get(c.number, c.source) for c in notebook.cells]:
        raise nb.NotebookError("the rewritten notebook does not read back as intended")
    return sources, new_data, new_notebook


def _add_noqa(data: bytes, module: nb.Module, shown: str, relpath: str, settings: Settings,
              store: cache_mod.Cache | None, disk: str | None, result: FileResult) -> nb.Module:
    """``--add-noqa`` for a notebook: the comments go into the cells' sources, spliced like fixes."""
    if disk is None or module.notebook.spans is None:
        if disk is not None:
            result.notes.append(f"noqa comments not added: {module.notebook.why_not_fixable}")
        return module
    new_text, added, failed = noqa.add_comments(module.text, result.diagnostics)
    _noqa_notes(result, failed)
    if not added:
        return module
    try:
        _, new_data, new_notebook = _rewritten(module, new_text, "adding noqa comments")
        atomic_write(Path(disk), new_data, digest(data))
    except (nb.NotebookError, WriteError) as exc:
        result.notes.append(f"noqa comments not added: {exc}; the notebook is unchanged")
        return module
    _noqa_written(result, new_text, added)
    result.cache_key = None  # positions and findings are unchanged, but the bytes are new: analysed next time
    return nb.build(new_notebook)


def _noqa_notes(result: FileResult, failed: list[int]) -> None:
    for line in failed:
        result.notes.append(f"line {line}: no noqa comment added: a '# noqa' inside a string on that line is "
                            "read first (by flake8 too)")


def _noqa_written(result: FileResult, new_text: str, added: int) -> None:
    """Findings now suppressed by the comments written move from the report to the suppressed ones."""
    written = noqa.build(new_text)
    kept = [d for d in result.diagnostics if not written.suppresses(d)]
    result.suppressed += [d for d in result.diagnostics if written.suppresses(d)]
    result.diagnostics = kept
    result.noqa_added = added
    result.changed = True


def _fix(data: bytes, module: nb.Module, found: list[Diagnostic], shown: str, relpath: str,
         settings: Settings, options: RunOptions, store: cache_mod.Cache | None, disk: str | None,
         result: FileResult) -> tuple[nb.Module, list[Diagnostic]]:
    """Apply fixes; returns (the module now on disk or to show, its findings). Never raises for a fix problem."""
    notebook = module.notebook
    if notebook.spans is None:
        result.notes.append(f"fixes not applied: {notebook.why_not_fixable}; the notebook is unchanged")
        return module, found
    skip = noqa.suppression_check()

    def lint(current: str) -> list[Diagnostic]:
        return nb.relocate_imports(current, lint_source(current, shown, settings))

    try:
        fixed = fix_text(module.text, shown, settings, unsafe=options.unsafe_fixes, skip=skip, lint=lint)
    except FixError as exc:
        result.notes.append(f"fixes not applied ({', '.join(exc.codes)}): {exc}; the notebook is unchanged")
        return module, found
    if not fixed.converged:
        result.notes.append(f"fixes did not converge after {fixed.passes} passes; "
                            "the result parses but may still change on another run")
    if fixed.text == module.text:
        return module, found
    by_number = {c.cell.number: c for c in module.code_cells}
    try:
        sources, new_data, new_notebook = _rewritten(module, fixed.text, "fixing")
    except nb.NotebookError as exc:
        result.notes.append(f"fixes not applied: {exc}; the notebook is unchanged")
        return module, found
    new_module = nb.build(new_notebook)
    remaining = fixed.remaining if new_module.text == fixed.text else _analyse(new_module, shown, settings)
    remaining = sorted([*new_module.errors(settings.enabled(UNPARSABLE)), *remaining], key=Diagnostic.sort_key)
    codes = [d.code for d in fixed.applied]
    if options.diff:
        result.diff = "".join(_cell_diff(by_number[n].cell.source, sources[n], f"{shown}:cell {n}")
                              for n in sorted(sources))
    elif disk is None:  # stdin: the fixed notebook goes to stdout
        result.fixed_output = new_data
    else:
        try:
            atomic_write(Path(disk), new_data, digest(data))
        except WriteError as exc:
            result.notes.append(str(exc))
            return module, found
        result.cache_key = None  # the entry of the old content is stale now
        new_key = cache_mod.key(new_data, relpath, settings, shown)
        if store is not None and new_module.text == fixed.text and store.put(new_key, fixed.remaining):
            result.cache_key = new_key
    result.changed = True
    result.fixed = codes
    return new_module, remaining
