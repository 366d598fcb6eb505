"""One run of a host tool (flake8, pylint) over many files: what the plugins' analyses remember between files.

As in a CLI run (:func:`keras_compat.project.remembered`), the project's files are taken as unchanged while a
run lasts, and each directory's package chain is looked up once. The run is entered per file, so the core's
other callers in the process never see that trust; a new run (flake8 parsing its options again, pylint
opening its checkers again) starts afresh, so a long-lived host sees the files that changed between runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from keras_compat import package, project
from keras_compat.summary_store import DiskStore, store_for


class HostRun:
    """The memory of one run of a host tool over its files."""

    def __init__(self) -> None:
        self._packages: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._stores: dict[str, DiskStore | None] = {}
        self._run = project.new_run()

    @contextmanager
    def file(self, summary_cache: str) -> Iterator[None]:
        """Around the analysis of one file: summaries kept in the store of option value ``summary_cache``
        (:func:`keras_compat.summary_store.store_for`, found once a run; none for ``none``), the run's package
        chains, the project's files trusted."""
        stores = self._stores
        if summary_cache not in stores:
            stores[summary_cache] = store_for(summary_cache)
        with project.stored(stores[summary_cache]), package.remembered(self._packages), \
                project.remembered(self._run):
            yield
