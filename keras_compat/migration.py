"""The module planner: a module's Keras imports move to the target together, or not at all.

Rules report each import (KC101 standalone ``keras``, KC103 private paths, KC107 ``tensorflow.keras`` under
``keras-target = keras3``); this module turns all of them into one *transaction* per module:

* every import of a flavour that the target replaces (standalone ``keras`` and ``tensorflow.python.keras`` under
  ``tf-keras``; ``tensorflow.keras``, ``tf.keras.X`` and ``tensorflow.python.keras`` under ``keras3``) gets its
  target spelling, chosen so that the names it binds keep working without touching their uses
  (``from keras.utils import np_utils`` -> ``from tensorflow.keras import utils as np_utils``); a renamed name
  is imported under its new name and its uses are renamed; an unused import of a name the target lacks is
  dropped; a chain through a private module (``keras.utils.np_utils.to_categorical``) is respelled;
* every name written is checked against the target's API surface (``data/api/*.json``);
* if one binding has no equivalent, nothing moves: :attr:`Plan.blocker` says which and why (KC109), and the
  import findings carry no fix. Otherwise :attr:`Plan.fix` is one unsafe fix shared by every import finding
  of the module (the fixer applies a shared fix once, and not at all if one of its findings is suppressed).

Imports that stay in their library but use a private path (``from keras.layers.core import Dense`` under
``keras3``, ``from tensorflow.keras.layers.core import Dense``) get a safe fix per statement, built the same
way (:meth:`Plan.local_fix`). Compatibility code (imports with a fallback to another flavour,
``tf.compat.v1.keras``) is never moved.

For a caller that wants no fixes (:attr:`Context.wants_fixes` false: the flake8 and pylint adapters) the plan
only decides: its blocker is the same, but no edit is written (no fix, no same-library fixes).
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from keras_compat import knowledge
from keras_compat.diagnostics import Edit, Fix, Safety
from keras_compat.names import Flavour, KerasName, canonical, keras_name
from keras_compat.record import Record, factory
from keras_compat.surface.model import Surface, _surface, native_keras3_surface
from keras_compat.walk import in_body

if TYPE_CHECKING:
    from keras_compat.context import Context, ImportRecord

COMPAT_ROOTS = ("tensorflow.compat.v1.keras", "tensorflow.compat.v2.keras")


class Blocker(Record):
    """Why a module's imports cannot move: ``name`` has no spelling in the target (KC109)."""

    node: ast.AST
    name: str
    why: str
    advice: str


class Plan(Record, mutable=True):
    """The migration of one module's Keras imports."""

    root: str  # the target spelling's root: "tensorflow.keras" or "keras"
    label: str  # the target surface, for messages ("tf-keras 2.15.0", "Keras 3.15.1")
    moving: set[int] = factory(set)  # ids of statements/attributes the transaction rewrites
    fix: Fix | None = None
    blocker: Blocker | None = None
    local: dict[int, Fix | None] = factory(dict)  # same-library fixes, by statement/attribute id
    local_why: dict[int, str] = factory(dict)  # why a same-library statement has no fix

    def fix_for(self, node: ast.AST) -> Fix | None:
        """The fix a finding on ``node`` (an import statement or an attribute chain) carries: the module's
        transaction when it moves, else (or while the transaction is blocked) its same-library fix."""
        if id(node) in self.moving and self.fix is not None:
            return self.fix
        return self.local.get(id(node))

    def transaction_for(self, node: ast.AST) -> Fix | None:
        """The module's transaction when ``node`` is part of it (KC101, KC107: their fix is the move)."""
        return self.fix if id(node) in self.moving else None


# -- targets --------------------------------------------------------------------------------------------------

def target_root(target: str) -> str:
    return "keras" if target == "keras3" else "tensorflow.keras"


def target_surface(target: str) -> Surface:
    """The API that names written under ``target`` must exist in: tf-keras 2.15 or Keras 3 itself."""
    return native_keras3_surface() if target == "keras3" else _surface("tf-keras", "tf_keras")


def moving_flavours(target: str) -> frozenset[Flavour]:
    """Flavours whose imports change library under ``target`` (the transaction)."""
    if target == "keras3":
        return frozenset({Flavour.TF_KERAS, Flavour.TF_PYTHON})
    return frozenset({Flavour.KERAS, Flavour.TF_PYTHON})


