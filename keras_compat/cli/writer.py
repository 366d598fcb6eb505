"""Writing fixed files without ever losing data.

* The new bytes go to a temporary file in the same directory, are flushed and fsynced, get the
  original's permission bits, and replace the original with one ``os.replace`` (atomic on POSIX and
  Windows). Any failure, including KeyboardInterrupt, removes the temporary file and leaves the
  original untouched.
* Right before writing, the file's current bytes are hashed again; if they differ from what was
  analysed (an editor saved meanwhile), the fix is abandoned.
* Read-only files (no write permission bit, or not writable by us) are reported, not written.
* A symlink is followed: the target is rewritten, the link stays a link.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

from keras_compat.atomic import discard


class WriteError(Exception):
    """The fix could not be written; the original file is unchanged."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:1 << 20])
        view = view[written:]


def atomic_write(path: Path, data: bytes, expected_digest: str) -> None:
    """Replace ``path``'s content with ``data`` if it still hashes to ``expected_digest``."""
    from keras_compat.cli import limits

    limits.suspend()  # the per-file time limit never interrupts a write half-way
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
        current = target.read_bytes()
    except OSError as exc:
        raise WriteError(f"cannot re-read the file before writing: {exc.strerror or exc}") from None
    if digest(current) != expected_digest:
        raise WriteError("the file changed while it was being fixed; fix not written (run again)")
    if not (info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(target, os.W_OK):
        raise WriteError("the file is read-only; fix not written")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".kc-tmp")
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        reason = exc.strerror or exc
        raise WriteError(f"cannot write the fixed file: {reason}; the original is unchanged") from None
    finally:
        if tmp is not None:
            discard(tmp)
