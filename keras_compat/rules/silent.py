"""Silent changes (KC210-KC212): Keras 1/2 code that still runs on tf.keras or Keras 3 but trains differently.

* KC210: constructor defaults that multi-backend Keras had and the targets changed (the generated table
  ``keras_compat/data/defaults.py``), and ``compile(optimizer='adadelta')``, which takes the same default;
* KC211: the metric strings Keras 2.0 removed (``compile(metrics=['precision', 'fmeasure'])``);
* KC212: the Keras 1 ``get_updates(params, constraints, loss)`` signature.

KC210 reports only in modules written for standalone Keras (:mod:`keras_compat.era`): code written for
tf.keras or Keras 3 relies on their defaults, and that is not a finding.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from keras_compat import knowledge
from keras_compat.context import Context
from keras_compat.diagnostics import Diagnostic, Edit, Fix
from keras_compat.names import Flavour
from keras_compat.registry import Bad, Execution, FixAvailability, Good, Severity, Words, rule
from keras_compat.rules.training import def_name_range

_TARGET_NAMES = {"tf-keras": "tf.keras", "keras3": "Keras 3"}


@lru_cache(maxsize=1)
def _changed_defaults() -> dict[str, tuple]:
    """Flavour-free callable path -> its ``ChangedDefault`` entries (lower-case optimizer aliases included)."""
    from keras_compat.data.defaults import CHANGED_DEFAULTS
    from keras_compat.data.legacy import LEGACY_OPTIMIZER_ALIASES

    out: dict[str, tuple] = {}
    for entry in CHANGED_DEFAULTS:
        out[entry.callable] = (*out.get(entry.callable, ()), entry)
    for alias, path in LEGACY_OPTIMIZER_ALIASES.items():
        if path in out:
            out[alias] = out[path]
    return out


@lru_cache(maxsize=1)
def _optimizer_strings() -> dict[str, object]:
    """``compile(optimizer=...)`` string (lower case) -> the learning-rate entry of the class it selected."""
    from keras_compat.data.defaults import CHANGED_DEFAULTS

    return {identifier: entry for entry in CHANGED_DEFAULTS for identifier in entry.identifiers}


def written_for_standalone_keras(ctx: Context, era_evidence: bool) -> bool:
    """Whether the module's code was written for multi-backend Keras: it imports standalone ``keras``, no other
    Keras flavour, and (under ``keras3``, or when ``era_evidence`` is asked for) shows Keras 1/2 era code."""
    from keras_compat.era import module_era  # loaded when a rule first asks

    era = module_era(ctx)
    if era.modern:
        return False
    if not any(r.keras is not None and r.keras.flavour is Flavour.KERAS for r in ctx.imports):
        return False
    return era.legacy or (not era_evidence and ctx.settings.target == "tf-keras")


def _explicit(call: ast.Call, entry) -> bool | None:
    """Whether the call passes the parameter (None: cannot tell, ``*args``/``**kwargs``)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(kw.arg is None for kw in call.keywords):
        return None
    names = (entry.parameter, *entry.aliases)
    return len(call.args) > entry.position or any(kw.arg in names for kw in call.keywords)


def append_keyword(ctx: Context, call: ast.Call, text: str) -> Edit:
    """Insert ``text`` (``name=value``) as the call's last argument."""
    items = [*call.args, *call.keywords]
    if items:
        last = max(items, key=lambda n: ctx.range(n)[2:])
        _, _, line, col = ctx.range(last)
        return Edit(line, col, line, col, f", {text}")
    _, _, line, col = ctx.range(call)
    return Edit(line, col - 1, line, col - 1, text)


