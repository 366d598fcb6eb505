"""Files written whole or not at all: a temporary file in the same directory, renamed into place.

Concurrent writers (``-j`` workers, two editors, two CI jobs on one cache) and a process killed mid-write
never leave a partial file where readers look: they see the old content or the new, and a temporary file
that could not be renamed is removed.
"""

from __future__ import annotations

import os
import tempfile


def discard(path: str) -> None:
    """Remove ``path`` if it is there (a temporary file left by a failed write)."""
    try:
        os.unlink(path)
    except OSError:
        pass


def write_atomically(path: str, data: bytes, suffix: str = ".tmp") -> None:
    """Replace ``path`` by ``data`` in one rename; ``OSError`` when that cannot be done (nothing is left)."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".tmp-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        discard(tmp)
        raise
