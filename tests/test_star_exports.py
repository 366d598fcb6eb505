"""The shipped star-export tables of standalone Keras (``keras_compat/data/stars``) are current, and say what
the real releases' sources say.

The staleness test downloads keras 1.2.2 and 2.2.4 (cached, see ``support/pypi.py``; skipped with the reason
when the index is unreachable), extracts them again with the package's own extractor (the project index run
over Keras' sources) and compares with the shipped files. Regenerate with
``python scripts/generate_star_exports.py``. The facts asserted below were read in the releases' sources
(paths in the comments).
"""

from __future__ import annotations

import gzip
import json
import sys
from importlib import resources
from pathlib import Path

import pytest

from keras_compat.knowledge import star_export
from keras_compat.surface import stars

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))


@pytest.mark.network
@pytest.mark.parametrize("distribution,version", stars.RELEASES)
def test_shipped_star_exports_are_current(distribution: str, version: str) -> None:
    from generate_star_exports import site_of
    from support.pypi import fetch_or_skip

    fresh = stars.encode(stars.extract(site_of(fetch_or_skip(distribution, version)), distribution, version))
    shipped = resources.files("keras_compat.data").joinpath("stars").joinpath(
        stars.file_name(distribution, version)).read_bytes()
    if fresh != shipped:
        assert json.loads(gzip.decompress(shipped)) == json.loads(gzip.decompress(fresh)), \
            "stale: run scripts/generate_star_exports.py"
        pytest.fail("same content, different bytes: run scripts/generate_star_exports.py")


@pytest.mark.parametrize("distribution,version", stars.RELEASES)
def test_table_records_its_release(distribution: str, version: str) -> None:
    document = stars.load(distribution, version)
    assert (document["distribution"], document["version"], document["format"]) == (distribution, version, 1)


@pytest.mark.parametrize("module,name,version,expected", [
    # keras 2.2.4 keras/layers/core.py: from .. import backend as K; from .. import activations; import numpy as np
    ("keras.layers", "K", "2.2.4", ["m", "keras.backend"]),
    ("keras.layers", "activations", "2.2.4", ["m", "keras.activations"]),
    ("keras.layers", "np", "2.2.4", ["x", "numpy"]),
    # keras 2.2.4 keras/layers/__init__.py: from ..engine.base_layer import Layer; from ..legacy.layers import *
    ("keras.layers", "Layer", "2.2.4", ["c", "keras.engine.base_layer.Layer"]),
    ("keras.layers", "Recurrent", "2.2.4", ["c", "keras.legacy.layers.Recurrent"]),
    ("keras.layers", "Dense", "2.2.4", ["c", "keras.layers.core.Dense"]),
    # keras 2.2.4 keras/layers/core.py: from ..utils.generic_utils import func_dump
    ("keras.layers", "func_dump", "2.2.4", ["o", "keras.utils.generic_utils.func_dump"]),
    # keras 1.2.2 keras/layers/__init__.py: from ..engine import Layer, Input, InputLayer, Merge, merge, InputSpec
    ("keras.layers", "Merge", "1.2.2", ["c", "keras.engine.topology.Merge"]),
    # keras 1.2.2 keras/layers/core.py: from .. import initializations
    ("keras.layers", "initializations", "1.2.2", ["m", "keras.initializations"]),
    ("keras.layers", "K", "1.2.2", ["m", "keras.backend"]),
    # keras 1.2.2 keras/models.py: from . import backend as K; from . import optimizers
    ("keras.models", "optimizers", "1.2.2", ["m", "keras.optimizers"]),
])
def test_facts_read_in_the_sources(module: str, name: str, version: str, expected: list[str]) -> None:
    assert stars.load("keras", version)["modules"][module]["names"][name] == expected


def test_underscore_names_and_future_features_are_not_exported() -> None:
    names = stars.load("keras", "2.2.4")["modules"]["keras.layers"]["names"]
    assert "absolute_import" not in names and not [n for n in names if n.startswith("_")]


def test_star_export_lookup() -> None:
    assert star_export("keras.layers", "K") == "keras.backend"
    assert star_export("keras.layers", "np") == "numpy"
    assert star_export("keras.layers", "Dense") == "keras.layers.Dense"
    assert star_export("keras.layers", "no_such_name") is None
    assert star_export("tensorflow.keras.layers", "Dense") == "tensorflow.keras.layers.Dense"  # the API tables
    assert star_export("tensorflow.keras.layers", "K") is None
