"""Per-file resource limits and measurements for the CLI.

* **Time and size:** the limits every front-end shares live in :mod:`keras_compat.limits` (re-exported
  here): :func:`time_limit` around one file's analysis and fixing raises :class:`TimeLimitExceeded`, which
  stops the whole file (it is not an ``Exception``, so no per-rule containment swallows it); the file is
  reported (``KC001``) and the run goes on with the next file. Each ``-j`` worker runs its files in its main
  thread, so the limit holds there too. Files larger than ``max_file_bytes`` are not read at all (``KC001``).
* **Measurements:** :func:`peak_rss` (the process's and its finished children's high-water marks) and the
  per-file wall time the runner stores in ``FileResult.seconds``.
"""

from __future__ import annotations

import sys

from keras_compat.limits import (DEFAULT_MAX_FILE_MB, DEFAULT_MAX_FILE_SECONDS, TimeLimitExceeded, available,
                                 suspend, time_limit)

__all__ = ["DEFAULT_MAX_FILE_MB", "DEFAULT_MAX_FILE_SECONDS", "TimeLimitExceeded", "available", "peak_rss",
           "suspend", "time_limit"]


def peak_rss() -> tuple[int, int]:
    """(this process, largest finished child process) peak resident memory in bytes (0 when unknown)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0, 0
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale
    return own, children
