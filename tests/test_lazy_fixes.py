"""Fixes computed only for callers that use them (``fixes=False``: the flake8 and pylint adapters).

Without fixes, the findings (code, range, message, fields) are those with fixes, on every rule example and on
the offline fixtures and the realism corpora; only ``fix`` is None. The adapters pass the flag, and a fix
handed to :meth:`Context.report` as a function is not even computed then.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support.examples import cases, everything
from support.frontends import parse_flake8, parse_pylint, run_flake8, run_pylint
from support.realism import KERAS3_PACKAGES, PACKAGES, package_files

from keras_compat import engine
from keras_compat.context import Context
from keras_compat.diagnostics import Diagnostic, Edit, Fix, Safety
from keras_compat.engine import lint_source, lint_tree
from keras_compat.settings import TARGETS, Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: A KC301 finding with a fix under tf-keras (``K.sum`` -> ``tf.reduce_sum`` inside a layer), a KC101 whose
#: fix is the module's migration plan, and a KC201 (a fix computed eagerly: cheap).
LEGACY = '''import keras.backend as K
from keras.layers import Layer, Dense


class Sum(Layer):
    def call(self, x):
        return K.sum(x, axis=1)


d = Dense(3, init="he_normal")
'''


def _findings(found: list[Diagnostic]) -> list[tuple]:
    """Everything a finding says but its fix."""
    return [(d.code, d.line, d.col, d.end_line, d.end_col, d.message, d.fields) for d in found]


def _compare(source: str | bytes, filename: str, settings: Settings | None) -> int:
    """Lint both ways; assert the findings agree and none has a fix without fixes. Returns the number of
    fixes the default computed (so a caller can check that its inputs exercise fixes at all)."""
    wanted = lint_source(source, filename, settings)
    unwanted = lint_source(source, filename, settings, fixes=False)
    assert _findings(unwanted) == _findings(wanted), filename
    assert all(d.fix is None for d in unwanted), filename
    return sum(d.fix is not None for d in wanted)


def test_rule_examples_report_the_same_without_fixes() -> None:
    fixes = 0
    for case in cases():
        fixes += _compare(case.code, "example.py", case.settings)
    assert fixes > 100  # the examples carry fixes of most rules: the comparison covers them


@pytest.mark.parametrize("target", TARGETS)
def test_fixtures_report_the_same_without_fixes(target: str) -> None:
    paths = sorted(FIXTURES.rglob("*.py"))
    assert paths
    fixes = sum(_compare(path.read_bytes(), str(path), everything(target)) for path in paths)
    assert fixes > 0


def test_lint_tree_reports_the_same_without_fixes() -> None:
    """The flake8 path (an already parsed tree)."""
    wanted = lint_tree(ast.parse(LEGACY), LEGACY, "m.py")
    unwanted = lint_tree(ast.parse(LEGACY), LEGACY, "m.py", fixes=False)
    assert {d.code for d in wanted if d.fix is not None} >= {"KC101", "KC301"}
    assert _findings(unwanted) == _findings(wanted)
    assert all(d.fix is None for d in unwanted)


@pytest.mark.network
@pytest.mark.parametrize("name,version,target", [*((n, v, "tf-keras") for n, v in PACKAGES),
                                                 *((n, v, "keras3") for n, v in KERAS3_PACKAGES)],
                         ids=[*(n for n, _ in PACKAGES), *(f"{n}-keras3" for n, _ in KERAS3_PACKAGES)])
def test_realism_packages_report_the_same_without_fixes(name: str, version: str, target: str) -> None:
    settings = Settings(target=target)
    for path in package_files(name, version):
        _compare(path.read_bytes(), str(path), settings)


def test_a_lazy_fix_is_computed_only_when_wanted() -> None:
    tree = ast.parse("x = 1\n")
    calls = []
    fix = Fix("title", (Edit(1, 0, 1, 1, "y"),), Safety.SAFE)

    def compute() -> Fix:
        calls.append(1)
        return fix

    wanted = Context(tree, "x = 1\n", Settings(), "m.py")
    assert wanted.wants_fixes
    assert wanted.report("KC201", tree.body[0], compute, callee="f", old="a", change="c", advice="d").fix is fix
    assert wanted.report("KC201", tree.body[0], fix, callee="f", old="a", change="c", advice="d").fix is fix
    assert calls == [1]
    unwanted = Context(tree, "x = 1\n", Settings(), "m.py", fixes=False)
    assert not unwanted.wants_fixes
    assert unwanted.report("KC201", tree.body[0], compute, callee="f", old="a", change="c", advice="d").fix is None
    assert calls == [1]


def _failing_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    """KC301's fix raises: computed, it turns into KC000; not computed, nothing happens."""
    from keras_compat.rules import backend

    def boom(*args: object) -> None:
        raise ZeroDivisionError("a fix was computed")

    monkeypatch.setattr(backend, "_rewrite_fix", boom)


def test_the_deferred_fix_is_what_the_default_computes(monkeypatch: pytest.MonkeyPatch) -> None:
    _failing_fix(monkeypatch)
    assert "KC000" in {d.code for d in lint_source(LEGACY, "m.py")}
    codes = {d.code for d in lint_source(LEGACY, "m.py", fixes=False)}
    assert "KC301" in codes and "KC000" not in codes


def test_flake8_and_pylint_ask_for_no_fixes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both adapters pass ``fixes=False`` to the core (seen at the engine) and so never compute a fix."""
    asked: list[tuple[str, object]] = []
    original_tree, original_source = engine.lint_tree, engine.lint_source

    def spy_tree(*args: object, **kwargs: object) -> list[Diagnostic]:
        asked.append(("lint_tree", kwargs.get("fixes", True)))
        return original_tree(*args, **kwargs)  # type: ignore[arg-type]

    def spy_source(*args: object, **kwargs: object) -> list[Diagnostic]:
        asked.append(("lint_source", kwargs.get("fixes", True)))
        return original_source(*args, **kwargs)  # type: ignore[arg-type]

    import pylint_keras_compat

    monkeypatch.setattr(engine, "lint_tree", spy_tree)
    monkeypatch.setattr(pylint_keras_compat, "lint_source", spy_source)
    _failing_fix(monkeypatch)
    (tmp_path / "lazy_fix_module.py").write_text(LEGACY, encoding="utf-8")
    _, out, _ = run_flake8(["lazy_fix_module.py"], "-j", "1", cwd=tmp_path)
    codes = {c for *_, c in parse_flake8(out)}
    assert "KC301" in codes and "KC000" not in codes
    assert asked == [("lint_tree", False)]
    _, out, _ = run_pylint(["lazy_fix_module.py"], cwd=tmp_path)
    codes = {c for *_, c in parse_pylint(out)}
    assert "KC301" in codes and "KC000" not in codes
    assert asked == [("lint_tree", False), ("lint_source", False)]
