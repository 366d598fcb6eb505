"""The CLI keeps its accumulated results out of the garbage collector's full passes, and gives them back."""

from __future__ import annotations

import gc
import weakref

import pytest

from keras_compat.cli import heap, main, runner
from keras_compat.cli.model import RunOptions
from keras_compat.settings import Settings


@pytest.fixture(autouse=True)
def _collector_as_found():
    if gc.get_freeze_count():  # seen on CPython 3.12.1: 375 objects frozen before any code runs
        assert not heap.HeldResults().active  # then the CLI leaves the collector alone, as under a host that froze
        pytest.skip("this interpreter starts with frozen objects: the CLI's heap management stays off")
    assert gc.isenabled(), "the tests assume an unmanaged collector"
    yield
    gc.enable()
    gc.unfreeze()


class _Node:
    """A cyclic object (it points at itself), freed only by the collector."""

    def __init__(self) -> None:
        self.me = self


def test_settled_results_are_frozen_during_the_run_and_released_after() -> None:
    result = [object() for _ in range(10)]
    with heap.HeldResults() as held:
        assert held.active
        held.settle()
        assert gc.get_freeze_count() >= len(result)
    assert gc.get_freeze_count() == 0


def test_cyclic_garbage_is_not_held_for_the_whole_run() -> None:
    with heap.HeldResults(first_recollect=2) as held:
        cycle = _Node()
        alive = weakref.ref(cycle)
        del cycle
        held.settle()  # frozen with the results
        assert alive() is not None
        held.settle()  # second file: the first re-collection frees it
        assert alive() is None
        assert held.recollections == 1
        counts = []
        for _ in range(14):
            held.settle()
            counts.append(held.recollections)
        assert held.settled == 16
        assert counts == [1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4]  # after 2, 4, 8, 16 files: amortised linear


def test_results_from_the_cache_do_not_count_towards_a_recollection() -> None:
    with heap.HeldResults(first_recollect=2) as held:
        for _ in range(10):
            held.settle(analysed=False)
        assert held.settled == 0 and held.recollections == 0
        assert gc.get_freeze_count() > 0, "the results are still frozen"
        held.settle()
        held.settle()
        assert held.recollections == 1


def test_garbage_frozen_at_the_end_is_collectable_again() -> None:
    with heap.HeldResults() as held:
        cycle = _Node()
        alive = weakref.ref(cycle)
        del cycle
        held.settle()
    gc.collect()
    assert alive() is None


def test_leaves_a_host_managed_collector_alone() -> None:
    kept = [object()]
    gc.freeze()  # e.g. a pre-forking server froze its imports
    frozen = gc.get_freeze_count()
    with heap.HeldResults() as held:
        held.settle()
        assert not held.active
    assert gc.get_freeze_count() == frozen, "its frozen objects must stay frozen"
    gc.unfreeze()
    gc.disable()
    with heap.HeldResults() as held:
        held.settle()
        assert not held.active and gc.get_freeze_count() == 0
    assert not gc.isenabled()
    del kept


@pytest.mark.parametrize("jobs", [1, 2])
def test_runner_holds_results_while_running(tmp_path, jobs) -> None:
    for i in range(12):
        (tmp_path / f"m{i}.py").write_text("from keras.layers import Dense\nlayer = Dense(output_dim=2)\n")
    tasks = [(str(p), p.name, p.name, 0) for p in sorted(tmp_path.glob("*.py"))]
    seen: list[int] = []
    results, _ = runner.run(tasks, [Settings()], RunOptions(), jobs, progress=lambda n: seen.append(gc.get_freeze_count()))
    assert len(seen) == len(tasks) and all(count > 0 for count in seen)
    assert gc.get_freeze_count() == 0
    assert all(any(d.code == "KC201" for d in r.diagnostics) for r in results)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_warm_run_makes_no_collections_of_its_own(tmp_path, monkeypatch, jobs) -> None:
    for i in range(12):
        (tmp_path / f"m{i}.py").write_text("from keras.layers import Dense\nlayer = Dense(output_dim=2)\n")
    tasks = [(str(p), p.name, p.name, 0) for p in sorted(tmp_path.glob("*.py"))]
    options = RunOptions(cache_dir=str(tmp_path / "cache"))
    made: list[heap.HeldResults] = []

    class Recorded(heap.HeldResults):
        def __init__(self) -> None:
            super().__init__(first_recollect=2)
            made.append(self)

    monkeypatch.setattr(runner, "HeldResults", Recorded)
    cold, _ = runner.run(tasks, [Settings()], options, jobs)
    warm, _ = runner.run(tasks, [Settings()], options, jobs)
    assert not any(r.cached for r in cold) and all(r.cached for r in warm)
    assert made[0].recollections > 0  # analysed in this process or in workers: both count
    assert made[1].settled == 0 and made[1].recollections == 0
    assert [r.diagnostics for r in warm] == [r.diagnostics for r in cold]


def test_an_interrupted_run_releases_what_it_froze(tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / "m.py").write_text("import keras\n")

    def interrupted(task):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "_work", interrupted)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--isolated", "--no-cache", "-j", "1", "m.py"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert gc.get_freeze_count() == 0
