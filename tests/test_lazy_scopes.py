"""Function bodies bound on first read (pending scopes) give the resolver exactly what binding them all at once
gave it, on real files.

:class:`keras_compat.resolver.Resolver` given the context's binding sites leaves each function's scope pending
until one of its bindings is read; the sets that filter resolution (:attr:`~Resolver.keras_capable`, the
resolvable names) are noted from the sites instead, and :meth:`Resolver._unscoped` counts the sites instead of
reading every scope. These tests compare an eager resolver with a lazy one, scope by scope and answer by answer.
"""

from __future__ import annotations

import ast
import textwrap
import weakref
from collections.abc import Iterator

import pytest

from support.examples import package_tests_and_examples

from keras_compat.context import Context
from keras_compat.knowledge import star_export
from keras_compat.resolver import Resolver, Scope
from keras_compat.settings import Settings


#: Every kind of binding site, in every kind of scope, nested.
_EVERY_SITE = textwrap.dedent("""\
    import keras
    import tensorflow.keras.layers as KL
    from keras import backend as K, layers
    from . import sibling
    k = keras
    ann: object = keras.layers
    a = b = keras
    (t1, [t2, *t3]), t4 = 1, 2
    def outer(p, /, q=K.zeros(1), *args, r, **kw):
        from keras.layers import Dense
        L = layers
        x: int
        x += 1
        for i, (j, k) in []:
            pass
        with open(p) as (f, g), open(q) as h:
            pass
        try:
            pass
        except ValueError as err:
            pass
        def inner(K=None):
            nonlocal x
            global k
            k = KL
            return [K for K in ()], lambda L: L.Dense, (y := 3), Dense(1), L.Dense(2), KL.Conv2D
        class Inner(layers.Layer):
            Dense = None
            def call(self, inputs, training=None):
                return Dense(1)(inputs), K.dropout(inputs, 0.5)
        match p:
            case [first, *rest]:
                pass
            case {"a": av, **others}:
                pass
            case Inner() as found:
                pass
        return inner, Inner, ann, t1, t3
    async def coro():
        async for item in []:
            pass
        async with ctx() as managed:
            pass
    class Top(keras.Model):
        def build(self, shape):
            self.d = layers.Dense(3)
        call = lambda self, x: K.relu(x)
""")


def _sources() -> Iterator[tuple[str, str]]:
    yield _EVERY_SITE, "<string>"
    yield from package_tests_and_examples()


def _contexts() -> Iterator[Context]:
    for text, filename in _sources():
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        yield Context(tree, text, Settings(), filename)


def _eager(ctx: Context) -> Resolver:
    """The resolver the context would have without its binding sites: every body bound at once."""
    return Resolver(ctx.tree, ctx.parents, star_export, ctx._binding_exprs(), ctx.project)


def _bindings(scope: Scope) -> dict[str, list[tuple[object, ...]]]:
    return {name: [(b.kind, b.pos, id(b.node), b.qualname, id(b.value)) for b in found]
            for name, found in scope.bindings.items()}


def _is_pending(scope: Scope) -> bool:
    return scope._filler is not None


def test_every_scope_binds_what_the_eager_pass_binds() -> None:
    """Scope by scope (once all are asked for): the same bindings in the same order, the same ``global`` names
    and star imports, the same parents; and the same resolvable and Keras-capable names before any is read."""
    pending = 0
    for ctx in _contexts():
        lazy, eager = ctx.resolver, _eager(ctx)
        assert lazy._may_resolve == eager._may_resolve and lazy.keras_capable == eager.keras_capable, ctx.filename
        pending += sum(map(_is_pending, lazy._scopes.values()))
        scopes = lazy.scopes
        assert not any(map(_is_pending, scopes.values()))
        assert set(scopes) == set(eager.scopes), ctx.filename
        for node, expected in eager.scopes.items():
            found = scopes[node]
            assert (found.kind, _bindings(found), set(found.globals), found.star_modules) == \
                (expected.kind, _bindings(expected), set(expected.globals), expected.star_modules), ctx.filename
            assert (found.parent and found.parent.node) is (expected.parent and expected.parent.node)
    assert pending > 1000  # most bodies were pending until asked for


