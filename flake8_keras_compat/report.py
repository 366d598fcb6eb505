"""flake8 formatters: ``flake8 --format=kc-github`` and ``flake8 --format=kc-sarif``.

They format *every* flake8 finding (not only KC codes) with the shared renderers in
:mod:`keras_compat.formats`. A flake8 ``Violation`` has no end position and no fix, so the SARIF output
has start positions only and no ``fixes`` (use ``keras-compat check --format sarif`` for those). Columns
are flake8's 1-based columns. ``kc-sarif`` opens ``--output-file`` with ``"w"`` (flake8's default
appends, which would leave two JSON documents in the file after a second run).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from flake8.formatting.base import BaseFormatter

if TYPE_CHECKING:  # flake8 imports every installed plugin at start-up: the formats load when a report is made
    from keras_compat.formats import Finding


def _finding(error: Any) -> Finding:
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


class _Collecting(BaseFormatter):
    def after_init(self) -> None:
        self.findings: list[Finding] = []

    def handle(self, error: Any) -> None:
        self.findings.append(_finding(error))

    def format(self, error: Any) -> str | None:  # not used: handle() collects
        return None

    def show_statistics(self, statistics: Any) -> None:  # keep machine-readable output clean
        pass

    def show_benchmarks(self, benchmarks: Any) -> None:
        pass


class GithubFormatter(_Collecting):
    """``--format=kc-github``: GitHub Actions workflow commands."""

    def stop(self) -> None:
        from keras_compat.formats import github

        for line in github.render(self.findings, tool="flake8"):
            self._write(line)
        super().stop()


class SarifFormatter(_Collecting):
    """``--format=kc-sarif``: one SARIF 2.1.0 log of all flake8 findings."""

    def start(self) -> None:
        if self.filename:
            dirname = os.path.dirname(os.path.abspath(self.filename))
            os.makedirs(dirname, exist_ok=True)
            self.output_fd = open(self.filename, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()

    def stop(self) -> None:
        import flake8

        from keras_compat.formats import sarif

        log = sarif.render(self.findings, tool_name="flake8", tool_version=flake8.__version__)
        self._write(json.dumps(log, indent=2, ensure_ascii=False))
        super().stop()
