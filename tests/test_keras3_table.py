"""The Keras 3 facts (keras_compat/data/keras3.py) checked against the released keras 3.15.1 wheel and TF 2.15.1.

Nothing is imported from Keras or TensorFlow: the package readers of ``tests/test_backend_table.py`` parse the
generated API files and sources with ``ast``.
"""

from __future__ import annotations

import ast
import functools
import re

import pytest

from test_backend_table import (
    BY_NAME,
    _exports,
    _keras3,
    _module_defs,
    _params,
    _tf,
    keras3_api,
    tf_api,
    tf_keras_defs,
    tf_path_exists,
    tf_signature,
)

from keras_compat.data.keras3 import (
    KERAS3_CHANGES,
    KERAS3_MODULES,
    KERAS3_OPS_DROP_IN,
    KERAS3_SHIM_ONLY,
    KERAS3_SHIM_ONLY_MODULES,
    KERAS3_VERSION,
    OPS_EQUIVALENTS,
)
from keras_compat.data.schema import Rewrite

SRC = "keras/src"
# TF defaults that differ textually from keras.ops' but mean the same: (file, the line that says so)
EQUIVALENT_DEFAULTS = {
    ("tf.one_hot", "axis"): ("tensorflow/python/ops/gen_array_ops.py", "  if axis is None:\n    axis = -1\n"),
}


def _public_modules(root) -> set[str]:
    return {".".join(p.parent.relative_to(root).parts) for p in root.rglob("__init__.py")}


@functools.cache
def native_modules() -> set[str]:
    root = _keras3() / "keras"
    return {m for m in _public_modules(root) if m.split(".")[0] not in ("src", "_tf_keras")}


@functools.cache
def shim_modules() -> set[str]:
    return _public_modules(_keras3() / "keras/_tf_keras/keras")


def _init(module: str, shim: bool = False):
    base = _keras3() / ("keras/_tf_keras/keras" if shim else "keras")
    return base.joinpath(*module.split("."), "__init__.py") if module else base / "__init__.py"


def _source_defs(relpath: str) -> dict[str, ast.AST]:
    return _module_defs(_keras3() / relpath)


def _method(relpath: str, cls: str, name: str) -> ast.FunctionDef:
    node = _source_defs(relpath)[cls]
    assert isinstance(node, ast.ClassDef)
    return next(n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == name)


# ---------------------------------------------------------------------------------------------------------
# modules and the tf.keras shim (KC107)


@pytest.mark.network
def test_version_matches_the_wheel():
    assert next(_keras3().glob("keras-*.dist-info")).name == f"keras-{KERAS3_VERSION}.dist-info"


@pytest.mark.network
def test_public_modules():
    assert KERAS3_MODULES == native_modules()


@pytest.mark.network
def test_shim_only_names_and_modules():
    expected: dict[str, frozenset[str]] = {}
    for module in shim_modules():
        if module not in native_modules():
            continue
        shim, native = _exports(_init(module, shim=True)), _exports(_init(module))
        extra = set(shim) - set(native)
        extra |= {n for n in set(shim) & set(native) if shim[n] != native[n] and shim[n][0].startswith("keras.src")}
        if extra:
            expected[module] = frozenset(extra)
    assert KERAS3_SHIM_ONLY == expected
    assert KERAS3_SHIM_ONLY_MODULES == shim_modules() - native_modules()


@pytest.mark.network
def test_shim_reexports_the_native_classes():
    """The shim's names that keras also has come from the same ``keras.src`` objects (same classes)."""
    for module in ("", "layers", "models", "optimizers", "callbacks", "losses"):
        native, shim = _exports(_init(module)), _exports(_init(module, shim=True))
        for name, origin in native.items():
            if name in shim and origin[0].startswith("keras.src") and name not in KERAS3_SHIM_ONLY.get(module, ()):
                assert shim[name] == origin, (module, name)


# ---------------------------------------------------------------------------------------------------------
# K.* -> keras.ops drop-in rewrites (KC301 fix under keras3)


def _ops_params(name: str) -> list[tuple[str, str | None]]:
    exports = _exports(_init("ops"))
    module, attr = exports[name]
    return _params(_module_defs(_keras3().joinpath(*module.split(".")).with_suffix(".py"))[attr])


