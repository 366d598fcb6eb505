"""Which files a run checks: recursive ``.py`` and ``.ipynb`` discovery with gitignore excludes.

Below a directory, files ending in ``.py`` or ``.ipynb`` are checked, plus files matching an
``extend-include`` pattern (such a file is read as Python unless it is a ``.ipynb`` notebook).

Patterns (``exclude``, ``extend-exclude``, ``extend-include``, ``per-file-ignores``) have full gitignore
semantics (the ``pathspec`` library's :class:`~pathspec.GitIgnoreSpec`), on ``/``-separated paths relative
to the project root (the directory of the configuration file, else the current directory): a pattern
without an inner ``/`` matches at any depth (``migrations``, ``*_pb2.py``), one with a ``/`` is anchored
(``src/gen/*.py``, ``/build``), ``*``/``?``/``[...]`` do not cross ``/``, ``**`` matches directories, a
trailing ``/`` matches directories only, and ``!pattern`` re-includes what an earlier pattern of the same
list excluded (the last matching pattern wins; as in git, a file below an excluded directory cannot be
re-included, since the directory is not entered).

Ignore files (``respect-gitignore``, on by default; ``--no-respect-gitignore``): inside a git repository
(a ``.git`` at or above the directory walked), ``.gitignore`` files and ``.git/info/exclude`` are read as
git reads them, each pattern relative to its file's directory, a deeper file overriding a shallower one;
``.ignore`` files (ripgrep's and ruff's) are read in and out of repositories and override ``.gitignore``.
Ignore files in the directories above the walked one, up to the repository root, count too.

Symbolic links below the paths given: directories are not entered and links to files outside the tree
are skipped, unless ``--follow-links`` (``follow-links = true``), which enters each real directory once
(link loops end).

Default skips (always, below the paths given): VCS directories, virtual environments (any directory
holding ``pyvenv.cfg``), ``build``, ``dist``, ``__pycache__``, caches, ``node_modules``, ``.tox``,
``.nox`` and ``site-packages``. Paths named explicitly on the command line are always checked, whatever
their name, the patterns or the ignore files, unless ``--force-exclude`` (``force-exclude = true``): then a
named path is skipped when a walk would skip it (pre-commit names every changed file).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import pathspec

DEFAULT_SKIPS = frozenset({
    ".git", ".hg", ".svn", ".bzr", "_darcs", ".venv", "venv", ".direnv", "build", "dist", "__pycache__",
    ".keras_compat_cache", "node_modules", ".tox", ".nox", "site-packages", ".eggs", ".mypy_cache",
    ".pytest_cache", ".ruff_cache", ".hypothesis", "__pypackages__",
})
EXTENSIONS = (".py", ".ipynb")


IGNORE_FILES = (".gitignore", ".ignore")  # in this order: .ignore overrides .gitignore


def _pattern(raw: str) -> str:
    text = raw.strip()
    return text[2:] if text.startswith("./") else text


@lru_cache(maxsize=512)
def spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """The compiled gitignore list (cached: a run matches the same few lists against every path)."""
    return pathspec.GitIgnoreSpec.from_lines([_pattern(p) for p in patterns])


def _subject(relpath: str, is_dir: bool) -> str:
    parts = [p for p in relpath.split("/") if p and p != "."]
    return "/".join(parts) + ("/" if is_dir and parts else "")


def matches(relpath: str, pattern: str, is_dir: bool = False) -> bool:
    """Whether ``relpath`` (``/``-separated, relative to the root) or one of its parents matches."""
    return matches_any(relpath, (pattern,), is_dir)


def matches_any(relpath: str, patterns: Iterable[str], is_dir: bool = False) -> bool:
    """Whether the gitignore list ``patterns`` excludes ``relpath`` (the last matching pattern decides)."""
    patterns = tuple(patterns)
    if not patterns:
        return False
    subject = _subject(relpath, is_dir)
    return bool(subject) and spec(patterns).match_file(subject)


class Ignores:
    """The ignore files in force in one directory: ``(base directory, spec)`` layers, deepest last.

    ``ignored`` asks the deepest layer first; a layer that has a matching pattern decides (a ``!`` pattern
    re-includes), else the next one up does, as git does across nested ``.gitignore`` files.
    """

    def __init__(self, layers: tuple[tuple[str, pathspec.GitIgnoreSpec], ...] = (), in_repo: bool = False,
                 problems: list[tuple[str, str]] | None = None) -> None:
        self.layers = layers
        self.in_repo = in_repo
        self.problems = problems

    def _read(self, path: str) -> pathspec.GitIgnoreSpec | None:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                lines = fh.read().splitlines()
        except FileNotFoundError:
            return None
        except OSError as exc:
            if self.problems is not None and not isinstance(exc, (IsADirectoryError, NotADirectoryError)):
                self.problems.append((display_path(Path(path)), f"cannot read ignore file: {exc.strerror or exc}"))
            return None
        return pathspec.GitIgnoreSpec.from_lines(lines) if any(line.strip() for line in lines) else None

    def enter(self, directory: str) -> Ignores:
        """The ignores in force inside ``directory`` (an absolute path): these plus its own ignore files."""
        added = []
        for name in IGNORE_FILES:
            if name == ".gitignore" and not self.in_repo:
                continue
            found = self._read(os.path.join(directory, name))
            if found is not None:
                added.append((directory, found))
        return Ignores(self.layers + tuple(added), self.in_repo, self.problems) if added else self

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether ``path`` (absolute) is ignored."""
        for base, rules in reversed(self.layers):
            if not _below(path, base):
                continue
            rel = path[len(base):].lstrip(os.sep).replace(os.sep, "/")
            result = rules.check_file(rel + "/" if is_dir else rel)
            if result.include is not None:
                return bool(result.include)
        return False


