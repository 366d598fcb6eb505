"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning (see :mod:`keras_compat.formats.sarif`).

URIs are relative to the current directory (``uriBaseId: %SRCROOT%``): run from the repository root.
Findings silenced by ``# noqa`` are included as suppressed results (SARIF ``suppressions``), so code
scanning shows them as suppressed rather than losing track of them.
"""

from __future__ import annotations

import json
from typing import TextIO

from keras_compat.cli.model import Report
from keras_compat.cli.output import Style
from keras_compat.cli.output._findings import findings
from keras_compat.formats import sarif


def write(report: Report, stream: TextIO, style: Style) -> None:
    json.dump(sarif.render(findings(report, suppressed=True)), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
