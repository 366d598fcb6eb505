"""The module planner (``keras_compat.migration``): a module's Keras imports move to the target together or
not at all, every written name exists in the target's API surface, and local names keep working."""

from __future__ import annotations

import ast

import pytest

from keras_compat.engine import lint_source
from keras_compat.fixes import fix_text
from keras_compat.names import Flavour, keras_name
from keras_compat.settings import Settings
from keras_compat.surface.model import _surface, native_keras3_surface

TF = Settings(target="tf-keras")
K3 = Settings(target="keras3")


def fixed(text: str, settings: Settings = TF, unsafe: bool = True) -> str:
    return fix_text(text, "m.py", settings, unsafe=unsafe).text


def codes(text: str, settings: Settings = TF) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in lint_source(text, "m.py", settings)]


KERAS1 = """\
from keras.models import Sequential
from keras.layers import Dense, Dropout, merge
from keras.layers.recurrent import LSTM
from keras.utils import np_utils
from keras import objectives
import keras.layers.core as core
import keras.backend as K
y = np_utils.to_categorical(labels, 10)
loss = objectives.categorical_crossentropy
d = core.Dense(3)
"""


def test_everything_moves_at_once_with_local_names_kept() -> None:
    after = fixed(KERAS1)
    assert after.splitlines()[:7] == [
        "from tensorflow.keras.models import Sequential",
        "from tensorflow.keras.layers import Dense, Dropout",  # merge: unused, absent from the target
        "from tensorflow.keras.layers import LSTM",
        "from tensorflow.keras import utils as np_utils",
        "from tensorflow.keras import losses as objectives",
        "from tensorflow.keras import layers as core",
        "from tensorflow.keras import backend as K",
    ]
    assert after.splitlines()[7:] == KERAS1.splitlines()[7:]  # uses untouched
    assert not [c for c in codes(after) if c[1] in ("KC101", "KC102", "KC103", "KC106", "KC109")]


def test_the_import_findings_share_one_fix() -> None:
    found = [d for d in lint_source(KERAS1, "m.py", TF) if d.code in ("KC101", "KC103")]
    assert len(found) >= 6
    assert len({d.fix for d in found}) == 1 and found[0].fix is not None and not found[0].fix.is_safe


def test_one_blocking_import_keeps_every_import_in_place() -> None:
    text = KERAS1 + "from keras.engine.training import slice_X\nbatch = slice_X(data, 0, 32)\n"
    found = lint_source(text, "m.py", TF)
    blocked = [d for d in found if d.code == "KC109"]
    assert [(d.line, d.fields["name"]) for d in blocked] == [(11, "keras.engine.training.slice_X")]
    assert "has no equivalent in tf-keras 2.15.0" in blocked[0].message
    assert not [d for d in found if d.code == "KC101" and d.fix is not None]
    after = fixed(text)
    assert "tensorflow" not in after  # nothing moved: the module does not mix two libraries
    assert "KC102" not in {c for _, c in codes(after)}


def test_a_used_removed_name_blocks_until_its_own_fix_replaces_it() -> None:
    text = "from keras.layers import Input, merge\na = Input((3,))\ny = merge([a, a], mode='sum')\n"
    assert (1, "KC109") in codes(text)
    assert "tensorflow" not in fixed(text.replace("y = merge", "y = a  #"), TF, unsafe=False)


def test_renamed_names_are_renamed_in_their_uses() -> None:
    text = ("from keras.layers import Deconvolution2D, Dense\n"
            "from keras.layers import Deconvolution2D as D2\n"
            "up = Deconvolution2D(8, (3, 3))\nup2 = D2(8, (3, 3))\n")
    after = fixed(text)
    assert after == ("from tensorflow.keras.layers import Conv2DTranspose, Dense\n"
                     "from tensorflow.keras.layers import Conv2DTranspose as D2\n"
                     "up = Conv2DTranspose(8, (3, 3))\nup2 = D2(8, (3, 3))\n")


def test_names_from_several_public_modules_split_the_statement() -> None:
    text = "from keras.engine.topology import Layer, Input\n\nclass L(Layer):\n    pass\nx = Input((2,))\n"
    after = fixed(text)
    assert after.startswith("from tensorflow.keras.layers import Layer\nfrom tensorflow.keras import Input\n")
    indented = "def f():\n    from keras.engine.topology import Layer, Input\n    return Layer, Input\n"
    assert fixed(indented).splitlines()[1:3] == ["    from tensorflow.keras.layers import Layer",
                                                 "    from tensorflow.keras import Input"]


def test_private_chains_are_respelled_with_the_move() -> None:
    text = "import keras\ny = keras.utils.np_utils.to_categorical(labels)\nd = keras.layers.core.Dense(2).units\n"
    assert fixed(text) == ("from tensorflow import keras\ny = keras.utils.to_categorical(labels)\n"
                           "d = keras.layers.Dense(2).units\n")
    # under keras3 standalone keras stays: the chain alone gets a safe fix
    assert fixed(text, K3, unsafe=False) == ("import keras\ny = keras.utils.to_categorical(labels)\n"
                                             "d = keras.layers.Dense(2).units\n")


