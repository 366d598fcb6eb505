"""The custom-layer contract (KC404-KC407): constructor, configuration, base-class calls, Keras 1 methods.

Facts: reference section g (``__init__(**kwargs)``, ``get_config``, ``super().__init__``) and the
Keras 1 -> Keras 2 layer API (``get_output_shape_for``, ``add_weight`` argument order).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from keras_compat.context import Context
from keras_compat.data import layers as table
from keras_compat.diagnostics import Diagnostic, Edit, Fix
from keras_compat.layers import ClassInfo, Classifier, FunctionNode, Kind, by_scope, classifier
from keras_compat.record import Record
from keras_compat.registry import Bad, FixAvailability, Good, Severity, Words, rule
from keras_compat.rules.backend import in_legacy_branch
from keras_compat.rules.training import def_name_range
from keras_compat.walk import walk

#: Kinds the serialisation contract applies to (subclassed models are usually saved as weights only).
_CONTRACT_KINDS = (Kind.LAYER, Kind.RNN_CELL, Kind.WRAPPER)


def _is_super_call(call: ast.Call, func: ast.Attribute) -> bool:
    """``super().<method>(...)``, ``super(X, self).<method>(...)`` or ``Base.<method>(self, ...)``
    (``func`` is the call's callee)."""
    receiver = func.value
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super":
        return True
    return isinstance(receiver, (ast.Name, ast.Attribute)) and bool(call.args) and \
        isinstance(call.args[0], ast.Name) and call.args[0].id == "self"


#: The constructor KC404-KC406 read (each of their findings is about a ``def __init__`` of a layer class).
_INIT = "__init__"
#: The base-class methods whose calls the rules look for.
_SUPER_METHODS = ("__init__", "build")
_WEIGHT_LISTS = ("trainable_weights", "non_trainable_weights")
_WANTED = frozenset({*_SUPER_METHODS, *_WEIGHT_LISTS, "add_weight"})


class _Found(Record, mutable=True):
    """What the contract rules look for, by enclosing class/function (see :func:`by_scope`)."""

    super_calls: dict[int, list[ast.Call]]  # super().__init__(...), super().build(...) ...
    add_weight_calls: dict[int, list[ast.Call]]  # <anything>.add_weight(...)
    legacy_weights: dict[int, list[ast.expr]]  # KC407: self.trainable_weights = ..., self.add_weight(<positional>)


def _found(ctx: Context) -> _Found:
    """The contract's candidate nodes, picked from the context's attribute index once per module (rather
    than each rule walking every layer class and method)."""
    cached: _Found | None = getattr(ctx, "_keras_contract", None)
    if cached is None:
        super_calls: list[ast.Call] = []
        add_weight: list[ast.Call] = []
        legacy: list[ast.expr] = []
        for attr in ctx.attributes_named(_WANTED):
            name = attr.attr
            if name in _WEIGHT_LISTS:
                if _assigns_weight_list(ctx, attr):
                    legacy.append(attr)
                continue
            call = ctx.parent(attr)
            if not (isinstance(call, ast.Call) and call.func is attr):
                continue
            if name == "add_weight":
                add_weight.append(call)
                if _positional_add_weight(call):
                    legacy.append(call)
            elif _is_super_call(call, attr):
                super_calls.append(call)
        legacy.sort(key=lambda n: (n.lineno, n.col_offset))
        cached = _Found(by_scope(ctx, super_calls), by_scope(ctx, add_weight), by_scope(ctx, legacy))
        ctx._keras_contract = cached  # type: ignore[attr-defined]
    return cached


def _super_calls(ctx: Context, func: FunctionNode, method: str) -> list[ast.Call]:
    """The calls of the base class's ``method`` anywhere in ``func`` (``method`` in ``_SUPER_METHODS``)."""
    return [c for c in _found(ctx).super_calls.get(id(func), ()) if c.func.attr == method]  # type: ignore[attr-defined]


def _layer_classes(ctx: Context, kinds: tuple[Kind, ...]) -> Iterator[tuple[Classifier, ClassInfo]]:
    """The classes of ``kinds`` (layer kinds) outside legacy branches."""
    classes = classifier(ctx)
    live: list[ClassInfo] | None = getattr(ctx, "_keras_live_layers", None)
    if live is None:  # the same for the four rules
        live = [info for info in classes if info.kind.is_layer and not in_legacy_branch(ctx, info.node)]
        ctx._keras_live_layers = live  # type: ignore[attr-defined]
    for info in live:
        if info.kind in kinds:
            yield classes, info


@rule(
    code="KC404",
    symbol="layer-init-kwargs",
    severity=Severity.WARNING,
    message="{layer}.__init__ {problem}: name=, dtype=, trainable= and load_model() fail; "
            "add **kwargs and call super().__init__(**kwargs)",
    summary="Custom layer `__init__` does not accept `**kwargs` or does not pass them on",
    what="Finds a custom layer (layer, RNN cell or wrapper; not subclassed models) whose `__init__` has no "
         "`**kwargs` parameter, or has one but calls `super().__init__(...)` without passing it on.",
    why="The base `Layer.__init__` takes `name`, `dtype`, `trainable` ...; deserialisation calls "
        "`cls(**config)` with those keys. Without `**kwargs`, `MyLayer(4, name='a')` raises `TypeError` "
        "(tf.keras and Keras 3, verified) and Keras 3 cannot load a saved model containing the layer "
        "(`unexpected keyword argument 'trainable'`).",
    fix_safety="No automatic fix: the keyword arguments have to be threaded through by hand.",
    bad=(
        Bad("from tensorflow.keras import layers\n\nclass Scale(layers.Layer):\n"
            "    def __init__(self, factor):  # error: KC404\n        super().__init__()\n"
            "        self.factor = factor\n"),
        Bad("from keras.engine.topology import Layer\n\nclass Base(Layer):\n    pass\n\nclass Scale(Base):\n"
            "    def __init__(self, factor, **kwargs):  # error: KC404\n"
            "        super(Scale, self).__init__(name='scale')\n        self.factor = factor\n"),
    ),
    good=(
        "from tensorflow.keras import layers\n\nclass Scale(layers.Layer):\n"
        "    def __init__(self, factor, **kwargs):\n        super().__init__(**kwargs)\n"
        "        self.factor = factor\n",
        "import keras\n\nclass Net(keras.Model):\n    def __init__(self, units):\n"
        "        super().__init__()\n        self.units = units\n",
        "from keras.callbacks import Callback\n\nclass Log(Callback):\n    def __init__(self, path):\n"
        "        super().__init__()\n        self.path = path\n",
        Good('from tensorflow.keras import layers\n\nclass Scale(layers.Layer):\n'
             '    def __init__(self, factor, **kwargs):\n        super().__init__(**kwargs)\n'
             '        self.factor = factor\n\n    def get_config(self):\n'
             '        return {**super().get_config(), "factor": self.factor}\n', targets=("tf-keras",)),
    ),
    needs=Words(defs=(_INIT,)),
)
def layer_init_kwargs(ctx: Context) -> Iterator[Diagnostic]:
    for _, info in _layer_classes(ctx, _CONTRACT_KINDS):
        init = info.method(_INIT)
        if init is None:
            continue
        kwarg = init.args.kwarg.arg if init.args.kwarg else None
        if kwarg is None:
            problem = "does not accept **kwargs"
        else:
            calls = _super_calls(ctx, init, "__init__")
            if not calls or any(_mentions_name(c, kwarg) for c in calls):
                continue
            problem = f"does not pass **{kwarg} to super().__init__"
        yield ctx.report("KC404", def_name_range(ctx, init), None, layer=info.name, problem=problem)


def _mentions_name(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in walk(node))


def _constructor_arguments(ctx: Context, init: FunctionNode) -> list[str]:
    """Parameters of ``__init__`` beyond ``self``/``*args``/``**kwargs`` not forwarded to the base by name."""
    args = init.args
    params = [a.arg for a in [*args.posonlyargs, *args.args][1:]] + [a.arg for a in args.kwonlyargs]
    forwarded: set[str] = set()
    for call in _super_calls(ctx, init, "__init__"):
        for value in [*call.args, *(kw.value for kw in call.keywords if kw.arg is not None)]:
            if isinstance(value, ast.Name):
                forwarded.add(value.id)
    return [p for p in params if p not in forwarded]


@rule(
    code="KC405",
    symbol="missing-get-config",
    severity=Severity.WARNING,
    message="{layer} takes constructor arguments ({arguments}) but defines no get_config(): saving fails on "
            "Keras <= 2.10 and for non-basic argument values; add get_config() returning them",
    summary="Custom layer with constructor arguments but no `get_config`",
    what="Finds a custom layer whose `__init__` takes arguments beyond `self`/`**kwargs` (other than those "
         "passed straight to the base class) while neither the class nor a custom base class of the module "
         "defines `get_config`. Reported on the `class` line. Classes with a base that cannot be resolved "
         "(a mixin from another module might define `get_config`) are not reported.",
    why="Keras <= 2.10 raises `NotImplementedError: Layer X has arguments in __init__ and therefore must "
        "override get_config` on `model.save`/`to_json`. tf.keras >= 2.11 and Keras 3 generate a config, "
        "but only when every argument value is a basic type (str/int/float/bool/None); anything else raises "
        "`NotImplementedError` when the model is saved (verified).",
    fix_safety="No automatic fix.",
    use_instead="```python\ndef get_config(self):\n    config = super().get_config()\n"
                "    config.update({\"units\": self.units})\n    return config\n```",
    bad=(
        Bad("from tensorflow.keras import layers\n\nclass Scale(layers.Layer):  # error: KC405\n"
            "    def __init__(self, factor, **kwargs):\n        super().__init__(**kwargs)\n"
            "        self.factor = factor\n"),
        Bad("import keras.engine as KE\n\nclass Base(KE.Layer):\n    pass\n\nclass Pick(Base):  # error: KC405\n"
            "    def __init__(self, index, **kwargs):\n        super(Pick, self).__init__(**kwargs)\n"
            "        self.index = index\n"),
    ),
    good=(
        "from tensorflow.keras import layers\n\nclass Scale(layers.Layer):\n"
        "    def __init__(self, factor, **kwargs):\n        super().__init__(**kwargs)\n"
        "        self.factor = factor\n\n    def get_config(self):\n"
        "        return {**super().get_config(), 'factor': self.factor}\n",
        "from tensorflow.keras import layers\n\nclass Base(layers.Layer):\n    def get_config(self):\n"
        "        return super().get_config()\n\nclass Scale(Base):\n    def __init__(self, factor=1, **kwargs):\n"
        "        super().__init__(**kwargs)\n        self.factor = factor\n",
        "from keras.layers import Dense\n\nclass MyDense(Dense):\n    def __init__(self, units, **kwargs):\n"
        "        super().__init__(units, **kwargs)\n",
    ),
    needs=Words(defs=(_INIT,)),
)
def missing_get_config(ctx: Context) -> Iterator[Diagnostic]:
    for classes, info in _layer_classes(ctx, _CONTRACT_KINDS):
        init = info.method(_INIT)
        if init is None or info.unknown_bases:
            continue
        arguments = _constructor_arguments(ctx, init)
        if not arguments:
            continue
        if info.defines("get_config") or any(base.defines("get_config") for base in classes.ancestors(info)):
            continue
        shown = ", ".join(arguments[:4]) + (", ..." if len(arguments) > 4 else "")
        yield ctx.report("KC405", def_name_range(ctx, info.node), None, layer=info.name, arguments=shown)


@rule(
    code="KC406",
    symbol="missing-super-init",
    severity=Severity.ERROR,
    message="{layer}.__init__ never calls super().__init__(): RuntimeError when the {kind} is used",
    summary="Custom layer or model `__init__` without `super().__init__()`",
    what="Finds `__init__` of a custom layer, model, RNN cell or wrapper that never calls "
         "`super().__init__(...)`, `super(Cls, self).__init__(...)` or `Base.__init__(self, ...)`. "
         "Classes with a base that cannot be resolved are not reported.",
    why="The base class sets up the layer's tracking state: tf.keras raises `RuntimeError: You must call "
        "super().__init__() in the layer constructor` at the first call and Keras 3 `RuntimeError: ... you "
        "forgot to call super().__init__()` (both verified).",
    fix_safety="No automatic fix: the call belongs first in `__init__` with the right arguments.",
    bad=(
        Bad("from tensorflow.keras import layers\n\nclass Scale(layers.Layer):\n"
            "    def __init__(self, factor, **kwargs):  # error: KC406\n        self.factor = factor\n"),
        Bad("import tensorflow as tf\n\nclass Net(tf.keras.Model):\n    def __init__(self):  # error: KC406\n"
            "        self.dense = tf.keras.layers.Dense(1)\n"),
    ),
    good=(
        "from tensorflow.keras import layers\n\nclass Scale(layers.Layer):\n"
        "    def __init__(self, factor, **kwargs):\n        super().__init__(**kwargs)\n"
        "        self.factor = factor\n",
        "from keras.engine.topology import Layer\n\nclass Scale(Layer):\n    def __init__(self, **kwargs):\n"
        "        Layer.__init__(self, **kwargs)\n",
        "from tensorflow.keras.callbacks import Callback\n\nclass Log(Callback):\n"
        "    def __init__(self):\n        self.seen = 0\n",
        Good('import keras\n\nclass Scale(keras.layers.Layer):\n    def __init__(self, factor, **kwargs):\n'
             '        super().__init__(**kwargs)\n        self.factor = factor\n\n    def get_config(self):\n'
             '        return {**super().get_config(), "factor": self.factor}\n', targets=("keras3",)),
    ),
    needs=Words(defs=(_INIT,)),
)
def missing_super_init(ctx: Context) -> Iterator[Diagnostic]:
    kinds = (*_CONTRACT_KINDS, Kind.MODEL)
    for _, info in _layer_classes(ctx, kinds):
        init = info.method(_INIT)
        if init is None or info.unknown_bases or _super_calls(ctx, init, "__init__"):
            continue
        kind = "model" if info.kind is Kind.MODEL else "layer"
        yield ctx.report("KC406", def_name_range(ctx, init), None, layer=info.name, kind=kind)


def _assigns_weight_list(ctx: Context, attr: ast.Attribute) -> bool:
    """``self.trainable_weights = ...`` (or ``+=``): ``attr`` is a target of an assignment."""
    if not (isinstance(attr.value, ast.Name) and attr.value.id == "self"):
        return False
    parent = ctx.parent(attr)
    if isinstance(parent, ast.Assign):
        return any(target is attr for target in parent.targets)
    return isinstance(parent, ast.AugAssign) and parent.target is attr


def _positional_add_weight(call: ast.Call) -> bool:
    """``self.add_weight(<positional arguments>)`` (a ``*args`` call may pass keywords only)."""
    return isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) and \
        call.func.value.id == "self" and bool(call.args) and not any(isinstance(a, ast.Starred) for a in call.args)


