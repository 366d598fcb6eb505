"""Report -> :class:`keras_compat.formats.Finding` list, shared by the annotation formats.

Findings in a notebook point at the ``.ipynb`` file itself: line and column are where the reported code
is in the notebook's JSON text (inside the cell's ``source`` string), so code scanning, PR annotations
and reviewdog mark the right line of the file, and the message starts with ``cell N, line L:`` (the
position a reader sees in Jupyter). Their fixes are not offered as suggestions (a suggestion would have
to edit JSON-escaped text); ``keras-compat check --fix`` applies them.
"""

from __future__ import annotations

from dataclasses import replace

from keras_compat.cli.model import FileResult, Report
from keras_compat.formats import Finding, from_diagnostic


def _in_notebook(result: FileResult, finding: Finding) -> Finding:
    cells = result.notebook
    assert cells is not None
    number, line = cells.locate(finding.line)
    start = cells.positions.get((finding.line, finding.col or 0))
    end = cells.positions.get((finding.end_line or finding.line, finding.end_col or 0))
    message = f"cell {number}, line {line}, column {(finding.col or 0) + 1}: {finding.message}"
    if start is None:
        return replace(finding, line=1, col=None, end_line=None, end_col=None, message=message, fix=None,
                       lines={})
    return replace(finding, line=start[0], col=start[1], end_line=end[0] if end else None,
                   end_col=end[1] if end else None, message=message, fix=None, lines=cells.file_lines)


def findings(report: Report, suppressed: bool = False) -> list[Finding]:
    """The reported findings; with ``suppressed``, also those hidden by ``# noqa`` (marked as such)."""
    unsafe = report.options.unsafe_fixes
    out = []
    for result in report.results:
        pairs = [(d, False) for d in result.diagnostics]
        if suppressed:
            pairs += [(d, True) for d in result.suppressed]
        for d, hidden in sorted(pairs, key=lambda pair: pair[0].sort_key()):
            finding = replace(from_diagnostic(result.path, d, result.lines, unsafe), suppressed=hidden)
            out.append(_in_notebook(result, finding) if result.notebook is not None else finding)
    return out
