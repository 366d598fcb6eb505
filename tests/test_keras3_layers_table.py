"""The layer-contract facts (keras_compat/data/keras3_layers.py) checked against the keras 3.15.1 wheel,
tf-keras 2.15 and TensorFlow 2.15.1 sources.

Nothing is imported from Keras or TensorFlow: the sources are parsed with ``ast`` (the package readers of
``tests/test_backend_table.py``). The rules' claims are also run on Keras 3.15.1 by
``tests/test_rule_execution.py``.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_backend_table import _exports, _keras3, _tf, _tf_keras, keras3_api, tf_keras_api

from keras_compat.data import keras3_layers as table
from keras_compat.data.keras3 import KERAS3_VERSION

pytestmark = pytest.mark.network  # reads the keras and tensorflow-cpu wheels (downloaded once, cached)

SRC = "keras/src"


@functools.cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _defs(path: Path) -> dict[str, ast.AST]:
    return {n.name: n for n in _tree(path).body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}


def _module_file(module: str) -> Path:
    return _keras3().joinpath(*module.split(".")).with_suffix(".py")


def _exported_class(path: str) -> tuple[Path, ast.ClassDef]:
    """``layers.Dense`` -> (source file, class definition) through the generated ``keras/layers`` API."""
    module, _, name = path.rpartition(".")
    exports = _exports(_keras3().joinpath("keras", *module.split("."), "__init__.py"))
    source_module, source_name = exports[name]
    file = _module_file(source_module)
    node = _defs(file)[source_name]
    assert isinstance(node, ast.ClassDef), path
    return file, node


def _base_class(file: Path, base: ast.expr) -> tuple[Path, ast.ClassDef] | None:
    """The class a base expression names, followed through the module's ``from keras.src... import``."""
    if isinstance(base, ast.Attribute) and base.attr == "Layer":
        return None
    if not isinstance(base, ast.Name) or base.id == "Layer":
        return None
    local = _defs(file).get(base.id)
    if isinstance(local, ast.ClassDef):
        return file, local
    for node in _tree(file).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("keras.src"):
            for alias in node.names:
                if (alias.asname or alias.name) == base.id:
                    other = _module_file(node.module)
                    found = _defs(other).get(alias.name)
                    if isinstance(found, ast.ClassDef):
                        return other, found
    raise AssertionError(f"cannot follow base {ast.unparse(base)} of {file}")


def _mro(path: str) -> Iterator[tuple[Path, ast.ClassDef]]:
    """The class and its bases in the wheel, up to (excluding) ``Layer``."""
    stack = [_exported_class(path)]
    while stack:
        file, cls = stack.pop(0)
        yield file, cls
        stack.extend(found for found in (_base_class(file, b) for b in cls.bases) if found is not None)


def _method(cls: ast.ClassDef, name: str) -> ast.FunctionDef | None:
    return next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


def _layer_method(name: str) -> ast.FunctionDef:
    cls = _defs(_keras3() / SRC / "layers/layer.py")["Layer"]
    assert isinstance(cls, ast.ClassDef)
    method = _method(cls, name)
    assert method is not None, name
    return method


def _text(node: ast.AST) -> str:
    return ast.unparse(node)


def _positional(func: ast.FunctionDef) -> list[str]:
    return [a.arg for a in func.args.args]


