"""The engine: decode, gate, parse once, run every enabled rule with containment.

Entry points for front-ends:

* :func:`lint_source` - source text or bytes in, diagnostics out (CLI, tests, pylint adapter);
* :func:`lint_tree` - an already parsed module (flake8 hands us its tree).

An exception inside one rule becomes a ``KC000`` finding and the other rules still run; no exception
escapes to the host tool.
"""

from __future__ import annotations

import ast
import sys
import threading
import traceback
from collections.abc import Iterable
from itertools import compress
from operator import attrgetter

from keras_compat.anchor import unanchored
from keras_compat.collector import paused
from keras_compat.context import Context
from keras_compat.diagnostics import Diagnostic
from keras_compat.gate import identifiers, relevant
from keras_compat.package import library_package, reaches_outside
from keras_compat.project import View, gives_keras, may_reach_project, only_imports
from keras_compat.registry import REGISTRY, Rule, Words, rules_for
from keras_compat.settings import Settings
from keras_compat.source import SourceError, decode, parse

#: A module that never mentions Keras cannot contain a finding of its own (:func:`keras_compat.gate.relevant`):
#: skip it without parsing (unless it imports a module of its project, which may hand it a Keras class or
#: ``K``: ``may_reach_project``).
INTERNAL = "KC000"
UNPARSABLE = "KC001"

_DEFAULT_SETTINGS = Settings()
_NAME = attrgetter("name")
#: :meth:`Diagnostic.sort_key`, read in C (one call per finding fewer)
_SORT_KEY = attrgetter("line", "col", "code")

#: A module nested deeper than the interpreter's recursion limit allows (``ast.parse`` accepts a few
#: thousand levels of ``a + b + ...``, ``elif`` or call chains) is analysed again in a thread with a large
#: stack and a raised recursion limit; only if that fails too is it reported as KC001, never as KC000.
DEEP_STACK_BYTES = 512 * 1024 * 1024
DEEP_RECURSION_LIMIT = 50_000


def internal_error(where: str, exc: BaseException) -> Diagnostic:
    """A KC000 finding describing an exception raised by our own code."""
    if isinstance(exc, RecursionError):
        detail = "the file is too deeply nested to analyse"
    else:
        frames = traceback.extract_tb(exc.__traceback__)
        at = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
        detail = f"{exc.__class__.__name__}: {exc}{at}"
    rule = REGISTRY[INTERNAL]
    message = rule.render(where=where, detail=detail)
    return Diagnostic(INTERNAL, message, 1, 0, 1, 0, None, {"where": where, "detail": detail})


def not_analysed(reason: str) -> Diagnostic:
    """A KC001 finding for a file that was not (completely) analysed: too large, out of time."""
    return Diagnostic(UNPARSABLE, REGISTRY[UNPARSABLE].render(reason=reason), 1, 0, 1, 0, None, {"reason": reason})


def unparsable(error: SourceError) -> Diagnostic:
    message = REGISTRY[UNPARSABLE].render(reason=error.message)
    return Diagnostic(UNPARSABLE, message, error.line, error.col, error.line, error.col, None,
                      {"reason": error.message})


def lint_source(source: str | bytes, filename: str = "<string>", settings: Settings | None = None, *,
                parse_first: bool = False, fixes: bool = True) -> list[Diagnostic]:
    """Lint one module given as text or bytes. Undecodable or unparsable input yields one KC001.

    A module that never mentions Keras is skipped without parsing, unless ``parse_first``: the CLI promises
    KC001 for every file it cannot parse (Python 2 code, syntax errors), whatever the file is about; the
    plugins keep the shortcut (their hosts report syntax errors themselves). The cyclic garbage collector
    is paused meanwhile (:mod:`keras_compat.collector`).

    ``fixes=False``: the caller never reads :attr:`Diagnostic.fix` (the flake8 and pylint adapters); the
    findings are the same, each with ``fix=None``, and the fixes are not computed (:meth:`Context.report`).
    """
    with paused():
        return _lint_source(source, filename, settings, parse_first, fixes)


