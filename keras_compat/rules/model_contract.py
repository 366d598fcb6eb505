"""Keras 3 layer and model state (KC515-KC521): removed attributes, read-only weights, metrics names, RNN
subclasses, layers made in ``call()``, variables the base class does not save.

Facts: ``data/keras3_layers.py`` (keras 3.15.1 wheel, ``tests/test_keras3_layers_table.py``); examples run on
Keras 3.15.1 (and tf-keras 2.21 where a rule says tf-keras breaks too) in ``tests/test_rule_execution.py``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from keras_compat.context import Context
from keras_compat.data import keras3_layers as table
from keras_compat.diagnostics import Diagnostic
from keras_compat.gate import identifiers
from keras_compat.layers import ClassInfo, Kind, classifier
from keras_compat.registry import Bad, Execution, Severity, Words, rule
from keras_compat.rules.backend import in_legacy_branch
from keras_compat.names import keras_name
from keras_compat.rules.layer_contract import _BOTH, _K3, _binding_owner, _constructed_kind, _is_layer_object, _is_self, \
    _live_layers, _own_method_call, _params
from keras_compat.rules.legacy_api import _MODEL_CONSTRUCTORS
from keras_compat.walk import walk

_REMOVED = {entry.name: entry for entry in table.REMOVED_ATTRIBUTES}
#: The attribute KC517 reports, and the method whose calls KC521 looks for.
_METRICS_NAMES = "metrics_names"
_ADD_WEIGHT = "add_weight"
_READONLY_NAMES = frozenset(attr for attrs in table.READONLY_PROPERTIES.values() for attr in attrs)


def _guarded(ctx: Context, node: ast.Attribute) -> bool:
    """Inside ``if hasattr(x, 'attr')``/``try: ... except AttributeError`` or a compatibility branch."""
    if ctx.in_compat_branch(node):
        return True
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, (ast.If, ast.IfExp)):
            for sub in walk(ancestor.test):
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and \
                        sub.func.id in ("hasattr", "getattr") and len(sub.args) > 1 and \
                        isinstance(sub.args[1], ast.Constant) and sub.args[1].value == node.attr:
                    return True
        if isinstance(ancestor, ast.Try):
            for handler in ancestor.handlers:
                if handler.type is None or "AttributeError" in ast.unparse(handler.type):
                    return True
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return False
    return False


@rule(
    code="KC515",
    symbol="removed-layer-attribute",
    severity=Severity.ERROR,
    message="{expr}: '{attr}' {gone} -> {advice}",
    summary="`layer.output_shape`, `layer.input_shape`, `x._keras_shape` and other removed layer/tensor attributes",
    targets=_BOTH,
    what="Finds reads of attributes that layers and symbolic tensors no longer have: `output_shape` and "
         "`input_shape` of a layer (not of a model), `_compute_dtype_object` and `x._keras_history.layer` "
         "(Keras 3 target), and `_keras_shape`, `_uses_learning_phase`, `_add_inbound_node` (both targets). "
         "`output_shape`/`input_shape` need evidence that the object is a layer: `model.layers[i]`, "
         "`model.get_layer(...)`, a loop over `model.layers`, a name bound to a layer constructor, or `self` "
         "in a custom layer. Reads guarded by `hasattr(x, '...')` or `except AttributeError` are left alone.",
    why="Keras 3 layers have no `input_shape`/`output_shape` (models keep them: `Functional.output_shape`), no "
        "`_compute_dtype_object` (`compute_dtype` is a string), and symbolic tensors record their producer "
        "as `_keras_history.operation`. `_keras_shape`, `_uses_learning_phase` and `_add_inbound_node` are "
        "Keras 2.2 internals that neither tf-keras 2.x nor Keras 3 has. Each read raises `AttributeError`.",
    fix_safety="No automatic fix: the replacement (`layer.output.shape`, `x.shape`) depends on what was built.",
    bad=(
        Bad("import keras\n\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), "
            "keras.layers.Dense(1)])\nfor layer in model.layers:\n"
            "    print(layer.name, layer.output_shape)  # error: KC515\n", targets=_K3),
        Bad("import tensorflow as tf\n\ninp = tf.keras.Input((3,))\nunits = inp._keras_shape[-1]  # error: KC515\n"),
        Bad("from tensorflow import keras\n\ninp = keras.Input((3,))\nout = keras.layers.Dense(2, name='hidden')(inp)\n"
            "model = keras.Model(inp, out)\nprint(model.get_layer('hidden').input_shape)  # error: KC515\n",
            targets=_K3),
        Bad("import keras\n\nx = keras.Input((3,))\ny = keras.layers.Dense(1)(x)\n"
            "producer = y._keras_history.layer  # error: KC515\n", targets=_K3),
        Bad("import tensorflow as tf\n\nclass Cast(tf.keras.layers.Layer):\n    def call(self, x):\n"
            "        return tf.cast(x, self._compute_dtype_object)  # error: KC515\n\n\nCast()(tf.ones((2, 3)))\n",
            targets=_K3),
        Bad("import tensorflow as tf\n\ndense = tf.keras.layers.Dense(2)\n"
            "dense._add_inbound_node(input_tensors=[], output_tensors=[])  # error: KC515\n"),
        Bad("import tensorflow as tf\n\nx = tf.keras.Input((3,))\ny = tf.keras.layers.Dropout(0.5)(x)\n"
            "if y._uses_learning_phase:  # error: KC515\n    print('dropout')\n"),
    ),
    good=(
        "import keras\n\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n"
        "print(model.output_shape)\nfor layer in model.layers:\n    print(layer.name, layer.output.shape)\n",
        "import keras\n\nclass Patch(keras.layers.Layer):\n    @property\n    def output_shape(self):\n"
        "        return (None, 4)\n\n\nprint(Patch().output_shape)\n",
        "import tensorflow as tf\n\nx = tf.keras.Input((3,))\n"
        "dims = x._keras_shape if hasattr(x, '_keras_shape') else x.shape\n",
        "import keras\n\nx = keras.Input((3,))\ny = keras.layers.Dense(1)(x)\nproducer = y._keras_history.operation\n",
    ),
    execution=Execution(
        runtimes=_BOTH,
        expect=r"AttributeError: .*has no attribute '(output_shape|input_shape|_keras_shape|layer|"
               r"_compute_dtype_object|_add_inbound_node|_uses_learning_phase)'",
    ),
)
def removed_layer_attribute(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras:
        return
    target = ctx.settings.target
    for node in ctx.attributes_named(_REMOVED):
        entry = _REMOVED[node.attr]
        if target not in entry.targets or not isinstance(node.ctx, ast.Load):
            continue
        reported: ast.Attribute = node
        if entry.chain:
            parent = ctx.parent(node)
            if not (isinstance(parent, ast.Attribute) and parent.attr == entry.chain and parent.value is node):
                continue
            reported = parent
        if entry.on == "tensor" and _backend_variable(ctx, node.value):
            continue
        if entry.on == "layer" and entry.name in ("output_shape", "input_shape"):
            if not _is_layer_object(ctx, node.value) or _defines_itself(ctx, node):
                continue
        if _guarded(ctx, node):
            continue
        gone = "is gone from Keras 3" if entry.targets == _K3 else "is gone from tf-keras 2.x and Keras 3"
        if entry.chain:
            gone = f"{entry.name}.{entry.chain} {gone} (the field is now 'operation')"
        yield ctx.report("KC515", reported, expr=ctx.segment(reported), attr=entry.name, gone=gone,
                         advice=entry.advice)


def _backend_variable(ctx: Context, receiver: ast.AST) -> bool:
    """A name bound to a backend call (``K.variable(...)`` still marks its result with ``_keras_shape``)."""
    if not isinstance(receiver, ast.Name):
        return False
    return any(path.startswith("backend.") for path in _constructed_kind(ctx, receiver))


def _defines_itself(ctx: Context, node: ast.Attribute) -> bool:
    """``self.output_shape`` in a class that defines ``output_shape`` (a property of its own)."""
    if not _is_self(node.value):
        return False
    found = classifier(ctx).enclosing(node)
    if found is None or found[0].unknown_bases:
        return True  # a base we cannot see may define it
    info = found[0]
    return info.defines(node.attr) or any(base.defines(node.attr) for base in classifier(ctx).ancestors(info))


# -- KC516: read-only weight properties --------------------------------------------------------------------

def _readonly_base(ctx: Context, info: ClassInfo, attr: str) -> str | None:
    classes = classifier(ctx)
    if info.unknown_bases or info.defines(attr) or any(base.defines(attr) for base in classes.ancestors(info)):
        return None  # a property of its own (or of a base we cannot see) may have a setter
    for path in classes.builtin_bases(info):
        if attr in table.READONLY_PROPERTIES.get(path, ()):
            return path
    return None


@rule(
    code="KC516",
    symbol="read-only-layer-weight",
    severity=Severity.ERROR,
    message="{target} = ...: {base}.{attr} is a read-only property in Keras 3 (AttributeError: property has no "
            "setter) -> {advice}",
    summary="Assigning `kernel`/`embeddings` of Dense, Conv and Embedding layers (read-only in Keras 3)",
    targets=_K3,
    what="With `keras-target = keras3`: finds assignments to `self.kernel` in subclasses of `Dense`, "
         "`EinsumDense` and `Conv1D/2D/3D` (and `self.embeddings` in `Embedding` subclasses) that do not define "
         "the attribute themselves, and assignments to `layer.kernel` on a name bound to such a layer.",
    why="Keras 3 exposes these weights through properties without a setter over `_kernel`/`_embeddings` (so "
        "that quantized and LoRA variants can compute them): assigning raises `AttributeError: property "
        "'kernel' of 'Dense' object has no setter`. `bias` stays a plain attribute.",
    fix_safety="No automatic fix: in a subclass's `build()` assign the private attribute (`self._kernel = "
               "self.add_weight(...)`), or call `super().build()` and keep the base's weight; on an instance, "
               "use `layer.kernel.assign(value)`.",
    bad=(
        Bad("import keras\nfrom keras.layers import Dense as FC\n\nclass Positive(FC):\n"
            "    def build(self, input_shape):\n"
            "        self.kernel = self.add_weight(name='kernel', shape=(input_shape[-1], self.units))"
            "  # error: KC516\n        self.bias = None\n        self.built = True\n\n\n"
            "Positive(2)(keras.ops.ones((1, 3)))\n"),
        Bad("import tensorflow as tf\n\ndense = tf.keras.layers.Dense(2)\ndense.build((None, 3))\n"
            "dense.kernel = tf.Variable(tf.zeros((3, 2)))  # error: KC516\n"),
    ),
    good=(
        "import keras\n\nclass Positive(keras.layers.Dense):\n    def build(self, input_shape):\n"
        "        self._kernel = self.add_weight(name='kernel', shape=(input_shape[-1], self.units))\n"
        "        self.bias = None\n        self.built = True\n\n\nPositive(2)(keras.ops.ones((1, 3)))\n",
        "import keras\n\nclass Linear(keras.layers.Layer):\n    def build(self, input_shape):\n"
        "        self.kernel = self.add_weight(name='kernel', shape=(input_shape[-1], 2))\n\n"
        "    def call(self, x):\n        return keras.ops.matmul(x, self.kernel)\n\n\n"
        "Linear()(keras.ops.ones((1, 3)))\n",
        "import tensorflow as tf\n\ndense = tf.keras.layers.Dense(2)\ndense.build((None, 3))\n"
        "dense.kernel.assign(tf.zeros((3, 2)))\n",
    ),
    execution=Execution(runtimes=_K3, expect=r"AttributeError: property '(kernel|embeddings)' of '\w+' object has "
                                             r"no setter"),
)
def read_only_layer_weight(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras:
        return
    for node in ctx.attributes_named(_READONLY_NAMES):
        if not isinstance(node.ctx, ast.Store):
            continue
        base = None
        if _is_self(node.value):
            found = classifier(ctx).enclosing(node)
            if found is not None:
                base = _readonly_base(ctx, found[0], node.attr)
            advice = f"assign self._{node.attr} = self.add_weight(...) or call super().build(input_shape)"
        elif isinstance(node.value, ast.Name):
            paths = _constructed_kind(ctx, node.value)
            if len(paths) == 1 and node.attr in table.READONLY_PROPERTIES.get(next(iter(paths)), ()):
                base = next(iter(paths))
            advice = f"update it in place: {ctx.segment(node)}.assign(value)"
        if base is None or ctx.in_compat_branch(node):
            continue
        yield ctx.report("KC516", node, target=ctx.segment(node), base=base.rsplit(".", 1)[-1], attr=node.attr,
                         advice=advice)


# -- KC517: metrics_names ----------------------------------------------------------------------------------

@rule(
    code="KC517",
    symbol="metrics-names",
    severity=Severity.WARNING,
    message="{expr} is ['loss', 'compile_metrics'] in Keras 3, not one name per compiled metric -> use "
            "evaluate(..., return_dict=True) or the keys of the logs dict",
    summary="`model.metrics_names`: in Keras 3 no longer one name per metric",
    targets=_K3,
    name_based=True,
    what="With `keras-target = keras3`: finds reads of `.metrics_names` on a model: a name bound to a Keras "
         "model constructor or loader, `self.X` when the class assigns such a model to `self.X`, or `self` in a "
         "Keras model class. Other receivers (`self.model` in a callback, which some libraries set to their "
         "own objects) are left alone.",
    why="Keras 3's `Model.metrics_names` lists the names of `model.metrics`: after `compile()` that is the loss "
        "tracker and one `CompileMetrics` container, `['loss', 'compile_metrics']`. Code that zips it with "
        "the values `evaluate()` returns silently pairs the wrong names with the values (verified: "
        "`dict(zip(model.metrics_names, model.evaluate(...)))` has no 'mae' key).",
    fix_safety="No automatic fix: `evaluate(..., return_dict=True)` returns the named values directly.",
    bad=(
        Bad("import keras\nnet = keras.Model(model.inputs, model.outputs)\n"
            "net.compile(optimizer='sgd', loss='mse', metrics=['mae'])\nscores = net.evaluate(x, y, verbose=0)\n"
            "logs = dict(zip(net.metrics_names, scores))  # error: KC517\n"),
        Bad("from tensorflow import keras\n\nclass Trainer:\n    def __init__(self, net):\n"
            "        self.net = keras.Model(net.inputs, net.outputs)\n"
            "        self.net.compile(optimizer='sgd', loss='mse', metrics=['mae'])\n\n"
            "    def names(self):\n        return self.net.metrics_names  # error: KC517\n\n\n"
            "trainer = Trainer(model)\ntrainer.net.fit(x, y, verbose=0)\nlogs = dict.fromkeys(trainer.names())\n"),
    ),
    good=(
        "import keras\nlogs = model.evaluate(x, y, verbose=0, return_dict=True)\n",
        "import keras\n\nclass Report:\n    metrics_names = ['loss', 'mae']\n\n\n"
        "logs = dict.fromkeys(Report().metrics_names)\n",
        "from tensorflow import keras\n\nclass Agent:\n    metrics_names = ['loss', 'mae']\n\n\n"
        "class Log(keras.callbacks.Callback):\n    def on_train_end(self, logs=None):\n"
        "        self.names = self.model.metrics_names\n\n\n"
        "log = Log()\nlog.set_model(Agent())\nlog.on_train_end()\nlogs = dict.fromkeys(log.names)\n",
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"AssertionError",
        prelude="import numpy as np\nimport keras\ninp = keras.Input((3,))\n"
                "model = keras.Model(inp, keras.layers.Dense(1)(inp))\n"
                "model.compile(optimizer='sgd', loss='mse', metrics=['mae'])\n"
                "x, y = np.ones((4, 3)), np.ones((4, 1))\nmodel.fit(x, y, verbose=0)\n",
        check="assert set(logs) == {'loss', 'mae'}, logs\n",
    ),
    needs=Words(attributes=(_METRICS_NAMES,)),
)
def metrics_names(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras:
        return
    for node in ctx.attributes_named((_METRICS_NAMES,)):
        if not isinstance(node.ctx, ast.Load) or ctx.in_compat_branch(node):
            continue
        if _is_keras_model(ctx, node.value):
            yield ctx.report("KC517", node, expr=ctx.segment(node))


def _is_keras_model(ctx: Context, receiver: ast.AST) -> bool:
    """A name bound to a Keras model constructor or loader, ``self`` in a Keras model class, or ``self.X``
    where every ``self.X = ...`` of the class assigns such a model (directly or through such a name)."""
    if isinstance(receiver, ast.Name):
        if receiver.id == "self":
            found = classifier(ctx).enclosing(receiver)
            return found is not None and found[0].kind is Kind.MODEL
        return _name_is_model(ctx, receiver)
    if not (isinstance(receiver, ast.Attribute) and _is_self(receiver.value)):
        return False
    cls = next((a for a in ctx.ancestors(receiver) if isinstance(a, ast.ClassDef)), None)
    if cls is None:
        return False
    key = ("KC517 model attributes", id(cls))
    models = ctx.memo.get(key)
    if models is None:  # once per class: self.X -> whether every assignment to it is a Keras model
        assigned: dict[str, bool] = {}
        for stmt in walk(cls):
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Attribute) and _is_self(target.value):
                        assigned[target.attr] = assigned.get(target.attr, True) and _model_value(ctx, stmt.value)
        models = ctx.memo[key] = assigned
    return bool(models.get(receiver.attr, False))  # type: ignore[union-attr]


def _model_value(ctx: Context, value: ast.AST) -> bool:
    if isinstance(value, ast.Call):
        return _model_callee(ctx, value.func)
    return isinstance(value, ast.Name) and _name_is_model(ctx, value)


def _name_is_model(ctx: Context, name: ast.Name) -> bool:
    """Every binding of ``name`` assigns the result of a Keras model constructor or loader (memoised per
    scope and name)."""
    owner = _binding_owner(ctx, name)
    if owner is None:
        return False
    key = ("KC517 model name", owner[0], name.id)
    known = ctx.memo.get(key)
    if known is None:
        known = ctx.memo[key] = all(isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and
                                    _model_callee(ctx, stmt.value.func) for stmt in owner[1])
    return known  # type: ignore[return-value]


def _model_callee(ctx: Context, func: ast.AST) -> bool:
    """A Keras model constructor or loader; for a bare name whose imports disagree on the flavour
    (``keras.models.Model`` and ``tensorflow.keras.Model`` in one module), every import names one."""
    keras = ctx.keras(func)
    if keras is not None:
        return keras.path in _MODEL_CONSTRUCTORS
    if not isinstance(func, ast.Name):
        return False
    scope = ctx.resolver.scope_of(func)
    while scope is not None:
        bindings = scope.bindings.get(func.id)
        if bindings:
            key = ("KC517 model callee", id(scope), func.id)
            known = ctx.memo.get(key)
            if known is None:
                names = [keras_name(b.qualname) if b.kind == "import" and b.qualname else None for b in bindings]
                known = ctx.memo[key] = all(n is not None and n.path in _MODEL_CONSTRUCTORS for n in names)
            return known  # type: ignore[return-value]
        scope = scope.parent
    return False


# -- KC518: RNN subclasses ---------------------------------------------------------------------------------

def _rnn_base(ctx: Context, info: ClassInfo) -> str | None:
    for path in classifier(ctx).builtin_bases(info):
        if path in table.RNN_LAYERS:
            return path.rsplit(".", 1)[-1]
    return None


def _single_shape_build(ctx: Context, info: ClassInfo) -> bool:
    """The class (or a local base) defines ``build(self, shape)`` with one shape parameter: Keras then passes
    the first shape without matching names."""
    for cls in (info, *classifier(ctx).ancestors(info)):
        build = cls.method("build")
        if build is not None:
            return len(_params(build)) == 1 and build.args.vararg is None
    return False


@rule(
    code="KC518",
    symbol="rnn-subclass-signature",
    severity=Severity.ERROR,
    message="{layer}: {problem} -> {advice}",
    summary="RNN subclasses: `call(self, inputs, ...)` and `constants=` (Keras 3 target)",
    targets=_K3,
    what="With `keras-target = keras3`: finds subclasses of `RNN`, `LSTM`, `GRU`, `SimpleRNN` and "
         "`ConvLSTM*` whose `call()` names its first parameter other than `sequences` (unless the class "
         "defines a one-argument `build`), `super().call(..., constants=...)`, and calls of a Keras RNN layer "
         "with `constants=`.",
    why="Keras 3's `RNN.build(sequences_shape, initial_state_shape=None)` has two arguments, so Keras matches "
        "them by name to `call()`'s parameters: a `call(self, inputs, ...)` override raises `ValueError: For a "
        "build() method with more than one argument, all arguments should have a _shape suffix and match an "
        "argument from call()` on the first call. `RNN.call(sequences, initial_state, mask, training)` has no "
        "`constants` (`TypeError: unexpected keyword argument 'constants'`).",
    fix_safety="No automatic fix: renaming the parameter also renames it for keyword callers.",
    bad=(
        Bad("import keras\n\nclass Seq(keras.layers.RNN):\n"
            "    def call(self, inputs, initial_state=None, mask=None, training=False):  # error: KC518\n"
            "        return super().call(inputs, initial_state=initial_state, mask=mask, training=training)\n"),
        Bad("import tensorflow as tf\n\nclass Seq(tf.keras.layers.RNN):\n"
            "    def call(self, sequences, initial_state=None, mask=None, training=False, constants=None):\n"
            "        return super().call(sequences, initial_state=initial_state, constants=constants)"
            "  # error: KC518\n"),
        Bad("import keras\n\ncell = keras.layers.LSTMCell(3)\n"
            "out = keras.layers.RNN(cell)(keras.ops.ones((2, 4, 3)), constants=keras.ops.ones((2, 3)))"
            "  # error: KC518\n"),
    ),
    good=(
        "import keras\n\nclass Seq(keras.layers.RNN):\n"
        "    def call(self, sequences, initial_state=None, mask=None, training=False):\n"
        "        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)\n",
        "from tensorflow import keras\n\nclass Seq(keras.layers.RNN):\n    def build(self, input_shape):\n"
        "        super().build(input_shape)\n\n"
        "    def call(self, inputs, initial_state=None, mask=None, training=False):\n"
        "        return super().call(inputs, initial_state=initial_state, mask=mask, training=training)\n",
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"ValueError: .*For a `build\(\)` method with more than one argument|TypeError: .*unexpected "
               r"keyword argument 'constants'",
        prelude="import keras\n",
        check="Seq(keras.layers.LSTMCell(3))(keras.ops.ones((2, 4, 3)))\n",
    ),
)
def rnn_subclass_signature(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras:
        return
    for info in _live_layers(ctx):
        base = _rnn_base(ctx, info)
        call = info.method("call")
        if base is None or call is None:
            continue
        params = _params(call)
        if params and params[0].arg != "sequences" and call.args.vararg is None and not info.unknown_bases and \
                not _single_shape_build(ctx, info):
            yield ctx.report("KC518", params[0], layer=info.name,
                             problem=f"call()'s first parameter is '{params[0].arg}', but Keras 3's {base}.build("
                                     "sequences_shape, initial_state_shape) is matched to call() by name "
                                     "(ValueError)",
                             advice="name it sequences (or define build(self, input_shape) with one argument)")
    if "constants" not in identifiers(ctx.text):  # (as Python reads keyword names: NFKC-normalised)
        return
    for call in ctx.calls:
        keyword = next((kw for kw in call.keywords if kw.arg == "constants"), None)
        if keyword is None or ctx.in_compat_branch(call):
            continue
        layer = _rnn_call_target(ctx, call)
        if layer is not None:
            yield ctx.report("KC518", keyword, layer=layer,
                             problem="Keras 3 RNN layers take no constants= (TypeError)",
                             advice="give the cell the constant as an attribute, or concatenate it to every "
                                    "timestep of the input")


def _rnn_call_target(ctx: Context, call: ast.Call) -> str | None:
    """The RNN layer a call with ``constants=`` calls: ``super().call(...)`` in an RNN subclass, or a Keras RNN
    layer constructed in place (``RNN(cell)(x, constants=c)``)."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "call" and isinstance(func.value, ast.Call) and \
            isinstance(func.value.func, ast.Name) and func.value.func.id == "super":
        found = classifier(ctx).enclosing(call)
        if found is not None and _rnn_base(ctx, found[0]) is not None:
            return found[0].name
        return None
    if isinstance(func, ast.Call):
        keras = ctx.keras(func.func)
        if keras is not None and keras.path in table.RNN_LAYERS:
            return keras.path.rsplit(".", 1)[-1]
    return None


