"""Fast traversal of ``ast`` trees: the child fields of each node class, computed once.

``ast.iter_child_nodes`` goes through ``ast.iter_fields`` (a generator and a ``getattr`` per field, on
every node, for fields such as ``ctx``, ``id`` or ``attr`` that never hold a child). The context's index
walks every tree (and the resolver's scopes its statements), so this is the core's hot loop.
Children come in the same order as ``ast.iter_child_nodes`` gives them, minus the shared singletons of
expression contexts (``Load``...) and operators (``Add``...), which no analysis looks at.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator

#: Fields that never hold a child node (names, flags, the expression context singletons).
_LEAF_FIELDS = frozenset({
    "ctx", "id", "attr", "arg", "name", "module", "level", "kind", "type_comment", "is_async",
    "conversion", "simple", "tag", "op", "ops",
})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(cls: type) -> tuple[str, ...]:
    """The names of ``cls``'s fields that may hold child nodes (or lists of them), in declaration order."""
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        fields = _CHILD_FIELDS[cls] = tuple(f for f in getattr(cls, "_fields", ()) if f not in _LEAF_FIELDS)
    return fields


#: Child fields whose value is never a node: a constant, a name or names, a line number (per the ASDL
#: signatures in the node classes' docstrings, Python 3.10-3.13; tests/test_walk.py reads them).
_VALUE_FIELDS = frozenset({
    (ast.Constant, "value"), (ast.MatchSingleton, "value"), (ast.MatchClass, "kwd_attrs"), (ast.Global, "names"),
    (ast.Nonlocal, "names"), (ast.alias, "asname"), (ast.MatchMapping, "rest"), (ast.TypeIgnore, "lineno"),
})
_NODE_FIELDS: dict[type, tuple[str, ...]] = {}


def node_fields(cls: type) -> tuple[str, ...]:
    """:func:`child_fields` that hold nodes: each value is a node, None or a list of nodes (and Nones: a
    dict's ``**`` entry, a keyword-only argument without a default), so a loop over them tests for None
    instead of asking ``isinstance`` of every value."""
    fields = _NODE_FIELDS.get(cls)
    if fields is None:
        fields = _NODE_FIELDS[cls] = tuple(f for f in child_fields(cls) if (cls, f) not in _VALUE_FIELDS)
    return fields


# (Computed per node class on first sight, not for every class of ``ast`` up front: the loops that read
# ``_CHILD_FIELDS`` fall back to child_fields(), and a host's start-up should not pay for all 120 classes.)


def iter_children(node: ast.AST) -> Iterator[ast.AST]:
    """Like ``ast.iter_child_nodes`` (same order), without the expression-context singletons."""
    fields = _CHILD_FIELDS.get(node.__class__)
    for name in child_fields(node.__class__) if fields is None else fields:
        value = getattr(node, name, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    yield item
        elif isinstance(value, ast.AST):
            yield value


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """Like ``ast.walk`` (same breadth-first order), without the expression-context and operator
    singletons: the rules that search a class or function body for calls, names or assignments use it
    (``ast.walk`` goes through ``ast.iter_fields`` on every node, about three times slower)."""
    fields_of, AST = _CHILD_FIELDS, ast.AST
    todo = deque((node,))
    popleft, append = todo.popleft, todo.append
    while todo:
        node = popleft()
        cls = node.__class__
        fields = fields_of.get(cls)
        for name in child_fields(cls) if fields is None else fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, AST):
                        append(item)
            elif isinstance(value, AST):
                append(value)
        yield node


#: The fields that hold statements (or the ``except`` and ``case`` clauses that hold them).
_STATEMENT_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})
_STATEMENT_CHILDREN: dict[type, tuple[str, ...]] = {}


def walk_statements(node: ast.AST) -> Iterator[ast.AST]:
    """:func:`walk` without the expressions: the statements (and the ``except`` and ``case`` clauses between
    them) in the same order. Statements are never inside an expression, so a search for imports or
    definitions anywhere in a module needs no more, and most of a tree's nodes are expressions."""
    fields_of = _STATEMENT_CHILDREN
    todo = deque((node,))
    popleft, extend = todo.popleft, todo.extend
    while todo:
        node = popleft()
        cls = node.__class__
        fields = fields_of.get(cls)
        if fields is None:
            fields = fields_of[cls] = tuple(f for f in getattr(cls, "_fields", ()) if f in _STATEMENT_FIELDS)
        for name in fields:
            value = getattr(node, name, None)
            if value.__class__ is list:  # (a lambda's or conditional expression's body is an expression)
                extend(value)
        yield node


def in_body(parent: ast.AST, child: ast.AST) -> bool:
    """Whether ``child``, a direct child of ``parent``, is one of the statements of ``parent.body`` (not of
    its ``orelse``/``finalbody``, nor a test, decorator, base or handler), in constant time.

    ``child in parent.body`` scans the list; asked for each statement of a long body (one long function,
    a module wrapped in ``try``) it made the analysis quadratic. A body's statements come before any other
    statement list of their parent in the source, so the child's start against the start of the body's
    last statement decides.
    """
    if not isinstance(child, ast.stmt):
        return False
    body = getattr(parent, "body", None)
    if body.__class__ is not list or not body:  # a lambda's or conditional expression's body is an expression
        return False
    last = body[-1]
    return (child.lineno, child.col_offset) <= (last.lineno, last.col_offset)
