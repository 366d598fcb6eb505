"""The Keras 3 layer and model contract (KC510-KC521): what breaks custom layers once the imports are right.

Facts: ``data/keras3_layers.py`` (read from the keras 3.15.1 wheel, checked by
``tests/test_keras3_layers_table.py``); every rule's examples run on Keras 3.15.1 (and tf-keras 2.21 where a
rule says tf-keras breaks too) in ``tests/test_rule_execution.py``. Rules stay silent where the type of a
receiver is unknown: a layer is a class the classifier recognises, a model or layer instance is a name bound
to a Keras constructor (or a loop over ``.layers``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from keras_compat.context import Context, within_body
from keras_compat.data import keras3_layers as table
from keras_compat.diagnostics import Diagnostic, Edit, Fix
from keras_compat.layers import ClassInfo, FunctionNode, Kind, classifier, kind_of_path
from keras_compat.registry import Bad, Execution, FixAvailability, Severity, Words, rule
from keras_compat.rules.backend import in_legacy_branch
from keras_compat.rules.training import CALL_METHOD, def_name_range
from keras_compat.walk import walk

_K3 = ("keras3",)
_BOTH = ("tf-keras", "keras3")
_TENSORSHAPE_ONLY = frozenset(table.CONTRACT["build.shape_tuples"].values)


# -- shared helpers ----------------------------------------------------------------------------------------

def _live_layers(ctx: Context) -> list[ClassInfo]:
    """Classified layer-like classes (layers, models, cells, wrappers) outside legacy branches."""
    cached: list[ClassInfo] | None = getattr(ctx, "_keras_k3_layers", None)
    if cached is None:
        cached = [info for info in classifier(ctx) if info.kind.is_layer and not in_legacy_branch(ctx, info.node)]
        ctx._keras_k3_layers = cached  # type: ignore[attr-defined]
    return cached


def _params(func: FunctionNode) -> list[ast.arg]:
    """Positional parameters after ``self``."""
    return [*func.args.posonlyargs, *func.args.args][1:]


def _body_nodes(func: FunctionNode) -> Iterator[ast.AST]:
    for stmt in func.body:
        yield from walk(stmt)


def _rebinds(func: FunctionNode, name: str) -> bool:
    """Whether ``name`` is assigned anywhere in ``func`` (then its type is no longer the argument's)."""
    return any(isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)
               for n in _body_nodes(func))


