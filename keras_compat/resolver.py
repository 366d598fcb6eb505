"""Name resolution: which fully qualified name does a ``Name``/``Attribute`` expression denote?

Python's scoping is modelled closely enough to stay precise: module, function, lambda, class and
comprehension scopes; imports (``import a.b as c``, ``from a import b as c``, star imports), function-local
imports, aliases (``keras = tf.keras``), and every other binding (parameters, assignments, loop targets,
``with``/``except`` names, ``def``/``class``), which *shadow*: a name bound to something we cannot
identify resolves to nothing. When bindings disagree, nothing is returned: silence beats a false alarm.

Code that runs immediately (module and class bodies) sees the latest binding before the use; code in
functions sees every binding of an enclosing scope, which must then all agree.
"""

from __future__ import annotations

import ast
import bisect
import weakref
from collections.abc import Callable
from functools import partial
from itertools import chain, compress

from keras_compat.names import KERAS_PARTS, keras_name
from keras_compat.tree_index import gather, group_by, select
from keras_compat.walk import _CHILD_FIELDS, child_fields, in_body

Pos = tuple[int, int]
_FAR = (1 << 30, 0)
_UNSEEN = object()

_FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_NAME, _ATTRIBUTE = ast.Name, ast.Attribute  # (one global look-up each, not two)


class Binding:
    """One binding of a name in a scope. (Slotted classes written out, not dataclasses: they are made by
    the thousand per file, and creating a dataclass costs millions of instructions at start-up.)"""

    __slots__ = ("name", "kind", "pos", "node", "qualname", "value")

    def __init__(self, name: str, kind: str, pos: Pos, node: ast.AST, qualname: str | None = None,
                 value: ast.expr | None = None) -> None:
        self.name = name
        self.kind = kind  # "import" | "alias" | "none" | "other"
        self.pos = pos
        self.node = node
        self.qualname = qualname  # for imports
        self.value = value  # for aliases

    def __repr__(self) -> str:
        return f"Binding({self.name!r}, {self.kind!r}, {self.pos!r}, qualname={self.qualname!r})"


class Scope:
    """A module, function, class or comprehension scope and the bindings made in it.

    A function's scope (and a class's without a lambda, comprehension or ``:=`` inside) may be *pending*: made,
    with its place among the scopes, but its parameters and body not bound yet (:class:`Resolver` with
    ``sites``). Reading ``bindings``, ``globals`` or ``star_modules`` of a pending scope binds its body first,
    exactly as an eager pass would have; most function bodies of a file are never read (a name imported once
    at the top resolves without them), and binding them was most of the cost of building the scopes."""

    __slots__ = ("node", "kind", "parent", "bindings", "globals", "star_modules", "_filler")

    def __init__(self, node: ast.AST, kind: str, parent: Scope | None) -> None:
        self.node = node
        self.kind = kind  # "module" | "function" | "class" | "comprehension"
        self.parent = parent
        self.bindings: dict[str, list[Binding]] = {}
        # Shared empty defaults, replaced on the first ``global`` / star import: most scopes have neither, and
        # two containers fewer per function is less for the allocator and the collector.
        self.globals: frozenset[str] | set[str] = frozenset()
        self.star_modules: tuple[tuple[str, Pos], ...] = ()
        #: a weak reference to the builder that binds this scope's body on first read; None once bound
        self._filler: weakref.ref[_Builder] | None = None

    @classmethod
    def pending(cls, node: ast.AST, parent: Scope, filler: weakref.ref[_Builder], kind: str = "function") -> Scope:
        """A function (or class) scope whose parameters and body ``filler`` binds when one of its bindings is
        read."""
        scope = cls.__new__(cls)
        scope.node, scope.kind, scope.parent, scope._filler = node, kind, parent, filler
        return scope

    def __getattr__(self, name: str) -> object:
        # Called only for a slot that is not set: the bindings of a pending scope (no cost for a bound one).
        if name in _LAZY_SLOTS:
            filler = self._filler
            if filler is not None:
                builder = filler()
                if builder is None:
                    raise RuntimeError("a pending scope outlived the resolver that made it")
                builder.fill(self)
                self._filler = None
                return object.__getattribute__(self, name)
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"Scope({self.kind!r}, {sorted(self.bindings)!r})"

    def bind(self, binding: Binding) -> None:
        self.bindings.setdefault(binding.name, []).append(binding)


_LAZY_SLOTS = frozenset({"bindings", "globals", "star_modules"})


def _end(node: ast.AST) -> Pos:
    try:  # a parsed node has its positions (a binding per statement: no getattr with a default)
        return node.end_lineno or node.lineno, node.end_col_offset or 0  # type: ignore[attr-defined]
    except AttributeError:  # a node made by hand
        return (getattr(node, "end_lineno", None) or getattr(node, "lineno", 0),
                getattr(node, "end_col_offset", None) or 0)


def _start(node: ast.AST) -> Pos:
    try:
        return node.lineno, node.col_offset  # type: ignore[attr-defined]
    except AttributeError:
        return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


#: Every expression node class (``isinstance(node, ast.expr)`` as a set lookup).
_EXPR_CLASSES = frozenset(c for c in vars(ast).values() if isinstance(c, type) and issubclass(c, ast.expr))
#: Every statement node class (``isinstance(node, ast.stmt)`` as a set lookup).
_STATEMENT_CLASSES = frozenset(c for c in vars(ast).values() if isinstance(c, type) and issubclass(c, ast.stmt))

