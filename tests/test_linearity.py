"""Work linear in the size of the input, for every rule and every fix, on real code.

Counted as function calls per rule (``tests/support/linearity.py``), not timed: deterministic on a loaded
machine, and a quadratic loop shows as a quadratic count. The inputs are files of the realism corpus (real
legacy Keras projects) pasted one after another 2x, 4x and 8x (``COPIES``), as a user's long generated or
concatenated module would be, and each rule's own bad examples repeated (so that every rule, and every fix
a rule computes, runs even where the corpus has no finding of it). The caches of the core are warmed on
the largest input first, so the counts compare like with like.

Regressions these caught: the KC203 fix walked the whole tree once per renamed import (a file of 128
concatenated copies of a Keras 1 model took 6.4 s; twice the copies, five times the time); the scope of a
statement in a function was found by scanning the function's body (``child in parent.body``), quadratic in
one long function; KC107's fix walked the tree once per ``tensorflow.keras`` import; an import's guard
scanned the whole enclosing ``try``/``if`` body once per import.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from keras_compat.fixes import fix_text
from keras_compat.registry import FixAvailability, all_rules
from keras_compat.settings import TARGETS, Settings
from support.linearity import (SETUP, calls_per_rule, concatenable, count_calls, files_covering, indented,
                               without_star_imports)
from support.realism import PACKAGES, package_files

pytestmark = pytest.mark.network  # the realism packages (downloaded once, cached)

#: Linear work is 2.0x and 4.0x here (a little less: some work is per file, not per line); the quadratic
#: paths fixed so far made 4.9x-8.8x for 4x the input.
MAX_2X, MAX_4X = 2.3, 4.6
#: The realism files are compared pasted 2x, 4x and 8x, not from one copy: in one copy a name the module binds
#: once resolves once (``Resolver._unscoped``), from two copies on it is bound again and takes the general path
#: at every size, so that the counts compare like with like (the step from one copy to two is a change of
#: path, not of size: KC103 made 2.3x on it, and 2.0x from two copies to four).
COPIES = (2, 4, 8)


def _settings(target: str) -> Settings:
    # off-by-default rules too; each file alone, as its concatenation is linted (without its project's
    # other modules, bert4keras's K would resolve to nothing there)
    return Settings(target=target, project=False).with_options(run_all=True)


@pytest.fixture(scope="module")
def corpus() -> dict[Path, str]:
    texts = {}
    for name, version in PACKAGES:
        for path in package_files(name, version):
            text = concatenable(path.read_text(encoding="utf-8", errors="replace"))
            if text is not None:
                texts[path] = text
    return texts


@pytest.fixture(scope="module")
def units(corpus: dict[Path, str]) -> dict[str, tuple[list[tuple[list[str], set[str]]], set[str]]]:
    """Per target: groups of realism files that together exercise every rule firing in the corpus and the
    fixes of every fixable rule, each group concatenated; with the codes each group's files have findings of.

    Files bind names differently (``K`` is ``keras.backend`` in one, the ``tf.keras`` shim in another), and a
    name bound two ways resolves to nothing: a rule may stop firing in the concatenation (and KC210 in any
    concatenation holding a tf.keras file). The files of the codes a group loses go to the next group; after
    three groups, the file of one pending code is tried alone."""
    from keras_compat.engine import lint_source

    out = {}
    for target in TARGETS:
        settings = _settings(target)
        findings = {path: lint_source(text, str(path), settings) for path, text in corpus.items()}
        rules = [r for r in all_rules() if r.check is not None and r.runs_for(target)]
        codes = [r.code for r in rules]
        fixable = [r.code for r in rules if r.fix is not FixAvailability.NONE]
        groups = []
        every = {d.code for found_here in findings.values() for d in found_here if d.code in codes}
        pending = set(every)
        for round_ in range(8):
            # After a few rounds, the file of one code alone: a rule that depends on the module's Keras era
            # (KC210) stays silent in every concatenation that holds a tf.keras file.
            chosen = files_covering(findings, corpus, sorted(pending), fixable) if round_ < 3 else \
                files_covering(findings, corpus, sorted(pending)[:1], [])
            if not chosen:
                break
            firing = {d.code for path in chosen for d in findings[path]}
            text = "".join(corpus[p] for p in chosen)
            found = {d.code for d in lint_source(text, "concatenated.py", settings)}
            groups.append(([corpus[p] for p in chosen], firing & found))
            pending -= firing & found
            fixable = [c for c in fixable if c in pending]
            # a chosen file stays a candidate for the codes still pending (it may be the only file with one) until
            # it has been tried alone
            findings = {p: found_here for p, found_here in findings.items()
                        if p not in chosen or (round_ < 3 and any(d.code in pending for d in found_here))}
        out[target] = (groups, every)
    return out


def _ratios(counts: list[Counter[str]]) -> dict[str, tuple[float, float]]:
    one, two, four = counts
    return {key: (two[key] / one[key], four[key] / one[key]) for key in one}


def _assert_linear(counts: list[Counter[str]], what: str) -> None:
    bad = {key: f"{r2:.2f}x / {r4:.2f}x" for key, (r2, r4) in _ratios(counts).items()
           if r2 > MAX_2X or r4 > MAX_4X}
    assert not bad, f"{what}: work for 2x / 4x the input grew faster than the input: {bad}"


@pytest.mark.parametrize("target", TARGETS)
def test_every_rule_is_linear_on_concatenated_realism_files(target: str, units, monkeypatch) -> None:
    settings = _settings(target)
    covered: set[str] = set()
    groups, every = units[target]
    for texts, firing in groups:
        text = "".join(texts)
        calls_per_rule(text * COPIES[-1], settings, monkeypatch=monkeypatch)  # warm the caches
        counts, found = [], []
        for copies in COPIES:
            counted, diagnostics = calls_per_rule(text * copies, settings, monkeypatch=monkeypatch)
            counts.append(counted)
            found.append(diagnostics)
        assert {d.code for d in found[0]} >= firing
        assert len(found[2]) > 3 * len(found[0])  # not exactly 4x: a later copy sees the earlier copies' names
        assert SETUP in counts[0] and len(counts[0]) > 10
        _assert_linear(counts, f"{text.count(chr(10))} lines of realism files, {target}")
        covered |= firing
    assert covered == every  # every rule with a finding in the corpus ran into one in some group


@pytest.mark.parametrize("target", TARGETS)
def test_every_rule_and_fix_is_linear_on_its_examples(target: str, monkeypatch) -> None:
    """Each rule on its own bad examples (valid programs) pasted 10x, 20x and 40x: every rule reports at each
    size, and every rule whose examples have a fix computes it on the examples pasted once."""
    for rule in all_rules():
        examples = rule.bad_for(target)
        if rule.check is None or not examples:
            continue
        text = "".join(concatenable(b.code) or "" for b in examples) * 10
        settings = Settings(target=target, select=(rule.code,))
        calls_per_rule(text * 4, settings, monkeypatch=monkeypatch)
        counts, found = [], []
        for copies in (1, 2, 4):
            counted, diagnostics = calls_per_rule(text * copies, settings, monkeypatch=monkeypatch)
            counts.append(Counter({k: v for k, v in counted.items() if k == rule.code}))
            found.append([d for d in diagnostics if d.code == rule.code])
        assert found[0], f"{rule.code} reports nothing on its own examples ({target})"
        if any(b.fixed is not None for b in examples):  # once: some fixes refuse a name defined twice
            _, once = calls_per_rule(text[: len(text) // 10], settings, monkeypatch=monkeypatch)
            assert any(d.fix for d in once if d.code == rule.code), f"{rule.code}: no fix on its examples ({target})"
        _assert_linear(counts, f"{rule.code} on its examples, {target}")


@pytest.mark.parametrize("wrap", ["function", "try", "if"])
def test_one_long_body_is_linear(wrap: str, units, monkeypatch) -> None:
    """The realism files as the body of one function, one ``try``/``except ImportError`` or one Keras
    flavour switch: every name's scope, every import's guard, every fix's reach is found without scanning
    the long body again for each statement."""
    body = "".join(text for text in units["tf-keras"][0][0][0] if without_star_imports(text))  # ``import *``: module only
    header, footer = {"function": ("def main():", ""),
                      "try": ("try:", "except ImportError:\n    from tensorflow import keras\n"),
                      "if": ("if TF_KERAS:", "else:\n    import keras\n")}[wrap]
    settings = _settings("tf-keras")
    calls_per_rule(indented(body * COPIES[-1], header, footer), settings, monkeypatch=monkeypatch)
    counts = []
    for copies in COPIES:
        counted, _ = calls_per_rule(indented(body * copies, header, footer), settings, monkeypatch=monkeypatch)
        counts.append(Counter({"all": sum(counted.values()), **counted}))
    _assert_linear(counts, f"{body.count(chr(10))} lines in one {wrap} body")


def test_fixing_concatenated_realism_files_is_linear(units) -> None:
    """Computing and applying every fix (unsafe ones too), passes and parse check included."""
    text, settings = "".join(units["keras3"][0][0][0]), _settings("keras3")
    fix_text(text * 4, unsafe=True, settings=settings)
    results = []

    def fix(copies: int) -> None:
        results.append(fix_text(text * copies, unsafe=True, settings=settings))

    counts = [Counter({"fix": count_calls(lambda n=n: fix(n))}) for n in (1, 2, 4)]
    assert results[0].applied, "no fix applied: the input does not exercise the fixer"
    _assert_linear(counts, "fixing realism files")
