"""Keras 3 target rules: ``tf.*`` ops in custom layers (KC304) and the Keras 3 removals and behaviour changes
(KC501-KC506). Every rule runs only with ``keras-target = keras3``; the facts are in ``data/keras3.py``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache

from keras_compat.context import Context
from keras_compat.data.keras3 import KERAS3_CHANGES, OPS_EQUIVALENTS
from keras_compat.data.schema import OpsEquivalent
from keras_compat.diagnostics import Diagnostic, Fix
from keras_compat.layers import classifier
from keras_compat.registry import Bad, Execution, FixAvailability, Good, Severity, Words, rule
from keras_compat.rules.backend import in_legacy_branch, keras_ops_callee_fix
from keras_compat.rules.imports import imports_package
from keras_compat.rules.legacy_api import _delete_keyword, _method_call, _receiver_kind

_K3 = ("keras3",)


@lru_cache(maxsize=1)
def _ops_by_qualname() -> dict[str, OpsEquivalent]:
    """``tensorflow.reduce_mean`` -> entry, for every spelling in the table."""
    out = {}
    for entry in OPS_EQUIVALENTS:
        for spelling in (entry.tf, *entry.aliases):
            out["tensorflow" + spelling[2:]] = entry
    return out


@lru_cache(maxsize=1)
def _ops_leaves() -> frozenset[str]:
    """Last component of every TensorFlow op in the table (``reduce_mean``)."""
    return frozenset(qualname.rsplit(".", 1)[-1] for qualname in _ops_by_qualname())


def _layer_of(ctx: Context, node: ast.AST) -> str | None:
    found = classifier(ctx).enclosing(node)
    if found is None or not found[0].kind.is_layer:
        return None
    return found[0].name


def _ops_fix(ctx: Context, call: ast.Call, entry: OpsEquivalent) -> Fix | None:
    if not entry.fixable or len(call.args) > entry.positional or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    if any(kw.arg not in entry.keywords for kw in call.keywords):  # also rejects **kwargs (arg None)
        return None
    return keras_ops_callee_fix(ctx, call, entry.ops)


@rule(
    code="KC304",
    symbol="tf-op-in-layer",
    severity=Severity.CONVENTION,
    message="TensorFlow op {callee}() in custom layer {layer}: use the backend-agnostic {ops}{caveat}",
    summary="TensorFlow op with a `keras.ops` equivalent inside a custom layer (Keras 3 target)",
    fix=FixAvailability.SOMETIMES,
    targets=_K3,
    what="With `keras-target = keras3`: finds calls of TensorFlow ops that have a backend-agnostic `keras.ops` "
         "equivalent (`tf.reduce_mean` -> `keras.ops.mean`, `tf.concat` -> `keras.ops.concatenate`, "
         "`tf.nn.relu` -> `keras.ops.relu`, `tf.matmul` -> `keras.ops.matmul`, ...) inside the methods of "
         "custom layers, models, RNN cells and wrappers. The table (`OPS_EQUIVALENTS`) lists 50 ops; each TF "
         "name is checked against the TF 2.15 public API and each `keras.ops` name and signature against the "
         "keras 3.15.1 wheel. Ops whose `keras.ops` namesake has other defaults (`tf.argmax`, `tf.gather` -> "
         "`keras.ops.take`, `tf.math.cumsum`, `tf.nn.gelu` ...) are reported with the difference spelled out.",
    why="A layer written with `tf.*` ops only runs on the TensorFlow backend; with `keras.ops` the same layer "
        "runs on JAX, PyTorch and TensorFlow, and in functional models `tf.*` ops cannot be applied to "
        "`KerasTensor`s at all (the migration guide's advice). This is a convention: on the TensorFlow "
        "backend the TF ops keep working.",
    fix_safety="Unsafe: the callee is replaced (`keras.ops.X`, or `ops.X` when `from keras import ops` is "
               "already there; `import keras` is added when needed) only for ops whose arguments line up: at "
               "most the leading positional arguments both functions share, and only keywords both accept with "
               "the same default (no `name=`). Unsafe because `keras.ops` follows NumPy/JAX dtype promotion "
               "(integer input to `mean`/`sqrt`/`exp` gives floats) and does not accept ragged tensors.",
    bad=(
        Bad("import tensorflow as tf\nimport keras\n\nclass Pool(keras.layers.Layer):\n    def call(self, x):\n"
            "        return tf.reduce_mean(x, axis=1)  # error: KC304\n",
            fixed="import tensorflow as tf\nimport keras\n\nclass Pool(keras.layers.Layer):\n    def call(self, x):\n"
                  "        return keras.ops.mean(x, axis=1)  # error: KC304\n", unsafe=True),
        Bad("import tensorflow as T\nfrom keras import layers, ops\n\nclass Gate(layers.Layer):\n"
            "    def call(self, a, b):\n        h = T.concat([a, b], axis=-1)  # error: KC304\n"
            "        return T.nn.relu(h, name='gate')  # error: KC304\n",
            fixed="import tensorflow as T\nfrom keras import layers, ops\n\nclass Gate(layers.Layer):\n"
                  "    def call(self, a, b):\n        h = ops.concatenate([a, b], axis=-1)  # error: KC304\n"
                  "        return T.nn.relu(h, name='gate')  # error: KC304\n", unsafe=True),
        Bad("import tensorflow as tf\nfrom tensorflow.keras.layers import Layer\n\nclass Pick(Layer):\n"
            "    def call(self, x):\n        return tf.argmax(x)  # error: KC304\n"),
    ),
    good=(
        "import tensorflow as tf\n\ndef loss(y, p):\n    return tf.reduce_mean(tf.square(y - p))\n",
        "import keras\nfrom keras import ops\n\nclass Pool(keras.layers.Layer):\n    def call(self, x):\n"
        "        return ops.mean(x, axis=1)\n",
        "import tensorflow as tf\nimport keras\n\nclass Pool(keras.layers.Layer):\n    def call(self, x):\n"
        "        return tf.image.resize(x, (8, 8))\n",
    ),
)
def tf_op_in_layer(ctx: Context) -> Iterator[Diagnostic]:
    if not imports_package(ctx, "tensorflow"):
        return  # no call can resolve to a TensorFlow op
    table = _ops_by_qualname()
    leaves = _ops_leaves()
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr not in leaves:
            continue  # an attribute chain's qualified name ends with its attribute: no table entry
        qualname = ctx.qualname(call.func)
        entry = table.get(qualname or "")
        if entry is None or in_legacy_branch(ctx, call):
            continue
        layer = _layer_of(ctx, call)
        if layer is None:
            continue
        caveat = f" ({entry.note})" if entry.note else ""
        yield ctx.report("KC304", call, lambda: _ops_fix(ctx, call, entry), callee=ctx.segment(call.func),
                         layer=layer, ops=entry.ops, caveat=caveat)


# -- group 5: saving ---------------------------------------------------------------------------------------

_SAVE_FUNCTIONS = ("saving.save_model", "models.save_model")
_EXTENSIONS = KERAS3_CHANGES["save_model.extensions"].values
_LEGACY_EXTENSIONS = KERAS3_CHANGES["save_model.legacy_extensions"].values
_SAVE_KEYWORDS = KERAS3_CHANGES["save_model.keywords"].values
_WEIGHTS_SUFFIX = KERAS3_CHANGES["save_weights.suffix"].values[0]


def _path_literal(node: ast.AST | None) -> str | None:
    """The end of a path argument when it is known: a string, an f-string ending in text, os.path.join(..., 'x')."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[-1], ast.Constant):
        value = node.values[-1].value
        return value if isinstance(value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _path_literal(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join" and \
            node.args and not node.keywords:
        return _path_literal(node.args[-1])
    return None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[:position + 1]):
        return call.args[position]
    return None


def _keyword(call: ast.Call, name: str) -> ast.keyword | None:
    return next((kw for kw in call.keywords if kw.arg == name), None)


def _calls_of(ctx: Context, *methods: str) -> list[ast.Call]:
    """The calls ``<receiver>.<method>(...)`` of the given method names, in the order of ``ctx.calls``."""
    return ctx.method_calls(*methods)


def _save_calls(ctx: Context) -> list[tuple[ast.Call, ast.AST | None, str]]:
    """(call, path argument, evidence) for model.save(...) and keras.saving.save_model(model, ...).

    Evidence that the receiver is a Keras model: "strong" (the save_model function, or a receiver built by a
    Keras model constructor/loader), "weak" (``self`` in a Keras model class, a receiver named ``...model``),
    "none" (unknown receiver). Receivers built by anything else are skipped. Computed once per context
    (KC501 and KC502 both ask).
    """
    cached: list[tuple[ast.Call, ast.AST | None, str]] | None = getattr(ctx, "_keras_save_calls", None)
    if cached is None:
        cached = list(_find_save_calls(ctx))
        ctx._keras_save_calls = cached  # type: ignore[attr-defined]
    return cached


def _find_save_calls(ctx: Context) -> Iterator[tuple[ast.Call, ast.AST | None, str]]:
    if not ctx.uses_keras:
        return
    for call in ctx.calls:  # the compatibility-branch check (costly) only for save calls
        name = ctx.keras(call.func)
        if name is not None and name.path in _SAVE_FUNCTIONS:
            if not ctx.in_compat_branch(call):
                yield call, _argument(call, 1, "filepath"), "strong"
            continue
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "save" and not ctx.in_compat_branch(call) and \
                _method_call(ctx, call) is not None:
            kind = _receiver_kind(ctx, func.value)
            if kind == "keras":
                yield call, _argument(call, 0, "filepath"), "strong"
            elif kind != "other":
                evidence = "weak" if _model_like(ctx, func.value) else "none"
                yield call, _argument(call, 0, "filepath"), evidence


def _model_like(ctx: Context, receiver: ast.AST) -> bool:
    """``model``/``self.model``/``autoencoder_model`` ..., or ``self`` inside a Keras model class."""
    if isinstance(receiver, ast.Name) and receiver.id == "self":
        found = classifier(ctx).enclosing(receiver)
        return found is not None and found[0].kind.value == "model"
    leaf = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return leaf.lower().endswith("model")


def _saved_model_path(path: str) -> bool:
    return not path.endswith(_EXTENSIONS) and not path.startswith("hf://")


def _native_name(path: str) -> str:
    stem = path.rstrip("/\\")
    return (stem or "model") + ".keras"


@rule(
    code="KC501",
    symbol="savedmodel-save",
    severity=Severity.ERROR,
    message="{callee}(): {problem} -> {advice}",
    summary="model.save() to a SavedModel path, with save_format= or SavedModel-only arguments (Keras 3 target)",
    targets=_K3,
    name_based=True,
    fix=FixAvailability.SOMETIMES,
    what="With `keras-target = keras3`: finds `model.save(...)` and `keras.saving.save_model(model, ...)` / "
         "`keras.models.save_model` calls that Keras 3 rejects: a path that does not end in `.keras`, `.h5` or "
         "`.hdf5` (a TensorFlow SavedModel directory), the `save_format=` argument, and the SavedModel writer's "
         "arguments (`signatures=`, `options=`, `save_traces=` ...). `.save()` is matched by method name in "
         "modules that import Keras; a path-only finding needs a receiver built by a Keras model constructor "
         "or loader, `self` in a Keras model class, or a receiver named `...model`, so `image.save('a.png')` "
         "is not reported.",
    why="Keras 3 saves only its native `.keras` archive and legacy HDF5: `keras.saving.save_model` raises "
        "`ValueError: Invalid filepath extension for saving` for any other path, `ValueError` for unknown "
        "keyword arguments, and deprecates `save_format` (a warning with a `.keras`/`.h5` path, `ValueError` "
        "otherwise). A SavedModel for TF Serving/TFLite is written with `model.export(path)`; a SavedModel is "
        "loaded back with `keras.layers.TFSMLayer`.",
    fix_safety="Safe for `save_format=` when the path already ends in `.keras`/`.h5`/`.hdf5`: Keras 3 ignores "
               "it (with a warning) and the fix deletes the argument. No fix for SavedModel paths: whether you "
               "want the `.keras` format or `model.export()` depends on who reads the file.",
    bad=(
        Bad("import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\n"
            "model.save('saved_model/my_model')  # error: KC501\n"),
        Bad("from keras.models import load_model\nm = load_model('a.keras')\n"
            "m.save('out.keras', save_format='keras')  # error: KC501\n",
            fixed="from keras.models import load_model\nm = load_model('a.keras')\n"
                  "m.save('out.keras')  # error: KC501\n"),
        Bad("import keras\nkeras.saving.save_model(net, export_dir, save_format='tf')  # error: KC501\n"),
        Bad("import keras\nmodel.save(f'{out_dir}/model', signatures=sigs)  # error: KC501\n"),
    ),
    good=(
        "import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.save('my_model.keras')\n",
        "import keras\nmodel.export('saved_model/my_model')\n",
        Good("import keras\nfrom PIL import Image\nimg = Image.open('a.png')\nimg.save('b.bmp')\ncanvas.save('plot')\n",
             runs=False),
        "import keras\nmodel.save(path)\n",
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"ValueError: Invalid filepath extension for saving|ValueError: The `save_format` argument is "
               r"deprecated|KerasLogged: The `save_format` argument is deprecated in Keras 3|ValueError: The "
               r"following argument\(s\) are not supported",
        prelude="import logging\nimport keras\n\n\nclass KerasLogged(Exception):\n    pass\n\n\n"
                "class _Raise(logging.Handler):\n    def emit(self, record):\n"
                "        if 'save_format' in record.getMessage():\n"
                "            raise KerasLogged(record.getMessage())\n\n\n"
                "logging.getLogger('absl').addHandler(_Raise())\n"
                "inp = keras.Input((3,))\nmodel = net = keras.Model(inp, keras.layers.Dense(1)(inp))\n"
                "model.save('a.keras')\nexport_dir, out_dir, sigs, path = 'export', 'out', None, 'model.keras'\n",
    ),
)
def savedmodel_save(ctx: Context) -> Iterator[Diagnostic]:
    for call, path_node, evidence in _save_calls(ctx):
        callee = ctx.segment(call.func)
        path = _path_literal(path_node)
        save_format = _keyword(call, "save_format")
        extra = [kw.arg for kw in call.keywords if kw.arg and kw.arg not in _SAVE_KEYWORDS]
        if extra and evidence != "none":
            yield ctx.report("KC501", call, callee=callee,
                             problem=f"{', '.join(a + '=' for a in extra)} "
                                     f"{'is a SavedModel argument' if len(extra) == 1 else 'are SavedModel arguments'}"
                                     " that Keras 3 rejects (ValueError)",
                             advice="model.export(path) writes a SavedModel; save the model to a .keras file")
        elif save_format is not None:
            fix = None
            if path is not None and not _saved_model_path(path):
                fix = ctx.fix("Remove save_format=", [_delete_keyword(ctx, call, save_format)], safe=True)
                problem = "save_format is deprecated in Keras 3 (the file extension decides)"
                advice = "remove it"
            else:
                problem = "save_format is deprecated in Keras 3 and raises ValueError unless the path ends in " \
                          ".keras/.h5"
                advice = "save to a .keras path, or model.export(path) for a SavedModel"
            yield ctx.report("KC501", call, fix, callee=callee, problem=problem, advice=advice)
        elif path is not None and _saved_model_path(path) and _keyword(call, "zipped") is None and \
                (evidence == "strong" or evidence == "weak" and "." not in path.rstrip("/").rsplit("/", 1)[-1]):
            literal = isinstance(path_node, ast.Constant)
            shown = f"'{path}'" if literal else ctx.segment(path_node)  # type: ignore[arg-type]
            advice = f"save to '{_native_name(path)}', or model.export('{path}') for serving" if literal else \
                "save to a path ending in .keras, or model.export(path) for serving"
            yield ctx.report("KC501", call, callee=callee,
                             problem=f"{shown} is not a .keras/.h5 path: Keras 3 cannot write a SavedModel "
                                     "(ValueError: Invalid filepath extension)", advice=advice)


@rule(
    code="KC502",
    symbol="legacy-hdf-save",
    severity=Severity.CONVENTION,
    message="{callee}('{path}'): HDF5 is a legacy format in Keras 3 -> save to '{new}' (native .keras format)",
    summary="model.save() to a legacy .h5/.hdf5 file (Keras 3 target)",
    targets=_K3,
    name_based=True,
    what="With `keras-target = keras3`: finds `model.save('x.h5')` / `keras.saving.save_model(model, 'x.hdf5')` "
         "(same receiver matching as KC501; a `.h5` path is evidence enough).",
    why="Keras 3 still writes HDF5 but logs that the format is legacy and recommends `.keras`: HDF5 files "
        "do not store everything the native format does (e.g. some custom-object and optimizer state), and "
        "new features only target `.keras`. A convention: the call works.",
    fix_safety="No automatic fix: the file name is also what the loading code and other tools expect.",
    bad=(
        Bad("import keras\nmodel.save('weights/best.h5')  # error: KC502\n"),
        Bad("from keras import saving\nsaving.save_model(net, 'net.hdf5', overwrite=True)  # error: KC502\n"),
    ),
    good=(
        "import keras\nmodel.save('best.keras')\n",
        "import keras\nmodel.save_weights('best.weights.h5')\n",
        "import h5py\nstore.save('data.h5')\n",
    ),
)
def legacy_h5_save(ctx: Context) -> Iterator[Diagnostic]:
    for call, path_node, _ in _save_calls(ctx):
        path = _path_literal(path_node)
        if path is None or not path.endswith(_LEGACY_EXTENSIONS) or not isinstance(path_node, ast.Constant):
            continue
        new = path.rsplit(".", 1)[0] + ".keras"
        yield ctx.report("KC502", call, callee=ctx.segment(call.func), path=path, new=new)


@rule(
    code="KC503",
    symbol="save-weights-filename",
    severity=Severity.ERROR,
    message="{callee}(): {problem} -> {advice}",
    summary="save_weights() to a file not ending in .weights.h5, or with save_format= (Keras 3 target)",
    targets=_K3,
    name_based=True,
    what="With `keras-target = keras3`: finds `.save_weights(path)` calls whose path is known and does not end "
         "in `.weights.h5` (TensorFlow checkpoint prefixes such as `'ckpt/model'`, or `'model.h5'`), and "
         "`save_weights(..., save_format=...)`. Matched by method name in modules that import Keras; "
         "`max_shard_size=` calls (which take `.weights.json`) are left alone.",
    why="Keras 3's `save_weights` raises `ValueError: The filename must end in .weights.h5`, and has no "
        "`save_format` parameter (`TypeError`). `load_weights` still reads legacy `.h5` files, so only the "
        "writer has to change.",
    fix=FixAvailability.SOMETIMES,
    fix_safety="Unsafe, for a string literal path: the file name gets the `.weights.h5` ending (`model.h5` -> "
               "`model.weights.h5`, `ckpt/model` -> `ckpt/model.weights.h5`); unsafe because the code and the "
               "people that read the file must follow the new name. No fix for `save_format=` or computed paths.",
    bad=(
        Bad("import keras\nmodel.save_weights('checkpoints/model.h5')  # error: KC503\n",
            fixed="import keras\nmodel.save_weights('checkpoints/model.weights.h5')  # error: KC503\n", unsafe=True),
        Bad("from tensorflow import keras\nmodel.save_weights(prefix, save_format='tf')  # error: KC503\n"),
        Bad("import keras\nmodel.save_weights(f'ckpt/{run}/model')  # error: KC503\n"),
        Bad("from tensorflow import keras\nmodel.save_weights('best.h5')  # error: KC503\n",
            fixed="from tensorflow import keras\nmodel.save_weights('best.weights.h5')  # error: KC503\n", unsafe=True),
    ),
    good=(
        "import keras\nmodel.save_weights('checkpoints/model.weights.h5')\n",
        "import keras\nmodel.save_weights('model.weights.json', max_shard_size=2)\n",
        "import keras\nmodel.save_weights(path)\n",
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"ValueError: The filename must end in `\.weights\.h5`|TypeError: .*unexpected keyword argument "
               r"'save_format'",
        prelude="import os\nimport keras\ninp = keras.Input((3,))\nmodel = keras.Model(inp, keras.layers.Dense(1)(inp))\n"
                "prefix, run, path = 'ckpt/model', 'run1', 'model.weights.h5'\nos.makedirs('checkpoints')\n",
    ),
)
def save_weights_filename(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras:
        return
    for call in _calls_of(ctx, "save_weights"):
        func = call.func
        assert isinstance(func, ast.Attribute)
        if ctx.in_compat_branch(call):
            continue
        if _method_call(ctx, call) is None or _receiver_kind(ctx, func.value) == "other":
            continue
        callee = ctx.segment(func)
        if _keyword(call, "save_format") is not None:
            yield ctx.report("KC503", call, callee=callee, problem="save_weights() has no save_format argument "
                             "in Keras 3 (TypeError)", advice=f"remove it and save to a '{_WEIGHTS_SUFFIX}' file")
            continue
        path_node = _argument(call, 0, "filepath")
        path = _path_literal(path_node)
        if path is None or path.endswith(_WEIGHTS_SUFFIX) or _keyword(call, "max_shard_size") is not None:
            continue
        fix = None
        if isinstance(path_node, ast.Constant):
            stem = path[:-3] if path.endswith(".h5") else path[:-5] if path.endswith(".hdf5") else path
            new = f"{stem.rstrip('/') or 'model'}{_WEIGHTS_SUFFIX}"
            shown, advice = f"'{path}'", f"save to '{new}'"
            if stem.rstrip("/"):
                from keras_compat.rules.keras3_training import path_suffix_fix

                fix = path_suffix_fix(ctx, path_node, path, new, f"Save to {new!r}")
        else:
            shown, advice = ctx.segment(path_node), f"save to a path ending in {_WEIGHTS_SUFFIX}"  # type: ignore[arg-type]
        yield ctx.report("KC503", call, fix, callee=callee,
                         problem=f"{shown} does not end in {_WEIGHTS_SUFFIX} (ValueError in Keras 3)", advice=advice)


# -- group 5: add_metric / add_loss ------------------------------------------------------------------------

#: The methods KC504 and KC505 look for (every finding is such a call).
_ADD_METRIC, _ADD_UPDATE, _ADD_LOSS = "add_metric", "add_update", "add_loss"


def _method_calls(ctx: Context, name: str) -> Iterator[ast.Call]:
    if not ctx.uses_keras:
        return
    for call in _calls_of(ctx, name):
        func = call.func
        assert isinstance(func, ast.Attribute)
        if not ctx.in_compat_branch(call) and _method_call(ctx, call) is not None and \
                _receiver_kind(ctx, func.value) != "other":
            yield call


@rule(
    code="KC504",
    symbol="removed-add-metric",
    severity=Severity.ERROR,
    message="{callee}() {problem} in Keras 3 -> {advice}",
    summary="Layer/Model.add_metric(), add_update() and add_loss(inputs=), removed in Keras 3 (Keras 3 target)",
    targets=_K3,
    name_based=True,
    what="With `keras-target = keras3`: finds every `.add_metric(...)` call in a module that imports Keras "
         "(inside layers as well as on functional models), every `.add_update(...)` call, and "
         "`.add_loss(..., inputs=...)`.",
    why="Keras 3 keeps `Layer.add_metric` only to raise `NotImplementedError`: metrics go to "
        "`compile(metrics=[...])`, or a layer/model creates `keras.metrics.*` trackers in `__init__`/`build` "
        "and calls `update_state()`. `add_update` is gone (`AttributeError`): a layer assigns its state "
        "variables in `call()` (`self.v.assign(...)`). `add_loss(loss)` takes no `inputs=` (`TypeError`).",
    fix_safety="No automatic fix: the metric has to move to `compile()` or become a tracker; for `add_update` "
               "the assignment stays, without the wrapper.",
    bad=(
        Bad("import keras\nmodel = keras.Model(inp, out)\n"
            "model.add_metric(keras.ops.mean(out), name='mean_out')  # error: KC504\n"),
        Bad("from keras import layers, ops\n\nclass Probe(layers.Layer):\n    def call(self, x):\n"
            "        self.add_metric(x, name='probe')  # error: KC504\n        return x\n\n\n"
            "Probe()(ops.ones((2, 3)))\n"),
        Bad("import keras\n\nclass Counter(keras.layers.Layer):\n    def build(self, input_shape):\n"
            "        self.count = self.add_weight(name='count', shape=(), initializer='zeros', trainable=False)\n\n"
            "    def call(self, x):\n        self.add_update(self.count.assign_add(1.0))  # error: KC504\n"
            "        return x\n\n\nCounter()(keras.ops.ones((2, 3)))\n"),
        Bad("from tensorflow import keras\n\nclass Penalty(keras.layers.Layer):\n    def call(self, x):\n"
            "        self.add_loss(keras.ops.sum(x), inputs=True)  # error: KC504\n        return x\n\n\n"
            "Penalty()(keras.ops.ones((2, 3)))\n"),
    ),
    good=(
        "import keras\nmodel.compile(optimizer='adam', loss='mse', metrics=['mae'])\n",
        "from keras import layers, metrics, ops\n\nclass Probe(layers.Layer):\n    def __init__(self):\n"
        "        super().__init__()\n        self.tracker = metrics.Mean(name='probe')\n\n    def call(self, x):\n"
        "        self.tracker.update_state(x)\n        return x\n\n\nProbe()(ops.ones((2, 3)))\n",
        "def add_metric(self, value):\n    return value\n",
        "import keras\n\nclass Counter(keras.layers.Layer):\n    def build(self, input_shape):\n"
        "        self.count = self.add_weight(name='count', shape=(), initializer='zeros', trainable=False)\n\n"
        "    def call(self, x):\n        self.count.assign_add(1.0)\n        self.add_loss(keras.ops.sum(x))\n"
        "        return x\n\n\nCounter()(keras.ops.ones((2, 3)))\n",
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"NotImplementedError: .*`add_metric\(\)` method is deprecated|AttributeError: .*has no attribute "
               r"'add_update'|TypeError: .*add_loss\(\) got an unexpected keyword argument 'inputs'",
        prelude="import keras\ninp = keras.Input((3,))\nout = keras.layers.Dense(1)(inp)\nmodel = keras.Model(inp, out)\n",
    ),
    needs=Words(attributes=(_ADD_METRIC, _ADD_UPDATE, _ADD_LOSS)),
)
def add_metric(ctx: Context) -> Iterator[Diagnostic]:
    for call in _method_calls(ctx, _ADD_METRIC):
        yield ctx.report("KC504", call, callee=ctx.segment(call.func), problem="always raises NotImplementedError",
                         advice="pass the metric to compile(metrics=[...]) or update a keras.metrics tracker "
                                "created in __init__/build")
    for call in _method_calls(ctx, _ADD_UPDATE):
        yield ctx.report("KC504", call, callee=ctx.segment(call.func), problem="does not exist (AttributeError)",
                         advice="assign the variable directly in call() (self.v.assign(...))")
    for call in _method_calls(ctx, _ADD_LOSS):
        keyword = _keyword(call, "inputs")
        if keyword is not None:
            yield ctx.report("KC504", keyword, callee=ctx.segment(call.func),
                             problem="takes no inputs= argument (TypeError)", advice="remove inputs=")


@rule(
    code="KC505",
    symbol="symbolic-add-loss",
    severity=Severity.ERROR,
    message="{callee}({what}): {problem} -> {advice}",
    summary="add_loss() with a symbolic tensor or a callable, outside a layer's call (Keras 3 target)",
    targets=_K3,
    name_based=True,
    what="With `keras-target = keras3`: finds `.add_loss(...)` calls outside the methods of custom layers and "
         "models (`model.add_loss(tensor)` on a functional model, in module code or helper functions), and "
         "`add_loss(lambda: ...)` anywhere. `self.add_loss(...)` and `super().add_loss(...)` in a method are "
         "taken to be a layer's own, even when its base class is imported from elsewhere.",
    why="Keras 3 only accepts concrete tensors computed inside `call()`/`build()`: `Functional.add_loss` "
        "raises `NotImplementedError`, and `Layer.add_loss` raises `ValueError` for a symbolic `KerasTensor` or "
        "a zero-argument callable (the Keras 2 forms for functional-model and regularization losses).",
    fix_safety="No automatic fix: compute the loss inside a layer's `call()` (`self.add_loss(...)`), or in a "
               "custom `compute_loss`/the loss passed to `compile()`.",
    bad=(
        Bad("import keras\nmodel = keras.Model(inp, out)\n"
            "model.add_loss(keras.ops.mean(out))  # error: KC505\n"),
        Bad("import keras\nfrom keras import layers\n\nclass Reg(layers.Layer):\n"
            "    def build(self, input_shape):\n        self.w = self.add_weight(shape=input_shape[1:])\n"
            "        self.add_loss(lambda: 1e-3 * keras.ops.sum(self.w ** 2))  # error: KC505\n\n"
            "    def call(self, x):\n        return x * self.w\n\n\nReg()(keras.ops.ones((2, 3)))\n"),
    ),
    good=(
        "from keras import layers, ops\n\nclass Reg(layers.Layer):\n    def call(self, x):\n"
        "        self.add_loss(1e-3 * ops.sum(x ** 2))\n        return x\n\n\nReg()(ops.ones((2, 3)))\n",
        "import keras\nmodel.compile(optimizer='adam', loss='mse')\n",
        "def add_loss(self, value):\n    return value\n",
        Good("import keras\nfrom .base import BaseLayer\n\nclass Reg(BaseLayer):\n    def call(self, x):\n"
             "        self.add_loss(keras.ops.sum(x ** 2))\n        return x\n", runs=False),
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"NotImplementedError|ValueError: .*add_loss",
        prelude="import keras\ninp = keras.Input((3,))\nout = keras.layers.Dense(1)(inp)\n"
                "model = keras.Model(inp, out)\n",
    ),
    needs=Words(attributes=(_ADD_LOSS,)),
)
def symbolic_add_loss(ctx: Context) -> Iterator[Diagnostic]:
    for call in _method_calls(ctx, _ADD_LOSS):
        callee = ctx.segment(call.func)
        value = call.args[0] if call.args else None
        if isinstance(value, ast.Lambda):
            yield ctx.report("KC505", call, callee=callee, what="lambda: ...",
                             problem="a callable loss raises ValueError in Keras 3",
                             advice="call add_loss(<tensor>) inside call(), or use a regularizer argument")
        elif value is not None and _layer_of(ctx, call) is None and not _on_own_instance(ctx, call):
            yield ctx.report("KC505", call, callee=callee, what="...",
                             problem="add_loss() outside a layer's call() takes a symbolic tensor, which Keras 3 "
                                     "rejects (NotImplementedError on functional models)",
                             advice="add the loss inside a layer's call() (self.add_loss) or in compile(loss=...)")


def _on_own_instance(ctx: Context, call: ast.Call) -> bool:
    """``self.add_loss(...)`` or ``super().add_loss(...)`` in a method: the object is the class's own
    instance, a layer or model whenever it has ``add_loss`` at all, even when its base class comes from
    another module and so cannot be classified here (when unsure, stay silent)."""
    func = call.func
    assert isinstance(func, ast.Attribute)
    receiver = func.value
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super":
        return True
    if not isinstance(receiver, ast.Name):
        return False
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                isinstance(ctx.parent(ancestor), ast.ClassDef):
            positional = [*ancestor.args.posonlyargs, *ancestor.args.args]
            return bool(positional) and positional[0].arg == receiver.id
    return False


# -- group 5: training arguments ---------------------------------------------------------------------------

_DATA_LOADING = KERAS3_CHANGES["fit.data_loading_keywords"].values
_DATA_LOADING_DEFAULTS = frozenset(KERAS3_CHANGES["fit.data_loading_defaults"].values)


def _data_loading_fix(ctx: Context, call: ast.Call, found: list[ast.keyword]) -> Fix | None:
    """Delete the arguments: safe when each is passed its default, else unsafe with a title that names what
    is lost (a user's argument is never dropped silently)."""
    items = sorted([*call.args, *call.keywords], key=lambda n: (n.lineno, n.col_offset))
    if items[0] in found:  # every removed keyword needs an argument before it to attach the comma to
        return None
    edits = [_delete_keyword(ctx, call, kw) for kw in found]
    lost = [f"{kw.arg}={ctx.segment(kw.value)}" for kw in found
            if f"{kw.arg}={ctx.segment(kw.value)}" not in _DATA_LOADING_DEFAULTS]
    if not lost:
        return ctx.fix(f"Remove {', '.join(f'{kw.arg}={ctx.segment(kw.value)}' for kw in found)} (the defaults)",
                       edits, safe=True)
    return ctx.fix(f"Remove the data-loading arguments; this drops {', '.join(lost)}: the data is then loaded "
                   "with keras.utils.PyDataset's defaults unless the dataset's constructor passes them", edits,
                   safe=False)


@rule(
    code="KC506",
    symbol="fit-data-loading-argument",
    severity=Severity.ERROR,
    message="{callee}(): {arguments} {verb} no longer {noun} of fit/evaluate/predict in Keras 3 -> {advice}",
    summary="fit/evaluate/predict with workers=, use_multiprocessing= or max_queue_size= (Keras 3 target)",
    targets=_K3,
    name_based=True,
    fix=FixAvailability.SOMETIMES,
    what="With `keras-target = keras3`: finds `fit`, `evaluate` and `predict` calls (matched by method name in "
         "modules that import Keras, receivers built by something else excluded) that pass `workers=`, "
         "`use_multiprocessing=` or `max_queue_size=`.",
    why="Keras 3 moved these to the data: they are constructor arguments of `keras.utils.PyDataset`. "
        "`fit`/`predict` raise `TypeError` and `evaluate` raises `ValueError: Arguments not recognized`.",
    fix_safety="Safe when every such argument is passed its default (`workers=1`, `use_multiprocessing=False`, "
               "`max_queue_size=10`, the same in tf.keras and in `PyDataset`): the fix deletes them and nothing "
               "changes. Unsafe otherwise, and the fix's title says what is lost (`drops workers=4, "
               "use_multiprocessing=True: the data is then loaded with PyDataset's defaults`): the call runs, but "
               "without the parallelism until the values are passed to the `PyDataset` (e.g. "
               "`super().__init__(workers=4, use_multiprocessing=True)` in the dataset class). Never offered when "
               "a removed argument comes first (no comma to attach the deletion to).",
    bad=(
        Bad("import keras\nmodel.fit(train_seq, epochs=3, workers=4, use_multiprocessing=True)  # error: KC506\n",
            fixed="import keras\nmodel.fit(train_seq, epochs=3)  # error: KC506\n", unsafe=True),
        Bad("from tensorflow import keras\nscores = model.evaluate(val_seq, max_queue_size=20)  # error: KC506\n",
            fixed="from tensorflow import keras\nscores = model.evaluate(val_seq)  # error: KC506\n", unsafe=True),
        Bad("import keras\nmodel.predict(val_seq, workers=1, use_multiprocessing=False)  # error: KC506\n",
            fixed="import keras\nmodel.predict(val_seq)  # error: KC506\n"),
    ),
    good=(
        "import keras\nmodel.fit(train_seq, epochs=3)\n",
        "import keras\n\nclass Seq(keras.utils.PyDataset):\n    def __init__(self, **kwargs):\n"
        "        super().__init__(workers=4, use_multiprocessing=True, **kwargs)\n",
        Good("import keras\nfrom joblib import Parallel\nrunner = Parallel(n_jobs=2)\nrunner.fit(x, workers=2)\n",
             runs=False),
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"TypeError: .*unexpected keyword argument '(workers|use_multiprocessing|max_queue_size)'|"
               r"ValueError: Arguments not recognized",
        prelude="import numpy as np\nimport keras\n\n\nclass _Seq(keras.utils.PyDataset):\n"
                "    def __len__(self):\n        return 2\n\n    def __getitem__(self, index):\n"
                "        return np.ones((4, 3), 'float32'), np.ones((4, 1), 'float32')\n\n\n"
                "train_seq = val_seq = _Seq()\ninp = keras.Input((3,))\n"
                "model = keras.Model(inp, keras.layers.Dense(1)(inp))\nmodel.compile(optimizer='adam', loss='mse')\n",
    ),
)
def fit_data_loading_argument(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras:
        return
    for call in _calls_of(ctx, "fit", "evaluate", "predict"):
        func = call.func
        assert isinstance(func, ast.Attribute)
        found = [kw for kw in call.keywords if kw.arg in _DATA_LOADING]
        if not found or ctx.in_compat_branch(call) or _method_call(ctx, call) is None or \
                _receiver_kind(ctx, func.value) == "other":
            continue
        names = ", ".join(f"{kw.arg}=" for kw in found)
        plural = len(found) > 1
        yield ctx.report("KC506", call, lambda: _data_loading_fix(ctx, call, found), callee=ctx.segment(func),
                         arguments=names, verb="are" if plural else "is", noun="arguments" if plural else "an argument",
                         advice=f"pass {'them' if plural else 'it'} to the keras.utils.PyDataset constructor")
