"""Backend rules (KC301-KC303): ``K.*`` calls inside custom layers, TF1-only backend functions, helpers."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache

from keras_compat.context import Context
from keras_compat.data import backend as backend_table
from keras_compat.data.backend import CONFIG_FUNCTIONS, KERAS3_BACKEND, KERAS3_TF_KERAS_SHIM, TF1_ADVICE
from keras_compat.data.schema import BackendFunction, OpsRewrite, Rewrite
from keras_compat.data.tf1 import CONTRIB as TF1_CONTRIB
from keras_compat.data.tf1 import CONTRIB_ADVICE as TF1_CONTRIB_ADVICE
from keras_compat.data.tf1 import REMOVED_IN as TF1_REMOVED_IN
from keras_compat.data.tf1 import TF1_DATASET_METHODS, TF1_FUNCTIONS
from keras_compat.diagnostics import Diagnostic, Edit, Fix
from keras_compat.layers import classifier
from keras_compat.names import Flavour, keras_name
from keras_compat.record import Record
from keras_compat.registry import Bad, FixAvailability, Good, Severity, rule
from keras_compat.walk import in_body

#: The attribute names :func:`_tf1_findings` reads (``tf.<TF1 function>``, ``tf.contrib``).
_TF1_ATTRIBUTES = frozenset({*TF1_FUNCTIONS, "contrib"})


def _dotted(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` followed by one or more ``.``-separated ASCII identifiers (``tf.nn.relu``):
    a table entry that is a plain name, not an expression. (Not a regular expression: compiling one costs
    more than every test of a run.)"""
    head, _, rest = path.partition(".")
    return head == root and bool(rest) and all(part.isascii() and part.isidentifier() for part in rest.split("."))


#: Explicit TF1 compatibility spellings (``tf.compat.v1.keras.backend.get_session``) work as documented.
_COMPAT_V1 = ("tensorflow.compat.v1.",)


class BackendUse(Record):
    """A resolved reference to a Keras backend function."""

    name: str
    qualname: str
    entry: BackendFunction | None

    def __init__(self, name: str, qualname: str, entry: BackendFunction | None) -> None:
        # Written out (tests/test_record.py checks it against the fields): one per backend call each time a
        # rule asks, and the generic initialiser costs about twice as much.
        values = self.__dict__
        values["name"], values["qualname"], values["entry"] = name, qualname, entry


def backend_function(ctx: Context, expr: ast.AST) -> BackendUse | None:
    """The backend function ``expr`` denotes (``K.mean``, ``keras.backend.dot``, ``from ... import dot``)."""
    qualname = ctx.qualname(expr)
    if qualname is None:
        return None
    name = None
    resolved = keras_name(qualname)
    if resolved is not None and resolved.path.startswith("backend.") and resolved.path.count(".") == 1:
        name = resolved.path[len("backend."):]
    else:
        for alias in ctx.settings.extra_backend_aliases:
            if qualname.startswith(alias + ".") and "." not in qualname[len(alias) + 1:]:
                name = qualname[len(alias) + 1:]
                break
    if name is None or name.startswith("_"):
        return None
    return BackendUse(name, qualname, backend_table.function(name))  # the entry is made on first use


