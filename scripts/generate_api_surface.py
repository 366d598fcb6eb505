"""Regenerate the shipped API surfaces (``keras_compat/data/api/*.json``) from the reference wheels.

Usage: ``python scripts/generate_api_surface.py [--check]``

Downloads each reference release (``keras_compat.surface.extract.REFERENCES``: tf-keras 2.15.0, keras 3.15.1)
once with ``pip download --no-deps`` into the test download cache (``KERAS_COMPAT_TEST_CACHE``, default
``~/.cache/keras-compat-tests``), extracts the public API statically (nothing is imported) and writes the
compact JSON. ``--check`` only reports whether the shipped files are current (exit 1 when stale).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from keras_compat.surface.extract import REFERENCES, build, encode  # noqa: E402
from keras_compat.surface.model import data_file_name  # noqa: E402
from support.pypi import fetch  # noqa: E402

DATA_DIR = ROOT / "keras_compat" / "data" / "api"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files instead of writing them")
    args = parser.parse_args(argv)
    stale = []
    for target, (distribution, version) in REFERENCES.items():
        start = time.perf_counter()
        data = encode(build(target, fetch(distribution, version)))
        path = DATA_DIR / data_file_name(distribution, version)
        current = path.read_bytes() if path.exists() else b""
        took = time.perf_counter() - start
        if current == data:
            print(f"{path.relative_to(ROOT)}: up to date ({len(data)} bytes, {took:.1f}s)")
            continue
        stale.append(path)
        if args.check:
            print(f"{path.relative_to(ROOT)}: STALE")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"{path.relative_to(ROOT)}: written ({len(data)} bytes, {took:.1f}s)")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