def _lint_source(source: str | bytes, filename: str, settings: Settings | None, parse_first: bool,
                 fixes: bool = True) -> list[Diagnostic]:
    settings = settings or _DEFAULT_SETTINGS
    try:
        text = decode(source).text if isinstance(source, bytes) else source
        mentions = relevant(text)
        reached = mentions or (settings.project and may_reach_project(text, filename))
        if not parse_first and not reached:
            return []
        tree = parse(text, filename)
    except SourceError as exc:
        return [unparsable(exc)] if settings.enabled(UNPARSABLE) else []
    if not reached:
        return []
    return _lint_tree(tree, text, filename, settings, mentions, fixes)


def _run_rule(rule: Rule, ctx: Context) -> Iterable[Diagnostic]:
    assert rule.check is not None
    return list(rule.check(ctx))


def lint_tree(tree: ast.Module, text: str, filename: str = "<string>",
              settings: Settings | None = None, *, fixes: bool = True) -> list[Diagnostic]:
    """Run every enabled rule on a parsed module, containing failures per rule (the cyclic garbage collector
    paused meanwhile: :mod:`keras_compat.collector`). ``fixes=False``: as for :func:`lint_source`."""
    settings = settings or _DEFAULT_SETTINGS
    mentions = relevant(text)
    if not mentions and not (settings.project and may_reach_project(text, filename)):
        return []
    with paused():
        return _lint_tree(tree, text, filename, settings, mentions, fixes)


def _lint_tree(tree: ast.Module, text: str, filename: str, settings: Settings, mentions: bool,
               fixes: bool = True) -> list[Diagnostic]:
    """``mentions``: the text names Keras; else it only imports its project, and a module of nothing but
    imports and constants (a package's ``__init__``) cannot have a finding."""
    rules = rules_for(settings)  # imports the modules of these rules only
    view = None
    if not mentions:  # it imports its project (may_reach_project): anchored
        if only_imports(tree):
            return []
        view = View(filename, tree)
        try:
            if not gives_keras(tree, view):
                return []
        except RecursionError:
            return []
    else:
        rules, view = _anchored_rules(tree, text, filename, settings, rules)
        if not rules:
            return []
    try:
        found = _run_rules(tree, text, filename, settings, rules, view, fixes)
    except RecursionError:
        found = _run_deep(tree, text, filename, settings, rules, fixes)
    unique = {(d.code, d.line, d.col, d.message): d for d in found}
    return sorted(unique.values(), key=_SORT_KEY)


def _anchored_rules(tree: ast.Module, text: str, filename: str, settings: Settings,
                    rules: list[Rule]) -> tuple[list[Rule], View | None]:
    """The rules that can report in the module, and the project view made on the way (else None). A module that
    imports nothing a rule can resolve (:func:`keras_compat.anchor.unanchored`) gets only the rules declared
    ``import_free`` that its imports or words allow: usually none, and no context is built."""
    view: View | None = None

    def is_project_root(name: str) -> bool:
        nonlocal view
        if view is None:
            view = View(filename, tree)
        return view.is_root(name)

    try:
        modules = unanchored(tree, settings.extra_backend_aliases, is_project_root if settings.project else None)
    except Exception:  # noqa: BLE001 - the full analysis, with its containment, decides then
        return rules, view
    if modules is None:
        return rules, view
    free = [rule for rule in rules if rule.import_free is not None]
    if not free:
        return [], view
    words = identifiers(text)
    return [rule for rule in free if rule.import_free.allows(words, modules)], view  # type: ignore[union-attr]


