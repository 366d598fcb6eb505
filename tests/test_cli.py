"""The keras-compat command: commands, exit codes, discovery, stdin, noqa, configuration, output.

Both ways in: real subprocess runs of ``python -m keras_compat`` and in-process ``main([...])``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from keras_compat import __version__
from keras_compat.cli import main
from keras_compat.cli import discovery, progress
from keras_compat.registry import all_rules

FINDING = "import keras\n"  # KC101 (unsafe fix), line 1 col 8
RENAMED = 'from keras.layers import Conv2D\nlayer = Conv2D(32, (3, 3), border_mode="same")\n'  # KC101 + KC201


def sub(args: list[str], cwd: Path, stdin: str | bytes | None = None, env: dict | None = None):
    data = stdin.encode() if isinstance(stdin, str) else stdin
    full_env = {**os.environ, **(env or {})}
    full_env.pop("CI", None) if env is None else None
    return subprocess.run([sys.executable, "-m", "keras_compat", *args], cwd=cwd, input=data,
                          capture_output=True, timeout=120, env=full_env)


def run(args: list[str], cwd: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


def reported(out: str) -> set[tuple[str, int, str]]:
    found = set()
    for line in out.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].isdigit():
            found.add((parts[0].replace(os.sep, "/"), int(parts[1]), parts[3].split()[0]))
    return found


# -- commands ------------------------------------------------------------------------------------------

def test_version_subprocess(tmp_path: Path) -> None:
    proc = sub(["--version"], tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.decode().strip() == f"keras-compat {__version__}"


def test_rules_lists_every_rule(tmp_path, capsys, monkeypatch) -> None:
    code, out, _ = run(["rules"], tmp_path, capsys, monkeypatch)
    assert code == 0
    for rule in all_rules():
        assert any(line.startswith(rule.code) and rule.symbol in line and rule.severity.value in line
                   for line in out.splitlines()), rule.code


def test_explain_prints_the_doc_page(tmp_path, capsys, monkeypatch) -> None:
    rule = next(r for r in all_rules() if r.code == "KC201")
    code, out, _ = run(["explain", "KC201"], tmp_path, capsys, monkeypatch)
    assert code == 0 and out.rstrip("\n") == rule.doc_markdown().rstrip("\n")
    code, out2, _ = run(["explain", rule.symbol], tmp_path, capsys, monkeypatch)
    assert code == 0 and out2 == out
    code, _, err = run(["explain", "KC999"], tmp_path, capsys, monkeypatch)
    assert code == 2 and "unknown rule" in err


def test_explain_subprocess(tmp_path: Path) -> None:
    proc = sub(["explain", "KC101"], tmp_path)
    assert proc.returncode == 0 and proc.stdout.decode().startswith("# KC101 ")


# -- exit codes ----------------------------------------------------------------------------------------

def test_exit_status_clean_findings_and_usage(tmp_path, capsys, monkeypatch) -> None:
    write(tmp_path, {"clean/a.py": "import os\n", "dirty/b.py": FINDING})
    assert run(["check", "--no-cache", "clean"], tmp_path, capsys, monkeypatch)[0] == 0
    code, out, err = run(["check", "--no-cache", "dirty"], tmp_path, capsys, monkeypatch)
    assert code == 1 and "dirty/b.py:1:8: KC101" in out.replace(os.sep, "/")
    assert "Checked 1 file: 1 finding" in err
    assert run(["check", "--select", "BOGUS", "dirty"], tmp_path, capsys, monkeypatch)[0] == 2
    assert run(["check", "--no-such-flag"], tmp_path, capsys, monkeypatch)[0] == 2
    code, _, err = run(["check", "--no-cache", "dirty", "missing.py"], tmp_path, capsys, monkeypatch)
    assert code == 2 and "missing.py: no such file" in err
    assert run(["--no-cache", "dirty"], tmp_path, capsys, monkeypatch)[0] == 1  # check is the default command


def test_unparsable_file_exit_2_and_run_goes_on(tmp_path: Path) -> None:
    write(tmp_path, {"a_py2.py": 'import keras\nprint "x"\n', "b.py": FINDING,
                     "c_bad_bytes.py": b"import keras\nx = '\xff\xfe'\n"})
    proc = sub(["check", "--no-cache", "."], tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 2
    assert ("a_py2.py", 2, "KC001") in reported(out) and "looks like Python 2" in out
    assert ("b.py", 1, "KC101") in reported(out)
    assert ("c_bad_bytes.py", 2, "KC001") in reported(out) and "cannot decode" in out
    assert "2 files could not be read or parsed" in proc.stderr.decode()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_unparsable_files_without_keras_are_kc001(tmp_path: Path, capsys, monkeypatch, jobs: str) -> None:
    """Issue 23, defect 3: the text pre-filter ran before parsing, so a Python 2 or broken file that does
    not mention Keras passed with exit 0. The CLI parses every file; the plugins keep the shortcut."""
    write(tmp_path, {"py2.py": 'print "hello"\n', "broken.py": "def f(:\n    pass\n", "fine.py": "x = 1\n",
                     **{f"more{n}.py": "y = 2\n" for n in range(8)}})
    code, out, err = run(["check", "--isolated", "--no-cache", "-j", jobs, "."], tmp_path, capsys, monkeypatch)
    assert code == 2, (out, err)
    assert ("py2.py", 1, "KC001") in reported(out) and "looks like Python 2: print statement" in out
    assert ("broken.py", 1, "KC001") in reported(out) and "syntax error" in out
    assert {p for p, _, _ in reported(out)} == {"py2.py", "broken.py"}
    assert "2 files could not be read or parsed" in err
    code, out, _ = run(["check", "--isolated", "--no-cache", "fine.py"], tmp_path, capsys, monkeypatch)
    assert code == 0 and out == ""


def test_unreadable_file_is_reported(tmp_path, capsys, monkeypatch) -> None:
    from keras_compat.cli import runner

    write(tmp_path, {"a.py": FINDING, "b.py": FINDING})
    real_open = os.open

    def fake_open(path, *args, **kwargs):
        if str(path).endswith("a.py"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(runner.os, "open", fake_open)
    code, out, _ = run(["check", "--no-cache", "-j", "1", "."], tmp_path, capsys, monkeypatch)
    assert code == 2
    assert "a.py:1:1: KC001 cannot analyse file: cannot read file: Permission denied" in out
    assert ("b.py", 1, "KC101") in reported(out)


# -- discovery -----------------------------------------------------------------------------------------

TREE = {
    "pkg/a.py": FINDING, "pkg/sub/b.py": FINDING, "pkg/sub/gen_pb2.py": FINDING, "gen/c.py": FINDING,
    "notes.txt": FINDING, "script": FINDING,
    ".git/hooks/x.py": FINDING, "env/pyvenv.cfg": "home = /usr\n", "env/lib/y.py": FINDING,
    ".venv/z.py": FINDING, "build/lib/d.py": FINDING, "dist/e.py": FINDING, "pkg/__pycache__/f.py": FINDING,
    "node_modules/g.py": FINDING, ".tox/h.py": FINDING, ".nox/i.py": FINDING,
    "lib/site-packages/j.py": FINDING,
    ".keras_compat_cache/k.py": FINDING, "x.egg-info/l.py": FINDING,
}


def test_default_skips(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, TREE)
    code, out, err = run(["check", "--no-cache", "-j", "1"], tmp_path, capsys, monkeypatch)
    assert code == 1
    assert {p for p, _, _ in reported(out)} == {"pkg/a.py", "pkg/sub/b.py", "pkg/sub/gen_pb2.py", "gen/c.py"}
    assert "Checked 4 files" in err


def test_excludes_and_explicit_files(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, TREE)
    code, out, _ = run(["check", "--no-cache", "--exclude", "gen,*_pb2.py", "."], tmp_path, capsys,
                       monkeypatch)
    assert {p for p, _, _ in reported(out)} == {"pkg/a.py", "pkg/sub/b.py"}
    code, out, _ = run(["check", "--no-cache", "--extend-exclude", "pkg/sub/", "."], tmp_path, capsys,
                       monkeypatch)
    assert {p for p, _, _ in reported(out)} == {"pkg/a.py", "gen/c.py"}
    # named explicitly: always checked, whatever the patterns and default skips say
    code, out, _ = run(["check", "--no-cache", "--exclude", "gen", "gen/c.py", ".venv/z.py", "script"],
                       tmp_path, capsys, monkeypatch)
    assert {p for p, _, _ in reported(out)} == {"gen/c.py", ".venv/z.py", "script"}


def test_pattern_semantics() -> None:
    m = discovery.matches
    assert m("a/b/gen/x.py", "gen") and m("gen", "gen", is_dir=True)
    assert m("src/x_pb2.py", "*_pb2.py") and not m("src/x_pb2.pyc", "*_pb2.py")
    assert m("src/gen/x.py", "src/gen") and not m("other/src/gen/x.py", "src/gen")
    assert m("src/gen/x.py", "/src/gen/*.py") and not m("src/gen/deep/x.py", "src/gen/*.py")
    assert m("src/gen/deep/x.py", "src/**/x.py") and m("src/x.py", "src/**/x.py")
    assert m("a/build2/x.py", "build?") and not m("a/build/x.py", "build?")
    assert m("a/tmp/x.py", "tmp/") and not m("a/tmp", "tmp/")  # trailing slash: directories only
    assert m("t/test_x.py", "test_[a-z].py")


def test_patterns_have_gitignore_semantics() -> None:
    """Negation and anchoring as in .gitignore (pathspec's GitIgnoreSpec; the last matching pattern wins)."""
    many = discovery.matches_any
    assert many("gen/x.py", ["gen/*", "!gen/keep.py"]) and not many("gen/keep.py", ["gen/*", "!gen/keep.py"])
    assert many("gen/keep.py", ["!gen/keep.py", "gen/*"])  # order matters: here the exclusion wins
    assert many("src/a.py", ["/src"]) and not many("lib/src/a.py", ["/src"])
    assert many("lib/src/a.py", ["src"]) and many("src/a.py", ["./src"])
    assert many("a/b/c/d.py", ["a/**/d.py"]) and not many("x/a/b/d.py", ["a/**/d.py"])
    assert many("docs", ["docs/"], is_dir=True) and not many("docs", ["docs/"])
    assert many("a/#x.py", [r"\#x.py"]) and not many("a/x.py", ["# a comment"])


def test_relative_paths(tmp_path: Path, monkeypatch) -> None:
    """Paths in patterns, per-file ignores and cache keys: ``/``-separated below the root, absolute outside."""
    rel = discovery.relative
    assert rel(tmp_path / "a" / "b.py", tmp_path) == "a/b.py"
    assert rel(tmp_path, tmp_path) == "."
    assert rel(Path(f"{tmp_path}x") / "b.py", tmp_path) == f"{tmp_path}x/b.py"  # a sibling sharing the prefix
    assert rel(tmp_path / "a" / ".." / "c.py", tmp_path) == "c.py"
    assert rel(tmp_path / "a.py", Path(tmp_path.anchor)) == (tmp_path / "a.py").as_posix().lstrip("/")
    monkeypatch.chdir(tmp_path)
    assert rel(Path("x.py"), tmp_path) == "x.py"


IGNORED_TREE = {
    ".gitignore": "generated/\n*.tmp.py\n!keep.tmp.py\n",
    ".ignore": "vendored/\n",
    "sub/.gitignore": "local.py\n",
    "ok.py": FINDING, "keep.tmp.py": FINDING, "x.tmp.py": FINDING, "generated/a.py": FINDING,
    "sub/b.py": FINDING, "sub/local.py": FINDING, "sub/y.tmp.py": FINDING, "vendored/c.py": FINDING,
    "scratch.py": FINDING,
}


def _repo(root: Path) -> None:
    write(root, {**IGNORED_TREE, ".git/info/exclude": "scratch.py\n", ".git/HEAD": "ref: refs/heads/main\n"})


def test_gitignore_and_ignore_files_are_respected(tmp_path: Path, capsys, monkeypatch) -> None:
    _repo(tmp_path)
    code, out, _ = run(["check", "--no-cache", "-j", "1"], tmp_path, capsys, monkeypatch)
    assert {p for p, _, _ in reported(out)} == {"ok.py", "keep.tmp.py", "sub/b.py"}
    # walking a subdirectory: the repository root's .gitignore and the directory's own both apply
    code, out, _ = run(["check", "--no-cache", "-j", "1", "sub"], tmp_path, capsys, monkeypatch)
    assert {p for p, _, _ in reported(out)} == {"sub/b.py"}
    code, out, _ = run(["check", "--no-cache", "-j", "1", "--no-respect-gitignore"], tmp_path, capsys, monkeypatch)
    assert {p for p, _, _ in reported(out)} == {p for p in IGNORED_TREE if p.endswith(".py")}
    write(tmp_path, {"pyproject.toml": "[tool.keras-compat]\nrespect-gitignore = false\n"})
    code, out, _ = run(["check", "--no-cache", "-j", "1"], tmp_path, capsys, monkeypatch)
    assert len(reported(out)) == 9
    code, out, _ = run(["check", "--no-cache", "-j", "1", "--respect-gitignore"], tmp_path, capsys, monkeypatch)
    assert len(reported(out)) == 3


def test_gitignore_needs_a_repository_but_ignore_does_not(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, IGNORED_TREE)  # no .git: .gitignore files are someone else's business, .ignore is ours
    code, out, _ = run(["check", "--no-cache", "-j", "1"], tmp_path, capsys, monkeypatch)
    assert {p for p, _, _ in reported(out)} == {p for p in IGNORED_TREE if p.endswith(".py")} - {"vendored/c.py"}


def test_force_exclude_applies_the_exclusions_to_named_files(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, TREE)
    _repo(tmp_path / "r")
    named = ["gen/c.py", ".venv/z.py", "pkg/a.py", "r/x.tmp.py", "r/generated/a.py", "r/ok.py"]
    code, out, _ = run(["check", "--no-cache", "--exclude", "gen", *named], tmp_path, capsys, monkeypatch)
    assert {p for p, _, _ in reported(out)} == set(named)  # named explicitly: checked
    code, out, err = run(["check", "--no-cache", "--exclude", "gen", "--force-exclude", *named], tmp_path,
                         capsys, monkeypatch)
    assert code == 1 and {p for p, _, _ in reported(out)} == {"pkg/a.py", "r/ok.py"}
    code, out, _ = run(["check", "--no-cache", "--exclude", "gen", "--force-exclude", "gen"], tmp_path, capsys,
                       monkeypatch)
    assert code == 0 and out == ""  # an excluded directory named explicitly
    write(tmp_path, {"pyproject.toml": "[tool.keras-compat]\nexclude = ['gen']\nforce-exclude = true\n"})
    code, out, _ = run(["check", "--no-cache", "gen/c.py", "pkg/a.py"], tmp_path, capsys, monkeypatch)
    assert {p for p, _, _ in reported(out)} == {"pkg/a.py"}
    code, out, _ = run(["check", "--no-cache", "--no-force-exclude", "gen/c.py"], tmp_path, capsys, monkeypatch)
    assert {p for p, _, _ in reported(out)} == {"gen/c.py"}


def test_force_exclude_with_stdin(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.keras-compat]\nexclude = ['gen']\n"})
    args = ["check", "--no-cache", "--force-exclude", "--fix", "--unsafe-fixes", "-", "--stdin-filename"]
    proc = sub([*args, "gen/c.py"], tmp_path, stdin=RENAMED)
    assert proc.returncode == 0 and proc.stdout.decode() == RENAMED  # excluded: passed through unchanged
    proc = sub([*args, "src/c.py"], tmp_path, stdin=RENAMED)
    assert "padding" in proc.stdout.decode()


# -- stdin ---------------------------------------------------------------------------------------------

def test_stdin(tmp_path: Path) -> None:
    proc = sub(["check", "--no-cache", "-"], tmp_path, stdin=RENAMED)
    assert proc.returncode == 1
    assert reported(proc.stdout.decode()) == {("stdin", 1, "KC101"), ("stdin", 2, "KC201")}
    proc = sub(["check", "--no-cache", "-", "--stdin-filename", "src/model.py"], tmp_path, stdin=RENAMED)
    assert {p for p, _, _ in reported(proc.stdout.decode())} == {"src/model.py"}
    proc = sub(["check", "--no-cache", "-", "--stdin-filename", "src/model.py",
                "--per-file-ignores", "src/*.py:KC1"], tmp_path, stdin=RENAMED)
    assert reported(proc.stdout.decode()) == {("src/model.py", 2, "KC201")}


def test_stdin_fix_prints_the_fixed_source(tmp_path: Path) -> None:
    proc = sub(["check", "--no-cache", "--fix", "-"], tmp_path, stdin=RENAMED.encode())
    assert proc.stdout.decode() == RENAMED.replace("border_mode", "padding")
    assert ("stdin", 1, "KC101") in reported(proc.stderr.decode())  # findings go to stderr then
    assert proc.returncode == 1
    proc = sub(["check", "--no-cache", "--diff", "-"], tmp_path, stdin=RENAMED)
    assert proc.returncode == 1 and '+layer = Conv2D(32, (3, 3), padding="same")' in proc.stdout.decode()


# -- noqa ----------------------------------------------------------------------------------------------

NOQA_SOURCE = textwrap.dedent('''\
    import keras  # noqa
    import keras.backend as K  # noqa: KC101
    from keras.layers import Dense  # noqa:KC1
    from keras.layers import Conv2D  # noqa: E501
    from keras.layers import Flatten  # noqa: KC
    from keras.layers import Dropout  # NOQA : F401
    from keras.layers import Input  # noqa: KC201,KC101
    layer = Conv2D(32, (3, 3),
                   border_mode="same")
    other = Conv2D(32, (3, 3),  # noqa: KC201
                   border_mode="same")
    doc = """
    multi-line string # noqa: KC2
    """; layer2 = Conv2D(border_mode="same")
    ''')


def test_noqa_semantics(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, {"m.py": NOQA_SOURCE})
    code, out, err = run(["check", "--no-cache", "m.py"], tmp_path, capsys, monkeypatch)
    assert reported(out) == {("m.py", 4, "KC101"), ("m.py", 9, "KC201"), ("m.py", 11, "KC201")}
    assert "suppressed by noqa" in err
    code, out, _ = run(["check", "--no-cache", "--show-suppressed", "m.py"], tmp_path, capsys, monkeypatch)
    assert "m.py:1:8: KC101" in out and "(suppressed by noqa)" in out
    assert ("m.py", 14, "KC201") in reported(out)


def test_noqa_matches_flake8(tmp_path: Path) -> None:
    """Same file through flake8 (with our plugin) and through the CLI: the same findings survive."""
    pytest.importorskip("flake8")
    write(tmp_path, {"m.py": NOQA_SOURCE})
    cli = sub(["check", "--no-cache", "--isolated", "m.py"], tmp_path)
    flake8 = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select=KC", "m.py"],
                            cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert reported(cli.stdout.decode()) == reported(flake8.stdout)


CONTINUED = textwrap.dedent('''\
    from keras.layers import Dense  # noqa: KC101
    a = Dense(3, init="zero").units + \\
        1  # noqa: KC201
    b = Dense(3, init="zero").units + \\
        1
    c = (Dense(3, init="zero"),  # noqa: KC201
         Dense(3, init="zero"))
    d = f"""{Dense(3, init='zero')}
    """  # noqa: KC201
    ''')


def test_noqa_ranges_match_flake8(tmp_path: Path) -> None:
    """flake8 reads a noqa anywhere in the lines between two NL/NEWLINE tokens: backslash continuations
    and multi-line strings share one range, lines inside brackets do not (the CLI read only strings)."""
    write(tmp_path, {"c.py": CONTINUED})
    cli = sub(["check", "--no-cache", "--isolated", "--no-show-source", "c.py"], tmp_path)
    flake8 = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select=KC", "c.py"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert reported(cli.stdout.decode()) == reported(flake8.stdout) == {("c.py", 4, "KC201"), ("c.py", 7, "KC201")}


def test_file_level_noqa(tmp_path, capsys, monkeypatch) -> None:
    write(tmp_path, {"a.py": "# flake8: noqa\n" + RENAMED, "b.py": "# keras-compat: noqa\n" + RENAMED,
                     "c.py": "# flake8: noqa: KC101\n" + RENAMED})
    code, out, err = run(["check", "--no-cache", "."], tmp_path, capsys, monkeypatch)
    assert {p for p, _, _ in reported(out)} == {"c.py"}  # with codes it is not a file-level directive
    assert "4 suppressed by noqa" in err
    write(tmp_path, {"c.py": "x = 1\n"})
    code, out, _ = run(["check", "--no-cache", "--fix", "."], tmp_path, capsys, monkeypatch)
    assert code == 0 and (tmp_path / "a.py").read_text() == "# flake8: noqa\n" + RENAMED  # never fixed


# -- configuration -------------------------------------------------------------------------------------

def test_config_found_by_walking_up(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.keras-compat]\nselect = ["KC2"]\nexclude = ["legacy"]\n'
                                       '[tool.keras-compat.per-file-ignores]\n"tests/*.py" = ["KC201"]\n',
                     "src/pkg/m.py": RENAMED, "src/legacy/old.py": RENAMED, "tests/t.py": RENAMED})
    code, out, _ = run(["check", "--no-cache", "src/pkg"], tmp_path, capsys, monkeypatch)
    assert reported(out) == {("src/pkg/m.py", 2, "KC201")}
    code, out, _ = run(["check", "--no-cache", "."], tmp_path, capsys, monkeypatch)
    assert reported(out) == {("src/pkg/m.py", 2, "KC201")}  # legacy excluded, tests per-file-ignored
    code, out, _ = run(["check", "--no-cache", "--isolated", "."], tmp_path / "src", capsys, monkeypatch)
    assert len(reported(out)) == 4
    code, out, _ = run(["check", "--no-cache", "--select", "KC1", "src/pkg"], tmp_path, capsys, monkeypatch)
    assert reported(out) == {("src/pkg/m.py", 1, "KC101")}  # the command line replaces select
    code, out, _ = run(["check", "--no-cache", "--extend-ignore", "KC201", "src/pkg"], tmp_path, capsys,
                       monkeypatch)
    assert code == 0 and reported(out) == set()


