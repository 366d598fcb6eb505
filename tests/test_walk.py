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
