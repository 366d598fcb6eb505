"""Custom-layer tables (KC401-KC408): base classes, training-sensitive layers, raw random/dropout ops.

Paths are flavour-free Keras API paths (see :mod:`keras_compat.data.schema`) unless they start with
``tensorflow.`` (a TensorFlow public API name, matched on the fully qualified name). Fact base: reference
section f (training semantics, f.2/f.3 and the f.5 classification), g (layer contract), e (backend).
"""

from __future__ import annotations

from keras_compat.record import Record


__all__ = [
    "CALLBACK_PREFIXES", "LAYER_BASES", "LOSS_PREFIXES", "METRIC_PREFIXES", "MODEL_BASES", "MODEL_FACTORIES",
    "NON_LAYER_NAMES",
    "OPTIMIZER_PREFIXES", "RANDOM_OPS", "RNN_CELL_BASES", "RandomOp", "TRAINING_SENSITIVE_LAYERS",
    "TrainingLayer", "WRAPPER_BASES",
]

_TFK = "tf-keras 2.15 tf_keras/src/"
_K3 = "keras 3.15.1 keras/src/"
_K224 = "keras 2.2.4 keras/"

#: The base-layer class itself (every flavour: keras.layers.Layer, keras.engine.topology.Layer,
#: tensorflow.python.keras.engine.base_layer.Layer ... canonicalise to ``layers.Layer``).
LAYER_BASES: frozenset[str] = frozenset({"layers.Layer", "engine.Layer", "legacy.layers.Layer"})

#: Model classes (``keras.engine.training.Model`` / ``keras.engine.network.Network`` canonicalise to ``Model``).
MODEL_BASES: frozenset[str] = frozenset({"Model", "models.Model", "Sequential", "models.Sequential",
                                         "engine.Model", "engine.Network"})

#: Functions that return a model [TFK saving/saving_api.py ``load_model``, models/__init__ ``model_from_json``;
#: K224 models.py]: a name bound to their result is a Keras model (KC204's receiver inference).
MODEL_FACTORIES: frozenset[str] = frozenset({"models.load_model", "saving.load_model", "models.model_from_json"})

#: Layer wrappers [TFK layers/rnn/base_wrapper.py, bidirectional.py, time_distributed.py].
WRAPPER_BASES: frozenset[str] = frozenset({"layers.Wrapper", "layers.Bidirectional", "layers.TimeDistributed"})

#: Built-in RNN cells [TFK layers/rnn/*.py]; a local ``Layer`` subclass with ``state_size`` is a cell too.
RNN_CELL_BASES: frozenset[str] = frozenset({
    "layers.SimpleRNNCell", "layers.LSTMCell", "layers.GRUCell", "layers.StackedRNNCells",
    "layers.AbstractRNNCell", "layers.experimental.PeepholeLSTMCell", "layers.PeepholeLSTMCell",
})

#: Names under ``layers.`` that start with a capital letter but are not layers.
NON_LAYER_NAMES: frozenset[str] = frozenset({"InputSpec", "DropoutRNNCellMixin", "Input"})

#: Other Keras base classes, by path prefix (any capitalised class below the prefix).
LOSS_PREFIXES: tuple[str, ...] = ("losses.",)
METRIC_PREFIXES: tuple[str, ...] = ("metrics.",)
CALLBACK_PREFIXES: tuple[str, ...] = ("callbacks.",)
OPTIMIZER_PREFIXES: tuple[str, ...] = ("optimizers.", "optimizer_v2.")


class TrainingLayer(Record):
    """A built-in layer whose ``call`` behaves differently in training and inference (KC408).

    ``when`` lists constructor keywords that make the layer training-sensitive (RNN ``dropout=``); empty
    means always.
    """

    path: str
    source: str
    when: tuple[str, ...] = ()

    def __init__(self, path: str, source: str, when: tuple[str, ...] = ()) -> None:
        # Written out (as Bad.__init__): half the generic one's cost, for a record made by the hundred at every
        # start. tests/test_record.py checks it takes exactly the fields.
        attrs = self.__dict__
        attrs["path"], attrs["source"], attrs["when"] = \
            path, source, when


