"""The backend facts behind KC104/KC105, checked against the real keras 2.2.4 and Keras 3 sources."""

from __future__ import annotations

import re

import pytest

from support.pypi import fetch_or_skip

from keras_compat.data.environment import BACKEND_MODULES, KERAS3_BACKENDS, REMOVED_BACKENDS


@pytest.mark.network
def test_multi_backend_modules_and_names_exist_in_keras_2_2_4() -> None:
    root = fetch_or_skip("keras", "2.2.4")
    backend = root / "keras" / "backend"
    dispatch = (backend / "__init__.py").read_text(encoding="utf-8")
    for module, name in BACKEND_MODULES.items():
        if name == "mxnet":
            continue  # keras-mxnet fork only
        assert (backend / f"{module.split('.')[1]}.py").exists(), module
        assert f"_BACKEND == '{name}'" in dispatch, name
        assert name in REMOVED_BACKENDS


@pytest.mark.network
def test_keras3_accepts_exactly_the_listed_backends_and_none_of_the_removed() -> None:
    root = fetch_or_skip("keras", "3.15.1")
    dispatch = (root / "keras" / "src" / "backend" / "__init__.py").read_text(encoding="utf-8")
    accepted = set(re.findall(r'backend\(\) == "(\w+)"', dispatch))
    assert accepted == set(KERAS3_BACKENDS)
    assert not accepted & REMOVED_BACKENDS
