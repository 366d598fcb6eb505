"""The project index: what the other modules of the linted file's project define (never executed).

Rules see one file, but a layer's base class, or a re-exported ``K``, often lives in another module of the
same project. The index answers the few questions that name resolution and the layer classifier ask about
those modules, from the files on disk:

* what each top-level name of a module is bound to: an import (made absolute), a class, something else;
* which classes a module defines, with their bases resolved inside that module, as written there;
* what a star import of a module brings in (``__all__``, else its public names, star imports included).

A module is read only when a question about one of its names comes up while a file that imports it
(directly, or through other project modules) is analysed: lazily, and bounded per analysed file (at most
:data:`MAX_MODULES` modules, :data:`MAX_BYTES` bytes, chains of :data:`MAX_DEPTH` steps). Anything beyond
the bounds, unreadable or unparsable is *unknown*, and unknown means silence. A module's facts (its
:class:`Summary`) depend on its bytes and its name only, so they are computed once per process and run,
and the CLI keeps them in its cache directory by content hash (:func:`set_store`). A file whose imports
stay inside the standard library and Keras never reaches this module.
"""

from __future__ import annotations

import ast
import itertools
import os
import sys
from stat import S_ISREG
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from keras_compat.gate import LIBRARY_NAMES, imported_roots
from keras_compat.names import LIBRARY_ROOTS, keras_name
from keras_compat.package import location
from keras_compat.record import Record, factory
from keras_compat.resolver import Project, Resolver, absolute_name
from keras_compat.walk import walk, walk_statements

#: Bumped whenever :class:`Summary` or :func:`summarize` changes meaning (cached summaries are keyed by it).
SUMMARY_VERSION = "2"
#: Bounds per analysed file: modules consulted, bytes of those modules, steps of one resolution.
MAX_MODULES = 256
MAX_BYTES = 16_000_000
MAX_DEPTH = 48
#: A module larger than this is not read (generated code, data): its names are unknown.
MAX_MODULE_BYTES = 2_000_000
#: The class statements of this many modules are kept per root (rules read a base class's methods).
MAX_CLASS_TREES = 16
#: Module names whose candidate files an index remembers (:meth:`Index.paths`).
MAX_PATHS = 4096

#: Top-level names that are never the project's: the standard library and the Keras libraries.
NEVER = frozenset(sys.stdlib_module_names) | LIBRARY_ROOTS | {"__future__", "builtins"}

CLASS = "class"
OPAQUE = "?"


class ClassFacts(Record):
    """What the rules need to know about a class of another module."""

    bases: tuple[str | None, ...]  # qualified names, resolved in the defining module; None: not a name
    defines: frozenset[str]  # names bound in the class body
    state_size: bool  # defines ``state_size`` or sets ``self.state_size`` in ``__init__`` (an RNN cell)
    build_weights: bool | None  # ``def build`` calls ``add_weight`` (None: no ``def build``)

    def __init__(self, bases: tuple[str | None, ...], defines: frozenset[str], state_size: bool,
                 build_weights: bool | None) -> None:
        # Written out (tests/test_record.py checks it against the fields): read from the summary store for
        # every class of every module a run summarises.
        values = self.__dict__
        values["bases"], values["defines"], values["state_size"], values["build_weights"] = \
            bases, defines, state_size, build_weights

    def to_json(self) -> list:
        return [list(self.bases), sorted(self.defines), self.state_size, self.build_weights]

    @classmethod
    def from_json(cls, data: object) -> ClassFacts:
        bases, defines, state_size, build_weights = _of(data, list)
        if not isinstance(state_size, bool) or build_weights not in (None, True, False):
            raise ValueError("class facts of another shape")
        return cls(tuple(_of(b, str, None) for b in _of(bases, list)), frozenset(_strs(defines)), state_size,
                   build_weights)


class Summary(Record):
    """A module's top-level facts. ``names`` maps each top-level name to :data:`CLASS`, :data:`OPAQUE` or
    ``"=" + qualified name`` (an import or alias, made absolute); ``lines`` gives the line of each name's
    last binding and ``stars`` the star-imported modules with their lines (``""``: a relative import that
    climbs out of the project); ``all`` is a literal ``__all__`` (``all_open``: one that is computed)."""

    names: dict[str, str]
    lines: dict[str, int]
    stars: tuple[tuple[str, int], ...]
    all: tuple[str, ...] | None
    all_open: bool
    classes: dict[str, ClassFacts]
    #: attributes the module sets on an imported name (``K.where = where``): not the library's any more
    patched: dict[str, tuple[str, ...]] = factory(dict)

    def __init__(self, names: dict[str, str], lines: dict[str, int], stars: tuple[tuple[str, int], ...],
                 all: tuple[str, ...] | None, all_open: bool, classes: dict[str, ClassFacts],  # noqa: A002
                 patched: dict[str, tuple[str, ...]] | None = None) -> None:
        # Written out (tests/test_record.py checks it against the fields): one per module a run summarises or
        # reads from the summary store (``patched`` None: a new empty dictionary, as the generic factory makes).
        values = self.__dict__
        values["names"], values["lines"], values["stars"], values["all"], values["all_open"], values["classes"] = \
            names, lines, stars, all, all_open, classes
        values["patched"] = {} if patched is None else patched

    def to_json(self) -> dict:
        return {"v": SUMMARY_VERSION, "names": self.names, "lines": self.lines, "stars": [list(s) for s in self.stars],
                "all": None if self.all is None else list(self.all), "all_open": self.all_open,
                "classes": {name: facts.to_json() for name, facts in self.classes.items()},
                "patched": {name: list(attrs) for name, attrs in self.patched.items()}}

    @classmethod
    def from_json(cls, data: object) -> Summary:
        """The summary :meth:`to_json` wrote; ``ValueError`` for anything else (an entry of another version,
        edited by hand or truncated into valid JSON), which the caller treats as absent."""
        data = _of(data, dict)
        if data.get("v") != SUMMARY_VERSION:
            raise ValueError("summary of another version")
        names = _typed_dict(data["names"], _STR)
        lines = _typed_dict(data["lines"], _INT)
        stars = []
        for star in _of(data["stars"], list):
            module, line = _of(star, list)
            stars.append((_of(module, str), _of(line, int)))
        dunder_all = None if data["all"] is None else tuple(_strs(data["all"]))
        classes = {_of(k, str): ClassFacts.from_json(v) for k, v in _of(data["classes"], dict).items()}
        patched = {_of(k, str): tuple(_strs(v)) for k, v in _of(data["patched"], dict).items()}
        return cls(names, lines, tuple(stars), dunder_all, _of(data["all_open"], bool), classes, patched)