def _builds_base(ctx: Context, classes: Classifier, info: ClassInfo) -> str | None:
    """Name of a base whose ``build`` creates weights: a listed built-in layer or a local base whose
    ``build`` calls ``add_weight``."""
    for base in classes.ancestors(info):
        if base.foreign:  # a class of another module: its facts say whether its build adds weights
            if base.facts is not None and base.facts.build_weights is not None:
                return base.name if base.facts.build_weights else None
            continue
        build = base.method("build")
        if build is not None:
            return base.name if id(build) in _found(ctx).add_weight_calls else None
    for path in classes.builtin_bases(info):
        if path in table.WEIGHT_BUILDING_LAYERS:
            return path.rsplit(".", 1)[-1]
    return None


@rule(
    code="KC407",
    symbol="legacy-layer-method",
    severity=Severity.WARNING,
    message="{layer}: {problem} -> {advice}",
    summary="Keras 1 custom-layer API: `get_output_shape_for`, assigned weight lists, positional `add_weight`",
    fix=FixAvailability.SOMETIMES,
    what="Finds the Keras 1 custom-layer API in custom layers: a `get_output_shape_for` method (Keras 2 "
         "calls `compute_output_shape`), assignments to `self.trainable_weights` / "
         "`self.non_trainable_weights`, `self.add_weight(...)` called with positional arguments, and a "
         "`build()` that overrides the `build` of a built-in layer (or of a custom base class with its own "
         "`build`) without calling `super().build(...)`.",
    why="Keras 2 never calls `get_output_shape_for`, so the layer's output shape silently falls back to the "
        "default. `trainable_weights` is a read-only property in tf.keras and Keras 3 (`AttributeError`). "
        "The positional order of `add_weight` changed: Keras 2.0 `(shape, initializer, name)`, Keras 2.1+ / "
        "tf.keras `(name, shape, ...)`, Keras 3 `(shape, initializer, ...)` with `name` keyword-only in "
        "practice (verified). A `build()` that does not call the base's `build` leaves the base layer's own "
        "weights (`kernel`, the RNN cell ...) uncreated.",
    fix_safety="Safe for `get_output_shape_for`: the method is renamed to `compute_output_shape`, which "
               "Keras 2 calls with the same argument. No fix when the class already defines "
               "`compute_output_shape` or the old name is referenced elsewhere in the module. Safe for a "
               "positional `add_weight` whose first argument is a tuple or list display (a shape, so the Keras "
               "1 / 2.0 order `(shape, initializer, name, trainable, regularizer, constraint)`): the arguments "
               "are passed as those keywords, which every Keras reads the same way.",
    bad=(
        Bad("from keras.engine.topology import Layer\n\nclass Pick(Layer):\n"
            "    def get_output_shape_for(self, input_shape):  # error: KC407\n        return input_shape\n",
            fixed="from keras.engine.topology import Layer\n\nclass Pick(Layer):\n"
                  "    def compute_output_shape(self, input_shape):  # error: KC407\n        return input_shape\n"),
        Bad("from tensorflow.keras import layers\n\nclass Scale(layers.Layer):\n    def build(self, input_shape):\n"
            "        self.w = self.add_weight('w', (1,))  # error: KC407\n"
            "        self.trainable_weights = [self.w]  # error: KC407\n", targets=("tf-keras",)),
        Bad("from tensorflow.keras import layers\n\nclass Scale(layers.Layer):\n    def build(self, input_shape):\n"
            "        self.w = self.add_weight('w', (1,))  # error: KC513\n"
            "        self.trainable_weights = [self.w]  # error: KC407\n", targets=("keras3",)),
        Bad("from tensorflow.keras import layers\n\nclass Dot(layers.Layer):\n    def build(self, input_shape):\n"
            "        self.w = self.add_weight((input_shape[1], 4), 'uniform', name='w')  # error: KC407\n",
            fixed="from tensorflow.keras import layers\n\nclass Dot(layers.Layer):\n    def build(self, input_shape):\n"
                  "        self.w = self.add_weight(shape=(input_shape[1], 4), initializer='uniform', name='w')  "
                  "# error: KC407\n"),
        Bad("from keras.layers import Dense\n\nclass Base(Dense):\n    pass\n\nclass MyDense(Base):\n"
            "    def build(self, input_shape):  # error: KC407\n"
            "        self.extra = self.add_weight(name='extra', shape=(1,))\n"),
    ),
    good=(
        "from tensorflow.keras import layers\n\nclass Pick(layers.Layer):\n"
        "    def compute_output_shape(self, input_shape):\n        return input_shape\n",
        "from tensorflow.keras import layers\n\nclass Scale(layers.Layer):\n    def build(self, input_shape):\n"
        "        self.w = self.add_weight(name='w', shape=(1,))\n",
        "from keras.layers import Dense\n\nclass MyDense(Dense):\n    def build(self, input_shape):\n"
        "        super().build(input_shape)\n        self.extra = self.add_weight(name='extra', shape=(1,))\n",
        # A build() that replaces the base's weights on purpose (tensorflow-addons' NoisyDense) is not a bug.
        "from tensorflow.keras.layers import Dense\n\nclass NoisyDense(Dense):\n"
        "    def build(self, input_shape):\n"
        "        self.mu_kernel = self.add_weight(name='mu', shape=(int(input_shape[-1]), self.units))\n"
        "        self.built = True\n\n"
        "    @property\n    def kernel(self):\n        return self.mu_kernel\n",
        Good("import keras\n\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n"
             "        self.w = self.add_weight(name=\"w\", shape=(1,))\n\n"
             "    def compute_output_shape(self, input_shape):\n        return input_shape\n", targets=("keras3",)),
    ),
    needs=Words(defs=(*table.LEGACY_LAYER_METHODS, "build"), attributes=(*_WEIGHT_LISTS, "add_weight")),
)
def legacy_layer_method(ctx: Context) -> Iterator[Diagnostic]:
    from keras_compat.rules.layer_contract import keras3_rejects_add_weight

    keras3 = ctx.settings.target == "keras3"
    for classes, info in _layer_classes(ctx, (*_CONTRACT_KINDS, Kind.MODEL)):
        for old, new in table.LEGACY_LAYER_METHODS.items():
            method = info.method(old)
            if method is not None:
                yield _renamed_method(ctx, info, method, old, new)
        for node in _found(ctx).legacy_weights.get(id(info.node), ()):
            if isinstance(node, ast.Attribute):
                yield ctx.report("KC407", node, None, layer=info.name,
                                 problem=f"assigns self.{node.attr} (read-only in tf.keras and Keras 3)",
                                 advice="create weights with self.add_weight(..., trainable=...)")
            elif not (keras3 and keras3_rejects_add_weight(node)):  # KC513 reports those under keras3
                fix = _add_weight_keywords_fix(ctx, node) if isinstance(node, ast.Call) else None
                yield ctx.report("KC407", node, fix, layer=info.name,
                                 problem="add_weight() with positional arguments (their order changed between "
                                         "Keras 2.0, tf.keras and Keras 3)",
                                 advice="pass name=, shape=, initializer= as keywords")
        build = info.method("build")
        if (build is not None and not _super_calls(ctx, build, "build") and not info.unknown_bases
                and not _replaces_base_build(info, build)):
            base = _builds_base(ctx, classes, info)
            if base is not None:
                yield ctx.report("KC407", def_name_range(ctx, build), None, layer=info.name,
                                 problem=f"build() overrides {base}.build without calling it (the base layer's "
                                         "own weights are never created)",
                                 advice="call super().build(input_shape)")


