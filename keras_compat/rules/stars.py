"""Star-import leakage (KC110): names a module only has because standalone Keras' star imports leaked them.

``from keras.layers import *`` binds every public name of standalone Keras' ``keras.layers`` namespace,
including the modules and helpers that Keras imported for its own use (``K``, ``np``, ``activations``...).
Code that uses them works until the import is migrated: ``tensorflow.keras.layers`` and Keras 3's
``keras.layers`` export their API only, so the same star import no longer binds them (``NameError``). The
facts come from the releases' own sources (:mod:`keras_compat.surface.stars`), the destination's exports
from the API surfaces (:mod:`keras_compat.surface.model`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import partial
from itertools import compress
from operator import attrgetter, is_

from keras_compat.context import Context
from keras_compat.diagnostics import Diagnostic, Edit, Fix
from keras_compat.guards import import_guard
from keras_compat.names import Flavour, keras_name
from keras_compat.registry import Bad, Execution, FixAvailability, Good, Severity, rule
from keras_compat.surface.model import surface_for

#: Keras objects a star import leaks when they come from these modules (helpers, not API re-exports).
_HELPER_MODULES = ("keras.utils.", "keras.backend.")


def _statement(origin: str, name: str) -> str:
    """The explicit import binding ``name`` to ``origin``, as standalone Keras itself wrote it."""
    parent, _, leaf = origin.rpartition(".")
    if not parent:
        return f"import {origin}" + (f" as {name}" if name != origin else "")
    return f"from {parent} import {leaf}" + (f" as {name}" if name != leaf else "")


def _leak(module: str, name: str, target: str) -> tuple[str, str, bool] | None:
    """``(origin, explicit import, fixable)`` when ``name`` is one that ``from <module> import *`` only bound
    because standalone Keras imported it there, and that the migrated module does not export; else None."""
    from keras_compat.surface import stars  # the star-export tables: only for a star import

    found = stars.origins(module, name)
    if not found:
        return None
    resolved = keras_name(module)
    if resolved is None or resolved.flavour is not Flavour.KERAS:
        return None
    surface = surface_for(Flavour.KERAS, target)
    if surface is not None and surface.exports(resolved.path, name):
        return None  # still exported after the migration (``Layer`` from ``keras.layers``)
    if not all(kind in "mx" or (kind == "o" and origin.startswith(_HELPER_MODULES)) for _, kind, origin in found):
        return None  # part of the module's API, renamed or removed: other rules' business
    statements = {_statement(origin, name) for _, _, origin in found}
    origin = found[-1][2]
    return origin, _statement(origin, name), len(statements) == 1


def _destination(module: str, target: str) -> str:
    resolved = keras_name(module)
    assert resolved is not None
    root = "keras" if target == "keras3" else "tensorflow.keras"
    return f"{root}.{resolved.path}" if resolved.path else root


def _star_nodes(ctx: Context) -> dict[str, ast.ImportFrom]:
    """The module's star imports by absolute module (the last one of each)."""
    found = {}
    for node in ctx.import_nodes:
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            absolute = ctx.resolver.absolute("." * node.level + (node.module or ""))
            if absolute is not None:
                found[absolute] = node
    return found


def _insertion(ctx: Context, node: ast.ImportFrom, statement: str) -> Edit | None:
    """An insert of ``statement`` right after the star import, at its indentation; None when the line goes on
    after it (``from x import *; y``)."""
    lines = ctx.positions.lines  # split like the tokenizer, once per module
    end_line = node.end_lineno or node.lineno
    if end_line > len(lines):
        return None
    rest = lines[end_line - 1][ctx.range(node)[3]:]
    if not re.fullmatch(r"[ \t]*(#.*)?(\r\n|\r|\n)?", rest):
        return None
    first = lines[node.lineno - 1]
    indent = first[:len(first) - len(first.lstrip(" \t"))]
    newline = "\r\n" if lines[end_line - 1].endswith("\r\n") else "\n"
    if not lines[end_line - 1].endswith(("\n", "\r")):
        return Edit.insert(end_line, len(lines[end_line - 1]), newline + indent + statement)
    return Edit.insert(end_line + 1, 0, indent + statement + newline)


def _first_reads(ctx: Context) -> list[ast.Name]:
    """The first read of each name (source order; of two reads at one position, the first in the parent map),
    in source order. Every node but the module is a key of the parent map: no walk of the tree, and the loops
    in C (a module with star imports is often long): the reads sorted by position (a stable sort keeps the
    parent map's order at one position), the names in the order they first occur there, and for each name
    its first read (a dictionary made from the reads in reverse keeps the first of each)."""
    parents = ctx.parents
    names = list(compress(parents, map(_IS_NAME, map(type, parents))))
    reads = sorted(compress(names, map(_IS_LOAD, map(type, map(_CTX, names)))), key=_START)
    backwards = reads[::-1]
    first = dict(zip(map(_ID, backwards), backwards))
    return list(map(first.__getitem__, dict.fromkeys(map(_ID, reads))))


_IS_NAME = partial(is_, ast.Name)
_IS_LOAD = partial(is_, ast.Load)
_CTX, _ID, _START = attrgetter("ctx"), attrgetter("id"), attrgetter("lineno", "col_offset")


