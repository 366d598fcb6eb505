"""The project index (keras_compat/project.py): resolution across modules, the classifier on classes of
other modules, the bounds, what is read and when, and the layer rules' parity across placements."""

from __future__ import annotations

import ast
import os
import textwrap
from pathlib import Path

import pytest
from support.projects import ALSO, EXPECTED, VARIANTS, layer_start, variant, write

from keras_compat import project
from keras_compat.context import Context
from keras_compat.engine import lint_source
from keras_compat.layers import Kind, classifier
from keras_compat.project import View, summarize
from keras_compat.settings import Settings


def _ctx(path: Path, text: str | None = None) -> Context:
    text = path.read_text(encoding="utf-8") if text is None else text
    return Context(ast.parse(text), text, Settings(), str(path))


def _qualnames(path: Path) -> dict[str, str | None]:
    """Every loaded name/attribute chain of the file (as written) -> what it resolves to."""
    ctx = _ctx(path)
    return {ast.unparse(n): ctx.qualname(n) for n in ast.walk(ctx.tree)
            if isinstance(n, (ast.Name, ast.Attribute)) and isinstance(n.ctx, ast.Load)}


def _kinds(path: Path) -> dict[str, Kind | None]:
    ctx = _ctx(path)
    classes = classifier(ctx)
    return {node.name: (classes[node].kind if classes[node] else None) for node in ctx.classes}


def _codes(path: Path, text: str | None = None, settings: Settings | None = None) -> set[tuple[int, str]]:
    data = path.read_bytes() if text is None else text
    return {(d.line, d.code) for d in lint_source(data, str(path), settings)}


# -- the layer rules see the same class wherever its base is defined ---------------------------------------

@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_layer_rules_do_not_depend_on_where_the_base_class_is(tmp_path: Path, name: str) -> None:
    subject = variant(tmp_path, name)
    start = layer_start(subject)
    found = {(line - start, code) for line, code in _codes(subject) if line > start + 1}
    assert found == EXPECTED | ALSO.get(name, set())
    # without the index, a base from another module is unknown: the class is not a layer at all
    if name not in ("same-file", "keras-star-in-subject"):
        alone = {(line - start, code) for line, code in _codes(subject, settings=Settings(project=False))
                 if line > start + 1}
        assert alone != EXPECTED


def test_kc303_outside_a_layer_kc301_inside_one_from_another_module(tmp_path: Path) -> None:
    write(tmp_path, {
        "gnn/layers/conv.py": "from tensorflow.keras.layers import Layer\n\nclass Conv(Layer):\n    pass\n",
        "gnn/layers/gcn.py": """\
            from tensorflow.keras import backend as K
            from gnn.layers.conv import Conv


            class GCN(Conv):
                def call(self, inputs):
                    return K.dot(inputs, self.kernel)


            def helper(x):
                return K.dot(x, x)
            """,
    })
    codes = _codes(tmp_path / "gnn/layers/gcn.py")
    assert (7, "KC301") in codes and (7, "KC303") not in codes
    assert (11, "KC303") in codes and (11, "KC301") not in codes


def test_recurrent_from_a_star_import_is_an_rnn_layer(tmp_path: Path) -> None:
    write(tmp_path, {
        "cells/base.py": "from keras.layers import *\n",
        "cells/lstm.py": """\
            from .base import *


            class PhasedLSTM(Recurrent):
                def __init__(self, units, **kwargs):
                    super(PhasedLSTM, self).__init__(**kwargs)
                    self.units = units


            class Cell(Layer):
                state_size = 4
            """,
    })
    kinds = _kinds(tmp_path / "cells/lstm.py")
    assert kinds == {"PhasedLSTM": Kind.LAYER, "Cell": Kind.RNN_CELL}
    assert (4, "KC405") in _codes(tmp_path / "cells/lstm.py")


