"""The plugins' on-disk store of project-module summaries (keras_compat.summary_store): the same findings
cold, warm and without a store; a warm run parses no sibling module; a broken store is never an error."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keras_compat import project, summary_store
from keras_compat.summary_store import DiskStore, store_for
from support.frontends import parse_flake8, parse_pylint, run_flake8, run_pylint


def flake8_findings(path: Path, *extra: str) -> set:
    code, out, err = run_flake8([str(path)], *extra)
    assert "Traceback" not in err, err
    return parse_flake8(out)


LAYERS = '''\
from keras.layers import Layer
from keras import backend as K


class Scale(Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(1,), initializer="ones")

    def call(self, inputs):
        return inputs * self.w
'''
MODEL = '''\
from keras.models import Sequential
from keras.layers import Dense
from mypkg.layers import Scale
from mypkg import helpers

model = Sequential()
model.add(Dense(10, input_dim=4, init="uniform"))
model.add(Scale())
helpers.K.dropout(model.output, 0.5)
'''
HELPERS = "from keras import backend as K\n"


def _package(root: Path) -> Path:
    package = root / "mypkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "layers.py").write_text(LAYERS)
    (package / "helpers.py").write_text(HELPERS)
    (package / "model.py").write_text(MODEL)
    return package / "model.py"


def _entries(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.json"))


def test_flake8_finds_the_same_cold_warm_and_without_a_store_and_a_warm_run_parses_nothing(tmp_path: Path) -> None:
    model = _package(tmp_path / "src")
    store = tmp_path / "store"
    runs = {}
    for label, extra in (("none", ["--keras-summary-cache=none"]), ("cold", [f"--keras-summary-cache={store}"]),
                         ("warm", [f"--keras-summary-cache={store}"])):
        project._INDEXES.clear()  # a new process would start with nothing in memory
        before = project.parsed()
        runs[label] = (flake8_findings(model, *extra), project.parsed() - before)
    assert runs["none"][0] == runs["cold"][0] == runs["warm"][0]
    assert {f[3] for f in runs["none"][0]} >= {"KC101", "KC201"}
    assert runs["cold"][1] >= 2 and runs["none"][1] == runs["cold"][1]  # mypkg.layers and mypkg.helpers
    assert runs["warm"][1] == 0
    assert len(_entries(store / "v1")) == 2 * runs["cold"][1]  # by content, and by location, size and mtime
    assert project._store is None  # the plugin's store is set around its own calls only


def test_the_default_store_is_under_the_environment_variable_or_the_user_cache(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(summary_store.ENV, str(tmp_path / "env"))
    assert summary_store.directory("auto") == str(tmp_path / "env" / "summaries")
    monkeypatch.delenv(summary_store.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert summary_store.directory("auto") == str(tmp_path / "xdg" / "keras-compat" / "summaries")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")  # the XDG spec: a relative path is invalid
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert summary_store.directory("auto") == str(tmp_path / "home" / ".cache" / "keras-compat" / "summaries")
    monkeypatch.delenv("HOME")
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # no home directory to be found
    assert summary_store.directory("auto") is None
    monkeypatch.undo()
    assert summary_store.directory("none") is None and summary_store.directory(" NONE ") is None
    assert summary_store.directory(str(tmp_path / "x")) == str(tmp_path / "x")
    assert store_for("none") is None


def test_pylint_uses_the_store_and_reports_the_same(tmp_path: Path) -> None:
    model = _package(tmp_path / "src")
    store = tmp_path / "store"
    found = []
    for extra in ("--keras-summary-cache=none", f"--keras-summary-cache={store}", f"--keras-summary-cache={store}"):
        _, out, err = run_pylint([str(model)], extra, subprocess_mode=True, cwd=tmp_path / "src")
        assert "Traceback" not in err, err
        found.append(parse_pylint(out))
    assert found[0] == found[1] == found[2] and found[0]
    assert len(_entries(store / "v1")) >= 2


def test_a_corrupt_or_foreign_entry_is_a_miss_and_is_replaced(tmp_path: Path) -> None:
    model = _package(tmp_path / "src")
    store = tmp_path / "store"
    expected = flake8_findings(model, "--keras-summary-cache=none")
    project._INDEXES.clear()
    flake8_findings(model, f"--keras-summary-cache={store}")
    entries = _entries(store / "v1")
    assert entries
    bad = [b"{not json", json.dumps({"summary": [1]}).encode(), json.dumps({"summary": {"v": "0"}}).encode(),
           b"\xff\xfe", b"[" * 100_000]  # not JSON, other shapes, not UTF-8, nested past the recursion limit
    for content in bad:
        for entry in entries:
            entry.write_bytes(content)
        project._INDEXES.clear()
        before = project.parsed()
        assert flake8_findings(model, f"--keras-summary-cache={store}") == expected
        assert project.parsed() - before == len(entries) // 2  # every module's bad entries summarised again...
        project._INDEXES.clear()
        before = project.parsed()
        assert flake8_findings(model, f"--keras-summary-cache={store}") == expected
        assert project.parsed() == before  # ... and stored again


def _hashed(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The module contents the project index hashes from now on (it reads every one it hashes)."""
    seen: list[bytes] = []
    original = project._sha256

    def spy(content: bytes) -> str:
        seen.append(content)
        return original(content)

    monkeypatch.setattr(project, "_sha256", spy)
    return seen


