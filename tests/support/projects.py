"""Multi-module projects written to a temporary directory, for the project-index tests of every front-end.

:data:`VARIANTS` places one custom layer (:data:`LAYER`, always at the same lines of ``subject.py``) on a
base class reached in each way the index supports: defined in the same file, in a sibling module through
a relative or an absolute import, re-exported by a package ``__init__``, or through a star import (of a
project module, or of standalone Keras itself). Every variant must give the same findings on the class.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

#: The custom layer every variant defines in ``pkg/layers/subject.py``; ``Base`` is bound by the header.
LAYER = '''
class Scale(Base):
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.extra = self.add_weight(name='extra', shape=(1,))

    def call(self, inputs):
        return K.dropout(inputs, 0.5) * K.sum(inputs)
'''

#: What the layer gets on every variant (line within LAYER, code): no get_config with a constructor
#: argument (KC405), build() overriding a weight-creating base build without super (KC407), backend calls
#: in a layer (KC301, not KC303), a raw K.dropout without ``training`` (KC401).
EXPECTED = {(2, "KC405"), (7, "KC407"), (10, "KC401"), (11, "KC301")}

_BASE = '''
class Base(Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight(name='kernel', shape=(1,))
'''

#: More on some variants: ``K`` from standalone Keras' star import is gone once that import is migrated.
ALSO = {"keras-star-in-subject": {(11, "KC110")}}

#: The header of ``subject.py`` for each variant: it must bind ``Base`` and ``K``; padded to HEADER lines.
HEADER = 12

VARIANTS: dict[str, dict[str, str]] = {
    "same-file": {
        "pkg/layers/subject.py": "from keras import backend as K\nfrom keras.layers import Layer\n" + _BASE,
    },
    "relative-import": {
        "pkg/layers/base.py": "from keras.layers import Layer\n" + _BASE,
        "pkg/layers/subject.py": "from keras import backend as K\nfrom .base import Base\n",
    },
    "parent-relative-import": {
        "pkg/core/base.py": "from keras.layers import Layer\n" + _BASE,
        "pkg/layers/subject.py": "from keras import backend as K\nfrom ..core.base import Base\n",
    },
    "absolute-import": {
        "pkg/layers/base.py": "from keras.layers import Layer\n" + _BASE,
        "pkg/layers/subject.py": "from keras import backend as K\nfrom pkg.layers.base import Base\n",
    },
    "init-re-export": {
        "pkg/core/__init__.py": "from .base import Base\n",
        "pkg/core/base.py": "from keras.layers import Layer\n" + _BASE,
        "pkg/layers/subject.py": "from keras import backend as K\nfrom pkg.core import Base\n",
    },
    "module-attribute": {
        "pkg/core/base.py": "from keras.layers import Layer\n" + _BASE,
        "pkg/layers/subject.py": "from keras import backend as K\nimport pkg.core.base\nBase = pkg.core.base.Base\n",
    },
    "project-star-import": {
        "pkg/layers/base.py": "from keras.layers import Layer\nfrom keras import backend as K\n" + _BASE,
        "pkg/layers/subject.py": "from .base import *\n",
    },
    "re-exported-backend": {
        "pkg/compat.py": "from keras import backend as K\nfrom keras.layers import Layer\n",
        "pkg/layers/base.py": "from ..compat import Layer\n" + _BASE,
        "pkg/layers/subject.py": "from ..compat import K\nfrom .base import Base\n",
    },
    "keras-star-import": {
        "pkg/layers/base.py": "from keras.layers import *\n" + _BASE,
        "pkg/layers/subject.py": "from keras import backend as K\nfrom .base import Base\n",
    },
    "keras-star-in-subject": {
        "pkg/layers/base.py": "from keras.layers import Layer\n" + _BASE,
        "pkg/layers/subject.py": "from keras.layers import *\nfrom .base import Base\n",
    },
    "cycle": {
        "pkg/layers/base.py": "from keras.layers import Layer\nfrom .subject import Scale\n" + _BASE,
        "pkg/layers/subject.py": "from keras import backend as K\nfrom .base import Base\n",
    },
}


def write(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> text) under ``root`` with every package's ``__init__.py``; returns root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        parent = path.parent
        while parent != root:
            init = parent / "__init__.py"
            if not init.exists():
                init.write_text("", encoding="utf-8")
            parent = parent.parent
    return root


def variant(root: Path, name: str) -> Path:
    """Write variant ``name`` (the subject file's header padded to :data:`HEADER` lines); returns the subject."""
    files = dict(VARIANTS[name])
    header = files["pkg/layers/subject.py"]
    if name == "same-file":
        files["pkg/layers/subject.py"] = header + LAYER
        return write(root, files) / "pkg/layers/subject.py"
    lines = header.count("\n")
    assert lines <= HEADER, name
    files["pkg/layers/subject.py"] = header + "\n" * (HEADER - lines) + LAYER
    return write(root, files) / "pkg/layers/subject.py"


def layer_start(subject: Path) -> int:
    """The line before ``class Scale`` (LAYER's line numbers are relative to it)."""
    lines = subject.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith("class Scale")) - 2