def _below(path: str, base: str) -> bool:
    """Whether ``path`` is strictly inside the directory ``base`` (both absolute)."""
    return path.startswith(base.rstrip(os.sep) + os.sep)


def repository_root(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` (absolute) holding ``.git`` (a directory or a file)."""
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def ignores_for(directory: str, problems: list[tuple[str, str]] | None = None) -> Ignores:
    """The ignore files in force in ``directory`` (absolute): ``.git/info/exclude`` and the ignore files of
    every directory from the repository root down to it (only its own ``.ignore`` outside a repository)."""
    repo = repository_root(directory)
    ignores = Ignores((), repo is not None, problems)
    if repo is None:
        return ignores.enter(directory)
    exclude = ignores._read(os.path.join(repo, ".git", "info", "exclude"))
    if exclude is not None:
        ignores = Ignores(((repo, exclude),), True, problems)
    chain = [directory]
    while chain[-1] != repo:
        chain.append(os.path.dirname(chain[-1]))
    for step in reversed(chain):
        ignores = ignores.enter(step)
    return ignores


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
          state: _Walk | None = None, real_dir: str | None = None,
          ignores: Ignores | None = None) -> Iterator[tuple[Path, str]]:
    """(file, its real path) below ``directory``. Symbolic links to directories are not entered, and links to
    files outside the directory given are not checked, unless ``state.follow_links`` (then each real
    directory is entered once, so link loops end). ``real_dir`` is the directory's real path: a file that
    is not a link is found there, so only links cost a ``realpath``. ``ignores``: the ignore files in force
    in ``directory`` (None: ignore files are not read)."""
    state = state or _Walk(directory, False, None)
    real_dir = real_dir or os.path.realpath(directory)
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        if state.problems is not None:
            state.problems.append((display_path(directory), f"cannot read directory: {exc.strerror or exc}"))
        return
    base = os.path.abspath(directory) if ignores is not None and ignores.layers else ""
    for entry in entries:
        try:
            link = entry.is_symlink()
            if entry.is_dir():
                if link and not state.follow_links or _skip_dir(entry, root, excludes):
                    continue
                if base and ignores is not None and ignores.ignored(os.path.join(base, entry.name), True):
                    continue
                real = os.path.realpath(entry.path) if link else os.path.join(real_dir, entry.name)
                if real in state.visited:  # a link loop, or a second way into a directory already walked
                    continue
                state.visited.add(real)
                inner = ignores.enter(os.path.abspath(entry.path)) if ignores is not None else None
                yield from _walk(Path(entry.path), root, excludes, includes, state, real, inner)
            elif _wanted(entry, root, includes) and entry.is_file():
                if link and not state.follow_links and not state.inside(entry.path):
                    continue  # a link leaving the tree
                if base and ignores is not None and ignores.ignored(os.path.join(base, entry.name), False):
                    continue
                path = Path(entry.path)
                if not (excludes and matches_any(relative(path, root), excludes)):
                    yield path, os.path.realpath(entry.path) if link else os.path.join(real_dir, entry.name)
        except OSError as exc:
            if state.problems is not None:
                state.problems.append((display_path(Path(entry.path)), f"cannot read: {exc.strerror or exc}"))


def skipped_by_walk(path: Path, root: Path, excludes: Sequence[str], respect_gitignore: bool,
                    problems: list[tuple[str, str]] | None = None) -> bool:
    """Whether a walk from the root would skip ``path`` (``--force-exclude`` for paths named explicitly):
    a default skip or an excluded directory among its parents below the root, an exclude pattern, or an
    ignore file."""
    absolute = os.path.abspath(path)
    is_dir = os.path.isdir(absolute)
    rel = relative(path, root)
    parts = [p for p in rel.split("/") if p and p != "."] if not os.path.isabs(rel) else []
    base = os.path.abspath(root)
    for n, name in enumerate(parts[:-1] if not is_dir else parts):
        here = os.path.join(base, *parts[:n + 1])
        if name in DEFAULT_SKIPS or name.endswith(".egg-info") or is_virtualenv(Path(here)):
            return True
    if excludes and matches_any(rel, excludes, is_dir=is_dir):
        return True
    if respect_gitignore:
        parent = os.path.dirname(absolute)
        ignores = ignores_for(parent, problems)
        chain = [absolute]
        while True:  # the path and each parent up to the repository (or the ignores' reach)
            if ignores.ignored(chain[-1], chain[-1] != absolute or is_dir):
                return True
            up = os.path.dirname(chain[-1])
            if up == chain[-1] or not any(_below(up, b) for b, _ in ignores.layers):
                break
            chain.append(up)
    return False


def discover(paths: Sequence[str], root: Path, excludes: Sequence[str],
             includes: Sequence[str] = (), *, follow_links: bool = False,
             problems: list[tuple[str, str]] | None = None, respect_gitignore: bool = True,
             force_exclude: bool = False) -> tuple[list[Path], list[str]]:
    """(files to check in a stable order, paths that do not exist). ``-`` (stdin) is not handled here.

    ``includes`` (``extend-include``): patterns of further files to check below directories.
    ``follow_links``: enter symlinked directories and check links to files outside the tree (loop-safe).
    ``problems`` receives ``(path, message)`` for directories that cannot be read.
    ``respect_gitignore``: skip what ``.gitignore``/``.ignore`` files ignore while walking.
    ``force_exclude``: paths named explicitly are skipped when a walk would skip them.
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
        if not exists:
            missing.append(raw)
            continue
        if force_exclude and skipped_by_walk(path, root, excludes, respect_gitignore, problems):
            continue
        if is_dir:
            ignores = ignores_for(os.path.abspath(path), problems) if respect_gitignore else None
            candidates: Iterable[tuple[Path, str]] = _walk(path, root, excludes, includes,
                                                           _Walk(path, follow_links, problems), None, ignores)
        else:
            candidates = [(path, os.path.realpath(path))]  # named explicitly: checked (unless force_exclude)
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
