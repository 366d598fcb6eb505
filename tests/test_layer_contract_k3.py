"""KC510-KC521 beyond their examples: where the type is unknown they stay silent, and the shapes of real
library code they were checked on (keras-tcn, keras-rl, tensorflow-addons, qkeras) are pinned here."""

from __future__ import annotations

import pytest

from keras_compat.engine import lint_source
from keras_compat.settings import Settings

CODES = {f"KC5{n}" for n in range(10, 22)} | {"KC504", "KC407"}


def _found(code: str, target: str = "keras3") -> set[tuple[int, str]]:
    return {(d.line, d.code) for d in lint_source(code, "m.py", Settings(target=target)) if d.code in CODES}


SILENT = {
    "shape rebound": "import keras\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n"
                     "        input_shape = keras.ops.shape(input_shape)\n        n = input_shape.rank\n",
    "shape of another object": "import keras\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n"
                               "        n = self.other.as_list()\n",
    "tcn: list of stored shapes": "import keras\nclass B(keras.layers.Layer):\n    def call(self, x):\n"
                                  "        return [x, x]\n\n    def compute_output_shape(self, input_shape):\n"
                                  "        return [self.res_output_shape, self.res_output_shape]\n",
    "one output, tuple of dims": "import keras\nclass B(keras.layers.Layer):\n    def call(self, x):\n"
                                 "        return x\n\n    def compute_output_shape(self, input_shape):\n"
                                 "        return (input_shape[0], self.units)\n",
    "model output_shape": "import keras\nm = keras.Sequential()\nprint(m.output_shape, m.input_shape)\n",
    "unknown object's output_shape": "import keras\nlayer = make()\nprint(layer.output_shape)\n",
    "backend variable keeps _keras_shape": "from keras import backend as K\nv = K.variable(0.0)\nprint(v._keras_shape)\n",
    "kernel of a plain layer": "import keras\nclass L(keras.layers.Layer):\n    def build(self, s):\n"
                               "        self.kernel = self.add_weight(shape=(1,))\n",
    "kernel property of its own": "import keras\nclass D(keras.layers.Dense):\n    @property\n"
                                  "    def kernel(self):\n        return self._k\n\n    @kernel.setter\n"
                                  "    def kernel(self, v):\n        self._k = v\n\n    def build(self, s):\n"
                                  "        self.kernel = self.add_weight(shape=(1,))\n",
    "keras-rl callback: self.model is the agent": "from tensorflow import keras\n"
                                                  "class C(keras.callbacks.Callback):\n"
                                                  "    def on_train_begin(self, logs=None):\n"
                                                  "        self.names = self.model.metrics_names\n",
    "rnn with a one-argument build": "import keras\nclass R(keras.layers.LSTM):\n    def build(self, input_shape):\n"
                                     "        super().build(input_shape)\n\n    def call(self, inputs, mask=None):\n"
                                     "        return super().call(inputs, mask=mask)\n",
    "metric add_weight": "import tensorflow as tf\nclass M(tf.keras.metrics.Metric):\n    def __init__(self):\n"
                         "        super().__init__()\n        self.tp = self.add_weight('tp', shape=(1,))\n",
    "unknown base add_weight": "import keras\nfrom .base import Base\nclass L(Base):\n    def build(self, s):\n"
                               "        self.w = self.add_weight('w', (1,))\n",
    "dropout created once, lazily": "import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n"
                                    "        if self.drop is None:\n            self.drop = keras.layers.Dropout(0.1)\n"
                                    "        return self.drop(x)\n",
    "dense subclass saving its own variables": "import keras\nclass D(keras.layers.Dense):\n"
                                               "    def build(self, s):\n        super().build(s)\n"
                                               "        self.g = self.add_weight(shape=(1,))\n\n"
                                               "    def save_own_variables(self, store):\n        pass\n",
    "single-input mask": "import keras\nclass L(keras.layers.Layer):\n    def call(self, x, mask=None):\n"
                         "        if mask is not None:\n            x = x * keras.ops.cast(mask, x.dtype)\n"
                         "        return x\n",
    "rnn cell of a non-TensorFlow module": "import keras\nimport mylib as tf\ncell = tf.compat.v1.nn.rnn_cell.LSTMCell(3)\n",
}


