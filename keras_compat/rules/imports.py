"""Import and environment rules (KC101-KC108): which Keras is imported, and from where."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from keras_compat.context import Context, ImportRecord, in_source_order
from keras_compat.data.environment import BACKEND_MODULES as _BACKEND_MODULES
from keras_compat.data.environment import KERAS3_BACKENDS
from keras_compat.data.environment import REMOVED_BACKENDS as _REMOVED_BACKENDS
from keras_compat.diagnostics import Diagnostic
from keras_compat.knowledge import module_move
from keras_compat.migration import (
    COMPAT_ROOTS,
    attribute_chain,
    chains_through_moved,
    in_fallback,
    is_private,
    module_plan,
    shim_only,
)
from keras_compat.names import Flavour, KerasName, keras_name
from keras_compat.registry import Bad, FixAvailability, Good, ImportFree, Severity, rule

_TF = "tensorflow.keras"
_BACKEND_PREFIXES = tuple(_BACKEND_MODULES)


def _tf_path(name: KerasName) -> str:
    return f"{_TF}.{name.path}" if name.path else _TF


def _import_statement(record: ImportRecord, module: str) -> str | None:
    """Rewrite one import alias to import the same thing from ``module`` (a tensorflow.keras path)."""
    alias = record.alias
    node = record.node
    if isinstance(node, ast.Import):
        parent, _, leaf = module.rpartition(".")
        bound = alias.asname or alias.name.split(".")[0]
        if alias.asname is None and "." in alias.name:
            return "from tensorflow import keras" if bound == "keras" else None
        return f"from {parent} import {leaf}" + (f" as {bound}" if bound != leaf else "")
    return None


def _replacement(record: ImportRecord) -> str:
    """The tensorflow.keras spelling of an import, as a user would write it."""
    assert record.keras is not None
    node, alias = record.node, record.alias
    if isinstance(node, ast.Import):
        return _import_statement(record, _tf_path(record.keras)) or f"import {_tf_path(record.keras)}"
    module = keras_name(record.keras.qualname.rsplit(".", 1)[0])
    target = _tf_path(module) if module else _TF
    return f"from {target} import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")


def _is_private(record: ImportRecord) -> bool:
    return record.keras is not None and is_private(record.keras)


@rule(
    code="KC101",
    symbol="standalone-keras-import",
    severity=Severity.WARNING,
    message="standalone Keras import '{old}' -> '{new}'",
    summary="Import from the standalone keras package instead of tensorflow.keras",
    fix=FixAvailability.SOMETIMES,
    targets=("tf-keras",),
    what="Finds imports from the standalone `keras` package (`import keras`, `from keras.layers import "
         "Dense`, `import keras.backend as K`).",
    why="Standalone Keras 1.x/2.x is unmaintained, and since Keras 2.4 `keras` is a redirect to tf.keras; "
        "with TensorFlow >= 2.16 it is Keras 3, a different API. Code written for Keras 2 should import "
        "the Keras 2 API of TensorFlow explicitly, from `tensorflow.keras`. Imports inside "
        "`try/except ImportError` or `if`/`else` branches that fall back to `tensorflow.keras` are "
        "compatibility code and are not reported. With `keras-target = keras3`, standalone `keras` is the "
        "recommended form and this rule is silent.",
    fix_safety="Unsafe: it changes which library provides the objects (tf.keras instead of standalone "
               "keras), which can change behaviour. Private module paths are left to KC103.",
    bad=(
        Bad("import keras.backend as K  # error: KC101\n",
            fixed="from tensorflow.keras import backend as K  # error: KC101\n", unsafe=True),
        Bad("from keras.layers import Dense, Conv2D  # error: KC101\n",
            fixed="from tensorflow.keras.layers import Dense, Conv2D  # error: KC101\n", unsafe=True),
        Bad("import keras  # error: KC101\nmodel = keras.Sequential()\n",
            fixed="from tensorflow import keras  # error: KC101\nmodel = keras.Sequential()\n", unsafe=True),
        Bad("import keras as k  # error: KC101\n",
            fixed="from tensorflow import keras as k  # error: KC101\n", unsafe=True),
        Bad("from keras.layers import Dense  # error: KC101\nfrom keras.utils import np_utils  # error: KC103\n"
            "y = np_utils.to_categorical(labels, 10)\n",
            fixed="from tensorflow.keras.layers import Dense  # error: KC101\n"
                  "from tensorflow.keras import utils as np_utils  # error: KC103\n"
                  "y = np_utils.to_categorical(labels, 10)\n", unsafe=True),

    ),
    good=(
        "from tensorflow.keras import backend as K\nfrom tensorflow.keras.layers import Dense\n",
        "try:\n    from tensorflow import keras\nexcept ImportError:\n    import keras\n",
        "import os\nif os.environ.get('TF_KERAS'):\n    import tensorflow.keras as keras\nelse:\n    import keras\n",
        "import tf_keras as keras\n",
    ),
)
def standalone_import(ctx: Context) -> Iterator[Diagnostic]:
    reported: set[int] = set()
    for record in ctx.imports:
        name = record.keras
        if name is None or name.flavour is not Flavour.KERAS or _is_private(record):
            continue
        if name.raw.startswith(_BACKEND_PREFIXES):
            continue
        if record.guard.switch or record.guard.guarded and any(f.modern for f in record.guard.alternatives):
            continue  # compatibility code: a fallback to tf.keras, or a version/flavour switch's branch
        node = record.node
        if isinstance(node, ast.ImportFrom):
            if id(node) in reported:
                continue  # one finding per statement
            reported.add(id(node))
            module = keras_name(node.module or "")
            assert module is not None
            old, new = f"from {node.module} import", f"from {_tf_path(module)} import"
            where: ast.AST | tuple[int, int, int, int] = _module_range(ctx, node)
        else:
            old, new, where = f"import {_alias_text(record.alias)}", _replacement(record), record.alias
        yield ctx.report("KC101", where, lambda: module_plan(ctx).transaction_for(node), old=old, new=new)


def _alias_text(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def _module_range(ctx: Context, node: ast.ImportFrom) -> tuple[int, int, int, int]:
    """Character range of the module name in ``from <module> import ...``."""
    line, col, _, _ = ctx.range(node)
    text = ctx.positions.line_text(line)
    module = node.module or ""
    # ``from\s+<module>``, with string operations (compiling a regex per module name cost more than the rest)
    after = col + len("from")
    start = len(text) - len(text[after:].lstrip())
    if text.startswith("from", col) and start > after and text.startswith(module, start):
        return line, start, line, start + len(module)
    return ctx.range(node)


def _family(flavour: Flavour, keras3: bool) -> str:
    """The library a flavour denotes: under keras3, tf.keras (TF >= 2.16) is Keras 3 like standalone keras."""
    if keras3 and flavour in (Flavour.KERAS, Flavour.TF_KERAS):
        return "Keras 3 (keras / tensorflow.keras)"
    return "standalone keras" if flavour is Flavour.KERAS else flavour.value


@rule(
    code="KC102",
    symbol="mixed-keras-imports",
    severity=Severity.ERROR,
    message="module imports both {first} (line {first_line}) and {second}: their objects are not "
            "interchangeable -> import everything from {preferred}",
    summary="One module imports standalone keras and tensorflow.keras",
    what="Finds modules that import both the standalone `keras` package and `tensorflow.keras` (or "
         "TensorFlow's private `tensorflow.python.keras`) outside alternative branches.",
    why="Layers, models and tensors of the two libraries are different classes. Mixing them fails at "
        "model-building time with obscure errors (`'Tensor' object has no attribute '_keras_history'`, "
        "`ValueError: Layer ... was called with an input that isn't a symbolic tensor`). With `keras-target = "
        "keras3`, `tensorflow.keras` is Keras 3's own compatibility shim (TF >= 2.16 re-exports the same "
        "classes), so mixing it with `keras` is left to KC107; mixing Keras 3 with `tf_keras` (Keras 2) or "
        "`tensorflow.python.keras` is reported.",
    fix_safety="No automatic fix: choose one library and import everything from it (KC101 offers the "
               "per-import rewrite, KC107 under `keras-target = keras3`).",
    bad=(
        Bad("import keras\nfrom tensorflow.keras.layers import Dense  # error: KC102\n", targets=("tf-keras",)),
        Bad("from tensorflow import keras\nfrom keras.layers import LSTM  # error: KC102\n", targets=("tf-keras",)),
        Bad("import tensorflow as tf\nfrom keras.models import Model\n"
            "x = tf.keras.layers.Dense(3)  # error: KC102\n", targets=("tf-keras",)),
        Bad("import keras\nfrom tf_keras.layers import Dense  # error: KC102, KC108\n", targets=("keras3",)),
    ),
    good=(
        "try:\n    from tensorflow import keras\nexcept ImportError:\n    import keras\n"
        "from tensorflow.keras.layers import Dense\n",
        "from tensorflow import keras\nfrom tensorflow.keras.layers import Dense\n",
        "import keras\nfrom keras.layers import Dense\n",
        Good("import keras\nfrom tensorflow.keras.layers import Dense\n", targets=("keras3",)),
    ),
)
def mixed_imports(ctx: Context) -> Iterator[Diagnostic]:
    keras3 = ctx.settings.target == "keras3"
    # (position, family, node, enclosing function): imports in two different functions are alternatives
    # (one function per framework); mixing means both in one function, or one of them at module level
    # where every function sees it.
    events: list[tuple[tuple[int, int], str, ast.AST, int | None]] = []
    for record in ctx.imports:
        name = record.keras
        if name is None or name.flavour is Flavour.TF_KERAS_PKG and not keras3:
            continue
        if record.guard.guarded and record.guard.alternatives - {name.flavour}:
            continue
        family = _family(name.flavour, keras3)
        function = _enclosing_function(ctx, record.node) if record.in_function else None
        events.append(((record.node.lineno, record.node.col_offset), family, record.alias, function))
    # A ``tf.keras.X`` attribute is one more use of tf.keras: it can only mix with an import of another family.
    tf_keras = _family(Flavour.TF_KERAS, keras3)
    others = any(event[1] != tf_keras for event in events)
    spelled = _lines_with(ctx, "keras") if others and imports_package(ctx, "tensorflow") else set()
    for attr in ctx.keras_chains if spelled else ():  # (the other chains are not Keras)
        if not isinstance(attr.value, (ast.Name, ast.Attribute)):
            continue
        if attr.lineno not in spelled and (attr.end_lineno == attr.lineno or not any(
                line in spelled for line in range(attr.lineno + 1, (attr.end_lineno or attr.lineno) + 1))):
            continue  # its text cannot contain "keras" (tested below): no need to resolve it
        name = ctx.keras(attr)
        if name is not None and name.flavour is Flavour.TF_KERAS and "keras" in ctx.segment(attr):
            events.append(((attr.lineno, attr.col_offset), _family(name.flavour, keras3), attr,
                           _enclosing_function(ctx, attr)))
    events.sort(key=lambda e: e[0])
    by_function: dict[int | None, list[tuple[tuple[int, int], str, ast.AST, int | None]]] = {}
    for event in events:
        by_function.setdefault(event[3], []).append(event)
    module_level = by_function.get(None, [])
    for function, local in by_function.items():
        merged = sorted(local + (module_level if function is not None else []), key=lambda e: e[0])
        seen: dict[str, int] = {}
        for (line, _), family, node, _ in merged:
            if family not in seen:
                seen[family] = line
                if len(seen) == 2:
                    first = next(iter(seen))
                    yield ctx.report("KC102", node, first=first, first_line=seen[first], second=family,
                                     preferred="keras" if keras3 else _TF)
                    return


def _lines_with(ctx: Context, word: str) -> set[int]:
    """The (1-based, physical) lines whose text contains ``word``: a node on none of them cannot spell it,
    which a set lookup tells before resolving the node (memoised per file; lines as the context's line table
    counts them, like the tokenizer)."""
    key = ("lines with", word)
    found: set[int] | None = ctx.memo.get(key)  # type: ignore[assignment]
    if found is None:
        found = ctx.memo[key] = set()
        text, line_of = ctx.text, ctx.positions.line_of
        at = text.find(word)
        while at >= 0:
            found.add(line_of(at))
            at = text.find(word, at + 1)
    return found


def imports_package(ctx: Context, package: str) -> bool:
    """Whether the module imports ``package`` or a module under it: qualified names come from imports,
    so without one no expression resolves into the package (``tensorflow.keras``, ``os.environ``)."""
    return any(record.qualname.split(".", 1)[0] == package for record in ctx.imports)


def _enclosing_function(ctx: Context, node: ast.AST) -> int | None:
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return id(ancestor)
    return None


@rule(
    code="KC103",
    symbol="private-keras-import",
    severity=Severity.ERROR,
    message="'{old}' is an internal, moved or removed module path -> {new}",
    summary="Import of an internal, moved or removed Keras module path",
    fix=FixAvailability.SOMETIMES,
    what="Finds imports (and attribute accesses) of Keras module paths that are private, were moved or "
         "were removed: `tensorflow.python.keras.*`, `keras.engine.*`, `keras.layers.<submodule>`, "
         "`keras.utils.np_utils`, `keras.backend.tensorflow_backend`, `keras.legacy`, "
         "`keras.wrappers.scikit_learn`, `keras.layers.experimental.preprocessing`, `keras.src.*`, ...",
    why="These paths are implementation details. Keras 2.13 moved everything under `keras.src`, so "
        "`import keras.engine` raises `ModuleNotFoundError`; `tensorflow.python.keras` is a frozen copy "
        "whose objects do not mix with tf.keras ones. A library's imports of itself are its own layout and "
        "are not reported: `keras.src` inside Keras's sources, `tensorflow.python.keras` inside "
        "TensorFlow's (see the README on a library's own sources).",
    fix_safety="Safe when the public path is in the same library (`from tensorflow.keras.layers.core import "
               "Dense` -> `from tensorflow.keras.layers import Dense`). Unsafe when the fix also moves a "
               "standalone-keras or `tensorflow.python.keras` import to `tensorflow.keras`. No fix when the "
               "module is gone (scikit-learn wrappers -> the scikeras package). With `keras-target = keras3` the "
               "public root of standalone-keras and `tensorflow.python.keras` paths is `keras` (safe for "
               "standalone keras, unsafe for `tensorflow.python.keras`).",
    bad=(
        Bad("from keras.engine.topology import Layer  # error: KC103\n",
            fixed="from tensorflow.keras.layers import Layer  # error: KC103\n", unsafe=True, targets=("tf-keras",)),
        Bad("from keras.engine.topology import Layer  # error: KC103\n",
            fixed="from keras.layers import Layer  # error: KC103\n", targets=("keras3",)),
        Bad("from tensorflow.keras.layers.core import Dense  # error: KC103\n",
            fixed="from tensorflow.keras.layers import Dense  # error: KC103\n", targets=("tf-keras",)),
        Bad("from tensorflow.keras.layers.core import Dense  # error: KC103\n",
            fixed="from keras.layers import Dense  # error: KC103\n", unsafe=True, targets=("keras3",)),
        Bad("import keras  # error: KC101\ny = keras.utils.np_utils.to_categorical(labels)  # error: KC103\n",
            fixed="from tensorflow import keras  # error: KC101\ny = keras.utils.to_categorical(labels)  "
                  "# error: KC103\n", unsafe=True, targets=("tf-keras",)),
        Bad("import keras\ny = keras.utils.np_utils.to_categorical(labels)  # error: KC103\n",
            fixed="import keras\ny = keras.utils.to_categorical(labels)  # error: KC103\n", targets=("keras3",)),
        Bad("from keras import objectives  # error: KC103\nloss = objectives.mean_squared_error\n",
            fixed="from keras import losses as objectives  # error: KC103\nloss = objectives.mean_squared_error\n",
            targets=("keras3",)),
        Bad("import keras.layers.core as core  # error: KC103\nd = core.Dense(3)\n",
            fixed="from tensorflow.keras import layers as core  # error: KC103\nd = core.Dense(3)\n",
            unsafe=True, targets=("tf-keras",)),
        Bad("from tensorflow.python.keras.layers import Dense  # error: KC103\n",
            fixed="from tensorflow.keras.layers import Dense  # error: KC103\n", unsafe=True, targets=("tf-keras",)),
        Bad("from tensorflow.python.keras.layers import Dense  # error: KC103\n",
            fixed="from keras.layers import Dense  # error: KC103\n", unsafe=True, targets=("keras3",)),
    ),
    good=(
        "from tensorflow.keras.layers import Layer, Dense\n",
        "from tensorflow.keras.utils import to_categorical\n",
        "import tensorflow as tf\nlayer = tf.keras.layers.Layer()\n",
        Good("from keras.layers import Layer, Dense\n", targets=("keras3",)),
    ),
)
def private_import(ctx: Context) -> Iterator[Diagnostic]:
    merge_functions = _called_merge_functions(ctx)
    for record in ctx.imports:
        name = record.keras
        if name is None or not _is_private(record) or name.raw.startswith(_BACKEND_PREFIXES):
            continue
        if record.qualname in merge_functions and isinstance(record.node, ast.ImportFrom):
            continue  # the Keras 1 merge() function, called in this module: KC203 reports it, not a module path
        if record.guard.guarded and record.guard.alternatives:
            continue
        yield _private_finding(ctx, record)
    # An attribute chain is only reported when it spells the moved module's name: resolve just those.
    for attr in chains_through_moved(ctx):
        name = ctx.keras(attr)
        if name is None or name.flavour is Flavour.TF_PYTHON:
            continue
        move = module_move(name.raw)
        if move is None or name.raw.startswith(_BACKEND_PREFIXES):
            continue
        parent = ctx.parent(attr)
        if name.qualname in merge_functions and isinstance(parent, ast.Call) and parent.func is attr:
            continue  # keras.layers.merge([...]) calls the Keras 1 function: KC203's
        chain = []
        node: ast.AST = attr
        while isinstance(node, ast.Attribute):
            chain.append(node.attr)
            node = node.value
        if move.old.split(".")[-1] not in chain:
            continue  # the private module was imported (and reported) by name
        if ctx.in_compat_branch(attr):
            continue  # ``if not is_tf_keras: keras.engine.base_layer.Node``: the other flavour's branch
        yield ctx.report("KC103", attr, lambda: module_plan(ctx).fix_for(attr), old=name.qualname,
                         new=_public_spelling(ctx, name, move))


def _called_merge_functions(ctx: Context) -> frozenset[str]:
    """Qualified names of the Keras 1 ``merge``/``Merge`` called in the module (``keras.layers.merge`` is also
    a module from Keras 2 on: called, it is the removed function, which KC203 reports)."""
    from keras_compat.rules.legacy_api import _MERGE_PATHS

    return frozenset(name.qualname for _, name in ctx.keras_calls
                     if name.raw in _MERGE_PATHS or name.path in _MERGE_PATHS)


def _root(ctx: Context, name: KerasName) -> str:
    """Public root for a private path: tensorflow.keras (tf-keras target) or keras (keras3 target)."""
    if name.flavour in (Flavour.KERAS, Flavour.TF_PYTHON):
        return "keras" if ctx.settings.target == "keras3" else _TF
    return name.flavour.value


def _public_spelling(ctx: Context, name: KerasName, move) -> str:
    root = _root(ctx, name)
    if move.new is None:
        extra = f" (use the {move.package} package)" if move.package else ""
        return f"removed{extra}" + (f": {move.note}" if move.note else "")
    target = name.path
    return f"{root}.{target}" if target else root


def _private_finding(ctx: Context, record: ImportRecord) -> Diagnostic:
    name = record.keras
    assert name is not None
    move = module_move(name.raw)
    root = _root(ctx, name)
    node = record.node
    public_name = isinstance(node, ast.ImportFrom) and move is not None and name.path != name.raw and \
        module_move(name.path) is None
    if move is None:  # tensorflow.python.keras or keras.src: same path under the public root
        new = f"{root}.{name.path}" if name.path else root
    elif public_name:  # a name whose public home is known (engine.topology.Layer -> layers.Layer)
        new = f"{root}.{name.path}"
    else:
        new = _public_spelling(ctx, name, move)
    old = name.qualname if isinstance(node, ast.ImportFrom) else record.alias.name
    return ctx.report("KC103", record.alias, lambda: module_plan(ctx).fix_for(node), old=old, new=new)


def _environ_target(ctx: Context, node: ast.AST) -> bool:
    return ctx.qualname(node) == "os.environ"


def _const_str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


#: Methods that can set an environment variable (``os.environ.setdefault/update``, ``os.putenv``).
_ENV_SETTERS = frozenset({"setdefault", "update", "putenv"})


def _backend_env_values(ctx: Context) -> Iterator[tuple[ast.AST, str]]:
    if not imports_package(ctx, "os"):
        return  # os.environ and os.putenv are out of reach
    for assign in ctx.subscript_assigns:  # the context's indexes, not another walk of the tree
        for target in assign.targets:
            if isinstance(target, ast.Subscript) and _environ_target(ctx, target.value) and \
                    _const_str(target.slice) == "KERAS_BACKEND":
                value = _const_str(assign.value)
                if value is not None:
                    yield assign.value, value
    for node in ctx.method_calls(*_ENV_SETTERS):  # before resolving anything
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr == "setdefault" and _environ_target(ctx, func.value) or \
                    ctx.qualname(func) == "os.putenv":
                if len(node.args) == 2 and _const_str(node.args[0]) == "KERAS_BACKEND":
                    value = _const_str(node.args[1])
                    if value is not None:
                        yield node.args[1], value
            elif func.attr == "update" and _environ_target(ctx, func.value):
                for kw in node.keywords:
                    if kw.arg == "KERAS_BACKEND" and _const_str(kw.value) is not None:
                        yield kw.value, _const_str(kw.value)  # type: ignore[misc]
                for arg in node.args:
                    if isinstance(arg, ast.Dict):
                        for key, value in zip(arg.keys, arg.values):
                            if _const_str(key) == "KERAS_BACKEND" and _const_str(value) is not None:
                                yield value, _const_str(value)  # type: ignore[misc]


@rule(
    code="KC104",
    symbol="keras-backend-env",
    severity=Severity.WARNING,
    message="KERAS_BACKEND is set to '{value}': {why} -> {advice}",
    summary="KERAS_BACKEND set to a backend that the target Keras does not have",
    # Set through os.environ or os.putenv: no Keras import needed, but an os one, and the name in a string or a
    # keyword (written with "KERAS" in one piece, as any real spelling is: 'KERAS_' 'BACKEND' counts).
    import_free=ImportFree(words=("KERAS",), modules=("os",)),
    what="Finds `KERAS_BACKEND` set to a backend other than TensorFlow: `os.environ['KERAS_BACKEND'] = "
         "'theano'`, `os.environ.setdefault(...)`, `os.environ.update(...)`, `os.putenv(...)`.",
    why="Theano, CNTK, MXNet and PlaidML backends are gone, and tf.keras ignores the variable entirely: "
        "code that relied on it to pick a backend silently runs on TensorFlow. With `keras-target = "
        "keras3`, `jax`, `torch`, `tensorflow` and `numpy` are valid values and are not reported.",
    fix_safety="No automatic fix: delete the assignment (tf.keras) or choose a Keras 3 backend.",
    bad=(
        Bad("import os\nos.environ['KERAS_BACKEND'] = 'theano'  # error: KC104\nimport keras\n"),
        Bad("import os\nos.environ.setdefault('KERAS_BACKEND', 'cntk')  # error: KC104\n"),
        Bad("from os import environ\nenviron.update({'KERAS_BACKEND': 'mxnet'})  # error: KC104\n"),
    ),
    good=(
        "import os\nos.environ['KERAS_BACKEND'] = 'tensorflow'\n",
        "import os\nbackend = os.environ.get('KERAS_BACKEND', 'tensorflow')\n",
        "environ = {}\nenviron['KERAS_BACKEND'] = 'theano'\n",
    ),
)
def backend_env(ctx: Context) -> Iterator[Diagnostic]:
    for node, value in _backend_env_values(ctx):
        if value == "tensorflow" or ctx.settings.target == "keras3" and value in KERAS3_BACKENDS:
            continue
        if value in _REMOVED_BACKENDS:
            why = f"the {value} backend was removed (Keras 2.4 supports TensorFlow only)"
        else:
            why = "tf.keras ignores KERAS_BACKEND and always runs on TensorFlow"
        advice = ("choose a Keras 3 backend (jax, torch, tensorflow)" if ctx.settings.target == "keras3"
                  else "remove it (tf.keras always uses TensorFlow)")
        yield ctx.report("KC104", node, value=value, why=why, advice=advice)


@rule(
    code="KC105",
    symbol="removed-keras-backend",
    severity=Severity.WARNING,
    message="{what}: the {backend} backend was removed from Keras (2.4+ and tf.keras run on TensorFlow "
            "only) -> {advice}",
    summary="Code for the removed Theano/CNTK backends",
    what="Finds code written for removed Keras backends: `import theano` / `import cntk` in a module that "
         "uses Keras, imports of `keras.backend.theano_backend` / `cntk_backend`, and comparisons such as "
         "`K.backend() == 'theano'`.",
    why="Keras 2.4 dropped every backend but TensorFlow. A branch guarded by `K.backend() == 'theano'` "
        "is dead code, and imports of the backend modules fail.",
    fix_safety="No automatic fix: delete the dead branch or the import.",
    bad=(
        Bad("import keras.backend as K\nif K.backend() == 'theano':  # error: KC105\n    pass\n"),
        Bad("import keras\nimport theano  # error: KC105\n"),
        Bad("from keras.backend import theano_backend as TB  # error: KC105\n"),
    ),
    good=(
        "import theano\nx = theano.tensor.dscalar()\n",
        "from tensorflow.keras import backend as K\nif K.backend() == 'tensorflow':\n    pass\n",
        "backend = lambda: 'theano'\nif backend() == 'theano':\n    pass\n",
    ),
)
def removed_backend(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.imports:
        name = record.keras
        if name is not None:
            if name.raw != "backend" and not name.raw.startswith(_BACKEND_PREFIXES):
                continue  # neither a backend module nor ``from keras import backend`` (the loop's conditions)
            for module, backend in _BACKEND_MODULES.items():
                if name.raw == module or name.raw.startswith(module + ".") or \
                        name.raw == "backend" and record.alias.name == module.split(".")[1]:
                    yield ctx.report("KC105", record.alias, what=f"import of {name.qualname}",
                                     backend=backend, advice="remove it; use tf.keras.backend")
        elif record.qualname.split(".")[0] in ("theano", "cntk") and ctx.uses_keras:
            backend = record.qualname.split(".")[0]
            yield ctx.report("KC105", record.alias, what=f"import {record.qualname}", backend=backend,
                             advice="remove it; write the operation with TensorFlow (tf.*)")
    for compare in _backend_comparisons(ctx):
        if len(compare.comparators) != 1 or not isinstance(compare.ops[0], (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)):
            continue
        sides = [compare.left, compare.comparators[0]]
        const = _const_str(sides[0])
        if const is None:
            const = _const_str(sides[1])
        if const not in _REMOVED_BACKENDS:
            continue  # most comparisons: no need to look for the call
        call = next((s for s in sides if isinstance(s, ast.Call) and not s.args), None)
        if call is None:
            continue
        name = ctx.keras(call.func)
        if name is not None and name.path == "backend.backend":
            yield ctx.report("KC105", compare, what=f"comparison with '{const}'", backend=const,
                             advice="the branch is dead; delete it")


def _backend_comparisons(ctx: Context) -> list[ast.Compare]:
    """The comparisons :func:`removed_backend` can report, in the order of ``ctx.compares``: those with a call
    of ``backend()`` without arguments on a side. Such a call is one of ``ctx.keras_calls`` (its callee is
    the Keras name ``backend.backend``), far fewer than the module's comparisons."""
    found: dict[int, ast.Compare] = {}
    parents = ctx.parents
    for call, name in ctx.keras_calls:
        if name.path == "backend.backend" and not call.args:
            parent = parents.get(call)
            if isinstance(parent, ast.Compare):
                found[id(parent)] = parent
    return in_source_order(found.values())


