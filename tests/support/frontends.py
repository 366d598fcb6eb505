"""Run the real flake8 and pylint on files, in-process or as subprocesses, and collect KC findings.

Findings are normalised to ``(path, line, column0, code)`` so that flake8 (1-based columns), pylint
(0-based) and the core can be compared directly.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

from keras_compat.registry import all_rules

Finding = tuple[str, int, int, str]
_FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>KC\d{3}) ")
_PYLINT_LINE = re.compile(r"^(?P<path>.+?)\|(?P<line>\d+)\|(?P<col>\d+)\|(?P<symbol>[a-z-]+)\|")
_BY_SYMBOL = {r.symbol: r.code for r in all_rules()}
_ENABLE_ALL = ",".join(g for g in sorted({r.group.name for r in all_rules()}))
_OFF_BY_DEFAULT = [r for r in all_rules() if not r.default_enabled]


def flake8_args(paths: list[str], *extra: str) -> list[str]:
    codes = ",".join(r.code for r in _OFF_BY_DEFAULT)
    args = ["--select=KC", "--no-show-source", "--format=default"]
    if codes:
        args.append(f"--extend-select={codes}")
    return [*args, *extra, *paths]


def pylint_args(paths: list[str], *extra: str) -> list[str]:
    enable = ",".join([_ENABLE_ALL, *(r.symbol for r in _OFF_BY_DEFAULT)])
    return ["--load-plugins=pylint_keras_compat", "--disable=all", f"--enable={enable}", "--persistent=n",
            "--score=n", "--msg-template={path}|{line}|{column}|{symbol}|{msg}", "--rcfile=/dev/null",
            *extra, *paths]


def parse_flake8(output: str) -> set[Finding]:
    found = set()
    for line in output.splitlines():
        match = _FLAKE8_LINE.match(line)
        if match:
            found.add((os.path.normpath(match["path"]), int(match["line"]), int(match["col"]) - 1, match["code"]))
    return found


def parse_pylint(output: str) -> set[Finding]:
    found = set()
    for line in output.splitlines():
        match = _PYLINT_LINE.match(line)
        if match and match["symbol"] in _BY_SYMBOL:
            found.add((os.path.normpath(match["path"]), int(match["line"]), int(match["col"]),
                       _BY_SYMBOL[match["symbol"]]))
    return found


def run_flake8(paths: list[str], *extra: str, subprocess_mode: bool = False, cwd: Path | None = None,
               stdin: str | None = None) -> tuple[int, str, str]:
    args = flake8_args(paths, *extra)
    if subprocess_mode:
        proc = subprocess.run([sys.executable, "-m", "flake8", *args], capture_output=True, text=True,
                              cwd=cwd, input=stdin, timeout=600)
        return proc.returncode, proc.stdout, proc.stderr
    import tempfile

    from flake8.main.cli import main

    err = io.StringIO()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "flake8.txt"
        with contextlib.redirect_stderr(err), _chdir(cwd):
            try:
                code = main([f"--output-file={report}", *args])
            except SystemExit as exc:  # pragma: no cover - flake8 7 returns, older versions exit
                code = int(exc.code or 0)
        out = report.read_text(encoding="utf-8") if report.exists() else ""
    return int(code or 0), out, err.getvalue()


def run_pylint(paths: list[str], *extra: str, subprocess_mode: bool = False, cwd: Path | None = None,
               stdin: str | None = None) -> tuple[int, str, str]:
    args = pylint_args(paths, *extra)
    if subprocess_mode:
        proc = subprocess.run([sys.executable, "-m", "pylint", *args], capture_output=True, text=True,
                              cwd=cwd, input=stdin, timeout=900)
        return proc.returncode, proc.stdout, proc.stderr
    from pylint.lint import Run

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _chdir(cwd):
        run = Run(args, exit=False)
    return int(run.linter.msg_status), out.getvalue(), err.getvalue()


@contextlib.contextmanager
def _chdir(path: Path | None):
    if path is None:
        yield
        return
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)