TRAINING_SENSITIVE_LAYERS: tuple[TrainingLayer, ...] = (
    TrainingLayer("layers.Dropout", _TFK + "layers/regularization/dropout.py (training=None, smart_cond)"),
    TrainingLayer("layers.SpatialDropout1D", _TFK + "layers/regularization/spatial_dropout1d.py"),
    TrainingLayer("layers.SpatialDropout2D", _TFK + "layers/regularization/spatial_dropout2d.py"),
    TrainingLayer("layers.SpatialDropout3D", _TFK + "layers/regularization/spatial_dropout3d.py"),
    TrainingLayer("layers.GaussianNoise", _TFK + "layers/regularization/gaussian_noise.py"),
    TrainingLayer("layers.GaussianDropout", _TFK + "layers/regularization/gaussian_dropout.py"),
    TrainingLayer("layers.AlphaDropout", _TFK + "layers/regularization/alpha_dropout.py"),
    TrainingLayer("layers.BatchNormalization", _TFK + "layers/normalization/batch_normalization.py "
                  "(moving statistics used at inference)"),
    TrainingLayer("layers.experimental.SyncBatchNormalization",
                  _TFK + "layers/normalization/batch_normalization.py"),
    TrainingLayer("layers.RandomFlip", _TFK + "layers/preprocessing/image_preprocessing.py (identity at inference)"),
    TrainingLayer("layers.RandomRotation", _TFK + "layers/preprocessing/image_preprocessing.py"),
    TrainingLayer("layers.RandomZoom", _TFK + "layers/preprocessing/image_preprocessing.py"),
    TrainingLayer("layers.RandomTranslation", _TFK + "layers/preprocessing/image_preprocessing.py"),
    TrainingLayer("layers.RandomContrast", _TFK + "layers/preprocessing/image_preprocessing.py"),
    TrainingLayer("layers.RandomCrop", _TFK + "layers/preprocessing/image_preprocessing.py"),
    TrainingLayer("layers.LSTM", _TFK + "layers/rnn/lstm.py (dropout masks only when training)",
                  when=("dropout", "recurrent_dropout")),
    TrainingLayer("layers.GRU", _TFK + "layers/rnn/gru.py", when=("dropout", "recurrent_dropout")),
    TrainingLayer("layers.SimpleRNN", _TFK + "layers/rnn/simple_rnn.py", when=("dropout", "recurrent_dropout")),
    TrainingLayer("layers.ConvLSTM2D", _TFK + "layers/rnn/conv_lstm2d.py", when=("dropout", "recurrent_dropout")),
)


class RandomOp(Record):
    """A raw random operation that the framework cannot switch off at inference (KC401/KC402).

    ``name`` is a fully qualified TensorFlow name (``tensorflow.nn.dropout``) or a flavour-free Keras path
    (``backend.dropout``, ``random.dropout``). ``kind`` is ``dropout`` (training-only by definition) or
    ``noise`` (a random tensor; reported only when it is used in ``call``).
    """

    name: str
    kind: str
    source: str

    def __init__(self, name: str, kind: str, source: str) -> None:
        # Written out (as Bad.__init__): half the generic one's cost, for a record made by the hundred at every
        # start. tests/test_record.py checks it takes exactly the fields.
        attrs = self.__dict__
        attrs["name"], attrs["kind"], attrs["source"] = \
            name, kind, source


_F = "reference f.2/f.5 (raw random ops in call() run at inference too, verified [RUN-TF #5 RawDropout])"

RANDOM_OPS: tuple[RandomOp, ...] = (
    # dropout: applied unconditionally in every Keras / TF version
    RandomOp("tensorflow.nn.dropout", "dropout", "TF 2.15 tensorflow/_api/v2/nn; " + _F),
    RandomOp("tensorflow.compat.v1.nn.dropout", "dropout", "TF 2.15 tensorflow/_api/v2/compat/v1/nn; " + _F),
    RandomOp("tensorflow.nn.experimental.stateless_dropout", "dropout", "TF 2.15 tensorflow/_api/v2/nn/experimental"),
    RandomOp("backend.dropout", "dropout", _TFK + "backend.py dropout (no training check); reference e.1"),
    RandomOp("random.dropout", "dropout", _K3 + "random/random.py dropout (keras.random, no training check)"),
    # noise: random tensors added to activations
    RandomOp("tensorflow.random.normal", "noise", "TF 2.15 tensorflow/_api/v2/random; " + _F),
    RandomOp("tensorflow.random.uniform", "noise", "TF 2.15 tensorflow/_api/v2/random"),
    RandomOp("tensorflow.random.truncated_normal", "noise", "TF 2.15 tensorflow/_api/v2/random"),
    RandomOp("tensorflow.random.stateless_normal", "noise", "TF 2.15 tensorflow/_api/v2/random"),
    RandomOp("tensorflow.random.stateless_uniform", "noise", "TF 2.15 tensorflow/_api/v2/random"),
    RandomOp("tensorflow.random_normal", "noise", "TF 1.x tf.random_normal (tf.compat.v1.random_normal)"),
    RandomOp("tensorflow.random_uniform", "noise", "TF 1.x tf.random_uniform (tf.compat.v1.random_uniform)"),
    RandomOp("tensorflow.truncated_normal", "noise", "TF 1.x tf.truncated_normal (tf.compat.v1.truncated_normal)"),
    RandomOp("tensorflow.compat.v1.random_normal", "noise", "TF 2.15 tensorflow/_api/v2/compat/v1"),
    RandomOp("tensorflow.compat.v1.random_uniform", "noise", "TF 2.15 tensorflow/_api/v2/compat/v1"),
    RandomOp("tensorflow.compat.v1.truncated_normal", "noise", "TF 2.15 tensorflow/_api/v2/compat/v1"),
    RandomOp("backend.random_normal", "noise", _TFK + "backend.py random_normal; reference e.1"),
    RandomOp("backend.random_uniform", "noise", _TFK + "backend.py random_uniform; reference e.1"),
    RandomOp("backend.truncated_normal", "noise", _TFK + "backend.py truncated_normal; reference e.1"),
    RandomOp("backend.random_bernoulli", "noise", _TFK + "backend.py random_bernoulli; reference e.1"),
    RandomOp("backend.random_binomial", "noise", _TFK + "backend.py random_binomial; reference e.1"),
    RandomOp("random.normal", "noise", _K3 + "random/random.py normal"),
    RandomOp("random.uniform", "noise", _K3 + "random/random.py uniform"),
    RandomOp("random.truncated_normal", "noise", _K3 + "random/random.py truncated_normal"),
)