def _backend_switch(ctx: Context, test: ast.expr) -> tuple[str, bool] | None:
    """``K.backend() == 'tensorflow'`` -> ("tensorflow", True); ``!=`` -> (..., False); else None."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], (ast.Eq, ast.NotEq)):
        return None
    left, right = test.left, test.comparators[0]
    if isinstance(left, ast.Constant):
        left, right = right, left
    if not (isinstance(right, ast.Constant) and isinstance(right.value, str) and isinstance(left, ast.Call)):
        return None
    use = backend_function(ctx, left.func)
    if use is None or use.name != "backend":
        return None
    return right.value, isinstance(test.ops[0], ast.Eq)


def in_legacy_branch(ctx: Context, node: ast.AST) -> bool:
    """Compatibility code that does not run under TensorFlow 2.

    Like :meth:`Context.in_compat_branch`, except that the branch of a ``K.backend() == 'tensorflow'``
    switch that runs on TensorFlow (and the ``else`` of ``== 'theano'``) is live code: findings there
    are real.
    """
    if not ctx.in_compat_branch(node):
        return False
    child = node
    for parent in ctx.ancestors(node):
        if isinstance(parent, (ast.If, ast.IfExp)) and child is not parent.test:
            if ctx.is_switch_test(parent.test):
                switch = _backend_switch(ctx, parent.test)
                if switch is None:
                    return True
                value, equal = switch
                in_then = in_body(parent, child) if isinstance(parent, ast.If) else child is parent.body
                if (value == "tensorflow") != (equal == in_then):
                    return True
        child = parent
    return False


def is_removed(use: BackendUse) -> bool:
    """TF1-only or multi-backend-only (KC302)."""
    if use.entry is None:
        return use.name == "tf"
    return use.entry.rewrite is Rewrite.TF1 or not use.entry.in_tf_keras


def is_rewritable(use: BackendUse) -> bool:
    """A backend call KC301/KC303 report: in the table, not configuration, not removed."""
    entry = use.entry
    return entry is not None and entry.name not in CONFIG_FUNCTIONS and entry.rewrite is not Rewrite.KEEP \
        and not is_removed(use)


@lru_cache(maxsize=None)
def _first_sentence(note: str, limit: int = 110) -> str:
    """The note up to its first ``.`` or ``;`` followed by white space (``re.split(r"(?<=[.;])\\s", note, 1)[0]``,
    without compiling that expression at the first message of a run; the notes are the tables', so each is
    cut once)."""
    sentence = note
    for mark in ".;":
        index = note.find(mark)
        while 0 <= index < len(sentence) - 1:  # only a mark before the best cut so far can cut earlier
            if note[index + 1].isspace():
                sentence = note[:index + 1]
                break
            index = note.find(mark, index + 1)
    sentence = sentence.rstrip(".;")
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + " ..."
    return sentence


def replacement(entry: BackendFunction, target: str = "tf-keras", use: BackendUse | None = None) -> tuple[str, str]:
    """(replacement text, caveat) for a message, for the ``keras-target`` ``target``."""
    if target == "keras3":
        return _keras3_replacement(entry, use)
    text = entry.tf or (entry.keras3 and f"{entry.keras3} (no TensorFlow equivalent)") or "no direct equivalent"
    caveat = ""
    if entry.rewrite is not Rewrite.SAFE:
        caveat = " (not a drop-in rewrite"
        caveat += f": {_first_sentence(entry.note)})" if entry.note else ")"
    return text, caveat


def _ops_rewrites() -> dict[str, OpsRewrite]:
    """The ``keras.ops`` rewrites of the Keras 3 table, imported when the keras3 target first asks (under tf-keras
    the table is never loaded)."""
    from keras_compat.data.keras3 import KERAS3_OPS_REWRITES

    return KERAS3_OPS_REWRITES


def _keras3_replacement(entry: BackendFunction, use: BackendUse | None) -> tuple[str, str]:
    """Keras 3: the ``keras.ops`` rewrite (``KERAS3_OPS_REWRITES``), else the table's keras3 field; the caveat is
    the table's ``keras3_note`` (``note`` speaks of the TensorFlow rewrite)."""
    rewrite = _ops_rewrites().get(entry.name)
    if rewrite is not None:
        text = rewrite.ops
        if rewrite.defaults:
            text += "(..., " + ", ".join(f"{k}={v}" for k, v in rewrite.defaults) + ")"
    elif entry.keras3:
        text = entry.keras3
    elif entry.tf:
        text = f"{entry.tf} on the TensorFlow backend only (no keras.ops equivalent)"
    else:
        text = "a rewrite by hand (no Keras 3 equivalent)"
    if entry.keras3_note:
        return text, f" ({entry.keras3_note.rstrip('.')})"
    if rewrite is None and entry.keras3 and _dotted(entry.keras3, "keras"):
        return text, " (check the argument names and defaults)"
    return text, ""


def absent_in_target(ctx: Context, use: BackendUse) -> str | None:
    """Under ``keras-target = keras3``: the backend module that lacks ``use`` (``keras.backend`` keeps 14
    configuration functions, the ``tf.keras`` shim most legacy ones), or None when it exists there or when
    the spelling is not Keras 3's (``tf_keras``, ``extra-backend-aliases``)."""
    if ctx.settings.target != "keras3" or use.entry is None:
        return None
    name = keras_name(use.qualname)
    if name is None:
        return None
    if name.flavour is Flavour.KERAS:
        return None if use.name in KERAS3_BACKEND else "keras.backend"
    if name.flavour is Flavour.TF_KERAS:
        return None if use.name in KERAS3_TF_KERAS_SHIM else "tensorflow.keras.backend (the tf.keras shim)"
    return None


def keras_ops_spelling(ctx: Context, at: ast.AST) -> tuple[str, Edit | None] | None:
    """How to spell ``keras.ops`` at ``at``: an existing ``from keras import ops`` binding, else ``keras.ops``
    with ``import keras`` added when needed (None when ``keras`` is bound to something else)."""
    from keras_compat.importer import ensure_import  # the fixes' helper, loaded when a fix needs it

    found = ensure_import(ctx, "keras.ops", "ops", at=at)
    if found is not None and found[1] is None:
        return found[0], None
    spelled = ensure_import(ctx, "keras", "keras", at=at)
    if spelled is None:
        return None
    return f"{spelled[0]}.ops", spelled[1]


