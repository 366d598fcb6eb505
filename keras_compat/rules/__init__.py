"""Rule modules. Importing this package registers every rule in :mod:`keras_compat.registry`."""

from keras_compat.rules import backend, contract, imports, internal, keras3, legacy_api, surface, training  # noqa: F401