def test_rnn_cell_kind_comes_from_the_other_module(tmp_path: Path) -> None:
    write(tmp_path, {
        "m/cell.py": "from keras.layers import Layer\n\nclass Cell(Layer):\n    def __init__(self):\n"
                     "        super().__init__()\n        self.state_size = 3\n",
        "m/sub.py": "from .cell import Cell\n\nclass Sub(Cell):\n    pass\n",
    })
    assert _kinds(tmp_path / "m/sub.py") == {"Sub": Kind.RNN_CELL}


def test_get_config_of_a_base_in_another_module_counts(tmp_path: Path) -> None:
    write(tmp_path, {
        "m/base.py": "from keras.layers import Layer\n\nclass Base(Layer):\n    def get_config(self):\n"
                     "        return super().get_config()\n",
        "m/mixin.py": "class Mixin:\n    def get_config(self):\n        return {}\n",
        "m/sub.py": """\
            from keras.layers import Layer
            from .base import Base
            from .mixin import Mixin


            class A(Base):
                def __init__(self, units, **kwargs):
                    super().__init__(**kwargs)
                    self.units = units


            class B(Layer, Mixin):
                def __init__(self, units, **kwargs):
                    super().__init__(**kwargs)
                    self.units = units
            """,
    })
    assert not {c for c in _codes(tmp_path / "m/sub.py") if c[1] == "KC405"}


# -- resolution -----------------------------------------------------------------------------------------

def test_relative_absolute_and_reexported_names_resolve(tmp_path: Path) -> None:
    write(tmp_path, {
        "pkg/__init__.py": "from .backend import K\nfrom . import layers\n",
        "pkg/backend.py": "try:\n    from tensorflow.keras import backend as K\nexcept ImportError:\n"
                          "    from keras import backend as K\n",
        "pkg/layers/__init__.py": "from .dense import *\n__all__ = ['MyDense']\n",
        "pkg/layers/dense.py": "from keras.layers import Dense as _D\n\nclass MyDense(_D):\n    pass\n\n"
                               "class _Hidden(_D):\n    pass\n",
        "pkg/use.py": """\
            import pkg
            from . import backend
            from .backend import K as K1
            from pkg import K as K2
            from .layers import MyDense
            from pkg.layers.dense import MyDense as D2
            pkg.K.sum
            backend.K.mean
            K1.dot
            K2.max
            pkg.layers.MyDense
            MyDense
            D2
            """,
    })
    found = _qualnames(tmp_path / "pkg/use.py")
    assert found["pkg.K.sum"] == found["backend.K.mean"].replace("mean", "sum") == "keras.backend.sum"
    assert found["K1.dot"] == "keras.backend.dot" and found["K2.max"] == "keras.backend.max"
    assert found["MyDense"] == found["D2"] == found["pkg.layers.MyDense"] == "pkg.layers.dense.MyDense"


def test_star_imports_of_project_modules(tmp_path: Path) -> None:
    write(tmp_path, {
        "p/a.py": "from keras import backend as K\n_private = 1\n__all__ = ['K']\n",
        "p/b.py": "from keras import backend as K\nfrom keras.layers import Dense\n_hidden = K\n",
        "p/c.py": "from numpy import *\nfrom keras import backend as K\n",
        "p/use_a.py": "from .a import *\nK.sum\n_private\n",
        "p/use_b.py": "from .b import *\nK.sum\nDense\n_hidden.sum\n",
        "p/use_c.py": "from .c import *\nK.sum\n",
        "p/use_late.py": "from .b import *\nfrom numpy import *\nK.sum\n",
        "p/use_shadow.py": "from .b import *\nK = object()\nK.sum\n",
    })
    assert _qualnames(tmp_path / "p/use_a.py") == {"K.sum": "keras.backend.sum", "K": "keras.backend",
                                                   "_private": None}
    found = _qualnames(tmp_path / "p/use_b.py")
    assert found["K.sum"] == "keras.backend.sum" and found["Dense"] == "keras.layers.Dense"
    assert found["_hidden.sum"] is None  # underscore names are not star-exported
    assert _qualnames(tmp_path / "p/use_c.py")["K.sum"] == "keras.backend.sum"  # bound after numpy's star
    assert _qualnames(tmp_path / "p/use_late.py")["K.sum"] is None  # numpy's star (later) could rebind it
    assert _qualnames(tmp_path / "p/use_shadow.py")["K.sum"] is None


