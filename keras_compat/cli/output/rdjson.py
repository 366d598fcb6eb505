"""``--format rdjson`` / ``rdjsonl``: reviewdog diagnostics with suggestions.

See :mod:`keras_compat.formats.rdjson`.
"""

from __future__ import annotations

import json
from typing import TextIO

from keras_compat.cli.model import Report
from keras_compat.cli.output import Style
from keras_compat.cli.output._findings import findings
from keras_compat.formats import rdjson


def write(report: Report, stream: TextIO, style: Style) -> None:
    json.dump(rdjson.render(findings(report)), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def write_lines(report: Report, stream: TextIO, style: Style) -> None:
    for line in rdjson.render_lines(findings(report)):
        stream.write(line + "\n")
