"""TensorFlow 1 API that TensorFlow 2 removed from the ``tf`` namespace, as Keras 2 era programs used it (KC302).

Multi-backend Keras ran on TensorFlow 1, and its programs (the Keras 2.2.4 examples among them) call the
backend's TF1 API directly: ``tf.random_uniform``, ``tf.Session``, ``tensorflow.contrib``, the dataset
iterators. On TensorFlow 2 these raise ``AttributeError`` / ``ModuleNotFoundError`` whichever Keras runs.
Each entry is checked against the real TensorFlow 2.21 by ``tests/test_tf1_table.py``: absent from ``tf``
(and, for a function, still in ``tf.compat.v1``, so the advice can name the TF1 spelling that runs).
"""

from __future__ import annotations

#: TensorFlow version whose ``tf`` namespace lacks these names (the TF 2.0 API cleanup; tf_upgrade_v2's renames).
REMOVED_IN = "TensorFlow 2.0"

#: ``tf.<name>`` -> the TensorFlow 2 way (one short phrase).
TF1_FUNCTIONS: dict[str, str] = {
    "Session": "run eagerly (tf.compat.v1.Session only works with eager execution disabled)",
    "InteractiveSession": "run eagerly (tf.compat.v1.InteractiveSession needs graph mode)",
    "ConfigProto": "tf.config.* (tf.config.experimental.set_memory_growth, tf.config.threading ...)",
    "GPUOptions": "tf.config.experimental.set_memory_growth / tf.config.set_logical_device_configuration",
    "placeholder": "keras.Input, or a tf.function argument (tf.compat.v1.placeholder needs graph mode)",
    "global_variables_initializer": "nothing: TF 2 variables are initialised when created",
    "get_variable": "tf.Variable or a layer's add_weight()",
    "variable_scope": "tf.name_scope, or Keras layers that own their variables",
    "set_random_seed": "tf.random.set_seed",
    "random_uniform": "tf.random.uniform",
    "random_normal": "tf.random.normal",
    "truncated_normal": "tf.random.truncated_normal",
    "to_float": "tf.cast(x, tf.float32)",
    "to_int32": "tf.cast(x, tf.int32)",
    "log": "tf.math.log",
}

#: ``tensorflow.contrib``: gone, not even in tf.compat.v1 (``tensorflow.contrib.keras`` is KC103's).
CONTRIB = "tensorflow.contrib"
CONTRIB_ADVICE = ("find each function's TF 2 home (tf.*, tf.image, tf.signal, TensorFlow Addons) or rewrite it; "
                  "tf.contrib has no TF 2 counterpart")

#: ``dataset.<method>()`` of TF 1's ``tf.data.Dataset``, removed from TF 2's (still in tf.compat.v1.data).
TF1_DATASET_METHODS: dict[str, str] = {
    "make_one_shot_iterator": "iterate the dataset, or pass it to fit() directly "
                              "(tf.compat.v1.data.make_one_shot_iterator(dataset) in graph mode)",
    "make_initializable_iterator": "iterate the dataset, or pass it to fit() directly "
                                   "(tf.compat.v1.data.make_initializable_iterator(dataset) in graph mode)",
}
