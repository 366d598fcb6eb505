"""``keras-compat check --add-noqa``: a ``# noqa: KCnnn`` comment on each line with a finding, where flake8
reads it (issue 23), so a team can adopt the linter and fail CI only on new findings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.examples import cases

from keras_compat.cli import main
from keras_compat.cli.noqa import add_comments, build
from keras_compat.engine import lint_source
from keras_compat.source import parse

TRICKY = '''import keras
from keras.layers import Conv2D, Dense
a = Conv2D(32, 3, 3, border_mode="same")  # a comment stays
b = Dense(3, init="zero")  # noqa: E501
c = Dense(3,
          init="zero")
d = 1 + \\
    Dense(3, init="zero").units
e = """text
""" + str(Dense(3, init="zero"))
f = "a # noqa: E1 in a string"; g = Dense(3, init="zero")
'''


def run(args: list[str], cwd: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def flake8_codes(cwd: Path, *files: str) -> list[str]:
    proc = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select=KC", *files], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    return [line.split(": ", 1)[1].split()[0] for line in proc.stdout.splitlines() if ": " in line]


def test_add_noqa_writes_comments_flake8_reads(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "m.py").write_text(TRICKY)
    before = flake8_codes(tmp_path, "m.py")
    assert before.count("KC201") >= 5
    code, out, err = run(["check", "--isolated", "--no-cache", "--add-noqa", "m.py"], tmp_path, capsys, monkeypatch)
    text = (tmp_path / "m.py").read_text()
    parse(text)
    assert code == 1  # the one finding no comment can silence (a '# noqa' in a string comes first) remains
    assert "m.py:11:" in out and "line 11: no noqa comment added" in err
    assert "# a comment stays  # noqa: KC201, KC202\n" in text  # after the other comment, codes sorted
    assert 'b = Dense(3, init="zero")  # noqa: E501, KC201\n' in text  # an existing list extended
    assert "c = Dense(3,\n          init=\"zero\")  # noqa: KC201\n" in text  # the reported line of a call
    assert "d = 1 + \\\n    Dense(3, init=\"zero\").units  # noqa: KC201\n" in text  # after the continuation
    assert '""" + str(Dense(3, init="zero"))  # noqa: KC201\n' in text  # after the closing quotes
    assert text.splitlines()[10] == TRICKY.splitlines()[10]  # left alone
    assert flake8_codes(tmp_path, "m.py") == ["KC201"]  # flake8 agrees: only line 11 is left
    # the baseline: a second run adds nothing; a new finding is the only one reported
    code, out, err = run(["check", "--isolated", "--no-cache", "--add-noqa", "m.py"], tmp_path, capsys, monkeypatch)
    assert (tmp_path / "m.py").read_text() == text and "added 0 noqa comments" in err
    (tmp_path / "m.py").write_text(text + "h = Dense(3, init='one')\n")
    code, out, _ = run(["check", "--isolated", "--no-cache", "m.py"], tmp_path, capsys, monkeypatch)
    assert {line.split(":")[1] for line in out.splitlines() if line.startswith("m.py:")} == {"11", "12"}


def test_add_noqa_is_not_a_fix(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "m.py").write_text(TRICKY)
    for extra in (["--fix"], ["--diff"]):
        code, _, err = run(["check", "--add-noqa", *extra, "m.py"], tmp_path, capsys, monkeypatch)
        assert code == 2 and "--add-noqa cannot be combined" in err
    assert (tmp_path / "m.py").read_text() == TRICKY


def test_add_noqa_keeps_crlf_and_encoding(tmp_path: Path, capsys, monkeypatch) -> None:
    source = "# -*- coding: latin-1 -*-\r\nimport keras\r\nx = 'caf\xe9'\r\n"
    (tmp_path / "l.py").write_bytes(source.encode("latin-1"))
    code, _, _ = run(["check", "--isolated", "--no-cache", "--add-noqa", "l.py"], tmp_path, capsys, monkeypatch)
    assert code == 0
    assert (tmp_path / "l.py").read_bytes() == source.replace("import keras\r\n", "import keras  # noqa: KC101\r\n")\
        .encode("latin-1")


def test_add_noqa_in_a_notebook(tmp_path: Path, capsys, monkeypatch) -> None:
    fixture = Path(__file__).parent / "fixtures" / "notebooks" / "keras1_mnist_cnn.ipynb"
    (tmp_path / "nb.ipynb").write_bytes(fixture.read_bytes())
    code, out, err = run(["check", "--isolated", "--no-cache", "--add-noqa", "nb.ipynb"], tmp_path, capsys,
                         monkeypatch)
    assert code == 0 and "added" in err
    import json

    after = json.loads((tmp_path / "nb.ipynb").read_text())
    before = json.loads(fixture.read_text())
    assert [c["cell_type"] for c in after["cells"]] == [c["cell_type"] for c in before["cells"]]
    assert any("# noqa: KC" in "".join(c["source"]) for c in after["cells"])
    for old, new in zip(before["cells"], after["cells"]):  # outputs, metadata untouched
        assert {k: v for k, v in old.items() if k != "source"} == {k: v for k, v in new.items() if k != "source"}
    code, out, _ = run(["check", "--isolated", "--no-cache", "nb.ipynb"], tmp_path, capsys, monkeypatch)
    assert code == 0 and out == ""


@pytest.mark.parametrize("case", [c for c in cases() if c.kind == "bad" and c.rule.code != "KC001"],
                         ids=lambda c: c.id)
def test_every_rule_example_is_silenced_where_flake8_reads_it(case) -> None:
    """For every bad example of every rule (also the rules added later): the comments land where the
    findings are suppressed, the program still parses, and nothing else changes but line ends."""
    found = lint_source(case.code, "example.py", case.settings)
    new, added, failed = add_comments(case.code, found)
    parse(new)
    assert not failed
    suppressed = build(new)
    assert all(suppressed.suppresses(d) for d in found if d.code not in ("KC000", "KC001")), new
    old_lines, new_lines = case.code.splitlines(), new.splitlines()
    assert len(old_lines) == len(new_lines)
    assert all(n.startswith(o.rstrip()) for o, n in zip(old_lines, new_lines) if "# noqa" not in o)