#: Class names that announce deliberate sampling at inference (VAE reparameterisation, Gumbel-softmax ...):
#: noise ops in such layers are not reported (dropout ops still are).
SAMPLING_CLASS_WORDS: tuple[str, ...] = ("sampl", "reparam", "variational", "vae", "gumbel", "stochastic",
                                         "latent", "generat", "posterior", "bayes")

#: Backend functions whose use in ``call`` is a training-mode decision (KC401/KC402, reference f.5).
LEARNING_PHASE_FUNCTIONS: frozenset[str] = frozenset({"backend.learning_phase"})
TRAIN_PHASE_FUNCTIONS: frozenset[str] = frozenset({"backend.in_train_phase", "backend.in_test_phase"})

#: ``add_weight`` changed its positional order: Keras 2.0 ``(shape, initializer, name=...)``, Keras 2.1+ /
#: tf.keras ``(name, shape, dtype, initializer, ...)``, Keras 3 ``(shape, initializer, dtype, ...)`` with
#: ``name`` keyword-only in practice (reference RUN-K3 extra: ``add_weight('kernel', shape=...)`` ValueError).
ADD_WEIGHT_SOURCE = ("keras 2.0.0 keras/engine/topology.py add_weight(shape, initializer, name=None, ...); "
                     "keras 2.2.4 keras/engine/base_layer.py add_weight(name, shape, ...); " + _TFK +
                     "engine/base_layer.py add_weight(name=None, shape=None, ...); " + _K3 +
                     "layers/layer.py add_weight(shape=None, initializer=None, ...)")

#: Built-in layers whose ``build`` creates the layer's own weights in every Keras version (a subclass
#: overriding ``build`` without calling it leaves ``kernel``/the cell weights uncreated, KC407). Abstract
#: bases (Keras 2.0 ``Recurrent``, ``_Conv``, ``_Merge``) and wrappers (which build their inner layer on
#: the first call) are not listed. [K224 keras/layers/core.py, convolutional.py, embeddings.py,
#: normalization.py, recurrent.py; TFK layers/core/dense.py, convolutional/base_conv.py, rnn/base_rnn.py]
WEIGHT_BUILDING_LAYERS: frozenset[str] = frozenset({
    "layers.Dense", "layers.Conv1D", "layers.Conv2D", "layers.Conv3D", "layers.Conv1DTranspose",
    "layers.Conv2DTranspose", "layers.Conv3DTranspose", "layers.SeparableConv1D", "layers.SeparableConv2D",
    "layers.DepthwiseConv2D", "layers.Convolution1D", "layers.Convolution2D", "layers.Convolution3D",
    "layers.Embedding", "layers.BatchNormalization", "layers.LayerNormalization", "layers.PReLU",
    "layers.LocallyConnected1D", "layers.LocallyConnected2D", "layers.SimpleRNN", "layers.GRU", "layers.LSTM",
    "layers.RNN", "layers.ConvLSTM2D", "layers.SimpleRNNCell", "layers.GRUCell", "layers.LSTMCell",
})

#: Keras 1 custom-layer methods renamed in Keras 2 [K224 keras/engine/topology.py / legacy/layers.py].
LEGACY_LAYER_METHODS: dict[str, str] = {"get_output_shape_for": "compute_output_shape"}

#: Read-only weight lists that Keras 1 layers assigned directly (tf.keras: properties without a setter).
READONLY_WEIGHT_ATTRIBUTES: frozenset[str] = frozenset({"trainable_weights", "non_trainable_weights"})
