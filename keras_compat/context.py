"""What a rule sees: the parsed module, name resolution, indexes of interesting nodes, and helpers.

The context is built once per file by one traversal; rules iterate over its indexes instead of walking
the tree again, and report through :meth:`Context.report` so positions and messages are uniform.
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from collections.abc import Callable, Collection, Container, Iterable, Iterator, KeysView
from functools import partial
from itertools import chain, compress
from operator import attrgetter, is_, is_not
from typing import TYPE_CHECKING, TypeVar

from keras_compat.diagnostics import Diagnostic, Edit, Fix, Safety
from keras_compat.guards import (UNGUARDED, ImportGuard, import_guard, import_modules, in_switch_branch,
                                 is_switch_test)
from keras_compat.names import KERAS_PARTS, KerasName, keras_name
from keras_compat.package import library_package
from keras_compat.project import PATCH_BLOCKS, View
from keras_compat.record import Record
from keras_compat.registry import REGISTRY
from keras_compat.resolver import OTHER_SITE_CLASSES, Resolver, Sites, StarRoots
from keras_compat.settings import Settings
from keras_compat.source import Positions
from keras_compat.speedups import native
from keras_compat.tree_index import (gather, group_by, presized, python_group_by, select,  # noqa: F401
                                     sort_by_start, walk_index)

#: A fix computed only when it is wanted (:meth:`Context.report`): a function of no arguments.
LazyFix = Callable[[], "Fix | None"]

#: What makes an import local to a function (:attr:`ImportRecord.in_function`).
_FUNCTION_CLASSES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda})

_UNSEEN = object()
#: About how many characters of a module's text make one node of its tree (7.6 in the median file of the
#: benchmark's user code, 5 to 13 in nine files of ten): the parent map is made with room for that many nodes.
_CHARS_PER_NODE = 8
_ATTRIBUTES_BY_NAME = "attributes by name"  # the memo key of :meth:`Context.attributes_named`
_START = attrgetter("lineno", "col_offset")
_NOT_ATTRIBUTE = partial(is_not, ast.Attribute)  # of a class: not the attribute class
_IS_NAME = partial(is_, ast.Name)
_VALUE = attrgetter("value")
_VALUE_ID = attrgetter("value.id")
_END = attrgetter("end_lineno", "end_col_offset")
N = TypeVar("N", bound=ast.AST)


if TYPE_CHECKING:  # to a type checker, exactly functools.cached_property
    from functools import cached_property as _once
else:
    class _once:  # noqa: N801 - used as a decorator, as functools.cached_property
        """functools.cached_property without its lock (Python 3.11 takes one on every first read, and a context
        is used by one thread): computed on the first read, then an entry of the instance dictionary, which
        wins over this non-data descriptor from then on. (Not a Generic class: making one at import costs
        every flake8 start.)"""

        def __init__(self, func):
            self.func = func
            self.name = func.__name__
            self.__doc__ = func.__doc__

        def __set_name__(self, owner, name):
            self.name = name

        def __get__(self, instance, owner=None):
            if instance is None:
                return self
            value = instance.__dict__[self.name] = self.func(instance)
            return value


_ATTRIBUTE_CLASS = frozenset({ast.Attribute})
#: The statements whose blocks :func:`keras_compat.project.patched_names` reads, and ``try``'s handlers.
_TOP_BLOCKS = frozenset({*PATCH_BLOCKS, ast.ExceptHandler})

#: Expressions that bind names (the resolver's scope builder must see them; it skips other expressions).
_BINDING_EXPRS = (ast.NamedExpr, ast.Lambda, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def _patched(patches: dict[str, set[str]], qualname: str) -> bool:
    """Whether ``qualname`` is, or is below, an attribute recorded in ``patches`` (object -> attributes)."""
    parent, _, attr = qualname.rpartition(".")
    while parent:
        if attr in patches.get(parent, ()):
            return True
        parent, _, attr = parent.rpartition(".")
    return False


class ImportRecord(Record):
    """One imported name (``import a.b`` or ``from a import b``) with its Keras classification."""

    node: ast.Import | ast.ImportFrom
    alias: ast.alias
    qualname: str  # what is imported: "keras.backend" or "keras.layers.Dense"
    keras: KerasName | None
    guard: ImportGuard
    in_function: bool

    def __init__(self, node: ast.Import | ast.ImportFrom, alias: ast.alias, qualname: str, keras: KerasName | None,
                 guard: ImportGuard, in_function: bool) -> None:
        # Written out (tests/test_record.py checks it against the fields): one per imported name of every
        # analysed file, and the generic initialiser costs about twice as much.
        values = self.__dict__
        values["node"], values["alias"], values["qualname"], values["keras"], values["guard"], \
            values["in_function"] = node, alias, qualname, keras, guard, in_function


class Context:
    """Per-file analysis state shared by the rules."""

    def __init__(self, tree: ast.Module, text: str, settings: Settings, filename: str = "<string>",
                 own: str | None | object = _UNSEEN, view: View | None = None, *, fixes: bool = True) -> None:
        """``view``: the file's project view when the caller has built one already (else made here).
        ``fixes``: whether the caller uses :attr:`Diagnostic.fix` (see :attr:`wants_fixes`)."""
        self.tree = tree
        self.text = text
        self.filename = filename
        self.settings = settings
        #: False when the caller never reads a finding's fix (the flake8 and pylint adapters): a fix handed to
        #: :meth:`report` as a function is then not computed, and every finding has ``fix=None``.
        self.wants_fixes = fixes
        #: every node's parent: one entry per node, in a dict made with room for them rather than grown by
        #: doubling (:func:`keras_compat.tree_index.presized`: 16 M instructions on the benchmark's user code)
        self.parents: dict[ast.AST, ast.AST] = presized(len(text) // _CHARS_PER_NODE)
        self.calls: list[ast.Call] = []
        self.attributes: list[ast.Attribute] = []
        self.classes: list[ast.ClassDef] = []
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.import_nodes: list[ast.Import | ast.ImportFrom] = []
        self.compares: list[ast.Compare] = []
        self.subscript_assigns: list[ast.Assign] = []
        self._switch_tests: dict[int, bool] = {}
        self._keras: dict[ast.AST, KerasName | None] = {}  # keyed by the node (hashing it is cheaper than id())
        self._names: dict[str, list[ast.Name]] | None = None
        #: Per-file memo for rules and fix helpers (keys: a tuple or string naming its user): answers that
        #: depend only on the file are computed once, not once per finding (which is quadratic in long files).
        self.memo: dict[object, object] = {}
        # A library's names seen from its own sources are its definitions, not uses of an API to migrate
        # (``keras.src`` inside Keras, the backend inside tf_keras): they resolve to nothing.
        self._own: str | None = library_package(filename) if own is _UNSEEN else own  # type: ignore[assignment]
        self._index()
        from keras_compat.knowledge import star_export

        #: The project around the file (other modules' classes, re-exports, star imports); None inside a
        #: Keras library or for text without a file.
        self.project: View | None = None
        if self._own is None and settings.project:
            self.project = view if view is not None else View(filename, tree)
        self.resolver = Resolver(tree, self.parents, star_export, self._binding_exprs(), self.project,
                                 sites=Sites(self._assigns, self._params, (self.functions, self.classes),
                                             (self._sites, self._binders, self.import_nodes)))
        #: attributes set on imported modules at the top of this module or of the project's (``K.where =
        #: where``): what such a name denotes is the project's, not the library's
        self._patches: dict[str, set[str]] = self.project.patches if self.project is not None else {}
        self._own_patches()
        # A project's backend aliases (``extra-backend-aliases``) are Keras under another name: no shortcut.
        resolver = self.resolver
        self._keras_roots: Container[str] | None = None
        if not settings.extra_backend_aliases:
            self._keras_roots = resolver.keras_roots if resolver.keras_roots is not None else \
                StarRoots(resolver.keras_capable, resolver.star_source)

    def _index(self) -> None:
        lists: dict[type, list] = {ast.Call: self.calls, ast.Attribute: self.attributes,
                                   ast.Import: self.import_nodes, ast.ImportFrom: self.import_nodes,
                                   ast.ClassDef: self.classes, ast.FunctionDef: self.functions,
                                   ast.AsyncFunctionDef: self.functions, ast.Compare: self.compares}
        self._binders: list[ast.AST] = []
        for cls in _BINDING_EXPRS:
            lists[cls] = self._binders
        # the other binding sites (:class:`Sites`: the resolver's pending bodies need them)
        self._assigns: list[ast.Assign] = []
        self._params: list[ast.arg] = []
        self._sites: list[ast.AST] = []
        lists[ast.Assign], lists[ast.arg] = self._assigns, self._params
        for cls in OTHER_SITE_CLASSES:
            lists.setdefault(cls, self._sites)
        walk_index(self.tree, self.parents, lists, self.subscript_assigns)  # in C when it is built
        for nodes in (self.calls, self.attributes, self.import_nodes, self.classes, self.functions, self.compares,
                      self.subscript_assigns):
            sort_by_start(nodes)  # type: ignore[arg-type]  # source order for stable output

    def _binding_exprs(self) -> set[ast.AST]:
        """The expressions that are or contain a lambda, comprehension or ``:=`` (and their parents)."""
        marked: set[ast.AST] = set()
        parents = self.parents
        for node in self._binders:
            current: ast.AST | None = node
            while current is not None and current not in marked:
                marked.add(current)
                current = parents.get(current)
        return marked

    def release(self) -> None:
        """Drop the per-file state. Rules cache objects that point back at the context (the layer
        classifier), a reference cycle that would keep the whole tree alive until the cyclic garbage
        collector runs; breaking it lets reference counting free the file at once, which saves the
        collector's full passes over a growing heap (a large part of the analysis time on big runs)."""
        if self.project is not None:
            self.project.release()
        self.__dict__.clear()

    # -- resolution ---------------------------------------------------------------------------
    def qualname(self, expr: ast.AST) -> str | None:
        """The fully qualified name ``expr`` denotes; None if unknown or in the file's own package."""
        qualname = self.resolver.qualname(expr)
        if qualname is not None and self._own is not None and qualname.partition(".")[0] == self._own:
            return None
        if qualname is not None and self._patches and _patched(self._patches, qualname):
            return None  # ``K.where`` where the project set ``K.where = where``: its own function
        return qualname

    def _own_patches(self) -> None:
        """``K.where = where`` among the module's top-level statements, on an imported name."""
        found = self._patched_names()
        if not found:
            return
        resolver = self.resolver
        for name, attrs in found.items():
            qualname = resolver.lookup(name, resolver.module_scope, (1 << 30, 0))
            if qualname is not None:
                self._patches.setdefault(qualname, set()).update(attrs)

    def _patched_names(self) -> dict[str, set[str]]:
        """:func:`keras_compat.project.patched_names` of the module, from the index: the assignments to an
        attribute of a name whose statement is at the top (in ``if``/``try``/``with`` blocks too)."""
        targets = [*chain.from_iterable(gather(self._assigns, "targets"))]
        targets += [node.target for node in self._sites  # type: ignore[attr-defined]
                    if node.__class__ is ast.AnnAssign or node.__class__ is ast.AugAssign]
        found: dict[str, set[str]] = {}
        parents, module = self.parents, self.tree
        for target in select(targets, None, _ATTRIBUTE_CLASS):
            if target.value.__class__ is not ast.Name:  # type: ignore[attr-defined]
                continue
            child = parents[target]  # the statement
            parent = parents.get(child)
            while parent is not module:
                if parent.__class__ not in _TOP_BLOCKS:  # (a ``try*`` handler stops at the ``try*``)
                    break
                child, parent = parent, parents.get(parent)
            else:
                found.setdefault(target.value.id, set()).add(target.attr)  # type: ignore[attr-defined]
        return found

    def keras(self, expr: ast.AST) -> KerasName | None:
        """The Keras name an expression denotes, or None (memoised per node: several rules ask; the node itself
        is the key: hashing it costs half of an ``id()`` call)."""
        found = self._keras.get(expr, _UNSEEN)  # (not try/except: raising costs)
        if found is not _UNSEEN:
            return found  # type: ignore[return-value]
        roots = self._keras_roots
        # a cheap test first: most chains (``tf.nn.relu``, ``np.x``) cannot be Keras
        if roots is not None and not may_name_keras(expr, roots, KERAS_PARTS):
            self._keras[expr] = None
            return None
        return self._resolve_keras(expr)

    def _resolve_keras(self, expr: ast.AST) -> KerasName | None:
        """:meth:`keras` past its memo and root filter: resolved and memoised."""
        qualname = self.qualname(expr)
        if qualname is None:
            self._keras[expr] = None
            return None
        for alias in self.settings.extra_backend_aliases:  # a project's own re-export of the backend
            if qualname == alias or qualname.startswith(alias + "."):
                qualname = "keras.backend" + qualname[len(alias):]
                break
        found = self._keras[expr] = keras_name(qualname)
        return found

    @_once
    def positions(self) -> Positions:
        """Line table for positions, built on the first report (most files have no finding)."""
        return Positions(self.text)

    @_once
    def outer_attributes(self) -> list[ast.Attribute]:
        """The attributes (source order) that are not the value of another attribute: the whole chains
        (``tf.keras.layers.Dense`` but not ``tf.keras``), which several rules resolve."""
        attributes = self.attributes  # (the loop in C: one of every attribute of every file)
        return list(compress(attributes, map(_NOT_ATTRIBUTE, map(type, map(self.parents.get, attributes)))))

    @_once
    def keras_calls(self) -> list[tuple[ast.Call, KerasName]]:
        """The calls (source order) whose callee is a Keras name with a path, with that name: several rules
        only look at these, and share one pass over every call instead of each making its own."""
        out = []
        resolve, memo, roots, unseen = self._resolve_keras, self._keras, self._keras_roots, _UNSEEN
        # :meth:`keras`'s root filter first, in one pass (most callees fail it), with the None it memoises
        calls = self.calls if roots is None else keras_candidates(self.calls, roots, KERAS_PARTS, memo,
                                                                  ast.Attribute, ast.Name)
        for call in calls:
            func = call.func
            name = memo.get(func, unseen)  # (a rule may have asked already)
            if name is unseen:
                name = resolve(func)
            if name is not None and name.path:  # type: ignore[union-attr]
                out.append((call, name))
        return out

    def method_calls(self, *methods: str) -> list[ast.Call]:
        """The calls ``<receiver>.<method>(...)`` of the given method names, in the order of :attr:`calls`.

        Read from :meth:`attributes_named` (its index serves both): such a call is the parent of an attribute
        that is its callee. The order is the same: a call starts where its callee starts, and of two calls
        that start at one position the outer one's callee contains the inner call, so both indexes (source
        order, an outer node before the nodes it contains) list them alike."""
        parents, Call = self.parents, ast.Call
        found = []
        for attr in self.attributes_named(methods):
            call = parents.get(attr)
            if call.__class__ is Call and call.func is attr:  # type: ignore[union-attr]
                found.append(call)
        return found  # type: ignore[return-value]

    def _attributes_by_name(self) -> dict[str, list[int]]:
        """The index of :meth:`attributes_named` (attribute name -> positions in :attr:`attributes`), built on the
        first question, so the rules that look for a few names share one pass over the attributes instead of
        each making its own."""
        by_name: dict[str, list[int]] | None = self.memo.get(_ATTRIBUTES_BY_NAME)  # type: ignore[assignment]
        if by_name is None:
            by_name = self.memo[_ATTRIBUTES_BY_NAME] = group_by(self.attributes, "attr", None, True)
        return by_name

    def attribute_names(self) -> KeysView[str]:
        """The names of the module's attributes ``<value>.<name>``, as a set (from :meth:`attributes_named`'s
        index)."""
        return self._attributes_by_name().keys()

    def attributes_named(self, names: Collection[str]) -> list[ast.Attribute]:
        """The attributes ``<value>.<name>`` with a name in ``names``, in the order of :attr:`attributes`."""
        by_name: dict[str, list[int]] | None = self.memo.get(_ATTRIBUTES_BY_NAME)  # type: ignore[assignment]
        if by_name is None:
            by_name = self._attributes_by_name()
        if len(names) <= 8:
            hits = [found for found in map(by_name.get, names) if found is not None]
        else:  # a table's names: the file's few distinct names against the set, in C
            hits = [by_name[name] for name in by_name.keys() & names]
        if not hits:
            return []
        at = self.attributes.__getitem__
        if len(hits) == 1:
            return list(map(at, hits[0]))
        return list(map(at, sorted(chain.from_iterable(hits))))

    def names(self, identifier: str) -> list[ast.Name]:
        """Every ``Name`` node spelling ``identifier``, in source order. The index is built on the first
        question from the parent map (one pass over the file's nodes), so a rule that looks for the uses of
        a name once per finding costs time linear in the file, not a walk of the whole tree per finding."""
        index = self._names
        if index is None:
            index = self._names = group_by(self.parents, "id", ast.Name, False)  # the parent map's keys
            self._sorted_names: set[str] = set()
        found = index.get(identifier)
        if found is None:
            return []
        if identifier not in self._sorted_names:
            found.sort(key=_START)
            self._sorted_names.add(identifier)
        return found

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def in_compat_branch(self, node: ast.AST) -> bool:
        return in_switch_branch(node, self.parents, self._switch_tests)

    def is_switch_test(self, test: ast.expr) -> bool:
        """:func:`keras_compat.guards.is_switch_test`, memoised per test with :meth:`in_compat_branch`'s answers
        (every backend call below one ``if`` asks about the same test)."""
        known = self._switch_tests.get(id(test))
        if known is None:
            known = self._switch_tests[id(test)] = is_switch_test(test)
        return known

    @_once
    def imports(self) -> list[ImportRecord]:
        records = []
        memo: dict[int, set] = {}  # statement lists' imported flavours, shared by this file's imports
        parents, own, module = self.parents, self._own, self.tree
        for node in self.import_nodes:
            if node.__class__ is ast.ImportFrom and node.level:  # type: ignore[union-attr]
                continue
            if parents.get(node) is module:  # most imports: at the top, outside every try, if and function
                guard, in_function = UNGUARDED, False
            else:
                guard, in_function = import_guard(node, parents, memo), self._in_function(node)
            for alias, qualname in zip(node.names, import_modules(node)):
                name = None if own is not None and qualname.partition(".")[0] == own else keras_name(qualname)
                records.append(ImportRecord(node, alias, qualname, name, guard, in_function))
        return records

    def _in_function(self, node: ast.AST) -> bool:
        """Whether ``node`` is inside a function (or lambda) body: what makes an import local."""
        parents = self.parents
        ancestor = parents.get(node)
        while ancestor is not None:
            if ancestor.__class__ in _FUNCTION_CLASSES:
                return True
            ancestor = parents.get(ancestor)
        return False

    @_once
    def uses_keras(self) -> bool:
        """Whether the module imports Keras in any flavour (or a project re-export of it)."""
        own = self._own
        for node in self.import_nodes:
            if isinstance(node, ast.ImportFrom) and node.level:
                if own is not None:
                    continue  # a relative import inside a Keras library is of the library itself
                if any("keras" in a.name.lower() or a.name == "K" for a in node.names) or \
                        "keras" in (node.module or "").lower():
                    return True
                continue
            for qualname in import_modules(node):
                root = qualname.partition(".")[0]
                if root != own and (keras_name(qualname) is not None or root == "tensorflow"):
                    return True
        return False

    # -- reporting ----------------------------------------------------------------------------
    def range(self, node: ast.AST) -> tuple[int, int, int, int]:
        return self.positions.node_range(node)

    def segment(self, node: ast.AST) -> str:
        return self.positions.segment(node)

    def report(self, code: str, node: ast.AST | tuple[int, int, int, int], fix: Fix | LazyFix | None = None,
               **fields: object) -> Diagnostic:
        """Build a diagnostic for rule ``code`` at ``node`` (or an explicit character range).

        ``fix`` may be a function of no arguments that computes the fix: it is called only when the caller
        wants fixes (:attr:`wants_fixes`; else every finding has ``fix=None``), so the plugins do not pay for
        fixes they never show. Only the fix may be deferred so: a finding's message or existence never depends
        on whether fixes are wanted.
        """
        if not self.wants_fixes:
            fix = None
        elif fix is not None and fix.__class__ is not Fix:
            fix = fix()  # type: ignore[operator]
        line, col, end_line, end_col = node if isinstance(node, tuple) else self.range(node)
        values = {k: str(v) for k, v in fields.items()}
        # (Rule.render's text, formatted here from the strings made above: not converted a second time)
        return Diagnostic(code, REGISTRY[code].message.format_map(values), line, col, end_line, end_col, fix, values)

    def replace(self, node: ast.AST, content: str) -> Edit:
        line, col, end_line, end_col = self.range(node)
        return Edit(line, col, end_line, end_col, content)

    def fix(self, title: str, edits: list[Edit] | tuple[Edit, ...], safe: bool) -> Fix:
        return Fix(title, tuple(edits), Safety.SAFE if safe else Safety.UNSAFE)

    # -- indexes for the rules --------------------------------------------------------------------
    def may_come_from_star(self, name: str) -> bool:
        """False when no star import of the module binds ``name`` (:meth:`Resolver.star_source` is None), as
        the root filter of a module with star imports knows (it asks once per name, for :meth:`keras` too);
        True when it may (a name imported from Keras or the project, or without that filter)."""
        roots = self._keras_roots
        return name in roots if isinstance(roots, StarRoots) else True

    @_once
    def attributes_on_names(self) -> list[ast.Attribute]:
        """The attributes whose value is a name (``K.sum``, ``model.fit``: a chain's first link), in the order of
        :attr:`attributes`; found in C. The rules that look for the attributes of a few names start here."""
        attributes = self.attributes
        return list(compress(attributes, map(_IS_NAME, map(type, map(_VALUE, attributes)))))

    @_once
    def keras_chains(self) -> list[ast.Attribute]:
        """The :attr:`outer_attributes` that :meth:`keras` may resolve to a Keras name, in their order: the
        others it answers None for without resolving (its root filter), so a rule that resolves every chain
        need only ask about these (about one chain in seven).

        The filter's test, made from the few attributes it lets through rather than on every chain: walking
        down a chain from its outermost attribute, :meth:`keras` resolves it when it meets an attribute
        named like a Keras module (``KERAS_PARTS``: ``x.keras.layers``, ``f().keras``) or ends at a name
        among the roots; so a chain may resolve iff it holds such an attribute or starts from a root name,
        and climbing from either (an attribute's parent attribute holds it as its value) reaches the
        chain's outermost attribute. Without a root filter (``extra-backend-aliases``) every chain."""
        roots = self._keras_roots
        if roots is None:
            return self.outer_attributes
        on_names = self.attributes_on_names
        rooted = compress(on_names, map(roots.__contains__, map(_VALUE_ID, on_names)))
        parents, Attribute = self.parents, ast.Attribute
        outermost: dict[int, ast.Attribute] = {}
        for attr in chain(rooted, self.attributes_named(KERAS_PARTS)):
            node, parent = attr, parents.get(attr)
            while parent.__class__ is Attribute:
                node, parent = parent, parents.get(parent)  # type: ignore[assignment]
            outermost[id(node)] = node
        return in_source_order(outermost.values())


