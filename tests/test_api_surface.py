"""The shipped API surfaces (``keras_compat/data/api``) are current, and their lookups answer what the real
packages say.

The staleness test downloads the reference wheels (cached, see ``support/pypi.py``; skipped with the reason
when the index is unreachable), extracts them again with the package's own extractor and compares the bytes
with the shipped files. Regenerate with ``python scripts/generate_api_surface.py``. The facts asserted below
were read in the wheels' sources (paths in the comments).
"""

from __future__ import annotations

import json
import time
from importlib import resources

import pytest

from keras_compat.names import Flavour
from keras_compat.surface.extract import REFERENCES, build, encode
from keras_compat.surface.model import Surface, data_file_name, load_document, surface_for
from support.pypi import fetch_or_skip


@pytest.mark.network
@pytest.mark.parametrize("target", sorted(REFERENCES))
def test_shipped_surface_is_current(target):
    distribution, version = REFERENCES[target]
    fresh = encode(build(target, fetch_or_skip(distribution, version)))
    name = data_file_name(distribution, version)
    shipped = resources.files("keras_compat.data").joinpath("api").joinpath(name).read_bytes()
    if fresh != shipped:
        old, new = json.loads(shipped), json.loads(fresh)
        assert old == new, f"{data_file_name(distribution, version)} is stale: run scripts/generate_api_surface.py"
        pytest.fail("same content, different bytes: run scripts/generate_api_surface.py")


@pytest.mark.parametrize("target", sorted(REFERENCES))
def test_document_records_its_release(target):
    document = load_document(target)
    assert (document["distribution"], document["version"]) == REFERENCES[target]
    assert document["format"] == 1


def _tfk() -> Surface:
    return surface_for(Flavour.TF_KERAS, "tf-keras")


def _k3() -> Surface:
    return surface_for(Flavour.KERAS, "keras3")


def _k3_tf() -> Surface:
    return surface_for(Flavour.TF_KERAS, "keras3")


def test_flavours_map_to_surfaces():
    assert surface_for(Flavour.KERAS, "tf-keras") is _tfk() and surface_for(Flavour.TF_KERAS_PKG, "keras3") is _tfk()
    assert _k3().name == "keras" and _k3_tf().name == "tf.keras"
    assert surface_for(Flavour.TF_PYTHON, "tf-keras") is None
    assert _tfk().label == "tf-keras 2.15.0" and _k3().label == "Keras 3.15.1"


def test_modules_and_names():
    tfk, k3, k3_tf = _tfk(), _k3(), _k3_tf()
    for surface in (tfk, k3, k3_tf):
        assert surface.has_module("") and surface.has_module("layers") and surface.has_name("layers.Dense")
        assert surface.has_name("Model") and surface.has_name("layers") and surface.has_name("optimizers.Adam")
        assert not surface.has_name("layers.CuDNNLSTM")  # removed in TF 2.0 (compat.v1 only)
    # tf_keras/api/_v2/keras/layers/experimental/preprocessing/__init__.py exists; Keras 3 has no such package
    assert tfk.has_module("layers.experimental.preprocessing") and not k3.has_module("layers.experimental")
    # keras/src/legacy/layers.py ThresholdedReLU is exported only by keras/_tf_keras/keras/layers/__init__.py
    assert tfk.has_name("layers.ThresholdedReLU") and k3_tf.has_name("layers.ThresholdedReLU")
    assert not k3.has_name("layers.ThresholdedReLU")
    # keras/_tf_keras/keras/preprocessing/text exists, keras/preprocessing/ has only image and sequence
    assert k3_tf.has_name("preprocessing.text.Tokenizer") and not k3.has_module("preprocessing.text")
    assert k3.has_module("ops") and not tfk.has_module("ops")
    assert not any(name.startswith("_") for name in k3.names(""))
    assert "layers" in k3.modules_exporting("Dense")


