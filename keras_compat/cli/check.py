"""``keras-compat check``: configuration, discovery, the run, the report, the summary."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from keras_compat.cli import available_cpus
from keras_compat.cli import cache as cache_mod
from keras_compat.cli import config as config_mod
from keras_compat.cli import discovery, limits, output, progress, runner
from keras_compat.cli.model import FileResult, Report, RunOptions
from keras_compat.registry import all_rules
from keras_compat.settings import Settings

#: Formats whose output carries the edits of the fixes (applied by a reviewer or a tool without --fix).
FIX_EDIT_FORMATS = frozenset({"sarif", "rdjson", "rdjsonl", "json", "gitlab"})


def _error(message: str) -> int:
    sys.stderr.write(f"keras-compat: error: {message}\n")
    return 2


def _settings_for(relpath: str, config: config_mod.Config, variants: dict[tuple[str, ...], int],
                  settings: list[Settings]) -> int:
    """Index into ``settings`` of the effective settings for a file (per-file-ignores applied)."""
    codes: tuple[str, ...] = ()
    for pattern, ignored in config.per_file_ignores:
        if discovery.matches(relpath, pattern):
            codes += ignored
    if codes not in variants:
        base = config.settings
        settings.append(base.with_options(extend_ignore=base.extend_ignore + codes) if codes else base)
        variants[codes] = len(settings) - 1
    return variants[codes]


def wants_color(choice: str, stream: TextIO) -> bool:
    """``--color``: ``always``/``never`` as said; ``auto`` colours a terminal, unless ``NO_COLOR`` is set
    (no-color.org), and ``FORCE_COLOR`` (force-color.org) colours a pipe too; NO_COLOR wins over it."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and os.environ.get("TERM") != "dumb"


def fixes_listing(report: Report) -> str:
    """``--show-fixes``: what ``--fix`` changed (or ``--diff`` would change), per file and code."""
    from collections import Counter

    from keras_compat.registry import REGISTRY

    changed = [r for r in report.results if r.fixed]
    n = sum(len(r.fixed) for r in changed)
    verb = "Would fix" if report.options.diff else "Fixed"
    if not n:
        return f"{'No fixes would be applied' if report.options.diff else 'No fixes applied'}.\n"
    lines = [f"{verb} {n} finding{'s' if n != 1 else ''} in {len(changed)} file{'s' if len(changed) != 1 else ''}:"]
    for result in changed:
        lines.append(f"- {result.path}:")
        for code, count in sorted(Counter(result.fixed).items()):
            rule = REGISTRY.get(code)
            lines.append(f"    {count} \u00d7 {code}" + (f" ({rule.symbol})" if rule else ""))
    return "\n".join(lines) + "\n"


def exit_status(report: Report, problems: bool, exit_zero: bool, exit_non_zero_on_fix: bool) -> int:
    """0 clean, 1 findings, 2 errors. ``--exit-zero`` turns findings (KC001 included) into 0, but not a usage,
    configuration or path error; ``--exit-non-zero-on-fix`` makes a run that changed files 1 at least."""
    status = max(report.exit_code(), 2 if problems else 0)
    if exit_zero:
        return 2 if problems or report.missing else 0
    if exit_non_zero_on_fix and report.options.fix and not report.options.diff and \
            any(r.changed for r in report.results):
        status = max(status, 1)
    return status


def summary(report: Report, show_suppressed: bool = False) -> str:
    c = report.counts()
    files = f"{c['files']} file{'s' if c['files'] != 1 else ''}"
    opts = report.options
    parts = []
    if opts.diff:
        head = f"Checked {files}: {c['fixed']} fix{'es' if c['fixed'] != 1 else ''} would change " \
               f"{c['files_changed']} file{'s' if c['files_changed'] != 1 else ''}"
    elif opts.fix:
        head = f"Checked {files}: fixed {c['fixed']} finding{'s' if c['fixed'] != 1 else ''} in " \
               f"{c['files_changed']} file{'s' if c['files_changed'] != 1 else ''}"
    elif opts.add_noqa:
        head = f"Checked {files}: added {c['noqa_added']} noqa comment{'s' if c['noqa_added'] != 1 else ''} " \
               f"in {c['files_noqa']} file{'s' if c['files_noqa'] != 1 else ''}"
    else:
        head = f"Checked {files}"
    rewrites = opts.fix or opts.diff or opts.add_noqa
    n = c["findings"]
    found = f"{n} finding{'s' if n != 1 else ''}" + (" remaining" if rewrites else "")
    if n:
        if c["fixable"] and not (opts.fix or opts.diff):
            parts.append(f"{c['fixable']} fixable with --fix")
        elif c["fixable"]:
            parts.append(f"{c['fixable']} fixable")
        if c["fixable_unsafe"]:
            parts.append(f"{c['fixable_unsafe']} fixable with --unsafe-fixes")
        if c["manual"]:
            parts.append(f"{c['manual']} needing manual work")
        found += f" ({', '.join(parts)})"
    text = f"{head}; {found}" if rewrites else f"{head}: {found if n else 'no findings'}"
    if c["suppressed"]:
        hint = "" if opts.fix or opts.add_noqa or show_suppressed else " (--show-suppressed lists them)"
        text += f"; {c['suppressed']} suppressed by noqa{hint}"
    if c["failed"]:
        text += f"; {c['failed']} file{'s' if c['failed'] != 1 else ''} could not be read or parsed"
    return text + "."