@pytest.mark.parametrize("name", sorted(SILENT))
def test_silent_where_the_type_is_unknown_or_the_code_is_right(name: str) -> None:
    assert {f for f in _found(SILENT[name]) if f[1] != "KC407"} == set()  # KC407: Keras 1 API, not these rules


def test_tensorshape_api_only_under_keras3() -> None:
    code = ("import tensorflow as tf\nclass L(tf.keras.layers.Layer):\n    def build(self, input_shape):\n"
            "        a = input_shape.as_list()\n        b = input_shape[-1].value\n")
    assert _found(code, "keras3") == {(4, "KC510"), (5, "KC510")}
    assert _found(code, "tf-keras") == {(5, "KC510")}


def test_removed_attributes_by_target() -> None:
    code = ("import tensorflow as tf\nd = tf.keras.layers.Dense(1)\nprint(d.output_shape)\n"
            "x = tf.keras.Input((3,))\nprint(x._keras_shape)\n")
    assert _found(code, "keras3") == {(3, "KC515"), (5, "KC515")}
    assert _found(code, "tf-keras") == {(5, "KC515")}


def test_self_attribute_bound_to_a_model() -> None:
    code = ("import keras\nclass Agent:\n    def compile(self, inp, out):\n"
            "        trainable = keras.Model(inp, out)\n        self.trainable_model = trainable\n\n"
            "    def names(self):\n        return self.trainable_model.metrics_names\n")
    assert _found(code) == {(8, "KC517")}


def test_positional_add_weight_is_one_finding_under_each_target() -> None:
    code = ("import keras\nclass L(keras.layers.Layer):\n    def build(self, s):\n"
            "        self.w = self.add_weight('w', (1,))\n")
    assert _found(code, "keras3") == {(4, "KC513")}
    assert _found(code, "tf-keras") == {(4, "KC407")}


def test_rnn_constants_from_tensorflow_addons() -> None:
    """The shape of tensorflow-addons 0.23.0 tensorflow_addons/layers/esn.py: both problems are reported."""
    code = ("import tensorflow as tf\nclass ESN(tf.keras.layers.RNN):\n"
            "    def call(self, inputs, mask=None, training=None, initial_state=None):\n"
            "        return super().call(\n            inputs,\n            mask=mask,\n"
            "            constants=None,\n        )\n")
    assert _found(code) == {(3, "KC518"), (7, "KC518")}


def test_model_imported_from_two_flavours_is_still_a_model() -> None:
    """``Model`` bound to keras.models.Model and tensorflow.keras.Model (a module of concatenated sources):
    every binding is a model class, so a name assigned from it is a model."""
    code = ("from keras.models import Model\nfrom tensorflow.keras import Model\nclass Agent:\n"
            "    def compile(self, inp, out):\n        self.trainable_model = Model(inp, out)\n\n"
            "    def names(self):\n        return self.trainable_model.metrics_names\n")
    assert _found(code) == {(8, "KC517")}
    other = code.replace("from tensorflow.keras import Model", "from mylib import Model")
    assert _found(other) == set()


def test_rnn_constants_spelled_with_a_compatibility_character() -> None:
    """Python reads ``ｃonstants=`` (a full-width c) as ``constants=``: so does KC518's text shortcut."""
    source = ("import keras\n\ncell = keras.layers.LSTMCell(3)\n"
              "out = keras.layers.RNN(cell)(keras.ops.ones((2, 4, 3)), \uff43onstants=keras.ops.ones((2, 3)))\n")
    assert "KC518" in {d.code for d in lint_source(source, "rnn.py", Settings(target="keras3"))}