def _run_rules(tree: ast.Module, text: str, filename: str, settings: Settings,
               rules: list[Rule], view: View | None = None, fixes: bool = True) -> list[Diagnostic]:
    """Every enabled rule; a RecursionError escapes (the caller retries with a deeper stack)."""
    try:
        own = library_package(filename)
        if own is not None and not reaches_outside(tree, text, own, settings.extra_backend_aliases):
            return []  # a Keras library's module that imports only itself (or unrelated packages)
        ctx = Context(tree, text, settings, filename, own, view, fixes=fixes)
    except RecursionError:
        raise
    except Exception as exc:  # noqa: BLE001 - containment is the point
        return [internal_error("the analysis setup", exc)]
    found: list[Diagnostic] = []
    try:
        for rule in needed(rules, ctx):  # enabled and for the target (rules_for); the check may be gone (a stand-in)
            if rule.check is None:
                continue
            try:
                found.extend(_run_rule(rule, ctx))
            except RecursionError:
                raise
            # A front-end's time limit (keras_compat.limits.TimeLimitExceeded) is not an Exception: it stops
            # the whole file, never only the rule it interrupted.
            except Exception as exc:  # noqa: BLE001 - one rule's bug must not hide the others' findings
                found.append(internal_error(f"rule {rule.code}", exc))
    finally:
        ctx.release()
    return found


def needed(rules: list[Rule], ctx: Context) -> list[Rule]:
    """The rules whose words the module has (:attr:`Rule.needs`, a :class:`~keras_compat.registry.Words`): a rule
    that cannot report without a ``def`` or an attribute of some name is not run where the module has none (most
    modules define no ``call`` or ``get_updates``), which saves its pass over the module's classes and nodes.
    The function names are gathered once per module; the attribute names are the context's index's."""
    global _last_words
    last = _last_words
    if last[0] is not rules:  # (the same list for every module of a run: rules_for keeps it)
        last = _last_words = rules, [(index, rule.needs) for index, rule in enumerate(rules) if rule.needs is not None]
    declared = last[1]
    if not declared:
        return rules
    defined, attributes = frozenset(map(_NAME, ctx.functions)), ctx.attribute_names()
    keep: list[bool] | None = None
    for index, needs in declared:
        if not needs.met(defined, attributes):
            if keep is None:
                keep = [True] * len(rules)
            keep[index] = False
    return rules if keep is None else list(compress(rules, keep))


#: The rule list :func:`needed` saw last, and the positions and words of its rules that declare words.
_last_words: tuple[list[Rule] | None, list[tuple[int, Words]]] = (None, [])


def _run_deep(tree: ast.Module, text: str, filename: str, settings: Settings,
              rules: list[Rule], fixes: bool = True) -> list[Diagnostic]:
    """:func:`_run_rules` in a thread with a large stack and a raised recursion limit (deeply nested code)."""
    outcome: list[list[Diagnostic]] = []

    def target() -> None:
        try:
            outcome.append(_run_rules(tree, text, filename, settings, rules, fixes=fixes))
        except RecursionError:
            pass

    old_limit = sys.getrecursionlimit()
    try:
        old_stack = threading.stack_size(DEEP_STACK_BYTES)
        try:
            thread = threading.Thread(target=target, name="keras-compat-deep", daemon=True)
            sys.setrecursionlimit(max(old_limit, DEEP_RECURSION_LIMIT))
            thread.start()
        finally:
            threading.stack_size(old_stack)
        try:
            thread.join()
        except BaseException:  # the time limit (or Ctrl-C) stopped the wait: stop the analysis as well
            _stop_thread(thread)
            raise
    except (RuntimeError, ValueError, MemoryError):  # no threads, or no stack that large: report below
        pass
    finally:
        sys.setrecursionlimit(old_limit)
    if outcome:
        return outcome[0]
    reason = "the code is nested too deeply to analyse"
    if not settings.enabled(UNPARSABLE):
        return []
    return [Diagnostic(UNPARSABLE, REGISTRY[UNPARSABLE].render(reason=reason), 1, 0, 1, 0, None,
                       {"reason": reason})]


def _stop_thread(thread: threading.Thread) -> None:
    """Raise ``SystemExit`` in ``thread`` at its next bytecode (which ends a thread quietly), so that an
    analysis whose caller gave up does not go on using the CPU in the background."""
    import ctypes

    if thread.ident is not None and thread.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(SystemExit))
