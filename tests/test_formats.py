"""Output formats of ``keras-compat check``: json, sarif, github, rdjson/rdjsonl, gitlab, --statistics,
--output-file. Each format's column convention is pinned on a line with non-ASCII text before the finding:

* json, sarif, github: 1-based *characters* (SARIF declares ``columnKind: unicodeCodePoints``);
* rdjson/rdjsonl: 1-based UTF-8 *bytes* (reviewdog's ``rdf`` spec), end exclusive;
* gitlab: lines only.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from keras_compat.cli import main
from keras_compat.diagnostics import Edit, Fix
from keras_compat.formats import Finding, github, rdjson

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "sarif" / "sarif-schema-2.1.0.json"
if not SARIF_SCHEMA.exists():  # running from a checkout next to ../shared
    SARIF_SCHEMA = Path("/work/shared/sarif/sarif-schema-2.1.0.json")

# Line 5: `s = "éé"; ` puts two 2-byte characters before the KC201 finding.
SOURCE = (
    "import keras\n"
    "from keras.layers import Dense\n"
    "\n"
    "layer = Dense(10, init='glorot_uniform')\n"
    "s = \"éé\"; m = keras.layers.Dense(3, output_dim=4)\n"
)
LINE5 = SOURCE.splitlines()[4]
CHAR_COL = LINE5.index("output_dim")  # 0-based characters
BYTE_COL = len(LINE5[:CHAR_COL].encode("utf-8"))  # 0-based bytes
FIXED_LINE5 = "s = \"éé\"; m = keras.layers.Dense(3, units=4)"

# reviewdog's rdf schema, written from reviewdog/reviewdog proto/rdf/reviewdog.proto (message
# DiagnosticResult / Diagnostic / Location / Range / Position / Suggestion / Source / Code, enum Severity)
# and proto/rdf/jsonschema/*.json (protobuf JSON mapping: lowerCamel or original field names; line and
# column are 1-based, column counted in UTF-8 bytes; end is exclusive).
_POSITION = {"type": "object", "properties": {"line": {"type": "integer", "minimum": 1},
                                              "column": {"type": "integer", "minimum": 1}},
             "additionalProperties": False}
_RANGE = {"type": "object", "properties": {"start": _POSITION, "end": _POSITION},
          "additionalProperties": False}
_SOURCE = {"type": "object", "properties": {"name": {"type": "string"}, "url": {"type": "string"}},
           "additionalProperties": False}
_SEVERITY = {"enum": ["UNKNOWN_SEVERITY", "ERROR", "WARNING", "INFO"]}
RD_DIAGNOSTIC = {
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "location": {"type": "object", "properties": {"path": {"type": "string"}, "range": _RANGE},
                     "additionalProperties": False},
        "severity": _SEVERITY,
        "source": _SOURCE,
        "code": {"type": "object", "properties": {"value": {"type": "string"}, "url": {"type": "string"}},
                 "additionalProperties": False},
        "suggestions": {"type": "array", "items": {
            "type": "object", "properties": {"range": _RANGE, "text": {"type": "string"}},
            "additionalProperties": False}},
        "original_output": {"type": "string"},
        "related_locations": {"type": "array"},
    },
    "required": ["message", "location"],
    "additionalProperties": False,
}
RD_RESULT = {"type": "object", "properties": {"source": _SOURCE, "severity": _SEVERITY,
                                              "diagnostics": {"type": "array", "items": RD_DIAGNOSTIC}},
             "additionalProperties": False}

GITLAB_ISSUE = {  # GitLab "Code Quality report format" (docs/ci/testing/code_quality.md)
    "type": "object",
    "required": ["description", "check_name", "fingerprint", "severity", "location"],
    "properties": {
        "description": {"type": "string", "minLength": 1},
        "check_name": {"type": "string", "minLength": 1},
        "fingerprint": {"type": "string", "minLength": 1},
        "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
        "location": {"type": "object", "required": ["path", "lines"], "properties": {
            "path": {"type": "string"},
            "lines": {"type": "object", "required": ["begin"],
                      "properties": {"begin": {"type": "integer", "minimum": 1}}}}},
    },
}


def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft202012Validator
    return cls(schema)


def check(tmp_path: Path, fmt: str, *extra: str, source: str = SOURCE, name: str = "pkg/model.py") -> str:
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    out = tmp_path / f"report.{fmt}"
    import os

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        code = main(["check", "--isolated", "--no-cache", "-q", "-j", "1", "--format", fmt,
                     "--output-file", str(out), *extra, name])
    finally:
        os.chdir(cwd)
    assert code == 1
    return out.read_text(encoding="utf-8")


def test_json_has_positions_fixes_and_edits(tmp_path: Path) -> None:
    data = json.loads(check(tmp_path, "json"))
    found = {(f["code"], f["line"]) for f in data}
    assert ("KC201", 5) in found and ("KC101", 1) in found
    f = next(f for f in data if f["code"] == "KC201" and f["line"] == 5)
    assert f["symbol"] == "renamed-keras-argument" and f["severity"] == "error"
    assert f["filename"] == "pkg/model.py"
    assert (f["column"], f["end_line"]) == (CHAR_COL + 1, 5)  # 1-based characters
    assert f["fix"]["applicability"] == "safe" and f["fix"]["applies"] is True
    edit = f["fix"]["edits"][0]
    assert (edit["line"], edit["column"], edit["content"]) == (5, CHAR_COL + 1, "units=4")


def test_sarif_validates_and_follows_github_rules(tmp_path: Path) -> None:
    from keras_compat.registry import all_rules

    log = json.loads(check(tmp_path, "sarif"))
    sarif_validator().validate(log)
    assert log["version"] == "2.1.0" and log["$schema"]
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "keras-compat" and driver["version"] and driver["informationUri"]
    rules = driver["rules"]
    # only the rules with results, each once, in code order (issue 23: the full set was 191 kB of a 236 kB log)
    assert [r["id"] for r in rules] == sorted({res["ruleId"] for res in run["results"]})
    assert [r["id"] for r in rules] == [r.code for r in all_rules() if r.code in {x["id"] for x in rules}]
    for r in rules:  # GitHub requires non-empty texts
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
        assert len(r["shortDescription"]["text"]) <= 1024 and len(r["name"]) <= 255
        assert r["helpUri"] == \
            f"https://github.com/keras-compat/keras-compat/blob/main/docs/rules/{r['id']}.md"
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert r["properties"]["pylint-msgid"][0] in "EWC"
        assert "security-severity" not in r["properties"]
    kc201 = rules[[r["id"] for r in rules].index("KC201")]
    assert kc201["name"] == "renamed-keras-argument" and kc201["properties"]["pylint-msgid"] == "E7201"
    assert run["columnKind"] == "unicodeCodePoints"
    res = next(r for r in run["results"] if r["ruleId"] == "KC201"
               and r["locations"][0]["physicalLocation"]["region"]["startLine"] == 5)
    assert rules[res["ruleIndex"]]["id"] == "KC201" and res["level"] == "error"
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "pkg/model.py", "uriBaseId": "%SRCROOT%"}
    region = loc["region"]
    assert region["startColumn"] == CHAR_COL + 1  # characters, not bytes
    assert region["endColumn"] == CHAR_COL + 1 + len("output_dim=4")  # column after the last character
    assert res["partialFingerprints"]["primaryLocationLineHash"]
    change = res["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "pkg/model.py"
    rep = change["replacements"][0]
    assert rep["insertedContent"]["text"] == "units=4" and rep["deletedRegion"]["startColumn"] == CHAR_COL + 1
    # unsafe fixes (KC101) are not offered without --unsafe-fixes, but their safety is recorded
    kc101 = next(r for r in run["results"] if r["ruleId"] == "KC101")
    assert "fixes" not in kc101 and kc101["properties"]["fixSafety"] == "unsafe"
    with_unsafe = json.loads(check(tmp_path, "sarif", "--unsafe-fixes"))
    sarif_validator().validate(with_unsafe)
    assert all("fixes" in r for r in with_unsafe["runs"][0]["results"] if r["ruleId"] == "KC101")


def _prints(log: dict) -> dict[tuple[str, str], str]:
    out = {}
    for r in log["runs"][0]["results"]:
        msg = r["message"]["text"]
        out[(r["ruleId"], msg)] = r["partialFingerprints"]["primaryLocationLineHash"]
    return out


def test_sarif_fingerprints_survive_unrelated_edits(tmp_path: Path) -> None:
    before = json.loads(check(tmp_path / "a", "sarif"))
    shifted = "# a new header comment\n\n\n" + SOURCE
    after = json.loads(check(tmp_path / "b", "sarif", source=shifted))
    assert _prints(before) == _prints(after)
    lines_before = sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"]
                          for r in before["runs"][0]["results"])
    lines_after = sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"]
                         for r in after["runs"][0]["results"])
    assert lines_after == [n + 3 for n in lines_before]
    # the same finding twice on identical lines: distinct fingerprints (occurrence index)
    twice = json.loads(check(tmp_path / "c", "sarif", source="from keras.layers import Dense\n"
                             "a = Dense(3, output_dim=4)\na = Dense(3, output_dim=4)\n"))
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in twice["runs"][0]["results"]
              if r["ruleId"] == "KC201"]
    assert len(hashes) == 2 and len(set(hashes)) == 2


def test_github_commands(tmp_path: Path) -> None:
    lines = check(tmp_path, "github").splitlines()
    line5 = next(x for x in lines if "line=5," in x and "KC201" in x)
    assert line5.startswith("::error file=pkg/model.py,line=5,endLine=5,")
    assert f",col={CHAR_COL + 1},endColumn={CHAR_COL + 1 + len('output_dim=4')}," in line5
    assert ",title=KC201 renamed-keras-argument::" in line5
    assert "%0A  help: " in line5 and "\n" not in line5
    assert lines[-1] == "keras-compat: emitted 4 annotations (2 errors, 2 warnings)"
    assert sum(1 for x in lines if x.startswith("::")) == 4


def test_github_escaping_and_multiline_columns() -> None:
    f = Finding(path="dir,a/b:c.py", code="KC201", symbol="renamed-keras-argument",
                message="100% bad\r\nnext ::stop-commands::x", line=3, col=4, end_line=3, end_col=9)
    cmd = github.command(f)
    assert cmd == ("::error file=dir%2Ca/b%3Ac.py,line=3,endLine=3,col=5,endColumn=10,"
                   "title=KC201 renamed-keras-argument::100%25 bad%0D%0Anext ::stop-commands::x")
    multi = Finding(path="a.py", code="KC102", symbol="mixed-keras-imports", message="m", line=3, col=4,
                    end_line=5, end_col=2, severity="warning")
    assert github.command(multi) == "::warning file=a.py,line=3,endLine=5,title=KC102 mixed-keras-imports::m"
    note = Finding(path="a.py", code="KC303", message="m", line=1, severity="convention")
    assert github.command(note).startswith("::notice file=a.py,line=1,title=KC303::")
    many = [Finding(path="a.py", code="KC201", message="m", line=n) for n in range(1, 13)]
    assert "at most 10 per level" in github.summary(many)


def test_rdjson_byte_columns_and_suggestions(tmp_path: Path) -> None:
    result = json.loads(check(tmp_path, "rdjson"))
    jsonschema.Draft202012Validator(RD_RESULT).validate(result)
    assert result["source"]["name"] == "keras-compat"
    d = next(d for d in result["diagnostics"] if d["code"]["value"] == "KC201"
             and d["location"]["range"]["start"]["line"] == 5)
    assert d["severity"] == "ERROR" and d["location"]["path"] == "pkg/model.py"
    assert d["code"]["url"].endswith("/docs/rules/KC201.md")
    rng = d["location"]["range"]
    assert rng["start"] == {"line": 5, "column": BYTE_COL + 1}  # bytes: é is 2 bytes
    assert BYTE_COL == CHAR_COL + 2
    assert rng["end"] == {"line": 5, "column": BYTE_COL + 1 + len("output_dim=4")}
    (s,) = d["suggestions"]
    assert s["text"] == "units=4" and s["range"] == rng
    # applying the suggestion at those byte offsets gives what --fix writes
    raw = LINE5.encode("utf-8")
    new = raw[:s["range"]["start"]["column"] - 1] + s["text"].encode() + raw[s["range"]["end"]["column"] - 1:]
    assert new.decode("utf-8") == FIXED_LINE5
    warnings = [d for d in result["diagnostics"] if d["code"]["value"] == "KC101"]
    assert warnings and all(w["severity"] == "WARNING" and "suggestions" not in w for w in warnings)


def test_rdjsonl_one_diagnostic_per_line(tmp_path: Path) -> None:
    lines = check(tmp_path, "rdjsonl").splitlines()
    assert len(lines) == 4
    for line in lines:
        d = json.loads(line)
        jsonschema.Draft202012Validator(RD_DIAGNOSTIC).validate(d)
        assert d["source"]["name"] == "keras-compat"


def test_rdjson_merges_edits_on_one_line() -> None:
    text = "f(a=1, bb=2)  # é"
    fix = Fix("rename", (Edit(1, 2, 1, 3, "x"), Edit(1, 7, 1, 9, "yy")))
    f = Finding(path="a.py", code="KC201", message="m", line=1, col=0, end_line=1, end_col=12, fix=fix,
                lines={1: text})
    (s,) = rdjson.diagnostic(f)["suggestions"]
    assert s == {"range": {"start": {"line": 1, "column": 3}, "end": {"line": 1, "column": 10}},
                 "text": "x=1, yy"}


def test_gitlab_code_quality(tmp_path: Path) -> None:
    issues = json.loads(check(tmp_path, "gitlab"))
    jsonschema.Draft202012Validator({"type": "array", "items": GITLAB_ISSUE}).validate(issues)
    assert len({i["fingerprint"] for i in issues}) == len(issues) == 4
    i = next(i for i in issues if i["check_name"] == "KC201" and i["location"]["lines"]["begin"] == 5)
    assert i["severity"] == "major" and i["location"]["path"] == "pkg/model.py"
    assert i["description"].startswith("KC201 renamed-keras-argument: ")


def test_statistics_and_output_file(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--isolated", "--no-cache", "-q", "-j", "1", "--statistics", "m.py"]) == 1
    out = capsys.readouterr().out
    assert "     2  KC101  standalone-keras-import" in out and "     2  KC201  renamed-keras-argument" in out
    assert main(["check", "--isolated", "--no-cache", "-j", "1", "--format", "sarif", "-o", "r.sarif",
                 "m.py"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "4 findings" in captured.err
    sarif_validator().validate(json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8")))


@pytest.mark.parametrize("fmt", ["sarif", "github", "rdjson", "rdjsonl", "gitlab", "json"])
def test_clean_run_is_valid(tmp_path: Path, fmt: str, monkeypatch, capsys) -> None:
    (tmp_path / "ok.py").write_text("import os\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["check", "--isolated", "--no-cache", "-q", "-j", "1", "--format", fmt, "-o", "o", "ok.py"]
    assert main(args) == 0
    text = (tmp_path / "o").read_text(encoding="utf-8")
    if fmt == "sarif":
        sarif_validator().validate(json.loads(text))
    elif fmt == "rdjson":
        jsonschema.Draft202012Validator(RD_RESULT).validate(json.loads(text))
    elif fmt in ("gitlab", "json"):
        assert json.loads(text) == []
    elif fmt == "github":
        assert text == "keras-compat: emitted 0 annotations\n"
    else:
        assert text == ""


def test_sarif_keeps_noqa_findings_as_suppressed(tmp_path: Path) -> None:
    """``# noqa`` findings stay in SARIF with an inSource suppression (code scanning closes them as
    suppressed); the other formats leave them out."""
    source = ('from keras.layers import Dense\n'
              'a = Dense(4, init="zero")  # noqa: KC201\n'
              'b = Dense(4, init="zero")\n')
    log = json.loads(check(tmp_path, "sarif", source=source))
    sarif_validator().validate(log)
    results = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r
               for r in log["runs"][0]["results"]}
    assert results[("KC201", 2)]["suppressions"] == [{"kind": "inSource", "justification": "# noqa comment"}]
    assert "fixes" not in results[("KC201", 2)]
    assert "suppressions" not in results[("KC201", 3)] and "suppressions" not in results[("KC101", 1)]
    github = check(tmp_path, "github", source=source)
    assert "line=3" in github and "line=2," not in github


def test_github_format_writes_the_job_summary(tmp_path: Path, monkeypatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    check(tmp_path, "github")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## keras-compat\n")  # appended, never overwritten
    assert "| [KC201](https://github.com/keras-compat/keras-compat/blob/main/docs/rules/KC201.md) |" in text
    assert "`renamed-keras-argument`" in text and "fixable with `keras-compat check --fix`" in text
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing-dir" / "s.md"))
    assert "::error" in check(tmp_path, "github") or "::warning" in check(tmp_path, "github")


def test_sarif_size_follows_the_findings_not_the_rule_count(tmp_path: Path) -> None:
    """20 findings of one rule: the log describes that rule only (issue 23: 236 kB, 191 kB of them docs)."""
    source = "from keras.layers import Dense\n" + "".join(f"d{n} = Dense(10, output_dim={n})\n" for n in range(20))
    text = check(tmp_path, "sarif", source=source, name="many.py")
    log = json.loads(text)
    sarif_validator().validate(log)
    run = log["runs"][0]
    assert len(run["results"]) == 21
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["KC101", "KC201"]
    described = len(json.dumps(run["tool"]["driver"]["rules"], indent=2).encode())
    assert described < 20_000 and described < len(text.encode()) / 3, (described, len(text.encode()))
