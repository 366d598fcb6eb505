"""Records (``keras_compat.record``) behave like the frozen dataclasses they replace, and the analysis path
creates no dataclass (each costs about 4 million instructions when a host starts; docs/performance.md)."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys

import pytest

from keras_compat.record import Record, factory, uncompared


class Point(Record, order=True):
    x: int
    y: int = 0
    tags: list[str] = factory(list)
    note: str = uncompared("")


class Checked(Record):
    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")


class Counter(Record, mutable=True):
    name: str
    hits: int = 0


def test_construction_defaults_and_factories() -> None:
    p = Point(1)
    assert (p.x, p.y, p.tags, p.note) == (1, 0, [], "")
    assert Point(1).tags is not Point(1).tags  # a new list per instance
    assert Point(1, 2, ["a"], "n") == Point(x=1, y=2, tags=["a"], note="n") == Point(1, y=2, tags=["a"], note="n")
    with pytest.raises(TypeError, match="missing"):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected"):
        Point(1, z=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple"):
        Point(1, x=2)  # type: ignore[misc]
    with pytest.raises(TypeError, match="arguments"):
        Point(1, 2, [], "", 5)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="follows"):
        type("Bad", (Record,), {"__annotations__": {"a": "int", "b": "int"}, "a": 1})


def test_frozen_equality_hash_order_repr() -> None:
    p = Point(1, 2)
    with pytest.raises(AttributeError):
        p.x = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del p.x
    assert p == Point(1, 2, note="other")  # ``note`` is not compared
    assert hash(Point(1, 2, ())) == hash(Point(1, 2, (), note="other")) and p != Point(1, 3) and p != (1, 2)
    assert sorted([Point(2), Point(1, 5), Point(1, 1)]) == [Point(1, 1), Point(1, 5), Point(2)]
    assert repr(p) == "Point(x=1, y=2, tags=[], note='')"
    assert Point.__match_args__ == ("x", "y", "tags", "note")


def test_post_init_and_mutable_records() -> None:
    with pytest.raises(ValueError, match="negative"):
        Checked(-1)
    counter = Counter("a")
    counter.hits += 1
    assert counter.hits == 1 and counter == Counter("a", 1)
    with pytest.raises(TypeError):
        hash(counter)


def test_written_out_initialisers_match_their_fields() -> None:
    """A record may write ``__init__`` out for speed; it must take exactly the fields, with their defaults."""
    import importlib
    import inspect
    import pkgutil

    import keras_compat
    from keras_compat import registry

    for module in pkgutil.walk_packages(keras_compat.__path__, "keras_compat."):  # every record class defined
        if not module.name.startswith("keras_compat.cli"):
            importlib.import_module(module.name)
    registry.all_rules()

    def records(cls: type) -> list[type]:
        return [cls, *(r for sub in cls.__subclasses__() for r in records(sub))]

    written = [cls for cls in records(Record)[1:] if "__init__" in vars(cls) and cls.__module__.startswith("keras_compat")]
    assert {registry.Bad, registry.Good} <= set(written)
    for cls in written:
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        assert tuple(p.name for p in params) == cls._fields, cls
        assert {p.name: p.default for p in params if p.name not in cls._factories and p.default is not p.empty} \
            == cls._defaults, cls
        assert all(p.default is None for p in params if p.name in cls._factories), cls  # None: make a new one
        values = {name: f"<{name}>" for name in cls._fields}
        made = cls(**values)
        assert all(getattr(made, name) == value for name, value in values.items())
        generic = Record.__new__(cls)
        Record.__init__(generic, **values)  # what the generic initialiser makes of the same arguments
        assert vars(generic) == vars(made), cls
        required = {name: f"<{name}>" for name in cls._fields if name not in cls._defaults and name not in cls._factories}
        bare = cls(**required)
        generic = Record.__new__(cls)
        Record.__init__(generic, **required)
        assert vars(generic) == vars(bare), cls
        assert all(getattr(bare, name) == default for name, default in cls._defaults.items()), cls
        assert all(getattr(bare, name) == make() for name, make in cls._factories.items()), cls
        if not cls._mutable:  # (a mutable record's fields are assigned to by design)
            with pytest.raises(AttributeError):
                setattr(made, cls._fields[0], "x")
        with pytest.raises(TypeError):
            cls(**values, unknown_field=1)


def test_dataclass_functions_pickle_and_copy() -> None:
    p = Point(1, 2, ["t"])
    assert dataclasses.is_dataclass(p)
    assert [f.name for f in dataclasses.fields(p)] == ["x", "y", "tags", "note"]
    assert dataclasses.replace(p, y=5) == Point(1, 5, ["t"]) and p._replace(y=5) == Point(1, 5, ["t"])
    assert dataclasses.asdict(p) == {"x": 1, "y": 2, "tags": ["t"], "note": ""}
    for clone in (pickle.loads(pickle.dumps(p)), copy.deepcopy(p), copy.copy(p)):
        assert clone == p and clone.tags == ["t"]
    with pytest.raises(ValueError):
        dataclasses.replace(Checked(1), value=-1)


_NO_DATACLASS = """
import sys
import flake8_keras_compat, flake8_keras_compat.report, pylint_keras_compat, pylint_keras_compat.reporters
from keras_compat.engine import lint_source
from keras_compat.registry import all_rules
from keras_compat.settings import Settings
for target in ("tf-keras", "keras3"):  # every rule on every example: the imports made inside functions too
    settings = Settings(target=target).with_options(run_all=True)
    for rule in all_rules():
        for bad in rule.bad:
            lint_source(bad.code, "m.py", settings)
