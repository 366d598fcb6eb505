"""The resolution path's shortcuts answer exactly what the full path does, on real files.

* :meth:`Resolver._unscoped`: a name bound once in the module scope and nowhere else resolves the same
  at every use, so :meth:`Resolver.qualname` skips the use's scope for it;
* :attr:`Context.keras_calls`: the root filter written out in the loop rejects and memoises exactly what
  :meth:`Context.keras` would.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from pathlib import Path

from support.examples import package_tests_and_examples

from keras_compat.context import Context
from keras_compat.resolver import _UNSEEN
from keras_compat.settings import Settings

_ROOT = Path(__file__).resolve().parent.parent

#: Names bound once at the top and again (or used) in every other kind of scope and position.
_SHADOWS = textwrap.dedent("""\
    import keras
    from keras import layers as L, backend as K
    from keras.layers import *
    import tensorflow as tf
    a = K
    b = a.sum
    c = c.d
    x = L.Dense(3)(K.zeros(2)) + Conv2D(1, 3)
    def f(L, *K):
        return L.Dense(2), K.sum, tf.keras.layers.Dense, a.x, b(1), c.e
    class A(keras.layers.Layer):
        tf = None
        y = tf.keras.Model, L.Dense
        def call(self, x):
            return tf.keras.Model, [K.sum for K in x], (lambda L: L.Dense)(x), keras.layers.Dense
    def g():
        global keras
        keras = 3
        return keras.layers.Dense
    if (L := 2):
        pass
    z = [layers.Dense for layers in ()], Dense(3), L.Dense
