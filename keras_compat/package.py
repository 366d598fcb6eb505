"""The top-level package a linted file belongs to, read from the ``__init__.py`` files around it.

A package that imports its own modules is not migrating anything: ``keras.src`` inside Keras 3,
``keras.engine`` inside Keras 2 or ``tensorflow.python.keras`` inside TensorFlow are that library's own
layout (pylint exempts same-package imports from ``import-private-name`` for the same reason). The
import rules ask :func:`own_package` and stay silent on imports of it. Only the file system is read
(whether ``__init__.py`` exists); nothing is imported.
"""

from __future__ import annotations

import os

#: Names front-ends use for text that has no file (flake8 and the CLI read ``-``/``stdin``).
_NO_FILE = frozenset({"", "-", "stdin", "<stdin>", "<string>", "<unknown>"})

#: Deeper package chains than this are not real code; the walk stops there.
_MAX_DEPTH = 64


def own_package(filename: str) -> str | None:
    """The top-level package containing ``filename`` (``keras`` for ``.../keras/src/layers/core.py``): the
    highest directory in an unbroken chain of ``__init__.py`` files above the file. None for text without a
    file (stdin), a file outside any package, or a path that cannot be read."""
    if filename in _NO_FILE or filename.startswith("<"):
        return None
    try:
        return _top_package(os.path.dirname(os.path.abspath(filename)))
    except (OSError, ValueError):  # odd paths (null bytes, too long): no package rather than a failure
        return None


def _top_package(directory: str) -> str | None:
    """Not cached: a few ``stat`` calls per file cost microseconds, and a long-lived host (an editor's
    server, a test session) must see an ``__init__.py`` added between two runs."""
    found = None
    for _ in range(_MAX_DEPTH):
        if not os.path.isfile(os.path.join(directory, "__init__.py")):
            break
        name = os.path.basename(directory)
        if not name.isidentifier():
            break  # ``my-project/__init__.py`` is not importable as a package
        found = name
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return found
