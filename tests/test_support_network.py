"""The test suite's own network discipline (issue 23): a download needs the ``network`` marker, and a failed
download is remembered for the rest of the run, so an offline machine skips at once instead of paying pip's
retries in every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import pypi, runtime


class _Item:
    def __init__(self, marked: bool) -> None:
        self.nodeid = "tests/test_x.py::test_downloads"
        self.marked = marked

    def get_closest_marker(self, name: str):
        return object() if self.marked and name == "network" else None


def test_a_download_without_the_network_marker_fails(monkeypatch) -> None:
    monkeypatch.setattr(pypi, "current_test", _Item(marked=False))
    with pytest.raises(pytest.fail.Exception, match=r"test_downloads needs the package index \(keras==2.2.4\) "
                                                    r"but is not marked network"):
        pypi.fetch("keras", "2.2.4")  # fails before looking at the cache: the same on every machine
    monkeypatch.setattr(pypi, "current_test", _Item(marked=False))
    with pytest.raises(pytest.fail.Exception, match="not marked network"):
        runtime.runtime_python()


def test_a_marked_test_may_download(monkeypatch) -> None:
    monkeypatch.setattr(pypi, "current_test", _Item(marked=True))
    pypi.require_network_marker("anything")  # no failure


def test_an_unreachable_index_is_remembered_for_the_run(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(pypi.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(pypi, "current_test", None)
    monkeypatch.setattr(pypi, "_unreachable", None)
    monkeypatch.setattr(runtime, "_failure", None)
    calls: list[str] = []

    def offline(requirement: str, *args, **kwargs) -> Path:
        calls.append(requirement)
        raise pypi.IndexUnreachable("package index unreachable (first failure: pip download "
                                    f"{requirement}: Network is unreachable)")

    monkeypatch.setattr(pypi, "_pip_download", offline)
    reasons = []
    for name in ("keras", "tf-keras", "kapre"):
        with pytest.raises(pytest.skip.Exception) as skipped:
            pypi.fetch_or_skip(name, "1.0")
        reasons.append(str(skipped.value))
    assert calls == ["keras==1.0"], "pip must be asked once per run, not once per test"
    assert all("first failure: pip download keras==1.0: Network is unreachable" in r for r in reasons), reasons
    # the execution environment is not even attempted once the index is known to be unreachable
    monkeypatch.setattr(runtime, "_build", lambda root: pytest.fail("tried to build without an index"))
    with pytest.raises(pytest.skip.Exception, match="Network is unreachable"):
        runtime.runtime_python_or_skip()
