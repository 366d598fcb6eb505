"""``--format rdjsonl``: one reviewdog Diagnostic per line."""

from keras_compat.cli.output.rdjson import write_lines as write

__all__ = ["write"]
