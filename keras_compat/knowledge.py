"""Indexes over the data tables, built once: what the rules look up by API path.

The tables in ``keras_compat.data`` stay plain lists of entries; this module turns them into the
dictionaries the rules need (renames by callable, known names for star imports, ...).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping
from functools import lru_cache
from typing import Any

from keras_compat.data import _legacy_keys, _module_moves
from keras_compat.data import layers as layer_table
from keras_compat.data import legacy
from keras_compat.data.schema import ArgRename, ClassRename, KernelConversion, ModuleMove, RemovedMethod
from keras_compat.names import keras_name, parent_paths


class Known(Mapping):  # type: ignore[type-arg]
    """A read-only index whose keys are known before its values: ``in``, ``len`` and iteration read ``keys``;
    the first value asked for calls ``build`` (once) for the whole index.

    The rules ask the large legacy indexes about every call and name of a file, and almost never find one:
    their keys come from the generated ``keras_compat/data/_legacy_keys.py`` (``python -m keras_compat.docs``,
    checked by tests/test_docs.py), so that ``data.legacy`` builds its 210 records only for a file that uses
    a Keras 1 name or keyword."""

    __slots__ = ("_keys", "_build", "_built")

    def __init__(self, keys: Collection[str], build: Callable[[], Mapping[str, Any]]) -> None:
        self._keys = keys
        self._build = build
        self._built: Mapping[str, Any] | None = None

    def _values(self) -> Mapping[str, Any]:
        built = self._built
        if built is None:
            built = self._built = self._build()
        return built

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys:
            raise KeyError(key)
        return self._values()[key]

    def get(self, key: str, default: Any = None) -> Any:  # no KeyError raised and caught for a missing key
        return self._values()[key] if key in self._keys else default


class _KnownRenames(Known):
    """:class:`Known` for the rename indexes by callable or method: a value is the :class:`Known` index of
    that key's renamed keywords, made without building the table (``kw.arg in renames`` is all most calls ask)."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Known:
        olds = self._keys[key]  # type: ignore[index]  # a dict: key -> its renamed keywords
        return Known(olds, lambda: self._values()[key])

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self._keys else default


def _index_renames(keys: str) -> dict[str, dict[str, ArgRename]]:
    """Renames by callable path (``keys="callables"``) or by method name (``keys="methods"``)."""
    index: dict[str, dict[str, ArgRename]] = defaultdict(dict)
    for entry in legacy.ARG_RENAMES:
        for key in getattr(entry, keys):
            index[key].setdefault(entry.old, entry)
    return dict(index)


@lru_cache(maxsize=1)
def arg_renames_by_callable() -> Mapping[str, Mapping[str, ArgRename]]:
    """Callable path -> renamed keyword -> its entry (the keys from the generated key list: see :class:`Known`)."""
    return _KnownRenames(_legacy_keys.BY_CALLABLE, lambda: _index_renames("callables"))


@lru_cache(maxsize=1)
def arg_renames_by_method() -> Mapping[str, Mapping[str, ArgRename]]:
    """Method name -> renamed keyword -> its entry (the keys from the generated key list: see :class:`Known`)."""
    return _KnownRenames(_legacy_keys.BY_METHOD, lambda: _index_renames("methods"))


@lru_cache(maxsize=1)
def kernel_conversions() -> dict[str, KernelConversion]:
    return {path: entry for entry in legacy.KERNEL_CONVERSIONS for path in entry.callables}


@lru_cache(maxsize=1)
def class_renames() -> Mapping[str, ClassRename]:
    """Old path -> its entry (the keys from the generated key list: see :class:`Known`)."""
    return Known(dict.fromkeys(_legacy_keys.CLASS_RENAMES), lambda: {entry.old: entry for entry in legacy.CLASS_RENAMES})


def legacy_keys() -> dict[str, object]:
    """What keras_compat/data/_legacy_keys.py must hold, computed from the tables (``python -m keras_compat.docs``
    writes it, tests/test_docs.py checks it): the keys of the indexes above, in their order."""
    return {"BY_CALLABLE": {path: tuple(olds) for path, olds in _index_renames("callables").items()},
            "BY_METHOD": {name: tuple(olds) for name, olds in _index_renames("methods").items()},
            "CLASS_RENAMES": tuple(dict.fromkeys(entry.old for entry in legacy.CLASS_RENAMES))}


