"""``--format github``: GitHub Actions workflow commands (see :mod:`keras_compat.formats.github`).

Inside a GitHub Actions job (``$GITHUB_STEP_SUMMARY`` is set) the run's summary is also appended to the
job summary page as Markdown: totals, then a table of findings per rule with links to the rule pages.
Annotations are capped by GitHub (10 per step per level); the summary still counts everything.
"""

from __future__ import annotations

import os
from typing import TextIO

from keras_compat.cli.model import Report
from keras_compat.cli.output import Style
from keras_compat.cli.output._findings import findings
from keras_compat.formats import github, rule_doc_uri
from keras_compat.registry import REGISTRY


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def step_summary(report: Report) -> str:
    """The Markdown job summary for a run."""
    counts = report.counts()
    lines = ["## keras-compat", ""]
    if not counts["findings"] and not counts["failed"]:
        lines.append(f"No findings in {_n(counts['files'], 'file')}.")
        return "\n".join(lines) + "\n"
    lines.append(f"{_n(counts['findings'], 'finding')} in {_n(counts['files'], 'file')} "
                 f"({counts['fixable']} fixable with `keras-compat check --fix`, "
                 f"{counts['fixable_unsafe']} more with `--unsafe-fixes`, {counts['manual']} manual; "
                 f"{counts['suppressed']} suppressed by noqa; {_n(counts['failed'], 'file')} could not be "
                 "analysed).")
    lines += ["", "| rule | symbol | findings |", "|---|---|---:|"]
    for code, n in report.statistics():
        rule = REGISTRY.get(code)
        uri = rule_doc_uri(code)
        name = f"[{code}]({uri})" if uri else code
        lines.append(f"| {name} | `{rule.symbol if rule else ''}` | {n} |")
    return "\n".join(lines) + "\n"


def write(report: Report, stream: TextIO, style: Style) -> None:
    for line in github.render(findings(report)):
        stream.write(line + "\n")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        try:
            with open(summary_file, "a", encoding="utf-8") as fh:
                fh.write(step_summary(report))
        except OSError:
            pass  # the summary is a courtesy; annotations were already written
