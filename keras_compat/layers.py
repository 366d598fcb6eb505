"""Class classification: which classes of a module are custom Keras layers, models, cells, losses ...

A class is classified through its bases: a base that resolves (core name resolution, any flavour and any
path) to a Keras class, or a class of the same module that is itself classified (transitively, seen
through the scope rules of the resolver, so a shadowed name stops the chain). Unresolvable bases are
remembered (``unknown_bases``): rules that would need to see every base (does some base define
``get_config``?) stay silent for such classes.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from keras_compat.data import layers as table

if TYPE_CHECKING:
    from keras_compat.context import Context

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_SCOPES = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
N = TypeVar("N", bound=ast.AST)


def by_scope(ctx: Context, nodes: Iterable[N]) -> dict[int, list[N]]:
    """``nodes`` grouped under every class and function that contains them, keyed by the id of that
    class or function: the nodes ``walk(scope)`` would find among them. The rules pick the few
    candidates they need from the context's indexes (``ctx.calls``, ``ctx.attributes``) and climb from
    each, instead of walking the body of every layer class and method again."""
    found: dict[int, list[N]] = {}
    scopes = _SCOPES
    for node in nodes:
        for ancestor in ctx.ancestors(node):
            if isinstance(ancestor, scopes):
                found.setdefault(id(ancestor), []).append(node)
    return found


class Kind(enum.Enum):
    LAYER = "layer"
    MODEL = "model"
    RNN_CELL = "rnn-cell"
    WRAPPER = "wrapper"
    LOSS = "loss"
    METRIC = "metric"
    CALLBACK = "callback"
    OPTIMIZER = "optimizer"

    @property
    def is_layer(self) -> bool:
        """Layers in the wide sense: anything with ``call``/``build`` run by ``Layer.__call__``."""
        return self in (Kind.LAYER, Kind.MODEL, Kind.RNN_CELL, Kind.WRAPPER)


_PRIORITY = (Kind.MODEL, Kind.WRAPPER, Kind.RNN_CELL, Kind.LAYER, Kind.LOSS, Kind.METRIC, Kind.CALLBACK,
             Kind.OPTIMIZER)


@dataclass
class ClassInfo:
    """What we know about one class definition."""

    node: ast.ClassDef
    kind: Kind
    keras_bases: list[str] = field(default_factory=list)  # canonical paths of direct Keras bases
    local_bases: list[ast.ClassDef] = field(default_factory=list)  # classified classes of this module
    unknown_bases: bool = False  # some base (direct or through local bases) is neither Keras nor local
    # what the class body defines, indexed on the first question (the rules ask several per class)
    _methods: dict[str, FunctionNode] | None = field(default=None, init=False, repr=False, compare=False)
    _bound: set[str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.node.name

    def method(self, name: str) -> FunctionNode | None:
        """The last ``def name`` directly in the class body."""
        if self._methods is None:
            self._methods = {stmt.name: stmt for stmt in self.node.body
                             if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
        return self._methods.get(name)

    def defines(self, name: str) -> bool:
        """Whether the class body binds ``name`` (a method, an assignment or a property)."""
        if self._bound is None:
            self._bound = set()
            for stmt in self.node.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    self._bound.add(stmt.name)
                targets = stmt.targets if isinstance(stmt, ast.Assign) else \
                    [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
                self._bound.update(t.id for t in targets if isinstance(t, ast.Name))
        return name in self._bound


@lru_cache(maxsize=4096)
def kind_of_path(path: str) -> Kind | None:
    """Kind of a Keras class given its canonical path; None when it is not a base class we know (memoised:
    the same few bases come back in every module)."""
    if path in table.MODEL_BASES:
        return Kind.MODEL
    if path in table.WRAPPER_BASES:
        return Kind.WRAPPER
    if path in table.RNN_CELL_BASES:
        return Kind.RNN_CELL
    if path in table.LAYER_BASES:
        return Kind.LAYER
    module, _, leaf = path.rpartition(".")
    if not leaf or not leaf.lstrip("_")[:1].isupper():
        return None
    if (module == "layers" or module.startswith("layers.") or module == "legacy.layers") \
            and leaf not in table.NON_LAYER_NAMES:
        return Kind.RNN_CELL if leaf.endswith("Cell") else Kind.LAYER
    for prefixes, kind in ((table.LOSS_PREFIXES, Kind.LOSS), (table.METRIC_PREFIXES, Kind.METRIC),
                           (table.CALLBACK_PREFIXES, Kind.CALLBACK), (table.OPTIMIZER_PREFIXES, Kind.OPTIMIZER)):
        if any(path.startswith(p) for p in prefixes):
            return kind
    return None


class Classifier:
    """Classifies every class of one module (built lazily once per :class:`Context`)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.infos: dict[int, ClassInfo] = {}
        self._seen: dict[int, ClassInfo | None] = {}
        self._state_size_stores: dict[int, list[ast.Attribute]] | None = None
        for node in ctx.classes:
            self._classify(node)

    def __getitem__(self, node: ast.ClassDef) -> ClassInfo | None:
        return self.infos.get(id(node))

    def __iter__(self):
        return iter(self.infos.values())

    def _local_class(self, base: ast.expr, cls: ast.ClassDef) -> ast.ClassDef | None:
        """The class statement of this module that a ``Name`` base denotes (unambiguously)."""
        if not isinstance(base, ast.Name):
            return None
        resolver = self.ctx.resolver
        found = resolver._candidates(base.id, resolver.scope_of(cls), (cls.lineno, cls.col_offset))
        if found is None:
            return None
        bindings, _ = found
        nodes = {id(b.node): b.node for b in bindings}
        if len(nodes) != 1:
            return None
        node = next(iter(nodes.values()))
        return node if isinstance(node, ast.ClassDef) and node is not cls else None

    def _classify(self, node: ast.ClassDef) -> ClassInfo | None:
        key = id(node)
        if key in self._seen:
            return self._seen[key]
        self._seen[key] = None  # cycle guard
        kinds: list[Kind] = []
        keras_bases: list[str] = []
        local_bases: list[ast.ClassDef] = []
        unknown = False
        for base in node.bases:
            name = self.ctx.keras(base)
            if name is not None and name.path:
                kind = kind_of_path(name.path)
                if kind is not None:
                    kinds.append(kind)
                    keras_bases.append(name.path)
                elif "Mixin" not in name.leaf:
                    unknown = True  # a Keras class we do not classify (utils.Sequence ...)
                continue
            local = self._local_class(base, node)
            if local is not None:
                info = self._classify(local)
                if info is not None:
                    kinds.append(info.kind)
                    local_bases.append(local)
                    unknown = unknown or info.unknown_bases
                    continue
            if isinstance(base, ast.Name) and base.id == "object":
                continue
            unknown = True
        if not kinds:
            return None
        kind = min(kinds, key=_PRIORITY.index)
        info = ClassInfo(node, kind, keras_bases, local_bases, unknown)
        if kind is Kind.LAYER and self._has_state_size(info):
            info.kind = Kind.RNN_CELL
        self._seen[key] = info
        self.infos[key] = info
        return info

    def _has_state_size(self, info: ClassInfo) -> bool:
        if info.defines("state_size"):
            return True
        init = info.method("__init__")
        if init is not None and id(init) in self._state_size_assignments():
            return True
        return any(self.infos[id(b)].kind is Kind.RNN_CELL for b in info.local_bases if id(b) in self.infos)

    def _state_size_assignments(self) -> dict[int, list[ast.Attribute]]:
        """``self.state_size = ...`` targets by enclosing scope (found once in the context's index)."""
        if self._state_size_stores is None:
            stores = (node for node in self.ctx.attributes if node.attr == "state_size" and
                      isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name) and node.value.id == "self")
            self._state_size_stores = by_scope(self.ctx, stores)
        return self._state_size_stores

    # -- queries -------------------------------------------------------------------------------
    def ancestors(self, info: ClassInfo) -> list[ClassInfo]:
        """Local classified ancestors (nearest first), without repetitions."""
        out: list[ClassInfo] = []
        stack = list(info.local_bases)
        seen: set[int] = set()
        while stack:
            node = stack.pop(0)
            if id(node) in seen or id(node) not in self.infos:
                continue
            seen.add(id(node))
            base = self.infos[id(node)]
            out.append(base)
            stack.extend(base.local_bases)
        return out

    def builtin_bases(self, info: ClassInfo) -> list[str]:
        """Keras base paths of the class and of its local ancestors."""
        paths = list(info.keras_bases)
        for base in self.ancestors(info):
            paths.extend(base.keras_bases)
        return paths

    def enclosing(self, node: ast.AST) -> tuple[ClassInfo, FunctionNode] | None:
        """The classified class whose method (directly) contains ``node``, with that method."""
        method: FunctionNode | None = None
        for ancestor in self.ctx.ancestors(node):
            if isinstance(ancestor, ast.ClassDef):
                info = self.infos.get(id(ancestor))
                if info is None or method is None:
                    return None
                return info, method
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
                parent = self.ctx.parent(ancestor)
                if isinstance(parent, ast.ClassDef):
                    method = ancestor
        return None


def classifier(ctx: Context) -> Classifier:
    """The module's class classification (computed once per context)."""
    cached = getattr(ctx, "_keras_classifier", None)
    if cached is None:
        cached = Classifier(ctx)
        ctx._keras_classifier = cached  # type: ignore[attr-defined]
    return cached
