"""Standalone Keras' star exports (``from keras.layers import *``), extracted statically from its releases.

A star import binds every public name of a module's namespace, including the modules and helpers that
the module imported for its own use: ``from keras.layers import *`` gave standalone Keras users ``K``
(``keras.backend``), ``activations``, ``np`` ... which ``tensorflow.keras.layers`` does not. The tables
(``keras_compat/data/stars/keras-<version>.json.gz``) record, for every module of the reference releases,
each name its star import binds and what that is: ``["c", qualname]`` a class, ``["o", qualname]`` another
object defined in Keras, ``["m", module]`` a module of Keras, ``["x", qualname]`` something from outside
Keras (``numpy``). They are computed with the project index (:mod:`keras_compat.project`) run over the
release's own sources, so a table and the index agree by construction; nothing is imported.
"""

from __future__ import annotations

import json
import os
import zlib
from functools import lru_cache
from typing import TYPE_CHECKING

from keras_compat.project import CLASS, EXTERNAL, MODULE, OPAQUE, View

if TYPE_CHECKING:
    from pathlib import Path

# The tables are read with zlib, not gzip or importlib.resources: importing those (with shutil, bz2, lzma,
# tempfile, random) cost every host start-up that checks a Keras file several million instructions.
_STARS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "stars")

#: The releases whose star exports are shipped: the last Keras 1 and the last multi-backend Keras 2 before
#: the tf.keras redirect (most legacy code on PyPI was written against one of them).
RELEASES: tuple[tuple[str, str], ...] = (("keras", "1.2.2"), ("keras", "2.2.4"))
FORMAT = 1
_KINDS = {CLASS: "c", OPAQUE: "o", MODULE: "m", EXTERNAL: "x"}


def file_name(distribution: str, version: str) -> str:
    return f"{distribution}-{version}.json.gz"


def _module_name(site: Path, path: Path) -> str | None:
    parts = list(path.relative_to(site).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    if not all(p.isidentifier() for p in parts):
        return None
    return ".".join(parts)


def extract(site: Path, distribution: str, version: str, package: str = "keras") -> dict:
    """The star exports of every module of ``package`` under ``site`` (the directory holding it)."""
    modules: dict[str, dict] = {}
    for path in sorted((site / package).rglob("*.py")):
        modname = _module_name(site, path)
        if modname is None or any(part.startswith("_") for part in modname.split(".")):
            continue
        view = View(str(site / "__extract__.py"), _unreadable, library=True)  # every module read from disk
        names, open_ = view.star_names(modname)
        entries: dict[str, list[str]] = {}
        for name in sorted(names):
            target = view.exported(modname, name)
            kind = _KINDS.get(target.kind)
            if kind is not None and not target.qualname.startswith("__future__."):  # features, not API
                entries[name] = [kind, target.qualname]
        if entries or open_:
            modules[modname] = {"open": open_, "names": entries}
    return {"format": FORMAT, "distribution": distribution, "version": version, "modules": modules}


def _unreadable():
    raise AssertionError("the extraction has no analysed file of its own")


def encode(document: dict) -> bytes:
    """Deterministic bytes (sorted keys, no gzip timestamp)."""
    import gzip  # writing a table (the generator), never when checking

    raw = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    return gzip.compress(raw, mtime=0)


@lru_cache(maxsize=None)
def load(distribution: str, version: str) -> dict:
    """A shipped table (read once per process, on the first star import of standalone Keras)."""
    with open(os.path.join(_STARS_DIR, file_name(distribution, version)), "rb") as raw:
        return json.loads(zlib.decompress(raw.read(), 16 + zlib.MAX_WBITS))  # gzip's format


def origins(module: str, name: str) -> list[tuple[str, str, str]]:
    """``(version, kind, qualname)`` of ``name`` in ``from <module> import *`` for each release that has it."""
    found = []
    for distribution, version in RELEASES:
        entry = load(distribution, version)["modules"].get(module)
        if entry is not None and name in entry["names"]:
            kind, qualname = entry["names"][name]
            found.append((version, kind, qualname))
    return found


def known_module(module: str) -> bool:
    """Whether some shipped release has ``module``."""
    return any(module in load(d, v)["modules"] for d, v in RELEASES)
