"""Records: value classes declared like frozen dataclasses, for a small fraction of their start-up cost.

``@dataclass`` compiles the source of ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` and the frozen
``__setattr__``/``__delattr__`` of every class it decorates: about 4 million instructions per class, which
for the classes that the analysis imports was most of the plugins' start-up in flake8 and pylint (an
editor runs flake8 on every save). A :class:`Record` subclass is declared the same way, with annotated
fields and defaults, and gets the same behaviour from generic methods that read its field list::

    class Edit(Record, order=True):
        line: int
        content: str = ""
        notes: list[str] = factory(list)             # field(default_factory=list)
        fields: dict = uncompared(make=dict)          # field(default_factory=dict, compare=False)

Instances are frozen (``mutable=True`` for a class whose fields are assigned later), compare and hash by
their compared fields, and order like tuples of them with ``order=True``; ``__post_init__`` runs after
``__init__``. ``dataclasses.fields``, ``replace``, ``asdict`` and ``is_dataclass`` work on them: the
``Field`` objects they need are built on first use. Creating an instance costs about what a frozen
dataclass's costs; classes made by the thousand per file (the resolver's bindings) are plain slotted
classes instead. ``tests/test_record.py`` fails when a dataclass is created on the analysis path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_MISSING: Any = object()


class _Factory:
    """A default made per instance (``field(default_factory=...)``), and whether the field is compared."""

    __slots__ = ("make", "value", "compare")

    def __init__(self, make: Callable[[], object] | None, value: object, compare: bool) -> None:
        self.make, self.value, self.compare = make, value, compare


def factory(make: Callable[[], Any]) -> Any:
    """A field whose default is ``make()`` for each instance (``dataclasses.field(default_factory=make)``)."""
    return _Factory(make, _MISSING, True)


def uncompared(default: object = _MISSING, *, make: Callable[[], Any] | None = None) -> Any:
    """A field left out of equality, hashing and ordering (``field(compare=False)``), with a default value or
    a ``make`` for a default made per instance."""
    return _Factory(make, default, False)


class _DataclassFields:
    """``__dataclass_fields__`` for :mod:`dataclasses`' functions, built on first use (importing dataclasses
    and making ``Field`` objects is what records avoid at import time)."""

    def __get__(self, instance: object, owner: type) -> dict[str, Any]:
        cached = owner.__dict__.get("_dataclass_fields")
        if cached is None:
            cached = _make_fields(owner)
            type.__setattr__(owner, "_dataclass_fields", cached)
        return cached


def _make_fields(cls: type) -> dict[str, Any]:
    import dataclasses

    out = {}
    for name in cls._fields:  # type: ignore[attr-defined]
        default, make = cls._defaults.get(name, dataclasses.MISSING), cls._factories.get(name)  # type: ignore[attr-defined]
        field = dataclasses.field(default=default, compare=name in cls._compared,  # type: ignore[attr-defined]
                                  **({"default_factory": make} if make is not None else {}))
        field.name, field.type = name, cls._annotations.get(name, "")  # type: ignore[attr-defined]
        field._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # what fields() keeps
        out[name] = field
    return out


def _order(op: str) -> Callable[[Record, object], bool]:
    def compare(self: Record, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return getattr(self._key(), op)(other._key())  # type: ignore[attr-defined]

    compare.__name__ = op
    return compare


_ORDER = {op: _order(op) for op in ("__lt__", "__le__", "__gt__", "__ge__")}


class _RecordType(type):
    """Reads a record class's fields from its namespace before the class is made (setting attributes on a
    class afterwards costs more than making it). About 40 record classes are made when a host first checks a
    file: the loops below call no Python function per field, and ``type`` is called directly (no ``super()``)."""

    def __new__(mcs, name: str, bases: tuple[type, ...], ns: dict[str, Any], *, order: bool = False,
                mutable: bool = False, **kwargs: Any) -> _RecordType:
        if not bases:  # Record itself
            return type.__new__(mcs, name, bases, ns, **kwargs)
        fields: list[str] = []
        compared: list[str] = []
        defaults: dict[str, object] = {}
        factories: dict[str, Callable[[], object]] = {}
        annotations: dict[str, str] = {}
        post_init = None
        for base in reversed(bases):  # inherited fields first, as dataclasses order them
            if isinstance(base, _RecordType):
                if base._fields:
                    fields += [f for f in base._fields if f not in fields]
                    compared += [f for f in base._compared if f not in compared]
                    defaults.update(base._defaults)
                    factories.update(base._factories)
                    annotations.update(base._annotations)
                post_init = base._post_init or post_init  # its own or inherited __post_init__ (None: neither)
            else:
                post_init = getattr(base, "__post_init__", post_init)
        for field, annotation in ns.get("__annotations__", {}).items():
            if str(annotation).startswith(_CLASS_VAR):
                continue
            annotations[field] = annotation
            if field not in fields:
                fields.append(field)
            value = ns.get(field, _MISSING)
            if value.__class__ is _Factory:
                if not value.compare:
                    if field in compared:
                        compared.remove(field)
                elif field not in compared:
                    compared.append(field)
                del ns[field]
                if value.make is not None:
                    factories[field] = value.make
                elif value.value is not _MISSING:
                    defaults[field] = ns[field] = value.value
                continue
            if field not in compared:
                compared.append(field)
            if value is not _MISSING:
                defaults[field] = value  # the class attribute stays, as a dataclass's does
        required = [f for f in fields if f not in defaults and f not in factories]
        if required and fields.index(required[-1]) >= len(required):
            raise TypeError(f"{name}: a field without a default follows one with a default")
        ns["_fields"] = ns["__match_args__"] = tuple(fields)
        ns["_compared"], ns["_keyset"], ns["_defaults"] = tuple(compared), frozenset(fields), defaults
        ns["_factories"], ns["_annotations"] = factories, annotations
        ns["_post_init"] = ns.get("__post_init__", post_init)
        if mutable:
            ns["_mutable"] = True
        if order:
            ns.update(_ORDER)
        return type.__new__(mcs, name, bases, ns, **kwargs)

    def __init__(cls, name: str, bases: tuple[type, ...], ns: dict[str, Any], **kwargs: Any) -> None:
        type.__init__(cls, name, bases, ns)


_CLASS_VAR = ("ClassVar", "typing.ClassVar")


class Record(metaclass=_RecordType):
    """Base of the records; see the module's docstring."""

    _fields: tuple[str, ...] = ()
    _keyset: frozenset[str] = frozenset()
    _compared: tuple[str, ...] = ()
    _defaults: dict[str, object] = {}
    _factories: dict[str, Callable[[], object]] = {}
    _annotations: dict[str, str] = {}
    _mutable = False
    _post_init: Callable[[Any], None] | None = None
    __dataclass_fields__ = _DataclassFields()

    def __init__(self, *args: object, **kwargs: object) -> None:
        cls = self.__class__
        if args:
            if len(args) > len(cls._fields):
                raise TypeError(f"{cls.__name__}() takes {len(cls._fields)} arguments but {len(args)} were given")
            given = len(kwargs)
            kwargs.update(zip(cls._fields, args))
            if len(kwargs) != given + len(args):
                raise TypeError(f"{cls.__name__}() got multiple values for an argument")
        values = cls._defaults.copy()
        values.update(kwargs)
        if values.keys() != cls._keyset:  # one comparison in C finds a missing or an unknown field
            for name, make in cls._factories.items():
                if name not in values:
                    values[name] = make()
            if values.keys() != cls._keyset:
                unknown = sorted(values.keys() - cls._keyset)
                if unknown:
                    raise TypeError(f"{cls.__name__}() got unexpected keyword arguments {unknown}")
                raise TypeError(f"{cls.__name__}() missing arguments {sorted(cls._keyset - values.keys())}")
        self.__dict__.update(values)
        if cls._post_init is not None:  # ``__post_init__`` as in a dataclass: validation
            cls._post_init(self)

    def _replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (``dataclasses.replace``, which works too)."""
        return self.__class__(**{**{f: self.__dict__[f] for f in self._fields}, **changes})

    def __setattr__(self, name: str, value: object) -> None:
        if not self._mutable:
            raise AttributeError(f"cannot assign to field {name!r} of a frozen {self.__class__.__name__}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if not self._mutable:
            raise AttributeError(f"cannot delete field {name!r} of a frozen {self.__class__.__name__}")
        object.__delattr__(self, name)

    def _key(self) -> tuple[object, ...]:
        values = self.__dict__
        return tuple([values[f] for f in self._compared])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._key() == other._key()  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        if self._mutable:
            raise TypeError(f"unhashable type: {self.__class__.__name__!r}")
        return hash(self._key())

    def __repr__(self) -> str:
        values = self.__dict__
        return f"{self.__class__.__name__}({', '.join(f'{f}={values[f]!r}' for f in self._fields)})"


class Choice:
    """Base of the package's small enumerations, declared like an :class:`enum.Enum` of strings::

        class Safety(Choice):
            SAFE = "safe"
            UNSAFE = "unsafe"

    Each upper-case string attribute becomes a member (an instance with ``name`` and ``value``), compared by
    identity, found by value (``Safety("safe")``, a member returns itself, an unknown value raises
    ``ValueError``), copied and pickled as itself; methods and properties work as on an enum (a class is not
    iterable: none is iterated). ``enum``'s metaclass costs 0.5-0.9 M instructions to make a class, and six
    of these are made at every flake8 start: this costs a tenth of that.
    """

    __slots__ = ("name", "value")
    _members: dict[str, Any] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        members: dict[str, Any] = {}
        for name, value in list(vars(cls).items()):
            if name.isupper() and isinstance(value, str):
                member = object.__new__(cls)
                object.__setattr__(member, "name", name)
                object.__setattr__(member, "value", value)
                setattr(cls, name, member)
                members[value] = member
        cls._members = members

    def __new__(cls, value: object) -> Any:
        if value.__class__ is cls:
            return value
        member = cls._members.get(value)  # type: ignore[call-overload]
        if member is None:
            raise ValueError(f"{value!r} is not a valid {cls.__qualname__}")
        return member

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to {name!r} of {self!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete {name!r} of {self!r}")

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}.{self.name}: {self.value!r}>"

    def __str__(self) -> str:
        return f"{self.__class__.__name__}.{self.name}"

    def __reduce__(self) -> tuple[object, ...]:
        return self.__class__, (self.value,)

    def __copy__(self) -> Any:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Any:
        return self
