"""The text gate: a module that never mentions these names cannot contain a finding of its own.

Besides the libraries, the gate lets through the method names that only Keras models have (KC204's
``fit_generator``, ``evaluate_generator``, ``predict_generator``, ``predict_classes``): a training module that
receives the model as a parameter may import nothing of Keras and still call them.

Such a module is neither parsed nor analysed unless it imports a module of its project (which may hand it
a Keras class or ``K``: ``keras_compat.project.may_reach_project``), and a plugin that sees only such
modules never loads the analysis at all (most files an editor or CI run hands flake8 and pylint have
nothing to do with Keras).
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

#: The library names a module must mention, in any case, to hold a finding: Keras, TensorFlow and the old
#: Keras backends (KC105). The project index's byte gate reads the same names.
LIBRARY_NAMES = ("keras", "tensorflow", "theano", "cntk")
RELEVANT = re.compile("|".join(LIBRARY_NAMES), re.IGNORECASE)
#: Calls of the methods only Keras models have (``knowledge.keras_only_methods``), looked for only in the rare
#: text that contains one of the plain substrings (a second alternation in RELEVANT costs ~18% on every file);
#: compiled then (by ``re``'s cache), not at every start.
#: Python allows blanks between the dot and the name, and inside brackets also line breaks and comments
#: (``model. fit_generator``, ``(model.  # old API`` + newline + ``fit_generator(g))``), and a backslash
#: continuation anywhere.
KERAS_METHODS = (r"\.(?:[ \t\f\r\n]|\\\r?\n|\\\r|#[^\r\n]*)*"
                 r"(?:fit_generator|evaluate_generator|predict_generator|predict_classes)\b")


#: The last text :func:`relevant` and :func:`imported_roots` read, with the answer: the plugins ask the gate and
#: then the engine about one text (the same object), and a module that does not mention Keras is read whole by
#: each question. (One entry, a tuple replaced at once: no lock, and it keeps only the last text alive.)
_last_relevant: tuple[str | None, bool] = (None, False)
_last_roots: tuple[str | None, tuple[str, ...]] = (None, ())


def relevant(text: str) -> bool:
    """Whether ``text`` may hold a finding (it names Keras, TensorFlow, an old Keras backend, or calls a method
    only Keras models have)."""
    global _last_relevant
    last = _last_relevant
    if last[0] is text:
        return last[1]
    answer = names_library(text) or calls_keras_methods(text)
    _last_relevant = text, answer
    return answer


def names_library(text: str) -> bool:
    """Whether :data:`RELEVANT` finds a name in ``text``. Its case-insensitive search costs dozens of
    instructions a character, on every file a host hands the plugin; plain substring searches cost about one:
    the usual spellings first, then (ASCII text, where ignoring case is lowering it) the lowered text. Other
    text takes the expression itself (ignoring case, the Kelvin sign is a ``k`` and the long s an ``s``)."""
    if "keras" in text or "tensorflow" in text:
        return True
    return mentions_any(text, LIBRARY_NAMES, RELEVANT)


def mentions_any(text: str, words: tuple[str, ...], pattern: str | re.Pattern[str]) -> bool:
    """``re.search(pattern, text)`` for a case-insensitive alternation ``pattern`` of the lower-case ``words``:
    plain substring searches in the lowered text when it is ASCII (where lowering is exactly the pattern's
    case folding, and costs about an instruction a character against dozens), the pattern itself otherwise.
    Shared by the text gate and the switch tests of :mod:`keras_compat.guards`."""
    if text.isascii():
        lowered = text.lower()
        return any(word in lowered for word in words)
    return re.search(pattern, text) is not None


def calls_keras_methods(text: str) -> bool:
    """Whether ``text`` calls a method only Keras models have (``model.fit_generator``), spelled as Python reads
    it (:func:`identifiers`: ``model.ｆit_generator`` is that call too)."""
    text = identifiers(text)
    return ("_generator" in text or "predict_classes" in text) and re.search(KERAS_METHODS, text) is not None


def identifiers(text: str) -> str:
    """``text`` as Python reads its identifiers: NFKC-normalised (``ﬁt_generator`` is ``fit_generator``);
    ASCII text is that already."""
    if text.isascii():
        return text
    import unicodedata  # only for non-ASCII text

    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=1)
def import_roots() -> re.Pattern[str]:
    """The top-level module of each import statement (``.`` for a relative one), read from the text with a
    newline put in front: each match starts at the newline before its line. (A pattern that starts with a
    literal is searched for that character first; one that starts with a multi-line ``^`` is tried at every
    position: 16.5 M against 1.9 M instructions on the user corpus's 162 files that do not mention Keras.)"""
    return re.compile(r"\n[ \t]*(?:from[ \t]+(\.|[A-Za-z_]\w*)|import[ \t]+([A-Za-z_]\w*))")


def imported_roots(text: str) -> tuple[str, ...]:
    """The top-level module of each import statement of ``text``, in order (``.`` for a relative import), as
    :func:`import_roots` reads them (remembered for the last text: see :data:`_last_roots`)."""
    global _last_roots
    last = _last_roots
    if last[0] is text:
        return last[1]
    roots = tuple([first or second for first, second in import_roots().findall("\n" + text)])
    _last_roots = text, roots
    return roots


def may_import_project(text: str) -> bool:
    """Whether a module imports something relative or outside the standard library: only then can its
    project give it something Keras (the precise test, which looks at the project's files, is
    ``keras_compat.project.may_reach_project``; this one only saves loading the analysis for the others)."""
    stdlib = sys.stdlib_module_names
    for root in imported_roots(text):
        if root == "." or (root not in stdlib and root not in ("__future__", "builtins")):
            return True
    return False


def worth_loading(text: str, project: bool) -> bool:
    """Whether a host should load the analysis for ``text``: it mentions Keras, or (with the project index on)
    it imports something its project may pass Keras through. A superset of what the engine analyses, so the
    findings are the engine's either way; the plugins only save the import for the other files."""
    return relevant(text) or (project and may_import_project(text))
