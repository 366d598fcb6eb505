"""Knowledge table for KC103 private-keras-import: internal, moved and removed Keras module paths.

``MODULE_MOVES`` lists module path prefixes (flavour-free: ``engine.topology`` means ``keras.engine.topology``,
``tensorflow.keras.engine.topology`` ...) that users imported from multi-backend Keras 1/2, private tf.keras
(keras 2.6-2.12) package paths and private ``src`` packages (keras >= 2.13, tf_keras, Keras 3).

``new`` is set only when the public module re-exports *every* public name of the old module (checked by
``tests/test_tables.py`` against Keras 2.2.4); otherwise ``new`` is None and ``names`` maps the names that
do have a public home (anything else has no public equivalent).

Citation convention: ``source`` names the released package(s) and file(s) the fact was read from; "A vs B"
means the fact is the difference between two releases. ``since`` is the first release where the old path
stopped being importable (or, for Keras 1 modules, where it was renamed).
"""

from __future__ import annotations

from keras_compat.data.schema import ModuleMove

# Public homes of the names users imported from keras.engine.* (Keras 1 topology/training, Keras 2.2 split
# modules, tf.keras 2.x private modules).
_ENGINE_NAMES = (
    ("Layer", "layers.Layer"),
    ("InputSpec", "layers.InputSpec"),
    ("Input", "Input"),
    ("InputLayer", "layers.InputLayer"),
    ("Model", "Model"),
    ("Network", "Model"),
    ("Functional", "Model"),
    ("Container", "Model"),
    ("Sequential", "Sequential"),
    ("get_source_inputs", "utils.get_source_inputs"),
    ("load_model", "models.load_model"),
    ("save_model", "models.save_model"),
    ("model_from_json", "models.model_from_json"),
    ("model_from_config", "models.model_from_config"),
)
_ENGINE_NOTE = "keras.engine was never public API: import from keras / keras.layers / keras.models"
_ENGINE_SINCE = "Keras 2.13 (keras.src); never public in tf.keras"
_ENGINE_SRC = "keras 2.12.0 vs 2.13.1 file lists (keras/engine -> keras/src/engine); tf-keras 2.15 api/_v2"

_LAYERS_SRC = "keras 2.2.4 keras/layers/__init__.py (star imports); keras 2.13.1 keras/src/layers"
_LAYERS_NOTE = "private module: import the layer from keras.layers"
_LAYERS_SINCE = "Keras 2.13 (keras.src); never public in tf.keras"
_TF_ERA_SRC = "keras 2.12.0 keras/layers/ packages vs 2.13.1 keras/src/layers"


def _engine(module: str, source: str) -> ModuleMove:
    return ModuleMove(module, None, _ENGINE_SINCE, source, names=_ENGINE_NAMES, note=_ENGINE_NOTE)


def _layers(module: str, source: str = _LAYERS_SRC) -> ModuleMove:
    return ModuleMove(module, "layers", _LAYERS_SINCE, source, note=_LAYERS_NOTE)