#: keras 1.2.2 keras/engine/topology.py and keras 2.0.0 keras/engine/topology.py ``Layer.add_weight(self, shape,
#: initializer, name=None, trainable=True, regularizer=None, constraint=None)``; Keras 2.1+ and tf.keras put
#: ``name`` first, Keras 3 takes ``shape`` first: written as keywords the call means the same everywhere.
_KERAS1_ADD_WEIGHT = ("shape", "initializer", "name", "trainable", "regularizer", "constraint")


def _add_weight_keywords_fix(ctx: Context, call: ast.Call) -> Fix | None:
    """``self.add_weight((n, m), 'uniform', name='W')`` -> ``self.add_weight(shape=(n, m), initializer='uniform',
    name='W')``: only when the first positional argument is a tuple or list display, which is a shape in every
    Keras (a name is a string), so the call was written for the Keras 1 / 2.0 order."""
    args = call.args
    if not args or not isinstance(args[0], (ast.Tuple, ast.List)) or len(args) > len(_KERAS1_ADD_WEIGHT):
        return None
    if any(isinstance(a, ast.Starred) for a in args) or any(kw.arg is None for kw in call.keywords):
        return None
    names = _KERAS1_ADD_WEIGHT[:len(args)]
    if {kw.arg for kw in call.keywords} & set(names):
        return None
    edits = []
    for name, arg in zip(names, args):
        line, col, _, _ = ctx.range(arg)
        edits.append(Edit.insert(line, col, f"{name}="))
    return ctx.fix("Pass add_weight's Keras 1 positional arguments as keywords", edits, safe=True)


