"""The rule registry: every rule is declared once here and every front-end derives from it.

A rule declaration carries its code, pylint symbol, severity, message template (``{field}`` names), a
one-line summary, its documentation sections and its examples. flake8 codes, pylint msgids and
symbols, SARIF rule metadata, the docs pages and the README table are all computed from it.
"""

from __future__ import annotations

import importlib
import os
import re
import string
import sys
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

from keras_compat.record import Choice, Record, uncompared
from keras_compat.settings import TARGETS

if TYPE_CHECKING:
    from keras_compat.settings import Settings

if TYPE_CHECKING:
    from keras_compat.context import Context  # noqa: F401  (used in a string annotation)
    from keras_compat.diagnostics import Diagnostic  # noqa: F401

CODE_RE = r"^KC(\d)(\d\d)$"  # patterns, compiled where used: a compiled regex costs start-up time
SYMBOL_RE = r"^[a-z]+(-[a-z]+)*$"
DOC_SECTIONS = ("What it does", "Why is this bad", "Example", "Use instead", "Fix safety")

#: pylint checker-id base: ``KCgnn`` -> ``<letter>7g<nn>`` (pylint reserves 51-99 for plugins).
PYLINT_BASE = 70


class Severity(Choice):
    """Severity of a rule; maps to the pylint message letter and to annotation levels."""

    ERROR = "error"
    WARNING = "warning"
    CONVENTION = "convention"

    @property
    def pylint_letter(self) -> str:
        return {"error": "E", "warning": "W", "convention": "C"}[self.value]


class FixAvailability(Choice):
    """Whether a rule offers fixes: never, for some table entries, or always."""

    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


class Bad(Record):
    """A snippet that must produce the rule's code on every line marked ``# error: KCnnn``.

    ``fixed`` is the expected text after applying the rule's fixes (safe ones, plus unsafe ones when
    ``unsafe`` is True); None when the example has no fix. ``targets`` limits the example to some
    ``keras-target`` values (empty: every target the rule runs under), for messages and fixes that differ.
    """

    code: str
    fixed: str | None = None
    unsafe: bool = False
    targets: tuple[str, ...] = ()
    runs: bool = True  # run by the execution test when the rule has an Execution (False: not a whole program)

    def __init__(self, code: str, fixed: str | None = None, unsafe: bool = False, targets: tuple[str, ...] = (),
                 runs: bool = True) -> None:
        # Written out (the generic one takes about four times as long): every rule module makes a few of
        # these per rule when a host starts. tests/test_record.py checks it matches the fields.
        values = self.__dict__
        values["code"], values["fixed"], values["unsafe"], values["targets"], values["runs"] = \
            code, fixed, unsafe, targets, runs

    def applies_to(self, target: str) -> bool:
        return not self.targets or target in self.targets


class Good(Record):
    """A snippet on which the rule stays silent, only under some targets (a plain ``str``: under all)."""

    code: str
    targets: tuple[str, ...] = ()
    runs: bool = True  # see Bad.runs

    def __init__(self, code: str, targets: tuple[str, ...] = (), runs: bool = True) -> None:
        values = self.__dict__  # written out: see Bad.__init__
        values["code"], values["targets"], values["runs"] = code, targets, runs

    def applies_to(self, target: str) -> bool:
        return not self.targets or target in self.targets


#: Where an :class:`Execution` runs a rule's examples (the test suite's environment, ``tests/support/runtime.py``).
RUNTIME_NAMES = {"keras3": "Keras 3.15.1 (TensorFlow 2.21 backend)",
                 "tf-keras": "tf-keras 2.21 (TensorFlow 2.21, TF_USE_LEGACY_KERAS=1)"}


