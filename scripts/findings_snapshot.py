"""Every finding and fix of keras-compat on the benchmark's user-code corpus, to prove a speed-up changes none.

Usage::

    python scripts/findings_snapshot.py OUT.json [--work DIR]     # write a snapshot
    python scripts/findings_snapshot.py --compare A.json B.json    # exit 1 and list the differences

A snapshot holds, for each file of ``scripts/bench.py``'s user-code corpus (the realism packages and its
extra legacy projects) and each target (``tf-keras``, ``keras3``): every finding of the core with every rule
on (``run_all``, as pylint asks; the project index on, as in every front-end) with its message, range, fields
and fix edits; the findings of the flake8 plugin as flake8 calls it (its text gate, its default selection,
the tree flake8 parsed); and the text ``fix_text`` makes of the file with unsafe fixes (as a SHA-256 with
the number of passes and the codes applied). An optimisation must leave the snapshot identical.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))


def _diagnostic(d: object) -> list[object]:
    fix = d.fix  # type: ignore[attr-defined]
    edits = None if fix is None else [fix.title, fix.safety.value,
                                      [[e.line, e.col, e.end_line, e.end_col, e.content] for e in fix.edits]]
    return [d.code, d.line, d.col, d.end_line, d.end_col, d.message, sorted(d.fields.items()), edits]  # type: ignore


def snapshot(files: list[Path], corpus: Path) -> dict[str, object]:
    from flake8_keras_compat import KerasCompatChecker
    from keras_compat import project
    from keras_compat.engine import lint_source
    from keras_compat.fixes import FixError, fix_text
    from keras_compat.settings import TARGETS, Settings
    from keras_compat.source import SourceError, decode

    out: dict[str, object] = {}
    for target in TARGETS:
        core, flake8, fixed = {}, {}, {}
        every_rule = Settings(target=target, run_all=True)
        default = Settings(target=target)
        KerasCompatChecker._settings = default
        with project.remembered():
            for path in files:
                name, data = str(path), path.read_bytes()
                key = str(path.relative_to(corpus))
                core[key] = [_diagnostic(d) for d in lint_source(data, name, every_rule)]
                try:
                    text = decode(data).text
                    tree = ast.parse(text)
                except (SourceError, SyntaxError, ValueError):
                    continue
                checker = KerasCompatChecker(tree, text.splitlines(keepends=True), name)
                flake8[key] = [list(f[:3]) for f in checker.run()]
                try:
                    result = fix_text(text, name, default, unsafe=True)
                except FixError as exc:
                    fixed[key] = ["FixError", str(exc)]
                    continue
                if result.applied:
                    fixed[key] = [hashlib.sha256(result.text.encode()).hexdigest(), result.passes,
                                  sorted(d.code for d in result.applied), result.converged]
        out[target] = {"core": core, "flake8": flake8, "fixed": fixed}
    return out


def compare(a: dict, b: dict) -> list[str]:
    differences = []
    for target in sorted(set(a) | set(b)):
        for part in ("core", "flake8", "fixed"):
            left, right = a.get(target, {}).get(part, {}), b.get(target, {}).get(part, {})
            for key in sorted(set(left) | set(right)):
                if left.get(key) != right.get(key):
                    differences.append(f"{target} {part} {key}:\n  - {left.get(key)}\n  + {right.get(key)}")
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/keras-compat-bench"))
    ns = parser.parse_args()
    if ns.compare:
        differences = compare(*(json.loads(p.read_text()) for p in ns.compare))
        for difference in differences:
            print(difference)
        counts = [sum(len(v) for t in json.loads(p.read_text()).values() for v in t["core"].values())
                  for p in ns.compare]
        print(f"{len(differences)} differences ({counts[0]} and {counts[1]} core findings)")
        raise SystemExit(1 if differences else 0)
    if ns.out is None:
        parser.error("give OUT.json or --compare A B")
    import os
    import tempfile

    os.environ.setdefault("KERAS_COMPAT_CACHE_DIR", tempfile.mkdtemp())  # the plugin's store: not the user's
    from bench import build_corpus, corpus_files, is_library

    corpus = build_corpus(ns.work)
    files = [p for p in corpus_files(corpus) if not is_library(str(p.relative_to(corpus)))]
    result = snapshot(files, corpus)
    ns.out.write_text(json.dumps(result, sort_keys=True))
    total = {t: sum(len(v) for v in r["core"].values()) for t, r in result.items()}  # type: ignore[union-attr]
    print(f"{len(files)} files; core findings {total}; written to {ns.out}")


if __name__ == "__main__":
    main()