def keras_ops_callee_fix(ctx: Context, call: ast.Call, ops_path: str) -> Fix | None:
    """Unsafe fix: call ``keras.ops.<name>`` (as spelled in the module, importing keras when needed)."""
    spelled = keras_ops_spelling(ctx, call)
    if spelled is None:
        return None
    prefix, import_edit = spelled
    target = f"{prefix}.{ops_path.rsplit('.', 1)[1]}"
    edits = [ctx.replace(call.func, target)]
    if import_edit is not None:
        edits.insert(0, import_edit)
    return ctx.fix(f"Replace {ctx.segment(call.func)} with {target}", edits, safe=False)


def ops_rewrite_fix(ctx: Context, call: ast.Call, name: str) -> Fix | None:
    """Unsafe fix under keras3: ``K.<name>(...)`` -> ``keras.ops.<op>(...)`` as ``KERAS3_OPS_REWRITES`` says
    (keywords renamed, the Keras 2 defaults that keras.ops does not share written out). Only through an
    attribute (``K.mean``): a function imported by name would leave its failing import behind."""
    rewrite = _ops_rewrites().get(name)
    if rewrite is None or not isinstance(call.func, ast.Attribute):
        return None
    if any(isinstance(a, ast.Starred) for a in call.args) or len(call.args) > len(rewrite.parameters):
        return None
    from keras_compat.rules.legacy_api import _keyword_name_edit

    passed = set(rewrite.parameters[:len(call.args)])
    renames = dict(rewrite.keywords)
    edits: list[Edit] = []
    for kw in call.keywords:
        if kw.arg is None or kw.arg not in rewrite.parameters or kw.arg in rewrite.dropped or kw.arg in passed:
            return None
        passed.add(kw.arg)
        if kw.arg in renames:
            edits.append(_keyword_name_edit(ctx, kw, renames[kw.arg]))
    source_of = {new: old for old, new in rewrite.keywords}
    written = [f"{k}={v}" for k, v in rewrite.defaults if source_of.get(k, k) not in passed]
    if written:
        items = [*call.args, *call.keywords]
        if not items:
            return None
        line, col = max(ctx.range(item)[2:] for item in items)
        edits.append(Edit(line, col, line, col, ", " + ", ".join(written)))
    return _ops_callee_fix(ctx, call.func, rewrite, edits, written)


def ops_reference_fix(ctx: Context, node: ast.Attribute, name: str) -> Fix | None:
    """Unsafe fix under keras3 for a function passed uncalled (``Lambda(K.square)``): only where the
    ``keras.ops`` function takes the same parameters with the same defaults."""
    rewrite = _ops_rewrites().get(name)
    if rewrite is None or rewrite.keywords or rewrite.defaults or rewrite.dropped:
        return None
    return _ops_callee_fix(ctx, node, rewrite, [], [])


def _ops_callee_fix(ctx: Context, func: ast.AST, rewrite: OpsRewrite, edits: list[Edit],
                    written: list[str]) -> Fix | None:
    spelled = keras_ops_spelling(ctx, func)
    if spelled is None:
        return None
    prefix, import_edit = spelled
    target = f"{prefix}.{rewrite.ops.rsplit('.', 1)[1]}"
    title = f"Replace {ctx.segment(func)} with {target}" + (f" and write {', '.join(written)}" if written else "")
    return ctx.fix(title, [*([import_edit] if import_edit else []), ctx.replace(func, target), *edits], safe=False)


def _rewrite_fix(ctx: Context, call: ast.Call, entry: BackendFunction) -> Fix | None:
    if ctx.settings.target == "keras3":
        return ops_rewrite_fix(ctx, call, entry.name)
    if entry.rewrite is not Rewrite.SAFE or not entry.tf or not _dotted(entry.tf, "tf"):
        return None
    from keras_compat.importer import ensure_import

    spelled = ensure_import(ctx, "tensorflow", "tf", at=call)
    if spelled is None:
        return None
    alias, import_edit = spelled
    target = alias + entry.tf[2:]
    edits = [ctx.replace(call.func, target)]
    if import_edit is not None:
        edits.insert(0, import_edit)
    return ctx.fix(f"Replace {ctx.segment(call.func)} with {target}", edits, safe=False)


def _dim_ordering_fix(ctx: Context, call: ast.Call, name: str) -> Fix | None:
    """KC302's fix of ``K.set_image_dim_ordering(...)`` & co. (its module loaded when a fix is wanted)."""
    from keras_compat.legacy_fixes import DIM_ORDERING_FUNCTIONS, dim_ordering_fix

    return dim_ordering_fix(ctx, call, name) if name in DIM_ORDERING_FUNCTIONS else None


def _backend_calls(ctx: Context) -> list[tuple[ast.Call, BackendUse]]:
    """Every backend call outside legacy branches; computed once per context (three rules ask)."""
    cached: list[tuple[ast.Call, BackendUse]] | None = getattr(ctx, "_keras_backend_calls", None)
    if cached is None:
        cached = [(call, use) for call, use in _backend_uses(ctx) if not in_legacy_branch(ctx, call)]
        ctx._keras_backend_calls = cached  # type: ignore[attr-defined]
    return cached


