"""Regenerate ``keras_compat/data/defaults.py`` (KC210) from the signatures of the real Keras releases.

Usage: ``python scripts/generate_changed_defaults.py [--check]``

Downloads keras 1.2.2, 2.2.4, 2.3.0, 2.3.1, tf-keras 2.15.0 and keras 3.15.1 once with ``pip download
--no-deps`` into the test download cache (``KERAS_COMPAT_TEST_CACHE``, default ``~/.cache/keras-compat-tests``),
parses (never imports) the constructors listed in :data:`SPECS` and writes one entry for every parameter whose
multi-backend default (Keras 2.2.4) differs from tf-keras 2.15's or Keras 3's. ``--check`` only reports whether
the shipped table is current (exit 1 when stale); ``tests/test_changed_defaults_table.py`` runs the same check.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.pypi import fetch  # noqa: E402

TABLE = ROOT / "keras_compat" / "data" / "defaults.py"

#: (distribution, version, package directory): the multi-backend releases first, then the two targets.
K1, K224, K230, K231, TFK, K3 = (("keras", "1.2.2", "keras"), ("keras", "2.2.4", "keras"), ("keras", "2.3.0", "keras"),
                                 ("keras", "2.3.1", "keras"), ("tf-keras", "2.15.0", "tf_keras"),
                                 ("keras", "3.15.1", "keras"))
MULTI_BACKEND = (K1, K224, K230, K231)

_REC, _CONVREC, _OPT = "layers/recurrent.py", "layers/convolutional_recurrent.py", "optimizers.py"


def _modern(name: str) -> dict[tuple[str, str, str], str]:
    return {TFK: f"src/{name}", K3: f"src/{name}"}


#: (flavour-free path, class, {release: file under the package}, (parameter, older names)) per constructor.
#: Keras 1.2.2 had no LSTMCell/GRUCell; its LSTM/GRU called the recurrent activation ``inner_activation``.
_RECURRENT = ("recurrent_activation", ("inner_activation",))
_RESET = ("reset_after", ())
_LR = ("learning_rate", ("lr",))
SPECS: tuple[tuple[str, str, dict[tuple[str, str, str], str], tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    ("layers.LSTM", "LSTM", {K1: _REC, K224: _REC, K230: _REC, K231: _REC, **_modern("layers/rnn/lstm.py")},
     (_RECURRENT,)),
    ("layers.GRU", "GRU", {K1: _REC, K224: _REC, K230: _REC, K231: _REC, **_modern("layers/rnn/gru.py")},
     (_RECURRENT, _RESET)),
    ("layers.LSTMCell", "LSTMCell", {K224: _REC, K230: _REC, K231: _REC, **_modern("layers/rnn/lstm.py")},
     (_RECURRENT,)),
    ("layers.GRUCell", "GRUCell", {K224: _REC, K230: _REC, K231: _REC, **_modern("layers/rnn/gru.py")},
     (_RECURRENT, _RESET)),
    ("layers.ConvLSTM2D", "ConvLSTM2D", {K1: _CONVREC, K224: _CONVREC, K230: _CONVREC, K231: _CONVREC,
                                         **_modern("layers/rnn/conv_lstm2d.py")}, (_RECURRENT,)),
    *((f"optimizers.{name}", name, {K1: _OPT, K224: _OPT, K230: _OPT, K231: _OPT,
                                    **_modern(f"optimizers/{module}.py")}, (_LR,))
      for name, module in (("SGD", "sgd"), ("RMSprop", "rmsprop"), ("Adagrad", "adagrad"), ("Adadelta", "adadelta"),
                           ("Adam", "adam"), ("Adamax", "adamax"), ("Nadam", "nadam"))),
)


def release_dir(release: tuple[str, str, str]) -> Path:
    """The directory of the importable package of ``release`` (an sdist unpacks into ``Keras-<version>/``)."""
    distribution, version, package = release
    unpacked = fetch(distribution, version)
    for candidate in (unpacked / package, *(p / package for p in sorted(unpacked.iterdir()) if p.is_dir())):
        if (candidate / "__init__.py").is_file():
            return candidate
    raise SystemExit(f"no {package}/__init__.py under {unpacked}")


def _class(tree: ast.Module, name: str) -> ast.ClassDef:
    found = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name]
    if len(found) != 1:
        raise SystemExit(f"expected one class {name}, found {len(found)}")
    return found[0]


def signature(release: tuple[str, str, str], file: str, name: str) -> list[tuple[str, str | None]]:
    """(parameter, default source text or None) of ``name.__init__`` in ``file``, ``self`` left out; keyword-only
    parameters follow the positional ones with position -1 semantics left to the caller (see :func:`extract`)."""
    tree = ast.parse((release_dir(release) / file).read_text(encoding="utf-8"))
    init = next((n for n in _class(tree, name).body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    if init is None:
        raise SystemExit(f"{release}: {name} has no __init__ in {file}")
    args = init.args
    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    out = [(a.arg, ast.unparse(d) if d is not None else None) for a, d in zip(positional, defaults)][1:]
    out += [(a.arg, ast.unparse(d) if d is not None else None) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    return out


def optimizer_identifiers() -> dict[str, tuple[str, ...]]:
    """Keras 2.2.4 ``optimizers.deserialize``'s ``all_classes``: the strings ``compile(optimizer=...)`` took
    (matched case-insensitively), by class name."""
    tree = ast.parse((release_dir(K224) / _OPT).read_text(encoding="utf-8"))
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "deserialize")
    table = next(n.value for n in ast.walk(function) if isinstance(n, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == "all_classes" for t in n.targets))
    assert isinstance(table, ast.Dict)
    out: dict[str, tuple[str, ...]] = {}
    for key, value in zip(table.keys, table.values):
        if isinstance(key, ast.Constant) and isinstance(value, ast.Name):
            out[value.id] = (*out.get(value.id, ()), key.value)
    return out


def _default(params: list[tuple[str, str | None]], names: tuple[str, ...]) -> tuple[str | None, int]:
    """The default of the first of ``names`` the signature has, and its index (-1 when absent)."""
    for name in names:
        for index, (param, default) in enumerate(params):
            if param == name:
                return default, index
    return None, -1


def _same(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    try:
        return ast.literal_eval(a) == ast.literal_eval(b)
    except ValueError:
        return a == b


def _cite(release: tuple[str, str, str], file: str, name: str) -> str:
    return f"{release[0]} {release[1]} {release[2]}/{file} {name}.__init__"


def extract() -> list[dict[str, object]]:
    """Every changed default of :data:`SPECS`, as the fields of a ``ChangedDefault``."""
    identifiers = optimizer_identifiers()
    entries = []
    for path, name, files, parameters in SPECS:
        signatures = {release: signature(release, file, name) for release, file in files.items()}
        for parameter, aliases in parameters:
            names = (parameter, *aliases)
            legacy, _ = _default(signatures[K224], names)
            if legacy is None:
                raise SystemExit(f"keras 2.2.4 {name} has no default for {parameter}")
            for release in (K1, K230, K231):
                if release in signatures:
                    value, _ = _default(signatures[release], names)
                    if release is K1 and value is not None and not _same(value, legacy):
                        raise SystemExit(f"keras 1.2.2 {name}({parameter}={value}) differs from 2.2.4's {legacy}")
            late = [_default(signatures[r], names)[0] for r in (K230, K231)]
            if not _same(late[0], late[1]):
                raise SystemExit(f"{name}.{parameter}: keras 2.3.0 and 2.3.1 differ")
            changed_in = "" if _same(late[0], legacy) else "Keras 2.3.0"
            tf_keras, _ = _default(signatures[TFK], (parameter,))
            keras3, _ = _default(signatures[K3], (parameter,))
            if tf_keras is None or keras3 is None:
                raise SystemExit(f"{name}.{parameter} has no default in tf-keras 2.15 or Keras 3.15.1")
            if _same(tf_keras, legacy) and _same(keras3, legacy):
                continue
            positions = [_default(signatures[r], names)[1] for r in MULTI_BACKEND if r in signatures]
            positions = [p for p in positions if p >= 0]
            sources = [_cite(r, files[r], name) for r in (K1, K224, K231, TFK, K3) if r in files]
            entries.append({
                "callable": path, "parameter": parameter, "legacy": legacy, "tf_keras": tf_keras, "keras3": keras3,
                "aliases": tuple(a for a in aliases if any(_default(signatures[r], (a,))[1] >= 0
                                                           for r in MULTI_BACKEND if r in signatures)),
                "position": min(positions), "changed_in": changed_in,
                "identifiers": identifiers.get(name, ()) if path.startswith("optimizers.") else (),
                "source": "; ".join(sources)})
    return entries


HEADER = '''"""Constructor defaults that multi-backend Keras had and tf.keras / Keras 3 changed (KC210).

