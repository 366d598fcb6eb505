"""Static only: no front-end imports or executes the code it lints, and linting never touches the network.

The fixture package's modules, if imported, write a marker file next to themselves and end the interpreter
with ``os._exit(42)``; ``user.py`` imports them the way real code does, so pylint's inference (astroid)
has every reason to look at them. Every front-end must lint them (findings prove it read them), leave no
marker and exit normally. Network: sockets are blocked in-process (monkeypatched) and in subprocesses (a
``sitecustomize`` guard that records any attempt).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from support.frontends import parse_flake8, parse_pylint, run_flake8, run_pylint

from keras_compat.cli import main
from keras_compat.engine import lint_source

HOSTILE_BODY = '''\
import os as _os
import pathlib as _pathlib
_pathlib.Path(__file__).with_name("MARKER_{name}").write_text("imported")
_os._exit(42)
from keras.layers import Dense
layer = Dense(output_dim=2)
'''
USER = '''\
import pkg
from pkg import evil
from pkg.evil import layer
from keras.layers import Dense
x = Dense(output_dim=evil.layer)
y = pkg.layer.compute_output_shape
'''
GUARD = '''\
import os, socket
_MARKER = os.environ["KC_NETWORK_MARKER"]
def _blocked(*args, **kwargs):
    with open(_MARKER, "a") as fh:
        fh.write(repr(args[:2]) + "\\n")
    raise OSError("network access blocked by the keras-compat test guard")
socket.socket.connect = _blocked
socket.socket.connect_ex = _blocked
socket.create_connection = _blocked
socket.getaddrinfo = _blocked
'''


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(HOSTILE_BODY.format(name="init"))
    (pkg / "evil.py").write_text(HOSTILE_BODY.format(name="evil"))
    (pkg / "setup.py").write_text(HOSTILE_BODY.format(name="setup"))
    (tmp_path / "user.py").write_text(USER)
    (tmp_path / "conftest.py").write_text(HOSTILE_BODY.format(name="conftest"))
    return tmp_path


FILES = ["pkg/__init__.py", "pkg/evil.py", "pkg/setup.py", "user.py", "conftest.py"]


def _markers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("MARKER_*"))


@pytest.fixture()
def guarded_env(tmp_path_factory) -> tuple[dict[str, str], Path]:
    """Environment for subprocesses whose every socket connection attempt is blocked and recorded."""
    guard_dir = tmp_path_factory.mktemp("guard")
    (guard_dir / "sitecustomize.py").write_text(GUARD)
    marker = guard_dir / "network-attempts.txt"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(guard_dir), os.environ.get("PYTHONPATH", "")]),
           "KC_NETWORK_MARKER": str(marker)}
    env.pop("CI", None)
    return env, marker


@pytest.fixture()
def no_network(monkeypatch):
    attempts: list[tuple] = []

    def blocked(*args, **kwargs):
        attempts.append(args[:2])
        raise OSError("network access blocked by the test")

    for target, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"), (socket, "create_connection"),
                         (socket, "getaddrinfo")):
        monkeypatch.setattr(target, name, blocked)
    return attempts


def test_core_in_process(project: Path, no_network) -> None:
    for rel in FILES:
        found = lint_source((project / rel).read_bytes(), rel)
        assert any(d.code == "KC201" for d in found), rel
    assert _markers(project) == [] and no_network == []
    assert not any(name == "pkg" or name.startswith("pkg.") for name in sys.modules)


def test_flake8_in_process(project: Path, no_network) -> None:
    status, out, err = run_flake8(FILES, "-j", "1", cwd=project)
    assert {f[0] for f in parse_flake8(out) if f[3] == "KC201"} == {os.path.normpath(f) for f in FILES}
    assert _markers(project) == [] and no_network == []


def test_pylint_in_process(project: Path, no_network) -> None:
    status, out, err = run_pylint(FILES, cwd=project)
    assert {f[0] for f in parse_pylint(out) if f[3] == "KC201"} == {os.path.normpath(f) for f in FILES}
    assert _markers(project) == [] and no_network == []
    assert not any(name == "pkg" or name.startswith("pkg.") for name in sys.modules)


def test_pylint_with_inference_checkers_in_process(project: Path, no_network) -> None:
    """pylint's own inference-heavy checkers (imports, typecheck) also read the package without importing it."""
    status, out, err = run_pylint(FILES, "--enable=E,W", cwd=project)
    assert any(f[3] == "KC201" for f in parse_pylint(out))
    assert _markers(project) == [] and no_network == []


def test_cli_in_process(project: Path, no_network, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project)
    assert main(["check", "--isolated", "--no-cache", "-j", "1", "--fix", "."]) == 1
    out = capsys.readouterr().out
    assert _markers(project) == [] and no_network == []
    assert "Dense(units=2)" in (project / "pkg" / "evil.py").read_text()  # it was read and fixed
    del out


@pytest.mark.parametrize("tool", ["flake8", "pylint", "keras-compat", "keras-compat-fix"])
def test_subprocesses_neither_import_nor_connect(project: Path, guarded_env, tool: str) -> None:
    env, marker = guarded_env
    if tool == "flake8":
        from support.frontends import flake8_args

        cmd = ["-m", "flake8", *flake8_args(FILES, "-j", "2")]
    elif tool == "pylint":
        from support.frontends import pylint_args

        cmd = ["-m", "pylint", *pylint_args(FILES, "--enable=E,W", "-j", "2")]
    else:
        cmd = ["-m", "keras_compat", "check", "--isolated", "-j", "2", "--cache-dir", str(project / ".cache"), "."]
        if tool == "keras-compat-fix":
            cmd.insert(4, "--fix")
    proc = subprocess.run([sys.executable, *cmd], cwd=project, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode != 42, proc.stderr[-2000:]
    assert "KC201" in proc.stdout or "unsupported-layer-argument" in proc.stdout or tool == "keras-compat-fix" \
        or "renamed" in proc.stdout, (proc.stdout[-2000:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert _markers(project) == []
    assert not marker.exists(), marker.read_text()


def test_the_guard_works(guarded_env, tmp_path: Path) -> None:
    """The subprocess guard really records and blocks a connection attempt (so its silence means something)."""
    env, marker = guarded_env
    code = "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9))\nexcept OSError as e:\n    print(e)\n"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "blocked by the keras-compat test guard" in proc.stdout
    assert marker.exists()


def test_the_fixture_really_is_hostile(project: Path) -> None:
    """Importing the fixture does write the marker and end the interpreter with 42."""
    proc = subprocess.run([sys.executable, "-c", "import pkg.evil"], cwd=project, capture_output=True, timeout=60)
    assert proc.returncode == 42
    assert _markers(project) == ["pkg/MARKER_init"]
    for marker in project.rglob("MARKER_*"):
        marker.unlink()