def own_root(name: KerasName) -> str:
    """The flavour root as spelled in the qualified name (``keras``, ``tensorflow.keras``, ``tf_keras``)."""
    return name.qualname[: len(name.qualname) - len(name.raw)].rstrip(".") if name.raw else name.qualname


def is_private(name: KerasName) -> bool:
    if name.flavour is Flavour.TF_PYTHON:
        return True
    return knowledge.module_move(name.raw) is not None or name.raw.startswith("src.")


# -- chains through moved modules ----------------------------------------------------------------------------

def chains_through_moved(ctx: Context) -> list[ast.Attribute]:
    """The outermost attributes (``ctx.outer_attributes``, in their order) whose chain reads the name of a
    moved module (``keras.utils.np_utils.to_categorical``): one set lookup per attribute instead of a walk
    of every chain, so the planner and KC103 resolve only the few chains that can matter (memoised)."""
    found: list[ast.Attribute] | None = ctx.memo.get("chains through moved modules")  # type: ignore[assignment]
    if found is None:
        from keras_compat.context import in_source_order  # (this module is imported by the context's users)

        leaves = knowledge.moved_module_leaves()
        parents, Attribute = ctx.parents, ast.Attribute
        outermost: dict[int, ast.Attribute] = {}
        for attr in ctx.attributes_named(leaves):
            node: ast.AST = attr
            parent = parents.get(node)
            while parent.__class__ is Attribute:  # an attribute's only child is its value
                node, parent = parent, parents.get(parent)
            outermost[id(node)] = node  # type: ignore[assignment]
        found = in_source_order(outermost.values())  # the order of ctx.outer_attributes
        ctx.memo["chains through moved modules"] = found
    return found


# -- the plan ---------------------------------------------------------------------------------------------------

def _planned(record: ImportRecord) -> bool:
    """Whether the plan considers ``record``'s import: a Keras import that is not compatibility code (a
    guarded import with a fallback to another flavour, ``tf.compat.v1.keras``)."""
    name = record.keras
    if name is None or record.guard.guarded and record.guard.alternatives:
        return False
    return not name.qualname.startswith(COMPAT_ROOTS)


def _moves(record: ImportRecord, moving: frozenset[Flavour]) -> bool:
    """Whether the plan moves ``record``'s import to the target (a planned import of a moving flavour)."""
    return _planned(record) and record.keras.flavour in moving  # type: ignore[union-attr]


def may_block(ctx: Context) -> bool:
    """Whether the module's plan can have a blocker (KC109): only a plan that changes the module's library
    can, and under ``tf-keras`` only an import changes it (under ``keras3`` a ``tf.keras.X`` attribute too).
    Most modules import nothing that moves: the plan is not made for them."""
    target = ctx.settings.target
    if target == "keras3":
        return True
    moving = moving_flavours(target)
    return any(_moves(record, moving) for record in ctx.imports)


def module_plan(ctx: Context) -> Plan:
    """The plan of ``ctx``'s module (computed once per context)."""
    found = ctx.memo.get("migration plan")
    if found is None:
        found = ctx.memo["migration plan"] = _Planner(ctx).plan()
    return found  # type: ignore[return-value]


class _Spec(Record, mutable=True):
    """One import to write: ``from module import name as bound`` (name None: ``import module as bound``)."""

    module: str
    name: str | None
    bound: str | None

    def __init__(self, module: str, name: str | None, bound: str | None) -> None:
        # Written out (tests/test_record.py checks it against the fields): one per imported name of every
        # module the planner reads.
        values = self.__dict__
        values["module"], values["name"], values["bound"] = module, name, bound

    def render(self) -> str:
        if self.name is None:
            return f"import {self.module}" + (f" as {self.bound}" if self.bound else "")
        return f"from {self.module} import {self.name}" + (f" as {self.bound}" if self.bound else "")


class _Blocked(Exception):
    """A binding without a spelling in the surface."""

    def __init__(self, node: ast.AST, name: str, why: str, advice: str) -> None:
        super().__init__(why)
        self.blocker = Blocker(node, name, why, advice)


