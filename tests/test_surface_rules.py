"""KC106/KC206 (checks against the API surfaces): precision on modern code and the silences they promise.

* Realistic Keras 3 modules (``tests/fixtures/keras3``) produce no KC106/KC206 under ``keras-target = keras3``;
* the modern packages of the realism corpus (keras-tcn, kapre) produce none under either target;
* names and keywords that a table-driven rule explains are left to that rule (one finding per problem).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from keras_compat.engine import lint_source
from keras_compat.settings import TARGETS, Settings
from support.realism import package_files, package_root

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "keras3").glob("*.py"))
CODES = {"KC106", "KC206", "KC000"}
MODERN = (("keras-tcn", "3.5.7"), ("kapre", "0.4.1"))


def _found(text: str, target: str, codes=CODES) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in lint_source(text, "m.py", Settings(target=target)) if d.code in codes]


def test_there_are_keras3_fixtures():
    assert len(FIXTURES) >= 5


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_keras3_fixtures_are_clean(path):
    assert _found(path.read_text(encoding="utf-8"), "keras3") == []


@pytest.mark.network
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name,version", MODERN, ids=[n for n, _ in MODERN])
def test_modern_packages_are_clean(name, version, target):
    root = package_root(name, version)
    found = []
    for path in package_files(name, version):
        for line, code in _found(path.read_text(encoding="utf-8", errors="replace"), target):
            found.append(f"{path.relative_to(root)}:{line} {code}")
    assert found == []


@pytest.mark.parametrize("code,expected", [
    # shadowing: the user's own binding is not a Keras name
    ("import keras\nlayers = object()\nx = layers.Foo(bar=1)\n", []),
    ("from keras import layers\n\ndef f(layers):\n    return layers.Foo(bar=1)\n", []),
    # attributes of objects whose type is unknown
    ("import keras\nm = get_model()\nm.layers.Foo\nm.fit(x, foo=1)\n", []),
    # a module that defines the name itself
    ("import keras\nkeras.layers.Foo = object\nx = keras.layers.Foo\n", []),
    # private paths are KC103's or nobody's
    ("from keras.src.layers import Foo\nfrom keras.layers import _private\n", []),
    # a name a Keras star import provides is resolved; a spread **kwargs is not checked
    ("from keras.layers import *\nd = Dense(3, foo=1)\n", [(2, "KC206")]),
    ("import keras\nkw = {}\nd = keras.layers.Dense(3, **kw, foo=1)\n", []),
    # aliased imports are resolved
    ("import keras as K3\nd = K3.layers.Dense(3, fooo=1)\n", [(2, "KC206")]),
    ("from keras import layers as L\nd = L.Densse(3)\n", [(2, "KC106")]),
    # a receiver built by a Keras model constructor
    ("import keras\nm = keras.Sequential()\nm.fit(x, y, epoch=3)\n", [(3, "KC206")]),
    ("import keras\nm = keras.Sequential()\nm = build()\nm.fit(x, y, epoch=3)\n", []),
])
def test_precision_cases_keras3(code, expected):
    assert _found(code, "keras3") == expected


@pytest.mark.parametrize("code,other", [
    ("from tensorflow.keras.layers import Dense\nd = Dense(output_dim=3)\n", "KC201"),
    ("from tensorflow.keras.layers import Conv2D\nc = Conv2D(8, nb_row=3, nb_col=3)\n", "KC202"),
    ("from tensorflow.keras.optimizers import SGD\no = SGD(lr=0.1, decay=1e-6)\n", "KC205"),
    ("from tensorflow.keras.layers import Convolution2D, CuDNNGRU\n", "KC203"),
    ("from tensorflow.keras.layers.core import Dense\n", "KC103"),
    ("import keras.backend as K\nK.image_dim_ordering()\n", "KC302"),
])
def test_table_rules_report_instead(code, other):
    found = {c for _, c in _found(code, "tf-keras", CODES | {other})}
    assert found == {other}


def test_keras3_data_loading_keywords_are_kc506():
    code = "import keras\nm = keras.Sequential()\nm.fit(x, workers=2, use_multiprocessing=True)\n"
    assert {c for _, c in _found(code, "keras3", CODES | {"KC506"})} == {"KC506"}


def test_messages_name_the_api_and_a_hint():
    diags = lint_source("import keras\nx = keras.layers.experimental.EinsumDense\n", "m.py", Settings(target="keras3"))
    (diag,) = [d for d in diags if d.code == "KC106"]
    assert "'keras.layers.experimental'" in diag.message and "Keras 3.15.1" in diag.message
    diags = lint_source("from tensorflow.keras.layers import Dense\nd = Dense(3, use_bais=False)\n", "m.py")
    (diag,) = [d for d in diags if d.code == "KC206"]
    assert "'use_bais'" in diag.message and "'use_bias'" in diag.message and "tf-keras 2.15.0" in diag.message


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("code", [
    # a private module imported by name: the resolved path is longer than the attribute chain
    "from tf_keras.protobuf import saved_metadata_pb2\nx = saved_metadata_pb2.SavedMetadata()\n",
    "from tf_keras.src.utils.mode_keys import ModeKeys\nx = ModeKeys.TRAIN\n",
    "from tensorflow.keras.utils import generic_utils\nx = generic_utils.default\n",
    "from keras.layers import core\ne = core.Embedding(10, 2)\n",
])
def test_names_imported_from_deep_modules_never_crash(code, target):
    """Regression: KC106 walked past the root of a short chain (AttributeError, a KC000 on tf-keras's own
    callbacks.py and saved_model modules in the benchmark corpus), and called the wheel's internal
    ``tf_keras.protobuf`` package nonexistent."""
    assert _found(code, target) == [], "no crash (KC000), and these modules exist (no KC106)"
