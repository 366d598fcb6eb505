"""The top-level package a linted file belongs to, read from the ``__init__.py`` files around it.

A package that imports its own modules is not migrating anything: ``keras.src`` inside Keras 3,
``keras.engine`` inside Keras 2 or ``tensorflow.python.keras`` inside TensorFlow are that library's own
layout (pylint exempts same-package imports from ``import-private-name`` for the same reason). The
import rules ask :func:`own_package` and stay silent on imports of it. Only the file system is read
(whether ``__init__.py`` exists); nothing is imported.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from keras_compat.names import LIBRARY_ROOTS
from keras_compat.walk import walk_statements

#: Names front-ends use for text that has no file (flake8 and the CLI read ``-``/``stdin``).
_NO_FILE = frozenset({"", "-", "stdin", "<stdin>", "<string>", "<unknown>"})

#: ``os.path.join(directory, "__init__.py")`` as a concatenation, for a directory with a name (posix paths).
_POSIX, _INIT = os.sep == "/", "/__init__.py"

#: Deeper package chains than this are not real code; the walk stops there.
_MAX_DEPTH = 64

#: Directory -> its package chain (:func:`_chain`), and (kind, working directory, file name) -> a file's
#: :func:`own_package` or :func:`location`, only while :func:`remembered` is active (one run).
_memo: dict[Any, Any] | None = None
T = TypeVar("T")


def _per_file(kind: str, filename: str, compute: Callable[[str], T]) -> T | None:
    """``compute(filename)``, None for text without a file; remembered per file while :func:`remembered` is
    active, keyed by ``kind``, the working directory (a relative name means another file elsewhere) and the
    name. (The engine, the context and the import rules each ask about the file being analysed.)"""
    if filename in _NO_FILE or filename.startswith("<"):
        return None
    memo = _memo
    if memo is None:
        return compute(filename)
    try:
        key = (kind, os.getcwd(), filename)
    except OSError:  # the working directory was removed: worked out (and failing) as without a run
        return compute(filename)
    known = memo.get(key, _UNSET)
    if known is _UNSET:
        known = memo[key] = compute(filename)
    return known


_UNSET = object()


def own_package(filename: str) -> str | None:
    """The top-level package containing ``filename`` (``keras`` for ``.../keras/src/layers/core.py``): the
    highest directory in an unbroken chain of ``__init__.py`` files above the file. None for text without a
    file (stdin), a file outside any package, or a path that cannot be read (remembered per run:
    :func:`_per_file`)."""
    return _per_file("own", filename, _own_package)


def _own_package(filename: str) -> str | None:
    try:
        parts = _chain(os.path.dirname(os.path.abspath(filename)))[1]
    except (OSError, ValueError):  # odd paths (null bytes, too long): no package rather than a failure
        return None
    return parts[-1] if parts else None


@contextmanager
def remembered(memo: dict[Any, Any] | None = None) -> Iterator[None]:
    """Remember each directory's package for the duration of one run over many files (a CLI run asks
    twice per file: for the cache key and for the analysis), in ``memo`` when given (a plugin's run enters
    this once per file). Outside it nothing is cached, so a long-lived host (an editor's server, a test
    session) sees an ``__init__.py`` added between runs."""
    outer = enter(memo)
    try:
        yield
    finally:
        leave(outer)


def enter(memo: dict[Any, Any] | None = None) -> dict[Any, Any] | None:
    """The start of :func:`remembered` (a plugin's host run enters it once per file, without a generator):
    what it returns is handed to :func:`leave` at the end."""
    global _memo
    outer = _memo
    _memo = outer if outer is not None else {} if memo is None else memo
    return outer


def leave(outer: dict[Any, Any] | None) -> None:
    """The end of :func:`remembered`: the memo as it was before :func:`enter`."""
    global _memo
    _memo = outer


def remember_for_process() -> None:
    """:func:`remembered` for the rest of a process that lives for one run only (a ``-j`` worker)."""
    global _memo
    _memo = {} if _memo is None else _memo


def _chain(directory: str) -> tuple[str, tuple[str, ...]]:
    """``(root, names)``: the unbroken chain of importable ``__init__.py`` directories from ``directory`` up
    (their names, innermost first) and the directory above it, the one Python imports the top package from.
    A few ``stat`` calls; remembered per directory while :func:`remembered` is active."""
    memo = _memo
    if memo is not None:
        known = memo.get(directory)
        if known is not None:
            return known
    names: list[str] = []
    root = directory
    for _ in range(_MAX_DEPTH):
        name = os.path.basename(root)
        # ``my-project/__init__.py`` is not importable as a package
        if not name.isidentifier() or not os.path.isfile(root + _INIT if _POSIX else os.path.join(root, "__init__.py")):
            break
        names.append(name)
        parent = os.path.dirname(root)
        if parent == root:
            break
        root = parent
    found = (root, tuple(names))
    if memo is not None:
        memo[directory] = found
    return found


def location(filename: str) -> tuple[str, str, bool] | None:
    """Where a file sits as a module: ``(root, module name, is a package)``, the root being the directory
    Python imports it from (the one above its top-level package; a file outside any package is a top-level
    module of its own directory, as when it is run as a script). None for text without a file or a name
    that is not importable (remembered per run: :func:`_per_file`)."""
    return _per_file("location", filename, _location)


def _location(filename: str) -> tuple[str, str, bool] | None:
    try:
        directory, base = os.path.split(os.path.abspath(filename))
        stem = base.rpartition(".")[0] if "." in base else base
        root, names = _chain(directory)
    except (OSError, ValueError):
        return None
    parts = list(reversed(names))
    is_package = base == "__init__.py" and bool(parts)
    if not is_package:
        if not stem.isidentifier():
            return None
        parts.append(stem)
    return root, ".".join(parts), is_package


def library_package(filename: str) -> str | None:
    """:func:`own_package` when it is a Keras library (``keras``, ``tf_keras``, ``tensorflow``), else None:
    a project's own names are never Keras names, except through ``extra-backend-aliases``, which must
    keep resolving inside that project."""
    own = own_package(filename)
    return own if own in LIBRARY_ROOTS else None


#: Roots of the modules whose names some rule can match, besides the Keras libraries: the removed
#: backends (KC105). ``os`` counts too, when the text sets ``KERAS_BACKEND`` (KC104). (Also read by
#: :mod:`keras_compat.anchor`.)
BACKEND_ROOTS = frozenset({"theano", "cntk"})


def import_statements(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """The module's import statements, found without visiting a single expression (:func:`walk_statements`)."""
    for node in walk_statements(tree):
        if node.__class__ is ast.Import or node.__class__ is ast.ImportFrom:
            yield node  # type: ignore[misc]


def reaches_outside(tree: ast.Module, text: str, own: str, backend_aliases: Iterable[str] = ()) -> bool:
    """Whether a module of the Keras library ``own`` imports anything a rule could match. Every name a
    rule resolves comes from an absolute import, and inside the library its own names resolve to nothing;
    so a module importing only itself, relatively or from unrelated packages (numpy, ...) has no finding,
    and the analysis (the costly part: one traversal of every expression) can be skipped."""
    roots = set(LIBRARY_ROOTS | BACKEND_ROOTS)
    roots.update(alias.partition(".")[0] for alias in backend_aliases)
    if "KERAS_BACKEND" in text:
        roots.add("os")
    roots.discard(own)
    for node in import_statements(tree):
        if isinstance(node, ast.Import):
            if any(alias.name.partition(".")[0] in roots for alias in node.names):
                return True
        elif not node.level and (node.module or "").partition(".")[0] in roots:
            return True
    return False
