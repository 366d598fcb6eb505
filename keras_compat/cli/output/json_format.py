"""``--format json``: one JSON array of findings (a stable subset of what issue 5 specifies).

Lines are 1-based; ``column``/``end_column`` are 1-based characters (``end`` exclusive, like ruff's
JSON). Edits use the same convention.
"""

from __future__ import annotations

import json
from typing import TextIO

from keras_compat.cli.model import Report
from keras_compat.cli.output import Style
from keras_compat.diagnostics import Diagnostic
from keras_compat.registry import REGISTRY


def finding(path: str, d: Diagnostic, unsafe_fixes: bool, suppressed: bool = False) -> dict:
    rule = REGISTRY.get(d.code)
    fix = None
    if d.fix is not None:
        fix = {
            "title": d.fix.title,
            "applicability": d.fix.safety.value,
            "applies": unsafe_fixes or d.fix.is_safe,
            "edits": [{"line": e.line, "column": e.col + 1, "end_line": e.end_line,
                       "end_column": e.end_col + 1,
                       "content": e.content} for e in d.fix.edits],
        }
    return {
        "filename": path, "code": d.code, "symbol": rule.symbol if rule else "unknown",
        "severity": rule.severity.value if rule else "error", "message": d.message,
        "line": d.line, "column": d.col + 1, "end_line": d.end_line, "end_column": d.end_col + 1,
        "fix": fix, "suppressed": suppressed,
    }


def write(report: Report, stream: TextIO, style: Style) -> None:
    unsafe = report.options.unsafe_fixes
    out = []
    for result in report.results:
        out.extend(finding(result.path, d, unsafe) for d in result.diagnostics)
        if style.show_suppressed:
            out.extend(finding(result.path, d, unsafe, True) for d in result.suppressed)
    json.dump(out, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