# -- KC519: tf.compat.v1.nn.rnn_cell ----------------------------------------------------------------------

_RNN_CELL_MODULE = "tensorflow.compat.v1.nn.rnn_cell"


@rule(
    code="KC519",
    symbol="tf-rnn-cell",
    severity=Severity.ERROR,
    message="{expr} is not available with Keras 3 (AttributeError) -> use {advice}",
    summary="`tf.compat.v1.nn.rnn_cell.*` cells, gone when TensorFlow runs with Keras 3",
    targets=_K3,
    what="With `keras-target = keras3`: finds uses of `tf.compat.v1.nn.rnn_cell.<Cell>` (through any alias of "
         "`tensorflow` or `tensorflow.compat.v1`).",
    why="These TF1 cells were implemented by tf.keras 2.x. TensorFlow >= 2.16 with Keras 3 raises "
        "`AttributeError: `LSTMCell` is not available with Keras 3` for every one of them "
        "(`tf.keras.layers.AbstractRNNCell` is gone too: KC106). The Keras cells run inside `keras.layers.RNN`.",
    fix_safety="No automatic fix: Keras cells take other arguments (`units`, no `num_units`) and run inside "
               "`keras.layers.RNN` rather than `tf.compat.v1.nn.dynamic_rnn`.",
    bad=(
        Bad("import tensorflow as tf\ncell = tf.compat.v1.nn.rnn_cell.LSTMCell(16)  # error: KC519\n"),
        Bad("import tensorflow.compat.v1 as tf1\ncell = tf1.nn.rnn_cell.GRUCell(8)  # error: KC519\n"),
    ),
    good=(
        "import keras\ncell = keras.layers.LSTMCell(16)\n",
        "import tensorflow as tf\ncell = tf.keras.layers.GRUCell(8)\n",
    ),
    execution=Execution(runtimes=_K3, expect=r"AttributeError: `\w+` is not available with Keras 3"),
)
def tf_rnn_cell(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras or "rnn_cell" not in ctx.text:
        return
    for node in ctx.outer_attributes:
        if node.attr not in table.TF_RNN_CELLS:
            continue
        qualname = ctx.qualname(node)
        if qualname != f"{_RNN_CELL_MODULE}.{node.attr}" or ctx.in_compat_branch(node):
            continue
        yield ctx.report("KC519", node, expr=ctx.segment(node), advice=table.TF_RNN_CELLS[node.attr])


# -- KC520: layers constructed in call() -------------------------------------------------------------------

@rule(
    code="KC520",
    symbol="seeded-layer-in-call",
    severity=Severity.ERROR,
    message="{layer}.call() constructs {callee}(...), which creates a seed variable on every trace: fit() and "
            "predict() raise ValueError in Keras 3 -> create it once in __init__ (self.{attr} = {callee}(...)) "
            "and call it in call()",
    summary="`Dropout(...)` (or another layer with a seed) constructed inside `call()`",
    targets=_K3,
    what="With `keras-target = keras3`: finds, in a custom layer's `call()`, constructor calls of the built-in "
         "layers that create a `SeedGenerator` (`Dropout`, `SpatialDropout*`, `GaussianNoise`, "
         "`GaussianDropout`, `AlphaDropout`, the `Random*` augmentation layers), unless the new layer is stored "
         "on `self` (created once, lazily).",
    why="In Keras 3 these layers own a `SeedGenerator`, a `tf.Variable` on the TensorFlow backend, created by "
        "the constructor. Built inside `call()`, a new variable appears on every trace of the training or "
        "prediction function: `ValueError: tf.function only supports singleton tf.Variables created on the "
        "first call`. tf-keras's `Dropout` had no variable, so the pattern used to work.",
    fix_safety="No automatic fix: the layer moves to `__init__`.",
    bad=(
        Bad("import keras\n\nclass Noisy(keras.layers.Layer):\n    def call(self, x, training=None):\n"
            "        return keras.layers.Dropout(0.5)(x, training=training)  # error: KC520\n"),
        Bad("import tensorflow as tf\nfrom tensorflow.keras.layers import GaussianNoise as Noise\n\n"
            "class Noisy(tf.keras.layers.Layer):\n    def call(self, x, training=None):\n"
            "        noise = Noise(0.1)  # error: KC520\n        return noise(x, training=training)\n"),
    ),
    good=(
        "import keras\n\nclass Noisy(keras.layers.Layer):\n    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n        self.dropout = keras.layers.Dropout(0.5)\n\n"
        "    def call(self, x, training=None):\n        return self.dropout(x, training=training)\n",
        "import keras\n\nclass Noisy(keras.layers.Layer):\n    def call(self, x, training=None):\n"
        "        return keras.layers.Activation('relu')(x)\n",
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"ValueError: .*tf\.function only supports singleton tf\.Variables",
        prelude="import numpy as np\nimport keras\n",
        check="model = keras.Sequential([keras.Input((3,)), Noisy()])\nmodel.compile(optimizer='sgd', loss='mse')\n"
              "model.fit(np.ones((4, 3)), np.ones((4, 3)), verbose=0)\n",
    ),
)
def seeded_layer_in_call(ctx: Context) -> Iterator[Diagnostic]:
    classes = classifier(ctx)
    for node, keras in ctx.keras_calls:
        if keras.path not in table.SEED_LAYERS or _stored_on_self(ctx, node):
            continue
        found = classes.enclosing(node)
        if found is None or found[1].name != "call" or not found[0].kind.is_layer or \
                in_legacy_branch(ctx, found[0].node):
            continue
        leaf = keras.path.rsplit(".", 1)[-1]
        yield ctx.report("KC520", node, layer=found[0].name, callee=ctx.segment(node.func), attr=leaf.lower())


def _stored_on_self(ctx: Context, call: ast.Call) -> bool:
    parent = ctx.parent(call)
    return isinstance(parent, ast.Assign) and any(isinstance(t, ast.Attribute) and _is_self(t.value)
                                                  for t in parent.targets)


# -- KC521: variables the base class does not save ---------------------------------------------------------

def _own_variable_base(ctx: Context, info: ClassInfo) -> str | None:
    classes = classifier(ctx)
    for path in classes.builtin_bases(info):
        if path in table.OWN_VARIABLE_LAYERS:
            return path.rsplit(".", 1)[-1]
    return None


def _calls_super_build(build: ast.AST) -> bool:
    for node in walk(build):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "build":
            receiver = node.func.value
            if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super":
                return True
            if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == "self":
                return True
    return False


@rule(
    code="KC521",
    symbol="unsaved-extra-variable",
    severity=Severity.ERROR,
    message="{layer} adds a variable to {base}, whose save_own_variables() in Keras 3 saves only its own "
            "weights: the model saves without it and fails to load -> override save_own_variables() and "
            "load_own_variables() (or keep the extra weight in a sub-layer)",
    summary="Dense/Conv/Embedding subclass with extra weights and no `save_own_variables`",
    targets=_K3,
    what="With `keras-target = keras3`: finds `self.add_weight(...)` in subclasses of `Dense`, `EinsumDense`, "
         "`Embedding` and `Conv1D/2D/3D` that keep the base's own weights (their `build()` calls "
         "`super().build()`, or they do not override it) and override neither `save_own_variables` nor "
         "`load_own_variables`. A `build()` that creates the layer's weights itself instead of the base's is "
         "not reported.",
    why="Keras 3 lets these layers save a fixed list of their own variables (`variable_serialization_spec`: "
        "kernel, bias ...), while loading checks the number of all the layer's variables: `model.save()` or "
        "`save_weights()` silently drops the extra variable and loading fails with `ValueError: Layer 'x' "
        "expected 3 variables, but received 2 variables during loading`.",
    fix_safety="No automatic fix.",
    bad=(
        Bad("import keras\n\nclass Scaled(keras.layers.Dense):\n    def build(self, input_shape):\n"
            "        super().build(input_shape)\n"
            "        self.scale = self.add_weight(name='scale', shape=(self.units,), initializer='ones')"
            "  # error: KC521\n\n    def call(self, x):\n        return super().call(x) * self.scale\n"),
        Bad("from tensorflow.keras.layers import Dense as D\n\nclass Scaled(D):\n"
            "    def __init__(self, units, **kwargs):\n        super().__init__(units, **kwargs)\n"
            "        self.scale = self.add_weight(name='scale', shape=(units,), initializer='ones')"
            "  # error: KC521\n\n    def call(self, x):\n        return super().call(x) * self.scale\n"),
    ),
    good=(
        "import keras\n\nclass Scaled(keras.layers.Dense):\n    def build(self, input_shape):\n"
        "        super().build(input_shape)\n"
        "        self.scale = self.add_weight(name='scale', shape=(self.units,), initializer='ones')\n\n"
        "    def call(self, x):\n        return super().call(x) * self.scale\n\n"
        "    def save_own_variables(self, store):\n        super().save_own_variables(store)\n"
        "        store['scale'] = self.scale\n\n    def load_own_variables(self, store):\n"
        "        super().load_own_variables(store)\n        self.scale.assign(store['scale'])\n",
        "import keras\n\nclass Scaled(keras.layers.Dense):\n    def build(self, input_shape):\n"
        "        self._kernel = self.add_weight(name='kernel', shape=(input_shape[-1], self.units))\n"
        "        self.bias = self.add_weight(name='bias', shape=(self.units,), initializer='zeros')\n"
        "        self.built = True\n",
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"ValueError: .*expected \d+ variables, but received \d+ variables",
        prelude="import keras\n",
        check="model = keras.Sequential([keras.Input((4,)), Scaled(2)])\nmodel.save_weights('m.weights.h5')\n"
              "model.load_weights('m.weights.h5')\n",
    ),
    needs=Words(attributes=(_ADD_WEIGHT,)),
)
def unsaved_extra_variable(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras:
        return
    classes = classifier(ctx)
    for info in _live_layers(ctx):
        base = _own_variable_base(ctx, info)
        if base is None or info.unknown_bases:
            continue  # a base we cannot see may save the variables
        hierarchy = (info, *classes.ancestors(info))
        if any(c.defines("save_own_variables") or c.defines("load_own_variables") for c in hierarchy):
            continue
        build = next((c.method("build") for c in hierarchy if c.method("build") is not None), None)
        if build is not None and not _calls_super_build(build):
            continue  # the class creates its weights itself instead of the base's
        for node in walk(info.node):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr == _ADD_WEIGHT and _is_self(node.func.value) and _own_method_call(ctx, node) \
                    and classes.enclosing(node) is not None and classes.enclosing(node)[0] is info:
                yield ctx.report("KC521", node, layer=info.name, base=base)