def test_keras_star_exports_come_from_the_real_releases(tmp_path: Path) -> None:
    write(tmp_path, {"m/use.py": "from keras.layers import *\nK.sum\nactivations.relu\nnp.zeros\nDense\n"
                                 "initializers.get\nRecurrent\nnot_a_keras_name\n"})
    found = _qualnames(tmp_path / "m/use.py")
    assert found == {"K.sum": "keras.backend.sum", "K": "keras.backend", "activations.relu": "keras.activations.relu",
                     "activations": "keras.activations", "np.zeros": "numpy.zeros", "np": "numpy",
                     "Dense": "keras.layers.Dense", "initializers.get": "keras.initializers.get",
                     "initializers": "keras.initializers", "Recurrent": "keras.layers.Recurrent",
                     "not_a_keras_name": None}


def test_missing_module_unreadable_module_and_cycles_are_unknown(tmp_path: Path) -> None:
    write(tmp_path, {
        "q/broken.py": "from keras.layers import Layer\nclass Broken(Layer:\n",
        "q/a.py": "from .b import *\n",
        "q/b.py": "from .a import *\n",
        "q/x.py": "from .y import Base\n",
        "q/y.py": "from .x import Base\n",
        "q/use.py": """\
            from keras.layers import Layer
            from .missing import Base as M
            from .broken import Broken
            from .a import *
            from .x import Base as X


            class One(M):
                def __init__(self, units):
                    self.units = units


            class Two(Broken):
                def __init__(self, units):
                    self.units = units


            class Three(X):
                def __init__(self, units):
                    self.units = units


            class Four(Anything):
                def __init__(self, units):
                    self.units = units
            """,
    })
    path = tmp_path / "q/use.py"
    assert _kinds(path) == {"One": None, "Two": None, "Three": None, "Four": None}
    assert not lint_source(path.read_bytes(), str(path)) or \
        {d.code for d in lint_source(path.read_bytes(), str(path))} <= {"KC101"}


def test_a_base_class_cycle_across_modules_is_not_a_layer(tmp_path: Path) -> None:
    write(tmp_path, {
        "c/a.py": "from .b import B\n\nclass A(B):\n    pass\n",
        "c/b.py": "from .a import A\n\nclass B(A):\n    pass\n",
        "c/use.py": "import keras\nfrom .a import A\n\nclass C(A):\n    def __init__(self, x):\n        self.x = x\n",
    })
    assert _kinds(tmp_path / "c/use.py") == {"C": None}


def test_relative_import_beyond_the_top_package_is_unknown(tmp_path: Path) -> None:
    write(tmp_path, {"top/use.py": "from ...elsewhere import K\nfrom keras.layers import Layer\nK.sum\n"})
    assert _qualnames(tmp_path / "top/use.py")["K.sum"] is None


def test_a_flat_directory_of_scripts_is_a_project(tmp_path: Path) -> None:
    write(tmp_path, {"layers_lib.py": "from keras.layers import Layer\n\nclass Base(Layer):\n    pass\n",
                     "train.py": "from layers_lib import Base\n\nclass Mine(Base):\n    pass\n"})
    assert _kinds(tmp_path / "train.py") == {"Mine": Kind.LAYER}


def test_the_analysed_text_wins_over_the_file_on_disk(tmp_path: Path) -> None:
    """An editor's unsaved buffer: the analysed file's own module comes from the text given, not the disk."""
    write(tmp_path, {
        "e/base.py": "from .subject import *\n\nclass Base(Layer):\n    pass\n",
        "e/subject.py": "x = 1\n",
    })
    buffer = "from keras.layers import Layer\nfrom .base import Base\n\nclass Mine(Base):\n    pass\n"
    ctx = _ctx(tmp_path / "e/subject.py", buffer)
    assert classifier(ctx)[ctx.classes[0]].kind is Kind.LAYER