def _class_attributes(cls: ast.ClassDef) -> set[str]:
    """Names a class defines: methods, properties, class assignments and ``self.X = ...`` in its methods."""
    names = {n.name for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in ast.walk(cls):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and \
                isinstance(node.value, ast.Name) and node.value.id == "self":
            names.add(node.attr)
    for node in cls.body:
        if isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _standardize_shape() -> str:
    return _text(_defs(_keras3() / SRC / "backend/common/variables.py")["standardize_shape"])


# ---------------------------------------------------------------------------------------------------------


def test_every_entry_cites_the_wheel():
    for change in table.CONTRACT.values():
        assert f"keras {KERAS3_VERSION} {SRC}/" in change.source, change.key
    for entry in table.REMOVED_ATTRIBUTES:
        assert entry.source and entry.advice and set(entry.targets) <= {"tf-keras", "keras3"}, entry.name


def test_build_receives_tuples():
    shapes = _text(_defs(_keras3() / SRC / "layers/layer.py")["get_shapes_dict"])
    assert "backend.standardize_shape(x.shape)" in shapes
    standardize = _standardize_shape()
    assert "return tuple(standardized_shape)" in standardize
    tensor_shape = _defs(_tf() / "tensorflow/python/framework/tensor_shape.py")["TensorShape"]
    assert isinstance(tensor_shape, ast.ClassDef)
    members = {n.name for n in tensor_shape.body if isinstance(n, ast.FunctionDef)}
    for name in table.CONTRACT["build.shape_tuples"].values:
        assert name in members, name  # a TensorShape method or property ...
        assert not hasattr(tuple, name), name  # ... that a tuple lacks


def test_dimensions_are_ints_under_tf2():
    source = _tf() / "tensorflow/python/framework/tensor_shape.py"
    tensor_shape = _defs(source)["TensorShape"]
    assert isinstance(tensor_shape, ast.ClassDef)
    getitem = _text(_method(tensor_shape, "__getitem__"))  # type: ignore[arg-type]
    assert "self._v2_behavior" in getitem
    dimension = _defs(source)["Dimension"]
    assert isinstance(dimension, ast.ClassDef) and _method(dimension, "value") is not None
    assert table.CONTRACT["shape.dimension_value"].values == ("value",)


def test_compute_output_shape_builds_the_symbolic_outputs():
    spec = _text(_layer_method("compute_output_spec"))
    assert "utils.is_default(self.compute_output_shape)" in spec and "self.compute_output_shape(" in spec
    assert "Cannot convert" in _standardize_shape()


def test_int_shapes_are_rejected():
    assert "Cannot convert" in _standardize_shape() and "__iter__" in _standardize_shape()
    layer = _keras3() / SRC / "layers/core/input_layer.py"
    assert "standardize_shape(shape)" in layer.read_text(encoding="utf-8")
    for path in table.CONTRACT["shape.int"].values:
        assert keras3_api().resolve("keras." + path) is not None, path
    add_weight = _layer_method("add_weight")
    assert [a.arg for a in add_weight.args.kwonlyargs][0] == "shape"


def test_add_weight_positional_rules():
    add_weight = _layer_method("add_weight")
    text = _text(add_weight)
    assert add_weight.args.vararg is not None and _positional(add_weight) == ["self"]
    limit = table.CONTRACT["add_weight.positional"].values[0]
    assert f"len(args) > {limit}" in text
    assert "`name` must be passed as a keyword argument" in text and "isinstance(shape_arg, str)" in text
    assert "`shape` was passed both positionally and as a keyword argument" in text


def test_mask_is_a_structure_of_masks():
    call = _text(_layer_method("__call__"))
    assert "tree.map_structure(backend.get_keras_mask, only_tensor_arg)" in call
    assert "kwargs['mask'] = mask" in call


def test_metrics_names():
    trainer = _defs(_keras3() / SRC / "trainers/trainer.py")["Trainer"]
    assert isinstance(trainer, ast.ClassDef)
    assert "[m.name for m in self.metrics]" in _text(_method(trainer, "metrics_names"))  # type: ignore[arg-type]
    own = _text(_method(trainer, "_get_own_metrics"))  # type: ignore[arg-type]
    assert "self._loss_tracker" in own and "self._compile_metrics" in own
    compile_metrics = _defs(_keras3() / SRC / "trainers/compile_utils.py")["CompileMetrics"]
    assert "self.name = 'compile_metrics'" in _text(compile_metrics)
    assert table.CONTRACT["metrics_names"].values == ("metrics_names", "compile_metrics")


def test_rnn_signatures():
    rnn = _defs(_keras3() / SRC / "layers/rnn/rnn.py")["RNN"]
    assert isinstance(rnn, ast.ClassDef)
    assert _positional(_method(rnn, "build")) == ["self", "sequences_shape", "initial_state_shape"]  # type: ignore
    assert "_shape` suffix and match an argument" in (_keras3() / SRC / "layers/layer.py").read_text()
    for path in table.RNN_LAYERS:
        calls = [(f, _method(c, "call")) for f, c in _mro(path) if _method(c, "call") is not None]
        assert calls, path
        params = _positional(calls[0][1])  # type: ignore[arg-type]
        assert params[1] == "sequences" and "constants" not in params, (path, params)
        builds = [_method(c, "build") for _, c in _mro(path) if _method(c, "build") is not None]
        assert builds and len(_positional(builds[0])) == 3, path  # type: ignore[arg-type]


def test_seed_layers_create_a_seed_generator():
    names = {p.rsplit(".", 1)[1] for p in table.SEED_LAYERS}
    for path in table.SEED_LAYERS:
        seeded = False
        for _, cls in _mro(path):
            init = _method(cls, "__init__")
            if init is not None and "SeedGenerator(" in _text(init):
                seeded = True
                break
        assert seeded, path
    assert "Dropout" in names


def test_own_variable_layers_save_a_fixed_list():
    for path in table.OWN_VARIABLE_LAYERS:
        savers = [cls for _, cls in _mro(path) if _method(cls, "save_own_variables") is not None]
        assert savers, path
        saver = _text(_method(savers[0], "save_own_variables"))  # type: ignore[arg-type]
        own = "self.kernel" in saver or "variable_serialization_spec" in saver
        assert own and "_trainable_variables" not in saver, path  # its own weights only, not every variable
    check = _text(_layer_method("_check_load_own_variables"))
    assert "expected" in check and "variables during loading" in check


def test_readonly_properties_have_no_setter():
    for path, attrs in table.READONLY_PROPERTIES.items():
        file, _ = _exported_class(path)
        assert file.as_posix().endswith(f"{SRC}/{table.LAYER_SOURCES[path]}"), path
        for attr in attrs:
            for _, cls in _mro(path):
                method = _method(cls, attr)
                if method is None:
                    continue
                assert any(_text(d) == "property" for d in method.decorator_list), (path, attr)
                setters = [n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == attr and
                           any(_text(d) == f"{attr}.setter" for d in n.decorator_list)]
                assert not setters, (path, attr)
                break
            else:
                raise AssertionError(f"{path}.{attr} is not a property in the wheel")
    assert set(table.LAYER_SOURCES) == set(table.READONLY_PROPERTIES) == set(table.OWN_VARIABLE_LAYERS)


def test_removed_attributes():
    layer = _defs(_keras3() / SRC / "layers/layer.py")["Layer"]
    operation = _defs(_keras3() / SRC / "ops/operation.py")["Operation"]
    keras_tensor = _defs(_keras3() / SRC / "backend/common/keras_tensor.py")["KerasTensor"]
    functional = _defs(_keras3() / SRC / "models/functional.py")["Functional"]
    tf_layer = _defs(_tf_keras() / "tf_keras/src/engine/base_layer.py")["Layer"]
    for cls in (layer, operation, keras_tensor, functional, tf_layer):
        assert isinstance(cls, ast.ClassDef)
    keras3_names = _class_attributes(layer) | _class_attributes(operation) | _class_attributes(keras_tensor)  # type: ignore
    sources = [p for p in (*(_keras3() / SRC).rglob("*.py"), *(_tf_keras() / "tf_keras/src").rglob("*.py"))
               if not p.name.endswith("_test.py")]
    for entry in table.REMOVED_ATTRIBUTES:
        if entry.chain:
            history = _text(_defs(_keras3() / SRC / "ops/node.py")["KerasHistory"])
            assert "'operation', 'node_index', 'tensor_index'" in history and f"'{entry.chain}'" not in history
            continue
        assert entry.name not in keras3_names, entry.name
        if entry.name in ("output_shape", "input_shape"):
            assert entry.name in _class_attributes(functional), entry.name  # type: ignore[arg-type]
        if "tf-keras" in entry.targets:
            # never set on symbolic tensors or layers; only the backend's variable() marks a variable (the rule
            # skips names bound to a backend call)
            assert _attribute_functions(sources, entry.name) <= {"variable", "repeat_elements"}, entry.name
        else:
            assert entry.name in _class_attributes(tf_layer), entry.name  # type: ignore[arg-type]


def _attribute_functions(files: list[Path], attr: str) -> set[str]:
    """Names of the functions whose bodies mention ``.attr`` (``<module>`` outside any)."""
    found = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        if f".{attr}" not in text:
            continue
        tree = ast.parse(text)
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == attr:
                current = parents.get(node)
                while current is not None and not isinstance(current, ast.FunctionDef):
                    current = parents.get(current)
                found.add(current.name if current is not None else "<module>")
    return found


def test_add_loss_and_add_update():
    assert _positional(_layer_method("add_loss")) == ["self", "loss"]
    layer = _defs(_keras3() / SRC / "layers/layer.py")["Layer"]
    assert isinstance(layer, ast.ClassDef) and _method(layer, "add_update") is None
    tf_layer = _defs(_tf_keras() / "tf_keras/src/engine/base_layer.py")["Layer"]
    assert isinstance(tf_layer, ast.ClassDef)
    assert _method(tf_layer, "add_update") is not None
    tf_add_loss = _method(tf_layer, "add_loss")
    assert tf_add_loss is not None and tf_add_loss.args.kwarg is not None and "'inputs'" in _text(tf_add_loss)


def test_tf_rnn_cells():
    init = _tf() / "tensorflow/_api/v2/compat/v1/nn/rnn_cell/__init__.py"
    assert set(table.TF_RNN_CELLS) == set(_exports(init))
    for advice in table.TF_RNN_CELLS.values():
        for word in advice.replace(",", " ").split():
            if word.startswith("keras.layers."):
                assert keras3_api().resolve(word) is not None, word


def test_removed_name_hints_are_removed():
    for path in table.REMOVED_NAME_HINTS:
        assert keras3_api().resolve("keras." + path) is None, path
        module, _, name = path.rpartition(".")
        shim = _exports(_keras3().joinpath("keras/_tf_keras/keras", *module.split("."), "__init__.py"))
        assert name not in shim, path
        assert tf_keras_api("_v2").resolve("keras." + path) is not None, path
