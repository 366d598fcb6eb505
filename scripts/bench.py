"""Benchmark keras-compat on a pinned corpus of real Keras code; prints every figure of docs/performance.md.

Usage::

    python scripts/bench.py [--repeat 3] [--tool-repeat 6] [--jobs N] [--work DIR] [--skip tf_upgrade_v2,...]
                            [--only core-count,...] [--flake8-replay] [--cache-sim]

The corpus is built from released packages, downloaded once with ``pip download`` into the test cache
(``tests/support/pypi.py``): **user code** - the 12 legacy packages of the realism corpus and the legacy
projects and ``tf.keras`` libraries of :data:`EXTRA_USER` (about 370 files, 50,000 lines), the code the
targets are about - and, apart, the Keras libraries' own sources (tf-keras 2.15.0, keras 3.15.1), which the
plugin rightly skips for the most part. Measured in one run:

* **counted, the reference figures** (valgrind's cachegrind, instructions executed, two runs side by side;
  skipped with the reason when valgrind is missing): flake8 on one file at a time, with and without the
  plugin (an empty file and eight small user files: what an editor runs on every save); the core's
  analysis on top of parsing against the parse floor, on user code; flake8 and pylint (``-j 1``, default
  plugins/checkers) with and without the plugin on user code; flake8 on the libraries' sources (each
  counted part can be skipped: ``--skip startup-count,core-count,flake8-count,pylint-count,library-count``,
  or run alone: ``--only core-count,flake8-count,pylint-count`` counts the three user-code targets and
  nothing else, about an hour on 2 cores); ``--cache-sim`` adds cachegrind's cache model and cycle estimate;
* timed, beside them (medians of ``--repeat`` runs, ``--tool-repeat`` for flake8/pylint/tf_upgrade_v2):
  the parse floor and the core in this process; flake8 and pylint with and without the plugin on user code
  (interleaved pairs, CPU time); ``keras-compat check`` cold and warm cache, ``-j 1`` and ``-j N`` on the
  whole corpus (seconds, files/s, lines/s, peak memory); TensorFlow's ``tf_upgrade_v2`` on the same tree
  (a throwaway virtual environment with tensorflow-cpu 2.15.1; skipped with the reason when it cannot be
  installed); scaling (the corpus copied 2x and 4x).
* the project index (``--skip`` everything else but ``project`` to run it alone, a few minutes): the core in
  counted instructions with and without it on the multi-module packages (spektral, bert4keras) and on files
  importing only the standard library and Keras, and its parses in a run, a warm and a changed-file run.

Tools are compared in interleaved runs (without, with, with, without, ...) on CPU time, six pairs by
default: on a shared machine one flake8 run moves by several percent, more than the overhead measured.
The overhead is the median of the per-pair ratios (each pair ran back to back), with every pair's ratio
shown. keras-compat's modules are byte-compiled first, as ``pip install`` does (otherwise, with
``PYTHONDONTWRITEBYTECODE`` set, every process would compile them again and count that as our cost).
Not a test: it takes about an hour on 2 cores. Record the output in docs/performance.md.
"""

from __future__ import annotations

import argparse
import ast
import compileall
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

#: The Keras libraries' own sources: a separate line (the plugin rightly skips most of them).
CORPUS = (("tf-keras", "2.15.0"), ("keras", "3.15.1"))
#: Legacy user code and tf.keras libraries on PyPI beyond the realism packages (tests/support/realism.py):
#: with those, the user-code corpus the targets are measured on. Pinned, downloaded once, cached.
EXTRA_USER = (("keras-adversarial", "0.0.3"), ("keras-vis", "0.4.1"), ("keras-retinanet", "1.0.0"),
              ("segmentation-models", "1.0.1"), ("keras-rl2", "1.0.5"), ("keras-unet", "0.1.2"),
              ("keras-self-attention", "0.51.0"), ("keras-ocr", "0.9.3"))
#: How many small user files the single-file (editor) start-up is measured on, one flake8 run each.
STARTUP_FILES = 8
TF_UPGRADE = "tensorflow-cpu==2.15.1"

#: flake8 and pylint as every measurement runs them: one process, no configuration, output discarded.
_FLAKE8_ARGS = ["-j", "1", "--isolated", "--exit-zero", "--output-file", os.devnull]
_PYLINT_ARGS = ["-j", "1", "--rcfile=/dev/null", "--persistent=n", "--score=n", "--exit-zero", f"--output={os.devnull}",
                "--recursive=y"]
