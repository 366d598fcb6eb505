"""Checking and fixing files, in-process or in a process pool.

``process_file``/``process_source`` do everything for one file and return a picklable
:class:`~keras_compat.cli.model.FileResult`; :func:`run` maps them over the files with a chunked
process pool (``-j N``) or in this process (``-j 1``, a single file, or a small tree).
"""

from __future__ import annotations

import difflib
import hashlib
import math
import os
import re
import signal
import stat
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from keras_compat import project
from keras_compat.cli import cache as cache_mod
from keras_compat.cli import limits, noqa
from keras_compat.cli.heap import HeldResults
from keras_compat.cli.model import FileResult, RunOptions
from keras_compat.cli.notebook import is_notebook, process_notebook
from keras_compat.cli.writer import WriteError, atomic_write, digest
from keras_compat.diagnostics import Diagnostic
from keras_compat.engine import UNPARSABLE, internal_error, lint_source, unparsable
from keras_compat.fixes import FixError, fix_text, validate_fixes, wanted
from keras_compat.package import remember_for_process, remembered
from keras_compat.registry import REGISTRY
from keras_compat.settings import Settings
from keras_compat.source import Decoded, SourceError, decode, physical_lines

#: Below this many files per worker, starting processes costs more than it saves.
FILES_PER_WORKER = 4

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

Task = tuple[str, str, str, int]  # (path on disk, display path, path relative to the root, settings index)

_worker_state: dict[str, object] = {}


def analyse(text: str, filename: str, settings: Settings) -> list[Diagnostic]:
    """Run the core on one decoded text (the cache avoids calling this for unchanged files). The text is
    parsed even when it never mentions Keras: an unparsable file is KC001 and exit status 2 in the CLI."""
    return lint_source(text, filename, settings, parse_first=True)


def _lines(text: str) -> list[str]:
    """Physical lines as Python counts them (``\\r\\n``, ``\\r``, ``\\n``; never form feeds), ends kept."""
    return physical_lines(text)


