"""Rule claims proven by execution: each rule with an ``Execution`` has its examples run on the real library.

Every bad example (that applies to the runtime's target and is a whole program) must fail there, with an
error matching the rule's ``expect``; every good example must run. One subprocess per rule group and
runtime (TensorFlow is imported once per group). The environment is built once and cached
(``support.runtime``); tests skip with the reason when it cannot be built.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from support.examples import expected_findings
from support.runtime import Outcome, Snippet, run_snippets

from keras_compat.registry import Rule, all_rules

pytestmark = [pytest.mark.network, pytest.mark.execution, pytest.mark.slow]


def _snippets(rule: Rule, runtime: str) -> list[tuple[str, str, Snippet]]:
    """(kind, id, snippet) for every runnable example of ``rule`` under ``runtime``."""
    execution = rule.execution
    assert execution is not None
    out = []
    for index, bad in enumerate(rule.bad_for(runtime)):
        if bad.runs:
            key = f"{rule.code}-bad{index}-{runtime}"
            out.append(("bad", key, Snippet(key, bad.code, execution.prelude, execution.check_source())))
    for index, good in enumerate(rule.goods_for(runtime) if rule.runs_for(runtime) else []):
        if good.runs:
            key = f"{rule.code}-good{index}-{runtime}"
            out.append(("good", key, Snippet(key, good.code, execution.prelude, execution.check_source())))
    return out


def _verified() -> list[Rule]:
    return [r for r in all_rules() if r.execution is not None]


def _cases() -> list[tuple[Rule, str, str, str, Snippet]]:
    return [(rule, runtime, kind, key, snippet) for rule in _verified() for runtime in rule.execution.runtimes
            for kind, key, snippet in _snippets(rule, runtime)]


@cache
def _group_outcomes(group: str, runtime: str) -> dict[str, Outcome]:
    snippets = [s for rule, rt, _, _, s in _cases() if rt == runtime and rule.group.digit == group]
    return run_snippets(runtime, snippets)


@pytest.mark.parametrize("rule,runtime,kind,key,snippet", _cases(), ids=[c[3] for c in _cases()])
def test_example_outcome(rule: Rule, runtime: str, kind: str, key: str, snippet: Snippet) -> None:
    outcome = _group_outcomes(rule.group.digit, runtime)[key]
    assert outcome.phase != "prelude", f"{key}: the rule's execution prelude failed: {outcome.error}"
    if kind == "good":
        assert outcome.ok, f"{key}: a good example must run on {runtime}, got {outcome.error} " \
                           f"(line {outcome.line}):\n{snippet.code}"
        return
    assert not outcome.ok, f"{key}: a bad example must fail on {runtime}, but it ran:\n{snippet.code}"
    assert rule.execution is not None
    assert re.search(rule.execution.expect, outcome.error or "", re.DOTALL), \
        f"{key}: failed for another reason than the rule claims ({rule.execution.expect!r}): {outcome.error}"
    if outcome.phase == "code":  # raised by the snippet itself: on a line the rule reports
        marked = {line for line, code in expected_findings(snippet.code) if code == rule.code}
        assert outcome.line in marked, f"{key}: raised on line {outcome.line}, the rule reports lines " \
                                       f"{sorted(marked)}: {outcome.error}"


def test_every_verified_rule_has_runnable_examples() -> None:
    """A declared execution that runs nothing would prove nothing."""
    for rule in _verified():
        for runtime in rule.execution.runtimes:
            kinds = {kind for kind, _, _ in _snippets(rule, runtime)}
            assert kinds == {"bad", "good"}, f"{rule.code} on {runtime}: runnable examples of kinds {kinds}"
