"""Registry invariants: identities, derived ids, documentation sections, examples."""

from __future__ import annotations

import re

import pytest
from pylint.checkers import BaseChecker
from pylint.lint import PyLinter

from keras_compat.registry import CODE_RE, GROUPS, SYMBOL_RE, FixAvailability, all_rules

FLAKE8_CODE = re.compile(r"^[A-Z]{1,3}[0-9]{0,3}$")
RULES = all_rules()


def test_codes_symbols_and_msgids_are_unique() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.symbol for r in RULES}) == len(RULES)
    assert len({r.pylint_msgid for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_identity_formats(rule) -> None:
    assert re.match(CODE_RE, rule.code)
    assert FLAKE8_CODE.match("KC"), "the flake8 entry point name must match flake8's prefix pattern"
    assert rule.code.startswith("KC")
    assert re.match(SYMBOL_RE, rule.symbol) and not any(c.isdigit() for c in rule.symbol)
    assert re.match(r"^[CREWF]\d{4}$", rule.pylint_msgid)
    assert 51 <= int(rule.pylint_msgid[1:3]) <= 99, "pylint reserves 51-99 for plugins"
    assert rule.pylint_msgid[1:3] == f"{70 + int(rule.code[2])}"
    assert rule.group.digit in GROUPS


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documentation_and_examples(rule) -> None:
    assert rule.summary and not rule.summary.endswith(".")
    assert rule.what and rule.why and rule.fix_safety
    page = rule.doc_markdown()
    for section in ("What it does", "Why is this bad", "Example", "Use instead", "Fix safety"):
        assert f"## {section}" in page
    if rule.check is not None:
        assert len(rule.bad) >= 2, "every rule needs at least two bad examples"
        assert all("# error: " + rule.code in b.code or rule.code in b.code for b in rule.bad)
    assert len(rule.good) >= 2, "every rule needs at least two good examples"
    has_fixed = any(b.fixed is not None for b in rule.bad)
    assert has_fixed == (rule.fix is not FixAvailability.NONE), "fix availability must match the examples"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_message_template_renders_for_pylint(rule) -> None:
    fields = {f: f"<{f}>" for f in rule.message_fields}
    assert rule.pylint_template % fields == rule.render(**fields)


def _pylint_own_messages() -> tuple[set[str], set[str]]:
    linter = PyLinter()
    linter.load_default_plugins()
    from pylint.lint.run import _load_all_extensions  # type: ignore[attr-defined]

    _load_all_extensions(linter)
    ids, symbols = set(), set()
    for checker in linter.get_checkers():
        for msgid, msg in getattr(checker, "msgs", {}).items():
            ids.add(msgid)
            symbols.add(msg[1])
    return ids, symbols


def test_no_collision_with_pylint_or_its_extensions() -> None:
    try:
        ids, symbols = _pylint_own_messages()
    except ImportError:  # pragma: no cover - private helper moved
        linter = PyLinter()
        linter.load_default_plugins()
        ids = {m for c in linter.get_checkers() for m in getattr(c, "msgs", {})}
        symbols = {m[1] for c in linter.get_checkers() for m in getattr(c, "msgs", {}).values()}
    assert len(ids) > 100
    assert not ids & {r.pylint_msgid for r in RULES}
    assert not symbols & {r.symbol for r in RULES}


def test_pylint_accepts_the_generated_checkers() -> None:
    """pylint's own consistency checks run on registration (same checker digits, unique ids)."""
    import pylint_keras_compat

    linter = PyLinter()
    linter.load_default_plugins()
    pylint_keras_compat.register(linter)
    ours = [c for c in linter.get_checkers() if c.name.startswith("keras-compat")]
    assert {c.name for c in ours} == {g.name for g in GROUPS.values()}
    for checker in ours:
        assert isinstance(checker, BaseChecker)
        checker.check_consistency()


def test_every_keras3_only_error_rule_is_proven_by_execution() -> None:
    """A Keras 3 error claims that something raises or changes behaviour under Keras 3: its examples must be
    run on Keras 3.15.1 (``Rule.execution``, tests/test_rule_execution.py)."""
    unproven = [r.code for r in RULES if r.targets == ("keras3",) and r.severity.value == "error"
                and (r.execution is None or "keras3" not in r.execution.runtimes)]
    assert not unproven, f"keras3-only error rules without an execution on keras3: {unproven}"
