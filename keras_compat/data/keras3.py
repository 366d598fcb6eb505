"""Keras 3 facts for the ``keras-target = keras3`` rules (KC107, KC108, KC304, KC5xx, the keras3 side of KC301-303).

Every fact was read from the **keras 3.15.1** wheel (the newest Keras 3 on the index when the table was
written) and is re-checked against it by ``tests/test_keras3_table.py``; TensorFlow names against the public
API of tensorflow-cpu 2.15.1 (the reader of ``tests/test_backend_table.py``). Fact base: reference d.1 ([MIG3],
the official migration guide), d.2 and d.3.

* :data:`KERAS3_MODULES`: public modules of ``keras`` (``keras/<path>/__init__.py`` outside ``src`` and the
  ``_tf_keras`` shim), flavour-free (``""`` is ``keras`` itself).
* :data:`KERAS3_SHIM_ONLY`: names that ``tf.keras`` on TF >= 2.16 (the shim ``keras/_tf_keras/keras``) exports
  but ``keras`` does not (or exports as another object): rewriting such an import from ``tensorflow.keras`` to
  ``keras`` would break it or change it.
* :data:`KERAS3_SHIM_ONLY_MODULES`: shim modules without a native counterpart.
* :data:`KERAS3_OPS_REWRITES`: ``K.*`` calls with a mechanical ``keras.ops`` rewrite (callee, renamed keywords,
  Keras 2 defaults written out), checked against both signatures and by running both calls.
* :data:`OPS_EQUIVALENTS`: TensorFlow ops with a ``keras.ops`` equivalent (KC304).
* :data:`KERAS3_CHANGES`: the removals and behaviour changes of group 5, with the values the rules use.
"""

from __future__ import annotations

from keras_compat.data.backend import KERAS3_BACKEND, KERAS3_TF_KERAS_SHIM
from keras_compat.data.schema import Keras3Change, OpsEquivalent, OpsRewrite, built_on_first_use

__all__ = ["KERAS3_CHANGES", "KERAS3_MODULES", "KERAS3_OPS_REWRITES", "KERAS3_SHIM_ONLY", "KERAS3_SHIM_ONLY_MODULES",
           "KERAS3_VERSION", "OPS_EQUIVALENTS"]

KERAS3_VERSION = "3.15.1"
_WHEEL = f"keras {KERAS3_VERSION}"

KERAS3_MODULES: frozenset[str] = frozenset({
    "", "activations", "applications", "applications.convnext", "applications.densenet",
    "applications.efficientnet", "applications.efficientnet_v2", "applications.imagenet_utils",
    "applications.inception_resnet_v2", "applications.inception_v3", "applications.mobilenet",
    "applications.mobilenet_v2", "applications.mobilenet_v3", "applications.nasnet", "applications.resnet",
    "applications.resnet50", "applications.resnet_v2", "applications.vgg16", "applications.vgg19",
    "applications.xception", "backend", "callbacks", "config", "constraints", "datasets",
    "datasets.boston_housing", "datasets.california_housing", "datasets.cifar10", "datasets.cifar100",
    "datasets.fashion_mnist", "datasets.imdb", "datasets.mnist", "datasets.reuters", "distillation",
    "distribution", "dtype_policies", "export", "initializers", "layers", "legacy", "legacy.saving", "losses",
    "metrics", "mixed_precision", "models", "ops", "ops.image", "ops.linalg", "ops.nn", "ops.numpy",
    "optimizers", "optimizers.legacy", "optimizers.schedules", "preprocessing", "preprocessing.image",
    "preprocessing.sequence", "quantizers", "random", "regularizers", "saving", "tree", "utils",
    "utils.bounding_boxes", "utils.legacy", "visualization", "wrappers",
})

