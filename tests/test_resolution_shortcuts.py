"""The resolution path's shortcuts answer exactly what the full path does, on real files.

* :attr:`Context.keras_calls`: the root filter written out in the loop rejects and memoises exactly what
  :meth:`Context.keras` would.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from pathlib import Path

from keras_compat.context import Context
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
    from keras_compat.registry import all_rules

    yield _SHADOWS, "<string>"
    for path in sorted([*_ROOT.joinpath("keras_compat").rglob("*.py"), *_ROOT.joinpath("tests").rglob("*.py")]):
        yield path.read_text(encoding="utf-8", errors="replace"), str(path)
    for rule in all_rules():
        for example in (*rule.bad, *rule.good):
            yield (example if isinstance(example, str) else example.code), "<string>"


def _contexts() -> Iterator[tuple[ast.Module, str, str]]:
    for text, filename in _sources():
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        yield tree, text, filename


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
