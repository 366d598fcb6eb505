"""The context's shared indexes answer exactly what the loops they replace would (order included)."""

from __future__ import annotations

import ast
import textwrap

from keras_compat.context import Context
from keras_compat.migration import chains_through_moved
from keras_compat.settings import Settings

_SOURCE = textwrap.dedent("""\
    import tensorflow as tf
    import keras
    from keras.utils import np_utils

    x = tf.keras.layers.Dense(3)(tf.zeros((1, 2)))
    y = np_utils.to_categorical(labels); z = keras.utils.np_utils.to_categorical(y)
    model.tf.keras.a.keras.b = tf.contrib.layers.x
    w = (keras
         .engine.topology.Layer)
    class A(keras.layers.Layer):
        def build(self, shape):
            self.trainable_weights = [self.kernel]
            self.state_size = 3
            return self.metrics_names, self.output_shape, K.tf
""")


def _ctx(source: str = _SOURCE) -> Context:
    return Context(ast.parse(source), source, Settings())


def test_attributes_named_is_the_filtered_attribute_list() -> None:
    ctx = _ctx()
    every = {attr.attr for attr in ctx.attributes}
    many = frozenset(list(every)[: len(every) // 2] + ["absent"] * 3 + [f"n{i}" for i in range(12)])
    for names in [("keras",), ("tf", "keras"), ("layers", "keras", "tf", "np_utils"), ("absent",), (), many,
                  frozenset(every), {"state_size": 1, "tf": 2}]:
        assert ctx.attributes_named(names) == [attr for attr in ctx.attributes if attr.attr in names], names


def test_attributes_named_keeps_the_order_of_nested_chains() -> None:
    """``a.b.c``'s attributes start at the same position: the index keeps the context's order for them."""
    ctx = _ctx("a.keras.b.keras.tf.c\n")
    expected = [attr for attr in ctx.attributes if attr.attr in ("keras", "tf")]
    assert len(expected) == 3
    assert ctx.attributes_named(("tf", "keras")) == expected


def test_chains_through_moved_modules_are_the_outermost_chains_spelling_one() -> None:
    ctx = _ctx()
    from keras_compat.knowledge import moved_module_leaves

    leaves = moved_module_leaves()

    def spells(attr: ast.AST) -> bool:
        while isinstance(attr, ast.Attribute):
            if attr.attr in leaves:
                return True
            attr = attr.value
        return False

    expected = [attr for attr in ctx.outer_attributes if spells(attr)]
    assert expected and chains_through_moved(ctx) == expected