def _replaces_base_build(info: ClassInfo, build: FunctionNode) -> bool:
    """Whether a ``build()`` that skips the base's takes over its contract on purpose: it marks the layer
    built itself (``self.built = True``) or the class provides the base's weights itself (a ``kernel`` or
    ``bias`` of its own, as tensorflow-addons' ``NoisyDense`` does). Then it is not a forgotten call."""
    if info.defines("kernel") or info.defines("bias"):
        return True
    for node in ast.walk(build):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Attribute) and t.attr == "built" and isinstance(t.value, ast.Name)
                and t.value.id == "self" for t in node.targets):
            return True
    return False


def _renamed_method(ctx: Context, info: ClassInfo, method: FunctionNode, old: str, new: str) -> Diagnostic:
    def fix() -> Fix | None:  # (computed only when fixes are wanted: it reads the whole text)
        elsewhere = len(re.findall(rf"\b{old}\b", ctx.text)) > 1
        if info.defines(new) or elsewhere:
            return None
        line, col, end_line, end_col = def_name_range(ctx, method)
        return ctx.fix(f"Rename {old} to {new}", [Edit(line, col, end_line, end_col, new)], safe=True)

    advice = f"rename it to {new}" if not info.defines(new) else f"remove it ({new} is already defined)"
    return ctx.report("KC407", def_name_range(ctx, method), fix, layer=info.name,
                      problem=f"{old}() is the Keras 1 name and is never called by Keras 2", advice=advice)
