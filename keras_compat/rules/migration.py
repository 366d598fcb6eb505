"""Module migration (KC109): why a module's Keras imports cannot move to the target together.

The planner (:mod:`keras_compat.migration`) moves every import of a module to the target spelling in one
fix, or none of them: a module that mixes two Keras libraries cannot work. When one import has no spelling
in the target's API, this rule says which, once per module, on that import.
"""

from __future__ import annotations

from collections.abc import Iterator

from keras_compat.context import Context
from keras_compat.diagnostics import Diagnostic
from keras_compat.migration import may_block, module_plan
from keras_compat.registry import Bad, Good, Severity, rule


@rule(
    code="KC109",
    symbol="blocked-module-migration",
    severity=Severity.WARNING,
    message="'{name}' {why}: {advice}; until then none of this module's Keras imports moves to {root} "
            "(a module must not mix two Keras libraries)",
    summary="A module's imports cannot move to the target Keras together: one has no equivalent",
    what="Reports, once per module and on the first such import, the import that keeps the module's Keras "
         "imports from moving to the target spelling: standalone `keras` (and `tensorflow.python.keras`) to "
         "`tensorflow.keras` under `keras-target = tf-keras`; `tensorflow.keras`, `tf.keras.X` (and "
         "`tensorflow.python.keras`) to `keras` under `keras3`. An import blocks when it binds a name that the "
         "target's API (tf-keras 2.15.0, Keras 3.15.1) lacks and that has no drop-in replacement, and the "
         "module uses it (`from keras.engine.training import slice_X`, `from keras.layers import merge` while "
         "`merge(...)` is called); under `keras3` also a name that only the `tf.keras` compatibility shim has "
         "(`ImageDataGenerator`, `K.mean`), read through a moved module.",
    why="The migration of a module's imports is one transaction. Moving some imports to `tensorflow.keras` "
        "while others stay on standalone `keras` gives a module whose layers, models and tensors come from two "
        "libraries that do not mix (KC102); so the KC101/KC103/KC107 findings of the module carry no fix until "
        "the blocking name is replaced (often by a fix of its own rule: KC203 for `merge`, KC303 for `K.*`). "
        "Once nothing blocks, each of those findings carries the same fix: every import moves at once, names "
        "keep their local spelling (`from keras.utils import np_utils` -> `from tensorflow.keras import utils "
        "as np_utils`), renamed names are renamed in their uses, and unused imports of names the target lacks "
        "are dropped.",
    fix_safety="No automatic fix: the blocking name needs a human (or its own rule's fix) first.",
    bad=(
        Bad("from keras.models import Sequential  # error: KC101\n"
            "from keras.engine.training import slice_X  # error: KC103, KC109\n"
            "batch = slice_X(data, 0, 32)\n", targets=("tf-keras",)),
        Bad("from keras.layers import Dense, merge  # error: KC101, KC109\n"
            "y = merge([a, b], mode='concat')  # error: KC203\n", targets=("tf-keras",)),
        Bad("from tensorflow.keras.layers import Dense  # error: KC107\n"
            "from tensorflow.keras.preprocessing.image import ImageDataGenerator  # error: KC107, KC109\n"
            "augment = ImageDataGenerator(rotation_range=10)\n", targets=("keras3",)),
        Bad("from tensorflow.keras import backend as K  # error: KC107, KC109\ny = K.mean(x)  # error: KC303\n",
            targets=("keras3",)),
    ),
    good=(
        Good("from keras.models import Sequential\nfrom keras.utils import np_utils\n"
             "y = np_utils.to_categorical(labels, 10)\n", targets=("tf-keras",)),
        Good("from keras.layers import Dense, merge\ny = Dense(3)\n", targets=("tf-keras",)),
        "from tensorflow.keras.layers import Dense\n",
        Good("from tensorflow.keras.layers import Dense\nimport keras\n", targets=("keras3",)),
        Good("import keras\nfrom keras.layers import Dense\ny = Dense(3)\n", targets=("keras3",)),
    ),
)
def blocked_migration(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.uses_keras or not may_block(ctx):
        return
    plan = module_plan(ctx)
    blocker = plan.blocker
    if blocker is not None:
        yield ctx.report("KC109", blocker.node, name=blocker.name, why=blocker.why, advice=blocker.advice,
                         root=plan.root)