# -- keras-target = keras3: import Keras 3 directly ---------------------------------------------------------

_COMPAT_ROOTS = COMPAT_ROOTS
_shim_only = shim_only
_attribute_chain = attribute_chain


def _blocked_uses(ctx: Context, bound: str, module: str) -> tuple[bool, str | None]:
    """(safe to rebind ``bound`` from the tf.keras shim to keras, first shim-only name used through it);
    once per name and module in a file, however often it is imported."""
    key = ("KC107 blocked", bound, module)
    known = ctx.memo.get(key)
    if known is None:
        known = ctx.memo[key] = _find_blocked_uses(ctx, bound, module)
    return known  # type: ignore[return-value]


def _find_blocked_uses(ctx: Context, bound: str, module: str) -> tuple[bool, str | None]:
    ok = True
    for node in ctx.names(bound):  # the file's index of names, not a walk of the whole tree per import
        if isinstance(node.ctx, ast.Load):
            chain, _ = _attribute_chain(ctx, node)
            if not chain:
                ok = False  # the module object itself is passed around
                continue
            blocked = _shim_only(module, chain)
            if blocked is not None:
                return False, blocked
    return ok, None


def _keras3_module(name: KerasName) -> str:
    return f"keras.{name.raw}" if name.raw else "keras"


