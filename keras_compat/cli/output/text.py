"""The default human-readable format, like flake8 and ruff.

``path:line:col: KC201 [*] message`` with a 1-based *character* column (the core's 0-based character
column + 1; flake8 shows the same number for ASCII lines). ``[*]`` marks a finding whose fix applies with
the current flags (``--fix``, plus ``--unsafe-fixes`` for unsafe ones); every finding with a fix gets a
``help:`` line with the fix title. The source line and a caret under the range follow each finding, as in
ruff (``--no-show-source`` leaves them out). With ``style.color`` (``--color``), ANSI colours as ruff's:
bold path, code in red, ``[*]`` and ``help:`` in cyan, the caret in red.
"""

from __future__ import annotations

from typing import TextIO

from keras_compat.cli.model import CellMap, Report
from keras_compat.cli.output import Style
from keras_compat.diagnostics import Diagnostic
from keras_compat.registry import REGISTRY


BOLD, RED, CYAN, DIM, RESET = "\x1b[1m", "\x1b[31m", "\x1b[36m", "\x1b[2m", "\x1b[0m"


def _paint(text: str, color: bool, *codes: str) -> str:
    return f"{''.join(codes)}{text}{RESET}" if color and text else text


def _excerpt(line_text: str, d: Diagnostic) -> list[str]:
    expanded = line_text.expandtabs(8) if "\t" in line_text else line_text
    start = len(line_text[:d.col].expandtabs(8)) if "\t" in line_text else d.col
    if d.end_line == d.line and d.end_col > d.col:
        end = len(line_text[:d.end_col].expandtabs(8)) if "\t" in line_text else d.end_col
    else:
        end = max(start + 1, len(expanded.rstrip()))
    width = max(1, end - start)
    return [f"    {expanded}", f"    {' ' * start}{'^' * width}"]


def format_diagnostic(path: str, d: Diagnostic, unsafe_fixes: bool, suppressed: bool = False,
                      cells: CellMap | None = None, color: bool = False) -> str:
    """``path:line:col: CODE message``; in a notebook ``path:cell N:line:col: ...`` (line in the cell)."""
    applies = d.fix is not None and (unsafe_fixes or d.fix.is_safe)
    mark = _paint("[*]", color, CYAN) + " " if applies and not suppressed else ""
    tail = _paint("  (suppressed by noqa)", color, DIM) if suppressed else ""
    where = f"{d.line}:{d.col + 1}"
    if cells is not None:
        number, line = cells.locate(d.line)
        where = f"cell {number}:{line}:{d.col + 1}"
    return f"{_paint(path, color, BOLD)}:{where}: {_paint(d.code, color, BOLD, RED)} {mark}{d.message}{tail}"


def write(report: Report, stream: TextIO, style: Style) -> None:
    unsafe = report.options.unsafe_fixes
    color = style.color
    for result in report.results:
        if result.diff:
            stream.write(result.diff)
    if report.options.diff:
        return
    for result in report.results:
        entries = [(d, False) for d in result.diagnostics]
        if style.show_suppressed:
            entries += [(d, True) for d in result.suppressed]
        for d, suppressed in sorted(entries, key=lambda e: e[0].sort_key()):
            stream.write(format_diagnostic(result.path, d, unsafe, suppressed, result.notebook, color) + "\n")
            if style.show_source and d.line in result.lines:
                source, caret = (line.rstrip() for line in _excerpt(result.lines[d.line], d))
                stream.write(f"{source}\n" if source.strip() else "\n")
                marks = caret.lstrip(" ")
                stream.write(f"{caret[:len(caret) - len(marks)]}{_paint(marks, color, RED)}\n")
            if d.fix is not None and not suppressed:
                extra = "" if d.fix.is_safe or unsafe else " (unsafe fix: use --unsafe-fixes)"
                stream.write(f"  {_paint('help:', color, BOLD, CYAN)} {d.fix.title}{extra}\n")
    if style.statistics:
        for code, count in report.statistics():
            rule = REGISTRY.get(code)
            stream.write(f"{count:6d}  {code}  {rule.symbol if rule else ''}\n")