def _is_self(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def _own_method_call(ctx: Context, call: ast.Call) -> bool:
    """``<first parameter of the enclosing method>.<name>(...)``: the object's own method."""
    func = call.func
    if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
        return False
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                isinstance(ctx.parent(ancestor), ast.ClassDef):
            positional = [*ancestor.args.posonlyargs, *ancestor.args.args]
            return bool(positional) and positional[0].arg == func.value.id
    return False


def _own_layer_call(ctx: Context, call: ast.Call) -> bool:
    """``self.<method>(...)`` in a method of a class classified as a layer, model, cell or wrapper (metrics
    and optimizers have an ``add_weight`` of their own, with other parameters)."""
    if not _own_method_call(ctx, call):
        return False
    found = classifier(ctx).enclosing(call)
    return found is not None and found[0].kind.is_layer


def _binding_owner(ctx: Context, name: ast.Name) -> tuple[int, list[ast.AST]] | None:
    """(id of the scope whose bindings of ``name`` the use sees, the statements that bind it there); None when
    the name is not bound in an enclosing scope."""
    current = ctx.resolver.scope_of(name)
    while current is not None:
        bindings = current.bindings.get(name.id)
        if bindings:
            return id(current), [b.node for b in bindings]
        current = current.parent
    return None


def _constructed_kind(ctx: Context, name: ast.Name) -> frozenset[str]:
    """Canonical Keras paths of the constructors every binding of ``name`` calls (empty: something else).
    Memoised per scope and name: every use of a name bound many times would otherwise scan its bindings."""
    owner = _binding_owner(ctx, name)
    if owner is None:
        return frozenset()
    key = ("KC515 constructed", owner[0], name.id)
    known = ctx.memo.get(key)
    if known is None:
        paths = set()
        for node in owner[1]:
            value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
            keras = ctx.keras(value.func) if isinstance(value, ast.Call) else None
            if keras is None or not keras.path:
                paths = set()
                break
            paths.add(keras.path)
        known = ctx.memo[key] = frozenset(paths)
    return known  # type: ignore[return-value]


def _is_layer_object(ctx: Context, node: ast.AST) -> bool:
    """Evidence that ``node`` is a built-in or custom layer, not a model: ``model.layers[i]``,
    ``model.get_layer(...)``, a loop variable over ``.layers``, a name bound to a layer constructor, or
    ``self`` in a custom layer (not a model)."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "layers":
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get_layer":
        return True
    if not isinstance(node, ast.Name):
        return False
    if node.id == "self":
        found = classifier(ctx).enclosing(node)
        return found is not None and found[0].kind in (Kind.LAYER, Kind.RNN_CELL, Kind.WRAPPER)
    owner = _binding_owner(ctx, node)
    if owner is None:
        return False
    key = ("KC515 layer object", owner[0], node.id)
    known = ctx.memo.get(key)
    if known is None:
        known = ctx.memo[key] = all(_binds_layer(ctx, stmt) for stmt in owner[1])
    return known  # type: ignore[return-value]


def _binds_layer(ctx: Context, stmt: ast.AST) -> bool:
    """A loop over ``<x>.layers`` or an assignment of a layer constructor's result."""
    loop = ctx.parent(stmt) if isinstance(stmt, ast.Name) else stmt
    if isinstance(loop, (ast.For, ast.AsyncFor)) and isinstance(loop.target, ast.Name) and \
            isinstance(loop.iter, ast.Attribute) and loop.iter.attr == "layers":
        return True
    value = stmt.value if isinstance(stmt, ast.Assign) else None
    keras = ctx.keras(value.func) if isinstance(value, ast.Call) else None
    return keras is not None and bool(keras.path) and kind_of_path(keras.path) in (Kind.LAYER, Kind.RNN_CELL)


# -- KC510: shapes are tuples ------------------------------------------------------------------------------

#: KC511 reads this method; KC513 (and KC512) the calls of ``add_weight``.
_COMPUTE_OUTPUT_SHAPE = "compute_output_shape"
_ADD_WEIGHT = "add_weight"
_SHAPE_METHODS = ("build", _COMPUTE_OUTPUT_SHAPE)
_SHAPE_ADVICE = {
    "as_list": "list({shape})", "rank": "len({shape})", "ndims": "len({shape})", "dims": "{shape}",
    "is_fully_defined": "None not in {shape}", "num_elements": "math.prod({shape})",
}


@rule(
    code="KC510",
    symbol="shape-is-tuple",
    severity=Severity.ERROR,
    message="{layer}.{method}(): {expr} {problem} -> {advice}",
    summary="`input_shape.as_list()`, `input_shape[i].value` and other TensorShape API in build()",
    targets=_BOTH,
    fix=FixAvailability.SOMETIMES,
    what="Finds, in the `build()` and `compute_output_shape()` methods of custom layers, models and cells, the "
         "`tf.TensorShape` API used on the shape argument: `input_shape.as_list()`, `.rank`, `.ndims`, "
         "`.dims`, `.is_fully_defined()`, `.num_elements()`, `.merge_with()` ... (Keras 3 target), and "
         "`input_shape[i].value` (both targets). Methods that rebind the argument or test its type "
         "(`isinstance(input_shape, tf.TensorShape)`) are left alone.",
    why="Keras 3 passes plain tuples of ints and `None` to `build()` and `compute_output_shape()` "
        "(`backend.standardize_shape`), so any `TensorShape` attribute raises `AttributeError: 'tuple' object "
        "has no attribute 'as_list'`. `Dimension.value` is TensorFlow 1 behaviour: a dimension is an `int` "
        "under TensorFlow 2 (tf-keras 2.x included), so `input_shape[-1].value` raises `AttributeError: 'int' "
        "object has no attribute 'value'` in both.",
    fix_safety="Safe for `.value` (deleted: the dimension is already the int) and `.as_list()` (`list(shape)` "
               "gives the same list for a `TensorShape` and for a tuple). The other attributes are reported "
               "with their tuple equivalent in the message.",
    bad=(
        Bad("import tensorflow as tf\n\nclass Scale(tf.keras.layers.Layer):\n    def build(self, input_shape):\n"
            "        units = input_shape[-1].value  # error: KC510\n"
            "        self.w = self.add_weight(name='w', shape=(units,))\n\n    def call(self, x):\n"
            "        return x * self.w\n\n\nScale()(tf.ones((2, 3)))\n",
            fixed="import tensorflow as tf\n\nclass Scale(tf.keras.layers.Layer):\n    def build(self, input_shape):\n"
                  "        units = input_shape[-1]  # error: KC510\n"
                  "        self.w = self.add_weight(name='w', shape=(units,))\n\n    def call(self, x):\n"
                  "        return x * self.w\n\n\nScale()(tf.ones((2, 3)))\n"),
        Bad("from keras import layers, ops\n\nclass Pool(layers.Layer):\n    def build(self, input_shape):\n"
            "        self.steps = input_shape.as_list()[1]  # error: KC510\n\n    def call(self, x):\n"
            "        return ops.sum(x, axis=1) / self.steps\n\n\nPool()(ops.ones((2, 4, 3)))\n",
            fixed="from keras import layers, ops\n\nclass Pool(layers.Layer):\n    def build(self, input_shape):\n"
                  "        self.steps = list(input_shape)[1]  # error: KC510\n\n    def call(self, x):\n"
                  "        return ops.sum(x, axis=1) / self.steps\n\n\nPool()(ops.ones((2, 4, 3)))\n",
            targets=_K3),
        Bad("import tensorflow as tf\nfrom tensorflow.keras.layers import Layer as Base\n\nclass Flat(Base):\n"
            "    def call(self, x):\n        return tf.reshape(x, (-1, 12))\n\n"
            "    def compute_output_shape(self, input_shape):\n"
            "        if input_shape.rank != 3:  # error: KC510\n            raise ValueError('3-D input expected')\n"
            "        return (input_shape[0], 12)\n\n\nFlat()(tf.keras.Input((4, 3)))\n", targets=_K3),
    ),
    good=(
        "import tensorflow as tf\n\nclass Scale(tf.keras.layers.Layer):\n    def build(self, input_shape):\n"
        "        units = tf.TensorShape(input_shape).as_list()[-1]\n"
        "        self.w = self.add_weight(name='w', shape=(units,))\n\n    def call(self, x):\n"
        "        return x * self.w\n\n\nScale()(tf.ones((2, 3)))\n",
        "import keras\n\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n"
        "        self.w = self.add_weight(name='w', shape=(input_shape[-1],))\n\n    def call(self, x):\n"
        "        return x * self.w\n\n\nScale()(keras.ops.ones((2, 3)))\n",
        "import tensorflow as tf\n\nclass Scale(tf.keras.layers.Layer):\n    def build(self, input_shape):\n"
        "        if isinstance(input_shape, tf.TensorShape):\n            input_shape = input_shape.as_list()\n"
        "        self.w = self.add_weight(name='w', shape=(input_shape[-1],))\n\n    def call(self, x):\n"
        "        return x * self.w\n\n\nScale()(tf.ones((2, 3)))\n",
        "import tensorflow as tf\n\nclass Planner:\n    def build(self, input_shape):\n"
        "        return input_shape.as_list()\n\n\nPlanner().build(tf.TensorShape([2, 3]))\n",
    ),
    execution=Execution(
        runtimes=_BOTH,
        expect=r"AttributeError: .*'(tuple|int)' object has no attribute '(value|as_list|rank)'",
    ),
    needs=Words(defs=_SHAPE_METHODS),
)
def shape_is_tuple(ctx: Context) -> Iterator[Diagnostic]:
    keras3 = ctx.settings.target == "keras3"
    for info in _live_layers(ctx):
        for method in _SHAPE_METHODS:
            func = info.method(method)
            if func is None or func.args.vararg is not None or not _params(func):
                continue
            shape = _params(func)[0].arg
            candidates, rebound, checked = _shape_uses(ctx, func, shape)
            if rebound:
                continue
            for node in candidates:
                value = node.value
                if node.attr == "value" and isinstance(value, ast.Subscript):
                    _, _, end_line, end_col = ctx.range(node)
                    _, _, vline, vcol = ctx.range(value)
                    fix = ctx.fix("Drop .value", [Edit(vline, vcol, end_line, end_col, "")], safe=True)
                    yield ctx.report("KC510", node, fix, layer=info.name, method=method, expr=ctx.segment(node),
                                     problem="fails: a dimension is an int or None under TensorFlow 2 and Keras 3",
                                     advice=f"use {ctx.segment(value)}")
                elif keras3 and not checked and isinstance(value, ast.Name):
                    yield _tensorshape_finding(ctx, info, method, node, shape)


def _shape_uses(ctx: Context, func: FunctionNode, shape: str) -> tuple[list[ast.Attribute], bool, bool]:
    """The attribute reads KC510 looks at in ``func`` (``shape.<TensorShape attribute>``, ``shape[i].value``),
    whether ``shape`` is rebound, and whether its type is tested (``isinstance(shape, ...)``): all three
    about the ``Name`` nodes spelling ``shape`` in the body, so read from their uses instead of a walk."""
    candidates: list[ast.Attribute] = []
    rebound = checked = False
    parents, Load = ctx.parents, ast.Load
    for use in within_body(ctx.names(shape), func):
        if use.ctx.__class__ is not Load:
            rebound = True
            continue
        parent = parents.get(use)
        if isinstance(parent, ast.Attribute):  # (an attribute's only child is its value)
            if parent.attr in _TENSORSHAPE_ONLY and isinstance(parent.ctx, Load):
                candidates.append(parent)
        elif isinstance(parent, ast.Subscript) and parent.value is use:
            outer = parents.get(parent)
            if isinstance(outer, ast.Attribute) and outer.attr == "value" and isinstance(outer.ctx, Load):
                candidates.append(outer)
        elif isinstance(parent, ast.Call) and parent.args and parent.args[0] is use and \
                isinstance(parent.func, ast.Name) and parent.func.id in ("isinstance", "hasattr", "getattr"):
            checked = True
    return candidates, rebound, checked


def _tensorshape_finding(ctx: Context, info: ClassInfo, method: str, node: ast.Attribute,
                         shape: str) -> Diagnostic:
    parent = ctx.parent(node)
    called = isinstance(parent, ast.Call) and parent.func is node
    target: ast.AST = parent if called and parent is not None else node
    advice = _SHAPE_ADVICE.get(node.attr)
    fix = None
    if node.attr == "as_list" and called and not parent.args and not parent.keywords:  # type: ignore[union-attr]
        fix = ctx.fix("Use list(shape)", [ctx.replace(target, f"list({shape})")], safe=True)
    shown = f"use {advice.format(shape=shape)}" if advice else \
        f"wrap it where a TensorShape is needed: tf.TensorShape({shape}).{node.attr}"
    return ctx.report("KC510", target, fix, layer=info.name, method=method, expr=ctx.segment(target),
                      problem=f"fails in Keras 3: {method}() receives the shape as a tuple, not a tf.TensorShape",
                      advice=shown)


# -- KC511: compute_output_shape structure -----------------------------------------------------------------

def _returns(func: FunctionNode) -> list[ast.Return]:
    """The ``return`` statements of ``func`` itself (statements only: not nested functions or classes)."""
    out: list[ast.Return] = []
    stack: list[ast.stmt] = list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return):
            out.append(node)
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(node, name, ()):
                    stack.extend(child.body if isinstance(child, (ast.ExceptHandler, ast.match_case)) else [child])
    return out


