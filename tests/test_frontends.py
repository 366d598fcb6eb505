"""The real flake8 and pylint, in-process and as subprocesses, report what the core reports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.examples import cases, everything
from support.frontends import parse_flake8, parse_pylint, run_flake8, run_pylint

from keras_compat.engine import lint_source
from keras_compat.settings import TARGETS

LEGACY = '''import keras.backend as K
from keras.layers import Convolution2D, Dense
model.add(Convolution2D(32, 3, 3, border_mode="same", init="he_normal"))
model.fit(x, y, nb_epoch=10)
'''


@pytest.fixture(scope="module", params=TARGETS)
def example_dir(request, tmp_path_factory) -> tuple[Path, str]:
    """Every rule example for one target, written as its own module, with that target."""
    target = request.param
    root = tmp_path_factory.mktemp(f"examples-{target}")
    for case in cases():
        if case.rule.code == "KC001" or case.target != target:
            continue  # KC001 is unparsable on purpose: flake8 (E999) and pylint (E0001) report those themselves
        (root / f"{case.id.replace('-', '_').lower()}.py").write_text(case.code, encoding="utf-8")
    return root, target


def _core(root: Path, target: str = "tf-keras") -> set[tuple[str, int, int, str]]:
    found = set()
    for path in sorted(root.glob("*.py")):
        rel = os.path.normpath(str(path.relative_to(root)))
        for d in lint_source(path.read_bytes(), str(path), everything(target)):
            found.add((rel, d.line, d.col, d.code))
    return found


def _files(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob("*.py"))


@pytest.mark.parametrize("subprocess_mode", [False, True], ids=["in-process", "subprocess"])
def test_flake8_reports_what_the_core_reports(example_dir, subprocess_mode) -> None:
    root, target = example_dir
    status, out, err = run_flake8(_files(root), f"--keras-target={target}", subprocess_mode=subprocess_mode,
                                  cwd=root)
    assert "Traceback" not in err
    expected = _core(root, target)
    assert expected, "the examples must produce findings"
    assert parse_flake8(out) == expected
    assert status == 1


@pytest.mark.parametrize("subprocess_mode", [False, True], ids=["in-process", "subprocess"])
def test_pylint_reports_what_the_core_reports(example_dir, subprocess_mode) -> None:
    root, target = example_dir
    status, out, err = run_pylint(_files(root), f"--keras-target={target}", subprocess_mode=subprocess_mode,
                                  cwd=root)
    assert "Traceback" not in err and "astroid-error" not in out
    assert parse_pylint(out) == _core(root, target)
    assert status & 2 or status & 4  # error and/or warning bits


def test_flake8_parallel_jobs_equal_serial(example_dir) -> None:
    root, target = example_dir
    _, serial, _ = run_flake8(_files(root), "-j1", f"--keras-target={target}", subprocess_mode=True, cwd=root)
    _, parallel, _ = run_flake8(_files(root), "-j2", f"--keras-target={target}", subprocess_mode=True, cwd=root)
    assert parse_flake8(serial) == parse_flake8(parallel) and parse_flake8(serial)


def test_pylint_parallel_jobs_equal_serial(example_dir) -> None:
    root, target = example_dir
    files = _files(root)[:40]
    _, serial, _ = run_pylint(files, "-j1", f"--keras-target={target}", subprocess_mode=True, cwd=root)
    _, parallel, _ = run_pylint(files, "-j2", f"--keras-target={target}", subprocess_mode=True, cwd=root)
    assert parse_pylint(serial) == parse_pylint(parallel) and parse_pylint(serial)


def test_flake8_stdin_as_editors_call_it(tmp_path) -> None:
    status, out, err = run_flake8(["-", "--stdin-display-name", "model.py"], subprocess_mode=True,
                                  cwd=tmp_path, stdin=LEGACY)
    codes = sorted(c for _, _, _, c in parse_flake8(out))
    assert codes == ["KC101", "KC101", "KC201", "KC201", "KC201", "KC202", "KC203"]
    assert all(line.startswith("model.py:") for line in out.splitlines())


def test_pylint_from_stdin(tmp_path) -> None:
    (tmp_path / "model.py").write_text("x = 1\n")  # stale file on disk must not be read
    status, out, err = run_pylint(["--from-stdin", "model.py"], subprocess_mode=True, cwd=tmp_path, stdin=LEGACY)
    assert len(parse_pylint(out)) == 7


def test_noqa_and_pylint_disable(tmp_path) -> None:
    source = ('from keras.layers import Conv2D  # noqa: KC101\n'
              'a = Conv2D(8, (3, 3), border_mode="same")  # noqa: KC201\n'
              'b = Conv2D(8, (3, 3), border_mode="same")  # noqa: E501\n'
              'c = Conv2D(8, (3, 3), border_mode="same")  # pylint: disable=renamed-keras-argument\n'
              'd = Conv2D(8, (3, 3), border_mode="same")  # pylint: disable=E7201\n')
    (tmp_path / "m.py").write_text(source)
    _, out, _ = run_flake8(["m.py"], cwd=tmp_path)
    assert {(line, code) for _, line, _, code in parse_flake8(out)} == {(3, "KC201"), (4, "KC201"), (5, "KC201")}
    _, out, _ = run_pylint(["m.py"], cwd=tmp_path)
    assert {(line, code) for _, line, _, code in parse_pylint(out)} == {
        (1, "KC101"), (2, "KC201"), (3, "KC201")}


def test_off_by_default_rules_need_opt_in(tmp_path) -> None:
    from keras_compat.registry import all_rules

    off = [r for r in all_rules() if not r.default_enabled]
    if not off:
        pytest.skip("no off-by-default rule registered")
    rule = off[0]
    bad = rule.bad[0].code
    (tmp_path / "m.py").write_text(bad)
    from flake8.main.cli import main  # noqa: F401
    import subprocess
    import sys

    plain = subprocess.run([sys.executable, "-m", "flake8", "--select=KC", "m.py"], cwd=tmp_path,
                           capture_output=True, text=True).stdout
    assert rule.code not in plain
    opted = subprocess.run([sys.executable, "-m", "flake8", f"--extend-select={rule.code}", "m.py"],
                           cwd=tmp_path, capture_output=True, text=True).stdout
    assert rule.code in opted


@pytest.mark.parametrize("pylint_args, shown", [
    (["--disable=all", "--enable=keras-compat-layers"], False),  # issue 23: was shown
    (["--disable=all", "--enable=keras-compat-layers,keras-compat-imports,keras-compat-legacy-api,"
      "keras-compat-backend,keras-compat-keras3,keras-compat-internal"], False),
    (["--enable=C"], False),
    ([], False),
    (["--disable=all", "--enable=keras-compat-layers,implicit-training"], True),
    (["--disable=all", "--enable=implicit-training", "--enable=keras-compat-layers"], True),
    (["--enable={msgid}"], True),
    (["-j", "2", "--disable=all", "--enable=keras-compat-layers"], False),
])
def test_off_by_default_means_the_same_in_pylint(tmp_path, pylint_args: list[str], shown: bool) -> None:
    """An off-by-default rule runs in pylint only when named, as in flake8 and the CLI, also when its
    checker or category is enabled as a whole (``--disable=all --enable=<our checkers>``)."""
    import subprocess
    import sys

    from keras_compat.registry import all_rules

    off = [r for r in all_rules() if not r.default_enabled]
    if not off:
        pytest.skip("no off-by-default rule registered")
    rule = off[0]
    (tmp_path / "m.py").write_text(rule.bad[0].code)
    args = [a.format(msgid=rule.pylint_msgid) for a in pylint_args]
    proc = subprocess.run([sys.executable, "-m", "pylint", "--load-plugins=pylint_keras_compat", *args, "m.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert (rule.pylint_msgid in proc.stdout) is shown, proc.stdout
    cli = subprocess.run([sys.executable, "-m", "keras_compat", "check", "--isolated", "--no-cache", "m.py"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert rule.code not in cli.stdout  # the CLI's default agrees


def test_options_reach_the_core_in_both_front_ends(tmp_path) -> None:
    (tmp_path / "m.py").write_text("import keras\n")
    (tmp_path / "setup.cfg").write_text("[flake8]\nkeras-target = keras3\n")
    _, out, _ = run_flake8(["m.py"], subprocess_mode=True, cwd=tmp_path)
    assert "KC101" not in out
    _, out, _ = run_flake8(["m.py", "--keras-target=tf-keras", "--isolated"], subprocess_mode=True, cwd=tmp_path)
    assert "KC101" in out
    _, out, _ = run_pylint(["m.py", "--keras-target=keras3"], subprocess_mode=True, cwd=tmp_path)
    assert "standalone-keras-import" not in out
    _, out, _ = run_pylint(["m.py"], subprocess_mode=True, cwd=tmp_path)
    assert "standalone-keras-import" in out


def test_a_crashing_rule_is_contained_in_both_front_ends(tmp_path, monkeypatch) -> None:
    """A bug in one rule becomes KC000; the other rules still report; no traceback reaches the host."""
    from dataclasses import replace

    from keras_compat import registry

    def boom(ctx):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(registry.REGISTRY, "KC201", replace(registry.REGISTRY["KC201"], check=boom))
    (tmp_path / "m.py").write_text(LEGACY)
    status, out, err = run_flake8(["m.py"], cwd=tmp_path)
    codes = {c for *_, c in parse_flake8(out)}
    assert "KC000" in codes and "KC101" in codes and "KC201" not in codes
    assert "internal error in rule KC201: ZeroDivisionError: boom" in out
    assert "Traceback" not in err
    _, out, err = run_pylint(["m.py"], cwd=tmp_path)
    codes = {c for *_, c in parse_pylint(out)}
    assert "KC000" in codes and "KC101" in codes and "Traceback" not in err


def test_non_ascii_columns_are_characters(tmp_path) -> None:
    source = 's = "ééé"; from keras.layers import Dense; d = Dense(output_dim=3)\n'
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    col = source.index("output_dim")
    core = {(d.code, d.col) for d in lint_source(source)}
    assert ("KC201", col) in core
    _, out, _ = run_flake8(["m.py"], cwd=tmp_path)
    assert ("m.py", 1, col, "KC201") in parse_flake8(out)
    _, out, _ = run_pylint(["m.py"], cwd=tmp_path)
    assert ("m.py", 1, col, "KC201") in parse_pylint(out)


# -- bad option values: the host's clean error, never a traceback (issue 23, defect 1) --------------------

def _readme_ini() -> str:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```ini\n", 1)[1].split("```", 1)[0]
    assert block.startswith("[flake8]")
    return block


def test_the_readme_flake8_configuration_works(tmp_path) -> None:
    (tmp_path / "m.py").write_text("import keras\n")
    (tmp_path / "setup.cfg").write_text(_readme_ini())
    status, out, err = run_flake8(["m.py"], subprocess_mode=True, cwd=tmp_path)
    assert "Traceback" not in err and "critical error" not in out, (out, err)
    assert "m.py:1:8: KC101" in out


@pytest.mark.parametrize("line, needle", [
    ("keras-target = tf-keras          # or keras3",
     "keras-target: invalid value 'tf-keras          # or keras3' (expected one of tf-keras, keras3); flake8 "
     "configuration files have no inline comments"),
    ("keras-target = bogus", "keras-target: invalid value 'bogus'"),
    ("keras-extra-backend-aliases = my-pkg.backend", "extra-backend-aliases: 'my-pkg.backend' is not a module path"),
])
def test_flake8_bad_option_values_are_a_clean_error(tmp_path, line: str, needle: str) -> None:
    (tmp_path / "m.py").write_text("import keras\n")
    (tmp_path / "setup.cfg").write_text(f"[flake8]\n{line}\n")
    status, out, err = run_flake8(["m.py"], subprocess_mode=True, cwd=tmp_path)
    assert "Traceback" not in out + err, err[-2000:]
    assert status == 1 and "There was a critical error during execution of Flake8:" in out
    assert f"keras-compat: {needle}" in out


@pytest.mark.parametrize("config, name", [
    ('[tool.pylint.main]\nload-plugins = ["pylint_keras_compat"]\n[tool.pylint.keras-compat]\n'
     'keras-target = "bogus"\n', "pyproject.toml"),
    ("[MAIN]\nload-plugins = pylint_keras_compat\n[KERAS-COMPAT]\nkeras-extra-backend-aliases = my pkg\n",
     ".pylintrc"),
])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_pylint_bad_option_values_are_a_clean_error(tmp_path, config: str, name: str, jobs: str) -> None:
    import subprocess
    import sys

    (tmp_path / "m.py").write_text("import keras\n")
    (tmp_path / name).write_text(config)
    proc = subprocess.run([sys.executable, "-m", "pylint", "-j", jobs, "m.py"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 32, (proc.returncode, proc.stdout, proc.stderr)
    named = "keras-target" in proc.stderr or "'my pkg' is not a module path" in proc.stderr
    assert "pylint: error:" in proc.stderr and named
    assert "E7000" not in proc.stdout and "keras-compat-internal-error" not in proc.stdout
