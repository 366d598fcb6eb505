"""Compatibility code: import fallbacks and Keras flavour/version switches are not findings.

Two shapes are recognised:

* ``try: <imports> except ImportError: <other imports>`` (also ``ModuleNotFoundError``, ``Exception``,
  ``AttributeError`` and bare ``except``): each branch is an alternative to the other.
* ``if <switch>: <imports> else: <other imports>``: an ``if``/``else`` whose branches import different
  Keras flavours selects between them (environment variable, version check, ``TF_KERAS`` flag ...).

Code inside a branch of a Keras version/flavour switch is compatibility code too; rules that respect
compatibility code do not report there, and no fix rewrites it. A switch is an ``if`` whose test names
a version or flavour (``if Version(tf.__version__) >= Version("2.13")``, ``if keras.__version__ ...``,
``if TF_KERAS:``, ``if K.backend() == ...``) or reads a Keras environment variable or attribute by name
(``if os.environ['TF_KERAS']:``, ``if os.environ.get("TF_USE_LEGACY_KERAS")``, ``if hasattr(tf,
"keras")``), or whose other branch imports Keras (``if ...: from tensorflow.python import keras /
else: import keras``). An import in such a branch is a deliberate choice of library or version: KC101
does not ask to move it to ``tensorflow.keras`` (a path the switch's other branch may not have).
"""

from __future__ import annotations

import ast

from keras_compat.gate import mentions_any
from keras_compat.names import Flavour, keras_name
from keras_compat.record import Record
from keras_compat.walk import in_body, walk, walk_statements

_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException", "AttributeError"}
_SWITCH_WORDS = r"(?i)keras|version|tf2|tf_?1|legacy|backend"
#: The same words, looked for with ``in`` in the lowered text of an ASCII name (what the expression means
#: there, without compiling it: 1.6 M instructions at the first ``if`` of a run; see
#: :func:`keras_compat.gate.mentions_any`).
_SWITCH_PLAIN = ("keras", "version", "tf2", "tf1", "tf_1", "legacy", "backend")
#: String constants in an ``if`` test that make it a switch: environment variables and attribute names
#: (``os.environ["TF_KERAS"]``, ``"KERAS_BACKEND"``, ``hasattr(tf, "keras")``).
_SWITCH_STRINGS = r"(?i)keras"


def catches_import_error(handler: ast.ExceptHandler) -> bool:
    """Whether an ``except`` clause would catch a failed import."""
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for exc_type in types:
        name = exc_type.attr if isinstance(exc_type, ast.Attribute) else getattr(exc_type, "id", "")
        if name in _IMPORT_ERRORS:
            return True
    return False


def imported_flavours(statements: list[ast.stmt]) -> set[Flavour]:
    """Keras flavours imported anywhere in ``statements``. (Only their statements are walked: an import is a
    statement, and statements are never inside an expression.)"""
    found: set[Flavour] = set()
    imports = _IMPORT_CLASSES
    for stmt in statements:
        for node in walk_statements(stmt):
            if node.__class__ in imports:
                for module in import_modules(node):
                    name = keras_name(module)
                    if name is not None:
                        found.add(name.flavour)
    return found


_IMPORT_CLASSES = (ast.Import, ast.ImportFrom)


def import_modules(node: ast.AST) -> list[str]:
    """Fully qualified names an import statement brings in (module names for ``import``), one per alias of
    ``node.names`` (none for a relative import or another node). A list, not a generator: every import of
    every file asks, and most bring in one name."""
    if node.__class__ is ast.Import:
        return [alias.name for alias in node.names]  # type: ignore[attr-defined]
    if node.__class__ is ast.ImportFrom and node.level == 0 and node.module:  # type: ignore[attr-defined]
        module = node.module  # type: ignore[attr-defined]
        prefix = module + "."
        return [module if alias.name == "*" else prefix + alias.name for alias in node.names]  # type: ignore
    return []


class ImportGuard(Record):
    """How an import statement is guarded."""

    guarded: bool  # inside a try/except-ImportError or a flavour-selecting if/else
    alternatives: frozenset[Flavour]  # Keras flavours imported by the other branches
    switch: bool = False  # inside a branch of a Keras version/flavour switch (see the module docstring)

    def __init__(self, guarded: bool, alternatives: frozenset[Flavour], switch: bool = False) -> None:
        # Written out (tests/test_record.py checks it against the fields): one per import statement.
        values = self.__dict__
        values["guarded"], values["alternatives"], values["switch"] = guarded, alternatives, switch


#: The guard of an import outside every try/if (most imports): one shared (frozen) record.
UNGUARDED = ImportGuard(False, frozenset(), False)


def import_guard(node: ast.AST, parents: dict[ast.AST, ast.AST],
                 memo: dict[int, set[Flavour]] | None = None) -> ImportGuard:
    """The guard around an import statement (walking out through every enclosing try/if). ``memo`` keeps
    the flavours imported by each statement list looked at, for the next import of the same file: each
    import of a long branch would otherwise walk the other branch again."""
    memo = {} if memo is None else memo

    def flavours_in(statements: list[ast.stmt]) -> set[Flavour]:
        found = memo.get(id(statements))
        if found is None:
            found = memo[id(statements)] = imported_flavours(statements)
        return found

    guarded = switch = False
    alternatives: set[Flavour] = set()
    child: ast.AST = node
    parent = parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.Try) or type(parent).__name__ == "TryStar":
            handlers = [h for h in parent.handlers if catches_import_error(h)]  # type: ignore[attr-defined]
            if handlers:
                body = parent.body  # type: ignore[attr-defined]
                if in_body(parent, child):
                    guarded = True
                    for handler in handlers:
                        alternatives |= flavours_in(handler.body)
                elif any(child is h for h in handlers):
                    guarded = True
                    alternatives |= flavours_in(body)
        elif isinstance(parent, ast.If) and child is not parent.test:
            other = parent.orelse if in_body(parent, child) else parent.body
            flavours = flavours_in(other)
            if flavours:
                guarded = switch = True
                alternatives |= flavours
            elif is_switch_test(parent.test):
                switch = True
        child, parent = parent, parents.get(parent)
    if not (guarded or switch or alternatives):
        return UNGUARDED
    return ImportGuard(guarded, frozenset(alternatives), switch)


def is_switch_test(test: ast.expr) -> bool:
    """Whether an ``if`` test looks like a Keras version or flavour switch."""
    for node in walk(test):
        word = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        if word and mentions_any(word, _SWITCH_PLAIN, _SWITCH_WORDS):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 100 and \
                mentions_any(node.value, ("keras",), _SWITCH_STRINGS):
            return True
    return False


def in_switch_branch(node: ast.AST, parents: dict[ast.AST, ast.AST], tests: dict[int, bool] | None = None) -> bool:
    """Whether ``node`` lies in a branch of a Keras version/flavour switch (compatibility code).

    ``tests`` memoises :func:`is_switch_test` per ``if`` test (a long ``elif`` chain would otherwise walk
    every test again for every node below it).
    """
    child: ast.AST = node
    parent = parents.get(node)
    branching = _BRANCHING
    while parent is not None:
        if parent.__class__ in branching and child is not parent.test:  # type: ignore[attr-defined]
            test = parent.test  # type: ignore[attr-defined]
            if tests is None:
                if is_switch_test(test):
                    return True
            else:
                known = tests.get(id(test))
                if known is None:
                    known = tests[id(test)] = is_switch_test(test)
                if known:
                    return True
        child, parent = parent, parents.get(parent)
    return False


_BRANCHING = frozenset({ast.If, ast.IfExp})  # (a class test per ancestor: cheaper than isinstance)