def test_sibling_changes_are_seen_by_a_long_lived_process(tmp_path: Path) -> None:
    write(tmp_path, {"s/base.py": "class Base:\n    pass\n",
                     "s/use.py": "import keras\nfrom .base import Base\n\nclass A(Base):\n    pass\n"})
    assert _kinds(tmp_path / "s/use.py") == {"A": None}
    base = tmp_path / "s/base.py"
    base.write_text("from keras.layers import Layer\n\nclass Base(Layer):\n    pass\n")
    os.utime(base, ns=(1, 1))  # a different modification time even on a coarse clock
    assert _kinds(tmp_path / "s/use.py") == {"A": Kind.LAYER}


# -- costs and bounds ----------------------------------------------------------------------------------

def test_a_file_importing_only_the_standard_library_and_keras_never_touches_the_index(tmp_path, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the project index was consulted")

    monkeypatch.setattr(project, "location", forbidden)
    monkeypatch.setattr(project, "index_for", forbidden)
    write(tmp_path, {"z/m.py": """\
        import os
        from collections import OrderedDict
        import tensorflow as tf
        from keras import backend as K
        from keras.layers import Layer


        class A(Layer):
            def call(self, x):
                return K.sum(x) + tf.reduce_sum(x)
        """})
    assert (10, "KC301") in _codes(tmp_path / "z/m.py")
    assert not lint_source("import os\nprint(os.sep)\n", str(tmp_path / "z/m.py"))


def test_each_module_is_parsed_once_per_run_and_a_store_saves_every_parse(tmp_path: Path) -> None:
    files = {f"big/m{i}.py": f"from .m{i - 1} import Base{i - 1} as B\n\nclass Base{i}(B):\n    pass\n"
             for i in range(1, 30)}
    files["big/m0.py"] = "from keras.layers import Layer\n\nclass Base0(Layer):\n    pass\n"
    write(tmp_path, files)

    class Memory:
        def __init__(self) -> None:
            self.data: dict[str, dict] = {}

        def summary_get(self, key: str) -> dict | None:
            return self.data.get(key)

        def summary_put(self, key: str, data: dict) -> None:
            self.data[key] = data

    store = Memory()
    project.set_store(store)
    try:
        with project.remembered():
            before = project.parsed()
            for i in range(1, 30):
                assert _kinds(tmp_path / f"big/m{i}.py") == {f"Base{i}": Kind.LAYER}
            assert project.parsed() - before == 29  # every module once (m29 is only ever analysed itself)
        project._INDEXES.clear()  # a new run: nothing in memory, everything in the store
        with project.remembered():
            before = project.parsed()
            for i in range(1, 30):
                assert _kinds(tmp_path / f"big/m{i}.py") == {f"Base{i}": Kind.LAYER}
            assert project.parsed() == before
    finally:
        project.set_store(None)
    assert len(store.data) == 29


def test_the_number_of_modules_read_per_file_is_bounded(tmp_path: Path, monkeypatch) -> None:
    files = {f"chain/m{i}.py": f"from .m{i - 1} import Base{i - 1} as B\n\nclass Base{i}(B):\n    pass\n"
             for i in range(1, 12)}
    files["chain/m0.py"] = "from keras.layers import Layer\n\nclass Base0(Layer):\n    pass\n"
    write(tmp_path, files)
    monkeypatch.setattr(project, "MAX_MODULES", 5)
    ctx = _ctx(tmp_path / "chain/m11.py")
    assert classifier(ctx)[ctx.classes[0]] is None  # the chain is longer than the budget: unknown
    assert len(ctx.project.deps) <= 5 + 2 * 11  # the modules read, and the files looked for
    monkeypatch.setattr(project, "MAX_MODULES", 256)
    assert _kinds(tmp_path / "chain/m11.py") == {"Base11": Kind.LAYER}


def test_large_modules_are_not_read(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"big/base.py": "from keras.layers import Layer\n\nclass Base(Layer):\n    pass\n" + "#" * 5000,
                     "big/use.py": "import keras\nfrom .base import Base\n\nclass A(Base):\n    pass\n"})
    monkeypatch.setattr(project, "MAX_MODULE_BYTES", 1000)
    project._INDEXES.clear()
    assert _kinds(tmp_path / "big/use.py") == {"A": None}