def test_a_warm_run_reads_no_unchanged_sibling_and_an_edit_or_a_touch_is_seen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _package(tmp_path / "src")
    store = tmp_path / "store"
    option = f"--keras-summary-cache={store}"
    project._INDEXES.clear()
    cold = flake8_findings(model, option)
    hashed = _hashed(monkeypatch)
    project._INDEXES.clear()
    assert flake8_findings(model, option) == cold and hashed == []  # found by location, size and mtime
    layers = model.parent / "layers.py"
    stat = layers.stat()
    os.utime(layers, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched: same bytes
    project._INDEXES.clear()
    before = project.parsed()
    assert flake8_findings(model, option) == cold
    assert hashed == [layers.read_bytes()] and project.parsed() == before  # read, hashed, found by content
    helpers = model.parent / "helpers.py"
    helpers.write_text("K = None\n")
    project._INDEXES.clear()
    before = project.parsed()
    edited = flake8_findings(model, option)
    assert project.parsed() - before == 1  # the edited module summarised again, the other found by location
    assert {f[3] for f in cold} - {f[3] for f in edited} == {"KC303"}  # helpers.K is no longer the backend


def test_a_store_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    model = _package(tmp_path / "src")
    blocker = tmp_path / "a-file"
    blocker.write_text("")  # a directory below a regular file cannot be made, also by root
    project._INDEXES.clear()
    assert flake8_findings(model, f"--keras-summary-cache={blocker / 'store'}") == \
        flake8_findings(model, "--keras-summary-cache=none")
    store = DiskStore(str(blocker / "store"))
    store.summary_put("k", {"v": "2"})
    assert store.summary_get("k") is None and not store._writable


def test_another_keras_compat_or_edited_summary_code_never_reads_an_entry(tmp_path: Path) -> None:
    first = DiskStore(str(tmp_path))
    first.summary_put("key", {"v": "x"})
    assert DiskStore(str(tmp_path)).summary_get("key") == {"v": "x"}
    other = DiskStore(str(tmp_path))
    other._salt += "/edited"
    assert other.summary_get("key") is None


def test_unused_entries_are_deleted_after_the_age_limit_at_most_once_a_day(tmp_path: Path) -> None:
    store = DiskStore(str(tmp_path))
    for key in ("old", "recent"):
        store.summary_put(key, {"v": key})
    now = time.time()
    old = Path(store._path("old"))
    os.utime(old, (now - 40 * 86_400, now - 40 * 86_400))
    Path(tmp_path / "last-pruned").unlink()
    assert store.prune(now) == 1
    assert not old.exists() and Path(store._path("recent")).exists()
    store.summary_put("old", {"v": "old"})
    os.utime(store._path("old"), (now - 40 * 86_400, now - 40 * 86_400))
    assert store.prune(now + 3600) == 0  # pruned less than a day ago
    assert store.prune(now + 2 * 86_400) == 1


def test_the_hash_is_sha256_without_hashlib() -> None:
    for data in (b"", b"abc", bytes(range(256)) * 1000):
        assert project.hasher()(data).hexdigest() == hashlib.sha256(data).hexdigest()
    code = "import sys; from keras_compat import project; project._sha256(b'x'); print('hashlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
