"""The ``training`` argument (KC401-KC403, KC408): training-dependent work in custom layers' ``call()``.

Facts (reference section f, verified on tf.keras 2.15 and Keras 3): both frameworks hand the outer
``training`` value down to sub-layers through the call context, so a ``call()`` without ``training`` that
only calls ``Dropout``/``BatchNormalization`` sub-layers is correct. What the framework cannot route is
reported: raw random ops, the global learning phase, ``K.in_train_phase`` (gone in Keras 3) and
``kwargs.get("training")`` (Keras 3 never passes ``training`` through ``**kwargs``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from functools import lru_cache

from keras_compat.context import Context, within_body
from keras_compat.data import layers as table
from keras_compat.diagnostics import Diagnostic, Edit
from keras_compat.layers import ClassInfo, FunctionNode, classifier
from keras_compat.names import keras_name
from keras_compat.record import Record, factory
from keras_compat.registry import Bad, FixAvailability, Good, Severity, Words, rule
from keras_compat.rules.backend import in_legacy_branch
from keras_compat.walk import iter_children, walk

#: The method the training rules read (every finding of KC401-KC403 and KC408 is about a ``def call``), and KC514.
CALL_METHOD = "call"
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_CONDITIONAL = (ast.If, ast.IfExp, ast.While, ast.Try, ast.BoolOp, ast.Match)


@lru_cache(maxsize=1)
def _random_ops() -> dict[str, table.RandomOp]:
    return {op.name: op for op in table.RANDOM_OPS}


@lru_cache(maxsize=1)
def _training_layers() -> dict[str, table.TrainingLayer]:
    return {entry.path: entry for entry in table.TRAINING_SENSITIVE_LAYERS}


class Op(Record, mutable=True):
    """A training-dependent operation found in ``call()``."""

    node: ast.AST
    kind: str  # "dropout" | "noise" | "learning_phase" | "train_phase" | "kwargs"
    display: str
    nested: bool  # inside a nested function/lambda or under a condition
    mentions_training: bool = False  # the op's own arguments mention training

    @property
    def raw(self) -> bool:
        return self.kind in ("dropout", "noise")


class CallMethod(Record, mutable=True):
    """A custom layer's ``call`` method and what it does with ``training``."""

    info: ClassInfo
    func: FunctionNode
    training: ast.arg | None
    training_default: ast.expr | None
    training_positional_last: bool
    kwarg: str | None
    ops: list[Op] = factory(list)
    training_only_forwarded: bool = True  # ``training`` used only as ``training=training`` (or not at all)


def _path(ctx: Context, expr: ast.AST) -> tuple[str | None, str | None]:
    """(fully qualified name, canonical Keras path) of a callee."""
    qualname = ctx.qualname(expr)
    if qualname is None:
        return None, None
    name = keras_name(qualname)
    return qualname, (name.path if name is not None else None)


def _backend_name(ctx: Context, path: str | None, qualname: str | None) -> str | None:
    if path is not None and path.startswith("backend.") and path.count(".") == 1:
        return path
    if qualname is not None:
        for alias in ctx.settings.extra_backend_aliases:
            rest = qualname[len(alias) + 1:]
            if qualname.startswith(alias + ".") and "." not in rest:
                return "backend." + rest
    return None


def _classify_call(ctx: Context, call: ast.Call) -> str | None:
    qualname, path = _path(ctx, call.func)
    if qualname is None:
        return None
    backend = _backend_name(ctx, path, qualname)
    if backend in table.LEARNING_PHASE_FUNCTIONS:
        return "learning_phase"
    if backend in table.TRAIN_PHASE_FUNCTIONS:
        return "train_phase"
    ops = _random_ops()
    op = ops.get(qualname) or (ops.get(backend) if backend else None) or \
        (ops.get(path) if path and path.startswith("random.") else None)
    return op.kind if op is not None else None


def _mentions(node: ast.AST, names: set[str]) -> bool:
    """Whether ``node`` reads one of ``names`` other than to forward it (``training=training``)."""
    return not names.isdisjoint(_read_names(node))


def _read_names(node: ast.AST) -> set[str]:
    """The names ``node`` reads other than as the value of a ``training=`` keyword."""
    found = {node.id} if isinstance(node, ast.Name) else set()
    for child in walk(node):
        if not (isinstance(child, ast.keyword) and child.arg == "training"):
            found.update(sub.id for sub in iter_children(child) if isinstance(sub, ast.Name))
    return found


