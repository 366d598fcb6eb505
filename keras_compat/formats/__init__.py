"""Review-annotation formats shared by the three front-ends (CLI, flake8 formatter, pylint reporter).

One renderer per format lives in this package (``sarif``, ``github``, ``rdjson``, ``gitlab``); each takes
a list of :class:`Finding` records, a front-end neutral view of one finding. The CLI builds them from
core :class:`~keras_compat.diagnostics.Diagnostic` objects (with end positions and fixes), the flake8
formatter from ``flake8.violation.Violation`` (no end, no fix) and the pylint reporter from
``pylint.message.Message``.

Positions in a :class:`Finding` use the core's model: 1-based lines, 0-based *character* (code point)
columns, exclusive ends. Each renderer converts to its consumer's convention:

==========  ============================================================
format      columns written
==========  ============================================================
sarif       1-based Unicode code points (``run.columnKind = unicodeCodePoints``)
github      1-based characters (``col``/``endColumn`` only on one-line ranges)
rdjson(l)   1-based UTF-8 bytes (reviewdog's ``rdf`` spec), end exclusive
gitlab      lines only
==========  ============================================================
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from keras_compat.diagnostics import Diagnostic, Edit, Fix

TOOL_NAME = "keras-compat"
INFORMATION_URI = "https://github.com/keras-compat/keras-compat"
DOCS_URI = "https://github.com/keras-compat/keras-compat/blob/main/docs/rules/{code}.md"


def rule_doc_uri(code: str) -> str | None:
    """The documentation page of a keras-compat rule (None for other tools' codes)."""
    from keras_compat.registry import REGISTRY

    return DOCS_URI.format(code=code) if code in REGISTRY else None


@dataclass(frozen=True)
class Finding:
    """One finding as every format sees it (see the module docstring for the position model)."""

    path: str
    code: str
    message: str
    line: int
    col: int | None = None  # 0-based characters; None: the whole line
    end_line: int | None = None
    end_col: int | None = None  # 0-based characters, exclusive
    symbol: str = ""
    severity: str = "error"  # error | warning | convention | info
    fix: Fix | None = None  # only set when the fix applies with the current flags
    fix_safety: str | None = None  # "safe"/"unsafe" for any finding that has a fix
    lines: Mapping[int, str] = field(default_factory=dict, compare=False)  # source lines known (no EOL)
    suppressed: bool = False  # hidden by an in-source ``# noqa`` (SARIF keeps it with ``suppressions``)

    @property
    def line_text(self) -> str | None:
        return self.lines.get(self.line)

    @property
    def one_line(self) -> bool:
        return self.col is not None and self.end_col is not None and self.end_line in (None, self.line)


def from_diagnostic(path: str, d: Diagnostic, lines: Mapping[int, str], unsafe_fixes: bool) -> Finding:
    """A core diagnostic as a :class:`Finding` (the fix kept only when it applies with the flags)."""
    from keras_compat.registry import REGISTRY

    rule = REGISTRY.get(d.code)
    applies = d.fix is not None and (unsafe_fixes or d.fix.is_safe)
    return Finding(
        path=path, code=d.code, message=d.message, line=d.line, col=d.col, end_line=d.end_line,
        end_col=d.end_col, symbol=rule.symbol if rule else "",
        severity=rule.severity.value if rule else "error",
        fix=d.fix if applies else None, fix_safety=d.fix.safety.value if d.fix else None, lines=lines,
    )


def byte_column(text: str | None, char_col: int) -> int:
    """1-based UTF-8 byte column of a 0-based character column (ASCII assumed when the line is unknown)."""
    if text is None:
        return char_col + 1
    return len(text[:char_col].encode("utf-8")) + 1


_SPACE = re.compile(r"\s+")


def normalise(line_text: str) -> str:
    """Line text with whitespace runs collapsed: re-indenting a line keeps its fingerprint."""
    return _SPACE.sub(" ", line_text).strip()


def fingerprints(findings: Iterable[Finding]) -> dict[int, str]:
    """Stable per-finding fingerprints, keyed by ``id(finding)``.

    ``sha256(code, normalised line text)`` plus the occurrence index of that pair within the file (in
    position order). Line *numbers* are not hashed, so edits elsewhere in the file do not change them.
    When the line text is unknown the message stands in for it.
    """
    seen: dict[tuple[str, str], int] = {}
    out: dict[int, str] = {}
    for f in sorted(findings, key=lambda f: (f.path, f.line, f.col or 0, f.code)):
        text = f.line_text
        basis = normalise(text) if text is not None else f"message:{f.message}"
        digest = hashlib.sha256(f"{f.code}\0{basis}".encode()).hexdigest()[:32]
        n = seen.get((f.path, digest), 0) + 1
        seen[(f.path, digest)] = n
        out[id(f)] = f"{digest}:{n}"
    return out


def edit_key(e: Edit) -> tuple[int, int, int, int]:
    return (e.line, e.col, e.end_line, e.end_col)


__all__ = ["Finding", "from_diagnostic", "byte_column", "fingerprints", "normalise", "rule_doc_uri",
           "TOOL_NAME", "INFORMATION_URI", "DOCS_URI"]
