"""flake8 plugin: translates keras-compat's core findings into flake8 results.

No rule logic lives here: options come from the core's option list, findings from the core engine.
Errors inside keras-compat are reported as KC000 findings, never raised into flake8 (which would stop
the whole run and discard every result). A file over ``--keras-max-file-size`` MB is not analysed and one
that takes longer than ``--keras-max-file-seconds`` is stopped; both are reported as KC001 (see
:mod:`keras_compat.limits`).
"""

from __future__ import annotations

import argparse
import ast
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from flake8.formatting.base import BaseFormatter  # flake8 has imported it before it loads its plugins

from keras_compat import __version__
from keras_compat.gate import worth_loading
from keras_compat.limits import (DEFAULT_MAX_FILE_MB, DEFAULT_MAX_FILE_SECONDS, TimeLimitExceeded, parse_limit,
                                 time_limit, too_large)
from keras_compat.settings import OPTIONS, RULE_OPTIONS, Settings, SettingsError, settings_from_mapping

if TYPE_CHECKING:  # the analysis loads when the first file that mentions Keras is checked, not at flake8's start
    from keras_compat.diagnostics import Diagnostic
    from keras_compat.formats import Finding


def _limit_type(name: str) -> Callable[[str], float]:
    """An argparse type for a limit: a bad value is flake8's usual usage error, on the command line and in
    a configuration file alike (argparse converts a configured default through it too)."""
    def convert(value: str) -> float:
        try:
            return parse_limit(value, name)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


class KerasCompatChecker:
    """flake8 tree plugin for the ``KC`` codes."""

    name = "keras-compat"
    version = __version__
    _settings = Settings()
    _max_seconds: float = DEFAULT_MAX_FILE_SECONDS
    _max_bytes: int = int(DEFAULT_MAX_FILE_MB * 1_000_000)
    _summary_cache: str = "auto"
    #: the memory of this flake8 run (:class:`keras_compat.host_run.HostRun`), made when its options are parsed
    _run: Any = None

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
            elif option.kind == "limit":
                kwargs.update(default=option.default, type=_limit_type(f"keras-{option.name}"))
            else:
                kwargs.update(default=option.default)
            if option.choices:
                kwargs["choices"] = option.choices
            option_manager.add_option(f"--keras-{option.name}", **kwargs)
        from keras_compat.registry import default_disabled_codes

        off = sorted(default_disabled_codes())  # from the registry's manifest: no rule module is loaded
        if off:
            option_manager.extend_default_ignore(off)

    @classmethod
    def parse_options(cls, options: Any) -> None:
        values = {f"keras-{o.name}": getattr(options, f"keras_{o.name.replace('-', '_')}", o.default)
                  for o in RULE_OPTIONS}
        cls._max_seconds = float(getattr(options, "keras_max_file_seconds", cls._max_seconds))
        cls._max_bytes = int(float(getattr(options, "keras_max_file_size", cls._max_bytes / 1e6)) * 1_000_000)
        cls._summary_cache = str(getattr(options, "keras_summary_cache", cls._summary_cache))
        cls._run = None  # a new run: nothing remembered from an earlier one in this process
        # flake8 selects and ignores by itself; only the off-by-default rules need the user's explicit
        # choice, because an explicit ``--select=KC`` outranks flake8's default ignore list.
        explicit = tuple(c for c in (*(getattr(options, "select", None) or ()),
                                     *(getattr(options, "extend_select", None) or ()))
                         if isinstance(c, str) and c.startswith("KC"))
        try:
            cls._settings = settings_from_mapping(values, source="keras-compat").with_options(
                select=("KC",), extend_select=explicit)
        except SettingsError as exc:
            raise _option_error(exc, values) from None

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        try:
            text = "".join(self.lines)
            found = self._lint(text) if worth_loading(text, self._settings.project) else []
        except Exception as exc:  # noqa: BLE001 - never let an error escape into flake8
            from keras_compat.engine import internal_error

            found = [internal_error("the flake8 adapter", exc)]
        for diagnostic in found:
            yield diagnostic.line, diagnostic.col, f"{diagnostic.code} {diagnostic.message}", type(self)

    def _lint(self, text: str) -> list[Diagnostic]:
        """The core's findings, within the size and time limits."""
        from keras_compat.engine import lint_tree, not_analysed
        from keras_compat.host_run import HostRun
        from keras_compat.source import given_lines

        limit = self._max_bytes
        if limit and len(text) > limit // 4 and len(text.encode("utf-8", "surrogatepass")) > limit:
            return [not_analysed(too_large(limit, "--keras-max-file-size"))]
        given_lines(text, self.lines)  # the text is made of them: not split again for the findings' positions
        try:
            run = type(self)._run
            if run is None:
                run = type(self)._run = HostRun()
            with time_limit(self._max_seconds, "--keras-max-file-seconds"), run.file(self._summary_cache):
                # flake8 shows no fixes: the core does not compute them (the findings are the same)
                return lint_tree(self.tree, text, self.filename, self._settings, fixes=False)
        except TimeLimitExceeded as exc:
            return [not_analysed(str(exc))]


def _option_error(exc: SettingsError, values: dict[str, Any]) -> Exception:
    """A bad option value as flake8's own clean error ("There was a critical error ..."), never a traceback.

    flake8's configuration files have no inline comments: ``keras-target = tf-keras  # or keras3`` reads the
    comment as part of the value, so the message says so when a value holds a ``#``.
    """
    from flake8.exceptions import ExecutionError

    text = " ".join(str(v) for v in values.values())
    hint = ("; flake8 configuration files have no inline comments: put the comment on a line of its own"
            if "#" in text else "")
    return ExecutionError(f"{exc}{hint}")


# -- the formatters: ``--format=kc-github`` and ``--format=kc-sarif`` ----------------------------------------
# flake8 imports every installed plugin's module when it starts, formatters included: their classes are
# declared here, in the module it imports anyway for the checker, and what they do is in
# flake8_keras_compat.report, imported when a report is made (a module of its own cost every flake8 run 0.8 M
# instructions).

class _Collecting(BaseFormatter):
    def after_init(self) -> None:
        self.findings: list[Finding] = []

    def handle(self, error: Any) -> None:
        from flake8_keras_compat.report import finding

        self.findings.append(finding(error))

    def format(self, error: Any) -> str | None:  # not used: handle() collects
        return None

    def show_statistics(self, statistics: Any) -> None:  # keep machine-readable output clean
        pass

    def show_benchmarks(self, benchmarks: Any) -> None:
        pass


class GithubFormatter(_Collecting):
    """``--format=kc-github``: GitHub Actions workflow commands."""

    def stop(self) -> None:
        from flake8_keras_compat.report import github_lines

        for line in github_lines(self.findings):
            self._write(line)
        super().stop()


class SarifFormatter(_Collecting):
    """``--format=kc-sarif``: one SARIF 2.1.0 log of all flake8 findings."""

    def start(self) -> None:
        if self.filename:
            dirname = os.path.dirname(os.path.abspath(self.filename))
            os.makedirs(dirname, exist_ok=True)
            self.output_fd = open(self.filename, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()

    def stop(self) -> None:
        from flake8_keras_compat.report import sarif_text

        self._write(sarif_text(self.findings))
        super().stop()