def _float_dimensions(node: ast.AST) -> Iterator[ast.BinOp]:
    """True divisions written as dimensions of a returned shape literal (nested shapes included)."""
    if isinstance(node, (ast.Tuple, ast.List)):
        for elt in node.elts:
            if isinstance(elt, ast.BinOp) and isinstance(elt.op, ast.Div):
                yield elt
            else:
                yield from _float_dimensions(elt)


def _dimension(node: ast.AST) -> bool:
    """An expression that is certainly one dimension, not a shape: None, an int, arithmetic, ``self.units``
    (an attribute of the layer whose name does not say shape)."""
    if isinstance(node, ast.Constant):
        return node.value is None or (isinstance(node.value, int) and not isinstance(node.value, bool))
    if isinstance(node, ast.Attribute) and _is_self(node.value):
        return "shape" not in node.attr.lower()
    return isinstance(node, ast.BinOp)


def _single_shape(node: ast.AST | None) -> bool:
    if not isinstance(node, (ast.Tuple, ast.List)) or not node.elts:
        return False
    if any(isinstance(e, (ast.Tuple, ast.List, ast.Starred, ast.ListComp)) for e in node.elts):
        return False
    return any(_dimension(e) for e in node.elts)


def _output_count(func: FunctionNode) -> int:
    """Number of outputs when every ``return`` of ``call`` returns the same-length list/tuple literal (>= 2)."""
    counts = set()
    for ret in _returns(func):
        value = ret.value
        if not isinstance(value, (ast.Tuple, ast.List)) or any(isinstance(e, ast.Starred) for e in value.elts):
            return 0
        counts.add(len(value.elts))
    return counts.pop() if len(counts) == 1 and min(counts) >= 2 else 0


