"""Per-file resource limits and measurements for the CLI.

* **Time:** :func:`time_limit` arms a ``SIGALRM`` interval timer (``signal.setitimer``) around one file's
  analysis and fixing; when it fires, :class:`TimeLimitExceeded` is raised in the analysing thread, the
  file is reported (``KC001``) and the run goes on with the next file. Each ``-j`` worker runs its files
  in its main thread, so the limit holds there too. Python checks for signals between bytecodes: work
  inside one C call (``ast.parse`` of a huge file) is bounded by the size limit instead. Where there is no
  ``setitimer`` (Windows) or outside the main thread, there is no time limit (``available()`` says so).
* **Size:** files larger than ``max_file_bytes`` are not read at all (``KC001``); analysis memory grows
  linearly with the file (about 200 bytes of peak memory per byte of source, see docs/performance.md), so
  this bounds a worker's memory.
* **Measurements:** :func:`peak_rss` (the process's and its finished children's high-water marks) and the
  per-file wall time the runner stores in ``FileResult.seconds``.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator

DEFAULT_MAX_FILE_SECONDS = 30.0
DEFAULT_MAX_FILE_MB = 5.0


class TimeLimitExceeded(Exception):
    """Raised inside the analysis when a file has used up its time."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"analysis stopped after {seconds:g} s (--max-file-seconds)")
        self.seconds = seconds


def available() -> bool:
    """Whether a time limit can be enforced here (POSIX interval timers, called from the main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


_active: list[float] = []  # the limit currently armed (for suspend)


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in this block after ``seconds`` (None or <= 0: no limit).

    A handler or timer the host process had installed is restored afterwards.
    """
    if not seconds or seconds <= 0 or not available():
        yield
        return

    armed = [True]

    def expired(signum: int, frame: object) -> None:
        if armed[0]:  # fires once; a late signal after the block has ended is ignored
            armed[0] = False
            raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    outer = signal.setitimer(signal.ITIMER_REAL, seconds)
    _active.append(seconds)
    try:
        yield
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        _active.pop()
        signal.signal(signal.SIGALRM, previous)
        if outer[0] > 0:  # someone else's timer was running: give back what was left of it
            signal.setitimer(signal.ITIMER_REAL, *outer)


def suspend() -> None:
    """Disarm the current limit (before writing a fixed file: a write is never interrupted half-way)."""
    if _active and available():
        signal.setitimer(signal.ITIMER_REAL, 0)


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
