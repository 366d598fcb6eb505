"""Class classification: which classes of a module are custom Keras layers, models, cells, losses ...

A class is classified through its bases: a base that resolves (core name resolution, any flavour and any
path) to a Keras class, a class of the same module that is itself classified (transitively, seen
through the scope rules of the resolver, so a shadowed name stops the chain), or a class of another
module of the project (:mod:`keras_compat.project`: imported absolutely or relatively, re-exported by an
``__init__``, or reached through a star import), classified the same way from that module's facts.
Unresolvable bases are remembered (``unknown_bases``): rules that would need to see every base (does some
base define ``get_config``?) stay silent for such classes.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, TypeVar

from keras_compat.data import layers as table
from keras_compat.names import keras_name
from keras_compat.project import CLASS, ClassFacts, View
from keras_compat.record import Choice, Record, factory, uncompared

if TYPE_CHECKING:
    from keras_compat.context import Context

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_SCOPES = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
N = TypeVar("N", bound=ast.AST)
_UNSEEN = object()


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


class Kind(Choice):
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


class ClassInfo(Record, mutable=True):
    """What we know about one class definition: of the analysed module (``node``), or of another module of
    the project (``node`` is None; ``module`` and ``facts`` describe it)."""

    node: ast.ClassDef | None
    kind: Kind
    keras_bases: list[str] = factory(list)  # canonical paths of direct Keras bases
    local_bases: list[ast.ClassDef] = factory(list)  # classified classes of this module
    unknown_bases: bool = False  # some base (direct or through other bases) is neither Keras nor known
    foreign_bases: list[ClassInfo] = factory(list)  # classified classes of other modules
    module: str | None = None  # the defining module of a class of another module
    facts: ClassFacts | None = None  # what that module says about the class
    foreign_name: str = ""
    loader: Callable[[], ast.ClassDef | None] | None = uncompared(None)
    # what the class body defines, indexed on the first question (the rules ask several per class)
    _methods: dict[str, FunctionNode] | None = uncompared(None)
    _bound: set[str] | None = uncompared(None)

    @property
    def name(self) -> str:
        return self.node.name if self.node is not None else self.foreign_name

    @property
    def foreign(self) -> bool:
        """A class of another module: its facts answer :meth:`defines`; :meth:`method` reads that module's
        statement only when asked (its nodes are not in this module's indexes, nor its positions)."""
        return self.node is None

    def method(self, name: str) -> FunctionNode | None:
        """The last ``def name`` directly in the class body."""
        if self._methods is None:
            node = self.node
            if node is None:
                if self.facts is None or name not in self.facts.defines or self.loader is None:
                    return None  # no parse for a method the class does not define
                node = self.loader()
            self._methods = {} if node is None else {
                stmt.name: stmt for stmt in node.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
        return self._methods.get(name)

    def defines(self, name: str) -> bool:
        """Whether the class body binds ``name`` (a method, an assignment or a property)."""
        if self.node is None:
            return self.facts is not None and name in self.facts.defines
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
        self._enclosing: dict[ast.AST, tuple[ClassInfo, FunctionNode] | None] = {}
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
        foreign_bases: list[ClassInfo] = []
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
            elif self.ctx.project is not None:
                foreign = self._project_class(base)
                if foreign is not None:
                    kinds.append(foreign.kind)
                    foreign_bases.append(foreign)
                    unknown = unknown or foreign.unknown_bases
                    continue
            if isinstance(base, ast.Name) and base.id == "object":
                continue
            unknown = True
        if not kinds:
            return None
        kind = min(kinds, key=_PRIORITY.index)
        info = ClassInfo(node, kind, keras_bases, local_bases, unknown, foreign_bases)
        if kind is Kind.LAYER and self._has_state_size(info):
            info.kind = Kind.RNN_CELL
        self._seen[key] = info
        self.infos[key] = info
        return info

    def _project_class(self, base: ast.expr) -> ClassInfo | None:
        """The classified class of another project module that ``base`` denotes."""
        view = self.ctx.project
        qualname = self.ctx.resolver.qualname(base)
        if view is None or qualname is None or not view.is_root(qualname.partition(".")[0]):
            return None
        target = view.resolve(qualname)
        return foreign_class(view, target.module, target.name) if target.kind == CLASS else None

    def _has_state_size(self, info: ClassInfo) -> bool:
        if info.defines("state_size"):
            return True
        init = info.method("__init__")
        if init is not None and id(init) in self._state_size_assignments():
            return True
        return any(self.infos[id(b)].kind is Kind.RNN_CELL for b in info.local_bases if id(b) in self.infos) or \
            any(b.kind is Kind.RNN_CELL for b in info.foreign_bases)

    def _state_size_assignments(self) -> dict[int, list[ast.Attribute]]:
        """``self.state_size = ...`` targets by enclosing scope (found once in the context's index)."""
        if self._state_size_stores is None:
            stores = (node for node in self.ctx.attributes_named(("state_size",)) if
                      isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name) and node.value.id == "self")
            self._state_size_stores = by_scope(self.ctx, stores)
        return self._state_size_stores

    # -- queries -------------------------------------------------------------------------------
    def ancestors(self, info: ClassInfo) -> list[ClassInfo]:
        """Classified ancestors (nearest first), without repetitions: of this module, and of other modules
        of the project (``foreign``: known through their module's facts, :meth:`ClassInfo.method` is None)."""
        out: list[ClassInfo] = []
        stack: list[ast.ClassDef | ClassInfo] = [*info.local_bases, *info.foreign_bases]
        seen: set[int] = set()
        while stack:
            item = stack.pop(0)
            base = item if isinstance(item, ClassInfo) else self.infos.get(id(item))
            if base is None or id(base) in seen:
                continue
            seen.add(id(base))
            out.append(base)
            stack.extend([*base.local_bases, *base.foreign_bases])
        return out

    def builtin_bases(self, info: ClassInfo) -> list[str]:
        """Keras base paths of the class and of its local ancestors."""
        paths = list(info.keras_bases)
        for base in self.ancestors(info):
            paths.extend(base.keras_bases)
        return paths

    def enclosing(self, node: ast.AST) -> tuple[ClassInfo, FunctionNode] | None:
        """The classified class whose method (directly) contains ``node``, with that method."""
        if not self.infos:
            return None  # the answer is a classified class: none, no climb
        parents = self.ctx.parents
        scope = parents.get(node)
        while scope is not None and not isinstance(scope, _SCOPES):
            scope = parents.get(scope)
        if scope is None:
            return None
        found = self._enclosing.get(scope, _UNSEEN)
        if found is _UNSEEN:
            found = self._enclosing[scope] = self._enclosing_from(scope)
        return found  # type: ignore[return-value]

    def _enclosing_from(self, scope: ast.AST) -> tuple[ClassInfo, FunctionNode] | None:
        """:meth:`enclosing` of the nodes whose nearest class or function is ``scope`` (the nodes climbed
        before it change nothing), answered once per scope: every backend call of a method asks."""
        method: FunctionNode | None = None
        for ancestor in chain((scope,), self.ctx.ancestors(scope)):
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


def foreign_class(view: View, module: str, name: str) -> ClassInfo | None:
    """Classify class ``name`` of project module ``module`` from that module's facts, with the rules of
    :meth:`Classifier._classify` (memoised in the view; a cycle of bases classifies as nothing)."""
    key = (module, name)
    if key in view.classes:
        return view.classes[key]
    view.classes[key] = None  # cycle guard
    summary = view.summary(module)
    facts = summary.classes.get(name) if summary is not None else None
    if facts is None:
        return None
    kinds: list[Kind] = []
    keras_bases: list[str] = []
    foreign_bases: list[ClassInfo] = []
    unknown = False
    for base in facts.bases:
        target = view.resolve(base) if base is not None else None
        if target is not None and target.kind == "external":
            resolved = keras_name(target.qualname)
            if resolved is not None and resolved.path:
                kind = kind_of_path(resolved.path)
                if kind is not None:
                    kinds.append(kind)
                    keras_bases.append(resolved.path)
                elif "Mixin" not in resolved.leaf:
                    unknown = True
                continue
        elif target is not None and target.kind == CLASS:
            info = foreign_class(view, target.module, target.name)
            if info is not None:
                kinds.append(info.kind)
                foreign_bases.append(info)
                unknown = unknown or info.unknown_bases
                continue
        unknown = True
    if not kinds:
        return None
    kind = min(kinds, key=_PRIORITY.index)
    if kind is Kind.LAYER and (facts.state_size or any(b.kind is Kind.RNN_CELL for b in foreign_bases)):
        kind = Kind.RNN_CELL
    info = ClassInfo(None, kind, keras_bases, [], unknown, foreign_bases, module, facts, name,
                     lambda: view.class_node(module, name))
    view.classes[key] = info
    return info
