"""scripts/bench.py's choice of parts (--skip / --only): the benchmark itself is not a test (about an hour)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location("bench", Path(__file__).resolve().parent.parent / "scripts" / "bench.py")
assert _SPEC is not None and _SPEC.loader is not None
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)
ALL = {*bench.TIMED_PARTS, *bench.COUNTED_PARTS, "instructions"}


def test_skip_alone_skips_what_it_names():
    assert bench.skipped("", "") == set()
    assert bench.skipped("tf_upgrade_v2,scaling", "") == {"tf_upgrade_v2", "scaling"}


def test_only_the_counted_user_code_targets():
    run = ALL - bench.skipped("", "core-count,flake8-count,pylint-count")
    assert run == {"instructions", "core-count", "flake8-count", "pylint-count"}


def test_only_instructions_runs_every_counted_part_and_nothing_timed():
    assert ALL - bench.skipped("", "instructions") == {"instructions", *bench.COUNTED_PARTS}


def test_only_a_timed_part_and_skip_together():
    assert ALL - bench.skipped("", "core,flake8") == {"core", "flake8"}
    assert ALL - bench.skipped("pylint-count", "core-count,pylint-count") == {"instructions", "core-count"}


@pytest.mark.parametrize("skip,only", [("", "flake8-counted"), ("nothing", "")])
def test_unknown_part_names_are_refused(skip, only):
    with pytest.raises(ValueError, match="unknown part"):
        bench.skipped(skip, only)
