"""The real libraries, for tests that run code: TensorFlow 2.21 with tf-keras 2.21 and Keras 3.15.1.

Tests prove a rule's claim or a fix's result by running programs on the libraries users migrate to. The
linter never does this: only our own corpora (rule examples, migration scripts) are executed, each in a
subprocess of a virtual environment that the tests build once and cache beside the package downloads
(``KERAS_COMPAT_TEST_CACHE``, see :mod:`support.pypi`).

One environment serves both targets, as it does for users of TensorFlow >= 2.16:

* ``keras3``: Keras 3.15.1 on the TensorFlow 2.21 backend (``import keras`` and ``tf.keras``);
* ``tf-keras``: the same interpreter with ``TF_USE_LEGACY_KERAS=1``, so ``tf.keras`` and
  ``tensorflow.keras`` are tf-keras 2.21 (Keras 2). ``import keras`` there is still Keras 3.

When the package index cannot be reached and the environment is not cached yet, the calling test is
skipped with the reason; the failure is remembered so that later tests of the same run skip at once.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import pypi
from .pypi import cache_root

#: What the environment holds: pinned, CPU-only wheels (tensorflow-cpu has no CUDA libraries).
REQUIREMENTS = ("tensorflow-cpu==2.21.0", "tf-keras==2.21.0", "keras==3.15.1")
RUNTIMES = ("keras3", "tf-keras")
INSTALL_TIMEOUT = 1800

_failure: str | None = None  # why the environment could not be built in this run


def _env_dir() -> Path:
    tag = "-".join(r.replace("==", "") for r in REQUIREMENTS)
    return cache_root() / f"runtime-py{sys.version_info[0]}.{sys.version_info[1]}-{tag}"


def _venv_python(root: Path) -> Path:
    return root / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


class RuntimeUnavailable(RuntimeError):
    """The environment could not be built (no package index, no wheels for this interpreter)."""


def _build(root: Path) -> None:
    """Create the environment at ``root`` (its scripts name their own path, so it is built in place; the
    caller writes ``.complete`` only when this returns)."""
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, capture_output=True, timeout=300)
    cmd = [str(_venv_python(root)), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
           "--only-binary", ":all:", *REQUIREMENTS]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    if proc.returncode != 0:
        tail = "\n".join(line for line in (proc.stdout + proc.stderr).splitlines()
                         if "is ignored: it is neither a file nor a directory" not in line)[-1500:]
        raise RuntimeUnavailable(f"pip install {' '.join(REQUIREMENTS)} failed: {tail}")


def runtime_python() -> Path:
    """The interpreter of the cached environment, building it on first use (about 40 s and 2.2 GB).

    Raises :class:`RuntimeUnavailable` when it cannot be built.
    """
    global _failure
    pypi.require_network_marker("the TensorFlow/Keras environment " + " ".join(REQUIREMENTS))
    if _failure is not None:
        raise RuntimeUnavailable(_failure)
    root = _env_dir()
    done = root / ".complete"
    if done.exists():
        return _venv_python(root)
    with open(cache_root() / f".{root.name}.lock", "w") as lock:  # one build for concurrent test workers
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return _venv_python(root)
        if pypi.unreachable() is not None:
            _failure = f"cannot build the TensorFlow/Keras test environment: {pypi.unreachable()}"
            raise RuntimeUnavailable(_failure)
        if root.exists():
            shutil.rmtree(root)
        try:
            _build(root)
        except (RuntimeUnavailable, subprocess.SubprocessError, OSError) as exc:
            shutil.rmtree(root, ignore_errors=True)
            _failure = f"cannot build the TensorFlow/Keras test environment: {exc}"
            raise RuntimeUnavailable(_failure) from None
        done.write_text("\n".join(REQUIREMENTS) + "\n")
    return _venv_python(root)


def runtime_python_or_skip() -> Path:
    """:func:`runtime_python`, skipping the calling test with the reason when it cannot be built."""
    try:
        return runtime_python()
    except RuntimeUnavailable as exc:
        pytest.skip(str(exc))


def runtime_env(runtime: str, home: Path) -> dict[str, str]:
    """A quiet, offline-minded, CPU-only environment for ``runtime`` (``keras3`` or ``tf-keras``)."""
    if runtime not in RUNTIMES:
        raise ValueError(f"unknown runtime {runtime!r} (one of {RUNTIMES})")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "KERAS_HOME": str(home / ".keras"),
        "KERAS_BACKEND": "tensorflow",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "TF_ENABLE_ONEDNN_OPTS": "0",
        "CUDA_VISIBLE_DEVICES": "-1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONWARNINGS": "ignore",
        "OMP_NUM_THREADS": "1",
        "TF_NUM_INTEROP_THREADS": "1",
        "TF_NUM_INTRAOP_THREADS": "1",
    }
    if runtime == "tf-keras":
        env["TF_USE_LEGACY_KERAS"] = "1"
    return env


@dataclass(frozen=True)
class Snippet:
    """One program for :func:`run_snippets`: ``prelude`` and ``check`` run around ``code`` in one namespace."""

    key: str
    code: str
    prelude: str = ""
    check: str = ""


@dataclass(frozen=True)
class Outcome:
    """What running a snippet did: ``error`` is ``"Type: message"`` or None; ``line`` is the line of
    ``code`` where it was raised (None when it came from the prelude, the check or the library only)."""

    key: str
    error: str | None
    line: int | None
    phase: str  # "prelude", "code", "check" or "ok"

    @property
    def ok(self) -> bool:
        return self.error is None


_DRIVER = Path(__file__).with_name("exec_driver.py")


def run_snippets(runtime: str, snippets: list[Snippet], timeout: float = 600) -> dict[str, Outcome]:
    """Run ``snippets`` one after another in one fresh process of ``runtime``, each in its own namespace
    and working directory; return their outcomes by key. One process per group keeps the cost of importing
    TensorFlow (about 3 s) to once per group."""
    python = runtime_python_or_skip()
    with tempfile.TemporaryDirectory(prefix="kc-exec-") as tmp:
        home = Path(tmp)
        request = home / "request.json"
        request.write_text(json.dumps([s.__dict__ for s in snippets]), encoding="utf-8")
        result = home / "result.json"
        proc = subprocess.run([str(python), str(_DRIVER), str(request), str(result)], cwd=tmp,
                              env=runtime_env(runtime, home), capture_output=True, text=True, timeout=timeout)
        if not result.exists():
            partial = Path(str(result) + ".part")
            done = len(json.loads(partial.read_text(encoding="utf-8"))) if partial.exists() else 0
            running = snippets[done].key if done < len(snippets) else "after the last snippet"
            raise AssertionError(f"the {runtime} driver died in {running} (exit {proc.returncode}):\n"
                                 f"{proc.stderr[-3000:]}")
        raw = json.loads(result.read_text(encoding="utf-8"))
    return {item["key"]: Outcome(item["key"], item["error"], item["line"], item["phase"]) for item in raw}


def run_script(runtime: str, script: Path, cwd: Path, *, timeout: float = 300, args: tuple[str, ...] = (),
               extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run one program file under ``runtime`` in its own process (the migration harness)."""
    python = runtime_python_or_skip()
    home = cwd / ".home"
    home.mkdir(exist_ok=True)
    env = runtime_env(runtime, home)
    env.update(extra_env or {})
    return subprocess.run([str(python), str(script), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
