"""Keras flavours and flavour-free API paths.

A qualified name such as ``tensorflow.keras.layers.Conv2D`` is split into its flavour (which Keras
distribution provides it) and its flavour-free API path (``layers.Conv2D``). Tables and rules match on
the API path, so one table serves every flavour. Private module paths are canonicalised to the public
name (``keras.layers.convolutional.Conv2D`` -> ``layers.Conv2D``) using the module-move table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from keras_compat.record import Choice, Record


class Flavour(Choice):
    """Where a Keras name comes from."""

    KERAS = "keras"  # standalone keras package (1.x/2.x multi-backend, 2.4+ redirect, or Keras 3)
    TF_KERAS = "tensorflow.keras"  # tf.keras through TensorFlow's public API
    TF_PYTHON = "tensorflow.python.keras"  # TensorFlow's private frozen copy
    TF_KERAS_PKG = "tf_keras"  # the tf-keras package (Keras 2 API for TF >= 2.16)

    @property
    def modern(self) -> bool:
        return self in (Flavour.TF_KERAS, Flavour.TF_KERAS_PKG)


_PREFIXES: tuple[tuple[str, Flavour], ...] = (
    ("tensorflow.python.keras", Flavour.TF_PYTHON),
    ("tensorflow.compat.v1.keras", Flavour.TF_KERAS),
    ("tensorflow.compat.v2.keras", Flavour.TF_KERAS),
    ("tensorflow.contrib.keras.api.keras", Flavour.TF_PYTHON),
    ("tensorflow.contrib.keras", Flavour.TF_PYTHON),
    ("tensorflow.keras", Flavour.TF_KERAS),
    ("tf_keras", Flavour.TF_KERAS_PKG),
    ("keras", Flavour.KERAS),
)


#: Top-level packages that hold a Keras flavour: inside one of them, its own names are its layout.
LIBRARY_ROOTS = frozenset(prefix.split(".")[0] for prefix, _ in _PREFIXES)
#: Module-path parts that every Keras prefix contains: a qualified name without one is not Keras.
KERAS_PARTS = frozenset(part for prefix, _ in _PREFIXES for part in prefix.split(".") if "keras" in part)
assert all(KERAS_PARTS & set(prefix.split(".")) for prefix, _ in _PREFIXES)


class KerasName(Record):
    """A resolved Keras name: its flavour, raw path under the Keras root, and canonical path."""

    qualname: str
    flavour: Flavour
    raw: str  # path below the flavour root, e.g. "layers.convolutional.Conv2D" ("" for the root)
    path: str  # canonical flavour-free path, e.g. "layers.Conv2D"

    def __init__(self, qualname: str, flavour: Flavour, raw: str, path: str) -> None:
        # Written out (tests/test_record.py checks it against the fields): one per distinct Keras name a process
        # meets, hundreds in a host's run, and the generic initialiser costs about four times as much.
        values = self.__dict__
        values["qualname"], values["flavour"], values["raw"], values["path"] = qualname, flavour, raw, path

    @property
    def leaf(self) -> str:
        return self.path.rsplit(".", 1)[-1]


#: :data:`_PREFIXES` by their first part, in their order, each with its dotted form and length.
_PREFIXES_BY_ROOT: dict[str, tuple[tuple[str, str, int, Flavour], ...]] = {
    root: tuple((prefix, prefix + ".", len(prefix) + 1, flavour) for prefix, flavour in _PREFIXES
                if prefix.partition(".")[0] == root)
    for root in dict.fromkeys(prefix.partition(".")[0] for prefix, _ in _PREFIXES)}


def split_flavour(qualname: str) -> tuple[Flavour, str] | None:
    """``"tensorflow.keras.layers.Dense"`` -> ``(TF_KERAS, "layers.Dense")``; None if not Keras. (The first
    prefix of :data:`_PREFIXES` that matches; only those with the name's first part are tried.)"""
    for prefix, dotted, length, flavour in _PREFIXES_BY_ROOT.get(qualname.partition(".")[0], ()):
        if qualname == prefix:
            return flavour, ""
        if qualname.startswith(dotted):
            rest = qualname[length:]
            if flavour is Flavour.TF_KERAS_PKG and rest.startswith("src."):
                rest = rest[4:]
            return flavour, rest
    return None


def _moves() -> tuple[tuple[str, str | None, tuple[tuple[str, str], ...]], ...]:
    """(old, new, names) of every entry of the module-move table, from the generated
    keras_compat/data/_module_moves.py: canonical() needs no more of the table, and building its records
    cost every flake8 start on a Keras file 0.9 M instructions (knowledge.module_move builds them for a move)."""
    try:
        from keras_compat.data._module_moves import MOVES
    except ImportError:  # pragma: no cover - not generated yet
        return ()
    return MOVES


def parent_paths(path: str) -> Iterator[str]:
    """``"a.b.c"`` -> ``"a.b.c"``, ``"a.b"``, ``"a"``: the path and its parent packages, longest first.

    A table keyed by module path answers "the longest entry that is ``path`` or a parent package of it"
    with one dictionary lookup per component instead of a scan of the whole table."""
    while True:
        yield path
        cut = path.rfind(".")
        if cut < 0:
            return
        path = path[:cut]


@lru_cache(maxsize=1)
def _moves_by_old() -> dict[str, tuple[str | None, dict[str, str]]]:
    """(new module, renamed names) of each moved module, by old module path."""
    index: dict[str, tuple[str | None, dict[str, str]]] = {}
    for old, new, names in _moves():
        index.setdefault(old, (new, dict(names)))
    return index


_LAYER_SUBMODULE_ROOTS = ("layers.", "src.layers.")


@lru_cache(maxsize=4096)
def canonical(raw: str) -> str:
    """Map a raw API path to its public, flavour-free form (the longest moved module containing it wins)."""
    moves = _moves_by_old()
    for old in parent_paths(raw):
        found = moves.get(old)
        if found is None:
            continue
        new, names = found
        if old == raw:
            return new if new is not None else raw
        tail = raw[len(old) + 1:]
        leaf = tail.rsplit(".", 1)[-1]
        if tail in names:
            return names[tail]
        if leaf in names:
            return names[leaf]
        if new is None:
            return raw
        return f"{new}.{leaf}" if new else leaf
    return raw


@lru_cache(maxsize=16384)
def keras_name(qualname: str) -> KerasName | None:
    """Classify a fully qualified dotted name; None when it is not a Keras name (memoised: rules ask
    about the same few hundred names for every attribute and call of every file)."""
    split = split_flavour(qualname)
    if split is None:
        return None
    flavour, raw = split
    return KerasName(qualname, flavour, raw, canonical(raw) if raw else "")


def _leaf(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def raw_leaves(paths: Iterable[str]) -> frozenset[str]:
    """The last components a dotted name can end with and still canonicalise to one of ``paths``.

    :func:`canonical` keeps the last component except where the module-move table renames a name or a
    whole module, so a rule can skip an attribute whose name is not in this set without resolving it."""
    wanted = set(paths)
    leaves = {_leaf(path) for path in wanted}
    if "" in wanted:  # a flavour root itself (``tensorflow.keras``)
        leaves.update(_leaf(prefix) for prefix, _ in _PREFIXES)
    for moved, new_module, names in _moves():
        if new_module in wanted:
            leaves.add(_leaf(moved))
        leaves.update(_leaf(old) for old, new in names if new in wanted)
    return frozenset(leaves)


def root_module(flavour: Flavour) -> str:
    """Import path of the flavour's root module."""
    return flavour.value
