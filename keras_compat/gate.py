"""The text gate: a module that never mentions these names cannot contain a finding.

Such a module is neither parsed nor analysed, and a plugin that sees only such modules never loads the
analysis at all (most files an editor or CI run hands flake8 and pylint have nothing to do with Keras).
"""

from __future__ import annotations

import re

RELEVANT = re.compile(r"keras|tensorflow|theano|cntk", re.IGNORECASE)


def relevant(text: str) -> bool:
    """Whether ``text`` may hold a finding (it names Keras, TensorFlow or an old Keras backend)."""
    return RELEVANT.search(text) is not None
