"""Jupyter notebooks in ``keras-compat check``: golden check/fix outputs on three legacy notebooks,
byte-identical round trips, IPython magics, cells that do not parse, ``# noqa`` in cells, file patterns,
output formats, and the message when nbformat is missing."""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from keras_compat import notebook as nb
from keras_compat.cli import main

pytest.importorskip("nbformat")
import nbformat  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
NOTEBOOKS = ["keras1_mnist_cnn", "custom_layer_backend", "colab_transfer_learning"]
BASE = ["check", "--isolated", "--no-cache", "-j", "1"]


def sub(args: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keras_compat", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, **kwargs)


def run(args: list[str], cwd: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / f"{name}.ipynb"
    shutil.copyfile(FIXTURES / f"{name}.ipynb", target)
    return target


def write_nb(path: Path, cells: list[dict], **meta) -> Path:
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=meta or {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8", newline="")
    return path


code_cell = nbformat.v4.new_code_cell
markdown_cell = nbformat.v4.new_markdown_cell


def source_blocks(text: str) -> list[tuple[int, int]]:
    """Line ranges [start, end) of every cell's ``"source"`` value, found line by line (independent of the
    code under test; works for the indented layouts Jupyter and Colab write)."""
    lines = text.split("\n")
    blocks, i = [], 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped.startswith('"source": ['):
            j = i
            while not lines[j].rstrip().rstrip(",").endswith("]"):
                j += 1
            blocks.append((i, j + 1))
            i = j + 1
        elif stripped.startswith('"source": "'):
            blocks.append((i, i + 1))
            i += 1
        else:
            i += 1
    return blocks


def only_sources_changed(before: str, after: str) -> list[str]:
    """Lines outside ``source`` values that differ between two notebook texts (should be none)."""
    blocks = source_blocks(before)
    inside = {n for start, end in blocks for n in range(start, end)}
    problems = []
    matcher = difflib.SequenceMatcher(None, before.split("\n"), after.split("\n"), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        touched = set(range(i1, i2)) or {i1 - 1, i1}  # an insertion sits between two lines
        if not touched & inside or (i2 > i1 and not touched <= inside):
            problems.append(f"{op} {i1}:{i2} -> {after.split(chr(10))[j1:j2]}")
    return problems


# -- golden files -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NOTEBOOKS)
def test_check_golden(tmp_path: Path, name: str) -> None:
    copy(tmp_path, name)
    proc = sub([*BASE, "-q", f"{name}.ipynb"], tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout == (FIXTURES / f"{name}.check.txt").read_text(encoding="utf-8")
    has_broken_cell = "KC001" in proc.stdout
    assert proc.returncode == (2 if has_broken_cell else 1)


def test_json_golden_and_positions_name_the_code(tmp_path: Path) -> None:
    name = "custom_layer_backend"
    copy(tmp_path, name)
    proc = sub([*BASE, "-q", "--format", "json", f"{name}.ipynb"], tmp_path)
    assert proc.stdout == (FIXTURES / f"{name}.check.json").read_text(encoding="utf-8")
    cells = json.loads((FIXTURES / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    for finding in json.loads(proc.stdout):
        # the cell number counts every cell (markdown too), the line is a line of that cell
        source = "".join(cells[finding["cell"] - 1]["source"])
        assert cells[finding["cell"] - 1]["cell_type"] == "code"
        line = source.split("\n")[finding["line"] - 1]
        if finding["code"] in ("KC301", "KC302", "KC303"):
            assert line[finding["column"] - 1:].startswith("K."), finding
        if finding["fix"]:
            for edit in finding["fix"]["edits"]:
                assert "cell" in edit


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_fix_golden_round_trip(tmp_path: Path, name: str) -> None:
    target = copy(tmp_path, name)
    before = target.read_text(encoding="utf-8")
    proc = sub([*BASE, "-q", "--fix", "--unsafe-fixes", target.name], tmp_path)
    assert "Traceback" not in proc.stderr and "warning" not in proc.stderr, proc.stderr
    after = target.read_text(encoding="utf-8")
    assert target.read_bytes() == (FIXTURES / f"{name}.fixed.ipynb").read_bytes()
    assert after != before
    # only the sources of fixed cells changed: outputs (images), metadata, ids, layout and the last
    # byte are untouched
    assert only_sources_changed(before, after) == []
    assert after.endswith("\n") == before.endswith("\n")
    old, new = json.loads(before), json.loads(after)
    for key in ("metadata", "nbformat", "nbformat_minor"):
        assert old[key] == new[key]
    assert [{k: v for k, v in c.items() if k != "source"} for c in old["cells"]] == \
        [{k: v for k, v in c.items() if k != "source"} for c in new["cells"]]
    nbformat.validate(nbformat.reads(after, as_version=nbformat.NO_CONVERT))
    # idempotent: a second --fix writes nothing (bytes and mtime unchanged)
    mtime = target.stat().st_mtime_ns
    again = sub([*BASE, "-q", "--fix", "--unsafe-fixes", target.name], tmp_path)
    assert target.stat().st_mtime_ns == mtime and target.read_text(encoding="utf-8") == after
    assert "[*]" not in again.stdout


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_diff_matches_fix(tmp_path: Path, name: str) -> None:
    target = copy(tmp_path, name)
    proc = sub([*BASE, "-q", "--diff", "--unsafe-fixes", target.name], tmp_path)
    assert proc.returncode == (2 if name == "custom_layer_backend" else 1)  # it has a cell that does not parse
    assert target.read_bytes() == (FIXTURES / f"{name}.ipynb").read_bytes()  # --diff writes nothing
    headers = re.findall(r"^\+\+\+ b/(.*)$", proc.stdout, re.MULTILINE)
    fixed = json.loads((FIXTURES / f"{name}.fixed.ipynb").read_text(encoding="utf-8"))["cells"]
    original = json.loads((FIXTURES / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    changed = [i + 1 for i, (a, b) in enumerate(zip(original, fixed)) if a["source"] != b["source"]]
    assert headers == [f"{name}.ipynb:cell {n}" for n in changed]


def test_unchanged_notebook_is_never_rewritten(tmp_path: Path) -> None:
    # a notebook with nothing to fix, in an unusual layout (ASCII escapes, no final newline, 4-space indent)
    cells = [markdown_cell("Caf\u00e9 \u2615"), code_cell("%matplotlib inline\nimport tensorflow as tf\n"),
             code_cell("model = tf.keras.Sequential([tf.keras.layers.Dense(3)])\nprint('d\u00e9j\u00e0 vu')")]
    notebook = nbformat.v4.new_notebook(cells=cells)
    target = tmp_path / "modern.ipynb"
    target.write_text(json.dumps(notebook, indent=4, ensure_ascii=True), encoding="utf-8", newline="")
    data, mtime = target.read_bytes(), target.stat().st_mtime_ns
    proc = sub([*BASE, "--fix", "--unsafe-fixes", target.name], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert target.read_bytes() == data and target.stat().st_mtime_ns == mtime
    # the already fixed goldens are fixed points too
    for name in NOTEBOOKS:
        fixed = tmp_path / f"{name}.ipynb"
        shutil.copyfile(FIXTURES / f"{name}.fixed.ipynb", fixed)
        sub([*BASE, "--fix", "--unsafe-fixes", fixed.name], tmp_path)
        assert fixed.read_bytes() == (FIXTURES / f"{name}.fixed.ipynb").read_bytes()


def test_fix_keeps_ascii_escapes_and_unchanged_lines(tmp_path: Path) -> None:
    cells = [code_cell("from keras.layers import Dense\nlabel = 'caf\u00e9'\nd = Dense(3, init='zero')\n")]
    notebook = nbformat.v4.new_notebook(cells=cells)
    target = tmp_path / "esc.ipynb"
    text = json.dumps(notebook, indent=1, ensure_ascii=True) + "\n"
    target.write_text(text, encoding="utf-8", newline="")
    sub([*BASE, "--fix", target.name], tmp_path)
    after = target.read_text(encoding="utf-8")
    assert after == text.replace("Dense(3, init=", "Dense(3, kernel_initializer=")
    assert "caf\\u00e9" in after


# -- analysis: one module, magics, broken cells, noqa ---------------------------------------------------------

def test_cells_form_one_module(tmp_path: Path, capsys, monkeypatch) -> None:
    write_nb(tmp_path / "a.ipynb", [
        code_cell("import keras.layers as KL"), markdown_cell("text"), code_cell("x = 1"),
        code_cell("layer = KL.Dense(10, init='uniform')")])
    code, out, _ = run([*BASE, "-q", "--select", "KC201", "a.ipynb"], tmp_path, capsys, monkeypatch)
    assert code == 1
    assert out.splitlines()[0].startswith("a.ipynb:cell 4:1:22: KC201 [*] Dense: argument 'init'")


def test_magics_are_masked_and_columns_kept(tmp_path: Path, capsys, monkeypatch) -> None:
    write_nb(tmp_path / "m.ipynb", [
        code_cell("%matplotlib inline\n!pip install keras==2.2.4\nfiles = !ls\nfrom keras.layers import Dense\n"
                  "%time d = Dense(2)\nmodel.fit?\nfor i in range(2):\n    !echo {i}\n    d2 = Dense(2, init='zero')\n"
                  "s = '''\n%not a magic\n'''\n!pip install \\\n    h5py"),
        code_cell("%%time\nd3 = Dense(4, init='zero')"),
        code_cell("%%bash\necho Dense(4, init='zero')"),
        code_cell("%%writefile x.py\nfrom keras.layers import Dense\nDense(4, init='zero')\n"),
        code_cell("pip install keras==2.2.4\nd4 = Dense(4, init='zero')")])
    code, out, err = run([*BASE, "-q", "--select", "KC201", "m.ipynb"], tmp_path, capsys, monkeypatch)
    assert "KC001" not in out and code == 1, out + err
    assert [line.split(": KC201")[0] for line in out.splitlines() if "KC201" in line] == [
        "m.ipynb:cell 1:9:19", "m.ipynb:cell 2:2:15", "m.ipynb:cell 5:2:15"]


def test_mask_restores_every_line() -> None:
    masked = nb.mask("x = 1\n%%time\n")  # a cell magic only counts on the first line; later, a line magic
    assert masked.status == "python" and masked.text.startswith("x = 1\npass")
    assert nb.mask("%%bash\nls\n").status == "skipped"
    masked = nb.mask("%load_ext autoreload\nx = 1\nfiles = !ls -l\nobj??\n")
    assert masked.status == "python"
    assert len(masked.text.splitlines()) == 4 and masked.text.splitlines()[1] == "x = 1"
    assert nb.unmask(masked.text, masked.placeholders) == "%load_ext autoreload\nx = 1\nfiles = !ls -l\nobj??\n"
    assert nb.mask("print 'x'\n").status == "broken"
    assert nb.mask("history = model.fit(x)\n").text == "history = model.fit(x)\n"  # automagic names are code


def test_broken_cell_reported_once_rest_checked(tmp_path: Path, capsys, monkeypatch) -> None:
    write_nb(tmp_path / "b.ipynb", [
        code_cell("from keras.layers import Dense"),
        code_cell("print 'training'\nDense(3, init='zero')\ndef f(:\n    pass"),
        code_cell("Dense(3, init='zero')")])
    code, out, _ = run([*BASE, "-q", "--select", "KC001,KC201", "b.ipynb"], tmp_path, capsys, monkeypatch)
    lines = out.splitlines()
    assert code == 2
    assert sum("KC001" in line for line in lines) == 1
    assert lines[0].startswith("b.ipynb:cell 2:1:1: KC001 cannot analyse file: not valid Python 3")
    assert any(line.startswith("b.ipynb:cell 3:1:10: KC201") for line in lines)
    assert not any("cell 2:2" in line for line in lines)  # the broken cell's code is skipped


def test_noqa_inside_cells(tmp_path: Path, capsys, monkeypatch) -> None:
    write_nb(tmp_path / "n.ipynb", [
        code_cell("from keras.layers import Dense"),
        code_cell("a = Dense(3, init='zero')  # noqa: KC201\nb = Dense(3, init='zero')  # noqa\n"
                  "c = Dense(3, init='zero')  # noqa: KC3\nd = Dense(3, init='zero')")])
    code, out, _ = run([*BASE, "-q", "--select", "KC201", "--show-suppressed", "n.ipynb"], tmp_path, capsys,
                       monkeypatch)
    reported = [line.split(": KC201")[0] for line in out.splitlines() if "KC201" in line and "suppressed" not in line]
    assert reported == ["n.ipynb:cell 2:3:14", "n.ipynb:cell 2:4:14"]
    assert sum("(suppressed by noqa)" in line for line in out.splitlines()) == 2
    target = tmp_path / "n.ipynb"
    run([*BASE, "-q", "--select", "KC201", "--fix", "n.ipynb"], tmp_path, capsys, monkeypatch)
    cell = json.loads(target.read_text(encoding="utf-8"))["cells"][1]["source"]
    assert cell[0].count("init=") == 1 and cell[1].count("init=") == 1  # suppressed: never rewritten
    assert "kernel_initializer" in cell[2] and "kernel_initializer" in cell[3]


def test_added_import_goes_to_first_cell_with_imports(tmp_path: Path, capsys, monkeypatch) -> None:
    write_nb(tmp_path / "i.ipynb", [
        markdown_cell("# title"), code_cell("%matplotlib inline\n%load_ext autoreload"),
        code_cell("import numpy as np\nfrom keras import backend as K\nfrom keras.layers import Layer"),
        code_cell("class L(Layer):\n    def call(self, x):\n        return K.sum(x, axis=-1)")])
    run([*BASE, "-q", "--select", "KC301", "--fix", "--unsafe-fixes", "i.ipynb"], tmp_path, capsys, monkeypatch)
    cells = json.loads((tmp_path / "i.ipynb").read_text(encoding="utf-8"))["cells"]
    assert "".join(cells[1]["source"]) == "%matplotlib inline\n%load_ext autoreload"
    assert "".join(cells[2]["source"]).startswith("import tensorflow as tf\nimport numpy as np\n")
    assert "tf.reduce_sum(x, axis=-1)" in "".join(cells[3]["source"])


# -- files, formats, cache, stdin ---------------------------------------------------------------------------------

def test_discovery_and_patterns(tmp_path: Path) -> None:
    for folder in ("notebooks", "scratch"):
        (tmp_path / folder).mkdir()
        write_nb(tmp_path / folder / "nb.ipynb", [code_cell("from keras.layers import Dense\nDense(2, init='zero')")])
    (tmp_path / "tool.pyw").write_text("from keras.layers import Dense\nDense(2, init='zero')\n", encoding="utf-8")
    proc = sub([*BASE, "-q", "--select", "KC201", "."], tmp_path)
    assert sorted({line.split(":")[0] for line in proc.stdout.splitlines() if "KC201" in line}) == [
        "notebooks/nb.ipynb", "scratch/nb.ipynb"]
    proc = sub([*BASE, "-q", "--select", "KC201", "--extend-exclude", "scratch", "--extend-include", "*.pyw", "."],
               tmp_path)
    assert sorted({line.split(":")[0] for line in proc.stdout.splitlines() if "KC201" in line}) == [
        "notebooks/nb.ipynb", "tool.pyw"]
    config = '[tool.keras-compat]\nextend-exclude = ["*.ipynb"]\nextend-include = ["*.pyw"]\n'
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    proc = sub(["check", "--no-cache", "-q", "--select", "KC201", "."], tmp_path)
    assert {line.split(":")[0] for line in proc.stdout.splitlines() if "KC201" in line} == {"tool.pyw"}
    proc = sub(["check", "--no-cache", "-q", "--select", "KC201", "scratch/nb.ipynb"], tmp_path)
    assert proc.stdout.startswith("scratch/nb.ipynb:cell 1:2:10: KC201")  # named explicitly: checked


def test_annotation_formats_point_into_the_notebook_file(tmp_path: Path) -> None:
    name = "keras1_mnist_cnn"
    copy(tmp_path, name)
    text_lines = (FIXTURES / f"{name}.ipynb").read_text(encoding="utf-8").split("\n")
    sarif = json.loads(sub([*BASE, "-q", "--format", "sarif", f"{name}.ipynb"], tmp_path).stdout)
    results = sarif["runs"][0]["results"]
    assert results
    for result in results:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == f"{name}.ipynb"
        region = location["region"]
        line = text_lines[region["startLine"] - 1]
        assert re.match(r"\s*\"", line)  # a line of a source array
        assert result["message"]["text"].startswith("cell ")
        assert "fixes" not in result
        if result["ruleId"] == "KC201":
            assert line[region["startColumn"] - 1:].startswith(("border_mode", "init", "nb_epoch"))
    github = sub([*BASE, "-q", "--format", "github", f"{name}.ipynb"], tmp_path).stdout
    first = github.splitlines()[0]
    assert first.startswith(f"::warning file={name}.ipynb,line=33,endLine=33,col=11,endColumn=25,")
    assert "::cell 2, line 6, column 6: standalone Keras import" in first
    assert text_lines[32][10:24] == "keras.datasets"
    gitlab = json.loads(sub([*BASE, "-q", "--format", "gitlab", f"{name}.ipynb"], tmp_path).stdout)
    assert gitlab[0]["location"] == {"path": f"{name}.ipynb", "lines": {"begin": 33, "end": 33}}
    rdjson = json.loads(sub([*BASE, "-q", "--format", "rdjson", f"{name}.ipynb"], tmp_path).stdout)
    assert rdjson["diagnostics"][0]["location"]["range"]["start"] == {"line": 33, "column": 11}


def test_show_source_shows_the_cell_line(tmp_path: Path, capsys, monkeypatch) -> None:
    write_nb(tmp_path / "s.ipynb", [code_cell("%matplotlib inline\nfrom keras.layers import Dense\n"
                                              "d = Dense(3, init='zero')")])
    _, out, _ = run([*BASE, "-q", "--select", "KC201", "--show-source", "s.ipynb"], tmp_path, capsys, monkeypatch)
    assert out.splitlines()[1:3] == ["    d = Dense(3, init='zero')", "                 ^^^^^^^^^^^"]


def test_cache_and_parallel_runs_agree(tmp_path: Path) -> None:
    for name in NOTEBOOKS:
        copy(tmp_path, name)
    cold = sub(["check", "--isolated", "-q", "-j", "1", "."], tmp_path)
    warm = sub(["check", "--isolated", "-j", "1", "."], tmp_path)
    parallel = sub(["check", "--isolated", "-q", "--no-cache", "-j", "2", "."], tmp_path)
    assert cold.stdout == warm.stdout == parallel.stdout
    assert cold.stdout == "".join((FIXTURES / f"{n}.check.txt").read_text(encoding="utf-8") for n in sorted(NOTEBOOKS))
    assert (tmp_path / ".keras_compat_cache").is_dir()


def test_stdin_fix_writes_the_notebook_to_stdout(tmp_path: Path) -> None:
    data = (FIXTURES / "colab_transfer_learning.ipynb").read_bytes()
    proc = subprocess.run([sys.executable, "-m", "keras_compat", *BASE, "-q", "--fix", "--unsafe-fixes",
                           "--stdin-filename", "colab_transfer_learning.ipynb", "-"], input=data, cwd=tmp_path,
                          capture_output=True, timeout=120)
    assert proc.stdout == (FIXTURES / "colab_transfer_learning.fixed.ipynb").read_bytes()


def test_bad_notebooks_are_reported_not_raised(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    (tmp_path / "r.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook(
        cells=[code_cell("library(keras)\nmodel %>% layer_dense(units = 10)")],
        metadata={"kernelspec": {"name": "ir", "language": "R", "display_name": "R"}})), encoding="utf-8")
    code, out, err = run([*BASE, "-q", "broken.ipynb", "r.ipynb"], tmp_path, capsys, monkeypatch)
    assert code == 2 and "Traceback" not in err
    assert out.startswith("broken.ipynb:1:1: KC001 cannot analyse file: not a notebook: invalid JSON")
    assert "r.ipynb" not in out  # not Python: nothing to check


def test_nbformat_3_notebooks_are_checked_not_fixed(tmp_path: Path, capsys, monkeypatch) -> None:
    v3 = nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(cells=[
        nbformat.v3.new_text_cell("markdown", source="# old"),
        nbformat.v3.new_code_cell(input="from keras.layers import Dense\nDense(3, init='zero')")])])
    target = tmp_path / "old.ipynb"
    target.write_text(nbformat.v3.writes_json(v3), encoding="utf-8")
    data = target.read_bytes()
    code, out, err = run([*BASE, "-q", "--fix", "old.ipynb"], tmp_path, capsys, monkeypatch)
    assert "old.ipynb:cell 2:2:10: KC201" in out
    assert "nbformat 3 notebooks are checked but not fixed" in err
    assert target.read_bytes() == data


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.ipynb") if ".fixed." not in p.name))
def test_notebooks_need_only_the_standard_library(tmp_path: Path, name: str) -> None:
    """Issue 23, defect 4: a plain ``pip install keras-compat`` (no nbformat) failed on every notebook with
    KC001 "needs nbformat". Without nbformat the check and the fix give what they give with it, and the
    fixed notebook is the same bytes (the byte-stable round trip)."""
    shutil.copyfile(FIXTURES / name, tmp_path / name)
    base = ["check", "--isolated", "--no-cache", "-j", "1", "--fix", "--unsafe-fixes", "--format", "json", name]

    def run_without(blocked: bool) -> tuple[int, str, bytes]:
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
        script = ("import sys, json\n" + ("sys.modules['nbformat'] = None\n" if blocked else "") +
                  "from keras_compat.cli import main\n"
                  f"code = main({base!r})\n"
                  + ("assert sys.modules['nbformat'] is None\n" if blocked else "") +
                  "sys.exit(code)\n")
        proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc.returncode, proc.stdout, (tmp_path / name).read_bytes()

    without = run_without(True)
    assert without == run_without(False)
    assert "nbformat" not in without[1]
    # findings are left, or the fix took them all (the Keras 1 notebook migrates completely)
    assert '"code": "KC' in without[1] or json.loads(without[1]) == [] and without[2] != (FIXTURES / name).read_bytes()
    fixed = FIXTURES / name.replace(".ipynb", ".fixed.ipynb")
    if fixed.exists():
        assert without[2] == fixed.read_bytes()


def test_stdlib_reader_matches_nbformat_on_format_3(tmp_path: Path) -> None:
    """Cells of an nbformat 3 notebook (worksheets, code ``input``, heading cells) are numbered and read as
    ``nbformat.convert(nb, 4)`` gives them."""
    v3 = nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(cells=[
        nbformat.v3.new_heading_cell("Title", level=2),
        nbformat.v3.new_text_cell("markdown", source="a b"),
        nbformat.v3.new_code_cell(input="import keras\nx = 1")]),
        nbformat.v3.new_worksheet(cells=[nbformat.v3.new_code_cell(input="y = 2")])])
    data = nbformat.v3.writes_json(v3).encode()
    ours = nb.read(data)
    theirs = nbformat.convert(nbformat.reads(data.decode(), as_version=nbformat.NO_CONVERT), 4)
    assert [(c.number, c.cell_type) for c in ours.cells] == \
        [(n, c.cell_type) for n, c in enumerate(theirs.cells, start=1)]
    assert [c.source for c in ours.cells if c.cell_type == "code"] == \
        [c.source for c in theirs.cells if c.cell_type == "code"]
    assert ours.spans is None and "nbformat 3" in ours.why_not_fixable


def test_schema_problems_are_warnings_only_with_nbformat(tmp_path: Path) -> None:
    data = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                       "cells": [{"cell_type": "code", "source": "import keras\n", "metadata": {}}]}).encode()
    assert nb.read(data).warnings and "does not match the nbformat 4 schema" in nb.read(data).warnings[0]
    script = ("import sys; sys.modules['nbformat'] = None\nfrom keras_compat import notebook as nb\n"
              f"n = nb.read({data!r})\nassert n.warnings == [] and n.cells[0].source == 'import keras\\n'\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_locate_sources_agrees_with_json() -> None:
    for path in sorted(FIXTURES.glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        spans = nb.locate_sources(text)
        cells = json.loads(text)["cells"]
        assert spans is not None and len(spans) == len(cells)
        for span, cell in zip(spans, cells):
            assert json.loads(text[span.start:span.end]) == cell["source"]
