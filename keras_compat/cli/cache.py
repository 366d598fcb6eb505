"""Content-hash cache of findings: a second check of an unchanged tree skips the analysis.

One small JSON file per entry under ``<cache dir>/v1/<aa>/<key>.json``, holding the findings and the
file's ``# noqa`` comments (a warm run then neither analyses nor tokenizes the file). The key is a SHA-256 over the
file's bytes, its path relative to the project root, its top-level package, the effective settings, the rule set (codes and a
digest of keras-compat's own source files and API tables, so an edited rule invalidates entries even without a
version bump) and the tool version. Entries are written to a temporary file and renamed into place, so
concurrent runs never see a partial entry (the last writer wins with identical content). Results that
contain KC000/KC001 (internal errors, unreadable or unparsable files) are never stored. A corrupt or
unreadable entry, or valid JSON of another shape, is a miss (checked field by field, in the parent as in
``-j`` workers); a cache directory that cannot be written just disables caching.

Findings can depend on other modules of the project (:mod:`keras_compat.project`): an entry also lists the
files the analysis read (size, modification time, SHA-256) or looked for and did not find, and is a miss
when one of them changed, appeared or disappeared. The project index keeps its module summaries here too,
keyed by content hash (``summary_get``/``summary_put``), so a module is parsed for the index once, not once
per run; they are entries like the others for the size cap (a hit refreshes them, the least recently used
go first), while a run's pruning only deletes the findings entries it replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import fields
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from keras_compat import __version__, project
from keras_compat.atomic import write_atomically
from keras_compat.cli.noqa import NoqaMap
from keras_compat.diagnostics import Diagnostic, Edit, Fix, Safety
from keras_compat.package import own_package
from keras_compat.settings import Settings

DIRNAME = ".keras_compat_cache"
VERSION = "v1"
NEVER_CACHE = ("KC000", "KC001")


@lru_cache(maxsize=1)
def ruleset_fingerprint() -> str:
    """Tool version, rule codes and a digest of the package's Python sources and API tables."""
    from keras_compat.registry import all_rules

    digest = hashlib.sha256(__version__.encode())
    digest.update(",".join(f"{r.code}:{r.symbol}" for r in all_rules()).encode())
    package = Path(__file__).resolve().parent.parent
    for path in fingerprinted_files(package):
        try:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


def fingerprinted_files(package: Path) -> list[Path]:
    """What findings depend on: the package's Python sources (but the CLI's) and its API tables."""
    found = [*package.rglob("*.py"), *package.glob("data/api/*.json"), *package.glob("data/stars/*.json.gz")]
    return sorted(p for p in found if "cli" not in p.relative_to(package).parts)


@lru_cache(maxsize=64)
def settings_fingerprint(settings: Settings) -> str:
    """Computed once per settings object of a run (frozen, so equal settings share the entry)."""
    values = {f.name: getattr(settings, f.name) for f in fields(settings) if not f.name.startswith("_")}
    return repr(sorted(values.items()))


def key(content: bytes, relpath: str, settings: Settings, shown: str) -> str:
    """``shown`` is the name the file is analysed under: its package (from the ``__init__.py`` files
    around it) decides which imports are its own, so adding or removing one invalidates the entry."""
    digest = hashlib.sha256()
    for part in (ruleset_fingerprint(), settings_fingerprint(settings), relpath, own_package(shown) or ""):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    digest.update(content)
    return digest.hexdigest()


def dump_diagnostic(d: Diagnostic) -> dict:
    out: dict = {"code": d.code, "message": d.message, "line": d.line, "col": d.col,
                 "end_line": d.end_line, "end_col": d.end_col, "fields": dict(d.fields)}
    if d.fix is not None:
        out["fix"] = {"title": d.fix.title, "safety": d.fix.safety.value,
                      "edits": [[e.line, e.col, e.end_line, e.end_col, e.content] for e in d.fix.edits]}
    return out


class BadEntry(ValueError):
    """A cache entry that is valid JSON of the wrong shape (a miss, in every mode)."""


def _int(value: object) -> int:
    if type(value) is not int or value < 0:  # noqa: E721 - bool is an int subclass and not a position
        raise BadEntry(f"expected a position, got {value!r}")
    return value


def _typed(value: Any, kind: type, what: str) -> Any:
    if not isinstance(value, kind):
        raise BadEntry(f"expected {what}, got {value!r}")
    return value


def _str(value: object) -> str:
    return _typed(value, str, "a string")


def _dict(value: object) -> dict:
    return _typed(value, dict, "an object")


def _list(value: object) -> list:
    return _typed(value, list, "a list")


