"""Resource limits of the CLI (time per file, file size), resource reporting, and symbolic links."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keras_compat.cli import limits, main, runner
from keras_compat.engine import lint_source

KERAS = "from keras.layers import Dense\nlayer = Dense(output_dim=2)\n"  # KC201 on line 2
SLOW = "# SLOW-MARKER\n" + KERAS


def _run(args: list[str], cwd: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def slow_analysis(monkeypatch):
    """A pathological file: analysing any text holding SLOW-MARKER never finishes by itself."""

    def analyse(text, filename, settings):
        if "SLOW-MARKER" in text:
            while True:
                time.sleep(0.01)
        return lint_source(text, filename, settings)

    monkeypatch.setattr(runner, "analyse", analyse)


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timers on this platform")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_pathological_file_cannot_stall_the_run(tmp_path, capsys, monkeypatch, slow_analysis, jobs) -> None:
    if jobs == "2" and __import__("multiprocessing").get_start_method() != "fork":
        pytest.skip("the monkeypatched analysis reaches workers only under fork")
    for i in range(12):
        (tmp_path / f"m{i:02d}.py").write_text(SLOW if i == 5 else KERAS)
    start = time.perf_counter()
    code, out, err = _run(["check", "--isolated", "--no-cache", "-j", jobs, "--max-file-seconds", "0.5",
                           "--resources", "."], tmp_path, capsys, monkeypatch)
    assert time.perf_counter() - start < 60
    assert code == 2
    assert "m05.py:1:1: KC001 cannot analyse file: analysis stopped after 0.5 s (--max-file-seconds)" in out
    for i in range(12):
        if i != 5:
            assert f"m{i:02d}.py:2:" in out  # every other file was checked
    assert "1 file could not be read or parsed" in err
    assert "Resources: " in err and "Slowest files: m05.py" in err


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timers on this platform")
def test_time_limit_covers_fixing_but_never_a_write(tmp_path, capsys, monkeypatch) -> None:
    from keras_compat.cli import writer

    (tmp_path / "a.py").write_text(KERAS)
    real = writer.os.fsync

    def slow_fsync(fd):
        time.sleep(0.6)  # longer than the limit, inside the write: the timer must be off by now
        return real(fd)

    monkeypatch.setattr(writer.os, "fsync", slow_fsync)
    code, out, err = _run(["check", "--isolated", "--no-cache", "-j", "1", "--fix", "--max-file-seconds", "0.3",
                           "."], tmp_path, capsys, monkeypatch)
    assert "units=2" in (tmp_path / "a.py").read_text()
    assert "stopped" not in out


def test_limits_restore_the_hosts_alarm() -> None:
    if not limits.available():
        pytest.skip("no interval timers here")
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 5)
        with limits.time_limit(2):
            pass
        handler = signal.getsignal(signal.SIGALRM)
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
        assert handler is not None and handler not in (signal.SIG_DFL, signal.SIG_IGN)
        assert 3 < remaining <= 5  # the host's timer runs on
        with pytest.raises(limits.TimeLimitExceeded):
            with limits.time_limit(0.05):
                while True:
                    time.sleep(0.005)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []


def test_size_limit(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "big.py").write_text(KERAS + "x = 1\n" * 400)
    (tmp_path / "small.py").write_text(KERAS)
    code, out, err = _run(["check", "--isolated", "--no-cache", "-j", "1", "--max-file-size", "0.001", "."],
                          tmp_path, capsys, monkeypatch)
    assert code == 2
    assert "big.py:1:1: KC001 cannot analyse file: file is larger than 0.001 MB; not analysed (--max-file-size)" in out
    assert "small.py:2:" in out
    code, out, err = _run(["check", "--isolated", "--no-cache", "-j", "1", "--max-file-size", "0", "."],
                          tmp_path, capsys, monkeypatch)
    assert code == 1 and "big.py:2:" in out


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_endless_device_given_explicitly(tmp_path, capsys, monkeypatch) -> None:
    """A device is not a regular file: refused before it is opened (it could never end, or block)."""
    code, out, err = _run(["check", "--isolated", "--no-cache", "/dev/zero"], tmp_path, capsys, monkeypatch)
    assert code == 2 and "/dev/zero:1:1: KC001 cannot analyse file: a character device, not a regular file" in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("extra", [["-j", "1"], ["-j", "2"], ["-j", "2", "--no-cache"],
                                   ["-j", "1", "--max-file-seconds", "1"]])
def test_a_fifo_named_explicitly_is_refused(tmp_path, extra: list[str]) -> None:
    """Issue 23: ``mkfifo f.py; keras-compat check f.py`` hung forever, also with -j 2 and a time limit (the
    file was opened before any limit applied, and with -j 2 by the parent looking for a cached result)."""
    os.mkfifo(tmp_path / "f.py")
    names = [f"m{n}.py" for n in range(9)]
    for name in names:
        (tmp_path / name).write_text(KERAS)
    cmd = [sys.executable, "-m", "keras_compat", "check", "--isolated", *extra, "f.py", *names]
    for _ in range(2):  # a cold and a warm cache
        proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode == 2
        assert "f.py:1:1: KC001 cannot analyse file: a FIFO (named pipe), not a regular file; not read" in proc.stdout
        assert all(f"{name}:2:" in proc.stdout for name in names)


def test_limits_from_the_configuration(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.keras-compat]\nmax-file-size = 0.0001\nmax-file-seconds = 10\n"
                                             "follow-links = false\n")
    (tmp_path / "a.py").write_text(KERAS + "x = 1\n" * 30)
    code, out, err = _run(["check", "--no-cache", "."], tmp_path, capsys, monkeypatch)
    assert code == 2 and "larger than 0.0001 MB" in out
    for body, needle in (("max-file-size = -1", "max-file-size must be a number >= 0"),
                         ("max-file-seconds = 'x'", "max-file-seconds must be a number"),
                         ("follow-links = 1", "follow-links must be true or false")):
        (tmp_path / "pyproject.toml").write_text(f"[tool.keras-compat]\n{body}\n")
        code, out, err = _run(["check", "--no-cache", "."], tmp_path, capsys, monkeypatch)
        assert code == 2 and needle in err, err
    assert _run(["check", "--isolated", "--max-file-seconds", "-1", "."], tmp_path, capsys, monkeypatch)[0] == 2


# -- symbolic links -------------------------------------------------------------------------------------------

@pytest.fixture()
def linked_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    (tree / "pkg").mkdir(parents=True)
    (tree / "pkg" / "a.py").write_text(KERAS)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.py").write_text(KERAS)
    try:
        (tree / "pkg" / "loop").symlink_to(tree / "pkg", target_is_directory=True)  # a loop
        (tree / "self").symlink_to(tree, target_is_directory=True)  # another loop
        (tree / "ext").symlink_to(outside, target_is_directory=True)  # a directory outside
        (tree / "ext_file.py").symlink_to(outside / "o.py")  # a file outside
        (tree / "alias.py").symlink_to(tree / "pkg" / "a.py")  # a file inside (same file twice)
        (tree / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    except (OSError, NotImplementedError):
        pytest.skip("cannot create symbolic links here")
    return tree


def _files(out: str) -> set[str]:
    return {line.split(":", 1)[0].replace(os.sep, "/") for line in out.splitlines()
            if ":" in line and line.split(":")[1].isdigit()}


def test_links_are_not_followed_by_default(linked_tree, capsys, monkeypatch) -> None:
    code, out, err = _run(["check", "--isolated", "--no-cache", "-j", "1", "."], linked_tree, capsys, monkeypatch)
    assert _files(out) == {"alias.py"}, out  # pkg/a.py reached twice (through alias.py first): checked once
    assert "Traceback" not in err


def test_follow_links_is_loop_safe(linked_tree, capsys, monkeypatch) -> None:
    start = time.perf_counter()
    code, out, err = _run(["check", "--isolated", "--no-cache", "-j", "1", "--follow-links", "."], linked_tree,
                          capsys, monkeypatch)
    assert time.perf_counter() - start < 30
    assert _files(out) == {"alias.py", "ext/o.py"}, out  # each real file once


def test_a_link_named_explicitly_is_checked(linked_tree, capsys, monkeypatch) -> None:
    code, out, err = _run(["check", "--isolated", "--no-cache", "ext_file.py", "ext"], linked_tree, capsys,
                          monkeypatch)
    assert _files(out) == {"ext_file.py"}, out  # the same real file reached twice is checked once


def test_symlink_loop_subprocess(linked_tree) -> None:
    for extra in ([], ["--follow-links"]):
        proc = subprocess.run([sys.executable, "-m", "keras_compat", "check", "--isolated", "--no-cache", "-j", "2",
                               *extra, "."], cwd=linked_tree, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
