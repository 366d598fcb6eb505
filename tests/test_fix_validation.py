"""Fixes are validated by re-linting: a fix whose written lines carry a finding that was not there before
is withdrawn (``keras_compat.fixes.fix_text``), whoever built it; the CLI and the notebook fixer go through it."""

from __future__ import annotations

import re

from keras_compat.diagnostics import Diagnostic, Edit, Fix
from keras_compat.fixes import fix_text


def _finding(code: str, line: int, fix: Fix | None = None) -> Diagnostic:
    return Diagnostic(code, f"{code} here", line, 0, line, 1, fix)


def _replace(line: int, col: int, end_col: int, content: str, title: str) -> Fix:
    return Fix(title, (Edit(line, col, line, end_col, content),))


def _lint(rules):
    """A lint function from ``rules``: (regex, code, fix builder or None) applied per line."""
    def lint(text: str) -> list[Diagnostic]:
        out = []
        for number, line in enumerate(text.splitlines(), 1):
            for pattern, code, build in rules:
                match = re.search(pattern, line)
                if match:
                    out.append(_finding(code, number, build(number, match) if build else None))
        return out
    return lint


def test_a_fix_that_introduces_a_finding_on_its_line_is_withdrawn() -> None:
    lint = _lint([
        (r"old_name", "KC203", lambda n, m: _replace(n, m.start(), m.end(), "missing_name", "Rename")),
        (r"missing_name", "KC106", None),  # what the fix wrote does not exist
        (r"nb_epoch", "KC201", lambda n, m: _replace(n, m.start(), m.end(), "epochs", "Rename argument")),
    ])
    text = "x = old_name(1)\nmodel.fit(x, nb_epoch=2)\n"
    result = fix_text(text, lint=lint)
    assert result.text == "x = old_name(1)\nmodel.fit(x, epochs=2)\n"
    assert [(d.code, d.line) for d in result.rejected] == [("KC203", 1)]
    assert [(d.code, d.line) for d in result.applied] == [("KC201", 2)]
    assert {d.code for d in result.remaining} == {"KC203"}
    assert fix_text(result.text, lint=lint).text == result.text  # the rejected fix is not retried forever


def test_a_finding_already_on_the_line_is_not_blamed_on_the_fix() -> None:
    lint = _lint([
        (r"old_name", "KC203", lambda n, m: _replace(n, m.start(), m.end(), "new_name", "Rename")),
        (r"undefined", "KC106", None),
    ])
    text = "x = old_name(undefined)\n"
    result = fix_text(text, lint=lint)
    assert result.text == "x = new_name(undefined)\n" and not result.rejected


def test_lines_shifted_by_other_fixes_are_mapped() -> None:
    """An insertion above moves every later line: the check compares the lines each fix wrote."""
    lint = _lint([
        (r"^use_tf", "KC301", lambda n, m: Fix("Import", (Edit.insert(1, 0, "import tf\n"), Edit(n, 0, n, 6, "tf.ok")))),
        (r"old_name", "KC203", lambda n, m: _replace(n, m.start(), m.end(), "bad_name", "Rename")),
        (r"bad_name", "KC106", None),
    ])
    text = "a = 1\nuse_tf\nb = old_name\n"
    result = fix_text(text, lint=lint)
    assert result.text == "import tf\na = 1\ntf.ok\nb = old_name\n"
    assert [d.code for d in result.rejected] == ["KC203"]


def test_a_shared_fix_is_applied_once_and_skipped_with_any_of_its_findings() -> None:
    shared = Fix("Migrate", (Edit(1, 0, 1, 1, "B"), Edit(2, 0, 2, 1, "B")))
    lint = _lint([(r"^A", "KC101", lambda n, m: shared)])
    result = fix_text("A\nA\n", lint=lint)
    assert result.text == "B\nB\n" and [d.line for d in result.applied] == [1, 2]
    skipped = fix_text("A\nA\n", lint=lint, skip=lambda d, _: d.line == 2)
    assert skipped.text == "A\nA\n"


def test_real_rules_fixes_pass_validation() -> None:
    text = ("from keras.layers import Conv2D, Dense\n"
            "c = Conv2D(32, 3, 3, border_mode='same')\n"
            "d = Dense(output_dim=3)\n")
    result = fix_text(text, "m.py")
    assert not result.rejected
    assert "Conv2D(32, (3, 3), padding='same')" in result.text and "Dense(units=3)" in result.text


def test_suggestions_offer_only_fixes_that_validate() -> None:
    """What the CLI shows as fixes (SARIF fixes, reviewdog suggestions, help lines) is what --fix applies."""
    from keras_compat.fixes import validate_fixes

    lint = _lint([
        (r"old_name", "KC203", lambda n, m: _replace(n, m.start(), m.end(), "missing_name", "Rename")),
        (r"missing_name", "KC106", None),
        (r"nb_epoch", "KC201", lambda n, m: _replace(n, m.start(), m.end(), "epochs", "Rename argument")),
    ])
    text = "x = old_name(1)\nmodel.fit(x, nb_epoch=2)\n"
    checked = validate_fixes(text, lint(text), lint)
    assert [(d.code, d.fix is not None) for d in checked] == [("KC203", False), ("KC201", True)]


def test_cli_suggestion_formats_drop_a_rejected_fix(monkeypatch) -> None:
    """SARIF fixes, reviewdog suggestions and JSON edits offer only what --fix would apply; the text output
    (help lines) is not validated, to spare the extra analysis (--fix validates every pass anyway)."""
    from keras_compat.cli import runner
    from keras_compat.cli.model import RunOptions

    lint = _lint([
        (r"old_name", "KC203", lambda n, m: _replace(n, m.start(), m.end(), "missing_name", "Rename")),
        (r"missing_name", "KC106", None),
    ])
    monkeypatch.setattr(runner, "lint_source", lambda text, *args, **kwargs: lint(text))
    data = b"x = old_name(1)\n"
    validated = runner.process_source(data, "m.py", "m.py", None, RunOptions(validate_fixes=True), None)
    assert [(d.code, d.fix) for d in validated.diagnostics] == [("KC203", None)]
    plain = runner.process_source(data, "m.py", "m.py", None, RunOptions(), None)
    assert [d.fix is not None for d in plain.diagnostics] == [True]


def test_check_validates_for_the_formats_that_carry_edits() -> None:
    from keras_compat.cli.check import FIX_EDIT_FORMATS

    assert {"sarif", "rdjson", "rdjsonl", "json"} <= FIX_EDIT_FORMATS and "text" not in FIX_EDIT_FORMATS
