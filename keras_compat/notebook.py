"""Jupyter notebooks (``.ipynb``): read, turn the code cells into one module, map positions back, splice fixes.

The notebook is analysed as one module, the way it runs top to bottom: the code cells are concatenated
in order (imports in an early cell resolve names in later cells). Every code cell keeps its own lines, so
a position in the module maps back to ``(cell, line in cell, column)`` with :class:`Module.locate`; a
comment line ``#kc-cell:N`` ends each cell in the module, which lets fixed text be split back into cells.

* **Reading** needs only the standard library: the JSON is parsed with :mod:`json` and its cells read as
  nbformat 4 lays them out (format 3 notebooks from their worksheets; they are checked, not fixed). When
  the optional ``nbformat`` package is installed (``pip install 'keras-compat[notebook]'``), the notebook
  is also validated against its schema, and a mismatch is a warning (it is checked anyway). Notebooks
  whose kernel language is not Python are not analysed.
* **Cells numbers** are 1-based indexes among *all* cells (markdown and raw cells count), as ruff prints
  them (``notebook.ipynb:cell 3:12:5``).
* **IPython syntax** is masked line by line, only in a cell that does not parse as it is, and only at the
  start of a logical line (never inside brackets or strings): line magics (``%matplotlib inline``), shell
  escapes (``!pip install keras==2.2.4``), help (``model.fit?``, ``?model``), the autocall escapes
  ``/ , ;``, assignments from magics (``files = !ls``) and their backslash continuation lines. A masked
  line becomes ``pass`` (or ``None`` after ``x =``) plus a marker comment, with its indentation kept, so
  every other line and column of the cell is unchanged. ``%%time``, ``%%timeit``, ``%%capture`` and
  ``%%prun`` cells are Python after their first line; any other cell magic (``%%bash``, ``%%writefile``,
  ``%%html`` ...) makes the whole cell non-Python, and it is skipped. As a last resort, a line that is not
  Python and starts with an automagic command name (``pip install x``, ``cd data``) is masked too.
* **A cell that still does not parse** is reported once (KC001 at the error) and left out of the module
  (its lines are blank there), so it cannot hide the findings of the other cells.
* **Fixes** are spliced into the original JSON text: only the ``source`` value of a changed cell is
  rewritten (in its original form: a list of lines or one string, with the same layout and escaping), so
  every other byte of the file (key order, indentation, outputs, metadata, ids, the final newline) stays
  as it was.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from bisect import bisect_right
from dataclasses import dataclass, field
from json.decoder import scanstring

from keras_compat.diagnostics import Diagnostic, Edit
from keras_compat.source import SourceError, parse, physical_lines

#: Cell magics whose body (after the first line) is Python that runs in the notebook's namespace.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
#: IPython's automagic commands (usable without ``%``); a non-Python line starting with one is masked.
AUTOMAGICS = frozenset("""
alias alias_magic autoawait autocall automagic bookmark cd colors conda config debug dhist dirs
doctest_mode edit env gui history killbgscripts load load_ext loadpy logoff logon logstart logstate logstop
lsmagic macro magic mamba matplotlib micromamba notebook page pastebin pdb pdef pdoc pfile pinfo pinfo2 pip
popd pprint precision prun psearch psource pushd pwd pycat pylab quickref recall rehashx reload_ext rerun
reset reset_selective run save sc set_env sx system tb time timeit unalias unload_ext who who_ls whos xdel
xmode
""".split())

CELL_END = "#kc-cell:{}\n"
_CELL_END = re.compile(r"^#kc-cell:(\d+)\n", re.MULTILINE)
_ESCAPES = ("%", "!", "?", "/", ",", ";")
_ASSIGN = re.compile(r"^([ \t]*[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*[ \t]*=[ \t]*)(?=[%!])")
_HELP_END = re.compile(r"^[ \t]*%{0,2}[A-Za-z_][\w.]*\?{1,2}[ \t]*$")
_FIRST_WORD = re.compile(r"^[ \t]*([A-Za-z_]\w*)(?:[ \t]|$)")
_IMPORT_LINE = re.compile(r"^(?:import|from)[ \t][^\r\n]*(?:\r\n|\n|\r)$")


class NotebookError(Exception):
    """The file cannot be read as a notebook (or a fix cannot be written back); the message says why."""


# -- reading ------------------------------------------------------------------------------------------

@dataclass
class Cell:
    """One cell: ``number`` is its 1-based index among all cells."""

    number: int
    cell_type: str
    source: str


@dataclass
class SourceSpan:
    """Where one cell's ``source`` value is in the JSON text: the value and each string token in it."""

    start: int
    end: int
    is_list: bool
    tokens: list[tuple[int, int, str]]  # (raw start, raw end, decoded text) of each string


