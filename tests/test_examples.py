"""Every rule's own examples, through the core: bad ones report exactly the marked lines, good ones stay
silent, and declared fixes turn the bad text into the fixed text (idempotently)."""

from __future__ import annotations

import ast

import pytest
from support.examples import cases, everything, expected_findings

from keras_compat.engine import lint_source
from keras_compat.fixes import fix_text, wanted
from keras_compat.settings import Settings

CASES = cases()
BAD = [c for c in CASES if c.kind == "bad"]
GOOD = [c for c in CASES if c.kind == "good"]
FIXED = [c for c in BAD if c.bad is not None and c.bad.fixed is not None]


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.id)
def test_bad_example_reports_marked_lines(case) -> None:
    found = {(d.line, d.code) for d in lint_source(case.code, "example.py", everything()) if d.code in case.codes}
    assert found == expected_findings(case.code)


@pytest.mark.parametrize("case", GOOD, ids=lambda c: c.id)
def test_good_example_is_silent(case) -> None:
    found = [d for d in lint_source(case.code, "example.py", everything()) if d.code == case.rule.code]
    assert found == []
    assert not [d for d in lint_source(case.code, "example.py", everything()) if d.code == "KC000"]


@pytest.mark.parametrize("case", FIXED, ids=lambda c: c.id)
def test_fix_produces_fixed_example(case) -> None:
    settings = Settings(select=(case.rule.code,))
    result = fix_text(case.code, "example.py", settings, unsafe=case.bad.unsafe)
    assert result.text == case.bad.fixed
    ast.parse(result.text)
    again = fix_text(result.text, "example.py", settings, unsafe=case.bad.unsafe)
    assert again.text == result.text, "fixing the fixed text must change nothing"
    assert not [d for d in lint_source(result.text, "example.py", settings) if wanted(d, case.bad.unsafe)]


@pytest.mark.parametrize("case", [c for c in FIXED if c.bad.unsafe], ids=lambda c: c.id)
def test_unsafe_fixes_need_opt_in(case) -> None:
    settings = Settings(select=(case.rule.code,))
    assert fix_text(case.code, "example.py", settings, unsafe=False).text == case.code