def test_recording_lists_what_was_read_and_detects_changes(tmp_path: Path) -> None:
    subject = variant(tmp_path, "init-re-export")
    with project.recording() as deps:
        lint_source(subject.read_bytes(), str(subject))
    read = {Path(p).relative_to(tmp_path).as_posix() for p, d in deps.items() if d is not None}
    assert read == {"pkg/core/__init__.py", "pkg/core/base.py"}
    assert project.unchanged(deps)
    (tmp_path / "pkg/core/base.py").write_text("class Base:\n    pass\n")
    assert not project.unchanged(deps)


def test_a_module_created_later_invalidates(tmp_path: Path) -> None:
    # (a constructor: the rules that classify a class run only where the module has a method they read)
    write(tmp_path, {"n/use.py": "import keras\nfrom .later import Base\n\nclass A(Base):\n"
                                 "    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n"})
    with project.recording() as deps:
        lint_source((tmp_path / "n/use.py").read_bytes(), str(tmp_path / "n/use.py"))
    assert project.unchanged(deps)
    (tmp_path / "n/later.py").write_text("class Base:\n    pass\n")
    assert not project.unchanged(deps)


def test_files_that_never_mention_keras_are_analysed_when_they_import_the_project(tmp_path: Path) -> None:
    write(tmp_path, {"g/base.py": "from keras.layers import Layer\nfrom keras import backend as K\n\n"
                                  "class Base(Layer):\n    pass\n",
                     "g/sub.py": "from g.base import Base, K\n\nclass Sub(Base):\n    def call(self, x):\n"
                                 "        return K.sum(x)\n",
                     "g/plain.py": "import os\n\nclass Sub:\n    pass\n"})
    assert (5, "KC301") in _codes(tmp_path / "g/sub.py")
    assert project.may_reach_project("from .x import y\n", "<stdin>")
    assert not project.may_reach_project("import os\nfrom collections import abc\n", str(tmp_path / "g/plain.py"))
    assert not project.may_reach_project("import numpy\n", str(tmp_path / "g/plain.py"))
    assert project.may_reach_project("import g.base\n", str(tmp_path / "g/plain.py"))


def test_summaries_round_trip_through_json(tmp_path: Path) -> None:
    source = textwrap.dedent("""\
        from .base import *
        from keras.layers import Layer as L
        import numpy as np
        __all__ = ['A', 'helper']
        __all__ += ['B']

        class A(L):
            state_size = 1
            def build(self, shape):
                self.add_weight(name='w')

        class B(A, object):
            pass

        def helper():
            pass
        """)
    summary = summarize(ast.parse(source), "pkg.mod", False)
    assert summary.stars == (("pkg.base", 1),)
    assert summary.all == ("A", "helper", "B") and not summary.all_open
    assert summary.names["np"] == "=numpy" and summary.names["helper"] == project.OPAQUE
    assert summary.classes["A"].bases == ("keras.layers.Layer",) and summary.classes["A"].state_size
    assert summary.classes["A"].build_weights is True and summary.classes["B"].bases == ("pkg.mod.A",)
    assert project.Summary.from_json(summary.to_json()) == summary


def test_the_view_of_text_without_a_file_knows_nothing() -> None:
    view = View("<stdin>", ast.parse(""))
    assert view.package is None and not view.is_root("pkg")


# -- KC110: names leaked by standalone Keras' star imports ---------------------------------------------

def _kc110(path: Path, target: str = "tf-keras") -> list[tuple[int, str, str]]:
    found = lint_source(path.read_bytes(), str(path), Settings(target=target))
    return [(d.line, d.fields["name"], d.fields["statement"]) for d in found if d.code == "KC110"]


