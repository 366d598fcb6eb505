"""The context's index of a syntax tree: every child's parent, and the nodes of some classes in source order.

The core's hottest loop: it visits every node of every analysed file. :func:`python_walk` and
:func:`python_sort` are the reference; their C twins (:mod:`keras_compat.speedups`) run when they are built.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

from keras_compat.speedups import native
from keras_compat.walk import _NODE_FIELDS, node_fields

#: Node classes without children that no index lists (names, constants, ``pass``...): recorded as children,
#: never visited.
LEAF_CLASSES = frozenset({ast.Name, ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal,
                          ast.alias})


def python_presized(n: int) -> dict[Any, Any]:
    """An empty dict; its C twin makes room for about ``n`` entries first (the parent map of a file, filled one
    node at a time, is then not resized on the way; Python has no way to ask for that)."""
    return {}


#: :func:`python_presized`, in C when it is built.
presized: Callable[[int], dict[Any, Any]] = native("presized") or python_presized

#: ``walk(tree, parents, lists, subscript_assigns)``, as :func:`python_walk`.
Walk = Callable[[ast.AST, "dict[ast.AST, ast.AST]", "dict[type, list]", "list[ast.Assign]"], None]


def python_walk(tree: ast.AST, parents: dict[ast.AST, ast.AST], lists: dict[type, list],
                subscript_assigns: list[ast.Assign]) -> None:
    """Walk ``tree`` breadth first: ``parents[child] = node`` for every child (in field order); every visited
    node whose class is a key of ``lists`` is appended to that list (which must include ``ast.Call`` and
    ``ast.Attribute``); an assignment to a subscript is appended to ``subscript_assigns``."""
    fields_of, Assign, Subscript = _NODE_FIELDS, ast.Assign, ast.Subscript  # the hot loop
    Attribute, Call, attributes, calls = ast.Attribute, ast.Call, lists[ast.Attribute], lists[ast.Call]
    keyword, Expr, arg = ast.keyword, ast.Expr, ast.arg
    assigns, params = lists.get(Assign), lists.get(arg)  # (the two written-out classes a caller may list)
    leaves = LEAF_CLASSES  # no children and no index of their own: recorded as children, never visited
    order: list[ast.AST] = [tree]
    push = order.append
    for node in order:  # breadth first: the list grows while it is read
        cls = node.__class__
        # The two commonest classes (a fifth of the nodes) written out: the general loop below, without
        # its look-ups. (``func`` and ``value`` are never None, ``args`` never holds one, and a keyword
        # is never a leaf.)
        if cls is Attribute:
            value = node.value  # type: ignore[attr-defined]
            parents[value] = node
            if value.__class__ not in leaves:
                push(value)
            attributes.append(node)  # type: ignore[arg-type]
            continue
        if cls is Call:
            value = node.func  # type: ignore[attr-defined]
            parents[value] = node
            if value.__class__ not in leaves:
                push(value)
            for child in node.args:  # type: ignore[attr-defined]
                parents[child] = node
                if child.__class__ not in leaves:
                    push(child)
            for child in node.keywords:  # type: ignore[attr-defined]
                parents[child] = node
                push(child)
            calls.append(node)  # type: ignore[arg-type]
            continue
        # The next commonest classes with children (an assignment, a keyword argument, an expression
        # statement, a function parameter: another fifth of the nodes), in the same order as below.
        if cls is Assign:
            targets = node.targets  # type: ignore[attr-defined]
            for child in targets:
                parents[child] = node
                if child.__class__ not in leaves:
                    push(child)
            value = node.value  # type: ignore[attr-defined]
            parents[value] = node
            if value.__class__ not in leaves:
                push(value)
            for target in targets:
                if target.__class__ is Subscript:
                    subscript_assigns.append(node)  # type: ignore[arg-type]
                    break
            if assigns is not None:
                assigns.append(node)
            continue
        if cls is keyword or cls is Expr:
            value = node.value  # type: ignore[attr-defined]
            parents[value] = node
            if value.__class__ not in leaves:
                push(value)
            continue
        if cls is arg:
            value = node.annotation  # type: ignore[attr-defined]
            if value is not None:
                parents[value] = node
                if value.__class__ not in leaves:
                    push(value)
            if params is not None:
                params.append(node)
            continue
        fields = fields_of.get(cls)
        if fields is None:
            fields = node_fields(cls)
        for name in fields:  # a node, a list of nodes or None (not isinstance: a third of the loop's cost)
            value = getattr(node, name, None)
            if value is None:
                continue
            if value.__class__ is list:
                for child in value:
                    if child is not None:
                        parents[child] = node
                        if child.__class__ not in leaves:
                            push(child)
            else:
                parents[value] = node
                if value.__class__ not in leaves:
                    push(value)
        found = lists.get(cls)
        if found is not None:
            found.append(node)


def _c_walk() -> Walk | None:
    """The C walk (None when it is not built): in Python again when the C one gives up (OverflowError: more
    node classes than its table holds, never for ``ast``'s own)."""
    index = native("index")
    if index is None:
        return None

    def c_walk(tree: ast.AST, parents: dict[ast.AST, ast.AST], lists: dict[type, list],
               subscript_assigns: list[ast.Assign]) -> None:
        try:
            index(tree, parents, lists, LEAF_CLASSES, _NODE_FIELDS, node_fields, ast.Assign, ast.Subscript,
                  subscript_assigns)
        except OverflowError:
            parents.clear()
            for found in lists.values():
                found.clear()
            subscript_assigns.clear()
            python_walk(tree, parents, lists, subscript_assigns)

    return c_walk


_START = attrgetter("lineno", "col_offset")


def python_sort(nodes: list[ast.AST]) -> None:
    """Sort ``nodes`` into source order (stable: a chain's outer node stays before the inner ones that start
    at the same place)."""
    nodes.sort(key=_START)


def _c_sort() -> Callable[[list[ast.AST]], None] | None:
    """The C sort (None when it is not built): in Python when a node has no int position."""
    sort_by_start = native("sort_by_start")
    if sort_by_start is None:
        return None

    def c_sort(nodes: list[ast.AST]) -> None:
        if not sort_by_start(nodes):
            python_sort(nodes)

    return c_sort


#: The walk and the sort the context uses: the C ones when they are built.
walk_index: Walk = _c_walk() or python_walk
sort_by_start: Callable[[list[ast.AST]], None] = _c_sort() or python_sort


def python_group_by(nodes: Iterable[ast.AST], field: str, cls: type | None, positions: bool) -> dict[Any, list]:
    """``{value: [...]}``: each node of ``nodes`` whose class is ``cls`` (None: every node), or with
    ``positions`` its position in ``nodes``, appended to the list of its ``field``'s value, in order. The
    reference for the C twin (:mod:`keras_compat.speedups`)."""
    groups: dict[Any, list] = {}
    for position, node in enumerate(nodes):
        if cls is not None and node.__class__ is not cls:
            continue
        key = getattr(node, field)
        found = groups.get(key)
        if found is None:
            found = groups[key] = []
        found.append(position if positions else node)
    return groups


#: :func:`python_group_by`, in C when it is built.
group_by = native("group_by") or python_group_by


def python_gather(nodes: list[ast.AST], field: str) -> list[Any]:
    """``field`` of each node, in order. The reference for the C twin (:mod:`keras_compat.speedups`)."""
    return [getattr(node, field) for node in nodes]


def python_select(nodes: list[ast.AST], field: str | None, classes: frozenset[type] | set[type]) -> list[ast.AST]:
    """The nodes whose ``field`` (None: the node itself) is of one of ``classes``, in order. The reference for
    the C twin (:mod:`keras_compat.speedups`)."""
    return [node for node in nodes if (node if field is None else getattr(node, field)).__class__ in classes]


#: :func:`python_gather` and :func:`python_select`, in C when they are built (a field read there skips most of
#: the generic attribute look-up, which costs Python a few hundred instructions per read of an ast node).
gather = native("gather") or python_gather
select = native("select") or python_select