def test_signatures():
    tfk, k3 = _tfk(), _k3()
    dense = tfk.signature("layers.Dense")
    assert dense.kind == "class" and dense.var_kw == "layer"
    assert {"units", "kernel_initializer", "input_shape", "name", "kernel_layout"} <= dense.accepted
    assert "output_dim" not in dense.accepted and "init" not in dense.accepted
    # tf_keras/src/engine/base_layer.py Layer.__init__: allowed_kwargs + explicit parameters
    assert {"input_dim", "input_shape", "batch_input_shape", "batch_size", "weights", "activity_regularizer",
            "autocast", "implementation", "trainable", "name", "dtype", "dynamic"} == tfk.layer_kwargs
    # keras/src/layers/layer.py Layer.__init__: keyword-only parameters + kwargs.pop("input_dim"/"input_shape")
    assert {"activity_regularizer", "trainable", "dtype", "autocast", "name", "input_dim", "input_shape"} == \
        k3.layer_kwargs
    k3_dense = k3.signature("layers.Dense")
    assert k3_dense.var_kw == "layer" and "batch_input_shape" not in k3_dense.accepted
    assert {"lora_rank", "input_shape"} <= k3_dense.accepted
    # RNN layers reach Layer through DropoutRNNCellMixin/RNN (C3 order): RNN pops input_length in tf-keras
    lstm = tfk.signature("layers.LSTM")
    assert lstm.var_kw == "layer" and {"units", "input_length", "implementation"} <= lstm.accepted
    assert tfk.signature("optimizers.Adam").params.count("learning_rate") == 1
    assert "lr" not in tfk.signature("optimizers.Adam").params  # popped from **kwargs with a warning
    assert k3.signature("Sequential").var_kw == "none"
    assert tfk.signature("Model").var_kw == "any"  # Model(...) dispatches to Functional: not bounded
    assert k3.signature("ops.matmul").kind == "function"
    assert tfk.signature("layers") is None


def test_model_methods():
    tfk, k3 = _tfk(), _k3()
    assert "epochs" in tfk.method_signature("Model", "fit").accepted
    assert tfk.method_signature("Model", "fit").var_kw == "none"
    assert "nb_epoch" not in k3.method_signature("Model", "fit").accepted
    assert "workers" in tfk.method_signature("Model", "predict").accepted
    assert "workers" not in k3.method_signature("Model", "predict").accepted  # removed in Keras 3
    assert tfk.method_signature("Model", "fit_generator") is None


def test_load_time_is_small():
    load_document.cache_clear()
    start = time.perf_counter()
    for target in REFERENCES:
        load_document(target)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("target", sorted(REFERENCES))
def test_signature_table_decoded_apart_is_the_same_document(target):
    """The signature table is split from the document's text and decoded on first use: the parts must make
    exactly the document decoded whole, and every surface must see the same table."""
    from keras_compat.surface import model

    with open(f"{model._API_DIR}/{data_file_name(*REFERENCES[target])}", "rb") as raw:
        whole = json.loads(raw.read())
    document, signatures = model._parts(target)
    assert signatures is not None and "signatures" not in document  # the split applies to the shipped files
    assert load_document(target) == whole and list(load_document(target)) == list(whole)
    # each entry is decoded alone when a rule asks for it (model._signature_entry): the split of the table's
    # text must give exactly the whole decode's entries, in order
    assert len(model._entry_starts(target)) == len(whole["signatures"]) > 100
    assert [model._signature_entry(target, i) for i in range(len(whole["signatures"]))] == whole["signatures"]
    for name in whole["surfaces"]:
        # the module tables are cut from the text too, each module decoded when asked for (model._Modules)
        tables = document["surfaces"][name]["modules"]
        assert isinstance(tables, model._Modules) and list(tables) == list(whole["surfaces"][name]["modules"])
        assert "no.such.module" not in tables and tables.get("no.such.module") is None
        surface = model._surface(target, name)
        for module, names in surface._modules.items():
            for attr, index in names.items():
                if index is not None:
                    assert surface.signature(f"{module}.{attr}".lstrip(".")).to_json() == whole["signatures"][index]