_FLAKE8 = """
import atexit, gc, json, os, sys, time
import flake8.plugins.finder as finder
mode, report, recorded = sys.argv[1], sys.argv[2], sys.argv[2] + ".findings"
if mode == "without":
    original = finder.find_plugins
    finder.find_plugins = lambda cfg, opts: [p for p in original(cfg, opts) if p.package != "keras-compat"]
spent = {"gc": 0.0, "plugin": 0.0}
started = [0.0]
def on_gc(phase, info):
    if phase == "start":
        started[0] = time.perf_counter()
    else:
        spent["gc"] += time.perf_counter() - started[0]
gc.callbacks.append(on_gc)
if mode in ("with", "replay"):
    import flake8_keras_compat
    checker = flake8_keras_compat.KerasCompatChecker
    plain_run = checker.run
    findings = {}
    if mode == "replay":  # the same findings, reported without analysing anything
        with open(recorded) as fh:
            findings = {name: [tuple(f) for f in found] for name, found in json.load(fh).items()}
    def timed_run(self):
        start, gc_before = time.perf_counter(), spent["gc"]
        if mode == "replay":
            found = [(*f, type(self)) for f in findings.get(self.filename, ())]
        else:
            found = list(plain_run(self))
            if found:
                findings[self.filename] = [f[:3] for f in found]
        spent["plugin"] += time.perf_counter() - start - (spent["gc"] - gc_before)  # GC is counted apart
        return iter(found)
    checker.run = timed_run
def write():
    with open(report, "w") as fh:
        fh.write(f"{spent['gc']} {spent['plugin']}")
    if mode == "with" and not os.path.exists(recorded):
        with open(recorded, "w") as fh:
            json.dump(findings, fh)
atexit.register(write)
from flake8.main.cli import main
raise SystemExit(main(sys.argv[3:]))
"""
_PYLINT = """
import atexit, sys, time
from pylint.lint import Run  # first: pylint's own modules are not the plugin's import
mode, report = sys.argv[1], sys.argv[2]
spent = {"import": 0.0, "plugin": 0.0}
if mode == "with":  # the plugin's share of the run: its import and its checkers' process_module
    start = time.perf_counter()
    import pylint_keras_compat
    spent["import"] = time.perf_counter() - start
    plain = pylint_keras_compat._GroupChecker.process_module
    def timed(self, node):
        start = time.perf_counter()
        try:
            return plain(self, node)
        finally:
            spent["plugin"] += time.perf_counter() - start
    pylint_keras_compat._GroupChecker.process_module = timed
def write():
    with open(report, "w") as fh:
        fh.write(f"{spent['import']} {spent['plugin']}")
atexit.register(write)
Run(sys.argv[3:])
"""
_MEASURED = """
import resource, sys
from keras_compat.cli import main
status = main(sys.argv[2:])
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(sys.argv[1], "w") as fh:
    fh.write(f"{own} {children}")
raise SystemExit(status)
"""

_FLAKE8_PLAIN = """
import sys
import flake8.plugins.finder as finder
if sys.argv[1] == "without":
    original = finder.find_plugins
    finder.find_plugins = lambda cfg, opts: [p for p in original(cfg, opts) if p.package != "keras-compat"]
from flake8.main.cli import main
raise SystemExit(main(sys.argv[2:]))
"""
_REFS = re.compile(rb"I\s+refs:\s+([\d,]+)")
_MISSES = re.compile(rb"(I1|D1|LL)\s+misses:\s+([\d,]+)")
#: With ``--cache-sim``: caches as on one core complex of the AMD EPYC machines the figures come from
#: (valgrind reads the host's as a 320 MB direct-mapped L3, a virtual machine's report).
_CACHES = ["--I1=32768,8,64", "--D1=32768,8,64", "--LL=33554432,16,64"]


def build_corpus(work: Path) -> Path:
    from support.pypi import fetch, python_files
    from support.realism import PACKAGES, package_root

    corpus = work / "corpus"
    wanted = " ".join(f"{n}-{v}" for n, v in (*CORPUS, *PACKAGES, *EXTRA_USER))
    if (corpus / ".complete").exists() and (corpus / ".complete").read_text() == wanted:
        return corpus
    if corpus.exists():
        shutil.rmtree(corpus)
    for name, version in (*CORPUS, *PACKAGES, *EXTRA_USER):
        source = package_root(name, version) if (name, version) in PACKAGES else fetch(name, version)
        for path in python_files(source):
            target = corpus / f"{name}-{version}" / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    (corpus / ".complete").write_text(wanted)
    return corpus


def is_library(relpath: str) -> bool:
    return relpath.split("/")[0] in {f"{n}-{v}" for n, v in CORPUS}


def startup_files(corpus: Path, rel: list[str], datas: list[bytes]) -> list[str]:
    """Small user files (80-400 lines) that mention Keras, as an editor saves them: STARTUP_FILES of them,
    evenly spread over the sorted list (deterministic)."""
    small = [r for r, d in zip(rel, datas) if not is_library(r) and 80 <= d.count(b"\n") <= 400
             and re.search(rb"keras|tensorflow", d, re.IGNORECASE)]
    step = max(1, len(small) // STARTUP_FILES)
    return small[::step][:STARTUP_FILES]


def corpus_files(corpus: Path) -> list[Path]:
    from keras_compat.cli import discovery

    files, _ = discovery.discover([str(corpus)], corpus, ())
    return files


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None, ok=(0, 1, 2)) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(cmd[:4])}... exited {proc.returncode}: {proc.stderr.decode()[-1500:]}")
    return elapsed


def line(label: str, value: str) -> None:
    print(f"{label:<52}{value}", flush=True)


