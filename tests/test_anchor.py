"""The engine's shortcut for modules that import nothing a rule can resolve (:mod:`keras_compat.anchor`).

Such a module gets only the rules declared ``import_free`` whose words occur in it. The findings are those of
the full analysis on every rule example (as written, and with its Keras, TensorFlow, backend, relative and
star imports removed, the module such a shortcut is about), the fixtures and the realism corpora; and a
rule that reports in such a module must be declared ``import_free``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support.examples import cases, everything
from support.realism import PACKAGES, package_files

from keras_compat import engine
from keras_compat.anchor import ROOTS, unanchored
from keras_compat.gate import identifiers
from keras_compat.diagnostics import Diagnostic
from keras_compat.engine import lint_source
from keras_compat.registry import all_rules
from keras_compat.settings import TARGETS, Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"


class _Unanchor(ast.NodeTransformer):
    """Removes every import that anchors a module (keeps ``import os``, ``import numpy as np``...)."""

    def visit_Import(self, node: ast.Import) -> ast.AST:
        kept = [alias for alias in node.names if alias.name.partition(".")[0] not in ROOTS]
        if not kept:
            return ast.Pass()
        node.names = kept
        return node

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST:
        if node.level or (node.module or "").partition(".")[0] in ROOTS or any(a.name == "*" for a in node.names):
            return ast.Pass()
        return node


def _strip_anchors(source: str) -> str | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    # A comment keeps the text gate open: the module still "mentions Keras", as setup.py files do.
    return "# keras\n" + ast.unparse(ast.fix_missing_locations(_Unanchor().visit(tree)))


def _full(monkeypatch: pytest.MonkeyPatch, source: str, filename: str, settings: Settings) -> list[Diagnostic]:
    """The findings without the shortcut (every module counted as anchored)."""
    with monkeypatch.context() as patch:
        patch.setattr(engine, "unanchored", lambda *args: None)
        return lint_source(source, filename, settings)


def _same(monkeypatch: pytest.MonkeyPatch, source: str, filename: str, settings: Settings) -> list[Diagnostic]:
    found = lint_source(source, filename, settings)
    assert found == _full(monkeypatch, source, filename, settings), filename
    return found


def test_rule_examples_report_the_same_with_the_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    free = 0
    for case in cases():
        _same(monkeypatch, case.code, "example.py", case.settings)
        stripped = _strip_anchors(case.code)
        if stripped is not None:
            free += len(_same(monkeypatch, stripped, "example.py", case.settings))
    assert free > 0  # KC104 and KC204 report in modules without a Keras import: the comparison covers them


def test_only_import_free_rules_report_in_a_module_without_anchoring_imports() -> None:
    """What a rule's declaration promises: without the imports, a rule that is not ``import_free`` reports
    nothing on its bad examples, and an ``import_free`` one only where one of its words occurs."""
    for rule in all_rules():
        if rule.check is None:
            continue
        for target in TARGETS:
            for bad in rule.bad_for(target):
                stripped = _strip_anchors(bad.code)
                if stripped is None:
                    continue
                settings = Settings(target=target, run_all=True)
                with pytest.MonkeyPatch.context() as patch:
                    patch.setattr(engine, "unanchored", lambda *args: None)  # the full analysis
                    found = [d for d in lint_source(stripped, "example.py", settings) if d.code == rule.code]
                if found:
                    modules = unanchored(ast.parse(stripped), (), None)
                    assert rule.import_free is not None and modules is not None, (rule.code, stripped)
                    assert rule.import_free.allows(identifiers(stripped), modules), (rule.code, stripped)


def test_the_import_free_rules_are_the_ones_that_need_it() -> None:
    assert {rule.code for rule in all_rules() if rule.import_free is not None} == {"KC104", "KC204"}
    from keras_compat import knowledge

    methods = knowledge.removed_methods()
    kc204 = next(rule for rule in all_rules() if rule.code == "KC204")
    assert kc204.import_free is not None
    assert set(kc204.import_free.words) == {name for name, entry in methods.items() if not entry.shared_with}


@pytest.mark.parametrize("target", TARGETS)
def test_fixtures_report_the_same_with_the_shortcut(monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    paths = sorted(FIXTURES.rglob("*.py"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        _same(monkeypatch, text, str(path), everything(target))
        stripped = _strip_anchors(text)
        if stripped is not None:
            _same(monkeypatch, stripped, str(path), everything(target))


@pytest.mark.network
@pytest.mark.parametrize("name,version", PACKAGES, ids=[n for n, _ in PACKAGES])
def test_realism_packages_report_the_same_with_the_shortcut(monkeypatch: pytest.MonkeyPatch, name: str,
                                                            version: str) -> None:
    for path in package_files(name, version):
        _same(monkeypatch, path.read_text(encoding="utf-8", errors="replace"), str(path), Settings())


@pytest.mark.parametrize("source", [
    "import keras\n", "import tensorflow as tf\n", "from tf_keras import layers\n", "import theano.tensor as T\n",
    "import cntk\n", "from keras.layers import Dense\n", "from . import layers\n", "from ..base import Layer\n",
    "from numpy import *\n", "import os\ntry:\n    import keras\nexcept ImportError:\n    pass\n",
    "def f():\n    from tensorflow import keras\n    return keras\n",
    "class A:\n    import tensorflow.compat.v1 as tf\n",
])
def test_anchoring_imports(source: str) -> None:
    assert unanchored(ast.parse(source), (), None) is None


@pytest.mark.parametrize("source", [
    "", "import os\nimport numpy as np\n", '"""A Keras model."""\nimport json\n', "import kerastuner\n",
    "from keras_contrib_stub import x\n", "# from keras.layers import Dense\nx = 'import keras'\n",
])
def test_modules_without_anchoring_imports(source: str) -> None:
    assert unanchored(ast.parse(source), (), None) is not None


def test_project_imports_and_backend_aliases_anchor() -> None:
    tree = ast.parse("import os\nfrom mypkg.compat import K\n")
    asked: list[str] = []

    def is_root(name: str) -> bool:
        asked.append(name)
        return name == "mypkg"

    assert unanchored(tree, (), None) == {"os", "mypkg"}  # the project index off: a project import resolves nothing
    assert unanchored(tree, (), is_root) is None and "mypkg" in asked
    assert unanchored(tree, ("mypkg.compat.K",), None) is None  # an extra backend alias resolves without the index
    assert unanchored(ast.parse("import os\n"), ("mypkg.compat.K",), is_root) == {"os"}


def test_a_module_that_only_mentions_keras_builds_no_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """``setup.py`` with ``install_requires=["keras"]``: no context, no rule, no finding."""
    def no_context(*args: object, **kwargs: object) -> None:
        raise AssertionError("a context was built")

    monkeypatch.setattr(engine, "Context", no_context)
    setup = 'from setuptools import setup\n\nsetup(name="m", install_requires=["keras>=2.2"])\n'
    assert lint_source(setup, "setup.py") == []  # (a context built would be a KC000 finding)
    # an import-free rule's word brings the analysis back (KC204 reports on any receiver)
    trains = "def train(model, gen):  # keras\n    model.fit_generator(gen)\n"
    assert [(d.code, "a context was built" in d.message) for d in lint_source(trains, "train.py")] == [("KC000", True)]
    monkeypatch.undo()
    assert [d.code for d in lint_source(trains, "train.py")] == ["KC204"]


@pytest.mark.parametrize("source", [
    # spellings Python reads as KERAS_BACKEND (KC104 runs with an os import and "KERAS" in one piece)
    "import os  # keras\nos.environ['KERAS_' 'BACKEND'] = 'theano'\n",
    "import os  # keras\nos.environ['KERAS\\x5fBACKEND'] = 'theano'\n",
    "from os import environ  # keras\nenviron.update(\uff2bERAS_BACKEND='theano')\n",
    # an identifier Python normalises (NFKC): the ligature is 'fi'
    "def train(model, gen):  # keras\n    model.\ufb01t_generator(gen)\n",
])
def test_spellings_python_normalises_keep_their_findings(monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    assert _same(monkeypatch, source, "m.py", Settings())


def test_import_free_conditions_combine() -> None:
    from keras_compat.registry import ImportFree

    both = ImportFree(words=("KERAS",), modules=("os",))
    assert both.allows("KERAS_BACKEND", frozenset({"os"}))
    assert not both.allows("KERAS_BACKEND", frozenset({"sys"})) and not both.allows("BACKEND", frozenset({"os"}))
    assert ImportFree(words=("fit_generator",)).allows("m.fit_generator()", frozenset())
    assert ImportFree(modules=("os",)).allows("", frozenset({"os"}))
