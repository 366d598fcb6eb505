"""Keras 3 training, saving and backend rules (KC530-KC533), the keras3 backend messages and fixes, KC506's fix."""

from __future__ import annotations

import re

import pytest

from keras_compat.data.backend import BACKEND_FUNCTIONS
from keras_compat.engine import lint_source
from keras_compat.fixes import fix_text
from keras_compat.rules.backend import replacement
from keras_compat.settings import Settings

K3 = Settings(target="keras3")
TFK = Settings(target="tf-keras")


def _found(code: str, settings: Settings = K3) -> list[tuple[int, str]]:
    return sorted((d.line, d.code) for d in lint_source(code, "m.py", settings))


def _by_code(code: str, rule: str, settings: Settings = K3):
    return [d for d in lint_source(code, "m.py", settings) if d.code == rule]


# -- KC506: a user's argument is never dropped silently (issue 20) ------------------------------------------

def test_kc506_fix_that_drops_use_multiprocessing_is_unsafe_and_says_what_is_lost() -> None:
    code = "import keras\nmodel.fit(seq, epochs=2, workers=4, use_multiprocessing=True)\n"
    [finding] = _by_code(code, "KC506")
    assert finding.fix is not None and not finding.fix.is_safe
    assert "workers=4" in finding.fix.title and "use_multiprocessing=True" in finding.fix.title
    assert "PyDataset" in finding.fix.title
    assert fix_text(code, "m.py", K3).text == code  # not applied without --unsafe-fixes
    assert fix_text(code, "m.py", K3, unsafe=True).text == "import keras\nmodel.fit(seq, epochs=2)\n"


def test_kc506_only_defaults_are_removed_safely() -> None:
    code = "import keras\nmodel.fit(seq, max_queue_size=10, use_multiprocessing=False)\n"
    [finding] = _by_code(code, "KC506")
    assert finding.fix is not None and finding.fix.is_safe
    assert fix_text(code, "m.py", K3).text == "import keras\nmodel.fit(seq)\n"


def test_kc506_mixed_default_and_user_value_names_only_the_lost_one() -> None:
    [finding] = _by_code("import keras\nmodel.fit(seq, workers=1, use_multiprocessing=flag)\n", "KC506")
    assert not finding.fix.is_safe and "use_multiprocessing=flag" in finding.fix.title
    assert "workers=1" not in finding.fix.title.split("drops", 1)[1]


# -- KC530 ModelCheckpoint ----------------------------------------------------------------------------------

@pytest.mark.parametrize("call,reported", [
    ("ModelCheckpoint('w.{epoch:02d}.hdf5')", True),
    ("ModelCheckpoint('w.h5')", False),
    ("ModelCheckpoint('w.keras', save_best_only=True)", False),
    ("ModelCheckpoint('w.h5', save_weights_only=True)", True),
    ("ModelCheckpoint('w.weights.h5', save_weights_only=True)", False),
    ("ModelCheckpoint('w.h5', 'val_loss', 0, True, True)", True),
    ("ModelCheckpoint('w.h5', save_weights_only=flag)", False),  # fits one of the forms
    ("ModelCheckpoint('ckpt/w', save_weights_only=flag)", True),  # fits none
    ("ModelCheckpoint(path)", False),
    ("ModelCheckpoint(f'{d}/w.hdf5')", True),
])
def test_kc530_paths(call: str, reported: bool) -> None:
    code = f"from tensorflow.keras.callbacks import ModelCheckpoint\ncb = {call}\n"
    assert bool(_by_code(code, "KC530")) == reported
    assert not _by_code(code, "KC530", TFK)  # a Keras 3 rule


def test_kc530_fixes_f_string_tails() -> None:
    code = "import keras\ncb = keras.callbacks.ModelCheckpoint(f'{out}/best.h5', save_weights_only=True)\n"
    fixed = fix_text(code, "m.py", K3, unsafe=True).text
    assert fixed == "import keras\ncb = keras.callbacks.ModelCheckpoint(f'{out}/best.weights.h5', " \
                    "save_weights_only=True)\n"


def test_kc530_other_checkpoint_classes_are_not_keras() -> None:
    code = "import keras\nfrom mylib import ModelCheckpoint\ncb = ModelCheckpoint('w.hdf5')\n"
    assert not _by_code(code, "KC530")