def _is_zero(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and not isinstance(node.value, bool) and node.value == 0


def _note(entry, target: str) -> str:
    if entry.legacy == "'hard_sigmoid'" and target == "keras3":
        return " (Keras 3's hard_sigmoid is relu6(x + 3) / 6, not multi-backend Keras' 0.2 * x + 0.5: close, " \
               "not identical)"
    return ""


def _check_source() -> str:
    """The execution check of KC210: every object the example made must have the multi-backend default."""
    from keras_compat.data.defaults import CHANGED_DEFAULTS

    # the defaults are source text of literals: written into the check as they are (evaluating them here
    # would parse eleven snippets at every start, for the tests' sake)
    legacy = ", ".join(f"{(e.callable.rsplit('.', 1)[-1], e.parameter)!r}: {e.legacy}" for e in CHANGED_DEFAULTS)
    return ("import numpy as _np\n"
            f"_LEGACY = {{{legacy}}}\n"
            "for _obj in list(globals().values()):\n"
            "    for (_cls, _param), _want in _LEGACY.items():\n"
            "        if type(_obj).__name__ != _cls:\n"
            "            continue\n"
            "        _got = getattr(_obj, _param)\n"
            "        _got = float(_np.asarray(_got)) if _param == 'learning_rate' else "
            "getattr(_got, '__name__', _got)\n"
            "        assert _got == _want or isinstance(_want, float) and abs(_got - _want) < 1e-6, "
            "f'{_cls}.{_param} is {_got!r}, multi-backend Keras had {_want!r}'\n")


@rule(
    code="KC210",
    symbol="changed-keras-default",
    severity=Severity.WARNING,
    message="{callee}: {parameter} defaults to {modern} in {target}, multi-backend Keras used {legacy} -> {advice}",
    summary="A default that multi-backend Keras had and tf.keras / Keras 3 changed (recurrent activation, "
            "GRU reset_after, learning rates)",
    fix=FixAvailability.SOMETIMES,
    what="In modules written for standalone multi-backend Keras (they import `keras`, no other Keras flavour, "
         "and under `keras-target = keras3` show Keras 1/2 era code), finds constructor calls that rely on a "
         "default the target changed: `LSTM`/`GRU`/`LSTMCell`/`GRUCell(recurrent_activation=)` (`'hard_sigmoid'` "
         "up to Keras 2.2.5, `'sigmoid'` since Keras 2.3.0, tf.keras and Keras 3: reported only with Keras 1/2 "
         "era evidence), `GRU`/`GRUCell(reset_after=)` (`False` in every multi-backend release, `True` in tf.keras "
         "and Keras 3), `ConvLSTM2D(recurrent_activation=)` (Keras 3 only), the learning rates of `Adagrad` "
         "(0.01), `Adadelta` (1.0), `Adamax` and `Nadam` (0.002; 0.001 in tf.keras and Keras 3), and "
         "`compile(optimizer='adadelta')` and the other optimizer names, which use the same default. The table "
         "is generated from the real signatures (`scripts/generate_changed_defaults.py`). A call that passes the "
         "argument (by keyword, by its Keras 1 name, or by position) is not reported.",
    why="The program runs and trains, differently: the recurrent gates use another activation (weights "
        "trained with `hard_sigmoid` give other predictions), a GRU with `reset_after=True` has another "
        "architecture and twice the recurrent biases (old weights do not load), and a learning rate ten to a "
        "thousand times smaller barely trains (Adadelta: 0.001 instead of 1.0).",
    fix_safety="Unsafe: the fix writes the multi-backend default explicitly (`LSTM(32, "
               "recurrent_activation='hard_sigmoid')`, `Adadelta(learning_rate=1.0)`), which keeps the old "
               "behaviour; a migration may prefer the new default (the cuDNN kernels of tf.keras and Keras 3 need "
               "`recurrent_activation='sigmoid'` and `reset_after=True`). Under `keras-target = keras3`, "
               "`'hard_sigmoid'` is Keras 3's own (slope 1/6, not 0.2). No fix for an optimizer given by name.",
    bad=(
        Bad("from keras.layers.recurrent import LSTM\nlayer = LSTM(32)  # error: KC210\n",
            fixed="from keras.layers.recurrent import LSTM\nlayer = LSTM(32, recurrent_activation='hard_sigmoid')  "
                  "# error: KC210\n", unsafe=True, runs=False),
        Bad("import keras.layers as KL\nfrom keras.layers import Convolution2D\nconv = Convolution2D(8, (3, 3))\n"
            "gru = KL.GRU(16, return_sequences=True)  # error: KC210, KC210\n",
            fixed="import keras.layers as KL\nfrom keras.layers import Convolution2D\nconv = Convolution2D(8, (3, 3))\n"
                  "gru = KL.GRU(16, return_sequences=True, recurrent_activation='hard_sigmoid', reset_after=False)  "
                  "# error: KC210, KC210\n", unsafe=True),
        Bad("from keras.optimizers import Adadelta\nopt = Adadelta()  # error: KC210\n",
            fixed="from keras.optimizers import Adadelta\nopt = Adadelta(learning_rate=1.0)  # error: KC210\n",
            unsafe=True, targets=("tf-keras",)),
        Bad("from keras import optimizers\nfrom keras.layers import Convolution2D\nconv = Convolution2D(8, (3, 3))\n"
            "opt = optimizers.Nadam(beta_1=0.9)  # error: KC210\n",
            fixed="from keras import optimizers\nfrom keras.layers import Convolution2D\n"
                  "conv = Convolution2D(8, (3, 3))\nopt = optimizers.Nadam(beta_1=0.9, learning_rate=0.002)  "
                  "# error: KC210\n", unsafe=True),
        Bad("from keras.models import Sequential\nmodel = Sequential()\n"
            "model.compile(optimizer='adagrad', loss='mse')  # error: KC210\n", targets=("tf-keras",), runs=False),
        Bad("from keras.layers import ConvLSTM2D, Convolution2D\nconv = Convolution2D(8, (3, 3))\n"
            "rnn = ConvLSTM2D(8, (3, 3))  # error: KC210\n", targets=("keras3",)),
    ),
    good=(
        "from keras.layers import LSTM\nlayer = LSTM(32, recurrent_activation='hard_sigmoid')\n",
        Good("from tensorflow.keras.layers import LSTM, GRU\nlayer = LSTM(32)\ngru = GRU(8)\n", runs=False),
        Good("import keras\nlayer = keras.layers.LSTM(32)\nopt = keras.optimizers.Adadelta()\n", targets=("keras3",),
             runs=False),
        "from keras.optimizers import Adadelta\nopt = Adadelta(1.0)\n",
        Good("from keras.optimizers import Adadelta\nfrom keras.layers import GRU\nopt = Adadelta(lr=1.0)\n"
             "gru = GRU(8, recurrent_activation='hard_sigmoid', reset_after=False)\n", runs=False),  # lr: see KC205
        # tf-keras kept ConvLSTM2D's hard_sigmoid (not run: the test runtime's `import keras` is Keras 3)
        Good("from keras.layers import ConvLSTM2D\nrnn = ConvLSTM2D(8, (3, 3))\n", targets=("tf-keras",), runs=False),
        Good("try:\n    from tensorflow.keras.layers import GRU\nexcept ImportError:\n    from keras.layers import GRU\n"
             "gru = GRU(8)\n", runs=False),
    ),
    execution=Execution(
        runtimes=("keras3", "tf-keras"),
        expect=r"AssertionError: \w+\.\w+ is .*, multi-backend Keras had",
        check=_check_source,  # made when the tests ask: it reads the defaults table
    ),
)
def changed_default(ctx: Context) -> Iterator[Diagnostic]:
    table = _changed_defaults()
    target = ctx.settings.target
    for call, name in ctx.keras_calls:
        entries = table.get(name.path)
        if entries is None or name.flavour is not Flavour.KERAS:
            continue
        if ctx.in_compat_branch(call):
            continue
        missing = []
        for entry in entries:
            modern = entry.modern(target)
            if ast.literal_eval(modern) == ast.literal_eval(entry.legacy):
                continue
            if not written_for_standalone_keras(ctx, era_evidence=bool(entry.changed_in)):
                continue
            if _explicit(call, entry) is False:
                missing.append((entry, modern))
        written = ", ".join(f"{entry.parameter}={entry.legacy}" for entry, _ in missing)
        scheduled = any(kw.arg == "decay" and not _is_zero(kw.value) for kw in call.keywords)
        for index, (entry, modern) in enumerate(missing):
            fix = None
            if index == 0 and not scheduled:  # one fix writes every missing default of the call (with a decay,
                # KC205's fix writes the learning rate, into a schedule)
                fix = ctx.fix(f"Write the multi-backend default{'s' if len(missing) > 1 else ''} explicitly: "
                              f"{written}{_note(entry, target)}", [append_keyword(ctx, call, written)], safe=False)
            yield ctx.report("KC210", call.func, fix, callee=name.leaf, parameter=entry.parameter, modern=modern,
                             target=_TARGET_NAMES[target], legacy=entry.legacy,
                             advice=f"pass {entry.parameter}={entry.legacy} to keep the old behaviour"
                                    + _note(entry, target))
    yield from _optimizer_names(ctx)


def _optimizer_names(ctx: Context) -> Iterator[Diagnostic]:
    """``compile(optimizer='adadelta')``: the string builds the optimizer with the target's default."""
    strings = _optimizer_strings()
    target = ctx.settings.target
    for call in ctx.method_calls("compile"):
        value = next((kw.value for kw in call.keywords if kw.arg == "optimizer"), None)
        if value is None and call.args:
            value = call.args[0]
        if not isinstance(value, ast.Constant) or not isinstance(value.value, str):
            continue
        entry = strings.get(value.value.lower())
        if entry is None or ctx.in_compat_branch(call):
            continue
        modern = entry.modern(target)
        if ast.literal_eval(modern) == ast.literal_eval(entry.legacy) or \
                not written_for_standalone_keras(ctx, era_evidence=bool(entry.changed_in)):
            continue
        leaf = entry.callable.rsplit(".", 1)[-1]
        yield ctx.report("KC210", value, None, callee=f"compile(optimizer={ctx.segment(value)})",
                         parameter=entry.parameter, modern=modern, target=_TARGET_NAMES[target], legacy=entry.legacy,
                         advice=f"optimizer={leaf}({entry.parameter}={entry.legacy}) to keep the old behaviour")


# -- KC211: metric strings removed in Keras 2.0 -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _removed_metrics() -> Mapping[str, Any]:
    """Keras 1 metric name -> its ``ClassRename`` entry (``metrics.fmeasure``: the table KC203 uses for the
    functions, checked against Keras 1.2.2 and 2.0.0 by tests/test_tables.py). The names come from the table's
    keys; its entries are built when a string is one of them (:class:`keras_compat.knowledge.Known`)."""
    renames = knowledge.class_renames()
    paths = {old.rsplit(".", 1)[-1]: old for old in renames
             if old.startswith("metrics.") and old.rsplit(".", 1)[-1].islower()}
    return knowledge.Known(paths, lambda: {name: renames[old] for name, old in paths.items()})


#: The method whose ``metrics=`` KC211 reads, and the one KC212 looks for (called or defined).
_COMPILE = "compile"
_GET_UPDATES = "get_updates"

#: Strings that Keras 3 resolves to its own stateful metric class (keras 3.15.1 keras/src/metrics/__init__.py: the
#: snake-case class names): there the Keras 1 string still runs, with another meaning.
_KERAS3_RESOLVES = frozenset({"precision", "recall"})


def _metric_strings(node: ast.AST) -> Iterator[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, (ast.List, ast.Tuple)):
        for item in node.elts:
            yield from _metric_strings(item)
    elif isinstance(node, ast.Dict):
        for item in node.values:
            yield from _metric_strings(item)


@rule(
    code="KC211",
    symbol="removed-metric-string",
    severity=Severity.ERROR,
    message="metric '{name}' {change} -> {advice}",
    summary="A metric string that Keras 2.0 removed ('precision', 'recall', 'fmeasure', ...) in compile(metrics=)",
    fix=FixAvailability.SOMETIMES,
    what="Finds the Keras 1 batch-wise metric names `'precision'`, `'recall'`, `'fbeta_score'`, `'fmeasure'`, "
         "`'fscore'`, `'f1score'` and `'matthews_correlation'` (keras 1.2.2 keras/metrics.py, absent from "
         "Keras 2.0.0) in `compile(metrics=...)` (lists, tuples and per-output dicts), in modules that use Keras. "
         "Under `keras-target = keras3`, `'precision'` and `'recall'` are reported only in modules written for "
         "standalone Keras with Keras 1/2 era evidence: Keras 3 code may mean its own metrics by them.",
    why="tf.keras fails in the first training step (`TypeError: 'str' object is not callable`), Keras 3 at "
        "`compile`/`fit` (`ValueError: Could not interpret metric identifier`), except for `'precision'` and "
        "`'recall'`: Keras 3 silently resolves them to its stateful `Precision()`/`Recall()` metrics, which "
        "count over the whole epoch where Keras 1 averaged per-batch values.",
    fix_safety="Unsafe under `keras-target = tf-keras`: `'precision'` -> `'Precision'`, `'recall'` -> `'Recall'` "
               "(the stateful metric classes, which tf.keras and Keras 3 accept by name); the values are computed "
               "over the epoch, not averaged per batch. No fix for the others (`metrics.F1Score`/`FBetaScore` "
               "need one-hot targets and a threshold; `matthews_correlation` has no replacement), nor under "
               "`keras3` (the string already runs there).",
    bad=(
        Bad("from keras.models import Sequential\nmodel = Sequential()\n"
            "model.compile(loss='binary_crossentropy', optimizer='sgd',\n"
            "              metrics=['accuracy', 'precision', 'recall'])  # error: KC211, KC211\n",
            fixed="from keras.models import Sequential\nmodel = Sequential()\n"
                  "model.compile(loss='binary_crossentropy', optimizer='sgd',\n"
                  "              metrics=['accuracy', 'Precision', 'Recall'])  # error: KC211, KC211\n",
            unsafe=True, targets=("tf-keras",), runs=False),
        Bad("import tensorflow as tf\n"
            "model = tf.keras.Sequential([tf.keras.Input((1,)), tf.keras.layers.Dense(1, activation='sigmoid')])\n"
            "model.compile('sgd', 'binary_crossentropy', metrics=['fmeasure'])  # error: KC211\n"),
        Bad("import keras\nfrom keras.layers import Convolution2D, Dense\nconv = Convolution2D(8, (3, 3))\n"
            "model = keras.Sequential([keras.Input((1,)), Dense(1, activation='sigmoid')])\n"
            "model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['precision'])  # error: KC211\n",
            targets=("keras3",)),
    ),
    good=(
        "import tensorflow as tf\n"
        "model = tf.keras.Sequential([tf.keras.Input((1,)), tf.keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile('sgd', 'binary_crossentropy', metrics=['accuracy', tf.keras.metrics.Precision(name='prec')])\n",
        Good("import keras\nmodel = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])\n"
             "model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['precision'])\n", targets=("keras3",),
             runs=False),  # Keras 3 code that means Keras 3's Precision (the check cannot tell)
        Good("precision = 'precision'\nreport = {'metrics': ['precision', 'recall']}\n", runs=False),
    ),
    execution=Execution(
        runtimes=("keras3", "tf-keras"),
        expect=r"TypeError: .*'str' object is not callable|ValueError: Could not interpret metric identifier|"
               r"AssertionError: Keras 3 resolved",
        prelude="import numpy as np\n_x = np.ones((4, 1), 'float32')\n",
        check="model.fit(_x, _x, verbose=0)\n"
              "for _m in [m for c in model.metrics for m in [c, *getattr(c, 'metrics', [])]]:\n"
              "    assert type(_m).__name__ not in ('Precision', 'Recall') or _m.name not in ('precision', 'recall'), "
              "f'Keras 3 resolved the Keras 1 metric string to its stateful {type(_m).__name__}()'\n",
    ),
    needs=Words(attributes=(_COMPILE,)),
)
def removed_metric_string(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras:
        return
    removed = _removed_metrics()
    keras3 = ctx.settings.target == "keras3"
    for call in ctx.method_calls(_COMPILE):
        value = next((kw.value for kw in call.keywords if kw.arg == "metrics"), None)
        if value is None and len(call.args) >= 3:
            value = call.args[2]  # compile(optimizer, loss, metrics)
        if value is None or ctx.in_compat_branch(call):
            continue
        for node in _metric_strings(value):
            entry = removed.get(node.value)
            if entry is None:
                continue
            if keras3 and node.value in _KERAS3_RESOLVES:
                if not written_for_standalone_keras(ctx, era_evidence=True):
                    continue
                change = "was removed in Keras 2.0.0 and Keras 3 silently reads it as its stateful " \
                         f"{entry.new.rsplit('.', 1)[-1]}() metric"
                advice = f"keras.metrics.{entry.new.rsplit('.', 1)[-1]}() says so; Keras 1 averaged per-batch values"
                yield ctx.report("KC211", node, None, name=node.value, change=change, advice=advice)
                continue
            fix: Fix | None = None
            new = entry.new.rsplit(".", 1)[-1] if entry.new else None
            if node.value in _KERAS3_RESOLVES and new:
                quote = ctx.segment(node)[0]
                fix = ctx.fix(f"Use the stateful {new} metric (computed over the epoch, not per batch)",
                              [ctx.replace(node, f"{quote}{new}{quote}")], safe=False)
                advice = f"'{new}' ({entry.note})"
            elif new:
                advice = f"keras.metrics.{new}() ({entry.note})"
            else:
                advice = entry.note
            yield ctx.report("KC211", node, fix, name=node.value, change="was removed in Keras 2.0.0", advice=advice)


# -- KC212: get_updates(params, constraints, loss) ---------------------------------------------------------------


@rule(
    code="KC212",
    symbol="legacy-get-updates",
    severity=Severity.ERROR,
    message="{what} -> {advice}",
    summary="Keras 1 optimizer signature get_updates(params, constraints, loss)",
    what="Finds the Keras 1 optimizer signature in modules that use Keras: calls `optimizer.get_updates(params, "
         "constraints, loss)` (three positional arguments, or a `constraints=` keyword) and custom optimizers "
         "that define `def get_updates(self, params, constraints, loss)`, with their constructor's "
         "`super().__init__(**kwargs)`, which the new Optimizer constructors reject (where the ported program "
         "fails first).",
    why="Keras 2.0 changed the signature to `get_updates(loss, params)` (constraints moved to the weights; "
        "keras 2.2.4 keras/legacy/interfaces.py get_updates_arg_preprocessing still converted the old call "
        "order). A Keras 1 override is called by Keras 2 with `loss=` and `params=` keywords and fails. "
        "The optimizers of tf.keras (TF >= 2.11) and Keras 3 have no `get_updates` at all (`AttributeError`): "
        "a custom optimizer implements `update_step`, a training loop calls `apply_gradients`.",
    fix_safety="No automatic fix: the replacement is a rewrite of the optimizer or of the training step.",
    bad=(
        Bad("from keras import backend as K\nupdates = optimizer.get_updates(params, constraints, loss)  "
            "# error: KC212\n"),
        Bad("from keras.optimizers import Optimizer\n\nclass MySGD(Optimizer):\n"
            "    def get_updates(self, params, constraints, loss):  # error: KC212\n        return []\n",
            runs=False),  # a definition: fails only when Keras 2 calls it
        Bad("from keras.optimizers import Optimizer\n\nclass PlainSGD(Optimizer):\n"
            "    def __init__(self, lr=0.01, **kwargs):\n"
            "        super(PlainSGD, self).__init__(**kwargs)  # error: KC212\n        self.lr = lr\n\n"
            "    def get_updates(self, params, constraints, loss):  # error: KC212\n        return []\n",
            runs=False),  # the constructor's TypeError is checked by the migration harness (keras1_custom_optimizer)
        Bad("import tensorflow as tf\nopt = tf.keras.optimizers.SGD()\n"
            "updates = opt.get_updates(model.trainable_weights, [], model.total_loss)  # error: KC212\n"),
    ),
    good=(
        "from keras.optimizers import Optimizer\n\nclass MySGD(Optimizer):\n"
        "    def get_updates(self, loss, params):\n        return []\n",
        Good("from keras import backend as K\nupdates = optimizer.get_updates(loss, params)\n", runs=False),
        Good("updates = solver.get_updates(params, constraints, loss)\n", runs=False),
    ),
    execution=Execution(
        runtimes=("keras3", "tf-keras"),
        expect=r"AttributeError: .*has no attribute 'get_updates'",
        prelude="import tensorflow as tf\noptimizer = tf.keras.optimizers.SGD()\nparams, constraints, loss = [], {}, 0.0\n"
                "\n\nclass _Model:\n    trainable_weights, total_loss = [], 0.0\n\n\nmodel = _Model()\n",
    ),
    needs=Words(defs=(_GET_UPDATES,), attributes=(_GET_UPDATES,)),
)
def legacy_get_updates(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras:
        return
    advice = "get_updates(loss, params) in multi-backend Keras 2; in tf.keras and Keras 3 optimizer.apply_gradients(" \
             "zip(grads, params)) (a custom optimizer implements update_step)"
    for call in ctx.method_calls(_GET_UPDATES):
        keywords = {kw.arg for kw in call.keywords}
        if (len(call.args) == 3 and not any(isinstance(a, ast.Starred) for a in call.args)) or "constraints" in keywords:
            if ctx.in_compat_branch(call) or _resolves_elsewhere(ctx, call.func):
                continue
            yield ctx.report("KC212", call.func, None,
                             what="get_updates(params, constraints, loss) is the Keras 1 signature", advice=advice)
    for node in ctx.functions:
        if node.name != _GET_UPDATES:
            continue
        params = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
        if params[1:2] == ["params"] and "constraints" in params:
            yield ctx.report("KC212", def_name_range(ctx, node), None,
                             what="a Keras 1 get_updates(self, params, constraints, loss) override (Keras 2 calls "
                                  "get_updates(loss=..., params=...))", advice=advice)
            init = _base_init_call(ctx, node)
            if init is not None:  # where the ported program fails first: the new base constructor
                yield ctx.report("KC212", init.func, None,
                                 what="the constructor of a Keras 1 optimizer subclass: Optimizer.__init__ requires "
                                      "name= in tf.keras (TF >= 2.11) and learning_rate= in Keras 3 (TypeError)",
                                 advice="port the class to the new Optimizer API (build() and update_step())")


def _base_init_call(ctx: Context, method: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.Call | None:
    """``super().__init__(...)`` in the ``__init__`` of the class that defines ``method``, when it passes neither
    ``name`` nor ``learning_rate`` (a Keras 1 optimizer's constructor: ``**kwargs`` at most)."""
    cls = ctx.parent(method)
    if not isinstance(cls, ast.ClassDef):
        return None
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "__init__":
            for node in ast.walk(stmt):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "__init__"
                        and isinstance(node.func.value, ast.Call) and isinstance(node.func.value.func, ast.Name)
                        and node.func.value.func.id == "super" and not node.args
                        and not {kw.arg for kw in node.keywords} & {"name", "learning_rate"}):
                    return node
    return None


def _resolves_elsewhere(ctx: Context, func: ast.Attribute) -> bool:
    """The receiver is a module-level name of another library (``np.get_updates`` style)."""
    return ctx.qualname(func.value) is not None and ctx.keras(func.value) is None