def _walk_body(func: FunctionNode) -> Iterator[ast.AST]:
    for stmt in func.body:
        yield from walk(stmt)


def _kwargs_read(node: ast.AST, kwarg: str) -> bool:
    """``kwargs.get("training")``, ``kwargs["training"]``, ``"training" in kwargs``, ``kwargs.pop(...)``."""
    def is_kwargs(expr: ast.AST) -> bool:
        return isinstance(expr, ast.Name) and expr.id == kwarg

    def is_training(expr: ast.AST | None) -> bool:
        return isinstance(expr, ast.Constant) and expr.value == "training"

    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "pop") \
            and is_kwargs(node.func.value) and node.args and is_training(node.args[0]):
        return True
    if isinstance(node, ast.Subscript) and is_kwargs(node.value) and is_training(node.slice):
        return True
    return isinstance(node, ast.Compare) and is_training(node.left) and len(node.comparators) == 1 and \
        isinstance(node.ops[0], (ast.In, ast.NotIn)) and is_kwargs(node.comparators[0])


def _inside(ctx: Context, node: ast.AST, func: FunctionNode) -> tuple[bool, bool]:
    """(inside a nested def/lambda, under a condition or a conditional call) between node and func."""
    nested = conditional = False
    child = node
    for ancestor in ctx.ancestors(node):
        if ancestor is func:
            break
        if isinstance(ancestor, _NESTED):
            nested = True
        elif isinstance(ancestor, (ast.If, ast.While)) and child is not ancestor.test:
            conditional = True
        elif isinstance(ancestor, ast.IfExp) and child is not ancestor.test:
            conditional = True
        elif isinstance(ancestor, (ast.Try, ast.BoolOp, ast.Match)):
            conditional = True
        elif isinstance(ancestor, ast.Call) and child is not ancestor.func and \
                _classify_call(ctx, ancestor) == "train_phase":
            conditional = True
        child = ancestor
    return nested, conditional


def _training_names(ctx: Context, uses: Callable[[str], list[ast.Name]], training: str) -> set[str]:
    """``training`` plus local names assigned from expressions that mention it (to a fixed point); ``uses``
    gives the ``Name`` nodes of an identifier in the function's body. Each newly found name leads to the
    assignments that read it by climbing from its uses, rather than re-reading every assignment on each round."""
    names = {training}
    todo = [training]
    while todo:
        for use in uses(todo.pop()):
            assign = _assignment_reading(ctx, use)
            if assign is None:
                continue
            targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
            for target in targets:
                for name in walk(target):
                    if isinstance(name, ast.Name) and name.id not in names:
                        names.add(name.id)
                        todo.append(name.id)
    return names


def _assignment_reading(ctx: Context, name: ast.Name) -> ast.Assign | ast.AnnAssign | ast.AugAssign | None:
    """The assignment whose value reads ``name`` (as :func:`_read_names` counts reads), if any."""
    parent = ctx.parent(name)
    if isinstance(parent, ast.keyword) and parent.arg == "training":
        return None
    child: ast.AST = name
    while parent is not None and not isinstance(parent, ast.stmt):
        child, parent = parent, ctx.parent(parent)
    if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and child is parent.value:
        return parent
    return None


def _only_forwarded(ctx: Context, uses: list[ast.Name], training: str) -> bool:
    """Whether every use of ``training`` in the body (``uses``: its ``Name`` nodes there) is a
    ``training=training`` keyword of a call."""
    for node in uses:
        if isinstance(node, ast.Name) and node.id == training and isinstance(node.ctx, ast.Load):
            parent = ctx.parent(node)
            if not (isinstance(parent, ast.keyword) and parent.arg is not None):
                return False
            call = ctx.parent(parent)
            if isinstance(call, ast.Call) and _classify_call(ctx, call) == "train_phase":
                return False  # K.in_train_phase(..., training=training) selects on it
        elif isinstance(node, ast.Name) and node.id == training:
            return False  # rebound: we cannot follow it
    return True


