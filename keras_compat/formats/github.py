"""GitHub Actions workflow commands.

``::error file=...,line=...,endLine=...,col=...,endColumn=...,title=...::message``

* Levels: error -> ``error``, warning -> ``warning``, convention/info -> ``notice``.
* Columns are 1-based characters and are written only when the finding starts and ends on one line
  (GitHub ignores or misplaces ``col``/``endColumn`` on multi-line annotations). ``endColumn`` is the
  column after the last character (exclusive), like SARIF.
* Escaping follows actions/toolkit (``escapeData``/``escapeProperty``): ``%`` first, then CR and LF;
  property values additionally escape ``:`` and ``,``. A message can therefore never start a new command.
* GitHub shows at most 10 error and 10 warning annotations per step, so :func:`summary` gives a last,
  plain log line with how many annotations were emitted per level.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import PurePath

from keras_compat.formats import Finding

LEVELS = {"error": "error", "warning": "warning", "convention": "notice", "info": "notice"}
SHOWN_PER_STEP = 10


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(f: Finding) -> str:
    props = [("file", PurePath(f.path).as_posix()), ("line", str(max(1, f.line)))]
    if f.end_line is not None:
        props.append(("endLine", str(max(f.line, f.end_line))))
    if f.col is not None and f.end_line in (None, f.line):
        props.append(("col", str(f.col + 1)))
        if f.end_col is not None:
            props.append(("endColumn", str(max(f.end_col, f.col) + 1)))
    props.append(("title", f"{f.code} {f.symbol}".strip()))
    message = f.message
    if f.fix is not None:
        message += f"\n  help: {f.fix.title}"
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{LEVELS.get(f.severity, 'error')} {head}::{escape_data(message)}"


def summary(findings: Sequence[Finding], tool: str = "keras-compat") -> str:
    counts = Counter(LEVELS.get(f.severity, "error") for f in findings)
    parts = ", ".join(f"{counts[k]} {k}{'s' if counts[k] != 1 else ''}"
                      for k in ("error", "warning", "notice") if counts[k])
    text = f"{tool}: emitted {len(findings)} annotation{'s' if len(findings) != 1 else ''}"
    if parts:
        text += f" ({parts})"
    if any(n > SHOWN_PER_STEP for n in counts.values()):
        text += (f"; GitHub shows at most {SHOWN_PER_STEP} per level in one step: upload SARIF or use "
                 "reviewdog for the full list")
    return text


def render(findings: Sequence[Finding], tool: str = "keras-compat") -> Iterator[str]:
    """Lines to print (without newlines): one command per finding, then the summary line."""
    for f in findings:
        yield command(f)
    yield summary(findings, tool)
