"""Proof by execution: legacy Keras programs, fixed by the linter, run on the real libraries.

The CI subset of the execution corpus (``support.migration.ci_corpus``: seven Keras 1 idiom scripts and five Keras
2.2.4 examples) is fixed with ``--fix --unsafe-fixes`` and run under both targets. Each outcome must be the one
``docs/migration-results.md`` records (so the page stays current: regenerate it with
``python scripts/migration_results.py --only ci``), and every failure must be on a statement where the re-run
linter reports a finding, except the silent failures the page lists as gaps still to close. The classification
itself is tested without the libraries.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from support import migration
from support.properties import assert_migration_sound
from support.runtime import RUNTIMES

from keras_compat.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "docs" / "data" / "migration-results.json"
REGENERATE = "python scripts/migration_results.py --only ci"


# -- the classification (no libraries needed) ------------------------------------------------------------------

def _record(kind: str, message: str, line: int | None = 3, module: str | None = None) -> dict:
    return {"type": kind, "message": message, "line": line, "module": module}


@pytest.mark.parametrize("returncode,record,stderr,expected", [
    (0, None, "", "ok"),
    (None, None, "", "timeout"),
    (1, _record("DownloadBlocked", "network access blocked"), "", "needs-data"),
    (1, _record("FileNotFoundError", "[Errno 2] No such file or directory: 'glove.6B.100d.txt'"), "", "needs-data"),
    (1, _record("ModuleNotFoundError", "No module named 'PIL'", module="PIL"), "", "needs-deps"),
    (1, _record("ModuleNotFoundError", "No module named 'scipy.misc'", module="scipy.misc"), "", "needs-deps"),
    (1, _record("ImportError", "Could not import PIL.Image. The use of `load_img` requires PIL."), "", "needs-deps"),
    (1, _record("NameError", "name 'scipy' is not defined"), "", "needs-deps"),
    (1, _record("TBNotInstalledError", "TensorBoard is not installed, missing implementation for tf.summary.scalar"),
     "", "needs-deps"),
    (1, _record("ModuleNotFoundError", "No module named 'keras.utils.np_utils'", module="keras.utils.np_utils"), "",
     "error"),
    (1, _record("ImportError", "cannot import name 'merge' from 'keras.layers'", module="keras.layers"), "", "error"),
    (1, _record("NameError", "name 'model' is not defined"), "", "error"),
    (2, None, "usage: neural_style_transfer.py [-h] base\nneural_style_transfer.py: error: the following "
              "arguments are required: base", "needs-args"),
    (1, _record("IndexError", "list index out of range", line=2), "", "needs-args"),
    (1, _record("IndexError", "list index out of range", line=3), "", "error"),
    (-9, None, "", "error"),
])
def test_classify(returncode: int | None, record: dict | None, stderr: str, expected: str) -> None:
    lines = ["import sys", "path = sys.argv[1]", "x = values[10]"]
    status, error, line = migration.classify(returncode, record, stderr, lines)
    assert status == expected, (status, error)
    if record is not None and status != "ok":
        assert error is not None and error.startswith(record["type"])
        assert line == record["line"]


def test_summary_finds_the_cause_in_keras_and_tensorflow_messages() -> None:
    keras3 = "Exception encountered when calling Antirectifier.call().\n\n\x1b[1mmodule 'keras.backend' has no " \
             "attribute 'mean'\x1b[0m\n\nArguments received by Antirectifier.call():\n  • inputs=..."
    assert migration.summary(keras3) == "module 'keras.backend' has no attribute 'mean'"
    traced = "in user code:\n\n    File \"x.py\", line 3, in loss\n        return y * p\n\n    TypeError: Input " \
             "'y' of 'Mul' Op has type float32 that does not match type int64 of argument 'x'.\n"
    assert migration.summary(traced).startswith("TypeError: Input 'y' of 'Mul' Op")
    assert migration.summary("plain message\nsecond line") == "plain message"


def test_statement_range_covers_multi_line_calls_and_compound_headers() -> None:
    tree = ast.parse("model.fit(x, y,\n          nb_epoch=3)\nfor i in range(\n        3):\n    pass\n")
    assert migration.statement_range(tree, 1) == (1, 2)
    assert migration.statement_range(tree, 2) == (1, 2)
    assert migration.statement_range(tree, 3) == (3, 4)
    assert migration.statement_range(tree, 5) == (5, 5)


def test_flagged_counts_findings_on_any_line_of_the_failing_statement() -> None:
    tree = ast.parse("model.fit(x, y,\n          nb_epoch=3)\nprint(1)\n")
    findings = [migration.Finding("KC201", 2, 2, "renamed"), migration.Finding("KC999", 3, 3, "other")]
    assert [f.code for f in migration._flagged(findings, tree, 1)] == ["KC201"]
    assert [f.code for f in migration._flagged(findings, tree, 3)] == ["KC999"]


def test_idiom_scripts_are_keras1_programs() -> None:
    """Each idiom script parses, imports standalone keras and says which Keras 1.2.2 sources it follows."""
    scripts = migration.idiom_scripts()
    assert len(scripts) >= 10
    for script in scripts:
        tree = ast.parse(script.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree) or ""
        assert "keras 1.2.2" in doc, f"{script.name}: the docstring must cite the Keras 1.2.2 sources it follows"
        imported = {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert "keras" in imported and "tensorflow" not in imported, script.name


def test_recorded_results_cover_the_whole_corpus_under_both_targets() -> None:
    """The page's data file has one run per corpus program and target (the corpus names are stable)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    recorded = {(r["script"], r["target"]) for r in data["runs"]}
    idioms = {migration.corpus_name(p) for p in migration.idiom_scripts()}
    for name in idioms:
        for target in RUNTIMES:
            assert (name, target) in recorded, f"{name} under {target} is not recorded: run `{REGENERATE}`"
    examples = {s for s, _ in recorded if s.startswith("keras-2.2.4/")}
    assert len(examples) == 42, f"the Keras 2.2.4 sdist has 42 example scripts, the page records {len(examples)}"