def _backend_uses(ctx: Context) -> Iterator[tuple[ast.Call, BackendUse]]:
    """The calls whose callee :func:`backend_function` accepts, with its answer. Without
    ``extra-backend-aliases`` only a Keras name under ``backend.`` is one, and the context has resolved every
    callee already (``ctx.keras_calls``): the answer is made from that name (the callee's qualified name is
    the name's), not from resolving the callee again. With the option, every call is resolved."""
    if ctx.settings.extra_backend_aliases:
        for call in ctx.calls:
            use = backend_function(ctx, call.func)
            if use is not None:
                yield call, use
        return
    for call, name in ctx.keras_calls:
        path = name.path
        if path.startswith("backend.") and path.count(".") == 1 and not path.startswith("backend._"):
            leaf = path[len("backend."):]
            yield call, BackendUse(leaf, name.qualname, backend_table.function(leaf))


def _keras3_owned(ctx: Context) -> set[int]:
    """Backend calls a Keras 3 error rule reports under keras3 (KC531, KC533, KC534): one problem, one finding."""
    from keras_compat.rules.keras3_training import (
        optimizer_set_value_calls,
        untracked_variable_calls,
        variable_update_calls,
    )

    return untracked_variable_calls(ctx) | variable_update_calls(ctx) | optimizer_set_value_calls(ctx)


def _in_layer(ctx: Context, node: ast.AST) -> str | None:
    """The custom layer whose method calls ``node`` (memoised per node: KC301 and KC303 ask about the same
    backend calls)."""
    memo: dict[int, str | None] = ctx.memo.setdefault("backend call layers", {})  # type: ignore[assignment]
    key = id(node)
    if key in memo:
        return memo[key]
    found = classifier(ctx).enclosing(node)
    layer = memo[key] = None if found is None or not found[0].kind.is_layer else found[0].name
    return layer


_KERAS3_FIX_DOC = (
    "With `keras-target = keras3` the rewrite goes to `keras.ops` (an existing `from keras import ops` is "
    "reused, else `import keras` is added) for the functions with a mechanical `keras.ops` rewrite (table "
    "`KERAS3_OPS_REWRITES`: `K.sum` -> `keras.ops.sum`, `K.permute_dimensions(x, pattern=p)` -> "
    "`keras.ops.transpose(x, axes=p)`, `K.argmax(x)` -> `keras.ops.argmax(x, axis=-1)` with the Keras 2 default "
    "written out, ...), checked against both signatures in the keras 3.15.1 wheel and by running each "
    "rewritten call next to the original; only through the module (`K.sum`), not for functions imported by "
    "name. Still unsafe because `keras.ops` follows NumPy dtype promotion and returns backend tensors for "
    "NumPy input.")
_ALIASES_DOC = ("Calls are recognised through every spelling of the backend module: `import keras.backend as "
                "K`, `from keras import backend as K`, `from tensorflow.keras import backend as K`, "
                "`tf.keras.backend.sum`, functions imported by name from a backend module, and the "
                "modules listed in the `extra-backend-aliases` option.")


