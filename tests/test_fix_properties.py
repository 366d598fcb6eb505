"""What ``--fix --unsafe-fixes`` must never do, over real legacy code (issue 20): introduce a KC102/KC103/KC106/
KC107 finding on a line it wrote, leave a module mixing standalone ``keras`` and ``tensorflow.keras``, or
change its own output when run again. The corpora: the realism packages (every file, both targets); the
fuzz tests check the same property on mutants (``tests/test_fuzz.py``)."""

from __future__ import annotations

import pytest
from support.properties import assert_migration_sound, introduced_findings, mixes
from support.realism import PACKAGES, package_files

from keras_compat.settings import Settings

pytestmark = pytest.mark.network


@pytest.mark.parametrize("target", ["tf-keras", "keras3"])
@pytest.mark.parametrize("name,version", PACKAGES, ids=[p[0] for p in PACKAGES])
def test_realism_package_fix_introduces_nothing(name: str, version: str, target: str) -> None:
    settings = Settings(target=target)
    for path in package_files(name, version):
        text = path.read_bytes().decode("utf-8", errors="replace")
        if "keras" in text:
            assert_migration_sound(text, settings, f"{name}:{path.name} [{target}]")


def test_the_property_detects_an_introduced_mixture() -> None:
    before = "from keras.layers import Dense\nfrom keras.models import Model\n"
    half = "from keras.layers import Dense\nfrom tensorflow.keras.models import Model\n"
    assert not mixes(before) and mixes(half)
    problems = introduced_findings(before, half, Settings())
    assert any("KC102" in p for p in problems) and any("mixing" in p for p in problems)
    guarded = "try:\n    from tensorflow import keras\nexcept ImportError:\n    import keras\n"
    assert not mixes(guarded)
    # under keras3, keras and tensorflow.keras are one library (TensorFlow >= 2.16); tf_keras is Keras 2
    assert not mixes("import keras\nfrom tensorflow.keras.layers import Dense\n", "keras3")
    assert mixes("import keras\nfrom tf_keras.layers import Dense\n", "keras3")
