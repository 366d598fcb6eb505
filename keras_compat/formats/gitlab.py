"""GitLab Code Quality report (``artifacts: reports: codequality``): a JSON array of issues.

Each issue has ``description`` ("KC201 renamed-keras-argument: message"), ``check_name`` (the code),
``fingerprint`` (unique in the report, stable across unrelated edits: path + the shared fingerprint,
which hashes the code and the normalised line text, never the line number), ``severity``
(error -> ``major``, warning -> ``minor``, convention/info -> ``info``), ``location.path`` (relative,
forward slashes) and ``location.lines.begin``/``end``. GitLab reads lines only, so no columns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from keras_compat.formats import TOOL_NAME, Finding, fingerprints

SEVERITIES = {"error": "major", "warning": "minor", "convention": "info", "info": "info"}


def render(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    prints = fingerprints(findings)
    out = []
    for f in findings:
        path = PurePath(f.path).as_posix()
        fingerprint = hashlib.sha256(f"{path}\0{prints[id(f)]}".encode()).hexdigest()
        title = f"{f.code} {f.symbol}".strip()
        out.append({
            "type": "issue",
            "engine_name": TOOL_NAME,
            "check_name": f.code,
            "description": f"{title}: {f.message}",
            "categories": ["Bug Risk" if f.severity == "error" else "Compatibility"],
            "fingerprint": fingerprint,
            "severity": SEVERITIES.get(f.severity, "major"),
            "location": {"path": path, "lines": {"begin": max(1, f.line),
                                                 "end": max(f.line, f.end_line or f.line)}},
        })
    return out
