"""Rules load lazily, from a generated manifest that cannot go stale unnoticed.

flake8 needs the off-by-default codes and pylint every message when they start, before any file is
checked; checking a file needs only the modules of the rules that run. The manifest
(``keras_compat/_rules_manifest.py``) says what each rule module declares; it is regenerated with the docs
(``python -m keras_compat.docs``) and this test (like tests/test_docs.py) fails when it is stale. A new
rule module needs no registration anywhere: the registry finds it on disk.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import keras_compat
from keras_compat import registry
from keras_compat.registry import REGISTRY, all_rules, manifest, manifest_entry, rule_modules

ROOT = Path(keras_compat.__file__).resolve().parent
REGENERATE = "regenerate with `python -m keras_compat.docs`"


def test_the_manifest_is_current() -> None:
    shipped = (ROOT / "_rules_manifest.py").read_text(encoding="utf-8")
    assert shipped == registry.manifest_source(), f"keras_compat/_rules_manifest.py is stale: {REGENERATE}"


def test_the_manifest_describes_every_rule_as_declared() -> None:
    from keras_compat._rules_manifest import RULES

    rules = all_rules()
    assert sorted(RULES) == [r.code for r in rules], REGENERATE
    for rule in rules:
        assert manifest()[rule.code] == manifest_entry(rule), f"{rule.code}: {REGENERATE}"
        assert manifest()[rule.code].module in rule_modules()


def test_every_rule_module_is_found_and_none_is_imported_by_the_package() -> None:
    folder = ROOT / "rules"
    on_disk = sorted(p.stem for p in folder.glob("*.py") if not p.name.startswith("_"))
    assert rule_modules() == on_disk
    init = ast.parse((folder / "__init__.py").read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(init) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert not imports, ("keras_compat/rules/__init__.py must not import the rule modules: they are loaded "
                         "when their rules are needed (keras_compat.registry)")
    declared = {entry.module for entry in manifest().values()}
    assert declared <= set(on_disk)


_PROBE = """
import sys
{setup}
loaded = sorted(m.rsplit(".", 1)[-1] for m in sys.modules if m.startswith("keras_compat.rules."))
print(" ".join(loaded) or "-")
"""


def _loaded_rule_modules(setup: str) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(setup=setup)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.split()
    return [] if out == ["-"] else out


def test_host_start_up_imports_no_rule_module() -> None:
    """What flake8 and pylint do before the first file: load the plugins, declare the options (flake8's
    default ignore list of off-by-default codes, pylint's messages), read the options."""
    setup = """
import argparse
import flake8_keras_compat, pylint_keras_compat
from flake8.options.manager import OptionManager
manager = OptionManager(version="0", plugin_versions="", parents=[], formatter_names=[])
flake8_keras_compat.KerasCompatChecker.add_options(manager)
assert manager.extended_default_ignore, "the off-by-default codes"
flake8_keras_compat.KerasCompatChecker.parse_options(manager.parse_args([]))
from pylint.lint import PyLinter
linter = PyLinter()
pylint_keras_compat.register(linter)
assert linter.msgs_store.get_message_definitions("E7201")
"""
    assert _loaded_rule_modules(setup) == []


def test_a_file_without_keras_imports_no_rule_module() -> None:
    setup = """
import ast
from keras_compat.engine import lint_tree
text = "import numpy as np\\nx = np.zeros(3)\\n"
assert lint_tree(ast.parse(text), text, "m.py") == []
"""
    assert _loaded_rule_modules(setup) == []


def test_checking_a_file_imports_only_the_modules_of_the_rules_that_run() -> None:
    setup = """
from keras_compat.engine import lint_source
from keras_compat.settings import Settings
found = lint_source("from keras.layers import Dense\\nDense(output_dim=2)\\n", "m.py", Settings(select=("KC201",)))
assert [d.code for d in found] == ["KC201"], found
"""
    assert _loaded_rule_modules(setup) == ["legacy_api"]
    every = _loaded_rule_modules("from keras_compat.engine import lint_source\n"
                                 "lint_source('import keras\\n', 'm.py')")
    keras3_only = sorted({e.module for e in manifest().values()} -
                         {e.module for e in manifest().values() if "tf-keras" in e.targets})
    assert every and not set(every) & set(keras3_only)  # default target tf-keras: no keras3-only module


def test_the_registry_loads_what_is_asked_for() -> None:
    setup = """
from keras_compat.registry import REGISTRY
assert REGISTRY["KC201"].symbol == "renamed-keras-argument"
assert REGISTRY.get("E501") is None and "E501" not in REGISTRY and REGISTRY.get("KC999") is None
"""
    loaded = _loaded_rule_modules(setup)
    assert "legacy_api" in loaded
    assert len(REGISTRY) == len(all_rules()) == len(manifest())
