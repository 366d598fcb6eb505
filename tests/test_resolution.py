"""Name resolution and compatibility guards, through the rules that depend on them."""

from __future__ import annotations

import pytest

from keras_compat.engine import lint_source


def codes(source: str) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in lint_source(source) if d.code != "KC101"]


RESOLVED = {
    "from-import": "from keras.layers import Dense\nDense(output_dim=3)\n",
    "module-alias": "import keras.layers as KL\nKL.Dense(output_dim=3)\n",
    "from-module-alias": "from keras import layers as L\nL.Dense(output_dim=3)\n",
    "tf-attribute": "import tensorflow as tf\ntf.keras.layers.Dense(output_dim=3)\n",
    "tf-from": "from tensorflow import keras\nkeras.layers.Dense(output_dim=3)\n",
    "tf-rebind": "import tensorflow as tf\nkeras = tf.keras\nkeras.layers.Dense(output_dim=3)\n",
    "tf-python": "from tensorflow.python.keras import layers\nlayers.Dense(output_dim=3)\n",
    "tf_keras": "import tf_keras\ntf_keras.layers.Dense(output_dim=3)\n",
    "star": "from keras.layers import *\nDense(output_dim=3)\n",
    "private-submodule": "from keras.layers.core import Dense\nDense(output_dim=3)\n",
    "function-local": "def f():\n    from keras.layers import Dense\n    return Dense(output_dim=3)\n",
    "class-alias-chain": "import tensorflow as tf\nKL = tf.keras.layers\nD = KL.Dense\nD(output_dim=3)\n",
    "used-in-function": "from keras.layers import Dense\ndef build():\n    return Dense(output_dim=3)\n",
    # roots whose import names no Keras module: the chain itself must spell it (Context.keras's shortcut)
    "compat-v1-chain": "from tensorflow.compat import v1\nv1.keras.layers.Dense(output_dim=3)\n",
    "tf-python-chain": "import tensorflow.python as tp\ntp.keras.layers.Dense(output_dim=3)\n",
    "from-import-keras-module": "from tensorflow import keras as k\nk.layers.Dense(output_dim=3)\n",
    "alias-of-alias": "import tensorflow as tf\nt = tf\nL = t.keras.layers\nL.Dense(output_dim=3)\n",
    "tuple-import": "import numpy as np, tensorflow.keras.layers as KL\nKL.Dense(output_dim=3)\n",
}


@pytest.mark.parametrize("source", RESOLVED.values(), ids=RESOLVED.keys())
def test_every_import_style_resolves(source: str) -> None:
    line = source.count("\n")
    assert (line, "KC201") in codes(source)


SHADOWED = {
    "parameter": "from keras.layers import Dense\ndef f(Dense):\n    return Dense(output_dim=3)\n",
    "local-variable": "import keras.layers as KL\ndef f():\n    KL = object()\n    return KL.Dense(output_dim=3)\n",
    "module-rebinding": "from keras.layers import Dense\nDense = make_dense\nDense(output_dim=3)\n",
    "local-def": "from keras.layers import Dense\ndef Dense(**kw):\n    return kw\nDense(output_dim=3)\n",
    "loop-target": "import keras.backend as K\nfor K in things:\n    K.dropout(x, 0.5)\n",
    "no-keras": "def Dense(output_dim):\n    return output_dim\nDense(output_dim=3)\n",
    "non-keras-star": "from keras.layers import *\nfrom mylib import *\nDense(output_dim=3)\n",
    "class-attribute": "class A:\n    Dense = None\n    def f(self):\n        return self.Dense(output_dim=3)\n",
    "conflicting-branches": "try:\n    from keras.layers import Dense\nexcept ImportError:\n"
                            "    Dense = my_dense\ndef f():\n    return Dense(output_dim=3)\n",
}


@pytest.mark.parametrize("source", SHADOWED.values(), ids=SHADOWED.keys())
def test_shadowed_or_unknown_names_yield_nothing(source: str) -> None:
    assert not [c for c in codes(source) if c[1] in ("KC201", "KC301", "KC303")]


def test_later_rebinding_does_not_affect_earlier_use() -> None:
    source = "from keras.layers import Dense\nDense(output_dim=3)\nDense = None\n"
    assert (2, "KC201") in codes(source)


def test_none_fallback_in_except_branch_keeps_the_import() -> None:
    source = ("try:\n    from keras.layers import Dense\nexcept ImportError:\n    Dense = None\n"
              "def f():\n    return Dense(output_dim=3)\n")
    assert (6, "KC201") in codes(source)


GUARDED = {
    "try-except": "try:\n    from tensorflow import keras\nexcept ImportError:\n    import keras\n",
    "try-except-reversed": "try:\n    import keras\nexcept ModuleNotFoundError:\n    from tensorflow import keras\n",
    "if-else-env": "import os\nif os.environ.get('TF_KERAS', '0') == '1':\n    import tensorflow.keras as keras\n"
                   "else:\n    import keras\n",
    "if-else-version": "import tensorflow as tf\nif tf.__version__ >= '2':\n    from tensorflow.keras import layers\n"
                       "else:\n    from keras import layers\n",
}


