"""pylint plugin: ``pylint --load-plugins=pylint_keras_compat``.

Generates one raw-file checker per hundred-group of codes from the registry (pylint requires every
message of a checker to share the two digits after the severity letter). The core runs once per module
and each checker emits its own group's findings. No rule logic lives here. A module over
``--keras-max-file-size`` MB is not analysed and one that takes longer than ``--keras-max-file-seconds`` is
stopped; both are reported as KC001 (see :mod:`keras_compat.limits`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pylint.checkers import BaseRawFileChecker
from pylint.interfaces import HIGH

from keras_compat.diagnostics import Diagnostic
from keras_compat.engine import internal_error, lint_source, not_analysed
from keras_compat.limits import TimeLimitExceeded, parse_limit, time_limit, too_large
from keras_compat.registry import GROUPS, Group, manifest
from keras_compat.settings import OPTIONS, RULE_OPTIONS, Settings, SettingsError, settings_from_mapping
from keras_compat.host_run import HostRun

if TYPE_CHECKING:
    from astroid import nodes
    from pylint.lint import PyLinter

_MEMO: dict[str, Any] = {"key": None, "found": []}
#: the memory of the current pylint run (:class:`keras_compat.host_run.HostRun`), made at its first module
_RUN: dict[str, HostRun | None] = {"run": None}


def _options() -> tuple[tuple[str, dict[str, Any]], ...]:
    declared = []
    for option in OPTIONS:
        spec: dict[str, Any] = {"help": option.help, "metavar": "<value>"}
        if option.kind == "csv":
            spec.update(type="csv", default=())
        elif option.kind == "limit":  # not a number: pylint's usage error; a negative one: load_configuration
            spec.update(type="float", default=option.default)
        elif option.choices:
            spec.update(type="choice", choices=option.choices, default=option.default)
        else:
            spec.update(type="string", default=option.default)
        declared.append((f"keras-{option.name}", spec))
    return tuple(declared)


def _settings(linter: PyLinter) -> Settings:
    values = {f"keras-{o.name}": getattr(linter.config, f"keras_{o.name.replace('-', '_')}", o.default)
              for o in RULE_OPTIONS}
    return settings_from_mapping(values, source="keras-compat").with_options(run_all=True)


def _limits(linter: PyLinter) -> tuple[float, int]:
    """(seconds, bytes) per module; ``ValueError`` for a negative value."""
    limits = {o.name: parse_limit(getattr(linter.config, f"keras_{o.name.replace('-', '_')}", o.default),
                                  f"keras-{o.name}") for o in OPTIONS if o.kind == "limit"}
    return limits["max-file-seconds"], int(limits["max-file-size"] * 1_000_000)


def _lint_limited(data: bytes, name: str, linter: PyLinter) -> list[Diagnostic]:
    """The core's findings on one module, within the size and time limits."""
    seconds, max_bytes = _limits(linter)
    if max_bytes and len(data) > max_bytes:
        return [not_analysed(too_large(max_bytes, "--keras-max-file-size"))]
    summaries = str(getattr(linter.config, "keras_summary_cache", "auto"))
    try:
        run = _RUN.get("run")
        if run is None:
            run = _RUN["run"] = HostRun()
        with time_limit(seconds, "--keras-max-file-seconds"), run.file(summaries):
            # pylint messages carry no fix: the core does not compute them (the findings are the same)
            return lint_source(data, name, _settings(linter), fixes=False)
    except TimeLimitExceeded as exc:
        return [not_analysed(str(exc))]


def _analyse(node: nodes.Module, linter: PyLinter) -> list[Diagnostic]:
    """Run the core once per module source, shared by every generated checker."""
    try:
        with node.stream() as stream:
            data = stream.read()
        key = (node.file, data)  # the bytes themselves: an exact key, and cheaper than hashing (no hashlib)
        if _MEMO["key"] == key:
            return _MEMO["found"]
        found = _lint_limited(data, node.file or node.name, linter)
    except SettingsError as exc:
        found, key = [internal_error("the pylint options", exc)], None
    except Exception as exc:  # noqa: BLE001 - never let an error escape into pylint
        found, key = [internal_error("the pylint adapter", exc)], None
    _MEMO.update(key=key, found=found)
    return found


class _GroupChecker(BaseRawFileChecker):
    """Base of the generated checkers; subclasses set ``name``, ``msgs`` and ``group``."""

    group: Group

    def open(self) -> None:
        """pylint opens its checkers when a run starts: nothing is remembered from an earlier run (the
        project's files, or a module's findings: its siblings may have changed since)."""
        _RUN["run"] = None
        _MEMO.update(key=None, found=[])

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
    for code, rule in sorted(manifest().items()):  # every message, without loading the rule modules
        if code[2] != group.digit:
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


def load_configuration(linter: PyLinter) -> None:
    """pylint's hook after reading the configuration: a bad value of our options (a limit, the target, a
    backend alias) is pylint's own clean configuration error (``pylint: error: ...``, exit status 32, as for
    an unrecognised option), never a traceback nor a message per module."""
    try:
        _limits(linter)
        _settings(linter)
    except ValueError as exc:  # SettingsError is a ValueError
        parser = getattr(linter, "_arg_parser", None)
        try:
            if parser is not None:
                parser.error(str(exc))
        except SystemExit:
            pass
        raise SystemExit(32) if parser is not None else SystemExit(f"pylint: error: {exc}")


def _opt_in_stays_opt_in(linter: PyLinter) -> None:
    """Off by default means the same in every front-end: an off-by-default rule (KC408) runs only when named
    by its own msgid or symbol (or ``all``), as ``--extend-select=KC408`` in flake8 and the CLI. pylint
    itself enables every message of a checker or category named in ``--enable`` (``--disable=all
    --enable=keras-compat-layers``), so after such an enable the opt-in messages not named explicitly are
    set back to off. Only the global (``--enable``/configuration) scope is concerned."""
    opt_in = {r.symbol: r for r in manifest().values() if not r.default_enabled}  # no rule module loaded
    names = {**{s: s for s in opt_in}, **{r.pylint_msgid.upper(): s for s, r in opt_in.items()}}
    if not opt_in:
        return
    original_enable = linter.enable
    named: set[str] = set()

    def enable(msgid: str, scope: str = "package", line: int | None = None, ignore_unknown: bool = False) -> None:
        original_enable(msgid, scope=scope, line=line, ignore_unknown=ignore_unknown)
        key = msgid.strip()
        own = names.get(key) or names.get(key.upper())
        if own is not None:
            named.add(own)
        elif scope == "package" and key.lower() != "all":
            for symbol in opt_in:
                if symbol not in named:
                    linter.disable(symbol, scope="package")

    linter.enable = enable  # type: ignore[method-assign]


def register(linter: PyLinter) -> None:
    """pylint plugin entry point."""
    for checker in CHECKERS:
        linter.register_checker(checker(linter))
    _opt_in_stays_opt_in(linter)
    from pylint_keras_compat.reporters import GithubReporter, SarifReporter

    linter.register_reporter(GithubReporter)  # --output-format=kc-github
    linter.register_reporter(SarifReporter)  # --output-format=kc-sarif