@dataclass
class Notebook:
    text: str  # the decoded JSON text
    cells: list[Cell]
    bom: bool = False
    language: str = "python"
    spans: list[SourceSpan] | None = None  # None: the layout is unknown (cannot be fixed)
    why_not_fixable: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def is_python(self) -> bool:
        return self.language.lower() in ("python", "python2", "python3", "ipython", "")


def _validate(nb: dict, major: int) -> list[str]:
    """Schema problems as warnings, when the optional nbformat package is installed (else none)."""
    try:
        import nbformat
    except ImportError:
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.validate(nbformat.from_dict(nb))
    except nbformat.ValidationError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        return [f"the notebook does not match the nbformat {major} schema ({first}); checked anyway"]
    except Exception:  # noqa: BLE001,S110 - an unknown version etc.: reading decides
        pass
    return []


def _joined(value: object) -> object:
    """A cell's source as nbformat stores it: one string, or a list of strings joined."""
    if isinstance(value, list):
        return "".join(s for s in value if isinstance(s, str))
    return value


def _raw_cells(nb: dict, major: int) -> list[object]:
    """The cells in order: ``cells`` (nbformat 4), or every worksheet's cells (nbformat 3 and 2), with a
    v3 code cell's ``input`` as its source, as ``nbformat.convert`` does."""
    if major >= 4:
        cells = nb.get("cells")
        if not isinstance(cells, list):
            raise NotebookError("not a notebook: no 'cells' list")
        return cells
    worksheets = nb.get("worksheets")
    if not isinstance(worksheets, list):
        raise NotebookError(f"cannot read an nbformat {major} notebook: no 'worksheets' list")
    cells: list[object] = []
    for sheet in worksheets:
        found = sheet.get("cells") if isinstance(sheet, dict) else None
        if not isinstance(found, list):
            raise NotebookError(f"cannot read an nbformat {major} notebook: a worksheet has no 'cells' list")
        for raw in found:
            if isinstance(raw, dict) and raw.get("cell_type") == "code" and "source" not in raw:
                raw = {**raw, "source": raw.get("input", "")}
            cells.append(raw)
    return cells


def _language(metadata: dict) -> str:
    info = metadata.get("language_info") or {}
    kernel = metadata.get("kernelspec") or {}
    name = info.get("name") if isinstance(info, dict) else None
    name = name or (kernel.get("language") if isinstance(kernel, dict) else None)
    return name if isinstance(name, str) else ""


