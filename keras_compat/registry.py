"""The rule registry: every rule is declared once here and every front-end derives from it.

A rule declaration carries its code, pylint symbol, severity, message template (``{field}`` names), a
one-line summary, its documentation sections and its examples. flake8 codes, pylint msgids and
symbols, SARIF rule metadata, the docs pages and the README table are all computed from it.
"""

from __future__ import annotations

import enum
import re
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from keras_compat.settings import TARGETS

if TYPE_CHECKING:
    from keras_compat.context import Context  # noqa: F401  (used in a string annotation)
    from keras_compat.diagnostics import Diagnostic  # noqa: F401

CODE_RE = re.compile(r"^KC(\d)(\d\d)$")
SYMBOL_RE = re.compile(r"^[a-z]+(-[a-z]+)*$")
DOC_SECTIONS = ("What it does", "Why is this bad", "Example", "Use instead", "Fix safety")

#: pylint checker-id base: ``KCgnn`` -> ``<letter>7g<nn>`` (pylint reserves 51-99 for plugins).
PYLINT_BASE = 70


class Severity(enum.Enum):
    """Severity of a rule; maps to the pylint message letter and to annotation levels."""

    ERROR = "error"
    WARNING = "warning"
    CONVENTION = "convention"

    @property
    def pylint_letter(self) -> str:
        return {"error": "E", "warning": "W", "convention": "C"}[self.value]


class FixAvailability(enum.Enum):
    """Whether a rule offers fixes: never, for some table entries, or always."""

    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


@dataclass(frozen=True)
class Bad:
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

    def applies_to(self, target: str) -> bool:
        return not self.targets or target in self.targets


@dataclass(frozen=True)
class Good:
    """A snippet on which the rule stays silent, only under some targets (a plain ``str``: under all)."""

    code: str
    targets: tuple[str, ...] = ()
    runs: bool = True  # see Bad.runs

    def applies_to(self, target: str) -> bool:
        return not self.targets or target in self.targets


#: Where an :class:`Execution` runs a rule's examples (the test suite's environment, ``tests/support/runtime.py``).
RUNTIME_NAMES = {"keras3": "Keras 3.15.1 (TensorFlow 2.21 backend)",
                 "tf-keras": "tf-keras 2.21 (TensorFlow 2.21, TF_USE_LEGACY_KERAS=1)"}


@dataclass(frozen=True)
class Execution:
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
    check: str = ""


@dataclass(frozen=True)
class Group:
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


@dataclass(frozen=True)
class Rule:
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
    check: CheckFn | None = field(default=None, compare=False)
    default_enabled: bool = True
    use_instead: str = ""  # optional prose added to the "Use instead" section
    options: str = ""
    name_based: bool = False  # matched by method name only (documented as such)
    targets: tuple[str, ...] = TARGETS  # the ``keras-target`` values under which the rule runs
    execution: Execution | None = None  # how the tests verify the claim by running the examples

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
        match = CODE_RE.match(self.code)
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


REGISTRY: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a rule to the registry, refusing duplicate codes or symbols."""
    if rule.code in REGISTRY:
        raise ValueError(f"duplicate rule code {rule.code}")
    if any(r.symbol == rule.symbol for r in REGISTRY.values()):
        raise ValueError(f"duplicate rule symbol {rule.symbol}")
    examples: list[Bad | Good] = [*rule.bad, *(g for g in rule.good if isinstance(g, Good))]
    unknown = {t for t in (*rule.targets, *(t for e in examples for t in e.targets)) if t not in TARGETS}
    if unknown or not rule.targets:
        raise ValueError(f"{rule.code}: unknown or missing targets {sorted(unknown)}")
    if rule.execution is not None and not set(rule.execution.runtimes) <= set(RUNTIME_NAMES):
        raise ValueError(f"{rule.code}: unknown execution runtimes {rule.execution.runtimes}")
    REGISTRY[rule.code] = rule
    return rule


def rule(**declaration: object) -> Callable[[CheckFn], CheckFn]:
    """Decorator: declare a rule whose check is the decorated function."""

    def wrap(fn: CheckFn) -> CheckFn:
        register(Rule(check=fn, **declaration))  # type: ignore[arg-type]
        return fn

    return wrap


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by code (loads the rule modules on first use)."""
    import keras_compat.rules  # noqa: F401  (registers the rules)

    return [REGISTRY[c] for c in sorted(REGISTRY)]


def rules_in_group(digit: str) -> Iterator[Rule]:
    return (r for r in all_rules() if r.code[2] == digit)