@pytest.mark.parametrize("body, needle", [
    ('bogus-key = 1', "unknown option 'bogus-key'"),
    ('select = 5', "select"),
    ('select = ["XX1"]', "select"),
    ('keras-target = "keras9"', "keras-target"),
    ('exclude = "a"\nextend-exclude = [1]', "extend-exclude"),
    ('per-file-ignores = ["x"]', "per-file-ignores"),
    ('[tool.keras-compat.per-file-ignores]\n"a.py" = ["BAD"]', "per-file-ignores"),
    ('select = [', "invalid TOML"),
])
def test_config_errors_name_key_and_file(tmp_path: Path, capsys, monkeypatch, body: str, needle: str) -> None:
    write(tmp_path, {"pyproject.toml": f"[tool.keras-compat]\n{body}\n", "a.py": RENAMED})
    code, out, err = run(["check", "--no-cache", "a.py"], tmp_path, capsys, monkeypatch)
    assert code == 2, err
    assert needle in err and "pyproject.toml" in err
    assert out == ""


def test_config_error_subprocess_and_config_flag(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.keras-compat]\nnope = true\n", "a.py": RENAMED,
                     "alt/kc.toml": '[tool.keras-compat]\nselect = ["KC201"]\n'})
    proc = sub(["check", "a.py"], tmp_path)
    assert proc.returncode == 2 and "unknown option 'nope'" in proc.stderr.decode()
    proc = sub(["check", "--no-cache", "--config", "alt/kc.toml", "a.py"], tmp_path)
    assert proc.returncode == 1 and reported(proc.stdout.decode()) == {("a.py", 2, "KC201")}
    assert sub(["check", "--config", "missing.toml", "a.py"], tmp_path).returncode == 2