@rule(
    code="KC511",
    symbol="compute-output-shape-structure",
    severity=Severity.ERROR,
    message="{layer}.compute_output_shape(): {problem} -> {advice}",
    summary="compute_output_shape() with a float dimension, or one shape for a call() with several outputs",
    targets=_K3,
    what="With `keras-target = keras3`: finds, in a custom layer's `compute_output_shape()`, a dimension "
         "computed with true division (`input_shape[-1] / 2`, a float) in a returned shape, and a method that "
         "returns a single shape (a tuple of dimensions) while `call()` returns a list or tuple of several "
         "tensors in every `return`.",
    why="Keras 3 builds the symbolic output of every functional call of a layer that overrides "
        "`compute_output_shape()` from its result (`Layer.compute_output_spec`): a float dimension raises "
        "`ValueError: Cannot convert ... to a shape` (`Undefined shapes are not supported` inside a list of "
        "shapes), and a single shape gives one `KerasTensor` where the "
        "model expects several (`NotImplementedError: Iterating over a symbolic KerasTensor` when it is "
        "unpacked). tf-keras ran `call()` on symbolic tensors and used this method rarely.",
    fix_safety="No automatic fix: use `//` (or `int(...)`) for the dimension, and return one shape per output.",
    bad=(
        Bad("import keras\n\nclass Split(keras.layers.Layer):\n    def call(self, x):\n"
            "        half = x.shape[-1] // 2\n        return [x[:, :half], x[:, half:]]\n\n"
            "    def compute_output_shape(self, input_shape):  # error: KC511\n"
            "        return (input_shape[0], input_shape[-1] // 2)\n"),
        Bad("import tensorflow as tf\nfrom tensorflow.keras import layers as kl\n\nclass Split(kl.Layer):\n"
            "    def call(self, x):\n"
            "        return tf.split(x, 2, axis=-1)\n\n    def compute_output_shape(self, input_shape):\n"
            "        return [(input_shape[0], input_shape[-1] / 2), (input_shape[0], input_shape[-1] / 2)]"
            "  # error: KC511\n"),
    ),
    good=(
        "import keras\n\nclass Split(keras.layers.Layer):\n    def call(self, x):\n"
        "        half = x.shape[-1] // 2\n        return [x[:, :half], x[:, half:]]\n\n"
        "    def compute_output_shape(self, input_shape):\n"
        "        half = (input_shape[0], input_shape[-1] // 2)\n        return [half, half]\n",
        "from keras import layers\n\nclass Split(layers.Layer):\n    def call(self, x):\n"
        "        return [x[:, :2], x[:, 2:]]\n\n    def compute_output_shape(self, input_shape):\n"
        "        return [(input_shape[0], int(input_shape[-1] / 2)), (input_shape[0], input_shape[-1] - 2)]\n",
        "import keras\n\nclass Split(keras.layers.Layer):\n    def build(self, input_shape):\n"
        "        self.half_shape = (input_shape[0], input_shape[-1] // 2)\n\n    def call(self, x):\n"
        "        half = x.shape[-1] // 2\n        return [x[:, :half], x[:, half:]]\n\n"
        "    def compute_output_shape(self, input_shape):\n        return [self.half_shape, self.half_shape]\n",
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"ValueError: .*(Cannot convert .* to a shape|Undefined shapes are not supported)|"
               r"NotImplementedError: Iterating over a symbolic KerasTensor",
        prelude="import keras\n",
        check="first, second = Split()(keras.Input((4,)))\n",
    ),
    needs=Words(defs=(_COMPUTE_OUTPUT_SHAPE,)),
)
def compute_output_shape_structure(ctx: Context) -> Iterator[Diagnostic]:
    for info in _live_layers(ctx):
        method = info.method(_COMPUTE_OUTPUT_SHAPE)
        if method is None:
            continue
        returns = _returns(method)
        for ret in returns:
            for node in _float_dimensions(ret.value):
                yield ctx.report("KC511", node, layer=info.name,
                                 problem=f"dimension {ctx.segment(node)} is a float (true division); Keras 3 "
                                         "rejects it (ValueError: Cannot convert ... to a shape)",
                                 advice="use // (or int(...)) so that every dimension is an int or None")
        if not returns or not all(_single_shape(ret.value) for ret in returns):
            continue
        call = info.method("call")
        outputs = _output_count(call) if call is not None else 0
        if outputs:
            yield ctx.report("KC511", def_name_range(ctx, method), layer=info.name,
                             problem=f"call() returns {outputs} outputs but this returns a single shape, so "
                                     "Keras 3 builds one symbolic output",
                             advice=f"return a list of {outputs} shapes, one per output of call()")


