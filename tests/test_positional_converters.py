"""KC202 (and the other positional conversions) only where Keras 2's legacy converter read the call.

Regression of issue 20: a *safe* fix rewrote ``Conv2D(64, 3, 2)`` to ``Conv2D(64, (3, 2))`` in modules written
for tf.keras or Keras 3, where the third positional argument always was ``strides``.
"""

from __future__ import annotations

import pytest

from keras_compat.engine import lint_source
from keras_compat.fixes import fix_text
from keras_compat.settings import TARGETS, Settings

MODERN = (
    "from tensorflow.keras.layers import Conv2D\nc = Conv2D(64, 3, 2)\n",
    "import tensorflow as tf\nc = tf.keras.layers.Conv2D(64, 3, 2)\n",
    "from tensorflow import keras\nc = keras.layers.Conv2D(64, 3, 2)\n",
    "import tf_keras\nc = tf_keras.layers.Conv2D(64, 3, 2)\n",
    "from tf_keras.layers import Conv2D\nc = Conv2D(64, 3, 2)\n",
    # a module that also uses tensorflow.keras was written (or ported) for a library without the converter
    "import keras\nimport tensorflow as tf\nx = tf.keras.Input((8, 8, 1))\nc = keras.layers.Conv2D(64, 3, 2)\n",
    "try:\n    from tensorflow.keras.layers import Conv2D\nexcept ImportError:\n    from keras.layers import Conv2D\n"
    "c = Conv2D(64, 3, 2)\n",
    # Keras 2 raised for integer positional kernel dimensions together with these keywords
    "from keras.layers import Conv2D\nc = Conv2D(64, 3, 2, padding='same')\n",
    "from keras.layers import Conv2D\nc = Conv2D(64, 3, 2.0)\n",
)

#: Keras 1 era modules: standalone keras plus evidence that the code predates the converter's removal.
LEGACY = (
    "from keras.layers import Convolution2D\nc = Convolution2D(64, 3, 2)\n",
    "from keras.layers.convolutional import Conv2D\nc = Conv2D(64, 3, 2)\n",
    "from keras.layers import Conv2D\nc = Conv2D(64, 3, 2, border_mode='same')\n",
    "import keras\nmodel.fit(x, y, nb_epoch=3)\nc = keras.layers.Conv2D(64, 3, 2)\n",
    "from keras import backend as K\nif K.image_dim_ordering() == 'th':\n    pass\n"
    "from keras.layers import Conv2D\nc = Conv2D(64, 3, 2)\n",
)


def _kc202(text: str, target: str):
    return [d for d in lint_source(text, "m.py", Settings(target=target)) if d.code == "KC202"]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("text", MODERN)
def test_modern_module_positional_strides_are_not_a_finding(text: str, target: str) -> None:
    assert _kc202(text, target) == []
    fixed = fix_text(text, "m.py", Settings(target=target), unsafe=True).text
    assert "(3, 2)" not in fixed


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("text", LEGACY)
def test_keras1_module_positional_kernel_is_folded(text: str, target: str) -> None:
    found = _kc202(text, target)
    assert len(found) == 1 and found[0].fix is not None and found[0].fix.is_safe
    fixed = fix_text(text, "m.py", Settings(target=target, select=("KC202",))).text
    assert "(64, (3, 2)" in fixed


def test_standalone_keras_without_evidence_depends_on_the_target() -> None:
    """Under tf-keras, standalone keras is the legacy library being migrated (it had the converter until 2.3);
    under keras3, ``import keras`` is the target itself and ``Conv2D(64, 3, 2)`` means strides 2."""
    text = "import keras\nc = keras.layers.Conv2D(64, 3, 2)\n"
    assert len(_kc202(text, "tf-keras")) == 1
    assert _kc202(text, "keras3") == []


@pytest.mark.parametrize("target", TARGETS)
def test_keyword_kernel_dimensions_are_reported_in_every_flavour(target: str) -> None:
    text = "from tensorflow.keras.layers import Conv2D\nc = Conv2D(64, nb_row=3, nb_col=2)\n"
    assert len(_kc202(text, target)) == 1
