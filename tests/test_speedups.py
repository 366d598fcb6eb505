"""The optional C index walk (``keras_compat/_speedups.c``) builds exactly what the Python walk builds.

:func:`keras_compat.tree_index.python_walk` is the reference. Where the C walk is built (any machine with a C
compiler and Python's headers: this one, CI), both walk every module of the package and the tests, every
rule example, the fixtures and the realism packages, and must give the same parent map (insertion order
included: rules read it in that order) and the same node lists; odd trees (hand-made nodes with missing
fields, a field whose read raises, more node classes than the C table holds) behave as in Python.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
from support.examples import cases
from support.realism import PACKAGES, package_files

from keras_compat import tree_index
from keras_compat.tree_index import python_walk

ROOT = Path(__file__).resolve().parent.parent

try:
    from keras_compat._speedups import index as _index
except ImportError:  # built where a compiler is (test_the_walk_is_built_where_it_can_be says where it must)
    _index = None

needs_c = pytest.mark.skipif(_index is None, reason="keras_compat._speedups is not built (no C compiler)")


def _lists() -> dict[type, list]:
    """A fresh set of lists as the context passes them (two classes share one list, as imports do)."""
    lists: dict[type, list] = {ast.Call: [], ast.Attribute: [], ast.ClassDef: [], ast.FunctionDef: [],
                               ast.Compare: [], ast.Lambda: [], ast.ListComp: []}
    lists[ast.Import] = lists[ast.ImportFrom] = []
    return lists


def _index_with(walk: tree_index.Walk, tree: ast.AST) -> tuple[list[tuple[int, int]], list[list[int]]]:
    parents: dict[ast.AST, ast.AST] = {}
    lists = _lists()
    subscript_assigns: list[ast.Assign] = []
    walk(tree, parents, lists, subscript_assigns)
    found = [[id(node) for node in nodes] for nodes in [*lists.values(), subscript_assigns]]
    return [(id(child), id(parent)) for child, parent in parents.items()], found


def _c_walk() -> tree_index.Walk:
    walk = tree_index._c_walk()
    assert walk is not None
    return walk


def _same(tree: ast.AST) -> int:
    expected = _index_with(python_walk, tree)
    assert _index_with(_c_walk(), tree) == expected
    return len(expected[0])


def _trees(texts: list[str]) -> list[ast.Module]:
    trees = []
    for text in texts:
        try:
            trees.append(ast.parse(text))
        except (SyntaxError, ValueError):
            continue
    return trees


@needs_c
def test_package_and_test_modules_are_indexed_alike() -> None:
    paths = sorted([*ROOT.joinpath("keras_compat").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py")])
    trees = _trees([path.read_text(encoding="utf-8", errors="replace") for path in paths])
    assert len(trees) > 150
    assert sum(_same(tree) for tree in trees) > 100_000


@needs_c
def test_rule_examples_are_indexed_alike() -> None:
    trees = _trees([case.code for case in cases()])
    assert len(trees) > 100
    for tree in trees:
        _same(tree)


@needs_c
@pytest.mark.network
@pytest.mark.parametrize("name,version", PACKAGES, ids=[n for n, _ in PACKAGES])
def test_realism_packages_are_indexed_alike(name: str, version: str) -> None:
    for tree in _trees([path.read_text(encoding="utf-8", errors="replace") for path in package_files(name, version)]):
        _same(tree)


@needs_c
def test_every_kind_of_node_is_indexed_alike() -> None:
    """Python's grammar in one module (match, async, walrus, f-strings, decorators, star expressions...)."""
    source = textwrap.dedent("""\
        import a.b as c
        from .x import (y as z, w)
        @dec(1)
        async def f(p: int = 1, /, q=2, *args: str, r, s=3, **kw) -> None:
            global g
            async with a as (b, c), d:
                async for i in j:
                    await k
            x: list[int] = [i async for i in y if i]
            y = {k: v for k, v in z.items()} | {*s} | {1: 2, **t}
            z = (lambda u, *v, w=1: u)(*a, **b)
            del a[1:2, ::3], b.c
            assert x, f"{y!r:>{w}}"
            if (n := len(a)) > 1: raise E from F
            try: pass
            except* (A, B) as e: yield e
            else: yield from g
            finally: nonlocal_ = not a or b and c
        class C(B, metaclass=M):
            match p:
                case [1, *rest] | {"k": v, **kw} if v: pass
                case Point(x=0, y=_) as pt: pass
                case str() | None | -1 | 1+2j: pass
        x = a if b else c[d][e:f](*g)
        print(*[1, 2], sep='')
        while True: break
        for (a, b) in c: continue
    """)
    assert _same(ast.parse(source)) > 150