def _call_method(ctx: Context, info: ClassInfo) -> CallMethod | None:
    func = info.method(CALL_METHOD)
    if func is None or in_legacy_branch(ctx, func):
        return None
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    training = default = None
    last = False
    for index, arg in enumerate(positional):
        if arg.arg == "training":
            training = arg
            offset = index - (len(positional) - len(args.defaults))
            default = args.defaults[offset] if offset >= 0 else None
            last = index == len(positional) - 1
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults):
        if arg.arg == "training":
            training, default, last = arg, kw_default, True
    kwarg = args.kwarg.arg if args.kwarg else None
    method = CallMethod(info, func, training, default, last, kwarg)

    def uses(name: str) -> list[ast.Name]:
        return within_body(ctx.names(name), func)

    training_names = _training_names(ctx, uses, "training") if training is not None else set()
    if training is not None:
        method.training_only_forwarded = _only_forwarded(ctx, uses("training"), "training")
    kwargs_reads = kwarg is not None and training is None
    for node in _op_candidates(ctx, func, kwarg if kwargs_reads else None):
        kind = None
        display = ""
        if isinstance(node, ast.Call):
            kind = _classify_call(ctx, node)
            if kind is not None:
                display = ctx.segment(node.func)  # the line table is built only when there is an op
        if kind is None and kwargs_reads and _kwargs_read(node, kwarg):  # type: ignore[arg-type]
            kind, display = "kwargs", ctx.segment(node)
        if kind is None:
            continue
        nested, conditional = _inside(ctx, node, func)
        mentions = bool(training_names) and isinstance(node, ast.Call) and \
            any(_mentions(a, training_names) for a in [*node.args, *node.keywords])
        method.ops.append(Op(node, kind, display, nested or conditional, mentions))
    if len(method.ops) > 1:  # the walk's order, which picks the op KC401 names (rare: the walk only then)
        order = {id(node): index for index, node in enumerate(_walk_body(func))}
        method.ops.sort(key=lambda op: order[id(op.node)])
    return method


def _op_candidates(ctx: Context, func: FunctionNode, kwarg: str | None) -> list[ast.AST]:
    """The nodes of ``func``'s body that may be ops: its calls, and when reads of the ``**kwargs`` parameter
    ``kwarg`` count, the subscripts and comparisons on it (:func:`_kwargs_read`: a read through ``.get`` or
    ``.pop`` is a call). From the context's indexes, not a walk of the body."""
    found: list[ast.AST] = list(within_body(ctx.calls, func))
    if kwarg is not None:
        parents = ctx.parents
        for use in within_body(ctx.names(kwarg), func):
            parent = parents.get(use)
            if isinstance(parent, ast.Subscript) and parent.value is use or \
                    isinstance(parent, ast.Compare) and parent.comparators[0] is use:
                found.append(parent)
    return found


def call_methods(ctx: Context) -> list[CallMethod]:
    """Every layer-kind class's ``call`` method, analysed once per context."""
    cached = getattr(ctx, "_keras_call_methods", None)
    if cached is None:
        cached = []
        for info in classifier(ctx):
            if info.kind.is_layer:
                method = _call_method(ctx, info)
                if method is not None:
                    cached.append(method)
        ctx._keras_call_methods = cached  # type: ignore[attr-defined]
    return cached


def _lower(name: str) -> str:
    return name.lower().replace("_", "")


def _deliberate(info: ClassInfo, op: Op) -> bool:
    """Layers whose name announces randomness at inference (VAE sampling, Monte Carlo dropout)."""
    name = _lower(info.name)
    if op.kind == "noise" and any(word in name for word in table.SAMPLING_CLASS_WORDS):
        return True
    return name.startswith("mc") or "montecarlo" in name or "alwaysdropout" in name


def missing_training_op(method: CallMethod) -> Op | None:
    """The op KC401 reports for a ``call()`` without ``training`` (None: nothing to report)."""
    if method.training is not None:
        return None
    decisive = [op for op in method.ops if not op.raw]
    if decisive:
        return decisive[0]
    raw = [op for op in method.ops if op.raw and not op.nested and not _deliberate(method.info, op)]
    return raw[0] if raw else None


def unforwarded_ops(method: CallMethod) -> list[Op]:
    """Ops KC402 reports: raw ops that ignore ``training``, ``in_train_phase`` without ``training=``."""
    if method.training is None:
        return []
    found = []
    for op in method.ops:
        if op.kind == "train_phase":
            assert isinstance(op.node, ast.Call)
            passed = [kw.value for kw in op.node.keywords if kw.arg == "training"] + op.node.args[2:3]
            if not passed or all(isinstance(v, ast.Constant) and v.value is None for v in passed):
                found.append(op)
        elif op.raw and method.training_only_forwarded and not op.nested and not op.mentions_training \
                and not _deliberate(method.info, op):
            found.append(op)
    return found