_DISPATCH: dict[type, Callable[..., None] | None] = {}


class _Builder(ast.NodeVisitor):
    """Collects scopes and bindings in one traversal."""

    binding_exprs: set[ast.AST] | None = None

    def __init__(self, module: ast.Module, project_root: Callable[[str], bool] | None = None) -> None:
        self.module_scope = Scope(module, "module", None)
        self.scope = self.module_scope
        self.scopes: dict[ast.AST, Scope] = {module: self.module_scope}
        self.resolvable: set[str] = set()  # names with an import or alias binding in some scope
        self.keras_capable: set[str] = set()  # of those, names whose import names a Keras module, and aliases
        #: whether a top-level module name is one of the project's (its names may re-export Keras ones)
        self.project_root = project_root
        #: what each import binds (:meth:`_imported`), when :meth:`note_sites` has seen it already
        self._imports: dict[ast.AST, list[tuple[str, str]]] = {}

    # -- traversal (ast.NodeVisitor's, with the dispatch and the child fields looked up once per class) ----
    def visit(self, node: ast.AST) -> None:
        marked = self.binding_exprs
        if marked is not None and node not in marked:  # no lambda, comprehension or := inside
            quiet = _QUIET.get(node.__class__, _GENERAL)
            if quiet is not _GENERAL:
                if quiet is not None:
                    quiet(self, node)
                return
            if isinstance(node, ast.expr):
                return  # binds nothing
        cls = node.__class__
        try:
            method = _DISPATCH[cls]
        except KeyError:
            method = getattr(_Builder, "visit_" + cls.__name__, None)
            if method is ast.NodeVisitor.visit_Constant:  # only a deprecation shim for visit_Num & co.
                method = None
            _DISPATCH[cls] = method
        if method is None:
            self.generic_visit(node)
        else:
            method(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        # Children are filtered here, not only in visit(): most are expressions that bind nothing, and
        # skipping them before the call saves a method call and a dispatch each.
        AST, exprs, binding, visit = ast.AST, _EXPR_CLASSES, self.binding_exprs, self.visit
        fields = _CHILD_FIELDS.get(node.__class__)
        for name in child_fields(node.__class__) if fields is None else fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, AST) and (binding is None or item.__class__ not in exprs or item in binding):
                        visit(item)
            elif isinstance(value, AST) and (binding is None or value.__class__ not in exprs or value in binding):
                visit(value)

    def _statements(self, body: list[ast.stmt]) -> None:
        """Visit a statement list: :meth:`visit`'s test for a statement without a binding expression inside,
        made here without a call per statement (most statements of a file are such)."""
        marked = self.binding_exprs
        if marked is None:
            for stmt in body:
                self.visit(stmt)
            return
        quiet_of, general = _QUIET.get, _GENERAL
        for stmt in body:
            quiet = general if stmt in marked else quiet_of(stmt.__class__, general)
            if quiet is general:
                self.visit(stmt)
            elif quiet is not None:
                quiet(self, stmt)

    def visit_Module(self, node: ast.Module) -> None:
        self._statements(node.body)  # (its type_ignores bind nothing)

    # -- statements without a binding expression inside (:data:`_QUIET`) -------------------------------
    # Each does what the general visit of such a statement does, without visiting the expressions, which
    # bind nothing: the statement's own bindings, in the same order, and its statement lists.
    def _quiet_assign(self, node: ast.Assign) -> None:
        targets = node.targets
        value = node.value if len(targets) == 1 else None
        for target in targets:
            self._bind_target(target, node, value)

    def _quiet_ann_assign(self, node: ast.AnnAssign) -> None:
        self._bind_target(node.target, node, node.value)

    def _quiet_aug_assign(self, node: ast.AugAssign) -> None:
        self._bind_target(node.target, node)

    def _quiet_for(self, node: ast.For | ast.AsyncFor) -> None:
        self._bind_target(node.target, node.target)
        self._statements(node.body)
        self._statements(node.orelse)

    def _quiet_branches(self, node: ast.If | ast.While) -> None:
        self._statements(node.body)
        self._statements(node.orelse)

    def _quiet_with(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self._bind_target(item.optional_vars, item.optional_vars)
        self._statements(node.body)

    def _quiet_try(self, node: ast.Try) -> None:
        self._statements(node.body)
        for handler in node.handlers:
            if handler.name:
                self.scope.bind(Binding(handler.name, "other", _start(handler), handler))
            self._statements(handler.body)
        self._statements(node.orelse)
        self._statements(node.finalbody)

    def _quiet_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer = self.scope
        outer.bind(Binding(node.name, "other", _end(node), node))
        if self.shallow:
            return
        if self.lazy:
            self.scopes[node] = Scope.pending(node, outer, self.lazy)
            return
        self.scope = scope = self._enter(node, "function")
        self._bind_args(node.args, scope, _start(node), node)
        self._statements(node.body)
        self.scope = outer

    def _quiet_class(self, node: ast.ClassDef) -> None:
        outer = self.scope
        if self.lazy:  # its body (and its methods' scopes) bound when first read: a method's names skip it
            self.scopes[node] = Scope.pending(node, outer, self.lazy, "class")
        elif not self.shallow:
            self.scope = self._enter(node, "class")
            self._statements(node.body)
            self.scope = outer
        outer.bind(Binding(node.name, "other", _end(node), node))

    # -- helpers -----------------------------------------------------------------------------
    def _bind_target(self, target: ast.AST, stmt: ast.AST, value: ast.expr | None = None) -> None:
        # Class identity, not isinstance: one call per binding of the file (no parsed node is of a subclass).
        cls = target.__class__
        if cls is ast.Name:
            name = target.id  # type: ignore[attr-defined]
            kind = value.__class__
            if value is None:
                binding = Binding(name, "other", _end(stmt), stmt)
            elif kind in _ALIAS_VALUES:  # (the one definition of an alias binding; note_sites reads it too)
                binding = Binding(name, "alias", _end(stmt), stmt, value=value)
                self.resolvable.add(name)
                self.keras_capable.add(name)  # ``k = tf.keras``: whatever the value, it may be Keras
            elif kind is ast.Constant and value.value is None:  # type: ignore[attr-defined]
                binding = Binding(name, "none", _end(stmt), stmt)
            else:
                binding = Binding(name, "other", _end(stmt), stmt)
            self.scope.bind(binding)
        elif cls is ast.Tuple or cls is ast.List:
            for elt in target.elts:  # type: ignore[attr-defined]
                self._bind_target(elt, stmt)
        elif cls is ast.Starred:
            self._bind_target(target.value, stmt)  # type: ignore[attr-defined]

    def _enter(self, node: ast.AST, kind: str) -> Scope:
        scope = Scope(node, kind, self.scope)
        self.scopes[node] = scope
        return scope

    def _bind_args(self, args: ast.arguments, scope: Scope, pos: Pos, node: ast.AST) -> None:
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        if args.vararg:
            every.append(args.vararg)
        if args.kwarg:
            every.append(args.kwarg)
        for arg in every:
            scope.bind(Binding(arg.arg, "other", pos, node))

    def note_sites(self, sites: Sites) -> Callable[[str], int]:
        """Note what the bodies left pending would add to :attr:`resolvable` and :attr:`keras_capable` (every
        import and alias of the file: noting one twice changes nothing), and return how many places may bind
        a name (every binding of every scope is made at one of them; the count may be higher).

        (Most sites are assignments to one name and parameters: their attributes are read in C loops.)"""
        resolvable, capable, alias_values = self.resolvable, self.keras_capable, _ALIAS_VALUES
        assigns = sites.assigns
        for node in select(assigns, "value", alias_values):
            targets = node.targets
            if len(targets) == 1 and targets[0].__class__ is _NAME:  # ``k = tf.keras``: an alias
                resolvable.add(targets[0].id)
                capable.add(targets[0].id)
        targets = [*chain.from_iterable(gather(assigns, "targets"))]
        by_name = group_by(targets, "id", _NAME, False)  # the assignments to a name
        names: list[str] = gather(sites.params, "arg")  # and every other site's names
        add, targets_of = names.append, _target_names
        for target in select(targets, None, _NESTED_TARGETS):
            targets_of(target, add)
        for found in sites.defs:
            names.extend(gather(found, "name"))
        imported = self._imports
        for found in sites.others:
            for node in found:
                cls = node.__class__
                if cls in _TARGET_OWNERS:
                    target = getattr(node, _TARGET_OWNERS[cls])
                    if target is not None:
                        targets_of(target, add)
                    if cls is ast.AnnAssign and target.__class__ is _NAME and node.value.__class__ in alias_values:
                        resolvable.add(target.id)
                        capable.add(target.id)
                elif cls is ast.Import or cls is ast.ImportFrom:
                    bound = imported[node] = self._imported(node)  # type: ignore[arg-type]
                    names.extend([name for name, _ in bound])
                elif cls in _NAMED_SITES:
                    name = getattr(node, _NAMED_SITES[cls], None)
                    if name:
                        add(name)
        return partial(_count_sites, by_name, names, resolvable, {})

    # -- scopes ------------------------------------------------------------------------------
    #: Only the module's own bindings (a project module's summary): function and class bodies are skipped.
    shallow = False
    #: A weak reference to this builder when function bodies are bound on first read (pending scopes), else
    #: None (every body is bound in the one pass).
    lazy: weakref.ref[_Builder] | None = None

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self.shallow:
            self.scope.bind(Binding(node.name, "other", _end(node), node))
            return
        for deco in node.decorator_list:
            self.visit(deco)
        self.visit(node.args)  # defaults and annotations are evaluated outside
        if node.returns:
            self.visit(node.returns)
        self.scope.bind(Binding(node.name, "other", _end(node), node))
        if self.lazy:
            self.scopes[node] = Scope.pending(node, self.scope, self.lazy)
            return
        outer, self.scope = self.scope, self._enter(node, "function")
        self._bind_args(node.args, self.scope, _start(node), node)
        self._statements(node.body)
        self.scope = outer

    def fill(self, scope: Scope) -> None:
        """Bind a pending function scope's parameters and body (a class's body), as the eager pass binds them
        (its nested functions and classes are pending in turn). Should binding fail, the scope stays pending."""
        node = scope.node
        outer = self.scope
        scope.bindings, scope.globals, scope.star_modules = {}, frozenset(), ()
        self.scope = scope
        try:
            if scope.kind == "function":
                self._bind_args(node.args, scope, _start(node), node)  # type: ignore[attr-defined]
            self._statements(node.body)  # type: ignore[attr-defined]
        except BaseException:
            del scope.bindings, scope.globals, scope.star_modules
            raise
        finally:
            self.scope = outer

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.args)
        outer, self.scope = self.scope, self._enter(node, "function")
        self._bind_args(node.args, self.scope, _start(node), node)
        self.visit(node.body)
        self.scope = outer

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self.shallow:
            self.scope.bind(Binding(node.name, "other", _end(node), node))
            return
        for expr in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(expr)
        outer, self.scope = self.scope, self._enter(node, "class")
        self._statements(node.body)
        self.scope = outer
        self.scope.bind(Binding(node.name, "other", _end(node), node))

    def _visit_comprehension(self, node: ast.AST) -> None:
        outer, self.scope = self.scope, self._enter(node, "comprehension")
        for gen in node.generators:  # type: ignore[attr-defined]
            self._bind_target(gen.target, node)
        self.generic_visit(node)
        self.scope = outer

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _visit_comprehension

    # -- bindings ----------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for name, qualname in self._imports.get(node) or self._imported(node):
            self.scope.bind(Binding(name, "import", _end(node), node, qualname=qualname))

    def _imported(self, node: ast.Import | ast.ImportFrom) -> list[tuple[str, str]]:
        """(name bound, qualified name) of each name an import binds (not a star), noted as resolvable and,
        when it may name Keras, as Keras-capable."""
        found = []
        if node.__class__ is ast.Import:
            for alias in node.names:
                if alias.asname:
                    name, qualname = alias.asname, alias.name
                    capable = _names_keras(qualname) or self._project(qualname)
                else:
                    name = qualname = alias.name.split(".", 1)[0]
                    capable = name in KERAS_PARTS or self._project(name)
                found.append((name, qualname))
                self.resolvable.add(name)
                if capable:
                    self.keras_capable.add(name)
            return found
        module = node.module or ""  # type: ignore[attr-defined]
        level = node.level  # type: ignore[attr-defined]
        # A relative import keeps its dots (``..base.Conv``); the resolver makes it absolute on demand, when
        # it knows the file's package.
        prefix = "." * level
        from_keras: bool | None = None  # whether the module may give Keras names (asked once, if ever)
        for alias in node.names:
            if alias.name == "*":
                continue
            name = alias.asname or alias.name
            found.append((name, f"{prefix}{module}.{alias.name}" if module else f"{prefix}{alias.name}"))
            self.resolvable.add(name)
            if level or alias.name in KERAS_PARTS:
                self.keras_capable.add(name)
                continue
            if from_keras is None:
                from_keras = _names_keras(module) or self._project(module)
            if from_keras:
                self.keras_capable.add(name)
        return found

    def _project(self, module: str) -> bool:
        """Whether ``module`` is in the project (a name imported from it may be a re-exported Keras name)."""
        return self.project_root is not None and self.project_root(module.partition(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                star = ("." * node.level + (node.module or ""), _end(node))
                self.scope.star_modules = (*self.scope.star_modules, star)
        for name, qualname in self._imports.get(node) or self._imported(node):
            self.scope.bind(Binding(name, "import", _end(node), node, qualname=qualname))

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self._bind_target(target, node, node.value if len(node.targets) == 1 else None)
            if not isinstance(target, ast.Name):
                self.visit(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value:
            self.visit(node.value)
        self.visit(node.annotation)
        self._bind_target(node.target, node, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        self._bind_target(node.target, node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        scope = self.scope
        while scope.kind == "comprehension" and scope.parent:
            scope = scope.parent
        scope.bind(Binding(node.target.id, "other", _end(node), node))

    def _visit_for(self, node: ast.For | ast.AsyncFor) -> None:
        self._bind_target(node.target, node.target)  # bound before the body runs
        self.generic_visit(node)

    visit_For = visit_AsyncFor = _visit_for

    def _visit_with(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self._bind_target(item.optional_vars, item.optional_vars)  # bound before the body runs
        self.generic_visit(node)

    visit_With = visit_AsyncWith = _visit_with

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.scope.bind(Binding(node.name, "other", _start(node), node))
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.globals = {*self.scope.globals, *node.names}

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        """Nothing to record: nonlocal names stay bound in the enclosing function."""

    def visit_MatchAs(self, node: ast.AST) -> None:
        name = getattr(node, "name", None)
        if name:
            self.scope.bind(Binding(name, "other", _start(node), node))
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.AST) -> None:
        self.visit_MatchAs(node)

    def visit_MatchMapping(self, node: ast.AST) -> None:
        rest = getattr(node, "rest", None)
        if rest:
            self.scope.bind(Binding(rest, "other", _start(node), node))
        self.generic_visit(node)


_GENERAL = object()
_ALIAS_VALUES = frozenset({ast.Name, ast.Attribute})  # ``k = tf.keras``, ``k = keras``: an alias binding

#: The classes of binding sites whose target is a name, a tuple or list of them, or a starred one, by field.
_TARGET_OWNERS: dict[type, str] = {
    ast.AnnAssign: "target", ast.AugAssign: "target", ast.For: "target", ast.AsyncFor: "target",
    ast.withitem: "optional_vars", ast.comprehension: "target", ast.NamedExpr: "target"}
#: The classes of binding sites that bind one name given as a string, by field.
_NAMED_SITES: dict[type, str] = {
    ast.FunctionDef: "name", ast.AsyncFunctionDef: "name", ast.ClassDef: "name", ast.ExceptHandler: "name",
    **{getattr(ast, c): f for c, f in (("MatchAs", "name"), ("MatchStar", "name"), ("MatchMapping", "rest"))
       if hasattr(ast, c)}}
#: The classes of :attr:`Sites.others`.
OTHER_SITE_CLASSES = frozenset({ast.Import, ast.ImportFrom, *_TARGET_OWNERS, *_NAMED_SITES})
_NESTED_TARGETS = frozenset({ast.Tuple, ast.List, ast.Starred})  # targets with names inside


class Sites:
    """Every node of a module that may bind a name, from the caller's index (in any order): a resolver given
    them binds function and class bodies only when they are read (:class:`Scope`). (A slotted class, not a NamedTuple:
    making one of those at import costs every flake8 start half a million instructions.)"""

    __slots__ = ("assigns", "params", "defs", "others")

    def __init__(self, assigns: list[ast.Assign], params: list[ast.arg], defs: tuple[list[ast.AST], ...],
                 others: tuple[list[ast.AST], ...]) -> None:
        self.assigns = assigns
        self.params = params
        self.defs = defs  # lists of ``def`` and ``class`` statements
        self.others = others  # lists holding the nodes of :data:`OTHER_SITE_CLASSES` (others are ignored)


def _count_sites(by_name: dict[str, list[ast.Name]], names: list[str], resolvable: set[str], counts: dict[str, int],
                 name: str) -> int:
    """How many sites may bind ``name`` (:meth:`_Builder.note_sites`): ``by_name`` holds the assignments to
    one name, ``names`` every other site's name. Only resolvable names are asked, unless a star import makes
    any name resolvable: ``names`` is counted once for those (``counts``, filled on the first call), and
    scanned for any other."""
    if name not in resolvable:
        return len(by_name.get(name, ())) + names.count(name)
    if not counts:
        counts[""] = 0  # (counted: an identifier is never empty)
        for found in compress(names, map(resolvable.__contains__, names)):
            counts[found] = counts.get(found, 0) + 1
    return len(by_name.get(name, ())) + counts.get(name, 0)


def _target_names(target: ast.AST, add: Callable[[str], object]) -> None:
    """``add`` each name an assignment target binds (through tuples, lists and starred targets)."""
    cls = target.__class__
    if cls is _NAME:
        add(target.id)  # type: ignore[attr-defined]
    elif cls is ast.Tuple or cls is ast.List:
        for elt in target.elts:  # type: ignore[attr-defined]
            _target_names(elt, add)
    elif cls is ast.Starred:
        _target_names(target.value, add)  # type: ignore[attr-defined]


#: How :class:`_Builder` visits a node of these classes that has no lambda, comprehension or ``:=`` inside
#: (a method; None: it binds nothing). Other such nodes: expressions bind nothing, the rest take the general
#: visit (``match`` statements, whose patterns bind).
_QUIET: dict[type, Callable[[_Builder, ast.AST], None] | None] = {
    ast.Assign: _Builder._quiet_assign, ast.AnnAssign: _Builder._quiet_ann_assign,
    ast.AugAssign: _Builder._quiet_aug_assign, ast.For: _Builder._quiet_for, ast.AsyncFor: _Builder._quiet_for,
    ast.If: _Builder._quiet_branches, ast.While: _Builder._quiet_branches, ast.With: _Builder._quiet_with,
    ast.AsyncWith: _Builder._quiet_with, ast.Try: _Builder._quiet_try,
    ast.FunctionDef: _Builder._quiet_function, ast.AsyncFunctionDef: _Builder._quiet_function,
    ast.ClassDef: _Builder._quiet_class, ast.Import: _Builder.visit_Import,
    ast.ImportFrom: _Builder.visit_ImportFrom, ast.Global: _Builder.visit_Global,
    **dict.fromkeys((ast.Expr, ast.Return, ast.Delete, ast.Raise, ast.Assert, ast.Pass, ast.Break, ast.Continue,
                     ast.Nonlocal, ast.arguments, ast.arg, ast.keyword, ast.withitem, ast.alias, ast.comprehension)),
}
if hasattr(ast, "TryStar"):  # Python 3.11+
    _QUIET[ast.TryStar] = _Builder._quiet_try


class Project:
    """What the resolver asks about the project a file belongs to (:mod:`keras_compat.project` answers).

    This base knows nothing: no package (relative imports resolve to nothing) and no project module."""

    #: A star import whose exports cannot be known (the module could not be read, or is itself open).
    UNKNOWN = object()

    @property
    def package(self) -> str | None:
        """The file's package (``pkg.layers`` for ``pkg/layers/gcn.py`` and ``pkg/layers/__init__.py``)."""
        return None

    def is_root(self, name: str) -> bool:
        """Whether top-level module ``name`` is one of the project's."""
        return False

    def follow(self, qualname: str) -> str:
        """What a project name denotes where that is known (a re-exported Keras name, the defining module
        of a re-exported class); else ``qualname`` unchanged."""
        return qualname

    def star(self, module: str, name: str) -> str | None | object:
        """The qualified name ``from <module> import *`` binds to ``name``; None when it binds nothing
        there; :attr:`UNKNOWN` when that cannot be known."""
        return Project.UNKNOWN


class StarRoots:
    """What :attr:`Resolver.keras_roots` is for a module with star imports: a name imported or aliased from Keras or
    the project, as without them, or a name that a star import binds to something (:meth:`Resolver.star_source`,
    asked once per name). Any other name resolves to nothing, as it would without the star imports: its own
    bindings name no Keras module, and where it has none, the star imports do not provide it."""

    __slots__ = ("_capable", "_star_source", "_bound")

    def __init__(self, capable: set[str], star_source: Callable[[str], tuple[str, str] | None]) -> None:
        self._capable = capable
        self._star_source = star_source
        self._bound: dict[str, bool] = {}

    def __contains__(self, name: object) -> bool:
        if name in self._capable:
            return True
        bound = self._bound.get(name)  # type: ignore[arg-type]
        if bound is None:
            bound = self._bound[name] = self._star_source(name) is not None  # type: ignore[index,arg-type]
        return bound


class Resolver:
    """Resolves expressions to fully qualified names (``tensorflow.keras.layers.Dense``)."""

    def __init__(self, module: ast.Module, parents: dict[ast.AST, ast.AST],
                 star_exports: Callable[[str, str], str | None] | None = None,
                 binding_exprs: set[ast.AST] | None = None, project: Project | None = None,
                 shallow: bool = False, sites: Sites | None = None) -> None:
        """``star_exports(module, name)``: the qualified name ``from <Keras module> import *`` binds to
        ``name``, or None. ``binding_exprs``: every expression that is or contains a lambda,
        comprehension or ``:=`` (None: unknown); other expressions bind nothing, so building the scopes
        skips them. ``project``: relative imports, the project's own modules and their star imports.
        ``shallow``: only the module scope is wanted (function and class bodies are not visited).
        ``sites``: every binding site of the module (:class:`Sites`): function bodies are then bound when
        first read (:class:`Scope`)."""
        self.project = project or Project()
        builder = _Builder(module, self.project.is_root if project is not None else None)
        builder.binding_exprs = binding_exprs
        builder.shallow = shallow
        #: how many sites may bind a name (None: every body is bound, :meth:`_unscoped` asks the scopes)
        self._site_counts: Callable[[str], int] | None = None
        if sites is not None and not shallow:
            builder.lazy = weakref.ref(builder)
            self._site_counts = builder.note_sites(sites)
        builder.visit(module)
        self._builder = builder  # (pending scopes hold it weakly: no reference cycle)
        self.module = module
        self.module_scope = builder.module_scope
        self._scopes = builder.scopes
        self.parents = parents
        self._star_exports = star_exports or (lambda module, name: None)
        self._cache: dict[ast.AST, str | None] = {}  # keyed by the node
        self._scope_memo: dict[ast.AST, Scope] = {}
        self._lookup_memo: dict[tuple[int, str], str | None] = {}
        self._all_memo: dict[tuple[int, str], str | None] = {}
        self._positions: dict[int, list[Pos] | None] = {}
        self._resolving: set[int] = set()
        # Only a name imported or aliased in some scope can resolve (without a star import, anything else
        # is unbound or bound to something unknown): most chains (``self.x``, locals) stop here, before
        # the walk up to their scope.
        self._may_resolve: set[str] | None = None if self.module_scope.star_modules else builder.resolvable
        #: Root names a chain must start from to resolve to a Keras name unless the chain itself spells a
        #: Keras module (``tf.keras.x``): every Keras prefix has a ``keras``/``tf_keras`` part, which comes
        #: from the chain or from the root's import, or the root is imported from the project, which may
        #: re-export a Keras name (None: star imports; :class:`StarRoots` adds the names they bind, made by the
        #: caller: held here, it would make a reference cycle through :meth:`star_source`).
        self.keras_capable = builder.keras_capable
        self.keras_roots: set[str] | None = None if self.module_scope.star_modules else builder.keras_capable

    def absolute(self, qualname: str) -> str | None:
        """``..base.Conv`` made absolute against the file's package (:func:`absolute_name`)."""
        return qualname if not qualname.startswith(".") else absolute_name(qualname, self.project.package)

    def _project_name(self, qualname: str) -> str | None:
        """An imported name made absolute and, when it is the project's, followed to what it denotes."""
        if qualname.startswith("."):
            absolute = self.absolute(qualname)
            if absolute is None:
                return None
            qualname = absolute
        elif not self.project.is_root(qualname.partition(".")[0]):
            return qualname
        return self.project.follow(qualname)

    # -- scopes ------------------------------------------------------------------------------
    @property
    def scopes(self) -> dict[ast.AST, Scope]:
        """Every scope of the module by its node (the module, a def, lambda, class or comprehension), each
        bound: asking for all of them binds the bodies still pending. (Their order is not significant.)"""
        scopes = self._scopes
        while True:
            pending = [scope for scope in scopes.values() if scope._filler is not None]
            if not pending:
                return scopes
            for scope in pending:
                scope.bindings  # noqa: B018 - reading binds it, and registers the scopes nested in it

    def scope_of(self, node: ast.AST) -> Scope:
        """The scope in which ``node`` is evaluated. Memoised per statement on the way up: the names of
        one statement (and of its siblings in a body) share the rest of the walk."""
        memo, parents, scopes, statements = self._scope_memo, self.parents, self._scopes, _STATEMENT_CLASSES
        path: list[ast.AST] = []
        child, parent = node, parents.get(node)
        found = self.module_scope
        while parent is not None:
            if child.__class__ in statements:
                known = memo.get(child)
                if known is not None:
                    found = known
                    break
                path.append(child)
            scope = scopes.get(parent)
            if scope is not None:
                if scope._filler is not None:  # a pending body: bound now, its nested scopes with it
                    scope.bindings  # noqa: B018
                    return self.scope_of(node)
                if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    if in_body(parent, child):  # not ``child in parent.body``: a scan per statement
                        found = scope
                        break
                elif isinstance(parent, ast.Lambda):
                    if child is parent.body:
                        found = scope
                        break
                else:  # module or comprehension
                    found = scope
                    break
            child, parent = parent, parents.get(parent)
        for key in path:
            memo[key] = found
        return found

    # -- lookup ------------------------------------------------------------------------------
    def _candidates(self, name: str, scope: Scope, pos: Pos) -> tuple[list[Binding], Scope] | None:
        """(the bindings the use of ``name`` at ``pos`` sees, the scope they belong to), or None."""
        found = self._find(name, scope, pos)
        return None if found is None else (found[0], found[1])

    def _find(self, name: str, scope: Scope, pos: Pos) -> tuple[list[Binding], Scope, bool] | None:
        """(the bindings the use sees, the scope they belong to, whether that is only the latest binding before
        ``pos``: code that runs at once sees that one, a function every binding of an enclosing scope)."""
        immediate = True
        current: Scope | None = scope
        first = True
        while current is not None:
            if current.kind == "class" and not first:
                current = current.parent
                continue
            if name in current.globals and current is not self.module_scope:
                current, immediate = self.module_scope, False
                continue
            bindings = current.bindings.get(name)
            if bindings:
                if immediate and len(bindings) > 1:
                    before = self._latest_before(bindings, pos)
                    return ([before], current, True) if before is not None else (bindings, current, False)
                return bindings, current, immediate
            if current.kind == "function":
                immediate = False
            first = False
            current = current.parent
        return None

    def _latest_before(self, bindings: list[Binding], pos: Pos) -> Binding | None:
        """The last binding (in the order bound) at or before ``pos``; None when there is none. Bindings are
        bound in source order, so this is a binary search (a scan per use made a module that binds one name
        many times quadratic); should a list not be in order, it is scanned as before."""
        key = id(bindings)
        positions = self._positions.get(key, _UNSEEN)
        if positions is _UNSEEN:
            ordered = [b.pos for b in bindings]
            positions = self._positions[key] = ordered if ordered == sorted(ordered) else None
        if positions is None:
            before = [b for b in bindings if b.pos <= pos]
            return before[-1] if before else None
        index = bisect.bisect_right(positions, pos)  # type: ignore[arg-type]
        return bindings[index - 1] if index else None

    def binding_scope(self, name: ast.Name) -> Scope | None:
        """The scope whose binding(s) of ``name.id`` the use ``name`` sees (None: unbound, or only a star
        import provides it)."""
        found = self._find(name.id, self.scope_of(name), _start(name))
        return None if found is None else found[1]

    def _binding_qualname(self, binding: Binding, scope: Scope) -> str | None:
        if binding.kind == "import":
            return self._project_name(binding.qualname)  # type: ignore[arg-type]
        if binding.kind == "alias" and binding.value is not None:
            key = id(binding.node)
            if key in self._resolving:
                return None
            self._resolving.add(key)
            try:
                return self._expr_qualname(binding.value, scope, binding.pos)
            finally:
                self._resolving.discard(key)
        return None

    def lookup(self, name: str, scope: Scope, pos: Pos) -> str | None:
        """Qualified name bound to ``name`` as seen at ``pos`` in ``scope``; None when unknown.

        A name that a function does not bind itself is looked up in the enclosing scopes as a whole (every
        binding counts, whatever the position), so the answer is the same for every use in that function:
        memoised (method bodies use the same few module names over and over)."""
        if scope.kind == "function" and name not in scope.bindings and name not in scope.globals:
            key = (id(scope), name)
            memo = self._lookup_memo
            result = memo.get(key, _UNSEEN)
            if result is _UNSEEN:
                result = memo[key] = self._lookup(name, scope, pos)
            return result  # type: ignore[return-value]
        return self._lookup(name, scope, pos)

    def _lookup(self, name: str, scope: Scope, pos: Pos) -> str | None:
        found = self._find(name, scope, pos)
        if found is None:
            return self._star(name)
        bindings, owner, latest = found
        if latest or len(bindings) == 1 or self._resolving:
            return self._agreeing(bindings, owner)
        # Every binding of the name in ``owner``: the same answer for every use, wherever it is (memoised:
        # each of many functions asking about a name bound many times would otherwise cost a pass over them).
        key = (id(owner), name)
        result = self._all_memo.get(key, _UNSEEN)
        if result is _UNSEEN:
            result = self._all_memo[key] = self._agreeing(bindings, owner)
        return result  # type: ignore[return-value]

    def _agreeing(self, bindings: list[Binding], owner: Scope) -> str | None:
        """The qualified name the bindings agree on (ignoring ``= None`` placeholders), or None."""
        if len(bindings) > 1:
            bindings = [b for b in bindings if b.kind != "none"] or bindings
        resolved: list[str] = []
        for binding in bindings:
            qualname = self._binding_qualname(binding, owner)
            if qualname is None:
                return None
            resolved.append(qualname)
        if len(resolved) == 1:  # (most names: one binding, nothing to agree with)
            return resolved[0]
        first = _identity(resolved[0])
        if all(_identity(q) == first for q in resolved[1:]):
            return resolved[-1]
        return None

    def _star(self, name: str) -> str | None:
        found = self.star_source(name)
        return found[1] if found is not None else None

    def star_source(self, name: str) -> tuple[str, str] | None:
        """``(module, qualified name)``: which star import of the module binds ``name`` (its module made
        absolute) and to what. The last one that binds it wins; one whose exports are unknown (a module
        outside the project and Keras, an unreadable project module) could bind anything, so then the answer
        is unknown (None)."""
        stars = self.module_scope.star_modules
        if not stars:
            return None
        for module, _ in reversed(stars):
            absolute = self.absolute(module)
            if absolute is None:
                return None
            if keras_name(absolute) is not None:
                found = self._star_exports(absolute, name)
                if found is not None:
                    return absolute, found
                continue
            if not self.project.is_root(absolute.partition(".")[0]):
                return None  # a star import from outside the project could provide anything
            bound = self.project.star(absolute, name)
            if bound is Project.UNKNOWN:
                return None
            if bound is not None:
                return absolute, bound  # type: ignore[return-value]
        return None

    def from_star(self, node: ast.Name) -> tuple[str, str] | None:
        """:meth:`star_source` of a name as used at ``node``, when no binding of its scopes comes first."""
        if not self.module_scope.star_modules:
            return None
        if self._candidates(node.id, self.scope_of(node), _start(node)) is not None:
            return None
        return self.star_source(node.id)

    def _expr_qualname(self, expr: ast.AST, scope: Scope, pos: Pos) -> str | None:
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        base = self.lookup(expr.id, scope, pos)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)]) if parts else base

    def qualname(self, expr: ast.AST) -> str | None:
        """Fully qualified name of a ``Name``/``Attribute`` chain, or None (memoised per node: the node itself is
        the key, hashing it costs half of an ``id()`` call)."""
        cache = self._cache
        result = cache.get(expr, _UNSEEN)
        if result is not _UNSEEN:
            return result  # type: ignore[return-value]
        result = None
        cls = expr.__class__
        if cls is _ATTRIBUTE or cls is _NAME:
            parts: list[str] = []
            root = expr
            while cls is _ATTRIBUTE:  # (each field of a node read once: reading one costs about 300 instructions)
                parts.append(root.attr)  # type: ignore[attr-defined]
                root = root.value  # type: ignore[attr-defined]
                cls = root.__class__
            if cls is _NAME:
                name = root.id  # type: ignore[attr-defined]
                may_resolve = self._may_resolve
                if may_resolve is None or name in may_resolve:
                    result = self._unscoped(name)
                    if result is _UNSEEN:
                        result = self.lookup(name, self.scope_of(root), _start(root))
                    if result is not None and parts:
                        parts.append(result)  # type: ignore[arg-type]
                        parts.reverse()
                        result = ".".join(parts)
                        if self.project.is_root(parts[0].partition(".")[0]):
                            result = self.project.follow(result)  # ``pkg.compat.K.sum`` -> ``keras.backend.sum``
        cache[expr] = result
        return result  # type: ignore[return-value]

    #: (the memo of :meth:`_unscoped`, the names bound in the scopes below the module's), made on first use
    _unscoped_memo: dict[str, object] | None = None
    _inner_names: set[str] | None = None

    def _unscoped(self, name: str) -> object:
        """What ``name`` denotes at every use in the module, when no use can see anything else: the name is
        bound once in the module scope (or nowhere) and in no other scope, so every use, wherever it is,
        finds that binding (or the star imports) as :meth:`lookup` would, and a single binding is the latest
        one before every position. :data:`_UNSEEN` when uses may differ; they take :meth:`lookup`'s path.
        Memoised per name: most chains start from a few imported names, and this skips the walk up to the
        use's scope (:meth:`scope_of`) and the search through the scopes for every use.

        Asked only from :meth:`qualname`, outside any resolution in progress: an alias of the module scope
        resolves through module bindings only, so its answer is the one every use would get."""
        memo = self._unscoped_memo
        if memo is None:
            memo = self._unscoped_memo = {}
        found = memo.get(name, _UNSEEN)
        if found is _UNSEEN:
            found = memo[name] = self._unscoped_answer(name)
        return found

    def _unscoped_answer(self, name: str) -> object:
        module = self.module_scope
        bindings = module.bindings.get(name)
        if bindings is not None and len(bindings) > 1:
            return _UNSEEN  # module code sees the latest binding before it: the position matters
        counts = self._site_counts
        if counts is not None:  # the bodies may be pending: no scope is read
            if counts(name) > (1 if bindings else 0):
                return _UNSEEN  # another site may bind it, in some other scope: the use's scope matters
            return self.lookup(name, module, _FAR)
        inner = self._inner_names
        if inner is None:  # (one set for the file: cheaper than asking every scope for each name)
            inner = self._inner_names = set().union(*[s.bindings for s in self._scopes.values() if s is not module])
        if name in inner:
            return _UNSEEN  # a function, class or comprehension binds it too: the use's scope matters
        return self.lookup(name, module, _FAR)


def absolute_name(qualname: str, package: str | None) -> str | None:
    """``..base.Conv`` made absolute against ``package`` (``pkg.layers`` -> ``pkg.base.Conv``); None when the
    package is unknown or the dots climb above the top-level package (the import would fail)."""
    if not qualname.startswith("."):
        return qualname
    level = len(qualname) - len(qualname.lstrip("."))
    if not package:
        return None
    parts = package.split(".")
    if level - 1 >= len(parts):
        return None
    base = ".".join(parts[:len(parts) - (level - 1)])
    rest = qualname[level:]
    return f"{base}.{rest}" if rest else base


def _names_keras(qualname: str) -> bool:
    return not KERAS_PARTS.isdisjoint(qualname.split("."))


def _identity(qualname: str) -> str:
    """What two bindings must share to count as the same thing (flavour-free for Keras names)."""
    name = keras_name(qualname)
    return f"keras:{name.path}" if name is not None else qualname
