"""Benchmark the keras-compat CLI on a directory: files/s and lines/s, cold vs warm cache, -j 1 vs -j N.

Usage: python scripts/bench_cli.py DIRECTORY [--jobs N] [--repeat R]

Each measurement runs ``python -m keras_compat check`` in a subprocess (so process start-up is included,
as users see it) with a fresh cache directory for cold runs. Not a test: figures go in docs/cli.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from keras_compat.cli import discovery


def run(directory: Path, args: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "keras_compat", "check", "-q", *args, str(directory)],
                          capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1, 2):
        raise SystemExit(f"keras-compat failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="best of R runs per measurement")
    ns = parser.parse_args()
    files, _ = discovery.discover([str(ns.directory)], ns.directory.resolve(), ())
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(f"{len(files)} files, {lines} lines in {ns.directory} (cpu_count={os.cpu_count()})")
    print(f"{'run':<28}{'seconds':>9}{'files/s':>10}{'lines/s':>11}")
    for jobs in sorted({1, ns.jobs}):
        cold, warm = [], []
        for _ in range(ns.repeat):
            with tempfile.TemporaryDirectory() as cache:
                cold.append(run(ns.directory, ["-j", str(jobs), "--cache-dir", cache]))
                warm.append(run(ns.directory, ["-j", str(jobs), "--cache-dir", cache]))
        nocache = min(run(ns.directory, ["-j", str(jobs), "--no-cache"]) for _ in range(ns.repeat))
        for label, seconds in ((f"-j {jobs} --no-cache", nocache), (f"-j {jobs} cold cache", min(cold)),
                               (f"-j {jobs} warm cache", min(warm))):
            print(f"{label:<28}{seconds:>9.2f}{len(files) / seconds:>10.0f}{lines / seconds:>11.0f}")


if __name__ == "__main__":
    main()
