"""``--format github``: GitHub Actions workflow commands (see :mod:`keras_compat.formats.github`)."""

from __future__ import annotations

from typing import TextIO

from keras_compat.cli.model import Report
from keras_compat.cli.output import Style
from keras_compat.cli.output._findings import findings
from keras_compat.formats import github


def write(report: Report, stream: TextIO, style: Style) -> None:
    for line in github.render(findings(report)):
        stream.write(line + "\n")