class _Planner:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.target = ctx.settings.target
        self.surface = target_surface(self.target)
        self.root = target_root(self.target)
        self.moving = moving_flavours(self.target)
        # answers per name (a module that imports one name many times asks the same question each time)
        # the blockers, not the exceptions: a kept exception's traceback holds the frames that hold this
        # planner, a reference cycle (garbage only the cyclic collector frees)
        self._alias_checked: dict[tuple[str, str, str], Blocker | None] = {}
        self._blocked_uses: dict[tuple[str, str], str | None] = {}
        self._renamed: dict[tuple[str, str, str], list[Edit] | None] = {}
        self._keras_moves: bool | None = None
        #: whether to write the edits, or only decide (the blocker): see the module's docstring
        self.edits = ctx.wants_fixes

    # -- entry -----------------------------------------------------------------------------------------
    def plan(self) -> Plan:
        ctx = self.ctx
        plan = Plan(self.root, self.surface.label)
        statements: dict[int, tuple[ast.Import | ast.ImportFrom, list[ImportRecord]]] = {}
        for record in ctx.imports:
            if _planned(record):
                statements.setdefault(id(record.node), (record.node, []))[1].append(record)
        edits: list[Edit] = []
        blockers: list[Blocker] = []
        changes_library = False
        for node, records in statements.values():
            moving = [r for r in records if _moves(r, self.moving)]
            if moving:
                plan.moving.add(id(node))
                try:
                    edits += self._statement(node, records, self.root, self.surface)
                except _Blocked as exc:
                    blockers.append(exc.blocker)
                changes_library = True
            elif self.edits and any(r.keras is not None and is_private(r.keras) for r in records):
                self._local(plan, node, records)
        for outer, chain_edits, moves in self._chains() if self.edits else ():
            if moves:
                plan.moving.add(id(outer))
                edits += chain_edits
            elif chain_edits:
                plan.local[id(outer)] = Fix("Use the public module path", tuple(chain_edits), Safety.SAFE)
        if self.target == "keras3":
            attr_edits, attr_blockers = self._tf_keras_attributes(plan)
            edits += attr_edits
            blockers += attr_blockers
            changes_library = changes_library or bool(attr_edits) or bool(attr_blockers)
        if not changes_library:
            return plan
        if blockers:
            plan.blocker = min(blockers, key=lambda b: (getattr(b.node, "lineno", 0), getattr(b.node, "col_offset", 0)))
            return plan
        if edits:
            plan.fix = Fix(f"Import from {self.root}", tuple(_dedupe(edits)), Safety.UNSAFE)
        return plan

    def _local(self, plan: Plan, node: ast.Import | ast.ImportFrom, records: list[ImportRecord]) -> None:
        """A safe fix for a private path that stays in its library (the public path of the same library).
        An import of a moving flavour has none: it is part of the transaction (a same-library step would only
        trade one import finding for another)."""
        name = records[0].keras
        assert name is not None
        surface = self._own_surface(name)
        if surface is None:
            return
        try:
            own = self._statement(node, records, own_root(name), surface)
        except _Blocked as exc:
            plan.local_why[id(node)] = f"{exc.blocker.name} {exc.blocker.why}"
            return
        if own:
            plan.local[id(node)] = Fix(f"Import from the public {own_root(name)} API", tuple(own), Safety.SAFE)

    def _own_surface(self, name: KerasName) -> Surface | None:
        if name.flavour is Flavour.TF_KERAS_PKG:
            return _surface("tf-keras", "tf_keras")
        if name.flavour is Flavour.KERAS:
            return target_surface(self.target) if self.target == "keras3" else _surface("tf-keras", "tf_keras")
        if name.flavour is Flavour.TF_KERAS:
            return _surface("tf-keras", "tf_keras") if self.target == "tf-keras" else _surface("keras3", "tf.keras")
        return None

    # -- one statement ---------------------------------------------------------------------------------------
    def _statement(self, node: ast.Import | ast.ImportFrom, records: list[ImportRecord], root: str,
                   surface: Surface) -> list[Edit]:
        """Edits that respell ``node`` under ``root`` (plus renamed uses); raises :class:`_Blocked`."""
        by_alias = {id(r.alias): r for r in records}
        specs: list[_Spec | None] = []  # None: a non-Keras alias of an ``import a, b`` kept as it is
        keep: list[ast.alias] = []
        extra: list[Edit] = []
        for alias in node.names:
            record = by_alias.get(id(alias))
            if record is None or record.keras is None:
                specs.append(None)
                keep.append(alias)
                continue
            if isinstance(node, ast.ImportFrom):
                spec, edits = self._from_item(record, root, surface)
            else:
                spec, edits = self._import_item(record, root, surface)
            extra += edits
            if spec is not None:
                specs.append(spec)
                keep.append(alias)
        return self._render(node, specs, keep) + extra if self.edits else []

    def _from_item(self, record: ImportRecord, root: str, surface: Surface) -> tuple[_Spec | None, list[Edit]]:
        name = record.keras
        alias = record.alias
        assert name is not None and isinstance(record.node, ast.ImportFrom)
        if alias.name == "*":
            module = keras_name(record.node.module or "")
            assert module is not None
            path = canonical(module.raw) if module.raw else ""
            if path != "" and not surface.has_module(path):
                raise _Blocked(alias, module.qualname, f"has no equivalent in {surface.label}",
                               "import the names it provides from their public modules")
            return _Spec(_join(root, path), "*", None), []
        bound = alias.asname or alias.name
        raw, path = name.raw, name.path
        if not raw:  # from tensorflow import keras [as k]
            if not self._module_uses_ok(bound, "", surface):
                raise self._use_blocker(alias, bound, "", surface)
            return self._root_spec(root, alias.asname), []
        # the target first: asking for Keras 3's surface loads it (14 M instructions) under tf-keras too
        if self.target == "keras3" and surface is native_keras3_surface() and _in_shim_only(raw):
            raise _Blocked(alias, name.qualname, f"has no equivalent in {surface.label}", shim_advice(raw))
        renames = knowledge.class_renames()
        entry = renames.get(raw) or renames.get(path)
        if raw in _MODULE_OR_FUNCTION and (self._called(bound) or not self._used(bound)):
            entry = renames.get(raw)  # ``merge`` called: the Keras 1 function, not the Keras 2 module
            path = raw
        elif surface.has_module(path) and path:
            if not self._module_uses_ok(bound, path, surface):
                raise self._use_blocker(alias, bound, path, surface)
            self._check_alias_uses(alias, bound, name, path, surface)
            parent, _, leaf = path.rpartition(".")
            return _Spec(_join(root, parent), leaf, bound if bound != leaf else None), []
        leaf = path.rpartition(".")[2]
        if surface.has_name(path) and (leaf == alias.name or _drop_in_move(raw)):
            parent = path.rpartition(".")[0]
            return _Spec(_join(root, parent), leaf, bound if bound != leaf else None), []
        if entry is not None and entry.fixable and entry.new and surface.has_name(entry.new):
            parent, _, new_leaf = entry.new.rpartition(".")
            if alias.asname is not None:
                return _Spec(_join(root, parent), new_leaf, alias.asname), []
            uses = self._rename_uses(record, new_leaf) if self.edits else None  # only deciding: nothing renamed
            if uses is None:
                return _Spec(_join(root, parent), new_leaf, alias.name), []
            return _Spec(_join(root, parent), new_leaf, None), uses
        homes = surface.modules_exporting(alias.name) if alias.name[:1].isupper() and entry is None else []
        if homes and knowledge.module_move(raw) is None:
            # a class that multi-backend Keras re-exported from another module (keras.models.Input)
            return _Spec(_join(root, homes[0]), alias.name, alias.asname), []
        if not self._used(bound):
            return None, []  # an unused import of a name the target lacks: dropped
        advice = "replace it first"
        if entry is not None:
            advice += f" (KC203: {entry.note or 'no drop-in replacement'})"
        else:
            move = knowledge.module_move(raw)
            if move is not None and move.note:
                advice += f" ({move.note})"
        raise _Blocked(alias, name.qualname, f"has no equivalent in {surface.label}", advice)

    def _import_item(self, record: ImportRecord, root: str, surface: Surface) -> tuple[_Spec | None, list[Edit]]:
        name = record.keras
        alias = record.alias
        assert name is not None
        path = canonical(name.raw) if name.raw else ""
        if path and not surface.has_module(path):
            raise _Blocked(alias, name.qualname, f"has no equivalent module in {surface.label}", "replace it first")
        if alias.asname is None:
            if "." not in alias.name:  # import keras
                return self._root_spec(root, None), []
            if alias.name.split(".")[0] != own_root(name).split(".")[0] or own_root(name) != "keras":
                raise _Blocked(alias, name.qualname, "binds the top-level package, whose other uses cannot be "
                               "respelled", f"import the module with 'as' or from {root}")
            return self._root_spec(root, None), []  # import keras.utils.np_utils: binds ``keras``
        bound = alias.asname
        if not self._module_uses_ok(bound, path, surface):
            raise self._use_blocker(alias, bound, path, surface)
        self._check_alias_uses(alias, bound, name, path, surface)
        if not path:
            return self._root_spec(root, bound), []
        if root == "keras":
            return _Spec(f"keras.{path}", None, bound), []
        parent, _, leaf = path.rpartition(".")
        return _Spec(_join(root, parent), leaf, bound if bound != leaf else None), []

    @staticmethod
    def _root_spec(root: str, bound: str | None) -> _Spec:
        if root == "keras":
            return _Spec("keras", None, bound if bound != "keras" else None)
        parent, _, leaf = root.rpartition(".")
        return _Spec(parent, leaf, bound if bound != leaf else None)

    # -- uses -------------------------------------------------------------------------------------------------
    def _names(self, identifier: str) -> list[ast.Name]:
        return self.ctx.names(identifier)

    def _used(self, bound: str) -> bool:
        from keras_compat.rewrite import used  # the fixes' modules load when a plan needs them

        return used(self.ctx, bound)

    def _called(self, bound: str) -> bool:
        parents = self.ctx.parents
        for name in self._names(bound):
            parent = parents.get(name)
            if isinstance(parent, ast.Call) and parent.func is name:
                return True
        return False

    def _module_uses_ok(self, bound: str, path: str, surface: Surface) -> bool:
        """Under keras3, every name read through a moved module binding must exist in Keras 3 itself (the
        tf.keras shim has names Keras 3 lacks), and the module object must not be passed around."""
        return self._blocked_use(bound, path, surface) is None

    def _blocked_use(self, bound: str, path: str, surface: Surface) -> str | None:
        if self.target != "keras3":
            return None
        key = (bound, path)
        if key not in self._blocked_uses:
            self._blocked_uses[key] = self._find_blocked_use(bound, path)
        return self._blocked_uses[key]

    def _find_blocked_use(self, bound: str, path: str) -> str | None:
        for node in self._names(bound):
            if not isinstance(node.ctx, ast.Load):
                continue
            chain, _ = attribute_chain(self.ctx, node)
            if not chain:
                return path or "keras"  # the module object itself
            blocked = shim_only(path, chain)
            if blocked is not None:
                return blocked
        return None

    def _check_alias_uses(self, alias: ast.alias, bound: str, name: KerasName, path: str, surface: Surface) -> None:
        """A module imported under its old name from its new home (``objectives`` -> ``losses as
        objectives``) must serve every use: each name read through it must exist in the new module and must
        not be one the move renames to something that is not a drop-in (``initializations.normal`` was a
        function of (shape, name), ``initializers.RandomNormal`` is a class)."""
        if canonical(name.raw) == name.raw:
            return  # the same module: nothing changes for its uses
        key = (bound, name.raw, path)
        if key not in self._alias_checked:
            try:
                self._find_alias_blocker(alias, bound, name, path, surface)
                self._alias_checked[key] = None
            except _Blocked as exc:
                self._alias_checked[key] = exc.blocker
        found = self._alias_checked[key]
        if found is not None:
            raise _Blocked(alias, found.name, found.why, found.advice)

    def _find_alias_blocker(self, alias: ast.alias, bound: str, name: KerasName, path: str, surface: Surface) -> None:
        move = knowledge.module_move(name.raw)
        renamed = dict(move.names) if move is not None else {}
        for node in self._names(bound):
            if not isinstance(node.ctx, ast.Load):
                continue
            chain, _ = attribute_chain(self.ctx, node)
            if not chain:
                continue
            attr = chain[0]
            if attr in renamed and renamed[attr].rpartition(".")[2] != attr or \
                    not (surface.exports(path, attr) or surface.has_module(f"{path}.{attr}")):
                advice = "replace it first" + (f" ({move.note})" if move is not None and move.note else "")
                raise _Blocked(alias, f"{name.qualname}.{attr}", f"has no drop-in equivalent in {surface.label}",
                               advice)

    def _use_blocker(self, alias: ast.alias, bound: str, path: str, surface: Surface) -> _Blocked:
        used = self._blocked_use(bound, path, surface) or path
        if used == (path or "keras"):
            return _Blocked(alias, f"{bound}", "is used as a module object, which the tf.keras shim and Keras 3 "
                            "do not share", "use its attributes only")
        return _Blocked(alias, f"tensorflow.keras.{used}", f"has no equivalent in {surface.label}",
                        shim_advice(used))

    def _rename_uses(self, record: ImportRecord, new: str) -> list[Edit] | None:
        """Edits renaming every use of an imported name; None when the new name is taken or a use of the old
        name does not resolve to the import (the caller then keeps the old name as an alias)."""
        old = record.alias.name
        key = (old, record.qualname, new)
        if key in self._renamed:  # the uses are renamed once, by the first import of the name
            return [] if self._renamed[key] is not None else None
        self._renamed[key] = found = self._find_rename_uses(record, new)
        return found

    def _find_rename_uses(self, record: ImportRecord, new: str) -> list[Edit] | None:
        ctx = self.ctx
        old = record.alias.name
        if self._names(new) or ctx.resolver.module_scope.bindings.get(new):
            return None
        edits = []
        for node in self._names(old):
            if not isinstance(node.ctx, ast.Load) or ctx.qualname(node) != record.qualname:
                return None
            edits.append(ctx.replace(node, new))
        return edits

    # -- chains through private modules --------------------------------------------------------------------------
    def _chains(self) -> list[tuple[ast.AST, list[Edit], bool]]:
        """(outermost attribute, edits, moves with the transaction) for every chain that spells a private module
        (``keras.utils.np_utils.to_categorical`` -> ``keras.utils.to_categorical``)."""
        ctx = self.ctx
        out = []
        for attr in chains_through_moved(ctx):
            node: ast.AST = attr
            while isinstance(node, ast.Attribute):
                node = node.value
            if not isinstance(node, ast.Name) or not isinstance(attr.ctx, ast.Load) or ctx.in_compat_branch(attr):
                continue
            base = ctx.keras(node)
            if base is None or base.flavour is Flavour.TF_PYTHON:
                continue
            moves = base.flavour in self.moving
            surface = self.surface if moves else self._own_surface(base)
            if surface is None:
                continue
            edit = self._chain_edit(attr, node, base, surface)
            if edit is not None or moves:
                out.append((attr, [edit] if edit is not None else [], moves))
        return out

    def _chain_edit(self, outer: ast.Attribute, base_node: ast.Name, base: KerasName, surface: Surface) -> Edit | None:
        """Respell the longest prefix of a chain whose public path exists in ``surface``."""
        ctx = self.ctx
        attrs: list[ast.Attribute] = []
        node: ast.AST = outer
        while isinstance(node, ast.Attribute):
            attrs.append(node)
            node = node.value
        attrs.reverse()
        base_path = canonical(base.raw) if base.raw else ""
        best: tuple[ast.Attribute, str] | None = None
        raw = base.raw
        for attr in attrs:
            raw = f"{raw}.{attr.attr}" if raw else attr.attr
            path = canonical(raw)
            if not (surface.has_module(path) or surface.has_name(path)):
                break
            if base_path and not path.startswith(base_path + "."):
                break
            best = (attr, path[len(base_path) + 1:] if base_path else path)
        if best is None:
            return None
        attr, rel = best
        spelled = ctx.segment(attr)
        wanted = f"{base_node.id}.{rel}"
        if re.sub(r"\s+", "", spelled) == wanted:
            return None
        return ctx.replace(attr, wanted)

    # -- keras3: tf.keras.X through ``import tensorflow as tf`` ---------------------------------------------------
    def _tf_keras_attributes(self, plan: Plan) -> tuple[list[Edit], list[Blocker]]:
        ctx = self.ctx
        edits: list[Edit] = []
        blockers: list[Blocker] = []
        for attr in ctx.attributes:
            if attr.attr != "keras" or not isinstance(attr.value, (ast.Name, ast.Attribute)):
                continue
            if ctx.qualname(attr) != "tensorflow.keras" or ctx.in_compat_branch(attr) or in_fallback(ctx, attr):
                continue
            chain, outer = attribute_chain(ctx, attr)
            plan.moving.add(id(outer))
            public = self._public_chain(attr, chain)
            blocked = shim_only("", chain) if public is None else None
            if blocked is not None:
                blockers.append(Blocker(outer, f"tensorflow.keras.{blocked}", f"has no equivalent in "
                                        f"{self.surface.label}", shim_advice(blocked)))
                continue
            if self._keras_moves_too():
                spelled = ("keras", None)
            else:
                from keras_compat.importer import ensure_import  # loaded when a plan needs it

                spelled = ensure_import(ctx, "keras", "keras", at=attr)
            if spelled is None:
                blockers.append(Blocker(outer, ctx.segment(attr), "cannot be respelled: the name 'keras' is "
                                        "bound to something else", "rename that binding"))
                continue
            name, import_edit = spelled
            if public is not None:  # tf.keras.layers.experimental.preprocessing.X -> keras.layers.X
                node, path = public
                edits.append(ctx.replace(node, f"{name}.{path}"))
            else:
                edits.append(ctx.replace(attr, name))
            if import_edit is not None:
                edits.append(import_edit)
        return edits, blockers

    def _keras_moves_too(self) -> bool:
        """Whether the name ``keras`` is bound only by imports of ``tensorflow.keras`` itself (``from tensorflow
        import keras``), which the same transaction turns into ``import keras``: then ``tf.keras.X`` can be
        spelled ``keras.X`` without another import."""
        if self._keras_moves is None:
            bindings = self.ctx.resolver.module_scope.bindings.get("keras", [])
            self._keras_moves = bool(bindings) and all(
                b.kind == "import" and b.qualname == "tensorflow.keras" for b in bindings) and not any(
                scope.bindings.get("keras") for scope in self.ctx.resolver.scopes.values()
                if scope is not self.ctx.resolver.module_scope)
        return self._keras_moves

    def _public_chain(self, attr: ast.Attribute, chain: list[str]) -> tuple[ast.AST, str] | None:
        """For a chain through a moved module (``layers.experimental.preprocessing.Rescaling``): the attribute
        node that ends at the Keras name and its public path in Keras 3 (``layers.Rescaling``)."""
        node: ast.AST = attr
        found = None
        raw = ""
        for part in chain:
            parent = self.ctx.parent(node)
            if not isinstance(parent, ast.Attribute):
                break
            node = parent
            raw = f"{raw}.{part}" if raw else part
            path = canonical(raw)
            if path != raw and (self.surface.has_name(path) or self.surface.has_module(path)):
                found = (node, path)
        return found

    # -- rendering -------------------------------------------------------------------------------------------------
    def _render(self, node: ast.Import | ast.ImportFrom, specs: list[_Spec | None],
                keep: list[ast.alias]) -> list[Edit]:
        ctx = self.ctx
        kept = [(s, a) for s, a in zip(specs, keep)]
        if isinstance(node, ast.ImportFrom) and kept and all(s is not None and s.name is not None for s, _ in kept) \
                and len({s.module for s, _ in kept if s is not None}) == 1 and len(kept) == len(node.names):
            return self._respell_from(node, kept)  # type: ignore[arg-type]
        texts: list[str] = []
        for spec, alias in kept:
            if spec is None:
                texts.append(f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else ""))
            elif texts and spec.name not in (None, "*") and texts[-1].startswith(f"from {spec.module} import ") \
                    and " *" not in texts[-1]:
                texts[-1] += ", " + spec.render().split(" import ", 1)[1]
            else:
                texts.append(spec.render())
        line, col, end_line, end_col = ctx.range(node)
        if not texts:
            return [self._delete_statement(node)]
        prefix = ctx.positions.line_text(line)[:col]
        joiner = "\n" + prefix if not prefix.strip() else "; "
        return [Edit(line, col, end_line, end_col, joiner.join(texts))]

    def _respell_from(self, node: ast.ImportFrom, kept: list[tuple[_Spec, ast.alias]]) -> list[Edit]:
        """``from <module> import a, b as c``: the module name, and the names that change, edited in place."""
        ctx = self.ctx
        module = kept[0][0].module
        edits = []
        line, mcol, _, mend = _module_span(ctx, node)
        if ctx.positions.line_text(line)[mcol:mend] != module:
            edits.append(Edit(line, mcol, line, mend, module))
        for spec, alias in kept:
            if alias.name == "*":
                continue
            aline, acol, aend_line, aend_col = ctx.range(alias)
            wanted = spec.name + (f" as {spec.bound}" if spec.bound else "")
            current = alias.name + (f" as {alias.asname}" if alias.asname else "")
            if wanted != current:
                edits.append(Edit(aline, acol, aend_line, aend_col, wanted))
        return edits

    def _delete_statement(self, node: ast.stmt) -> Edit:
        from keras_compat.rewrite import delete_statement

        return delete_statement(self.ctx, node)