@needs_c
def test_hand_made_nodes_with_missing_or_odd_fields_are_indexed_alike() -> None:
    """(The classes both walks write out, calls and assignments among them, need their fields, as a parse
    gives them; the others read a missing field as None.)"""
    call = ast.Call(func=ast.Name(id="f"), args=[], keywords=[])
    assign = ast.Assign(targets=[ast.Subscript(value=ast.Name(id="a"))], value=call)
    module = ast.Module(body=[ast.Expr(value=call), assign, ast.FunctionDef(name="g", body=[ast.Pass()]),
                              ast.If(test=ast.Name(id="t")), ast.Expr(value=ast.Constant(1))],
                        type_ignores=[])
    module.body.append(ast.Expr(value=ast.List(elts=[None, ast.Name(id="x"), None])))  # Nones in a list
    assert _same(module) > 5
    assert _same(ast.Name(id="leaf")) == 0  # a leaf at the root: nothing below it


class _Raising(ast.expr):
    """A node class whose field read raises something other than AttributeError."""

    _fields = ("value",)

    @property
    def value(self) -> ast.AST:
        raise ValueError("unreadable")


@needs_c
def test_an_error_in_a_field_read_propagates_as_in_python() -> None:
    tree = ast.Module(body=[ast.Expr(value=_Raising())], type_ignores=[])
    for walk in (python_walk, _c_walk()):
        with pytest.raises(ValueError, match="unreadable"):
            walk(tree, {}, _lists(), [])


@needs_c
def test_more_node_classes_than_the_table_holds_fall_back_to_python() -> None:
    """The C walk keeps up to 512 node classes; a tree with more (classes made at run time) is walked in
    Python from the start. Run in a child process: the classes stay in the table for the process's life."""
    code = textwrap.dedent("""\
        import ast
        from keras_compat.tree_index import _c_walk, python_walk
        from keras_compat._speedups import index
        from keras_compat.walk import node_fields
        classes = [type(f"N{i}", (ast.expr,), {"_fields": ("value",)}) for i in range(600)]
        node = ast.Constant(0)
        for cls in classes:
            node = cls(value=node)
        tree = ast.Module(body=[ast.Expr(value=node)], type_ignores=[])
        def run(walk):
            parents, lists, subs = {}, {ast.Call: [], ast.Attribute: [], classes[7]: []}, []
            walk(tree, parents, lists, subs)
            return [(id(c), id(p)) for c, p in parents.items()], [[id(n) for n in v] for v in lists.values()]
        try:
            index(tree, {}, {ast.Call: [], ast.Attribute: []}, frozenset({ast.Constant}), {}, node_fields,
                  ast.Assign, ast.Subscript, [])
        except OverflowError:
            pass
        else:
            raise SystemExit("no OverflowError")
        assert run(_c_walk()) == run(python_walk)
        print("ok", len(run(python_walk)[0]))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok", "602"]  # the statement, 600 nodes, the constant


def test_the_pure_python_switch_selects_the_python_walk() -> None:
    code = "from keras_compat import tree_index as t; print(t.SPEEDUPS, t.walk_index is t.python_walk)"
    env = {**os.environ, "KERAS_COMPAT_PURE_PYTHON": "1"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env,
                          check=True)
    assert done.stdout.split() == ["False", "True"]


def test_the_walk_is_built_where_it_can_be() -> None:
    """An install on a machine with a C compiler and Python's headers has the C walk (the speed targets of
    docs/performance.md are counted with it); without either, the package still installs and runs."""
    include = Path(sysconfig.get_paths()["include"], "Python.h")
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    has_compiler = any(Path(d, compiler).exists() for d in os.environ.get("PATH", "").split(os.pathsep))
    if not (include.exists() and has_compiler) and _index is None:
        pytest.skip("no C compiler or Python headers here: the package runs the Python walk")
    assert _index is not None, "the C walk should have been built: reinstall with `pip install -e .`"
    if os.environ.get("KERAS_COMPAT_PURE_PYTHON", "") in ("", "0"):
        assert tree_index.SPEEDUPS
