"""Round trip over the whole realism corpus: ``--fix --unsafe-fixes``, then every file still parses, a
second fix changes nothing, no applicable fix is reported any more, and the only AST differences are the
kinds of change our fixes make (import rewrites, renamed keywords/names/attributes, packed positional
arguments, added imports)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.realism import PACKAGES, package_root

pytestmark = pytest.mark.slow

IMPORTS = (ast.Import, ast.ImportFrom)
NAMES = (ast.Name, ast.Attribute)


def _stmts_without_imports(body: list) -> list:
    return [s for s in body if not isinstance(s, IMPORTS)]


def unintended(a: object, b: object, where: str = "") -> list[str]:
    """Differences between two ASTs that no fix is meant to make."""
    if isinstance(a, ast.AST) and isinstance(b, ast.AST):
        if type(a) is not type(b):
            both = any(isinstance(a, kinds) and isinstance(b, kinds) for kinds in (IMPORTS, NAMES))
            if both:
                return []
            line = getattr(a, "lineno", "?")
            return [f"{where}: {type(a).__name__} became {type(b).__name__} (line {line})"]
        if isinstance(a, (*IMPORTS, ast.alias)):
            return []  # import rewrites (KC101/KC103)
        out = []
        for name in a._fields:
            out += unintended(getattr(a, name), getattr(b, name), f"{where}.{type(a).__name__}.{name}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            if a and isinstance(a[0], ast.stmt) or b and isinstance(b[0], ast.stmt):
                return unintended(_stmts_without_imports(a), _stmts_without_imports(b),
                                  where)  # added imports
            if where.endswith((".Call.args", ".Call.keywords")):
                return []  # positional arguments packed into a tuple or moved to keywords (KC202)
            return [f"{where}: {len(a)} items became {len(b)}"]
        out = []
        for x, y in zip(a, b):
            out += unintended(x, y, where)
        return out
    if a != b and not where.endswith((".Name.id", ".Attribute.attr", ".keyword.arg", ".Constant.value")):
        return [f"{where}: {a!r} became {b!r}"]
    return []


def test_unintended_detects_real_changes() -> None:
    before = ast.parse("def f(x):\n    return x + 1\nfrom keras import layers\nlayers.Dense(output_dim=3)\n")
    ok = ast.parse("def f(x):\n    return x + 1\nfrom tensorflow.keras import layers\n"
                   "layers.Dense(units=3)\n")
    bad = ast.parse("def f(x):\n    return x - 1\nfrom keras import layers\nlayers.Dense(output_dim=3)\n")
    assert unintended(before, ok) == []
    assert unintended(before, bad)


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for name, version in PACKAGES:
        shutil.copytree(package_root(name, version), root / f"{name}-{version}")
    return root


@pytest.mark.network
def test_fix_round_trip_over_the_realism_corpus(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    before = {p: p.read_bytes() for p in root.rglob("*.py")}
    cmd = [sys.executable, "-m", "keras_compat", "check", "--isolated", "--no-cache", "-q", "--unsafe-fixes"]
    proc = subprocess.run([*cmd, "--fix", str(root)], capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr and "KC000" not in proc.stdout, proc.stderr[-3000:]
    after = {p: p.read_bytes() for p in root.rglob("*.py")}
    changed = [p for p in before if before[p] != after[p]]
    assert changed, "the corpus is legacy Keras code: something must be fixable"
    problems = []
    for path in changed:
        try:
            old_tree = ast.parse(before[path])
        except SyntaxError:
            problems.append(f"{path}: an unparsable file was modified")
            continue
        new_tree = ast.parse(after[path])  # every fixed file parses
        problems += [f"{path.relative_to(root)}{d}" for d in unintended(old_tree, new_tree)]
    assert not problems, "\n".join(problems[:30])
    # idempotence: a second pass changes nothing and nothing applicable is reported any more
    again = subprocess.run([*cmd, "--fix", str(root)], capture_output=True, text=True, timeout=300)
    assert {p: p.read_bytes() for p in root.rglob("*.py")} == after
    assert "[*]" not in again.stdout
    check = subprocess.run([*cmd, str(root)], capture_output=True, text=True, timeout=300)
    assert "[*]" not in check.stdout
