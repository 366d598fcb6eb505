"""Size and time limits in every front-end: a huge or pathological file is reported (KC001), never a hang.

The time limit must stop the *whole* file: its exception is not an ``Exception``, so the per-rule
containment (which turns a rule's bug into KC000 and lets the other rules run) cannot swallow it.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keras_compat import engine
from keras_compat.limits import TimeLimitExceeded, parse_limit
from support.frontends import parse_flake8, parse_pylint, run_flake8, run_pylint

KERAS = "from keras.layers import Dense\nlayer = Dense(output_dim=2)\n"  # KC201 on line 2
#: KC201 on line 3 and KC203 on line 4: findings of other rules that a stopped file must not report
SLOW = "# SLOW-MARKER\n" + KERAS + "from keras.layers import Convolution2D\n"

needs_timer = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timers on this platform")


@pytest.fixture()
def slow_rule(monkeypatch):
    """One rule (KC203) never finishes on a file holding SLOW-MARKER; the other rules are fine."""
    real = engine._run_rule

    def run_rule(rule, ctx):
        if rule.code == "KC203" and "SLOW-MARKER" in ctx.text:
            while True:
                time.sleep(0.01)
        return real(rule, ctx)

    monkeypatch.setattr(engine, "_run_rule", run_rule)


@pytest.fixture()
def files(tmp_path: Path) -> Path:
    (tmp_path / "slow.py").write_text(SLOW)
    (tmp_path / "ok.py").write_text(KERAS)
    return tmp_path


def _only_kc001(found: set, stopped: str) -> None:
    on_slow = sorted(f for f in found if f[0] == stopped)
    assert on_slow == [(stopped, 1, 0, "KC001")], on_slow  # no KC000, and no finding of the other rules
    assert ("ok.py", 2, 14, "KC201") in found


@needs_timer
def test_the_cli_time_limit_stops_the_whole_file(files: Path, slow_rule, capsys, monkeypatch) -> None:
    from keras_compat.cli import main

    monkeypatch.chdir(files)
    start = time.perf_counter()
    code = main(["check", "--isolated", "--no-cache", "-j", "1", "--max-file-seconds", "0.5", "."])
    out, _ = capsys.readouterr()
    assert time.perf_counter() - start < 30
    assert code == 2
    assert "slow.py:1:1: KC001 cannot analyse file: analysis stopped after 0.5 s (--max-file-seconds)" in out
    assert "KC000" not in out and "slow.py:3:" not in out and "ok.py:2:" in out


@needs_timer
def test_flake8_time_limit(files: Path, slow_rule) -> None:
    start = time.perf_counter()
    code, out, err = run_flake8(["slow.py", "ok.py"], "--keras-max-file-seconds=0.5", cwd=files)
    assert time.perf_counter() - start < 30
    assert "Traceback" not in err
    _only_kc001(parse_flake8(out), "slow.py")
    assert "cannot analyse file: analysis stopped after 0.5 s (--keras-max-file-seconds)" in out


@needs_timer
def test_pylint_time_limit(files: Path, slow_rule) -> None:
    start = time.perf_counter()
    code, out, err = run_pylint(["slow.py", "ok.py"], "--keras-max-file-seconds=0.5", cwd=files)
    assert time.perf_counter() - start < 30
    assert "Traceback" not in err
    _only_kc001(parse_pylint(out), "slow.py")
    assert "cannot analyse file: analysis stopped after 0.5 s (--keras-max-file-seconds)" in out


def test_plugin_size_limits(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text(KERAS + "x = 1\n" * 100)  # 660 bytes
    (tmp_path / "ok.py").write_text(KERAS)  # 58 bytes
    reason = "cannot analyse file: file is larger than 0.0002 MB; not analysed (--keras-max-file-size)"
    for run, parse in ((run_flake8, parse_flake8), (run_pylint, parse_pylint)):
        code, out, err = run(["big.py", "ok.py"], "--keras-max-file-size=0.0002", cwd=tmp_path)
        found = parse(out)
        assert ("big.py", 1, 0, "KC001") in found and ("big.py", 2, 14, "KC201") not in found, (run, out)
        assert ("ok.py", 2, 14, "KC201") in found and reason in out
        code, out, err = run(["big.py"], "--keras-max-file-size=0", cwd=tmp_path)  # 0: no limit
        assert ("big.py", 2, 14, "KC201") in parse(out) and "KC001" not in out


def test_plugin_limits_are_on_by_default(tmp_path: Path) -> None:
    import flake8_keras_compat
    import pylint_keras_compat

    (tmp_path / "ok.py").write_text(KERAS)
    run_flake8(["ok.py"], cwd=tmp_path)
    checker = flake8_keras_compat.KerasCompatChecker
    assert (checker._max_seconds, checker._max_bytes) == (30.0, 5_000_000)

    class Config:
        pass

    class Linter:
        config = Config()

    assert pylint_keras_compat._limits(Linter()) == (30.0, 5_000_000)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["-1", "soon", "nan"])
@pytest.mark.parametrize("where", ["command line", "config file"])
def test_bad_limit_values_are_the_hosts_clean_errors(tmp_path: Path, value: str, where: str) -> None:
    (tmp_path / "ok.py").write_text(KERAS)
    option = "keras-max-file-seconds"
    for tool, config in (("flake8", "setup.cfg"), ("pylint", "pylintrc")):
        args = [sys.executable, "-m", tool, "ok.py"]
        if where == "command line":
            args.append(f"--{option}={value}")
            if tool == "pylint":
                args[3:3] = ["--load-plugins=pylint_keras_compat", "--rcfile=/dev/null"]
        else:
            section = "[flake8]" if tool == "flake8" else "[MAIN]\nload-plugins=pylint_keras_compat\n[keras-compat-internal]"
            (tmp_path / config).write_text(f"{section}\n{option} = {value}\n")
            if tool == "pylint":
                args.append(f"--rcfile={config}")
        proc = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        (tmp_path / config).unlink(missing_ok=True)
        assert "Traceback" not in proc.stderr + proc.stdout, (tool, where, proc.stderr)
        assert proc.returncode in (2, 32), (tool, where, proc.returncode, proc.stdout, proc.stderr)
        assert option in proc.stderr and "error" in proc.stderr, (tool, where, proc.stderr)


def test_limit_values() -> None:
    assert parse_limit("2.5", "x") == 2.5 and parse_limit(0, "x") == 0
    for bad in ("-1", "soon", "nan", None):
        with pytest.raises(ValueError, match="max"):
            parse_limit(bad, "max-file-seconds")
    assert not issubclass(TimeLimitExceeded, Exception)  # no ``except Exception`` may swallow it


def test_a_file_over_the_default_size_costs_the_plugins_nothing() -> None:
    """A 6 MB module (over the default 5 MB): each plugin reports KC001 at once, without analysing it (the
    host has parsed it already; the analysis would need about 100 bytes of memory per byte of source)."""
    import ast

    import flake8_keras_compat
    import pylint_keras_compat
    from support.linearity import count_calls

    lines = ["import keras  # " + "x" * 40 + "\n"] * 110_000
    checker = flake8_keras_compat.KerasCompatChecker(ast.parse(lines[0]), lines, "big.py")
    found: list = []
    calls = count_calls(lambda: found.extend(checker.run()))
    assert len(found) == 1 and found[0][2].startswith("KC001 cannot analyse file: file is larger than 5 MB"), found
    assert calls < 5_000, calls  # a size check, not an analysis of 110,000 lines

    class Config:
        pass

    class Linter:
        config = Config()

    data = "".join(lines).encode()
    found = []
    calls = count_calls(lambda: found.extend(pylint_keras_compat._lint_limited(data, "big.py", Linter())))
    assert [d.code for d in found] == ["KC001"] and "larger than 5 MB" in found[0].message
    assert calls < 5_000, calls