def test_every_name_resolves_as_with_the_eager_pass() -> None:
    """Every ``Name``/``Attribute`` of every file, asked in source order (so bodies are bound mid-way, while
    other answers are memoised), resolves as the eager resolver resolves it; and so does each name's scope."""
    checked = 0
    for ctx in _contexts():
        lazy, eager = ctx.resolver, _eager(ctx)
        nodes = sorted((node for node in ctx.parents if node.__class__ in (ast.Name, ast.Attribute)),
                       key=lambda node: (node.lineno, node.col_offset))
        for node in nodes:
            expected = eager.qualname(node)
            assert lazy.qualname(node) == expected, (ctx.filename, ast.dump(node))
            assert lazy.scope_of(node).node is eager.scope_of(node).node, (ctx.filename, ast.dump(node))
            if node.__class__ is ast.Name:
                found, want = lazy.binding_scope(node), eager.binding_scope(node)
                assert (found and found.node) is (want and want.node), (ctx.filename, ast.dump(node))
            checked += expected is not None
    assert checked > 5000


def test_a_name_has_at_least_as_many_sites_as_bindings() -> None:
    """What lets :meth:`Resolver._unscoped` count sites instead of reading scopes: every binding of every scope
    is made at a counted site."""
    for ctx in _contexts():
        count = ctx.resolver._site_counts
        assert count is not None
        total: dict[str, int] = {}
        for scope in ctx.resolver.scopes.values():
            for name, found in scope.bindings.items():
                total[name] = total.get(name, 0) + len(found)
        short = {name: (n, count(name)) for name, n in total.items() if count(name) < n}
        assert not short, (ctx.filename, short)


def test_most_bodies_stay_pending_when_only_module_names_are_resolved() -> None:
    tree = ast.parse(_EVERY_SITE)
    ctx = Context(tree, _EVERY_SITE, Settings(), "<string>")
    assert [call for call, _ in ctx.keras_calls]
    top = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    assert top and all(_is_pending(ctx.resolver._scopes[node]) for node in top[1:])


def test_a_name_in_a_nested_body_finds_its_own_scope() -> None:
    """scope_of() binds the pending bodies around a node, outermost first, and returns the innermost scope."""
    tree = ast.parse(_EVERY_SITE)
    ctx = Context(tree, _EVERY_SITE, Settings(), "<string>")
    inner = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == "inner")
    use = inner.body[-1].value.elts[3].func  # type: ignore[attr-defined]  # Dense in Dense(1)
    assert _is_pending(ctx.resolver._scopes[tree.body[8]])  # outer
    assert inner not in ctx.resolver._scopes  # registered only when outer's body is bound
    assert ctx.resolver.scope_of(use).node is inner
    assert ctx.qualname(use) == "keras.layers.Dense"
    assert "K" in ctx.resolver.scope_of(use).bindings  # inner's own parameter


def test_a_body_that_fails_to_bind_stays_pending() -> None:
    tree = ast.parse("import keras\ndef f(a):\n    b = keras\n    return b.layers.Dense\n")
    ctx = Context(tree, "", Settings(), "<string>")
    scope = ctx.resolver._scopes[tree.body[1]]
    builder = ctx.resolver._builder
    original = builder._statements

    def failing(body: list[ast.stmt]) -> None:
        raise MemoryError("while binding")

    builder._statements = failing  # type: ignore[method-assign]
    with pytest.raises(MemoryError):
        scope.bindings  # noqa: B018
    assert _is_pending(scope)
    builder._statements = original  # type: ignore[method-assign]
    assert sorted(scope.bindings) == ["a", "b"] and builder.scope is ctx.resolver.module_scope


def test_a_pending_scope_without_its_resolver_says_so() -> None:
    tree = ast.parse("def f(a):\n    return a\n")
    ctx = Context(tree, "", Settings(), "<string>")
    scope = ctx.resolver._scopes[tree.body[0]]
    ref = weakref.ref(ctx.resolver._builder)
    ctx.release()
    assert ref() is None  # no reference cycle keeps the builder alive
    with pytest.raises(RuntimeError, match="outlived"):
        scope.bindings  # noqa: B018
    with pytest.raises(AttributeError):
        scope.no_such_slot  # type: ignore[attr-defined]  # noqa: B018
