"""keras-compat: find Keras code that breaks or silently changes behaviour across Keras versions.

The package is the shared core; ``flake8_keras_compat`` and ``pylint_keras_compat`` are thin adapters.
"""

__version__ = "0.1.0"
