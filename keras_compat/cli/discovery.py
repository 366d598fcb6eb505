"""Which files a run checks: recursive ``.py`` and ``.ipynb`` discovery with gitignore-style excludes.

Below a directory, files ending in ``.py`` or ``.ipynb`` are checked, plus files matching an
``extend-include`` pattern (same pattern syntax as below; such a file is read as Python unless it is a
``.ipynb`` notebook).

Pattern semantics (``exclude``, ``extend-exclude``, ``per-file-ignores``), matched against paths relative
to the project root (the directory of the configuration file, else the current directory), with ``/``
separators:

* a pattern without ``/`` matches any single path component (``migrations`` or ``*_pb2.py``), like
  ``.gitignore``;
* a pattern with ``/`` is anchored at the root (``src/gen/*.py``; a leading ``/`` is allowed);
* ``*`` and ``?`` do not cross ``/``; ``**`` matches any number of directories;
* a trailing ``/`` restricts the pattern to directories; a matching directory excludes everything below.

Symbolic links below the paths given: directories are not entered and links to files outside the tree
are skipped, unless ``--follow-links`` (``follow-links = true``), which enters each real directory once
(link loops end).

Default skips (always, below the paths given): VCS directories, virtual environments (any directory
holding ``pyvenv.cfg``), ``build``, ``dist``, ``__pycache__``, caches, ``node_modules``, ``.tox``,
``.nox`` and ``site-packages``. Paths named explicitly on the command line are always checked, whatever
their name or the patterns.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

DEFAULT_SKIPS = frozenset({
    ".git", ".hg", ".svn", ".bzr", "_darcs", ".venv", "venv", ".direnv", "build", "dist", "__pycache__",
    ".keras_compat_cache", "node_modules", ".tox", ".nox", "site-packages", ".eggs", ".mypy_cache",
    ".pytest_cache", ".ruff_cache", ".hypothesis", "__pypackages__",
})
EXTENSIONS = (".py", ".ipynb")


@lru_cache(maxsize=512)
def _compile(pattern: str) -> tuple[re.Pattern[str], bool, bool]:
    """(regex, anchored, directory_only) for one pattern."""
    dir_only = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    anchored = "/" in pattern
    pattern = pattern.lstrip("/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z"), anchored, dir_only


def matches(relpath: str, pattern: str, is_dir: bool = False) -> bool:
    """Whether ``relpath`` (``/``-separated, relative to the root) or one of its parents matches."""
    regex, anchored, dir_only = _compile(pattern)
    parts = [p for p in relpath.split("/") if p and p != "."]
    for n in range(1, len(parts) + 1):
        this_is_dir = n < len(parts) or is_dir
        if dir_only and not this_is_dir:
            continue
        subject = "/".join(parts[:n]) if anchored else parts[n - 1]
        if regex.match(subject):
            return True
    return False


def matches_any(relpath: str, patterns: Iterable[str], is_dir: bool = False) -> bool:
    return any(matches(relpath, p, is_dir) for p in patterns)


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators (absolute if outside the root).

    String operations, not ``pathlib``: it runs once or twice per file, and on a warm cache the
    per-file work is small enough for ``Path`` construction to show."""
    absolute, base = os.path.abspath(path), os.path.abspath(root)
    folded, folded_base = os.path.normcase(absolute), os.path.normcase(base)
    if folded == folded_base:
        return "."
    prefix = folded_base if folded_base.endswith(os.sep) else folded_base + os.sep
    if folded.startswith(prefix):
        absolute = absolute[len(prefix):]
    return absolute.replace(os.sep, "/")


def is_virtualenv(directory: Path) -> bool:
    """Whether ``directory`` holds a ``pyvenv.cfg``; False when that cannot be known (an unreadable
    directory: the walk then fails to list it and reports it, instead of skipping it silently)."""
    try:
        return (directory / "pyvenv.cfg").is_file()
    except OSError:
        return False


def _skip_dir(entry: os.DirEntry[str], root: Path, excludes: Sequence[str]) -> bool:
    if entry.name in DEFAULT_SKIPS or entry.name.endswith(".egg-info"):
        return True
    path = Path(entry.path)
    if is_virtualenv(path):
        return True
    return bool(excludes) and matches_any(relative(path, root), excludes, is_dir=True)