def test_leaked_names_of_keras_1_and_2_star_exports(tmp_path: Path) -> None:
    write(tmp_path, {"k/m.py": """\
        from keras.layers import *
        from keras.models import *


        class Norm(Layer):
            def build(self, shape):
                self.gamma = self.add_weight(name='gamma', shape=shape, initializer=initializations.get('one'))

            def call(self, x):
                return K.sum(x) / np.sqrt(2) + func_dump(x)

            def other(self, x):
                return K.mean(x)


        model = Sequential([Norm(), Dense(3)])
        """})
    assert _kc110(tmp_path / "k/m.py") == [
        (7, "initializations", "from keras import initializations"),  # keras 1.2.2 only
        (10, "K", "from keras import backend as K"),  # keras 1.2.2 and 2.2.4
        (10, "np", "import numpy as np"),
        (10, "func_dump", "from keras.utils.generic_utils import func_dump"),
    ]
    assert [line for line, *_ in _kc110(tmp_path / "k/m.py", "keras3")] == [7, 10, 10, 10]


def test_leaks_through_a_star_import_of_a_project_module(tmp_path: Path) -> None:
    write(tmp_path, {"k/common.py": "from keras.layers import *\nfrom keras import backend as K\n",
                     "k/shared.py": "from keras.layers import *\n",
                     "k/a.py": "from .common import *\n\nx = K.sum(Dense(3))\n",
                     "k/b.py": "from .shared import *\n\nx = K.sum(Dense(3))\n"})
    assert _kc110(tmp_path / "k/a.py") == []  # common.py binds K explicitly: its migration keeps it
    found = lint_source((tmp_path / "k/b.py").read_bytes(), str(tmp_path / "k/b.py"))
    [leak] = [d for d in found if d.code == "KC110"]
    assert (leak.line, leak.col) == (3, 4) and "through 'from k.shared import *'" in leak.message
    assert leak.fix is not None and leak.fix.edits[0].content == "from keras import backend as K\n"


def test_compatibility_star_imports_are_left_alone(tmp_path: Path) -> None:
    write(tmp_path, {"k/m.py": """\
        try:
            from tensorflow.keras.layers import *
        except ImportError:
            from keras.layers import *

        x = K.sum(1)
        """})
    assert _kc110(tmp_path / "k/m.py") == []


def test_the_fix_binds_what_the_star_import_bound(tmp_path: Path) -> None:
    from keras_compat.fixes import fix_text

    source = textwrap.dedent("""\
        import sys
        if len(sys.argv) > 1:
            from keras.layers import *  # the layers
            y = np.ones(3)
        z = K.sum(np.zeros(2))
        """)
    fixed = fix_text(source, "m.py", Settings(select=("KC110",))).text
    added = "    import numpy as np\n    from keras import backend as K\n"
    assert fixed == source.replace("# the layers\n", "# the layers\n" + added)
    assert not [d for d in lint_source(fixed, "m.py") if d.code == "KC110"]
    one_line = "from keras.layers import *; x = K.sum(1)\n"
    [leak] = [d for d in lint_source(one_line, "m.py") if d.code == "KC110"]
    assert leak.fix is None


# -- rules that read a base class's methods -----------------------------------------------------------

_RNN_BASE = ("import keras\n\n\nclass Base(keras.layers.RNN):\n    def build(self, input_shape):\n"
             "        super().build(input_shape)\n")
_RNN_SUB = ("\n\nclass Seq(Base):\n    def call(self, inputs, initial_state=None, mask=None, training=False):\n"
            "        return super().call(inputs, initial_state=initial_state, mask=mask, training=training)\n")


