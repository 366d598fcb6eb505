"""The plugins' store of project-module summaries: the project index's facts about sibling modules, kept on
disk between flake8 and pylint runs, so that a module is parsed for the index once per content, not once per
run.

An editor runs flake8 on one file at every save; the file's imports of its own project make the index read
and parse those modules (:mod:`keras_compat.project`), which cost as much as the plugin's whole start-up on a
typical package module (a layer module of spektral: 94 M of 193 M instructions). The CLI keeps summaries in
its own cache directory (:mod:`keras_compat.cli.cache`); the plugins, which have no project cache
directory, keep them in the user's cache directory, like pylint's own statistics:

* ``$KERAS_COMPAT_CACHE_DIR/summaries``, else ``$XDG_CACHE_HOME/keras-compat/summaries``, else
  ``~/.cache/keras-compat/summaries``; the option ``keras-summary-cache`` (flake8 and pylint) sets another
  directory, or ``none`` to keep summaries in memory only.
* An entry is keyed by a SHA-256 of the module's bytes, its module name and the summary format
  (:func:`keras_compat.project.summary_key`), salted with keras-compat's version and the size and
  modification time of the modules that compute summaries: an edited module, or another keras-compat,
  never reads a stale entry. A second entry is keyed by the module's path, size and modification time in
  nanoseconds (:func:`keras_compat.project.located_key`, as mypy's and ruff's caches are): an unchanged
  sibling is then found without reading or hashing it (6 M instructions of a save of spektral's
  ``arma_conv.py``); a touched one is read, hashed and found by content.
* Entries are written to a temporary file and renamed into place (concurrent ``-j`` workers and editors are
  safe); a hit refreshes the entry's modification time, and entries unused for :data:`MAX_AGE_DAYS` days
  are deleted, at most once a day per directory. Any failure (read-only home, full disk, a corrupt entry)
  degrades to "no store", never to an error in the host tool.
"""

from __future__ import annotations

import json
import os
import time

from keras_compat import __version__
from keras_compat.project import hasher

#: The option's value that keeps summaries in memory only.
OFF = "none"
AUTO = "auto"
ENV = "KERAS_COMPAT_CACHE_DIR"
FORMAT = "v1"
#: Entries not used for this long are deleted (the check runs at most once a day per directory).
MAX_AGE_DAYS = 30
_DAY = 86_400
#: The modules whose code decides what a summary holds (their size and mtime salt the keys).
_SUMMARY_CODE = ("project.py", "resolver.py", "walk.py", "record.py")


def directory(value: str = AUTO) -> str | None:
    """Where the summaries of option value ``value`` live (None: in memory only)."""
    value = value.strip()
    if not value or value.lower() == OFF:
        return None
    if value.lower() != AUTO:
        return os.path.abspath(os.path.expanduser(value))
    base = os.environ.get(ENV)
    if base:
        return os.path.join(os.path.abspath(os.path.expanduser(base)), "summaries")
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return os.path.join(xdg, "keras-compat", "summaries")
    home = os.path.expanduser("~")
    if not os.path.isabs(home):
        return None  # no home directory (a bare container): memory only, never a directory under the cwd
    return os.path.join(home, ".cache", "keras-compat", "summaries")


def _salt() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    parts = [__version__]
    for name in _SUMMARY_CODE:
        try:
            stat = os.stat(os.path.join(here, name))
            parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append("?")
    return "/".join(parts)


class DiskStore:
    """Summaries under one directory, one small JSON file each (``<dir>/v1/<aa>/<key>.json``)."""

    #: Also keyed by location, size and mtime (:func:`keras_compat.project.located_key`): an editor's save
    #: finds its siblings' summaries without reading or hashing them.
    by_location = True

    def __init__(self, root: str) -> None:
        self.root = root
        self._base = os.path.join(root, FORMAT)
        self._salt = _salt()
        self._writable = True
        self._pruned = False
        self.hits = 0
        self.misses = 0
        self.written = 0

    def _path(self, key: str) -> str:
        salted = hasher()(f"{self._salt}\0{key}".encode()).hexdigest()
        return os.path.join(self._base, salted[:2], salted + ".json")

    def summary_get(self, key: str) -> dict | None:
        path = self._path(key)
        try:
            with open(path, "rb") as fh:
                data = json.loads(fh.read())
        except (OSError, ValueError, RecursionError):  # unreadable, not JSON (or not UTF-8), absurdly nested
            self.misses += 1
            return None
        summary = data.get("summary") if isinstance(data, dict) else None
        if not isinstance(summary, dict):
            self.misses += 1
            return None  # another shape: the index summarises the module again and stores it again
        self.hits += 1
        try:
            os.utime(path)  # last use, for the age limit
        except OSError:
            pass
        return summary

    def summary_put(self, key: str, data: dict) -> None:
        if not self._writable:
            return
        from keras_compat.atomic import write_atomically  # only a store that writes needs it (a warm one reads)

        path = self._path(key)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            write_atomically(path, json.dumps({"summary": data}).encode(), ".json")
            self.written += 1
        except OSError:
            self._writable = False  # read-only or full: in memory only for the rest of the process
        if not self._pruned:
            self._pruned = True
            self.prune()

    def prune(self, now: float | None = None) -> int:
        """Delete entries unused for :data:`MAX_AGE_DAYS` days; at most once a day per directory (a marker
        file's modification time says when). Returns how many were deleted."""
        now = time.time() if now is None else now
        marker = os.path.join(self.root, "last-pruned")
        try:
            if now - os.stat(marker).st_mtime < _DAY:
                return 0
        except OSError:
            pass
        try:
            with open(marker, "w", encoding="ascii") as fh:
                fh.write("keras-compat summary store\n")
            os.utime(marker, (now, now))
        except OSError:
            return 0
        deleted = 0
        limit = now - MAX_AGE_DAYS * _DAY
        try:
            shards = os.scandir(self._base)
        except OSError:
            return 0
        with shards:
            for shard in shards:
                if not shard.is_dir(follow_symlinks=False):
                    continue
                try:
                    with os.scandir(shard.path) as entries:
                        for entry in entries:
                            try:
                                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                                    os.unlink(entry.path)
                                    deleted += 1
                            except OSError:
                                continue
                except OSError:
                    continue
        return deleted


_STORES: dict[str, DiskStore] = {}


def store_for(value: str) -> DiskStore | None:
    """The store of option value ``value`` (one per directory and process), or None when it is ``none``."""
    root = directory(value)
    if root is None:
        return None
    store = _STORES.get(root)
    if store is None:
        store = _STORES[root] = DiskStore(root)
    return store