@rule(
    code="KC301",
    symbol="backend-call-in-layer",
    severity=Severity.WARNING,
    message="backend call {callee}() in custom layer {layer}: use {replacement}{caveat}",
    summary="Keras backend (`K.*`) call inside a custom layer or model",
    fix=FixAvailability.SOMETIMES,
    what="Finds calls through the Keras 2 backend module (`K.mean(x)`, `keras.backend.dot`, "
         "`tf.keras.backend.sum`) inside the methods of a custom layer, model, RNN cell or wrapper, and "
         "names the native TensorFlow operation (`K.mean` -> `tf.reduce_mean`, `K.concatenate` -> "
         "`tf.concat`, `K.clip` -> `tf.clip_by_value`, ...). With `keras-target = keras3` it names the "
         "backend-agnostic `keras.ops` function instead (`K.mean` -> `keras.ops.mean`), or says that there is "
         "none. " + _ALIASES_DOC + " Configuration reads "
         "(`K.floatx()`, `K.epsilon()`, `K.image_data_format()`) are not reported.",
    why="`keras.backend` in Keras 3 only keeps a handful of configuration functions: `K.mean` & co. raise "
        "`AttributeError` there (reported as KC532 under `keras-target = keras3`), and a layer full of them "
        "has to be rewritten before it runs. Native "
        "TensorFlow calls work in tf.keras 2.x and with Keras 3 on the TensorFlow backend. Several "
        "functions differ subtly from their TensorFlow namesake (axis defaults, `K.dot` on rank > 2, "
        "`K.batch_dot`, bool handling of `K.mean`): the message says so and no fix is offered for them.",
    fix_safety="Unsafe: for the functions whose TensorFlow equivalent takes the same arguments (`K.sum` -> "
               "`tf.reduce_sum`, `K.reshape` -> `tf.reshape`, ...) the callee is rewritten and "
               "`import tensorflow as tf` is added when the module has no TensorFlow binding (an existing "
               "alias such as `tfl` is reused). Unsafe because a `K.*` call also accepts NumPy input and "
               "the layer may still be used with a non-TensorFlow Keras 3 backend. No fix when `tf` is "
               "bound to something else. " + _KERAS3_FIX_DOC,
    bad=(
        Bad("import tensorflow.keras.backend as K\nfrom tensorflow.keras.layers import Layer\n\nclass Sum(Layer):\n"
            "    def call(self, x):\n        return K.sum(x, axis=1)  # error: KC301\n",
            fixed="import tensorflow as tf\nimport tensorflow.keras.backend as K\n"
                  "from tensorflow.keras.layers import Layer\n\nclass Sum(Layer):\n"
                  "    def call(self, x):\n        return tf.reduce_sum(x, axis=1)  "
                  "# error: KC301\n",
            unsafe=True, targets=("tf-keras",)),
        Bad("from tensorflow.keras import backend as K\nfrom tensorflow.keras.layers import Layer\n\n"
            "class Sum(Layer):\n    def call(self, x):\n        return K.sum(x, axis=1)  # error: KC301\n",
            fixed="import keras\nfrom tensorflow.keras import backend as K\nfrom tensorflow.keras.layers import Layer\n\n"
                  "class Sum(Layer):\n    def call(self, x):\n        return keras.ops.sum(x, axis=1)  # error: KC301\n",
            unsafe=True, targets=("keras3",)),
        Bad("from keras import layers, ops\nimport tensorflow.keras.backend as K\n\nclass Flat(layers.Layer):\n"
            "    def call(self, x):\n        y = K.permute_dimensions(x, pattern=(1, 0))  # error: KC301\n"
            "        return K.argmax(y)  # error: KC301\n",
            fixed="from keras import layers, ops\nimport tensorflow.keras.backend as K\n\nclass Flat(layers.Layer):\n"
                  "    def call(self, x):\n        y = ops.transpose(x, axes=(1, 0))  # error: KC301\n"
                  "        return ops.argmax(y, axis=-1)  # error: KC301\n",
            unsafe=True, targets=("keras3",)),
        Bad('"""Layers."""\nimport tensorflow as tfl\nfrom tensorflow.keras import backend as K\n'
            "from tensorflow.keras import layers\n\nclass Base(layers.Layer):\n    pass\n\n"
            "class Flat(Base):\n    def call(self, x):\n        y = K.reshape(x, (-1,))  # error: KC301\n"
            "        return K.mean(y, axis=0)  # error: KC301\n",
            fixed='"""Layers."""\nimport tensorflow as tfl\nfrom tensorflow.keras import backend as K\n'
                  "from tensorflow.keras import layers\n\nclass Base(layers.Layer):\n    pass\n\n"
                  "class Flat(Base):\n    def call(self, x):\n        y = tfl.reshape(x, (-1,))  # error: KC301\n"
                  "        return K.mean(y, axis=0)  # error: KC301\n",
            unsafe=True, targets=("tf-keras",)),
        Bad("import tensorflow as tf\n\nclass Dot(tf.keras.layers.Layer):\n    def call(self, a, b):\n"
            "        return tf.keras.backend.batch_dot(a, b)  # error: KC301\n"),
        Bad("from keras.engine.topology import Layer\nfrom keras.backend import concatenate\n\n"
            "class Cat(Layer):\n    def call(self, xs):\n        return concatenate(xs)  # error: KC301\n",
            targets=("tf-keras",)),
    ),
    good=(
        "import tensorflow as tf\nfrom tensorflow import keras\n\nclass Sum(keras.layers.Layer):\n"
        "    def call(self, x):\n        return tf.reduce_sum(x, axis=1)\n",
        Good("import keras\n\nclass Sum(keras.layers.Layer):\n    def call(self, x):\n"
             "        return keras.ops.sum(x, axis=1)\n", targets=("keras3",)),
        "import keras.backend as K\nfrom keras.layers import Layer\n\nclass Scale(Layer):\n"
        "    def call(self, x):\n        return x * K.epsilon()\n"
        "    def compute_output_shape(self, s):\n        return s if K.image_data_format() else s\n",
        "import keras.backend as K\n\ndef mean_q(y_true, y_pred):\n    return y_pred\n\n"
        "class Helper:\n    def run(self, x):\n        return K.floatx()\n",
    ),
)
def backend_call_in_layer(ctx: Context) -> Iterator[Diagnostic]:
    from keras_compat.rules.training import claimed_calls

    rewritable = [(call, use) for call, use in _backend_calls(ctx) if is_rewritable(use)]
    claimed = claimed_calls(ctx) if rewritable else set()  # analyses every layer's call(): only when needed
    owned = _keras3_owned(ctx) if rewritable and ctx.settings.target == "keras3" else set()
    for call, use in rewritable:
        if id(call) in claimed or id(call) in owned or absent_in_target(ctx, use):
            continue
        layer = _in_layer(ctx, call)
        if layer is None:
            continue
        assert use.entry is not None
        target, caveat = replacement(use.entry, ctx.settings.target, use)
        entry = use.entry
        yield ctx.report("KC301", call, lambda: _rewrite_fix(ctx, call, entry), callee=ctx.segment(call.func),
                         layer=layer, replacement=target, caveat=caveat)


