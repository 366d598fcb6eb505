"""Realism suite: lint real third-party legacy Keras packages and compare with hand-checked expectations.

The packages are downloaded from the package index at test time (cached, see ``tests/support/pypi.py``);
the expectations live in ``tests/realism/expected.txt`` (format in ``tests/support/realism.py``).

For every package:
* no file may produce a ``KC000`` internal-error finding (nor raise);
* every expected ``(path, line, code)`` must be reported;
* no finding at all may be reported on a line marked ``OK``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from support.realism import (
    PACKAGES,
    Expectation,
    ExpectationSyntaxError,
    load_expectations,
    package_files,
    package_root,
    parse_expectations,
)

KNOWN_CODES = {f"KC{n}" for n in (101, 102, 103, 104, 105, 106, 201, 202, 203, 204, 205, 206, 301, 302, 303,
                                  401, 402, 403, 404, 405, 406, 407)}
OFF_BY_DEFAULT = {"KC408"}  # never expected, never counted against OK lines

MIN_KC12 = 45
MIN_KC34 = 45
MIN_OK = 40


# --------------------------------------------------------------------------------------------------
# The expectations file itself (no engine and no network needed)
# --------------------------------------------------------------------------------------------------

def test_expectations_file_is_well_formed() -> None:
    expectations = load_expectations()
    assert expectations, "tests/realism/expected.txt is empty"
    counts = Counter(e.code for e in expectations)
    unknown = sorted(set(counts) - KNOWN_CODES - {"OK"})
    assert not unknown, f"unknown or disallowed codes in expectations: {unknown}"
    kc12 = sum(n for code, n in counts.items() if code.startswith(("KC1", "KC2")))
    kc34 = sum(n for code, n in counts.items() if code.startswith(("KC3", "KC4")))
    assert kc12 >= MIN_KC12, f"only {kc12} KC1xx/KC2xx expectations (need {MIN_KC12})"
    assert kc34 >= MIN_KC34, f"only {kc34} KC3xx/KC4xx expectations (need {MIN_KC34})"
    assert counts["OK"] >= MIN_OK, f"only {counts['OK']} OK lines (need {MIN_OK})"

    # A line cannot be both OK and expected to carry a finding.
    by_line: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    for e in expectations:
        by_line[(e.package, e.relpath, e.line)].add(e.code)
    contradictions = {k: v for k, v in by_line.items() if "OK" in v and len(v) > 1}
    assert not contradictions, f"lines both OK and expected to have findings: {contradictions}"

    # Every package of the corpus is exercised by at least one fact.
    assert {e.package for e in expectations} == {name for name, _ in PACKAGES}


def test_expectation_parser() -> None:
    text = (
        "# comment\n"
        "\n"
        "keras-rl==0.4.2  rl/agents/dqn.py:4  KC101  # import keras.backend as K\n"
        "keras-rl==0.4.2  rl/agents/dqn.py:141  OK\n"
    )
    first, second = parse_expectations(text)
    assert first == Expectation("keras-rl", "0.4.2", "rl/agents/dqn.py", 4, "KC101", "import keras.backend as K")
    assert not first.is_ok and first.location == "rl/agents/dqn.py:4"
    assert second.is_ok and second.note == ""
    with pytest.raises(AttributeError):
        first.line = 5  # type: ignore[misc]  # frozen


@pytest.mark.parametrize("line", [
    "keras-rl==0.4.2 rl/agents/dqn.py KC101",             # no line number
    "keras-rl==0.4.2 rl/agents/dqn.py:0 KC101",           # lines are 1-based
    "keras-rl==0.4.2 rl/agents/dqn.py:4 E501",            # not a KC code
    "keras-rl==9.9.9 rl/agents/dqn.py:4 KC101",           # version not in the corpus
    "unknown-pkg==1.0 a.py:4 KC101",                      # package not in the corpus
    "keras-rl==0.4.2 ../outside.py:4 KC101",              # escapes the package root
    "keras-rl==0.4.2 rl/agents/dqn.py:4 KC101 trailing",  # junk without '#'
])
def test_expectation_parser_rejects(line: str) -> None:
    with pytest.raises(ExpectationSyntaxError):
        parse_expectations(line)


def test_expectation_parser_rejects_duplicates() -> None:
    line = "keras-rl==0.4.2  rl/agents/dqn.py:4  KC101\n"
    with pytest.raises(ExpectationSyntaxError):
        parse_expectations(line * 2)


# --------------------------------------------------------------------------------------------------
# Expectations point at real lines of the downloaded packages (network/cache, no engine)
# --------------------------------------------------------------------------------------------------

_IMPORT_RE = re.compile(r"^\s*(from\s+\S+\s+import\b|import\s+\S)")


@pytest.mark.parametrize("name,version", PACKAGES, ids=[n for n, _ in PACKAGES])
@pytest.mark.network
def test_expectations_point_at_existing_lines(name: str, version: str) -> None:
    root = package_root(name, version)
    problems = []
    for e in (e for e in load_expectations() if e.package == name):
        path = root / e.relpath
        if not path.is_file():
            problems.append(f"{e.location}: no such file under {root}")
            continue
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
        if e.line > len(lines):
            problems.append(f"{e.location}: file has only {len(lines)} lines")
            continue
        text = lines[e.line - 1]
        if not text.strip():
            problems.append(f"{e.location}: blank line")
        if e.code in ("KC101", "KC102", "KC103") and not _IMPORT_RE.match(text):
            problems.append(f"{e.location}: {e.code} expected on a non-import line: {text.strip()!r}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------------------
# The engine on the corpus
# --------------------------------------------------------------------------------------------------

def _settings():
    """Engine settings for the suite: defaults (KC408 stays off; its findings are ignored anyway)."""
    return None


def _lint_package(name: str, version: str, settings=None) -> tuple[dict[tuple[str, int], set[str]], list[str]]:
    """Lint every file; return ``{(relpath, line): {codes}}`` and a list of internal errors."""
    from keras_compat.engine import lint_source  # the core API (ImportError until the engine lands)

    root = package_root(name, version)
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    errors: list[str] = []
    files = package_files(name, version)
    assert files, f"no .py files found under {root}"
    for path in files:
        rel = path.relative_to(root).as_posix()
        source = path.read_bytes()
        try:
            diagnostics = lint_source(source, filename=str(path), settings=settings or _settings())
        except Exception as exc:  # the core must contain its own failures
            errors.append(f"{rel}: lint_source raised {type(exc).__name__}: {exc}")
            continue
        for diag in diagnostics:
            if diag.code == "KC000":
                errors.append(f"{rel}:{diag.line}:{diag.col}: {diag.message}")
            elif diag.code not in OFF_BY_DEFAULT:
                found[(rel, diag.line)].add(diag.code)
    return found, errors


def _report(name: str, missing: list[Expectation], unexpected: list[tuple[Expectation, set[str]]],
            errors: list[str]) -> str:
    out = [f"realism mismatch for {name}:"]
    if errors:
        out.append(f"  internal errors ({len(errors)}):")
        out += [f"    ! {err}" for err in errors]
    if missing:
        out.append(f"  expected but not reported ({len(missing)}):")
        out += [f"    - {e.location:<50} {e.code}  # {e.note}" for e in missing]
    if unexpected:
        out.append(f"  reported on lines checked to be fine ({len(unexpected)}):")
        out += [f"    + {e.location:<50} {','.join(sorted(codes))}  # OK: {e.note}" for e, codes in unexpected]
    return "\n".join(out)


@pytest.mark.parametrize("name,version", PACKAGES, ids=[n for n, _ in PACKAGES])
@pytest.mark.network
def test_realism_package(name: str, version: str) -> None:
    expectations = [e for e in load_expectations() if e.package == name]
    found, errors = _lint_package(name, version)

    missing = [e for e in expectations if not e.is_ok and e.code not in found.get((e.relpath, e.line), set())]
    unexpected = [(e, found[(e.relpath, e.line)]) for e in expectations
                  if e.is_ok and found.get((e.relpath, e.line))]
    report = _report(name, missing, unexpected, errors)
    if missing or unexpected or errors:
        print(report)
    assert not errors and not missing and not unexpected, report


def test_packages_are_distinct() -> None:
    names = [name for name, _ in PACKAGES]
    assert len(names) == len(set(names)) == 14


# --------------------------------------------------------------------------------------------------
# The same corpus under keras-target = keras3
# --------------------------------------------------------------------------------------------------

def _target_neutral_codes() -> set[str]:
    """Expected codes whose findings do not depend on the target: rules that run under both targets,
    except the ones that judge imports or names against the target's own API (KC102/KC103 roots and the
    API surfaces of KC106/KC206 differ by design)."""
    from keras_compat.registry import all_rules

    both = {r.code for r in all_rules() if r.runs_for("tf-keras") and r.runs_for("keras3")}
    return (both & KNOWN_CODES) - {"KC102", "KC103", "KC106", "KC206"}


#: Under keras3 a backend call through ``keras.backend`` (which Keras 3 lacks) is the error KC532, not the
#: warning/convention the tf-keras expectation names: the same line, judged against the target's backend.
KERAS3_EQUIVALENTS = {"KC301": {"KC532"}, "KC303": {"KC532"}}


@pytest.mark.parametrize("name,version", PACKAGES, ids=[n for n, _ in PACKAGES])
@pytest.mark.network
def test_realism_package_under_keras3(name: str, version: str) -> None:
    """Under keras3: no internal error, every target-neutral expectation still reported, and no
    target-neutral finding on a line checked to be fine (keras3-only rules may add findings there:
    a correct tf.keras import is a KC107 finding when migrating to Keras 3)."""
    from keras_compat.settings import Settings

    neutral = _target_neutral_codes()
    expectations = [e for e in load_expectations() if e.package == name]
    found, errors = _lint_package(name, version, Settings(target="keras3"))
    missing = [e for e in expectations if e.code in neutral and
               not ({e.code} | KERAS3_EQUIVALENTS.get(e.code, set())) & found.get((e.relpath, e.line), set())]
    unexpected = [(e, found[(e.relpath, e.line)] & neutral) for e in expectations
                  if e.is_ok and found.get((e.relpath, e.line), set()) & neutral]
    report = _report(name, missing, unexpected, errors)
    assert not errors and not missing and not unexpected, report


# --------------------------------------------------------------------------------------------------
# The Keras libraries themselves: the largest real Keras code there is
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["tf-keras", "keras3"])
@pytest.mark.parametrize("name,version", [("tf-keras", "2.15.0"), ("keras", "3.15.1")])
@pytest.mark.network
def test_keras_library_sources_without_internal_errors(name: str, version: str, target: str) -> None:
    """Every module of the tf-keras 2.15 and Keras 3 wheels (about 400k lines) is analysed under both
    targets without a KC000: this found a KC106 crash on short chains that no smaller corpus had."""
    from keras_compat.engine import lint_source
    from keras_compat.settings import Settings
    from support.pypi import fetch_or_skip, python_files

    settings = Settings(target=target)
    files = python_files(fetch_or_skip(name, version))
    assert len(files) > 300
    errors = [f"{path}:{d.line}: {d.message}" for path in files
              for d in lint_source(path.read_bytes(), str(path), settings) if d.code == "KC000"]
    assert not errors, "\n".join(errors[:20])
