"""Shared pytest setup: make ``tests/support`` importable as ``support``; tell it which test is running
(a test that reaches the package index must be marked ``network``, see ``support.pypi``)."""

import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support import pypi  # noqa: E402

# The plugins keep project-module summaries in the user's cache directory (keras_compat.summary_store): the
# tests, and the flake8/pylint subprocesses they start, use a directory of their own instead.
os.environ["KERAS_COMPAT_CACHE_DIR"] = tempfile.mkdtemp(prefix="keras-compat-test-store-")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    pypi.current_test = item


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    pypi.current_test = None