#: Paths that are a module in Keras 2 and a function or class in Keras 1 (``keras.layers.merge``).
_MODULE_OR_FUNCTION = frozenset({"layers.merge"})


def _drop_in_move(raw: str) -> bool:
    """Whether a module move that renames a name is a drop-in (``engine.training.Network`` -> ``Model``)."""
    move = knowledge.module_move(raw)
    return move is not None and move.old.split(".")[-1] in _ENGINE_MODULES and move.old.split(".")[0] in ("engine", "src")


_ENGINE_MODULES = frozenset({"engine", "topology", "base_layer", "input_layer", "input_spec", "network", "functional",
                             "training", "sequential", "saving"})


def _join(root: str, path: str) -> str:
    return f"{root}.{path}" if path else root


def _dedupe(edits: list[Edit]) -> list[Edit]:
    seen: set[Edit] = set()
    out = []
    for edit in edits:
        if edit not in seen:
            seen.add(edit)
            out.append(edit)
    return out


def _module_span(ctx: Context, node: ast.ImportFrom) -> tuple[int, int, int, int]:
    """Character range of the module name in ``from <module> import ...``."""
    line, col, _, _ = ctx.range(node)
    text = ctx.positions.line_text(line)
    # ``from\s+<module>`` at ``col``, without compiling a regular expression per module name
    module, start = node.module or "", col + 4
    end = start
    while end < len(text) and text[end].isspace():
        end += 1
    if not text.startswith("from", col) or end == start or not text.startswith(module, end):
        return ctx.range(node)
    return line, end, line, end + len(module)


