"""The cyclic garbage collector is paused while a module is analysed (keras_compat.collector): the host's
collector is left as it was, whatever happens, and the analysis makes (next to) no cyclic garbage, so the
pause cannot make a host's memory grow."""

from __future__ import annotations

import ast
import gc
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

from keras_compat import collector, engine
from keras_compat.engine import lint_source, lint_tree
from keras_compat.fixes import fix_text
from keras_compat.settings import TARGETS
from support.examples import cases, everything

ROOT = Path(__file__).resolve().parent.parent
LEGACY = (ROOT / "examples" / "legacy_model.py").read_text()


@pytest.fixture
def collected() -> Iterator[list[int]]:
    """Counts the collections made while the test runs, per generation (the last item: those made while an
    analysis was running)."""
    counts = [0, 0, 0, 0]

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            counts[info["generation"]] += 1
            counts[3] += collector._depth > 0

    gc.callbacks.append(count)
    try:
        yield counts
    finally:
        gc.callbacks.remove(count)


def test_no_collection_while_a_module_is_analysed_and_the_collector_runs_again_after(
        collected: list[int]) -> None:
    assert gc.isenabled()
    big = LEGACY * 40  # tens of thousands of tracked objects: hundreds of young collections unpaused
    settings = everything()
    lint_source(LEGACY, "m.py", settings)  # the rule modules and tables loaded (their import collects)
    collected[:] = [0, 0, 0, 0]
    lint_source(big, "big.py", settings)
    assert collected[3] == 0 and collected[0] <= 1  # at most the young collection of the findings returned
    assert gc.isenabled()
    # the host's own allocations are collected as before (a young collection every threshold[0] allocations:
    # 700 up to Python 3.12, 2,000 on 3.13)
    garbage = [[] for _ in range(3 * gc.get_threshold()[0])]
    del garbage
    assert collected[0] > 1


def test_a_host_that_disabled_the_collector_keeps_it_disabled() -> None:
    gc.disable()
    try:
        lint_source(LEGACY, "m.py")
        lint_tree(ast.parse(LEGACY), LEGACY, "m.py")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_restored_when_the_analysis_is_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stop(BaseException):  # what a time limit raises: not an Exception, nothing contains it
        pass

    def stop(*args: object, **kwargs: object) -> None:
        assert not gc.isenabled()
        raise Stop

    monkeypatch.setattr(engine, "_run_rules", stop)
    for call in (lambda: lint_source(LEGACY, "m.py"), lambda: lint_tree(ast.parse(LEGACY), LEGACY, "m.py")):
        with pytest.raises(Stop):
            call()
        assert gc.isenabled()


def test_nested_pauses_restore_the_collector_once() -> None:
    with collector.paused():
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def _garbage(run: object) -> list[object]:
    """The cyclic garbage ``run()`` leaves, but for ``ast.literal_eval``'s (the standard library's: its nested
    functions refer to each other through their cells, 11 objects a call)."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        run()  # type: ignore[operator]
        gc.collect()
        found = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    closures = {id(o) for o in found if inspect.isfunction(o) and o.__qualname__.startswith("literal_eval.")}
    for o in found:
        if inspect.isfunction(o) and id(o) in closures:
            closures.update(id(cell) for cell in o.__closure__ or ())
            if o.__closure__:
                closures.add(id(o.__closure__))
    return [o for o in found if id(o) not in closures]


@pytest.mark.parametrize("target", TARGETS)
def test_the_analysis_and_the_fixer_make_no_cyclic_garbage(target: str) -> None:
    """Every rule's examples, the Keras 1 idiom scripts and the shipped example, analysed and fixed."""
    examples = [case.code for case in cases() if case.target == target and case.kind != "off"]
    scripts = [p.read_text() for p in sorted((ROOT / "tests" / "fixtures" / "migration").rglob("*.py"))] + [LEGACY]
    settings = everything(target)

    def run() -> None:
        for text in examples + scripts:
            lint_source(text, "m.py", settings)
        for text in scripts:
            fix_text(text, "m.py", settings, unsafe=True)

    run()  # tables and memos loaded first: what they keep is not garbage
    assert _garbage(run) == []
