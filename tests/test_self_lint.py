"""The project passes its own linters: flake8 (with our own plugin enabled) on every source file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_flake8_is_clean_on_the_project() -> None:
    proc = subprocess.run([sys.executable, "-m", "flake8", "keras_compat", "flake8_keras_compat",
                           "pylint_keras_compat", "tests", "scripts", "setup.py"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