def _of(value: object, kind: type, *also: object) -> Any:
    """``value`` when it is a ``kind`` (or one of the constants ``also``), else ``ValueError``."""
    if value in also or (isinstance(value, kind) and not (kind is int and isinstance(value, bool))):
        return value
    raise ValueError(f"expected {kind.__name__}, got {type(value).__name__}")


def _strs(value: object) -> list[str]:
    return [_of(item, str) for item in _of(value, list)]


_STR, _INT = frozenset({str}), frozenset({int})


def _typed_dict(value: object, kinds: frozenset[type]) -> dict:
    """``value`` when it is a dict of str keys to values of exactly one of ``kinds``, else ``ValueError``. The
    types are compared in C (``map(type, ...)``), not with a call per item: a module's ``names`` and ``lines``
    hold every top-level name, and an editor's save decodes every sibling's (JSON makes no subclasses, so
    exact types are what :func:`_of` accepted)."""
    value = _of(value, dict)
    if not (set(map(type, value)) <= _STR and set(map(type, value.values())) <= kinds):
        raise ValueError(f"expected a dict of str to {'/'.join(sorted(k.__name__ for k in kinds))}")
    return value


# -- summaries ----------------------------------------------------------------------------------------

class _Package(Project):
    """Only the package, for the relative imports of the module being summarised."""

    def __init__(self, package: str) -> None:
        self._package = package

    @property
    def package(self) -> str | None:
        return self._package


_FAR = (1 << 30, 0)