class ImportFree(Record):
    """Where a rule can report in a module that imports nothing a rule resolves (:mod:`keras_compat.anchor`):
    only if the module imports one of ``modules`` (top-level names: KC104 reads ``os.environ``), when there
    are any, and its text has one of ``words``, when there are any. Words are compared as Python reads
    identifiers (after NFKC normalisation: ``ﬁt_generator`` is ``fit_generator``). Everything else a rule
    reports needs a Keras name, hence an anchoring import."""

    words: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()

    def __init__(self, words: tuple[str, ...] = (), modules: tuple[str, ...] = ()) -> None:
        values = self.__dict__  # written out: see Bad.__init__
        values["words"], values["modules"] = words, modules

    def allows(self, identifiers: str, modules: frozenset[str]) -> bool:
        """``identifiers``: the text NFKC-normalised (:func:`keras_compat.gate.identifiers`); ``modules``: the
        top-level names the module imports."""
        return (not self.modules or not modules.isdisjoint(self.modules)) and \
            (not self.words or any(word in identifiers for word in self.words))


class Words(Record):
    """The words without which a rule cannot report in a module (:attr:`Rule.needs`): a ``def`` of a function
    or method named one of ``defs`` (anywhere in the module), or an attribute ``<value>.<name>`` named one of
    ``attributes``. The engine asks the module's own indexes (its function definitions, its attribute-name
    index: names as the parser read them, so NFKC spellings are the same words) and skips the rules whose
    words are absent before running them: a rule that finds nothing still costs its pass over the module.

    Declare words only where reading the check, and every helper it calls, proves that each finding needs
    such a node in the module itself: a method the rule looks up in a class body of the module
    (``ClassInfo.method``), an attribute it asks ``Context.attributes_named`` or ``method_calls`` for. A name
    that reaches the module through an import (a class, a function) is never such a word. Take the words
    from the constant or table the check reads, not from a copy. ``tests/test_words.py`` proves the
    declarations on the examples, the fixtures and the realism corpora."""

    defs: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()

    def __init__(self, defs: tuple[str, ...] = (), attributes: tuple[str, ...] = ()) -> None:
        values = self.__dict__  # written out: see Bad.__init__
        values["defs"], values["attributes"] = defs, attributes

    def met(self, defined: AbstractSet[str], attribute_names: AbstractSet[str]) -> bool:
        """Whether a module has one of the words: ``defined``, the names of its functions and methods;
        ``attribute_names``, the names of its attributes (:meth:`Context.attribute_names`)."""
        return not defined.isdisjoint(self.defs) or not attribute_names.isdisjoint(self.attributes)


class Execution(Record):
    """How the test suite proves a rule's claim by running its examples on the real library.

    For every runtime in ``runtimes`` (``keras3``, ``tf-keras``; see :data:`RUNTIME_NAMES`), each bad example
    that applies to that target and ``runs`` must fail: ``prelude`` + example + ``check`` raises, with
    ``"ExceptionType: message"`` matching the regex ``expect`` (so an example cannot pass by failing for an
    unrelated reason). Each good example must run cleanly through the same three steps. ``prelude`` defines
    what the snippets leave undefined (``model``, ``x``, paths); ``check`` turns a silent behaviour change into
    an ``AssertionError``. The linter never runs code: only the tests do, in a subprocess.
    """

    runtimes: tuple[str, ...]
    expect: str
    prelude: str = ""
    #: the text, or a function that makes it when the tests ask (:meth:`check_source`): a check built from a
    #: table would otherwise load the table at every start of a host, for the tests' sake
    check: str | Callable[[], str] = ""

    def __init__(self, runtimes: tuple[str, ...], expect: str, prelude: str = "",
                 check: str | Callable[[], str] = "") -> None:
        values = self.__dict__  # written out: see Bad.__init__
        values["runtimes"], values["expect"], values["prelude"], values["check"] = runtimes, expect, prelude, check

    def check_source(self) -> str:
        """The ``check`` text (made now when it was given as a function)."""
        return self.check() if callable(self.check) else self.check


class Group(Record):
    """A hundred-group of codes; pylint gets one generated checker per group."""

    digit: str
    name: str
    title: str


GROUPS = {
    "0": Group("0", "keras-compat-internal", "Internal"),
    "1": Group("1", "keras-compat-imports", "Imports and environment"),
    "2": Group("2", "keras-compat-legacy-api", "Legacy API (Keras 1 -> Keras 2 / tf.keras)"),
    "3": Group("3", "keras-compat-backend", "Backend calls"),
    "4": Group("4", "keras-compat-layers", "Custom layers and the training argument"),
    "5": Group("5", "keras-compat-keras3", "Keras 3 migration (keras-target = keras3)"),
}