def _drop_in(entry) -> bool:
    if entry.rewrite is not Rewrite.SAFE or not entry.in_tf_keras or not entry.keras3 or \
            not re.fullmatch(r"keras\.ops\.\w+", entry.keras3):
        return False
    ours = _params(tf_keras_defs()[entry.name])
    theirs = _ops_params(entry.keras3.rsplit(".", 1)[1])
    if len(theirs) < len(ours) or any(d is None for _, d in theirs[len(ours):]):
        return False
    return all((i == 0 or a[0] == b[0]) and a[1] == b[1] for i, (a, b) in enumerate(zip(ours, theirs)))


@pytest.mark.network
def test_ops_drop_in_set_is_exactly_the_compatible_safe_entries():
    assert KERAS3_OPS_DROP_IN == {name for name, entry in BY_NAME.items() if _drop_in(entry)}


# ---------------------------------------------------------------------------------------------------------
# tf.* -> keras.ops (KC304)


def test_ops_entries_unique():
    spellings = [s for e in OPS_EQUIVALENTS for s in (e.tf, *e.aliases)]
    assert len(spellings) == len(set(spellings))


def test_ops_entries_cite_version_and_source():
    for e in OPS_EQUIVALENTS:
        assert e.since == "Keras 3.0" and f"keras {KERAS3_VERSION} keras/src/ops/" in e.source, e.tf


@pytest.mark.network
def test_tf_names_exist_and_aliases_are_the_same_function():
    for e in OPS_EQUIVALENTS:
        assert tf_path_exists(e.tf), e.tf
        target = tf_api().resolve(e.tf)
        for alias in e.aliases:
            assert tf_path_exists(alias), alias
            assert tf_api().resolve(alias) == target, (alias, e.tf)


@pytest.mark.network
def test_ops_names_exist_in_the_wheel():
    exports = _exports(_init("ops"))
    for e in OPS_EQUIVALENTS:
        prefix, _, name = e.ops.rpartition(".")
        assert prefix == "keras.ops" and name in exports, e.ops
        assert isinstance(keras3_api().resolve(e.ops), tuple), e.ops
        module, attr = exports[name]
        assert module.replace(".", "/") == f"{SRC}/ops/" + e.source.split(f"{SRC}/ops/")[1].split(".py")[0], e.tf


@pytest.mark.network
def test_fixable_arguments_line_up():
    """``positional`` parameters exist in both; every listed keyword exists in both with the same default."""
    for e in OPS_EQUIVALENTS:
        if not e.fixable:
            continue
        ours = tf_signature(e.tf)
        theirs = _ops_params(e.ops.rsplit(".", 1)[1])
        assert len(ours) >= e.positional and len(theirs) >= e.positional, e.tf
        assert all(d is None or i < e.positional for i, (_, d) in enumerate(theirs) if d is None), e.tf
        required_theirs = [n for n, d in theirs if d is None]
        assert len(required_theirs) <= e.positional, (e.tf, required_theirs)
        tf_defaults, ops_defaults = dict(ours), dict(theirs)
        for kw in e.keywords:
            assert kw in tf_defaults and kw in ops_defaults, (e.tf, kw)
            # a keyword TF requires is always passed, so only optional ones must share the default
            if (e.tf, kw) in EQUIVALENT_DEFAULTS:
                relpath, needle = EQUIVALENT_DEFAULTS[(e.tf, kw)]
                assert needle in (_tf() / relpath).read_text(encoding="utf-8"), (e.tf, kw)
                continue
            assert tf_defaults[kw] is None or tf_defaults[kw] == ops_defaults[kw], (e.tf, kw, tf_defaults[kw],
                                                                                    ops_defaults[kw])


@pytest.mark.network
def test_notes_name_real_paths():
    token = re.compile(r"(?<![\w.])(?:tf|keras)(?:\.[A-Za-z_]\w*)+")
    for e in OPS_EQUIVALENTS:
        for path in token.findall(e.note):
            ok = tf_path_exists(path) if path.startswith("tf.") else keras3_api().resolve(path) is not None
            assert ok, (e.tf, path)