def read(data: bytes) -> Notebook:
    """Read a notebook with the standard library (raises :class:`NotebookError` when it cannot be read at
    all); nbformat, when installed, only adds schema warnings."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"cannot decode notebook as UTF-8 (byte {exc.start})") from None
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"not a notebook: invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") \
            from None
    except RecursionError:
        raise NotebookError("not a notebook: the JSON is nested too deeply") from None
    major = nb.get("nbformat") if isinstance(nb, dict) else None
    if not isinstance(nb, dict) or not isinstance(major, int) or isinstance(major, bool):
        raise NotebookError("not a notebook: no 'nbformat' version")
    if major < 2:
        raise NotebookError(f"cannot read an nbformat {major} notebook (save it as nbformat 4 first)")
    notes = _validate(nb, major)
    why = "" if major >= 4 else \
        f"nbformat {major} notebooks are checked but not fixed (save it as nbformat 4 first)"
    cells = []
    for number, raw in enumerate(_raw_cells(nb, major), start=1):
        if not isinstance(raw, dict):
            raise NotebookError(f"not a notebook: cell {number} is not an object")
        cell_type = str(raw.get("cell_type", ""))
        source = _joined(raw.get("source", ""))
        if not isinstance(source, str):
            raise NotebookError(f"not a notebook: cell {number} has no source text")
        cells.append(Cell(number, "markdown" if cell_type == "heading" else cell_type, source))
    metadata = nb.get("metadata")
    notebook = Notebook(text, cells, bom, _language(metadata if isinstance(metadata, dict) else {}),
                        warnings=notes)
    if why:
        notebook.why_not_fixable = why
    else:
        try:
            spans = locate_sources(text)
        except (ValueError, IndexError) as exc:
            spans, notebook.why_not_fixable = None, f"the JSON layout was not understood ({exc})"
        if spans is not None and (len(spans) != len(cells) or any(
                "".join(t[2] for t in span.tokens) != cell.source for span, cell in zip(spans, cells))):
            spans, notebook.why_not_fixable = None, "the JSON layout was not understood"
        notebook.spans = spans
    return notebook


# -- the JSON text: where each cell's source is --------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _ws(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]


def _expect(text: str, i: int, char: str) -> int:
    if text[i] != char:
        raise ValueError(f"expected {char!r} at offset {i}")
    return i + 1


def _members(text: str, i: int):  # type: ignore[no-untyped-def]
    """Yield ``(key, value offset)`` for each member of the object at ``i``; the caller must move the
    returned cursor past the value by sending the offset after it."""
    i = _ws(text, _expect(text, _ws(text, i), "{"))
    if text[i] == "}":
        return i + 1
    while True:
        key, i = scanstring(text, _expect(text, i, '"'))
        i = _ws(text, _expect(text, _ws(text, i), ":"))
        i = yield key, i
        i = _ws(text, i)
        if text[i] == ",":
            i = _ws(text, i + 1)
            continue
        return _expect(text, i, "}")


def _walk_object(text: str, i: int, visit) -> int:  # type: ignore[no-untyped-def]
    """Walk the object at ``i``: ``visit(key, offset)`` returns the offset after the value, or None to
    skip the value. Returns the offset after the object."""
    members = _members(text, i)
    try:
        key, at = next(members)
        while True:
            end = visit(key, at)
            if end is None:
                end = _DECODER.raw_decode(text, at)[1]
            key, at = members.send(end)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


def _string(text: str, i: int) -> tuple[int, int, str]:
    value, end = scanstring(text, _expect(text, i, '"'))
    return i, end, value


def _source(text: str, i: int) -> SourceSpan:
    if text[i] == '"':
        token = _string(text, i)
        return SourceSpan(i, token[1], False, [token])
    j = _ws(text, _expect(text, i, "["))
    tokens = []
    if text[j] != "]":
        while True:
            token = _string(text, j)
            tokens.append(token)
            j = _ws(text, token[1])
            if text[j] == ",":
                j = _ws(text, j + 1)
                continue
            break
    j = _expect(text, j, "]")
    return SourceSpan(i, j, True, tokens)


def locate_sources(text: str) -> list[SourceSpan] | None:
    """The span of every cell's ``source`` in the JSON text, in cell order (None: no ``cells`` list)."""
    result: list[list[SourceSpan]] = []

    def top(key: str, at: int) -> int | None:
        if key != "cells":
            return None
        spans: list[SourceSpan] = []
        j = _ws(text, _expect(text, at, "["))
        while text[j] != "]":
            mine: list[SourceSpan] = []

            def cell(key: str, at: int) -> int | None:
                if key != "source":
                    return None
                mine.append(_source(text, at))
                return mine[-1].end

            j = _ws(text, _walk_object(text, j, cell))
            if len(mine) != 1:
                raise ValueError("a cell without exactly one 'source'")
            spans.append(mine[0])
            if text[j] == ",":
                j = _ws(text, j + 1)
        result.append(spans)
        return j + 1

    _walk_object(text, 0, top)
    return result[-1] if result else None


def _raw_offset(text: str, token_start: int, index: int) -> int:
    """Offset in ``text`` of decoded character ``index`` of the JSON string starting at ``token_start``."""
    i = token_start + 1
    for _ in range(index):
        if text[i] == "\\":
            if text[i + 1] == "u":
                code = int(text[i + 2:i + 6], 16)
                i += 6
                if 0xD800 <= code < 0xDC00 and text.startswith("\\u", i):
                    i += 6  # a surrogate pair is one character
            else:
                i += 2
        else:
            i += 1
    return i


# -- masking IPython syntax -----------------------------------------------------------------------------

def _split_end(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body):]


