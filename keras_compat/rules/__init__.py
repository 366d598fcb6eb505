"""Rule modules. Importing this package registers every rule in :mod:`keras_compat.registry`."""

from keras_compat.rules import (  # noqa: F401
    backend,
    contract,
    imports,
    internal,
    keras3,
    keras3_training,
    layer_contract,
    legacy_api,
    model_contract,
    stars,
    surface,
    training,
)
