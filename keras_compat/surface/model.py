"""Lookups over the shipped API surfaces (``keras_compat/data/api/*.json``), loaded lazily and cached.

A file holds one reference release (see :data:`REFERENCES`) with one or more *surfaces*: the generated API
package that a flavour's names resolve to. Under ``keras-target = tf-keras`` every flavour
(``tensorflow.keras``, standalone ``keras``, ``tf_keras``) means the tf-keras 2.15 API; under ``keras3``,
``keras.X`` is Keras 3's ``keras`` package and ``tensorflow.keras.X`` is what TensorFlow >= 2.16 loads for
``tf.keras`` (``keras._tf_keras.keras``), while ``tf_keras.X`` stays the tf-keras API.

Nothing is loaded until a rule asks for a surface, i.e. until a file actually uses a Keras name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add, sub
from typing import Any

from keras_compat.names import Flavour
from keras_compat.surface.reference import REFERENCES, Signature

__all__ = ["REFERENCES", "Surface", "data_file_name", "load_document", "surface_for"]


_API_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "api")


def data_file_name(distribution: str, version: str) -> str:
    return f"{distribution}-{version}.json"


@lru_cache(maxsize=None)
def load_document(target: str) -> dict:
    """The decoded surface document of a target's reference release (read once per process)."""
    document, signatures = _parts(target)
    surfaces = {name: {**surface, "modules": dict(surface["modules"].items())}  # every module decoded
                for name, surface in document["surfaces"].items()}
    if signatures is None:
        return {**document, "surfaces": surfaces}
    return dict(sorted({**document, "surfaces": surfaces, "signatures": _signature_table(target)}.items()))


#: How the signature table starts and ends in a document's text: ``surface.extract.encode`` writes sorted keys
#: in compact JSON, so the table (an array of arrays) runs from this key to the next one, ``"surfaces"``
#: (a ``"`` inside a JSON string is escaped: neither key can occur inside the table).
_SIGNATURES, _AFTER_SIGNATURES = '"signatures":', ',"surfaces":'


@lru_cache(maxsize=None)
def _parts(target: str) -> tuple[dict, str | None]:
    """The decoded document of a target without its signature table, and the table's JSON text (None when the
    document is decoded whole). The table is three quarters of the text and only a file that calls a Keras
    function with keywords needs it: it is decoded on first use (:func:`_signature_table`)."""
    distribution, version = REFERENCES[target]
    path = os.path.join(_API_DIR, data_file_name(distribution, version))  # not importlib.resources: 5 ms to load
    with open(path, "rb") as raw:
        text = raw.read().decode("ascii")
    start = text.find(_SIGNATURES)
    end = text.find(_AFTER_SIGNATURES, start)
    if start < 0 or end < 0:  # not the layout encode() writes: decode it whole
        return json.loads(text), None
    rest, tables = _cut_module_tables(text[:start] + text[end + 1:])
    document = json.loads(rest)
    surfaces = list(document["surfaces"].values())
    if len(tables) != len(surfaces) or any(surface.get("modules") != {} for surface in surfaces):
        return json.loads(text[:start] + text[end + 1:]), text[start + len(_SIGNATURES):end]  # not as expected
    for surface, table in zip(surfaces, tables):
        surface["modules"] = _Modules(table)
    return document, text[start + len(_SIGNATURES):end]


#: How a surface's module table starts. ``surface.extract.encode`` writes sorted keys, so ``"modules"`` is a
#: surface's last key (a ``"`` inside a JSON string is escaped: the text occurs nowhere else); the table maps a
#: module path to an object of names whose values are signature indexes or ``null``, never an object, so the
#: table ends at the first ``}}`` and ``},"`` separates its modules (tests/test_api_surface.py checks the
#: split against the whole decode).
_MODULE_TABLE = '"modules":{'


def _cut_module_tables(text: str) -> tuple[str, list[str]]:
    """``text`` with every surface's module table written as ``{}``, and the tables' texts in order."""
    parts, tables = [], []
    at = 0
    while (start := text.find(_MODULE_TABLE, at)) >= 0:
        start += len(_MODULE_TABLE) - 1  # the table's "{"
        end = start + 2 if text.startswith("{}", start) else text.find("}}", start) + 2
        parts += [text[at:start], "{}"]
        tables.append(text[start:end])
        at = end
    parts.append(text[at:])
    return "".join(parts), tables


class _Modules(Mapping):  # type: ignore[type-arg]
    """A surface's module table: module path -> {name: signature index or None}, each module's names decoded
    from the table's text the first time they are asked for. A file asks about a few of the 64-67 modules, and
    decoding every module's names cost 1.6 M instructions of an editor's save (the whole document, 2.0 M)."""

    __slots__ = ("_texts", "_decoded")

    def __init__(self, table: str) -> None:
        self._texts: dict[str, str] = {}
        self._decoded: dict[str, dict[str, int | None]] = {}
        if table == "{}":
            return
        for piece in table[2:-2].split('},"'):  # each piece: <path>":{<names>
            path, _, names = piece.partition('":{')
            self._texts[path] = names

    def __contains__(self, path: object) -> bool:
        return path in self._texts

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def __getitem__(self, path: str) -> dict[str, int | None]:
        names = self._decoded.get(path)
        if names is None:
            names = self._decoded[path] = json.loads("{" + self._texts[path] + "}")
        return names

    def get(self, path: str, default: Any = None) -> Any:  # no KeyError raised and caught for a missing path
        return self[path] if path in self._texts else default


@lru_cache(maxsize=None)
def _signature_table(target: str) -> list[list]:
    document, signatures = _parts(target)
    return document["signatures"] if signatures is None else json.loads(signatures)


