"""Output formats for ``keras-compat check --format NAME``.

Each format is a small module in this package exposing ``write(report, stream, style)``, where
``report`` is a :class:`keras_compat.cli.model.Report`, ``stream`` a text stream (stdout or
``--output-file``) and ``style`` the display switches (:class:`Style`). Formats only format: the run's
summary and progress go to stderr from the CLI itself, so machine-readable formats keep stdout clean.
Register a new format by adding its module name to :data:`FORMATS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from keras_compat.cli.model import Report

#: format name -> module under ``keras_compat.cli.output``
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "rdjson": "rdjson",
    "rdjsonl": "rdjsonl",
    "gitlab": "gitlab",
}


@dataclass(frozen=True)
class Style:
    """Display switches; the text format reads all of them, the machine formats ``show_suppressed``."""

    show_source: bool = True  # the source line and a caret under each finding (--no-show-source)
    show_suppressed: bool = False
    statistics: bool = False
    color: bool = False  # ANSI colours (--color; decided by the CLI from the stream and NO_COLOR/FORCE_COLOR)


Writer = Callable[[Report, TextIO, Style], None]


def get(name: str) -> Writer:
    module = importlib.import_module(f"{__name__}.{FORMATS[name]}")
    return module.write  # type: ignore[no-any-return]
