"""Keras 3 facts about the layer and model contract (KC510-KC521, the KC504 extension, KC106 hints).

Every fact was read from the **keras 3.15.1** wheel (``keras/src/...``), TensorFlow facts from
tensorflow-cpu 2.15.1, and each is re-checked against those sources by ``tests/test_keras3_layers_table.py``;
each rule's claim is also run on Keras 3.15.1 (and on tf-keras 2.21 where a rule says tf-keras breaks too)
by ``tests/test_rule_execution.py``.

* :data:`CONTRACT`: the changes, keyed like ``data.keras3.KERAS3_CHANGES`` (``values`` are what the rules use).
* :data:`REMOVED_ATTRIBUTES`: attributes of layers, models and symbolic tensors that are gone (KC515).
* :data:`READONLY_PROPERTIES`: built-in layers' weight attributes that are setter-less properties (KC516).
* :data:`SEED_LAYERS`: built-in layers whose constructor creates a ``SeedGenerator`` variable (KC520).
* :data:`OWN_VARIABLE_LAYERS`: built-in layers whose ``save_own_variables`` saves a fixed list (KC521).
* :data:`RNN_LAYERS`: the recurrent layers whose ``build``/``call`` pair KC518 checks.
* :data:`TF_RNN_CELLS`: ``tf.compat.v1.nn.rnn_cell`` names and their Keras replacements (KC519).
* :data:`REMOVED_NAME_HINTS`: replacement advice for Keras names KC106 reports under ``keras3``.
"""

from __future__ import annotations

from keras_compat.data.schema import Keras3Change
from keras_compat.record import Record

__all__ = ["CONTRACT", "OWN_VARIABLE_LAYERS", "READONLY_PROPERTIES", "REMOVED_ATTRIBUTES", "REMOVED_NAME_HINTS",
           "RNN_LAYERS", "RemovedAttribute", "SEED_LAYERS", "TF_RNN_CELLS"]

_K3 = "keras 3.15.1 keras/src/"
_TF = "tensorflow-cpu 2.15.1 tensorflow/python/"
_LAYER = _K3 + "layers/layer.py"