@pytest.mark.parametrize("build", [True, False], ids=["base-with-one-argument-build", "base-without-build"])
def test_a_base_class_method_in_another_module_is_read_like_a_local_one(tmp_path: Path, build: bool) -> None:
    """KC518 (keras3) asks whether a base defines a one-argument build(): the answer must not depend on
    where the base is (a foreign base's method is read from its module's statement)."""
    base = _RNN_BASE if build else "import keras\n\n\nclass Base(keras.layers.RNN):\n    pass\n"
    write(tmp_path, {"r/same.py": base + _RNN_SUB,
                     "r/base.py": base,
                     "r/other.py": "import keras\nfrom .base import Base\n\n\n" + _RNN_SUB.lstrip("\n")})
    settings = Settings(target="keras3")

    def kc518(rel: str) -> list[str]:
        path = tmp_path / rel
        return [d.fields["layer"] for d in lint_source(path.read_bytes(), str(path), settings) if d.code == "KC518"]

    assert kc518("r/same.py") == kc518("r/other.py") == ([] if build else ["Seq"])
    ctx = _ctx(tmp_path / "r/other.py")
    classes = classifier(ctx)
    [ancestor] = classes.ancestors(classes[ctx.classes[0]])
    assert ancestor.foreign and ancestor.name == "Base"
    assert (ancestor.method("build") is not None) is build


def test_files_that_never_mention_keras_are_analysed_only_when_the_project_gives_them_keras(tmp_path, monkeypatch):
    from keras_compat import engine

    write(tmp_path, {"h/util.py": "import keras\n\ndef helper():\n    return 1\n\nclass Plain:\n    pass\n",
                     "h/layer.py": "from keras.layers import Layer\n\nclass Base(Layer):\n    pass\n",
                     "h/a.py": "from .util import helper, Plain\n\nclass A(Plain):\n    def __init__(self, x):\n"
                               "        self.x = helper()\n",
                     "h/b.py": "from .layer import Base\n\nclass B(Base):\n    def __init__(self, x):\n"
                               "        self.x = x\n",
                     "h/__init__.py": "from .a import A\nfrom .b import B\n__all__ = ['A', 'B']\n"})
    analysed: list[str] = []
    original = engine.Context

    def spy(*args, **kwargs):
        analysed.append(args[3])
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "Context", spy)
    for name in ("a.py", "b.py", "__init__.py"):
        lint_source((tmp_path / "h" / name).read_bytes(), str(tmp_path / "h" / name))
    assert [Path(p).name for p in analysed] == ["b.py"]
    assert {c for _, c in _codes(tmp_path / "h/b.py")} == {"KC404", "KC405", "KC406"}


@pytest.mark.parametrize("mutate", [
    lambda d: d.update(v="0"),
    lambda d: d["names"].update(K=5),
    lambda d: d.update(stars=[["pkg.base"]]),
    lambda d: d["classes"]["A"].__setitem__(0, "keras.layers.Layer"),
    lambda d: d.update(all_open="no"),
    lambda d: d["lines"].update(np=True),
    lambda d: d.update(patched=[]),
])
def test_a_stored_summary_of_another_shape_is_not_used(mutate) -> None:
    tree = ast.parse("from .base import *\nimport numpy as np\n\nclass A(np.B):\n    pass\n")
    data = summarize(tree, "pkg.mod", False).to_json()
    assert project.Summary.from_json(data) == summarize(tree, "pkg.mod", False)
    mutate(data)
    with pytest.raises((ValueError, KeyError)):
        project.Summary.from_json(data)


def test_a_project_without_keras_is_never_parsed_by_the_index(tmp_path: Path) -> None:
    files = {f"shop/m{i}.py": f"from .m{i - 1} import Model{i - 1}\nfrom shop import m{i - 1}\n\n"
                              f"class Model{i}(Model{i - 1}):\n    def save(self):\n        return m{i - 1}\n"
             for i in range(1, 20)}
    files["shop/m0.py"] = "import django\n\nclass Model0(django.Model):\n    pass\n"
    write(tmp_path, files)
    before = project.parsed()
    for i in range(20):
        path = tmp_path / f"shop/m{i}.py"
        assert lint_source(path.read_bytes(), str(path)) == []
    assert project.parsed() == before
