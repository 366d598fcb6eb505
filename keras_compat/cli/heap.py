"""Keep a run's accumulated results out of the cyclic garbage collector's full passes.

A check run keeps every file's result (findings, fixes, lines) until it prints them. CPython's full
collections scan every tracked object, and the analysis of each file allocates enough to trigger them
regularly, so without care each pass rescans all results so far: time grows quadratically with the tree
(measured on the benchmark corpus at ``-j 1``: GC 1.5 s of 8.3 s for 0.5 M lines, 13.1 s of 45 s for
2 M lines). Results are plain data whose lifetime is the run, so :class:`HeldResults` moves them to the
collector's permanent generation (``gc.freeze``) after each file, and gives them back at the end.

Cyclic garbage that a file leaves (there should be none: the engine breaks its own cycles) is frozen
with the results; so that it cannot pile up, the frozen set is collected again after 64, 128, 256, ...
analysed files (geometric, so the passes stay amortised linear; ``gc.get_freeze_count`` walks the whole
frozen list, so it cannot be the trigger). Results answered from the cache leave no garbage, so they do
not count: a warm run makes no collections of its own.
"""

from __future__ import annotations

import gc
from types import TracebackType

#: Files after which the frozen results are first collected again (then after twice as many, ...).
FIRST_RECOLLECT = 64


class HeldResults:
    """``with HeldResults() as held: ...; held.settle()`` after storing each result.

    Does nothing when the host process manages the collector itself (garbage collection disabled or
    objects already frozen, e.g. a pre-forking server): ``unfreeze`` would release its objects too.
    """

    def __init__(self, first_recollect: int = FIRST_RECOLLECT) -> None:
        self.active = False
        self.settled = 0
        self.recollections = 0
        self._next_recollect = first_recollect

    def __enter__(self) -> HeldResults:
        self.active = gc.isenabled() and gc.get_freeze_count() == 0
        return self

    def settle(self, analysed: bool = True) -> None:
        """Freeze what the run holds now (call it once the file's own objects have been released).

        ``analysed=False`` for a result that came from the cache: it froze nothing but the result.
        """
        if not self.active:
            return
        self.settled += analysed
        if analysed and self.settled >= self._next_recollect:
            gc.unfreeze()
            gc.collect()
            self.recollections += 1
            self._next_recollect *= 2
        gc.freeze()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.active:
            gc.unfreeze()  # back to the oldest generation: collected as usual from now on
            self.active = False
