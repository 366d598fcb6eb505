"""Keras 3 target rules for training code, saving and the backend (KC530-KC534).

Each claim is proven by running the rule's examples on Keras 3.15.1 (``Execution``); the facts are in
``data/keras3.py`` (``KERAS3_CHANGES``) and ``data/backend.py`` (which backend functions each Keras 3 backend
module keeps).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache

from keras_compat import knowledge
from keras_compat.context import Context
from keras_compat.data.backend import BACKEND_FUNCTIONS
from keras_compat.data.backend import function as backend_entry
from keras_compat.data.keras3 import KERAS3_CHANGES, KERAS3_VERSION
from keras_compat.diagnostics import Diagnostic, Edit, Fix
from keras_compat.layers import classifier
from keras_compat.names import Flavour, keras_name
from keras_compat.registry import Bad, Execution, FixAvailability, Good, Severity, rule
from keras_compat.rules.backend import (
    BackendUse,
    _backend_calls,
    absent_in_target,
    backend_function,
    in_legacy_branch,
    is_removed,
    ops_reference_fix,
    ops_rewrite_fix,
    replacement,
)
from keras_compat.rules.keras3 import _argument, _keyword, _path_literal

_K3 = ("keras3",)
_WEIGHTS_SUFFIX = KERAS3_CHANGES["save_weights.suffix"].values[0]
_CHECKPOINT_SUFFIXES = KERAS3_CHANGES["model_checkpoint.extensions"].values


# -- KC530: ModelCheckpoint file names ---------------------------------------------------------------------

def _literal_bool(node: ast.AST | None) -> bool | None:
    if node is None:
        return False  # the default
    if isinstance(node, ast.Constant) and isinstance(node.value, (bool, int)):
        return bool(node.value)
    return None


def path_suffix_fix(ctx: Context, node: ast.AST, path: str, new_path: str, title: str) -> Fix | None:
    """Unsafe fix: change the end of a string (or f-string) path literal from ``path``'s tail to ``new_path``'s.

    Only where the literal's source text ends with the same characters as its value (no escapes or implicit
    concatenation there): the edit then replaces just the changed tail before the closing quote."""
    common = 0
    while common < min(len(path), len(new_path)) and path[common] == new_path[common]:
        common += 1
    old_tail, new_tail = path[common:], new_path[common:]
    text = ctx.segment(node)
    if not text or text[-1] not in "'\"" or text.endswith(('"""', "'''")) or \
            not text[:-1].endswith(old_tail) or "\\" in old_tail or "{" in old_tail:
        return None
    _, _, line, col = ctx.range(node)
    if "\n" in text:
        return None
    return ctx.fix(title, [Edit(line, col - 1 - len(old_tail), line, col - 1, new_tail)], safe=False)


def _weights_name(path: str) -> str:
    for ext in (".h5", ".hdf5"):
        if path.endswith(ext):
            return path[: -len(ext)] + _WEIGHTS_SUFFIX
    return path.rstrip("/\\") + _WEIGHTS_SUFFIX


def _model_name(path: str) -> str:
    if path.endswith(".hdf5"):
        return path[: -len(".hdf5")] + ".h5"
    return path.rstrip("/\\") + ".keras"


@rule(
    code="KC530",
    symbol="checkpoint-filepath",
    severity=Severity.ERROR,
    message="ModelCheckpoint(): {problem} -> {advice}",
    summary="ModelCheckpoint with a file path Keras 3 rejects (.hdf5, SavedModel directory, weights not in "
            ".weights.h5) (Keras 3 target)",
    targets=_K3,
    fix=FixAvailability.SOMETIMES,
    what="With `keras-target = keras3`: finds `ModelCheckpoint(filepath, ...)` constructions whose known path "
         "does not end the way Keras 3 requires: `.weights.h5` with `save_weights_only=True`, `.keras` or `.h5` "
         "otherwise (so the Keras 2 documentation's `'weights.{epoch:02d}-{val_loss:.2f}.hdf5'` and TensorFlow "
         "checkpoint prefixes such as `'ckpt/model'` are reported). Paths that are variables are not checked; "
         "with a `save_weights_only=` that is not a literal only paths that fit neither form are reported.",
    why="Keras 3's `ModelCheckpoint.__init__` raises `ValueError` for these paths before training starts: "
        "`save_weights()` only writes `.weights.h5` files, `save()` only `.keras` (native) or `.h5` (legacy) "
        "files. tf.keras 2.x accepted any path (a TensorFlow checkpoint or SavedModel without the extension).",
    fix_safety="Unsafe, for string literals: the extension is changed (`best.h5` -> `best.weights.h5` with "
               "`save_weights_only=True`; `.hdf5` -> `.h5`, which keeps the HDF5 format; an extension-less "
               "checkpoint prefix gets `.keras`). Unsafe because the code that later loads the file must use the "
               "new name.",
    bad=(
        Bad("import keras\ncb = keras.callbacks.ModelCheckpoint('weights.{epoch:02d}-{loss:.2f}.hdf5')  # error: KC530\n"
            "model.fit(x, y, epochs=1, verbose=0, callbacks=[cb])\n",
            fixed="import keras\ncb = keras.callbacks.ModelCheckpoint('weights.{epoch:02d}-{loss:.2f}.h5')  "
                  "# error: KC530\nmodel.fit(x, y, epochs=1, verbose=0, callbacks=[cb])\n", unsafe=True),
        Bad("from tensorflow.keras.callbacks import ModelCheckpoint\n"
            "cb = ModelCheckpoint('best.h5', save_best_only=True, save_weights_only=True)  # error: KC530\n"
            "model.fit(x, y, epochs=1, verbose=0, callbacks=[cb])\n",
            fixed="from tensorflow.keras.callbacks import ModelCheckpoint\n"
                  "cb = ModelCheckpoint('best.weights.h5', save_best_only=True, save_weights_only=True)  "
                  "# error: KC530\nmodel.fit(x, y, epochs=1, verbose=0, callbacks=[cb])\n", unsafe=True),
        Bad("import tensorflow as tf\n"
            "cb = tf.keras.callbacks.ModelCheckpoint(filepath='ckpt/model', monitor='loss')  # error: KC530\n",
            fixed="import tensorflow as tf\n"
                  "cb = tf.keras.callbacks.ModelCheckpoint(filepath='ckpt/model.keras', monitor='loss')  "
                  "# error: KC530\n", unsafe=True),
        Bad("import os\nimport keras\nout = 'runs'\n"
            "cb = keras.callbacks.ModelCheckpoint(os.path.join(out, 'model'), save_weights_only=True)  # error: KC530\n"),
    ),
    good=(
        "import keras\ncb = keras.callbacks.ModelCheckpoint('weights.{epoch:02d}.keras')\n"
        "model.fit(x, y, epochs=1, verbose=0, callbacks=[cb])\n",
        "from tensorflow.keras.callbacks import ModelCheckpoint\n"
        "cb = ModelCheckpoint('best.weights.h5', save_best_only=True, save_weights_only=True)\n"
        "model.fit(x, y, epochs=1, verbose=0, callbacks=[cb])\n",
        "import keras\npath = 'model.keras'\ncb = keras.callbacks.ModelCheckpoint(path)\n",
        Good("import keras\ncb = keras.callbacks.ModelCheckpoint('legacy.h5', monitor='loss')\n"
             "model.fit(x, y, epochs=1, verbose=0, callbacks=[cb])\n"),
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"ValueError: (When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must "
               r"end in `\.weights\.h5`|The filepath provided must end in `\.keras`)",
        prelude="import numpy as np\nimport keras\ninp = keras.Input((3,))\n"
                "model = keras.Model(inp, keras.layers.Dense(1)(inp))\nmodel.compile(optimizer='adam', loss='mse')\n"
                "x, y = np.ones((4, 3), 'float32'), np.ones((4, 1), 'float32')\n",
    ),
)
def checkpoint_filepath(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras:
        return
    for call, name in ctx.keras_calls:
        if name.path != "callbacks.ModelCheckpoint" or ctx.in_compat_branch(call):
            continue
        path_node = _argument(call, 0, "filepath")
        path = _path_literal(path_node)
        if path is None or path_node is None:
            continue
        weights_only = _literal_bool(_keyword(call, "save_weights_only").value
                                     if _keyword(call, "save_weights_only") else None)
        if len(call.args) > 4:  # filepath, monitor, verbose, save_best_only, save_weights_only
            weights_only = _literal_bool(call.args[4])
        shown = f"'{path}'" if isinstance(path_node, ast.Constant) else ctx.segment(path_node)
        if weights_only is True and not path.endswith(_WEIGHTS_SUFFIX):
            new = _weights_name(path)
            problem = f"{shown} does not end in {_WEIGHTS_SUFFIX}, which save_weights_only=True requires " \
                      "(ValueError in Keras 3)"
        elif weights_only is False and not path.endswith(_CHECKPOINT_SUFFIXES):
            new = _model_name(path)
            problem = f"{shown} does not end in .keras or .h5 (ValueError in Keras 3)"
        elif weights_only is None and not path.endswith(_CHECKPOINT_SUFFIXES):
            new = None
            problem = f"{shown} ends in neither .weights.h5 (save_weights_only=True) nor .keras/.h5 " \
                      "(ValueError in Keras 3)"
        else:
            continue
        if new is None:
            advice = "save to a '.keras' file, or to a '.weights.h5' file with save_weights_only=True"
            fix = None
        else:
            ending = _WEIGHTS_SUFFIX if weights_only else ".keras or .h5"
            advice = f"'{new}'" if isinstance(path_node, ast.Constant) else f"a path ending in {ending}"
            fix = path_suffix_fix(ctx, path_node, path, new, f"Save to {new!r}") \
                if isinstance(path_node, (ast.Constant, ast.JoinedStr)) else None
        yield ctx.report("KC530", path_node, fix, problem=problem, advice=advice)


# -- KC531: optimizer.lr ----------------------------------------------------------------------------------

def _optimizer_receiver(ctx: Context, node: ast.AST) -> bool:
    """``<...>.optimizer`` (``model.optimizer``, ``self.model.optimizer``) or a name every binding of which is
    a Keras optimizer constructor call."""
    if isinstance(node, ast.Attribute):
        return node.attr == "optimizer"
    if not isinstance(node, ast.Name):
        return False
    scope = ctx.resolver.scope_of(node)
    while scope is not None:
        bindings = scope.bindings.get(node.id)
        if bindings:
            return _all_optimizers(ctx, scope, node.id, bindings)
        scope = scope.parent
    return False


def _all_optimizers(ctx: Context, scope: object, name: str, bindings: list) -> bool:
    """Whether every binding of ``name`` in ``scope`` is a Keras optimizer constructor call; memoised per scope
    and name (a name bound many times is asked about at each use)."""
    cache: dict[tuple[int, str], bool] = ctx.__dict__.setdefault("_keras_optimizer_names", {})
    key = (id(scope), name)
    if key not in cache:
        paths = knowledge.optimizer_paths()
        answer = True
        for binding in bindings:
            value = getattr(binding.node, "value", None)
            called = ctx.keras(value.func) if isinstance(binding.node, ast.Assign) and \
                isinstance(value, ast.Call) else None
            if called is None or called.path not in paths:
                answer = False
                break
        cache[key] = answer
    return cache[key]


def optimizer_set_value_calls(ctx: Context) -> set[int]:
    """Ids of the ``K.set_value(<optimizer>.lr/.learning_rate, v)`` calls KC531 reports (KC303 leaves them)."""
    cached: set[int] | None = getattr(ctx, "_keras_optimizer_set_values", None)
    if cached is None:
        cached = set()
        for attr in ctx.attributes:
            if attr.attr in ("lr", "learning_rate") and isinstance(attr.ctx, ast.Load) and \
                    _optimizer_receiver(ctx, attr.value):
                call = _set_value_call(ctx, attr)
                if call is not None:
                    cached.add(id(call))
        ctx._keras_optimizer_set_values = cached  # type: ignore[attr-defined]
    return cached


def _set_value_call(ctx: Context, node: ast.AST) -> ast.Call | None:
    """The ``K.set_value(<node>, value)`` call that ``node`` is the first argument of."""
    call = ctx.parent(node)
    if not isinstance(call, ast.Call) or not call.args or call.args[0] is not node or len(call.args) != 2 or \
            call.keywords:
        return None
    use = backend_function(ctx, call.func)
    return call if use is not None and use.name == "set_value" else None


def _statement_fix(ctx: Context, call: ast.Call, receiver: ast.AST) -> Fix | None:
    statement = ctx.parent(call)
    if not isinstance(statement, ast.Expr):
        return None
    text = f"{ctx.segment(receiver)}.learning_rate = {ctx.segment(call.args[1])}"
    return ctx.fix(f"Assign {ctx.segment(receiver)}.learning_rate", [ctx.replace(call, text)], safe=False)


@rule(
    code="KC531",
    symbol="optimizer-lr-attribute",
    severity=Severity.ERROR,
    message="{expression}: {problem} -> {advice}",
    summary="optimizer.lr, and K.set_value() on an optimizer's learning rate (Keras 3 target)",
    targets=_K3,
    fix=FixAvailability.SOMETIMES,
    what="With `keras-target = keras3`: finds the `lr` attribute of an optimizer (`model.optimizer.lr`, "
         "`self.model.optimizer.lr` in callbacks, `opt.lr` where `opt` was built by a Keras optimizer class), "
         "read, assigned or passed to `K.set_value`/`K.get_value`, and `K.set_value(<optimizer>.learning_rate, "
         "v)`. Other `.lr` attributes (a config object's, a scikit-learn model's) are not reported; code under "
         "`hasattr(..., 'lr')` is compatibility code.",
    why="Keras 3 optimizers have `learning_rate` only: reading `optimizer.lr` raises `AttributeError`, and "
        "assigning `optimizer.lr = 0.01` silently creates an unused attribute, so training goes on with the old "
        "rate. The tf.keras shim's `K.set_value` also fails on a Keras 3 variable (`AttributeError: 'str' object "
        "has no attribute 'name'`), even with `learning_rate`. In tf.keras 2.x `lr` was an alias of "
        "`learning_rate`, so the replacement works under both.",
    fix_safety="Safe: `.lr` -> `.learning_rate` (the same variable in tf.keras 2.x, the only name in Keras 3). "
               "Unsafe: a `K.set_value(<optimizer>.lr, v)` statement becomes `<optimizer>.learning_rate = v` "
               "(the optimizers' setter assigns the variable; the value is no longer converted through NumPy).",
    bad=(
        Bad("from tensorflow.keras import backend as K\nK.set_value(model.optimizer.lr, 0.5)  # error: KC531\n",
            fixed="from tensorflow.keras import backend as K\nmodel.optimizer.learning_rate = 0.5  # error: KC531\n",
            unsafe=True),
        Bad("import keras\nmodel.optimizer.lr = 0.5  # error: KC531\n",
            fixed="import keras\nmodel.optimizer.learning_rate = 0.5  # error: KC531\n"),
        Bad("import keras\n\nclass Halve(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n"
            "        old = float(self.model.optimizer.lr)  # error: KC531\n"
            "        self.model.optimizer.learning_rate = old / 2\n\n\n"
            "model.fit(x, y, epochs=1, verbose=0, callbacks=[Halve()])\n",
            fixed="import keras\n\nclass Halve(keras.callbacks.Callback):\n"
                  "    def on_epoch_end(self, epoch, logs=None):\n"
                  "        old = float(self.model.optimizer.learning_rate)  # error: KC531\n"
                  "        self.model.optimizer.learning_rate = old / 2\n\n\n"
                  "model.fit(x, y, epochs=1, verbose=0, callbacks=[Halve()])\n"),
        Bad("import tensorflow as tf\n"
            "tf.keras.backend.set_value(model.optimizer.learning_rate, 0.5)  # error: KC531\n",
            fixed="import tensorflow as tf\nmodel.optimizer.learning_rate = 0.5  # error: KC531\n", unsafe=True),
        Bad("import keras\nopt = keras.optimizers.SGD(1.0)\nmodel.compile(optimizer=opt, loss='mse')\n"
            "print(opt.lr.numpy())  # error: KC531\nmodel.optimizer.learning_rate = 0.5\n",
            fixed="import keras\nopt = keras.optimizers.SGD(1.0)\nmodel.compile(optimizer=opt, loss='mse')\n"
                  "print(opt.learning_rate.numpy())  # error: KC531\nmodel.optimizer.learning_rate = 0.5\n"),
    ),
    good=(
        "import keras\nmodel.optimizer.learning_rate = 0.5\n",
        "from tensorflow.keras import backend as K\nmodel.optimizer.learning_rate.assign(0.5)\n"
        "print(K.get_value(model.optimizer.learning_rate))\n",
        "import keras\n\nclass Halve(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n"
        "        old = float(self.model.optimizer.learning_rate)\n"
        "        self.model.optimizer.learning_rate = old / 2\n\n\n"
        "model.fit(x, y, epochs=1, verbose=0, callbacks=[Halve()])\n",
        "import keras\n\nclass Config:\n    lr = 0.5\n\n\ncfg = Config()\nmodel.optimizer.learning_rate = cfg.lr\n",
        "import keras\nopt = model.optimizer\nif hasattr(opt, 'lr'):\n    opt.lr = 0.5\nelse:\n"
        "    opt.learning_rate = 0.5\n",
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"AttributeError: '\w+' object has no attribute 'lr'|AttributeError: 'str' object has no attribute "
               r"'name'|AssertionError: the learning rate is",
        prelude="import numpy as np\nimport keras\ninp = keras.Input((3,))\n"
                "model = keras.Model(inp, keras.layers.Dense(1)(inp))\n"
                "model.compile(optimizer=keras.optimizers.Adam(1.0), loss='mse')\n"
                "x, y = np.ones((4, 3), 'float32'), np.ones((4, 1), 'float32')\n",
        check="rate = float(model.optimizer.learning_rate)\n"
              "assert abs(rate - 0.5) < 1e-6, f'the learning rate is {rate}, not 0.5'\n",
    ),
)
def optimizer_lr_attribute(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras:
        return
    from keras_compat.rules.surface import _guarded

    for attr in ctx.attributes:
        if attr.attr not in ("lr", "learning_rate") or not _optimizer_receiver(ctx, attr.value):
            continue
        if _guarded(ctx, attr):
            continue
        receiver = ctx.segment(attr.value)
        set_call = _set_value_call(ctx, attr) if isinstance(attr.ctx, ast.Load) else None
        if attr.attr == "learning_rate":
            if set_call is None:
                continue
            yield ctx.report("KC531", set_call, lambda: _statement_fix(ctx, set_call, attr.value),
                             expression=f"{ctx.segment(set_call.func)}({receiver}.learning_rate, ...)",
                             problem="the tf.keras shim's set_value cannot assign a Keras 3 variable "
                                     "(AttributeError)",
                             advice=f"{receiver}.learning_rate = value")
            continue
        if set_call is not None:
            yield ctx.report("KC531", set_call, lambda: _statement_fix(ctx, set_call, attr.value),
                             expression=f"{ctx.segment(set_call.func)}({receiver}.lr, ...)",
                             problem="Keras 3 optimizers have no lr attribute (AttributeError)",
                             advice=f"{receiver}.learning_rate = value")
            continue
        _, _, line, col = ctx.range(attr)
        fix = ctx.fix("Use learning_rate", [Edit(line, col - 2, line, col, "learning_rate")], safe=True)
        if isinstance(attr.ctx, ast.Store):
            problem = "Keras 3 optimizers have no lr: the assignment creates an unused attribute and training " \
                      "keeps the old learning rate"
        else:
            problem = "Keras 3 optimizers have no lr attribute (AttributeError)"
        yield ctx.report("KC531", attr, fix, expression=f"{receiver}.lr", problem=problem,
                         advice=f"{receiver}.learning_rate")


# -- KC532: backend functions the target's backend module lacks ----------------------------------------------

@lru_cache(maxsize=1)
def _backend_leaves() -> frozenset[str]:
    return frozenset(f.name for f in BACKEND_FUNCTIONS)


def _missing_fields(ctx: Context, use: BackendUse, module: str, callee: str, error: str) -> dict[str, str]:
    assert use.entry is not None
    text, caveat = replacement(use.entry, "keras3", use)
    return {"callee": callee, "module": module, "version": KERAS3_VERSION, "error": error, "replacement": text,
            "caveat": caveat}


def _reportable(ctx: Context, use: BackendUse | None) -> str | None:
    if use is None or use.entry is None or is_removed(use):
        return None  # KC302 reports the TF1 and multi-backend-only functions
    return absent_in_target(ctx, use)


@rule(
    code="KC532",
    symbol="missing-backend-function",
    severity=Severity.ERROR,
    message="{callee} does not exist in {module} of Keras {version} ({error}) -> use {replacement}{caveat}",
    summary="Backend function (called or passed) that the Keras 3 backend module it is read from lacks "
            "(Keras 3 target)",
    targets=_K3,
    fix=FixAvailability.SOMETIMES,
    what="With `keras-target = keras3`: finds backend functions that the backend module they are read from does "
         "not have in Keras 3, whether called (`K.mean(x)`), passed without a call (`Lambda(K.ones_like)`, "
         "`tf.map_fn(K.square, xs)`) or imported by name (`from keras.backend import concatenate`: the import "
         "and each call through it, since each needs its own rewrite). "
         "`keras.backend` keeps 14 configuration functions (`epsilon`, `floatx`, `image_data_format`, ...); the "
         "`tf.keras` shim of TensorFlow >= 2.16 (`tensorflow.keras.backend`) keeps most legacy functions but not "
         "all (`random_binomial`, `print_tensor`, `local_conv2d`, `normalize_batch_in_training`, `reset_uids`). "
         "TF1-only functions are KC302's, `in_train_phase`/`in_test_phase` in `call()` the training rules'.",
    why="The attribute access raises `AttributeError` (an import by name `ImportError`) as soon as the line runs, "
        "also when the function is only passed along. KC301/KC303 report the backend calls that still work "
        "through the `tf.keras` shim (a warning and a convention); this is the error for the ones that cannot.",
    fix_safety="Unsafe, for calls through the module (`K.mean(x)`): as KC301's keras3 rewrite to `keras.ops` "
               "(table `KERAS3_OPS_REWRITES`, each rewrite run next to the original in the tests). A function "
               "passed uncalled is rewritten only where `keras.ops` takes the same parameters with the same "
               "defaults (`Lambda(K.square)` -> `Lambda(keras.ops.square)`). No fix for imports by name.",
    bad=(
        Bad("import numpy as np\nimport keras.backend as K\nx = np.ones((2, 3), 'float32')\n"
            "y = K.mean(x, axis=1)  # error: KC532\n",
            fixed="import keras\nimport numpy as np\nimport keras.backend as K\nx = np.ones((2, 3), 'float32')\n"
                  "y = keras.ops.mean(x, axis=1)  # error: KC532\n", unsafe=True),
        Bad("from keras import backend as K, layers\nsquare = layers.Lambda(K.square)  # error: KC532\n",
            fixed="import keras\nfrom keras import backend as K, layers\n"
                  "square = layers.Lambda(keras.ops.square)  # error: KC532\n", unsafe=True),
        Bad("from tensorflow.keras import backend as K\nmask = K.random_binomial((2, 3), p=0.5)  # error: KC532\n"),
        Bad("from keras.backend import concatenate  # error: KC532\n"),
        Bad("import tensorflow as tf\nimport numpy as np\nfrom keras import backend\n"
            "y = tf.map_fn(backend.square, np.ones((2, 3), 'float32'))  # error: KC532\n",
            fixed="import keras\nimport tensorflow as tf\nimport numpy as np\nfrom keras import backend\n"
                  "y = tf.map_fn(keras.ops.square, np.ones((2, 3), 'float32'))  # error: KC532\n", unsafe=True),
    ),
    good=(
        "import tensorflow as tf\nfrom tensorflow.keras import backend as K\nx = tf.ones((2, 3))\n"
        "y = K.mean(x, axis=1)\n",
        "import numpy as np\nimport keras\ny = keras.ops.mean(np.ones((2, 3), 'float32'), axis=1)\n",
        "import keras.backend as K\neps = K.epsilon()\nfmt = K.image_data_format()\n",
        "from tensorflow.keras import backend as K, layers\nsquare = layers.Lambda(K.square)\n",
        Good("import tf_keras.backend as K\ny = K.mean([1.0, 2.0])\n", runs=False),
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"AttributeError: module '[\w.]+' has no attribute '(mean|square|random_binomial)'|"
               r"ImportError: cannot import name 'concatenate' from 'keras.backend'",
    ),
)
def missing_backend_function(ctx: Context) -> Iterator[Diagnostic]:
    from keras_compat.rules.training import claimed_calls

    by_import: set[str] = set()
    for record in ctx.imports:
        name = record.keras
        if name is None or record.alias.name == "*" or not isinstance(record.node, ast.ImportFrom) or \
                not name.path.startswith("backend.") or name.path.count(".") != 1 or record.guard.guarded:
            continue
        leaf = name.path[len("backend."):]
        use = BackendUse(leaf, record.qualname, backend_entry(leaf))
        module = _reportable(ctx, use)
        if module is None:
            continue
        by_import.add(record.alias.asname or record.alias.name)
        yield ctx.report("KC532", record.alias, None,
                         **_missing_fields(ctx, use, module, f"'{leaf}'", "ImportError"))
    calls = _backend_calls(ctx)
    claimed: set[int] | None = None
    for call, use in calls:
        module = _reportable(ctx, use)
        if module is None:
            continue
        if claimed is None:
            claimed = claimed_calls(ctx)
        if id(call) in claimed:
            continue
        if isinstance(call.func, ast.Attribute):
            error = "AttributeError"
        else:  # a name imported by name (reported at its import too) or through a star import
            error = "ImportError" if call.func.id in by_import else "NameError"
        yield ctx.report("KC532", call, lambda: ops_rewrite_fix(ctx, call, use.name),
                         **_missing_fields(ctx, use, module, ctx.segment(call.func) + "()", error))
    leaves = _backend_leaves()
    for attr in ctx.attributes:
        if attr.attr not in leaves or not isinstance(attr.ctx, ast.Load):
            continue
        parent = ctx.parent(attr)
        if isinstance(parent, ast.Call) and parent.func is attr or isinstance(parent, ast.Attribute):
            continue  # a call (above), or K.experimental.<x>
        use = backend_function(ctx, attr)
        module = _reportable(ctx, use)
        if module is None or in_legacy_branch(ctx, attr):
            continue
        assert use is not None
        yield ctx.report("KC532", attr, lambda: ops_reference_fix(ctx, attr, use.name),
                         **_missing_fields(ctx, use, module, ctx.segment(attr), "AttributeError"))


# -- KC533: backend variables in layers ----------------------------------------------------------------------

_VARIABLE_FUNCTIONS = frozenset({"variable", "zeros", "ones", "eye", "random_uniform_variable",
                                 "random_normal_variable"})
_FIXABLE_VARIABLES = {"zeros": "zeros", "ones": "ones"}


def _layer_method(ctx: Context, node: ast.AST) -> tuple[str, ast.FunctionDef | ast.AsyncFunctionDef] | None:
    found = classifier(ctx).enclosing(node)
    if found is None or not found[0].kind.is_layer:
        return None
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return found[0].name, ancestor
    return None


def _variable_creator(ctx: Context, call: ast.Call) -> str | None:
    """``K.zeros`` & co. through the tf.keras shim (``keras.backend`` lacks them: KC532), or a trainable
    ``tf.Variable`` (one built with ``trainable=False`` is a buffer that nothing trains: not saving it is the
    only change, and a buffer is usually recomputed from constants)."""
    use = backend_function(ctx, call.func)
    if use is not None:
        if use.name in _VARIABLE_FUNCTIONS and absent_in_target(ctx, use) is None:
            name = ctx.keras(call.func)
            if name is not None and name.flavour.value == "tensorflow.keras":
                return use.name
        return None
    if ctx.qualname(call.func) != "tensorflow.Variable":
        return None
    trainable = next((kw.value for kw in call.keywords if kw.arg == "trainable"), None)
    if isinstance(trainable, ast.Constant) and trainable.value is False:
        return None
    return "tf.Variable"


def untracked_variable_calls(ctx: Context) -> set[int]:
    """Ids of the calls KC533 reports (KC301 leaves them to it under keras3); computed once per context."""
    cached: set[int] | None = getattr(ctx, "_keras_untracked_variables", None)
    if cached is None:
        cached = {id(call) for call, _, _, _ in _untracked(ctx)}
        ctx._keras_untracked_variables = cached  # type: ignore[attr-defined]
    return cached


def _add_weight_fix(ctx: Context, call: ast.Call, creator: str, method: ast.AST) -> Fix | None:
    initializer = _FIXABLE_VARIABLES.get(creator)
    if initializer is None or getattr(method, "name", "") not in ("build", "__init__") or \
            len(call.args) != 1 or call.keywords or isinstance(call.args[0], ast.Starred):
        return None
    text = f"self.add_weight(shape={ctx.segment(call.args[0])}, initializer={initializer!r})"
    return ctx.fix("Create the weight with add_weight()", [ctx.replace(call, text)], safe=False)


@rule(
    code="KC533",
    symbol="untracked-layer-variable",
    severity=Severity.ERROR,
    message="{layer}: self.{attribute} = {callee}(...) creates a tf.Variable that Keras 3 does not track as a "
            "weight (never trained, not saved) -> {advice}",
    summary="Layer state created with K.variable/K.zeros/K.ones/tf.Variable instead of add_weight() "
            "(Keras 3 target)",
    targets=_K3,
    fix=FixAvailability.SOMETIMES,
    what="With `keras-target = keras3`: finds assignments `self.<name> = K.variable(...)` (also `K.zeros`, "
         "`K.ones`, `K.eye`, `K.random_uniform_variable`, `K.random_normal_variable` through the `tf.keras` "
         "shim, and `tf.Variable(...)` unless built with `trainable=False`) in the methods of custom layers and "
         "models.",
    why="These functions return a `tf.Variable`. tf.keras 2.x layers tracked every `tf.Variable` attribute as a "
        "weight; Keras 3 layers only track `keras.Variable`s (what `add_weight()` creates): the variable is not "
        "in `layer.trainable_weights`, so `fit()` never updates it and `save()` does not write it, silently.",
    fix_safety="Unsafe, in `build()`/`__init__` for `K.zeros(shape)`/`K.ones(shape)`: the call becomes "
               "`self.add_weight(shape=shape, initializer='zeros')` (trainable, as the tf.keras variable was). "
               "Unsafe because the weight's name and order in checkpoints change. No fix for other forms.",
    bad=(
        Bad("import numpy as np\nimport keras\nfrom tensorflow.keras import backend as K\n\n"
            "class Scale(keras.layers.Layer):\n    def build(self, input_shape):\n"
            "        self.w = K.ones((input_shape[-1],))  # error: KC533\n\n    def call(self, x):\n"
            "        return x * self.w\n\n\nlayer = Scale()\nlayer(np.ones((2, 3), 'float32'))\n",
            fixed="import numpy as np\nimport keras\nfrom tensorflow.keras import backend as K\n\n"
                  "class Scale(keras.layers.Layer):\n    def build(self, input_shape):\n"
                  "        self.w = self.add_weight(shape=(input_shape[-1],), initializer='ones')  # error: KC533\n\n"
                  "    def call(self, x):\n        return x * self.w\n\n\nlayer = Scale()\n"
                  "layer(np.ones((2, 3), 'float32'))\n", unsafe=True),
        Bad("import numpy as np\nimport tensorflow as tf\n\nclass Bias(tf.keras.layers.Layer):\n"
            "    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n"
            "        self.b = tf.keras.backend.variable(np.zeros(3))  # error: KC533\n\n    def call(self, x):\n"
            "        return x + self.b\n\n\nlayer = Bias()\nlayer(np.ones((2, 3), 'float32'))\n"),
        Bad("import numpy as np\nimport tensorflow as tf\nimport keras\n\nclass Gain(keras.layers.Layer):\n"
            "    def build(self, input_shape):\n        self.g = tf.Variable(1.0)  # error: KC533\n\n"
            "    def call(self, x):\n        return x * self.g\n\n\nlayer = Gain()\nlayer(np.ones((2, 3), 'float32'))\n"),
    ),
    good=(
        "import numpy as np\nimport keras\n\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n"
        "        self.w = self.add_weight(shape=(input_shape[-1],), initializer='ones')\n\n    def call(self, x):\n"
        "        return x * self.w\n\n\nlayer = Scale()\nlayer(np.ones((2, 3), 'float32'))\n",
        "import numpy as np\nimport tensorflow as tf\nimport keras\n\nclass Gain(keras.layers.Layer):\n"
        "    def build(self, input_shape):\n        self.g = keras.Variable(1.0)\n\n    def call(self, x):\n"
        "        return x * self.g\n\n\nlayer = Gain()\nlayer(np.ones((2, 3), 'float32'))\n",
        Good("import tensorflow as tf\nstep = tf.Variable(0)\n\nclass Counter:\n    def __init__(self):\n"
             "        self.n = tf.Variable(0)\n", runs=False),
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"AssertionError: the layer tracks no weights",
        check="assert layer.trainable_weights, 'the layer tracks no weights'\n",
    ),
)
def untracked_layer_variable(ctx: Context) -> Iterator[Diagnostic]:
    for value, target, creator, found in _untracked(ctx):
        layer, method = found
        if creator in _FIXABLE_VARIABLES:
            advice = f"self.add_weight(shape=..., initializer='{_FIXABLE_VARIABLES[creator]}') in build()"
        else:
            advice = "self.add_weight(shape=..., initializer=...) in build(), or a keras.Variable"
        yield ctx.report("KC533", value, lambda: _add_weight_fix(ctx, value, creator, method), layer=layer,
                         attribute=target.attr, callee=ctx.segment(value.func), advice=advice)


def _untracked(ctx: Context) -> Iterator[tuple[ast.Call, ast.Attribute, str, tuple]]:
    if ctx.settings.target != "keras3":
        return
    names = _VARIABLE_FUNCTIONS | {"Variable"}
    for value in ctx.calls:
        func = value.func
        leaf = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if leaf not in names:
            continue
        assign = ctx.parent(value)
        if not isinstance(assign, ast.Assign) or assign.value is not value or len(assign.targets) != 1:
            continue
        target = assign.targets[0]
        if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"):
            continue
        creator = _variable_creator(ctx, value)
        if creator is None or in_legacy_branch(ctx, assign):
            continue
        found = _layer_method(ctx, assign)
        if found is not None:
            yield value, target, creator, found


# -- KC534: K.set_value & co. on Keras 3 variables -----------------------------------------------------------

#: Backend functions that write a variable through its TensorFlow dtype (``x.dtype.name``,
#: ``x.dtype._is_ref_dtype``): a Keras 3 variable's dtype is a string, so they raise on every Keras variable.
_VARIABLE_UPDATES = {"set_value": "assign", "batch_set_value": None, "update": "assign", "update_add": "assign_add",
                     "update_sub": "assign_sub"}


def _variable_updates(ctx: Context) -> Iterator[tuple[ast.Call, BackendUse]]:
    if ctx.settings.target != "keras3":
        return
    for call, use in _backend_calls(ctx):
        if use.name not in _VARIABLE_UPDATES or absent_in_target(ctx, use) is not None:
            continue  # through keras.backend the function itself is missing: KC532
        name = keras_name(use.qualname)
        if name is None or name.flavour is not Flavour.TF_KERAS:
            continue
        if use.name == "set_value" and call.args and isinstance(call.args[0], ast.Attribute) and \
                call.args[0].attr in ("lr", "learning_rate") and _optimizer_receiver(ctx, call.args[0].value):
            continue  # KC531's
        yield call, use


def variable_update_calls(ctx: Context) -> set[int]:
    """Ids of the calls KC534 reports (KC303/KC301 leave them to it under keras3)."""
    cached: set[int] | None = getattr(ctx, "_keras_variable_updates", None)
    if cached is None:
        cached = {id(call) for call, _ in _variable_updates(ctx)}
        ctx._keras_variable_updates = cached  # type: ignore[attr-defined]
    return cached


def _assign_fix(ctx: Context, call: ast.Call, method: str | None, name: str) -> Fix | None:
    if method is None or len(call.args) != 2 or call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    if name == "set_value" and not isinstance(ctx.parent(call), ast.Expr):
        return None  # set_value returns None, assign() the variable
    variable = ctx.segment(call.args[0])
    if not isinstance(call.args[0], (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
        variable = f"({variable})"
    text = f"{variable}.{method}({ctx.segment(call.args[1])})"
    return ctx.fix(f"Call {method}() on the variable", [ctx.replace(call, text)], safe=False)


@rule(
    code="KC534",
    symbol="backend-variable-update",
    severity=Severity.ERROR,
    message="{callee}() cannot write a Keras 3 variable (AttributeError in the tf.keras shim) -> {advice}",
    summary="K.set_value/K.batch_set_value/K.update/K.update_add/K.update_sub through the tf.keras shim "
            "(Keras 3 target)",
    targets=_K3,
    fix=FixAvailability.SOMETIMES,
    what="With `keras-target = keras3`: finds calls of `K.set_value`, `K.batch_set_value`, `K.update`, "
         "`K.update_add` and `K.update_sub` through the `tf.keras` shim (`from tensorflow.keras import backend "
         "as K`): resetting metric variables (`K.batch_set_value([(v, 0) for v in self.variables])`), "
         "assigning weights, updating counters. Through `keras.backend` the functions do not exist at all "
         "(KC532); `K.set_value` on an optimizer's learning rate is KC531's.",
    why="The shim keeps these functions, but they read the variable's dtype as a TensorFlow dtype "
        "(`x.dtype.name`, `x.dtype._is_ref_dtype`), and a Keras 3 variable's dtype is a string: every call on a "
        "variable that Keras created (layer weights, metric and optimizer variables) raises `AttributeError: "
        "'str' object has no attribute ...`. The variable's own `assign()`/`assign_add()`/`assign_sub()` "
        "work in tf.keras 2.x and Keras 3 alike.",
    fix_safety="Unsafe: `K.set_value(v, x)` as a statement, `K.update(v, x)`, `K.update_add(v, x)`, "
               "`K.update_sub(v, x)` become `v.assign(x)`, `v.assign_add(x)`, `v.assign_sub(x)` (the value is "
               "no longer converted through NumPy to the variable's dtype first). No fix for `K.batch_set_value` "
               "(write a loop).",
    bad=(
        Bad("import keras\nfrom tensorflow.keras import backend as K\nm = keras.metrics.Mean()\n"
            "K.set_value(m.variables[0], 1.0)  # error: KC534\n",
            fixed="import keras\nfrom tensorflow.keras import backend as K\nm = keras.metrics.Mean()\n"
                  "m.variables[0].assign(1.0)  # error: KC534\n", unsafe=True),
        Bad("import keras\nfrom tensorflow.keras import backend as K\n\n"
            "class Total(keras.metrics.Metric):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n"
            "        self.total = self.add_variable(shape=(), initializer='zeros', name='total')\n\n"
            "    def update_state(self, x):\n        self.total.assign_add(keras.ops.sum(x))\n\n"
            "    def result(self):\n        return self.total\n\n    def reset_state(self):\n"
            "        K.batch_set_value([(v, 0) for v in self.variables])  # error: KC534\n\n\n"
            "t = Total()\nt.update_state(keras.ops.ones((3,)))\nt.reset_state()\n"),
        Bad("import tensorflow as tf\nimport keras\nlayer = keras.layers.Dense(2)\nlayer.build((None, 3))\n"
            "tf.keras.backend.update_add(layer.bias, 1.0)  # error: KC534\n",
            fixed="import tensorflow as tf\nimport keras\nlayer = keras.layers.Dense(2)\nlayer.build((None, 3))\n"
                  "layer.bias.assign_add(1.0)  # error: KC534\n", unsafe=True),
    ),
    good=(
        "import keras\nm = keras.metrics.Mean()\nm.variables[0].assign(1.0)\n",
        "import keras\n\nclass Total(keras.metrics.Metric):\n    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n        self.total = self.add_variable(shape=(), initializer='zeros', "
        "name='total')\n\n    def update_state(self, x):\n        self.total.assign_add(keras.ops.sum(x))\n\n"
        "    def result(self):\n        return self.total\n\n    def reset_state(self):\n"
        "        for v in self.variables:\n            v.assign(0)\n\n\n"
        "t = Total()\nt.update_state(keras.ops.ones((3,)))\nt.reset_state()\n",
        "from tensorflow.keras import backend as K\nimport keras\nm = keras.metrics.Mean()\n"
        "print(K.get_value(m.variables[0]))\n",
    ),
    execution=Execution(
        runtimes=_K3,
        expect=r"AttributeError: 'str' object has no attribute '(name|_is_ref_dtype)'",
    ),
)
def backend_variable_update(ctx: Context) -> Iterator[Diagnostic]:
    for call, use in _variable_updates(ctx):
        method = _VARIABLE_UPDATES[use.name]
        if method is None:
            advice = "a loop: for variable, value in pairs: variable.assign(value)"
        else:
            first = ctx.segment(call.args[0]) if call.args else "variable"
            advice = f"{first}.{method}(...)"
        yield ctx.report("KC534", call, lambda: _assign_fix(ctx, call, method, use.name),
                         callee=ctx.segment(call.func), advice=advice)