@rule(
    code="KC302",
    symbol="removed-backend-function",
    severity=Severity.ERROR,
    message="{callee} {status} -> {advice}",
    summary="Backend function that only works in TF1 graph mode or only in multi-backend Keras",
    what="Finds, anywhere in the module, calls of backend functions that are gone in TensorFlow 2 or only "
         "work in TF1 graph mode: `get_session`, `set_session`, `placeholder`, `function`, `learning_phase`, "
         "`set_learning_phase`, `manual_variable_initialization`, `gradients`, `image_dim_ordering`, "
         "`set_image_dim_ordering`, the `K.tf` attribute of multi-backend Keras, and the helpers only "
         "multi-backend Keras had (`K.logsumexp`, `K.slice`, `K.size`, ...). In modules that use Keras, also the "
         "TensorFlow 1 API that Keras 2 programs called directly and TensorFlow 2 removed (`keras_compat/data/tf1.py`, "
         "checked against TensorFlow 2.21): `tf.Session`, `tf.placeholder`, `tf.random_uniform`, `tf.set_random_seed`, "
         "..., anything under `tensorflow.contrib` (but `tensorflow.contrib.keras`, KC103's), and "
         "`dataset.make_one_shot_iterator()`. " + _ALIASES_DOC +
         " The explicit compatibility spelling `tf.compat.v1.keras.backend.*` is not reported. "
         "`in_train_phase`/`in_test_phase` still work in tf.keras 2.x and are covered by the `training` "
         "rules (KC401/KC402).",
    why="These functions raise `AttributeError` in tf.keras (`get_session`, `set_session`, the "
        "multi-backend-only helpers), fail in eager mode (`K.gradients`, `K.placeholder` outside a "
        "functional model) or silently do the wrong thing: `K.learning_phase()` is 0 in TF2 unless set "
        "globally, so a training branch built on it is never taken, even inside `fit`.",
    fix_safety="No automatic fix, except for the Keras 1 dim ordering: `K.set_image_dim_ordering('th')` -> "
               "`K.set_image_data_format('channels_first')` and `K.image_dim_ordering() == 'tf'` -> "
               "`K.image_data_format() == 'channels_last'` (safe: the same global setting, in the new "
               "vocabulary); other uses of the 'th'/'tf' value need a human. Elsewhere the TF2 way is a different "
               "program structure (the message says which).",
    fix=FixAvailability.SOMETIMES,
    bad=(
        Bad("import tensorflow as tf\nfrom keras import backend as K\n"
            "K.set_session(tf.Session())  # error: KC302\n"),
        Bad("from keras import backend as K\nK.set_image_dim_ordering('th')  # error: KC302\n"
            "if K.image_dim_ordering() == 'th':  # error: KC302\n    shape = (1, 28, 28)\n",
            fixed="from keras import backend as K\nK.set_image_data_format('channels_first')  # error: KC302\n"
                  "if K.image_data_format() == 'channels_first':  # error: KC302\n    shape = (1, 28, 28)\n"),
        Bad("import keras.backend as K\nf = K.function([inp, K.learning_phase()], [out])  # error: KC302, KC302\n"),
        Bad("import tensorflow as tf\nsess = tf.keras.backend.get_session()  # error: KC302\n"),
        Bad("from keras import backend as K\ny = K.tf.reduce_sum(x)  # error: KC302\n"),
        Bad("import tensorflow as tf\nfrom keras import backend as K\n"
            "noise = tf.random_uniform([2], -1.0, 1.0)  # error: KC302\n"),
        Bad("import keras\nfrom tensorflow.contrib.learn.python.learn.datasets import mnist  # error: KC302\n"),
        Bad("import tensorflow as tf\nimport keras\nrotate = tf.contrib.image.rotate  # error: KC302\n"),
        Bad("import tensorflow as tf\nimport keras\n"
            "iterator = tf.data.Dataset.range(4).make_one_shot_iterator()  # error: KC302\n"),
    ),
    good=(
        "import tensorflow as tf\ngpus = tf.config.list_physical_devices('GPU')\n"
        "tf.config.experimental.set_memory_growth(gpus[0], True)\n",
        "import tensorflow as tf\nsess = tf.compat.v1.keras.backend.get_session()\n",
        "from tensorflow import keras\nmodel = keras.Model(inputs, outputs)\n",
        "import keras.backend as K\nfmt = K.image_data_format()\n",
        "import tensorflow as tf\nimport keras\nnoise = tf.random.uniform([2])\n",
        "import tensorflow as tf\nimport keras\nnoise = tf.compat.v1.random_uniform([2])\n",
        "import tensorflow as tf\nsess = tf.Session()  # no Keras: not this linter's business\n",
    ),
)
def removed_backend_function(ctx: Context) -> Iterator[Diagnostic]:
    for call, use in _backend_calls(ctx):
        if use.entry is None or not is_removed(use) or use.qualname.startswith(_COMPAT_V1):
            continue
        yield ctx.report("KC302", call, lambda: _dim_ordering_fix(ctx, call, use.name),
                         **_removed_fields(ctx, call.func, use))
    for attr in ctx.attributes_named(("tf",)):
        if in_legacy_branch(ctx, attr):
            continue
        use = backend_function(ctx, attr)
        if use is not None and use.name == "tf":
            yield ctx.report("KC302", attr, None, **_removed_fields(ctx, attr, use))
    yield from _tf1_findings(ctx)


