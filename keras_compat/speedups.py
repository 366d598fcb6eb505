"""The optional C versions of the core's hottest loops (``keras_compat/_speedups.c``).

A Python loop over every node of a file costs about 1,500 instructions a node whatever it does (the
interpreter does not specialise the attribute reads of ``ast`` nodes), which on the user code flake8 and
pylint hand the plugins is most of the analysis. The C module does three such loops (the context's index
walk, the source-order sort of its lists, the root filter of the Keras calls) in a third of that or less. It
is built when the package is installed on a machine with a C compiler and Python's headers, and optional:
without it the Python loops run. The Python loops are the reference: each C function does exactly what its
Python twin does, in the same order, and ``tests/test_speedups.py`` compares them on every rule example, the
fixtures, the package's own modules and the realism packages. ``KERAS_COMPAT_PURE_PYTHON=1`` in the
environment selects the Python loops (to measure them, or to rule the C ones out when reporting a bug).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

_OFF = os.environ.get("KERAS_COMPAT_PURE_PYTHON", "") not in ("", "0")


def native(name: str) -> Callable[..., Any] | None:
    """The C function ``name`` of ``keras_compat._speedups``, or None when it is not built or switched off."""
    if _OFF:
        return None
    try:
        from keras_compat import _speedups
    except ImportError:
        return None
    return getattr(_speedups, name, None)


#: Whether the C loops run (the benchmark prints it beside its figures).
ENABLED = native("index") is not None
