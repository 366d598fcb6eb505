"""Legacy API rules (KC201-KC205): Keras 1 arguments, positional forms, names and methods."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from functools import lru_cache, partial

from keras_compat import knowledge
from keras_compat.context import Context, ImportRecord, LazyFix, in_source_order
from keras_compat.data import layers as layer_table
from keras_compat.diagnostics import Diagnostic, Edit, Fix
from keras_compat.knowledge import optimizer_entry
from keras_compat.surface.model import surface_for
from keras_compat.names import Flavour, KerasName, raw_leaves
from keras_compat.registry import Bad, FixAvailability, Good, ImportFree, Severity, rule


def _callee(ctx: Context, call: ast.Call) -> tuple[str, str] | None:
    """(canonical path, short display name) of a Keras callable, or None."""
    name = ctx.keras(call.func)
    if name is None or not name.path:
        return None
    return name.path, name.leaf


def _method_call(ctx: Context, call: ast.Call) -> str | None:
    """Method name of ``<receiver>.<name>(...)`` when the receiver is not a known non-Keras object."""
    func = call.func
    if not isinstance(func, ast.Attribute) or not ctx.uses_keras:
        return None
    qualname = ctx.qualname(func.value)
    if qualname is not None and ctx.keras(func.value) is None:
        return None  # e.g. np.fit / sklearn module functions
    return func.attr


def _keyword_name_edit(ctx: Context, kw: ast.keyword, new: str) -> Edit:
    line, col, _, _ = ctx.range(kw)
    return Edit(line, col, line, col + len(kw.arg or ""), new)


def _literal(node: ast.AST) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    return _NOT_LITERAL


_NOT_LITERAL = object()


def _fixes():
    """:mod:`keras_compat.legacy_fixes`, imported when a finding first needs one of its fixes (most files need
    none: its import would cost every flake8 run)."""
    from keras_compat import legacy_fixes

    return legacy_fixes


def _rewrite():
    """:mod:`keras_compat.rewrite`, imported when a fix first needs it."""
    from keras_compat import rewrite

    return rewrite


def _rename_findings(ctx: Context, call: ast.Call, display: str, renames: dict) -> Iterator[Diagnostic]:
    present = {kw.arg for kw in call.keywords if kw.arg}
    for kw in call.keywords:
        entry = renames.get(kw.arg) if kw.arg else None
        if entry is None:
            continue
        value_src = ctx.segment(kw.value)
        fix: Fix | None = None
        if entry.new is None:
            change = f"was removed in {entry.since}"
            advice = entry.note or "delete it"
            if entry.removable and (not entry.removable_values or _literal(kw.value) in entry.removable_values):
                what = "as Keras 2 did" if entry.removable == "unsafe" else "(the target's behaviour)"
                fix = ctx.fix(f"Remove {kw.arg}= {what}" + (f": {entry.note}" if entry.removable == "unsafe" else ""),
                              [_delete_keyword(ctx, call, kw)], safe=entry.removable == "safe")
        else:
            change = f"was renamed to '{entry.new}' in {entry.since}"
            new_value = value_src
            fixable = entry.fixable and entry.new not in present and not present & set(entry.also)
            if entry.values:
                mapping = dict(entry.values)
                literal = _literal(kw.value)
                if literal is not _NOT_LITERAL and literal in mapping:
                    new_value = mapping[literal]
                else:
                    fixable = False
            written = ", ".join(f"{k}={new_value}" for k in (entry.new, *entry.also))
            advice = written if (fixable or not entry.values) else f"{entry.new}=..."
            if entry.note:
                advice += f" ({entry.note})"
            if fixable:
                fix = ctx.fix(f"Replace {kw.arg}= with {'= and '.join((entry.new, *entry.also))}=",
                              [ctx.replace(kw, written)], safe=True)
        yield ctx.report("KC201", kw, fix, callee=display, old=kw.arg, change=change, advice=advice)


@rule(
    code="KC201",
    symbol="renamed-keras-argument",
    severity=Severity.ERROR,
    message="{callee}: argument '{old}' {change} -> {advice}",
    summary="Keras 1 keyword argument renamed or removed in Keras 2",
    fix=FixAvailability.SOMETIMES,
    what="Finds Keras 1 keyword arguments that Keras 2 renamed or removed: `border_mode` -> `padding`, "
         "`nb_filter` -> `filters`, `init` -> `kernel_initializer`, `W_regularizer` -> "
         "`kernel_regularizer`, `dim_ordering='th'` -> `data_format='channels_first'`, `output_dim` -> "
         "`units`, `p` -> `rate`, `Model(input=, output=)`, `fit(nb_epoch=)`, the generator arguments, "
         "and every other conversion of Keras 2's own legacy converters (`keras/legacy/interfaces.py`); also "
         "the backend functions' Keras 1 keywords, which Keras 2.0 renamed without a converter "
         "(`K.conv2d(x, k, border_mode='same', dim_ordering='th')`, `K.expand_dims(x, dim=1)`, "
         "`K.one_hot(x, nb_classes=)`, `K.random_normal(shape, std=)`).",
    why="Keras 2.0-2.3 converted these arguments at run time with a warning; tf.keras and Keras 3 have "
        "no converter, so the old names raise `TypeError: Keyword argument not understood` or are "
        "silently ignored. Some conversions change meaning (`samples_per_epoch` counted samples, "
        "`steps_per_epoch` counts batches): those are reported with an explanation and no fix. "
        "`fit(nb_epoch=)` and the generator arguments are matched by method name in modules that use Keras.",
    fix_safety="Safe: the fix renames the keyword (and maps the value where the table lists one), exactly "
               "as Keras 2's converter did (`SeparableConvolution2D(init=X)` gives both `depthwise_initializer` "
               "and `pointwise_initializer`). Removed arguments: safe removal where the target computes what the "
               "old library did (`BatchNormalization(mode=0)`, `SimpleRNN(consume_less=)`); unsafe removal where "
               "Keras 2's converter dropped something Keras 1 did (`Embedding(dropout=)`, `Deconvolution2D("
               "output_shape=)`), the fix title says what is lost. No fix where the meaning changed (the "
               "generator sample counts: KC204 converts those when the batch size is known), where the value "
               "has no mapping (`mode=1`), or where the new keyword is already passed.",
    bad=(
        Bad('from keras.layers import Conv2D\nlayer = Conv2D(32, (3, 3), border_mode="same")  # error: KC201\n',
            fixed='from keras.layers import Conv2D\nlayer = Conv2D(32, (3, 3), padding="same")  # error: KC201\n'),
        Bad("import tensorflow.keras.layers as KL\nx = KL.Dense(output_dim=10)  # error: KC201\n",
            fixed="import tensorflow.keras.layers as KL\nx = KL.Dense(units=10)  # error: KC201\n"),
        Bad("from keras.layers import MaxPooling2D\np = MaxPooling2D(dim_ordering='th')  # error: KC201\n",
            fixed='from keras.layers import MaxPooling2D\np = MaxPooling2D(data_format="channels_first")  '
                  "# error: KC201\n"),
        Bad("import keras\nmodel = keras.models.Sequential()\nmodel.fit(x, y, nb_epoch=10)  # error: KC201\n",
            fixed="import keras\nmodel = keras.models.Sequential()\nmodel.fit(x, y, epochs=10)  # error: KC201\n"),
        Bad("from keras.models import Model\nm = Model(input=a,  # error: KC201\n"
            "          output=b)  # error: KC201\n",
            fixed="from keras.models import Model\nm = Model(inputs=a,  # error: KC201\n"
                  "          outputs=b)  # error: KC201\n"),
        Bad("import keras\nmodel.fit_generator(gen, samples_per_epoch=1000)  # error: KC201, KC204\n"),
        Bad("import tensorflow as tf\ny = tf.keras.backend.conv2d(x, kernel, border_mode='same')  # error: KC201\n",
            fixed="import tensorflow as tf\ny = tf.keras.backend.conv2d(x, kernel, padding='same')  # error: KC201\n"),
        Bad("from keras.layers import BatchNormalization\nb = BatchNormalization(mode=0, axis=1)  # error: KC201\n",
            fixed="from keras.layers import BatchNormalization\nb = BatchNormalization(axis=1)  # error: KC201\n"),
        Bad("from keras.layers import Embedding\ne = Embedding(1000, 64, dropout=0.2)  # error: KC201\n",
            fixed="from keras.layers import Embedding\ne = Embedding(1000, 64)  # error: KC201\n", unsafe=True),
        Bad("from keras.layers import LSTM\nl = LSTM(32, dropout_W=0.2, dropout_U=0.2,  # error: KC201, KC201\n"
            "         consume_less='gpu')  # error: KC201\n",
            fixed="from keras.layers import LSTM\nl = LSTM(32, dropout=0.2, recurrent_dropout=0.2,  # error: KC201, "
                  "KC201\n         implementation=2)  # error: KC201\n"),
        Bad("from keras.layers import ZeroPadding2D\n"
            "z = ZeroPadding2D(padding={'top_pad': 2, 'left_pad': 1, 'right_pad': 1})  # error: KC201\n",
            fixed="from keras.layers import ZeroPadding2D\nz = ZeroPadding2D(padding=((2, 0), (1, 1)))  # error: KC201\n"),
        Bad("from keras.layers import Conv1D\nc = Conv1D(8, 3, input_dim=4, input_length=10)  # error: KC201\n",
            fixed="from keras.layers import Conv1D\nc = Conv1D(8, 3, input_shape=(10, 4))  # error: KC201\n"),
        Bad("from keras.layers import LSTM\nl = LSTM(8, input_dim=4)  # error: KC201\n",
            fixed="from keras.layers import LSTM\nl = LSTM(8, input_shape=(None, 4))  # error: KC201\n",
            targets=("keras3",)),
        Bad("from keras.layers import SeparableConv2D\ns = SeparableConv2D(8, (3, 3), init='he_normal')  "
            "# error: KC201\n",
            fixed="from keras.layers import SeparableConv2D\ns = SeparableConv2D(8, (3, 3), "
                  "depthwise_initializer='he_normal', pointwise_initializer='he_normal')  # error: KC201\n"),
    ),
    good=(
        'from tensorflow.keras.layers import Conv2D\nlayer = Conv2D(32, (3, 3), padding="same")\n',
        "from tensorflow.keras.layers import Dense\nx = Dense(units=10)\n",
        "def Dense(output_dim):\n    return output_dim\nx = Dense(output_dim=10)\n",
        "import keras\nclf.fit(x, y, epochs=10)\n",
    ),
)
def renamed_argument(ctx: Context) -> Iterator[Diagnostic]:
    by_callable = knowledge.arg_renames_by_callable()
    by_method = knowledge.arg_renames_by_method()
    for call in _keyword_calls(ctx, by_method):
        # the table first: the compatibility-branch and receiver checks cost more and rarely matter
        callee = _callee(ctx, call)
        func = call.func
        if callee is not None:
            display, renames = callee[1], by_callable.get(callee[0])
        elif isinstance(func, ast.Attribute) and func.attr in by_method:
            display, renames = func.attr, by_method[func.attr]
        else:
            continue
        if callee is not None and callee[0] in _shape_conversions(ctx.settings.target):
            found = _shape_finding(ctx, call, display)
            if found is not None:
                yield found
        if callee is not None and callee[0] == "layers.ZeroPadding2D":
            found = _padding_dict_finding(ctx, call, display)
            if found is not None:
                yield found
        if renames is None or not any(kw.arg in renames for kw in call.keywords) or ctx.in_compat_branch(call):
            continue
        if callee is None and _method_call(ctx, call) is None:
            continue
        yield from _rename_findings(ctx, call, display, renames)


def _keyword_calls(ctx: Context, methods: Iterable[str]) -> list[ast.Call]:
    """The calls with keywords that :func:`renamed_argument` looks at, in the order of ``ctx.calls``: those of
    a Keras callable with a path (``ctx.keras_calls``, which is what :func:`_callee` accepts) and the calls
    of ``methods`` (the rename table's). Any other call has neither a callee nor a method in the tables."""
    found = {id(call): call for call, _ in ctx.keras_calls if call.keywords}
    method_calls = ctx.method_calls(*methods)
    if not method_calls:
        return list(found.values())
    found.update((id(call), call) for call in method_calls if call.keywords)
    return in_source_order(found.values())


@lru_cache(maxsize=2)
def _shape_conversions(target: str) -> frozenset[str]:
    from keras_compat.data.legacy import SHAPE_CONVERSIONS

    return frozenset(c for entry in SHAPE_CONVERSIONS if target in entry.targets for c in entry.callables)


#: keras 2.2.4 keras/legacy/interfaces.py zeropadding2d_args_preprocessor: the Keras 1 padding dictionary.
_PADDING_KEYS = ("top_pad", "bottom_pad", "left_pad", "right_pad")


def _padding_dict_finding(ctx: Context, call: ast.Call, display: str) -> Diagnostic | None:
    """``ZeroPadding2D(padding={'top_pad': 2, 'left_pad': 1})`` -> ``padding=((2, 0), (1, 0))``, missing keys 0,
    as Keras 2's converter did (tf.keras and Keras 3 reject a dict)."""
    keyword = next((kw for kw in call.keywords if kw.arg == "padding"), None)
    value = keyword.value if keyword is not None else call.args[0] if len(call.args) == 1 else None
    if not isinstance(value, ast.Dict) or ctx.in_compat_branch(call):
        return None
    entries: dict[str, str] = {}
    for key, item in zip(value.keys, value.values):
        if not isinstance(key, ast.Constant) or key.value not in _PADDING_KEYS:
            return None  # Keras 2 left other dicts alone (and failed on them)
        entries[key.value] = ctx.segment(item)
    top, bottom, left, right = (entries.get(k, "0") for k in _PADDING_KEYS)
    padding = f"(({top}, {bottom}), ({left}, {right}))"
    fix = ctx.fix("Write the padding dictionary as ((top, bottom), (left, right))",
                  [ctx.replace(value, padding)], safe=True)
    return ctx.report("KC201", value, fix, callee=display, old="padding",
                      change="no longer takes a dictionary since Keras 2.0.0", advice=f"padding={padding}")


def _shape_finding(ctx: Context, call: ast.Call, display: str) -> Diagnostic | None:
    """``Conv1D(8, 3, input_dim=4, input_length=10)`` -> ``input_shape=(10, 4)``, as Keras 2's converter did."""
    dim = next((kw for kw in call.keywords if kw.arg == "input_dim"), None)
    length = next((kw for kw in call.keywords if kw.arg == "input_length"), None)
    present = {kw.arg for kw in call.keywords}
    if dim is None or "input_shape" in present or "batch_input_shape" in present or ctx.in_compat_branch(call):
        return None
    shape = f"({ctx.segment(length.value) if length is not None else 'None'}, {ctx.segment(dim.value)})"
    edits = [ctx.replace(dim, f"input_shape={shape}")]
    if length is not None:
        edits.append(_delete_keyword(ctx, call, length))
    fix = ctx.fix("Fold input_dim/input_length into input_shape", edits, safe=True)
    return ctx.report("KC201", dim, fix, callee=display, old="input_dim",
                      change="(with input_length) was folded into input_shape by Keras 2's converter",
                      advice=f"input_shape={shape} (the target turns input_dim alone into a one-dimensional shape)")


def _kernel_keywords(call: ast.Call, names: tuple[str, ...]) -> list[ast.keyword]:
    return [kw for kw in call.keywords if kw.arg in names]


@rule(
    code="KC202",
    symbol="legacy-positional-argument",
    severity=Severity.ERROR,
    message="{callee}: Keras 1 kernel size {form} -> {callee}({filters}, {kernel}); in Keras 2 the "
            "third positional argument is strides",
    summary="Keras 1 positional kernel dimensions that Keras 2 reads as strides",
    fix=FixAvailability.SOMETIMES,
    what="Finds Keras 1 convolution calls that pass the kernel dimensions separately: "
         "`Convolution2D(32, 3, 3)`, `Conv3D(16, 3, 3, 3)`, `Conv2D(64, nb_row=3, nb_col=3)`. The keyword "
         "forms fail on every modern Keras and are always reported. The positional form is reported only "
         "where Keras 2's converter read it: calls of standalone `keras` in a module that uses no other Keras "
         "flavour (with `keras-target = keras3`, where `import keras` is the target, the module must also "
         "show Keras 1/2 era code: a private module such as `keras.layers.core`, a Keras 1 keyword or class "
         "name, `K.image_dim_ordering()`), with integer kernel dimensions and without `padding=`, `strides=` "
         "or `data_format=` (with those, Keras 2 refused the call).",
    why="Keras 2's converter folded `(nb_row, nb_col)` into `kernel_size`. tf.keras and Keras 3 have no "
        "converter, and `Conv2D(32, 3, 3)` is still accepted: it now means kernel size 3 and **strides "
        "3**, a model that builds, trains and is silently wrong. In code written for tf.keras, `tf_keras` or "
        "Keras 3, `Conv2D(64, 3, 2)` always meant strides 2 and is correct.",
    fix_safety="Safe for the purely positional and purely keyword forms: the kernel dimensions become one "
               "`kernel_size` tuple, which is what Keras 2 did. Unsafe for Keras 1's `Deconvolution2D(nb_filter, "
               "nb_row, nb_col, output_shape)`: the output shape is dropped, as Keras 2's converter did (the layer "
               "infers it; with strides > 1 several sizes are possible). Mixed forms are reported without a fix.",
    bad=(
        Bad("from keras.layers import Conv2D\nc = Conv2D(32, 3, 3)  # error: KC202\n",
            fixed="from keras.layers import Conv2D\nc = Conv2D(32, (3, 3))  # error: KC202\n", targets=("tf-keras",)),
        Bad("import keras.layers as KL\nc = KL.Conv3D(16, k, k, k)  # error: KC202\n",
            fixed="import keras.layers as KL\nc = KL.Conv3D(16, (k, k, k))  # error: KC202\n", targets=("tf-keras",)),
        Bad("from keras.layers import Convolution2D\nc = Convolution2D(32, 3, 3)  # error: KC202\n",
            fixed="from keras.layers import Convolution2D\nc = Convolution2D(32, (3, 3))  # error: KC202\n",
            targets=("keras3",)),
        Bad("from keras.layers.convolutional import Conv2D\nc = Conv2D(64, 3, 2)  # error: KC202\n",
            fixed="from keras.layers.convolutional import Conv2D\nc = Conv2D(64, (3, 2))  # error: KC202\n"),
        Bad("from keras.layers import Deconvolution2D  # error: KC203\n"
            "d = Deconvolution2D(8, 3, 3, (None, 14, 14, 8), subsample=(2, 2))  # error: KC201, KC202\n",
            fixed="from keras.layers import Deconvolution2D  # error: KC203\n"
                  "d = Deconvolution2D(8, (3, 3), subsample=(2, 2))  # error: KC201, KC202\n", unsafe=True),
        Bad("from tensorflow.keras.layers import Conv2D\nc = Conv2D(64, nb_row=5, nb_col=5)  # error: KC202\n",
            fixed="from tensorflow.keras.layers import Conv2D\nc = Conv2D(64, kernel_size=(5, 5))  "
                  "# error: KC202\n"),
    ),
    good=(
        "from tensorflow.keras.layers import Conv2D\nc = Conv2D(32, (3, 3))\n",
        "from tensorflow.keras.layers import Conv2D\nc = Conv2D(32, 3, strides=2)\n",
        "from tensorflow.keras.layers import Conv1D\nc = Conv1D(32, 3)\n",
        "from tensorflow.keras.layers import Conv2D\nc = Conv2D(32, (3, 3), (1, 1), 'same')\n",
        Good("from keras.layers import Conv2D\nc = Conv2D(32, (3, 3), strides=(2, 2), padding='same')\n",
             targets=("keras3",)),
        "from tensorflow.keras.layers import Conv2D\nc = Conv2D(64, 3, 2)\n",
        "import tf_keras\nc = tf_keras.layers.Conv2D(64, 3, 2)\n",
        Good("import keras\nc = keras.layers.Conv2D(64, 3, 2)\n", targets=("keras3",)),
        "from keras.layers import Conv2D\nc = Conv2D(64, 3, 2, padding='same')\n",
        "try:\n    from tensorflow.keras.layers import Conv2D\nexcept ImportError:\n"
        "    from keras.layers import Conv2D\nc = Conv2D(64, 3, 2)\n",
    ),
)
def legacy_positional(ctx: Context) -> Iterator[Diagnostic]:
    conversions = knowledge.kernel_conversions()
    for call, name in ctx.keras_calls:
        if name.path not in conversions or ctx.in_compat_branch(call):
            continue
        callee = name.path, name.leaf
        conv = conversions[callee[0]]
        if any(isinstance(a, ast.Starred) for a in call.args):
            continue
        keywords = _kernel_keywords(call, conv.dim_keywords)
        positional = call.args[1:1 + conv.dims]
        n_pos = len(call.args)
        if keywords:
            dims = {kw.arg: kw.value for kw in keywords}
            values = [ctx.segment(v) for v in positional] + \
                [ctx.segment(dims[k]) for k in conv.dim_keywords[len(positional):] if k in dims]
            form = ", ".join(f"{kw.arg}=" for kw in keywords)
            fix = None
            if not positional and len(keywords) == conv.dims and n_pos <= 1:
                edits = [ctx.replace(keywords[0], f"kernel_size=({', '.join(values)})")]
                edits += [_delete_keyword(ctx, call, kw) for kw in keywords[1:]]
                fix = ctx.fix("Fold the kernel dimensions into kernel_size", edits, safe=True)
        elif n_pos == conv.dims + 1 and _converted_positionally(ctx, call, name, positional):
            values = [ctx.segment(v) for v in positional]
            form = "as separate positional arguments"
            start = ctx.range(positional[0])
            end = ctx.range(positional[-1])
            fix = ctx.fix("Fold the kernel dimensions into one tuple",
                          [Edit(start[0], start[1], end[2], end[3], f"({', '.join(values)})")], safe=True)
        elif n_pos == conv.dims + 2 and name.path in _DECONV_PATHS and \
                _converted_positionally(ctx, call, name, positional):
            # Keras 1 Deconvolution2D(nb_filter, nb_row, nb_col, output_shape): Keras 2 dropped output_shape
            values = [ctx.segment(v) for v in positional]
            form = "as separate positional arguments (with a positional output_shape)"
            start = ctx.range(positional[0])
            end = ctx.range(call.args[-1])
            fix = ctx.fix("Fold the kernel dimensions into one tuple and drop output_shape as Keras 2 did (the "
                          "output shape is inferred; for strides > 1 check it, output_padding picks among sizes)",
                          [Edit(start[0], start[1], end[2], end[3], f"({', '.join(values)})")], safe=False)
        else:
            continue
        filters = ctx.segment(call.args[0]) if call.args else "filters"
        yield ctx.report("KC202", call, fix, callee=callee[1], form=form, filters=filters,
                         kernel=f"({', '.join(values)})")


#: keras 2.2.4 keras/legacy/interfaces.py legacy_deconv2d_support: a 5th positional argument (after self) is the
#: Keras 1 ``output_shape``, dropped before the kernel dimensions are folded.
_DECONV_PATHS = frozenset({"layers.Deconvolution2D", "layers.Deconv2D", "layers.Conv2DTranspose",
                           "layers.Convolution2DTranspose"})

#: Keywords that made Keras 2's converter refuse integer positional kernel dimensions (ValueError "passing
#: both `kernel_size` and `strides` as integer positional arguments"): a call with them was not Keras 1 code.
_MODERN_CONV_KEYWORDS = frozenset({"padding", "strides", "data_format"})


def _converted_positionally(ctx: Context, call: ast.Call, name, positional: list[ast.expr]) -> bool:
    """Whether Keras 2's ``conv*_args_preprocessor`` folded these positional arguments into ``kernel_size``:
    only integers (a literal or a value we cannot see), only without Keras 2 keywords, and only for a call
    that the converter saw at all (:func:`keras_compat.era.converter_applied`)."""
    for value in positional:
        if isinstance(value, (ast.Tuple, ast.List, ast.Dict, ast.Set, ast.JoinedStr)) or \
                isinstance(value, ast.Constant) and (type(value.value) is not int):
            return False
    if any(kw.arg in _MODERN_CONV_KEYWORDS for kw in call.keywords):
        return False
    from keras_compat.era import converter_applied  # the fixes' and the era's modules load when a finding needs them

    return converter_applied(ctx, name)


def _delete_keyword(ctx: Context, call: ast.Call, kw: ast.keyword) -> Edit:
    """Delete ``, kw=value`` (the keyword and the comma before it)."""
    items = sorted([*call.args, *call.keywords], key=lambda n: (n.lineno, n.col_offset))
    index = next(i for i, n in enumerate(items) if n is kw)
    line, col, end_line, end_col = ctx.range(kw)
    if index > 0:
        prev = ctx.range(items[index - 1])
        return Edit(prev[2], prev[3], end_line, end_col, "")
    if len(items) > 1:  # the first argument: up to the next one
        following = ctx.range(items[1])
        return Edit(line, col, following[0], following[1], "")
    return Edit(line, col, end_line, end_col, "")


def _rename_fix(ctx: Context, records: list[ImportRecord], old: str, new: str) -> Fix | None:
    """Rename an imported name: the imports in ``records`` (one import, or every import binding the same
    name in the same scope) and every reference that resolves through them.

    Imports of one name in one scope share their references (a function sees all of a module's bindings),
    so they are renamed together, by one fix: a fix per import would rename the shared references from each,
    leaving the other imports binding the old name (and its size would grow with the square of the file)."""
    leaf_old, leaf_new = old.rsplit(".", 1)[-1], new.rsplit(".", 1)[-1]
    title = f"Rename {leaf_old} to {leaf_new}"
    first = records[0]
    if first.alias.asname is not None:
        return ctx.fix(title, [_alias_name_edit(ctx, first.alias, leaf_new)], safe=True)
    scope = ctx.resolver.scope_of(first.node)
    if ctx.resolver.module_scope.bindings.get(leaf_new) or scope.bindings.get(leaf_new):
        return None  # the new name is already bound: refuse rather than guess
    edits = [_alias_name_edit(ctx, r.alias, leaf_new) for r in records]
    for name in ctx.names(first.alias.name):  # the file's index of names, not a walk of the tree per finding
        if ctx.qualname(name) == first.qualname and ctx.resolver.binding_scope(name) is scope:
            edits.append(ctx.replace(name, leaf_new))
    return ctx.fix(title, edits, safe=True)


def _alias_name_edit(ctx: Context, alias: ast.alias, new: str) -> Edit:
    line, col, _, _ = ctx.range(alias)
    return Edit(line, col, line, col + len(alias.name), new)


def _merge_advice(ctx: Context, call: ast.Call, is_layer: bool) -> str:
    modes = knowledge.merge_modes()
    mode_kw = next((kw for kw in call.keywords if kw.arg == "mode"), None)
    mode = _literal(mode_kw.value) if mode_kw else "sum"
    entry = modes.get(mode) if isinstance(mode, str) else None
    if entry is None:
        return "a Lambda layer or the functional API (callable or unknown mode)"
    target = entry.layer if is_layer else entry.function
    leaf = target.rsplit(".", 1)[-1]
    args = [f"{new}={ctx.segment(kw.value)}" for old, new in entry.arguments
            for kw in call.keywords if kw.arg == old]
    inputs = ctx.segment(call.args[0]) if call.args else "inputs"
    models = call.args[0] if call.args else next((kw.value for kw in call.keywords if kw.arg == "layers"), None)
    if is_layer and isinstance(models, (ast.List, ast.Tuple)):  # Merge([left, right]) of Sequential models
        outputs = ", ".join(f"{ctx.segment(e)}.output" for e in models.elts)
        return (f"the functional API: {leaf}({', '.join(args)})([{outputs}]) in a Model whose inputs are the "
                f"models' inputs (a Merge of models has no layer equivalent)")
    if is_layer:
        text = f"{leaf}({', '.join(args)})" + ("(" + inputs + ")" if call.args else "")
    else:
        text = f"{leaf}({', '.join([inputs, *args])})"
    return text + (f" ({entry.note})" if entry.note else "")


@rule(
    code="KC203",
    symbol="renamed-keras-class",
    severity=Severity.ERROR,
    message="'{old}' {change} -> {advice}",
    summary="Keras 1 class or function name renamed or removed",
    fix=FixAvailability.SOMETIMES,
    what="Finds Keras 1 names: `Convolution1D/2D/3D`, `Deconvolution2D`, `AtrousConvolution1D/2D`, "
         "`SeparableConvolution2D`, `Merge`/`merge(mode=...)`, `TimeDistributedDense`, `MaxoutDense`, "
         "`Highway`, `CuDNNLSTM`/`CuDNNGRU`, `keras.utils.visualize_util.plot`, old regularizer and "
         "constraint names, removed metrics, ...",
    why="Removed names fail at import time on tf.keras and Keras 3. Renamed names that still exist as "
        "aliases (`Convolution2D`) lost Keras 1's argument conversion, so calls written for Keras 1 "
        "silently mean something else (see KC202). `merge(mode='concat')` becomes `concatenate(...)` "
        "and each mode has its own layer.",
    fix_safety="Safe where the new name is a drop-in alias (`Convolution2D` -> `Conv2D`): the import and "
               "every reference are renamed (when a scope imports the old name more than once, the first of "
               "those findings carries one fix for all of them). Safe where the new call computes what the old "
               "one did (read from Keras 1.2.2 and the Keras 2.2.4 converters): `merge(inputs, mode=...)` and "
               "`Merge(mode=...)` for "
               "the modes sum/mul/ave/max/concat/dot (`concat_axis` -> `axis`, `dot_axes` -> `axes`, Keras 1's "
               "default -1), `TimeDistributedDense(n, ...)` -> `TimeDistributed(Dense(n, ...), input_shape=...)` "
               "(the Keras 1 Dense arguments renamed, `input_dim`/`input_length` to the wrapper), "
               "`AtrousConvolution1D/2D(..., atrous_rate=r)` -> `Conv1D/Conv2D(..., dilation_rate=r)` with the "
               "kernel dimensions folded; the names they need are imported next to the old one (the module's "
               "migration drops the old import once unused, and an unused import of a removed name gets a safe "
               "fix of its own). A `merge`/`Merge` imported by name whose every call has a fix gets one fix for "
               "all of them that also replaces the old name in the import (fixed one by one, the calls would "
               "leave an unused import of a removed name); when a call needs a human, the import line says "
               "which. No fix for a callable or `cos` merge mode, a `Merge` built from layers (a Keras 1 "
               "Sequential merge needs the functional API), arguments without a Keras 2 counterpart "
               "(`output_shape`), names that are not called, or when a new name is already bound to something "
               "else.",
    bad=(
        Bad("from keras.layers import Convolution2D  # error: KC203\nc = Convolution2D(32, (3, 3))\n",
            fixed="from keras.layers import Conv2D  # error: KC203\nc = Conv2D(32, (3, 3))\n"),
        Bad("import keras.layers as L\nc = L.Convolution1D(8, 3)  # error: KC203\n",
            fixed="import keras.layers as L\nc = L.Conv1D(8, 3)  # error: KC203\n"),
        Bad("from keras.layers import Input, merge\n"
            "y = merge([a, b], mode='concat', concat_axis=1)  # error: KC203\n",
            fixed="from keras.layers import Input, concatenate\n"
                  "y = concatenate([a, b], axis=1)  # error: KC203\n"),
        Bad("import keras.layers as L\ny = L.Merge(mode='sum')([a, b])  # error: KC203\n",
            fixed="import keras.layers as L\ny = L.Add()([a, b])  # error: KC203\n"),
        Bad("from keras.layers import TimeDistributedDense  # error: KC203\n"
            "t = TimeDistributedDense(8, init='uniform', input_dim=4, input_length=10)\n",
            fixed="from keras.layers import TimeDistributed, Dense  # error: KC203\n"
                  "t = TimeDistributed(Dense(8, kernel_initializer='uniform'), input_shape=(10, 4))\n"),
        Bad("from keras.layers import AtrousConvolution2D  # error: KC203\n"
            "c = AtrousConvolution2D(16, 3, 3, atrous_rate=(2, 2))\n",
            fixed="from keras.layers import Conv2D  # error: KC203\nc = Conv2D(16, (3, 3), dilation_rate=(2, 2))\n"),
        Bad("from keras.layers import Input, merge  # error: KC203\ny = merge([a, b], mode='cos')  # error: KC203\n"),
        Bad("from keras.layers import Input, merge\n"
            "y = merge([a, b], mode='sum')  # error: KC203\nz = merge([y, b], mode='concat')  # error: KC203\n",
            fixed="from keras.layers import Input, add, concatenate\n"
                  "y = add([a, b])  # error: KC203\nz = concatenate([y, b])  # error: KC203\n"),
        Bad("from tensorflow.keras.layers import CuDNNLSTM  # error: KC203\n"),
    ),
    good=(
        "from tensorflow.keras.layers import Conv2D, concatenate\nc = Conv2D(32, (3, 3))\n",
        "from tensorflow.keras.layers import LSTM\nl = LSTM(32)\n",
        "def merge(a, mode):\n    return a\ny = merge([1], mode='concat')\n",
    ),
)
def renamed_class(ctx: Context) -> Iterator[Diagnostic]:
    renames = knowledge.class_renames()
    merge_calls: dict[str, list[ast.Call]] = {}
    for call, name in ctx.keras_calls:  # every merge path has a non-empty canonical path
        if name.raw in _MERGE_PATHS or name.path in _MERGE_PATHS:
            merge_calls.setdefault(name.qualname, []).append(call)
    reported_merge: set[str] = set()
    for qualname, calls in merge_calls.items():
        leaf = qualname.rsplit(".", 1)[-1]
        is_layer = leaf == "Merge"
        calls = [c for c in calls if not ctx.in_compat_branch(c)]
        by_name = [c for c in calls if isinstance(c.func, ast.Name)]
        record = _rewrite().import_of(ctx, by_name[0].func) if by_name else None
        shared = _fixes().merge_import_fix(ctx, record, by_name, is_layer) if record is not None else None
        manual = []
        for call in calls:
            fix = shared if shared is not None and call in by_name else _fixes().merge_fix(ctx, call, is_layer)
            if fix is None:
                manual.append(call)
            yield ctx.report("KC203", call.func, fix, old=leaf,
                             change="was removed in Keras 2.2.0", advice=_merge_advice(ctx, call, is_layer))
            reported_merge.add(qualname)
        if record is not None and manual and any(c in by_name for c in manual):
            # the import fails first on tf.keras and Keras 3: it says why the module still needs a human
            first = next(c for c in manual if c in by_name)
            advice = f"replace its calls first; line {first.lineno} needs a human: {_merge_advice(ctx, first, is_layer)}"
            yield ctx.report("KC203", record.alias, None, old=leaf, change="was removed in Keras 2.2.0",
                             advice=advice)
    renamed = []
    groups: dict[tuple[int, str, str], list[ImportRecord]] = {}  # imports of one name into one scope
    for record in ctx.imports:
        name = record.keras
        if name is None or name.path not in renames or record.qualname in reported_merge:
            continue
        if record.guard.guarded and record.guard.alternatives:
            continue
        entry = renames[name.path]
        renamed.append((record, entry))
        if entry.fixable and entry.new and isinstance(record.node, ast.ImportFrom) and record.alias.asname is None:
            key = (id(ctx.resolver.scope_of(record.node)), record.alias.name, record.qualname)
            groups.setdefault(key, []).append(record)
    grouped = {id(r): group for group in groups.values() for r in group}
    for record, entry in renamed:
        yield _class_finding(ctx, record.alias, entry, lambda: _renamed_import_fix(ctx, record, entry, grouped))
    leaves = _renamed_leaves(ctx)
    for attr in ctx.attributes_named(leaves):  # others cannot resolve to a renamed name: not worth resolving
        name = ctx.keras(attr)
        if name is None or name.path not in renames or name.qualname in reported_merge:
            continue
        if ctx.in_compat_branch(attr):
            continue
        entry = renames[name.path]
        yield _class_finding(ctx, attr, entry, lambda: _renamed_attribute_fix(ctx, attr, name.path, entry))
    imported = {r.alias.name for r in ctx.imports}  # a set: one lookup per call, not a scan of the imports
    for call, name in ctx.keras_calls:  # names that only a star import provides
        if name.path in renames and isinstance(call.func, ast.Name) and call.func.id not in imported and \
                name.qualname not in reported_merge:  # (the table first: most calls are not in it)
            yield _class_finding(ctx, call.func, renames[name.path], None)


def _target_has(ctx: Context, name) -> bool:
    surface = surface_for(name.flavour, ctx.settings.target)
    return surface is None or surface.has_name(name.raw)


def _renamed_leaves(ctx: Context) -> frozenset[str]:
    """Attribute names that can resolve to a renamed class: an attribute's qualified name ends with its
    own name, except that an ``extra-backend-aliases`` module itself stands for ``keras.backend``."""
    leaves = _class_rename_leaves()
    aliases = ctx.settings.extra_backend_aliases
    return leaves | {alias.rsplit(".", 1)[-1] for alias in aliases} if aliases else leaves


@lru_cache(maxsize=1)
def _class_rename_leaves() -> frozenset[str]:
    return raw_leaves(knowledge.class_renames())


# ``keras.layers.merge`` is the Keras 1 function and, from Keras 2 on, a module: called, it is the function.
_MERGE_PATHS = frozenset({"layers.Merge", "layers.merge", "engine.topology.merge", "engine.topology.Merge",
                          "engine.Merge", "engine.merge", "legacy.layers.Merge", "legacy.layers.merge"})


def _renamed_import_fix(ctx: Context, record: ImportRecord, entry,
                        grouped: dict[int, list[ImportRecord]]) -> Fix | None:
    """KC203's fix at an import of a renamed or removed name (``grouped``: the imports of one name into one
    scope, by id: the group's fix goes with its first import; the others have none)."""
    assert record.keras is not None
    if entry.fixable and entry.new and isinstance(record.node, ast.ImportFrom):
        group = grouped.get(id(record), [record])
        return _rename_fix(ctx, group, entry.old, entry.new) if group[0] is record else None
    if record.keras.path in _fixes().REWRITTEN:
        return _fixes().import_rewrite_fix(ctx, record, record.keras.path)
    if isinstance(record.node, ast.ImportFrom) and not _rewrite().used(ctx, record.alias.asname or record.alias.name) \
            and not record.in_function and not _target_has(ctx, record.keras):
        return ctx.fix(f"Remove the unused import of {record.alias.name}",
                       [_rewrite().drop_alias(ctx, record.node, record.alias)], safe=True)
    return None


def _renamed_attribute_fix(ctx: Context, attr: ast.Attribute, path: str, entry) -> Fix | None:
    """KC203's fix at an attribute that names a renamed or removed class (``keras.layers.Convolution2D``)."""
    if entry.fixable and entry.new:
        _, _, end_line, end_col = ctx.range(attr)
        leaf_new = entry.new.rsplit(".", 1)[-1]
        return ctx.fix(f"Rename {attr.attr} to {leaf_new}",
                       [Edit(end_line, end_col - len(attr.attr), end_line, end_col, leaf_new)], safe=True)
    return _fixes().attribute_rewrite_fix(ctx, attr, path) if path in _fixes().REWRITTEN else None


def _class_finding(ctx: Context, node: ast.AST, entry, fix: Fix | LazyFix | None) -> Diagnostic:
    old = entry.old.rsplit(".", 1)[-1]
    if entry.new:
        new = entry.new.rsplit(".", 1)[-1]
        change = f"was renamed to '{new}' in {entry.since}"
        advice = new + (f" ({entry.note})" if entry.note else "")
    else:
        change = f"was removed in {entry.removed_in or entry.since}"
        advice = entry.note or "no direct replacement"
    return ctx.report("KC203", node, fix, old=old, change=change, advice=advice)


#: Calls whose result is a Keras model: the model classes and the loading functions.
_MODEL_CONSTRUCTORS = layer_table.MODEL_BASES | layer_table.MODEL_FACTORIES


def _receiver_kind(ctx: Context, receiver: ast.AST) -> str:
    """'keras' when a receiver was built by a Keras model constructor, 'other' when by something else."""
    if not isinstance(receiver, ast.Name):
        return "unknown"
    scope = ctx.resolver.scope_of(receiver)
    current = scope
    while current is not None:
        bindings = current.bindings.get(receiver.id)
        if bindings:
            key = ("KC204 receiver", id(current), receiver.id)  # the same answer for every use of the name
            known = ctx.memo.get(key)
            if known is None:
                known = ctx.memo[key] = _bindings_kind(ctx, bindings)
            return known  # type: ignore[return-value]
        current = current.parent
    return "unknown"


def _bindings_kind(ctx: Context, bindings: list) -> str:
    """'keras' when every assignment among ``bindings`` that calls something calls a Keras model
    constructor, 'other' when they all call something else, 'unknown' otherwise."""
    kinds = set()
    for binding in bindings:
        value = getattr(binding.node, "value", None)
        if isinstance(binding.node, ast.Assign) and isinstance(value, ast.Call):
            called = ctx.keras(value.func)
            if called is not None and called.path in _MODEL_CONSTRUCTORS:
                kinds.add("keras")
            elif ctx.qualname(value.func) is not None:
                kinds.add("other")
    return kinds.pop() if len(kinds) == 1 else "unknown"


@rule(
    code="KC204",
    symbol="removed-model-method",
    severity=Severity.ERROR,
    message="'{method}' {change} -> {advice}",
    summary="Model method removed from tf.keras or Keras 3 (matched by method name)",
    fix=FixAvailability.SOMETIMES,
    name_based=True,
    # the methods only Keras models have (knowledge.removed_methods() without shared_with), in any module
    import_free=ImportFree(words=("fit_generator", "evaluate_generator", "predict_generator", "predict_classes")),
    what="Finds calls of `fit_generator`, `evaluate_generator`, `predict_generator`, `predict_classes` "
         "and `predict_proba`. The receiver's type cannot be known statically, so this is a name-based "
         "match that never matches a `def` and stays silent when the receiver was built by something other "
         "than Keras (a scikit-learn estimator's `predict_proba`). The four names that only Keras models have "
         "are reported in any module, also one that imports no Keras and receives the model as a parameter "
         "(`def train(model, gen): model.fit_generator(gen)`), unless the module defines a method of that name "
         "itself; `predict_proba`, which scikit-learn's classifiers share, only in modules that import Keras, and "
         "in a module that also imports scikit-learn (or XGBoost, LightGBM, CatBoost, imbalanced-learn, "
         "SciKeras, skorch) only on a receiver built by a Keras model constructor or loader.",
    why="The generator methods were deprecated in TF 2.1 and are gone in Keras 3 (`fit` accepts "
        "generators and `Sequence`s). `predict_classes`/`predict_proba` were removed in TF 2.6: the "
        "call fails with `AttributeError`.",
    fix_safety="For the generator methods, every Keras 1 and Keras 2 argument form is mapped to `fit`/"
               "`evaluate`/`predict` (read from Keras 1.2.2 and 2.2.4): positional arguments become keywords, "
               "`nb_epoch`/`nb_worker`/`pickle_safe`/`max_q_size` their Keras 2 names, `generator=` becomes "
               "`x=`. Safe when nothing changes meaning. Unsafe when Keras 1 sample counts (`samples_per_epoch`, "
               "`nb_val_samples`, `val_samples`) become step counts: only where the generator's batch size is "
               "known (an image generator's `flow*(batch_size=...)`, directly or through a name bound once), "
               "rounded up as Keras 1's loop did. No fix when a batch size is unknown, when positional counts "
               "could mean samples (Keras 1) or steps (Keras 2), or under `keras-target = keras3` when "
               "`workers`/`use_multiprocessing`/`max_queue_size` have non-default values (Keras 3's `fit` has "
               "no place for them: the message says so). `predict_proba` -> `predict` is a rename; no fix for "
               "`predict_classes`: the replacement depends on the output layer.",
    bad=(
        Bad("import keras\nmodel.fit_generator(gen, steps_per_epoch=10, epochs=2)  # error: KC204\n",
            fixed="import keras\nmodel.fit(gen, steps_per_epoch=10, epochs=2)  # error: KC204\n"),
        Bad("from tensorflow import keras\nclasses = model.predict_classes(x)  # error: KC204\n"),
        Bad("from tensorflow.keras.models import Sequential\nm = Sequential()\n"
            "p = m.predict_proba(x)  # error: KC204\n"),
        Bad("import keras\ngen = datagen.flow(x, y, batch_size=32)\n"
            "model.fit_generator(gen, samples_per_epoch=1000, nb_epoch=5)  # error: KC201, KC201, KC204\n",
            fixed="import keras\ngen = datagen.flow(x, y, batch_size=32)\n"
                  "model.fit(gen, steps_per_epoch=32, epochs=5)  # error: KC201, KC201, KC204\n", unsafe=True),
        Bad("import keras\nmodel.fit_generator(gen, 100, 10)  # error: KC204\n"),
        Bad("def train(model, gen):\n    model.fit_generator(gen, steps_per_epoch=10)  # error: KC204\n"
            "    return model.predict_classes(x)  # error: KC204\n",
            fixed="def train(model, gen):\n    model.fit(gen, steps_per_epoch=10)  # error: KC204\n"
                  "    return model.predict_classes(x)  # error: KC204\n"),
    ),
    good=(
        Good("import numpy as np\nfrom tensorflow import keras\nmodel.fit(gen, steps_per_epoch=10, epochs=2)\n"
             "classes = np.argmax(model.predict(x), axis=-1)\n", targets=("tf-keras",)),
        Good("import keras\nimport numpy as np\nmodel.fit(gen, steps_per_epoch=10, epochs=2)\n"
             "classes = np.argmax(model.predict(x), axis=-1)\n", targets=("keras3",)),
        "import keras\nmodel.fit(gen, steps_per_epoch=10, epochs=2)\n",
        "def fit_generator(self, gen):\n    return gen\n",
        "import keras\nfrom sklearn.linear_model import LogisticRegression\nclf = LogisticRegression()\n"
        "p = clf.predict_proba(x)\n",
        "def evaluate(clf, x):\n    return clf.predict_proba(x)\n",
        "import keras\nfrom sklearn.pipeline import make_pipeline\n\n\nclass Scorer:\n"
        "    def score(self, x):\n        return self.pipeline.predict_proba(x)\n",
        "class Trainer:\n    def fit_generator(self, gen):\n        return gen\n\n"
        "    def run(self, gen):\n        return self.fit_generator(gen)\n",
        "import numpy as np\nnp.fit_generator(gen)\n",
    ),
)
def removed_method(ctx: Context) -> Iterator[Diagnostic]:
    keras_module = ctx.uses_keras
    methods = knowledge.removed_methods()
    for call in ctx.method_calls(*methods):
        func = call.func
        assert isinstance(func, ast.Attribute)
        if ctx.in_compat_branch(call):
            continue
        entry = methods[func.attr]
        if keras_module:
            if _method_call(ctx, call) is None:
                continue
            kind = _receiver_kind(ctx, func.value)
            if kind == "other" or (entry.shared_with and kind != "keras" and _imports_any(ctx, entry.shared_with)):
                continue
        elif entry.shared_with or not _keras_only_call(ctx, func):
            continue
        fix = None
        advice = entry.advice
        if entry.replacement and entry.fixable and func.attr in _fixes().GENERATOR_PARAMS:
            fix, why_not = _fixes().generator_method_fix(ctx, call, func.attr, entry.replacement)
            if fix is None:
                advice += f" (no automatic fix: {why_not})"
        elif entry.replacement and entry.fixable and len(call.args) <= 1 and \
                not any(isinstance(a, ast.Starred) for a in call.args) and \
                not any(kw.arg in _legacy_generator_keywords() or kw.arg is None for kw in call.keywords):
            _, _, end_line, end_col = ctx.range(func)
            fix = ctx.fix(f"Call {entry.replacement}()",
                          [Edit(end_line, end_col - len(func.attr), end_line, end_col, entry.replacement)],
                          safe=True)
        change = f"was removed in {entry.removed_in}"
        yield ctx.report("KC204", func, fix, method=func.attr, change=change, advice=advice)


def _keras_only_call(ctx: Context, func: ast.Attribute) -> bool:
    """In a module that imports no Keras: a call of a method only Keras models have, on a receiver that is not
    a module of another library (``np.``), not built by something else in this module, and not an object of a
    class that this module gives a method of that name itself."""
    if ctx.qualname(func.value) is not None or _receiver_kind(ctx, func.value) == "other":
        return False
    return not any(f.name == func.attr for f in ctx.functions)


def _imports_any(ctx: Context, packages: tuple[str, ...]) -> bool:
    """Whether the module imports one of these top-level packages (then a receiver that no Keras model
    constructor built may be one of theirs: a scikit-learn pipeline's ``predict_proba``)."""
    roots = {r.qualname.partition(".")[0] for r in ctx.imports}
    return not roots.isdisjoint(packages)


def _legacy_generator_keywords() -> set[str]:
    """Keywords the generator methods took that fit/evaluate/predict do not (from the rename table)."""
    renamed = {old for method in ("fit_generator", "evaluate_generator", "predict_generator")
               for old in knowledge.arg_renames_by_method().get(method, {})}
    return renamed | {"generator"}  # the generator methods' own name for their first parameter


def _decay_fix(ctx: Context, call: ast.Call, kw: ast.keyword, name: KerasName) -> Fix | None:
    """KC205's fix of ``decay=``: a learning-rate schedule (:func:`keras_compat.legacy_fixes.decay_schedule_fix`)."""
    return _fixes().decay_schedule_fix(ctx, call, kw, name.flavour is Flavour.KERAS, optimizer_entry(name.path))


@rule(
    code="KC205",
    symbol="legacy-optimizer-argument",
    severity=Severity.ERROR,
    message="{callee}: argument '{old}' {change} -> {advice}",
    summary="Optimizer constructed with lr= or decay=",
    fix=FixAvailability.SOMETIMES,
    what="Finds optimizer constructors called with `lr=` or `decay=`.",
    why="Since TF 2.11 the optimizers pop `lr`, log a message and **ignore it**: training silently uses "
        "the default learning rate 0.001 (Keras 3 raises). `decay=` raises in TF 2.11+ and is ignored "
        "with a warning in Keras 3; use a learning-rate schedule instead.",
    fix_safety="Safe for `lr=` -> `learning_rate=` (accepted since Keras 2.3 and by every tf.keras), and for "
               "removing `decay=0`. Unsafe for any other `decay=`: the learning rate becomes "
               "`optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)`, the same formula as "
               "multi-backend Keras and tf.keras' legacy optimizers (`lr / (1 + decay * iterations)`, iterations "
               "counted before the update), but a schedule object where the code may expect a float "
               "(`K.set_value(opt.lr, ...)`); without an explicit learning rate the multi-backend default of "
               "that optimizer is written (standalone `keras` only).",
    bad=(
        Bad("from keras.optimizers import Adam\nopt = Adam(lr=0.001)  # error: KC205\n",
            fixed="from keras.optimizers import Adam\nopt = Adam(learning_rate=0.001)  # error: KC205\n"),
        Bad("import tensorflow as tf\nopt = tf.keras.optimizers.SGD(lr=0.1,  # error: KC205\n"
            "                              decay=1e-6)  # error: KC205\n",
            fixed="import tensorflow as tf\nopt = tf.keras.optimizers.SGD(learning_rate=0.1,  # error: KC205\n"
                  "                              decay=1e-6)  # error: KC205\n"),
        Bad("from keras.optimizers import RMSprop\nopt = RMSprop(learning_rate=0.01, decay=1e-4)  # error: KC205\n",
            fixed="from keras.optimizers import RMSprop, schedules\nopt = RMSprop(learning_rate=schedules."
                  "InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-4))  # error: KC205\n", unsafe=True),
        Bad("from keras.optimizers import Adam\nopt = Adam(decay=0.0)  # error: KC205\n",
            fixed="from keras.optimizers import Adam\nopt = Adam()  # error: KC205\n"),
    ),
    good=(
        "from tensorflow.keras.optimizers import Adam\nopt = Adam(learning_rate=0.001)\n",
        "from tensorflow.keras.optimizers import SGD\nopt = SGD(0.01, momentum=0.9)\n",
        "import torch\nopt = torch.optim.Adam(params, lr=0.001)\n",
    ),
)
def optimizer_argument(ctx: Context) -> Iterator[Diagnostic]:
    from keras_compat.data.legacy import OPTIMIZER_ARGS

    paths = knowledge.optimizer_paths()
    by_old = {entry.old: entry for entry in OPTIMIZER_ARGS}
    for call, name in ctx.keras_calls:
        if name.path not in paths or ctx.in_compat_branch(call):
            continue
        callee = name.path, name.leaf
        present = {kw.arg for kw in call.keywords}
        legacy_optimizer = ".legacy." in f".{callee[0]}."
        for kw in call.keywords:
            entry = by_old.get(kw.arg or "")
            if entry is None or (legacy_optimizer and entry.new is None):
                continue
            fix = None
            if entry.new:
                change = f"was renamed to '{entry.new}' ({entry.since})"
                advice = f"{entry.new}={ctx.segment(kw.value)}"
                if entry.fixable and entry.new not in present:
                    fix = ctx.fix(f"Replace {kw.arg}= with {entry.new}=",
                                  [_keyword_name_edit(ctx, kw, entry.new)], safe=True)
            else:
                change = f"was removed ({entry.since})"
                advice = entry.note or "delete it"
                if kw.arg == "decay":
                    fix = partial(_decay_fix, ctx, call, kw, name)
            yield ctx.report("KC205", kw, fix, callee=callee[1], old=kw.arg, change=change, advice=advice)


@rule(
    code="KC207",
    symbol="legacy-optimizer-positional",
    severity=Severity.ERROR,
    message="{callee}: positional argument {value} was '{old}' in multi-backend Keras, but tf.keras and Keras 3 "
            "put another parameter there -> {advice}",
    summary="Optimizer arguments passed by position in the multi-backend order",
    fix=FixAvailability.SOMETIMES,
    what="Finds multi-backend Keras optimizers (`SGD`, `RMSprop`, `Adagrad`, `Adadelta`, `Adam`, `Adamax`, "
         "`Nadam` and their lower-case aliases) called with more positional arguments than the leading ones "
         "that kept their meaning: `SGD(0.01, 0.9, 1e-6, True)` (decay, nesterov), `RMSprop(0.001, 0.9, "
         "1e-8)` (epsilon), `Adagrad(0.01, 1e-8)` (epsilon). Only in code written for standalone `keras` (the "
         "module uses no other Keras flavour; under `keras-target = keras3` it must also show Keras 1/2 era "
         "code), where the positions are the multi-backend ones.",
    why="Keras 1.2.2 and 2.2.4 declared `SGD(lr, momentum, decay, nesterov)`, `RMSprop(lr, rho, epsilon, "
        "decay)`, `Adagrad(lr, epsilon, decay)`, `Adadelta(lr, rho, epsilon, decay)`, `Adam(lr, beta_1, "
        "beta_2, epsilon, decay, amsgrad)`; tf.keras and Keras 3 declare `SGD(learning_rate, momentum, "
        "nesterov, weight_decay, ...)`, `RMSprop(learning_rate, rho, momentum, epsilon, ...)`, "
        "`Adagrad(learning_rate, initial_accumulator_value, epsilon, ...)`, `Adam(learning_rate, beta_1, "
        "beta_2, epsilon, amsgrad, ...)`. The same call is accepted and silently means something else: "
        "`SGD(0.01, 0.9, 1e-6, True)` turns Nesterov momentum on (1e-6 is truthy) and sets weight decay.",
    fix_safety="Safe: the arguments past the shared positions become keywords with their multi-backend names, "
               "which is what the call meant; a positional `decay` of 0 is dropped. Unsafe when the call passes "
               "a decay: the learning rate becomes an `InverseTimeDecay` schedule (see KC205).",
    bad=(
        Bad("from keras.optimizers import SGD\nopt = SGD(0.01, 0.9, 0.0, True)  # error: KC207\n",
            fixed="from keras.optimizers import SGD\nopt = SGD(0.01, 0.9, nesterov=True)  # error: KC207\n",
            targets=("tf-keras",)),
        Bad("from keras.optimizers import SGD\nopt = SGD(0.01, 0.9, 1e-6, True)  # error: KC207\n",
            fixed="from keras.optimizers import SGD, schedules\nopt = SGD(schedules.InverseTimeDecay(0.01, "
                  "decay_steps=1, decay_rate=1e-6), 0.9, nesterov=True)  # error: KC207\n", unsafe=True,
            targets=("tf-keras",)),
        Bad("import keras\nopt = keras.optimizers.RMSprop(0.001, 0.9, 1e-08)  # error: KC207\n",
            fixed="import keras\nopt = keras.optimizers.RMSprop(0.001, 0.9, epsilon=1e-08)  # error: KC207\n",
            targets=("tf-keras",)),
        Bad("from keras.layers.core import Dense\nfrom keras.optimizers import Adagrad\n"
            "opt = Adagrad(0.01, 1e-08)  # error: KC207\n",
            fixed="from keras.layers.core import Dense\nfrom keras.optimizers import Adagrad\n"
                  "opt = Adagrad(0.01, epsilon=1e-08)  # error: KC207\n"),
    ),
    good=(
        "from keras.optimizers import SGD\nopt = SGD(0.01, 0.9)\n",
        "from tensorflow.keras.optimizers import SGD\nopt = SGD(0.01, 0.9, True)\n",
        Good("import keras\nopt = keras.optimizers.SGD(0.01, 0.9, True)\n", targets=("keras3",)),
        "from keras.optimizers import Adam\nopt = Adam(0.001, 0.9, 0.999, 1e-07)\n",
    ),
)
def legacy_optimizer_positional(ctx: Context) -> Iterator[Diagnostic]:
    for call, name in ctx.keras_calls:
        entry = optimizer_entry(name.path) if call.args else None
        if entry is None or len(call.args) <= entry.kept or ctx.in_compat_branch(call):
            continue
        from keras_compat.era import converter_applied

        if not converter_applied(ctx, name):
            continue
        first = call.args[entry.kept]
        if isinstance(first, ast.Starred) or any(isinstance(a, ast.Starred) for a in call.args):
            continue
        advice = ", ".join(f"{entry.legacy[i]}={ctx.segment(a)}" for i, a in enumerate(call.args)
                           if i >= entry.kept and i < len(entry.legacy))
        yield ctx.report("KC207", first, lambda: _fixes().optimizer_positional_fix(ctx, call, entry), callee=name.leaf,
                         value=ctx.segment(first), old=entry.legacy[entry.kept] if entry.kept < len(entry.legacy)
                         else "?", advice=advice or "pass them by keyword")
