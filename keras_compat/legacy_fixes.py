"""Fixes for Keras 1 calls whose modern form is another callable (KC203): ``merge``/``Merge``,
``TimeDistributedDense``, ``AtrousConvolution1D/2D``.

Each builder reads the Keras 1.2.2 signature of the old callable (cited per function), maps every argument
the call passes, and returns None (no fix) when one has no place in the new call: a callable merge mode,
``output_shape``, a ``Merge`` built from layers. Names are written through :func:`keras_compat.rewrite.spell`,
which checks them against the target's API surface.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from keras_compat import knowledge
from keras_compat.diagnostics import Edit, Fix
from keras_compat.rewrite import spell

if TYPE_CHECKING:
    from keras_compat.context import Context

#: keras 1.2.2 keras/engine/topology.py ``merge(inputs, mode='sum', concat_axis=-1, dot_axes=-1,
#: output_shape=None, output_mask=None, arguments=None, name=None)``.
MERGE_FUNCTION_PARAMS = ("inputs", "mode", "concat_axis", "dot_axes", "output_shape", "output_mask", "arguments",
                         "name")
#: keras 1.2.2 keras/engine/topology.py ``Merge.__init__(self, layers=None, mode='sum', concat_axis=-1,
#: dot_axes=-1, output_shape=None, output_mask=None, arguments=None, node_indices=None, tensor_indices=None,
#: name=None)``.
MERGE_LAYER_PARAMS = ("layers", "mode", "concat_axis", "dot_axes", "output_shape", "output_mask", "arguments",
                      "node_indices", "tensor_indices", "name")
#: Modes whose Keras 2 function computes exactly what Keras 1 did (keras 1.2.2 ``Merge.call`` vs keras 2.2.4
#: keras/layers/merge.py): ``cos`` is not among them (Keras 1 clamped the norm with epsilon and added an axis).
_EXACT_MODES = frozenset({"sum", "mul", "ave", "max", "concat", "dot"})


def _bind(call: ast.Call, params: tuple[str, ...]) -> dict[str, ast.expr] | None:
    """Keras 1 parameter name -> argument expression; None for ``*args``/``**kwargs`` or unknown keywords."""
    if any(isinstance(a, ast.Starred) for a in call.args) or len(call.args) > len(params):
        return None
    bound: dict[str, ast.expr] = dict(zip(params, call.args))
    for kw in call.keywords:
        if kw.arg is None or kw.arg not in params or kw.arg in bound:
            return None
        bound[kw.arg] = kw.value
    return bound


def _argument_list(ctx: Context, call: ast.Call, args: list[str]) -> Edit:
    """Replace everything between the call's parentheses with ``args``."""
    _, _, end_line, end_col = ctx.range(call)
    func_end = ctx.range(call.func)
    return Edit(func_end[2], func_end[3], end_line, end_col, "(" + ", ".join(args) + ")")


def _merge_parts(ctx: Context, call: ast.Call, is_layer: bool):
    """(spelled new callable, the call's own edits, mode, new path) of a fixable merge call, else None."""
    bound = _bind(call, MERGE_LAYER_PARAMS if is_layer else MERGE_FUNCTION_PARAMS)
    if bound is None or (is_layer and "layers" in bound) or (not is_layer and "inputs" not in bound):
        return None
    if any(k in bound for k in ("output_shape", "output_mask", "arguments", "node_indices", "tensor_indices")):
        return None
    mode_node = bound.get("mode")
    mode = mode_node.value if isinstance(mode_node, ast.Constant) else "sum" if mode_node is None else None
    if not isinstance(mode, str) or mode not in _EXACT_MODES:
        return None
    entry = knowledge.merge_modes().get(mode)
    if entry is None:
        return None
    target = entry.layer if is_layer else entry.function
    spelled = spell(ctx, call.func, target)
    if spelled is None:
        return None
    args = [] if is_layer else [ctx.segment(bound["inputs"])]
    if mode == "concat" and "concat_axis" in bound:
        args.append(f"axis={ctx.segment(bound['concat_axis'])}")
    if mode == "dot":
        args.append(f"axes={ctx.segment(bound['dot_axes'])}" if "dot_axes" in bound else "axes=-1")
    if "name" in bound:
        args.append(f"name={ctx.segment(bound['name'])}")
    return spelled, [ctx.replace(call.func, spelled.text), _argument_list(ctx, call, args)], mode, target


