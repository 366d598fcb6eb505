"""Regenerate the shipped star-export tables (``keras_compat/data/stars/*.json.gz``) from standalone Keras.

Usage: ``python scripts/generate_star_exports.py [--check]``

Downloads each release of ``keras_compat.surface.stars.RELEASES`` (keras 1.2.2, 2.2.4) once with
``pip download --no-deps`` into the test download cache (``KERAS_COMPAT_TEST_CACHE``, default
``~/.cache/keras-compat-tests``), computes what ``from <module> import *`` binds for every module with the
project index (nothing is imported) and writes the gzip'ed JSON. ``--check`` only reports whether the
shipped files are current (exit 1 when stale).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from keras_compat.surface.stars import RELEASES, encode, extract, file_name  # noqa: E402
from support.pypi import fetch  # noqa: E402

DATA_DIR = ROOT / "keras_compat" / "data" / "stars"


def site_of(unpacked: Path) -> Path:
    """The directory holding the ``keras`` package (an sdist unpacks into ``Keras-<version>/``)."""
    if (unpacked / "keras" / "__init__.py").is_file():
        return unpacked
    found = sorted(p.parent.parent for p in unpacked.glob("*/keras/__init__.py"))
    if not found:
        raise SystemExit(f"no keras package under {unpacked}")
    return found[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files instead of writing them")
    args = parser.parse_args(argv)
    stale = []
    for distribution, version in RELEASES:
        data = encode(extract(site_of(fetch(distribution, version)), distribution, version))
        path = DATA_DIR / file_name(distribution, version)
        if path.exists() and path.read_bytes() == data:
            print(f"{path.relative_to(ROOT)}: up to date ({len(data)} bytes)")
            continue
        stale.append(path)
        if args.check:
            print(f"{path.relative_to(ROOT)}: STALE")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"{path.relative_to(ROOT)}: written ({len(data)} bytes)")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