def load_diagnostic(data: object) -> Diagnostic:
    """A finding from its cached form; :class:`BadEntry` for anything but the shape :func:`dump_diagnostic`
    writes (an entry edited by hand, written by another tool, or truncated into valid JSON)."""
    data = _dict(data)
    fix = None
    if data.get("fix") is not None:
        f = _dict(data["fix"])
        edits = []
        for raw in _list(f["edits"]):
            edit = _list(raw)
            if len(edit) != 5:
                raise BadEntry(f"an edit has {len(edit)} parts")
            edits.append(Edit(_int(edit[0]), _int(edit[1]), _int(edit[2]), _int(edit[3]), _str(edit[4])))
        fix = Fix(_str(f["title"]), tuple(edits), Safety(_str(f["safety"])))
    fields = {_str(k): _str(v) for k, v in _dict(data.get("fields", {})).items()}
    return Diagnostic(_str(data["code"]), _str(data["message"]), _int(data["line"]), _int(data["col"]),
                      _int(data["end_line"]), _int(data["end_col"]), fix, fields)


def dump_noqa(noqa_map: NoqaMap) -> dict:
    lines = [[n, None if codes is None else sorted(codes)] for n, codes in sorted(noqa_map.lines.items())]
    return {"file": noqa_map.file_level, "lines": lines}


def load_deps(data: object) -> dict[str, tuple[int, int, str] | None]:
    """The project files an entry depends on (path -> (size, mtime_ns, sha256), None: looked for, absent)."""
    if data is None:
        return {}
    deps: dict[str, tuple[int, int, str] | None] = {}
    for path, dep in _dict(data).items():
        if dep is None:
            deps[_str(path)] = None
            continue
        size, mtime_ns, digest = _list(dep)
        deps[_str(path)] = (_int(size), _int(mtime_ns), _str(digest))
    return deps


def load_noqa(data: object) -> NoqaMap | None:
    if data is None:
        return None
    data = _dict(data)
    if not isinstance(data["file"], bool):
        raise BadEntry("noqa: 'file' is not a boolean")
    lines: dict[int, frozenset[str] | None] = {}
    for raw in _list(data["lines"]):
        number, codes = _list(raw)
        lines[_int(number)] = None if codes is None else frozenset(_str(c) for c in _list(codes))
    return NoqaMap(data["file"], lines)


class Cache:
    """A directory of entries; every failure degrades to "no cache", never to an error."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._root = os.path.join(os.fspath(directory), VERSION)
        self.hits = 0
        self.misses = 0
        self.written = 0
        self._writable = True
        self._noqa: dict[str, NoqaMap | None] = {}
        self._digests: dict[str, tuple[int, int, str]] = {}  # project files hashed during this run

    def entry_key(self, content: bytes, relpath: str, settings: Settings, shown: str) -> str:
        """:func:`key` (a stand-in holding an entry already looked up returns that entry's key)."""
        return key(content, relpath, settings, shown)

    def _path(self, key: str) -> Path:
        return Path(self._entry(key))

    def _entry(self, key: str) -> str:
        return os.path.join(self._root, key[:2], f"{key}.json")

    def get(self, key: str) -> list[Diagnostic] | None:
        try:
            with open(self._entry(key), "rb") as fh:
                data = _dict(json.load(fh))
            found = [load_diagnostic(d) for d in _list(data["diagnostics"])]
            noqa_map = load_noqa(data.get("noqa"))
            deps = load_deps(data.get("deps"))
            if deps and not project.unchanged(deps, self._digests):
                raise BadEntry("a project module the findings depend on changed")
        except Exception:  # noqa: BLE001 - unreadable, not JSON, or the wrong shape: a miss, never a crash
            self.misses += 1
            return None
        self.hits += 1
        if noqa_map is not None:
            self._noqa[key] = noqa_map
        try:
            os.utime(self._entry(key))  # last use, for the size cap (least recently used go first)
        except OSError:
            pass
        return found

    def noqa_for(self, key: str) -> NoqaMap | None:
        """The ``# noqa`` comments stored with the entry :meth:`get` just returned (None: not stored)."""
        return self._noqa.pop(key, None)

    def put(self, key: str, diagnostics: list[Diagnostic], noqa_map: NoqaMap | None = None) -> bool:
        """Store an entry; whether it was stored (never for KC000/KC001, nor when the cache is not writable).
        The project files read by the analyses of the current :func:`keras_compat.project.recording` (the
        runner records around each file) are stored with it."""
        if not self._writable or any(d.code in NEVER_CACHE for d in diagnostics):
            return False
        entry: dict = {"diagnostics": [dump_diagnostic(d) for d in diagnostics]}
        if noqa_map is not None:
            entry["noqa"] = dump_noqa(noqa_map)
        deps = project.recorded()
        if deps:
            entry["deps"] = {path: None if dep is None else list(dep) for path, dep in deps.items()}
        return self._write(key, entry)

    def summary_get(self, key: str) -> dict | None:
        """A project module's summary stored under its content hash (:func:`keras_compat.project.summary_key`);
        the index checks its shape."""
        path = self._entry(self._summary_key(key))
        try:
            with open(path, "rb") as fh:
                data = json.load(fh)
        except (OSError, ValueError, RecursionError):  # unreadable, not JSON, absurdly nested: a miss
            return None
        if not isinstance(data, dict) or not isinstance(data.get("summary"), dict):
            return None
        try:
            os.utime(path)  # last use, for the size cap
        except OSError:
            pass
        return data["summary"]

    def summary_put(self, key: str, data: dict) -> None:
        if self._writable:
            self._write(self._summary_key(key), {"summary": data})

    @staticmethod
    def _summary_key(key: str) -> str:
        """Summaries depend on the index's code as well as on the module's bytes."""
        return hashlib.sha256(f"summary\0{ruleset_fingerprint()}\0{key}".encode()).hexdigest()

    def _write(self, key: str, entry: dict) -> bool:
        path = self._path(key)
        try:
            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(str(path), json.dumps(entry).encode(), ".json")
        except OSError:
            self._writable = False
            return False
        self.written += 1
        return True

    def _prepare(self) -> None:
        """Create the directory with a CACHEDIR.TAG and a .gitignore the first time."""
        if (self.directory / ".gitignore").exists():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "# created by keras-compat\n*\n"),
                           ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                            "# keras-compat cache: https://bford.info/cachedir/\n")):
            target = self.directory / name
            if not target.exists():
                try:
                    write_atomically(str(target), text.encode())
                except OSError:
                    pass


