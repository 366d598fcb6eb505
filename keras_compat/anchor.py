"""Whether a module imports anything a rule can resolve: Keras, TensorFlow, the old backends or its project.

Every name a rule resolves comes from an import (:mod:`keras_compat.resolver`): an absolute import of
Keras, TensorFlow or tf_keras, a relative import or an import of a project module (which may re-export a
Keras name), a star import, or a module named in ``extra-backend-aliases``; ``Context.uses_keras`` is
made of the same imports, and KC105's findings need a Theano or CNTK import. A module without any of them
(one that mentions Keras only in a comment, a docstring or ``install_requires``: ``setup.py``, utilities next
to a model) cannot hold a finding of a rule that needs such a name, so the engine runs there only the rules
declared :attr:`~keras_compat.registry.Rule.import_free` that its imports or words allow (KC104 with an
``os`` import, KC204 with a method only Keras models have), and usually none: no context is built.
Statements only are read, the top-level ones first (most modules import Keras at their top), so an
anchored module costs a few dozen instructions.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from keras_compat.names import LIBRARY_ROOTS
from keras_compat.package import BACKEND_ROOTS, import_statements

#: Top-level packages whose import anchors a module: the Keras flavours and the old backends (KC105).
ROOTS = LIBRARY_ROOTS | BACKEND_ROOTS


def _roots(node: ast.Import | ast.ImportFrom) -> Iterable[str] | None:
    """The top-level names an import reads; None when it anchors by its form (relative or star)."""
    if node.__class__ is ast.ImportFrom:
        if node.level or any(alias.name == "*" for alias in node.names):  # type: ignore[union-attr]
            return None
        return ((node.module or "").partition(".")[0],)  # type: ignore[union-attr]
    return (alias.name.partition(".")[0] for alias in node.names)


def _unanchored(imports: Iterable[ast.AST], roots: frozenset[str],
                is_project_root: Callable[[str], bool] | None) -> set[str] | None:
    """The top-level names the imports among ``imports`` read; None when one of them anchors the module."""
    found: set[str] = set()
    for node in imports:
        if node.__class__ is not ast.Import and node.__class__ is not ast.ImportFrom:
            continue
        names = _roots(node)  # type: ignore[arg-type]
        if names is None:
            return None
        for root in names:
            if root in roots:
                return None
            found.add(root)
    if is_project_root is not None and any(map(is_project_root, found)):
        return None
    return found


def unanchored(tree: ast.Module, aliases: Iterable[str],
               is_project_root: Callable[[str], bool] | None) -> frozenset[str] | None:
    """The top-level names of the modules the module imports, or None when it is anchored: it imports Keras,
    TensorFlow, an old backend, its project (``is_project_root``: None when the project index is off) or an
    ``extra-backend-aliases`` module, or has a relative or star import. The top-level imports are looked at
    first (most modules import Keras or their project at their top), the statements inside functions,
    classes and ``try`` blocks only when those do not decide."""
    roots = ROOTS | {alias.partition(".")[0] for alias in aliases} if aliases else ROOTS
    if _unanchored(tree.body, roots, is_project_root) is None:
        return None
    found = _unanchored(import_statements(tree), roots, is_project_root)
    return None if found is None else frozenset(found)