# -- output --------------------------------------------------------------------------------------------

def test_text_format_columns_help_and_source(tmp_path: Path, capsys, monkeypatch) -> None:
    source = 'from keras.layers import Conv2D\nété = "ü"; c = Conv2D(32, (3, 3), border_mode="same")\n'
    write(tmp_path, {"u.py": source})
    code, out, _ = run(["check", "--no-cache", "--show-source", "u.py"], tmp_path, capsys, monkeypatch)
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if "KC201" in line)
    col = 'été = "ü"; c = Conv2D(32, (3, 3), '.__len__() + 1
    assert lines[i].startswith(f"u.py:2:{col}: KC201 [*] ")
    assert lines[i + 1] == '    été = "ü"; c = Conv2D(32, (3, 3), border_mode="same")'
    assert lines[i + 2] == "    " + " " * (col - 1) + "^" * len('border_mode="same"')
    assert lines[i + 3].startswith("  help: ")
    kc101 = next(line for line in lines if "KC101" in line)
    assert "[*]" not in kc101  # unsafe fix: not applicable without --unsafe-fixes
    assert "(unsafe fix: use --unsafe-fixes)" in out
    code, out, _ = run(["check", "--no-cache", "--unsafe-fixes", "u.py"], tmp_path, capsys, monkeypatch)
    assert "KC101 [*]" in out