def claimed_calls(ctx: Context) -> set[int]:
    """``in_train_phase``/``in_test_phase`` calls reported by the training rules (KC301 stays silent there)."""
    claimed: set[int] = set()
    for method in call_methods(ctx):
        if method.training is None:
            claimed.update(id(op.node) for op in method.ops if op.kind == "train_phase")
        else:
            claimed.update(id(op.node) for op in unforwarded_ops(method) if op.kind == "train_phase")
    return claimed


def def_name_range(ctx: Context, func: FunctionNode | ast.ClassDef) -> tuple[int, int, int, int]:
    """Range of the name in a ``def``/``class`` header (where the finding and its fix belong)."""
    line = func.lineno
    text = ctx.positions.lines[line - 1] if line - 1 < len(ctx.positions.lines) else ""
    keyword = "class " if isinstance(func, ast.ClassDef) else "def "
    start = text.find(keyword + func.name)
    if start < 0:
        start = text.find(func.name)
        if start < 0:
            return ctx.range(func)[0], ctx.range(func)[1], line, len(text)
    else:
        start += len(keyword)
    return line, start, line, start + len(func.name)


_CONSEQUENCE = {
    "dropout": "which also runs at inference (predict, evaluate, model(x))",
    "noise": "which adds its noise at inference too (predict, evaluate, model(x))",
    "learning_phase": "which is 0 in TF2 unless set globally: the training branch is never taken, even in fit()",
    "train_phase": "which works in tf.keras through the call context but is gone in Keras 3",
    "kwargs": "but Keras 3 never passes training through **kwargs",
}


@rule(
    code="KC401",
    symbol="missing-training-argument",
    severity=Severity.ERROR,
    message="call() of {layer} has no training argument but uses {op}, {consequence}: add `training=None` "
            "and branch on it",
    summary="`call()` does training-dependent work without a `training` argument",
    what="Finds a custom layer's `call()` without a `training` parameter whose body does training-dependent "
         "work that the framework cannot route: raw dropout or noise ops (`K.dropout`, `tf.nn.dropout`, "
         "`keras.random.dropout`, `tf.random.normal`/`K.random_normal` ...), `K.learning_phase()`, "
         "`K.in_train_phase`/`K.in_test_phase`, or `kwargs.get(\"training\")` in a `call(self, x, **kwargs)`. "
         "Reported on the `def call` line, where the fix goes. A `call()` that only calls `Dropout`/"
         "`BatchNormalization` sub-layers is correct (see KC408). Noise ops are not reported in layers whose "
         "name says they sample on purpose (`Sampling`, `Reparameterize`, `VariationalX`, `Gumbel...`), nor "
         "dropout in Monte Carlo dropout layers (`MCDropout`), nor ops under a condition or inside a nested "
         "function.",
    why="tf.keras and Keras 3 pass the outer `training` value to sub-layers, but a raw random op does not "
        "look at it: the dropout is applied in `predict` too (verified). `K.learning_phase()` is 0 in TF2, so "
        "the training branch is never taken, even inside `fit()`. `K.in_train_phase` works in tf.keras 2.x "
        "(it reads the call context) but does not exist in Keras 3 (a portability error rather than a "
        "tf.keras bug). Keras 3 strips `training` unless `call()` names it, so `kwargs.get(\"training\")` is "
        "always None there.",
    fix_safety="No automatic fix: the body has to branch on `training` (`if training:` or `tf.cond`).",
    use_instead="```python\ndef call(self, inputs, training=None):\n    if training:\n"
                "        inputs = tf.nn.dropout(inputs, rate=self.rate)\n    return inputs\n```",
    bad=(
        Bad("import tensorflow as tf\nfrom tensorflow import keras\n\nclass Noise(keras.layers.Layer):\n"
            "    def call(self, x):  # error: KC401\n        return tf.nn.dropout(x, rate=0.5)\n"),
        Bad("import keras.backend as K\nfrom keras.engine.topology import Layer\n\nclass Base(Layer):\n"
            "    pass\n\nclass Drop(Base):\n    def call(self, x):  # error: KC401\n"
            "        return K.in_train_phase(x * 0.5, x)\n"),
        Bad("from tensorflow.keras import backend as K\nfrom tensorflow.keras.layers import Layer\n\n"
            "class Phase(Layer):\n    def call(self, x):  # error: KC401\n"
            "        return K.switch(K.learning_phase(), x * 0.5, x)  # error: KC301, KC302\n"),
        Bad("from tensorflow import keras\n\nclass Gate(keras.layers.Layer):\n"
            "    def call(self, x, **kwargs):  # error: KC401\n        if kwargs.get('training'):\n"
            "            return x * 0.5\n        return x\n"),
    ),
    good=(
        "import tensorflow as tf\nfrom tensorflow import keras\n\nclass Noise(keras.layers.Layer):\n"
        "    def call(self, x, training=None):\n        if training:\n"
        "            x = tf.nn.dropout(x, rate=0.5)\n        return x\n",
        "from tensorflow.keras import layers\n\nclass Block(layers.Layer):\n    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n        self.drop = layers.Dropout(0.5)\n"
        "        self.norm = layers.BatchNormalization()\n\n    def call(self, x):\n"
        "        return self.norm(self.drop(x))\n",
        "import tensorflow as tf\nfrom tensorflow import keras\n\nclass Sampling(keras.layers.Layer):\n"
        "    def call(self, inputs):\n        mean, log_var = inputs\n"
        "        eps = tf.random.normal(shape=tf.shape(mean))\n        return mean + tf.exp(0.5 * log_var) * eps\n",
        "import tensorflow as tf\n\ndef noisy(x):\n    return tf.nn.dropout(x, rate=0.5)\n",
    ),
    needs=Words(defs=(CALL_METHOD,)),
)
def missing_training_argument(ctx: Context) -> Iterator[Diagnostic]:
    for method in call_methods(ctx):
        op = missing_training_op(method)
        if op is None:
            continue
        shown = op.display if op.kind == "kwargs" else f"{op.display}()"
        yield ctx.report("KC401", def_name_range(ctx, method.func), None, layer=method.info.name, op=shown,
                         consequence=_CONSEQUENCE[op.kind])


