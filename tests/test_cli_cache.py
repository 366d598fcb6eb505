"""The content-hash cache and parallel runs (-j)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from keras_compat.cli import main, runner

RENAMED = 'from keras.layers import Conv2D\nlayer = Conv2D(32, (3, 3), border_mode="same")\n'


def tree(root: Path, n: int = 12) -> None:
    for i in range(n):
        sub = root / f"pkg{i % 3}"
        sub.mkdir(exist_ok=True)
        body = RENAMED + f"value_{i} = Conv2D({i}, (3, 3), border_mode='valid')\n"
        if i % 4 == 0:
            body += "model.fit_generator(gen, samples_per_epoch=10)\n"
        if i == 5:
            body = 'import keras\nprint "py2"\n'
        (sub / f"m{i}.py").write_text(body)


def counting(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = runner.analyse

    def wrapped(text, filename, settings):
        calls.append(filename)
        return real(text, filename, settings)

    monkeypatch.setattr(runner, "analyse", wrapped)
    return calls


def run(args, cwd, capsys, monkeypatch):
    monkeypatch.chdir(cwd)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_second_run_hits_the_cache(tmp_path, capsys, monkeypatch) -> None:
    tree(tmp_path)
    calls = counting(monkeypatch)
    first = run(["check", "-j", "1", "."], tmp_path, capsys, monkeypatch)
    assert len(calls) == 12 and first[0] == 2
    assert (tmp_path / ".keras_compat_cache" / "CACHEDIR.TAG").is_file()
    calls.clear()
    second = run(["check", "-j", "1", "."], tmp_path, capsys, monkeypatch)
    assert second == first
    assert calls == ["pkg2/m5.py"]  # only the unparsable file: failures are never cached
    # a changed file, and only that one, is analysed again
    calls.clear()
    (tmp_path / "pkg0" / "m0.py").write_text(RENAMED)
    run(["check", "-j", "1", "."], tmp_path, capsys, monkeypatch)
    assert sorted(calls) == ["pkg0/m0.py", "pkg2/m5.py"]
    # different settings are different entries
    calls.clear()
    run(["check", "-j", "1", "--select", "KC2", "."], tmp_path, capsys, monkeypatch)
    assert len(calls) == 12
    # --no-cache neither reads nor writes
    calls.clear()
    run(["check", "-j", "1", "--no-cache", "."], tmp_path, capsys, monkeypatch)
    assert len(calls) == 12


def test_fix_uses_and_refreshes_the_cache(tmp_path, capsys, monkeypatch) -> None:
    tree(tmp_path, 4)
    calls = counting(monkeypatch)
    run(["check", "-j", "1", "--fix", "."], tmp_path, capsys, monkeypatch)
    calls.clear()
    code, out, _ = run(["check", "-j", "1", "."], tmp_path, capsys, monkeypatch)
    assert calls == []  # the fixed files' findings were stored when they were written
    assert "[*]" not in out


def test_corrupt_or_unwritable_cache_is_harmless(tmp_path, capsys, monkeypatch) -> None:
    tree(tmp_path, 4)
    expected = run(["check", "-j", "1", "--no-cache", "."], tmp_path, capsys, monkeypatch)
    run(["check", "-j", "1", "."], tmp_path, capsys, monkeypatch)
    for entry in (tmp_path / ".keras_compat_cache").rglob("*.json"):
        entry.write_text("{not json")
    assert run(["check", "-j", "1", "."], tmp_path, capsys, monkeypatch) == expected
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache directory should be")
    assert run(["check", "-j", "1", "--cache-dir", "blocked/sub", "."], tmp_path, capsys,
               monkeypatch) == expected


def test_cache_entries_round_trip_fixes(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "a.py").write_text(RENAMED)
    args = ["check", "-j", "1", "--format", "json", "a.py"]
    first = json.loads(run(args, tmp_path, capsys, monkeypatch)[1])
    calls = counting(monkeypatch)
    second = json.loads(run(args, tmp_path, capsys, monkeypatch)[1])
    assert calls == [] and first == second


def _sub(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keras_compat", *args], cwd=cwd, capture_output=True,
                          text=True,
                          timeout=120)


def test_parallel_output_equals_serial(tmp_path: Path) -> None:
    tree(tmp_path, 24)
    assert runner.workers_for(2, 24) == 2
    serial = _sub(["check", "--no-cache", "-j", "1", "--show-source", "--statistics", "."], tmp_path)
    parallel = _sub(["check", "--no-cache", "-j", "2", "--show-source", "--statistics", "."], tmp_path)
    assert serial.returncode == parallel.returncode == 2
    assert serial.stdout == parallel.stdout and serial.stderr == parallel.stderr
    assert serial.stdout.count("KC201") >= 40 and "KC201  renamed-keras-argument" in parallel.stdout


def test_parallel_fix_equals_serial(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    tree(one, 16), tree(two, 16)
    a = _sub(["check", "--no-cache", "-j", "1", "--fix", "."], one)
    b = _sub(["check", "--no-cache", "-j", "2", "--fix", "."], two)
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)
    for path in one.rglob("*.py"):
        assert path.read_bytes() == (two / path.relative_to(one)).read_bytes()


def test_concurrent_runs_share_a_cache(tmp_path: Path) -> None:
    tree(tmp_path, 16)
    cmd = [sys.executable, "-m", "keras_compat", "check", "-j", "2", "."]
    procs = [subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert len({o for o in outs}) == 1
    assert not [p for p in (tmp_path / ".keras_compat_cache").rglob("*") if p.name.startswith(".tmp-")]
    again = _sub(["check", "-j", "1", "."], tmp_path)
    assert (again.stdout, again.stderr) == outs[0]
    assert os.listdir(tmp_path / ".keras_compat_cache" / "v1")


def test_warm_parallel_run_answers_from_the_cache_without_a_pool(tmp_path, capsys, monkeypatch) -> None:
    tree(tmp_path, 16)
    first = run(["check", "-j", "2", "."], tmp_path, capsys, monkeypatch)
    calls = counting(monkeypatch)
    pools: list[int] = []
    real_pool = runner._pool

    def spy(*args, **kwargs):
        pools.append(1)
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(runner, "_pool", spy)
    assert run(["check", "-j", "2", "."], tmp_path, capsys, monkeypatch) == first
    assert pools == [] and calls == ["pkg2/m5.py"]  # only the never-cached unparsable file, in-process


def test_warm_run_reuses_cached_noqa_comments(tmp_path, capsys, monkeypatch) -> None:
    """A warm run neither analyses nor tokenizes a file: its ``# noqa`` comments come from the cache
    entry, and suppress exactly what the cold run suppressed (a noqa inside a multi-line string too)."""
    from keras_compat.cli import noqa

    (tmp_path / "m.py").write_text(
        'from keras.layers import Conv2D\n'
        'a = Conv2D(8, (3, 3), border_mode="same")  # noqa: KC201\n'
        'b = Conv2D(8, (3, 3), border_mode="same", name="""x\n'
        'y""")  # noqa\n'
        'c = Conv2D(8, (3, 3), border_mode="same")\n')
    args = ["check", "-j", "1", "--format", "json", "."]
    cold = run(args, tmp_path, capsys, monkeypatch)
    calls = counting(monkeypatch)

    def no_tokenizing(text):
        raise AssertionError("a warm run must not tokenize the file")

    monkeypatch.setattr(noqa, "logical_ranges", no_tokenizing)
    warm = run(args, tmp_path, capsys, monkeypatch)
    assert calls == [] and warm[0] == cold[0] == 1
    assert json.loads(warm[1]) == json.loads(cold[1])
    assert {(f["code"], f["line"]) for f in json.loads(warm[1])} == {("KC101", 1), ("KC201", 5)}


