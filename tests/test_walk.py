"""walk_statements gives walk's statements (and except/case clauses) in walk's order, nothing else."""

from __future__ import annotations

import ast
from pathlib import Path

from keras_compat.walk import walk, walk_statements

CLAUSES = (ast.stmt, ast.excepthandler, ast.match_case)

NESTED = '''
import a
def f(x=lambda: 0):
    import b
    try:
        import c
    except ImportError as e:
        import d
    else:
        from . import e
    finally:
        g = [y for y in x]
    class C:
        import h
    if x:
        pass
    elif x:
        import i
    match x:
        case [1, *rest] if rest:
            import j
        case _:
            while x:
                import k
            else:
                async def n():
                    async with x as y:
                        import m
'''


def _statements(tree: ast.AST) -> list[ast.AST]:
    return [node for node in walk(tree) if isinstance(node, CLAUSES)]


def test_nested_statements_in_walk_order() -> None:
    tree = ast.parse(NESTED)
    found = list(walk_statements(tree))
    assert found[0] is tree and found[1:] == _statements(tree)
    imports = [n.names[0].name for n in found if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert sorted(imports) == ["a", "b", "c", "d", "e", "h", "i", "j", "k", "m"]  # every one, at any depth


def test_walk_statements_on_real_files() -> None:
    root = Path(__file__).resolve().parent.parent
    checked = 0
    for path in sorted(root.rglob("*.py")):
        try:
            tree = ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            continue
        assert list(walk_statements(tree))[1:] == _statements(tree), path
        checked += 1
    assert checked > 100


def test_value_fields_are_the_asdl_ones() -> None:
    """The fields node_fields leaves out are exactly the child fields whose ASDL type (the first line of the
    node class's docstring, ``Global(identifier* names)``) is not a node type, on the running Python."""
    import re

    from keras_compat.walk import _VALUE_FIELDS, child_fields, node_fields

    values = set()
    for cls in vars(ast).values():
        if not (isinstance(cls, type) and issubclass(cls, ast.AST) and cls._fields):
            continue
        signature = re.match(r"\w+\((.*)\)$", (cls.__doc__ or "").split("\n")[0])
        if signature is None:  # the deprecated Num, Str... (instances are Constants)
            continue
        for kind, name in re.findall(r"(\w+)[?*]? (\w+)", signature.group(1)):
            if name in child_fields(cls) and kind in ("identifier", "string", "constant", "int", "object"):
                values.add((cls, name))
                assert name not in node_fields(cls)
    assert values == set(_VALUE_FIELDS)
