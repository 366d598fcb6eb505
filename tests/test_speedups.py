"""The optional C loops (``keras_compat/_speedups.c``) do exactly what their Python twins do.

The Python loops are the reference: :func:`keras_compat.tree_index.python_walk` (the context's index),
:func:`keras_compat.tree_index.python_sort` (its lists in source order) and
:func:`keras_compat.context.python_candidates` (the root filter of the Keras calls). Where the C module is built
(any machine with a C compiler and Python's headers: this one, CI), both run on every module of the package
and the tests, every rule example, the fixtures and the realism packages, and must give the same parent map
(insertion order included: rules read it in that order), the same lists in the same order and the same
memo; odd input (hand-made nodes with missing fields, a field whose read raises, positions that are not ints,
more node classes than the C table holds) behaves as in Python.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import sysconfig
import textwrap
import warnings
from pathlib import Path

import pytest
from support.examples import cases
from support.realism import PACKAGES, package_files

from keras_compat import speedups, tree_index
from keras_compat.context import Context, python_candidates, python_group_by
from keras_compat.resolver import OTHER_SITE_CLASSES
from keras_compat.names import KERAS_PARTS
from keras_compat.settings import Settings
from keras_compat.tree_index import python_sort, python_walk

ROOT = Path(__file__).resolve().parent.parent

try:
    from keras_compat import _speedups
except ImportError:  # built where a compiler is (test_the_loops_are_built_where_they_can_be says where it must)
    _speedups = None  # type: ignore[assignment]
_index = None if _speedups is None else _speedups.index

needs_c = pytest.mark.skipif(_index is None, reason="keras_compat._speedups is not built (no C compiler)")


def _lists() -> dict[type, list]:
    """A fresh set of lists as the context passes them (two classes share one list, as imports do)."""
    lists: dict[type, list] = {ast.Call: [], ast.Attribute: [], ast.ClassDef: [], ast.FunctionDef: [],
                               ast.Compare: [], ast.Lambda: [], ast.ListComp: [],
                               ast.Assign: [], ast.arg: []}  # (the two classes the Python walk writes out)
    lists[ast.Import] = lists[ast.ImportFrom] = []
    sites: list[ast.AST] = []  # the resolver's other binding sites
    for cls in OTHER_SITE_CLASSES:
        lists.setdefault(cls, sites)
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


def _sorted_alike(nodes: list[ast.AST]) -> None:
    in_python, in_c = list(nodes), list(nodes)
    python_sort(in_python)
    assert _speedups.sort_by_start(in_c) is True
    assert [id(n) for n in in_c] == [id(n) for n in in_python]


def _candidates_alike(tree: ast.Module, text: str) -> None:
    ctx = Context(tree, text, Settings())
    roots = ctx._keras_roots
    if roots is None:
        return
    memos: tuple[dict, dict] = ({}, {})
    kept = [f(ctx.calls, roots, KERAS_PARTS, memo, ast.Attribute, ast.Name)
            for f, memo in zip((python_candidates, _speedups.keras_candidates), memos)]
    assert [id(c) for c in kept[1]] == [id(c) for c in kept[0]]
    assert [(id(k), v) for k, v in memos[1].items()] == [(id(k), v) for k, v in memos[0].items()]


def _grouped_alike(nodes: object, field: str, cls: type | None, positions: bool) -> None:
    expected = python_group_by(nodes, field, cls, positions)  # type: ignore[arg-type]
    found = _speedups.group_by(nodes, field, cls, positions)
    assert list(found) == list(expected)
    assert [[id(n) for n in v] if not positions else v for v in found.values()] == \
        [[id(n) for n in v] if not positions else v for v in expected.values()]


def _outcome(function: object, *args: object) -> object:
    """What a call returns (node lists by identity), or the class of what it raises."""
    try:
        found = function(*args)  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - compared, not handled
        return type(exc)
    return [id(item) if isinstance(item, ast.AST) else item for item in found]


def _gathered_alike(lists: dict[type, list]) -> None:
    """gather() and select() as the resolver's binding sites use them, and on every other list and field."""
    for nodes in lists.values():
        for field in ("value", "targets", "arg", "name", "lineno", "func"):
            assert _outcome(_speedups.gather, nodes, field) == _outcome(tree_index.python_gather, nodes, field)
            for classes in (frozenset({ast.Name, ast.Attribute}), {ast.Constant}):
                assert _outcome(_speedups.select, nodes, field, classes) == \
                    _outcome(tree_index.python_select, nodes, field, classes)
        classes = frozenset({ast.Tuple, ast.List, ast.Starred, ast.Call})
        assert _outcome(_speedups.select, nodes, None, classes) == \
            _outcome(tree_index.python_select, nodes, None, classes)


