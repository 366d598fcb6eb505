"""The layer-contract rules (KC510-KC521, KC504) on the realism corpus under both targets: never a finding
on a line a careful reader checked to be fine (``OK`` in tests/realism/expected.txt).

``test_realism.py`` checks OK lines under keras3 only for the codes that do not depend on the target; these
rules are (mostly) keras3-only, so they are checked here. Their hand-checked findings on real code are in
the keras3 expectations of the realism suite.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from support.realism import PACKAGES, load_expectations, package_root

from keras_compat.engine import lint_source
from keras_compat.settings import Settings

pytestmark = pytest.mark.network

CODES = frozenset({f"KC5{n}" for n in range(10, 22)} | {"KC504"})


@pytest.mark.parametrize("name,version", PACKAGES, ids=[n for n, _ in PACKAGES])
def test_no_layer_contract_finding_on_ok_lines(name: str, version: str) -> None:
    ok_lines: dict[str, set[int]] = defaultdict(set)
    for e in load_expectations():
        if e.package == name and e.is_ok:
            ok_lines[e.relpath].add(e.line)
    root = package_root(name, version)
    found = []
    for relpath, lines in ok_lines.items():
        path = root / relpath
        for target in ("tf-keras", "keras3"):
            found += [f"{target} {relpath}:{d.line} {d.code} {d.message}"
                      for d in lint_source(path.read_bytes(), str(path), Settings(target=target))
                      if d.code in CODES and d.line in lines]
    assert not found, "\n".join(found)