CONTRACT: dict[str, Keras3Change] = {c.key: c for c in (
    Keras3Change(
        key="build.shape_tuples",
        summary="build() and compute_output_shape() receive shapes as plain tuples (standardize_shape), not "
                "tf.TensorShape: the TensorShape-only attributes listed raise AttributeError",
        since="Keras 3.0",
        source=f"{_LAYER} get_shapes_dict (backend.standardize_shape); {_K3}backend/common/variables.py "
               f"standardize_shape; {_TF}framework/tensor_shape.py TensorShape",
        values=("as_list", "as_proto", "assert_has_rank", "assert_is_compatible_with", "assert_is_fully_defined",
                "assert_same_rank", "dims", "is_compatible_with", "is_fully_defined", "merge_with",
                "most_specific_compatible_shape", "ndims", "num_elements", "rank", "with_rank",
                "with_rank_at_least", "with_rank_at_most")),
    Keras3Change(
        key="shape.dimension_value",
        summary="a shape's dimension is an int or None: Dimension.value is TF1 behaviour (TensorShape.__getitem__ "
                "returns int under TF2 behaviour, so tf-keras 2.x fails too)",
        since="TensorFlow 2.0 / Keras 3.0",
        source=f"{_TF}framework/tensor_shape.py TensorShape.__getitem__ (_v2_behavior); "
               f"{_K3}backend/common/variables.py standardize_shape",
        values=("value",)),
    Keras3Change(
        key="compute_output_shape.used",
        summary="a layer overriding compute_output_shape() gets its symbolic outputs from it "
                "(Layer.compute_output_spec): each dimension must be an int or None (ValueError 'Cannot convert "
                "... to a shape') and the structure must match call()'s outputs",
        since="Keras 3.0",
        source=f"{_LAYER} Layer.compute_output_spec; {_K3}backend/common/variables.py standardize_shape",
        values=("compute_output_shape",)),
    Keras3Change(
        key="shape.int",
        summary="Input(shape=...) and add_weight(shape=...) take a tuple: an int raises ValueError "
                "'Cannot convert ... to a shape' (tf-keras accepted an int as a 1-D shape)",
        since="Keras 3.0",
        source=f"{_K3}layers/core/input_layer.py Input/InputLayer; {_LAYER} Layer.add_weight; "
               f"{_K3}backend/common/variables.py standardize_shape",
        values=("Input", "layers.Input", "layers.InputLayer")),
    Keras3Change(
        key="add_weight.positional",
        summary="add_weight(*args, shape=None, ...): at most 3 positional arguments (shape, initializer, dtype); "
                "a str first argument raises ValueError '`name` must be passed as a keyword argument', a "
                "positional shape with shape= raises ValueError, more than 3 raise TypeError",
        since="Keras 3.0", source=f"{_LAYER} Layer.add_weight",
        values=("3",)),
    Keras3Change(
        key="mask.structure",
        summary="a call() with a mask parameter and one tensor argument gets mask = tree.map_structure("
                "get_keras_mask, inputs): a list of Nones for a list of inputs without masks, never None",
        since="Keras 3.0", source=f"{_LAYER} Layer.__call__ step 6 'Populate mask argument(s)'",
        values=("mask",)),
    Keras3Change(
        key="metrics_names",
        summary="Model.metrics_names is [m.name for m in self.metrics]: after compile() ['loss', "
                "'compile_metrics'], not one name per compiled metric",
        since="Keras 3.0",
        source=f"{_K3}trainers/trainer.py Trainer.metrics_names, Trainer._get_own_metrics; "
               f"{_K3}trainers/compile_utils.py CompileMetrics (name 'compile_metrics')",
        values=("metrics_names", "compile_metrics")),
    Keras3Change(
        key="rnn.signature",
        summary="RNN.call(sequences, initial_state=None, mask=None, training=False) has no constants; "
                "RNN.build(sequences_shape, initial_state_shape=None) takes two shapes, so Keras matches their "
                "names to call()'s parameters (ValueError for a call() whose first parameter is not 'sequences')",
        since="Keras 3.0",
        source=f"{_K3}layers/rnn/rnn.py RNN.call/RNN.build; {_LAYER} update_shapes_dict_for_target_fn",
        values=("sequences", "constants")),
    Keras3Change(
        key="layer_in_call",
        summary="a layer that creates a SeedGenerator (a tf.Variable on the TensorFlow backend) constructed inside "
                "call() creates a variable on every trace: fit()/predict() (tf.function) raise ValueError "
                "'tf.function only supports singleton tf.Variables'",
        since="Keras 3.0",
        source=f"{_K3}random/seed_generator.py SeedGenerator; {_K3}layers/regularization/dropout.py "
               "Dropout.__init__",
        values=("SeedGenerator",)),
    Keras3Change(
        key="save_own_variables",
        summary="Dense/Conv/EinsumDense/Embedding save only their own variables (variable_serialization_spec) in "
                "save_own_variables; load_own_variables checks the count of all variables: a subclass with "
                "extra variables saves without them and fails to load (ValueError 'expected 3 variables, but "
                "received 2')",
        since="Keras 3.0",
        source=f"{_K3}layers/core/dense.py Dense.save_own_variables; {_LAYER} Layer._check_load_own_variables",
        values=("save_own_variables", "load_own_variables")),
    Keras3Change(
        key="add_loss.inputs",
        summary="Layer.add_loss(loss) takes no inputs= argument (TypeError)",
        since="Keras 3.0", source=f"{_LAYER} Layer.add_loss", values=("inputs",)),
    Keras3Change(
        key="add_update",
        summary="Layer.add_update() is gone (AttributeError): assign to the variable inside call()",
        since="Keras 3.0", source=f"{_LAYER} Layer (no add_update)", values=("add_update",)),
)}


class RemovedAttribute(Record):
    """An attribute gone from layers (``on = "layer"``), symbolic tensors (``"tensor"``) or both (KC515).

    ``targets`` are the ``keras-target`` values where it is gone (``tf-keras`` too when tf-keras 2.x lacks it);
    ``chain`` is an attribute that must follow it for the finding (``_keras_history.layer``: the history
    itself still exists, its ``layer`` field is now ``operation``).
    """

    name: str
    on: str
    targets: tuple[str, ...]
    advice: str
    source: str
    chain: str = ""


_BOTH = ("tf-keras", "keras3")
_KERAS3 = ("keras3",)

REMOVED_ATTRIBUTES: tuple[RemovedAttribute, ...] = (
    RemovedAttribute("output_shape", "layer", _KERAS3,
                     "use layer.output.shape (or compute_output_shape(input_shape)); models keep output_shape",
                     f"{_LAYER} Layer (no output_shape; {_K3}models/functional.py Functional.output_shape only)"),
    RemovedAttribute("input_shape", "layer", _KERAS3,
                     "use layer.input.shape; models keep input_shape",
                     f"{_LAYER} Layer (no input_shape; {_K3}models/functional.py Functional.input_shape only)"),
    RemovedAttribute("_keras_shape", "tensor", _BOTH, "use x.shape (or keras.ops.shape(x))",
                     "keras 2.2.4 keras/engine/base_layer.py (set on tensors); tf-keras 2.15 and Keras 3 set it "
                     "only on backend variables (tf_keras/src/backend.py variable, keras/src/legacy/backend.py), "
                     f"never on symbolic tensors ({_K3}backend/common/keras_tensor.py KerasTensor)"),
    RemovedAttribute("_uses_learning_phase", "tensor", _BOTH,
                     "remove it: Keras passes training= to the layers that need it",
                     "keras 2.2.4 keras/engine/base_layer.py; not set by tf-keras 2.x or Keras 3"),
    RemovedAttribute("_keras_history", "tensor", _KERAS3, "use x._keras_history.operation (or [0])",
                     f"{_K3}ops/node.py KerasHistory(operation, node_index, tensor_index)", chain="layer"),
    RemovedAttribute("_compute_dtype_object", "layer", _KERAS3, "use layer.compute_dtype (a string)",
                     f"{_LAYER} Layer.compute_dtype; tf-keras 2.15 tf_keras/src/engine/base_layer.py"),
    RemovedAttribute("_add_inbound_node", "layer", _BOTH,
                     "build the graph by calling the layer on its inputs",
                     f"keras 2.2.4 keras/engine/base_layer.py Layer._add_inbound_node; {_K3}ops/operation.py "
                     "Operation._record_history (tf-keras 2.x creates Node objects itself)"),
)

