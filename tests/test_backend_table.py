"""The ``K.*`` backend inventory (keras_compat/data/backend.py) checked against the released packages.

Nothing is imported from TensorFlow or Keras: the tests read the packages' source/API files with ``ast``.

* tf-keras 2.15.0 wheel: ``tf_keras/api/_v2|_v1/keras/backend/__init__.py`` (``tf.keras.backend`` exports)
  and ``tf_keras/src/backend.py`` (signatures).
* keras 2.3.1 (last multi-backend release): ``keras/backend/tensorflow_backend.py`` and ``common.py``.
* keras 3.15.1 wheel: ``keras/backend/__init__.py``, the tf.keras shim ``keras/_tf_keras/keras/backend``, and
  the public API packages (``keras/ops/__init__.py``, ``keras/random``, ``keras/config`` ...).
* tensorflow-cpu 2.15.1 wheel (cp311 manylinux, ~207 MB download): only the generated public API files
  (``tensorflow/__init__.py`` = ``tf.*``, ``tensorflow/_api/v2/**/__init__.py`` = ``tf.nn.*`` ...) and the
  Python sources of ``tensorflow/python/ops`` and ``framework`` (signatures of SAFE targets) are kept in the
  cache (~16 MB); ``tf.keras`` / ``tf.compat.v1.keras`` are lazy-loaded from the Keras package by TF 2.15,
  so those paths are resolved in the tf-keras API tree.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest
from support.pypi import fetch_or_skip

from keras_compat.data.backend import (
    BACKEND_FUNCTIONS,
    CONFIG_FUNCTIONS,
    KERAS3_BACKEND,
    KERAS3_TF_KERAS_SHIM,
    KERAS3_VERSION,
    TF1_ADVICE,
)
from keras_compat.data.schema import Rewrite

TF_KERAS_VERSION = "2.15.0"
MULTI_BACKEND_VERSION = "2.3.1"
TF_VERSION = "2.15.1"
TF_MEMBERS = (
    "tensorflow/__init__.py",
    "tensorflow/_api/v2/*__init__.py",
    "tensorflow/python/ops/*.py",
    "tensorflow/python/framework/*.py",
)
V1_ONLY = {"get_session", "set_session"}

BY_NAME = {e.name: e for e in BACKEND_FUNCTIONS}
DOTTED_TF = re.compile(r"^tf(\.[A-Za-z_]\w*)+$")
TF_TOKEN = re.compile(r"(?<![\w.])tf(?:\.[A-Za-z_]\w*)+")
KERAS_TOKEN = re.compile(r"(?<![\w.])keras(?:\.[A-Za-z_]\w*)+")

# TF defaults that differ textually from Keras 2's but mean the same (read from the TF 2.15.1 sources).
EQUIVALENT_DEFAULTS = {
    ("tf.nn.softmax", "axis"): ("-1", "None"),  # softmax_v2: ``if axis is None: axis = -1``
}


# ---------------------------------------------------------------------------------------------------------
# package readers (each parses once per session)


def _exports(init: Path) -> dict[str, tuple[str, str]]:
    """Public names of a generated API ``__init__.py``: name -> (source module, source name)."""
    out: dict[str, tuple[str, str]] = {}
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
            for alias in node.names:
                name = alias.asname or alias.name
                if not name.startswith("_"):
                    out[name] = (node.module, alias.name)
    return out


@functools.cache
def _tf_keras() -> Path:
    return fetch_or_skip("tf-keras", TF_KERAS_VERSION)


@functools.cache
def _keras231() -> Path:
    root = fetch_or_skip("keras", MULTI_BACKEND_VERSION)
    return next(p.parent for p in root.rglob("keras/backend/tensorflow_backend.py")).parent


@functools.cache
def _keras3() -> Path:
    return fetch_or_skip("keras", KERAS3_VERSION)


@functools.cache
def _tf() -> Path:
    return fetch_or_skip("tensorflow-cpu", TF_VERSION, platform="manylinux2014_x86_64", python_version="3.11",
                         members=TF_MEMBERS)


@functools.cache
def tf_keras_backend(api: str) -> dict[str, tuple[str, str]]:
    return _exports(_tf_keras() / f"tf_keras/api/{api}/keras/backend/__init__.py")


@functools.cache
def multi_backend_public_functions() -> dict[str, set[str]]:
    """Public module-level ``def``s of keras 2.3.1 tensorflow_backend.py and common.py: name -> files."""
    out: dict[str, set[str]] = {}
    for file in ("common.py", "tensorflow_backend.py"):
        tree = ast.parse((_keras231() / "backend" / file).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                out.setdefault(node.name, set()).add(file)
    return out


@functools.cache
def _module_defs(path: Path) -> dict[str, ast.AST]:
    return {n.name: n for n in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


@functools.cache
def tf_keras_defs() -> dict[str, ast.AST]:
    return _module_defs(_tf_keras() / "tf_keras/src/backend.py")


@functools.cache
def multi_backend_defs() -> dict[str, ast.AST]:
    return _module_defs(_keras231() / "backend/tensorflow_backend.py")


class ApiTree:
    """Public names of a generated API package tree (``tensorflow/_api/v2`` or ``keras/``)."""

    def __init__(self, prefix: str, root_init: Path, package_dir: Path, skip: tuple[str, ...] = ()):
        self.prefix = prefix
        self.root_init = root_init
        self.package_dir = package_dir
        self.skip = skip

    @functools.cache  # noqa: B019 - a handful of session-lived instances
    def exports(self, module: str) -> dict[str, tuple[str, str]] | None:
        if module == self.prefix:
            return _exports(self.root_init)
        parts = module.split(".")[1:]
        if parts and parts[0] in self.skip:
            return None
        init = self.package_dir.joinpath(*parts, "__init__.py")
        return _exports(init) if init.is_file() else None

    def resolve(self, dotted: str) -> tuple[str, str] | str | None:
        """``(source module, name)`` for a public function/class, ``"module"`` for a package, else None."""
        if self.exports(dotted) is not None:
            return "module"
        module, _, name = dotted.rpartition(".")
        names = self.exports(module) if module else None
        return names.get(name) if names else None


@functools.cache
def tf_api() -> ApiTree:
    root = _tf()
    return ApiTree("tf", root / "tensorflow/__init__.py", root / "tensorflow/_api/v2")


@functools.cache
def keras3_api() -> ApiTree:
    root = _keras3()
    return ApiTree("keras", root / "keras/__init__.py", root / "keras", skip=("src", "_tf_keras"))


@functools.cache
def tf_keras_api(api: str) -> ApiTree:
    root = _tf_keras() / f"tf_keras/api/{api}/keras"
    return ApiTree("keras", root / "__init__.py", root)


def tf_path_exists(dotted: str) -> bool:
    """Whether ``tf.x.y`` is public TF 2.15.1 API (``tf.keras``/``tf.compat.v1.keras`` via tf-keras 2.15)."""
    for lazy, api, module_init in (("tf.compat.v1.keras", "_v1", "tensorflow/_api/v2/compat/v1/__init__.py"),
                                   ("tf.keras", "_v2", "tensorflow/__init__.py")):
        if dotted == lazy or dotted.startswith(lazy + "."):
            # TF 2.15 installs a KerasLazyLoader for ``keras`` in that module
            assert 'setattr(_current_module, "keras", _KerasLazyLoader(' in (_tf() / module_init).read_text()
            return tf_keras_api(api).resolve("keras" + dotted[len(lazy):]) is not None
    return tf_api().resolve(dotted) is not None


def _params(node: ast.AST) -> list[tuple[str, str | None]]:
    """(name, default source or None) of the positional-or-keyword parameters of a def or class __init__."""
    if isinstance(node, ast.ClassDef):
        node = next(n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
    assert isinstance(node, ast.FunctionDef)
    args = node.args.posonlyargs + node.args.args
    if args and args[0].arg == "self":
        args = args[1:]
    defaults: list[str | None] = [None] * (len(args) - len(node.args.defaults))
    defaults += [ast.unparse(d) for d in node.args.defaults]
    return [(a.arg, d) for a, d in zip(args, defaults)]


def tf_signature(dotted: str) -> list[tuple[str, str | None]]:
    target = tf_api().resolve(dotted)
    assert isinstance(target, tuple), dotted
    module, name = target
    source = _tf().joinpath(*module.split(".")).with_suffix(".py")
    assert source.is_file(), f"{dotted}: source {module} not in the cached members {TF_MEMBERS}"
    defs = _module_defs(source)
    assert name in defs, f"{dotted}: no def/class {name} in {module}"
    return _params(defs[name])


def keras_signature(entry) -> list[tuple[str, str | None]]:
    defs = tf_keras_defs() if entry.in_tf_keras else multi_backend_defs()
    return _params(defs[entry.name])


# ---------------------------------------------------------------------------------------------------------
# 1. schema


def test_names_unique():
    names = [e.name for e in BACKEND_FUNCTIONS]
    assert len(names) == len(set(names))


def test_safe_entries_are_dotted_tf_paths():
    for e in BACKEND_FUNCTIONS:
        if e.rewrite is Rewrite.SAFE:
            assert e.tf and DOTTED_TF.match(e.tf), e.name
        if e.tf and not DOTTED_TF.match(e.tf):
            assert e.rewrite is not Rewrite.SAFE, e.name  # prose is never a 1:1 rewrite


def test_tf1_entries_have_advice():
    tf1 = {e.name for e in BACKEND_FUNCTIONS if e.rewrite is Rewrite.TF1}
    assert tf1 <= set(TF1_ADVICE), tf1 - set(TF1_ADVICE)
    assert set(TF1_ADVICE) <= tf1 | {"tf"}, set(TF1_ADVICE) - tf1
    assert "import tensorflow as tf" in TF1_ADVICE["tf"]
    for name in tf1:
        assert BY_NAME[name].removed_in, name
        assert TF1_ADVICE[name].strip(), name


def test_keep_entries_are_config_or_justified():
    keep = {e.name for e in BACKEND_FUNCTIONS if e.rewrite is Rewrite.KEEP}
    assert CONFIG_FUNCTIONS <= keep
    for name in keep:
        entry = BY_NAME[name]
        assert name in CONFIG_FUNCTIONS or entry.note, name
        assert entry.in_keras3, f"{name}: KEEP means Keras 3 keras.backend still has it"
        assert entry.keras3 and entry.keras3.startswith("keras."), name


def test_training_helpers_are_not_tf1():
    for name in ("in_train_phase", "in_test_phase"):
        assert BY_NAME[name].rewrite is Rewrite.MANUAL
        assert "training" in BY_NAME[name].note


def test_sources_and_removals():
    for e in BACKEND_FUNCTIONS:
        assert re.search(r"reference e\.[12] #\d+", e.source), e.name
        assert ("tf-keras 2.15" in e.source) == e.in_tf_keras, e.name
        assert bool(e.removed_in) == (not e.in_keras3), e.name
        if not e.in_tf_keras:
            assert "tf.keras" in e.removed_in, e.name


# ---------------------------------------------------------------------------------------------------------
# 2. completeness and 3. flags


@pytest.mark.network
def test_every_tf_keras_backend_name_has_an_entry():
    v2 = set(tf_keras_backend("_v2"))
    v1 = set(tf_keras_backend("_v1"))
    assert V1_ONLY <= v1 - v2
    expected = v2 | V1_ONLY
    listed = {e.name for e in BACKEND_FUNCTIONS if e.in_tf_keras}
    assert expected - listed == set(), "missing"
    assert listed - expected == set(), "in_tf_keras=True but not exported"


@pytest.mark.network
def test_every_multi_backend_only_function_has_an_entry():
    tf_keras = set(tf_keras_backend("_v2")) | set(tf_keras_backend("_v1"))
    expected = set(multi_backend_public_functions()) - tf_keras
    listed = {e.name for e in BACKEND_FUNCTIONS if not e.in_tf_keras}
    assert expected - listed == set(), "missing"
    assert listed - expected == set(), "not a public 2.3.1 function"
    for name in expected:
        files = multi_backend_public_functions()[name]
        assert any(f"keras/backend/{f}" in BY_NAME[name].source for f in files), name


@pytest.mark.network
def test_flags_match_packages():
    tf_keras = set(tf_keras_backend("_v2")) | set(tf_keras_backend("_v1"))
    keras3 = set(_exports(_keras3() / "keras/backend/__init__.py"))
    shim = set(_exports(_keras3() / "keras/_tf_keras/keras/backend/__init__.py"))
    assert KERAS3_BACKEND == keras3
    assert KERAS3_TF_KERAS_SHIM == shim & set(BY_NAME)
    for e in BACKEND_FUNCTIONS:
        assert e.in_keras3 == (e.name in keras3), e.name
        assert e.in_tf_keras == (e.name in tf_keras), e.name
    for name in V1_ONLY:
        assert "tf.compat.v1.keras.backend only" in BY_NAME[name].note


@pytest.mark.network
def test_keras3_version_matches_the_wheel():
    dist = next(_keras3().glob("keras-*.dist-info"))
    assert dist.name == f"keras-{KERAS3_VERSION}.dist-info"


# ---------------------------------------------------------------------------------------------------------
# 4. TensorFlow paths


def _tf_texts():
    for e in BACKEND_FUNCTIONS:
        yield f"{e.name}.tf", e.tf or ""
        yield f"{e.name}.note", e.note
    for key, advice in TF1_ADVICE.items():
        yield f"TF1_ADVICE[{key}]", advice


@pytest.mark.network
def test_tf_paths_exist_in_tensorflow_api():
    missing = [(where, token) for where, text in _tf_texts() for token in TF_TOKEN.findall(text)
               if not tf_path_exists(token)]
    assert missing == []


def test_keras3_notes_speak_of_keras3():
    """The caveat of a keras3 message names no TensorFlow function and no TF rewrite (issue 21)."""
    for e in BACKEND_FUNCTIONS:
        assert not TF_TOKEN.findall(e.keras3_note) and "TF rewrite" not in e.keras3_note, e.name


@pytest.mark.network
def test_tf_api_reader_sanity():
    for path in ("tf.reduce_mean", "tf.nn.dropout", "tf.math.top_k",
                 "tf.config.experimental.set_memory_growth",
                 "tf.compat.v1.keras.backend.get_session", "tf.keras.backend.floatx"):
        assert tf_path_exists(path), path
    for path in ("tf.keras.backend.get_session", "tf.reduce_average", "tf.nn.nope"):
        assert not tf_path_exists(path), path


@pytest.mark.parametrize("name", sorted(e.name for e in BACKEND_FUNCTIONS if e.rewrite is Rewrite.SAFE))
@pytest.mark.network
def test_safe_rewrite_has_the_same_arguments(name):
    """Same order; same keyword names after the data argument; same defaults; no extra required one."""
    entry = BY_NAME[name]
    ours = keras_signature(entry)
    theirs = tf_signature(entry.tf)
    assert len(theirs) >= len(ours), (ours, theirs)
    for index, ((k_name, k_default), (t_name, t_default)) in enumerate(zip(ours, theirs)):
        if index:
            assert k_name == t_name, f"{name}: parameter {index} {k_name!r} vs {entry.tf} {t_name!r}"
        if k_default is not None and k_default != t_default:
            assert EQUIVALENT_DEFAULTS.get((entry.tf, t_name)) == (k_default, t_default), (
                f"{name}: default {k_name}={k_default} vs {entry.tf} {t_name}={t_default}")
    extra_required = [p for p, d in theirs[len(ours):] if d is None]
    assert extra_required == [], f"{entry.tf} requires {extra_required}"


# ---------------------------------------------------------------------------------------------------------
# 5. Keras 3 paths


@pytest.mark.network
def test_keras3_paths_exist():
    texts = [(f"{e.name}.keras3", e.keras3 or "") for e in BACKEND_FUNCTIONS]
    texts += [(f"{e.name}.note", e.note) for e in BACKEND_FUNCTIONS]
    texts += [(f"{e.name}.keras3_note", e.keras3_note) for e in BACKEND_FUNCTIONS]
    texts += [(f"TF1_ADVICE[{k}]", v) for k, v in TF1_ADVICE.items()]
    missing = [(where, token) for where, text in texts for token in KERAS_TOKEN.findall(text)
               if keras3_api().resolve(token) is None]
    assert missing == []


@pytest.mark.network
def test_keras3_ops_random_config_replacements_are_public():
    checked = 0
    for e in BACKEND_FUNCTIONS:
        head = (e.keras3 or "").split("(")[0].split(" ")[0]
        if head.startswith(("keras.ops.", "keras.random.", "keras.config.")):
            assert isinstance(keras3_api().resolve(head), tuple), (e.name, head)
            checked += 1
    assert checked > 80


def test_entries_made_one_at_a_time_are_the_tables() -> None:
    """``function(name)`` makes one entry when a file first uses that function (a file uses a few of them): the
    same record the whole table holds, in the table's order, and None for a name the table lacks."""
    import subprocess
    import sys

    from keras_compat.data import backend

    names = backend.function_names()
    assert names == tuple(f.name for f in backend.BACKEND_FUNCTIONS) and len(set(names)) == len(names)
    assert all(backend.function(f.name) is f for f in backend.BACKEND_FUNCTIONS)
    assert backend.function("not_a_backend_function") is None
    code = ("from keras_compat.data import backend\n"
            "entry = backend.function('mean')\n"
            "print('BACKEND_FUNCTIONS' in vars(backend), entry.name, backend.function.cache_info().currsize)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "mean", "1"]