def may_name_keras(expr: ast.AST, roots: Container[str], parts: Container[str], attribute: type = ast.Attribute,
                   name: type = ast.Name) -> bool:
    """:meth:`Context.keras`'s root filter: whether ``expr`` may denote a Keras name. Down through the attributes
    not named like a Keras module part (``parts``), the chain must end at a name in ``roots`` or at such an
    attribute; a chain on a call or subscript (``f(x).y``) names nothing."""
    node = expr
    while node.__class__ is attribute and node.attr not in parts:  # type: ignore[attr-defined]
        node = node.value  # type: ignore[attr-defined]
    if node.__class__ is name:
        return node.id in roots  # type: ignore[attr-defined]
    return node.__class__ is attribute


def python_candidates(calls: list[ast.Call], roots: Container[str], parts: Container[str],
                      memo: dict[ast.AST, KerasName | None], attribute: type = ast.Attribute,
                      name: type = ast.Name) -> list[ast.Call]:
    """The calls whose callee may be a Keras name (:func:`may_name_keras`); each other callee is memoised as None
    in ``memo``. The reference for the C twin (:mod:`keras_compat.speedups`)."""
    kept = []
    for call in calls:
        if may_name_keras(call.func, roots, parts, attribute, name):
            kept.append(call)
        else:
            memo[call.func] = None
    return kept


