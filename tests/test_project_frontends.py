"""Every front-end reads the project the same way: the CLI, flake8 and pylint (in-process and as
subprocesses, from files and from stdin) report what the core reports on multi-module projects: relative
and absolute imports, ``__init__`` re-exports, star imports, cycles between modules and a missing module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.frontends import parse_flake8, parse_pylint, run_flake8, run_pylint
from support.projects import ALSO, EXPECTED, VARIANTS, layer_start, variant, write

from keras_compat.engine import lint_source

Finding = tuple[str, int, int, str]

#: A project beyond the variants: a missing module, a cycle of star imports, a class cycle.
EXTRA = {
    "extra/app/__init__.py": "from .models import build\n",
    "extra/app/a.py": "from .b import *\nfrom keras import backend as K\n",
    "extra/app/b.py": "from .a import *\n",
    "extra/app/models.py": """\
        from .missing import Base
        from .a import *


        class Unknown(Base):
            def call(self, x):
                return K.sum(x)


        def build():
            return K.ones((1,))
        """,
}


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("projects")
    for name in VARIANTS:
        variant(root / name, name)
    write(root, EXTRA)
    return root


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))


def _core(root: Path) -> set[Finding]:
    found = set()
    for rel in _files(root):
        for d in lint_source((root / rel).read_bytes(), str(root / rel)):
            found.add((os.path.normpath(rel), d.line, d.col, d.code))
    return found


def _cli(root: Path, *extra: str) -> set[Finding]:
    proc = subprocess.run([sys.executable, "-m", "keras_compat", "check", "--format=json", "--isolated",
                           *extra, "."], cwd=root, capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return {(os.path.normpath(d["filename"]), d["line"], d["column"] - 1, d["code"])
            for d in json.loads(proc.stdout)}


def test_the_core_finds_the_layer_on_every_variant(projects: Path) -> None:
    core = _core(projects)
    for name in VARIANTS:
        subject = projects / name / "pkg/layers/subject.py"
        start = layer_start(subject)
        rel = os.path.normpath(f"{name}/pkg/layers/subject.py")
        found = {(line - start, code) for path, line, _, code in core if path == rel and line > start + 1}
        assert found == EXPECTED | ALSO.get(name, set()), name
    assert not [f for f in core if f[3] == "KC000"]
    models = os.path.normpath("extra/app/models.py")
    # the class of unknown base is not a layer: its backend call is a helper's (KC303), as in a single file
    assert {(line, code) for path, line, _, code in core if path == models} == {(7, "KC303"), (11, "KC303")}


@pytest.mark.parametrize("subprocess_mode", [False, True], ids=["in-process", "subprocess"])
def test_flake8_reads_the_project_like_the_core(projects: Path, subprocess_mode: bool) -> None:
    status, out, err = run_flake8(_files(projects), subprocess_mode=subprocess_mode, cwd=projects)
    assert "Traceback" not in err
    assert parse_flake8(out) == _core(projects)


@pytest.mark.parametrize("subprocess_mode", [False, True], ids=["in-process", "subprocess"])
def test_pylint_reads_the_project_like_the_core(projects: Path, subprocess_mode: bool) -> None:
    status, out, err = run_pylint(_files(projects), subprocess_mode=subprocess_mode, cwd=projects)
    assert "Traceback" not in err and "astroid-error" not in out
    assert parse_pylint(out) == _core(projects)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_cli_reads_the_project_like_the_core(projects: Path, tmp_path: Path, jobs: str) -> None:
    cache = str(tmp_path / "cache")
    cold = _cli(projects, "-j", jobs, "--cache-dir", cache)
    assert cold == _core(projects)
    assert _cli(projects, "-j", jobs, "--cache-dir", cache) == cold  # warm: from the cache


def test_a_changed_sibling_invalidates_the_cli_cache(tmp_path: Path) -> None:
    subject = variant(tmp_path, "relative-import")
    cache = str(tmp_path / "cache")
    start = layer_start(subject)
    first = {(line - start, code) for _, line, _, code in _cli(tmp_path, "--cache-dir", cache)
             if line > start + 1}
    assert first == EXPECTED
    base = tmp_path / "pkg/layers/base.py"
    base.write_text(base.read_text().replace("class Base(Layer)", "class Base(object)"))
    second = {(line - start, code) for _, line, _, code in _cli(tmp_path, "--cache-dir", cache)
              if line > start + 1}
    assert second == {(11, "KC303")}  # no longer a layer: a backend call outside layers


def test_an_editor_buffer_on_stdin_reads_its_siblings_from_disk(tmp_path: Path) -> None:
    """The file itself comes from stdin (unsaved); its siblings from disk, in all three front-ends."""
    subject = variant(tmp_path, "relative-import")
    buffer = subject.read_text()
    subject.write_text("x = 1\n")  # what is on disk is stale
    start = layer_start_from(buffer)
    rel = "pkg/layers/subject.py"
    expected = {(line + start, code) for line, code in EXPECTED}
    _, out, err = run_flake8(["-", "--stdin-display-name", rel], subprocess_mode=True, cwd=tmp_path, stdin=buffer)
    assert {(line, code) for _, line, _, code in parse_flake8(out)} >= expected, err
    _, out, err = run_pylint(["--from-stdin", rel], subprocess_mode=True, cwd=tmp_path, stdin=buffer)
    assert {(line, code) for _, line, _, code in parse_pylint(out)} >= expected, err
    proc = subprocess.run([sys.executable, "-m", "keras_compat", "check", "--isolated", "--no-cache",
                           "--format=json", "--stdin-filename", rel, "-"], cwd=tmp_path, input=buffer,
                          capture_output=True, text=True, timeout=120)
    found = {(d["line"], d["code"]) for d in json.loads(proc.stdout)}
    assert found >= expected, proc.stderr


def layer_start_from(text: str) -> int:
    lines = text.splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith("class Scale")) - 2


@pytest.mark.parametrize("front_end", ["flake8", "pylint"])
def test_a_sibling_changed_between_in_process_runs_is_read_again(tmp_path: Path, front_end: str) -> None:
    """Within a run the plugins take the project's files as unchanged (keras_compat.host_run); a new run in the
    same process (an editor's server, a test session) reads a changed sibling again, and a new sibling too."""
    subject = variant(tmp_path, "relative-import")
    start = layer_start(subject)
    rel = str(subject.relative_to(tmp_path))
    run, parse = (run_flake8, parse_flake8) if front_end == "flake8" else (run_pylint, parse_pylint)

    def findings() -> set[tuple[int, str]]:
        _, out, err = run([rel], cwd=tmp_path)
        assert "Traceback" not in err
        return {(line - start, code) for _, line, _, code in parse(out) if line > start + 1}

    assert findings() == EXPECTED
    base = tmp_path / "pkg/layers/base.py"
    text = base.read_text()
    base.write_text(text.replace("class Base(Layer)", "class Base(object)"))
    assert findings() == {(11, "KC303")}  # no longer a layer: a backend call outside layers
    base.write_text(text)
    assert findings() == EXPECTED


@pytest.mark.parametrize("front_end", ["flake8", "pylint"])
def test_a_module_added_between_in_process_runs_is_seen(tmp_path: Path, front_end: str) -> None:
    """An import root's listing is read once per run: a module added after a run is part of the next one."""
    (tmp_path / "main.py").write_text("from helpers import K\nfrom keras.layers import Layer\n\n\nclass Sum(Layer):\n"
                                      "    def call(self, x):\n        return K.sum(x)\n")
    run, parse = (run_flake8, parse_flake8) if front_end == "flake8" else (run_pylint, parse_pylint)

    def codes() -> set[str]:
        _, out, err = run(["main.py"], cwd=tmp_path)
        assert "Traceback" not in err
        return {code for *_, code in parse(out)}

    assert "KC301" not in codes()  # ``helpers`` is nothing of the project's: ``helpers.K`` is not Keras
    (tmp_path / "helpers.py").write_text("from keras import backend as K\n")
    assert "KC301" in codes()
