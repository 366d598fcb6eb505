"""What a rule sees: the parsed module, name resolution, indexes of interesting nodes, and helpers.

The context is built once per file by one traversal; rules iterate over its indexes instead of walking
the tree again, and report through :meth:`Context.report` so positions and messages are uniform.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from keras_compat.diagnostics import Diagnostic, Edit, Fix, Safety
from keras_compat.guards import ImportGuard, import_guard, import_modules, in_switch_branch
from keras_compat.names import KerasName, keras_name
from keras_compat.registry import REGISTRY
from keras_compat.resolver import Resolver
from keras_compat.settings import Settings
from keras_compat.source import Positions


@dataclass(frozen=True)
class ImportRecord:
    """One imported name (``import a.b`` or ``from a import b``) with its Keras classification."""

    node: ast.Import | ast.ImportFrom
    alias: ast.alias
    qualname: str  # what is imported: "keras.backend" or "keras.layers.Dense"
    keras: KerasName | None
    guard: ImportGuard
    in_function: bool


class Context:
    """Per-file analysis state shared by the rules."""

    def __init__(self, tree: ast.Module, text: str, settings: Settings, filename: str = "<string>") -> None:
        self.tree = tree
        self.text = text
        self.filename = filename
        self.settings = settings
        self.positions = Positions(text)
        self.parents: dict[int, ast.AST] = {}
        self.calls: list[ast.Call] = []
        self.attributes: list[ast.Attribute] = []
        self.classes: list[ast.ClassDef] = []
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.import_nodes: list[ast.Import | ast.ImportFrom] = []
        self.compares: list[ast.Compare] = []
        self.subscript_assigns: list[ast.Assign] = []
        self._index()
        from keras_compat.knowledge import star_exports

        self.resolver = Resolver(tree, self.parents, star_exports)

    def _index(self) -> None:
        parents = self.parents
        stack: list[ast.AST] = [self.tree]
        while stack:
            node = stack.pop()
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
                stack.append(child)
            if isinstance(node, ast.Call):
                self.calls.append(node)
            elif isinstance(node, ast.Attribute):
                self.attributes.append(node)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                self.import_nodes.append(node)
            elif isinstance(node, ast.ClassDef):
                self.classes.append(node)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions.append(node)
            elif isinstance(node, ast.Compare):
                self.compares.append(node)
        key = lambda n: (n.lineno, n.col_offset)  # noqa: E731  (source order for stable output)
        for nodes in (self.calls, self.attributes, self.import_nodes, self.classes, self.functions, self.compares):
            nodes.sort(key=key)  # type: ignore[arg-type]

    # -- resolution ---------------------------------------------------------------------------
    def qualname(self, expr: ast.AST) -> str | None:
        return self.resolver.qualname(expr)

    def keras(self, expr: ast.AST) -> KerasName | None:
        """The Keras name an expression denotes, or None."""
        qualname = self.resolver.qualname(expr)
        if qualname is None:
            return None
        for alias in self.settings.extra_backend_aliases:  # a project's own re-export of the backend
            if qualname == alias or qualname.startswith(alias + "."):
                qualname = "keras.backend" + qualname[len(alias):]
                break
        return keras_name(qualname)

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(id(node))

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.parents.get(id(node))
        while current is not None:
            yield current
            current = self.parents.get(id(current))

    def in_compat_branch(self, node: ast.AST) -> bool:
        return in_switch_branch(node, self.parents)

    @cached_property
    def imports(self) -> list[ImportRecord]:
        records = []
        for node in self.import_nodes:
            if isinstance(node, ast.ImportFrom) and node.level:
                continue
            guard = import_guard(node, self.parents)
            in_function = any(isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                              for a in self.ancestors(node))
            for alias, qualname in zip(node.names, import_modules(node)):
                records.append(ImportRecord(node, alias, qualname, keras_name(qualname), guard, in_function))
        return records

    @cached_property
    def uses_keras(self) -> bool:
        """Whether the module imports Keras in any flavour (or a project re-export of it)."""
        for node in self.import_nodes:
            if isinstance(node, ast.ImportFrom) and node.level:
                if any("keras" in a.name.lower() or a.name == "K" for a in node.names) or \
                        "keras" in (node.module or "").lower():
                    return True
                continue
            for qualname in import_modules(node):
                if keras_name(qualname) is not None or qualname.split(".")[0] == "tensorflow":
                    return True
        return False

    # -- reporting ----------------------------------------------------------------------------
    def range(self, node: ast.AST) -> tuple[int, int, int, int]:
        return self.positions.node_range(node)

    def segment(self, node: ast.AST) -> str:
        return self.positions.segment(node)

    def report(self, code: str, node: ast.AST | tuple[int, int, int, int], fix: Fix | None = None,
               **fields: object) -> Diagnostic:
        """Build a diagnostic for rule ``code`` at ``node`` (or an explicit character range)."""
        rule = REGISTRY[code]
        line, col, end_line, end_col = node if isinstance(node, tuple) else self.range(node)
        values = {k: str(v) for k, v in fields.items()}
        return Diagnostic(code, rule.render(**values), line, col, end_line, end_col, fix, values)

    def replace(self, node: ast.AST, content: str) -> Edit:
        line, col, end_line, end_col = self.range(node)
        return Edit(line, col, end_line, end_col, content)

    def fix(self, title: str, edits: list[Edit] | tuple[Edit, ...], safe: bool) -> Fix:
        return Fix(title, tuple(edits), Safety.SAFE if safe else Safety.UNSAFE)