def merge_fix(ctx: Context, call: ast.Call, is_layer: bool) -> Fix | None:
    """``merge([a, b], mode='concat', concat_axis=1)`` -> ``concatenate([a, b], axis=1)``;
    ``Merge(mode='sum')`` -> ``Add()``. None for a callable or unknown mode, a ``Merge`` built from layers
    (Keras 1 Sequential merges need the functional API), and arguments without a Keras 2 counterpart."""
    parts = _merge_parts(ctx, call, is_layer)
    if parts is None:
        return None
    spelled, edits, mode, target = parts
    old = "Merge" if is_layer else "merge"
    return ctx.fix(f"Replace {old}(mode={mode!r}) with {target.rsplit('.', 1)[1]}", [*spelled.edits, *edits],
                   safe=True)


def merge_import_fix(ctx: Context, record, calls: list[ast.Call], is_layer: bool) -> Fix | None:
    """One fix for every call of a ``merge``/``Merge`` imported by name, when each use of the name is one of
    ``calls`` and each has a fix: the calls are rewritten and the old name in the import is replaced by the
    new ones (``from keras.layers import Input, merge`` -> ``... import Input, concatenate, add``).

    Per-call fixes would each add a name after the import and keep the old one: applied in one pass they
    leave an unused import of a removed name (a new KC103 on the import line, so the validation withdraws
    them all); the last call's fix alone cannot know it is the last."""
    from keras_compat.rewrite import drop_alias

    node, alias = record.node, record.alias
    if not isinstance(node, ast.ImportFrom) or record.in_function:
        return None
    uses = ctx.names(alias.asname or alias.name)
    funcs = {id(c.func) for c in calls}
    if not uses or any(id(n) not in funcs for n in uses) or len(uses) != len(calls):
        return None
    edits: list[Edit] = []
    added: list[str] = []
    modes: list[str] = []
    for call in calls:
        parts = _merge_parts(ctx, call, is_layer)
        if parts is None:
            return None
        spelled, call_edits, _, target = parts
        edits.extend(call_edits)
        leaf = target.rsplit(".", 1)[1]
        if spelled.edits and leaf not in added:
            added.append(leaf)
        if leaf not in modes:
            modes.append(leaf)
    edits.insert(0, ctx.replace(alias, ", ".join(added)) if added else drop_alias(ctx, node, alias))
    old = "Merge" if is_layer else "merge"
    return ctx.fix(f"Replace {old}() with {', '.join(modes)}", edits, safe=True)


# -- TimeDistributedDense, AtrousConvolution1D/2D: one call becomes another ---------------------------------------

#: keras 1.2.2 keras/layers/core.py ``TimeDistributedDense.__init__(self, output_dim, init='glorot_uniform',
#: activation=None, weights=None, W_regularizer=None, b_regularizer=None, activity_regularizer=None,
#: W_constraint=None, b_constraint=None, bias=True, input_dim=None, input_length=None, **kwargs)``: the
#: parameters up to ``bias`` belong to the ``Dense`` it applies per timestep, ``**kwargs`` to the layer.
TDD_DENSE_PARAMS = ("output_dim", "init", "activation", "weights", "W_regularizer", "b_regularizer",
                    "activity_regularizer", "W_constraint", "b_constraint", "bias")

#: Keras 1.2.2 keras/layers/convolutional.py: ``AtrousConvolution1D(nb_filter, filter_length, ...,
#: atrous_rate=1)`` and ``AtrousConvolution2D(nb_filter, nb_row, nb_col, ..., atrous_rate=(1, 1))``; keras
#: 2.2.4 keras/legacy/layers.py turns them into ``Conv1D``/``Conv2D(..., dilation_rate=atrous_rate)``.
ATROUS = {"layers.AtrousConvolution1D": ("layers.Conv1D", 1), "layers.AtrousConv1D": ("layers.Conv1D", 1),
          "layers.AtrousConvolution2D": ("layers.Conv2D", 2), "layers.AtrousConv2D": ("layers.Conv2D", 2)}

