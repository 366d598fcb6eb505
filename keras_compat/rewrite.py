"""Fix helpers for rewrites that replace one Keras name by another (``merge`` -> ``concatenate``).

:func:`spell` answers "how do I write Keras API path ``layers.concatenate`` next to this reference to
``layers.merge``, in the same flavour, and what import does that need": the attribute chain's module prefix
(``L.merge`` -> ``L.concatenate``), an existing import of the new name, or the new name added to the import
statement that brought the old one (``from keras.layers import Input, merge`` -> ``..., merge, concatenate``;
the planner drops ``merge`` once nothing uses it). Every name written is checked against the target's API
surface for the reference's flavour; ``None`` means no fix.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from keras_compat.diagnostics import Edit
from keras_compat.walk import walk
from keras_compat.names import keras_name
from keras_compat.record import Record
from keras_compat.surface.model import surface_for

if TYPE_CHECKING:
    from keras_compat.context import Context, ImportRecord


class Spelled(Record):
    """How to write a Keras name at a place, and the edits that make it available there."""

    text: str
    edits: tuple[Edit, ...] = ()


def exists(ctx: Context, ref: ast.AST, path: str) -> bool:
    """Whether flavour-free ``path`` exists in the target's API for the flavour of ``ref``."""
    name = ctx.keras(ref)
    if name is None:
        return False
    surface = surface_for(name.flavour, ctx.settings.target)
    return surface is not None and (surface.has_name(path) or surface.has_module(path))


def spell(ctx: Context, ref: ast.AST, path: str) -> Spelled | None:
    """Spell flavour-free ``path`` (``layers.concatenate``) where ``ref`` (a Name or Attribute resolving to a
    Keras name of the same module) is written; None when there is no safe spelling."""
    if not exists(ctx, ref, path):
        return None
    module, _, leaf = path.rpartition(".")
    if isinstance(ref, ast.Attribute):
        prefix = ctx.keras(ref.value)
        if prefix is None or prefix.path != module or prefix.raw != module:
            return None  # the module is spelled through a private path: KC103's
        return Spelled(f"{ctx.segment(ref.value)}.{leaf}")
    if not isinstance(ref, ast.Name):
        return None
    record = import_of(ctx, ref)
    if record is None or not isinstance(record.node, ast.ImportFrom):
        return None
    statement = keras_name(record.node.module or "")
    if statement is None or statement.raw != module or statement.path != module:
        return None  # from a private module, or another module than the new name's
    wanted = f"{record.node.module}.{leaf}"
    for other in _imports_by_qualname(ctx).get(wanted, ()):
        bound = other.alias.asname or other.alias.name
        if ctx.resolver.lookup(bound, ctx.resolver.module_scope, (1 << 30, 0)) == wanted:
            return Spelled(bound)
    if ctx.resolver.module_scope.bindings.get(leaf) or ctx.resolver.module_scope.star_modules:
        return None  # the name is taken (or a star import may bind it)
    # after the statement's last name: fixes that add the same name to the same statement make the same edit
    _, _, end_line, end_col = ctx.range(record.node.names[-1])
    return Spelled(leaf, (Edit.insert(end_line, end_col, f", {leaf}"),))


def _imports_by_qualname(ctx: Context) -> dict[str, list[ImportRecord]]:
    """Module-level import records by what they import (built once per file: fixes ask per call)."""
    index = ctx.memo.get("rewrite imports")
    if index is None:
        index = {}
        for record in ctx.imports:
            if not record.in_function:
                index.setdefault(record.qualname, []).append(record)
        ctx.memo["rewrite imports"] = index
    return index  # type: ignore[return-value]


def import_of(ctx: Context, ref: ast.Name) -> ImportRecord | None:
    """The module-level ``from ... import`` record that binds ``ref``, when it is the only binding."""
    bindings = ctx.resolver.module_scope.bindings.get(ref.id, [])
    if len(bindings) != 1 or bindings[0].kind != "import":
        return None
    qualname = ctx.qualname(ref)
    found = [r for r in _imports_by_qualname(ctx).get(qualname or "", ()) if (r.alias.asname or r.alias.name) == ref.id]
    return found[0] if len(found) == 1 else None


def used(ctx: Context, name: str) -> bool:
    """Whether ``name`` occurs anywhere in the module other than in import statements (a conservative "the
    import is used": any ``Name`` node, and any string in a module-level ``__all__``)."""
    if ctx.names(name):
        return True
    exported = ctx.memo.get("__all__ strings")
    if exported is None:
        exported = ctx.memo["__all__ strings"] = _all_strings(ctx)
    return name in exported  # type: ignore[operator]


def _all_strings(ctx: Context) -> frozenset[str]:
    out: set[str] = set()
    for stmt in ctx.tree.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] \
            if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)) else []
        value = getattr(stmt, "value", None)
        if value is not None and any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            out.update(n.value for n in walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, str))
    return frozenset(out)


def drop_alias(ctx: Context, node: ast.Import | ast.ImportFrom, alias: ast.alias) -> Edit:
    """Remove one imported name from its statement (the statement itself when it is the only one)."""
    if len(node.names) == 1:
        return delete_statement(ctx, node)
    index = next(i for i, a in enumerate(node.names) if a is alias)
    if index > 0:
        start = ctx.range(node.names[index - 1])
        end = ctx.range(alias)
        return Edit(start[2], start[3], end[2], end[3], "")
    start = ctx.range(alias)
    end = ctx.range(node.names[1])
    return Edit(start[0], start[1], end[0], end[1], "")


def delete_statement(ctx: Context, node: ast.stmt) -> Edit:
    """Remove a statement: its whole lines when it is alone on them, else replace it with ``pass``."""
    line, col, end_line, end_col = ctx.range(node)
    before = ctx.positions.line_text(line)[:col]
    after = ctx.positions.line_text(end_line)[end_col:]
    parent = ctx.parent(node)
    body = next((getattr(parent, f) for f in ("body", "orelse", "finalbody") if node in getattr(parent, f, [])),
                []) if parent is not None else []
    if not before.strip() and not after.strip() and len(body) > 1:
        return Edit(line, 0, end_line + 1, 0, "")
    return Edit(line, col, end_line, end_col, "pass")
