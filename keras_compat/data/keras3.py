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
* :data:`KERAS3_OPS_DROP_IN`: ``K.*`` functions whose ``keras3`` field (``keras.ops.X``) takes the same
  parameters (names after the first, order, defaults) and whose TF rewrite is SAFE: the callee alone changes.
* :data:`OPS_EQUIVALENTS`: TensorFlow ops with a ``keras.ops`` equivalent (KC304).
* :data:`KERAS3_CHANGES`: the removals and behaviour changes of group 5, with the values the rules use.
"""

from __future__ import annotations

from keras_compat.data.backend import KERAS3_BACKEND, KERAS3_TF_KERAS_SHIM
from keras_compat.data.schema import Keras3Change, OpsEquivalent

__all__ = ["KERAS3_CHANGES", "KERAS3_MODULES", "KERAS3_OPS_DROP_IN", "KERAS3_SHIM_ONLY", "KERAS3_SHIM_ONLY_MODULES",
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

KERAS3_OPS_DROP_IN: frozenset[str] = frozenset({
    "abs", "cast", "cos", "exp", "log", "max", "min", "prod", "round", "sigmoid", "sign", "sin", "softmax",
    "softplus", "softsign", "square", "stack", "sum", "tanh", "transpose",
})

_MIG3 = "reference d.1 [MIG3] (keras.io/guides/migrating_to_keras_3, 'backend-agnostic code')"
_PROMOTION = ("keras.ops follows NumPy/JAX dtype promotion: integer input gives a float result where the TF op "
              "keeps the integer dtype")


def _ops(tf: str, ops: str, module: str, **fields: object) -> OpsEquivalent:
    name = ops.rsplit(".", 1)[-1]
    return OpsEquivalent(tf=tf, ops=ops, since="Keras 3.0",
                         source=f"{_WHEEL} keras/src/ops/{module}.py {name}; {_MIG3}", **fields)  # type: ignore[arg-type]


_REDUCE = {"positional": 3, "keywords": ("axis", "keepdims")}

OPS_EQUIVALENTS: tuple[OpsEquivalent, ...] = (
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

KERAS3_CHANGES: dict[str, Keras3Change] = {c.key: c for c in (
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
)}