#: :func:`python_candidates`, in C when it is built.
keras_candidates = native("keras_candidates") or python_candidates


def in_source_order(nodes: Iterable[N]) -> list[N]:
    """``nodes`` in the order of the context's node lists: by start, and of two nodes that start at one
    position (then one contains the other: ``a.b`` in ``a.b(c).d``) the outer one, which ends later, first.
    (Two stable sorts in C, the later ones first, instead of a key function called per node.)"""
    ordered = sorted(nodes, key=_END, reverse=True)  # (a stable sort, reversed or not)
    ordered.sort(key=_START)
    return ordered


def within_body(nodes: list[N], func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[N]:
    """The nodes of ``nodes`` (one of the context's lists, or :meth:`Context.names`: in source order) that are
    inside the body of ``func``, at any depth: what a walk of the body would meet, found by bisection.

    A node lies within the range of the node that holds it, except a definition's decorators, which come
    before its ``def``/``class`` line; so the body's nodes are those that start between the body's first
    statement (its decorators, when it has some) and the end of the function (tests/test_rules_indexes.py
    compares a walk of every function's body)."""
    first = func.body[0]
    decorators = getattr(first, "decorator_list", None)
    start = decorators[0] if decorators else first
    low = bisect_left(nodes, (start.lineno, start.col_offset), key=_START)
    high = bisect_left(nodes, (func.end_lineno, func.end_col_offset), low, key=_START)
    return nodes[low:high]