def bench_core(datas: list[bytes], names: list[str], repeat: int) -> None:
    """``names``: the files' paths, passed as every front-end passes them (they decide which library's own
    sources a file belongs to)."""
    from keras_compat.engine import lint_source
    from keras_compat.source import SourceError, decode

    def floor() -> None:
        for data in datas:
            try:
                ast.parse(decode(data).text)
            except (SourceError, SyntaxError, ValueError):
                pass

    def core() -> None:
        for data, name in zip(datas, names):
            lint_source(data, name)

    core()  # warm the tables and caches once, like any long-running host
    pairs = []
    for _ in range(repeat):  # interleaved, so machine load hits both alike
        pairs.append((median_time(floor, 1), median_time(core, 1)))
    f = statistics.median(p[0] for p in pairs)
    c = statistics.median(p[1] for p in pairs)
    line("floor: read + decode + ast.parse", f"{f:8.2f} s")
    line("core: lint_source (parse included)", f"{c:8.2f} s  = {c / f:.2f}x the floor")
    line("core analysis on top of parsing (core - floor)", f"{c - f:8.2f} s  = {(c - f) / f:.2f}x the floor")


def bench_flake8(corpus: Path, files: list[str], repeat: int, replay: bool) -> None:
    """Interleaved runs (so machine load hits all alike), CPU time of the flake8 process, and inside it the
    time spent in the cyclic garbage collector and in the plugin's ``run``: the overhead is more than the
    plugin's own analysis, and the split says where the rest goes. With ``replay``, a third run *replays*
    our findings without analysing anything: what flake8 itself spends on receiving them (for the first
    finding in a file it tokenizes the whole file again to look for ``noqa`` comments), apart from our
    analysis (it mattered when a corpus had findings in most files; now it costs a third more time)."""
    base = _FLAKE8_ARGS
    modes = ("without", "with", "replay") if replay else ("without", "with")  # "with" records for "replay"
    out: dict[str, list[tuple[float, float, float, float]]] = {mode: [] for mode in modes}
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "spent"
        for i in range(repeat):
            for mode in modes if i % 2 == 0 else modes[::-1]:
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                wall = run([sys.executable, "-c", _FLAKE8, mode, str(report), *base, *files], cwd=corpus)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                gc_seconds, plugin = (float(v) for v in report.read_text().split())
                out[mode].append((wall, cpu, gc_seconds, plugin))
        n_findings = sum(len(v) for v in json.loads(Path(f"{report}.findings").read_text()).values())
    med = {mode: [statistics.median(r[k] for r in rows) for k in range(4)] for mode, rows in out.items()}
    (w0, c0, g0, _), (w1, c1, g1, p1) = med["without"], med["with"]
    line("flake8 -j 1 (default plugins) without KC", f"{w0:8.2f} s wall, {c0:.2f} s CPU (GC {g0:.2f} s)")
    line("flake8 -j 1 with KC", f"{w1:8.2f} s wall, {c1:.2f} s CPU (GC {g1:.2f} s)")
    overhead_line([r[:2] for r in out["without"]], [r[:2] for r in out["with"]])
    line("  of which the plugin's run / extra GC / rest", f"{p1:8.2f} s / {g1 - g0:.2f} s / "
         f"{c1 - c0 - p1 - (g1 - g0):.2f} s (plugin run {100 * p1 / c0:.1f}% of flake8's CPU time)")
    if not replay:
        return
    w2, c2, g2, _ = med["replay"]
    line(f"flake8 -j 1 replaying our {n_findings} findings, no analysis",
         f"{w2:8.2f} s wall, {c2:.2f} s CPU (GC {g2:.2f} s)")
    line("  flake8's cost of receiving the findings", f"{100 * (c2 / c0 - 1):+8.1f}% CPU (GC {g2 - g0:+.2f} s)")
    line("  our analysis on top of that (with - replay)", f"{100 * (c1 - c2) / c0:+8.1f}% CPU (GC {g1 - g2:+.2f} s)")