def hasher() -> Callable[..., Any]:
    """The SHA-256 constructor, without importing :mod:`hashlib` where the interpreter has its own module:
    hashlib loads OpenSSL's algorithms, 12.6 M instructions, a tenth of the flake8 plugin's whole start-up,
    paid by every editor save of a file that imports its project."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # CPython <= 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found,no-redef]  # CPython >= 3.12
        except ImportError:
            from hashlib import sha256  # type: ignore[assignment]  # any other interpreter
    return sha256


def _sha256(content: bytes) -> str:
    return hasher()(content).hexdigest()


def summarize(tree: ast.Module, modname: str, is_package: bool) -> Summary:
    """The facts of module ``modname`` (a package when ``is_package``), from its syntax tree alone."""
    return _summarize(tree, modname, is_package)[0]


def _summarize(tree: ast.Module, modname: str, is_package: bool) -> tuple[Summary, dict[str, ast.ClassDef]]:
    """The summary and the module's top-level class statements (for the rules that read a base's methods)."""
    package = modname if is_package else modname.rpartition(".")[0]
    resolver = Resolver(tree, {}, None, binding_exprs=set(), project=_Package(package), shallow=True)
    scope = resolver.module_scope
    names: dict[str, str] = {}
    lines: dict[str, int] = {}
    classes: dict[str, ClassFacts] = {}
    nodes: dict[str, ast.ClassDef] = {}
    for name, bindings in scope.bindings.items():
        last = bindings[-1]
        lines[name] = last.pos[0]
        node = last.node
        if isinstance(node, ast.ClassDef) and node.name == name:
            names[name] = CLASS
            classes[name] = _class_facts(resolver, node, modname)
            nodes[name] = node
            continue
        qualname = resolver.lookup(name, scope, _FAR) if last.kind in ("import", "alias") else None
        names[name] = OPAQUE if qualname is None else "=" + qualname
    stars = tuple((resolver.absolute(module) or "", pos[0]) for module, pos in scope.star_modules)
    dunder_all, all_open = _dunder_all(tree, scope.bindings.get("__all__"))
    return Summary(names, lines, stars, dunder_all, all_open, classes, _patched(tree, names)), nodes


def _patched(tree: ast.Module, names: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """``K.where = where`` at the top of a module, on an imported name: ``{"K": ("where",)}``."""
    return {name: attrs for name, attrs in patched_names(tree).items() if names.get(name, "").startswith("=")}


#: The statements whose blocks :func:`patched_names` reads (and ``try``'s handlers); also
#: ``Context._patched_names``'s, which finds the same assignments from the context's index.
PATCH_BLOCKS = (ast.If, ast.Try, ast.With)


def patched_names(tree: ast.Module) -> dict[str, tuple[str, ...]]:
    """Attributes assigned on a name by the module's top-level statements (in ``if``/``try``/``with``
    blocks too): ``K.where = where`` -> ``{"K": ("where",)}``. A statement scan, no expression walk."""
    found: dict[str, set[str]] = {}
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, PATCH_BLOCKS):
            for block in ("body", "orelse", "finalbody"):
                stack.extend(getattr(stmt, block, ()))
            stack.extend(s for handler in getattr(stmt, "handlers", ()) for s in handler.body)
            continue
        targets = stmt.targets if isinstance(stmt, ast.Assign) else \
            [stmt.target] if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                found.setdefault(target.value.id, set()).add(target.attr)
    return {name: tuple(sorted(attrs)) for name, attrs in found.items()}


def _class_facts(resolver: Resolver, node: ast.ClassDef, modname: str) -> ClassFacts:
    scope = resolver.module_scope
    pos = (node.lineno, node.col_offset)
    bases: list[str | None] = []
    for base in node.bases:
        root, parts = base, []
        while isinstance(root, ast.Attribute):
            parts.append(root.attr)
            root = root.value
        if not isinstance(root, ast.Name):
            bases.append(None)  # six.with_metaclass(...), Generic[T] ...: not a name we can follow
            continue
        dotted = ".".join([root.id, *reversed(parts)])
        found = resolver._candidates(root.id, scope, pos)
        if found is None:
            if dotted == "object":
                continue
            bases.append(f"{modname}.{dotted}")  # from a star import (or a builtin): looked up in the module
            continue
        bindings, _ = found
        if len(bindings) == 1 and isinstance(bindings[0].node, ast.ClassDef) and bindings[0].node.name == root.id:
            bases.append(f"{modname}.{dotted}")  # a class of the same module
            continue
        bases.append(resolver._expr_qualname(base, scope, pos))
    defines: set[str] = set()
    methods: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            methods[stmt.name] = stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defines.add(stmt.name)
        targets = stmt.targets if isinstance(stmt, ast.Assign) else \
            [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
        defines.update(t.id for t in targets if isinstance(t, ast.Name))
    init = methods.get("__init__")
    state_size = "state_size" in defines or (init is not None and any(
        isinstance(n, ast.Attribute) and n.attr == "state_size" and isinstance(n.ctx, ast.Store)
        and isinstance(n.value, ast.Name) and n.value.id == "self" for n in walk(init)))
    build = methods.get("build")
    build_weights = None if build is None else any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "add_weight"
        for n in walk(build))
    return ClassFacts(tuple(bases), frozenset(defines), state_size, build_weights)


def _dunder_all(tree: ast.Module, bindings: list | None) -> tuple[tuple[str, ...] | None, bool]:
    """A literal ``__all__`` (assigned, then extended with ``+=``), or (None, True) when it is computed."""
    if not bindings:
        return None, False
    names: list[str] = []
    for binding in bindings:
        node = binding.node
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) else None
        if not isinstance(value, (ast.List, ast.Tuple)) or not all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts):
            return None, True
        if not isinstance(node, ast.AugAssign):
            names = []
        names.extend(e.value for e in value.elts)  # type: ignore[attr-defined]
    for stmt in tree.body:  # __all__.append(...) / .extend(...)
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and \
                isinstance(stmt.value.func, ast.Attribute) and isinstance(stmt.value.func.value, ast.Name) and \
                stmt.value.func.value.id == "__all__":
            return None, True
    return tuple(names), False


def summary_key(digest: str, modname: str, is_package: bool) -> str:
    """Content-hash key of a module's summary: the SHA-256 of its bytes (``digest``, which the index computes
    anyway, so the bytes are hashed once), its name, the summary format."""
    return hasher()(f"keras-compat summary {SUMMARY_VERSION}\0{modname}\0{int(is_package)}\0{digest}".encode()
                    ).hexdigest()


def located_key(path: str, stat: os.stat_result, modname: str, is_package: bool) -> str:
    """Key of a module's summary by where it is and its size and modification time (nanoseconds), as mypy
    and ruff key their caches: a hit needs neither reading nor hashing the module. Only a store that
    offers it (:attr:`Store.by_location`) is asked; a miss falls back to the content key."""
    return hasher()(f"keras-compat located {SUMMARY_VERSION}\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0"
                    f"{modname}\0{int(is_package)}".encode()).hexdigest()


def _summarize_bytes(content: bytes, modname: str,
                     is_package: bool) -> tuple[Summary, dict[str, ast.ClassDef]] | tuple[None, None]:
    from keras_compat.source import SourceError, decode, parse

    try:
        tree = parse(decode(content).text, modname)
        return _summarize(tree, modname, is_package)
    except (SourceError, RecursionError, MemoryError, ValueError):
        return None, None


# -- the files of one root directory -------------------------------------------------------------------

class Store(Protocol):
    """Where the CLI keeps summaries between runs (its cache directory)."""

    def summary_get(self, key: str) -> dict | None: ...

    def summary_put(self, key: str, data: dict) -> None: ...


def _by_location(store: Store | None) -> bool:
    """Whether ``store`` also keeps summaries by location (the plugins' store: an editor's every save reads
    the same unchanged siblings; the CLI's cache has its own per-file validation)."""
    return store is not None and getattr(store, "by_location", False) is True


class _Entry(Record, mutable=True):
    size: int
    mtime_ns: int
    digest: str
    summary: Summary | None  # None: unreadable, too large or unparsable


class Index:
    """The modules under one import root (a directory on ``sys.path`` when the project runs)."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._entries: dict[str, _Entry] = {}
        self._listing: tuple[int, frozenset[str]] | None = None
        self._listing_run = 0  # the run the listing was last read or checked in
        #: the class statements of the last modules parsed (a rule reading a base class's methods), by path
        self._class_nodes: OrderedDict[str, tuple[int, int, dict[str, ast.ClassDef]]] = OrderedDict()
        self._mentions: dict[str, tuple[int, int, bool]] = {}
        self._paths: dict[str, tuple[str, str]] = {}
        self._finds: dict[str, tuple[int, tuple[str, bool, os.stat_result | None] | None]] = {}
        self.parsed = 0  # modules parsed by this process (the benchmark and tests count them)

    def listing(self, run: int) -> frozenset[str]:
        """Importable top-level names: ``x.py`` files and identifier directories (read once per ``run``, the
        number of the run under way, else whenever the directory changed)."""
        try:
            if self._listing is not None and run and self._listing_run == run:
                return self._listing[1]
            mtime = os.stat(self.root).st_mtime_ns
            if self._listing is not None and self._listing[0] == mtime:
                self._listing_run = run
                return self._listing[1]
            names = set()
            with os.scandir(self.root) as entries:
                for entry in entries:
                    name = entry.name
                    if name.endswith(".py") and name[:-3].isidentifier():
                        names.add(name[:-3])
                    elif name.isidentifier() and entry.is_dir():
                        names.add(name)
        except OSError:
            return frozenset()
        self._listing = (mtime, frozenset(names))
        self._listing_run = run
        return self._listing[1]

    def paths(self, modname: str) -> tuple[str, str]:
        """The files module ``modname`` can be (``pkg/mod/__init__.py``, ``pkg/mod.py``): remembered, as the
        same names are looked for from every file of the project (joining paths costs more than the stat)."""
        found = self._paths.get(modname)
        if found is None:
            if len(self._paths) >= MAX_PATHS:  # a long-lived process looking for ever new names: start over
                self._paths.clear()
            parts = modname.split(".")
            if os.sep == "/" and "" not in parts:  # (os.path.join's answer, without its cost per part)
                base = self.root.rstrip("/") + "/" + "/".join(parts) if self.root.strip("/") else \
                    os.path.join(self.root, *parts)
                found = (base + "/__init__.py", base + ".py")
            else:
                base = os.path.join(self.root, *parts)
                found = (os.path.join(base, "__init__.py"), base + ".py")
            self._paths[modname] = found
        return found

    def find(self, modname: str, run: int = 0) -> tuple[str, bool, os.stat_result | None] | None:
        """``(path, is a package, stat)`` of a module, as Python's path finder would pick it (a package
        before a module of the same name); None when there is no such file. Looked for once per ``run``
        (the number of the run under way: every file of a package looks for the same modules)."""
        if run:
            known = self._finds.get(modname)
            if known is not None and known[0] == run:
                return known[1]
            found = self._find(modname)
            if len(self._finds) >= MAX_PATHS:
                self._finds.clear()
            self._finds[modname] = (run, found)
            return found
        return self._find(modname)

    def _find(self, modname: str) -> tuple[str, bool, os.stat_result | None] | None:
        package, module = self.paths(modname)
        for path, is_package in ((package, True), (module, False)):
            try:
                # Most paths tried are absent (a class imported from a module is looked for as a submodule
                # first): ``access`` says so without the exception a failed ``stat`` raises, which cost five
                # times the test.
                if not os.access(path, os.F_OK):
                    continue
                stat = os.stat(path)
            except (OSError, ValueError):
                continue
            if S_ISREG(stat.st_mode):
                return path, is_package, stat
        return None

    def entry(self, path: str, modname: str, is_package: bool, stat: os.stat_result) -> _Entry:
        """The module's facts: remembered (while ``stat`` says the file is unchanged), or from the store by
        content hash, or parsed (once)."""
        known = self._entries.get(path)
        if known is not None and (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            return known
        located = located_key(path, stat, modname, is_package) if _by_location(_store) else None
        entry = self._located(located, stat) if located is not None else None
        if entry is None:
            entry = self._read_entry(path, modname, is_package, stat, located)
        self._entries[path] = entry
        return entry

    @staticmethod
    def _located(key: str, stat: os.stat_result) -> _Entry | None:
        """The entry the store keeps for the module's location, size and mtime (None: a miss)."""
        data = _store.summary_get(key) if _store is not None else None
        if data is None:
            return None
        try:
            digest, summary = data["digest"], Summary.from_json(data["summary"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return None  # another shape: read by content, and stored again
        return _Entry(stat.st_size, stat.st_mtime_ns, digest, summary) if isinstance(digest, str) else None

    def _read_entry(self, path: str, modname: str, is_package: bool, stat: os.stat_result,
                    located: str | None) -> _Entry:
        """The entry from the module's bytes: its summary from the store by content hash, else parsed."""
        summary = None
        digest = ""
        if stat.st_size <= MAX_MODULE_BYTES:
            try:
                with open(path, "rb") as fh:
                    content = fh.read(MAX_MODULE_BYTES + 1)
            except OSError:
                content = None
            if content is not None and len(content) <= MAX_MODULE_BYTES:
                digest = _sha256(content)
                key = summary_key(digest, modname, is_package)
                data = _store.summary_get(key) if _store is not None else None
                if data is not None:
                    try:
                        summary = Summary.from_json(data)
                    except (ValueError, KeyError, TypeError, AttributeError):
                        summary = None  # another shape: parsed again, and stored again
                if summary is None:
                    summary, nodes = _summarize_bytes(content, modname, is_package)
                    self.parsed += 1
                    if summary is not None:
                        self._remember_classes(path, stat, nodes or {})
                        if _store is not None:
                            _store.summary_put(key, summary.to_json())
                if summary is not None and located is not None and _store is not None:
                    _store.summary_put(located, {"digest": digest, "summary": summary.to_json()})
        return _Entry(stat.st_size, stat.st_mtime_ns, digest, summary)

    def mentions_keras(self, path: str, stat: os.stat_result) -> bool:
        """Whether the file's text mentions Keras (remembered by size and modification time)."""
        known = self._mentions.get(path)
        if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
            return known[2]
        try:
            with open(path, "rb") as fh:
                content = fh.read(MAX_MODULE_BYTES + 1)
        except OSError:
            content = b""
        found = len(content) <= MAX_MODULE_BYTES and _mentions(content)
        self._mentions[path] = (stat.st_size, stat.st_mtime_ns, found)
        return found

    def _remember_classes(self, path: str, stat: os.stat_result, nodes: dict[str, ast.ClassDef]) -> None:
        self._class_nodes[path] = (stat.st_size, stat.st_mtime_ns, nodes)
        self._class_nodes.move_to_end(path)
        while len(self._class_nodes) > MAX_CLASS_TREES:
            self._class_nodes.popitem(last=False)

    def class_node(self, path: str, modname: str, is_package: bool, stat: os.stat_result,
                   name: str) -> ast.ClassDef | None:
        """The class statement ``name`` of a module: kept from the parse that summarised it, else parsed
        again (a summary from the CLI cache, or one of more than :data:`MAX_CLASS_TREES` modules)."""
        known = self._class_nodes.get(path)
        if known is None or known[:2] != (stat.st_size, stat.st_mtime_ns):
            if stat.st_size > MAX_MODULE_BYTES:
                return None
            try:
                with open(path, "rb") as fh:
                    content = fh.read(MAX_MODULE_BYTES + 1)
            except OSError:
                return None
            summary, nodes = _summarize_bytes(content, modname, is_package)
            self.parsed += 1
            if summary is None:
                return None
            self._remember_classes(path, stat, nodes or {})
            known = self._class_nodes[path]
        else:
            self._class_nodes.move_to_end(path)
        return known[2].get(name)


_INDEXES: OrderedDict[str, Index] = OrderedDict()
_MAX_INDEXES = 64
_store: Store | None = None
#: The number of the run under way (:func:`remembered`), 0 outside any: within a run the project's files are
#: taken as unchanged (an import root's listing is read once); a new run checks again.
_run = 0
_runs = itertools.count(1)
_recorders: list[dict[str, tuple[int, int, str] | None]] = []


def index_for(root: str) -> Index:
    index = _INDEXES.get(root)
    if index is None:
        index = _INDEXES[root] = Index(root)
        while len(_INDEXES) > _MAX_INDEXES:
            _INDEXES.popitem(last=False)
    else:
        _INDEXES.move_to_end(root)
    return index


def parsed() -> int:
    """Modules parsed for the index by this process so far."""
    return sum(index.parsed for index in _INDEXES.values())


def set_store(store: Store | None) -> None:
    """Keep summaries in ``store`` (the CLI's cache) from now on; None: only in memory."""
    global _store
    _store = store


@contextmanager
def stored(store: Store | None) -> Iterator[None]:
    """Keep summaries in ``store`` while the block runs (a plugin's call into the engine: the store is not
    left set for other callers of the core in the same process); the store already set, if any, wins."""
    global _store
    kept = _keep(store)
    try:
        yield
    finally:
        if kept:
            _store = None


def new_run() -> int:
    """A number for a run that a host enters file by file (:func:`remembered`)."""
    return next(_runs)


@contextmanager
def remembered(run: int | None = None) -> Iterator[None]:
    """One run over many files: the project's files are taken as unchanged while it lasts (no ``stat`` per
    analysed file to revalidate what was read). ``run``: the run's number (:func:`new_run`) when a host
    enters it once per file; a block inside another run belongs to that run."""
    global _run
    outer = _join(run)
    try:
        yield
    finally:
        _run = outer


def enter(store: Store | None, run: int) -> tuple[bool, int]:
    """The start of :func:`stored` and of :func:`remembered` in one call, without generators (a plugin's host
    run enters both once per file); what it returns is handed to :func:`leave` at the end."""
    return _keep(store), _join(run)


def leave(entered: tuple[bool, int]) -> None:
    """The end of :func:`enter`'s blocks, as :func:`stored` and :func:`remembered` end theirs."""
    global _store, _run
    kept, _run = entered
    if kept:
        _store = None


def _keep(store: Store | None) -> bool:
    """:func:`stored`'s start: ``store`` set unless it is None or a store is set already; whether it was set."""
    global _store
    if store is None or _store is not None:
        return False
    _store = store
    return True


def _join(run: int | None) -> int:
    """:func:`remembered`'s start: the run joined (the current one, else ``run``, else a new one); the run
    before it."""
    global _run
    outer = _run
    _run = outer or (run if run is not None else next(_runs))
    return outer


def remember_for_process() -> None:
    """:func:`remembered` for the rest of a process that lives for one run only (a ``-j`` worker)."""
    global _run
    _run = _run or next(_runs)


@contextmanager
def recording() -> Iterator[dict[str, tuple[int, int, str] | None]]:
    """Collect the project files the analyses inside read (path -> (size, mtime_ns, sha256), or None for
    a file that was looked for and is absent): a cached result stays valid while they are unchanged."""
    deps: dict[str, tuple[int, int, str] | None] = {}
    _recorders.append(deps)
    try:
        yield deps
    finally:
        _recorders.remove(deps)


def recorded() -> dict[str, tuple[int, int, str] | None] | None:
    """The innermost active :func:`recording` (None outside one)."""
    return _recorders[-1] if _recorders else None


def unchanged(deps: dict[str, Any], digests: dict[str, tuple[int, int, str]] | None = None) -> bool:
    """Whether every recorded file is as recorded: absent ones still absent, others with the same content
    (the size and modification time first, the content hash when they differ). ``digests`` remembers the
    hashes computed during one run."""
    for path, recorded in deps.items():
        try:
            stat = os.stat(path)
        except (OSError, ValueError):
            if recorded is None:
                continue
            return False
        if recorded is None:
            return False
        size, mtime_ns, digest = recorded
        if (stat.st_size, stat.st_mtime_ns) == (size, mtime_ns):
            continue
        known = digests.get(path) if digests is not None else None
        if known is None or known[:2] != (stat.st_size, stat.st_mtime_ns):
            try:
                with open(path, "rb") as fh:
                    content = fh.read(MAX_MODULE_BYTES + 1)
            except OSError:
                return False
            known = (stat.st_size, stat.st_mtime_ns, _sha256(content))
            if digests is not None:
                digests[path] = known
        if known[2] != digest:
            return False
    return True


#: What a module's bytes must mention to be a source of Keras names, in any case: the engine's gate's names.
_MENTIONED = tuple(name.encode() for name in LIBRARY_NAMES)


def _mentions(content: bytes) -> bool:
    """Whether ``content`` mentions one of :data:`_MENTIONED` in any case: what ``re.search(rb"keras|...",
    content, re.IGNORECASE)`` answers (a bytes pattern folds ASCII letters only, as ``bytes.lower`` does),
    several times cheaper."""
    lowered = content.lower()
    return any(name in lowered for name in _MENTIONED)


def may_reach_project(text: str, filename: str) -> bool:
    """Whether a file that never mentions Keras imports a module of its project (which may give it a Keras
    class or ``K``): a relative import, or an import whose top-level module is one of the project's. Text
    only, no parse; a file importing only the standard library does no file-system access at all."""
    roots = set()
    for root in imported_roots(text):  # as the plugins' text gate reads them (the same text: read once)
        if root == ".":
            return True
        if root not in NEVER:
            roots.add(root)
    if not roots:
        return False
    located = location(filename)
    if located is None:
        return False
    listing = index_for(located[0]).listing(_run)
    return bool(roots & listing) or located[1].partition(".")[0] in roots


def gives_keras(tree: ast.Module, view: View) -> bool:
    """Whether a module that never mentions Keras imports, from its project, something a rule could match:
    a name that is Keras's (``K`` re-exported), a layer (or other Keras class) of a project module, a
    project module as a whole (its attributes may be either) or a star import of one. Names that are the
    project's own functions and plain classes are not: the module is then not analysed, as before. Only
    imported modules whose text mentions Keras are read (a re-export through a module that does not, into a
    module that does not either, is missed: the price of leaving projects without Keras alone)."""
    from keras_compat.layers import foreign_class

    for node in walk_statements(tree):  # ast.walk's order of the imports, without visiting expressions
        if isinstance(node, ast.Import):
            if any(view.is_root(a.name.partition(".")[0]) and view.mentions_keras(a.name) for a in node.names):
                return True  # ``import pkg.compat``: pkg.compat.K may be anything
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        module = "." * node.level + (node.module or "")
        absolute = absolute_name(module, view.package)
        if absolute is None or not view.is_root(absolute.partition(".")[0]):
            continue
        for alias in node.names:
            if not view.mentions_keras(absolute) and not view.mentions_keras(f"{absolute}.{alias.name}"):
                continue  # a module that never mentions Keras is not read (a project without Keras pays little)
            if alias.name == "*":
                return True
            target = view.resolve(f"{absolute}.{alias.name}")
            if target.kind == MODULE or (target.kind == EXTERNAL and keras_name(target.qualname) is not None):
                return True
            if target.kind == CLASS and foreign_class(view, target.module, target.name) is not None:
                return True
    return False


def only_imports(tree: ast.Module) -> bool:
    """Whether a module is nothing but imports, a docstring and assignments of constants (``__all__``,
    ``__version__``): no name is used, so nothing a project module gives it can be a finding."""
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)) else None
        if value is not None and all(isinstance(n, (ast.Constant, ast.List, ast.Tuple, ast.Load, ast.Set))
                                     or (isinstance(n, ast.Dict)) for n in walk(value)):
            continue
        return False
    return True