def _shim_note(blocked: str | None) -> str:
    if blocked is None:
        return ""
    from keras_compat.data.keras3 import KERAS3_SHIM_ONLY_MODULES  # keras3 only: not loaded under tf-keras

    if blocked in KERAS3_SHIM_ONLY_MODULES or _in_shim(blocked):
        return f" once nothing uses tensorflow.keras.{blocked} (only in the tf.keras shim of Keras 3, not in keras)"
    return f" once nothing uses tensorflow.keras.{blocked} (Keras 3 has no such name)"


def _in_shim(path: str) -> bool:
    from keras_compat.data.keras3 import KERAS3_SHIM_ONLY

    module, _, name = path.rpartition(".")
    return name in KERAS3_SHIM_ONLY.get(module, ())


def _keras3_from_import(ctx: Context, record: ImportRecord, name: KerasName):
    """(old, new, note, fix) for ``from tensorflow.keras.<module> import ...`` / ``from tensorflow import keras``
    (``fix``: a function computing it, for :meth:`Context.report`)."""
    from keras_compat.data.keras3 import KERAS3_MODULES, KERAS3_SHIM_ONLY, KERAS3_SHIM_ONLY_MODULES  # keras3 only

    node = record.node
    assert isinstance(node, ast.ImportFrom)
    compat = name.qualname.startswith(_COMPAT_ROOTS)
    if keras_name(node.module or "") is None:  # from tensorflow import keras [as k]
        old = f"from {node.module} import {_alias_text(record.alias)}"
        new = "import keras" + (f" as {record.alias.asname}" if record.alias.asname not in (None, "keras") else "")
        ok, blocked = _blocked_uses(ctx, record.alias.asname or record.alias.name, "")
        return old, new, _shim_note(blocked), None if compat else lambda: module_plan(ctx).transaction_for(node)
    module = keras_name(node.module or "")
    assert module is not None
    old, new = f"from {node.module} import", f"from {_keras3_module(module)} import"
    blocked = None
    ok = not compat and module.raw in KERAS3_MODULES and not any(a.name == "*" for a in node.names)
    for alias in node.names:
        sub = f"{module.raw}.{alias.name}" if module.raw else alias.name
        if alias.name in KERAS3_SHIM_ONLY.get(module.raw, ()) or sub in KERAS3_SHIM_ONLY_MODULES:
            ok, blocked = False, blocked or sub
        elif sub in KERAS3_MODULES:
            module_ok, used = _blocked_uses(ctx, alias.asname or alias.name, sub)
            ok, blocked = ok and module_ok, blocked or used
    return old, new, _shim_note(blocked), None if compat else lambda: module_plan(ctx).transaction_for(node)