def cmd_check(args: argparse.Namespace) -> int:
    all_rules()  # the registry fills on first use; with -j N only the workers would have loaded it
    paths = list(args.paths) or ["."]
    stdin_mode = "-" in paths
    if stdin_mode and len(paths) > 1:
        return _error("'-' (stdin) cannot be combined with other paths")
    if args.unsafe_fixes and not (args.fix or args.diff):
        pass  # like ruff: --unsafe-fixes alone only changes which findings are marked fixable
    if args.add_noqa and (args.fix or args.diff or stdin_mode):
        return _error("--add-noqa cannot be combined with --fix, --diff or '-' (stdin)")
    flags = {"select": args.select, "ignore": args.ignore, "extend-select": args.extend_select,
             "extend-ignore": args.extend_ignore, "keras-target": args.keras_target,
             "exclude": args.exclude, "extend-exclude": args.extend_exclude,
             "extend-include": args.extend_include,
             "per-file-ignores": args.per_file_ignores, "cache-dir": args.cache_dir,
             "max-file-seconds": args.max_file_seconds, "max-file-size": args.max_file_size,
             "follow-links": args.follow_links, "respect-gitignore": args.respect_gitignore,
             "force-exclude": args.force_exclude, "cache-max-size": args.cache_max_size}
    config_start = [args.stdin_filename] if stdin_mode and args.stdin_filename else paths
    try:
        config = config_mod.resolve(config_start, args.config, args.isolated, flags)
    except config_mod.ConfigError as exc:
        return _error(str(exc))

    cache_dir = None if args.no_cache else str(config.cache_dir or (config.root / cache_mod.DIRNAME))
    options = RunOptions(fix=args.fix, unsafe_fixes=args.unsafe_fixes, diff=args.diff, add_noqa=args.add_noqa,
                         show_source=args.show_source, cache_dir=cache_dir, root=str(config.root),
                         max_file_seconds=limits.DEFAULT_MAX_FILE_SECONDS if config.max_file_seconds is None
                         else config.max_file_seconds,
                         max_file_bytes=int((limits.DEFAULT_MAX_FILE_MB if config.max_file_size is None
                                             else config.max_file_size) * 1_000_000),
                         validate_fixes=args.format in FIX_EDIT_FORMATS)
    started = time.perf_counter()
    problems: list[tuple[str, str]] = []
    settings: list[Settings] = []
    variants: dict[tuple[str, ...], int] = {}
    missing: list[str] = []
    fix_to_stdout = False
    jobs = 1

    if stdin_mode:
        name = args.stdin_filename or "stdin"
        relpath = discovery.relative(Path(name), config.root) if args.stdin_filename else "stdin"
        index = _settings_for(relpath, config, variants, settings)
        data = sys.stdin.buffer.read()
        store = cache_mod.Cache(Path(cache_dir)) if cache_dir else None
        shown = discovery.display_path(Path(name)) if args.stdin_filename else name
        excluded = bool(args.stdin_filename) and config.force_exclude and discovery.skipped_by_walk(
            Path(name), config.root, config.excludes, config.respect_gitignore)
        results: list[FileResult] = []
        if not excluded:  # an excluded --stdin-filename with --force-exclude: nothing to report, nothing fixed
            results.append(runner.process_source(data, shown, relpath, settings[index], options, store, disk=None))
        fix_to_stdout = args.fix and not args.diff
        if fix_to_stdout:
            fixed = results[0].fixed_output if results else None
            sys.stdout.buffer.write(fixed if fixed is not None else data)
            sys.stdout.flush()
    else:
        files, missing = discovery.discover(paths, config.root, config.excludes, config.extend_include,
                                            follow_links=config.follow_links, problems=problems,
                                            respect_gitignore=config.respect_gitignore,
                                            force_exclude=config.force_exclude)
        tasks = []
        for path in files:
            relpath = discovery.relative(path, config.root)
            tasks.append((str(path), discovery.display_path(path), relpath,
                          _settings_for(relpath, config, variants, settings)))
        jobs = args.jobs or available_cpus()
        bar = progress.Progress(sys.stderr, len(tasks)) if not args.quiet and progress.wanted(
            sys.stderr, len(tasks)) else None
        try:
            results, _ = runner.run(tasks, settings, options, jobs, bar)
        finally:
            if bar:
                bar.close()

    if cache_dir and not stdin_mode:
        _upkeep(Path(cache_dir), config, paths, [t[2] for t in tasks], results)
    report = Report(results, options, missing)
    for raw in missing:
        sys.stderr.write(f"keras-compat: error: {raw}: no such file or directory\n")
    for where, problem in problems:
        sys.stderr.write(f"{where}: warning: {problem}\n")
    for result in results:
        for note in result.notes:
            sys.stderr.write(f"{result.path}: warning: {note}\n")

    style = output.Style(show_source=args.show_source, show_suppressed=args.show_suppressed,
                         statistics=args.statistics)
    write = output.get(args.format)
    if args.output_file:
        try:
            with open(args.output_file, "w", encoding="utf-8", newline="") as fh:
                write(report, fh, dataclasses.replace(style, color=args.color == "always"))
        except OSError as exc:
            return _error(f"cannot write {args.output_file}: {exc.strerror or exc}")
    else:
        stream: TextIO = sys.stderr if fix_to_stdout else sys.stdout
        write(report, stream, dataclasses.replace(style, color=wants_color(args.color, stream)))
        stream.flush()
    if args.show_fixes and (args.fix or args.diff):
        sys.stderr.write(fixes_listing(report))
    if not args.quiet:
        sys.stderr.write(summary(report, args.show_suppressed) + "\n")
    if args.resources:
        sys.stderr.write(resources(results, time.perf_counter() - started, workers=not stdin_mode and jobs > 1))
    return exit_status(report, bool(problems), args.exit_zero, args.exit_non_zero_on_fix)


