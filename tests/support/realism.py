"""Realism corpus: real third-party legacy Keras packages and the hand-checked expectations on them.

``tests/realism/expected.txt`` lists, per package, lines where a rule must fire (``KCnnn``) and lines a
careful reader checked to be fine (``OK``: no finding at all may be reported there). Paths are relative to
:func:`package_root`. The file format, one fact per line::

    keras-rl==0.4.2  rl/agents/dqn.py:123  KC201  # Model(input=..., output=...) Keras 1 kwargs
    keras-rl==0.4.2  rl/agents/dqn.py:130  OK     # Dense(units) modern call, must stay silent

Blank lines and lines starting with ``#`` are comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .pypi import fetch_or_skip, python_files

PACKAGES: tuple[tuple[str, str], ...] = (
    ("keras-rl", "0.4.2"),
    ("keras-applications", "1.0.8"),
    ("keras-bert", "0.89.0"),
    ("efficientnet", "1.1.1"),
    ("image-classifiers", "1.0.0"),
    ("kapre", "0.4.1"),
    ("keras-tcn", "3.5.7"),
    ("keras-squeezenet", "0.4"),
    ("keras-toolbox", "0.1.2"),
    ("phased-lstm-keras", "1.0.2"),
    ("yoctol-keras-layer-zoo", "0.7.0"),
    ("dist-keras", "0.2.1"),
    ("spektral", "1.0.6"),  # multi-module: layer base classes in sibling modules (issue 22)
    ("bert4keras", "0.11.5"),  # multi-module: keras and K re-exported (and patched) by bert4keras.backend
)

EXPECTED_FILE = Path(__file__).resolve().parent.parent / "realism" / "expected.txt"

#: Modern ``tf.keras`` libraries checked under ``keras-target = keras3`` (``expected_keras3.txt``): the migration
#: most users face today, tf.keras 2.x code moving to Keras 3.
KERAS3_PACKAGES: tuple[tuple[str, str], ...] = (
    ("keras-tcn", "3.5.7"),
    ("kapre", "0.4.1"),
    ("keras-ocr", "0.9.3"),
    ("keras-unet-collection", "0.1.13"),
    ("tensorflow-addons", "0.23.0"),
)
KERAS3_EXPECTED_FILE = EXPECTED_FILE.with_name("expected_keras3.txt")

_CODE_RE = re.compile(r"^KC\d{3}$")
_LINE_RE = re.compile(
    r"^(?P<package>[A-Za-z0-9_.\-]+)==(?P<version>[A-Za-z0-9_.\-]+)\s+"
    r"(?P<relpath>[^\s:]+\.py):(?P<line>\d+)\s+"
    r"(?P<code>KC\d{3}|OK)\s*"
    r"(?:#\s*(?P<note>.*))?$"
)


@dataclass(frozen=True)
class Expectation:
    """One hand-checked fact: ``code`` is reported on ``relpath:line`` (or ``"OK"``: nothing is)."""

    package: str
    version: str
    relpath: str
    line: int
    code: str
    note: str = ""

    @property
    def is_ok(self) -> bool:
        return self.code == "OK"

    @property
    def location(self) -> str:
        return f"{self.relpath}:{self.line}"


class ExpectationSyntaxError(ValueError):
    """A malformed line in the expectations file."""


def package_root(name: str, version: str) -> Path:
    """The directory holding the package's ``.py`` files (the base of the expectation paths).

    Downloads (once, cached) through :func:`fetch_or_skip`; an sdist unpacks into a single
    ``<name>-<version>/`` directory, which is then the root; a wheel unpacks in place.
    """
    root = fetch_or_skip(name, version)
    entries = [p for p in root.iterdir() if not p.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir() and not (entries[0] / "__init__.py").exists():
        return entries[0]
    return root


def package_files(name: str, version: str) -> list[Path]:
    """Every ``.py`` file of ``name==version`` (absolute paths, sorted)."""
    return python_files(package_root(name, version))


def parse_expectations(text: str, source: str = "<expectations>",
                       packages: tuple[tuple[str, str], ...] = PACKAGES) -> list[Expectation]:
    """Parse the expectation format; raises :class:`ExpectationSyntaxError` with the line number."""
    known = {name: version for name, version in packages}
    result: list[Expectation] = []
    seen: set[tuple[str, str, int, str]] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE_RE.match(line)
        if not match:
            raise ExpectationSyntaxError(f"{source}:{number}: cannot parse {raw!r}")
        package, version = match["package"], match["version"]
        if known.get(package) != version:
            raise ExpectationSyntaxError(f"{source}:{number}: unknown package {package}=={version}")
        code = match["code"]
        if code != "OK" and not _CODE_RE.match(code):
            raise ExpectationSyntaxError(f"{source}:{number}: bad code {code!r}")
        relpath = match["relpath"]
        if relpath.startswith("/") or ".." in Path(relpath).parts:
            raise ExpectationSyntaxError(f"{source}:{number}: path must be relative: {relpath!r}")
        line_no = int(match["line"])
        if line_no < 1:
            raise ExpectationSyntaxError(f"{source}:{number}: line numbers are 1-based")
        key = (package, relpath, line_no, code)
        if key in seen:
            raise ExpectationSyntaxError(f"{source}:{number}: duplicate expectation {raw!r}")
        seen.add(key)
        result.append(Expectation(package, version, relpath, line_no, code, (match["note"] or "").strip()))
    return result


def load_expectations(path: Path | None = None) -> list[Expectation]:
    """Parse ``tests/realism/expected.txt`` (or ``path``)."""
    path = path or EXPECTED_FILE
    return parse_expectations(path.read_text(encoding="utf-8"), str(path))


def load_keras3_expectations() -> list[Expectation]:
    """Parse ``tests/realism/expected_keras3.txt`` (the ``KERAS3_PACKAGES`` under ``keras-target = keras3``)."""
    return parse_expectations(KERAS3_EXPECTED_FILE.read_text(encoding="utf-8"), str(KERAS3_EXPECTED_FILE),
                              KERAS3_PACKAGES)
