"""One run of a host tool (flake8, pylint) over many files: what the plugins' analyses remember between files.

As in a CLI run (:func:`keras_compat.project.remembered`), the project's files are taken as unchanged while a
run lasts, and each directory's package chain is looked up once. The run is entered per file, so the core's
other callers in the process never see that trust; a new run (flake8 parsing its options again, pylint
opening its checkers again) starts afresh, so a long-lived host sees the files that changed between runs.
"""

from __future__ import annotations

from typing import Any

from keras_compat import package, project
from keras_compat.summary_store import DiskStore, store_for


class HostRun:
    """The memory of one run of a host tool over its files."""

    def __init__(self) -> None:
        self._packages: dict[Any, Any] = {}  # package.remembered's memo
        self._stores: dict[str, DiskStore | None] = {}
        self._run = project.new_run()

    def file(self, summary_cache: str) -> _File:
        """Around the analysis of one file: summaries kept in the store of option value ``summary_cache``
        (:func:`keras_compat.summary_store.store_for`, found once a run; none for ``none``), the run's package
        chains, the project's files trusted: :func:`keras_compat.project.stored`,
        :func:`keras_compat.package.remembered` and :func:`keras_compat.project.remembered` in one block."""
        stores = self._stores
        store = stores.get(summary_cache, _UNSET)
        if store is _UNSET:
            store = stores[summary_cache] = store_for(summary_cache)
        return _File(self, store)  # type: ignore[arg-type]


_UNSET = object()


class _File:
    """:meth:`HostRun.file`'s block (a class, not three generator context managers: entered once per file)."""

    __slots__ = ("run", "store", "_saved", "_outer")

    def __init__(self, run: HostRun, store: DiskStore | None) -> None:
        self.run, self.store = run, store

    def __enter__(self) -> None:
        self._saved = project.enter(self.store, self.run._run)
        self._outer = package.enter(self.run._packages)

    def __exit__(self, *exc_info: object) -> None:
        package.leave(self._outer)
        project.leave(self._saved)
