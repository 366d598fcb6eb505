"""``--format gitlab``: GitLab Code Quality report (see :mod:`keras_compat.formats.gitlab`)."""

from __future__ import annotations

import json
from typing import TextIO

from keras_compat.cli.model import Report
from keras_compat.cli.output import Style
from keras_compat.cli.output._findings import findings
from keras_compat.formats import gitlab


def write(report: Report, stream: TextIO, style: Style) -> None:
    json.dump(gitlab.render(findings(report)), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