# -- KC512: int shapes -------------------------------------------------------------------------------------

_INPUT_PATHS = frozenset(table.CONTRACT["shape.int"].values)


def _text_before(ctx: Context, node: ast.AST, start: ast.AST | tuple[int, int]) -> str:
    """Source text from ``start`` (a node's end or a (line, col)) up to ``node``."""
    if isinstance(start, tuple):
        line, col = start
    else:
        _, _, line, col = ctx.range(start)
    nline, ncol, _, _ = ctx.range(node)
    return ctx.text[ctx.positions.offset(line, col): ctx.positions.offset(nline, ncol)]


def _int_shape(ctx: Context, node: ast.AST, opened: str) -> Fix | None | bool:
    """A fix when ``node`` is an int shape (an int literal, or a parenthesised non-tuple: ``(n)``); False when
    it is not. ``opened`` is the source text between the argument's start (after ``=`` or the call's ``(``)
    and the node."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        if "(" in opened:
            _, _, end_line, end_col = ctx.range(node)
            return ctx.fix("Make the shape a tuple", [Edit(end_line, end_col, end_line, end_col, ",")], safe=True)
        return ctx.fix("Make the shape a tuple", [ctx.replace(node, f"({ctx.segment(node)},)")], safe=True)
    if "(" in opened and isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.BinOp)):
        _, _, end_line, end_col = ctx.range(node)
        return ctx.fix("Make the shape a tuple", [Edit(end_line, end_col, end_line, end_col, ",")], safe=True)
    return False


def _shape_argument(ctx: Context, call: ast.Call) -> tuple[ast.AST, str] | None:
    """The shape argument of ``Input(...)``/``add_weight(...)`` and the text that opens it."""
    for kw in call.keywords:
        if kw.arg == "shape":
            text = ctx.segment(kw)
            return kw.value, text.split("=", 1)[1] if "=" in text else ""
    if call.args and not isinstance(call.args[0], ast.Starred):
        opened = _text_before(ctx, call.args[0], call.func)
        return call.args[0], opened.lstrip()[1:]  # drop the call's own parenthesis
    return None


@rule(
    code="KC512",
    symbol="int-shape",
    severity=Severity.ERROR,
    message="{callee}(): shape {shape} is an int; Keras 3 needs a tuple (ValueError: Cannot convert ... to a "
            "shape) -> {fixed}",
    summary="`Input(shape=1)` or `add_weight(shape=(n))`: an int where Keras 3 wants a shape tuple",
    targets=_K3,
    fix=FixAvailability.ALWAYS,
    what="With `keras-target = keras3`: finds `Input(...)` calls, and `self.add_weight(...)` calls in custom "
         "layers, models and cells, whose shape is an "
         "int literal (`Input(shape=1)`) or a parenthesised expression that is not a tuple (`shape=(n)`, the "
         "missing comma). Other names are left alone: their type is unknown.",
    why="tf-keras turned an int into a 1-D shape; Keras 3's `standardize_shape` raises `ValueError: Cannot "
        "convert '3' to a shape` for `keras.Input`, `InputLayer` and `add_weight`.",
    fix_safety="Safe: `(n)` becomes `(n,)` and `1` becomes `(1,)`, the 1-D shape tf-keras made of it.",
    bad=(
        Bad("import keras\ninputs = keras.Input(shape=1)  # error: KC512\n",
            fixed="import keras\ninputs = keras.Input(shape=(1,))  # error: KC512\n"),
        Bad("from tensorflow.keras import layers as L\n\nclass Bias(L.Layer):\n    def build(self, input_shape):\n"
            "        n = input_shape[-1]\n"
            "        self.b = self.add_weight(name='b', shape=(n), initializer='zeros')  # error: KC512\n\n"
            "    def call(self, x):\n        return x + self.b\n\n\nBias()(L.Input((3,)))\n",
            fixed="from tensorflow.keras import layers as L\n\nclass Bias(L.Layer):\n    def build(self, input_shape):\n"
                  "        n = input_shape[-1]\n"
                  "        self.b = self.add_weight(name='b', shape=(n,), initializer='zeros')  # error: KC512\n\n"
                  "    def call(self, x):\n        return x + self.b\n\n\nBias()(L.Input((3,)))\n"),
        Bad("from keras.layers import Input as In\nfeatures = In((5))  # error: KC512\n",
            fixed="from keras.layers import Input as In\nfeatures = In((5,))  # error: KC512\n"),
    ),
    good=(
        "import keras\ninputs = keras.Input(shape=(1,))\n",
        "import keras\n\nclass Bias(keras.layers.Layer):\n    def build(self, input_shape):\n"
        "        self.b = self.add_weight(name='b', shape=(input_shape[-1],), initializer='zeros')\n\n"
        "    def call(self, x):\n        return x + self.b\n\n\nBias()(keras.Input((3,)))\n",
        "import keras\nimport numpy as np\ndims = (3,)\ninputs = keras.Input(shape=dims)\nzeros = np.zeros(shape=(3))\n",
    ),
    execution=Execution(runtimes=_K3, expect=r"ValueError: Cannot convert '\w+' to a shape"),
)
def int_shape(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras:
        return
    candidates = [call for call, name in ctx.keras_calls if name.path in _INPUT_PATHS]
    candidates += [call for call in ctx.method_calls(_ADD_WEIGHT) if _own_layer_call(ctx, call)]
    for call in sorted(candidates, key=lambda c: (c.lineno, c.col_offset)):
        shape = _shape_argument(ctx, call)
        if shape is None or ctx.in_compat_branch(call):
            continue
        node, opened = shape
        fix = _int_shape(ctx, node, opened)
        if fix is False:
            continue
        text = ctx.segment(node)
        yield ctx.report("KC512", node, fix or None, callee=ctx.segment(call.func),  # type: ignore[arg-type]
                         shape=f"({text})" if "(" in opened else text, fixed=f"write shape=({text},)")


# -- KC513: add_weight positional arguments ----------------------------------------------------------------

#: tf.keras / Keras 2.1+ positional order of ``add_weight`` (a string first argument means this order).
_TF_KERAS_ORDER = ("name", "shape", "dtype", "initializer", "regularizer", "trainable", "constraint")
_MAX_POSITIONAL = int(table.CONTRACT["add_weight.positional"].values[0])


@rule(
    code="KC513",
    symbol="add-weight-positional-name",
    severity=Severity.ERROR,
    message="{callee}({shown}): {problem} -> pass the arguments as keywords ({advice})",
    summary="`add_weight('name', shape)`: a positional name, which Keras 3 rejects",
    targets=_K3,
    fix=FixAvailability.SOMETIMES,
    what="With `keras-target = keras3`: finds `self.add_weight(...)` calls in custom layers, models and cells "
         "(not metrics or optimizers, whose `add_weight` differs) whose first positional argument is a string "
         "(the tf.keras order `add_weight(name, shape, ...)`), that pass a positional argument and `shape=` "
         "together, or more than three positional arguments.",
    why="Keras 3's `add_weight(*args, shape=None, initializer=None, dtype=None, ...)` takes at most the shape, "
        "initializer and dtype positionally: a string first argument raises `ValueError: `name` must be "
        "passed as a keyword argument`, a positional argument with `shape=` raises `ValueError`, and more than "
        "three raise `TypeError`. Keyword calls work everywhere.",
    fix_safety="Safe when the first argument is a string literal and there are at most seven positional "
               "arguments: they are named in the tf.keras order (name, shape, dtype, initializer, regularizer, "
               "trainable, constraint), which means the same call in tf-keras and Keras 3.",
    bad=(
        Bad("import tensorflow as tf\n\nclass Scale(tf.keras.layers.Layer):\n    def build(self, input_shape):\n"
            "        self.w = self.add_weight('w', (input_shape[-1],), initializer='ones')  # error: KC513\n\n"
            "    def call(self, x):\n        return x * self.w\n\n\nScale()(tf.ones((2, 3)))\n",
            fixed="import tensorflow as tf\n\nclass Scale(tf.keras.layers.Layer):\n    def build(self, input_shape):\n"
                  "        self.w = self.add_weight(name='w', shape=(input_shape[-1],), initializer='ones')"
                  "  # error: KC513\n\n"
                  "    def call(self, x):\n        return x * self.w\n\n\nScale()(tf.ones((2, 3)))\n"),
        Bad("from keras import layers as KL, ops\n\nclass Gate(KL.Layer):\n    def build(self, input_shape):\n"
            "        label = 'gate'\n"
            "        self.g = self.add_weight(label, shape=(1,), initializer='zeros')  # error: KC513\n\n"
            "    def call(self, x):\n        return x * self.g\n\n\nGate()(ops.ones((2, 3)))\n"),
    ),
    good=(
        "import keras\n\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n"
        "        self.w = self.add_weight(name='w', shape=(input_shape[-1],), initializer='ones')\n\n"
        "    def call(self, x):\n        return x * self.w\n\n\nScale()(keras.ops.ones((2, 3)))\n",
        "import keras\n\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n"
        "        self.w = self.add_weight((input_shape[-1],), 'ones', name='w')\n\n"
        "    def call(self, x):\n        return x * self.w\n\n\nScale()(keras.ops.ones((2, 3)))\n",
        "import keras\n\ndef register(registry):\n    registry.add_weight('w', 3)\n",
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"ValueError: `name` must be passed as a keyword argument|ValueError: `shape` was passed both|"
               r"TypeError: add_weight\(\) takes at most 3 positional arguments",
    ),
    needs=Words(attributes=(_ADD_WEIGHT,)),
)
def add_weight_positional_name(ctx: Context) -> Iterator[Diagnostic]:
    for call in _positional_add_weights(ctx):
        first = call.args[0]
        shown = ctx.segment(first) + ", ..."
        named = isinstance(first, (ast.Constant, ast.JoinedStr)) and \
            (isinstance(first, ast.JoinedStr) or isinstance(first.value, str))
        if named:
            problem = "Keras 3 takes the shape first and raises ValueError for a positional name"
        elif any(kw.arg == "shape" for kw in call.keywords):
            problem = "Keras 3 takes the first positional argument as the shape: ValueError with shape= as well"
        else:
            problem = f"Keras 3 takes at most {_MAX_POSITIONAL} positional arguments (TypeError)"
        fix = None
        if named and len(call.args) <= len(_TF_KERAS_ORDER):
            keywords = {kw.arg for kw in call.keywords}
            names = _TF_KERAS_ORDER[:len(call.args)]
            if not keywords & set(names) and None not in keywords:
                fix = ctx.fix("Name the positional arguments",
                              [Edit(*ctx.range(arg)[:2], *ctx.range(arg)[:2], f"{name}=")
                               for arg, name in zip(call.args, names)], safe=True)
        advice = ", ".join(f"{n}=" for n in _TF_KERAS_ORDER[:max(len(call.args), 2)]) if named else \
            "shape=, initializer=, name="
        yield ctx.report("KC513", call, fix, callee=ctx.segment(call.func), shown=shown, problem=problem,
                         advice=advice)


def _positional_add_weights(ctx: Context) -> Iterator[ast.Call]:
    """``self.add_weight(...)`` calls that Keras 3 rejects for their positional arguments (shared with
    KC407, which leaves them to this rule under keras3)."""
    if not ctx.uses_keras:
        return
    for call in ctx.method_calls(_ADD_WEIGHT):
        if not call.args or any(isinstance(a, ast.Starred) for a in call.args):
            continue
        if keras3_rejects_add_weight(call) and _own_layer_call(ctx, call) and not ctx.in_compat_branch(call):
            yield call


def keras3_rejects_add_weight(call: ast.Call) -> bool:
    """Whether Keras 3's ``add_weight`` raises for these positional arguments (a str first, a positional
    argument with ``shape=``, more than three)."""
    if not call.args:
        return False
    first = call.args[0]
    if isinstance(first, ast.JoinedStr) or (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return True
    return any(kw.arg == "shape" for kw in call.keywords) or len(call.args) > _MAX_POSITIONAL


# -- KC514: multi-input masks ------------------------------------------------------------------------------

def _multi_input(func: FunctionNode, name: str) -> bool:
    """``a, b = inputs`` or ``inputs[0]``/``inputs[1]`` in ``call``: the layer takes a list of tensors."""
    for node in _body_nodes(func):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id == name and \
                any(isinstance(t, (ast.Tuple, ast.List)) for t in node.targets):
            return True
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == name and \
                isinstance(node.slice, ast.Constant) and node.slice.value == 1:
            return True
    return False


def _mask_test(test: ast.AST, mask: str) -> bool:
    """``mask is not None`` or ``mask`` alone."""
    if isinstance(test, ast.Name):
        return test.id == mask
    return isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == mask and \
        len(test.ops) == 1 and isinstance(test.ops[0], ast.IsNot) and \
        isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None


def _tensor_use(ctx: Context, branch: list[ast.stmt], mask: str) -> ast.Name | None:
    """The first use of ``mask`` in ``branch`` as a tensor: an argument of a call or an operand."""
    for stmt in branch:
        for node in walk(stmt):
            if not (isinstance(node, ast.Name) and node.id == mask and isinstance(node.ctx, ast.Load)):
                continue
            parent = ctx.parent(node)
            if isinstance(parent, ast.BinOp) or (isinstance(parent, ast.Call) and node in parent.args):
                if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and \
                        parent.func.id in ("isinstance", "len", "any", "all", "zip", "enumerate", "list", "tuple"):
                    continue
                return node
            if isinstance(parent, ast.keyword) and parent.arg != "mask":
                return node
    return None


@rule(
    code="KC514",
    symbol="multi-input-mask",
    severity=Severity.ERROR,
    message="{layer}.call(): Keras 3 passes mask as a list ([None, None] when no input is masked), so "
            "'{test}' is always true and the mask is used as a tensor -> test the elements: "
            "if mask is not None and mask[0] is not None (or any(m is not None for m in mask))",
    summary="`if mask is not None:` in a multi-input layer: Keras 3 passes a list of Nones",
    targets=_K3,
    what="With `keras-target = keras3`: finds custom layers whose `call(self, inputs, mask=None)` takes a "
         "list of tensors (`a, b = inputs`, `inputs[1]`) and, under `if mask is not None:` (or `if mask:`), "
         "uses `mask` itself as a tensor (an argument of a call, an operand). Reported on that use.",
    why="Keras 3 fills a `mask` parameter with `tree.map_structure(get_keras_mask, inputs)`: for a list of "
        "inputs without masks that is `[None, None]`, never `None`. tf-keras passed `None` when no input had a "
        "mask, so the branch did not run; in Keras 3 it runs on every ordinary call and fails "
        "(`ValueError: Attempt to convert a value (None) ... to a Tensor`).",
    fix_safety="No automatic fix: decide per input what the mask means.",
    bad=(
        Bad("import keras\nfrom keras import ops\n\nclass Gate(keras.layers.Layer):\n"
            "    def call(self, inputs, mask=None):\n        a, b = inputs\n        if mask is not None:\n"
            "            a = a * ops.cast(mask, a.dtype)  # error: KC514\n        return a + b\n\n\n"
            "Gate()([ops.ones((2, 3)), ops.ones((2, 3))])\n"),
        Bad("import tensorflow as tf\nfrom tensorflow.keras import backend as K\n\n"
            "class WeightedSum(tf.keras.layers.Layer):\n    def call(self, inputs, mask=None):\n"
            "        if mask is not None:\n            weights = K.cast(mask, 'float32')  # error: KC514\n"
            "            return (inputs[0] + inputs[1]) * weights\n        return inputs[0] + inputs[1]\n\n\n"
            "WeightedSum()([tf.ones((2, 3)), tf.ones((2, 3))])\n"),
    ),
    good=(
        "import keras\nfrom keras import ops\n\nclass Gate(keras.layers.Layer):\n"
        "    def call(self, inputs, mask=None):\n        a, b = inputs\n"
        "        if mask is not None and mask[0] is not None:\n            a = a * ops.cast(mask[0], a.dtype)\n"
        "        return a + b\n\n\nGate()([ops.ones((2, 3)), ops.ones((2, 3))])\n",
        "import keras\nfrom keras import ops\n\nclass Masked(keras.layers.Layer):\n"
        "    def call(self, x, mask=None):\n        if mask is not None:\n"
        "            x = x * ops.expand_dims(ops.cast(mask, x.dtype), -1)\n        return x\n\n\n"
        "Masked()(ops.ones((2, 3, 4)))\n",
    ),
    execution=Execution(runtimes=_K3, expect=r"(ValueError|TypeError): .*None"),
    needs=Words(defs=(CALL_METHOD,)),
)
def multi_input_mask(ctx: Context) -> Iterator[Diagnostic]:
    for info in _live_layers(ctx):
        func = info.method(CALL_METHOD)
        if func is None or not _params(func):
            continue
        names = [a.arg for a in [*_params(func), *func.args.kwonlyargs]]
        if "mask" not in names or not _multi_input(func, _params(func)[0].arg) or _rebinds(func, "mask"):
            continue
        for node in _body_nodes(func):
            if isinstance(node, ast.If) and _mask_test(node.test, "mask"):
                use = _tensor_use(ctx, node.body, "mask")
                if use is not None:
                    yield ctx.report("KC514", use, layer=info.name, test=ctx.segment(node.test))
