"""The public API surfaces of the reference Keras releases, extracted statically from their wheels.

* :mod:`keras_compat.surface.extract` reads an unpacked wheel with ``ast`` (nothing is imported) and
  produces the surface: every public module, every exported name and, for classes and functions, the
  keyword arguments they accept (``scripts/generate_api_surface.py`` runs it; ``tests/test_api_surface.py``
  checks the shipped data is current).
* :mod:`keras_compat.surface.model` loads the shipped, gzip'ed JSON lazily and answers lookups for the
  rules (``KC106 unknown-keras-name``, ``KC206 unknown-keras-argument``).
"""

from keras_compat.surface.model import REFERENCES, Surface, surface_for  # noqa: F401
