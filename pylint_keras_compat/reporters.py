"""pylint reporters ``kc-github`` and ``kc-sarif``.

``pylint --load-plugins=pylint_keras_compat --output-format=kc-github`` (or ``kc-sarif``).

They format *every* pylint message with the shared renderers in :mod:`keras_compat.formats`. pylint's
columns are 0-based (astroid offsets, UTF-8 bytes for other checkers; keras-compat's own messages carry
character columns) with an exclusive 0-based end; they are written +1 (1-based) like the CLI. SARIF has
no ``fixes`` here (pylint messages carry none): use ``keras-compat check --format sarif`` for those.
``--output-format=kc-sarif:report.sarif`` writes a file (pylint opens it with ``"w"``).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from pylint.reporters import BaseReporter

if TYPE_CHECKING:  # pylint loads the plugin, hence this module, at start-up: the formats load when a report is made
    from keras_compat.formats import Finding

_SEVERITY = {"E": "error", "F": "error", "W": "warning", "C": "convention", "R": "convention", "I": "info"}


def _finding(msg: Any, lines_cache: dict[str, list[str] | None]) -> Finding:
    from keras_compat.formats import Finding
    from keras_compat.registry import REGISTRY

    rule = next((r for r in REGISTRY.values() if r.symbol == msg.symbol), None)
    code = rule.code if rule else msg.msg_id
    lines: dict[int, str] = {}
    if msg.abspath not in lines_cache:
        try:
            with open(msg.abspath, encoding="utf-8", errors="replace") as fh:
                lines_cache[msg.abspath] = fh.read().split("\n")
        except (OSError, TypeError):
            lines_cache[msg.abspath] = None
    text = lines_cache[msg.abspath]
    if text is not None:
        for n in {msg.line, msg.end_line}:
            if isinstance(n, int) and 1 <= n <= len(text):
                lines[n] = text[n - 1].rstrip("\r")
    end_col = msg.end_column if isinstance(msg.end_column, int) and msg.end_line is not None else None
    path = msg.path if not os.path.isabs(msg.path) else os.path.relpath(msg.path)
    return Finding(path=path, code=code, message=msg.msg, line=msg.line or 1,
                   col=msg.column if isinstance(msg.column, int) else None,
                   end_line=msg.end_line if isinstance(msg.end_line, int) else None, end_col=end_col,
                   symbol=msg.symbol,
                   severity=rule.severity.value if rule else _SEVERITY.get(msg.C, "warning"),
                   lines=lines)


class _Collecting(BaseReporter):
    def __init__(self, output: Any = None) -> None:
        super().__init__(output)
        self.findings: list[Finding] = []
        self._lines: dict[str, list[str] | None] = {}

    def handle_message(self, msg: Any) -> None:
        self.findings.append(_finding(msg, self._lines))

    def display_reports(self, layout: Any) -> None:
        pass

    def _display(self, layout: Any) -> None:
        pass


class GithubReporter(_Collecting):
    """``--output-format=kc-github``: GitHub Actions workflow commands."""

    name = "kc-github"
    extension = "txt"

    def display_messages(self, layout: Any) -> None:
        from keras_compat.formats import github

        for line in github.render(self.findings, tool="pylint"):
            self.writeln(line)


class SarifReporter(_Collecting):
    """``--output-format=kc-sarif``: one SARIF 2.1.0 log of all pylint messages."""

    name = "kc-sarif"
    extension = "sarif"

    def display_messages(self, layout: Any) -> None:
        import pylint

        from keras_compat.formats import sarif

        log = sarif.render(self.findings, tool_name="pylint", tool_version=pylint.__version__)
        self.writeln(json.dumps(log, indent=2, ensure_ascii=False))
