"""flake8 plugin: translates keras-compat's core findings into flake8 results.

No rule logic lives here: options come from the core's option list, findings from the core engine.
Errors inside keras-compat are reported as KC000 findings, never raised into flake8 (which would stop
the whole run and discard every result).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from keras_compat import __version__
from keras_compat.engine import internal_error, lint_tree
from keras_compat.registry import all_rules
from keras_compat.settings import OPTIONS, Settings, SettingsError, settings_from_mapping


class KerasCompatChecker:
    """flake8 tree plugin for the ``KC`` codes."""

    name = "keras-compat"
    version = __version__
    _settings = Settings()

    def __init__(self, tree: ast.Module, lines: list[str], filename: str = "stdin") -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        for option in OPTIONS:
            kwargs: dict[str, Any] = {"parse_from_config": True, "help": option.help + " (keras-compat)"}
            if option.kind == "csv":
                kwargs.update(default="", comma_separated_list=True)
            else:
                kwargs.update(default=option.default)
            if option.choices:
                kwargs["choices"] = option.choices
            option_manager.add_option(f"--keras-{option.name}", **kwargs)
        off = [r.code for r in all_rules() if not r.default_enabled]
        if off:
            option_manager.extend_default_ignore(off)

    @classmethod
    def parse_options(cls, options: Any) -> None:
        values = {f"keras-{o.name}": getattr(options, f"keras_{o.name.replace('-', '_')}", o.default)
                  for o in OPTIONS}
        # flake8 selects and ignores by itself; only the off-by-default rules need the user's explicit
        # choice, because an explicit ``--select=KC`` outranks flake8's default ignore list.
        explicit = tuple(c for c in (*(getattr(options, "select", None) or ()),
                                     *(getattr(options, "extend_select", None) or ()))
                         if isinstance(c, str) and c.startswith("KC"))
        try:
            cls._settings = settings_from_mapping(values, source="flake8 options").with_options(
                select=("KC",), extend_select=explicit)
        except SettingsError as exc:
            raise ValueError(str(exc)) from None

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        try:
            found = lint_tree(self.tree, "".join(self.lines), self.filename, self._settings)
        except Exception as exc:  # noqa: BLE001 - never let an error escape into flake8
            found = [internal_error("the flake8 adapter", exc)]
        for diagnostic in found:
            yield diagnostic.line, diagnostic.col, f"{diagnostic.code} {diagnostic.message}", type(self)
