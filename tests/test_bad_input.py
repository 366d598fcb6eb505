"""Bad input never crashes the core or a host tool, and gets a clear message."""

from __future__ import annotations

import sys

import pytest
from support.frontends import parse_flake8, parse_pylint, run_flake8, run_pylint

from keras_compat.engine import lint_source

INPUTS: dict[str, bytes] = {
    "syntax-error": b"import keras\ndef f(:\n    pass\n",
    "python2": b"import keras\nprint 'hello'\n",
    "python2-except": b"import keras\ntry:\n    pass\nexcept ValueError, e:\n    pass\n",
    "bom": b"\xef\xbb\xbfimport keras\nfrom keras.layers import Dense\nDense(output_dim=2)\n",
    "crlf": b"import keras\r\nfrom keras.layers import Dense\r\nDense(output_dim=2)\r\n",
    "latin1-cookie": "# -*- coding: latin-1 -*-\nimport keras\ns = 'caf\xe9'\nkeras.layers.Dense(output_dim=2)\n"
                     .encode("latin-1"),
    "invalid-utf8": b"import keras\ns = '\xff\xfe'\n",
    "empty": b"",
    "null-byte": b"import keras\x00\n",
}


@pytest.mark.parametrize("data", INPUTS.values(), ids=INPUTS.keys())
def test_core_never_raises(data: bytes) -> None:
    found = lint_source(data, "input.py")
    assert not [d for d in found if d.code == "KC000"]


def test_syntax_errors_and_python2_get_clear_messages() -> None:
    [syntax] = lint_source(INPUTS["syntax-error"])
    assert syntax.code == "KC001" and syntax.line == 2 and "syntax error" in syntax.message
    [py2] = lint_source(INPUTS["python2"])
    assert py2.code == "KC001" and "looks like Python 2: print statement" in py2.message
    [py2b] = lint_source(INPUTS["python2-except"])
    assert "Python 2" in py2b.message
    [undecodable] = lint_source(INPUTS["invalid-utf8"])
    assert undecodable.code == "KC001" and "cannot decode" in undecodable.message


def test_encodings_and_newlines_are_analysed() -> None:
    for name in ("bom", "crlf", "latin1-cookie"):
        found = {(d.line, d.code) for d in lint_source(INPUTS[name])}
        assert (3 if name != "latin1-cookie" else 4, "KC201") in found, name


def test_deeply_nested_code_is_contained() -> None:
    source = "import keras\nx = " + "(" * 150 + "1" + ")" * 150 + "\n"
    assert not [d for d in lint_source(source) if d.code == "KC000"]
    deep = "import keras\n" + "".join("    " * i + f"def f{i}():\n" for i in range(90)) + "    " * 90 + "pass\n"
    found = lint_source(deep)
    assert all(d.code in ("KC001", "KC101") for d in found)


DEEP = {  # each parses, but is nested deeper than the default recursion limit lets the analysis go
    "binop": "from keras.layers import Dense\nDense(output_dim=1)\nx = " + " + ".join(["a"] * 2000) + "\n",
    "elif": "from keras.layers import Dense\nif x:\n    pass\n" + "elif x:\n    Dense(output_dim=1)\n" * 1000,
    "call-chain": "from keras.layers import Dense\nDense(output_dim=1)\nx = y" + ".f(1)" * 500 + "\n",
    "subscript": "from keras.layers import Dense\nDense(output_dim=1)\nx = y" + "[0]" * 2000 + "\n",
}


@pytest.mark.parametrize("name", DEEP)
def test_deep_code_that_parses_is_analysed(name: str) -> None:
    """Regression: these gave KC000 (RecursionError in the analysis); now they are analysed in full."""
    found = lint_source(DEEP[name])
    assert not [d for d in found if d.code in ("KC000", "KC001")], found[:3]
    assert any(d.code == "KC201" for d in found)
    if name == "elif":
        assert len([d for d in found if d.code == "KC201"]) == 1000


@pytest.mark.parametrize("front_end", ["flake8", "pylint"])
def test_front_ends_survive_every_bad_input(tmp_path, front_end) -> None:
    for name, data in INPUTS.items():
        if front_end == "flake8" and b"\x00" in data and sys.version_info < (3, 11):
            continue  # flake8 itself stops with a traceback there (Python 3.10's parser: ValueError, not SyntaxError)
        (tmp_path / f"{name.replace('-', '_')}.py").write_bytes(data)
    files = sorted(p.name for p in tmp_path.glob("*.py"))
    if front_end == "flake8":
        status, out, err = run_flake8(files, subprocess_mode=True, cwd=tmp_path)
        found = parse_flake8(out)
    else:
        status, out, err = run_pylint(files, subprocess_mode=True, cwd=tmp_path)
        found = parse_pylint(out)
    assert "Traceback" not in err and "Traceback" not in out
    assert not [f for f in found if f[3] == "KC000"]
    assert ("crlf.py", 3, 0, "KC201") not in found  # column of the keyword, not 0
    assert any(f[0] == "crlf.py" and f[3] == "KC201" for f in found)
    assert any(f[0] == "bom.py" and f[3] == "KC201" for f in found)


@pytest.mark.parametrize("source", [
    "import keras\nx = 'a' \\\n    'b' \\    'c'\n",  # error after a continuation: offset counts the logical line
    "import keras\nx = (\n",  # error at the end of the file
    "import keras\nx = 'caf\u00e9' \\\n    \u00e9\u00e9\u00e9 \\ \u00e9\n",
])
def test_syntax_error_positions_stay_inside_the_file(source: str) -> None:
    """Regression (found by the mutation fuzzer): KC001 columns past the end of the physical line."""
    [found] = lint_source(source)
    lines = source.splitlines()
    assert found.code == "KC001" and 1 <= found.line <= len(lines)
    assert 0 <= found.col <= len(lines[found.line - 1])