#: How an entry of the signature table starts: every entry is ``[kind, [params], [keywords], var_kw]`` with
#: ``kind`` "class" or "function", and every string in it is a kind, an identifier or a ``VAR_KW`` value, so
#: these texts occur nowhere else (``tests/test_api_surface.py`` checks the split against the whole decode).
_ENTRY_OPENINGS = ('["class",[', '["function",[')


@lru_cache(maxsize=None)
def _entry_starts(target: str) -> tuple[int, ...] | None:
    """The offsets of the signature table's entries in its JSON text (None: the document was decoded whole).
    Found by splitting the text at each opening, with the offsets summed in C: a regular expression, or a
    Python loop over the entries, cost 1.0-1.3 M instructions of the first file's analysis (an editor's save)."""
    signatures = _parts(target)[1]
    if signatures is None:
        return None
    starts: list[int] = []
    for opening in _ENTRY_OPENINGS:
        width = repeat(len(opening))
        # occurrence k starts after pieces 0..k and k openings: sum(len(piece_j) + width for j <= k) - width
        starts += map(sub, accumulate(map(add, map(len, signatures.split(opening)[:-1]), width)), width)
    return tuple(sorted(starts))


@lru_cache(maxsize=None)
def _signature_entry(target: str, index: int) -> list:
    """Entry ``index`` of the signature table, decoded alone: a file asks for a few signatures, and decoding the
    whole table (374 entries for tf-keras) cost 3.8 M instructions of an editor's save."""
    starts = _entry_starts(target)
    if starts is None or not 0 <= index < len(starts):
        return _signature_table(target)[index]
    text = _parts(target)[1]
    assert text is not None
    end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text) - 1  # before the "," or the final "]"
    return json.loads(text[starts[index]:end])


class Surface:
    """One API surface: modules, names, signatures."""

    def __init__(self, target: str, name: str) -> None:
        document = _parts(target)[0]
        self.distribution = document["distribution"]
        self.version = document["version"]
        self.name = name
        self._target = target
        data = document["surfaces"][name]
        self._modules: Mapping[str, dict[str, int | None]] = data["modules"]  # decoded per module: _Modules
        self._methods: dict[str, dict[str, int | None]] = data.get("methods", {})
        self.layer_kwargs: frozenset[str] = frozenset(data["layer_kwargs"])

    @property
    def label(self) -> str:
        """How messages name the surface: ``tf-keras 2.15.0``, ``Keras 3.15.1``, ``tf.keras of Keras 3.15.1``."""
        if self.distribution == "tf-keras":
            return f"tf-keras {self.version}"
        return f"Keras {self.version}" if self.name == "keras" else f"tf.keras of Keras {self.version}"

    def has_module(self, path: str) -> bool:
        return path in self._modules

    def names(self, module: str) -> frozenset[str]:
        return frozenset(self._modules.get(module, ()))

    def exports(self, module: str, name: str) -> bool:
        """Whether public module ``module`` has ``name`` (a name or a submodule)."""
        return name in self._modules.get(module, ())

    def has_name(self, path: str) -> bool:
        module, _, name = path.rpartition(".")
        return name in self._modules.get(module, {})

    def signature(self, path: str) -> Signature | None:
        """Accepted keywords of the class/function at ``path``; None when unknown or not callable."""
        module, _, name = path.rpartition(".")
        index = self._modules.get(module, {}).get(name)
        return None if index is None else Signature.from_json(_signature_entry(self._target, index))

    def method_signature(self, cls: str, method: str) -> Signature | None:
        index = self._methods.get(cls, {}).get(method)
        return None if index is None else Signature.from_json(_signature_entry(self._target, index))

    def modules_exporting(self, name: str) -> list[str]:
        """Public modules that export ``name`` (shortest paths first). A scan (one lookup per module): it is
        asked for a finding's message only, so an index of every name would cost more than it saves."""
        return sorted((m for m, names in self._modules.items() if name in names), key=lambda m: (m.count("."), m))

    def close_names(self, module: str, name: str, n: int = 3, cutoff: float = 0.75) -> list[str]:
        """``difflib.get_close_matches`` over the module's names. The candidates that difflib's own first two
        tests would reject are dropped before difflib looks at them: ``real_quick_ratio`` (the lengths) and
        ``quick_ratio`` (the characters both have, counted as difflib counts them, with ``str.count``): the
        same answer for a fraction of the work, and difflib is not even imported when no name is that
        close (difflib ranks by score, so dropping candidates it rejects cannot change its answer)."""
        size = len(name)
        counts = [(ch, name.count(ch)) for ch in set(name)]
        candidates = []
        for c in sorted(self.names(module)):
            total = len(c) + size
            if 2.0 * min(len(c), size) / total >= cutoff and \
                    2.0 * sum([min(c.count(ch), k) for ch, k in counts]) / total >= cutoff:
                candidates.append(c)
        if not candidates:
            return []
        import difflib  # only for a finding's message

        return difflib.get_close_matches(name, candidates, n=n, cutoff=cutoff)


@lru_cache(maxsize=None)
def _surface(target: str, name: str) -> Surface:
    return Surface(target, name)


def native_keras3_surface() -> Surface:
    """Keras 3's own public API (``keras.*``, not TensorFlow's ``tf.keras`` shim)."""
    return _surface("keras3", "keras")


def surface_for(flavour: Flavour, target: str) -> Surface | None:
    """The surface names of ``flavour`` are checked against under ``target``; None: not checked."""
    if flavour is Flavour.TF_PYTHON:
        return None
    if flavour is Flavour.TF_KERAS_PKG or target == "tf-keras":
        return _surface("tf-keras", "tf_keras")
    return _surface("keras3", "keras" if flavour is Flavour.KERAS else "tf.keras")