@rule(
    code="KC402",
    symbol="training-not-forwarded",
    severity=Severity.ERROR,
    message="{op}() in {layer}.call() ignores the training argument: {advice}",
    summary="`call()` takes `training` but applies a training-only op that ignores it",
    what="Finds, in a `call()` that takes `training`, raw dropout/noise ops applied unconditionally "
         "(`tf.nn.dropout`, `K.dropout`, `keras.random.dropout`, `tf.random.normal` ... while `training` is "
         "never tested, only forwarded or unused), and `K.in_train_phase`/`K.in_test_phase` called without "
         "`training=training`. Sub-layers called without `training=` are not reported: the call context "
         "passes the value on.",
    why="The op runs in inference too: `predict()` output is randomly perturbed although the layer accepts "
        "`training`. `K.in_train_phase(..., training=None)` falls back to the call context in tf.keras but "
        "ignores the argument the layer received, and the function is gone in Keras 3.",
    fix_safety="No automatic fix: the op has to be put under `if training:` (or `tf.cond`).",
    bad=(
        Bad("import tensorflow as tf\nfrom tensorflow import keras\n\nclass Noise(keras.layers.Layer):\n"
            "    def call(self, x, training=None):\n"
            "        return tf.nn.dropout(x, rate=0.5)  # error: KC402\n"),
        Bad("import keras.backend as K\nfrom keras.layers import Layer\n\nclass Drop(Layer):\n"
            "    def call(self, x, training=None):\n"
            "        return K.in_train_phase(K.dropout(x, 0.5), x)  # error: KC402, KC301\n", targets=("tf-keras",)),
        Bad("import keras.backend as K\nfrom keras.layers import Layer\n\nclass Drop(Layer):\n"
            "    def call(self, x, training=None):\n"
            "        return K.in_train_phase(K.dropout(x, 0.5), x)  # error: KC402, KC532\n", targets=("keras3",)),
        Bad("import tensorflow as tf\nfrom tensorflow.keras import layers\n\nclass Base(layers.Layer):\n"
            "    pass\n\nclass Jitter(Base):\n    def call(self, x, training=None):\n"
            "        x = self.inner(x, training=training)\n"
            "        return x + tf.random.normal(tf.shape(x))  # error: KC402\n"),
    ),
    good=(
        "import tensorflow as tf\nfrom tensorflow import keras\n\nclass Noise(keras.layers.Layer):\n"
        "    def call(self, x, training=None):\n        if training:\n"
        "            return tf.nn.dropout(x, rate=0.5)\n        return x\n",
        "import keras.backend as K\nfrom keras.layers import Layer\n\nclass Drop(Layer):\n"
        "    def call(self, x, training=None):\n"
        "        return K.in_train_phase(lambda: K.dropout(x, 0.5), x, training=training)\n",
        "import tensorflow as tf\nfrom tensorflow.keras import layers\n\nclass Block(layers.Layer):\n"
        "    def call(self, x, training=None):\n        return self.drop(x)\n",
        Good("import keras\n\nclass Noise(keras.layers.Layer):\n    def call(self, x, training=None):\n"
             "        if training:\n            return keras.random.dropout(x, rate=0.5)\n        return x\n",
             targets=("keras3",)),
    ),
    needs=Words(defs=(CALL_METHOD,)),
)
def training_not_forwarded(ctx: Context) -> Iterator[Diagnostic]:
    for method in call_methods(ctx):
        for op in unforwarded_ops(method):
            if op.kind == "train_phase":
                advice = "pass training=training (or branch on training directly; gone in Keras 3)"
            else:
                advice = "apply it only under `if training:`"
            yield ctx.report("KC402", op.node, None, op=op.display, layer=method.info.name, advice=advice)


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True or \
        isinstance(node, ast.Constant) and type(node.value) is int and node.value == 1


