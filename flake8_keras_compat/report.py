"""What the flake8 formatters do: ``flake8 --format=kc-github`` and ``flake8 --format=kc-sarif``.

They format *every* flake8 finding (not only KC codes) with the shared renderers in
:mod:`keras_compat.formats`. A flake8 ``Violation`` has no end position and no fix, so the SARIF output
has start positions only and no ``fixes`` (use ``keras-compat check --format sarif`` for those). Columns
are flake8's 1-based columns. ``kc-sarif`` opens ``--output-file`` with ``"w"`` (flake8's default
appends, which would leave two JSON documents in the file after a second run).

The formatter classes are declared in :mod:`flake8_keras_compat` itself: flake8 imports every installed
plugin's module when it starts, formatters included, so this module is imported only when a report is made.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from flake8_keras_compat import GithubFormatter, SarifFormatter  # noqa: F401 - entry points of earlier installs

if TYPE_CHECKING:
    from keras_compat.formats import Finding


def finding(error: Any) -> Finding:
    """A flake8 ``Violation`` as the shared formats' :class:`~keras_compat.formats.Finding`."""
    from keras_compat.formats import Finding
    from keras_compat.registry import REGISTRY

    code, text = error.code, error.text
    rule = REGISTRY.get(code)
    col = max(0, (error.column_number or 1) - 1)
    physical = error.physical_line
    lines = {error.line_number: physical.rstrip("\r\n")} if isinstance(physical, str) else {}
    if rule is not None and text.startswith(f"{code} "):
        text = text[len(code) + 1:]
    severity = rule.severity.value if rule else ("warning" if code[:1] in ("W", "C") else "error")
    return Finding(path=os.path.relpath(error.filename) if os.path.isabs(error.filename) else error.filename,
                   code=code, message=text, line=error.line_number, col=col,
                   symbol=rule.symbol if rule else "", severity=severity, lines=lines)


def github_lines(findings: list[Finding]) -> list[str]:
    """``--format=kc-github``: GitHub Actions workflow commands."""
    from keras_compat.formats import github

    return list(github.render(findings, tool="flake8"))


def sarif_text(findings: list[Finding]) -> str:
    """``--format=kc-sarif``: one SARIF 2.1.0 log of all flake8 findings."""
    import flake8

    from keras_compat.formats import sarif

    log = sarif.render(findings, tool_name="flake8", tool_version=flake8.__version__)
    return json.dumps(log, indent=2, ensure_ascii=False)
