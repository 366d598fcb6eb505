"""Fix helper: make a module name available (``import tensorflow as tf``) for a rewrite.

:func:`ensure_import` returns the name under which ``module`` can be referred to at a given place, and
the edit that adds the import when the module has no binding for it yet. Identical insert edits produced
by several fixes are deduplicated by :func:`keras_compat.fixes.apply_fixes`.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from keras_compat.diagnostics import Edit

if TYPE_CHECKING:
    from keras_compat.context import Context


def _visible(ctx: Context, name: str, at: ast.AST | None) -> str | None:
    """Qualified name ``name`` denotes at ``at`` (module end when ``at`` is None)."""
    resolver = ctx.resolver
    if at is None:
        return resolver.lookup(name, resolver.module_scope, (1 << 30, 0))
    return resolver.lookup(name, resolver.scope_of(at), (getattr(at, "lineno", 0), getattr(at, "col_offset", 0)))


def _bound_anywhere(ctx: Context, name: str) -> bool:
    bound = ctx.memo.get("bound-anywhere")
    if bound is None:  # once per file, not once per fix: a pass over every scope per fix was quadratic
        bound = ctx.memo["bound-anywhere"] = frozenset(
            name for scope in ctx.resolver.scopes.values() for name in (*scope.bindings, *scope.globals))
    return name in bound or \
        bool(ctx.resolver.module_scope.star_modules)


def _import_names(ctx: Context, module: str) -> tuple[str, ...]:
    """Names that module-level imports bind to ``module`` and that still mean it at the module's end, once
    per file and module (a scan of every binding per fix was quadratic when a module imports it many times)."""
    memo: dict[str, tuple[str, ...]] = ctx.memo.setdefault("import-names", {})
    names = memo.get(module)
    if names is None:
        found = (binding.name for bindings in ctx.resolver.module_scope.bindings.values() for binding in bindings
                 if binding.kind == "import" and binding.qualname == module)
        names = memo[module] = tuple(name for name in dict.fromkeys(found) if _visible(ctx, name, None) == module)
    return names


def insertion_point(ctx: Context) -> tuple[int, int] | None:
    """Where a new top-level import goes: after the docstring and ``from __future__`` imports."""
    body = ctx.tree.body
    index = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and \
            isinstance(body[0].value.value, str):
        index = 1
    while index < len(body) and isinstance(body[index], ast.ImportFrom) and body[index].module == "__future__":
        index += 1
    if index < len(body):
        stmt = body[index]
        if stmt.col_offset != 0 or (index and body[index - 1].end_lineno == stmt.lineno):
            return None  # ``"""doc"""; import x`` on one line: refuse rather than guess
        line = stmt.lineno
        decorators = getattr(stmt, "decorator_list", None)
        if decorators:
            line = min(line, *(d.lineno for d in decorators))
        return line, 0
    if not body:
        return 1, 0
    last = body[-1]
    return (last.end_lineno or last.lineno) + 1, 0


def ensure_import(ctx: Context, module: str = "tensorflow", alias: str = "tf",
                  at: ast.AST | None = None) -> tuple[str, Edit | None] | None:
    """``(name, edit)``: how to spell ``module`` at ``at``, plus the import to add (None if present).

    An existing binding is reused (``import tensorflow as tfl`` -> ``"tfl"``). When there is none, the
    import ``import <module> as <alias>`` is inserted after the module docstring and ``__future__``
    imports. Returns None when ``alias`` is already bound to something else anywhere in the module (or a
    star import could bind it): the caller must then refuse its fix.
    """
    if _visible(ctx, alias, at) == module:
        return alias, None
    for name in _import_names(ctx, module):
        if _visible(ctx, name, at) == module:
            return name, None
    if _bound_anywhere(ctx, alias):
        return None
    point = insertion_point(ctx)
    if point is None:
        return None
    line, col = point
    statement = f"import {module} as {alias}" if alias != module else f"import {module}"
    # split like the tokenizer, so positions match the core's: the context's line table (built for the finding
    # this fix belongs to), not a split of the whole text per fix
    lines = ctx.positions.lines if ctx.text else []
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if line > len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        return alias, Edit.insert(line - 1, len(lines[-1]), newline + statement + newline)
    return alias, Edit.insert(line, col, statement + newline)