class _Lexer:
    """Tracks brackets, strings and backslash continuations to know where logical lines start."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: str | None = None
        self.raw = False
        self.cont = False

    @property
    def at_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.cont

    def feed(self, line: str) -> None:
        self.cont = False
        i, n = 0, len(line)
        while i < n:
            if self.quote is not None:
                j = i
                while j < n and not line.startswith(self.quote, j):
                    j += 2 if line[j] == "\\" and not self.raw else 1
                if j >= n:
                    if len(self.quote) == 1 and not line.endswith("\\"):
                        self.quote = None  # an unterminated string: the parser will say so
                    return
                i = j + len(self.quote)
                self.quote = None
                continue
            c = line[i]
            if c == "#":
                return
            if c in "'\"":
                k = i
                while k > 0 and line[k - 1].isalpha():
                    k -= 1
                self.raw = "r" in line[k:i].lower()
                self.quote = c * 3 if line.startswith(c * 3, i) else c
                i += len(self.quote)
                continue
            if c in "([{":
                self.depth += 1
            elif c in ")]}":
                self.depth = max(0, self.depth - 1)
            elif c == "\\" and i == n - 1:
                self.cont = True
            i += 1


def _is_escape(body: str) -> bool:
    stripped = body.lstrip()
    return bool(stripped) and (stripped.startswith(_ESCAPES) or bool(_HELP_END.match(body)))


def _is_automagic(body: str) -> bool:
    match = _FIRST_WORD.match(body)
    if not match or match.group(1) not in AUTOMAGICS:
        return False
    try:
        ast.parse(body.strip())
    except SyntaxError:
        return True
    return False


@dataclass
class Masked:
    """A code cell as the analysis sees it."""

    status: str  # "python" | "skipped" (a non-Python cell magic) | "broken" (does not parse) | "empty"
    text: str  # the cell's source with IPython syntax masked (python), else the original source
    placeholders: dict[str, str] = field(default_factory=dict)  # placeholder line -> original line
    error: SourceError | None = None
    why: str = ""


def _mask_lines(lines: list[str], start: int, counter: list[int],
                automagic: bool) -> tuple[list[str], dict[str, str]]:
    out = list(lines)
    placeholders: dict[str, str] = {}
    lexer = _Lexer()

    def marker() -> str:
        counter[0] += 1
        return f"#kc-magic:{counter[0]}"

    i = start
    while i < len(lines):
        body, end = _split_end(lines[i])
        assign = _ASSIGN.match(body) if lexer.at_start else None
        if lexer.at_start and (assign or _is_escape(body) or (automagic and _is_automagic(body))):
            if assign:
                new = f"{assign.group(1)}None  {marker()}"
            else:
                indent = body[:len(body) - len(body.lstrip())]
                new = f"{indent}pass  {marker()}"
            placeholders[new] = body
            out[i] = new + end
            while body.endswith("\\") and i + 1 < len(lines):
                i += 1
                body, end = _split_end(lines[i])
                new = marker()
                placeholders[new] = body
                out[i] = new + end
            i += 1
            continue
        lexer.feed(body)
        i += 1
    return out, placeholders


def mask(source: str, counter: list[int] | None = None) -> Masked:
    """Mask IPython syntax in one code cell (see the module docstring)."""
    counter = counter if counter is not None else [0]
    if not source.strip():
        return Masked("empty", source)
    try:
        parse(source)
        return Masked("python", source)
    except SourceError:
        pass
    lines = physical_lines(source)
    first = next(i for i, line in enumerate(lines) if line.strip())
    start = 0
    head: dict[str, str] = {}
    if lines[first].lstrip().startswith("%%"):
        name = re.match(r"%%([\w.-]*)", lines[first].lstrip()).group(1)  # type: ignore[union-attr]
        if name not in PYTHON_CELL_MAGICS:
            return Masked("skipped", source, why=f"%%{name} cell")
        body, end = _split_end(lines[first])
        counter[0] += 1
        new = f"pass  #kc-magic:{counter[0]}"
        head[new] = body
        lines = [*lines[:first], new + end, *lines[first + 1:]]
        start = first + 1
    error: SourceError | None = None
    for automagic in (False, True):
        out, placeholders = _mask_lines(lines, start, counter, automagic)
        text = "".join(out)
        try:
            parse(text)
        except SourceError as exc:
            error = error or exc
            continue
        return Masked("python", text, {**head, **placeholders})
    return Masked("broken", source, error=error)


def unmask(text: str, placeholders: dict[str, str]) -> str:
    """Put the original IPython lines back (each placeholder must still be there exactly once)."""
    if not placeholders:
        return text
    used: set[str] = set()
    out = []
    for line in physical_lines(text):
        body, end = _split_end(line)
        if body in placeholders:
            if body in used:
                raise NotebookError("a fix duplicated a masked IPython line")
            used.add(body)
            out.append(placeholders[body] + end)
        else:
            if "#kc-magic:" in body:
                raise NotebookError("a fix changed a masked IPython line")
            out.append(line)
    if len(used) != len(placeholders):
        raise NotebookError("a fix removed a masked IPython line")
    return "".join(out)


# -- the module -------------------------------------------------------------------------------------------

@dataclass
class CodeCell:
    cell: Cell
    masked: Masked
    added_newline: bool  # the source does not end with a newline; the module adds one
    start: int = 0  # first line in the module
    lines: int = 0  # physical lines of the cell in the module (without the end marker)

    @property
    def module_text(self) -> str:
        """What this cell contributes to the module: masked Python, or blank lines for other cells."""
        if self.masked.status == "python":
            return self.masked.text + ("\n" if self.added_newline else "")
        return "\n" * self.lines

    @property
    def display_text(self) -> str:
        return self.cell.source + ("\n" if self.added_newline else "")


@dataclass
class Module:
    """The code cells of a notebook as one module (``text``) plus the map back to cells."""

    notebook: Notebook
    code_cells: list[CodeCell]
    text: str
    display: str  # the same lines with the original cell sources (for source excerpts)

    @property
    def starts(self) -> list[int]:
        return [c.start for c in self.code_cells]

    def locate(self, line: int) -> tuple[int, int]:
        """``(cell number, line in the cell)`` of a module line (end markers count as one line past)."""
        if not self.code_cells:
            return 1, line
        index = max(0, bisect_right(self.starts, line) - 1)
        cell = self.code_cells[index]
        return cell.cell.number, max(1, line - cell.start + 1)

    def cell_map(self) -> tuple[tuple[int, int, int], ...]:
        return tuple((c.start, c.cell.number, c.lines) for c in self.code_cells)

    def errors(self, enabled: bool = True) -> list[Diagnostic]:
        """One KC001 for every code cell that does not parse (at the error, in module lines)."""
        from keras_compat.engine import UNPARSABLE
        from keras_compat.registry import REGISTRY

        out = []
        for c in self.code_cells:
            if c.masked.status != "broken" or not enabled:
                continue
            error = c.masked.error
            assert error is not None
            reason = f"{error.message} (in this cell, which is skipped; the other cells are checked)"
            line = c.start + min(max(error.line, 1), max(c.lines, 1)) - 1
            out.append(Diagnostic(UNPARSABLE, REGISTRY[UNPARSABLE].render(reason=reason), line, error.col,
                                  line, error.col, None, {"reason": reason}))
        return out

    def split(self, text: str) -> dict[int, str]:
        """New sources of the Python cells that ``text`` (the fixed module) changes, by cell number."""
        pieces = _CELL_END.split(text)
        numbers = [int(n) for n in pieces[1::2]]
        if numbers != [c.cell.number for c in self.code_cells] or pieces[-1] != "":
            raise NotebookError("a fix crossed a cell boundary")
        changed: dict[int, str] = {}
        for c, new in zip(self.code_cells, pieces[0::2]):
            old = c.module_text
            if new == old:
                continue
            if c.masked.status != "python":
                raise NotebookError(f"a fix would change cell {c.cell.number}, which is not analysed")
            if c.added_newline:
                new = new[:-1] if new.endswith("\n") else new
            changed[c.cell.number] = unmask(new, c.masked.placeholders)
        return changed


def build(notebook: Notebook) -> Module:
    """Concatenate the code cells (masked) into one module."""
    counter = [0]
    code_cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        masked = mask(cell.source, counter)
        added = bool(cell.source) and not cell.source.endswith(("\n", "\r"))
        code_cells.append(CodeCell(cell, masked, added))
    parts, display, line = [], [], 1
    for c in code_cells:
        c.start = line
        c.lines = len(physical_lines(c.display_text))
        marker = CELL_END.format(c.cell.number)
        parts += [c.module_text, marker]
        display += [c.display_text, marker]
        line += c.lines + 1
    return Module(notebook, code_cells, "".join(parts), "".join(display))


# -- imports added by fixes go to the first code cell with imports -------------------------------------

def _core_insertion_line(tree: ast.Module) -> int | None:
    body = tree.body
    index = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and \
            isinstance(body[0].value.value, str):
        index = 1
    while index < len(body) and isinstance(body[index], ast.ImportFrom) and body[index].module == "__future__":
        index += 1
    if index >= len(body):
        return None
    stmt = body[index]
    decorators = getattr(stmt, "decorator_list", None) or []
    return min([stmt.lineno, *(d.lineno for d in decorators)])


def relocate_imports(text: str, found: list[Diagnostic]) -> list[Diagnostic]:
    """Move import insertions the core puts before the module's first statement to the first top-level
    import (the first code cell with imports), when no other edit comes before that import."""
    candidates = [d for d in found if d.fix is not None and any(
        e.line == e.end_line and e.col == e.end_col == 0 and _IMPORT_LINE.match(e.content) for e in d.fix.edits)]
    if not candidates:
        return found
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return found
    first_import = next((s.lineno for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))
                         and not (isinstance(s, ast.ImportFrom) and s.module == "__future__")), None)
    core = _core_insertion_line(tree)
    if first_import is None or core is None or first_import <= core:
        return found

    def moved(e: Edit) -> bool:
        return e.line == core and e.end_line == core and e.col == e.end_col == 0 and bool(
            _IMPORT_LINE.match(e.content))

    others = [e for d in found if d.fix is not None for e in d.fix.edits if not moved(e)]
    if any((e.line, e.col) < (first_import, 0) for e in others):
        return found
    out = []
    from dataclasses import replace

    for d in found:
        if d.fix is not None and any(moved(e) for e in d.fix.edits):
            edits = tuple(Edit.insert(first_import, 0, e.content) if moved(e) else e for e in d.fix.edits)
            d = replace(d, fix=replace(d.fix, edits=edits))
        out.append(d)
    return out


# -- writing fixed sources back --------------------------------------------------------------------------

def _lines_of(source: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+\Z", source)


def splice(notebook: Notebook, sources: dict[int, str]) -> str:
    """The notebook text with the ``source`` of the given cells (by number) replaced, nothing else."""
    if notebook.spans is None:
        raise NotebookError(notebook.why_not_fixable or "the JSON layout was not understood")
    text = notebook.text
    ensure_ascii = text.isascii() and "\\u" in text
    pieces, last = [], 0
    for number in sorted(sources):
        span = notebook.spans[number - 1]
        new = sources[number]
        if span.is_list:
            raw_of: dict[str, str] = {}
            for start, end, value in span.tokens:
                raw_of.setdefault(value, text[start:end])
            tokens = [raw_of.get(line) or json.dumps(line, ensure_ascii=ensure_ascii) for line in _lines_of(new)]
            value = "[" + _layout(text, span, tokens) + "]"
        else:
            value = json.dumps(new, ensure_ascii=ensure_ascii)
        pieces += [text[last:span.start], value]
        last = span.end
    pieces.append(text[last:])
    return "".join(pieces)


def _layout(text: str, span: SourceSpan, tokens: list[str]) -> str:
    """Join string tokens with the whitespace the original array used."""
    if not tokens:
        return ""
    old = span.tokens
    if old:
        opening = text[span.start + 1:old[0][0]]
        closing = text[old[-1][1]:span.end - 1]
        separator = text[old[0][1]:old[1][0]] if len(old) > 1 else "," + opening
    else:
        line_start = text.rfind("\n", 0, span.start) + 1
        indent = re.match(r"[ \t]*", text[line_start:]).group(0)  # type: ignore[union-attr]
        unit = re.search(r"\n([ \t]+)\S", text)
        step = unit.group(1)[:1] if unit else " "
        opening, closing = "\n" + indent + step, "\n" + indent
        separator = "," + opening
    return opening + separator.join(tokens) + closing


def position_in_file(notebook: Notebook, number: int, source: str, line: int, col: int) -> tuple[int, int] | None:
    """(1-based line, 0-based character column) in the ``.ipynb`` text of a position in a cell's source."""
    if notebook.spans is None or not 1 <= number <= len(notebook.spans):
        return None
    span = notebook.spans[number - 1]
    lines = physical_lines(source)
    if line > len(lines):
        offset = len(source)
    else:
        offset = sum(len(x) for x in lines[:line - 1]) + min(col, len(lines[line - 1].rstrip("\r\n")))
    text = notebook.text
    raw = None
    seen = 0
    for start, _end, value in span.tokens:
        if offset < seen + len(value) or (offset == seen + len(value) and start == span.tokens[-1][0]):
            raw = _raw_offset(text, start, offset - seen)
            break
        seen += len(value)
    if raw is None:
        raw = span.start
    line_start = text.rfind("\n", 0, raw) + 1
    return text.count("\n", 0, raw) + 1, raw - line_start