# -- keeping the cache small ---------------------------------------------------------------------------

#: Default size cap of a cache directory's entries (``cache-max-size``, MB; 0: no cap).
DEFAULT_MAX_MB = 200.0
#: A cap that is exceeded is enforced down to this share of it, so the next runs do not scan again at once.
CAP_TARGET = 0.8
RUNS = "runs"


def run_id(settings: Settings, root: str) -> str:
    """Names the manifest of the runs with these settings over this project (rule set included)."""
    digest = hashlib.sha256()
    for part in (ruleset_fingerprint(), settings_fingerprint(settings), os.path.abspath(root)):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


class Upkeep:
    """Pruning after a run, the size cap, and ``keras-compat clean``.

    A run records which entry each file used (``relpath -> key``) in a manifest per settings and project
    (``v1/runs/<id>.json``). The next run of the same settings deletes the entries that it no longer uses:
    the old entry of a file whose content changed, and the entries of files that are gone (or excluded now)
    below the paths it checked; files outside those paths keep theirs. Then, if the run wrote entries, the
    directory is held under its size cap: the least recently used entries (hits refresh an entry's mtime)
    are deleted down to 80% of the cap.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.root = directory / VERSION

    def _manifest(self, run: str) -> Path:
        return self.root / RUNS / f"{run}.json"

    def _entry(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def _read_manifest(self, run: str) -> dict[str, str]:
        try:
            data = json.loads(self._manifest(run).read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str) and _is_key(v)}

    def prune(self, run: str, used: dict[str, str], in_scope: Callable[[str], bool]) -> int:
        """Delete the entries of this run's settings that it did not use; returns how many were deleted."""
        before = self._read_manifest(run)
        deleted = 0
        keep = dict(before)
        for relpath, old in before.items():
            new = used.get(relpath)
            if new == old:
                continue
            if new is not None or in_scope(relpath):
                deleted += self._delete(old)
                keep.pop(relpath)
        keep.update(used)
        if keep != before:
            self._write_manifest(run, keep)
        return deleted

    def _delete(self, key: str) -> int:
        try:
            os.unlink(self._entry(key))
        except OSError:
            return 0
        return 1

    def _write_manifest(self, run: str, mapping: dict[str, str]) -> None:
        target = self._manifest(run)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(str(target), json.dumps(mapping, sort_keys=True).encode("utf-8"), ".json")
        except OSError:
            pass

    def entries(self) -> list[tuple[float, int, str]]:
        """(mtime, size, path) of every entry file."""
        found = []
        try:
            shards = [e for e in os.scandir(self.root) if e.is_dir() and len(e.name) == 2]
        except OSError:
            return []
        for shard in shards:
            try:
                for entry in os.scandir(shard.path):
                    if entry.name.endswith(".json") and not entry.name.startswith("."):
                        info = entry.stat()
                        found.append((info.st_mtime, info.st_size, entry.path))
            except OSError:
                continue
        return found

    def cap(self, max_bytes: int) -> int:
        """Delete the least recently used entries while the total is over ``max_bytes``; returns how many."""
        if max_bytes <= 0:
            return 0
        entries = self.entries()
        total = sum(size for _, size, _ in entries)
        if total <= max_bytes:
            return 0
        deleted = 0
        for _, size, path in sorted(entries):
            if total <= max_bytes * CAP_TARGET:
                break
            try:
                os.unlink(path)
            except OSError:
                continue
            total -= size
            deleted += 1
        return deleted

    def is_ours(self) -> bool:
        """Whether the directory is a keras-compat cache (``clean`` deletes nothing else)."""
        tag = self.directory / "CACHEDIR.TAG"
        try:
            return self.directory.is_dir() and "keras-compat" in tag.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False

    def clean(self) -> tuple[int, int]:
        """Delete the whole cache directory; returns (entries, bytes) that were in it."""
        import shutil

        entries = self.entries()
        shutil.rmtree(self.directory)
        return len(entries), sum(size for _, size, _ in entries)


def _is_key(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)
