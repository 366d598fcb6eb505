"""Keras flavours and flavour-free API paths.

A qualified name such as ``tensorflow.keras.layers.Conv2D`` is split into its flavour (which Keras
distribution provides it) and its flavour-free API path (``layers.Conv2D``). Tables and rules match on
the API path, so one table serves every flavour. Private module paths are canonicalised to the public
name (``keras.layers.convolutional.Conv2D`` -> ``layers.Conv2D``) using the module-move table.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache


class Flavour(enum.Enum):
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


@dataclass(frozen=True)
class KerasName:
    """A resolved Keras name: its flavour, raw path under the Keras root, and canonical path."""

    qualname: str
    flavour: Flavour
    raw: str  # path below the flavour root, e.g. "layers.convolutional.Conv2D" ("" for the root)
    path: str  # canonical flavour-free path, e.g. "layers.Conv2D"

    @property
    def leaf(self) -> str:
        return self.path.rsplit(".", 1)[-1]


def split_flavour(qualname: str) -> tuple[Flavour, str] | None:
    """``"tensorflow.keras.layers.Dense"`` -> ``(TF_KERAS, "layers.Dense")``; None if not Keras."""
    for prefix, flavour in _PREFIXES:
        if qualname == prefix:
            return flavour, ""
        if qualname.startswith(prefix + "."):
            rest = qualname[len(prefix) + 1:]
            if flavour is Flavour.TF_KERAS_PKG and rest.startswith("src."):
                rest = rest[4:]
            return flavour, rest
    return None


def _moves() -> tuple:
    try:
        from keras_compat.data.modules import MODULE_MOVES
    except ImportError:  # pragma: no cover - table module not generated yet
        return ()
    return MODULE_MOVES


@lru_cache(maxsize=1)
def _move_index() -> tuple[tuple[str, str | None, dict[str, str]], ...]:
    entries = [(m.old, m.new, dict(m.names)) for m in _moves()]
    entries.sort(key=lambda e: -len(e[0]))  # longest prefix first
    return tuple(entries)


_LAYER_SUBMODULE_ROOTS = ("layers.", "src.layers.")


@lru_cache(maxsize=4096)
def canonical(raw: str) -> str:
    """Map a raw API path to its public, flavour-free form."""
    path = raw
    for old, new, names in _move_index():
        if path == old:
            return new if new is not None else path
        if path.startswith(old + "."):
            tail = path[len(old) + 1:]
            leaf = tail.rsplit(".", 1)[-1]
            if tail in names:
                return names[tail]
            if leaf in names:
                return names[leaf]
            if new is None:
                return path
            return f"{new}.{leaf}" if new else leaf
    return path


@lru_cache(maxsize=16384)
def keras_name(qualname: str) -> KerasName | None:
    """Classify a fully qualified dotted name; None when it is not a Keras name (memoised: rules ask
    about the same few hundred names for every attribute and call of every file)."""
    split = split_flavour(qualname)
    if split is None:
        return None
    flavour, raw = split
    return KerasName(qualname, flavour, raw, canonical(raw) if raw else "")


def root_module(flavour: Flavour) -> str:
    """Import path of the flavour's root module."""
    return flavour.value
