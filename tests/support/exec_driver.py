"""Runs snippets inside the TensorFlow/Keras test environment (``support.runtime.run_snippets``).

Started as ``python exec_driver.py request.json result.json`` by the environment's own interpreter; it
imports nothing from keras_compat or the test suite. Each snippet runs as ``prelude``, ``code`` and
``check`` in one fresh namespace, in a fresh working directory, with a time limit; the outcome records the
first exception, the phase it came from and, for ``code``, the snippet's line it was raised on.
"""

import json
import os
import re
import signal
import sys
import tempfile
import traceback

SNIPPET_SECONDS = 120
_CODE_FILE = "<snippet>"


class SnippetTimeout(Exception):
    """The snippet ran longer than SNIPPET_SECONDS."""


def _alarm(signum, frame):
    raise SnippetTimeout(f"no result after {SNIPPET_SECONDS} s")


def _line_of(exc):
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == _CODE_FILE:
            line = lineno  # the innermost frame of the snippet itself
    return line


def run_one(snippet, base):
    workdir = tempfile.mkdtemp(prefix="snippet-", dir=base)
    os.chdir(workdir)
    namespace = {"__name__": "__main__"}
    phase = "prelude"
    signal.alarm(SNIPPET_SECONDS)
    try:
        exec(compile(snippet.get("prelude") or "", "<prelude>", "exec"), namespace)
        phase = "code"
        exec(compile(snippet["code"], _CODE_FILE, "exec"), namespace)
        phase = "check"
        exec(compile(snippet.get("check") or "", "<check>", "exec"), namespace)
    except BaseException as exc:  # noqa: B036 - every failure of user code is an outcome, SystemExit included
        if isinstance(exc, KeyboardInterrupt):
            raise
        # whole, without terminal colours: Keras puts the cause after "Exception encountered when calling"
        message = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip()
        return {"key": snippet["key"], "error": f"{type(exc).__name__}: {message}"[:4000],
                "line": _line_of(exc) if phase == "code" else None, "phase": phase}
    finally:
        signal.alarm(0)
        os.chdir(base)
    return {"key": snippet["key"], "error": None, "line": None, "phase": "ok"}


def main():
    request, result = sys.argv[1], sys.argv[2]
    with open(request, encoding="utf-8") as handle:
        snippets = json.load(handle)
    signal.signal(signal.SIGALRM, _alarm)
    base = os.getcwd()
    outcomes = []
    for snippet in snippets:
        outcomes.append(run_one(snippet, base))
        with open(result + ".part", "w", encoding="utf-8") as handle:
            json.dump(outcomes, handle)
    os.replace(result + ".part", result)


if __name__ == "__main__":
    main()
