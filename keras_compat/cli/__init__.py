"""The ``keras-compat`` command: ``check`` (with ``--fix``/``--diff``), ``rules`` and ``explain``.

Exit status: 0 no findings; 1 findings (with ``--diff``: something would change); 2 a usage or
configuration error, a path that does not exist, or a file that could not be read or parsed (still
reported as a KC001 finding while the other files are checked). ``keras-compat PATH ...`` without a
command means ``keras-compat check PATH ...``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from keras_compat import __version__

COMMANDS = ("check", "rules", "explain", "clean")


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.replace(" ", ",").split(",") if v.strip()]


def available_cpus() -> int:
    """Cores this process may use (the affinity mask in containers and under taskset), else cpu_count()."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counter is not None:
        return counter() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _jobs(value: str) -> int:
    if value == "auto":
        return available_cpus()
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or 'auto', got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _limit(value: str) -> float:
    try:
        n = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {value!r}") from None
    if not n >= 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return n


class _Parser(argparse.ArgumentParser):
    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            self._print_message(message, sys.stderr)
        raise _Exit(status)


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    from keras_compat.cli.output import FORMATS
    from keras_compat.settings import TARGETS

    parser = _Parser(prog="keras-compat", description="Find (and fix) Keras code that breaks or silently "
                     "changes behaviour across Keras versions.")
    parser.add_argument("--version", action="version", version=f"keras-compat {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help="check files and directories (default command)")
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="files or directories (default: .); - reads stdin")
    fixing = check.add_argument_group("fixing")
    fixing.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    fixing.add_argument("--unsafe-fixes", action="store_true",
                        help="also apply unsafe fixes (with --fix/--diff)")
    fixing.add_argument("--add-noqa", action="store_true",
                        help="write '# noqa: KCnnn' on each line with a finding, where flake8 reads it "
                        "(a migration baseline: CI then fails only on new findings)")
    fixing.add_argument("--diff", action="store_true",
                        help="print a unified diff of the fixes and write nothing "
                        "(exit 1 if anything would change)")
    sel = check.add_argument_group("rule selection (code prefixes, comma separated)")
    sel.add_argument("--select", type=_csv, help="rules to run (replaces the configured select)")
    sel.add_argument("--ignore", type=_csv, help="rules to skip (replaces the configured ignore)")
    sel.add_argument("--extend-select", type=_csv, action="extend",
                     help="added to the configured extend-select")
    sel.add_argument("--extend-ignore", type=_csv, action="extend",
                     help="added to the configured extend-ignore")
    sel.add_argument("--per-file-ignores", action="append", metavar="PATTERN:CODES",
                     help="ignore CODES in files matching PATTERN "
                     "(repeatable; replaces the configured table)")
    sel.add_argument("--keras-target", choices=TARGETS, help="Keras API the code migrates to")
    files = check.add_argument_group("files")
    files.add_argument("--exclude", type=_csv, help="patterns to skip (replaces the configured exclude)")
    files.add_argument("--extend-exclude", type=_csv, action="extend", help="patterns to skip in addition")
    files.add_argument("--extend-include", type=_csv, action="extend",
                       help="patterns of further files to check (besides *.py and *.ipynb)")
    files.add_argument("--stdin-filename", metavar="PATH", help="the name of the file read from stdin")
    files.add_argument("--respect-gitignore", action=argparse.BooleanOptionalAction, default=None,
                       help="skip files that .gitignore / .ignore files ignore while walking directories "
                       "(default: on)")
    files.add_argument("--force-exclude", action=argparse.BooleanOptionalAction, default=None,
                       help="apply the exclusions to paths named on the command line too (for pre-commit)")
    cfg = check.add_argument_group("configuration")
    cfg.add_argument("--config", metavar="FILE",
                     help="read [tool.keras-compat] from FILE instead of searching")
    cfg.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    run = check.add_argument_group("running")
    run.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                     help="worker processes (default: all cores; 1 runs in this process)")
    run.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    run.add_argument("--cache-dir", metavar="DIR", help="cache directory (default: .keras_compat_cache "
                     "next to the configuration file, else in the current directory)")
    run.add_argument("--cache-max-size", type=_limit, metavar="MB",
                     help="keep the cache's entries under this size, least recently used out first "
                     "(default: 200; 0: no cap)")
    run.add_argument("--max-file-seconds", type=_limit, metavar="SECONDS",
                     help="stop analysing a file after this long and report it (default: 30; 0: no limit)")
    run.add_argument("--max-file-size", type=_limit, metavar="MB",
                     help="do not read files larger than this and report them (default: 5; 0: no limit)")
    run.add_argument("--follow-links", action="store_true",
                     help="enter symlinked directories and check links to files outside the tree")
    run.add_argument("--resources", action="store_true",
                     help="print time and peak memory of the run and its slowest files on stderr")
    out = check.add_argument_group("output")
    out.add_argument("--format", choices=sorted(FORMATS), default="text",
                     help="output format (default: text)")
    out.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
    out.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary or progress")
    out.add_argument("--show-source", action=argparse.BooleanOptionalAction, default=True,
                     help="show the source line with a caret under each finding (default: on; text format)")
    out.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                     help="colour the text report: auto (a terminal, unless NO_COLOR is set or FORCE_COLOR "
                     "asks for it), always or never")
    out.add_argument("--show-fixes", action="store_true",
                     help="list the fixes applied (with --fix) or that would be (with --diff), per file")
    out.add_argument("--show-suppressed", action="store_true", help="also show findings suppressed by # noqa")
    out.add_argument("--statistics", action="store_true", help="count findings per code")
    status = check.add_argument_group("exit status").add_mutually_exclusive_group()
    status.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when findings remain (usage, configuration and path errors still 2)")
    status.add_argument("--exit-non-zero-on-fix", action="store_true",
                        help="with --fix, exit 1 if any file was changed, even when no finding remains")

    sub.add_parser("rules", help="list every rule")
    clean = sub.add_parser("clean", help="delete the cache directory (the one `check` would use)")
    clean.add_argument("paths", nargs="*", metavar="PATH",
                       help="where to look for the configuration, as for check (default: .)")
    clean.add_argument("--cache-dir", metavar="DIR", help="the cache directory to delete")
    clean.add_argument("--config", metavar="FILE", help="read [tool.keras-compat] from FILE instead of searching")
    clean.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    explain = sub.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule", metavar="CODE", help="a rule code (KC201) or symbol")
    parser.set_defaults(_commands={"check": check, "explain": explain, "clean": clean})
    return parser