# -- keras3 shim helpers (shared with KC107) ----------------------------------------------------------------------
# They import the Keras 3 table when called: only the keras3 target asks, and under tf-keras flake8 would load
# it for nothing on every run.

def shim_only(module: str, attrs: list[str]) -> str | None:
    """The first name along ``module.attr1.attr2...`` that Keras 3 itself lacks: one only the tf.keras shim
    provides, or one missing from both (``layers.experimental``), so that rewriting ``tf.keras`` to
    ``keras`` would not give a working spelling."""
    from keras_compat.data.keras3 import KERAS3_MODULES, KERAS3_SHIM_ONLY, KERAS3_SHIM_ONLY_MODULES  # keras3 only

    current = module
    for attr in attrs:
        sub = f"{current}.{attr}" if current else attr
        if attr in KERAS3_SHIM_ONLY.get(current, ()) or sub in KERAS3_SHIM_ONLY_MODULES:
            return sub
        if sub not in KERAS3_MODULES:
            # a class or function of a public module ends the chain (the rest are its members)
            return None if native_keras3_surface().exports(current, attr) else sub
        current = sub
    return None


def _in_shim_only(path: str) -> bool:
    """A name or module only the tf.keras shim of Keras 3 has (``preprocessing.image.ImageDataGenerator``)."""
    from keras_compat.data.keras3 import KERAS3_SHIM_ONLY, KERAS3_SHIM_ONLY_MODULES

    module, _, name = path.rpartition(".")
    return path in KERAS3_SHIM_ONLY_MODULES or name in KERAS3_SHIM_ONLY.get(module, ())