#: Built-in layer -> its weight attributes that are properties without a setter in Keras 3 (assigning raises
#: ``AttributeError: property 'kernel' of 'X' object has no setter``); paths are flavour-free.
READONLY_PROPERTIES: dict[str, tuple[str, ...]] = {
    "layers.Dense": ("kernel",),
    "layers.EinsumDense": ("kernel",),
    "layers.Embedding": ("embeddings",),
    "layers.Conv1D": ("kernel",),
    "layers.Conv2D": ("kernel",),
    "layers.Conv3D": ("kernel",),
    "layers.Convolution1D": ("kernel",),
    "layers.Convolution2D": ("kernel",),
    "layers.Convolution3D": ("kernel",),
}

#: Where each class of :data:`READONLY_PROPERTIES` (and :data:`OWN_VARIABLE_LAYERS`) is defined in the wheel.
LAYER_SOURCES: dict[str, str] = {
    "layers.Dense": "layers/core/dense.py",
    "layers.EinsumDense": "layers/core/einsum_dense.py",
    "layers.Embedding": "layers/core/embedding.py",
    "layers.Conv1D": "layers/convolutional/conv1d.py",
    "layers.Conv2D": "layers/convolutional/conv2d.py",
    "layers.Conv3D": "layers/convolutional/conv3d.py",
    "layers.Convolution1D": "layers/convolutional/conv1d.py",
    "layers.Convolution2D": "layers/convolutional/conv2d.py",
    "layers.Convolution3D": "layers/convolutional/conv3d.py",
}

#: Built-in layers whose ``save_own_variables`` writes a fixed list of their own variables (KC521).
OWN_VARIABLE_LAYERS: frozenset[str] = frozenset(LAYER_SOURCES)

#: Built-in layers whose constructor (or a base class's) creates a ``SeedGenerator`` (KC520).
SEED_LAYERS: frozenset[str] = frozenset({
    "layers.Dropout", "layers.SpatialDropout1D", "layers.SpatialDropout2D", "layers.SpatialDropout3D",
    "layers.GaussianNoise", "layers.GaussianDropout", "layers.AlphaDropout", "layers.RandomFlip",
    "layers.RandomRotation", "layers.RandomZoom", "layers.RandomTranslation", "layers.RandomContrast",
    "layers.RandomCrop", "layers.RandomBrightness",
})

#: Recurrent layers whose ``build(sequences_shape, initial_state_shape=None)`` is matched to ``call()`` by name.
RNN_LAYERS: frozenset[str] = frozenset({
    "layers.RNN", "layers.SimpleRNN", "layers.LSTM", "layers.GRU", "layers.ConvLSTM1D", "layers.ConvLSTM2D",
    "layers.ConvLSTM3D",
})

#: ``tf.compat.v1.nn.rnn_cell.<name>`` (raises ``AttributeError: ... is not available with Keras 3``) -> advice.
TF_RNN_CELLS: dict[str, str] = {
    "BasicRNNCell": "keras.layers.SimpleRNNCell",
    "BasicLSTMCell": "keras.layers.LSTMCell",
    "LSTMCell": "keras.layers.LSTMCell",
    "GRUCell": "keras.layers.GRUCell",
    "MultiRNNCell": "keras.layers.StackedRNNCells",
    "RNNCell": "a keras.layers.Layer with state_size and call(inputs, states)",
    "DropoutWrapper": "the cell's dropout=/recurrent_dropout= arguments",
    "ResidualWrapper": "a custom keras.layers.Layer that adds the cell's input to its output",
    "DeviceWrapper": "tf.device() around the layer's call",
    "LSTMStateTuple": "a plain [h, c] list of states",
}

TF_RNN_CELL_SOURCE = (f"{_TF}ops/rnn_cell.py / tensorflow/python/keras/layers/legacy_rnn/rnn_cell_impl.py; "
                      "TensorFlow >= 2.16 with Keras 3 raises 'is not available with Keras 3' (run on TF 2.21)")

#: flavour-free Keras path -> KC106's advice under keras3 for a removed name (instead of "nothing similar").
REMOVED_NAME_HINTS: dict[str, str] = {
    "layers.AbstractRNNCell": "subclass keras.layers.Layer with state_size/output_size and call(inputs, states) "
                              "(Keras 3 RNN cells are plain layers)",
}
