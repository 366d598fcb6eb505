"""Per-file limits shared by every front-end: a huge or pathological file is reported, never a hang.

* **Size:** a file larger than the size limit is not analysed (``KC001``). Analysis memory grows linearly
  with the file (about 200 bytes of peak memory per byte of source; docs/performance.md), so this bounds
  the memory a file can take.
* **Time:** :func:`time_limit` arms a ``SIGALRM`` interval timer around one file's analysis; when it fires,
  :class:`TimeLimitExceeded` is raised wherever the analysis is, and the whole file is reported as not
  analysed (``KC001``). It is a ``BaseException``, like ``KeyboardInterrupt``: the containment that turns
  one rule's bug into a ``KC000`` (``except Exception``) lets it through, so it stops the file rather than
  one rule. Python checks for signals between bytecodes: work inside one C call (``ast.parse`` of a huge
  file) is bounded by the size limit instead. Where there is no ``setitimer`` (Windows), or outside the
  main thread (a host calling us from a worker thread), there is no time limit (:func:`available`).

The CLI (``--max-file-seconds``/``--max-file-size``), the flake8 plugin (``--keras-max-file-seconds``/
``--keras-max-file-size``) and the pylint plugin (the same option names) apply the same defaults.
"""

from __future__ import annotations

import signal
import threading

DEFAULT_MAX_FILE_SECONDS = 30.0
DEFAULT_MAX_FILE_MB = 5.0


class TimeLimitExceeded(BaseException):
    """Raised inside the analysis when a file has used up its time (a ``BaseException``: see above)."""

    def __init__(self, seconds: float, option: str = "--max-file-seconds") -> None:
        super().__init__(f"analysis stopped after {seconds:g} s ({option})")
        self.seconds = seconds


def available() -> bool:
    """Whether a time limit can be enforced here (POSIX interval timers, called from the main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


_active: list[float] = []  # the limit currently armed (for suspend)

try:  # the module under ``signal``: ``signal.signal`` converts the handler it returns to an enum member, and
    # for a Python handler (the limit's own, given back at the end of every file) that conversion raises and
    # catches a ValueError: 37,000 instructions a file, more than the rest of the limit
    from _signal import ITIMER_REAL, SIGALRM, setitimer  # type: ignore[import-not-found]
    from _signal import signal as _set_handler
except ImportError:  # another implementation, or no interval timers: the public functions (or no limit)
    from signal import signal as _set_handler

    ITIMER_REAL, SIGALRM = getattr(signal, "ITIMER_REAL", 0), getattr(signal, "SIGALRM", 14)
    setitimer = getattr(signal, "setitimer", None)


class time_limit:  # noqa: N801 - used as a function: ``with time_limit(seconds):``
    """Raise :class:`TimeLimitExceeded` in this block after ``seconds`` (None or <= 0: no limit); ``option``
    names the setting in the message.

    A handler or timer the host process had installed is restored afterwards. Enclose the ``with`` in the
    ``try`` that handles the exception: a signal arriving as the block ends is raised from its exit. (A class,
    not a generator context manager: the plugins enter one per file.)
    """

    __slots__ = ("seconds", "option", "_armed", "_previous", "_outer")

    def __init__(self, seconds: float | None, option: str = "--max-file-seconds") -> None:
        self.seconds = seconds
        self.option = option
        self._armed = False
        self._outer: tuple[float, float] | None = None  # set while a limit is armed

    def _expired(self, signum: int, frame: object) -> None:
        if self._armed:  # fires once; a late signal after the block has ended is ignored
            self._armed = False
            raise TimeLimitExceeded(self.seconds, self.option)  # type: ignore[arg-type]

    def __enter__(self) -> None:
        seconds = self.seconds
        if not seconds or seconds <= 0 or not available():
            return
        self._armed = True
        self._previous = _set_handler(SIGALRM, self._expired)
        self._outer = setitimer(ITIMER_REAL, seconds)
        _active.append(seconds)

    def __exit__(self, *exc_info: object) -> None:
        outer = self._outer
        if outer is None:
            return  # no limit was armed
        self._armed, self._outer = False, None
        setitimer(ITIMER_REAL, 0)
        _active.pop()
        _set_handler(SIGALRM, self._previous)
        if outer[0] > 0:  # someone else's timer was running: give back what was left of it
            setitimer(ITIMER_REAL, *outer)


def suspend() -> None:
    """Disarm the current limit (before writing a fixed file: a write is never interrupted half-way)."""
    if _active and available():
        signal.setitimer(signal.ITIMER_REAL, 0)


def too_large(max_bytes: int, option: str = "--max-file-size") -> str:
    """The ``KC001`` reason for a file over the size limit."""
    return f"file is larger than {max_bytes / 1e6:g} MB; not analysed ({option})"


def parse_limit(value: object, key: str) -> float:
    """A limit's value from an option or configuration file: a number >= 0 (0: no limit). Raises
    ``ValueError`` naming ``key`` otherwise (argparse turns it into its usual usage error)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{key}: expected a number of {'seconds' if 'seconds' in key else 'MB'} "
                         f"(0: no limit), got {value!r}") from None
    if not number >= 0:  # also refuses NaN
        raise ValueError(f"{key}: must be 0 (no limit) or more, got {value!r}")
    return number