def _same(tree: ast.AST, text: str | None = None, sort: bool = True) -> int:
    """Both walks, both sorts of the walk's lists (of parsed nodes: they have positions) and, for a module's
    text, both candidate filters agree."""
    expected = _index_with(python_walk, tree)
    assert _index_with(_c_walk(), tree) == expected
    parents: dict[ast.AST, ast.AST] = {}
    lists = _lists()
    python_walk(tree, parents, lists, [])
    for nodes in lists.values() if sort else ():
        if nodes is not lists[ast.withitem]:  # (the sites list is not sorted: some have no position)
            _sorted_alike(nodes)
    _gathered_alike(lists)
    _grouped_alike(parents, "id", ast.Name, False)  # the context's name index
    _grouped_alike(lists[ast.Attribute], "attr", None, True)  # its attribute-name index
    if text is not None and isinstance(tree, ast.Module):
        _candidates_alike(tree, text)
    return len(expected[0])


def _parsed(texts: list[str]) -> list[tuple[ast.Module, str]]:
    parsed = []
    for text in texts:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escape sequences in old packages
                parsed.append((ast.parse(text), text))
        except (SyntaxError, ValueError):
            continue
    return parsed


def _texts(paths: list[Path]) -> list[str]:
    return [path.read_text(encoding="utf-8", errors="replace") for path in paths]