""")


def _sources() -> Iterator[tuple[str, str]]:
    yield _SHADOWS, "<string>"
    yield from package_tests_and_examples()


def _contexts() -> Iterator[tuple[ast.Module, str, str]]:
    for text, filename in _sources():
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        yield tree, text, filename


def test_a_name_bound_once_at_the_top_resolves_as_at_its_scope() -> None:
    """Every ``Name``/``Attribute`` of every file resolves to the same name with and without the shortcut."""
    checked = shortcut = 0
    for tree, text, filename in _contexts():
        fast, full = Context(tree, text, Settings(), filename), Context(tree, text, Settings(), filename)
        full.resolver._unscoped = lambda name: _UNSEEN  # type: ignore[method-assign]  # every use at its scope
        for node in full.parents:
            if node.__class__ is ast.Name or node.__class__ is ast.Attribute:
                expected = full.qualname(node)
                assert fast.qualname(node) == expected, (filename, ast.dump(node))
                checked += expected is not None
        shortcut += sum(found is not _UNSEEN for found in (fast.resolver._unscoped_memo or {}).values())
    assert checked > 5000 and shortcut > 1000


def test_the_shortcut_declines_names_bound_twice_or_in_inner_scopes() -> None:
    ctx = Context(ast.parse(_SHADOWS), _SHADOWS, Settings())
    ctx.keras_calls  # noqa: B018  (resolves the callees)
    for node in ctx.parents:
        ctx.qualname(node)
    memo = ctx.resolver._unscoped_memo or {}
    assert memo["K"] is _UNSEEN and memo["L"] is _UNSEEN and memo["tf"] is _UNSEEN and memo["keras"] is _UNSEEN
    assert memo["a"] == "keras.backend" and memo["Conv2D"] == "keras.layers.Conv2D"


def test_the_written_out_root_filter_of_keras_calls_is_keras() -> None:
    """:attr:`Context.keras_calls` is the plain loop over :meth:`Context.keras`, and leaves the same memo."""
    checked = 0
    for tree, text, filename in _contexts():
        fast, plain = Context(tree, text, Settings(), filename), Context(tree, text, Settings(), filename)
        expected = []
        for call in plain.calls:
            name = plain.keras(call.func)
            if name is not None and name.path:
                expected.append((call, name))
        assert fast.keras_calls == expected, filename
        assert fast._keras == plain._keras, filename
        checked += len(expected)
    assert checked > 500


def _plain_flavours(statements: list[ast.stmt]) -> set[object]:
    """:func:`imported_flavours` as a walk of every node (expressions included) computes it."""
    from keras_compat.names import keras_name

    found = set()
    for stmt in statements:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module if a.name == "*" else f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            found.update(name.flavour for name in map(keras_name, modules) if name is not None)
    return found


def test_the_imports_are_the_full_guard_walk() -> None:
    """:attr:`Context.imports` (its shortcut for the imports at the top) gives every import the guard and the
    function flag of the full walk out, and :func:`imported_flavours` (a walk of the statements only) finds
    what a walk of every node finds."""
    from keras_compat.guards import import_guard, imported_flavours

    checked = lists = 0
    for tree, text, filename in _contexts():
        ctx = Context(tree, text, Settings(), filename)
        expected = []
        for node in ctx.import_nodes:
            if isinstance(node, ast.ImportFrom) and node.level:
                continue
            in_function = any(isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                              for a in ctx.ancestors(node))
            for alias in node.names:
                expected.append((node, alias, import_guard(node, ctx.parents), in_function))
        assert [(r.node, r.alias, r.guard, r.in_function) for r in ctx.imports] == expected, filename
        checked += len(expected)
        for node in ast.walk(tree):
            for field in ("body", "orelse", "finalbody"):
                statements = getattr(node, field, None)
                if isinstance(statements, list) and statements and isinstance(statements[0], ast.stmt):
                    assert imported_flavours(statements) == _plain_flavours(statements), filename
                    lists += 1
    assert checked > 2000 and lists > 5000


class _StepView:
    """:meth:`View._resolve` as a loop that makes a :class:`Target` per step (what the view did before)."""

    @staticmethod
    def resolve_steps(view: object, qualname: str) -> object:
        from keras_compat.project import EXTERNAL, MISSING, MODULE, UNKNOWN, UNKNOWN_KIND, Target

        parts = qualname.split(".")
        if not view.is_root(parts[0]):  # type: ignore[attr-defined]
            return Target(EXTERNAL, qualname)
        if view._find(parts[0]) is None:  # type: ignore[attr-defined]
            return UNKNOWN
        current = Target(MODULE, parts[0])
        for index in range(1, len(parts)):
            if current.kind == EXTERNAL:
                return Target(EXTERNAL, ".".join([current.qualname, *parts[index:]]))
            if current.kind != MODULE:
                return UNKNOWN
            submodule = f"{current.qualname}.{parts[index]}"
            if view._find(submodule) is not None:  # type: ignore[attr-defined]
                current = Target(MODULE, submodule)
                continue
            current = view._member(current.qualname, parts[index], submodules=False)  # type: ignore[attr-defined]
            if current.kind in (UNKNOWN_KIND, MISSING):
                return UNKNOWN
        return current


def _chains(tree: ast.Module, view: object) -> list[str]:
    """Every imported name of the module made absolute, and each with the attribute chains used on it."""
    from keras_compat.resolver import absolute_name

    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update((a.asname or a.name.partition(".")[0], a.name if a.asname else a.name.partition(".")[0])
                            for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = absolute_name("." * node.level + (node.module or ""), view.package)  # type: ignore[attr-defined]
            if module:
                imported.update((a.asname or a.name, f"{module}.{a.name}") for a in node.names if a.name != "*")
    chains = set(imported.values())
    for node in ast.walk(tree):
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if parts and isinstance(node, ast.Name) and node.id in imported:
            chains.add(".".join([imported[node.id], *reversed(parts)]))
    return sorted(chains)


def _compare_views(paths: list[Path]) -> int:
    from keras_compat.project import View

    resolved = 0
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        view, steps = View(str(path), tree), View(str(path), tree)
        steps._resolve = lambda qualname, v=steps: _StepView.resolve_steps(v, qualname)  # type: ignore[method-assign]
        for qualname in _chains(tree, view):
            found, expected = view.resolve(qualname), steps.resolve(qualname)
            assert (found.__class__, found.__dict__) == (expected.__class__, expected.__dict__), (path, qualname)
            resolved += found.kind not in ("external", "unknown")
        assert view.deps == steps.deps and view.patches == steps.patches, path
    return resolved


def test_the_view_resolves_a_chain_as_a_target_per_step_did(tmp_path: Path) -> None:
    """:meth:`View._resolve` keeps the module reached as a name: the same targets (``via`` included), the same
    files read and patches found, on this package's own modules and on a project with every kind of step."""
    from support.projects import write

    resolved = _compare_views(sorted(_ROOT.joinpath("keras_compat").rglob("*.py")))
    write(tmp_path, {
        "pkg/__init__.py": "from .backend import K\nfrom . import layers\nfrom .layers import *\n",
        "pkg/backend.py": "from keras import backend as K\nK.where = print\nfrom keras.layers import *\n",
        "pkg/layers/__init__.py": "from .dense import *\nfrom .dense import Opaque\n__all__ = ['MyDense', 'Opaque']\n",
        "pkg/layers/dense.py": "from keras.layers import Dense as _D\nOpaque = object()\n"
                               "class MyDense(_D):\n    pass\n",
        "pkg/use.py": "import pkg\nfrom . import backend\nfrom .backend import K, Dense, nothing\n"
                      "from pkg.layers.dense import MyDense\nfrom pkg.layers import Opaque\nimport pkg.layers.dense\n"
                      "pkg.K.sum, backend.K.mean.x, K.where, pkg.layers.MyDense.x, MyDense.y, Opaque.z, Dense.w\n"
                      "pkg.backend.Conv2D, pkg.Conv2D, pkg.layers.dense.MyDense, pkg.missing.x, nothing.y\n",
    })
    resolved += _compare_views(sorted(tmp_path.rglob("*.py")))
    assert resolved > 300
