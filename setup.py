"""Build configuration beyond pyproject.toml: the optional C speed-up of the core's index walk.

``optional=True``: without a C compiler (or Python's headers) the build warns and the package installs
without it; the pure-Python walk (keras_compat/tree_index.py) then runs, with the same results.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("keras_compat._speedups", ["keras_compat/_speedups.c"], optional=True)])