CheckFn = Callable[["Context"], Iterable["Diagnostic"]]


class Rule(Record):
    """One rule: identity, text and examples. ``check`` is None for engine-reported rules."""

    code: str
    symbol: str
    severity: Severity
    message: str
    summary: str
    what: str
    why: str
    fix_safety: str
    bad: tuple[Bad, ...]
    good: tuple[str | Good, ...]
    fix: FixAvailability = FixAvailability.NONE
    check: CheckFn | None = uncompared(None)
    default_enabled: bool = True
    use_instead: str = ""  # optional prose added to the "Use instead" section
    options: str = ""
    name_based: bool = False  # matched by method name only (documented as such)
    targets: tuple[str, ...] = TARGETS  # the ``keras-target`` values under which the rule runs
    execution: Execution | None = None  # how the tests verify the claim by running the examples
    #: Whether (and where) the rule can report in a module that imports nothing of Keras, TensorFlow, the old
    #: backends or its project (:mod:`keras_compat.anchor`). None: it cannot (what it reports needs a name
    #: resolved through such an import, or ``Context.uses_keras``).
    import_free: ImportFree | None = None
    #: The words the rule cannot report without (:class:`Words`); None: the rule runs in every module.
    needs: Words | None = None

    def __init__(self, code: str, symbol: str, severity: Severity, message: str, summary: str, what: str, why: str,
                 fix_safety: str, bad: tuple[Bad, ...], good: tuple[str | Good, ...],
                 fix: FixAvailability = FixAvailability.NONE, check: CheckFn | None = None,
                 default_enabled: bool = True, use_instead: str = "", options: str = "", name_based: bool = False,
                 targets: tuple[str, ...] = TARGETS, execution: Execution | None = None,
                 import_free: ImportFree | None = None, needs: Words | None = None) -> None:
        # Written out (see Bad.__init__): every rule module declares its rules when a host first checks a file.
        values = self.__dict__
        values["code"], values["symbol"], values["severity"], values["message"], values["summary"] = \
            code, symbol, severity, message, summary
        values["what"], values["why"], values["fix_safety"], values["bad"], values["good"] = \
            what, why, fix_safety, bad, good
        values["fix"], values["check"], values["default_enabled"], values["use_instead"] = \
            fix, check, default_enabled, use_instead
        values["options"], values["name_based"], values["targets"], values["execution"] = \
            options, name_based, targets, execution
        values["import_free"], values["needs"] = import_free, needs

    def runs_for(self, target: str) -> bool:
        return target in self.targets

    def bad_for(self, target: str) -> list[Bad]:
        """Bad examples that apply under ``target`` (none when the rule does not run there)."""
        return [b for b in self.bad if b.applies_to(target)] if self.runs_for(target) else []

    def good_for(self, target: str) -> list[str]:
        """Good examples (as text) that apply under ``target``."""
        return [g.code for g in self.goods_for(target)]

    def goods_for(self, target: str) -> list[Good]:
        """Good examples that apply under ``target``, as :class:`Good` records."""
        goods = [g if isinstance(g, Good) else Good(g) for g in self.good]
        return [g for g in goods if g.applies_to(target)]

    @property
    def group(self) -> Group:
        return GROUPS[self.code[2]]

    @property
    def number(self) -> str:
        return self.code[2:]

    @property
    def pylint_msgid(self) -> str:
        match = re.match(CODE_RE, self.code)
        assert match, self.code
        return f"{self.severity.pylint_letter}{PYLINT_BASE + int(match.group(1)):02d}{match.group(2)}"

    @property
    def message_fields(self) -> tuple[str, ...]:
        return tuple(f for _, f, _, _ in string.Formatter().parse(self.message) if f)

    @property
    def pylint_template(self) -> str:
        """The message as a ``%``-template for pylint (``{old}`` -> ``%(old)s``)."""
        escaped = self.message.replace("%", "%%")
        return re.sub(r"\{(\w+)\}", r"%(\1)s", escaped)

    def render(self, **values: object) -> str:
        return self.message.format(**{k: str(v) for k, v in values.items()})

    def doc_markdown(self) -> str:
        """The rule's documentation page (the same text ``keras-compat explain`` prints)."""
        from keras_compat.docs import rule_page

        return rule_page(self)


