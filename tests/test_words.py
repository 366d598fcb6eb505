"""The engine's skip of the rules whose words a module lacks (:attr:`Rule.needs`, a :class:`registry.Words`).

A rule declares the ``def`` names and attribute names without which it cannot report; the engine does not run it
in a module that has none of them (:func:`keras_compat.engine.needed`). The findings are those of the full
analysis on every rule example (bad and good, every target), the fixtures and the realism corpora; wherever the
full analysis reports a declared rule, the module has one of its words (found here by a walk of the tree, not by
the engine's indexes); and every declared word is needed: dropping it from the declaration loses a finding.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from support.examples import cases, everything
from support.realism import PACKAGES, package_files

from keras_compat import engine
from keras_compat.diagnostics import Diagnostic
from keras_compat.engine import lint_source
from keras_compat.registry import REGISTRY, Rule, Words, all_rules
from keras_compat.settings import TARGETS, Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: Modules that report a declared rule through one word only, for the words no bad example has alone
#: (each a finding the test of that word must lose when the word is dropped): (rule, target, source).
ONE_WORD = (
    ("KC407", "tf-keras", "from keras.layers import Dense\n\nclass Wide(Dense):\n"
                          "    def build(self, input_shape):\n        pass\n"),
    ("KC407", "tf-keras", "from keras.layers import Layer\n\nclass Old(Layer):\n    def setup(self):\n"
                          "        self.trainable_weights = [self.w]\n"),
    ("KC407", "tf-keras", "from keras.layers import Layer\n\nclass Old(Layer):\n    def setup(self):\n"
                          "        self.non_trainable_weights = [self.w]\n"),
    ("KC407", "tf-keras", "from keras.layers import Layer\n\nclass Old(Layer):\n    def setup(self):\n"
                          "        self.w = self.add_weight((2, 2), 'uniform')\n"),
)


def _words(source: str) -> tuple[set[str], set[str]]:
    """The names of the functions a module defines and of the attributes it has (a walk of the whole tree)."""
    tree = ast.parse(source)
    defs = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return defs, {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}


def _present(words: Words, source: str) -> set[tuple[str, str]]:
    """The declared words a module has, as ("def" | "attribute", word)."""
    defs, attributes = _words(source)
    return {("def", word) for word in words.defs if word in defs} | \
        {("attribute", word) for word in words.attributes if word in attributes}


def _declared() -> list[Rule]:
    return [rule for rule in all_rules() if rule.needs is not None]


def _full(monkeypatch: pytest.MonkeyPatch, source: str, filename: str, settings: Settings) -> list[Diagnostic]:
    """The findings without the skip (every rule runs)."""
    with monkeypatch.context() as patch:
        patch.setattr(engine, "needed", lambda rules, ctx: rules)
        return lint_source(source, filename, settings)


def _same(monkeypatch: pytest.MonkeyPatch, source: str, filename: str, settings: Settings) -> list[Diagnostic]:
    """The findings with the skip, checked against those without it; and every declared rule the full analysis
    reports has one of its words in the module."""
    found = lint_source(source, filename, settings)
    full = _full(monkeypatch, source, filename, settings)
    assert found == full, filename
    reported = {d.code for d in full}
    for rule in _declared():
        if rule.code in reported:
            assert rule.needs is not None and _present(rule.needs, source), (rule.code, filename)
    return found


def test_declared_rules_bad_examples_have_their_words() -> None:
    declared = _declared()
    assert declared
    for rule in declared:
        assert rule.needs is not None and (rule.needs.defs or rule.needs.attributes), rule.code
        for target in TARGETS:
            for bad in rule.bad_for(target):
                assert _present(rule.needs, bad.code), (rule.code, bad.code)


def test_rule_examples_report_the_same_with_the_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    skipped = 0
    real = engine.needed

    def counting(rules: list[Rule], ctx: object) -> list[Rule]:
        nonlocal skipped
        kept = real(rules, ctx)  # type: ignore[arg-type]
        skipped += len(rules) - len(kept)
        return kept

    monkeypatch.setattr(engine, "needed", counting)
    for case in cases():
        _same(monkeypatch, case.code, "example.py", case.settings)
    assert skipped > 0  # the examples without a ``def call`` skip the training rules: the comparison covers it


@pytest.mark.parametrize("target", TARGETS)
def test_fixtures_report_the_same_with_the_skip(monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    paths = sorted(FIXTURES.rglob("*.py"))
    assert paths
    for path in paths:
        _same(monkeypatch, path.read_text(encoding="utf-8", errors="replace"), str(path), everything(target))


@pytest.mark.network
@pytest.mark.parametrize("name,version", PACKAGES, ids=[n for n, _ in PACKAGES])
def test_realism_packages_report_the_same_with_the_skip(monkeypatch: pytest.MonkeyPatch, name: str,
                                                        version: str) -> None:
    for path in package_files(name, version):
        _same(monkeypatch, path.read_text(encoding="utf-8", errors="replace"), str(path), Settings())


def _one_word_modules(rule: Rule, kind: str, word: str) -> list[tuple[str, str]]:
    """(target, source) of the rule's bad examples and :data:`ONE_WORD` modules that have ``word`` as the only
    one of its declared words."""
    assert rule.needs is not None
    sources = [(target, bad.code) for target in TARGETS for bad in rule.bad_for(target)]
    sources += [(target, source) for code, target, source in ONE_WORD if code == rule.code]
    return [(target, source) for target, source in sources if _present(rule.needs, source) == {(kind, word)}]


def _without(words: Words, kind: str, word: str) -> Words:
    if kind == "def":
        return Words(tuple(w for w in words.defs if w != word), words.attributes)
    return Words(words.defs, tuple(w for w in words.attributes if w != word))


@pytest.mark.parametrize("code", [rule.code for rule in _declared()])
def test_every_declared_word_is_needed(monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    """Dropping any one word of a declaration (or all of them) loses a finding of the rule: the declaration is
    read, and no word in it is dead weight that a later edit could drop unnoticed."""
    rule = REGISTRY[code]
    assert rule.needs is not None
    mutants = [(kind, word, _without(rule.needs, kind, word)) for kind, words in
               (("def", rule.needs.defs), ("attribute", rule.needs.attributes)) for word in words]
    for kind, word, mutant in [*mutants, ("all", "", Words())]:
        modules = _one_word_modules(rule, kind, word) if kind != "all" else \
            [(target, bad.code) for target in TARGETS for bad in rule.bad_for(target)]
        assert modules, (code, kind, word)
        for target, source in modules:
            settings = everything(target)
            assert any(d.code == code for d in lint_source(source, "example.py", settings)), (code, source)
            with monkeypatch.context() as patch:
                patch.setitem(REGISTRY, code, dataclasses.replace(rule, needs=mutant))
                assert not any(d.code == code for d in lint_source(source, "example.py", settings)), \
                    (code, kind, word, source)