# -- what the fix does to the corpus (no libraries needed) ----------------------------------------------------------

def _assert_sound(scripts: list[Path], target: str) -> None:
    settings = Settings(target=target)
    for script in scripts:
        assert_migration_sound(script.read_text(encoding="utf-8"), settings,
                               f"{migration.corpus_name(script)} [{target}]")


@pytest.mark.parametrize("target", RUNTIMES)
def test_fixing_the_idiom_scripts_introduces_nothing(target: str) -> None:
    """``--fix --unsafe-fixes`` leaves no idiom script mixing two Keras libraries, writes no line with a new
    KC102/KC103/KC106/KC107 finding, and a second fix changes nothing (support.properties)."""
    _assert_sound(migration.idiom_scripts(), target)


@pytest.mark.network
@pytest.mark.parametrize("target", RUNTIMES)
def test_fixing_the_keras_examples_introduces_nothing(target: str) -> None:
    """The same property over the 42 Keras 2.2.4 examples (the sdist is downloaded once and cached)."""
    _assert_sound(migration.keras_examples(), target)


# -- the runs (real libraries) ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ci_runs() -> list[migration.Run]:
    return migration.run_corpus(migration.ci_corpus(), RUNTIMES, jobs=2)


def _recorded() -> dict[tuple[str, str], migration.Run]:
    _, runs = migration.load_runs(DATA)
    return {(r.script, r.target): r for r in runs}


@pytest.mark.network
@pytest.mark.execution
@pytest.mark.slow
@pytest.mark.parametrize("target", RUNTIMES)
def test_fixed_programs_fail_only_where_the_linter_says_why(ci_runs: list[migration.Run], target: str) -> None:
    recorded = _recorded()
    stale, silent = [], []
    for run in (r for r in ci_runs if r.target == target):
        before = recorded.get((run.script, run.target))
        now = (run.status, run.line, run.flagged)
        if before is None or (before.status, before.line, before.flagged) != now:
            was = None if before is None else (before.status, before.line, before.flagged)
            stale.append(f"{run.script}: recorded {was}, now {now} {run.error or ''}")
        if run.status == "error" and not run.flagged:
            silent.append(run)
        assert run.status != "timeout", f"{run.script} ran out of time under {target}"
    listed = {(r.script, r.line) for r in recorded.values()
              if r.target == target and r.status == "error" and not r.flagged}
    unlisted = [f"{r.script}:{r.line}: {r.error} (`{r.source}`)" for r in silent if (r.script, r.line) not in listed]
    assert not unlisted, "failures on lines without a finding:\n" + "\n".join(unlisted)
    assert not stale, f"docs/migration-results.md is stale under {target} (run `{REGENERATE}`):\n" + "\n".join(stale)
