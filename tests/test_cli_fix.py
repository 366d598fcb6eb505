"""``keras-compat check --fix/--diff``: golden files, idempotence, and never losing data."""

from __future__ import annotations

import ast
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from keras_compat.cli import main, runner, writer
from keras_compat.fixes import FixError, fix_text
from keras_compat.registry import all_rules
from keras_compat.settings import Settings

GOLDEN = Path(__file__).parent / "fixtures" / "cli" / "golden"
RENAMED = 'from keras.layers import Conv2D\nlayer = Conv2D(32, (3, 3), border_mode="same")\n'
FIXED = RENAMED.replace("border_mode", "padding")

EXAMPLES = [(rule, i, bad) for rule in all_rules() for i, bad in enumerate(rule.bad) if bad.fixed is not None]


def _target(rule, bad) -> str:
    """The first target under which the example applies (its fix is declared for that target)."""
    return (bad.targets or rule.targets)[0]


def run(args: list[str], cwd: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def sub(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keras_compat", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def no_temp_files(directory: Path) -> bool:
    return not [p for p in directory.iterdir() if p.name.endswith(".kc-tmp")]


# -- golden files --------------------------------------------------------------------------------------

@pytest.mark.parametrize("rule, index, bad", EXAMPLES, ids=[f"{r.code}-bad{i}" for r, i, _ in EXAMPLES])
def test_registry_examples_fixed_through_the_cli(tmp_path, capsys, monkeypatch, rule, index, bad) -> None:
    target = tmp_path / "example.py"
    target.write_text(bad.code, encoding="utf-8", newline="")
    flags = ["--unsafe-fixes"] if bad.unsafe else []
    flags += ["--keras-target", _target(rule, bad)]
    run(["check", "--isolated", "--no-cache", "-j", "1", "--fix", "--select", rule.code, *flags,
         "example.py"],
        tmp_path, capsys, monkeypatch)
    assert target.read_text(encoding="utf-8") == bad.fixed
    # idempotent: a second --fix changes nothing (not even the mtime) and reports no fixable finding
    before = target.stat().st_mtime_ns
    code, out, _ = run(["check", "--isolated", "--no-cache", "-j", "1", "--fix", "--select", rule.code,
                        *flags,
                        "example.py"], tmp_path, capsys, monkeypatch)
    assert target.read_text(encoding="utf-8") == bad.fixed and target.stat().st_mtime_ns == before
    assert "[*]" not in out


def _golden_cases() -> list[Path]:
    return sorted(p for p in GOLDEN.glob("*.py") if not p.name.endswith(".fixed.py"))


def _args(path: Path) -> list[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# keras-compat-args:")
    return first.split(":", 1)[1].split()


@pytest.mark.parametrize("before", _golden_cases(), ids=lambda p: p.stem)
def test_hand_written_golden_files(tmp_path: Path, before: Path) -> None:
    after = before.with_name(before.stem + ".fixed.py")
    target = tmp_path / before.name
    target.write_bytes(before.read_bytes())
    proc = sub(["check", "--isolated", "--no-cache", "--fix", *_args(before), before.name], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert target.read_bytes() == after.read_bytes()
    ast.parse(target.read_bytes())
    # --diff on the original describes exactly the same change
    target.write_bytes(before.read_bytes())
    proc = sub(["check", "--isolated", "--no-cache", "--diff", *_args(before), before.name], tmp_path)
    assert proc.returncode == 1 and target.read_bytes() == before.read_bytes()
    patched = _apply_unified_diff(before.read_text(encoding="utf-8"), proc.stdout)
    assert patched == after.read_text(encoding="utf-8")
    # idempotence: the fixed file is a fixed point and re-checking reports none of the fixed findings
    target.write_bytes(after.read_bytes())
    mtime = target.stat().st_mtime_ns
    proc = sub(["check", "--isolated", "--no-cache", "--fix", *_args(before), before.name], tmp_path)
    assert proc.returncode == 0 and target.read_bytes() == after.read_bytes()
    assert target.stat().st_mtime_ns == mtime


def _apply_unified_diff(old: str, diff: str) -> str:
    """A tiny patch(1) for our own single-file diffs."""
    old_lines = old.splitlines(keepends=True)
    out, pos = [], 0
    lines = diff.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("@@"):
            start = int(line.split()[1].split(",")[0][1:]) - 1
            out.extend(old_lines[pos:start])
            pos = start
            i += 1
            while i < len(lines) and not lines[i].startswith("@@"):
                tag, body = lines[i][0], lines[i][1:]
                if tag == " ":
                    out.append(old_lines[pos])
                    pos += 1
                elif tag == "-":
                    pos += 1
                elif tag == "+":
                    out.append(body)
                i += 1
        else:
            i += 1
    out.extend(old_lines[pos:])
    return "".join(out)


# -- --diff --------------------------------------------------------------------------------------------

def test_diff_writes_nothing(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "a.py").write_text(RENAMED)
    (tmp_path / "clean.py").write_text("import os\n")
    mtime = (tmp_path / "a.py").stat().st_mtime_ns
    code, out, err = run(["check", "--no-cache", "--diff", "."], tmp_path, capsys, monkeypatch)
    assert code == 1
    assert out.startswith("--- a/a.py\n+++ b/a.py\n")
    assert ('-layer = Conv2D(32, (3, 3), border_mode="same")\n'
            '+layer = Conv2D(32, (3, 3), padding="same")\n') in out
    assert (tmp_path / "a.py").read_text() == RENAMED and (tmp_path / "a.py").stat().st_mtime_ns == mtime
    assert "1 fix would change 1 file" in err
    code, out, _ = run(["check", "--no-cache", "--diff", "clean.py"], tmp_path, capsys, monkeypatch)
    assert code == 0 and out == ""


def test_fix_summary_counts(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "a.py").write_text(RENAMED + "model.fit_generator(gen, samples_per_epoch=10)\n")
    code, out, err = run(["check", "--no-cache", "--fix", "a.py"], tmp_path, capsys, monkeypatch)
    assert code == 1
    assert "fixed 1 finding in 1 file" in err
    assert "1 fixable with --unsafe-fixes" in err and "needing manual work" in err
    code, out, err = run(["check", "--no-cache", "--fix", "--unsafe-fixes", "--select", "KC1,KC201",
                          "--ignore", "KC204", "a.py"], tmp_path, capsys, monkeypatch)
    assert "fixed 1 finding" in err


# -- newline styles and encodings ----------------------------------------------------------------------

def _fix_bytes(tmp_path: Path, data: bytes, capsys, monkeypatch, *flags: str) -> bytes:
    target = tmp_path / "f.py"
    target.write_bytes(data)
    run(["check", "--isolated", "--no-cache", "-j", "1", "--fix", *flags, "f.py"], tmp_path, capsys,
        monkeypatch)
    return target.read_bytes()


def test_crlf_stays_crlf(tmp_path, capsys, monkeypatch) -> None:
    source = RENAMED.replace("\n", "\r\n").encode() + b"x = 1\r\n"
    result = _fix_bytes(tmp_path, source, capsys, monkeypatch)
    assert result == source.replace(b"border_mode", b"padding")
    assert result.count(b"\r\n") == result.count(b"\n") == 3


def test_crlf_multiline_fix_positions(tmp_path, capsys, monkeypatch) -> None:
    source = b"from keras.models import Model\r\nm = Model(input=a,\r\n          output=b)\r\n"
    result = _fix_bytes(tmp_path, source, capsys, monkeypatch)
    assert result == b"from keras.models import Model\r\nm = Model(inputs=a,\r\n          outputs=b)\r\n"


def test_mixed_newlines_untouched_outside_edits(tmp_path, capsys, monkeypatch) -> None:
    source = b"import os\r\nfrom keras.layers import Dense\nd = Dense(output_dim=3)\r\ny = 2\n"
    result = _fix_bytes(tmp_path, source, capsys, monkeypatch)
    assert result == source.replace(b"output_dim", b"units")


def test_utf8_bom_kept(tmp_path, capsys, monkeypatch) -> None:
    source = b"\xef\xbb\xbf" + ('# é\n' + RENAMED).encode()
    assert _fix_bytes(tmp_path, source, capsys, monkeypatch) == source.replace(b"border_mode", b"padding")


def test_latin1_cookie_round_trip(tmp_path, capsys, monkeypatch) -> None:
    text = '# -*- coding: latin-1 -*-\n# Gérard\n' + RENAMED + 'label = "café"\n'
    source = text.encode("latin-1")
    result = _fix_bytes(tmp_path, source, capsys, monkeypatch)
    assert result == source.replace(b"border_mode", b"padding")
    assert b"caf\xe9" in result


def test_unencodable_fix_result_is_not_written(tmp_path, capsys, monkeypatch) -> None:
    text = '# -*- coding: latin-1 -*-\n' + RENAMED
    target = tmp_path / "f.py"
    target.write_bytes(text.encode("latin-1"))

    def euro_fix(text, *args, **kwargs):
        result = fix_text(text, *args, **kwargs)
        result.text = result.text.replace("padding", "padding  # €")
        return result

    monkeypatch.setattr(runner, "fix_text", euro_fix)
    code, out, err = run(["check", "--isolated", "--no-cache", "-j", "1", "--fix", "f.py"], tmp_path,
                         capsys, monkeypatch)
    assert target.read_bytes() == text.encode("latin-1")
    assert "cannot be saved as iso-8859-1" in err and code == 1


def test_unchanged_files_not_touched(tmp_path, capsys, monkeypatch) -> None:
    files = {"clean.py": b"import os\n",
             "manual.py": b"import keras\nmodel.fit_generator(g, samples_per_epoch=10)\n",
             "suppressed.py": RENAMED.replace("\n", "  # noqa\n").encode()}
    stamps = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        os.utime(tmp_path / name, ns=(1_000_000_000, 1_000_000_000))
        stamps[name] = (tmp_path / name).stat().st_mtime_ns
    run(["check", "--isolated", "--no-cache", "--fix", "."], tmp_path, capsys, monkeypatch)
    for name, data in files.items():
        assert (tmp_path / name).read_bytes() == data
        assert (tmp_path / name).stat().st_mtime_ns == stamps[name]


# -- never losing data ---------------------------------------------------------------------------------

def test_permissions_kept(tmp_path, capsys, monkeypatch) -> None:
    target = tmp_path / "f.py"
    target.write_text(RENAMED)
    target.chmod(0o751)
    run(["check", "--isolated", "--no-cache", "--fix", "f.py"], tmp_path, capsys, monkeypatch)
    assert target.read_text() == FIXED and stat.S_IMODE(target.stat().st_mode) == 0o751


def test_symlink_target_is_fixed_link_kept(tmp_path, capsys, monkeypatch) -> None:
    real = tmp_path / "real.py"
    real.write_text(RENAMED)
    (tmp_path / "link.py").symlink_to(real)
    run(["check", "--isolated", "--no-cache", "--fix", "link.py"], tmp_path, capsys, monkeypatch)
    assert (tmp_path / "link.py").is_symlink() and real.read_text() == FIXED


def test_interrupted_replace_leaves_original(tmp_path, capsys, monkeypatch) -> None:
    target = tmp_path / "f.py"
    target.write_text(RENAMED)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "replace", broken_replace)
    code, out, err = run(["check", "--isolated", "--no-cache", "-j", "1", "--fix", "f.py"], tmp_path,
                         capsys, monkeypatch)
    assert target.read_text() == RENAMED and no_temp_files(tmp_path)
    assert "No space left on device" in err and "original is unchanged" in err
    assert code == 1 and "KC201 [*]" in out  # the finding is still reported


@pytest.mark.parametrize("exc", [OSError(5, "Input/output error"), KeyboardInterrupt()])
def test_failure_in_the_middle_of_writing(tmp_path, capsys, monkeypatch, exc) -> None:
    target = tmp_path / "f.py"
    target.write_text(RENAMED * 50)
    real_write = os.write

    def half_write(fd, data):
        real_write(fd, bytes(data[: len(data) // 2]))
        raise exc

    monkeypatch.setattr(writer.os, "write", half_write)
    monkeypatch.chdir(tmp_path)
    if isinstance(exc, KeyboardInterrupt):
        assert main(["check", "--isolated", "--no-cache", "-j", "1", "--fix", "f.py"]) == 130
    else:
        run(["check", "--isolated", "--no-cache", "-j", "1", "--fix", "f.py"], tmp_path, capsys, monkeypatch)
    assert target.read_text() == RENAMED * 50 and no_temp_files(tmp_path)


def test_read_only_file_reported_not_crashed(tmp_path, capsys, monkeypatch) -> None:
    target = tmp_path / "f.py"
    target.write_text(RENAMED)
    (tmp_path / "ok.py").write_text(RENAMED)
    target.chmod(0o444)
    try:
        code, out, err = run(["check", "--isolated", "--no-cache", "-j", "1", "--fix", "."], tmp_path, capsys,
                             monkeypatch)
    finally:
        target.chmod(0o644)
    assert target.read_text() == RENAMED and (tmp_path / "ok.py").read_text() == FIXED
    assert "f.py: warning: the file is read-only" in err and code == 1


def test_file_changed_meanwhile_is_not_overwritten(tmp_path, capsys, monkeypatch) -> None:
    target = tmp_path / "f.py"
    target.write_text(RENAMED)
    edited = RENAMED + "# saved by an editor meanwhile\n"

    def racing_fix(*args, **kwargs):
        result = fix_text(*args, **kwargs)
        target.write_text(edited)
        return result

    monkeypatch.setattr(runner, "fix_text", racing_fix)
    code, out, err = run(["check", "--isolated", "--no-cache", "-j", "1", "--fix", "f.py"], tmp_path,
                         capsys, monkeypatch)
    assert target.read_text() == edited and "changed while it was being fixed" in err


def test_fix_error_leaves_file_untouched(tmp_path, capsys, monkeypatch) -> None:
    target = tmp_path / "f.py"
    target.write_text(RENAMED)

    def failing_fix(*args, **kwargs):
        raise FixError("fixes produced invalid Python (invalid syntax)", ["KC201", "KC202"])

    monkeypatch.setattr(runner, "fix_text", failing_fix)
    code, out, err = run(["check", "--isolated", "--no-cache", "-j", "1", "--fix", "f.py"], tmp_path,
                         capsys, monkeypatch)
    assert target.read_text() == RENAMED
    assert "fixes not applied (KC201, KC202)" in err and "KC201" in out and code == 1


def test_fixed_result_parses_and_recheck_is_clean_of_fixed_codes(tmp_path, capsys, monkeypatch) -> None:
    for before in _golden_cases():
        (tmp_path / before.name).write_bytes(before.read_bytes())
    args = ["check", "--isolated", "--no-cache", "-j", "1", "--unsafe-fixes", "."]
    run([*args, "--fix"], tmp_path, capsys, monkeypatch)
    fixed = {p.name: p.read_bytes() for p in tmp_path.glob("*.py")}
    for data in fixed.values():
        ast.parse(data)
    code, out, err = run([*args, "--fix"], tmp_path, capsys, monkeypatch)
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.py")} == fixed
    assert "fixed 0 findings in 0 files" in err
    code, out, err = run(args, tmp_path, capsys, monkeypatch)
    assert "[*]" not in out and "help:" not in out


def test_crlf_inserted_import_gets_crlf(tmp_path, capsys, monkeypatch) -> None:
    source = (b"import tensorflow.keras.backend as K\r\nfrom tensorflow.keras.layers import Layer\r\n\r\n"
              b"class Sum(Layer):\r\n    def call(self, x):\r\n        return K.sum(x, axis=1)\r\n")
    result = _fix_bytes(tmp_path, source, capsys, monkeypatch, "--unsafe-fixes", "--select", "KC301")
    assert result.startswith(b"import tensorflow as tf\r\n") and b"tf.reduce_sum(x, axis=1)\r\n" in result
    assert result.count(b"\n") == result.count(b"\r\n")


def test_form_feeds_do_not_shift_positions(tmp_path, capsys, monkeypatch) -> None:
    """str.splitlines splits on \\f (and \\v, \\x1c, \\u2028 ...); Python's tokenizer does not."""
    source = ('import os\n\x0c\nfrom keras.layers import Conv2D\nx = 1  # a\x0cb \u2028 c\x1c\n'
              'layer = Conv2D(32, (3, 3), border_mode="same")  # noqa: KC101\n').encode()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f.py").write_bytes(source)
    main(["check", "--isolated", "--no-cache", "--select", "KC201", "f.py"])
    assert "f.py:5:28: KC201" in capsys.readouterr().out
    assert _fix_bytes(tmp_path, source, capsys, monkeypatch, "--select", "KC201") == \
        source.replace(b"border_mode", b"padding")


def test_non_converging_fix_is_reported(tmp_path, capsys, monkeypatch) -> None:
    target = tmp_path / "f.py"
    target.write_text(RENAMED)

    def stuck(*args, **kwargs):
        result = fix_text(*args, **kwargs)
        result.converged, result.passes = False, 10
        return result

    monkeypatch.setattr(runner, "fix_text", stuck)
    code, out, err = run(["check", "--isolated", "--no-cache", "-j", "1", "--fix", "f.py"], tmp_path, capsys,
                         monkeypatch)
    assert target.read_text() == FIXED  # the result parses, so it is written, and the file is named
    assert "f.py: warning: fixes did not converge after 10 passes" in err


def test_diff_of_an_absolute_path_applies_with_git(tmp_path) -> None:
    """``--diff`` headers are git-style (``a/tmp/...``, never ``a//tmp``), so ``git apply`` takes them."""
    (tmp_path / "src").mkdir()
    (tmp_path / "elsewhere").mkdir()
    target = tmp_path / "src" / "model.py"
    target.write_text(RENAMED, encoding="utf-8")
    proc = sub(["check", "--isolated", "--no-cache", "--diff", str(target)], tmp_path / "elsewhere")
    assert proc.returncode == 1, proc.stderr
    assert "--- a//" not in proc.stdout and f"--- a/{str(target).lstrip('/')}" in proc.stdout
    patch = tmp_path / "fix.patch"
    patch.write_text(proc.stdout, encoding="utf-8")
    applied = subprocess.run(["git", "apply", "-p1", str(patch)], cwd="/", capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert target.read_text(encoding="utf-8") == FIXED


def test_fixed_text_must_compile_not_only_parse(monkeypatch) -> None:
    """Two fixes that each write the same keyword give ``f(a=1, a=2)``: ``ast.parse`` accepts it, the compiler
    does not (the KC205/KC210 clash on ``Adagrad(decay=...)``). The fixer holds the result to the compiler."""
    import keras_compat.fixes as fixes

    text = "from keras.layers import Dense\nd = Dense(output_dim=3)\n"
    real_apply = fixes._apply

    def repeat_a_keyword(current, candidates):
        new, applied, spans = real_apply(current, candidates)
        return new.replace("Dense(", "Dense(units=1, ", 1) if new != current else new, applied, spans

    monkeypatch.setattr(fixes, "_apply", repeat_a_keyword)
    with pytest.raises(FixError, match="keyword argument repeated"):
        fix_text(text, "m.py", Settings(), unsafe=True)
    # a user's text that never compiled (top-level await in a notebook cell) is still fixed
    monkeypatch.setattr(fixes, "_apply", real_apply)
    legacy = "from keras.layers import Dense\nd = Dense(output_dim=3)\nawait d\n"
    assert "units=3" in fix_text(legacy, "m.py", Settings()).text