made = sorted(f"{name}.{value.__name__}" for name, module in list(sys.modules.items())
              if name.split(".")[0] in ("keras_compat", "flake8_keras_compat", "pylint_keras_compat")
              and not name.startswith("keras_compat.cli")  # the command line is not a host's start-up
              for value in vars(module).values()
              if isinstance(value, type) and "__dataclass_params__" in vars(value) and value.__module__ == name)
print("\\n".join(made))
"""


def test_the_analysis_path_creates_no_dataclass() -> None:
    """Every module the plugins and the analysis import (every rule run on every example, both targets)
    defines no dataclass: derive from ``keras_compat.record.Record`` instead (its docstring says why)."""
    proc = subprocess.run([sys.executable, "-c", _NO_DATACLASS], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    made = proc.stdout.split()
    assert not made, (f"dataclasses on the analysis path (about 4 M instructions each at every flake8/pylint "
                      f"start): {made}; declare them as keras_compat.record.Record subclasses")


def test_records_do_not_import_dataclasses() -> None:
    code = ("import sys\nfrom keras_compat.record import Record\nclass P(Record):\n    x: int = 0\n"
            "P(1) == P(1), hash(P(2)), repr(P())\nprint('dataclasses' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr


def test_choices_behave_as_the_enumerations_they_replace() -> None:
    """``record.Choice``: members by value, identity, pickling and copying as themselves, frozen."""
    from keras_compat.diagnostics import Safety
    from keras_compat.names import Flavour
    from keras_compat.record import Choice

    class Colour(Choice):
        RED = "red"
        DARK_BLUE = "dark-blue"

        @property
        def warm(self) -> bool:
            return self is Colour.RED

    assert isinstance(Colour.RED, Colour) and Colour.RED.name == "RED" and Colour.DARK_BLUE.value == "dark-blue"
    assert Colour("red") is Colour.RED and Colour(Colour.DARK_BLUE) is Colour.DARK_BLUE
    assert Colour.RED.warm and not Colour.DARK_BLUE.warm and Colour.RED != Colour.DARK_BLUE
    assert repr(Colour.RED) == "<Colour.RED: 'red'>" and str(Colour.DARK_BLUE) == "Colour.DARK_BLUE"
    assert {Colour.RED: 1}[Colour("red")] == 1
    with pytest.raises(ValueError):
        Colour("green")
    with pytest.raises(ValueError):
        Safety("RED")
    with pytest.raises(AttributeError):
        Colour.RED.value = "blue"  # type: ignore[misc]
    for member in (Safety.SAFE, Flavour.TF_KERAS):  # (a local class cannot be pickled, as with enum)
        assert pickle.loads(pickle.dumps(member)) is member
        assert copy.copy(member) is member and copy.deepcopy(member) is member
    assert Safety("unsafe") is Safety.UNSAFE and Flavour("tf_keras") is Flavour.TF_KERAS_PKG
