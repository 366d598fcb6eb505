"""``.pre-commit-hooks.yaml``: both hooks installed and run by ``pre-commit try-repo`` on a temporary
repository (pre-commit builds the hook venv with ``pip install .`` of this checkout, ~30 s).

Skipped only when pre-commit is not importable and cannot be installed from the package index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BAD = "from keras.layers import Dense\n\nlayer = Dense(3, output_dim=4)\n"


def _pre_commit() -> list[str]:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        proc = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pre-commit"],
                              capture_output=True,
                              text=True, timeout=300)
        if proc.returncode != 0:
            pytest.skip(f"pre-commit is not installed and could not be installed from the index: "
                        f"{proc.stderr.strip().splitlines()[-1:] or proc.returncode}")
    return [sys.executable, "-m", "pre_commit"]


def test_manifest_fields() -> None:
    import yaml  # pre-commit depends on PyYAML

    _pre_commit()
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["keras-compat", "keras-compat-fix"]
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= hook.keys()
        assert hook["language"] == "python" and hook["require_serial"] is True
        assert hook["entry"].startswith("keras-compat check")
        assert hook["types_or"] == ["python", "pyi", "jupyter"]  # notebooks too (issue 23, defect 4)
        assert "--force-exclude" in hook["entry"].split()  # pre-commit names files: exclusions still apply
    assert "--fix" in hooks[1]["entry"]
    from pre_commit.clientlib import load_manifest

    load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))  # pre-commit's own validation


@pytest.mark.slow
@pytest.mark.network
def test_try_repo_runs_both_hooks(tmp_path: Path) -> None:
    from support.pypi import require_network_marker

    require_network_marker("pre-commit installs the hook with pip")
    cmd = _pre_commit()
    repo = tmp_path / "user-repo"
    repo.mkdir()
    (repo / "model.py").write_text(BAD, encoding="utf-8")
    (repo / "notes.txt").write_text("from keras.layers import Dense\n", encoding="utf-8")  # skipped
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"language_info": {"name": "python"}},
                "cells": [{"cell_type": "code", "id": "c1", "metadata": {}, "execution_count": None, "outputs": [],
                           "source": ["from keras.layers import Dense\n", "layer = Dense(3, output_dim=4)\n"]}]}
    import json

    (repo / "nb.ipynb").write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")  # types_or: jupyter
    (repo / "generated").mkdir()
    (repo / "generated" / "gen.py").write_text(BAD, encoding="utf-8")  # excluded: --force-exclude holds
    (repo / "pyproject.toml").write_text("[tool.keras-compat]\nextend-exclude = ['generated/']\n", encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com",
           "PRE_COMMIT_COLOR": "never", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("VIRTUAL_ENV", None)
    git = shutil.which("git")
    assert git, "git is needed for pre-commit"
    subprocess.run([git, "init", "-q"], cwd=repo, check=True, env=env)
    subprocess.run([git, "add", "."], cwd=repo, check=True, env=env)
    # Both hooks in one run (one hook venv): the check hook reports on the original file, then the fix hook
    # rewrites it. try-repo includes this checkout's uncommitted changes.
    proc = subprocess.run([*cmd, "try-repo", str(ROOT), "--all-files", "--verbose"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "keras-compat....." in out and "keras-compat (fix)" in out, out
    assert "model.py:3:" in out and "KC201" in out, out
    assert "notes.txt:" not in out  # types_or: python, pyi, jupyter
    assert "nb.ipynb:cell 1:2:" in out and "gen.py" not in out, out
    assert "files were modified by this hook" in out, out
    fixed = (repo / "model.py").read_text(encoding="utf-8")
    assert fixed == "from keras.layers import Dense\n\nlayer = Dense(3, units=4)\n"