# -- one analysed file's view of its project ------------------------------------------------------------

class Target(Record):
    """What a qualified name of the project denotes."""

    kind: str  # EXTERNAL | CLASS | MODULE | OPAQUE | UNKNOWN | MISSING
    qualname: str = ""
    module: str = ""  # for CLASS: the defining module
    name: str = ""  # for CLASS: the class name
    via: str = ""  # a name bound by a star import of Keras (in some module of the chain): that Keras module

    def __init__(self, kind: str, qualname: str = "", module: str = "", name: str = "", via: str = "") -> None:
        # Written out (tests/test_record.py checks it against the fields): the project index makes one per
        # name it resolves, thousands a run, and the generic initialiser costs about twice as much.
        values = self.__dict__
        values["kind"], values["qualname"], values["module"], values["name"], values["via"] = \
            kind, qualname, module, name, via


EXTERNAL, MODULE, MISSING, UNKNOWN_KIND = "external", "module", "missing", "unknown"
UNKNOWN = Target(UNKNOWN_KIND)
_MISSING = Target(MISSING)


class View(Project):
    """The project as seen from one analysed file: answers the resolver's and the classifier's questions,
    reads what they need (within the bounds) and records which files that was."""

    def __init__(self, filename: str, tree: ast.Module | Callable[[], ast.Module], library: bool = False) -> None:
        """``tree``: the analysed file's own syntax tree (or how to get it). ``library``: the file belongs to a
        Keras library whose own modules are the project (only when extracting facts from a library)."""
        self._filename = filename
        self._library = library
        self._tree = tree
        self._located: tuple[str, str, bool] | None | bool = False
        self._index: Index | None = None
        self._summaries: dict[str, Summary | None] = {}
        self._found: dict[str, tuple[str, bool, os.stat_result | None] | None] = {}
        self._targets: dict[str, Target] = {}
        self._roots: dict[str, bool] = {}  # memo of is_root
        self._resolving: set[str] = set()
        self._budget_modules = MAX_MODULES
        self._budget_bytes = MAX_BYTES
        self.classes: dict[tuple[str, str], Any] = {}  # the classifier's memo of foreign classes
        self.deps: dict[str, tuple[int, int, str] | None] = {}
        #: attributes project modules set on outside objects (``K.where = where``): by the object's name
        self.patches: dict[str, set[str]] = {}

    # -- where the file is ---------------------------------------------------------------------------
    def _location(self) -> tuple[str, str, bool] | None:
        if self._located is False:
            self._located = location(self._filename)
            if self._located is not None:
                self._index = index_for(self._located[0])
        return self._located  # type: ignore[return-value]

    @property
    def module(self) -> str | None:
        """The analysed file's own module name."""
        located = self._location()
        return located[1] if located else None

    @property
    def package(self) -> str | None:
        located = self._location()
        if located is None:
            return None
        _, modname, is_package = located
        return modname if is_package else modname.rpartition(".")[0] or None

    def is_root(self, name: str) -> bool:
        if name in NEVER and not self._library:
            return False  # first: the standard library and Keras cost nothing
        known = self._roots.get(name)
        if known is None:  # once per name and analysed file: the listing is read (and its directory stat'ed) once
            located = self._location()
            if located is None or self._index is None:
                known = False
            else:
                known = name == located[1].partition(".")[0] or name in self._index.listing(_run)
            self._roots[name] = known
        return known

    # -- modules -------------------------------------------------------------------------------------
    def _find(self, modname: str) -> tuple[str, bool, os.stat_result | None] | None:
        if modname in self._found:
            return self._found[modname]
        found = None
        located = self._location()
        if located is not None and modname == located[1]:
            found = (self._filename, located[2], None)
        elif self._index is not None and len(modname) < 512:
            found = self._index.find(modname, _run)
            if found is None:
                for path in self._index.paths(modname):
                    self._record(path, None)
        self._found[modname] = found
        return found

    def _record(self, path: str, dep: tuple[int, int, str] | None) -> None:
        self.deps[path] = dep
        for recorder in _recorders:
            recorder[path] = dep

    def summary(self, modname: str) -> Summary | None:
        """A module's facts (None: no such module, unreadable, or past the bounds)."""
        if modname in self._summaries:
            return self._summaries[modname]
        summary = None
        found = self._find(modname)
        if found is not None:
            path, is_package, stat = found
            if stat is None:  # the analysed file itself: its text as given (an editor's buffer), not the disk's
                tree = self._tree() if callable(self._tree) else self._tree
                summary = summarize(tree, modname, is_package)
            elif self._budget_modules > 0 and self._budget_bytes >= stat.st_size:
                self._budget_modules -= 1
                self._budget_bytes -= stat.st_size
                assert self._index is not None
                entry = self._index.entry(path, modname, is_package, stat)
                self._record(path, (entry.size, entry.mtime_ns, entry.digest))
                summary = entry.summary
        self._summaries[modname] = summary
        return summary

    def mentions_keras(self, modname: str) -> bool:
        """Whether module ``modname``'s text mentions Keras (or TensorFlow, Theano, CNTK): one read, no
        parse. A module that does not can only pass Keras names on from another module."""
        found = self._find(modname)
        if found is None:
            return False
        path, _, stat = found
        if stat is None or self._index is None:
            return False  # the analysed file itself
        return self._index.mentions_keras(path, stat)

    def release(self) -> None:
        """Drop what the analysis of the file built (classified classes point back at the view)."""
        self.classes.clear()
        self._summaries.clear()
        self._targets.clear()

    def class_node(self, modname: str, name: str) -> ast.ClassDef | None:
        """The statement of class ``name`` of project module ``modname``, for a rule that reads a base class's
        methods (its positions are in that module's file)."""
        found = self._find(modname)
        if found is None or self.summary(modname) is None:
            return None
        path, is_package, stat = found
        if stat is None:  # the analysed file itself
            tree = self._tree() if callable(self._tree) else self._tree
            return _summarize(tree, modname, is_package)[1].get(name)
        assert self._index is not None
        return self._index.class_node(path, modname, is_package, stat, name)

    # -- resolution ----------------------------------------------------------------------------------
    def resolve(self, qualname: str) -> Target:
        """What ``qualname`` (a name of the project, or not) denotes."""
        known = self._targets.get(qualname)
        if known is not None:
            return known
        if qualname in self._resolving or len(self._resolving) >= MAX_DEPTH:
            return UNKNOWN  # a cycle of re-exports, or a chain too long to follow
        self._resolving.add(qualname)
        try:
            found = self._resolve(qualname)
        finally:
            self._resolving.discard(qualname)
        self._targets[qualname] = found
        return found

    def _resolve(self, qualname: str) -> Target:
        parts = qualname.split(".")
        if not self.is_root(parts[0]):
            return Target(EXTERNAL, qualname)
        if self._find(parts[0]) is None:
            return UNKNOWN
        module, last = parts[0], len(parts) - 1  # the module reached so far (a name, not a Target: most steps)
        for index in range(1, last + 1):
            submodule = f"{module}.{parts[index]}"
            if self._find(submodule) is not None:  # as the import system finds it, without reading the package
                module = submodule
                continue
            found = self._member(module, parts[index], submodules=False)
            kind = found.kind
            if kind == UNKNOWN_KIND or kind == MISSING:
                return UNKNOWN
            if index == last:
                return found
            if kind == EXTERNAL:
                return Target(EXTERNAL, ".".join([found.qualname, *parts[index + 1:]]))
            if kind != MODULE:
                return UNKNOWN  # an attribute of a class or of something unknown
            module = found.qualname
        return Target(MODULE, module)

    def _member(self, modname: str, name: str, submodules: bool = True) -> Target:
        """``modname.name``: the module's own binding, else what a (later) star import binds, else a
        submodule; MISSING when there is none of these."""
        summary = self.summary(modname)
        if summary is None:
            return UNKNOWN
        ref = summary.names.get(name)
        line = summary.lines.get(name, 0)
        for star, star_line in reversed(summary.stars):
            if ref is not None and star_line <= line:
                break  # bound again after this star import
            found = self._star_member(star, name)
            if found.kind != MISSING:
                if found.via and ref is not None:  # bound explicitly too: the star import is not its only source
                    found = Target(found.kind, found.qualname, found.module, found.name)
                return found
        if ref is not None:
            found = self._ref(modname, name, ref)
            attrs = summary.patched.get(name)
            if attrs and found.kind == EXTERNAL:
                self.patches.setdefault(found.qualname, set()).update(attrs)
            return found
        if submodules and self._find(f"{modname}.{name}") is not None:
            return Target(MODULE, f"{modname}.{name}")
        return _MISSING

    def _ref(self, modname: str, name: str, ref: str) -> Target:
        if ref == CLASS:
            return Target(CLASS, f"{modname}.{name}", modname, name)
        if ref == OPAQUE:
            return Target(OPAQUE, f"{modname}.{name}")
        if ref[1:] == f"{modname}.{name}":  # ``from . import sub`` in the package: the submodule itself
            return Target(MODULE, ref[1:]) if self._find(ref[1:]) is not None else UNKNOWN
        return self.resolve(ref[1:])

    def _star_member(self, module: str, name: str) -> Target:
        """What ``from <module> import *`` binds to ``name`` (MISSING: nothing; UNKNOWN: cannot tell)."""
        if not module:
            return UNKNOWN
        if self.is_root(module.partition(".")[0]):
            return self.exported(module, name)
        if keras_name(module) is not None:
            from keras_compat.knowledge import star_export

            found = star_export(module, name)
            return _MISSING if found is None else Target(EXTERNAL, found, via=module)
        return UNKNOWN  # numpy & co.: anything

    def exported(self, module: str, name: str) -> Target:
        """What a star import of project module ``module`` binds to ``name``."""
        key = f"*{module}.{name}"
        if key in self._resolving or len(self._resolving) >= MAX_DEPTH:
            return UNKNOWN  # modules that star-import each other
        summary = self.summary(module)
        if summary is None:
            return UNKNOWN
        if summary.all_open:
            return UNKNOWN
        if summary.all is not None:
            if name not in summary.all:
                return _MISSING
        elif name.startswith("_"):
            return _MISSING
        self._resolving.add(key)
        try:
            return self._member(module, name, submodules=summary.all is not None)
        finally:
            self._resolving.discard(key)

    # -- the resolver's questions --------------------------------------------------------------------
    def follow(self, qualname: str) -> str:
        found = self.resolve(qualname)
        return found.qualname if found.kind in (EXTERNAL, CLASS, MODULE) else qualname

    def star(self, module: str, name: str) -> str | None | object:
        found = self.exported(module, name)
        if found.kind == UNKNOWN_KIND:
            return Project.UNKNOWN
        if found.kind == MISSING:
            return None
        return found.qualname

    def star_names(self, module: str) -> tuple[frozenset[str], bool]:
        """The names a star import of project module ``module`` binds, and whether it may bind others too
        (a star import of something outside the project, a computed ``__all__``, an unreadable module)."""
        key = f"**{module}"
        if key in self._resolving or len(self._resolving) >= MAX_DEPTH:
            return frozenset(), True
        summary = self.summary(module)
        if summary is None or summary.all_open:
            return frozenset(), True
        if summary.all is not None:
            return frozenset(summary.all), False
        names = {name for name in summary.names if not name.startswith("_")}
        open_ = False
        self._resolving.add(key)
        try:
            for star, _ in summary.stars:
                if star and self.is_root(star.partition(".")[0]):
                    more, more_open = self.star_names(star)
                    names.update(more)
                    open_ = open_ or more_open
                else:
                    open_ = True
        finally:
            self._resolving.discard(key)
        return frozenset(names), open_