@needs_c
def test_package_and_test_modules_are_indexed_alike() -> None:
    paths = sorted([*ROOT.joinpath("keras_compat").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py")])
    parsed = _parsed(_texts(paths))
    assert len(parsed) > 150
    assert sum(_same(tree, text) for tree, text in parsed) > 100_000


@needs_c
def test_rule_examples_and_fixtures_are_indexed_alike() -> None:
    fixtures = sorted(ROOT.joinpath("tests", "fixtures").rglob("*.py"))
    parsed = _parsed([case.code for case in cases()] + _texts(fixtures))
    assert len(parsed) > 100 + len(fixtures) // 2
    for tree, text in parsed:
        _same(tree, text)


@needs_c
@pytest.mark.network
@pytest.mark.parametrize("name,version", PACKAGES, ids=[n for n, _ in PACKAGES])
def test_realism_packages_are_indexed_alike(name: str, version: str) -> None:
    for tree, text in _parsed(_texts(package_files(name, version))):
        _same(tree, text)


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
            except{star} (A, B) as e: yield e
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
    source = source.replace("{star}", "*" if sys.version_info >= (3, 11) else "")  # except* is 3.11's
    assert _same(ast.parse(source), source) > 150


@needs_c
def test_hand_made_nodes_with_missing_or_odd_fields_are_indexed_alike() -> None:
    """(The classes both walks write out, calls and assignments among them, need their fields, as a parse
    gives them; the others read a missing field as None.)"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # (Python 3.13 warns of the missing fields)
        call = ast.Call(func=ast.Name(id="f"), args=[], keywords=[])
        assign = ast.Assign(targets=[ast.Subscript(value=ast.Name(id="a"))], value=call)
        module = ast.Module(body=[ast.Expr(value=call), assign, ast.FunctionDef(name="g", body=[ast.Pass()]),
                                  ast.If(test=ast.Name(id="t")), ast.Expr(value=ast.Constant(1))],
                            type_ignores=[])
    module.body.append(ast.Expr(value=ast.List(elts=[None, ast.Name(id="x"), None])))  # Nones in a list
    assert _same(module, sort=False) > 5
    assert _same(ast.Name(id="leaf"), sort=False) == 0  # a leaf at the root: nothing below it


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


@needs_c
def test_positions_that_are_not_ints_are_sorted_in_python() -> None:
    """The C sort declines (and leaves the list alone) when a node has no int position; the Python sort then
    does what it does (sorts, or raises as it would have)."""
    a, b, c = ast.Name(id="a", lineno=2, col_offset=0), ast.Name(id="b", lineno=1, col_offset=5), ast.Name(id="c")
    for nodes in ([a, b, c], [a, b, ast.Name(id="d", lineno=True, col_offset=0)],
                  [a, b, ast.Name(id="e", lineno=2 ** 70, col_offset=0)]):
        before = list(nodes)
        assert _speedups.sort_by_start(nodes) is False
        assert nodes == before
    odd = [a, b, ast.Name(id="f", lineno=1.5, col_offset=0)]
    assert _speedups.sort_by_start(list(odd)) is False
    tree_index._c_sort()(odd)  # type: ignore[misc]
    assert [n.id for n in odd] == ["b", "f", "a"]  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        tree_index._c_sort()([a, b, c])  # type: ignore[misc]
    with pytest.raises(AttributeError):
        python_sort([a, b, c])


@needs_c
def test_candidate_filter_errors_and_custom_roots_behave_as_in_python() -> None:
    """Roots with their own ``__contains__`` (the star-import roots) are asked as Python asks them; a callee
    whose read raises stops both filters with that error."""

    class Roots:
        def __contains__(self, name: object) -> bool:
            return name == "K"

    calls = [call for call in ast.walk(ast.parse("K.sum(x)\nnp.sum(y)\nf()(z)\na.keras.b()\nK()\n"))
             if isinstance(call, ast.Call)]
    memos: tuple[dict, dict] = ({}, {})
    kept = [f(calls, Roots(), KERAS_PARTS, memo, ast.Attribute, ast.Name)
            for f, memo in zip((python_candidates, _speedups.keras_candidates), memos)]
    assert kept[0] == kept[1] and len(kept[0]) == 3
    assert list(memos[0].items()) == list(memos[1].items()) and len(memos[0]) == 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # (Python 3.13 warns of the missing field)
        broken = ast.Call(args=[], keywords=[])  # no callee
    for f in (python_candidates, _speedups.keras_candidates):
        with pytest.raises(AttributeError):
            f([broken], {"K"}, KERAS_PARTS, {}, ast.Attribute, ast.Name)


@needs_c
def test_grouping_errors_behave_as_in_python() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # (Python 3.13 warns of the missing field)
        nodes = [ast.Name(id="a"), ast.Name(), ast.Constant(1)]  # the second has no id
    for group in (python_group_by, _speedups.group_by):
        with pytest.raises(AttributeError):
            group(nodes, "id", ast.Name, False)
        assert group(nodes, "value", ast.Constant, True) == {1: [2]}
        assert group(iter(nodes[:1]), "id", None, True) == {"a": [0]}


@needs_c
def test_gather_and_select_errors_and_odd_objects_behave_as_in_python() -> None:
    class Slotted:
        __slots__ = ("value",)

        def __init__(self, value: object) -> None:
            self.value = value

    class Computed:
        @property
        def value(self) -> object:  # a data descriptor: the instance dictionary must not win
            return ast.Name(id="p")

    computed = Computed()
    computed.__dict__["value"] = ast.Constant(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # (Python 3.13 warns of the missing field)
        nodes = [ast.Assign(targets=[], value=ast.Name(id="a")), Slotted(ast.Constant(2)), computed, ast.Assign()]
    for field in ("value", "targets", "missing"):
        assert _outcome(_speedups.gather, nodes, field) == _outcome(tree_index.python_gather, nodes, field)
        assert _outcome(_speedups.select, nodes, field, {ast.Name}) == \
            _outcome(tree_index.python_select, nodes, field, {ast.Name})
    assert _speedups.gather(nodes[:3], "value")[2].id == "p"
    assert _speedups.select(nodes[:3], "value", {ast.Name}) == [nodes[0], computed]
    with pytest.raises(TypeError):
        _speedups.gather(iter(nodes), "value")
    with pytest.raises(TypeError):
        _speedups.select(nodes, "value", [ast.Name])


def test_the_pure_python_switch_selects_the_python_loops() -> None:
    code = ("from keras_compat import speedups, tree_index as t, context as c; "
            "print(speedups.ENABLED, t.walk_index is t.python_walk, t.sort_by_start is t.python_sort, "
            "c.keras_candidates is c.python_candidates, c.group_by is c.python_group_by, "
            "t.presized is t.python_presized)")
    env = {**os.environ, "KERAS_COMPAT_PURE_PYTHON": "1"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env,
                          check=True)
    assert done.stdout.split() == ["False", "True", "True", "True", "True", "True"]


def test_the_loops_are_built_where_they_can_be() -> None:
    """An install on a machine with a C compiler and Python's headers has the C loops (the speed targets of
    docs/performance.md are counted with them); without either, the package still installs and runs."""
    include = Path(sysconfig.get_paths()["include"], "Python.h")
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    has_compiler = any(Path(d, compiler).exists() for d in os.environ.get("PATH", "").split(os.pathsep))
    if not (include.exists() and has_compiler) and _speedups is None:
        pytest.skip("no C compiler or Python headers here: the package runs the Python loops")
    assert _speedups is not None, "the C loops should have been built: reinstall with `pip install -e .`"
    if os.environ.get("KERAS_COMPAT_PURE_PYTHON", "") in ("", "0"):
        assert speedups.ENABLED


@pytest.mark.skipif(_speedups is None, reason="the C module is not built here")
def test_a_presized_dict_is_an_empty_dict() -> None:
    """The context's parent map is made with room for its nodes (tree_index.presized): an ordinary empty dict,
    whatever the hint, which keeps insertion order and grows past the hint."""
    for hint in (0, 1, 5, 6, 1000, 10**7):
        made = _speedups.presized(hint)
        assert type(made) is dict and made == {} == tree_index.python_presized(hint)
        nodes = [ast.Name(id=str(i)) for i in range(2 * hint + 20 if hint < 10**6 else 50)]
        for index, node in enumerate(nodes):
            made[node] = index
        assert list(made) == nodes and all(made[node] == index for index, node in enumerate(nodes))
    assert _speedups.presized(-3) == {}
    with pytest.raises(TypeError):
        _speedups.presized("8")
    with pytest.raises(OverflowError):
        _speedups.presized(2**80)
