"""A library's own sources: its imports and uses of itself are its layout, not code to migrate.

The same text is reported in a user's project and silent inside the package it names (Keras's own
``keras.src`` imports were 86% of the findings on the benchmark corpus), in the core and every front-end.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.frontends import parse_flake8, parse_pylint, run_flake8, run_pylint

from keras_compat.cli import main
from keras_compat.engine import lint_source
from keras_compat.package import own_package, remembered
from keras_compat.settings import Settings

#: Keras 3's own style: private modules, a removed class name, the backend in a layer.
KERAS_SOURCE = """from keras.src import backend as K
from keras.src.layers.merging.base_merge import Merge
from keras.engine.topology import Layer
import keras


class Add(Merge):
    def call(self, x):
        return K.sum(x)


class Scale(Layer):
    def call(self, x):
        return K.dropout(x, 0.5)
"""


def _package(root: Path, *parts: str) -> Path:
    """``root/parts[0]/.../parts[-1]``, every directory a package."""
    directory = root
    for part in parts:
        directory = directory / part
        directory.mkdir(exist_ok=True)
        (directory / "__init__.py").touch()
    return directory


def _codes(path: Path, target: str = "tf-keras") -> list[str]:
    return sorted(d.code for d in lint_source(path.read_bytes(), str(path), Settings(target=target)))


@pytest.fixture
def trees(tmp_path: Path) -> tuple[Path, Path]:
    """The same module inside ``keras/src/layers`` and inside a user's package ``myproj``."""
    inside = _package(tmp_path, "keras", "src", "layers") / "merge.py"
    outside = _package(tmp_path, "myproj") / "merge.py"
    for path in (inside, outside):
        path.write_text(KERAS_SOURCE, encoding="utf-8")
    return inside, outside


def test_own_package_is_the_top_of_the_init_chain(tmp_path: Path) -> None:
    deep = _package(tmp_path, "keras", "src", "layers", "core")
    assert own_package(str(deep / "dense.py")) == "keras"
    assert own_package(str(tmp_path / "script.py")) is None  # not in a package
    loose = tmp_path / "keras" / "src" / "tests"  # a directory without __init__.py breaks the chain
    loose.mkdir()
    assert own_package(str(loose / "t.py")) is None
    odd = _package(tmp_path, "my-project", "tf_keras")  # a directory name Python cannot import stops the walk
    assert own_package(str(odd / "m.py")) == "tf_keras"
    for name in ("stdin", "-", "<string>", "bad\0name.py", ""):
        assert own_package(name) is None


def test_packages_are_remembered_only_within_a_run(tmp_path: Path) -> None:
    """A CLI run asks twice per file, so it remembers each directory; outside a run every call looks again
    (an editor's server must see an ``__init__.py`` added between two runs)."""
    inner = _package(tmp_path, "keras", "src")
    (tmp_path / "keras" / "__init__.py").unlink()
    assert own_package(str(inner / "m.py")) == "src"
    with remembered():
        assert own_package(str(inner / "m.py")) == "src"
        (tmp_path / "keras" / "__init__.py").write_text("")
        assert own_package(str(inner / "m.py")) == "src"  # remembered for the rest of the run
        with remembered():  # a nested scope shares the run's memory
            assert own_package(str(inner / "n.py")) == "src"
    assert own_package(str(inner / "m.py")) == "keras"


def test_relative_filename_resolves_from_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    _package(tmp_path, "keras", "src")
    monkeypatch.chdir(tmp_path / "keras")
    assert own_package(os.path.join("src", "m.py")) == "keras"


def test_a_run_remembers_each_file_per_working_directory(tmp_path: Path, monkeypatch) -> None:
    """Within a run a file's package and place are remembered (the engine and the rules ask again), keyed by
    the working directory too: the same relative name from another directory is another file."""
    from keras_compat.package import location

    _package(tmp_path, "keras", "src")
    (tmp_path / "other").mkdir()
    _package(tmp_path / "other", "tf_keras", "src")
    relative = os.path.join("src", "m.py")
    with remembered():
        monkeypatch.chdir(tmp_path / "keras")
        assert own_package(relative) == "keras"
        assert location(relative) == (str(tmp_path), "keras.src.m", False)
        (tmp_path / "keras" / "__init__.py").unlink()
        assert own_package(relative) == "keras"  # remembered for the rest of the run
        monkeypatch.chdir(tmp_path / "other" / "tf_keras")
        assert own_package(relative) == "tf_keras"
        assert location(relative) == (str(tmp_path / "other"), "tf_keras.src.m", False)
    monkeypatch.chdir(tmp_path / "keras")
    assert own_package(relative) == "src"  # outside a run: looked up again
    assert location(relative) == (str(tmp_path / "keras"), "src.m", False)


def test_a_removed_working_directory_is_no_package_within_a_run(tmp_path: Path, monkeypatch) -> None:
    from keras_compat.package import location

    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    with remembered():
        assert own_package("m.py") is None
        assert location("m.py") is None