# -- KC531 optimizer.lr -------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", [
    "import keras\nfrom sklearn.linear_model import LogisticRegression\nself.lr = LogisticRegression()\n"
    "p = self.lr.predict_proba(x)\n",
    "import keras\nlr = args.lr\nopt = keras.optimizers.Adam(learning_rate=args.lr)\n",
    "import keras\ndef schedule(epoch, lr):\n    return lr * 0.9\n",
    "import keras\noptimizer = make_optimizer()\nprint(optimizer.lr)\n",  # unknown receiver: silent
    "import tensorflow as tf\nopt = tf.keras.optimizers.Adam()\nif hasattr(opt, 'lr'):\n    print(opt.lr)\n",
])
def test_kc531_is_silent_without_evidence_of_an_optimizer(code: str) -> None:
    assert not _by_code(code, "KC531")


def test_kc531_callback_forms_and_their_fixes() -> None:
    code = ("import tensorflow as tf\nfrom tensorflow.keras import backend as K\n\n"
            "class Decay(tf.keras.callbacks.Callback):\n    def on_epoch_begin(self, epoch, logs=None):\n"
            "        lr = K.get_value(self.model.optimizer.lr)\n"
            "        K.set_value(self.model.optimizer.lr, lr * 0.5)\n")
    assert [d.line for d in _by_code(code, "KC531")] == [6, 7]
    fixed = fix_text(code, "m.py", K3, unsafe=True).text
    assert "K.get_value(self.model.optimizer.learning_rate)" in fixed
    assert "        self.model.optimizer.learning_rate = lr * 0.5\n" in fixed
    assert not _by_code(fixed, "KC531")


# -- KC532 and the keras3 side of KC301/KC303 ---------------------------------------------------------------

def test_absent_backend_calls_are_errors_and_not_conventions_under_keras3() -> None:
    code = "import keras.backend as K\n\ndef loss(y, p):\n    return K.mean(K.square(y - p))\n"
    assert _found(code) == [(4, "KC532"), (4, "KC532")]
    assert _found(code, TFK) == [(1, "KC101"), (4, "KC303"), (4, "KC303")]
    shim = code.replace("import keras.backend as K", "from tensorflow.keras import backend as K")
    # the shim's K.mean has no keras.backend spelling: the move waits for the keras.ops fixes (KC109 says so)
    assert _found(shim) == [(1, "KC107"), (1, "KC109"), (4, "KC303"), (4, "KC303")]
    assert fix_text(shim, "m.py", K3, unsafe=True).text == (
        "import keras\nfrom keras import backend as K\n\ndef loss(y, p):\n"
        "    return keras.ops.mean(keras.ops.square(y - p))\n")


def test_kc532_references_and_imports() -> None:
    code = ("import tensorflow as tf\nfrom keras import backend as K\nfrom keras.backend import ones_like\n"
            "layer = tf.keras.layers.Lambda(K.zeros_like)\ny = tf.map_fn(K.argmax, xs)\nz = ones_like(x)\n"
            "eps = K.epsilon()\n")
    found = [(d.line, d.code) for d in lint_source(code, "m.py", K3) if d.code == "KC532"]
    assert found == [(3, "KC532"), (4, "KC532"), (5, "KC532"), (6, "KC532")]  # the import and each use
    fixed = fix_text(code, "m.py", K3, unsafe=True).text
    assert "Lambda(keras.ops.zeros_like)" not in fixed  # zeros_like's K signature has name=: not the same
    assert "map_fn(K.argmax" in fixed  # keras.ops.argmax's default axis differs: a reference is not rewritten


def test_kc532_reference_fix_where_the_signatures_agree() -> None:
    code = "from keras import backend as K, layers\nsq = layers.Lambda(K.square)\n"
    fixed = fix_text(code, "m.py", K3, unsafe=True).text
    assert "layers.Lambda(keras.ops.square)" in fixed and "import keras\n" in fixed


def test_compatibility_code_is_not_reported() -> None:
    code = ("try:\n    from keras.backend import mean\nexcept ImportError:\n    mean = None\n")
    assert not _by_code(code, "KC532")


def test_kc532_leaves_tf1_functions_to_kc302() -> None:
    code = "import keras.backend as K\nf = K.function([a], [b])\nsess = K.get_session()\n"
    assert {c for _, c in _found(code)} == {"KC302"}


