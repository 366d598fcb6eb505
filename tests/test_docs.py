"""Generated documentation is current: rule pages, the rules index and the README table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from keras_compat import docs
from keras_compat.registry import Good, all_rules

ROOT = Path(__file__).resolve().parent.parent


def test_rule_pages_are_current() -> None:
    stale = [str(p.relative_to(ROOT)) for p, text in docs.expected_files(ROOT).items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert not stale, f"regenerate with `python -m keras_compat.docs`: {stale}"


def test_no_orphan_rule_pages() -> None:
    codes = {r.code for r in all_rules()}
    pages = {p.stem for p in (ROOT / "docs" / "rules").glob("KC*.md")}
    assert pages == codes


def test_readme_rule_table_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.readme_with_table(readme) == readme, "regenerate with `python -m keras_compat.docs`"
    for rule in all_rules():
        assert f"[{rule.code}](docs/rules/{rule.code}.md)" in readme


def test_pages_show_the_tested_examples_without_markers() -> None:
    for rule in all_rules():
        page = rule.doc_markdown()
        assert "# error:" not in page
        for bad in rule.bad[:2]:
            assert docs.strip_markers(bad.code).strip() in page


# -- what each example on a page is (issue 23, defect 9) -------------------------------------------------

FENCE = "```python\n"


def _blocks(section: str) -> list[tuple[str, str]]:
    """(label line before the block, code) for every code block of a page section."""
    out = []
    parts = section.split(FENCE)
    for before, after in zip(parts, parts[1:]):
        label = [line for line in before.strip().splitlines() if line.strip()][-1:] or [""]
        out.append((label[0], after.split("\n```", 1)[0]))
    return out


def _section(page: str, title: str) -> str:
    start = page.index(f"## {title}\n")
    end = page.find("\n## ", start + 1)
    return page[start:end if end != -1 else len(page)]


def _label_targets(label: str, rule) -> tuple[str, ...]:
    from keras_compat.settings import TARGETS

    if "with any `keras-target`" in label:
        return tuple(t for t in TARGETS if t in rule.targets)
    match = re.search(r"`keras-target = ([^`]+)`", label)
    assert match, f"{rule.code}: a 'Use instead' example has no target in its label: {label!r}"
    return tuple(t.strip() for t in match.group(1).split("/"))


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_use_instead_examples_have_no_finding_under_their_targets(rule) -> None:
    """Advice must not show code that a rule reports: every block under "Use instead" is linted under each
    target its label names, with every rule enabled by default."""
    from keras_compat.engine import lint_source
    from keras_compat.settings import Settings

    section = _section(rule.doc_markdown(), "Use instead")
    prose = _blocks(rule.use_instead) if "```python" in rule.use_instead else []
    problems = []
    for n, (label, code) in enumerate(_blocks(section), start=1):
        in_prose = (label, code) in prose or any(code == c for _, c in prose)
        for target in rule.targets if in_prose else _label_targets(label, rule):
            found = lint_source(code + "\n", "example.py", Settings(target=target))
            if found:
                listed = "; ".join(f"{d.code} line {d.line}: {d.message}" for d in found)
                problems.append(f"docs/rules/{rule.code}.md 'Use instead' example {n} ({label!r}) has findings "
                                f"with keras-target = {target}: {listed}\n{code}")
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_target_gets_a_clean_use_instead_example(rule) -> None:
    """A rule that has good examples for a target shows at least one without any finding there: the fix is
    a good example that is clean under that target (limit a flavour-specific one with Good(targets=...))."""
    from keras_compat.engine import lint_source
    from keras_compat.settings import Settings

    shown = docs.shown_good(rule)
    problems = []
    for target in rule.targets:
        goods = [(n, g if isinstance(g, Good) else Good(g)) for n, g in enumerate(rule.good)]
        goods = [(n, g) for n, g in goods if g.applies_to(target)]
        if goods and not any(target in targets for _, targets in shown):
            why = "; ".join(f"good example {n}: " + ", ".join(
                f"{d.code} line {d.line}" for d in lint_source(g.code, "example.py", Settings(target=target)))
                for n, g in goods)
            problems.append(f"{rule.code}: no good example without findings under keras-target = {target} "
                            f"({why})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_example_says_what_it_is(rule) -> None:
    page = rule.doc_markdown()
    prose = {code for _, code in _blocks(rule.use_instead)}  # the rule author's own text and code
    blocks = [(label, code) for label, code in _blocks(page) if code not in prose]
    codes = [code for _, code in blocks]
    assert len(codes) == len(set(codes)), f"{rule.code}: a code block is shown twice"
    for label, code in blocks:
        assert label.startswith(("Reported", "`keras-compat check --fix", "No finding")), \
            f"{rule.code}: block without a label ({label!r}):\n{code}"


def test_summaries_do_not_repeat_the_default_state() -> None:
    """"(off by default)" is added by `rules` and the README table from default_enabled."""
    assert not [r.code for r in all_rules() if "off by default" in r.summary]
    assert "(off by default) (off by default)" not in (ROOT / "README.md").read_text(encoding="utf-8")