@rule(
    code="KC403",
    symbol="training-without-default",
    severity=Severity.ERROR,
    message="{layer}.call(): {problem}",
    summary="`training` parameter of `call()` without a default, or defaulting to True",
    fix=FixAvailability.SOMETIMES,
    what="Finds `def call(self, inputs, training)` without a default value in a custom layer, and "
         "`training=True` defaults.",
    why="Keras 3 binds the caller's arguments to the signature before it injects the context value, so a "
        "`training` without default raises `TypeError: missing a required argument: 'training'` whenever a "
        "caller omits it, even when the layer is nested in an outer layer called with `training=True` "
        "(verified). tf.keras before mid-2020 crashed the same way. A `training=True` default makes bare "
        "calls such as `model(x)` run in training mode (dropout active, batch statistics updated).",
    fix_safety="Safe for the missing default: `training` becomes `training=None`, which is what the framework "
               "passes when nobody gives a value. No fix for `training=True` (changing it changes what bare "
               "calls do), nor when a later positional parameter has no default.",
    bad=(
        Bad("from tensorflow import keras\n\nclass Block(keras.layers.Layer):\n"
            "    def call(self, x, training):  # error: KC403\n        return x\n",
            fixed="from tensorflow import keras\n\nclass Block(keras.layers.Layer):\n"
                  "    def call(self, x, training=None):  # error: KC403\n        return x\n"),
        Bad("import keras\nfrom keras.layers import Dense\n\nclass MyDense(Dense):\n"
            "    def call(self, x, *, training: bool):  # error: KC403\n        return x\n",
            fixed="import keras\nfrom keras.layers import Dense\n\nclass MyDense(Dense):\n"
                  "    def call(self, x, *, training: bool = None):  # error: KC403\n        return x\n"),
        Bad("import tensorflow as tf\n\nclass Net(tf.keras.Model):\n"
            "    def call(self, x, training=True):  # error: KC403\n        return x\n"),
    ),
    good=(
        "from tensorflow import keras\n\nclass Block(keras.layers.Layer):\n"
        "    def call(self, x, training=None):\n        return x\n",
        "from tensorflow import keras\n\nclass Block(keras.layers.Layer):\n"
        "    def call(self, x, training=False):\n        return x\n",
        "class Helper:\n    def call(self, x, training):\n        return x\n",
    ),
    needs=Words(defs=(CALL_METHOD,)),
)
def training_without_default(ctx: Context) -> Iterator[Diagnostic]:
    for method in call_methods(ctx):
        arg = method.training
        if arg is None:
            continue
        name = method.info.name
        if method.training_default is None:
            fix = None
            if method.training_positional_last:
                line, _, end_line, end_col = ctx.range(arg)
                text = " = None" if arg.annotation is not None else "=None"
                fix = ctx.fix("Give training a default of None", [Edit.insert(end_line, end_col, text)], safe=True)
            yield ctx.report("KC403", arg, fix, layer=name,
                             problem="`training` has no default: TypeError in Keras 3 whenever a caller omits "
                                     "it; use `training=None`")
        elif _is_true(method.training_default):
            yield ctx.report("KC403", arg, None, layer=name,
                             problem="`training` defaults to True: bare calls such as model(x) run in training "
                                     "mode; use `training=None`")


