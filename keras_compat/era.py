"""Which Keras a module was written for: evidence that its calls went through Keras 2's legacy converter.

Keras 2.0-2.3 (``keras/legacy/interfaces.py``) rewrote Keras 1 calls at run time; ``Conv2D(64, 3, 3)`` meant
kernel ``(3, 3)`` there. tf.keras, ``tf_keras`` and Keras 3 have no converter: the same call means kernel 3,
strides 3, and a module written for them means exactly that. A positional conversion (KC202 and the other
rules that reinterpret positional arguments) is right only for a call that the converter saw:

* the callee is standalone ``keras`` (not ``tensorflow.keras``, ``tf_keras``, ``tensorflow.python.keras``);
* the module does not use another Keras flavour anywhere (a module that imports ``tensorflow.keras``, even as
  a fallback, was written or ported for a library without the converter);
* under ``keras-target = tf-keras`` standalone ``keras`` *is* the legacy library being migrated; under
  ``keras3`` ``import keras`` is the target itself, so the module must also show Keras 1/2 era code: a
  private module path of multi-backend Keras, a Keras 1 keyword argument, class name or backend function.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import TYPE_CHECKING

from keras_compat import knowledge
from keras_compat.names import Flavour, KerasName, raw_leaves
from keras_compat.record import Record

if TYPE_CHECKING:
    from keras_compat.context import Context

#: Backend functions that only multi-backend Keras had (keras 2.2.4 keras/backend/common.py).
_ERA_BACKEND = frozenset({"backend.image_dim_ordering", "backend.set_image_dim_ordering"})


class Era(Record):
    """What a module's imports and calls say about the Keras it was written for."""

    modern: bool  # uses tensorflow.keras / tf_keras / tensorflow.python.keras somewhere
    legacy: bool  # shows Keras 1 / multi-backend Keras 2 code


def module_era(ctx: Context) -> Era:
    """The :class:`Era` of the module (computed once per context)."""
    found = ctx.memo.get("era")
    if found is None:
        found = ctx.memo["era"] = Era(_modern(ctx), _legacy(ctx))
    return found  # type: ignore[return-value]


def converter_applied(ctx: Context, name: KerasName) -> bool:
    """Whether Keras 2's legacy converter saw calls of ``name`` in this module (see the module docstring)."""
    if name.flavour is not Flavour.KERAS:
        return False
    era = module_era(ctx)
    if era.modern:
        return False
    return ctx.settings.target == "tf-keras" or era.legacy


def _modern(ctx: Context) -> bool:
    for record in ctx.imports:
        if record.keras is not None and record.keras.flavour is not Flavour.KERAS:
            return True
    for attr in ctx.attributes_named(("keras",)):
        if isinstance(attr.value, (ast.Name, ast.Attribute)):
            name = ctx.keras(attr)
            if name is not None and name.flavour is not Flavour.KERAS:
                return True
    return False


@lru_cache(maxsize=1)
def _legacy_leaves() -> frozenset[str]:
    """Attribute names that can resolve to a Keras 1 name or an era backend function."""
    return raw_leaves(set(knowledge.class_renames()) | _ERA_BACKEND)


def _legacy(ctx: Context) -> bool:
    renames = knowledge.class_renames()
    for record in ctx.imports:
        name = record.keras
        if name is None or name.flavour is not Flavour.KERAS:
            continue
        if not name.raw.startswith("src.") and knowledge.module_move(name.raw) is not None:
            return True  # keras.layers.core, keras.engine.topology, keras.utils.np_utils, keras.objectives ...
        if name.path in renames or name.path in _ERA_BACKEND:
            return True
    by_callable = knowledge.arg_renames_by_callable()
    conversions = knowledge.kernel_conversions()
    for call, name in ctx.keras_calls:
        if name.flavour is not Flavour.KERAS:
            continue
        if name.path in renames or name.path in _ERA_BACKEND:
            return True
        renamed = by_callable.get(name.path, {})
        conv = conversions.get(name.path)
        for kw in call.keywords:
            if kw.arg in renamed or conv is not None and kw.arg in conv.dim_keywords:
                return True
    by_method = knowledge.arg_renames_by_method()
    for call in ctx.calls:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in by_method and \
                any(kw.arg in by_method[func.attr] for kw in call.keywords):
            return True  # model.fit(nb_epoch=...), fit_generator(samples_per_epoch=...)
    leaves = _legacy_leaves()
    for attr in ctx.attributes_named(leaves):
        name = ctx.keras(attr)
        if name is not None and name.flavour is Flavour.KERAS and \
                (name.path in renames or name.path in _ERA_BACKEND):
            return True
    return False