def test_compatibility_code_is_not_moved() -> None:
    text = ("try:\n    from tensorflow import keras\nexcept ImportError:\n    import keras\n"
            "from keras.layers import Dense\n")
    after = fixed(text)
    assert after.splitlines()[3] == "    import keras"
    assert after.splitlines()[4] == "from tensorflow.keras.layers import Dense"


def test_keras3_moves_tensorflow_keras_and_tf_keras_attributes_together() -> None:
    text = ("import tensorflow as tf\nfrom tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras import backend as K\n"
            "m = tf.keras.Sequential([Dense(2)])\nx = tf.reduce_sum(K.epsilon())\n")
    after = fixed(text, K3)
    assert after == ("import keras\nimport tensorflow as tf\nfrom keras.layers import Dense\n"
                     "from keras import backend as K\n"
                     "m = keras.Sequential([Dense(2)])\nx = tf.reduce_sum(K.epsilon())\n")


def test_keras3_shim_only_name_blocks_the_module() -> None:
    text = ("from tensorflow.keras.layers import Dense\nimport tensorflow as tf\n"
            "gen = tf.keras.preprocessing.image.ImageDataGenerator()\n")
    found = lint_source(text, "m.py", K3)
    assert [d.line for d in found if d.code == "KC109"] == [3]
    assert fixed(text, K3) == text


def test_same_library_private_import_gets_a_safe_fix() -> None:
    text = "from keras.layers.core import Dense\nfrom keras.engine.training import slice_X\nbatch = slice_X(data, 0)\n"
    assert fixed(text, K3, unsafe=False) == ("from keras.layers import Dense\nfrom keras.engine.training import "
                                             "slice_X\nbatch = slice_X(data, 0)\n")
    # under tf-keras the private standalone import is part of the (blocked) transaction: no half step
    assert fixed(text, TF) == text


def test_noqa_on_one_import_keeps_the_whole_module(tmp_path) -> None:
    from keras_compat.cli import main

    path = tmp_path / "m.py"
    path.write_text("from keras.layers import Dense\nfrom keras.models import Model  # noqa: KC101\n")
    main(["check", "--isolated", "--no-cache", "--fix", "--unsafe-fixes", "-q", str(path)])
    assert path.read_text() == "from keras.layers import Dense\nfrom keras.models import Model  # noqa: KC101\n"


def test_fixing_twice_changes_nothing() -> None:
    once = fixed(KERAS1)
    assert fixed(once) == once
    once3 = fixed(KERAS1, K3)
    assert fixed(once3, K3) == once3


# -- every table-driven import fix writes names that the target has -------------------------------------------

def _table_modules() -> list[str]:
    """One module per entry of the module-move and class-rename tables that a user could import from."""
    from keras_compat.data.legacy import CLASS_RENAMES
    from keras_compat.data.modules import MODULE_MOVES

    texts = []
    for move in MODULE_MOVES:
        if move.old.startswith("src"):
            continue
        parent, _, leaf = move.old.rpartition(".")
        texts.append(f"from keras{'.' + parent if parent else ''} import {leaf}\nx = {leaf}.thing\n")
        texts.append(f"import keras.{move.old} as mod\nx = mod.thing\n")
        for old, _new in move.names:
            texts.append(f"from keras.{move.old} import {old}\nx = {old}\n")
    for entry in CLASS_RENAMES:
        module, _, name = entry.old.rpartition(".")
        texts.append(f"from keras.{module} import {name}\nx = {name}\n")
        texts.append(f"import keras\nx = keras.{entry.old}\n")
    return texts


def _written_imports(text: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and node.module:
            out += [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names]
    return out


@pytest.mark.parametrize("target", ["tf-keras", "keras3"])
def test_every_table_driven_import_fix_writes_names_the_target_has(target: str) -> None:
    settings = Settings(target=target)
    surface = native_keras3_surface() if target == "keras3" else _surface("tf-keras", "tf_keras")
    checked = 0
    for text in _table_modules():
        after = fix_text(text, "m.py", settings, unsafe=True).text
        if after == text:
            continue
        before = set(_written_imports(text))
        for name in _written_imports(after):
            if name in before:
                continue  # not written by the fix
            resolved = keras_name(name)
            assert resolved is not None and resolved.flavour in (Flavour.KERAS, Flavour.TF_KERAS), (text, after)
            assert resolved.raw == "" or surface.has_module(resolved.raw) or surface.has_name(resolved.raw), \
                f"{target}: the fix of\n{text}wrote {name}, absent from {surface.label}:\n{after}"
            checked += 1
    assert checked > 30