GENERATED by ``python scripts/generate_changed_defaults.py`` from the signatures of keras 1.2.2, 2.2.4, 2.3.0,
2.3.1, tf-keras 2.15.0 and keras 3.15.1 (read, never imported); do not edit. ``source`` cites each signature;
``tests/test_changed_defaults_table.py`` regenerates the table from the real packages and compares.
"""

from __future__ import annotations

from keras_compat.data.schema import ChangedDefault

CHANGED_DEFAULTS: tuple[ChangedDefault, ...] = (
'''


def render(entries: list[dict[str, object]]) -> str:
    lines = [HEADER.rstrip("\n")]
    for entry in entries:
        lines.append("    ChangedDefault(")
        for key, value in entry.items():
            text = repr(value)
            if key == "source":
                parts = str(value).split("; ")
                cited = [repr(p + ("; " if i < len(parts) - 1 else "")) for i, p in enumerate(parts)]
                text = "(" + ("\n" + " " * 16).join(cited) + ")"
            lines.append(f"        {key}={text},")
        lines.append("    ),")
    lines.append(")")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report a stale table instead of writing it")
    args = parser.parse_args(argv)
    text = render(extract())
    current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
    if current == text:
        print(f"{TABLE.relative_to(ROOT)}: up to date")
        return 0
    if args.check:
        print(f"{TABLE.relative_to(ROOT)}: STALE")
        return 1
    TABLE.write_text(text, encoding="utf-8")
    print(f"{TABLE.relative_to(ROOT)}: written ({text.count('ChangedDefault(') - 1} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