class _Registry(dict):  # type: ignore[type-arg]
    """Every rule by code, loading rule modules on demand.

    A rule module is imported the first time one of its rules is asked for (``REGISTRY["KC201"]``,
    ``.get``, ``in``), found through the generated manifest (:mod:`keras_compat._rules_manifest`); asking for
    every rule (iterating, ``values()``, :func:`all_rules`) imports them all. Checking a file imports only
    the modules of the rules that run (:func:`rules_for`), so a host's start-up does not pay for the others.
    """

    #: Bumped by every change of the entries (a registration, a test's stand-in): :func:`rules_for` keeps its
    #: answer while it is unchanged.
    version = 0

    def __setitem__(self, code: str, rule: Rule) -> None:
        dict.__setitem__(self, code, rule)
        self.version += 1

    def __delitem__(self, code: str) -> None:
        dict.__delitem__(self, code)
        self.version += 1

    def pop(self, *args: Any) -> Any:
        self.version += 1
        return dict.pop(self, *args)

    def popitem(self) -> tuple[str, Rule]:
        self.version += 1
        return dict.popitem(self)

    def setdefault(self, code: str, rule: Rule) -> Rule:  # type: ignore[override]
        self.version += 1
        return dict.setdefault(self, code, rule)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.version += 1
        dict.update(self, *args, **kwargs)

    def clear(self) -> None:
        self.version += 1
        dict.clear(self)

    def __missing__(self, code: str) -> Rule:
        _load_code(code)
        rule = dict.get(self, code)
        if rule is None:
            raise KeyError(code)
        return rule

    def get(self, code: str, default: Rule | None = None) -> Rule | None:  # type: ignore[override]
        rule = dict.get(self, code)
        if rule is not None:
            return rule
        try:
            return self[code]
        except KeyError:
            return default

    def __contains__(self, code: object) -> bool:
        return dict.__contains__(self, code) or (isinstance(code, str) and self.get(code) is not None)

    def __iter__(self):  # type: ignore[no-untyped-def]
        _load_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        _load_all()
        return dict.__len__(self)

    def keys(self):  # type: ignore[no-untyped-def]
        _load_all()
        return dict.keys(self)

    def values(self):  # type: ignore[no-untyped-def]
        _load_all()
        return dict.values(self)

    def items(self):  # type: ignore[no-untyped-def]
        _load_all()
        return dict.items(self)


REGISTRY: dict[str, Rule] = _Registry()
_DECLARED_IN: dict[str, str] = {}  # code -> the rule module that declared it
_LOADED: set[str] = set()  # rule modules imported so far
RULES_PACKAGE = "keras_compat.rules"


_SYMBOL = attrgetter("symbol")
_TARGETS_OF = attrgetter("targets")
_KNOWN_TARGETS = frozenset(TARGETS)


def register(rule: Rule) -> Rule:
    """Add a rule to the registry, refusing duplicate codes or symbols."""
    if dict.__contains__(REGISTRY, rule.code):
        raise ValueError(f"duplicate rule code {rule.code}")
    if rule.symbol in map(_SYMBOL, dict.values(REGISTRY)):  # no Python frame per rule: 55 rules, 1,500 tests
        raise ValueError(f"duplicate rule symbol {rule.symbol}")
    # the targets named by the rule and its examples, gathered in C (no generator frames: every rule module
    # registers its rules when a host first checks a file)
    goods = filter(Good.__instancecheck__, rule.good)  # the Good records (a plain str applies everywhere)
    named = set(rule.targets).union(*map(_TARGETS_OF, rule.bad), *map(_TARGETS_OF, goods))
    if not named <= _KNOWN_TARGETS or not rule.targets:
        raise ValueError(f"{rule.code}: unknown or missing targets {sorted(named - _KNOWN_TARGETS)}")
    if rule.execution is not None and not set(rule.execution.runtimes) <= RUNTIME_NAMES.keys():
        raise ValueError(f"{rule.code}: unknown execution runtimes {rule.execution.runtimes}")
    caller = sys._getframe(1).f_globals.get("__name__", "")
    _DECLARED_IN[rule.code] = getattr(rule.check, "__module__", None) or caller
    dict.__setitem__(REGISTRY, rule.code, rule)
    return rule