def _keras3_import(ctx: Context, record: ImportRecord, name: KerasName):
    """(old, new, note, fix) for ``import tensorflow.keras[.module] [as name]`` (``fix``: a function computing
    it, for :meth:`Context.report`)."""
    node, alias = record.node, record.alias
    old = f"import {_alias_text(alias)}"
    target = _keras3_module(name)
    if alias.asname is None:  # binds ``tensorflow``: the uses are reported as tf.keras attributes
        return old, f"import {target}", "", None
    new = f"import {target} as {alias.asname}" if target != alias.asname else f"import {target}"
    ok, blocked = _blocked_uses(ctx, alias.asname, name.raw)
    fix = None if name.qualname.startswith(_COMPAT_ROOTS) else lambda: module_plan(ctx).transaction_for(node)
    return old, new, _shim_note(blocked), fix


def _why(qualname: str) -> str:
    if qualname.startswith(_COMPAT_ROOTS):
        return "fails with Keras 3 (tf.compat.v1.keras/tf.compat.v2.keras raise AttributeError on TF >= 2.16)"
    return "reaches Keras 3 through TensorFlow's tf.keras compatibility shim"


@rule(
    code="KC107",
    symbol="tensorflow-keras-import",
    severity=Severity.WARNING,
    message="'{old}' {why} -> '{new}'{note}",
    summary="Keras reached through tensorflow.keras / tf.keras instead of `import keras` (Keras 3 target)",
    fix=FixAvailability.SOMETIMES,
    targets=("keras3",),
    what="With `keras-target = keras3`: finds imports from `tensorflow.keras` (`from tensorflow import keras`, "
         "`from tensorflow.keras.layers import Dense`, `import tensorflow.keras.backend as K`) and uses of "
         "`tf.keras.*` through a TensorFlow import, plus `tf.compat.v1.keras`. Imports inside `try/except "
         "ImportError` or `if`/`else` branches that select another Keras flavour, `tf.keras` uses inside "
         "`try`/`except ImportError|AttributeError` fallbacks, and code in Keras version switches, are "
         "compatibility code and are not reported.",
    why="Since TensorFlow 2.16, `tf.keras` is Keras 3 reached through a compatibility shim "
        "(`keras._tf_keras.keras`) unless `tf_keras` is installed and `TF_USE_LEGACY_KERAS=1` is set, a "
        "process-wide switch that silently turns the same code back into Keras 2. `import keras` says which "
        "Keras the code needs, works on every Keras 3 backend and is the form the official migration guide "
        "recommends. The shim also keeps Keras 2 names that Keras 3 itself no longer has (`K.mean` & co. in "
        "`tf.keras.backend`, `ImageDataGenerator`, `ThresholdedReLU`, the legacy `AlphaDropout` ...): the "
        "message names them when they stand in the way. `tf.compat.v1.keras` raises `AttributeError` with "
        "Keras 3.",
    fix_safety="Unsafe: the rewritten import no longer follows `TF_USE_LEGACY_KERAS`. The fix rewrites the "
               "whole statement (`from tensorflow.keras.layers import Dense` -> `from keras.layers import Dense`, "
               "`from tensorflow import keras` -> `import keras`, `import tensorflow.keras.backend as K` -> "
               "`import keras.backend as K`) only when every imported name and every attribute read through an "
               "imported module exists in Keras 3 itself (table `KERAS3_SHIM_ONLY`, checked against the keras "
               "3.15.1 wheel) and the module object is not passed around. For `tf.keras.X` it replaces `tf.keras` "
               "with `keras` and adds `import keras` when the module has no binding for it (no fix when `keras` "
               "is bound to something else). Never for `tf.compat.v1.keras`.",
    bad=(
        Bad("from tensorflow.keras.layers import Dense, Conv2D  # error: KC107\n",
            fixed="from keras.layers import Dense, Conv2D  # error: KC107\n", unsafe=True),
        Bad("from tensorflow import keras  # error: KC107\nmodel = keras.Sequential([keras.layers.Dense(1)])\n",
            fixed="import keras  # error: KC107\nmodel = keras.Sequential([keras.layers.Dense(1)])\n", unsafe=True),
        Bad("import tensorflow as tf\nx = tf.keras.layers.Dense(3)  # error: KC107\n",
            fixed="import keras\nimport tensorflow as tf\nx = keras.layers.Dense(3)  # error: KC107\n", unsafe=True),
        Bad("import tensorflow.keras.backend as K  # error: KC107\nEPS = K.epsilon()\n",
            fixed="import keras.backend as K  # error: KC107\nEPS = K.epsilon()\n", unsafe=True),
        # the experimental module is gone from Keras 3: the move writes the public path
        Bad("import tensorflow as tf\nx = tf.keras.layers.experimental.preprocessing.Rescaling(0.5)  "
            "# error: KC107, KC103\n",
            fixed="import keras\nimport tensorflow as tf\nx = keras.layers.Rescaling(0.5)  "
                  "# error: KC107, KC103\n", unsafe=True),
    ),
    good=(
        "import keras\nfrom keras.layers import Dense\n",
        "try:\n    import keras\nexcept ImportError:\n    from tensorflow import keras\n",
        "import tensorflow as tf\nx = tf.reduce_sum(tf.ones((2, 2)))\n",
        "import tf_keras as keras  # KC108\n",
        "import tensorflow as tf\nimport keras\ntry:\n    fmt = keras.config.floatx()\nexcept AttributeError:\n"
        "    fmt = tf.keras.backend.floatx()\n",
    ),
)
def tensorflow_keras_import(ctx: Context) -> Iterator[Diagnostic]:
    reported: set[int] = set()
    for record in ctx.imports:
        name = record.keras
        if name is None or name.flavour is not Flavour.TF_KERAS or _is_private(record):
            continue
        if record.guard.guarded and record.guard.alternatives:
            continue
        node = record.node
        if isinstance(node, ast.ImportFrom):
            if id(node) in reported:
                continue
            if keras_name(node.module or "") is not None:
                reported.add(id(node))  # one finding per ``from tensorflow.keras.x import ...`` statement
            old, new, note, fix = _keras3_from_import(ctx, record, name)
            where: ast.AST | tuple[int, int, int, int] = \
                _module_range(ctx, node) if keras_name(node.module or "") is not None else record.alias
        else:
            old, new, note, fix = _keras3_import(ctx, record, name)
            where = record.alias
        yield ctx.report("KC107", where, fix, old=old, why=_why(name.qualname), new=new, note=note)
    for attr in ctx.attributes:
        if attr.attr != "keras" or not isinstance(attr.value, (ast.Name, ast.Attribute)):
            continue
        qualname = ctx.qualname(attr)
        if qualname not in ("tensorflow.keras", *_COMPAT_ROOTS) or ctx.in_compat_branch(attr) or \
                in_fallback(ctx, attr):
            continue
        chain, outer = _attribute_chain(ctx, attr)
        new = ".".join(["keras", *chain])
        blocked = _shim_only("", chain)
        fix = (lambda: module_plan(ctx).transaction_for(outer)) if qualname == "tensorflow.keras" else None
        yield ctx.report("KC107", outer, fix, old=ctx.segment(outer), why=_why(qualname), new=new,
                         note=_shim_note(blocked))


