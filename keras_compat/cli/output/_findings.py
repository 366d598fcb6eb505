"""Report -> :class:`keras_compat.formats.Finding` list, shared by the annotation formats."""

from __future__ import annotations

from keras_compat.cli.model import Report
from keras_compat.formats import Finding, from_diagnostic


def findings(report: Report) -> list[Finding]:
    unsafe = report.options.unsafe_fixes
    out = []
    for result in report.results:
        for d in sorted(result.diagnostics, key=lambda d: d.sort_key()):
            out.append(from_diagnostic(result.path, d, result.lines, unsafe))
    return out
