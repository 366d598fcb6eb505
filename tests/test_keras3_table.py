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
    _tf_keras,
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
    KERAS3_OPS_REWRITES,
    KERAS3_SHIM_ONLY,
    KERAS3_SHIM_ONLY_MODULES,
    KERAS3_VERSION,
    OPS_EQUIVALENTS,
)

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


@functools.cache
def tf_keras_training() -> ast.Module:
    return ast.parse((_tf_keras() / "tf_keras/src/engine/training.py").read_text(encoding="utf-8"))


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


def _legacy_params(name: str) -> list[tuple[str, str | None]]:
    return _params(_source_defs(f"{SRC}/legacy/backend.py")[name])


@pytest.mark.network
def test_ops_rewrites_line_up_with_both_signatures():
    """Each K function's parameters map position by position onto the keras.ops function's: same name unless
    renamed, same default unless the Keras 2 default is written out; the ones keras.ops lacks are ``dropped``;
    keras.ops' extra parameters have defaults. Read from the keras 3.15.1 wheel (legacy backend = the shim's
    K.*) and checked to equal tf-keras 2.15's signatures."""
    for name, rewrite in KERAS3_OPS_REWRITES.items():
        ours = _legacy_params(name)
        assert ours == _params(tf_keras_defs()[name]), name
        assert rewrite.parameters == tuple(p for p, _ in ours), name
        prefix, _, leaf = rewrite.ops.rpartition(".")
        assert prefix == "keras.ops", rewrite.ops
        theirs = _ops_params(leaf)
        kept = [(p, d) for p, d in ours if p not in rewrite.dropped]
        assert [p for p, _ in ours[: len(kept)]] == [p for p, _ in kept], f"{name}: dropped parameters come last"
        renames, written = dict(rewrite.keywords), dict(rewrite.defaults)
        assert set(renames) | set(rewrite.dropped) <= set(rewrite.parameters), name
        assert len(theirs) >= len(kept), name
        ops_defaults = dict(theirs)
        for (param, default), (other, other_default) in zip(kept, theirs):
            assert renames.get(param, param) == other, (name, param, other)
            if other in written:  # the Keras 2 default, written out because keras.ops' differs
                assert written[other] == default and other_default != default, (name, param)
            else:  # a parameter K requires is always passed: keras.ops' default never applies
                assert default is None or default == other_default, (name, param, default, other_default)
        extra = [p for p, _ in theirs[len(kept):]]
        assert all(ops_defaults[p] is not None for p in extra), name
        for keyword, value in written.items():  # an extra keras.ops keyword that K's behaviour fixes
            assert keyword in ops_defaults and ops_defaults[keyword] != value, (name, keyword)
        module = _exports(_init("ops"))[leaf][0]
        assert f"keras/src/ops/{module.rsplit('.', 1)[1]}.py {leaf}" in rewrite.source, (name, module)
        assert f"keras {KERAS3_VERSION}" in rewrite.source and rewrite.since == "Keras 3.0", name


def test_ops_rewrites_write_names_of_the_shipped_keras3_surface():
    """What the keras3 fixes write (``keras.ops.X``) exists in data/api/keras-3.15.1.json too."""
    from keras_compat.surface.model import native_keras3_surface

    surface = native_keras3_surface()
    for rewrite in KERAS3_OPS_REWRITES.values():
        assert surface.has_name(rewrite.ops.split(".", 1)[1]), rewrite.ops


def test_ops_rewrites_cover_the_backend_table_and_the_shim():
    for name in KERAS3_OPS_REWRITES:
        assert name in BY_NAME and BY_NAME[name].in_tf_keras, name


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


@pytest.mark.network
def test_model_checkpoint_facts():
    init = _method(f"{SRC}/callbacks/model_checkpoint.py", "ModelCheckpoint", "__init__")
    text = _text(init)
    assert "if not self.filepath.endswith('.weights.h5')" in text and "raise ValueError" in text
    assert KERAS3_CHANGES["save_weights.suffix"].values == (".weights.h5",)
    exts = KERAS3_CHANGES["model_checkpoint.extensions"].values
    assert f"for ext in {exts!r}" in text.replace('"', "'"), text
    assert "period" not in {a.arg for a in init.args.args}


@pytest.mark.network
def test_optimizers_have_learning_rate_and_no_lr():
    text = (_keras3() / f"{SRC}/optimizers/base_optimizer.py").read_text(encoding="utf-8")
    assert "def learning_rate(self)" in text and "@learning_rate.setter" in text
    assert not re.search(r"def lr\b|\blr = property|self\.lr\b", text)
    assert KERAS3_CHANGES["optimizer.learning_rate"].values == ("learning_rate",)


@pytest.mark.network
def test_data_loading_defaults():
    init = _method(f"{SRC}/trainers/data_adapters/py_dataset_adapter.py", "PyDataset", "__init__")
    defaults = {f"{a.arg}={_text(d)}" for a, d in zip(init.args.args[-len(init.args.defaults):], init.args.defaults)}
    assert set(KERAS3_CHANGES["fit.data_loading_defaults"].values) == defaults
    fit = next(n for n in ast.walk(tf_keras_training()) if isinstance(n, ast.FunctionDef) and n.name == "fit")
    fit_defaults = {f"{a.arg}={_text(d)}" for a, d in zip(fit.args.args[-len(fit.args.defaults):], fit.args.defaults)}
    assert defaults <= fit_defaults