def test_json_format_and_statistics(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, {"a.py": RENAMED})
    code, out, _ = run(["check", "--no-cache", "--format", "json", "a.py"], tmp_path, capsys, monkeypatch)
    data = json.loads(out)
    assert code == 1 and {(d["code"], d["line"], d["column"]) for d in data} == {("KC101", 1, 6), ("KC201",
                                                                                                   2, 28)}
    kc201 = next(d for d in data if d["code"] == "KC201")
    assert kc201["fix"]["applicability"] == "safe" and kc201["fix"]["edits"]
    code, out, _ = run(["check", "--no-cache", "--statistics", "-q", "a.py"], tmp_path, capsys, monkeypatch)
    assert any(line.split() == ["1", "KC201", "renamed-keras-argument"] for line in out.splitlines())


def test_quiet_and_no_progress_in_pipes(tmp_path: Path) -> None:
    write(tmp_path, {f"m{i}.py": FINDING for i in range(25)})
    proc = sub(["check", "--no-cache", "."], tmp_path)
    assert "\r" not in proc.stderr.decode() and "Checked 25 files" in proc.stderr.decode()
    proc = sub(["check", "--no-cache", "-q", "."], tmp_path)
    assert proc.stderr.decode() == "" and proc.returncode == 1


def test_progress_only_on_a_terminal(monkeypatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert progress.wanted(Tty(), 100)  # type: ignore[arg-type]
    assert not progress.wanted(Tty(), 3)  # type: ignore[arg-type]
    monkeypatch.setenv("CI", "true")
    assert not progress.wanted(Tty(), 100)  # type: ignore[arg-type]


def test_select_all_enables_every_rule(tmp_path: Path, capsys, monkeypatch) -> None:
    """Issue 23, defect 6: ``--select ALL`` left out the off-by-default rules; in ruff ALL is every rule."""
    from keras_compat.settings import Settings

    off = [r for r in all_rules() if not r.default_enabled]
    assert off, "no off-by-default rule to test with"
    everything = Settings(select=("ALL",))
    assert all(everything.enabled(r.code) for r in all_rules())
    assert not any(Settings(select=("KC",)).enabled(r.code) for r in off)
    assert not any(Settings(select=("ALL",), ignore=(r.code,)).enabled(r.code) for r in off)
    rule = off[0]
    write(tmp_path, {"m.py": rule.bad[0].code})
    code, out, _ = run(["check", "--isolated", "--no-cache", "--select", "ALL", "m.py"], tmp_path, capsys, monkeypatch)
    assert rule.code in {c for _, _, c in reported(out)}
    code, out, _ = run(["check", "--isolated", "--no-cache", "m.py"], tmp_path, capsys, monkeypatch)
    assert rule.code not in {c for _, _, c in reported(out)}


# -- ruff/flake8 conventions (issue 23) ---------------------------------------------------------------------

def test_source_and_caret_are_shown_by_default(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, {"r.py": RENAMED})
    code, out, _ = run(["check", "--no-cache", "r.py"], tmp_path, capsys, monkeypatch)
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if "KC201" in line)
    assert lines[i + 1] == '    layer = Conv2D(32, (3, 3), border_mode="same")'
    assert lines[i + 2].strip() == "^" * len('border_mode="same"')
    code, out, _ = run(["check", "--no-cache", "--no-show-source", "r.py"], tmp_path, capsys, monkeypatch)
    assert "^" not in out and "    layer" not in out and len(out.splitlines()) == 4  # 2 findings, 2 help lines


