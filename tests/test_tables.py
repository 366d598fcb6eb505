"""Validate the legacy/module knowledge tables against the SOURCE of real Keras releases.

Nothing is imported from keras/tensorflow: released packages are downloaded once (``support.pypi``) and
parsed with ``ast``. Each package is parsed at most once per session (``functools.lru_cache``).

Packages: keras 1.2.2 (Keras 1 API), keras 2.0.0 and 2.2.4 (the Keras 1 -> 2 converter in
``keras/legacy/interfaces.py``), tf-keras 2.15.0 (tf.keras of TF 2.15, public API in ``tf_keras/api/_v2``)
and keras 3.15.1.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

from keras_compat.data import legacy, modules
from keras_compat.data.schema import ArgRename, ClassRename, ModuleMove
from keras_compat.surface.extract import Source  # the package's extractor (scripts, tests and rules share it)
from support.pypi import fetch_or_skip

K1, K200, K224, TFK, K3 = "1.2.2", "2.0.0", "2.2.4", "2.15.0", "3.15.1"
DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

# Keras 3-only public modules (checked against Keras 3 instead of tf-keras).
KERAS3_ONLY_MODULES = {"ops"}
# Modules whose names are covered by the backend tables (KC301-KC303), not by MODULE_MOVES.
BACKEND_MODULES = {"backend.tensorflow_backend", "backend.common", "backend.load_backend"}


# --------------------------------------------------------------------------------------------- packages


@functools.lru_cache(maxsize=None)
def _package_root(name: str, version: str) -> Path:
    """Directory of the importable package (``keras`` or ``tf_keras``) inside the unpacked archive."""
    root = fetch_or_skip(name, version)
    pkg = "tf_keras" if name == "tf-keras" else "keras"
    for candidate in (root / pkg, *(p / pkg for p in root.iterdir() if p.is_dir())):
        if (candidate / "__init__.py").exists():
            return candidate
    raise AssertionError(f"no {pkg}/__init__.py in {root}")


@functools.lru_cache(maxsize=None)
def source(name: str, version: str) -> Source:
    """Parsed package; generated API shims (tf_keras/api, keras/_tf_keras) are not indexed as source."""
    if name == "tf-keras":
        return Source(_package_root(name, version), skip=("api",))
    if version == K3:
        return Source(_package_root(name, version), skip=("_tf_keras", "api"))
    return Source(_package_root(name, version))


class PublicAPI:
    """Public API of a modern package: module path ('' = top level) -> name -> (source module, name)."""

    def __init__(self, src: Source, api_dir: Path, strip: str):
        self.src = src
        self.modules: dict[str, dict[str, tuple[str, str]]] = {}
        for init in sorted(api_dir.rglob("__init__.py")):
            rel = init.parent.relative_to(api_dir)
            if rel.parts and rel.parts[0] in ("src", "_tf_keras", "api"):
                continue
            names = {}
            for node in ast.parse(init.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.ImportFrom) and node.module:
                    mod = node.module
                    for prefix in (strip, src.pkg + "."):
                        if mod.startswith(prefix):
                            mod = mod[len(prefix):]
                            break
                    for alias in node.names:
                        names[alias.asname or alias.name] = (mod, alias.name)
            self.modules[".".join(rel.parts)] = names

    def lookup(self, path: str) -> tuple[str, str] | None:
        module, _, name = path.rpartition(".")
        return self.modules.get(module, {}).get(name)

    def has(self, path: str) -> bool:
        return path in self.modules or self.lookup(path) is not None

    def definition(self, path: str) -> tuple[str, ast.AST] | None:
        hit = self.lookup(path)
        if hit is None:
            return None
        return self.src.resolve(*hit)


@functools.lru_cache(maxsize=None)
def tf_keras_api() -> PublicAPI:
    src = source("tf-keras", TFK)
    return PublicAPI(src, src.root / "api" / "_v2" / "keras", "tf_keras.")


@functools.lru_cache(maxsize=None)
def keras3_api() -> PublicAPI:
    src = source("keras", K3)
    return PublicAPI(src, src.root, "keras.")


def _converter(version: str) -> dict[str, tuple[list[tuple[str, str]], dict]]:
    """``generate_legacy_interface(...)`` calls of keras/legacy/interfaces.py: name -> (renames, values)."""
    tree = source("keras", version).tree("legacy.interfaces")
    out = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id.startswith("generate_legacy")):
            kw = {k.arg: k.value for k in node.value.keywords}
            renames = [tuple(p) for p in ast.literal_eval(kw["conversions"])] if "conversions" in kw else []
            values = ast.literal_eval(kw["value_conversions"]) if "value_conversions" in kw else {}
            out[node.targets[0].id] = (renames, values)
    return out


@functools.lru_cache(maxsize=None)
def converter_224():
    return _converter(K224)


@functools.lru_cache(maxsize=None)
def decorated_224() -> dict[str, set[tuple[str, str]]]:
    """decorator -> {("class", name) | ("method", name)}, incl. subclasses without __init__ and aliases."""
    src = source("keras", K224)
    uses: dict[str, set[tuple[str, str]]] = {}
    classes: dict[str, tuple[list[str], bool]] = {}
    aliases: dict[str, str] = {}
    for mod in src.files:
        for node in src.tree(mod).body:
            if isinstance(node, ast.ClassDef):
                has_init = False
                for item in node.body:
                    if not isinstance(item, ast.FunctionDef):
                        continue
                    has_init |= item.name == "__init__"
                    for deco in item.decorator_list:
                        if isinstance(deco, ast.Attribute) and getattr(deco.value, "id", "") == "interfaces":
                            is_init = item.name == "__init__"
                            target = ("class", node.name) if is_init else ("method", item.name)
                            uses.setdefault(deco.attr, set()).add(target)
                bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
                classes[node.name] = (bases, has_init)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        aliases[target.id] = node.value.id
    changed = True
    while changed:
        changed = False
        for targets in uses.values():
            names = {n for k, n in targets if k == "class"}
            new = {c for c, (bases, has_init) in classes.items()
                   if not has_init and c not in names and set(bases) & names}
            new |= {a for a, orig in aliases.items() if orig in names and a not in names}
            if new:
                targets |= {("class", n) for n in new}
                changed = True
    return uses


def _k224_class(name: str) -> tuple[str, str]:
    src = source("keras", K224)
    hits = src.find_by_name(name)
    assert hits, name
    return hits[0][0], name


def _class_path(name: str) -> str | None:
    if name in ("Model",):
        return "Model"
    if name.startswith("_") or name == "Network":  # private bases / internal Network (Model covers it)
        return None
    return "layers." + name


def _render(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _entry_id(entry: ArgRename) -> str:
    where = entry.callables[0] if entry.callables else "." + entry.methods[0]
    return f"{where}-{entry.old}"


# --------------------------------------------------------------------------------------------- 1. schema

TABLES = {
    "ARG_RENAMES": legacy.ARG_RENAMES,
    "KERNEL_CONVERSIONS": legacy.KERNEL_CONVERSIONS,
    "CLASS_RENAMES": legacy.CLASS_RENAMES,
    "MERGE_MODES": legacy.MERGE_MODES,
    "REMOVED_METHODS": legacy.REMOVED_METHODS,
    "OPTIMIZER_ARGS": legacy.OPTIMIZER_ARGS,
    "MODULE_MOVES": modules.MODULE_MOVES,
}


def _keys(table: str, entry) -> list[tuple]:
    if table == "ARG_RENAMES":
        return [(c, entry.old) for c in entry.callables] + [("." + m, entry.old) for m in entry.methods]
    if table == "KERNEL_CONVERSIONS":
        return [(c,) for c in entry.callables]
    if table == "MERGE_MODES":
        return [(entry.mode,)]
    if table == "REMOVED_METHODS":
        return [(entry.name,)]
    return [(entry.old,)]


def _paths(table: str, entry) -> list[str]:
    if table == "ARG_RENAMES":
        return [*entry.callables]
    if table == "KERNEL_CONVERSIONS":
        return [*entry.callables]
    if table == "CLASS_RENAMES":
        return [entry.old] + ([entry.new] if entry.new else [])
    if table == "MERGE_MODES":
        return [entry.layer, entry.function]
    if table == "MODULE_MOVES":
        return [entry.old] + ([entry.new] if entry.new else []) + [new for _, new in entry.names]
    return []


@pytest.mark.parametrize("table", sorted(TABLES))
def test_schema(table):
    entries = TABLES[table]
    assert entries, f"{table} is empty"
    seen: dict[tuple, object] = {}
    for entry in entries:
        for key in _keys(table, entry):
            assert key not in seen, f"{table}: duplicate key {key}"
            seen[key] = entry
        for path in _paths(table, entry):
            assert DOTTED.match(path), f"{table}: malformed path {path!r} in {entry}"
        if hasattr(entry, "new") and table != "MERGE_MODES":
            assert entry.old != entry.new, f"{table}: old == new in {entry}"
        for attr in ("since", "source"):
            if hasattr(entry, attr):
                assert getattr(entry, attr).strip(), f"{table}: empty {attr} in {entry}"
        if table == "ARG_RENAMES":
            assert bool(entry.callables) != bool(entry.methods), f"callables xor methods: {entry}"
            assert DOTTED.match(entry.old) and (entry.new is None or DOTTED.match(entry.new))
            if entry.values:
                assert entry.new, f"value map on an entry without a new keyword: {entry}"
            if entry.new is None:
                assert not entry.fixable and entry.note, f"removed keyword: fixable=False + note: {entry}"
            if not entry.fixable:
                assert entry.note, f"non-fixable entry needs a note: {entry}"
        if table == "CLASS_RENAMES" and entry.new is None:
            assert not entry.fixable and entry.note, f"{entry.old}: no replacement needs a note"
        if table == "MODULE_MOVES":
            assert entry.new or entry.names or entry.note or entry.package, f"{entry.old}: nothing to suggest"
    if table == "MODULE_MOVES":
        for entry in entries:
            assert len({old for old, _ in entry.names}) == len(entry.names), f"{entry.old}: duplicate names"


def test_optimizer_paths_unique_and_well_formed():
    assert len(set(legacy.OPTIMIZERS)) == len(legacy.OPTIMIZERS)
    assert all(DOTTED.match(p) and p.startswith("optimizers.") for p in legacy.OPTIMIZERS)


# ------------------------------------------------------------------- 2. completeness w.r.t. the converter


DECORATORS = [
    "legacy_dense_support", "legacy_dropout_support", "legacy_embedding_support", "legacy_pooling1d_support",
    "legacy_prelu_support", "legacy_gaussiannoise_support", "legacy_recurrent_support",
    "legacy_gaussiandropout_support", "legacy_pooling2d_support", "legacy_pooling3d_support",
    "legacy_global_pooling_support", "legacy_upsampling1d_support", "legacy_upsampling2d_support",
    "legacy_upsampling3d_support", "legacy_conv1d_support", "legacy_conv2d_support",
    "legacy_separable_conv2d_support", "legacy_deconv2d_support", "legacy_conv3d_support",
    "legacy_convlstm2d_support", "legacy_batchnorm_support", "legacy_zeropadding2d_support",
    "legacy_zeropadding3d_support", "legacy_cropping2d_support", "legacy_cropping3d_support",
    "legacy_spatialdropout1d_support", "legacy_spatialdropoutNd_support", "legacy_lambda_support",
    "legacy_generator_methods_support", "legacy_model_constructor_support", "legacy_input_support",
    "legacy_add_weight_support", "legacy_get_updates_support",
]


@pytest.mark.network
def test_converter_decorator_list():
    assert set(converter_224()) == set(DECORATORS), "interfaces.py decorators differ: update DECORATORS"


@pytest.mark.parametrize("decorator", DECORATORS)
@pytest.mark.network
def test_converter_fully_covered(decorator):
    """Every (old, new) rename of each Keras 2.2.4 decorator is in ARG_RENAMES for each decorated class."""
    converters = converter_224()
    renames, value_maps = converters[decorator]
    targets = decorated_224().get(decorator, set())
    assert targets, f"{decorator} is applied nowhere in Keras 2.2.4"
    src = source("keras", K224)
    model = src.resolve("engine.training", "Model")
    missing = []
    for kind, name in sorted(targets):
        for old, new in renames:
            if kind == "method":
                if new not in src.params(*model, method=name):
                    continue  # the converter renames into a keyword this method does not take
                hits = [e for e in legacy.ARG_RENAMES if name in e.methods and e.old == old]
            else:
                path = _class_path(name)
                if path is None:
                    continue
                hit = src.resolve(*_k224_class(name))
                if new not in src.params(*hit) | src.kwargs_handled(*hit):
                    continue  # e.g. SimpleRNN(inner_activation=): SimpleRNN has no recurrent_activation
                hits = [e for e in legacy.ARG_RENAMES if path in e.callables and e.old == old]
            if not hits:
                missing.append(f"{name}({old}=) -> {new}")
                continue
            entry = hits[0]
            if entry.new != new and not (entry.new is None and kind == "class"):
                missing.append(f"{name}({old}=): table says {entry.new}, converter says {new}")
            if old in value_maps and entry.new:
                expected = {k: _render(v) for k, v in value_maps[old].items()}
                assert dict(entry.values) == expected, f"{name}({old}=) value map differs: {entry.values}"
    assert not missing, "ARG_RENAMES misses converter renames:\n" + "\n".join(missing)


@functools.lru_cache(maxsize=None)
def _keras1_params(path: str, method: str | None = None) -> set[str] | None:
    src = source("keras", K1)
    name = path.rpartition(".")[2]
    if method:
        params: set[str] = set()
        for mod, cls in (("engine.training", "Model"), ("models", "Sequential")):
            hit = src.resolve(mod, cls)
            if hit:
                params |= src.params(*hit, method=method)
        return params
    hits = src.find_by_name(name)
    if not hits:
        return None
    params = set()
    for hit in hits:
        params |= src.params(*hit)
        # keywords the Keras 1 class documented as legacy and popped from **kwargs itself
        params |= set(re.findall(r"'(\w+)' in kwargs", ast.unparse(hit[1])))
    return params


@pytest.mark.parametrize("entry", legacy.ARG_RENAMES, ids=_entry_id)
@pytest.mark.network
def test_old_keyword_existed(entry: ArgRename):
    """The old keyword was a Keras 1.2.2 parameter or a rename performed by the Keras 2.2.4 converter."""
    in_converter = False
    renames_224 = {pair for renames, _ in converter_224().values() for pair in renames}
    if entry.new and (entry.old, entry.new) in renames_224:
        in_converter = True
    in_keras1 = False
    for method in entry.methods:
        in_keras1 |= entry.old in (_keras1_params("Model", method) or set())
    for path in entry.callables:
        in_keras1 |= entry.old in (_keras1_params(path) or set())
    in_keras2 = False  # removed by tf.keras (TF 2.x): a parameter of the last multi-backend Keras
    if entry.since.startswith("TF "):
        src = source("keras", K224)
        for path in entry.callables:
            for hit in src.find_by_name(path.rpartition(".")[2]):
                in_keras2 |= entry.old in src.params(*hit)
    assert in_converter or in_keras1 or in_keras2, \
        f"{entry.old!r}: neither a Keras 1.2.2 parameter, a converter rename nor (since TF 2.x) a Keras 2.2.4 parameter"


@pytest.mark.network
def test_converter_since_versions():
    """Entries citing interfaces.py say "Keras 2.0.0" exactly when Keras 2.0.0 already had the rename."""
    renames_200 = {pair for renames, _ in _converter(K200).values() for pair in renames}
    for entry in legacy.ARG_RENAMES:
        if "legacy/interfaces.py" in entry.source and entry.new and "preprocessor" not in entry.source:
            expected_200 = (entry.old, entry.new) in renames_200
            assert (entry.since == "Keras 2.0.0") == expected_200, f"{_entry_id(entry)}: since {entry.since}"


# ------------------------------------------------------------------------ 3. new keywords in tf-keras 2.15


@functools.lru_cache(maxsize=None)
def _tf_keras_params(path: str) -> set[str] | None:
    api = tf_keras_api()
    hit = api.definition(path)
    if hit is None:
        return None
    params = api.src.params(*hit)
    if path in ("Model", "models.Model"):  # Model(inputs, outputs) dispatches to Functional.__init__
        functional = api.src.resolve("src.engine.functional", "Functional")
        params |= api.src.params(*functional)
    return params


@functools.lru_cache(maxsize=None)
def _tf_keras_kwargs_handled(path: str) -> set[str]:
    api = tf_keras_api()
    hit = api.definition(path)
    return api.src.kwargs_handled(*hit) if hit else set()


@functools.lru_cache(maxsize=None)
def _tf_keras_method_params(method: str) -> set[str] | None:
    src = source("tf-keras", TFK)
    model = src.resolve("src.engine.training", "Model")
    if method not in src.method_names(*model):
        return None
    return src.params(*model, method=method)


@pytest.mark.parametrize("entry", legacy.ARG_RENAMES, ids=_entry_id)
@pytest.mark.network
def test_keywords_in_tf_keras(entry: ArgRename):
    """The new keyword is a parameter of the tf-keras 2.15 class/method; the old keyword is not."""
    removed = {c.old for c in legacy.CLASS_RENAMES if c.removed_in and not c.removed_in.startswith("Keras 3")}
    checked = 0
    for path in entry.callables:
        params = _tf_keras_params(path)
        if params is None:
            private = any(path.startswith(m.old + ".") for m in modules.MODULE_MOVES)
            assert path in removed or private, f"{path}: not in the tf-keras public API nor a removed class"
            continue
        checked += 1
        if entry.new:  # a signature parameter, or a keyword the class reads from **kwargs itself
            accepted = params | _tf_keras_kwargs_handled(path)
            assert entry.new in accepted, f"{path}: no parameter {entry.new!r} in tf-keras 2.15"
        assert entry.old not in params, f"{path}: tf-keras 2.15 still has parameter {entry.old!r}"
    for method in entry.methods:
        params = _tf_keras_method_params(method)
        assert params is not None, f"Model.{method} not found in tf-keras 2.15"
        checked += 1
        if entry.new:
            assert entry.new in params, f"Model.{method}: no parameter {entry.new!r}"
        assert entry.old not in params, f"Model.{method}: still has {entry.old!r}"
    if not checked:
        assert entry.callables and all(p in removed for p in entry.callables)


@pytest.mark.network
def test_kernel_conversions():
    src1 = source("keras", K1)
    preprocessors = source("keras", K224).text("legacy.interfaces")
    for conv in legacy.KERNEL_CONVERSIONS:
        assert len(conv.dim_keywords) == conv.dims
        for kw in conv.dim_keywords:
            assert f"'{kw}'" in preprocessors, f"{kw} not handled by the Keras 2.2.4 preprocessors"
        keras1_name = {2: "Convolution2D", 3: "Convolution3D"}[conv.dims]
        params = src1.params(*src1.find_by_name(keras1_name)[0])
        assert set(conv.dim_keywords) <= params, f"Keras 1.2.2 {keras1_name} lacks {conv.dim_keywords}"
        for path in conv.callables:
            params = _tf_keras_params(path)
            if params is not None:
                assert "kernel_size" in params and not set(conv.dim_keywords) & params, path


# ----------------------------------------------------------------------------- 4. paths in the public API


def _api_for(path: str) -> PublicAPI:
    return keras3_api() if path.split(".")[0] in KERAS3_ONLY_MODULES else tf_keras_api()


@pytest.mark.parametrize("entry", legacy.CLASS_RENAMES, ids=lambda e: e.old)
@pytest.mark.network
def test_class_rename_paths(entry: ClassRename):
    api = tf_keras_api()
    if entry.new:
        assert api.has(entry.new), f"{entry.new} is not in the tf-keras 2.15 public API"
    if entry.removed_in == "":
        assert api.has(entry.old), f"{entry.old} is said to be still exported but tf-keras 2.15 lacks it"
    elif entry.removed_in.startswith("Keras 3"):
        assert api.has(entry.old) and not keras3_api().has(entry.old), entry.old
    else:
        assert not api.has(entry.old), f"{entry.old} is said to be removed but tf-keras 2.15 exports it"


@pytest.mark.parametrize("mode", legacy.MERGE_MODES, ids=lambda m: m.mode)
@pytest.mark.network
def test_merge_mode_paths(mode):
    api = tf_keras_api()
    assert api.has(mode.layer) and api.has(mode.function)
    src1 = source("keras", K1)
    merge = src1.resolve("engine.topology", "merge")
    assert merge is not None
    assert f"'{mode.mode}'" in src1.text("engine.topology"), f"{mode.mode} is not a Keras 1.2.2 merge mode"
    keras1_params = src1.params(*merge)
    new_params = tf_keras_api().src.params(*tf_keras_api().definition(mode.layer))
    for old, new in mode.arguments:
        assert old in keras1_params and new in new_params, (old, new)


def _module_file(version: str, module: str) -> str | None:
    src = source("keras", version)
    return module if module in src.files else None


@pytest.mark.parametrize("entry", modules.MODULE_MOVES, ids=lambda e: e.old)
@pytest.mark.network
def test_module_move_paths(entry: ModuleMove):
    api = _api_for(entry.new or "")
    if entry.new:
        assert api.has(entry.new) and entry.new in api.modules, f"{entry.new} is not a public module"
    for _, new in entry.names:
        assert tf_keras_api().has(new), f"{new} is not in the tf-keras 2.15 public API"
    # The old path is not a public module of tf.keras (except the deprecated experimental namespace).
    if entry.old != "layers.experimental.preprocessing":
        assert entry.old not in tf_keras_api().modules, f"{entry.old} is public in tf-keras 2.15"
    else:
        assert entry.old in tf_keras_api().modules and "layers.experimental" not in keras3_api().modules


@pytest.mark.parametrize("entry", [m for m in modules.MODULE_MOVES if m.new and m.old not in BACKEND_MODULES],
                         ids=lambda e: e.old)
@pytest.mark.network
def test_module_move_new_exports_every_name(entry: ModuleMove):
    """``new`` is only set when the public module exports every public name of the old module."""
    renamed = {c.old for c in legacy.CLASS_RENAMES}
    overrides = dict(entry.names)
    api = _api_for(entry.new)
    checked: dict[str, set[str]] = {}
    if entry.old in tf_keras_api().modules:
        checked["tf-keras"] = set(tf_keras_api().modules[entry.old]) - {
            n for n, (mod, _) in tf_keras_api().modules[entry.old].items() if mod.startswith("api.")}
    else:
        for version in (K224, K1):
            mod = _module_file(version, entry.old)
            if mod:
                checked[version] = source("keras", version).public_defs(mod)
                break
    if not checked:
        # tf.keras-era private package or src path: it must at least be a real private module of
        # tf-keras 2.15 (under src/) or of Keras 3.
        private = entry.old if entry.old.startswith("src.") else "src." + entry.old
        assert private in source("tf-keras", TFK).files or private in source("keras", K3).files, \
            f"{entry.old}: no such private module in tf-keras {TFK} or keras {K3}"
        return
    missing = []
    for where, names in checked.items():
        for name in sorted(names):
            if name in overrides or api.has(f"{entry.new}.{name}") or name in entry.note:
                continue
            if f"{entry.new}.{name}" in renamed or f"{entry.old}.{name}" in renamed:
                continue
            missing.append(f"{where}: {entry.old}.{name}")
    assert not missing, f"not exported by {entry.new}: {missing}"


# ---------------------------------------------------------------------------------------- 5. methods


@pytest.mark.network
def test_model_methods_in_tf_keras():
    for name in ("fit", "evaluate", "predict"):
        assert _tf_keras_method_params(name) is not None, name
    assert _tf_keras_method_params("predict_classes") is None
    seq = source("tf-keras", TFK).resolve("src.engine.sequential", "Sequential")
    assert "predict_classes" not in source("tf-keras", TFK).method_names(*seq)


MODEL_MODULES = ("engine.", "src.engine.", "src.models.", "src.trainers.", "models.")


@functools.lru_cache(maxsize=None)
def _defined_anywhere(name: str, version: str, pkg: str = "keras") -> bool:
    """``def name(`` inside a class of the model/training modules (not e.g. scikit-learn wrappers)."""
    src = source(pkg, version)
    pattern = re.compile(rf"^\s+def {re.escape(name)}\(", re.M)
    return any(pattern.search(src.text(mod)) for mod in src.files
               if mod.startswith(MODEL_MODULES) or mod in ("models", "engine"))


@pytest.mark.parametrize("entry", legacy.REMOVED_METHODS, ids=lambda e: e.name)
@pytest.mark.network
def test_removed_methods(entry):
    assert _defined_anywhere(entry.name, K224), f"{entry.name} did not exist in Keras 2.2.4"
    if entry.replacement:
        assert _tf_keras_method_params(entry.replacement) is not None
    if entry.removed_in.startswith("Keras 3"):
        assert _tf_keras_method_params(entry.name) is not None, f"{entry.name} already gone in tf-keras"
        assert not _defined_anywhere(entry.name, K3), f"{entry.name} still defined in Keras 3"
    else:
        assert not _defined_anywhere(entry.name, TFK, "tf-keras"), f"{entry.name} still defined in tf-keras"
        if entry.removed_in == "TF 2.6":
            assert not _defined_anywhere(entry.name, "2.6.0"), f"{entry.name} still defined in keras 2.6.0"


# --------------------------------------------------------------------------------------- 6. optimizers


@pytest.mark.parametrize("path", legacy.OPTIMIZERS)
@pytest.mark.network
def test_optimizer_learning_rate(path):
    params = _tf_keras_params(path)
    if params is None:  # lower-case Keras 1 / multi-backend alias
        name = path.rpartition(".")[2]
        assert name in source("keras", K224).top_defs("optimizers"), f"{path}: not in Keras 2.2.4/tf-keras"
        assert name in source("keras", K1).top_defs("optimizers"), f"{path}: not a Keras 1.2.2 alias"
        return
    assert "learning_rate" in params and "lr" not in params, f"{path}: {sorted(params)}"


@pytest.mark.network
def test_every_tf_keras_optimizer_listed():
    api = tf_keras_api()
    for module in ("optimizers", "optimizers.legacy", "optimizers.experimental"):
        for name, (mod, _) in api.modules[module].items():
            hit = api.definition(f"{module}.{name}")
            if name[0].isupper() and name != "Optimizer" and hit and isinstance(hit[1], ast.ClassDef):
                assert f"{module}.{name}" in legacy.OPTIMIZERS, f"{module}.{name} missing from OPTIMIZERS"


@pytest.mark.network
def test_optimizer_args():
    by_old = {a.old: a for a in legacy.OPTIMIZER_ARGS}
    assert by_old["lr"].new == "learning_rate" and by_old["lr"].fixable
    assert by_old["decay"].new is None and not by_old["decay"].fixable
    text = source("tf-keras", TFK).text("src.optimizers.optimizer")
    assert 'kwargs.pop("lr"' in text and '"decay"' in text
    keras230 = source("keras", "2.3.0").text("optimizers")
    assert "kwargs.pop('lr', learning_rate)" in keras230
    assert "learning_rate" not in source("keras", K224).text("optimizers")