def unified_diff(old: str, new: str, path: str) -> str:
    """A git-style diff (``a/``, ``b/`` prefixes, ``/`` separators), so ``git apply``/``patch -p1`` take it."""
    name = path.replace("\\", "/").lstrip("/")
    out = []
    for line in difflib.unified_diff(_lines(old), _lines(new), f"a/{name}", f"b/{name}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def match_newlines(original: str, new: str) -> str:
    """Give line breaks that fixes inserted (always ``\\n``) the file's style when it uses one style only.

    A pure CRLF (or CR) file stays pure; mixed files are left as they are (only edits change them).
    """
    crlf, lf, cr = original.count("\r\n"), original.count("\n"), original.count("\r")
    if crlf and crlf == lf == cr:
        return re.sub(r"(?<!\r)\n", "\r\n", new)
    if cr and not lf:
        return new.replace("\n", "\r")
    return new


def encode(text: str, decoded: Decoded) -> bytes:
    """Encode fixed text like the original: same encoding, same BOM."""
    data = text.encode(decoded.encoding)
    return b"\xef\xbb\xbf" + data if decoded.bom else data


def _read_error(path: str, exc: OSError) -> FileResult:
    reason = f"cannot read file: {exc.strerror or exc}"
    diag = Diagnostic(UNPARSABLE, REGISTRY[UNPARSABLE].render(reason=reason), 1, 0, 1, 0, None,
                      {"reason": reason})
    return FileResult(path, [diag], read_error=True)


class _TooLarge(Exception):
    pass


class _NotRegular(Exception):
    """A FIFO, socket or device named explicitly: reading it could block forever (a FIFO without a writer)
    or never end, so it is refused before it is opened."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _kind(mode: int) -> str | None:
    """What a non-regular file is (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    for test, name in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return "not a regular file"


def _read(disk: str, options: RunOptions) -> bytes:
    """The file's bytes; at most ``max_file_bytes`` are read (a huge file cannot exhaust memory).

    Only regular files are read: the type is checked before opening (``os.stat``) and again on the open
    descriptor (opened non-blocking, so a FIFO swapped in meanwhile cannot block the open either)."""
    kind = _kind(os.stat(disk).st_mode)
    if kind is not None:
        raise _NotRegular(kind)
    fd = os.open(disk, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as fh:
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise _NotRegular(kind)
        if not options.max_file_bytes:
            return fh.read()
        data = fh.read(options.max_file_bytes + 1)
    if len(data) > options.max_file_bytes:
        raise _TooLarge
    return data


def _not_analysed(path: str, reason: str) -> FileResult:
    diag = Diagnostic(UNPARSABLE, REGISTRY[UNPARSABLE].render(reason=reason), 1, 0, 1, 0, None, {"reason": reason})
    return FileResult(path, [diag])


def process_file(task: Task, settings: Settings, options: RunOptions,
                 store: cache_mod.Cache | None) -> FileResult:
    disk, shown, relpath, _ = task
    start = time.perf_counter()
    try:
        data = _read(disk, options)
    except OSError as exc:
        return _read_error(shown, exc)
    except _TooLarge:
        return _not_analysed(shown, f"file is larger than {options.max_file_bytes / 1e6:g} MB; not analysed "
                                    "(--max-file-size)")
    except _NotRegular as exc:
        return _not_analysed(shown, f"{exc.kind}, not a regular file; not read")
    result = process_source(data, shown, relpath, settings, options, store, disk=disk)
    result.seconds = time.perf_counter() - start
    return result


def process_source(data: bytes, shown: str, relpath: str, settings: Settings, options: RunOptions,
                   store: cache_mod.Cache | None, disk: str | None = None) -> FileResult:
    """Check (and fix) one file's bytes. ``disk`` is where fixes are written (None: stdin).

    The whole of it runs under the per-file time limit (``options.max_file_seconds``, disarmed before a
    fixed file is written): a file that uses it up is reported as not analysed and the run goes on.
    """
    start = time.perf_counter()
    try:
        with limits.time_limit(options.max_file_seconds), project.recording():  # what the cache entry depends on
            result = _process(data, shown, relpath, settings, options, store, disk)
    except limits.TimeLimitExceeded as exc:
        result = _not_analysed(shown, str(exc))
    except Exception as exc:  # noqa: BLE001 - one file's failure must not end the run
        result = FileResult(shown, [internal_error("the command-line runner", exc)])
    result.seconds = time.perf_counter() - start
    return result


def _process(data: bytes, shown: str, relpath: str, settings: Settings, options: RunOptions,
             store: cache_mod.Cache | None, disk: str | None) -> FileResult:
    if is_notebook(shown):
        return process_notebook(data, shown, relpath, settings, options, store, disk)
    result = FileResult(shown)
    try:
        decoded = decode(data)
    except SourceError as exc:
        result.diagnostics = [unparsable(exc)] if settings.enabled(UNPARSABLE) else []
        return result
    text = decoded.text
    key = store.entry_key(data, relpath, settings, shown) if store is not None else None
    found = store.get(key) if store is not None and key is not None else None
    noqa_map: noqa.NoqaMap | None = None
    if found is None:
        found = analyse(text, shown, settings)
        if store is not None and key is not None:
            noqa_map = noqa.build(text) if found else noqa.NoqaMap()
            if store.put(key, found, noqa_map):
                result.cache_key = key
    else:
        result.cached = True
        result.cache_key = key
        noqa_map = store.noqa_for(key) if key is not None else None  # type: ignore[union-attr]

    if options.validate_fixes and not (options.fix or options.diff) and any(d.fix for d in found):
        found = _validated(text, found, shown, settings, store, key)
    final_text = text
    if noqa_map is None:  # comments matter only for findings (tokenizing every file is not free)
        noqa_map = noqa.build(text) if found else noqa.NoqaMap()
    if (options.fix or options.diff) and any(
            wanted(d, options.unsafe_fixes) and not noqa_map.suppresses(d) for d in found):
        final_text, found = _fix(data, decoded, found, shown, relpath, settings, options, store, disk, result)
        if final_text != text:
            noqa_map = noqa.build(final_text)

    for d in found:
        (result.suppressed if noqa_map.suppresses(d) else result.diagnostics).append(d)
    if options.add_noqa and result.diagnostics and disk is not None:
        final_text = _add_noqa(data, decoded, final_text, found, relpath, settings, store, disk, shown, result)
    if result.diagnostics:  # for --show-source, fingerprints and byte columns (rdjson)
        lines = _lines(final_text)
        wanted_lines = {n for d in result.diagnostics for n in (d.line, d.end_line)}
        wanted_lines |= {n for d in result.diagnostics if d.fix for e in d.fix.edits for n in (e.line,
                                                                                               e.end_line)}
        result.lines = {n: lines[n - 1].rstrip("\r\n") for n in wanted_lines if 1 <= n <= len(lines)}
    return result


def _validated(text: str, found: list[Diagnostic], shown: str, settings: Settings, store: cache_mod.Cache | None,
               key: str | None) -> list[Diagnostic]:
    """``found`` without the fixes ``--fix`` would reject, for outputs that carry fix edits (SARIF, reviewdog,
    JSON): one more analysis of a file with fixes, cached beside the findings themselves."""
    vkey = hashlib.sha256(f"{key}:validated fixes".encode()).hexdigest() if store is not None and key else None
    checked = store.get(vkey) if store is not None and vkey is not None else None
    if checked is None:
        checked = validate_fixes(text, found, lambda current: lint_source(current, shown, settings))
        if store is not None and vkey is not None:
            store.put(vkey, checked)
    return checked


def _fix(data: bytes, decoded: Decoded, found: list[Diagnostic], shown: str, relpath: str, settings: Settings,
         options: RunOptions, store: cache_mod.Cache | None, disk: str | None,
         result: FileResult) -> tuple[str, list[Diagnostic]]:
    """Apply fixes; returns (text now on disk or to show, findings for it). Never raises for a fix problem."""
    text = decoded.text
    skip = noqa.suppression_check()

    try:
        fixed = fix_text(text, shown, settings, unsafe=options.unsafe_fixes, skip=skip)
    except FixError as exc:
        result.notes.append(f"fixes not applied ({', '.join(exc.codes)}): {exc}; the file is unchanged")
        return text, found
    if not fixed.converged:
        result.notes.append(f"fixes did not converge after {fixed.passes} passes; "
                            "the result parses but may still change on another run")
    fixed.text = match_newlines(text, fixed.text)
    if fixed.text == text:
        return text, found
    try:
        new_data = encode(fixed.text, decoded)
        check = decode(new_data)
        if check.text != fixed.text or check.encoding != decoded.encoding:
            raise ValueError("the fix would change how the file's encoding is detected (coding cookie)")
    except (UnicodeEncodeError, SourceError, ValueError) as exc:
        what = exc.reason if isinstance(exc, UnicodeEncodeError) else str(exc)
        result.notes.append(f"fixes not applied: the result cannot be saved as {decoded.encoding} ({what}); "
                            "the file is unchanged")
        return text, found
    codes = [d.code for d in fixed.applied]
    if options.diff:
        result.diff = unified_diff(text, fixed.text, shown)
        result.changed = True
        result.fixed = codes
        return fixed.text, fixed.remaining
    if disk is None:  # stdin: the fixed source goes to stdout
        result.fixed_output = new_data
        result.changed = True
        result.fixed = codes
        return fixed.text, fixed.remaining
    try:
        atomic_write(Path(disk), new_data, digest(data))
    except WriteError as exc:
        result.notes.append(str(exc))
        return text, found
    result.changed = True
    result.fixed = codes
    result.cache_key = None  # the entry of the old content is stale now
    if store is not None:
        new_key = cache_mod.key(new_data, relpath, settings, shown)
        if store.put(new_key, fixed.remaining, noqa.build(fixed.text) if fixed.remaining else noqa.NoqaMap()):
            result.cache_key = new_key
    return fixed.text, fixed.remaining


def _add_noqa(data: bytes, decoded: Decoded, text: str, found: list[Diagnostic], relpath: str,
              settings: Settings, store: cache_mod.Cache | None, disk: str, shown: str,
              result: FileResult) -> str:
    """``--add-noqa``: write ``# noqa: CODES`` where flake8 reads it for each reported finding (a migration
    baseline); returns the text now on disk. Written like a fix: the result must parse and encode back to
    the same text, the file must not have changed meanwhile, the write is atomic."""
    from keras_compat.cli.notebook import _noqa_notes, _noqa_written
    from keras_compat.source import parse

    new_text, added, failed = noqa.add_comments(text, result.diagnostics)
    _noqa_notes(result, failed)
    if not added:
        return text
    try:
        parse(new_text)
        new_data = encode(new_text, decoded)
        if decode(new_data).text != new_text:
            raise ValueError("the text does not read back the same")
        atomic_write(Path(disk), new_data, digest(data))
    except (SourceError, UnicodeEncodeError, ValueError, WriteError) as exc:
        result.notes.append(f"noqa comments not added: {exc}; the file is unchanged")
        return text
    _noqa_written(result, new_text, added)
    result.cache_key = None
    if store is not None:  # columns and findings are unchanged: only the comments are new
        new_key = cache_mod.key(new_data, relpath, settings, shown)
        if store.put(new_key, found, noqa.build(new_text)):
            result.cache_key = new_key
    return new_text


# -- process pool -------------------------------------------------------------------------------------

def _init_worker(settings: Sequence[Settings], options: RunOptions) -> None:
    _worker_state["settings"] = list(settings)
    _worker_state["options"] = options
    _worker_state["cache"] = store = cache_mod.Cache(Path(options.cache_dir)) if options.cache_dir else None
    project.set_store(store)  # the project index keeps module summaries in the cache too


def _init_pool_worker(settings: Sequence[Settings], options: RunOptions, parent: int | None = None) -> None:
    """Workers ignore Ctrl-C: the parent stops handing out work, and a file being fixed is finished."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        exit_with_parent(parent)
    remember_for_process()
    project.remember_for_process()
    _init_worker(settings, options)


#: How often a worker without ``prctl`` looks whether its parent is still there (seconds).
PARENT_POLL_SECONDS = 1.0


def exit_with_parent(parent: int) -> None:
    """Make this worker end when the main process dies (even by SIGKILL, which runs no cleanup): otherwise
    it is re-parented to init and blocks on its task pipe forever.

    On Linux the kernel sends SIGKILL when the worker's parent dies (``prctl(PR_SET_PDEATHSIG)``). Under the
    ``forkserver`` start method (the default from Python 3.14) that parent is the fork server, which lives
    on while workers hold its pipes, so a daemon thread also checks every second that the main process
    (``parent``) still runs (elsewhere that thread is the only guard). A fix being written when the main
    process dies is lost, never half-written: the write is a rename of a complete temporary file.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    watched = os.getppid()  # the main process, or the fork server
    birth = _started(parent)
    if not _running(parent, birth) or watched == 1 != parent:  # it died before the request was in place
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if os.getppid() != watched or not _running(parent, birth):
                os._exit(1)

    import threading

    threading.Thread(target=watch, name="keras-compat-parent-watch", daemon=True).start()


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name (None: no such process, or no /proc)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].decode().split()
    except (OSError, IndexError):
        return None


def _started(pid: int) -> str | None:
    """The process's start time where /proc tells it (so a reused pid is not taken for the same process)."""
    fields = _proc_stat(pid)
    return fields[19] if fields and len(fields) > 19 else None


def _running(pid: int, started: str | None) -> bool:
    """Whether process ``pid`` (started at ``started``) still runs: not gone, not a zombie, not reused."""
    if os.path.isdir("/proc/self"):
        fields = _proc_stat(pid)
        return fields is not None and fields[0] not in ("Z", "X") and (started is None or _started(pid) == started)
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL_C_EVENT there: rely on os.getppid() alone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but not ours to signal
        return True
    return True


def _work(task: Task) -> FileResult:
    settings = _worker_state["settings"][task[3]]  # type: ignore[index]
    return process_file(task, settings, _worker_state["options"],
                        _worker_state["cache"])  # type: ignore[arg-type]


def _pool(workers: int, settings: Sequence[Settings], options: RunOptions) -> ProcessPoolExecutor:
    """The worker pool; imported here, so a ``-j 1`` or warm run does not load multiprocessing."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=_init_pool_worker,
                               initargs=(list(settings), options, os.getpid()))


def workers_for(jobs: int, n_files: int) -> int:
    return max(1, min(jobs, math.ceil(n_files / FILES_PER_WORKER)))


class _Known:
    """A cache stand-in holding one entry the parent already looked up."""

    def __init__(self, key: str, found: list[Diagnostic], noqa_map: noqa.NoqaMap | None) -> None:
        self.key = key
        self.found = found
        self.noqa_map = noqa_map

    def entry_key(self, content: bytes, relpath: str, settings: Settings, shown: str) -> str:
        return self.key

    def get(self, key: str) -> list[Diagnostic]:
        return self.found

    def noqa_for(self, key: str) -> noqa.NoqaMap | None:
        return self.noqa_map

    def put(self, key: str, diagnostics: list[Diagnostic], noqa_map: noqa.NoqaMap | None = None) -> bool:
        return False


def _from_cache(task: Task, settings: Settings, options: RunOptions,
                store: cache_mod.Cache) -> FileResult | None:
    """The result for a file whose findings are cached and need no fixing (None: send it to a worker)."""
    disk, shown, relpath, _ = task
    try:
        data = _read(disk, options)
    except (OSError, _TooLarge, _NotRegular):
        return None
    key = cache_mod.key(data, relpath, settings, shown)
    found = store.get(key)
    if found is None or ((options.fix or options.diff) and any(d.fix is not None for d in found)):
        return None
    known = _Known(key, found, store.noqa_for(key))
    return process_source(data, shown, relpath, settings, options, known, disk=disk)  # type: ignore


def run(tasks: Sequence[Task], settings: Sequence[Settings], options: RunOptions, jobs: int,
        progress: Callable[[int], None] | None = None) -> tuple[list[FileResult], cache_mod.Cache | None]:
    """Process every task; results are in task order. Returns the in-process cache (for its counters).

    With several jobs, files whose findings are cached (and need no fix) are answered in this process
    first, so a warm run does not pay for starting workers; only the rest go to the pool.
    """
    _init_worker(settings, options)
    try:
        with HeldResults() as held, remembered(), project.remembered():
            return _run(tasks, settings, options, jobs, progress, held)
    finally:
        project.set_store(None)


def _run(tasks: Sequence[Task], settings: Sequence[Settings], options: RunOptions, jobs: int,
         progress: Callable[[int], None] | None, held: HeldResults) -> tuple[list[FileResult], cache_mod.Cache | None]:
    store: cache_mod.Cache | None = _worker_state["cache"]  # type: ignore[assignment]
    done: dict[int, FileResult] = {}
    pending = list(range(len(tasks)))
    if workers_for(jobs, len(tasks)) > 1 and store is not None:
        pending = []
        for index, task in enumerate(tasks):
            result = _from_cache(task, settings[task[3]], options, store)
            if result is None:
                pending.append(index)
            else:
                done[index] = result
                held.settle(analysed=False)
                if progress:
                    progress(len(done))
    workers = workers_for(jobs, len(pending))
    if workers > 1:
        from concurrent.futures.process import BrokenProcessPool

        chunksize = max(1, min(32, len(pending) // (workers * 4)))
        try:
            with _pool(workers, settings, options) as pool:
                try:
                    for index, result in zip(pending, pool.map(_work, [tasks[i] for i in pending],
                                                               chunksize=chunksize)):
                        done[index] = result
                        held.settle(analysed=not result.cached)
                        if progress:
                            progress(len(done))
                except KeyboardInterrupt:  # stop queued work; files being written finish atomically
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
        except (OSError, BrokenProcessPool):
            pass  # no processes available (or a worker died): finish the rest in this process
    for index in pending:
        if index not in done:
            done[index] = _work(tasks[index])
            held.settle(analysed=not done[index].cached)
            if progress:
                progress(len(done))
    return [done[i] for i in range(len(tasks))], store