def _unknown_command(word: str) -> str | None:
    """An error for ``keras-compat rule``: a word that is not a command, nor a path that exists, but looks
    like a command was meant (``check`` is the default command, so a path is never a typo)."""
    if not word.isidentifier() or os.path.exists(word):
        return None
    import difflib

    near = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
    if not near:
        return None
    return (f"keras-compat: error: unknown command {word!r} (did you mean {near[0]!r}? commands: "
            f"{', '.join(COMMANDS)}; a path to check must exist)\n")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        args_list = ["check"]
    elif args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version"):
        typo = _unknown_command(args_list[0]) if not args_list[0].startswith("-") else None
        if typo:
            sys.stderr.write(typo)
            return 2
        args_list.insert(0, "check")
    parser = build_parser()
    try:
        args, rest = parser.parse_known_args(args_list)
        if rest:  # reported by the command's own parser, with its usage (not the top-level one)
            command = args._commands.get(args.command, parser)
            command.error(f"unrecognized arguments: {' '.join(rest)}")
    except _Exit as exc:
        return exc.status
    try:
        if args.command == "rules":
            return cmd_rules(sys.stdout)
        if args.command == "explain":
            return cmd_explain(args.rule, sys.stdout)
        if args.command == "clean":
            from keras_compat.cli.check import cmd_clean

            return cmd_clean(args)
        from keras_compat.cli.check import cmd_check

        return cmd_check(args)
    except KeyboardInterrupt:
        sys.stderr.write("keras-compat: interrupted\n")
        return 130
    except BrokenPipeError:  # e.g. piped into head
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 1


def cmd_rules(stream: TextIO) -> int:
    from keras_compat.registry import FixAvailability, all_rules

    fix_names = {FixAvailability.NONE: "-", FixAvailability.SOMETIMES: "sometimes",
                 FixAvailability.ALWAYS: "always"}
    rules = all_rules()
    rows = [("CODE", "SYMBOL", "SEVERITY", "FIX", "SUMMARY")]
    for rule in rules:
        summary = rule.summary + ("" if rule.default_enabled else " (off by default)")
        rows.append((rule.code, rule.symbol, rule.severity.value, fix_names[rule.fix], summary))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        stream.write("  ".join(c.ljust(w) for c, w in zip(row[:4], widths)) + "  " + row[4] + "\n")
    return 0


def cmd_explain(name: str, stream: TextIO) -> int:
    from keras_compat.registry import all_rules

    key = name.strip()
    for rule in all_rules():
        if key.upper() == rule.code or key == rule.symbol or key == rule.pylint_msgid:
            text = rule.doc_markdown()
            stream.write(text if text.endswith("\n") else text + "\n")
            return 0
    sys.stderr.write(f"keras-compat: error: unknown rule {name!r} (see `keras-compat rules`)\n")
    return 2


__all__ = ["main", "build_parser", "Path"]