@pytest.mark.parametrize("source", GUARDED.values(), ids=GUARDED.keys())
def test_compatibility_imports_are_not_findings(source: str) -> None:
    found = [d.code for d in lint_source(source)]
    assert "KC101" not in found and "KC102" not in found


def test_standalone_only_branch_is_still_reported() -> None:
    source = "try:\n    import keras\nexcept ImportError:\n    keras = None\n"
    assert [d.code for d in lint_source(source)] == ["KC101"]


def test_version_switch_branches_are_compatibility_code() -> None:
    source = ("import keras\nfrom keras.layers import Conv2D\nif keras.__version__.startswith('1'):\n"
              "    c = Conv2D(8, 3, 3, border_mode='same')\nelse:\n    c = Conv2D(8, (3, 3), padding='same')\n")
    assert not [d for d in lint_source(source) if d.code in ("KC201", "KC202")]


def test_functions_importing_different_flavours_are_alternatives() -> None:
    source = "def a():\n    import keras\n    return keras\ndef b():\n    import tensorflow.keras as keras\n" \
             "    return keras\n"
    assert "KC102" not in [d.code for d in lint_source(source)]


def test_module_without_keras_is_skipped_cheaply(monkeypatch) -> None:
    from keras_compat import engine

    def fail(*args, **kwargs):
        raise AssertionError("a module that never mentions Keras must not be parsed")

    monkeypatch.setattr(engine, "parse", fail)
    assert lint_source("import numpy as np\nx = np.zeros(3)\n") == []


def test_extra_backend_aliases_option() -> None:
    from keras_compat.settings import Settings

    source = "import keras\nfrom mypkg.compat import backend as K\nK.set_image_dim_ordering('th')\n"
    plain = {d.code for d in lint_source(source)}
    aliased = {d.code for d in lint_source(source, settings=Settings(extra_backend_aliases=("mypkg.compat.backend",)))}
    assert "KC302" not in plain
    assert "KC302" in aliased


def test_memoised_lookups_stay_per_function() -> None:
    """The resolver memoises, per function, the names that function does not bind itself: a sibling that
    binds the name, a nested function that rebinds it and a ``global`` statement must each still count."""
    source = (
        "from keras.layers import Dense\n"
        "def a():\n"
        "    Dense(output_dim=1)\n"          # line 3: module import
        "    Dense(output_dim=2)\n"          # line 4: same function, memoised answer
        "def b(Dense):\n"
        "    Dense(output_dim=3)\n"          # line 6: parameter shadows
        "def c():\n"
        "    def inner():\n"
        "        Dense(output_dim=4)\n"      # line 9: enclosing function rebinds below
        "    Dense = object\n"
        "    inner()\n"
        "def d():\n"
        "    global Dense\n"
        "    Dense(output_dim=5)\n"          # line 14: the module binding
    )
    found = {line for line, code in codes(source) if code == "KC201"}
    assert found == {3, 4, 14}


SWITCHES = {
    "version-class-else-standalone": (
        "import tensorflow as tf\nfrom packaging.version import Version\n\n"
        "if Version(tf.__version__) >= Version('2.13'):\n    from keras.src.utils import tf_utils\n"
        "else:\n    from keras.utils import tf_utils\n"),
    "looseversion-testing-infra": (
        "import tensorflow as tf\nfrom distutils.version import LooseVersion\n\n"
        "if LooseVersion(tf.__version__) < LooseVersion('2.13'):\n"
        "    from keras.testing_infra import test_combinations\n"
        "else:\n    from keras.src.testing_infra import test_combinations\n"),
    "environ-subscript-private-flavour": (
        "import os\nif os.environ['TF_KERAS']:\n    from tensorflow.python import keras\nelse:\n    import keras\n"
        "model = keras.models.Sequential()\n"),
    "environ-get-in-test": (
        "import os\nif 'TF_KERAS' in os.environ:\n    from tensorflow.python.keras.layers import Dense\n"
        "else:\n    from keras.layers import Dense\n"),
    "version-without-else": (
        "import tensorflow as tf\nif tf.__version__.startswith('2.16'):\n    import keras\n"),
    "hasattr-keras": (
        "import tensorflow as tf\nif not hasattr(tf, 'keras'):\n    from keras import layers\n"),
}


@pytest.mark.parametrize("target", ["tf-keras", "keras3"])
@pytest.mark.parametrize("source", SWITCHES.values(), ids=SWITCHES.keys())
def test_compatibility_switches_are_neither_reported_nor_fixed(source: str, target: str) -> None:
    """Issue 23: KC101 fired in the standalone branch of version and TF_KERAS switches, and its unsafe fix
    wrote paths such as tensorflow.keras.utils.tf_utils that the other branch's TensorFlow lacks."""
    from keras_compat.fixes import fix_text
    from keras_compat.settings import Settings

    settings = Settings(target=target)
    found = [(d.line, d.code) for d in lint_source(source, settings=settings)]
    assert not [f for f in found if f[1] in ("KC101", "KC102", "KC103", "KC107", "KC108")], found
    assert fix_text(source, settings=settings, unsafe=True).text == source


def test_a_switch_needs_a_keras_or_version_test() -> None:
    """An ordinary ``if`` around a standalone import is not a switch: the import is still reported."""
    source = "import os\nif os.path.exists('data'):\n    import keras\n"
    assert [d.code for d in lint_source(source)] == ["KC101"]
