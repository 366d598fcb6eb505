"""The same annotation formats through flake8 (``--format=kc-github|kc-sarif``) and pylint
(``--output-format=kc-github|kc-sarif``), rendered by the shared ``keras_compat.formats`` modules.

flake8 violations carry no end position and no fix, so these SARIF logs have start columns only.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_formats import SOURCE, sarif_validator

LINE5 = SOURCE.splitlines()[4]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "model.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def test_flake8_kc_sarif_truncates_and_validates(tmp_path: Path) -> None:
    root = project(tmp_path)
    for _ in range(2):  # flake8 appends to --output-file by default; kc-sarif must not
        proc = run(["flake8", "--format=kc-sarif", "--output-file=out/flake8.sarif", "pkg"], root)
        assert proc.returncode == 1, proc.stderr
    log = json.loads((root / "out" / "flake8.sarif").read_text(encoding="utf-8"))
    sarif_validator().validate(log)
    run0 = log["runs"][0]
    assert run0["tool"]["driver"]["name"] == "flake8"
    ids = {r["ruleId"] for r in run0["results"]}
    assert {"KC101", "KC201", "E702"} <= ids  # every flake8 finding, not only KC
    kc201 = next(r for r in run0["results"] if r["ruleId"] == "KC201"
                 and r["locations"][0]["physicalLocation"]["region"]["startLine"] == 5)
    region = kc201["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == LINE5.index("output_dim") + 1  # flake8 column, 1-based characters
    assert "fixes" not in kc201 and "endColumn" not in region
    assert kc201["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/model.py"
    rules = run0["tool"]["driver"]["rules"]
    assert rules[kc201["ruleIndex"]]["helpUri"].endswith("/docs/rules/KC201.md")


def test_flake8_kc_github(tmp_path: Path) -> None:
    proc = run(["flake8", "--format=kc-github", "pkg"], project(tmp_path))
    lines = proc.stdout.splitlines()
    col = LINE5.index("output_dim") + 1
    assert f"::error file=pkg/model.py,line=5,col={col},title=KC201 renamed-keras-argument::Dense: " \
           "argument 'output_dim' was renamed to 'units' in Keras 2.0.0 -> units=4" in lines
    assert any(x.startswith("::error file=pkg/model.py,line=5,") and "title=E702" in x for x in lines)
    assert lines[-1].startswith("flake8: emitted 5 annotations")


def test_pylint_reporters(tmp_path: Path) -> None:
    root = project(tmp_path)
    base = ["pylint", "--load-plugins=pylint_keras_compat", "--disable=all", "--enable=keras-compat-imports,"
            "keras-compat-legacy-api,missing-module-docstring"]
    proc = run([*base, "--output-format=kc-sarif:pylint.sarif,kc-github", "pkg/model.py"], root)
    assert proc.returncode != 0 and proc.returncode & 32 == 0, proc.stderr  # 32 = usage error
    lines = proc.stdout.splitlines()
    col = LINE5.index("output_dim") + 1
    assert f"::error file=pkg/model.py,line=5,endLine=5,col={col},endColumn={col + len('output_dim=4')}," \
           "title=KC201 renamed-keras-argument::Dense: argument 'output_dim' was renamed to 'units' in " \
           "Keras 2.0.0 -> units=4" in lines
    assert any("title=C0114 missing-module-docstring" in x and x.startswith("::notice") for x in lines)
    assert lines[-1].startswith("pylint: emitted 5 annotations")
    log = json.loads((root / "pylint.sarif").read_text(encoding="utf-8"))
    sarif_validator().validate(log)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"KC101", "KC201", "C0114"}
    kc201 = next(r for r in results if r["ruleId"] == "KC201"
                 and r["locations"][0]["physicalLocation"]["region"]["startLine"] == 5)
    assert kc201["locations"][0]["physicalLocation"]["region"]["startColumn"] == col
    assert kc201["partialFingerprints"]["primaryLocationLineHash"]