def _tf1_findings(ctx: Context) -> Iterator[Diagnostic]:
    """The TensorFlow 1 API a Keras module calls directly (``keras_compat.data.tf1``): ``tf.random_uniform``,
    ``tensorflow.contrib``, ``dataset.make_one_shot_iterator()``."""
    if not _uses_keras_itself(ctx):
        return
    status = f"was removed in {TF1_REMOVED_IN} (TensorFlow 1 API)"
    uses_tf = False
    for record in ctx.imports:
        qualname = record.qualname
        uses_tf |= qualname.partition(".")[0] == "tensorflow"
        if record.guard.guarded and record.guard.alternatives:
            continue
        if _is_contrib(qualname):
            yield ctx.report("KC302", record.alias, None, callee=qualname, status=status, advice=TF1_CONTRIB_ADVICE)
        elif qualname.startswith("tensorflow.") and qualname[len("tensorflow."):] in TF1_FUNCTIONS:
            name = qualname[len("tensorflow."):]
            yield ctx.report("KC302", record.alias, None, callee=f"tf.{name}", status=status,
                             advice=TF1_FUNCTIONS[name])
    for attr in ctx.attributes_named(_TF1_ATTRIBUTES):
        if attr.value.__class__ is not ast.Name:
            continue
        if ctx.qualname(attr.value) != "tensorflow" or ctx.in_compat_branch(attr) or in_legacy_branch(ctx, attr):
            continue
        if attr.attr == "contrib":
            outer: ast.AST = attr
            while isinstance(ctx.parent(outer), ast.Attribute):
                outer = ctx.parent(outer)  # type: ignore[assignment]
            if not _is_contrib(ctx.qualname(outer) or TF1_CONTRIB):
                continue  # tf.contrib.keras: KC103's
            yield ctx.report("KC302", outer, None, callee=ctx.segment(outer), status=status,
                             advice=TF1_CONTRIB_ADVICE)
        else:
            yield ctx.report("KC302", attr, None, callee=f"{ctx.segment(attr)}()", status=status,
                             advice=TF1_FUNCTIONS[attr.attr])
    if uses_tf:
        for call in ctx.method_calls(*TF1_DATASET_METHODS):
            if not ctx.in_compat_branch(call):
                method = call.func.attr  # type: ignore[attr-defined]
                yield ctx.report("KC302", call.func, None, callee=f"{ctx.segment(call.func)}()",
                                 status=f"was removed from tf.data.Dataset in {TF1_REMOVED_IN}",
                                 advice=TF1_DATASET_METHODS[method])


def _uses_keras_itself(ctx: Context) -> bool:
    """Whether the module imports a Keras name or reads ``tf.keras`` (``import tensorflow`` alone is TensorFlow
    code, which this linter leaves to TensorFlow's own upgrade tools)."""
    if any(record.keras is not None for record in ctx.imports):
        return True
    return any(attr.value.__class__ is ast.Name and ctx.qualname(attr.value) == "tensorflow"
               for attr in ctx.attributes_named(("keras",)))


def _is_contrib(qualname: str) -> bool:
    """``tensorflow.contrib`` or below it, except ``tensorflow.contrib.keras`` (a Keras flavour, KC103's)."""
    return (qualname == TF1_CONTRIB or qualname.startswith(TF1_CONTRIB + ".")) and \
        not qualname.startswith(TF1_CONTRIB + ".keras")