@pytest.mark.parametrize("choice, env, tty, colored", [
    ("auto", {}, True, True), ("auto", {}, False, False), ("auto", {"NO_COLOR": "1"}, True, False),
    ("auto", {"FORCE_COLOR": "1"}, False, True), ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
    ("auto", {"NO_COLOR": ""}, True, True), ("auto", {"TERM": "dumb"}, True, False),
    ("always", {"NO_COLOR": "1"}, False, True), ("never", {"FORCE_COLOR": "1"}, True, False),
])
def test_color_choice(monkeypatch, choice: str, env: dict, tty: bool, colored: bool) -> None:
    from keras_compat.cli.check import wants_color

    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    class Stream:
        def isatty(self) -> bool:
            return tty

    assert wants_color(choice, Stream()) is colored  # type: ignore[arg-type]


def test_color_in_the_text_report(tmp_path: Path) -> None:
    write(tmp_path, {"r.py": RENAMED})
    plain = sub(["check", "--no-cache", "r.py"], tmp_path, env={"NO_COLOR": "", "FORCE_COLOR": ""}).stdout.decode()
    forced = sub(["check", "--no-cache", "r.py"], tmp_path, env={"FORCE_COLOR": "1"}).stdout.decode()
    assert "\x1b[" not in plain  # a pipe: no colour
    assert "\x1b[1m\x1b[31mKC201\x1b[0m" in forced and "\x1b[36m[*]\x1b[0m" in forced
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", forced) == plain  # the same text, only coloured
    never = sub(["check", "--no-cache", "--color", "never", "r.py"], tmp_path, env={"FORCE_COLOR": "1"})
    assert never.stdout.decode() == plain
    to_file = sub(["check", "--no-cache", "--color", "auto", "-o", "out.txt", "r.py"], tmp_path,
                  env={"FORCE_COLOR": "1"})
    assert to_file.returncode == 1 and "\x1b[" not in (tmp_path / "out.txt").read_text()