#: module -> names only the tf.keras shim exports (``keras/_tf_keras/keras/<module>/__init__.py`` minus
#: ``keras/<module>/__init__.py``), or exports as a different object (``layers.AlphaDropout`` is the legacy
#: class of ``keras.src.legacy.layers`` there); the backend ones are the legacy ``K.*`` functions of reference d.3.
KERAS3_SHIM_ONLY: dict[str, frozenset[str]] = {
    "backend": KERAS3_TF_KERAS_SHIM - KERAS3_BACKEND,
    "layers": frozenset({"AlphaDropout", "RandomHeight", "RandomWidth", "ThresholdedReLU"}),
    "losses": frozenset({"KLD", "MAE", "MAPE", "MSE", "MSLE", "Reduction", "kld", "kullback_leibler_divergence",
                         "logcosh", "mae", "mape", "mse", "msle"}),
    "metrics": frozenset({"KLD", "MAE", "MAPE", "MSE", "MSLE", "kld", "kullback_leibler_divergence", "logcosh",
                          "mae", "mape", "mse", "msle"}),
    "preprocessing": frozenset({"text"}),
    "preprocessing.image": frozenset({"DirectoryIterator", "ImageDataGenerator", "Iterator", "NumpyArrayIterator",
                                      "apply_affine_transform", "apply_brightness_shift", "apply_channel_shift",
                                      "random_brightness", "random_channel_shift", "random_rotation",
                                      "random_shear", "random_shift", "random_zoom"}),
    "preprocessing.sequence": frozenset({"TimeseriesGenerator", "make_sampling_table", "skipgrams"}),
}

KERAS3_SHIM_ONLY_MODULES: frozenset[str] = frozenset({"preprocessing.text"})

#: The parameters of each K function in order (keras 3.15.1 keras/src/legacy/backend.py = tf-keras 2.15).
_K_PARAMETERS: dict[str, tuple[str, ...]] = {
    "abs": ("x",), "all": ("x", "axis", "keepdims"), "any": ("x", "axis", "keepdims"), "argmax": ("x", "axis"),
    "argmin": ("x", "axis"), "cast": ("x", "dtype"), "concatenate": ("tensors", "axis"), "cos": ("x",),
    "cumprod": ("x", "axis"), "cumsum": ("x", "axis"), "dot": ("x", "y"), "elu": ("x", "alpha"), "equal": ("x", "y"),
    "exp": ("x",), "expand_dims": ("x", "axis"), "gather": ("reference", "indices"), "greater": ("x", "y"),
    "greater_equal": ("x", "y"), "less": ("x", "y"), "less_equal": ("x", "y"), "log": ("x",),
    "max": ("x", "axis", "keepdims"), "maximum": ("x", "y"), "mean": ("x", "axis", "keepdims"),
    "min": ("x", "axis", "keepdims"), "minimum": ("x", "y"), "ndim": ("x",), "not_equal": ("x", "y"),
    "one_hot": ("indices", "num_classes"), "ones_like": ("x", "dtype", "name"),
    "permute_dimensions": ("x", "pattern"), "pow": ("x", "a"), "prod": ("x", "axis", "keepdims"),
    "repeat_elements": ("x", "rep", "axis"), "reshape": ("x", "shape"), "reverse": ("x", "axes"), "round": ("x",),
    "sigmoid": ("x",), "sign": ("x",), "sin": ("x",), "softmax": ("x", "axis"), "softplus": ("x",),
    "softsign": ("x",), "square": ("x",), "squeeze": ("x", "axis"), "stack": ("x", "axis"),
    "std": ("x", "axis", "keepdims"), "sum": ("x", "axis", "keepdims"), "tanh": ("x",), "transpose": ("x",),
    "var": ("x", "axis", "keepdims"), "zeros_like": ("x", "dtype", "name"),
}


def _rewrite(name: str, ops: str, module: str, **fields: object) -> OpsRewrite:
    leaf = ops.rsplit(".", 1)[-1]
    return OpsRewrite(name=name, ops=ops, parameters=_K_PARAMETERS[name], since="Keras 3.0",
                      source=f"{_WHEEL} keras/src/ops/{module}.py {leaf}; keras/src/legacy/backend.py {name}",
                      **fields)  # type: ignore[arg-type]


_X12 = (("x", "x1"), ("y", "x2"))

#: ``K.*`` calls with a mechanical ``keras.ops`` rewrite, by K name (KC301/KC303/KC532 fixes under keras3).
KERAS3_OPS_REWRITES: dict[str, OpsRewrite]  # built on first use (see the end of the module)


