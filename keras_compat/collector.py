"""The cyclic garbage collector paused while one module is analysed.

An analysis allocates the whole syntax tree, the parent map, indexes, scopes and memo tables of one module,
and frees them by reference counting when it ends: it makes no reference cycles (the context breaks the
one the layer classifier would make, ``Context.release``; ``tests/test_collector.py`` checks every rule's
examples and the realism files). With the collector running, those short-lived objects still trigger
young collections every 700 allocations, survive them (they are alive until the module is done), are
promoted to the older generations, and so schedule full collections, which traverse the host's whole heap
(flake8's and pylint's, with every astroid tree pylint keeps): a quarter of the analysis's time on the
benchmark's user code (581 young, 53 middle and 3 full collections a pass over 467 files; none paused).

Paused only for the duration of one call into the engine, and left as the host had it (a host that
disabled the collector keeps it disabled). Unlike ``gc.freeze()`` (rejected: it would change the host's
collections for the rest of its life), nothing outlives the call: objects the analysis keeps (memo tables,
summaries) are collected by the host's next collection like any others.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_depth = 0
_was_enabled = False


class paused:  # noqa: N801 - used as a function: ``with paused():``
    """No cyclic collection inside the block (nested and concurrent blocks restore the collector once, when
    the last one ends). (A class, not a generator context manager: entered once per analysed file.)"""

    __slots__ = ()

    def __enter__(self) -> None:
        global _depth, _was_enabled
        with _lock:
            if _depth == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _depth += 1

    def __exit__(self, *exc_info: object) -> None:
        global _depth
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
