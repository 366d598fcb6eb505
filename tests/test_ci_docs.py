"""docs/ci.md: every marked CI snippet parses, wires its output file to its consumer, and its command
lines (the ``keras-compat``/``flake8``/``pylint`` ones; installs and third-party actions are skipped) run
here on a small project and produce a file that validates (SARIF schema, reviewdog rdjson facts,
GitLab Code Quality fields, GitHub workflow commands)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from test_formats import GITLAB_ISSUE, RD_RESULT, SOURCE, sarif_validator

yaml = pytest.importorskip("yaml")  # PyYAML comes with pre-commit (test extra)

DOC = Path(__file__).resolve().parents[1] / "docs" / "ci.md"
TOOLS = ("keras-compat", "flake8", "pylint")


def snippets() -> dict[str, dict]:
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(r"<!-- ci-test: ([\w-]+) -->\n```yaml\n(.*?)```", text, re.S)
    return {name: yaml.safe_load(body) for name, body in found}


def commands(snippet: dict) -> list[str]:
    """Command lines of GitHub ``run:`` steps and GitLab ``script:`` entries that call our tools."""
    lines: list[str] = []
    for job in snippet.get("jobs", {}).values():
        for step in job.get("steps", []):
            lines += str(step.get("run", "")).splitlines()
    for key, job in snippet.items():
        if isinstance(job, dict) and "script" in job:
            lines += job["script"]
    return [line.strip() for line in lines if line.strip().startswith(TOOLS)]


def steps_using(snippet: dict, action: str) -> list[dict]:
    return [s for job in snippet["jobs"].values() for s in job["steps"]
            if s.get("uses", "").startswith(action)]


def run_line(line: str, cwd: Path) -> tuple[int, str]:
    """Run one documented command line; a pipe into reviewdog is cut (reviewdog reads our stdout)."""
    line = line.split(" | reviewdog")[0]
    argv = shlex.split(line)
    bindir = Path(sys.executable).parent
    exe = {"keras-compat": [sys.executable, "-m", "keras_compat"], "flake8": [sys.executable, "-m", "flake8"],
           "pylint": [sys.executable, "-m", "pylint"]}[argv[0]]
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run([*exe, *argv[1:]], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=120)
    if argv[0] == "pylint":  # bit mask: 1 fatal, 32 usage error; 2/4/8/16 = messages found
        assert proc.returncode & 33 == 0, proc.stderr
        return min(proc.returncode, 1), proc.stdout
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, proc.stdout


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "model.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def test_every_snippet_is_marked() -> None:
    assert set(snippets()) == {"github-sarif", "github-reviewdog", "github-annotations", "gitlab"}
    for name, snippet in snippets().items():
        assert commands(snippet), name


def test_github_sarif_upload(project: Path) -> None:
    snippet = snippets()["github-sarif"]
    job = snippet["jobs"]["keras-compat"]
    assert job["permissions"]["security-events"] == "write"
    (upload,) = steps_using(snippet, "github/codeql-action/upload-sarif@")
    assert upload["if"] == "always()"
    (line,) = commands(snippet)
    assert run_line(line, project)[0] == 1
    log = json.loads((project / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    sarif_validator().validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}
    assert uris == {"pkg/model.py"}  # repository-relative when run from the root


def test_github_reviewdog(project: Path) -> None:
    snippet = snippets()["github-reviewdog"]
    (line,) = commands(snippet)
    assert "-f=rdjson" in line and "-reporter=github-pr-review" in line
    assert snippet["jobs"]["reviewdog"]["permissions"]["pull-requests"] == "write"
    _, out = run_line(line, project)
    result = json.loads(out)
    jsonschema.Draft202012Validator(RD_RESULT).validate(result)
    assert any(d.get("suggestions") for d in result["diagnostics"])


def test_github_annotations(project: Path) -> None:
    snippet = snippets()["github-annotations"]
    (line,) = commands(snippet)
    _, out = run_line(line, project)
    lines = out.splitlines()
    assert lines and all(x.startswith(("::error ", "::warning ", "::notice ")) for x in lines[:-1])
    assert lines[-1].startswith("keras-compat: emitted 4 annotations")
    # the commented-out flake8/pylint alternatives, and the SARIF variants mentioned in the text
    text = DOC.read_text(encoding="utf-8")
    for alt in re.findall(r"# - run: (.*)", text):
        alt = alt.replace("your_package", "pkg")
        code, out = run_line(alt, project)
        assert code == 1, alt
        assert any(x.startswith("::error file=pkg/model.py,line=5,") for x in out.splitlines()), alt
    for alt in re.findall(r"`((?:flake8|pylint) [^`]*kc-sarif[^`]*)`", text):
        run_line(alt, project)
        target = re.search(r"(?:--output-file=|kc-sarif:)(\S+)", alt).group(1)
        sarif_validator().validate(json.loads((project / target).read_text(encoding="utf-8")))


def test_gitlab_code_quality(project: Path) -> None:
    snippet = snippets()["gitlab"]
    job = snippet["keras-compat"]
    (line,) = commands(snippet)
    assert run_line(line, project)[0] == 1
    assert job["artifacts"]["when"] == "always"
    report = project / job["artifacts"]["reports"]["codequality"]
    issues = json.loads(report.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator({"type": "array", "items": GITLAB_ISSUE, "minItems": 1}).validate(issues)
