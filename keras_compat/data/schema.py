"""Entry types of the knowledge tables.

Tables are plain data: every entry says what changed, in which Keras/TensorFlow version, and where that
fact was read (``source``). Rules interpret entries; tables never contain logic.

API paths in tables are *flavour-free*: ``layers.Conv2D`` means ``keras.layers.Conv2D``,
``tensorflow.keras.layers.Conv2D``, ``tf_keras.layers.Conv2D`` ... alike (see ``keras_compat.names``).
Top-level names are written without a module (``Model``, ``Sequential``, ``Input``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from keras_compat.record import Choice, Record, factory


def built_on_first_use(namespace: dict[str, Any], **builders: Callable[[], object]) -> Callable[[str], object]:
    """A table module's ``__getattr__`` (PEP 562) that builds each of ``builders``' tables the first time it is
    read and keeps it as a module global, so that a module importing the table module for its small facts
    (or a rule that consults the table only for some files) does not pay for building every entry: a
    record costs about 20,000 instructions to make, and flake8 imports the tables on every run."""
    def __getattr__(name: str) -> object:
        build = builders.get(name)
        if build is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = namespace[name] = build()
        return value

    return __getattr__


class Rewrite(Choice):
    """How mechanical a backend rewrite is (the fact base's rewrite codes)."""

    KEEP = "keep"  # still exists with the same meaning: not a finding
    SAFE = "safe"  # 1:1 rewrite, same arguments
    CAUTION = "caution"  # mechanical only with defaults materialised: message, no fix
    MANUAL = "manual"  # semantics differ: message, no fix
    TF1 = "tf1"  # graph/session/learning-phase concept: removed-backend-function


class ArgRename(Record):
    """A keyword argument renamed (or removed) since Keras 1 (KC201).

    ``values`` maps old literal values to the new argument's source text; when an entry has a value map,
    only listed values are fixable (``dim_ordering='th'`` -> ``data_format="channels_first"``).
    ``fixable`` is False where the meaning changed (samples -> steps); ``note`` then says how.
    """

    callables: tuple[str, ...]
    old: str
    new: str | None
    since: str
    source: str
    values: tuple[tuple[object, str], ...] = ()
    fixable: bool = True
    note: str = ""
    methods: tuple[str, ...] = ()  # method names matched on any receiver (``fit``), module must use Keras
    # For a removed argument (``new`` None): deleting it is a fix, "safe" when the target computes what the
    # old library did with it (``BatchNormalization(mode=0)``), "unsafe" when it reproduces Keras 2's
    # converter but loses what Keras 1 did (``Embedding(dropout=)``); limited to ``removable_values`` if set.
    removable: str = ""
    removable_values: tuple[object, ...] = ()
    also: tuple[str, ...] = ()  # further keywords that receive the same value (SeparableConv2D init=)

    def __init__(self, callables: tuple[str, ...], old: str, new: str | None, since: str, source: str,
                 values: tuple[tuple[object, str], ...] = (), fixable: bool = True, note: str = "",
                 methods: tuple[str, ...] = (), removable: str = "", removable_values: tuple[object, ...] = (),
                 also: tuple[str, ...] = ()) -> None:
        # Written out (as Bad.__init__): half the generic one's cost, for a record made by the hundred at every
        # start. tests/test_record.py checks it takes exactly the fields.
        attrs = self.__dict__
        attrs["callables"], attrs["old"], attrs["new"], attrs["since"] = \
            callables, old, new, since
        attrs["source"], attrs["values"], attrs["fixable"], attrs["note"] = \
            source, values, fixable, note
        attrs["methods"], attrs["removable"], attrs["removable_values"], attrs["also"] = \
            methods, removable, removable_values, also


class KernelConversion(Record):
    """Keras 1 positional/keyword kernel dimensions folded into ``kernel_size`` (KC202)."""

    callables: tuple[str, ...]
    dims: int  # 2: (nb_row, nb_col); 3: (kernel_dim1..3)
    dim_keywords: tuple[str, ...]  # Keras 1 keyword names of the kernel dimensions, in order
    since: str
    source: str


class ClassRename(Record):
    """A Keras 1 class or function name renamed or removed (KC203).

    ``new`` is the flavour-free replacement path, or None when there is no drop-in replacement
    (``note`` then says what to write). ``fixable`` means replacing the name is a drop-in change.
    """

    old: str
    new: str | None
    since: str
    removed_in: str
    source: str
    fixable: bool = False
    note: str = ""

    def __init__(self, old: str, new: str | None, since: str, removed_in: str, source: str, fixable: bool = False,
                 note: str = "") -> None:
        # Written out (as Bad.__init__): half the generic one's cost, for a record made by the hundred at every
        # start. tests/test_record.py checks it takes exactly the fields.
        attrs = self.__dict__
        attrs["old"], attrs["new"], attrs["since"], attrs["removed_in"] = \
            old, new, since, removed_in
        attrs["source"], attrs["fixable"], attrs["note"] = \
            source, fixable, note


class MergeMode(Record):
    """``Merge(mode=...)`` / ``merge(mode=...)`` replacement per mode (KC203)."""

    mode: str
    layer: str  # flavour-free layer path, e.g. "layers.Concatenate"
    function: str  # flavour-free function path, e.g. "layers.concatenate"
    arguments: tuple[tuple[str, str], ...] = ()  # Keras 1 keyword -> Keras 2 keyword (concat_axis -> axis)
    note: str = ""


class ModuleMove(Record):
    """An internal, moved or removed module path (KC103).

    ``old`` is a flavour-free module path prefix (``engine.topology``); ``new`` the public module that
    exports its names (``layers``) or None when the module is gone. ``names`` overrides single names
    (``engine.training.Model`` -> ``Model``). ``package`` names a third-party replacement (scikeras).
    """

    old: str
    new: str | None
    since: str
    source: str
    names: tuple[tuple[str, str], ...] = ()
    package: str | None = None
    note: str = ""

    def __init__(self, old: str, new: str | None, since: str, source: str, names: tuple[tuple[str, str], ...] = (),
                 package: str | None = None, note: str = "") -> None:
        # Written out (as Bad.__init__): half the generic one's cost, for a record made by the hundred at every
        # start. tests/test_record.py checks it takes exactly the fields.
        attrs = self.__dict__
        attrs["old"], attrs["new"], attrs["since"], attrs["source"] = \
            old, new, since, source
        attrs["names"], attrs["package"], attrs["note"] = \
            names, package, note


class RemovedMethod(Record):
    """A ``Model``/``Sequential`` method removed or deprecated (KC204), matched by method name."""

    name: str
    replacement: str | None  # new method name when it is a rename, else None
    removed_in: str
    source: str
    advice: str  # what to write instead, shown in the message
    fixable: bool = False
    # top-level packages whose objects have a method of the same name (``predict_proba``: scikit-learn & co.).
    # Empty: only Keras models have it, and it is reported even in a module that imports no Keras (the model is
    # a parameter); otherwise only in a Keras module, on a receiver that no such package may have built.
    shared_with: tuple[str, ...] = ()


class OptimizerArg(Record):
    """An optimizer constructor keyword that changed (KC205)."""

    old: str
    new: str | None
    since: str
    source: str
    fixable: bool
    note: str = ""


class BackendFunction(Record):
    """One ``keras.backend`` function with its TensorFlow 2 and Keras 3 equivalents (KC301-KC303).

    ``tf`` is the native TensorFlow replacement (a dotted ``tf.`` path when the rewrite is a plain call,
    otherwise prose); ``keras3`` the ``keras.ops``/``keras.config`` equivalent. ``in_keras3`` says
    whether ``keras.backend`` in Keras 3 still exports it.
    """

    name: str
    tf: str | None
    keras3: str | None
    rewrite: Rewrite
    source: str
    in_keras3: bool = False
    in_tf_keras: bool = True  # False for multi-backend-only helpers (absent from tf.keras)
    note: str = ""
    removed_in: str = ""
    keras3_note: str = ""  # the caveat of a keras3 message (``note`` speaks of the TensorFlow rewrite)
    extra: dict[str, str] = factory(dict)

    def __init__(self, name: str, tf: str | None, keras3: str | None, rewrite: Rewrite, source: str, in_keras3: bool = False,
                 in_tf_keras: bool = True, note: str = "", removed_in: str = "", keras3_note: str = "",
                 extra: dict[str, str] | None = None) -> None:
        # Written out (as Bad.__init__): half the generic one's cost, for a record made by the hundred at every
        # start. tests/test_record.py checks it takes exactly the fields.
        attrs = self.__dict__
        attrs["name"], attrs["tf"], attrs["keras3"], attrs["rewrite"] = \
            name, tf, keras3, rewrite
        attrs["source"], attrs["in_keras3"], attrs["in_tf_keras"], attrs["note"] = \
            source, in_keras3, in_tf_keras, note
        attrs["removed_in"], attrs["keras3_note"], attrs["extra"] = \
            removed_in, keras3_note, {} if extra is None else extra


class OpsEquivalent(Record):
    """A TensorFlow op with a backend-agnostic ``keras.ops`` equivalent (KC304, Keras 3 target).

    ``tf`` is the public TF path (``tf.reduce_mean``), ``aliases`` other public spellings of the same function
    (``tf.math.reduce_mean``); ``ops`` the ``keras.ops`` path. A call is rewritten only when ``fixable`` and it
    passes at most ``positional`` positional arguments (the leading parameters of both functions that mean
    the same thing) and only the ``keywords`` both functions accept with the same default. ``note`` is the
    caveat shown in the message.
    """

    tf: str
    ops: str
    since: str
    source: str
    aliases: tuple[str, ...] = ()
    positional: int = 1
    keywords: tuple[str, ...] = ()
    fixable: bool = True
    note: str = ""


class OpsRewrite(Record):
    """A ``K.*`` call rewritten to ``keras.ops`` under ``keras-target = keras3`` (KC301, KC303, KC532 fixes).

    Parameters line up by position (the K function's i-th parameter is the ``keras.ops`` function's i-th);
    ``keywords`` renames the ones whose names differ (``pattern`` -> ``axes``); ``defaults`` lists
    ``keras.ops`` keywords and the value that reproduces Keras 2, written out when the call does not pass the
    matching K parameter (``K.argmax(x)`` -> ``keras.ops.argmax(x, axis=-1)``; ``K.gather`` always works on
    axis 0, which ``keras.ops.take`` must be told); ``dropped`` the K parameters ``keras.ops`` lacks
    (a call passing one is not rewritten). Checked against both signatures by ``tests/test_keras3_table.py``
    and by running the rewritten calls next to the originals (``tests/test_keras3_ops_rewrites.py``).
    """

    name: str
    ops: str
    parameters: tuple[str, ...]  # the K function's parameters, in order
    since: str
    source: str
    keywords: tuple[tuple[str, str], ...] = ()
    defaults: tuple[tuple[str, str], ...] = ()
    dropped: tuple[str, ...] = ()


class Keras3Change(Record):
    """A Keras 3 removal or behaviour change a group-5 rule reports, read from the keras 3.15.1 sources.

    ``values`` are the facts the rule uses (file extensions, argument names ...), each re-checked against
    the wheel by ``tests/test_keras3_table.py``.
    """

    key: str
    summary: str
    since: str
    source: str
    values: tuple[str, ...] = ()

    def __init__(self, key: str, summary: str, since: str, source: str, values: tuple[str, ...] = ()) -> None:
        # Written out (as Bad.__init__): half the generic one's cost, for a record made by the hundred at every
        # start. tests/test_record.py checks it takes exactly the fields.
        attrs = self.__dict__
        attrs["key"], attrs["summary"], attrs["since"], attrs["source"] = \
            key, summary, since, source
        attrs["values"] = \
            values


class LegacyOptimizer(Record):
    """A multi-backend Keras optimizer constructor (KC205 decay schedule, KC207 positional arguments).

    ``legacy`` is the positional parameter order of Keras 1.2.2 and 2.2.4 (identical where both list it;
    2.2.4's extra trailing parameters included), ``kept`` how many leading positions mean the same in
    tf-keras 2.15 and Keras 3 (``learning_rate`` first, then whatever both still share), ``lr`` the legacy
    default learning rate as source text (written into a decay schedule when the call passes none).
    """

    path: str
    legacy: tuple[str, ...]
    kept: int
    lr: str
    source: str


class ShapeConversion(Record):
    """``input_dim=`` (and ``input_length=``) folded into ``input_shape=(input_length, input_dim)`` by Keras 2's
    converter (KC201), for the callables whose target no longer does it itself (``targets``)."""

    callables: tuple[str, ...]
    targets: tuple[str, ...]
    since: str
    source: str


class ChangedDefault(Record):
    """A constructor default of multi-backend Keras that tf.keras or Keras 3 changed (KC210).

    Generated by ``scripts/generate_changed_defaults.py`` from the real releases (``keras_compat/data/defaults.py``).
    Values are source text as written in the signatures. ``tf_keras``/``keras3`` are the defaults of tf-keras
    2.15.0 and Keras 3.15.1; ``aliases`` are older keyword names that set the same parameter (``lr``,
    ``inner_activation``); ``position`` is the smallest index (``self`` not counted) at which any multi-backend
    release took the parameter positionally; ``changed_in`` is the multi-backend release that already changed
    the default ("" when every multi-backend release from 1.2.2 to 2.3.1 had ``legacy``); ``identifiers`` are the
    strings that selected the class in ``compile(optimizer=...)`` (optimizers only).
    """

    callable: str
    parameter: str
    legacy: str
    tf_keras: str
    keras3: str
    aliases: tuple[str, ...]
    position: int
    changed_in: str
    identifiers: tuple[str, ...]
    source: str

    def modern(self, target: str) -> str:
        """The default under ``keras-target`` ``target``."""
        return self.keras3 if target == "keras3" else self.tf_keras
