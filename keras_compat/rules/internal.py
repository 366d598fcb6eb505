"""Findings the engine itself reports: internal errors (KC000) and files it cannot read (KC001)."""

from keras_compat.registry import Bad, Rule, Severity, register

register(Rule(
    code="KC000",
    symbol="keras-compat-internal-error",
    severity=Severity.ERROR,
    message="internal error in {where}: {detail}; please report this to keras-compat",
    summary="keras-compat failed on this file; the other rules still ran",
    what="Reports an exception raised inside keras-compat itself while analysing the file, instead of "
         "crashing flake8, pylint or the CLI.",
    why="A linter must never take its host tool down with it. Containing the failure keeps every other "
        "finding of the run, and the message tells you which rule failed so you can report it.",
    fix_safety="There is nothing to fix in your code; please report the message with the file that caused it.",
    bad=(),
    good=("import tensorflow as tf\n", "x = 1\n"),
))

register(Rule(
    code="KC001",
    symbol="unparsable-source",
    severity=Severity.ERROR,
    message="cannot analyse file: {reason}",
    summary="The file cannot be decoded or parsed as Python 3",
    what="Reports a file that is not valid Python 3 (a syntax error, Python 2 code, an undecodable "
         "encoding): only the `keras-compat` CLI and the core report those; flake8 (E999/E902) and pylint "
         "(E0001) report such files themselves and never run plugins on them. Every front-end also reports "
         "a file that is over the size limit or whose analysis ran out of time (`--max-file-size`, "
         "`--max-file-seconds`; `keras-max-file-size`, `keras-max-file-seconds` in flake8 and pylint).",
    why="Nothing in an unparsable file can be checked, so a clean result would be misleading. Python 2 "
        "files are named as such: convert them to Python 3 first.",
    fix_safety="No automatic fix.",
    bad=(
        Bad('import keras\nprint "model built"  # error: KC001\n'),
        Bad("from keras.layers import Dense\nmodel.add(Dense(10)  # error: KC001\n"),
    ),
    good=("import keras\nprint('model built')\n", "from tensorflow.keras.layers import Dense\n"),
))