#: Call rewriters by the old flavour-free path: (needed new paths, builder(ctx, call, names) -> new call text).
REWRITTEN = frozenset({"layers.TimeDistributedDense", *ATROUS})


def needed_paths(path: str) -> tuple[str, ...]:
    if path == "layers.TimeDistributedDense":
        return ("layers.TimeDistributed", "layers.Dense")
    return (ATROUS[path][0],)


def _keyword_text(ctx: Context, kw: ast.keyword) -> str:
    return f"{kw.arg}={ctx.segment(kw.value)}"


def call_text(ctx: Context, call: ast.Call, path: str, names: dict[str, str]) -> str | None:
    """The new call for ``call`` of Keras 1 ``path``, with the new callables spelled as ``names``; None when an
    argument has no place in it."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(kw.arg is None for kw in call.keywords):
        return None
    if path == "layers.TimeDistributedDense":
        if len(call.args) > len(TDD_DENSE_PARAMS):
            return None
        dense = [ctx.segment(a) for a in call.args]
        wrapper = []
        shape: dict[str, str] = {}
        renames = knowledge.arg_renames_by_callable().get("layers.Dense", {})
        for kw in call.keywords:
            if kw.arg in TDD_DENSE_PARAMS:
                entry = renames.get(kw.arg)  # the Keras 2 name, as Keras 2's converter would have renamed it
                dense.append(f"{entry.new}={ctx.segment(kw.value)}" if entry and entry.new and entry.fixable
                             and not entry.values else _keyword_text(ctx, kw))
            elif kw.arg in ("input_dim", "input_length"):
                shape[kw.arg] = ctx.segment(kw.value)
            else:
                wrapper.append(_keyword_text(ctx, kw))
        if shape:
            if "input_dim" not in shape:
                return None  # Keras 1 ignored input_length without input_dim
            wrapper.insert(0, f"input_shape=({shape.get('input_length', 'None')}, {shape['input_dim']})")
        inner = f"{names['layers.Dense']}({', '.join(dense)})"
        return f"{names['layers.TimeDistributed']}({', '.join([inner, *wrapper])})"
    new, dims = ATROUS[path]
    positional = [ctx.segment(a) for a in call.args]
    keywords = {kw.arg: kw for kw in call.keywords}
    if dims == 2:
        if len(call.args) == 3:
            positional = [positional[0], f"({positional[1]}, {positional[2]})"]
        elif len(call.args) == 1 and "nb_row" in keywords and "nb_col" in keywords:
            positional.append(f"({ctx.segment(keywords.pop('nb_row').value)}, "
                              f"{ctx.segment(keywords.pop('nb_col').value)})")
        elif len(call.args) != 2:
            return None
    elif len(call.args) > 2:
        return None
    args = positional + [f"dilation_rate={ctx.segment(kw.value)}" if name == "atrous_rate" else _keyword_text(ctx, kw)
                         for name, kw in keywords.items()]
    return f"{names[new]}({', '.join(args)})"


def import_rewrite_fix(ctx: Context, record, path: str) -> Fix | None:
    """Rewrite every use of a name imported by ``record`` (all must be calls) and import the new names in its
    place: ``from keras.layers import TimeDistributedDense`` -> ``from keras.layers import TimeDistributed,
    Dense``."""
    node, alias = record.node, record.alias
    if not isinstance(node, ast.ImportFrom) or record.in_function:
        return None
    bound = alias.asname or alias.name
    key = ("import rewrite", bound, record.qualname)
    if key in ctx.memo:  # the name imported again: the first import's fix covers every use
        return ctx.memo[key]  # type: ignore[return-value]
    ctx.memo[key] = found = _import_rewrite_fix(ctx, record, path)
    return found


def _import_rewrite_fix(ctx: Context, record, path: str) -> Fix | None:
    from keras_compat.rewrite import exists

    node, alias = record.node, record.alias
    module = node.module or ""
    bound = alias.asname or alias.name
    uses = ctx.names(bound)
    if not uses or any(ctx.qualname(n) != record.qualname for n in uses):
        return None
    names: dict[str, str] = {}
    added: list[str] = []
    scope = ctx.resolver.module_scope
    for new in needed_paths(path):
        if not exists(ctx, uses[0], new):
            return None
        leaf = new.rsplit(".", 1)[1]
        qualname = f"{module}.{leaf}"
        if ctx.resolver.lookup(leaf, scope, (1 << 30, 0)) == qualname:
            names[new] = leaf
        elif scope.bindings.get(leaf) or scope.star_modules:
            return None
        else:
            names[new] = leaf
            added.append(leaf)
    edits = []
    for use in uses:
        call = ctx.parent(use)
        if not isinstance(call, ast.Call) or call.func is not use:
            return None
        text = call_text(ctx, call, path, names)
        if text is None:
            return None
        edits.append(ctx.replace(call, text))
    from keras_compat.rewrite import drop_alias

    if added:
        edits.insert(0, ctx.replace(alias, ", ".join(added)))
    else:
        edits.insert(0, drop_alias(ctx, node, alias))
    old = path.rsplit(".", 1)[1]
    return ctx.fix(f"Replace {old} with {', '.join(n.rsplit('.', 1)[1] for n in needed_paths(path))}", edits,
                   safe=True)


def attribute_rewrite_fix(ctx: Context, attr: ast.Attribute, path: str) -> Fix | None:
    """``L.TimeDistributedDense(8)`` -> ``L.TimeDistributed(L.Dense(8))`` for a call through a module."""
    from keras_compat.rewrite import spell

    call = ctx.parent(attr)
    if not isinstance(call, ast.Call) or call.func is not attr:
        return None
    names = {}
    for new in needed_paths(path):
        spelled = spell(ctx, attr, new)
        if spelled is None or spelled.edits:
            return None
        names[new] = spelled.text
    text = call_text(ctx, call, path, names)
    if text is None:
        return None
    return ctx.fix(f"Replace {attr.attr} with {', '.join(n.rsplit('.', 1)[1] for n in needed_paths(path))}",
                   [ctx.replace(call, text)], safe=True)


# -- image_dim_ordering / set_image_dim_ordering ------------------------------------------------------------------

#: keras 1.2.2 keras/backend/common.py: the dim ordering is 'th' or 'tf'; keras 2.2.4 keras/backend/common.py
#: ``image_dim_ordering()`` maps channels_first -> 'th', channels_last -> 'tf'.
DIM_ORDERING_FORMATS = {"th": "channels_first", "tf": "channels_last"}
DIM_ORDERING_FUNCTIONS = frozenset({"image_dim_ordering", "set_image_dim_ordering"})


def dim_ordering_fix(ctx: Context, call: ast.Call, name: str) -> Fix | None:
    """``K.set_image_dim_ordering('th')`` -> ``K.set_image_data_format('channels_first')``;
    ``K.image_dim_ordering() == 'th'`` -> ``K.image_data_format() == 'channels_first'``. Other uses of the
    value ('th'/'tf' flowing elsewhere) need a human."""
    from keras_compat.rewrite import spell

    if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    if name == "set_image_dim_ordering":
        if len(call.args) != 1 or not isinstance(call.args[0], ast.Constant) or \
                call.args[0].value not in DIM_ORDERING_FORMATS:
            return None
        literals = [call.args[0]]
        new = "backend.set_image_data_format"
    elif name == "image_dim_ordering":
        compare = ctx.parent(call)
        if call.args or not isinstance(compare, ast.Compare) or len(compare.ops) != 1 or \
                not isinstance(compare.ops[0], (ast.Eq, ast.NotEq)):
            return None
        other = compare.comparators[0] if compare.left is call else compare.left
        if not isinstance(other, ast.Constant) or other.value not in DIM_ORDERING_FORMATS:
            return None
        literals = [other]
        new = "backend.image_data_format"
    else:
        return None
    spelled = spell(ctx, call.func, new)
    if spelled is None:
        return None
    edits = [*spelled.edits, ctx.replace(call.func, spelled.text)]
    edits += [ctx.replace(lit, repr(DIM_ORDERING_FORMATS[lit.value])) for lit in literals]  # type: ignore[index]
    return ctx.fix(f"Use {new.rsplit('.', 1)[1]} with 'channels_first'/'channels_last'", edits, safe=True)


# -- optimizers: positional arguments and decay= ------------------------------------------------------------------

def _is_zero(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and not isinstance(node.value, bool) and node.value in (0, 0.0)


def _schedule(ctx: Context, call: ast.Call, lr_text: str, decay_text: str) -> tuple[str, list[Edit]] | None:
    """``schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)`` spelled where ``call`` is, with the
    import edits it needs: multi-backend Keras computed ``lr * 1 / (1 + decay * iterations)``."""
    from keras_compat.rewrite import spell

    spelled = spell(ctx, call.func, "optimizers.schedules")
    if spelled is None:
        return None
    return (f"{spelled.text}.InverseTimeDecay({lr_text}, decay_steps=1, decay_rate={decay_text})",
            list(spelled.edits))


_SCHEDULE_TITLE = ("decay= becomes an InverseTimeDecay learning-rate schedule (the same formula; the schedule "
                   "object replaces the float learning rate)")


def optimizer_positional_fix(ctx: Context, call: ast.Call, entry) -> Fix | None:
    """``SGD(0.01, 0.9, 1e-6, True)`` -> ``SGD(0.01, 0.9, decay=...)``: the arguments past the positions that
    kept their meaning become keywords with their multi-backend names; a positional ``decay`` becomes the
    learning-rate schedule (unsafe) or, when 0, disappears."""
    if any(isinstance(a, ast.Starred) for a in call.args) or len(call.args) > len(entry.legacy):
        return None
    edits: list[Edit] = []
    safe = True
    for i, arg in enumerate(call.args):
        if i < entry.kept:
            continue
        name = entry.legacy[i]
        if name == "decay" and _is_zero(arg):
            edits.append(_delete_argument(ctx, call, arg))
        elif name == "decay":
            schedule = _schedule(ctx, call, ctx.segment(call.args[0]), ctx.segment(arg))
            if schedule is None:
                return None
            text, imports = schedule
            edits += imports + [ctx.replace(call.args[0], text), _delete_argument(ctx, call, arg)]
            safe = False
        else:
            edits.append(ctx.replace(arg, f"{name}={ctx.segment(arg)}"))
    title = "Pass the arguments by keyword, as multi-backend Keras read them"
    return ctx.fix(title + ("" if safe else "; " + _SCHEDULE_TITLE), edits, safe=safe)


def _delete_argument(ctx: Context, call: ast.Call, arg: ast.AST) -> Edit:
    from keras_compat.rules.legacy_api import _delete_keyword

    return _delete_keyword(ctx, call, arg)  # type: ignore[arg-type]


def decay_schedule_fix(ctx: Context, call: ast.Call, decay: ast.keyword, flavour_is_legacy: bool,
                       entry) -> Fix | None:
    """``SGD(lr=0.1, decay=1e-4)`` -> ``SGD(learning_rate=schedules.InverseTimeDecay(0.1, decay_steps=1,
    decay_rate=1e-4))`` (the multi-backend formula ``lr / (1 + decay * iterations)``); ``decay=0`` is removed."""
    if _is_zero(decay.value):
        return ctx.fix("Remove decay=0 (no decay)", [_delete_argument(ctx, call, decay)], safe=True)
    lr_kw = next((kw for kw in call.keywords if kw.arg in ("lr", "learning_rate")), None)
    if lr_kw is not None:
        lr_text, target = ctx.segment(lr_kw.value), lr_kw
    elif call.args and not isinstance(call.args[0], ast.Starred):
        lr_text, target = ctx.segment(call.args[0]), call.args[0]
    elif flavour_is_legacy and entry is not None:
        lr_text, target = entry.lr, None  # the multi-backend default learning rate
    else:
        return None
    schedule = _schedule(ctx, call, lr_text, ctx.segment(decay.value))
    if schedule is None:
        return None
    text, edits = schedule
    if target is None:
        edits.append(ctx.replace(decay, f"learning_rate={text}"))
    else:
        written = f"learning_rate={text}" if isinstance(target, ast.keyword) else text
        edits += [ctx.replace(target, written), _delete_argument(ctx, call, decay)]
    return ctx.fix("Replace " + _SCHEDULE_TITLE.replace(" becomes ", " with ", 1), edits, safe=False)


# -- fit_generator / evaluate_generator / predict_generator ----------------------------------------------------------

#: Positional parameters after ``generator`` (keras 1.2.2 keras/engine/training.py and keras/models.py;
#: keras 2.2.4 keras/engine/training.py).
GENERATOR_PARAMS = {
    "fit_generator": (("samples_per_epoch", "nb_epoch", "verbose", "callbacks", "validation_data", "nb_val_samples",
                       "class_weight", "max_q_size", "nb_worker", "pickle_safe", "initial_epoch"),
                      ("steps_per_epoch", "epochs", "verbose", "callbacks", "validation_data", "validation_steps",
                       "class_weight", "max_queue_size", "workers", "use_multiprocessing", "shuffle",
                       "initial_epoch")),
    "evaluate_generator": (("val_samples", "max_q_size", "nb_worker", "pickle_safe"),
                           ("steps", "max_queue_size", "workers", "use_multiprocessing", "verbose")),
    "predict_generator": (("val_samples", "max_q_size", "nb_worker", "pickle_safe"),
                          ("steps", "max_queue_size", "workers", "use_multiprocessing", "verbose")),
}
#: Keras 1 keyword -> Keras 2 keyword (keras 2.2.4 keras/legacy/interfaces.py legacy_generator_methods_support).
_GENERATOR_RENAMES = {"nb_epoch": "epochs", "max_q_size": "max_queue_size", "nb_worker": "workers",
                      "pickle_safe": "use_multiprocessing"}
#: Keras 1 sample counts -> Keras 2 step counts, and the generator argument that yields those samples.
_SAMPLE_COUNTS = {"samples_per_epoch": ("steps_per_epoch", "generator"),
                  "nb_val_samples": ("validation_steps", "validation_data"),
                  "val_samples": ("steps", "generator")}
#: Data-loading arguments Keras 3's fit/evaluate/predict do not take, with the values that change nothing.
_LOADER_DEFAULTS = {"max_queue_size": 10, "workers": 1, "use_multiprocessing": False}
#: keras 1.2.2 / 2.2.4 keras/preprocessing/image.py: ``flow(X, y=None, batch_size=32, ...)``,
#: ``flow_from_directory(directory, target_size, color_mode, classes, class_mode, batch_size=32, ...)``.
_FLOW_BATCH = {"flow": (2, "32"), "flow_from_directory": (5, "32"), "flow_from_dataframe": (None, "32")}


def _batch_size(ctx: Context, node: ast.AST | None, depth: int = 0) -> str | None:
    """Source text of the batch size a generator expression yields, when it is an image generator's
    ``flow*(..., batch_size=B)`` call (or a name bound once to one); None when unknown."""
    if node is None or depth > 2:
        return None
    if isinstance(node, ast.Name):
        bindings = ctx.resolver.scope_of(node).bindings.get(node.id) or \
            ctx.resolver.module_scope.bindings.get(node.id, [])
        if len(bindings) != 1 or not isinstance(bindings[0].node, ast.Assign):
            return None
        assign = bindings[0].node
        if len(assign.targets) != 1 or not isinstance(assign.targets[0], ast.Name):
            return None
        return _batch_size(ctx, assign.value, depth + 1)
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) or node.func.attr not in _FLOW_BATCH:
        return None
    index, default = _FLOW_BATCH[node.func.attr]
    keyword = next((kw for kw in node.keywords if kw.arg == "batch_size"), None)
    if keyword is not None:
        return ctx.segment(keyword.value)
    if any(isinstance(a, ast.Starred) for a in node.args) or any(kw.arg is None for kw in node.keywords):
        return None
    if index is not None and len(node.args) > index:
        return ctx.segment(node.args[index])
    return default


def _simple(text: str) -> str:
    return text if re.fullmatch(r"[\w.\[\]()]+", text) and text.count("(") == text.count(")") else f"({text})"


def _steps(count: str, batch: str) -> str:
    """ceil(count / batch): Keras 1 ran batches until the samples seen reached the count."""
    if count.isdigit() and batch.isdigit():
        return str(-(-int(count) // int(batch)))
    return f"({_simple(count)} + {_simple(batch)} - 1) // {_simple(batch)}"


def generator_method_fix(ctx: Context, call: ast.Call, method: str, replacement: str) -> tuple[Fix | None, str]:
    """``fit_generator(gen, samples_per_epoch=2000, nb_epoch=5)`` -> ``fit(gen, steps_per_epoch=63, epochs=5)``
    (with ``gen`` a ``flow(..., batch_size=32)``), every Keras 1 and Keras 2 argument form mapped; (fix, why
    not) with the fix None when a sample count's batch size is unknown, the positional form is ambiguous,
    or (Keras 3) a data-loading argument would be dropped."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(kw.arg is None for kw in call.keywords):
        return None, "the call unpacks arguments"
    keras1, keras2 = GENERATOR_PARAMS[method]
    given = {kw.arg for kw in call.keywords}
    k1 = bool(given & (set(keras1) - set(keras2)))
    k2 = bool(given & (set(keras2) - set(keras1)))
    positional = call.args[1:]
    generator = call.args[0] if call.args else next((kw.value for kw in call.keywords if kw.arg == "generator"), None)
    if generator is None:
        return None, "no generator argument"
    if positional and (k1 == k2):
        return None, "the positional arguments mean samples in Keras 1 and steps in Keras 2: pass them by keyword"
    names = keras1 if k1 else keras2
    if len(positional) > len(names):
        return None, "too many positional arguments"
    arguments: dict[str, ast.expr] = dict(zip(names, positional))
    nodes: dict[str, ast.AST] = dict(zip(names, positional))
    for kw in call.keywords:
        if kw.arg != "generator":
            arguments[kw.arg] = kw.value  # type: ignore[index]
            nodes[kw.arg] = kw  # type: ignore[index]
    from keras_compat.rules.legacy_api import _delete_keyword

    func = call.func
    assert isinstance(func, ast.Attribute)
    _, _, fline, fcol = ctx.range(func)
    edits = [Edit(fline, fcol - len(func.attr), fline, fcol, replacement)]
    generator_kw = next((kw for kw in call.keywords if kw.arg == "generator"), None)
    if generator_kw is not None:
        edits.append(ctx.replace(generator_kw, f"x={ctx.segment(generator_kw.value)}"))
    for name, value in arguments.items():
        text = ctx.segment(value)
        node = nodes[name]
        written = None
        if name in _SAMPLE_COUNTS:
            new, source = _SAMPLE_COUNTS[name]
            if name == "nb_val_samples" and isinstance(arguments.get("validation_data"), (ast.Tuple, ast.List)):
                edits.append(_delete_keyword(ctx, call, node))  # Keras 1 ignored it for validation arrays
                continue
            batch = _batch_size(ctx, generator if source == "generator" else arguments.get(source))
            if batch is None:
                return None, f"{name} counts samples: the batch size of the generator is unknown"
            written = f"{new}={_steps(text, batch)}"
        else:
            new = _GENERATOR_RENAMES.get(name, name)
            if ctx.settings.target == "keras3" and new in _LOADER_DEFAULTS:
                if isinstance(value, ast.Constant) and value.value == _LOADER_DEFAULTS[new]:
                    edits.append(_delete_keyword(ctx, call, node))  # the default: nothing is lost
                    continue
                return None, f"{name}= has no place in Keras 3's {replacement}() (a keras.utils.PyDataset takes it)"
            if new != name or not isinstance(node, ast.keyword):
                written = f"{new}={text}"
        if written is not None:
            edits.append(ctx.replace(node, written))
    counts = [n for n in arguments if n in _SAMPLE_COUNTS]
    title = f"Call {replacement}() with the Keras 2 arguments"
    if counts:
        title += f" ({', '.join(counts)} divided by the generator's batch size, rounded up as Keras 1 did)"
    return ctx.fix(title, edits, safe=not counts), ""