def test_fingerprint_covers_the_code_and_api_tables_that_decide_findings() -> None:
    """An updated API table (``data/api/*.json``) changes findings as much as an edited rule does."""
    import keras_compat
    from keras_compat.cli.cache import fingerprinted_files

    package = Path(keras_compat.__file__).resolve().parent
    names = {p.relative_to(package).as_posix() for p in fingerprinted_files(package)}
    assert {"engine.py", "rules/backend.py", "data/backend.py"} <= names
    assert {p.name for p in (package / "data" / "api").glob("*.json")} <= {n.rsplit("/", 1)[-1] for n in names}
    assert any(n.startswith("data/api/") and n.endswith(".json") for n in names)
    assert not any(n.startswith("cli/") for n in names)  # output options do not change findings


WRONG_SHAPES = [
    {"diagnostics": [1]},  # issue 23: crashed every -j 2 run with AttributeError in cache.py
    {"diagnostics": {"a": 1}},
    {"diagnostics": [{"code": "KC201", "message": "m", "line": "1", "col": 0, "end_line": 1, "end_col": 1}]},
    {"diagnostics": [{"code": "KC201", "message": "m", "line": True, "col": 0, "end_line": 1, "end_col": 1}]},
    {"diagnostics": [{"code": "KC201", "message": "m", "line": 1, "col": 0, "end_line": 1, "end_col": 1,
                      "fix": {"title": "t", "safety": "bogus", "edits": []}}]},
    {"diagnostics": [{"code": "KC201", "message": "m", "line": 1, "col": 0, "end_line": 1, "end_col": 1,
                      "fix": {"title": "t", "safety": "safe", "edits": [[1, 2, 3]]}}]},
    {"diagnostics": [], "noqa": {"file": "yes", "lines": []}},
    {"diagnostics": [], "noqa": {"file": False, "lines": [[1, 5]]}},
    [],
    "diagnostics",
    None,
]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("entry", WRONG_SHAPES, ids=[str(n) for n in range(len(WRONG_SHAPES))])
def test_an_entry_of_the_wrong_shape_is_a_miss(tmp_path, capsys, monkeypatch, entry, jobs: str) -> None:
    tree(tmp_path, 12)
    expected = run(["check", "-j", "1", "--no-cache", "."], tmp_path, capsys, monkeypatch)
    run(["check", "-j", "1", "."], tmp_path, capsys, monkeypatch)
    entries = list((tmp_path / ".keras_compat_cache").rglob("*.json"))
    assert entries
    for path in entries:
        path.write_text(json.dumps(entry))
    calls = counting(monkeypatch)
    assert run(["check", "-j", jobs, "."], tmp_path, capsys, monkeypatch) == expected
    if jobs == "1":
        assert len(calls) == 12  # every file analysed again: each entry was a miss
    assert run(["check", "-j", jobs, "."], tmp_path, capsys, monkeypatch) == expected  # and rewritten


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited
    except OSError:
        return False