def test_keras3_fix_writes_defaults_and_renames_keywords() -> None:
    code = ("from tensorflow.keras import backend as K\n"
            "y = K.concatenate(tensors=[a, b])\nz = K.permute_dimensions(x, pattern=(0, 2, 1))\n"
            "w = K.gather(t, i)\nu = K.ones_like(x, name='u')\n")
    fixed = fix_text(code, "m.py", K3, unsafe=True).text
    assert "y = keras.ops.concatenate(xs=[a, b], axis=-1)\n" in fixed
    assert "z = keras.ops.transpose(x, axes=(0, 2, 1))\n" in fixed
    assert "w = keras.ops.take(t, i, axis=0)\n" in fixed
    assert "u = K.ones_like(x, name='u')\n" in fixed  # name= has no place in keras.ops: not rewritten


def test_no_keras3_fix_under_tf_keras_for_kc303() -> None:
    code = "from tensorflow.keras import backend as K\ny = K.sum(x)\n"
    [finding] = _by_code(code, "KC303", TFK)
    assert finding.fix is None


# -- messages under keras3 (issue 21) -----------------------------------------------------------------------

@pytest.mark.parametrize("entry", [e for e in BACKEND_FUNCTIONS], ids=lambda e: e.name)
def test_keras3_messages_speak_of_the_target(entry) -> None:
    text, caveat = replacement(entry, "keras3")
    message = text + caveat
    assert "TF rewrite" not in message and "use use" not in message and not text.startswith("use ")
    if entry.keras3:  # a Keras 3 replacement exists: no TensorFlow advice
        assert not re.search(r"(?<![\w.])tf\.", message), message


def test_tf_keras_messages_do_not_repeat_use() -> None:
    for entry in BACKEND_FUNCTIONS:
        text, _ = replacement(entry, "tf-keras")
        assert not text.startswith("use "), entry.name


# -- KC533 --------------------------------------------------------------------------------------------------

def test_kc533_only_in_layers_and_not_for_the_native_backend() -> None:
    code = ("import tensorflow as tf\nimport keras.backend as K\n\nclass Helper:\n    def __init__(self):\n"
            "        self.v = tf.Variable(0.0)\n\nclass L(tf.keras.layers.Layer):\n    def build(self, s):\n"
            "        self.w = K.zeros((3,))\n")
    assert [c for _, c in _found(code) if c == "KC533"] == []  # K.zeros there is KC532's
    assert (10, "KC532") in _found(code)


def test_kc533_skips_untrainable_buffers_and_owns_the_backend_call() -> None:
    code = ("import tensorflow as tf\nfrom tensorflow.keras import backend as K\n\nclass L(tf.keras.layers.Layer):\n"
            "    def build(self, s):\n        self.index = tf.Variable(tf.range(3), trainable=False)\n"
            "        self.beta = K.variable(0.5)\n        self.gamma = tf.Variable(1.0, trainable=True)\n")
    found = _found(code)
    assert (6, "KC533") not in found
    assert (7, "KC533") in found and (7, "KC301") not in found  # one problem, one finding
    assert (8, "KC533") in found


def test_kc534_owns_variable_writes_through_the_shim() -> None:
    code = ("from tensorflow.keras import backend as K\n\ndef reset(metric):\n"
            "    K.batch_set_value([(v, 0) for v in metric.variables])\n    K.set_value(metric.count, 0)\n"
            "    return K.get_value(metric.count)\n")
    assert _found(code) == [(1, "KC107"), (1, "KC109"), (4, "KC534"), (5, "KC534"), (6, "KC303")]
    assert _found(code, TFK) == [(4, "KC303"), (5, "KC303"), (6, "KC303")]
    fixed = fix_text(code, "m.py", K3, unsafe=True).text
    assert "    metric.count.assign(0)\n" in fixed and "K.batch_set_value(" in fixed
    native = code.replace("from tensorflow.keras import backend as K", "import keras.backend as K")
    assert {c for _, c in _found(native)} == {"KC532"}  # through keras.backend the functions are missing


def test_the_merge_function_is_not_called_a_module_path() -> None:
    code = ("from keras.layers import merge\nimport keras.layers.merge\nx = merge([a, b], mode='sum')\n"
            "import keras\ny = keras.layers.merge([a, b], mode='concat')\n")
    for settings in (K3, TFK):
        found = lint_source(code, "m.py", settings)
        assert not [d for d in found if d.code == "KC103" and d.line in (1, 5)]
        assert [d.line for d in found if d.code == "KC203"] == [3, 5]
        assert [d.line for d in found if d.code == "KC103"] == [2]  # the module itself