@rule(
    code="KC108",
    symbol="tf-keras-package-import",
    severity=Severity.WARNING,
    message="'{old}' imports tf_keras, the Keras 2 API (legacy tf.keras), not Keras 3 -> '{new}'",
    summary="Import of the tf_keras package (Keras 2) in code that targets Keras 3",
    targets=("keras3",),
    what="With `keras-target = keras3`: finds imports of the `tf_keras` package (`import tf_keras as keras`, "
         "`from tf_keras.layers import Dense`) outside compatibility branches.",
    why="`tf_keras` is the Keras 2 code base that TensorFlow >= 2.16 keeps for legacy code "
        "(`TF_USE_LEGACY_KERAS=1`). Code that targets Keras 3 but imports it runs on Keras 2: its layers and "
        "models do not mix with Keras 3 objects, and none of the Keras 3 behaviour (backends, `keras.ops`, "
        "the `.keras` format) applies.",
    fix_safety="No automatic fix: the Keras 2 API used through `tf_keras` has to be ported (the other "
               "keras3-target rules say where); then import `keras`.",
    bad=(
        Bad("import tf_keras as keras  # error: KC108\n"),
        Bad("from tf_keras.layers import Dense, LSTM  # error: KC108\n"),
    ),
    good=(
        "import keras\n",
        "import os\nif os.environ.get('TF_USE_LEGACY_KERAS'):\n    import tf_keras as keras\nelse:\n"
        "    import keras\n",
        "try:\n    import tf_keras as keras\nexcept ImportError:\n    import keras\n",
    ),
)
def tf_keras_package_import(ctx: Context) -> Iterator[Diagnostic]:
    reported: set[int] = set()
    for record in ctx.imports:
        name = record.keras
        if name is None or name.flavour is not Flavour.TF_KERAS_PKG:
            continue
        if record.guard.guarded and record.guard.alternatives:
            continue
        node = record.node
        if isinstance(node, ast.ImportFrom):
            if id(node) in reported:
                continue
            reported.add(id(node))
            module = keras_name(node.module or "")
            assert module is not None
            old, new = f"from {node.module} import", f"from {_keras3_module(module)} import"
            yield ctx.report("KC108", _module_range(ctx, node), old=old, new=new)
        else:
            target = _keras3_module(name)
            bound = record.alias.asname
            new = f"import {target}" + (f" as {bound}" if bound and bound != target else "")
            yield ctx.report("KC108", record.alias, old=f"import {_alias_text(record.alias)}", new=new)