SLOW_RUN = """
import sys, time
from keras_compat.cli import main, runner
real = runner.analyse
def slow(text, filename, settings):
    time.sleep(120)
    return real(text, filename, settings)
runner.analyse = slow
sys.exit(main(["check", "--isolated", "--no-cache", "-j", "2", "."]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("start_method", ["fork", "forkserver", "spawn"])
def test_workers_exit_when_the_main_process_is_killed(tmp_path: Path, start_method: str) -> None:
    """Issue 23: after SIGKILL of the main process both -j workers stayed alive, re-parented to init and
    blocked on a pipe (one pair still alive after 9.5 minutes)."""
    import signal
    import time

    tree(tmp_path, 12)
    chosen = f"runner.analyse = slow\nimport multiprocessing as mp\nmp.set_start_method({start_method!r})"
    script = SLOW_RUN if start_method == "fork" else SLOW_RUN.replace("runner.analyse = slow", chosen)
    if start_method != "fork":  # the workers import the module afresh: slow them down there too
        (tmp_path / "sitecustomize.py").write_text(
            "import time\nfrom keras_compat.cli import runner\n_real = runner.analyse\n"
            "def _slow(*a):\n    time.sleep(120)\n    return _real(*a)\nrunner.analyse = _slow\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while time.monotonic() < deadline:
            workers = {p for p in _children(proc.pid) | {c for k in _children(proc.pid) for c in _children(k)}
                       if "resource_tracker" not in open(f"/proc/{p}/cmdline").read()}
            if len(workers) >= 2 and all(_alive(w) for w in workers):
                break
            time.sleep(0.2)
        assert len(workers) >= 2, "the workers did not start"
        time.sleep(1.0)  # they are busy in the slow analysis (or waiting for work)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    left = [w for w in workers if _alive(w)]
    for pid in left:  # do not leave them behind if the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers still alive 15 s after the main process was killed: {left}"


# -- the cache stays small (issue 23, defect 7) ------------------------------------------------------------

def _entries(root: Path) -> set[str]:
    return {p.name for p in (root / ".keras_compat_cache" / "v1").glob("??/*.json")}


def test_entries_the_last_run_did_not_use_are_pruned(tmp_path, capsys, monkeypatch) -> None:
    tree(tmp_path, 12)
    run(["check", "-j", "1", "."], tmp_path, capsys, monkeypatch)
    first = _entries(tmp_path)
    assert len(first) == 11  # m5 is Python 2: never cached
    run(["check", "-j", "1", "."], tmp_path, capsys, monkeypatch)
    assert _entries(tmp_path) == first  # a warm run keeps what it used
    (tmp_path / "pkg0" / "m0.py").write_text(RENAMED + "x = 1\n")  # a new version of one file
    (tmp_path / "pkg1" / "m1.py").unlink()  # and one file gone
    run(["check", "-j", "2", "."], tmp_path, capsys, monkeypatch)
    after = _entries(tmp_path)
    assert len(after) == 10 and len(after - first) == 1, "the old version and the deleted file's entry go"
    # another settings' entries are not this run's business, and a run over part of the tree keeps the rest
    run(["check", "-j", "1", "--keras-target", "keras3", "."], tmp_path, capsys, monkeypatch)
    assert len(_entries(tmp_path)) == 20
    run(["check", "-j", "1", "pkg2"], tmp_path, capsys, monkeypatch)
    assert len(_entries(tmp_path)) == 20
    (tmp_path / "pkg2" / "m2.py").write_text(RENAMED)
    run(["check", "-j", "1", "pkg2/m2.py"], tmp_path, capsys, monkeypatch)
    assert len(_entries(tmp_path)) == 20  # replaced, not added


def test_fixing_drops_the_entry_of_the_old_content(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "a.py").write_text(RENAMED)
    run(["check", "-j", "1", "a.py"], tmp_path, capsys, monkeypatch)
    before = _entries(tmp_path)
    run(["check", "-j", "1", "--fix", "a.py"], tmp_path, capsys, monkeypatch)
    after = _entries(tmp_path)
    assert len(after) == 1 and after != before


def test_the_cache_is_held_under_its_size_cap(tmp_path, capsys, monkeypatch) -> None:
    tree(tmp_path, 12)
    run(["check", "-j", "1", "."], tmp_path, capsys, monkeypatch)
    sizes = [p.stat().st_size for p in (tmp_path / ".keras_compat_cache" / "v1").glob("??/*.json")]
    cap = sum(sizes) * 2  # bytes; room for two settings' worth
    mb = f"{cap / 1e6:.6f}"
    oldest = {p.name for p in (tmp_path / ".keras_compat_cache" / "v1").glob("??/*.json")}
    for target in ("keras3", "tf-keras"):  # a third set of entries does not fit
        run(["check", "-j", "1", "--cache-max-size", mb, "--extend-ignore", "KC3" if target == "tf-keras"
             else "KC4", "--keras-target", target, "."], tmp_path, capsys, monkeypatch)
    files = list((tmp_path / ".keras_compat_cache" / "v1").glob("??/*.json"))
    assert sum(p.stat().st_size for p in files) <= cap
    assert not oldest & {p.name for p in files}, "the least recently used entries go first"
    code, out, _ = run(["check", "-j", "1", "--cache-max-size", "0", "."], tmp_path, capsys, monkeypatch)
    assert code == 2  # (m5.py is Python 2) the run itself is unaffected


def test_clean_deletes_the_cache_and_nothing_else(tmp_path, capsys, monkeypatch) -> None:
    tree(tmp_path, 4)
    run(["check", "-j", "1", "."], tmp_path, capsys, monkeypatch)
    assert (tmp_path / ".keras_compat_cache").is_dir()
    code, out, err = run(["clean"], tmp_path, capsys, monkeypatch)
    assert code == 0 and not (tmp_path / ".keras_compat_cache").exists()
    assert "Removed the cache at .keras_compat_cache (4 entries" in err
    code, _, err = run(["clean"], tmp_path, capsys, monkeypatch)
    assert code == 0 and "No cache at .keras_compat_cache." in err
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "data.txt").write_text("keep me")
    code, _, err = run(["clean", "--cache-dir", "precious"], tmp_path, capsys, monkeypatch)
    assert code == 2 and "not a keras-compat cache" in err and (tmp_path / "precious" / "data.txt").exists()
    (tmp_path / "pyproject.toml").write_text("[tool.keras-compat]\ncache-dir = 'build/kc'\n")
    run(["check", "-j", "1", "."], tmp_path, capsys, monkeypatch)
    assert (tmp_path / "build" / "kc").is_dir()
    code, _, err = run(["clean", "pkg0"], tmp_path, capsys, monkeypatch)  # configuration found as for check
    assert code == 0 and not (tmp_path / "build" / "kc").exists()


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b"[" * 100_000, b'{"summary": [1]}'])
def test_a_bad_summary_entry_is_a_miss(tmp_path: Path, content: bytes) -> None:
    from keras_compat.cli.cache import Cache

    cache = Cache(tmp_path / "cache")
    cache.summary_put("key", {"v": "x"})
    assert cache.summary_get("key") == {"v": "x"}
    entry = cache._entry(cache._summary_key("key"))
    Path(entry).write_bytes(content)
    assert cache.summary_get("key") is None