def test_exit_zero_and_exit_non_zero_on_fix(tmp_path: Path, capsys, monkeypatch) -> None:
    fixable = 'from tensorflow.keras.layers import Conv2D\nlayer = Conv2D(32, (3, 3), border_mode="same")\n'
    write(tmp_path, {"a.py": fixable, "b.py": "print 'py2'\n"})
    assert run(["check", "--no-cache", "a.py"], tmp_path, capsys, monkeypatch)[0] == 1
    assert run(["check", "--no-cache", "--exit-zero", "a.py"], tmp_path, capsys, monkeypatch)[0] == 0
    assert run(["check", "--no-cache", "--exit-zero", "a.py", "b.py"], tmp_path, capsys, monkeypatch)[0] == 0
    assert run(["check", "--no-cache", "--exit-zero", "a.py", "missing.py"], tmp_path, capsys, monkeypatch)[0] == 2
    assert run(["check", "--exit-zero", "--select", "BOGUS", "a.py"], tmp_path, capsys, monkeypatch)[0] == 2
    code, _, err = run(["check", "--exit-zero", "--exit-non-zero-on-fix", "a.py"], tmp_path, capsys, monkeypatch)
    assert code == 2 and "not allowed with" in err
    # --fix leaves nothing: 0, unless --exit-non-zero-on-fix asks to hear about the change
    assert run(["check", "--no-cache", "--fix", "--exit-non-zero-on-fix", "a.py"], tmp_path, capsys,
               monkeypatch)[0] == 1
    assert "padding" in (tmp_path / "a.py").read_text()
    assert run(["check", "--no-cache", "--fix", "--exit-non-zero-on-fix", "a.py"], tmp_path, capsys,
               monkeypatch)[0] == 0  # nothing changed this time
    write(tmp_path, {"a.py": fixable})
    assert run(["check", "--no-cache", "--fix", "a.py"], tmp_path, capsys, monkeypatch)[0] == 0