def _wanted(entry: os.DirEntry[str], root: Path, includes: Sequence[str]) -> bool:
    if entry.name.endswith(EXTENSIONS):
        return True
    return bool(includes) and matches_any(relative(Path(entry.path), root), includes)


class _Walk:
    """What one walk needs besides the directory: symlink policy, directories entered, problems met."""

    def __init__(self, top: Path, follow_links: bool, problems: list[tuple[str, str]] | None) -> None:
        self.top = os.path.realpath(top)
        self.follow_links = follow_links
        self.visited = {self.top}  # real paths of the directories entered (with follow_links: no loops)
        self.problems = problems

    def inside(self, path: str) -> bool:
        real = os.path.realpath(path)
        return real == self.top or real.startswith(self.top.rstrip(os.sep) + os.sep)


def _walk(directory: Path, root: Path, excludes: Sequence[str], includes: Sequence[str] = (),
          state: _Walk | None = None, real_dir: str | None = None) -> Iterator[tuple[Path, str]]:
    """(file, its real path) below ``directory``. Symbolic links to directories are not entered, and links to
    files outside the directory given are not checked, unless ``state.follow_links`` (then each real
    directory is entered once, so link loops end). ``real_dir`` is the directory's real path: a file that
    is not a link is found there, so only links cost a ``realpath``."""
    state = state or _Walk(directory, False, None)
    real_dir = real_dir or os.path.realpath(directory)
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        if state.problems is not None:
            state.problems.append((display_path(directory), f"cannot read directory: {exc.strerror or exc}"))
        return
    for entry in entries:
        try:
            link = entry.is_symlink()
            if entry.is_dir():
                if link and not state.follow_links or _skip_dir(entry, root, excludes):
                    continue
                real = os.path.realpath(entry.path) if link else os.path.join(real_dir, entry.name)
                if real in state.visited:  # a link loop, or a second way into a directory already walked
                    continue
                state.visited.add(real)
                yield from _walk(Path(entry.path), root, excludes, includes, state, real)
            elif _wanted(entry, root, includes) and entry.is_file():
                if link and not state.follow_links and not state.inside(entry.path):
                    continue  # a link leaving the tree
                path = Path(entry.path)
                if not (excludes and matches_any(relative(path, root), excludes)):
                    yield path, os.path.realpath(entry.path) if link else os.path.join(real_dir, entry.name)
        except OSError as exc:
            if state.problems is not None:
                state.problems.append((display_path(Path(entry.path)), f"cannot read: {exc.strerror or exc}"))


def discover(paths: Sequence[str], root: Path, excludes: Sequence[str],
             includes: Sequence[str] = (), *, follow_links: bool = False,
             problems: list[tuple[str, str]] | None = None) -> tuple[list[Path], list[str]]:
    """(files to check in a stable order, paths that do not exist). ``-`` (stdin) is not handled here.

    ``includes`` (``extend-include``): patterns of further files to check below directories.
    ``follow_links``: enter symlinked directories and check links to files outside the tree (loop-safe).
    ``problems`` receives ``(path, message)`` for directories that cannot be read.
    """
    found: list[Path] = []
    missing: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as exc:  # e.g. a path inside a directory we may not enter
            if problems is not None:
                problems.append((raw, f"cannot read: {exc.strerror or exc}"))
            continue
        if is_dir:
            candidates: Iterable[tuple[Path, str]] = _walk(path, root, excludes, includes,
                                                           _Walk(path, follow_links, problems))
        elif exists:
            candidates = [(path, os.path.realpath(path))]  # named explicitly: always checked
        else:
            missing.append(raw)
            continue
        for candidate, key in candidates:
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found, missing


def display_path(path: Path) -> str:
    """How a file is shown in output: relative to the current directory when below it."""
    text = os.path.normpath(str(path))
    if os.path.isabs(text):
        try:
            rel = os.path.relpath(text)
        except ValueError:  # pragma: no cover - another drive on Windows
            return text
        return text if rel.startswith("..") else rel
    return text
