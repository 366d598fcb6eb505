"""The migration harness: legacy Keras programs, fixed by the linter, run on the real libraries.

Corpus (:func:`execution_corpus`): every script in ``examples/`` of the Keras 2.2.4 sdist (downloaded once and
cached, :mod:`support.pypi`) and our own Keras 1 idiom scripts (``tests/fixtures/migration/``), written the
way Keras 1.2.2 code was. For each target (``tf-keras``, ``keras3``) a copy of the corpus is fixed with
``keras-compat check --fix --unsafe-fixes`` and re-checked (``--format json``), then every script runs in its
own process of the cached TensorFlow/Keras environment (:mod:`support.runtime`) with the offline shim of
``exec_shim/sitecustomize.py`` (tiny datasets, no downloads, one short epoch) and a time limit.

Each run is classified (:func:`classify`): ``ok``; ``needs-data`` (a download or a missing input file);
``needs-args`` (command-line arguments); ``needs-deps`` (a third-party module the environment lacks, such as
PIL, scipy or matplotlib); ``timeout``; or ``error`` with the exception and the program's line. An error is
*flagged* when the re-run linter reports a finding on the failing statement: we may fail to fix a program,
but we must not be silent about the line that breaks.

The linter is run as a command (``python -m keras_compat``) so that another version of it (the baseline of
``docs/migration-results.md``) can be measured the same way: ``linter_python`` names its interpreter.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .pypi import fetch, fetch_or_skip
from .runtime import RUNTIMES, run_script

ROOT = Path(__file__).resolve().parent.parent.parent
SHIM = Path(__file__).resolve().parent / "exec_shim"
IDIOMS = ROOT / "tests" / "fixtures" / "migration"
EXAMPLES_RELEASE = ("keras", "2.2.4")
SCRIPT_TIMEOUT = 300.0

STATUSES = ("ok", "needs-data", "needs-args", "needs-deps", "timeout", "error")

#: The fixed subset CI runs (the whole corpus takes 20-30 minutes on two shared cores, the subset 4-5; see
#: docs/migration-results.md): idiom scripts and examples that between them use Sequential and functional
#: models, merge()/Merge, convolutions, recurrent layers, a custom layer, backend code in layers and losses,
#: Keras 1 private modules and the MNIST and Reuters datasets, with outcomes ok, flagged and needs-deps.
CI_EXAMPLES = ("mnist_mlp.py", "reuters_mlp.py", "antirectifier.py", "mnist_siamese.py", "variational_autoencoder.py")
CI_IDIOMS = (
    "keras1_merge_functional.py", "keras1_merge_sequential.py", "keras1_mlp_sequential.py", "keras1_convolution.py",
    "keras1_recurrent_layers.py", "keras1_private_modules.py", "keras1_custom_layer.py", "keras1_custom_optimizer.py",
)

#: Top-level modules whose absence is ours to explain: a missing Keras module is an error of the migration.
_KERAS_MODULES = frozenset({"keras", "tensorflow", "tf_keras"})
#: Messages of Keras functions that import an optional dependency themselves (``load_img`` needs PIL ...).
_OPTIONAL_DEPENDENCIES = ("PIL", "pydot", "graphviz", "scipy", "matplotlib", "pandas", "h5py")


# -- corpus ------------------------------------------------------------------------------------------------------

def _examples_dir(download: Callable[..., Path]) -> Path:
    root = download(*EXAMPLES_RELEASE, prefer_sdist=True)
    (inner,) = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return inner / "examples"


def keras_examples(*, skip: bool = True) -> list[Path]:
    """Every ``examples/*.py`` of the Keras 2.2.4 sdist (downloaded once; the test skips when the index is
    unreachable and ``skip``, else :class:`support.pypi.IndexUnreachable` is raised)."""
    return sorted(_examples_dir(fetch_or_skip if skip else fetch).glob("*.py"))


def idiom_scripts() -> list[Path]:
    """Our Keras 1 idiom scripts (each a whole Keras 1.2.2-style program)."""
    return sorted(IDIOMS.glob("*.py"))


def execution_corpus(*, skip: bool = True) -> list[Path]:
    """Every program of the execution corpus: the Keras 2.2.4 examples, then the Keras 1 idiom scripts."""
    return keras_examples(skip=skip) + idiom_scripts()


def corpus_name(path: Path) -> str:
    """A stable display name: ``keras-2.2.4/examples/mnist_cnn.py`` or ``keras1/merge_functional.py``."""
    if path.parent == IDIOMS:
        return f"keras1/{path.name}"
    return f"{'-'.join(EXAMPLES_RELEASE)}/examples/{path.name}"


def ci_corpus() -> list[Path]:
    """The fixed subset that CI runs."""
    examples = [p for p in keras_examples() if p.name in CI_EXAMPLES]
    assert len(examples) == len(CI_EXAMPLES), "a CI example is missing from the Keras 2.2.4 sdist"
    idioms = [p for p in idiom_scripts() if p.name in CI_IDIOMS]
    assert len(idioms) == len(CI_IDIOMS), "a CI idiom script is missing from tests/fixtures/migration"
    return examples + idioms


# -- the linter ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    code: str
    line: int
    end_line: int
    message: str


def fix_and_check(directory: Path, target: str, linter_python: str = sys.executable) -> dict[str, list[Finding]]:
    """Fix every file under ``directory`` in place (``--fix --unsafe-fixes``), then return the findings that
    remain, by path relative to ``directory``."""
    common = ["-m", "keras_compat", "check", "--isolated", "--no-cache", "--keras-target", target]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([linter_python, *common, "--fix", "--unsafe-fixes", "-q", "."], cwd=directory, env=env,
                   capture_output=True, text=True, timeout=900)
    proc = subprocess.run([linter_python, *common, "--format", "json", "."], cwd=directory, env=env,
                          capture_output=True, text=True, timeout=900)
    found: dict[str, list[Finding]] = {}
    start = proc.stdout.find("[")
    for item in json.loads(proc.stdout[start:proc.stdout.rindex("]") + 1]) if start >= 0 else []:
        found.setdefault(item["filename"], []).append(
            Finding(item["code"], item["line"], item.get("end_line") or item["line"], item["message"]))
    return found


# -- running and classifying ---------------------------------------------------------------------------------------

@dataclass
class Run:
    """One program under one target after the fix: its outcome and what the linter says on its failing line."""

    script: str  # corpus_name
    target: str
    status: str
    error: str | None = None  # "Type: message" (first line)
    line: int | None = None  # line of the fixed program the error came from
    source: str = ""  # that line's text
    flagged: list[str] = field(default_factory=list)  # codes of findings on the failing statement
    messages: list[str] = field(default_factory=list)
    findings: int = 0  # findings left in the fixed program
    seconds: float = 0.0


Outcome = tuple[str, "str | None", "int | None"]


def classify(returncode: int | None, record: dict | None, stderr: str, lines: list[str]) -> Outcome:
    """(status, "Type: message", line) of a run; ``returncode`` None means it timed out; ``record`` is what the
    shim wrote for an uncaught exception; ``lines`` is the program's text."""
    if returncode is None:
        return "timeout", None, None
    if record is None:
        if returncode == 0:
            return "ok", None, None
        tail = [line for line in stderr.strip().splitlines() if line.strip()]
        if "usage:" in stderr and "error:" in stderr:
            return "needs-args", tail[-1] if tail else None, None
        reason = f"exit status {returncode}" if returncode > 0 else f"killed by signal {-returncode}"
        return "error", f"{reason}: {tail[-1] if tail else ''}".rstrip(": "), None
    kind, message, line = record["type"], record["message"], record.get("line")
    error = f"{kind}: {summary(message)}".rstrip(": ")
    text = lines[line - 1] if line and 0 < line <= len(lines) else ""
    if kind == "DownloadBlocked" or kind == "FileNotFoundError":
        return "needs-data", error, line
    if kind in ("ImportError", "ModuleNotFoundError"):
        module = (record.get("module") or "").partition(".")[0]
        if module and module not in _KERAS_MODULES:
            return "needs-deps", error, line
        if not module and any(dep in message for dep in _OPTIONAL_DEPENDENCIES):
            return "needs-deps", error, line
    if kind == "TBNotInstalledError":
        return "needs-deps", error, line  # TensorFlow's summary ops without the tensorboard package
    if kind == "NameError" and any(f"'{dep}'" in message for dep in _OPTIONAL_DEPENDENCIES):
        return "needs-deps", error, line  # a library's optional import that failed quietly (tf-keras: scipy)
    if kind == "IndexError" and "sys.argv" in text:
        return "needs-args", error, line
    return "error", error, line


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CAUSE = re.compile(r"^\s*(?:[\w.]+\.)?(\w+(?:Error|Exception)): (.+)$")


def summary(message: str) -> str:
    """The informative line of an exception message: Keras 3 puts the cause after "Exception encountered
    when calling ...", TensorFlow's traced functions after "in user code:"."""
    lines = [line.strip() for line in _ANSI.sub("", message).splitlines() if line.strip()]
    if not lines:
        return ""
    if lines[0].startswith("Exception encountered when calling") and len(lines) > 1:
        return lines[1]
    if lines[0].startswith("in user code"):
        causes = [f"{m.group(1)}: {m.group(2)}" for m in map(_CAUSE.match, lines) if m]
        return causes[-1] if causes else lines[-1]
    return lines[0]


def statement_range(tree: ast.Module | None, line: int) -> tuple[int, int]:
    """Lines of the innermost simple statement (or compound statement header) containing ``line``."""
    candidates = []
    for node in ast.walk(tree) if tree is not None else ():
        if not isinstance(node, ast.stmt):
            continue
        start, end = node.lineno, node.end_lineno or node.lineno
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            end = min(end, body[0].lineno - 1)  # a compound statement: only its header
        if start <= line <= end:
            candidates.append((end - start, start, end))
    return min(candidates)[1:] if candidates else (line, line)


def _flagged(findings: list[Finding], tree: ast.Module | None, line: int) -> list[Finding]:
    start, end = statement_range(tree, line)
    return [f for f in findings if start <= f.line <= end or f.line <= start <= f.end_line]


def run_program(script: Path, target: str, findings: list[Finding], name: str,
                timeout: float = SCRIPT_TIMEOUT) -> Run:
    """Run one (already fixed) program under ``target`` and classify the outcome."""
    import time

    text = script.read_text(encoding="utf-8", errors="replace")
    result = script.parent / ".kc-harness-result.json"
    result.unlink(missing_ok=True)
    env = {"PYTHONPATH": str(SHIM), "KC_HARNESS_RESULT": str(result), "KC_HARNESS_SCRIPT": str(script),
           "MPLBACKEND": "Agg"}
    started = time.monotonic()
    try:
        proc = run_script(target, script, script.parent, timeout=timeout, extra_env=env)
        returncode, stderr = proc.returncode, proc.stderr
    except subprocess.TimeoutExpired:
        returncode, stderr = None, ""
    seconds = time.monotonic() - started
    record = json.loads(result.read_text(encoding="utf-8")) if result.exists() else None
    lines = text.splitlines()
    status, error, line = classify(returncode, record, stderr, lines)
    run = Run(name, target, status, error, line, seconds=round(seconds, 1), findings=len(findings))
    if line is not None:
        run.source = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        try:
            tree = ast.parse(text)
        except SyntaxError:
            tree = None
        on_line = _flagged(findings, tree, line)
        run.flagged = sorted({f.code for f in on_line})
        run.messages = [f"{f.code} {f.message}" for f in on_line]
    return run


def run_corpus(scripts: Iterable[Path], targets: Iterable[str] = RUNTIMES, *, linter_python: str = sys.executable,
               jobs: int = 1, timeout: float = SCRIPT_TIMEOUT,
               progress: Callable[[Run], None] | None = None) -> list[Run]:
    """Fix and run every script under every target; one process per run, ``jobs`` at a time."""
    scripts = list(scripts)
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="kc-migration-") as tmp:
        for target in targets:
            work = Path(tmp) / target
            placed: list[tuple[Path, str, str]] = []  # (copy, display name, relative path)
            for index, script in enumerate(scripts):
                folder = work / f"{index:03d}-{script.stem}"
                folder.mkdir(parents=True)
                shutil.copy2(script, folder / script.name)
                placed.append((folder / script.name, corpus_name(script), f"{folder.name}/{script.name}"))
            findings = fix_and_check(work, target, linter_python)

            def one(item: tuple[Path, str, str], target: str = target,
                    findings: dict[str, list[Finding]] = findings) -> Run:
                copy, name, relative = item
                run = run_program(copy, target, findings.get(relative, []), name, timeout)
                if progress is not None:
                    progress(run)
                return run

            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                runs.extend(pool.map(one, placed))
    return runs


def save_runs(runs: list[Run], path: Path, linter: str) -> None:
    rows = [{k: v for k, v in asdict(r).items() if k != "seconds"} for r in runs]  # timings vary per run
    path.write_text(json.dumps({"linter": linter, "runs": rows}, indent=1) + "\n", encoding="utf-8")


def load_runs(path: Path) -> tuple[str, list[Run]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["linter"], [Run(**r) for r in data["runs"]]
