"""Rule examples from the registry, as test cases: expected (line, code) pairs from ``# error:`` markers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from keras_compat.registry import Bad, Rule, all_rules
from keras_compat.settings import TARGETS, Settings

MARKER = re.compile(r"# error: (KC\d{3}(?:\s*,\s*KC\d{3})*)\s*$")


def expected_findings(code: str) -> set[tuple[int, str]]:
    """(line, code) for every ``# error: KCnnn[, KCmmm]`` marker in an example."""
    found = set()
    for number, line in enumerate(code.splitlines(), start=1):
        match = MARKER.search(line)
        if match:
            for item in match.group(1).split(","):
                found.add((number, item.strip()))
    return found


@dataclass(frozen=True)
class Case:
    rule: Rule
    index: int
    kind: str  # "bad" | "good" | "off" (a bad example under a target the rule does not run for)
    code: str
    bad: Bad | None = None
    target: str = "tf-keras"

    @property
    def id(self) -> str:
        return f"{self.rule.code}-{self.kind}{self.index}-{self.target}"

    @property
    def settings(self) -> Settings:
        """Every rule enabled, under this case's target."""
        return everything(self.target)

    @property
    def codes(self) -> set[str]:
        """Codes this case is about: the rule's own and every code its markers name."""
        return {self.rule.code} | {c for _, c in expected_findings(self.code)}


def cases() -> list[Case]:
    """One case per (example, target) it applies to, plus "off" cases for targets a rule skips."""
    out = []
    for rule in all_rules():
        for target in TARGETS:
            if not rule.runs_for(target):
                out += [Case(rule, i, "off", b.code, b, target) for i, b in enumerate(rule.bad)]
                continue
            out += [Case(rule, i, "bad", b.code, b, target) for i, b in enumerate(rule.bad) if b.applies_to(target)]
            out += [Case(rule, i, "good", g, None, target) for i, g in enumerate(rule.good_for(target))]
    return out


def everything(target: str = "tf-keras") -> Settings:
    """Settings with every rule enabled, including the ones that are off by default."""
    return Settings(extend_select=tuple(r.code for r in all_rules() if not r.default_enabled), target=target)


def package_tests_and_examples() -> Iterator[tuple[str, str]]:
    """(text, file name) of every module of the package and of the tests, then every rule example: the real
    code the resolution tests compare two paths on."""
    root = Path(__file__).resolve().parent.parent.parent
    for path in sorted([*root.joinpath("keras_compat").rglob("*.py"), *root.joinpath("tests").rglob("*.py")]):
        yield path.read_text(encoding="utf-8", errors="replace"), str(path)
    for rule in all_rules():
        for example in (*rule.bad, *rule.good):
            yield (example if isinstance(example, str) else example.code), "<string>"
