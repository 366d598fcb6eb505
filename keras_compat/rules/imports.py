"""Import and environment rules (KC101-KC105): which Keras is imported, and from where."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from keras_compat.context import Context, ImportRecord
from keras_compat.data.environment import BACKEND_MODULES as _BACKEND_MODULES
from keras_compat.data.environment import KERAS3_BACKENDS
from keras_compat.data.environment import REMOVED_BACKENDS as _REMOVED_BACKENDS
from keras_compat.diagnostics import Diagnostic
from keras_compat.knowledge import module_move
from keras_compat.names import Flavour, KerasName, keras_name
from keras_compat.registry import Bad, FixAvailability, Severity, rule

_TF = "tensorflow.keras"


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


def _from_statement_fix(ctx: Context, record: ImportRecord, new_module: str, safe: bool, title: str):
    node = record.node
    assert isinstance(node, ast.ImportFrom)
    names = ", ".join(f"{a.name} as {a.asname}" if a.asname else a.name for a in node.names)
    multiline = node.end_lineno != node.lineno
    text = f"from {new_module} import ({names})" if multiline else f"from {new_module} import {names}"
    return ctx.fix(title, [ctx.replace(node, text)], safe=safe)


def _standalone_fix(ctx: Context, record: ImportRecord):
    """Unsafe fix for KC101: rewrite the whole statement to import from tensorflow.keras."""
    node = record.node
    assert record.keras is not None
    if isinstance(node, ast.ImportFrom):
        module = keras_name(node.module or "")
        if module is None or any(a.name == "*" for a in node.names):
            return None
        return _from_statement_fix(ctx, record, _tf_path(module), False, "Import from tensorflow.keras")
    if len(node.names) != 1:
        return None
    text = _import_statement(record, _tf_path(record.keras))
    if text is None:
        return None
    return ctx.fix("Import from tensorflow.keras", [ctx.replace(node, text)], safe=False)


def _is_private(record: ImportRecord) -> bool:
    name = record.keras
    if name is None:
        return False
    if name.flavour is Flavour.TF_PYTHON:
        return True
    return module_move(name.raw) is not None or name.raw.startswith("src.")


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
        Bad("import keras as k  # error: KC101\n"),
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
        if name.raw.startswith(tuple(_BACKEND_MODULES)):
            continue
        if record.guard.guarded and any(f.modern for f in record.guard.alternatives):
            continue
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
        fix = _standalone_fix(ctx, record)
        yield ctx.report("KC101", where, fix, old=old, new=new)


def _alias_text(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def _module_range(ctx: Context, node: ast.ImportFrom) -> tuple[int, int, int, int]:
    """Character range of the module name in ``from <module> import ...``."""
    line, col, _, _ = ctx.range(node)
    text = ctx.positions.line_text(line)
    match = re.compile(r"from\s+(" + re.escape(node.module or "") + ")").match(text, col)
    if match is None:
        return ctx.range(node)
    return line, match.start(1), line, match.end(1)


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
        "`ValueError: Layer ... was called with an input that isn't a symbolic tensor`).",
    fix_safety="No automatic fix: choose one library and import everything from it (KC101 offers the "
               "per-import rewrite).",
    bad=(
        Bad("import keras\nfrom tensorflow.keras.layers import Dense  # error: KC102\n"),
        Bad("from tensorflow import keras\nfrom keras.layers import LSTM  # error: KC102\n"),
        Bad("import tensorflow as tf\nfrom keras.models import Model\n"
            "x = tf.keras.layers.Dense(3)  # error: KC102\n"),
    ),
    good=(
        "try:\n    from tensorflow import keras\nexcept ImportError:\n    import keras\n"
        "from tensorflow.keras.layers import Dense\n",
        "from tensorflow import keras\nfrom tensorflow.keras.layers import Dense\n",
        "import keras\nfrom keras.layers import Dense\n",
    ),
)
def mixed_imports(ctx: Context) -> Iterator[Diagnostic]:
    events: list[tuple[tuple[int, int], str, ast.AST]] = []
    for record in ctx.imports:
        name = record.keras
        if name is None or name.flavour is Flavour.TF_KERAS_PKG:
            continue
        if record.guard.guarded and record.guard.alternatives - {name.flavour}:
            continue
        family = "standalone keras" if name.flavour is Flavour.KERAS else name.flavour.value
        events.append(((record.node.lineno, record.node.col_offset), family, record.alias))
    for attr in ctx.attributes:
        if isinstance(ctx.parent(attr), ast.Attribute) or not isinstance(attr.value, (ast.Name, ast.Attribute)):
            continue
        name = ctx.keras(attr)
        if name is not None and name.flavour is Flavour.TF_KERAS and "keras" in ctx.segment(attr):
            events.append(((attr.lineno, attr.col_offset), name.flavour.value, attr))
    events.sort(key=lambda e: e[0])
    # Imports in two different functions are alternatives (one function per framework); mixing means
    # both in one function, or one of them at module level where every function sees it.
    by_function: dict[int | None, list[tuple[tuple[int, int], str, ast.AST]]] = {}
    for event in events:
        function = _enclosing_function(ctx, event[2])
        by_function.setdefault(function, []).append(event)
    module_level = by_function.get(None, [])
    for function, local in by_function.items():
        merged = sorted(local + (module_level if function is not None else []), key=lambda e: e[0])
        seen: dict[str, int] = {}
        for (line, _), family, node in merged:
            if family not in seen:
                seen[family] = line
                if len(seen) == 2:
                    first = next(iter(seen))
                    yield ctx.report("KC102", node, first=first, first_line=seen[first], second=family,
                                     preferred=_TF)
                    return


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
        "whose objects do not mix with tf.keras ones.",
    fix_safety="Safe when the public path is in the same library (`from tensorflow.keras.layers.core import "
               "Dense` -> `from tensorflow.keras.layers import Dense`). Unsafe when the fix also moves a "
               "standalone-keras or `tensorflow.python.keras` import to `tensorflow.keras`. No fix when the "
               "module is gone (scikit-learn wrappers -> the scikeras package).",
    bad=(
        Bad("from keras.engine.topology import Layer  # error: KC103\n",
            fixed="from tensorflow.keras.layers import Layer  # error: KC103\n", unsafe=True),
        Bad("from tensorflow.keras.layers.core import Dense  # error: KC103\n",
            fixed="from tensorflow.keras.layers import Dense  # error: KC103\n"),
        Bad("import keras  # error: KC101\ny = keras.utils.np_utils.to_categorical(labels)  # error: KC103\n"),
        Bad("from tensorflow.python.keras.layers import Dense  # error: KC103\n",
            fixed="from tensorflow.keras.layers import Dense  # error: KC103\n", unsafe=True),
    ),
    good=(
        "from tensorflow.keras.layers import Layer, Dense\n",
        "from tensorflow.keras.utils import to_categorical\n",
        "import tensorflow as tf\nlayer = tf.keras.layers.Layer()\n",
    ),
)
def private_import(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.imports:
        name = record.keras
        if name is None or not _is_private(record) or name.raw.startswith(tuple(_BACKEND_MODULES)):
            continue
        if record.guard.guarded and record.guard.alternatives:
            continue
        yield _private_finding(ctx, record)
    for attr in ctx.attributes:
        if isinstance(ctx.parent(attr), ast.Attribute):
            continue
        name = ctx.keras(attr)
        if name is None or name.flavour is Flavour.TF_PYTHON:
            continue
        move = module_move(name.raw)
        if move is None or name.raw.startswith(tuple(_BACKEND_MODULES)):
            continue
        chain = []
        node: ast.AST = attr
        while isinstance(node, ast.Attribute):
            chain.append(node.attr)
            node = node.value
        if move.old.split(".")[-1] not in chain:
            continue  # the private module was imported (and reported) by name
        yield ctx.report("KC103", attr, old=name.qualname, new=_public_spelling(name, move))


def _public_spelling(name: KerasName, move) -> str:
    root = _TF if name.flavour in (Flavour.KERAS, Flavour.TF_PYTHON) else name.flavour.value
    if move.new is None:
        extra = f" (use the {move.package} package)" if move.package else ""
        return f"removed{extra}" + (f": {move.note}" if move.note else "")
    target = name.path
    return f"{root}.{target}" if target else root


def _private_finding(ctx: Context, record: ImportRecord) -> Diagnostic:
    name = record.keras
    assert name is not None
    move = module_move(name.raw)
    root = _TF if name.flavour in (Flavour.KERAS, Flavour.TF_PYTHON) else name.flavour.value
    node = record.node
    public_name = isinstance(node, ast.ImportFrom) and move is not None and name.path != name.raw and \
        module_move(name.path) is None
    if move is None:  # tensorflow.python.keras or keras.src: same path under the public root
        new = f"{root}.{name.path}" if name.path else root
    elif public_name:  # a name whose public home is known (engine.topology.Layer -> layers.Layer)
        new = f"{root}.{name.path}"
    else:
        new = _public_spelling(name, move)
    fix = None
    if isinstance(node, ast.ImportFrom) and record.alias is node.names[0] and not new.startswith("removed"):
        targets = set()
        for alias in node.names:
            item = keras_name(f"{node.module}.{alias.name}")
            if item is None or alias.name == "*" or "." not in f"{root}.{item.path}":
                targets = set()
                break
            targets.add(item.path.rsplit(".", 1)[0] if "." in item.path else "")
            if item.path.rsplit(".", 1)[-1] != alias.name:
                targets = set()
                break
        if len(targets) == 1:
            module = f"{root}.{targets.pop()}".rstrip(".")
            safe = name.flavour in (Flavour.TF_KERAS, Flavour.TF_KERAS_PKG)
            fix = _from_statement_fix(ctx, record, module, safe, f"Import from {module}")
    old = name.qualname if isinstance(node, ast.ImportFrom) else record.alias.name
    return ctx.report("KC103", record.alias, fix, old=old, new=new)


def _environ_target(ctx: Context, node: ast.AST) -> bool:
    return ctx.qualname(node) == "os.environ"


def _const_str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _backend_env_values(ctx: Context) -> Iterator[tuple[ast.AST, str]]:
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and _environ_target(ctx, target.value) and \
                        _const_str(target.slice) == "KERAS_BACKEND":
                    value = _const_str(node.value)
                    if value is not None:
                        yield node.value, value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func = node.func
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
            for module, backend in _BACKEND_MODULES.items():
                if name.raw == module or name.raw.startswith(module + ".") or \
                        name.raw == "backend" and record.alias.name == module.split(".")[1]:
                    yield ctx.report("KC105", record.alias, what=f"import of {name.qualname}",
                                     backend=backend, advice="remove it; use tf.keras.backend")
            if name.raw in ("backend." + m.split(".")[1] for m in _BACKEND_MODULES):
                continue
        elif record.qualname.split(".")[0] in ("theano", "cntk") and ctx.uses_keras:
            backend = record.qualname.split(".")[0]
            yield ctx.report("KC105", record.alias, what=f"import {record.qualname}", backend=backend,
                             advice="remove it; write the operation with TensorFlow (tf.*)")
    for compare in ctx.compares:
        if len(compare.comparators) != 1 or not isinstance(compare.ops[0], (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)):
            continue
        sides = [compare.left, compare.comparators[0]]
        call = next((s for s in sides if isinstance(s, ast.Call) and not s.args), None)
        const = next((_const_str(s) for s in sides if _const_str(s) is not None), None)
        if call is None or const not in _REMOVED_BACKENDS:
            continue
        name = ctx.keras(call.func)
        if name is not None and name.path == "backend.backend":
            yield ctx.report("KC105", compare, what=f"comparison with '{const}'", backend=const,
                             advice="the branch is dead; delete it")