def _sensitive(ctx: Context, call: ast.Call) -> str | None:
    """Display name of a training-sensitive built-in layer constructed by ``call``."""
    name = ctx.keras(call.func)
    if name is None:
        return None
    entry = _training_layers().get(name.path)
    if entry is None:
        return None
    if entry.when:
        values = [kw.value for kw in call.keywords if kw.arg in entry.when]
        if not values or all(isinstance(v, ast.Constant) and not v.value for v in values):
            return None
    return name.leaf


def _sublayer_attributes(ctx: Context, info: ClassInfo) -> dict[str, str]:
    """``self.<attr> = <training-sensitive layer>(...)`` assignments anywhere in the class."""
    found: dict[str, str] = {}
    for node in walk(info.node):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            leaf = _sensitive(ctx, node.value)
            if leaf is None:
                continue
            for target in node.targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and \
                        target.value.id == "self":
                    found[target.attr] = leaf
    return found


@rule(
    code="KC408",
    symbol="implicit-training",
    severity=Severity.CONVENTION,
    default_enabled=False,
    message="call() of {layer} calls {sublayer} but does not expose `training`: correct through the call "
            "context, but the Keras guide asks layers that behave differently in training to take "
            "`training=None` and forward it",
    summary="`call()` without `training` that calls training-sensitive sub-layers (style)",
    what="Finds a custom layer's `call()` without a `training` parameter that calls `Dropout`, "
         "`BatchNormalization`, `GaussianNoise`, the `Random*` augmentation layers or recurrent layers "
         "built with `dropout=`. Off by default: enable it with `--extend-select=KC408` (flake8/CLI) or "
         "`enable=implicit-training` (pylint).",
    why="This is correct code: tf.keras 2.x and Keras 3 pass the outer `training` value to sub-layers "
        "through the call context (verified). The keras.io subclassing guide still asks layers whose "
        "behaviour differs between training and inference to expose `training`, which also makes direct "
        "calls like `layer(x, training=True)` explicit to readers.",
    fix_safety="No automatic fix.",
    bad=(
        Bad("from tensorflow.keras import layers\n\nclass Block(layers.Layer):\n    def __init__(self, **kwargs):\n"
            "        super().__init__(**kwargs)\n        self.drop = layers.Dropout(0.5)\n\n"
            "    def call(self, x):  # error: KC408\n        return self.drop(x)\n"),
        Bad("import keras\nfrom keras.layers import BatchNormalization\n\nclass Base(keras.layers.Layer):\n"
            "    pass\n\nclass Norm(Base):\n    def call(self, x):  # error: KC408\n"
            "        return BatchNormalization()(x)\n"),
    ),
    good=(
        "from tensorflow.keras import layers\n\nclass Block(layers.Layer):\n    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n        self.drop = layers.Dropout(0.5)\n\n"
        "    def call(self, x, training=None):\n        return self.drop(x, training=training)\n",
        "from tensorflow.keras import layers\n\nclass Block(layers.Layer):\n    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n        self.rnn = layers.LSTM(8)\n\n"
        "    def call(self, x):\n        return self.rnn(x)\n",
        Good("from keras import layers\n\nclass Block(layers.Layer):\n    def __init__(self, **kwargs):\n"
             "        super().__init__(**kwargs)\n        self.drop = layers.Dropout(0.5)\n\n"
             "    def call(self, x, training=None):\n        return self.drop(x, training=training)\n",
             targets=("keras3",)),
    ),
    needs=Words(defs=(CALL_METHOD,)),
)
def implicit_training(ctx: Context) -> Iterator[Diagnostic]:
    for method in call_methods(ctx):
        if method.training is not None or missing_training_op(method) is not None:
            continue
        attributes = _sublayer_attributes(ctx, method.info)
        for node in _walk_body(method.func):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            leaf = None
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
                leaf = attributes.get(func.attr)
            elif isinstance(func, ast.Call):
                leaf = _sensitive(ctx, func)
            if leaf is not None:
                yield ctx.report("KC408", def_name_range(ctx, method.func), None, layer=method.info.name,
                                 sublayer=leaf)
                break