@rule(
    code="KC110",
    symbol="star-import-leak",
    severity=Severity.ERROR,
    message="'{name}' comes only from 'from {module} import *'{via}, where standalone Keras leaked {origin}; "
            "{destination} does not export it ({consequence}) -> add '{statement}'",
    summary="A name the module only has because standalone Keras' star import leaked it (`K`, `np` ...)",
    fix=FixAvailability.SOMETIMES,
    what="Finds the first use of each name that a module gets only from a star import of standalone Keras "
         "(`from keras.layers import *`, directly or through a star import of another module of the "
         "project) when the name is not part of that module's API but something standalone Keras imported "
         "for its own use: the backend as `K`, `activations`, `initializers`, `np`, helper functions. The "
         "names each module of keras 1.2.2 and 2.2.4 leaked were extracted from their sources. Star "
         "imports inside compatibility code (`try/except ImportError`, `if`/`else` on the Keras flavour) "
         "are left alone.",
    why="A star import binds every public name of the module's namespace, and standalone Keras' layer and "
        "model modules imported `backend as K`, `numpy as np`, `activations` ... at their top. "
        "`tensorflow.keras.layers` and Keras 3's `keras.layers` are generated API modules that export "
        "their API only, so once the import is migrated (or the code runs on Keras 3) the name is unbound "
        "and the module fails with `NameError` where it uses it (verified on Keras 3.15.1).",
    fix_safety="Safe: the explicit import is inserted right after the star import and binds the name to "
               "what the star import bound it to, written in the module's current flavour (`from keras "
               "import backend as K`, as Keras itself wrote it), so that the module's import migration "
               "moves it with the star import. No fix when the Keras releases disagree on what the name "
               "was, or when the star import's line goes on after it.",
    bad=(
        Bad("from keras.layers import *\n\n\nclass Scale(Layer):\n    def call(self, inputs):\n"
            "        return K.sum(inputs)  # error: KC110\n\n\nlayer = Scale()\n",
            fixed="from keras.layers import *\nfrom keras import backend as K\n\n\nclass Scale(Layer):\n"
                  "    def call(self, inputs):\n        return K.sum(inputs)  # error: KC110\n\n\nlayer = Scale()\n"),
        Bad("from keras.models import Sequential\nfrom keras.layers import *\n\n"
            "weights = np.zeros((3, 3))  # error: KC110\nlayer = Dense(3, activation=activations.relu)  # error: KC110\n",
            fixed="from keras.models import Sequential\nfrom keras.layers import *\nimport numpy as np\n"
                  "from keras import activations\n\nweights = np.zeros((3, 3))  # error: KC110\n"
                  "layer = Dense(3, activation=activations.relu)  # error: KC110\n"),
    ),
    good=(
        "from keras.layers import *\nfrom keras import backend as K\n\n\nclass Scale(Layer):\n"
        "    def call(self, inputs):\n        return K.sum(inputs)\n",
        Good("from tensorflow.keras.layers import *\nimport numpy as np\n\nweights = np.zeros((3, 3))\n"
             "layer = Dense(3)\n", targets=("tf-keras",)),
        Good("from keras.layers import *\nimport numpy as np\n\nweights = np.zeros((3, 3))\nlayer = Dense(3)\n",
             targets=("keras3",)),
        "from keras.layers import *\n\nlayer = Dense(3, activation='relu')\nx = Input((3,))\n",
        "try:\n    from tensorflow.keras.layers import *\nexcept ImportError:\n    from keras.layers import *\n"
        "K = None\n",
    ),
    execution=Execution(runtimes=("keras3",), expect=r"NameError: .*name '(K|np)' is not defined",
                        check="if 'layer' in globals():\n    layer(__import__('numpy').ones((1, 2), 'float32'))\n"),
)
def star_import_leak(ctx: Context) -> Iterator[Diagnostic]:
    resolver = ctx.resolver
    if not resolver.module_scope.star_modules:
        return
    nodes = _star_nodes(ctx)
    for node in _first_reads(ctx):
        if not ctx.may_come_from_star(node.id):
            continue  # then from_star is None: no star import binds the name
        source = resolver.from_star(node)
        if source is None:
            continue
        module, _ = source
        star = nodes.get(module)
        if star is None or import_guard(star, ctx.parents).guarded:
            continue
        keras_module = module
        if keras_name(module) is None:  # a project module's star import, passing on one of Keras
            if ctx.project is None:
                continue
            keras_module = ctx.project.exported(module, node.id).via
            if not keras_module:
                continue
        leak = _leak(keras_module, node.id, ctx.settings.target)
        if leak is None:
            continue
        origin, statement, fixable = leak
        fix: Fix | None = None
        if fixable:
            edit = _insertion(ctx, star, statement)
            if edit is not None:
                fix = ctx.fix(f"Import {node.id} explicitly", [edit], safe=True)
        via = "" if keras_module == module else f" (through 'from {module} import *')"
        yield ctx.report("KC110", node, fix, name=node.id, module=keras_module, via=via, origin=origin,
                         destination=_destination(keras_module, ctx.settings.target), statement=statement,
                         consequence="NameError on Keras 3" if ctx.settings.target == "keras3"
                         else "NameError after migration")
