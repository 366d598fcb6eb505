"""Rule modules. Importing this package registers every rule in :mod:`keras_compat.registry`."""

from keras_compat.rules import imports, internal, legacy_api  # noqa: F401