def shim_advice(blocked: str) -> str:
    from keras_compat.data.keras3 import KERAS3_SHIM_ONLY, KERAS3_SHIM_ONLY_MODULES

    module, _, name = blocked.rpartition(".")
    if blocked in KERAS3_SHIM_ONLY_MODULES or name in KERAS3_SHIM_ONLY.get(module, ()):
        return "only the tf.keras shim of Keras 3 has it: port that code to the Keras 3 API first"
    return "Keras 3 has no such name: replace it first"


def attribute_chain(ctx: Context, node: ast.AST) -> tuple[list[str], ast.AST]:
    """Attribute names read off ``node`` (``K`` in ``K.mean(x)`` -> ["mean"]) and the outermost attribute."""
    chain: list[str] = []
    current = node
    parent = ctx.parent(current)
    while isinstance(parent, ast.Attribute) and parent.value is current:
        chain.append(parent.attr)
        current, parent = parent, ctx.parent(parent)
    return chain, current


_FALLBACK_ERRORS = {"ImportError", "ModuleNotFoundError", "AttributeError"}


def _catches_fallback(handler: ast.ExceptHandler) -> bool:
    """``except ImportError|ModuleNotFoundError|AttributeError`` named explicitly (not a catch-all)."""
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type] if handler.type else []
    return any((t.attr if isinstance(t, ast.Attribute) else getattr(t, "id", "")) in _FALLBACK_ERRORS for t in types)


def in_fallback(ctx: Context, node: ast.AST) -> bool:
    """Inside a ``try``/``except ImportError|AttributeError`` (one side is a fallback for the other)."""
    child = node
    for parent in ctx.ancestors(node):
        if isinstance(parent, ast.Try) and any(_catches_fallback(h) for h in parent.handlers):
            if in_body(parent, child) or isinstance(child, ast.ExceptHandler) and \
                    _catches_fallback(child):
                return True
        child = parent
    return False