def rule(**declaration: object) -> Callable[[CheckFn], CheckFn]:
    """Decorator: declare a rule whose check is the decorated function."""

    def wrap(fn: CheckFn) -> CheckFn:
        register(Rule(check=fn, **declaration))  # type: ignore[arg-type]
        return fn

    return wrap


def rule_modules() -> list[str]:
    """The rule modules: every module of ``keras_compat/rules`` not starting with ``_`` (found on disk, so
    that a new module needs no registration anywhere)."""
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rules")
    return sorted(name[:-3] for name in os.listdir(folder) if name.endswith(".py") and not name.startswith("_"))


def _load(module: str) -> None:
    if module not in _LOADED:
        importlib.import_module(f"{RULES_PACKAGE}.{module}")
        _LOADED.add(module)


def _load_all() -> None:
    if not _LOADED.issuperset(_all_modules()):
        for module in _all_modules():
            _load(module)


@lru_cache(maxsize=1)
def _all_modules() -> tuple[str, ...]:
    return tuple(rule_modules())


def _load_code(code: str) -> None:
    """Import the module declaring ``code`` (all modules when the manifest does not know it)."""
    if not code.startswith("KC"):
        return  # another tool's code (a flake8 formatter sees E501 & co.)
    entry = manifest().get(code)
    if entry is not None:
        _load(entry.module)
    if not dict.__contains__(REGISTRY, code):
        _load_all()


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by code (imports every rule module on first use)."""
    _load_all()
    return [dict.__getitem__(REGISTRY, c) for c in sorted(dict.keys(REGISTRY))]


# -- the manifest: what start-up needs to know of every rule, without importing the rule modules --------------

class ManifestEntry(tuple):  # type: ignore[type-arg]
    """What the front-ends need of a rule before any file is checked (see :func:`manifest`): a tuple of
    (code, *MANIFEST_FIELDS) with named accessors (cheaper to make, at every start, than a record)."""

    __slots__ = ()

    def __new__(cls, *values: object) -> ManifestEntry:
        return tuple.__new__(cls, values)

    code = property(itemgetter(0), doc="the rule's code")
    module = property(itemgetter(1), doc="the rule module (under keras_compat/rules) declaring it")
    symbol = property(itemgetter(2))
    severity = property(itemgetter(3), doc="its Severity's value")
    message = property(itemgetter(4))
    summary = property(itemgetter(5))
    default_enabled = property(itemgetter(6))
    targets = property(itemgetter(7))
    checked = property(itemgetter(8), doc="has a check (False: reported by the engine itself)")

    @property
    def pylint_msgid(self) -> str:
        letter = Severity(self.severity).pylint_letter
        return f"{letter}{PYLINT_BASE + int(self.code[2]):02d}{self.code[3:]}"

    @property
    def pylint_template(self) -> str:
        """The message as a ``%``-template for pylint (``{old}`` -> ``%(old)s``)."""
        return re.sub(r"\{(\w+)\}", r"%(\1)s", self.message.replace("%", "%%"))


MANIFEST_MODULE = "keras_compat._rules_manifest"
MANIFEST_FIELDS = ("module", "symbol", "severity", "message", "summary", "default_enabled", "targets", "checked")


@lru_cache(maxsize=1)
def manifest() -> dict[str, ManifestEntry]:
    """Every rule's code, module, symbol, severity, message, summary, default and targets, read from the
    generated :mod:`keras_compat._rules_manifest` rather than from the rule modules: flake8 needs the
    off-by-default codes and pylint every message when they start, before any file is checked. The
    manifest is regenerated with the docs (``python -m keras_compat.docs``) and ``tests/test_docs.py``
    fails when it is stale; rules registered but missing from it (a checkout with a stale manifest) are
    added from the registry, so they still run."""
    from keras_compat._rules_manifest import RULES

    entries = {code: ManifestEntry(code, *values) for code, values in RULES.items()}
    for code, rule in dict.items(REGISTRY):
        if code not in entries:
            entries[code] = manifest_entry(rule)
    return entries


def manifest_entry(rule: Rule) -> ManifestEntry:
    return ManifestEntry(rule.code, _DECLARED_IN[rule.code].rsplit(".", 1)[-1], rule.symbol, rule.severity.value,
                         rule.message, rule.summary, rule.default_enabled, tuple(rule.targets), rule.check is not None)


@lru_cache(maxsize=1)
def default_disabled_codes() -> frozenset[str]:
    """Codes of the rules that are off unless selected by their full code."""
    return frozenset(code for code, entry in manifest().items() if not entry.default_enabled)


_CODES_FOR: dict[object, list[str]] = {}
#: :func:`rules_for`'s answers by settings, with the registry's version they were looked up at
_RULES_FOR: dict[object, tuple[int, list[Rule]]] = {}
#: The settings :func:`rules_for` answered last (the object itself), the registry's version then, and the answer.
_last_rules: tuple[object, int, list[Rule]] = (None, -1, [])


def rules_for(settings: Settings) -> list[Rule]:
    """The rules that run under ``settings`` (checked, enabled, for its target), sorted by code; only their
    modules are imported. (The codes are remembered per settings, the rules while the registry is unchanged:
    a test may replace one. The list is shared: do not change it.)"""
    global _last_rules
    registry: _Registry = REGISTRY  # type: ignore[assignment]
    last = _last_rules  # (the same settings object for every file of a host's run: no hash of its fields)
    if last[0] is settings and last[1] == registry.version:
        return last[2]
    known = _RULES_FOR.get(settings)
    if known is not None and known[0] == registry.version:
        _last_rules = settings, known[0], known[1]
        return known[1]
    codes = _CODES_FOR.get(settings)
    if codes is None:
        entries = manifest()
        codes = [code for code, entry in entries.items()
                 if entry.checked and settings.target in entry.targets and settings.enabled(code)]
        for code in codes:
            _load(entries[code].module)
        # The rule's own targets decide, also when the manifest is stale: the engine runs this list untested.
        codes = [c for c in codes
                 if dict.__contains__(REGISTRY, c) and dict.__getitem__(REGISTRY, c).runs_for(settings.target)]
        codes += [c for c, r in dict.items(REGISTRY)  # registered but not in the manifest: a stale manifest
                  if c not in entries and r.check is not None and r.runs_for(settings.target) and settings.enabled(c)]
        codes.sort()
        if len(_CODES_FOR) > 64:
            _CODES_FOR.clear()
        _CODES_FOR[settings] = codes
    rules = [dict.__getitem__(REGISTRY, code) for code in codes]
    if len(_RULES_FOR) > 64:
        _RULES_FOR.clear()
    _RULES_FOR[settings] = (registry.version, rules)
    _last_rules = settings, registry.version, rules
    return rules


def manifest_source() -> str:
    """The text of :mod:`keras_compat._rules_manifest` for the rules as declared (imports every module)."""
    rules = all_rules()
    lines = ['"""The rule registry\'s manifest: generated by `python -m keras_compat.docs` from the rule',
             "declarations, do not edit. Read by keras_compat.registry.manifest() (see there why).",
             '"""', "", "# fields: " + ", ".join(MANIFEST_FIELDS), "RULES = {"]
    for rule in rules:
        entry = manifest_entry(rule)
        lines.append(f"    {rule.code!r}: (")
        for name in MANIFEST_FIELDS:
            lines.extend(_literal(getattr(entry, name), " " * 8))
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _literal(value: object, indent: str, width: int = 110) -> list[str]:
    """``value`` as source lines ending with a comma, long strings split into implicitly joined parts."""
    text = repr(value)
    if not isinstance(value, str) or len(text) <= width:
        return [f"{indent}{text},"]
    parts, rest = [], value
    while rest:
        cut = len(rest) if len(repr(rest)) <= width else rest.rfind(" ", 0, width - 20) + 1 or width - 20
        parts.append(rest[:cut])
        rest = rest[cut:]
    return [f"{indent}{repr(p)}" for p in parts[:-1]] + [f"{indent}{repr(parts[-1])},"]


def rules_in_group(digit: str) -> Iterator[Rule]:
    return (r for r in all_rules() if r.code[2] == digit)