# ---------------------------------------------------------------------------------------------------------
# group 5: removals and behaviour changes


def _text(node: ast.AST) -> str:
    return ast.unparse(node)


@pytest.mark.network
def test_save_model_facts():
    save_model = _source_defs(f"{SRC}/saving/saving_api.py")["save_model"]
    text = _text(save_model)
    params = [a.arg for a in save_model.args.args]
    assert params == ["model", "filepath", "overwrite", "zipped"] and save_model.args.kwarg is not None
    popped = set(re.findall(r"kwargs\.pop\('(\w+)'", text))
    assert set(KERAS3_CHANGES["save_model.keywords"].values) == set(params[1:]) | popped
    assert "if kwargs:" in text and "raise ValueError" in text
    for ext in KERAS3_CHANGES["save_model.extensions"].values:
        assert f"'{ext}'" in text, ext
    assert "Invalid filepath extension for saving" in text and "model.export(filepath)" in text
    assert "considered legacy" in text and "('.h5', '.hdf5')" in text
    assert KERAS3_CHANGES["save_model.legacy_extensions"].values == (".h5", ".hdf5")
    assert "save_format = kwargs.pop('save_format', False)" in text
    assert "The `save_format` argument is deprecated in Keras 3" in text
    # Model.save forwards to saving_api.save_model
    assert "saving_api.save_model" in _text(_method(f"{SRC}/models/model.py", "Model", "save"))


@pytest.mark.network
def test_save_weights_facts():
    text = _text(_source_defs(f"{SRC}/saving/saving_api.py")["save_weights"])
    suffix = KERAS3_CHANGES["save_weights.suffix"].values[0]
    assert f"not filepath_str.endswith('{suffix}')" in text and "raise ValueError" in text
    method = _method(f"{SRC}/models/model.py", "Model", "save_weights")
    assert [a.arg for a in method.args.args] == ["self", "filepath", "overwrite", "max_shard_size"]
    assert method.args.kwarg is None  # save_format= is a TypeError


@pytest.mark.network
def test_add_metric_and_add_loss_facts():
    add_metric = _method(f"{SRC}/layers/layer.py", "Layer", "add_metric")
    assert any(isinstance(n, ast.Raise) and "NotImplementedError" in _text(n) for n in ast.walk(add_metric))
    assert len([n for n in add_metric.body if not isinstance(n, ast.Expr)]) == 1  # nothing but the raise
    functional = _method(f"{SRC}/models/functional.py", "Functional", "add_loss")
    assert [type(n) for n in functional.body] == [ast.Raise]
    layer_add_loss = _text(_method(f"{SRC}/layers/layer.py", "Layer", "add_loss"))
    assert "if not backend.is_tensor(x):" in layer_add_loss and "raise ValueError" in layer_add_loss


@pytest.mark.network
def test_fit_data_loading_keywords_are_gone():
    removed = set(KERAS3_CHANGES["fit.data_loading_keywords"].values)
    backends = ("tensorflow", "jax", "torch", "numpy", "openvino")
    files = [f"{SRC}/trainers/trainer.py"] + [f"{SRC}/backend/{b}/trainer.py" for b in backends]
    checked = 0
    for relpath in files:
        for cls in _source_defs(relpath).values():
            if not isinstance(cls, ast.ClassDef):
                continue
            for method in cls.body:
                if isinstance(method, ast.FunctionDef) and method.name in ("fit", "evaluate", "predict"):
                    names = {a.arg for a in method.args.args + method.args.kwonlyargs}
                    assert not names & removed, (relpath, method.name)
                    if method.args.kwarg is not None:  # evaluate(**kwargs): anything unknown raises
                        assert re.search(r"raise (ValueError|NotImplementedError)", _text(method)), relpath
                    checked += 1
    assert checked >= 15
    init = _method(f"{SRC}/trainers/data_adapters/py_dataset_adapter.py", "PyDataset", "__init__")
    assert removed <= {a.arg for a in init.args.args}


def test_every_change_cites_the_wheel():
    for change in KERAS3_CHANGES.values():
        assert f"keras {KERAS3_VERSION} keras/src/" in change.source and change.since == "Keras 3.0", change.key