def test_core_reports_in_a_project_and_not_in_the_library(trees) -> None:
    inside, outside = trees
    assert {"KC101", "KC103", "KC203"} <= set(_codes(outside))
    assert _codes(inside) == []
    assert _codes(inside, "keras3") == []
    assert _codes(outside, "keras3")


def test_other_libraries_stay_reported_inside_a_package(tmp_path: Path) -> None:
    """tf_keras's own sources importing standalone keras are still a mixed-library import."""
    path = _package(tmp_path, "tf_keras", "src") / "m.py"
    path.write_text("from keras.engine.topology import Layer\nimport keras\n", encoding="utf-8")
    assert _codes(path) == ["KC101", "KC103"]


def test_flake8_and_pylint_agree(trees, tmp_path: Path) -> None:
    inside, outside = trees
    for subprocess_mode in (False, True):
        paths = [os.path.relpath(inside, tmp_path), os.path.relpath(outside, tmp_path)]
        _, out, err = run_flake8(paths, subprocess_mode=subprocess_mode, cwd=tmp_path)
        found = parse_flake8(out)
        assert {f[0] for f in found} == {os.path.relpath(outside, tmp_path)}, err
    _, out, _ = run_pylint([str(inside), str(outside)], cwd=tmp_path)
    paths = {os.path.normpath(f[0]) for f in parse_pylint(out)}
    assert paths and all(p.startswith("myproj") for p in paths)


def test_flake8_stdin_uses_the_display_name(trees, tmp_path: Path) -> None:
    """Editors send the buffer on stdin with its real path as the display name."""
    inside, outside = trees
    for path, expected in ((inside, False), (outside, True)):
        _, out, err = run_flake8(["-"], f"--stdin-display-name={path}", subprocess_mode=True, cwd=tmp_path,
                                 stdin=KERAS_SOURCE)
        assert bool(parse_flake8(out)) is expected, (path, out, err)
    _, out, _ = run_flake8(["-"], subprocess_mode=True, cwd=tmp_path, stdin=KERAS_SOURCE)
    assert parse_flake8(out)  # no file name: no package, reported


def test_cli_cache_follows_a_new_init_file(tmp_path: Path, capsys, monkeypatch) -> None:
    """Whether a file is inside the package is not in its bytes: the cache key must change with it."""
    keras_dir = tmp_path / "keras"
    (keras_dir / "src").mkdir(parents=True)
    (keras_dir / "src" / "m.py").write_text(KERAS_SOURCE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "-j", "1", "--format", "json", "."]) != 0  # not a package yet: reported
    capsys.readouterr()
    (keras_dir / "__init__.py").touch()
    (keras_dir / "src" / "__init__.py").touch()
    assert main(["check", "-j", "1", "--format", "json", "."]) == 0  # now Keras's own module
    capsys.readouterr()


def test_a_project_re_export_of_the_backend_still_resolves(tmp_path: Path) -> None:
    """``extra-backend-aliases`` names a project's own module: inside that project it must keep working."""
    source = ("from keras.layers import Layer\nfrom myproj.backend import dot\n\n\nclass Proj(Layer):\n"
              "    def call(self, x):\n        return dot(x, self.w)\n")
    path = _package(tmp_path, "myproj") / "layers.py"
    path.write_text(source, encoding="utf-8")
    settings = Settings(extra_backend_aliases=("myproj.backend",))
    inside = [d.code for d in lint_source(source, str(path), settings)]
    assert inside == [d.code for d in lint_source(source, "<string>", settings)]
    assert "KC301" in inside


def test_library_module_importing_only_itself_is_not_analysed(tmp_path: Path, monkeypatch) -> None:
    """Nothing a rule matches can come from such a module, so the analysis is skipped (it is most of
    Keras 3's sources); a module that reaches another library, at any depth, is analysed."""
    import keras_compat.engine as engine

    built: list[str] = []
    real = engine.Context

    def counting(tree, text, settings, filename, *args, **kwargs):
        built.append(os.path.basename(filename))
        return real(tree, text, settings, filename, *args, **kwargs)

    monkeypatch.setattr(engine, "Context", counting)
    src = _package(tmp_path, "keras", "src")
    cases = {
        "own.py": ("import numpy as np\nfrom keras.src import backend\nfrom . import ops\nimport keras\n\n"
                   "class Scale(keras.layers.Layer):\n    def call(self, x):\n        return backend.dropout(x, 0.5)\n",
                   []),
        "nested.py": ("def load(kind):\n    match kind:\n        case 'old':\n            class A:\n"
                      "                def f(self):\n                    from tensorflow.python.keras.layers import Dense\n"
                      "                    return Dense\n",
                      ["KC103"]),
        "env.py": ("import os\nos.environ['KERAS_BACKEND'] = 'theano'\n", ["KC104"]),
    }
    for name, (source, expected) in cases.items():
        (src / name).write_text(source, encoding="utf-8")
        assert _codes(src / name) == expected, name
    assert sorted(built) == ["env.py", "nested.py"]
