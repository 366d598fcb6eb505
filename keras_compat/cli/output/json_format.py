"""``--format json``: one JSON array of findings (a stable subset of what issue 5 specifies).

Lines are 1-based; ``column``/``end_column`` are 1-based characters (``end`` exclusive, like ruff's
JSON). Edits use the same convention. In a notebook every finding and edit also has ``cell`` (1-based
among all cells, as ruff counts) and its lines are lines within that cell.
"""

from __future__ import annotations

import json
from typing import TextIO

from keras_compat.cli.model import CellMap, Report
from keras_compat.cli.output import Style
from keras_compat.diagnostics import Diagnostic
from keras_compat.registry import REGISTRY


def _span(cells: CellMap | None, line: int, col: int, end_line: int, end_col: int) -> dict:
    """Positions as written: 1-based columns; in a notebook ``cell`` first and lines within the cell."""
    if cells is None:
        return {"line": line, "column": col + 1, "end_line": end_line, "end_column": end_col + 1}
    number, start = cells.locate(line)
    end_number, end = cells.locate(end_line)
    return {"cell": number, "line": start, "column": col + 1,
            "end_line": end if end_number == number else start, "end_column": end_col + 1}


def finding(path: str, d: Diagnostic, unsafe_fixes: bool, suppressed: bool = False,
            cells: CellMap | None = None) -> dict:
    rule = REGISTRY.get(d.code)
    fix = None
    if d.fix is not None:
        fix = {
            "title": d.fix.title,
            "applicability": d.fix.safety.value,
            "applies": unsafe_fixes or d.fix.is_safe,
            "edits": [{**_span(cells, e.line, e.col, e.end_line, e.end_col), "content": e.content}
                      for e in d.fix.edits],
        }
    return {
        "filename": path, "code": d.code, "symbol": rule.symbol if rule else "unknown",
        "severity": rule.severity.value if rule else "error", "message": d.message,
        **_span(cells, d.line, d.col, d.end_line, d.end_col),
        "fix": fix, "suppressed": suppressed,
    }


def write(report: Report, stream: TextIO, style: Style) -> None:
    unsafe = report.options.unsafe_fixes
    out = []
    for result in report.results:
        out.extend(finding(result.path, d, unsafe, cells=result.notebook) for d in result.diagnostics)
        if style.show_suppressed:
            out.extend(finding(result.path, d, unsafe, True, result.notebook) for d in result.suppressed)
    json.dump(out, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
