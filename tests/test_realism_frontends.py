"""Both front-ends on the realism corpus: no crash, and the same (file, line, column, code) set as the core."""

from __future__ import annotations

import os

import pytest
from support.examples import everything
from support.frontends import parse_flake8, parse_pylint, run_flake8, run_pylint
from support.realism import PACKAGES, package_files, package_root

from keras_compat.engine import lint_source

pytestmark = pytest.mark.network


@pytest.mark.parametrize(("name", "version"), PACKAGES, ids=[p[0] for p in PACKAGES])
def test_flake8_and_pylint_agree_with_the_core(name: str, version: str) -> None:
    root = package_root(name, version)
    files = [str(p.relative_to(root)) for p in package_files(name, version)]
    core = set()
    for rel in files:
        for d in lint_source((root / rel).read_bytes(), str(root / rel), everything()):  # where the tools run
            if d.code != "KC001":  # flake8 and pylint report unparsable files themselves (E999 / E0001)
                core.add((os.path.normpath(rel), d.line, d.col, d.code))
    status, out, err = run_flake8(files, subprocess_mode=True, cwd=root)
    assert "Traceback" not in err, err[-2000:]
    flake8 = parse_flake8(out)
    status, out, err = run_pylint(files, "-j2", subprocess_mode=True, cwd=root)
    assert "Traceback" not in err and "astroid-error" not in out, err[-2000:]
    pylint = parse_pylint(out)
    assert not [f for f in core if f[3] == "KC000"]
    assert flake8 == core, f"flake8 differs: missing {sorted(core - flake8)[:10]} extra {sorted(flake8 - core)[:10]}"
    assert pylint == core, f"pylint differs: missing {sorted(core - pylint)[:10]} extra {sorted(pylint - core)[:10]}"
