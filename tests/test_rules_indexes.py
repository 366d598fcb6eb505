"""The candidate lists the rules take from the context's indexes are exactly what a loop over every node
would find (order included), on real code: the rules' own examples, the test fixtures and the package."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from keras_compat.context import Context, in_source_order
from keras_compat.names import KERAS_PARTS
from keras_compat.settings import Settings

_ROOT = Path(__file__).resolve().parent.parent

_SOURCE = """\
import tensorflow as tf
import keras
from keras import backend as K
from keras.layers import *
m = keras.models.Sequential()
m.fit_generator(gen, nb_epoch=3).history.keys()
x = tf.keras.layers.Dense(3, output_dim=2)(tf.zeros((1, 2))).shape.keras.y
y = K.sum(x).keras; z = obj.keras.layers.Dense; w = f(x).tf_keras.a; v = Dense(init='zero').call(x)
model.tf.keras.a.keras.b = tf.contrib.layers.x
a.b(c).d(e).fit(x, nb_epoch=2); a.b(c).d
"""


@lru_cache(maxsize=1)
def _sources() -> tuple[tuple[str, str], ...]:
    """(file name, text) of every example of every rule, every fixture and every module of the package."""
    from keras_compat.registry import all_rules

    found = [("<source>", _SOURCE)]
    for rule in all_rules():
        for index, example in enumerate((*rule.bad, *rule.good)):
            found.append((f"<{rule.code} example {index}>", example if isinstance(example, str) else example.code))
    for path in sorted([*_ROOT.joinpath("tests", "fixtures").rglob("*.py"), *_ROOT.joinpath("keras_compat").rglob("*.py")]):
        found.append((str(path), path.read_text(encoding="utf-8", errors="replace")))
    return tuple(found)


def _contexts(settings: Settings | None = None) -> Iterator[Context]:
    for name, text in _sources():
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        yield Context(tree, text, settings or Settings(), name)


def _root_filter_passes(ctx: Context, attr: ast.Attribute) -> bool:
    """The root filter of :meth:`Context.keras`, walked down the chain as it walks it."""
    node: ast.AST = attr
    while isinstance(node, ast.Attribute) and node.attr not in KERAS_PARTS:
        node = node.value
    if isinstance(node, ast.Name):
        return node.id in ctx._keras_roots  # type: ignore[operator]
    return isinstance(node, ast.Attribute)


def test_keras_chains_are_the_outer_attributes_the_root_filter_lets_through() -> None:
    checked = resolved = 0
    for ctx in _contexts():
        expected = [attr for attr in ctx.outer_attributes if _root_filter_passes(ctx, attr)]
        assert ctx.keras_chains == expected, ctx.filename
        # and every chain left out resolves to nothing, also when resolved in full
        unfiltered = Context(ctx.tree, ctx.text, ctx.settings, ctx.filename)
        unfiltered._keras_roots = None
        kept = {id(attr) for attr in expected}
        assert all(unfiltered.keras(attr) is None for attr in ctx.outer_attributes if id(attr) not in kept)
        checked += len(ctx.outer_attributes)
        resolved += sum(ctx.keras(attr) is not None for attr in expected)
    assert checked > 5000 and resolved > 300


def test_keras_chains_without_a_root_filter_are_every_chain() -> None:
    settings = Settings(extra_backend_aliases=("mylib.backend",))
    ctx = next(_contexts(settings))
    assert ctx._keras_roots is None and ctx.keras_chains == ctx.outer_attributes


def test_method_calls_are_the_calls_of_those_methods_in_call_order() -> None:
    asked = [("fit",), ("fit", "keys", "call"), ("d", "b", "fit_generator", "get"), ("absent",), (),
             tuple(f"m{i}" for i in range(9)) + ("fit", "append", "get")]
    found = 0
    for ctx in _contexts():
        for methods in asked:
            expected = [call for call in ctx.calls
                        if isinstance(call.func, ast.Attribute) and call.func.attr in methods]
            assert ctx.method_calls(*methods) == expected, (ctx.filename, methods)
            found += len(expected)
    assert found > 500


def test_source_order_is_the_order_of_the_context_lists() -> None:
    for ctx in _contexts():
        for nodes in (ctx.calls, ctx.attributes, ctx.outer_attributes):
            assert in_source_order(reversed(nodes)) == nodes, ctx.filename


def test_the_calls_renamed_argument_looks_at() -> None:
    from keras_compat import knowledge
    from keras_compat.rules.legacy_api import _callee, _keyword_calls

    by_method = knowledge.arg_renames_by_method()
    found = 0
    for ctx in _contexts():
        expected = [call for call in ctx.calls if call.keywords and (
            _callee(ctx, call) is not None or isinstance(call.func, ast.Attribute) and call.func.attr in by_method)]
        assert _keyword_calls(ctx, by_method) == expected, ctx.filename
        found += len(expected)
    assert found > 100


def test_the_calls_unknown_argument_may_accept() -> None:
    """Every call :func:`_callee` accepts is a candidate; a model's method calls too (in call order)."""
    from keras_compat.rules.surface import _callee, _checked_calls, _model_names

    accepted = 0
    for target in ("tf-keras", "keras3"):
        for ctx in _contexts(Settings(target=target)):
            names = _model_names(ctx)
            candidates = _checked_calls(ctx, names)
            assert candidates == [call for call in ctx.calls if id(call) in {id(c) for c in candidates}]
            kept = {id(call) for call in candidates}
            callees = [call for call in ctx.calls if _callee(ctx, call, names) is not None]
            assert all(id(call) in kept for call in callees), ctx.filename
            accepted += len(callees)
    assert accepted > 200


def test_a_keras_name_with_a_raw_path_has_a_canonical_path() -> None:
    """What lets :func:`keras_compat.rules.surface._checked_calls` take ``ctx.keras_calls`` (names with a
    path): no module of the move table moves to the root, nor is a name renamed to nothing."""
    from keras_compat.names import _moves

    moves = _moves()
    assert moves
    for old, new, names in moves:
        assert new != "" and old and all(renamed for _, renamed in names), old
