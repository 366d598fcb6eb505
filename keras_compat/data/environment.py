"""Keras backends: which ones existed, where their modules lived, and which Keras 3 accepts (KC104, KC105).

Each constant cites the release it was read from; ``tests/test_environment_table.py`` checks the
multi-backend and Keras 3 facts against the real package sources.
"""

from __future__ import annotations

#: Backends that multi-backend Keras or its forks supported and that no current Keras has.
#: theano, cntk: keras 2.2.4 keras/backend/__init__.py (`_BACKEND == 'theano'` / `'cntk'`), dropped in Keras 2.4.
#: mxnet: the keras-mxnet fork; plaidml: the plaidml-keras package (third-party backends, never in keras).
REMOVED_BACKENDS: frozenset[str] = frozenset({"theano", "cntk", "mxnet", "plaidml", "plaidml.keras"})

#: Backend implementation modules of multi-backend Keras, flavour-free path -> backend name.
#: keras 2.2.4 keras/backend/{theano,cntk}_backend.py; mxnet_backend.py only in the keras-mxnet fork.
BACKEND_MODULES: dict[str, str] = {
    "backend.theano_backend": "theano",
    "backend.cntk_backend": "cntk",
    "backend.mxnet_backend": "mxnet",
}

#: Values of KERAS_BACKEND that Keras 3 accepts: keras 3.15.1 keras/src/backend/__init__.py dispatch.
KERAS3_BACKENDS: frozenset[str] = frozenset({"tensorflow", "jax", "torch", "numpy", "openvino"})
