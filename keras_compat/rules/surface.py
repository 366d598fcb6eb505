"""API-surface rules (KC106, KC206): names and keyword arguments checked against the target's real API.

The facts come from the API surfaces extracted from the reference wheels (:mod:`keras_compat.surface`,
tf-keras 2.15.0 and keras 3.15.1). Both rules generalise hand-written tables, so wherever a table already
explains a name or keyword (renamed classes, moved modules, backend functions, renamed arguments, Keras 3
removals) the table's rule reports it and these stay silent: one problem, one finding.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache
from itertools import compress
from operator import attrgetter, itemgetter

from keras_compat import knowledge
from keras_compat.context import Context, in_source_order
from keras_compat.diagnostics import Diagnostic
from keras_compat.guards import catches_import_error
from keras_compat.names import Flavour, KerasName, keras_name
from keras_compat.registry import Bad, FixAvailability, Good, Severity, rule
from keras_compat.surface.model import Surface, surface_for
from keras_compat.walk import in_body, walk

#: Roots whose names are checked; ``tensorflow.compat.v1.keras`` is the TF1 API, ``tf_keras.src`` private.
_CHECKED_ROOTS = ("tensorflow.keras", "keras", "tf_keras")


#: Packages of the tf-keras 2.15.0 wheel that exist but are not its public API (``tf_keras/src``, the
#: generated ``tf_keras/api`` tree, ``tf_keras/protobuf``): importing them works, so KC106 stays silent.
_INTERNAL_PACKAGES = ("tf_keras.src", "tf_keras.api", "tf_keras.protobuf")


def _checked(name: KerasName) -> bool:
    return _checked_qualname(name.qualname, name.raw)


@lru_cache(maxsize=4096)
def _checked_qualname(qualname: str, raw: str) -> bool:
    if not any(qualname == r or qualname.startswith(r + ".") for r in _CHECKED_ROOTS):
        return False
    if qualname.startswith(_INTERNAL_PACKAGES) or any(p.startswith("_") for p in raw.split(".") if p):
        return False
    return knowledge.module_move(raw) is None  # private/moved module paths are KC103's


def _root(name: KerasName) -> str:
    """The flavour root as it appears in the qualified name (``tensorflow.keras``, ``keras``)."""
    return name.qualname[: len(name.qualname) - len(name.raw)].rstrip(".") if name.raw else name.qualname


@lru_cache(maxsize=1)
def _backend_names() -> frozenset[str]:
    from keras_compat.data.backend import function_names  # the names only: no entry is made

    return frozenset(function_names())


def _covered_name(name: KerasName) -> bool:
    """Whether a table (and its rule) already explains this name."""
    return _covered_path(name.path, name.raw)


@lru_cache(maxsize=4096)
def _covered_path(path: str, raw: str) -> bool:
    """:func:`_covered_name` of a name's canonical and raw paths (memoised: the tables do not change, and the
    same few hundred names are asked about in every file)."""
    from keras_compat.data.environment import BACKEND_MODULES
    from keras_compat.rules.legacy_api import _MERGE_PATHS

    renames = knowledge.class_renames()
    if path in renames or raw in renames or raw in _MERGE_PATHS or path in _MERGE_PATHS:
        return True  # KC203
    if raw.startswith(tuple(BACKEND_MODULES)):
        return True  # KC105
    parts = raw.split(".")
    return parts[0] == "backend" and len(parts) > 1 and parts[1] in _backend_names()  # KC301-KC303


def _missing(surface: Surface, raw: str) -> int | None:
    """Index of the first component of ``raw`` that its (known) parent module lacks; None when it exists
    or when the walk leaves the known modules (an attribute of a class, ...)."""
    module = ""
    for index, part in enumerate(raw.split(".")):
        if not surface.has_module(module):
            return None
        if not surface.exports(module, part):
            return index
        module = f"{module}.{part}" if module else part
    return None


@lru_cache(maxsize=4096)
def _missing_in_target(flavour: Flavour, target: str, raw: str) -> tuple[Surface | None, int | None]:
    """The surface a name of ``flavour`` is checked against under ``target``, with :func:`_missing` of ``raw``
    there (memoised: the surfaces do not change, and the same few hundred names come back in every file)."""
    surface = surface_for(flavour, target)
    return surface, (_missing(surface, raw) if surface else None)


def _guarded(ctx: Context, node: ast.AST) -> bool:
    """Compatibility code: a version/flavour switch, ``try``/``except`` (ImportError, AttributeError, ...),
    or an ``if hasattr(...)``/``getattr(...)`` probe around the node."""
    if ctx.in_compat_branch(node):
        return True
    child = node
    for parent in ctx.ancestors(node):
        if isinstance(parent, ast.Try) and in_body(parent, child):
            if any(catches_import_error(h) for h in parent.handlers):
                return True
        if isinstance(parent, (ast.If, ast.IfExp, ast.While)):
            for sub in walk(parent.test):
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in ("hasattr", "getattr"):
                    return True
        child = parent
    return False


def _other_surface_hint(name: KerasName, target: str, module: str, leaf: str) -> str | None:
    """Keras 3: a name that only the ``tf.keras`` compatibility shim exports (``KERAS3_SHIM_ONLY``)."""
    if target != "keras3" or name.flavour is not Flavour.KERAS:
        return None
    from keras_compat.data.keras3 import KERAS3_SHIM_ONLY, KERAS3_SHIM_ONLY_MODULES

    path = f"{module}.{leaf}" if module else leaf
    if leaf in KERAS3_SHIM_ONLY.get(module, ()) or path in KERAS3_SHIM_ONLY_MODULES:
        return (f"only the tf.keras compatibility shim of Keras 3 (tensorflow.keras.{path}, legacy) has it; "
                "port the code to the Keras 3 API")
    return None


def _name_hint(surface: Surface, name: KerasName, target: str, module: str, leaf: str) -> str:
    table = _other_surface_hint(name, target, module, leaf)
    if table:
        return table
    if target == "keras3":
        from keras_compat.data.keras3_layers import REMOVED_NAME_HINTS

        removed = REMOVED_NAME_HINTS.get(f"{module}.{leaf}" if module else leaf)
        if removed:
            return removed
    root = _root(name)
    elsewhere = [m for m in surface.modules_exporting(leaf) if m != module]
    if elsewhere:
        return "use " + " or ".join(f"{root}.{m}.{leaf}" if m else f"{root}.{leaf}" for m in elsewhere[:2])
    close = surface.close_names(module, leaf)
    where = f"{root}.{module}" if module else root
    if close:
        return "did you mean " + ", ".join(f"'{c}'" for c in close) + f" (in {where})?"
    return f"{where} has nothing similar; check the release notes of the target Keras"


def _finding(ctx: Context, node: ast.AST, name: KerasName, surface: Surface, index: int) -> Diagnostic:
    parts = name.raw.split(".")
    module, leaf = ".".join(parts[:index]), parts[index]
    shown = ".".join([_root(name), *parts[: index + 1]])
    kind = "module" if index < len(parts) - 1 else "name"
    hint = _name_hint(surface, name, ctx.settings.target, module, leaf)
    return ctx.report("KC106", node, name=shown, kind=kind, api=surface.label, hint=hint)


def _assigned_paths(ctx: Context) -> set[str]:
    """Keras paths the module itself assigns (``keras.layers.Foo = Foo``): they exist at run time."""
    out = set()
    for attr in ctx.attributes:
        if isinstance(attr.ctx, (ast.Store, ast.Del)):
            name = ctx.keras(attr)
            if name is not None:
                out.add(name.raw)
    return out


@rule(
    code="KC106",
    symbol="unknown-keras-name",
    severity=Severity.ERROR,
    message="{kind} '{name}' does not exist in {api} -> {hint}",
    summary="Imported or referenced Keras name that the target Keras does not have",
    what="Finds imports (`from tensorflow.keras.layers import X`, `import keras.foo`) and attribute chains "
         "(`tf.keras.layers.X`, `keras.preprocessing.text.Tokenizer`) that resolve to a Keras module the target "
         "API has, and a name that module does not export. The facts are the public API of the reference "
         "releases, extracted from their wheels: tf-keras 2.15.0 under `keras-target = tf-keras` (for "
         "`tensorflow.keras`, standalone `keras` and `tf_keras`), Keras 3.15.1 under `keras3` (`keras.X`; "
         "`tensorflow.keras.X` is checked against the `tf.keras` compatibility package that TensorFlow >= "
         "2.16 loads; `tf_keras.X` stays tf-keras 2.15).",
    why="The import fails with `ImportError`/`AttributeError` on the target. Names that a table already "
        "explains are left to that table's rule: renamed Keras 1 classes (KC203), private or moved modules "
        "(KC103), backend functions (KC301-KC303), removed backends (KC105). Imports inside "
        "`try/except ImportError`, `hasattr` probes and version switches are compatibility code and are not "
        "reported; names the module assigns itself, private names (`_x`, `keras.src`) and attributes of "
        "objects whose type is unknown are not checked.",
    use_instead="The hint names the same name in another public module of the target (`keras.layers.X` "
                "instead of `keras.layers.experimental.X`), else the closest existing names of the module.",
    fix_safety="No automatic fix: the replacement depends on what the code meant.",
    bad=(
        Bad("from tensorflow.keras.layers import LSTM, CuDNNLSTMCell  # error: KC106\n"),
        Bad("import tensorflow as tf\nx = tf.keras.layers.Conv2DTransposed(8, 3)  # error: KC106\n"),
        Bad("import keras\nlayer = keras.layers.ThresholdedReLU(theta=1.0)  # error: KC106\n", targets=("keras3",)),
        Bad("from keras.preprocessing.text import Tokenizer  # error: KC106\n", targets=("keras3",)),
        Bad("import tensorflow.keras as K\nx = K.optimizers.experimental.AdamW()  # error: KC106\n",
            targets=("keras3",)),
        Bad("from keras import ops  # error: KC101, KC106\n", targets=("tf-keras",)),
    ),
    good=(
        "from tensorflow.keras.layers import LSTM, Conv2DTranspose\n",
        "import tensorflow as tf\nx = tf.keras.layers.Dense(3).kernel_initializer\n",
        "try:\n    from tensorflow.keras.layers import CuDNNLSTMCell\nexcept ImportError:\n    CuDNNLSTMCell = None\n",
        "import tensorflow as tf\nif hasattr(tf.keras.layers, 'FooLayer'):\n    layer = tf.keras.layers.FooLayer()\n",
        "from tensorflow.keras.layers import CuDNNLSTM\n",  # KC203 explains it
        Good("import keras\nx = keras.ops.matmul(a, b)\nlayer = keras.layers.Rescaling(1 / 255)\n",
             targets=("keras3",)),
        Good("import tensorflow as tf\nlayer = tf.keras.layers.ThresholdedReLU(theta=1.0)\n"),
        Good("from keras.preprocessing.text import Tokenizer\n", targets=("tf-keras",)),
    ),
)
def unknown_name(ctx: Context) -> Iterator[Diagnostic]:
    target = ctx.settings.target
    assigned: set[str] | None = None
    seen: set[tuple[int, int]] = set()
    for record in ctx.imports:
        name = record.keras
        if name is None or not name.raw or record.alias.name == "*" or not _checked(name):
            continue
        if record.guard.guarded or _guarded(ctx, record.node) or _covered_name(name):
            continue
        surface, index = _missing_in_target(name.flavour, target, name.raw)
        if surface is None or index is None:
            continue
        prefix = keras_name(".".join([_root(name), *name.raw.split(".")[: index + 1]]))
        if prefix is None or _covered_name(prefix):
            continue
        yield _finding(ctx, record.alias, name, surface, index)
    for attr in ctx.keras_chains:  # only the outermost chain, of those that may be Keras (the others are not)
        if not isinstance(attr.ctx, ast.Load):
            continue  # stores are checked through _assigned_paths
        name = ctx.keras(attr)
        if name is None or not name.raw or not _checked(name):
            continue
        surface, index = _missing_in_target(name.flavour, target, name.raw)
        if surface is None or index is None:
            continue
        parts = name.raw.split(".")
        node: ast.AST = attr
        for _ in range(len(parts) - 1 - index):
            if not isinstance(node, ast.Attribute):
                break  # the missing part is inside the imported name (``from a.b import c``; ``c.x``)
            node = node.value
        prefix = ctx.keras(node)
        if prefix is None or not isinstance(node, ast.Attribute) or _covered_name(prefix) or not _checked(prefix):
            continue
        if _guarded(ctx, attr):
            continue
        if assigned is None:
            assigned = _assigned_paths(ctx)
        if prefix.raw in assigned:
            continue
        key = (node.lineno, node.col_offset)
        if key not in seen:
            seen.add(key)
            yield _finding(ctx, node, name, surface, index)


# --------------------------------------------------------------------------------------------- KC206

_MODEL_CONSTRUCTORS = frozenset({"Model", "models.Model", "Sequential", "models.Sequential"})


def _model_receiver(ctx: Context, receiver: ast.AST) -> KerasName | None:
    """The Keras model class a receiver was built from, when every binding of the name agrees."""
    if not isinstance(receiver, ast.Name):
        return None
    scope = ctx.resolver.scope_of(receiver)
    while scope is not None:
        bindings = scope.bindings.get(receiver.id)
        if bindings:
            found = set()
            for binding in bindings:
                value = getattr(binding.node, "value", None)
                if not (isinstance(binding.node, ast.Assign) and isinstance(value, ast.Call)):
                    return None
                called = ctx.keras(value.func)
                if called is None or called.path not in _MODEL_CONSTRUCTORS:
                    return None
                found.add(called)
            return next(iter(found)) if len({(n.flavour, n.path) for n in found}) == 1 else None
        scope = scope.parent
    return None


def _model_names(ctx: Context) -> frozenset[str]:
    """Names that some assignment binds to a model constructor's result (``m = Sequential()``): the only
    receivers :func:`_model_receiver` can accept, found without looking any name up."""
    names: set[str] = set()
    for call, name in ctx.keras_calls:
        if name.path in _MODEL_CONSTRUCTORS:
            parent = ctx.parent(call)
            if isinstance(parent, ast.Assign) and parent.value is call:
                for target in parent.targets:
                    names.update(node.id for node in walk(target) if isinstance(node, ast.Name))
    return frozenset(names)


def _covered_keywords(ctx: Context, path: str, method: str | None) -> frozenset[str]:
    """Keywords whose problem a table-driven rule reports (KC201/KC202/KC205/KC5xx) for this callee."""
    covered: set[str] = set()
    if method is None:
        covered |= set(knowledge.arg_renames_by_callable().get(path, {}))
        conv = knowledge.kernel_conversions().get(path)
        if conv is not None:
            covered |= set(conv.dim_keywords)
        if path in knowledge.optimizer_paths():
            from keras_compat.data.legacy import OPTIMIZER_ARGS

            covered |= {entry.old for entry in OPTIMIZER_ARGS}
    else:
        covered |= set(knowledge.arg_renames_by_method().get(method, {}))
        if ctx.settings.target == "keras3" and method in ("fit", "evaluate", "predict"):
            from keras_compat.data.keras3 import KERAS3_CHANGES

            covered |= set(KERAS3_CHANGES["fit.data_loading_keywords"].values)  # KC506
    return frozenset(covered)


#: Callees whose keywords the Keras 3 saving rules (KC501-KC503) judge.
_SAVING = frozenset({"saving.save_model", "models.save_model"})
_SAVING_METHODS = frozenset({"save", "save_weights"})


def _public_class(name: KerasName) -> KerasName | None:
    """A name reached through a private or moved module path (``keras.layers.normalization.BatchNormalization``)
    whose canonical path is public (``layers.BatchNormalization``): the same name under its public path."""
    if not name.raw or name.path == name.raw or not name.path or name.flavour is Flavour.TF_PYTHON:
        return None
    if knowledge.module_move(name.raw) is None or knowledge.module_move(name.path) is not None:
        return None
    root = _root(name)
    return name._replace(qualname=f"{root}.{name.path}" if root else name.path, raw=name.path)


def _callee(ctx: Context, call: ast.Call, model_names: frozenset[str]) -> tuple[KerasName, str, str | None, Surface] | None:
    """(Keras name, display, method or None, surface) of a checked call (``model_names``: :func:`_model_names`)."""
    target = ctx.settings.target
    name = ctx.keras(call.func)
    if name is not None:
        public = _public_class(name)
        if public is not None:
            name = public  # keras.layers.normalization.BatchNormalization: its public class's signature
        if not name.raw or not _checked(name) or _covered_name(name):
            return None
        surface = surface_for(name.flavour, target)
        if surface is None or not surface.has_name(name.raw):
            return None  # KC106's
        if target == "keras3" and name.path in _SAVING:
            return None
        return name, name.raw.rsplit(".", 1)[-1], None, surface
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in model_names:
        model = _model_receiver(ctx, func.value)
        if model is None or not _checked(model) or target == "keras3" and func.attr in _SAVING_METHODS:
            return None
        surface = surface_for(model.flavour, target)
        if surface is None:
            return None
        return model, f"{model.leaf}.{func.attr}", func.attr, surface
    return None


def _checked_calls(ctx: Context, model_names: frozenset[str]) -> list[ast.Call]:
    """The calls :func:`_callee` may accept, in the order of ``ctx.calls``: those of a Keras callable with a
    path (``ctx.keras_calls``; its first case needs a name with a raw path, and a Keras name has a path
    whenever it has a raw one: no module moves to the root, tests/test_rules_indexes.py), and when a name
    is bound to a model (``model_names``), the method calls on such a name (its second case)."""
    calls = list(map(_FIRST, ctx.keras_calls))
    if not model_names:
        return calls
    found = dict(zip(map(id, calls), calls))
    parents, Call = ctx.parents, ast.Call
    receivers = ctx.attributes_on_names
    for attr in compress(receivers, map(model_names.__contains__, map(_VALUE_ID, receivers))):
        call = parents.get(attr)
        if call.__class__ is Call and call.func is attr:  # type: ignore[union-attr]
            found[id(call)] = call  # type: ignore[assignment]
    return in_source_order(found.values())


_FIRST, _VALUE_ID = itemgetter(0), attrgetter("value.id")


@rule(
    code="KC206",
    symbol="unknown-keras-argument",
    severity=Severity.ERROR,
    message="{callee}: keyword argument '{arg}' is not accepted by {api} -> {hint}",
    summary="Keyword argument that the target's signature of a Keras class or function does not accept",
    what="Finds keyword arguments in calls of Keras classes and functions (`Dense(10, output_dim=5)`, "
         "`tf.keras.layers.LSTM(32, consume_less='gpu')`, `keras.layers.Dense(8, batch_input_shape=...)` on "
         "Keras 3) that the target's signature does not accept: not a parameter, and either no `**kwargs` or "
         "`**kwargs` that only reach the base `Layer.__init__`, which accepts a fixed set (tf-keras: "
         "`input_shape`, `batch_input_shape`, `batch_size`, `weights`, ...; Keras 3: `input_shape`, "
         "`input_dim` only). The signatures are extracted from the reference wheels (tf-keras 2.15.0, Keras "
         "3.15.1), following base classes and what each `__init__` does with its `**kwargs`; `Model.fit/"
         "compile/evaluate/predict/...` keywords are checked when the receiver was built by `Model(...)` or "
         "`Sequential(...)` in the same scope.",
    why="The call raises `TypeError: ... got an unexpected keyword argument` or Keras' `Keyword argument not "
        "understood`/`Unrecognized keyword arguments`. This generalises the rename tables to every change "
        "they do not list; where a table knows the keyword (KC201 renamed Keras 1 arguments, KC202 kernel "
        "dimensions, KC205 optimizer `lr`/`decay`, KC501-KC506 Keras 3 saving and data-loading arguments) "
        "that rule reports and this one is silent. A class reached through a private module path "
        "(`keras.layers.normalization.BatchNormalization`, KC103's finding) is checked against its public "
        "class. Calls that spread `**kwargs`, calls in compatibility code, "
        "callables whose `**kwargs` go somewhere we cannot follow, and subclasses defined by the user are "
        "not checked.",
    use_instead="The hint names the closest accepted parameters.",
    fix_safety="No automatic fix: a keyword the target does not know usually needs a different call. The exception "
               "is `batch_input_shape=(None, ...)`, which Keras 3 no longer takes: safe `input_shape=(...)` (the "
               "batch dimension was free anyway); a fixed batch size needs `keras.Input(batch_shape=...)`.",
    fix=FixAvailability.SOMETIMES,
    bad=(
        Bad("from tensorflow.keras.layers import Dense\nd = Dense(10, kernel_init='zeros')  # error: KC206\n"),
        Bad("import tensorflow as tf\nl = tf.keras.layers.LSTM(32, consume_gpu=True)  # error: KC206\n"),
        Bad("import keras\nd = keras.layers.Dense(8, batch_input_shape=(None, 4))  # error: KC206\n",
            fixed="import keras\nd = keras.layers.Dense(8, input_shape=(4,))  # error: KC206\n", targets=("keras3",)),
        Bad("from tensorflow import keras\nm = keras.Sequential()\n"
            "m.compile(optimizer='adam', loss='mse', experimental_run_tf_function=False)  # error: KC206\n",
            targets=("keras3",)),
        Bad("import keras as K\nx = K.ops.sum(t, axes=1)  # error: KC206\n", targets=("keras3",)),
        Bad("import keras\nbn = keras.layers.normalization.BatchNormalization(weights=w)  # error: KC103, KC206\n",
            targets=("keras3",)),
    ),
    good=(
        "from tensorflow.keras.layers import Dense\nd = Dense(10, input_shape=(4,), name='d', dtype='float32')\n",
        "from tensorflow.keras.layers import Dense\nd = Dense(output_dim=10)\n",  # KC201 explains it
        "import tensorflow as tf\nopt = tf.keras.optimizers.Adam(lr=0.1)\n",  # KC205 explains it
        "from tensorflow.keras.layers import Dense\nopts = {'units': 3}\nd = Dense(**opts, foo=1)\n",
        "from tensorflow.keras.layers import Dense\n\nclass MyDense(Dense):\n    def __init__(self, extra=1, **kw):\n"
        "        super().__init__(**kw)\n\nd = MyDense(4, extra=2)\n",
        Good("import tensorflow as tf\nd = tf.keras.layers.Dense(8, batch_input_shape=(None, 4))\n",
             targets=("tf-keras",)),
        Good("import keras\nm = keras.Sequential()\nm.fit(x, y, epochs=2, workers=4)\n", targets=("keras3",)),
        Good("import keras\nx = keras.ops.sum(t, axis=1, keepdims=True)\n", targets=("keras3",)),
    ),
)
def unknown_argument(ctx: Context) -> Iterator[Diagnostic]:
    model_names = _model_names(ctx)
    for call in _checked_calls(ctx, model_names):
        if not call.keywords or any(kw.arg is None for kw in call.keywords):
            continue
        callee = _callee(ctx, call, model_names)
        if callee is None:
            continue
        name, display, method, surface = callee
        accepted = _accepted(surface, method, name.raw)
        if accepted is None:
            continue
        unknown = [kw for kw in call.keywords if kw.arg not in accepted]
        if not unknown or _guarded(ctx, call):
            continue
        covered = _covered_keywords(ctx, name.path, method)
        for kw in unknown:
            if kw.arg in covered:
                continue
            import difflib  # only for a finding's message

            close = difflib.get_close_matches(kw.arg or "", sorted(accepted), n=2, cutoff=0.6)
            hint = ("did you mean " + " or ".join(f"'{c}'" for c in close) + "?") if close else "remove it"
            fix = _batch_shape_fix(ctx, kw) if kw.arg == "batch_input_shape" and "input_shape" in accepted else None
            if fix is not None:
                hint = "input_shape= without the batch dimension (None)"
            yield ctx.report("KC206", kw, fix, callee=display, arg=kw.arg, api=surface.label, hint=hint)


@lru_cache(maxsize=4096)
def _accepted(surface: Surface, method: str | None, path: str) -> frozenset[str] | None:
    """The keywords the signature of ``Model.<method>`` (or of the callable at ``path``) accepts; None when
    it is unknown or takes any keyword (memoised: the surfaces do not change, and decoding a signature costs
    a record and two sets per call)."""
    sig = surface.method_signature("Model", method) if method else surface.signature(path)
    if sig is None or sig.var_kw == "any":
        return None
    return sig.accepted


def _batch_shape_fix(ctx: Context, kw: ast.keyword):
    """``batch_input_shape=(None, 4)`` -> ``input_shape=(4,)``: the same model when the batch size is free; a
    fixed batch size (stateful RNNs) needs ``keras.Input(batch_shape=...)`` and a human."""
    value = kw.value
    if not isinstance(value, (ast.Tuple, ast.List)) or not value.elts or \
            not (isinstance(value.elts[0], ast.Constant) and value.elts[0].value is None) or \
            any(isinstance(e, ast.Starred) for e in value.elts):
        return None
    rest = [ctx.segment(e) for e in value.elts[1:]]
    shape = f"({rest[0]},)" if len(rest) == 1 else f"({', '.join(rest)})"
    return ctx.fix("Use input_shape= (the batch dimension was None)", [ctx.replace(kw, f"input_shape={shape}")],
                   safe=True)