def timed_child(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (CPU: less sensitive to other jobs on a shared machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run(cmd, cwd=cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def bench_pylint(corpus: Path, paths: list[str], repeat: int, what: str) -> None:
    """Interleaved with/without runs, like flake8's, so a change in machine load hits both alike; inside the
    "with" runs, the time of the plugin's import and of its checkers (GC during them included)."""
    args = _PYLINT_ARGS
    with tempfile.TemporaryDirectory() as tmp:
        report = str(Path(tmp) / "spent")
        commands = {"without": [sys.executable, "-c", _PYLINT, "without", report, *args, *paths],
                    "with": [sys.executable, "-c", _PYLINT, "with", report, *args,
                             "--load-plugins=pylint_keras_compat", *paths]}
        out: dict[str, list[tuple[float, float]]] = {mode: [] for mode in commands}
        spent = []
        for i in range(repeat):
            for mode in (("without", "with") if i % 2 == 0 else ("with", "without")):
                out[mode].append(timed_child(commands[mode], corpus))
                if mode == "with":
                    spent.append(tuple(float(v) for v in Path(report).read_text().split()))
    (w0, c0), (w1, c1) = ([statistics.median(r[k] for r in out[m]) for k in range(2)] for m in ("without", "with"))
    line(f"pylint -j 1 (default checkers) without KC, {what}", f"{w0:8.2f} s wall, {c0:.2f} s CPU")
    line("pylint -j 1 with KC", f"{w1:8.2f} s wall, {c1:.2f} s CPU")
    overhead_line(out["without"], out["with"])
    imported, checked = (statistics.median(s[k] for s in spent) for k in range(2))
    line("  of which the plugin's import / checkers", f"{imported:8.2f} s / {checked:.2f} s "
         f"({100 * (imported + checked) / c0:.1f}% of pylint's CPU time)")


def overhead_line(without: list[tuple[float, float]], with_: list[tuple[float, float]]) -> None:
    """Median of the per-pair ratios ((wall, CPU) of runs made back to back), each pair's CPU ratio, and the
    ratio of the fastest runs."""
    wall = statistics.median(100 * (b[0] / a[0] - 1) for a, b in zip(without, with_))
    cpu = [100 * (b[1] / a[1] - 1) for a, b in zip(without, with_)]
    line("  overhead (median of pairs)", f"{wall:+8.1f}% wall, {statistics.median(cpu):+.1f}% CPU "
         f"(pairs: {', '.join(f'{c:+.1f}%' for c in cpu)})")
    # timeit's reading: interference only ever adds time, so the fastest run is the least disturbed one
    fastest = [100 * (min(r[k] for r in with_) / min(r[k] for r in without) - 1) for k in range(2)]
    line("  overhead (fastest run of each)", f"{fastest[0]:+8.1f}% wall, {fastest[1]:+.1f}% CPU")


def instructions(commands: dict[str, list[str]], cwd: Path, cache_sim: bool,
                 envs: dict[str, dict[str, str]] | None = None) -> dict[str, tuple[int, int]] | str:
    """Instructions each command executes in user space, counted by valgrind's cachegrind, the commands
    running side by side: a count does not depend on what else the machine runs, so two counts compare to
    a few tenths of a percent (object addresses still differ between runs) where two timings on a shared
    machine differ by up to 15%. With ``cache_sim``, also cachegrind's
    estimate of cycles (instructions + 10 x first-level misses + 100 x last-level misses, its documented
    rule of thumb), which counts what a larger heap costs in cache misses; 0 without. A string says why
    nothing was counted. ``envs``: extra environment variables of some commands (by mode)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return "valgrind is not installed (Debian: apt-get install valgrind)"
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same hashes, so the same dict and set layouts each run
    model = ["--cache-sim=yes", *_CACHES] if cache_sim else ["--cache-sim=no"]
    prefix = [valgrind, "--tool=cachegrind", *model, "--branch-sim=no", "--cachegrind-out-file=/dev/null"]
    counts: dict[str, tuple[int, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:  # files, not pipes: valgrind's report starts with the whole
        logs = {mode: Path(tmp) / mode for mode in commands}  # command line, more than a pipe holds unread
        procs = {mode: subprocess.Popen([*prefix, f"--log-file={logs[mode]}", *cmd], cwd=cwd,
                                        env={**env, **(envs or {}).get(mode, {})},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for mode, cmd in commands.items()}
        for mode, proc in procs.items():
            proc.wait()
            log = logs[mode].read_bytes()
            found = _REFS.search(log)
            if proc.returncode not in (0, 1, 2) or found is None:
                return f"{mode} run exited {proc.returncode}: {log.decode(errors='replace')[-300:]}"
            refs = int(found.group(1).replace(b",", b""))
            misses = {kind: int(n.replace(b",", b"")) for kind, n in _MISSES.findall(log)}
            cycles = refs + 10 * (misses[b"I1"] + misses[b"D1"]) + 100 * misses[b"LL"] if cache_sim else 0
            counts[mode] = (refs, cycles)
    return counts


def store_env(store: Path) -> dict[str, str]:
    """The environment that puts the plugins' summary store (keras_compat.summary_store) in ``store``."""
    return {"KERAS_COMPAT_CACHE_DIR": str(store)}


def cold_and_warm(commands: dict[str, list[str]], cwd: Path, cache_sim: bool) -> dict[str, tuple[int, int]] | str:
    """``commands`` holds "without" and "with": counts "without", "with" on an empty summary store ("cold":
    a first run, e.g. CI on a fresh machine) and "with" again on the store the cold run filled ("warm": an
    editor's next save, CI with a kept cache). The store is never the user's own."""
    with tempfile.TemporaryDirectory() as tmp:
        env = store_env(Path(tmp) / "store")
        first = instructions({"without": commands["without"], "cold": commands["with"]}, cwd, cache_sim,
                             {"cold": env})
        if isinstance(first, str):
            return first
        second = instructions({"warm": commands["with"]}, cwd, cache_sim, {"warm": env})
        if isinstance(second, str):
            return second
    return {**first, **second}


def bench_instructions(corpus: Path, runs: list[tuple[str, str, list[str], str]], cache_sim: bool) -> None:
    """flake8 and pylint with and without the plugin, in instructions rather than seconds: the overhead
    without the machine's noise, the reference figure of the targets (the timed pairs above complement it:
    instructions leave out cache misses and stalls unless ``cache_sim``, and then only as a model). ``runs``:
    (tool, label, paths, target) for each line. "with" is counted twice: on an empty summary store (cold) and
    on the store that run filled (warm)."""
    for tool, what, paths, target in runs:
        if tool == "flake8":
            commands = {m: [sys.executable, "-c", _FLAKE8_PLAIN, m, *_FLAKE8_ARGS, *paths] for m in ("without", "with")}
            name = f"flake8 -j 1 (default plugins), {what}"
        else:
            pylint = [sys.executable, "-m", "pylint", *_PYLINT_ARGS]
            commands = {"without": [*pylint, *paths], "with": [*pylint, "--load-plugins=pylint_keras_compat", *paths]}
            name = f"pylint -j 1 (default checkers), {what}"
        counts = cold_and_warm(commands, corpus, cache_sim)
        if isinstance(counts, str):
            line(f"instructions, {name}", f"skipped: {counts}")
            continue
        (without, cycles0), (cold, cycles1), (warm, cycles2) = counts["without"], counts["cold"], counts["warm"]
        line(f"instructions, {name}", f"{without / 1e9:8.2f} G without KC, {cold / 1e9:.2f} G cold, "
             f"{warm / 1e9:.2f} G warm")
        line("  overhead in instructions, cold / warm summary store",
             f"{100 * (cold / without - 1):+8.2f}% / {100 * (warm / without - 1):+.2f}%{target}")
        if cache_sim:
            line("  estimated cycles (cachegrind's cache model)", f"{cycles0 / 1e9:8.2f} G without KC, "
                 f"{cycles1 / 1e9:.2f} G cold: {100 * (cycles1 / cycles0 - 1):+.2f}%, {cycles2 / 1e9:.2f} G warm: "
                 f"{100 * (cycles2 / cycles0 - 1):+.2f}%")


def bench_startup(corpus: Path, files: list[str], cache_sim: bool) -> None:
    """flake8 on one file at a time (what an editor runs on every save), with and without the plugin, in
    instructions: an empty file (the plugin's start-up alone) and small user files (start-up, loading the
    analysis and checking the file), the plugin's summary store empty (the first save: cold) and filled by
    that run (every later save: warm). The reference figure of the single-file target."""
    flake8 = [*_FLAKE8_ARGS]
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.py"
        empty.write_text("")
        overheads: dict[str, list[float]] = {"cold": [], "warm": []}
        for label, path in (("an empty file", str(empty)), *((f, f) for f in files)):
            counts = cold_and_warm({m: [sys.executable, "-c", _FLAKE8_PLAIN, m, *flake8, path]
                                    for m in ("without", "with")}, corpus, cache_sim)
            if isinstance(counts, str):
                line("instructions, flake8 on one file", f"skipped: {counts}")
                return
            without, cold, warm = counts["without"][0], counts["cold"][0], counts["warm"][0]
            if path != str(empty):
                overheads["cold"].append(100 * (cold / without - 1))
                overheads["warm"].append(100 * (warm / without - 1))
            n = Path(corpus, path).read_bytes().count(b"\n") if path != str(empty) else 0
            line(f"  flake8 on {label} ({n} lines)"[:52], f"{without / 1e6:8.0f} M without KC, {cold / 1e6:.0f} M "
                 f"cold: {100 * (cold / without - 1):+.1f}%, {warm / 1e6:.0f} M warm: {100 * (warm / without - 1):+.1f}%")
    for state in ("warm", "cold"):
        line(f"instructions, flake8 on one file ({len(overheads[state])} user files), {state}",
             f"median {statistics.median(overheads[state]):+.1f}%, max {max(overheads[state]):+.1f}% (target <= 15%)")


_CORE_COUNTED = """
import sys
from keras_compat.engine import lint_source
from keras_compat.registry import all_rules
from keras_compat.source import SourceError, decode
import ast
mode, listing = sys.argv[1], sys.argv[2]
all_rules()
names = open(listing).read().split("\\n")
datas = [open(n, "rb").read() for n in names]
for data, name in zip(datas, names):
    if mode == "floor":
        try:
            ast.parse(decode(data).text)
        except (SourceError, SyntaxError, ValueError):
            pass
    elif mode == "core":
        lint_source(data, name)
    elif mode == "stored":  # the plugins' way: sibling modules' summaries from the summary store
        from keras_compat.project import stored
        from keras_compat.summary_store import store_for

        with stored(store_for("auto")):
            lint_source(data, name)
"""


def bench_core_counted(corpus: Path, files: list[str], what: str, cache_sim: bool) -> None:
    """The core against the parse floor in instructions: one process reads every file (and loads the
    analysis), one also parses each, one also lints each (parsing included); analysis = core - floor."""
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "files"
        listing.write_text("\n".join(files))
        counts = instructions({m: [sys.executable, "-c", _CORE_COUNTED, m, str(listing)]
                               for m in ("read", "floor")}, corpus, cache_sim)
        core = instructions({"core": [sys.executable, "-c", _CORE_COUNTED, "core", str(listing)]}, corpus, cache_sim)
    if isinstance(counts, str) or isinstance(core, str):
        line(f"instructions, core vs parse floor, {what}", f"skipped: {counts if isinstance(counts, str) else core}")
        return
    read, floor, lint = counts["read"][0], counts["floor"][0], core["core"][0]
    parse, analysis = floor - read, lint - floor
    line(f"instructions, parse floor ({what})", f"{parse / 1e9:8.2f} G (reading and loading: {read / 1e9:.2f} G)")
    line("  core analysis on top of parsing", f"{analysis / 1e9:8.2f} G = {analysis / parse:.2f}x the floor "
         "(target <= 0.8x)")
    with tempfile.TemporaryDirectory() as tmp:  # the same with the plugins' summary store, once filled
        listing = Path(tmp) / "files"
        listing.write_text("\n".join(files))
        env = store_env(Path(tmp) / "store")
        command = [sys.executable, "-c", _CORE_COUNTED, "stored", str(listing)]
        subprocess.run(command, cwd=corpus, env={**os.environ, **env}, capture_output=True, check=True)
        warm = instructions({"stored": command}, corpus, cache_sim, {"stored": env})
    if isinstance(warm, str):
        line("  core analysis, warm summary store", f"skipped: {warm}")
        return
    analysis = warm["stored"][0] - floor
    line("  core analysis, warm summary store", f"{analysis / 1e9:8.2f} G = {analysis / parse:.2f}x the floor")


def bench_cli(corpus: Path, n_files: int, n_lines: int, jobs: int, repeat: int) -> float:
    cold_j1 = 0.0
    for j in sorted({1, jobs}):
        cold, warm, peaks = [], [], []
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as tmp:
                report = Path(tmp) / "rss"
                cmd = [sys.executable, "-c", _MEASURED, str(report), "check", "-q", "--isolated", "-j", str(j),
                       "--cache-dir", str(Path(tmp) / "cache"), str(corpus)]
                cold.append(run(cmd, cwd=corpus))
                own, children = (int(v) for v in report.read_text().split())
                peaks.append(max(own, children) / 1024)
                warm.append(run(cmd, cwd=corpus))
        for label, seconds in ((f"keras-compat check -j {j}, cold cache", statistics.median(cold)),
                               (f"keras-compat check -j {j}, warm cache", statistics.median(warm))):
            line(label, f"{seconds:8.2f} s  {n_files / seconds:7.0f} files/s  {n_lines / seconds:9.0f} lines/s")
        line(f"  peak memory (-j {j}, largest process)", f"{max(peaks):8.0f} MiB")
        line(f"  warm cache speed-up (-j {j})", f"{statistics.median(cold) / statistics.median(warm):8.1f}x")
        if j == 1:
            cold_j1 = statistics.median(cold)
    return cold_j1


def bench_tf_upgrade(corpus: Path, work: Path, cold_j1: float, repeat: int) -> None:
    venv = work / "tf-venv"
    exe = venv / "bin" / "tf_upgrade_v2"
    if not exe.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", TF_UPGRADE], check=True,
                           capture_output=True, timeout=1800)
        except (subprocess.SubprocessError, OSError) as exc:
            line("tf_upgrade_v2", f"skipped: cannot install {TF_UPGRADE} ({exc.__class__.__name__})")
            return
    times, done = [], 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            proc = subprocess.run([str(exe), "--intree", str(corpus), "--outtree", str(Path(tmp) / "out"),
                                   "--reportfile", str(Path(tmp) / "report.txt")], capture_output=True)
            times.append(time.perf_counter() - start)
            written = list((Path(tmp) / "out").rglob("*.py"))
            done = sum(p.read_bytes().count(b"\n") for p in written)
            crashed = proc.returncode != 0 and "Traceback" in proc.stderr.decode(errors="replace")
    seconds = statistics.median(times)
    rate = done / seconds
    ours = sum(p.read_bytes().count(b"\n") for p in corpus.rglob("*.py")) / cold_j1
    note = f" (crashed after {len(written)} files, {done} lines)" if crashed else ""
    line(f"tf_upgrade_v2 ({TF_UPGRADE}) on the same tree", f"{seconds:8.2f} s{note}")
    line("  lines/s: tf_upgrade_v2 vs keras-compat -j 1 cold", f"{rate:8.0f} vs {ours:.0f} = keras-compat "
         f"{ours / rate:.1f}x faster")


def bench_scaling(corpus: Path, work: Path, n_lines: int, jobs: int, repeat: int) -> None:
    base = None
    for copies in (1, 2, 4):
        tree = corpus if copies == 1 else work / f"corpus-x{copies}"
        if copies > 1 and not (tree / ".complete").exists():
            if tree.exists():
                shutil.rmtree(tree)
            for i in range(copies):
                shutil.copytree(corpus, tree / f"copy{i}")
            (tree / ".complete").write_text("ok")
        seconds = median_time(lambda: run([sys.executable, "-m", "keras_compat", "check", "-q", "--isolated",
                                           "--no-cache", "-j", str(jobs), str(tree)], cwd=tree), repeat)
        base = base or seconds
        line(f"scaling x{copies} ({copies * n_lines} lines), -j {jobs} --no-cache",
             f"{seconds:8.2f} s  time ratio {seconds / base:.2f} for line ratio {copies}")


_PROJECT_CORE = """
import sys
from pathlib import Path
from keras_compat import project
from keras_compat.engine import lint_source
from keras_compat.settings import Settings
settings = Settings(project=sys.argv[1] != "without")
with project.remembered():
    for name in sys.argv[2:]:
        lint_source(Path(name).read_bytes(), name, settings)
print(project.parsed())
"""
_PROJECT_CLI = """
import sys
from keras_compat import project
from keras_compat.cli import main
code = main(sys.argv[1:])
print(project.parsed())
"""
#: The multi-module packages of the realism corpus where the index matters (base classes and ``K`` from
#: sibling modules).
PROJECT_PACKAGES = (("spektral", "1.0.6"), ("bert4keras", "0.11.5"))


def _stdlib_and_keras_only(path: Path) -> bool:
    """Whether every import of the file stays in the standard library and the Keras libraries."""
    from keras_compat.project import NEVER

    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").partition(".")[0] not in NEVER):
            return False
        if isinstance(node, ast.Import) and any(a.name.partition(".")[0] not in NEVER for a in node.names):
            return False
    return True


def bench_project(corpus: Path, files: list[str], cache_sim: bool) -> None:
    """The project index (issue 22) in counted instructions: the core over the multi-module packages with
    the index and without it (``Settings(project=False)``), the same over the corpus files whose imports stay
    in the standard library and Keras (they must pay nothing), and the index's parses: once per module in a
    run, none on a warm CLI cache, none for the siblings of a changed file."""
    dirs = [corpus / f"{n}-{v}" for n, v in PROJECT_PACKAGES]
    multi = [f for f in files if any(f.startswith(d.name + "/") for d in dirs)]
    libraries = tuple(f"{n}-{v}/" for n, v in CORPUS)  # the index is off in a Keras library's own sources
    plain = [f for f in files if not any(f.startswith(d.name + "/") for d in dirs) and not f.startswith(libraries)
             and _stdlib_and_keras_only(corpus / f)]
    modules = len(multi)
    for label, selection in ((f"multi-module packages ({len(multi)} files)", multi),
                             (f"stdlib/Keras-only imports ({len(plain)} files)", plain)):
        counts = instructions({m: [sys.executable, "-c", _PROJECT_CORE, m, *selection]
                               for m in ("without", "with")}, corpus, cache_sim)
        if isinstance(counts, str):
            line(f"instructions, index, {label}", f"skipped: {counts}")
            continue
        (without, _), (with_, _) = counts["without"], counts["with"]
        line(f"instructions, core, {label}", f"{without / 1e9:8.3f} G without the index, {with_ / 1e9:.3f} G with")
        line("  index cost in instructions", f"{100 * (with_ / without - 1):+8.2f}%")
    parsed = subprocess.run([sys.executable, "-c", _PROJECT_CORE, "with", *multi], cwd=corpus, capture_output=True,
                            text=True).stdout.split()
    line("  index parses in one run (core)", f"{parsed[-1] if parsed else '?':>8} for {modules} modules")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "project"
        for directory in dirs:
            shutil.copytree(directory, copy / directory.name)
        cache = str(Path(tmp) / "cache")

        def cli() -> str:
            out = subprocess.run([sys.executable, "-c", _PROJECT_CLI, "check", "-q", "--isolated",
                                  "-j", "1", "--cache-dir", cache, str(copy)], cwd=copy, capture_output=True, text=True)
            return (out.stdout.split() or ["?"])[-1]

        cold, warm = cli(), cli()
        leaf = next(p for p in sorted(copy.rglob("*.py")) if p.name == "gcn_conv.py")
        leaf.write_text(leaf.read_text() + "\n# changed\n")
        changed = cli()
        line("  index parses, keras-compat check (cold/warm/gcn_conv.py changed)", f"{cold:>8} / {warm} / {changed}")


#: The parts of a run, as ``--skip`` and ``--only`` name them (``instructions``: every counted part).
TIMED_PARTS = ("core", "flake8", "pylint", "cli", "tf_upgrade_v2", "scaling", "project")
COUNTED_PARTS = ("startup-count", "core-count", "flake8-count", "pylint-count", "library-count")


def skipped(skip: str, only: str) -> set[str]:
    """The parts not to run: those ``skip`` names, or with ``only`` every part it does not name (the counted
    parts need ``instructions``, which ``only`` keeps when it names one of them). Unknown names raise."""
    names = {*TIMED_PARTS, *COUNTED_PARTS, "instructions"}
    wanted, dropped = set(filter(None, only.split(","))), set(filter(None, skip.split(",")))
    unknown = sorted((wanted | dropped) - names)
    if unknown:
        raise ValueError(f"unknown part(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}")
    if not wanted:
        return dropped
    if "instructions" in wanted:
        wanted |= set(COUNTED_PARTS)
    elif wanted & set(COUNTED_PARTS):
        wanted.add("instructions")
    return (names - wanted) | dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tool-repeat", type=int, default=6)
    parser.add_argument("--flake8-replay", action="store_true",
                        help="also replay our findings through flake8 without analysis (its cost of receiving them)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                        else os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "keras-compat-bench")
    parser.add_argument("--skip", default="",
                        help="comma separated: core,flake8,pylint,cli,tf_upgrade_v2,scaling (timed); project; "
                             "instructions (all counted parts) or startup-count,core-count,flake8-count,pylint-count,"
                             "library-count")
    parser.add_argument("--only", default="",
                        help="comma separated: run only these parts (the names --skip takes), e.g. "
                             "core-count,flake8-count,pylint-count for the counted user-code targets alone")
    parser.add_argument("--cache-sim", action="store_true",
                        help="count instructions with cachegrind's cache model as well (about 2x slower)")
    ns = parser.parse_args()
    try:
        skip = skipped(ns.skip, ns.only)
    except ValueError as exc:
        parser.error(str(exc))
    try:  # flake8 and pylint find the plugins through the installed distribution's entry points
        from importlib.metadata import distribution

        distribution("keras-compat")
    except ImportError:
        raise SystemExit(f"keras-compat is not installed: run  pip install -e {ROOT}  first") from None
    ns.work.mkdir(parents=True, exist_ok=True)
    corpus = build_corpus(ns.work)
    files = corpus_files(corpus)
    datas = [p.read_bytes() for p in files]
    n_lines = sum(d.count(b"\n") for d in datas)
    import keras_compat

    installed = Path(keras_compat.__file__).resolve().parent
    for package in ("keras_compat", "flake8_keras_compat", "pylint_keras_compat"):
        compileall.compile_dir(installed.parent / package, quiet=1)  # as pip install does
    print(f"keras-compat {keras_compat.__version__}; Python {platform.python_version()} on {platform.platform()}; "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "")
    from keras_compat.speedups import ENABLED

    print(f"C loops (keras_compat/_speedups.c): {'built and used' if ENABLED else 'not used: the Python loops run'}")
    print(f"corpus: {len(files)} files, {n_lines} lines ({', '.join(f'{n} {v}' for n, v in CORPUS)} and the realism "
          f"packages); medians of {ns.repeat} runs ({ns.tool_repeat} for flake8/pylint/tf_upgrade_v2)\n")
    rel = [str(p.relative_to(corpus)) for p in files]
    user = [r for r in rel if not is_library(r)]
    library = [r for r in rel if is_library(r)]
    user_lines = sum(d.count(b"\n") for r, d in zip(rel, datas) if not is_library(r))
    user_what = f"user code ({len(user)} files, {user_lines} lines)"
    user_dirs = sorted({r.split("/")[0] for r in user})
    print(f"user code: the realism packages and {', '.join(f'{n} {v}' for n, v in EXTRA_USER)}: {len(user)} files, "
          f"{user_lines} lines; the libraries' own sources apart: {len(library)} files\n")
    if "core" not in skip:
        bench_core([d for r, d in zip(rel, datas) if not is_library(r)], [str(corpus / r) for r in user], ns.repeat)
    if "flake8" not in skip:
        bench_flake8(corpus, user, ns.tool_repeat, ns.flake8_replay)
    if "pylint" not in skip:
        bench_pylint(corpus, user_dirs, ns.tool_repeat, user_what)
    cold_j1 = 0.0
    if "cli" not in skip:
        cold_j1 = bench_cli(corpus, len(files), n_lines, ns.jobs, ns.repeat)
    if "tf_upgrade_v2" not in skip and cold_j1:
        bench_tf_upgrade(corpus, ns.work, cold_j1, ns.tool_repeat)
    if "scaling" not in skip:
        bench_scaling(corpus, ns.work, n_lines, ns.jobs, ns.repeat)
    if "instructions" not in skip:
        print("\ncounted (the reference figures of the targets):")
        if "startup-count" not in skip:
            bench_startup(corpus, startup_files(corpus, rel, datas), ns.cache_sim)
        if "core-count" not in skip:
            bench_core_counted(corpus, user, user_what, ns.cache_sim)
        runs = [("flake8", user_what, user, " (target <= 3%)")] if "flake8-count" not in skip else []
        if "pylint-count" not in skip:
            runs.append(("pylint", user_what, user_dirs, " (target <= 3%)"))
        if "library-count" not in skip:
            runs.append(("flake8", f"the Keras libraries' own sources ({len(library)} files)", library, ""))
        bench_instructions(corpus, runs, ns.cache_sim)
    if "project" not in skip:
        bench_project(corpus, rel, ns.cache_sim)


if __name__ == "__main__":
    main()