@lru_cache(maxsize=1)
def removed_methods() -> dict[str, RemovedMethod]:
    return {entry.name: entry for entry in legacy.REMOVED_METHODS}


@lru_cache(maxsize=1)
def merge_modes() -> dict[str, object]:
    return {entry.mode: entry for entry in legacy.MERGE_MODES}


@lru_cache(maxsize=1)
def optimizer_paths() -> frozenset[str]:
    return frozenset(legacy.OPTIMIZERS)


def optimizer_entry(path: str):
    """The :class:`LegacyOptimizer` entry of an optimizer path (lower-case aliases included), or None (asked
    for every Keras call: a dictionary lookup, not a scan of the table)."""
    return _optimizers_by_path().get(legacy.LEGACY_OPTIMIZER_ALIASES.get(path, path))


@lru_cache(maxsize=1)
def _optimizers_by_path() -> dict:
    index: dict = {}
    for entry in legacy.LEGACY_OPTIMIZERS:
        index.setdefault(entry.path, entry)  # the first entry of a path, as the scan found it
    return index


@lru_cache(maxsize=1)
def _moves_by_old() -> Mapping[str, ModuleMove]:
    """The move entry of each old module path (the first), its keys from the generated path list (no record is
    made until a path asked about is a moved one: see :class:`Known`)."""
    return Known(dict.fromkeys(old for old, _, _ in _module_moves.MOVES), _move_records)


def _move_records() -> dict[str, ModuleMove]:
    from keras_compat.data import modules

    index: dict[str, ModuleMove] = {}
    for move in modules.MODULE_MOVES:
        index.setdefault(move.old, move)
    return index


@lru_cache(maxsize=4096)
def module_move(path: str) -> ModuleMove | None:
    """The move entry whose old module is ``path`` or a parent package of it (the longest such; looked up
    by parent path rather than by scanning the table: most paths asked about are not moved)."""
    moves = _moves_by_old()
    for old in parent_paths(path):
        move = moves.get(old)
        if move is not None:
            return move
    return None


@lru_cache(maxsize=1)
def moved_module_leaves() -> frozenset[str]:
    """Last component of every moved module path (``engine.topology`` -> ``topology``)."""
    return frozenset(old.rsplit(".", 1)[-1] for old, _, _ in _module_moves.MOVES)


@lru_cache(maxsize=1)
def known_paths() -> frozenset[str]:
    """Every canonical API path the tables mention (used to resolve star imports precisely)."""
    paths: set[str] = set(layer_table.LAYER_BASES | layer_table.MODEL_BASES)
    for entry in legacy.ARG_RENAMES:
        paths.update(entry.callables)
    for conv in legacy.KERNEL_CONVERSIONS:
        paths.update(conv.callables)
    for rename in legacy.CLASS_RENAMES:
        paths.add(rename.old)
        if rename.new:
            paths.add(rename.new)
    paths.update(legacy.OPTIMIZERS)
    try:
        from keras_compat.data.backend import function_names

        paths.update(f"backend.{name}" for name in function_names())
    except ImportError:  # pragma: no cover - table not present yet
        pass
    return frozenset(paths)


@lru_cache(maxsize=8192)
def star_export(module: str, name: str) -> str | None:
    """The qualified name ``from <module> import *`` binds to ``name``; None when unknown.

    For a module of standalone Keras, the star-export tables of its releases (``data/stars``) say, and the
    releases must agree: a module or an outside object re-exported there is itself (``K`` ->
    ``keras.backend``, ``np`` -> ``numpy``), anything defined in Keras is the star-imported module's name
    (``keras.layers.Dense``). Other modules (and names no table has) bind the API paths our tables know."""
    if module == "keras" or module.startswith("keras."):
        from keras_compat.surface import stars

        found = {qualname if kind in "mx" else f"{module}.{name}" for _, kind, qualname in stars.origins(module, name)}
        if len(found) == 1:
            return found.pop()
        if found:
            return None  # the releases disagree
    resolved = keras_name(f"{module}.{name}")
    return f"{module}.{name}" if resolved is not None and resolved.path in known_paths() else None
