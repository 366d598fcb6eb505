"""Download and cache released packages from the package index for tests.

Tests read real Keras releases and real third-party legacy Keras code. Archives are fetched once with
``pip download --no-deps`` and unpacked under a cache directory (``KERAS_COMPAT_TEST_CACHE``, default
``~/.cache/keras-compat-tests``); later runs reuse them offline. When the index cannot be reached the
calling test is skipped with the reason, never failed and never silently passed, and the failure is
remembered: every later download of the same run skips at once with the same reason (a machine without
the index must not pay pip's retries once per test).

Every test that may download is marked ``network`` (so ``pytest -m "not network"`` is a complete offline
run): :func:`require_network_marker` fails a test that reaches a download without the marker, whether
or not the archive is already cached, so a missing marker shows on every machine.
"""

from __future__ import annotations

import fcntl
import fnmatch
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest

CACHE_ENV = "KERAS_COMPAT_TEST_CACHE"


def cache_root() -> Path:
    """Root directory of the download cache (created on demand)."""
    root = Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "keras-compat-tests")
    root.mkdir(parents=True, exist_ok=True)
    return root


class IndexUnreachable(RuntimeError):
    """The package index could not be reached (tests skip on this)."""


#: The test being run (set by ``tests/conftest.py``), for :func:`require_network_marker`.
current_test: pytest.Item | None = None
#: Why the index could not be reached earlier in this run (None: no failure yet).
_unreachable: str | None = None


def require_network_marker(what: str) -> None:
    """Fail the running test if it is not marked ``network``: it is about to need the index for ``what``."""
    item = current_test
    if item is not None and item.get_closest_marker("network") is None:
        pytest.fail(f"{item.nodeid} needs the package index ({what}) but is not marked network: add "
                    "@pytest.mark.network (or pytestmark) so that `pytest -m 'not network'` stays offline",
                    pytrace=False)


def unreachable() -> str | None:
    """The reason recorded when the index could not be reached earlier in this run (None: it could)."""
    return _unreachable


def remember_unreachable(reason: str) -> None:
    """Record that the index is unreachable: later downloads of this run skip at once."""
    global _unreachable
    if _unreachable is None:
        _unreachable = reason


def _pip_download(requirement: str, dest: Path, prefer_sdist: bool,
                  platform: str | None = None, python_version: str | None = None) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
           "--no-build-isolation", "-d", str(dest), requirement]
    if prefer_sdist:
        cmd[4:4] = ["--no-binary", ":all:"]
    if platform or python_version:  # a wheel for another interpreter/platform (pip needs --only-binary)
        extra = ["--only-binary", ":all:"]
        if platform:
            extra += ["--platform", platform]
        if python_version:
            extra += ["--python-version", python_version]
        cmd[4:4] = extra
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        raise IndexUnreachable(f"package index unreachable: pip download {requirement} took over 600 s") from None
    files = [p for p in dest.iterdir() if p.is_file()]
    if files:  # pip may fail *after* saving (metadata of an old setup.py); the archive is what we need
        return files[0]
    text = proc.stdout + proc.stderr
    lowered = text.lower()
    if any(s in lowered for s in ("connection", "network is unreachable", "name resolution",
                                  "temporary failure", "timed out", "max retries")):
        last = next((line.strip() for line in reversed(text.splitlines()) if line.strip()), "")
        raise IndexUnreachable(f"package index unreachable (first failure: pip download {requirement}: "
                               f"{last[-200:]})")
    raise RuntimeError(f"pip download {requirement} failed:\n{text[-2000:]}")


def _unpack(archive: Path, target: Path, members: tuple[str, ...] = ()) -> None:
    name = archive.name
    if members and not name.endswith((".whl", ".zip")):
        raise RuntimeError(f"member selection is only supported for wheels/zips: {archive}")
    if name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as zf:
            if members:
                names = [n for n in zf.namelist() if any(fnmatch.fnmatchcase(n, pat) for pat in members)]
                zf.extractall(target, names)
                target.mkdir(parents=True, exist_ok=True)
            else:
                zf.extractall(target)
    elif name.endswith((".tar.gz", ".tgz", ".tar.bz2", ".tar")):
        with tarfile.open(archive) as tf:
            if hasattr(tarfile, "data_filter"):
                tf.extractall(target, filter="data")
            else:  # pragma: no cover - Python < 3.10.12
                tf.extractall(target)
    else:
        raise RuntimeError(f"unknown archive type: {archive}")


def fetch(name: str, version: str, *, prefer_sdist: bool = False, platform: str | None = None,
          python_version: str | None = None, members: tuple[str, ...] = ()) -> Path:
    """Return the unpacked directory of ``name==version``, downloading it on first use.

    ``platform``/``python_version`` (e.g. ``"manylinux2014_x86_64"``, ``"3.11"``) select a binary wheel
    for another platform/interpreter. ``members`` are ``fnmatch`` patterns of archive paths (wheels only):
    when given, only matching files are kept and the archive itself is discarded, which keeps the cache
    small for large wheels (TensorFlow). Raises :class:`IndexUnreachable` when the index cannot be reached
    and nothing is cached.
    """
    require_network_marker(f"{name}=={version}")
    kind = "sdist" if prefer_sdist else "any"
    if platform or python_version:
        kind += f"-{platform or 'native'}-py{python_version or 'native'}"
    if members:
        kind += "-" + hashlib.sha256("\n".join(members).encode()).hexdigest()[:10]
    target = cache_root() / f"{name.lower()}-{version}-{kind}"
    done = target / ".complete"
    if done.exists():
        return target
    lock_path = cache_root() / f".{name.lower()}-{version}-{kind}.lock"
    with open(lock_path, "w") as lock:  # concurrent test workers download once
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return target
        if _unreachable is not None:
            raise IndexUnreachable(_unreachable)
        with tempfile.TemporaryDirectory(dir=cache_root()) as tmp:
            download_dir = Path(tmp) / "download"
            download_dir.mkdir()
            try:
                archive = _pip_download(f"{name}=={version}", download_dir, prefer_sdist,
                                        platform, python_version)
            except IndexUnreachable as exc:
                remember_unreachable(str(exc))
                raise
            staging = Path(tmp) / "unpacked"
            _unpack(archive, staging, members)
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(staging), target)
            (target / ".archive").write_text(archive.name)
            done.write_text("ok")
    return target


def fetch_or_skip(name: str, version: str, *, prefer_sdist: bool = False, platform: str | None = None,
                  python_version: str | None = None, members: tuple[str, ...] = ()) -> Path:
    """:func:`fetch`, skipping the calling test with a clear reason when the index is unreachable."""
    try:
        return fetch(name, version, prefer_sdist=prefer_sdist, platform=platform,
                     python_version=python_version, members=members)
    except IndexUnreachable as exc:
        pytest.skip(f"cannot download {name}=={version}: {exc}")


def python_files(root: Path) -> list[Path]:
    """Every ``.py`` file under ``root``, sorted, skipping metadata directories."""
    return sorted(p for p in root.rglob("*.py") if ".dist-info" not in p.parts and ".egg-info" not in str(p))
