"""Shared pytest setup: make ``tests/support`` importable as ``support``; tell it which test is running
(a test that reaches the package index must be marked ``network``, see ``support.pypi``)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support import pypi  # noqa: E402


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    pypi.current_test = item


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    pypi.current_test = None
