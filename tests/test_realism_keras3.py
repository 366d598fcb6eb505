"""Realism under ``keras-target = keras3``: modern tf.keras libraries and hand-checked expectations.

``tests/realism/expected_keras3.txt`` lists lines of ``KERAS3_PACKAGES`` where a rule must fire under keras3 and
lines checked to be fine (``OK``: no finding of any code). The packages are downloaded and cached like the
main realism corpus (``tests/support/pypi.py``); the tests that need them are marked ``network``.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from support.realism import KERAS3_PACKAGES, load_keras3_expectations, package_files, package_root

from keras_compat.registry import all_rules

MIN_FINDINGS = 120
MIN_OK = 40


def test_keras3_expectations_file_is_well_formed() -> None:
    expectations = load_keras3_expectations()
    counts = Counter(e.code for e in expectations)
    codes = {r.code for r in all_rules() if r.default_enabled and r.runs_for("keras3")}
    unknown = sorted(set(counts) - codes - {"OK"})
    assert not unknown, f"codes that do not run by default under keras3: {unknown}"
    findings = sum(n for code, n in counts.items() if code != "OK")
    assert findings >= MIN_FINDINGS, f"only {findings} expected findings (need {MIN_FINDINGS})"
    assert counts["OK"] >= MIN_OK, f"only {counts['OK']} OK lines (need {MIN_OK})"
    by_line: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    for e in expectations:
        by_line[(e.package, e.relpath, e.line)].add(e.code)
    assert not {k: v for k, v in by_line.items() if "OK" in v and len(v) > 1}
    assert {e.package for e in expectations} == {name for name, _ in KERAS3_PACKAGES}
    assert {"keras-tcn", "kapre"} <= {name for name, _ in KERAS3_PACKAGES}
    # the Keras 3 rules themselves are exercised, not only the import-level ones
    assert {c for c in counts if c.startswith("KC5")} >= {"KC513", "KC532", "KC533", "KC534"}


def _lint(name: str, version: str) -> tuple[dict[tuple[str, int], set[str]], list[str]]:
    from keras_compat.engine import lint_source
    from keras_compat.settings import Settings

    root = package_root(name, version)
    settings = Settings(target="keras3")
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    errors = []
    for path in package_files(name, version):
        rel = path.relative_to(root).as_posix()
        for d in lint_source(path.read_bytes(), str(path), settings):
            if d.code == "KC000":
                errors.append(f"{rel}:{d.line}: {d.message}")
            found[(rel, d.line)].add(d.code)
    return found, errors


@pytest.mark.network
@pytest.mark.parametrize("name,version", KERAS3_PACKAGES, ids=[n for n, _ in KERAS3_PACKAGES])
def test_keras3_realism_package(name: str, version: str) -> None:
    expectations = [e for e in load_keras3_expectations() if e.package == name]
    root = package_root(name, version)
    lines = {}
    for e in expectations:
        path = root / e.relpath
        assert path.is_file(), f"{e.location}: no such file"
        lines.setdefault(e.relpath, path.read_text(encoding="utf-8", errors="replace").splitlines())
        text = lines[e.relpath][e.line - 1].strip() if e.line <= len(lines[e.relpath]) else ""
        assert text and (not e.note or e.note.rstrip(".")[:40] in text), f"{e.location}: the line is {text!r}"
    found, errors = _lint(name, version)
    missing = [f"{e.location} {e.code}  # {e.note}" for e in expectations
               if not e.is_ok and e.code not in found.get((e.relpath, e.line), set())]
    unexpected = [f"{e.location} {sorted(found[(e.relpath, e.line)])}  # OK: {e.note}" for e in expectations
                  if e.is_ok and found.get((e.relpath, e.line))]
    assert not errors and not missing and not unexpected, \
        "\n".join(["internal errors:", *errors, "expected but not reported:", *missing,
                   "reported on lines checked to be fine:", *unexpected])