def _upkeep(cache_dir: Path, config: config_mod.Config, paths: list[str], relpaths: list[str],
            results: list[FileResult]) -> None:
    """After a run: delete the entries of these settings that it no longer used, below the paths it checked,
    then hold the directory under its size cap if the run wrote entries (see :class:`cache.Upkeep`)."""
    used = {rel: r.cache_key for rel, r in zip(relpaths, results) if r.cache_key}
    scope = [discovery.relative(Path(p), config.root).rstrip("/") for p in paths]

    def in_scope(relpath: str) -> bool:
        return any(s in (".", "") or relpath == s or relpath.startswith(s + "/") for s in scope)

    upkeep = cache_mod.Upkeep(cache_dir)
    upkeep.prune(cache_mod.run_id(config.settings, str(config.root)), used, in_scope)
    if any(r.cache_key and not r.cached for r in results):
        limit = cache_mod.DEFAULT_MAX_MB if config.cache_max_size is None else config.cache_max_size
        upkeep.cap(int(limit * 1_000_000))


def cmd_clean(args: argparse.Namespace) -> int:
    """``keras-compat clean``: delete the cache directory that ``check`` would use with these arguments."""
    paths = list(args.paths) or ["."]
    try:
        config = config_mod.resolve(paths, args.config, args.isolated, {"cache-dir": args.cache_dir})
    except config_mod.ConfigError as exc:
        return _error(str(exc))
    directory = Path(config.cache_dir or (config.root / cache_mod.DIRNAME))
    shown = discovery.display_path(directory)
    upkeep = cache_mod.Upkeep(directory)
    if not directory.exists():
        sys.stderr.write(f"No cache at {shown}.\n")
        return 0
    if not upkeep.is_ours():
        return _error(f"{shown} is not a keras-compat cache (no CACHEDIR.TAG of ours); not deleted")
    try:
        entries, size = upkeep.clean()
    except OSError as exc:
        return _error(f"cannot delete {shown}: {exc.strerror or exc}")
    sys.stderr.write(f"Removed the cache at {shown} ({entries} entr{'y' if entries == 1 else 'ies'}, "
                     f"{size / 1e6:.1f} MB).\n")
    return 0


def resources(results: list[FileResult], seconds: float, workers: bool = False) -> str:
    """The ``--resources`` report: wall time, peak memory, the slowest files."""
    own, children = limits.peak_rss()
    worker = f", {children / 2**20:.0f} MiB in the largest worker" if workers and children else ""
    lines = [f"Resources: {seconds:.2f} s wall time for {len(results)} files; peak memory {own / 2**20:.0f} MiB "
             f"in this process{worker}"]
    slowest = sorted((r for r in results if not r.cached), key=lambda r: -r.seconds)[:5]
    if slowest:
        lines.append("Slowest files: " + ", ".join(f"{r.path} {r.seconds:.2f} s" for r in slowest))
    return "\n".join(lines) + "\n"
