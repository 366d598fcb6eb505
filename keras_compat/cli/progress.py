"""A one-line progress bar on stderr, only for a terminal (never in pipes or CI logs)."""

from __future__ import annotations

import os
import time
from typing import TextIO

#: Runs with fewer files finish before a bar would help.
MIN_FILES = 20


def wanted(stream: TextIO, total: int) -> bool:
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    ci = any(os.environ.get(v) for v in ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "TF_BUILD"))
    return tty and not ci and os.environ.get("TERM") != "dumb" and total >= MIN_FILES


class Progress:
    def __init__(self, stream: TextIO, total: int, width: int = 30) -> None:
        self.stream = stream
        self.total = total
        self.width = width
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if done < self.total and now - self._last < 0.1:
            return
        self._last = now
        filled = int(self.width * done / max(self.total, 1))
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total} files")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * (self.width + 30) + "\r")
            self.stream.flush()
