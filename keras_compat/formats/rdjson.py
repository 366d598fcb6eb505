"""reviewdog's Reviewdog Diagnostic Format: ``rdjson`` (one DiagnosticResult) and ``rdjsonl`` (one
Diagnostic per line).

* Positions: 1-based lines and 1-based columns counted in **UTF-8 bytes** (reviewdog's
  ``proto/rdf/reviewdog.proto``); ``end`` is exclusive. Character columns are converted with the known
  source lines (ASCII assumed for a line that is not known).
* severity: error -> ``ERROR``, warning -> ``WARNING``, convention/info -> ``INFO``.
* ``code{value,url}`` links the rule's page; ``suggestions[]`` (range + replacement text) carry fixes
  that apply, so ``reviewdog -reporter=github-pr-review`` posts them as one-click suggested changes.
  Several edits of one fix on one line become a single suggestion spanning them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import Any

from keras_compat.diagnostics import Edit
from keras_compat.formats import INFORMATION_URI, TOOL_NAME, Finding, byte_column, rule_doc_uri

SEVERITIES = {"error": "ERROR", "warning": "WARNING", "convention": "INFO", "info": "INFO"}


def position(f: Finding, line: int, char_col: int) -> dict[str, int]:
    return {"line": line, "column": byte_column(f.lines.get(line), char_col)}


def _suggestions(f: Finding) -> list[dict[str, Any]]:
    assert f.fix is not None
    edits = sorted(f.fix.edits)
    one_line = {e.line for e in edits} | {e.end_line for e in edits}
    if len(edits) > 1 and len(one_line) == 1 and edits[0].line in f.lines:
        text = f.lines[edits[0].line]
        start, end = edits[0].col, edits[-1].end_col
        pieces, cursor = [], start
        for e in edits:
            pieces += [text[cursor:e.col], e.content]
            cursor = e.end_col
        edits = [Edit(edits[0].line, start, edits[0].line, end, "".join(pieces))]
    return [{"range": {"start": position(f, e.line, e.col), "end": position(f, e.end_line, e.end_col)},
             "text": e.content} for e in edits]


def diagnostic(f: Finding, with_source: bool = False) -> dict[str, Any]:
    rng: dict[str, Any] = {"start": {"line": max(1, f.line)}}
    if f.col is not None:
        rng["start"] = position(f, max(1, f.line), f.col)
        if f.end_line is not None and f.end_col is not None:
            rng["end"] = position(f, f.end_line, f.end_col)
    out: dict[str, Any] = {
        "message": f.message,
        "location": {"path": PurePath(f.path).as_posix(), "range": rng},
        "severity": SEVERITIES.get(f.severity, "ERROR"),
        "code": {"value": f.code},
    }
    url = rule_doc_uri(f.code)
    if url:
        out["code"]["url"] = url
    if with_source:
        out["source"] = {"name": TOOL_NAME, "url": INFORMATION_URI}
    if f.fix is not None:
        out["suggestions"] = _suggestions(f)
    return out


def render(findings: Sequence[Finding]) -> dict[str, Any]:
    """``-f=rdjson``: a DiagnosticResult."""
    return {"source": {"name": TOOL_NAME, "url": INFORMATION_URI},
            "diagnostics": [diagnostic(f) for f in findings]}


def render_lines(findings: Sequence[Finding]) -> Iterator[str]:
    """``-f=rdjsonl``: one Diagnostic JSON object per line."""
    for f in findings:
        yield json.dumps(diagnostic(f, with_source=True), ensure_ascii=False)
