"""Every rule's own examples, through the core, under every target they apply to: bad ones report exactly
the marked lines, good ones stay silent, declared fixes turn the bad text into the fixed text
(idempotently), and a rule never reports under a target it does not run for."""

from __future__ import annotations

import ast

import pytest
from support.examples import cases, expected_findings

from keras_compat.engine import lint_source
from keras_compat.fixes import fix_text, wanted
from keras_compat.registry import REGISTRY
from keras_compat.settings import Settings

CASES = cases()
BAD = [c for c in CASES if c.kind == "bad"]
GOOD = [c for c in CASES if c.kind == "good"]
OFF = [c for c in CASES if c.kind == "off"]
FIXED = [c for c in BAD if c.bad is not None and c.bad.fixed is not None]


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.id)
def test_bad_example_reports_marked_lines(case) -> None:
    found = {(d.line, d.code) for d in lint_source(case.code, "example.py", case.settings) if d.code in case.codes}
    assert found == {(line, code) for line, code in expected_findings(case.code)
                     if REGISTRY[code].runs_for(case.target)}


@pytest.mark.parametrize("case", GOOD, ids=lambda c: c.id)
def test_good_example_is_silent(case) -> None:
    found = lint_source(case.code, "example.py", case.settings)
    assert [d for d in found if d.code == case.rule.code] == []
    assert not [d for d in found if d.code == "KC000"]


@pytest.mark.parametrize("case", OFF, ids=lambda c: c.id)
def test_rule_is_silent_under_other_targets(case) -> None:
    found = lint_source(case.code, "example.py", case.settings)
    assert [d for d in found if d.code == case.rule.code] == []
    assert not [d for d in found if d.code == "KC000"]


@pytest.mark.parametrize("case", FIXED, ids=lambda c: c.id)
def test_fix_produces_fixed_example(case) -> None:
    settings = Settings(select=(case.rule.code,), target=case.target)
    result = fix_text(case.code, "example.py", settings, unsafe=case.bad.unsafe)
    assert result.text == case.bad.fixed
    ast.parse(result.text)
    again = fix_text(result.text, "example.py", settings, unsafe=case.bad.unsafe)
    assert again.text == result.text, "fixing the fixed text must change nothing"
    assert not [d for d in lint_source(result.text, "example.py", settings) if wanted(d, case.bad.unsafe)]


@pytest.mark.parametrize("case", [c for c in FIXED if c.bad.unsafe], ids=lambda c: c.id)
def test_unsafe_fixes_need_opt_in(case) -> None:
    settings = Settings(select=(case.rule.code,), target=case.target)
    assert fix_text(case.code, "example.py", settings, unsafe=False).text == case.code