MODULE_MOVES: tuple[ModuleMove, ...] = (
    # keras.engine and its submodules.
    _engine("engine", "keras 2.2.4 keras/engine/__init__.py; " + _ENGINE_SRC),
    ModuleMove("engine.topology", None, "Keras 2.2.0", "keras 2.2.4 keras/engine/topology.py (deprecated shim); "
               + _ENGINE_SRC, names=_ENGINE_NAMES,
               note="deprecated re-export shim since Keras 2.2.0 (Keras 1 Merge/merge: see KC203); " + _ENGINE_NOTE),
    _engine("engine.base_layer", "keras 2.2.4 keras/engine/base_layer.py; " + _ENGINE_SRC),
    _engine("engine.input_layer", "keras 2.2.4 keras/engine/input_layer.py; " + _ENGINE_SRC),
    _engine("engine.input_spec", "keras 2.12.0 keras/engine/input_spec.py; " + _ENGINE_SRC),
    _engine("engine.network", "keras 2.2.4 keras/engine/network.py; " + _ENGINE_SRC),
    _engine("engine.functional", "keras 2.12.0 keras/engine/functional.py; " + _ENGINE_SRC),
    _engine("engine.training", "keras 2.2.4 keras/engine/training.py; " + _ENGINE_SRC),
    _engine("engine.sequential", "keras 2.2.4 keras/engine/sequential.py; " + _ENGINE_SRC),
    _engine("engine.saving", "keras 2.2.4 keras/engine/saving.py; " + _ENGINE_SRC),
    # keras.layers.<submodule>: multi-backend Keras 1/2 modules.
    _layers("layers.core"),
    _layers("layers.convolutional"),
    ModuleMove("layers.convolutional_recurrent", "layers", _LAYERS_SINCE, _LAYERS_SRC,
               note=_LAYERS_NOTE + "; ConvRNN2D and ConvLSTM2DCell are not public in tf.keras"),
    _layers("layers.recurrent"),
    _layers("layers.cudnn_recurrent"),
    _layers("layers.merge"),
    _layers("layers.normalization"),
    _layers("layers.advanced_activations"),
    _layers("layers.wrappers"),
    _layers("layers.embeddings"),
    _layers("layers.pooling"),
    _layers("layers.noise"),
    _layers("layers.local"),
    # keras.layers.<package>: tf.keras-era private packages (keras 2.10-2.12 layout).
    _layers("layers.activation", _TF_ERA_SRC),
    _layers("layers.attention", _TF_ERA_SRC),
    _layers("layers.merging", _TF_ERA_SRC),
    _layers("layers.rnn", _TF_ERA_SRC),
    _layers("layers.reshaping", _TF_ERA_SRC),
    _layers("layers.regularization", _TF_ERA_SRC),
    _layers("layers.locally_connected", _TF_ERA_SRC),
    _layers("layers.kernelized", _TF_ERA_SRC),
    _layers("layers.serialization", _TF_ERA_SRC),
    # Public in tf.keras 2.x, removed in Keras 3.
    ModuleMove("layers.experimental.preprocessing", "layers", "TF 2.6",
               "keras 2.6.0 api/_v2/keras/layers/__init__.py (preprocessing layers promoted); keras 3.15.1 "
               "keras/layers/__init__.py (no experimental)",
               note="the experimental aliases were removed in Keras 3; PreprocessingLayer has no public "
                    "replacement"),
    # keras.utils.* private modules.
    ModuleMove("utils.np_utils", "utils", "Keras 2.13 (keras.src); never public in tf.keras",
               "keras 2.2.4 keras/utils/np_utils.py; keras 2.12.0 vs 2.13.1 keras/utils/np_utils.py",
               note="Keras 1 helpers (probas_to_classes, accuracy, ...) have no public equivalent"),
    ModuleMove("utils.generic_utils", None, "Keras 2.13 (keras.src); never public in tf.keras",
               "keras 2.2.4 keras/utils/generic_utils.py; tf-keras 2.15 api/_v2/keras/utils",
               names=(("CustomObjectScope", "utils.CustomObjectScope"),
                      ("custom_object_scope", "utils.custom_object_scope"),
                      ("get_custom_objects", "utils.get_custom_objects"),
                      ("serialize_keras_object", "utils.serialize_keras_object"),
                      ("deserialize_keras_object", "utils.deserialize_keras_object"),
                      ("Progbar", "utils.Progbar")),
               note="other helpers (to_list, has_arg, func_dump, get_from_module, ...) are private: copy them"),
    ModuleMove("utils.data_utils", None, "Keras 2.13 (keras.src); never public in tf.keras",
               "keras 2.2.4 keras/utils/data_utils.py; tf-keras 2.15 api/_v2/keras/utils",
               names=(("get_file", "utils.get_file"), ("Sequence", "utils.Sequence"),
                      ("GeneratorEnqueuer", "utils.GeneratorEnqueuer"),
                      ("OrderedEnqueuer", "utils.OrderedEnqueuer"),
                      ("SequenceEnqueuer", "utils.SequenceEnqueuer")),
               note="validate_file and the pool helpers are private; Keras 3 replaces Sequence with PyDataset"),
    ModuleMove("utils.vis_utils", "utils", "Keras 2.13 (keras.src); never public in tf.keras",
               "keras 2.2.4 keras/utils/vis_utils.py; tf-keras 2.15 api/_v2/keras/utils"),
    ModuleMove("utils.visualize_util", "utils", "Keras 2.0.0",
               "keras 1.2.2 keras/utils/visualize_util.py vs 2.0.0 keras/utils/vis_utils.py",
               names=(("plot", "utils.plot_model"),),
               note="plot was renamed plot_model; pass show_layer_names by keyword"),
    ModuleMove("utils.conv_utils", None, "Keras 2.13 (keras.src); never public in tf.keras",
               "keras 2.2.4 keras/utils/conv_utils.py; tf-keras 2.15 api/_v2/keras/utils (absent)",
               note="no public replacement: copy the helper (conv_output_length, normalize_tuple, ...)"),
    ModuleMove("utils.layer_utils", None, "Keras 2.13 (keras.src); never public in tf.keras",
               "keras 2.2.4 keras/utils/layer_utils.py; tf-keras 2.15 api/_v2/keras/utils",
               names=(("get_source_inputs", "utils.get_source_inputs"),),
               note="print_summary -> model.summary(); count_params and the kernel converters are private"),
    # Backends.
    ModuleMove("backend.tensorflow_backend", "backend", "Keras 2.4.0",
               "keras 2.3.1 keras/backend/tensorflow_backend.py vs 2.4.3 keras/backend.py",
               note="set_session/get_session only exist as tf.compat.v1.keras.backend.*; GPU memory growth: "
                    "tf.config.experimental.set_memory_growth"),
    ModuleMove("backend.common", "backend", "Keras 2.4.0",
               "keras 2.3.1 keras/backend/common.py vs 2.4.3 keras/backend.py",
               note="image_dim_ordering/set_image_dim_ordering became image_data_format/set_image_data_format"),
    ModuleMove("backend.load_backend", "backend", "Keras 2.4.0",
               "keras 2.3.1 keras/backend/load_backend.py vs 2.4.3 keras/backend.py"),
    ModuleMove("backend.theano_backend", None, "Keras 2.4.0",
               "keras 2.3.1 keras/backend/theano_backend.py vs 2.4.3 keras/backend.py",
               note="the Theano backend was removed (see KC105)"),
    ModuleMove("backend.cntk_backend", None, "Keras 2.4.0",
               "keras 2.3.1 keras/backend/cntk_backend.py vs 2.4.3 keras/backend.py",
               note="the CNTK backend was removed (see KC105)"),
    # Keras 1 -> 2 compatibility layer.
    ModuleMove("legacy.interfaces", None, "Keras 2.4.0", "keras 2.3.1 vs 2.4.3 file lists (keras/legacy)",
               note="the Keras 1 argument converters are gone: drop the decorator and use Keras 2 arguments"),
    ModuleMove("legacy.layers", None, "Keras 2.4.0", "keras 2.3.1 vs 2.4.3 file lists (keras/legacy)",
               note="MaxoutDense, Highway, AtrousConvolution*, Recurrent: see KC203"),
    ModuleMove("legacy.models", None, "Keras 2.3.0", "keras 2.2.4 vs 2.3.0 file lists (keras/legacy/models.py)",
               note="internal helpers for loading Keras 1 Sequential models with Merge layers"),
    # Wrappers.
    ModuleMove("wrappers.scikit_learn", None, "Keras 2.13",
               "keras 2.12.0 keras/wrappers/scikit_learn.py (deprecated since 2.7) vs 2.13.1 (absent)",
               package="scikeras",
               note="use scikeras.wrappers.KerasClassifier/KerasRegressor (build_fn -> model); Keras 3 also has "
                    "keras.wrappers.SKLearnClassifier/SKLearnRegressor"),
    # Keras 1 module renames.
    ModuleMove("objectives", "losses", "Keras 2.0.0", "keras 1.2.2 keras/objectives.py vs 2.0.0 keras/losses.py",
               note="cosine_proximity became losses.cosine_similarity (different reduction)"),
    ModuleMove("initializations", "initializers", "Keras 2.0.0",
               "keras 1.2.2 keras/initializations.py vs 2.0.0 keras/initializers.py",
               names=(("normal", "initializers.RandomNormal"), ("uniform", "initializers.RandomUniform"),
                      ("zero", "initializers.Zeros"), ("one", "initializers.Ones")),
               note="Keras 1 initializations were functions of (shape, name); Keras 2 initializers are classes: "
                    "pass a string or an instance such as initializers.RandomNormal(stddev=0.05) (the Keras 1 "
                    "default scale); get_fans is private"),
    # Private src packages (keras >= 2.13, tf_keras, Keras 3).
    ModuleMove("src", None, "Keras 2.13 / Keras 3.0.0", "keras 2.13.1 keras/src; keras 3.15.1 keras/src",
               note="keras.src is private and changes between releases: import from the public API"),
    _engine("src.engine", "keras 2.13.1 keras/src/engine; " + _ENGINE_SRC),
    ModuleMove("src.layers", "layers", "Keras 2.13 / Keras 3.0.0", "keras 2.13.1 keras/src/layers; keras 3.15.1",
               note=_LAYERS_NOTE),
    ModuleMove("src.losses", "losses", "Keras 2.13 / Keras 3.0.0", "keras 2.13.1 keras/src/losses.py; keras 3.15.1"),
    ModuleMove("src.metrics", "metrics", "Keras 2.13 / Keras 3.0.0", "keras 2.13.1 keras/src/metrics; keras 3.15.1"),
    ModuleMove("src.optimizers", "optimizers", "Keras 2.13 / Keras 3.0.0",
               "keras 2.13.1 keras/src/optimizers; keras 3.15.1"),
    ModuleMove("src.callbacks", "callbacks", "Keras 2.13 / Keras 3.0.0",
               "keras 2.13.1 keras/src/callbacks.py; keras 3.15.1"),
    ModuleMove("src.activations", "activations", "Keras 2.13 / Keras 3.0.0",
               "keras 2.13.1 keras/src/activations.py; keras 3.15.1"),
    ModuleMove("src.initializers", "initializers", "Keras 2.13 / Keras 3.0.0",
               "keras 2.13.1 keras/src/initializers; keras 3.15.1"),
    ModuleMove("src.regularizers", "regularizers", "Keras 2.13 / Keras 3.0.0",
               "keras 2.13.1 keras/src/regularizers.py; keras 3.15.1"),
    ModuleMove("src.constraints", "constraints", "Keras 2.13 / Keras 3.0.0",
               "keras 2.13.1 keras/src/constraints.py; keras 3.15.1"),
    ModuleMove("src.ops", "ops", "Keras 3.0.0", "keras 3.15.1 keras/src/ops vs keras/ops/__init__.py",
               note="keras.ops exists only in Keras 3"),
)
