"""The large table indexes answer from generated key lists (keras_compat/data/_legacy_keys.py and
_module_moves.py, kept current by tests/test_docs.py) and build the tables' records only when a value is asked
for (keras_compat.knowledge.Known)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from keras_compat import knowledge
from keras_compat.data import legacy


def _renames(keys: str) -> dict[str, dict[str, object]]:
    index: dict[str, dict[str, object]] = {}
    for entry in legacy.ARG_RENAMES:
        for key in getattr(entry, keys):
            index.setdefault(key, {}).setdefault(entry.old, entry)
    return index


@pytest.mark.parametrize("keys, known", [("callables", knowledge.arg_renames_by_callable),
                                         ("methods", knowledge.arg_renames_by_method)])
def test_rename_indexes_answer_as_the_built_dictionaries(keys, known) -> None:
    built, index = _renames(keys), known()
    assert list(index) == list(built) and len(index) == len(built)
    for key, renames in built.items():
        assert key in index
        inner = index[key]
        assert list(inner) == list(renames) and len(inner) == len(renames)
        assert dict(inner.items()) == renames and index.get(key).get(next(iter(renames))) is next(iter(renames.values()))
        assert "not-a-keyword" not in inner and inner.get("not-a-keyword") is None and None not in inner
    assert "layers.NotALayer" not in index and index.get("layers.NotALayer") is None
    assert index.get("layers.NotALayer", {}) == {}
    with pytest.raises(KeyError):
        index["layers.NotALayer"]


def test_class_rename_index_answers_as_the_built_dictionary() -> None:
    built = {entry.old: entry for entry in legacy.CLASS_RENAMES}
    index = knowledge.class_renames()
    assert list(index) == list(built) and dict(index.items()) == built
    assert all(index[old] is entry and index.get(old) is entry for old, entry in built.items())
    assert "layers.NotALayer" not in index and index.get("layers.NotALayer") is None
    with pytest.raises(KeyError):
        index["layers.NotALayer"]


def test_key_questions_leave_the_tables_unbuilt() -> None:
    """A file that uses no Keras 1 name or keyword (most files) never builds the 210 records."""
    code = (
        "from keras_compat import knowledge\n"
        "from keras_compat.data import legacy\n"
        "by_callable = knowledge.arg_renames_by_callable()\n"
        "renames = by_callable.get('layers.Dense')\n"
        "asked = ('units' in renames, 'layers.Dense' in by_callable, set(renames), "
        "'fit_generator' in knowledge.arg_renames_by_method(), 'layers.Merge' in knowledge.class_renames(), "
        "knowledge.class_renames().get('layers.NotALayer'))\n"
        "print('ARG_RENAMES' in vars(legacy), 'CLASS_RENAMES' in vars(legacy))\n"
        "renames.get('output_dim')\n"
        "print('ARG_RENAMES' in vars(legacy), 'CLASS_RENAMES' in vars(legacy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:2] == ["False False", "True False"]


def test_module_move_index_answers_as_the_table() -> None:
    from keras_compat.data import modules

    moves = {}
    for move in modules.MODULE_MOVES:
        moves.setdefault(move.old, move)
    assert all(knowledge.module_move(old) is move for old, move in moves.items())
    assert knowledge.module_move("engine.topology.Layer") is moves["engine.topology"]
    assert knowledge.module_move("layers.Dense") is None  # a public module: not moved
    assert knowledge.module_move("layers.core.Dense") is moves["layers.core"]
    assert knowledge.moved_module_leaves() == frozenset(m.old.rsplit(".", 1)[-1] for m in modules.MODULE_MOVES)


def test_names_and_unmoved_paths_leave_the_module_moves_unbuilt() -> None:
    code = (
        "import sys\n"
        "from keras_compat import knowledge, names\n"
        "asked = (names.canonical('engine.topology.Layer'), names.raw_leaves({'layers.Layer'}), "
        "knowledge.module_move('layers.Dense'), knowledge.moved_module_leaves())\n"
        "print(asked[0], 'keras_compat.data.modules' in sys.modules)\n"
        "knowledge.module_move('engine.topology')\n"
        "print('keras_compat.data.modules' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:2] == ["layers.Layer False", "True"]