def test_show_fixes_lists_what_was_fixed(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, {"a.py": RENAMED + "other = Conv2D(8, (3, 3), border_mode='valid')\n", "b.py": "x = 1\n"})
    code, out, err = run(["check", "--no-cache", "--diff", "--show-fixes", "."], tmp_path, capsys, monkeypatch)
    assert "Would fix 2 findings in 1 file:\n- a.py:\n    2 \u00d7 KC201 (renamed-keras-argument)\n" in err
    code, out, err = run(["check", "--no-cache", "--fix", "--unsafe-fixes", "--show-fixes", "."], tmp_path, capsys,
                         monkeypatch)
    assert "Fixed 3 findings in 1 file:\n- a.py:\n    1 \u00d7 KC101 (standalone-keras-import)\n" \
           "    2 \u00d7 KC201 (renamed-keras-argument)\n" in err
    code, out, err = run(["check", "--no-cache", "--fix", "--show-fixes", "."], tmp_path, capsys, monkeypatch)
    assert "No fixes applied." in err


# -- cosmetics (issue 23, defect 8) -----------------------------------------------------------------------

def test_an_unknown_flag_shows_the_usage_of_check(tmp_path: Path) -> None:
    for args in (["check", "--no-such-flag"], ["--no-such-flag", "."]):
        err = sub(args, tmp_path).stderr.decode()
        assert err.startswith("usage: keras-compat check ") and "unrecognized arguments: --no-such-flag" in err
    err = sub(["explain", "KC201", "--bogus"], tmp_path).stderr.decode()
    assert err.startswith("usage: keras-compat explain ")