def _removed_fields(ctx: Context, node: ast.AST, use: BackendUse) -> dict[str, str]:
    entry = use.entry
    if entry is None:  # the K.tf attribute
        return {"callee": ctx.segment(node), "status": "is not part of tf.keras (multi-backend Keras exposed "
                "its own `tensorflow` import)", "advice": TF1_ADVICE["tf"]}
    callee = ctx.segment(node) + "()"
    if entry.rewrite is Rewrite.TF1:
        status = "only works in TF1 graph mode" if entry.in_tf_keras else \
            "was removed with multi-backend Keras (TF1 concept)"
    else:
        status = "was removed from tf.keras (multi-backend Keras only)"
    advice = TF1_ADVICE.get(entry.name) or entry.tf or entry.keras3 or "remove it"
    return {"callee": callee, "status": status, "advice": advice}


@rule(
    code="KC303",
    symbol="backend-call",
    severity=Severity.CONVENTION,
    message="backend call {callee}(): use {replacement}{caveat}",
    summary="Keras backend (`K.*`) call outside custom layers (losses, metrics, helpers)",
    fix=FixAvailability.SOMETIMES,
    what="Finds calls through the Keras 2 backend module outside the methods of custom layers and models: "
         "in loss and metric functions, `Loss`/`Metric`/`Callback` classes, `Lambda` helpers and module "
         "code. Same table and messages as KC301, at convention level so teams can enable or ignore it "
         "separately. " + _ALIASES_DOC + " Configuration reads are not reported.",
    why="Outside layers these calls are usually easy to port (`K.mean` -> `tf.reduce_mean` or "
        "`keras.ops.mean`), and they are not bugs where the function exists: in tf.keras 2.x, and with "
        "`keras-target = keras3` in the `tf.keras.backend` shim of TF >= 2.16, which keeps most of them. "
        "Under keras3 a call of a function the target's backend module lacks (any `keras.backend.mean`, "
        "`tf.keras.backend.random_binomial`) raises, and is reported as the error KC532 instead.",
    fix_safety="No fix under `keras-target = tf-keras` (see KC301 for the TensorFlow rewrite inside layers). "
               "Unsafe under keras3, as KC301's: " + _KERAS3_FIX_DOC,
    bad=(
        Bad("from keras import backend as K\n\ndef mean_q(y_true, y_pred):\n"
            "    return K.mean(K.max(y_pred, axis=-1))  # error: KC303, KC303\n", targets=("tf-keras",)),
        Bad("import tensorflow as tf\n\ndef huber(x):\n    return tf.keras.backend.square(x)  # error: KC303\n",
            targets=("tf-keras",)),
        Bad("import tensorflow as tf\n\ndef huber(x):\n    return tf.keras.backend.square(x)  # error: KC303\n",
            fixed="import keras\nimport tensorflow as tf\n\ndef huber(x):\n"
                  "    return keras.ops.square(x)  # error: KC303\n", unsafe=True, targets=("keras3",)),
        Bad("from tensorflow.keras import backend as K\n\ndef acc(y_true, y_pred):\n"
            "    return K.mean(K.equal(K.argmax(y_true), K.argmax(y_pred)))  # error: KC303, KC303, KC303, KC303\n",
            fixed="import keras\nfrom tensorflow.keras import backend as K\n\ndef acc(y_true, y_pred):\n"
                  "    return keras.ops.mean(keras.ops.equal(keras.ops.argmax(y_true, axis=-1), "
                  "keras.ops.argmax(y_pred, axis=-1)))  # error: KC303, KC303, KC303, KC303\n",
            unsafe=True, targets=("keras3",)),
        Bad("import keras.backend as K\nfrom keras.losses import Loss\n\nclass MyLoss(Loss):\n"
            "    def call(self, y_true, y_pred):\n        return K.abs(y_true - y_pred)  # error: KC303\n",
            targets=("tf-keras",)),
    ),
    good=(
        "import tensorflow as tf\n\ndef mean_q(y_true, y_pred):\n    return tf.reduce_mean(y_pred)\n",
        "from keras import backend as K\nEPS = K.epsilon()\nDTYPE = K.floatx()\n",
        "import keras.backend as K\nfrom keras.layers import Layer\n\nclass Sum(Layer):\n"
        "    def call(self, x):\n        return K.sum(x)  # inside a layer: KC301, not KC303\n",
        Good("import keras.backend as K\n\ndef mean_q(y_true, y_pred):\n    return K.mean(y_pred)  # KC532\n",
             targets=("keras3",)),
    ),
)
def backend_call(ctx: Context) -> Iterator[Diagnostic]:
    owned: set[int] | None = None
    for call, use in _backend_calls(ctx):
        if not is_rewritable(use) or absent_in_target(ctx, use) or _in_layer(ctx, call) is not None:
            continue
        if ctx.settings.target == "keras3":
            owned = _keras3_owned(ctx) if owned is None else owned
            if id(call) in owned:
                continue
        assert use.entry is not None
        target, caveat = replacement(use.entry, ctx.settings.target, use)
        name = use.entry.name
        fix = (lambda: ops_rewrite_fix(ctx, call, name)) if ctx.settings.target == "keras3" else None
        yield ctx.report("KC303", call, fix, callee=ctx.segment(call.func), replacement=target, caveat=caveat)
