"""pylint plugin: ``pylint --load-plugins=pylint_keras_compat``.

Generates one raw-file checker per hundred-group of codes from the registry (pylint requires every
message of a checker to share the two digits after the severity letter). The core runs once per module
and each checker emits its own group's findings. No rule logic lives here.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from pylint.checkers import BaseRawFileChecker
from pylint.interfaces import HIGH

from keras_compat.diagnostics import Diagnostic
from keras_compat.engine import internal_error, lint_source
from keras_compat.registry import GROUPS, Group, all_rules
from keras_compat.settings import OPTIONS, Settings, SettingsError, settings_from_mapping

if TYPE_CHECKING:
    from astroid import nodes
    from pylint.lint import PyLinter

_MEMO: dict[str, Any] = {"key": None, "found": []}


def _options() -> tuple[tuple[str, dict[str, Any]], ...]:
    declared = []
    for option in OPTIONS:
        spec: dict[str, Any] = {"help": option.help, "metavar": "<value>"}
        if option.kind == "csv":
            spec.update(type="csv", default=())
        elif option.choices:
            spec.update(type="choice", choices=option.choices, default=option.default)
        else:
            spec.update(type="string", default=option.default)
        declared.append((f"keras-{option.name}", spec))
    return tuple(declared)


def _settings(linter: PyLinter) -> Settings:
    values = {f"keras-{o.name}": getattr(linter.config, f"keras_{o.name.replace('-', '_')}", o.default)
              for o in OPTIONS}
    return settings_from_mapping(values, source="pylint options").with_options(run_all=True)


def _analyse(node: nodes.Module, linter: PyLinter) -> list[Diagnostic]:
    """Run the core once per module source, shared by every generated checker."""
    try:
        with node.stream() as stream:
            data = stream.read()
        key = f"{node.file}:{hashlib.sha1(data).hexdigest()}"
        if _MEMO["key"] == key:
            return _MEMO["found"]
        found = lint_source(data, node.file or node.name, _settings(linter))
    except SettingsError as exc:
        found, key = [internal_error("the pylint options", exc)], None
    except Exception as exc:  # noqa: BLE001 - never let an error escape into pylint
        found, key = [internal_error("the pylint adapter", exc)], None
    _MEMO.update(key=key, found=found)
    return found


class _GroupChecker(BaseRawFileChecker):
    """Base of the generated checkers; subclasses set ``name``, ``msgs`` and ``group``."""

    group: Group

    def process_module(self, node: nodes.Module) -> None:
        for diagnostic in _analyse(node, self.linter):
            if diagnostic.code[2] != self.group.digit:
                continue
            self.add_message(
                diagnostic.symbol, line=diagnostic.line, col_offset=diagnostic.col,
                end_lineno=diagnostic.end_line, end_col_offset=diagnostic.end_col,
                args=dict(diagnostic.fields), confidence=HIGH,
            )


def _make_checker(group: Group) -> type[_GroupChecker]:
    msgs = {}
    for rule in all_rules():
        if rule.code[2] != group.digit:
            continue
        extra: dict[str, Any] = {} if rule.default_enabled else {"default_enabled": False}
        msgs[rule.pylint_msgid] = (rule.pylint_template, rule.symbol, rule.summary + ".", extra) if extra \
            else (rule.pylint_template, rule.symbol, rule.summary + ".")
    attrs: dict[str, Any] = {"name": group.name, "msgs": msgs, "group": group,
                             "__doc__": f"keras-compat: {group.title} (KC{group.digit}xx)."}
    if group.digit == "0":
        attrs["options"] = _options()
    return type(f"KerasCompat{group.digit}Checker", (_GroupChecker,), attrs)


CHECKERS = tuple(_make_checker(group) for group in GROUPS.values())


def register(linter: PyLinter) -> None:
    """pylint plugin entry point."""
    for checker in CHECKERS:
        linter.register_checker(checker(linter))
    from pylint_keras_compat.reporters import GithubReporter, SarifReporter

    linter.register_reporter(GithubReporter)  # --output-format=kc-github
    linter.register_reporter(SarifReporter)  # --output-format=kc-sarif