def test_a_mistyped_command_is_named(tmp_path: Path) -> None:
    proc = sub(["rule"], tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "unknown command 'rule' (did you mean 'rules'?" in err
    assert "no such file or directory" not in err
    write(tmp_path, {"rule": FINDING})  # a file of that name is checked as before
    assert sub(["rule"], tmp_path).returncode == 1


def test_summary_does_not_suggest_the_flag_it_was_given(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, {"n.py": "import keras  # noqa\n"})
    _, _, err = run(["check", "--no-cache", "n.py"], tmp_path, capsys, monkeypatch)
    assert "1 suppressed by noqa (--show-suppressed lists them)" in err
    _, _, err = run(["check", "--no-cache", "--show-suppressed", "n.py"], tmp_path, capsys, monkeypatch)
    assert "1 suppressed by noqa." in err and "--show-suppressed lists" not in err


def test_github_summary_counts_are_plural_only_when_plural(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, {"a.py": RENAMED})
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run(["check", "--no-cache", "--format", "github", "a.py"], tmp_path, capsys, monkeypatch)
    text = summary.read_text()
    assert "2 findings in 1 file (" in text and "0 files could not be analysed" in text
    assert "in 1 files" not in text


def test_rules_marks_off_by_default_once(tmp_path: Path, capsys, monkeypatch) -> None:
    code, out, _ = run(["rules"], tmp_path, capsys, monkeypatch)
    assert "(off by default) (off by default)" not in out
    for rule in all_rules():
        line = next(line for line in out.splitlines() if line.startswith(rule.code))
        assert line.count("(off by default)") == (0 if rule.default_enabled else 1)