def _ops_rewrites() -> dict[str, OpsRewrite]:
    """The ``K.*`` rewrites by K name."""
    return {r.name: r for r in (
        # same parameters, same defaults: only the callee changes
        *(_rewrite(n, f"keras.ops.{n}", "numpy") for n in (
            "abs", "all", "any", "cos", "exp", "log", "max", "mean", "min", "prod", "round", "sign", "sin",
            "square", "stack", "std", "sum", "tanh", "transpose", "var", "ndim")),
        *(_rewrite(n, f"keras.ops.{n}", "nn") for n in ("sigmoid", "softmax", "softplus", "softsign", "elu")),
        _rewrite("cast", "keras.ops.cast", "core"),
        # the second operand is x2 in keras.ops
        *(_rewrite(n, f"keras.ops.{n}", "numpy", keywords=_X12) for n in (
            "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "maximum", "minimum", "dot")),
        _rewrite("pow", "keras.ops.power", "numpy", keywords=(("x", "x1"), ("a", "x2"))),
        # renamed parameters
        _rewrite("reshape", "keras.ops.reshape", "numpy", keywords=(("shape", "newshape"),)),
        _rewrite("permute_dimensions", "keras.ops.transpose", "numpy", keywords=(("pattern", "axes"),)),
        _rewrite("repeat_elements", "keras.ops.repeat", "numpy", keywords=(("rep", "repeats"),)),
        _rewrite("reverse", "keras.ops.flip", "numpy", keywords=(("axes", "axis"),)),
        _rewrite("one_hot", "keras.ops.one_hot", "nn", keywords=(("indices", "x"),)),
        _rewrite("squeeze", "keras.ops.squeeze", "numpy"),
        # Keras 2 defaults that keras.ops does not share: written out
        _rewrite("argmax", "keras.ops.argmax", "numpy", defaults=(("axis", "-1"),)),
        _rewrite("argmin", "keras.ops.argmin", "numpy", defaults=(("axis", "-1"),)),
        _rewrite("concatenate", "keras.ops.concatenate", "numpy", keywords=(("tensors", "xs"),),
                 defaults=(("axis", "-1"),)),
        _rewrite("cumsum", "keras.ops.cumsum", "numpy", defaults=(("axis", "0"),)),
        _rewrite("cumprod", "keras.ops.cumprod", "numpy", defaults=(("axis", "0"),)),
        _rewrite("expand_dims", "keras.ops.expand_dims", "numpy", defaults=(("axis", "-1"),)),
        _rewrite("gather", "keras.ops.take", "numpy", keywords=(("reference", "x"),), defaults=(("axis", "0"),)),
        # parameters keras.ops does not have: rewritten only when the call does not pass them
        _rewrite("zeros_like", "keras.ops.zeros_like", "numpy", dropped=("name",)),
        _rewrite("ones_like", "keras.ops.ones_like", "numpy", dropped=("name",)),
    )}


_MIG3 = "reference d.1 [MIG3] (keras.io/guides/migrating_to_keras_3, 'backend-agnostic code')"
_PROMOTION = ("keras.ops follows NumPy/JAX dtype promotion: integer input gives a float result where the TF op "
              "keeps the integer dtype")


def _ops(tf: str, ops: str, module: str, **fields: object) -> OpsEquivalent:
    name = ops.rsplit(".", 1)[-1]
    return OpsEquivalent(tf=tf, ops=ops, since="Keras 3.0",
                         source=f"{_WHEEL} keras/src/ops/{module}.py {name}; {_MIG3}", **fields)  # type: ignore[arg-type]


_REDUCE = {"positional": 3, "keywords": ("axis", "keepdims")}

OPS_EQUIVALENTS: tuple[OpsEquivalent, ...]  # built on first use (see the end of the module)


def _ops_equivalents() -> tuple[OpsEquivalent, ...]:
    """The TensorFlow ops with a ``keras.ops`` equivalent."""
    return (
        # reductions: (input_tensor, axis=None, keepdims=False) -> (x, axis=None, keepdims=False)
        _ops("tf.reduce_mean", "keras.ops.mean", "numpy", aliases=("tf.math.reduce_mean",), note=_PROMOTION,
             **_REDUCE),
        _ops("tf.reduce_sum", "keras.ops.sum", "numpy", aliases=("tf.math.reduce_sum",), **_REDUCE),
        _ops("tf.reduce_max", "keras.ops.max", "numpy", aliases=("tf.math.reduce_max",), **_REDUCE),
        _ops("tf.reduce_min", "keras.ops.min", "numpy", aliases=("tf.math.reduce_min",), **_REDUCE),
        _ops("tf.reduce_prod", "keras.ops.prod", "numpy", aliases=("tf.math.reduce_prod",), **_REDUCE),
        _ops("tf.reduce_any", "keras.ops.any", "numpy", aliases=("tf.math.reduce_any",), **_REDUCE),
        _ops("tf.reduce_all", "keras.ops.all", "numpy", aliases=("tf.math.reduce_all",), **_REDUCE),
        _ops("tf.reduce_logsumexp", "keras.ops.logsumexp", "math", aliases=("tf.math.reduce_logsumexp",), **_REDUCE),
        # shapes and joins
        _ops("tf.concat", "keras.ops.concatenate", "numpy", positional=2, keywords=("axis",),
             note="tf.concat requires the axis, keras.ops.concatenate defaults to axis=0: keep it explicit"),
        _ops("tf.stack", "keras.ops.stack", "numpy", positional=2, keywords=("axis",)),
        _ops("tf.reshape", "keras.ops.reshape", "numpy", positional=2, note="the shape keyword is newshape"),
        _ops("tf.transpose", "keras.ops.transpose", "numpy", positional=2, note="perm is called axes"),
        _ops("tf.expand_dims", "keras.ops.expand_dims", "numpy", positional=2, keywords=("axis",)),
        _ops("tf.squeeze", "keras.ops.squeeze", "numpy", positional=2, keywords=("axis",)),
        _ops("tf.tile", "keras.ops.tile", "numpy", positional=2, note="multiples is called repeats"),
        _ops("tf.matmul", "keras.ops.matmul", "numpy", positional=2, aliases=("tf.linalg.matmul",),
             note="transpose_a/transpose_b/adjoint_* have no keras.ops equivalent: transpose the operand"),
        _ops("tf.cast", "keras.ops.cast", "core", positional=2, keywords=("dtype",)),
        _ops("tf.zeros_like", "keras.ops.zeros_like", "numpy", positional=2, keywords=("dtype",)),
        _ops("tf.ones_like", "keras.ops.ones_like", "numpy", positional=2, keywords=("dtype",)),
        _ops("tf.stop_gradient", "keras.ops.stop_gradient", "core"),
        _ops("tf.one_hot", "keras.ops.one_hot", "nn", positional=2, keywords=("axis", "dtype"),
             note="on_value/off_value have no keras.ops equivalent"),
        _ops("tf.clip_by_value", "keras.ops.clip", "numpy", positional=3),
        # element-wise math
        _ops("tf.abs", "keras.ops.abs", "numpy", aliases=("tf.math.abs",)),
        _ops("tf.exp", "keras.ops.exp", "numpy", aliases=("tf.math.exp",), note=_PROMOTION),
        _ops("tf.sqrt", "keras.ops.sqrt", "numpy", aliases=("tf.math.sqrt",), note=_PROMOTION),
        _ops("tf.square", "keras.ops.square", "numpy", aliases=("tf.math.square",)),
        _ops("tf.math.log", "keras.ops.log", "numpy", note=_PROMOTION),
        _ops("tf.math.log1p", "keras.ops.log1p", "numpy", note=_PROMOTION),
        _ops("tf.math.rsqrt", "keras.ops.rsqrt", "math"),
        _ops("tf.math.erf", "keras.ops.erf", "math"),
        _ops("tf.sign", "keras.ops.sign", "numpy", aliases=("tf.math.sign",)),
        _ops("tf.maximum", "keras.ops.maximum", "numpy", positional=2, aliases=("tf.math.maximum",)),
        _ops("tf.minimum", "keras.ops.minimum", "numpy", positional=2, aliases=("tf.math.minimum",)),
        _ops("tf.pow", "keras.ops.power", "numpy", positional=2, aliases=("tf.math.pow",)),
        # activations
        _ops("tf.nn.relu", "keras.ops.relu", "nn"),
        _ops("tf.nn.relu6", "keras.ops.relu6", "nn"),
        _ops("tf.nn.elu", "keras.ops.elu", "nn"),
        _ops("tf.nn.selu", "keras.ops.selu", "nn"),
        _ops("tf.nn.sigmoid", "keras.ops.sigmoid", "nn", aliases=("tf.sigmoid", "tf.math.sigmoid")),
        _ops("tf.nn.tanh", "keras.ops.tanh", "numpy", aliases=("tf.tanh", "tf.math.tanh")),
        _ops("tf.nn.softplus", "keras.ops.softplus", "nn", aliases=("tf.math.softplus",)),
        _ops("tf.nn.softmax", "keras.ops.softmax", "nn", positional=2, aliases=("tf.math.softmax",),
             note="tf.nn.softmax treats axis=None as -1, the keras.ops default"),
        _ops("tf.nn.log_softmax", "keras.ops.log_softmax", "nn", positional=2, aliases=("tf.math.log_softmax",)),
        _ops("tf.nn.silu", "keras.ops.silu", "nn", aliases=("tf.nn.swish",),
             note="tf.nn.silu's beta has no keras.ops equivalent"),
        # same operation, different defaults or semantics: message only
        _ops("tf.nn.gelu", "keras.ops.gelu", "nn", fixable=False,
             note="approximate defaults to False in TF and to True in keras.ops: pass approximate= explicitly"),
        _ops("tf.argmax", "keras.ops.argmax", "numpy", fixable=False, aliases=("tf.math.argmax",),
             note="default axis: TF None means 0, keras.ops None means the flattened index"),
        _ops("tf.argmin", "keras.ops.argmin", "numpy", fixable=False, aliases=("tf.math.argmin",),
             note="default axis: TF None means 0, keras.ops None means the flattened index"),
        _ops("tf.gather", "keras.ops.take", "numpy", fixable=False,
             note="tf.gather defaults to axis=0, keras.ops.take flattens without axis; batch_dims has no equivalent"),
        _ops("tf.math.cumsum", "keras.ops.cumsum", "numpy", fixable=False, aliases=("tf.cumsum",),
             note="tf.math.cumsum defaults to axis=0, keras.ops.cumsum flattens without axis"),
        _ops("tf.where", "keras.ops.where", "numpy", fixable=False,
             note="with one argument tf.where returns an [N, rank] index tensor, keras.ops.where a tuple of index "
                  "arrays"),
        _ops("tf.split", "keras.ops.split", "numpy", fixable=False,
             note="a list argument means sizes in tf.split and split indices in keras.ops.split"),
    )


_SAVING = f"{_WHEEL} keras/src/saving/saving_api.py"
_TRAINER = f"{_WHEEL} keras/src/trainers/trainer.py and keras/src/backend/*/trainer.py"

KERAS3_CHANGES: dict[str, Keras3Change]  # built on first use (see the end of the module)


def _keras3_changes() -> dict[str, Keras3Change]:
    """The group-5 changes by key."""
    return {c.key: c for c in (
        Keras3Change(
            key="save_model.extensions",
            summary="model.save()/keras.saving.save_model() only write .keras (native) or .h5/.hdf5 (legacy) files; "
                    "any other path raises ValueError 'Invalid filepath extension for saving' (no SavedModel)",
            since="Keras 3.0", source=f"{_SAVING} save_model; reference d.1 [MIG3] 'model.save(\"dir\")'",
            values=(".keras", ".h5", ".hdf5")),
        Keras3Change(
            key="save_model.legacy_extensions",
            summary="saving to .h5/.hdf5 logs 'This file format is considered legacy' and recommends .keras",
            since="Keras 3.0", source=f"{_SAVING} save_model", values=(".h5", ".hdf5")),
        Keras3Change(
            key="save_model.save_format",
            summary="save_format is deprecated: a warning with a .keras/.h5 path, ValueError with any other path",
            since="Keras 3.0", source=f"{_SAVING} save_model", values=("save_format",)),
        Keras3Change(
            key="save_model.keywords",
            summary="the only keywords save_model accepts besides filepath/overwrite/zipped; any other one "
                    "(signatures=, options=, save_traces= of the SavedModel writer) raises ValueError",
            since="Keras 3.0", source=f"{_SAVING} save_model",
            values=("filepath", "overwrite", "zipped", "include_optimizer", "save_format")),
        Keras3Change(
            key="save_weights.suffix",
            summary="save_weights() requires a filename ending in .weights.h5 (ValueError otherwise; "
                    ".weights.json with max_shard_size)",
            since="Keras 3.0", source=f"{_SAVING} save_weights", values=(".weights.h5",)),
        Keras3Change(
            key="model_checkpoint.extensions",
            summary="ModelCheckpoint raises ValueError at construction unless its filepath ends in .keras or .h5 "
                    "(.weights.h5 with save_weights_only=True)",
            since="Keras 3.0", source=f"{_WHEEL} keras/src/callbacks/model_checkpoint.py ModelCheckpoint.__init__",
            values=(".keras", ".h5")),
        Keras3Change(
            key="optimizer.learning_rate",
            summary="optimizers have a learning_rate property (with a setter) and no lr attribute",
            since="Keras 3.0", source=f"{_WHEEL} keras/src/optimizers/base_optimizer.py BaseOptimizer.learning_rate",
            values=("learning_rate",)),
        Keras3Change(
            key="add_metric",
            summary="Layer.add_metric() always raises NotImplementedError: add metrics in compile(metrics=[...]) or "
                    "create metric trackers in __init__/build and call update_state()",
            since="Keras 3.0", source=f"{_WHEEL} keras/src/layers/layer.py Layer.add_metric", values=("add_metric",)),
        Keras3Change(
            key="add_loss",
            summary="add_loss() only takes tensors computed inside build()/call(): Functional.add_loss raises "
                    "NotImplementedError, Layer.add_loss raises ValueError for symbolic (KerasTensor) values and "
                    "for zero-argument callables",
            since="Keras 3.0",
            source=f"{_WHEEL} keras/src/layers/layer.py Layer.add_loss, keras/src/models/functional.py "
                   "Functional.add_loss; reference d.1 'Removed: symbolic Layer.add_loss()'",
            values=("add_loss",)),
        Keras3Change(
            key="fit.data_loading_keywords",
            summary="fit()/evaluate()/predict() no longer take workers, use_multiprocessing, max_queue_size "
                    "(TypeError, ValueError for evaluate): they are arguments of keras.utils.PyDataset",
            since="Keras 3.0",
            source=f"{_TRAINER} fit/evaluate/predict; keras/src/trainers/data_adapters/py_dataset_adapter.py "
                   "PyDataset.__init__; reference d.2",
            values=("workers", "use_multiprocessing", "max_queue_size")),
        Keras3Change(
            key="fit.data_loading_defaults",
            summary="the defaults of those arguments, the same in tf.keras fit()/evaluate()/predict() and in the "
                    "keras.utils.PyDataset constructor: passing them changed nothing, so deleting them loses nothing",
            since="Keras 3.0",
            source=f"{_WHEEL} keras/src/trainers/data_adapters/py_dataset_adapter.py PyDataset.__init__; tf-keras 2.15 "
                   "tf_keras/src/engine/training.py Model.fit",
            values=("workers=1", "use_multiprocessing=False", "max_queue_size=10")),
    )}


#: The three tables of records are built the first time they are read: under ``keras-target = tf-keras``
#: only the module facts above are needed, and then only by the import rules.
__getattr__ = built_on_first_use(globals(), KERAS3_OPS_REWRITES=_ops_rewrites, OPS_EQUIVALENTS=_ops_equivalents,
                                 KERAS3_CHANGES=_keras3_changes)
