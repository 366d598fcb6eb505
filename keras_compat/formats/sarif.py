"""SARIF 2.1.0 as GitHub code scanning accepts it (validated against the schema upload-sarif bundles).

* ``tool.driver``: name, version, informationUri and ``rules[]``: one descriptor per rule *that has a
  result* in this log, as GitHub recommends (id = KC code, name = symbol, short/full description, help
  text and Markdown, helpUri to the rule's page, default level from the severity, pylint msgid in
  ``properties``); embedding every rule's page made a 20-finding log 236 kB, 191 kB of it documentation.
  Codes of other tools (flake8/pylint front-ends) get a minimal descriptor.
* results: ``ruleId``/``ruleIndex``, ``level``, one location with a *relative* URI and
  ``uriBaseId: %SRCROOT%`` (absolute ``file://`` URI for files outside the base directory), a region with
  1-based lines and 1-based Unicode code point columns (``run.columnKind = unicodeCodePoints``; end
  exclusive, i.e. the column after the last character), ``partialFingerprints.primaryLocationLineHash``
  from :func:`keras_compat.formats.fingerprints` (no line numbers hashed), and ``fixes[]`` with
  ``artifactChanges``/``replacements`` for fixes that apply (``insertedContent.text`` always present,
  also for deletions, so reviewdog's SARIF reader keeps them).
* findings silenced by ``# noqa`` (when the front-end passes them) carry ``suppressions: [{kind:
  inSource}]``: code scanning records them as suppressed instead of opening alerts, and audits still
  see them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from keras_compat import __version__
from keras_compat.formats import DOCS_URI, INFORMATION_URI, TOOL_NAME, Finding, fingerprints

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "convention": "note", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "convention": "recommendation",
                    "info": "recommendation"}


def rule_descriptor(rule: Any) -> dict[str, Any]:
    """A ``reportingDescriptor`` for one registry rule."""
    uri = DOCS_URI.format(code=rule.code)
    doc = rule.doc_markdown().strip()
    return {
        "id": rule.code,
        "name": rule.symbol,
        "shortDescription": {"text": rule.summary[:1024]},
        "fullDescription": {"text": f"{rule.what} {rule.why}".strip()},
        "help": {"text": f"{doc}\n\nDocumentation: {uri}", "markdown": f"{doc}\n\n[Documentation]({uri})"},
        "helpUri": uri,
        "defaultConfiguration": {"level": LEVELS[rule.severity.value], "enabled": rule.default_enabled},
        "properties": {
            "pylint-msgid": rule.pylint_msgid,
            "pylint-symbol": rule.symbol,
            "fix": rule.fix.value,
            "tags": ["keras", "migration", rule.group.name],
            "precision": "high",
            "problem.severity": PROBLEM_SEVERITY[rule.severity.value],
        },
    }


def foreign_descriptor(code: str, symbol: str, severity: str) -> dict[str, Any]:
    """A minimal descriptor for another tool's code (flake8 E501, pylint C0114 ...)."""
    text = f"{code} {symbol}".strip()
    return {
        "id": code,
        **({"name": symbol} if symbol else {}),
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": text},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
    }


def artifact_location(path: str, base: Path) -> dict[str, str]:
    """Relative URI against ``%SRCROOT%`` when the file is below ``base``, else an absolute file URI."""
    p = Path(path)
    if p.is_absolute():
        try:
            rel = p.resolve().relative_to(base.resolve())
        except ValueError:
            return {"uri": p.as_uri()}
        path = rel.as_posix()
    rel_posix = Path(os.path.normpath(path)).as_posix() if path not in ("", ".") else path
    if rel_posix.startswith("../"):
        return {"uri": (base / path).resolve().as_uri()}
    return {"uri": quote(rel_posix, safe="/"), "uriBaseId": SRCROOT}


def region(line: int, col: int | None, end_line: int | None, end_col: int | None) -> dict[str, int]:
    out = {"startLine": max(1, line)}
    if col is not None:
        out["startColumn"] = col + 1
    if end_line is not None:
        out["endLine"] = max(out["startLine"], end_line)
    if col is not None and end_col is not None:
        end = end_col + 1
        if out.get("endLine", out["startLine"]) == out["startLine"]:
            end = max(end, out["startColumn"])
        out["endColumn"] = end
    return out


def render(findings: Sequence[Finding], rules: Iterable[Any] | None = None,
           base: str | os.PathLike[str] = ".",
           tool_name: str = TOOL_NAME, tool_version: str = __version__) -> dict[str, Any]:
    """The SARIF log (a dict ready for ``json.dump``). ``rules``: registry rules to describe in ``rules[]``
    (default: those with a result; a rule without a result is left out even when given)."""
    used = {f.code for f in findings}
    if rules is None:
        from keras_compat.registry import all_rules

        rules = all_rules()
    base_path = Path(base).resolve()
    descriptors = [rule_descriptor(r) for r in rules if r.code in used]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    for f in findings:
        if f.code not in index:
            index[f.code] = len(descriptors)
            descriptors.append(foreign_descriptor(f.code, f.symbol, f.severity))
    prints = fingerprints(findings)
    results = []
    for f in findings:
        location = artifact_location(f.path, base_path)
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVELS.get(f.severity, "warning"),
            "message": {"text": f.message or f.code},
            "locations": [{"physicalLocation": {"artifactLocation": location,
                                                "region": region(f.line, f.col, f.end_line, f.end_col)}}],
            "partialFingerprints": {"primaryLocationLineHash": prints[id(f)]},
        }
        if f.fix is not None:
            result["fixes"] = [{
                "description": {"text": f.fix.title},
                "artifactChanges": [{
                    "artifactLocation": dict(location),
                    "replacements": [{"deletedRegion": region(e.line, e.col, e.end_line, e.end_col),
                                      "insertedContent": {"text": e.content}} for e in f.fix.edits],
                }],
            }]
        if f.fix_safety is not None:
            result["properties"] = {"fixSafety": f.fix_safety}
        if f.suppressed:
            result["suppressions"] = [{"kind": "inSource", "justification": "# noqa comment"}]
            result.pop("fixes", None)
        results.append(result)
    driver: dict[str, Any] = {"name": tool_name, "version": tool_version, "informationUri": INFORMATION_URI,
                              "rules": descriptors}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {SRCROOT: {"uri": base_path.as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
