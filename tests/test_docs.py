"""Generated documentation is current: rule pages, the rules index and the README table."""

from __future__ import annotations

from pathlib import Path

from keras_compat import docs
from keras_compat.registry import all_rules

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
