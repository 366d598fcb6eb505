"""Static extraction of a Keras release's public API from its unpacked wheel (no TensorFlow/Keras import).

The generated API packages (``tf_keras/api/_v2/keras/...`` in tf-keras, ``keras/<module>/__init__.py`` and
``keras/_tf_keras/keras/...`` in Keras 3) list every public name as ``from <package>.src.<module> import
<name> as <public name>``. :class:`PublicAPI` reads them; :class:`Source` follows each re-export to the
defining module and :func:`signature` reads the accepted parameters of classes (``__init__``, following base
classes inside the package) and functions, and what happens to their ``**kwargs``:

* ``none``: no ``**kwargs``; a keyword that is not a parameter raises ``TypeError``;
* ``layer``: ``**kwargs`` only reaches the base ``Layer.__init__``, which accepts a fixed set of keywords
  (tf-keras: its ``allowed_kwargs`` set; Keras 3: the keys it pops before raising on the rest);
* ``closed``: ``**kwargs`` is validated against a fixed set elsewhere (``validate_kwargs``, ``if kwargs: raise``);
* ``any``: ``**kwargs`` goes somewhere we cannot bound (another callable, ignored, an unknown base): every
  keyword is accepted as far as we can tell.

``kwargs_keys`` are the keywords read from ``**kwargs`` along the way (``kwargs.pop("input_dim")``).
"""

from __future__ import annotations

import ast
import functools
import json
import warnings
from collections.abc import Iterator
from pathlib import Path

from keras_compat.record import Record
from keras_compat.surface.reference import FORMAT, REFERENCES, VAR_KW, Signature  # noqa: F401  (re-exported)


# Bases outside the package that add no constructor parameters.
_TRIVIAL_BASES = {"object", "ABC", "abc.ABC", "Generic", "typing.Generic", "Protocol", "typing.Protocol"}


# --------------------------------------------------------------------------------------------- sources


class Source:
    """All modules of one package (``root`` is the importable package directory), parsed lazily.

    Module names are relative to the package (``src.layers.core.dense``; ``""`` for the package itself).
    """

    def __init__(self, root: Path, skip: tuple[str, ...] = ()):
        self.root = root
        self.pkg = root.name
        self.files: dict[str, Path] = {}
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(root).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            mod = ".".join(parts)
            if any(mod == s or mod.startswith(s + ".") for s in skip) or "tests" in parts:
                continue
            self.files[mod] = path

    @functools.lru_cache(maxsize=None)
    def tree(self, mod: str) -> ast.Module:
        with warnings.catch_warnings():  # old releases contain invalid escape sequences
            warnings.simplefilter("ignore")
            return ast.parse(self.text(mod))

    @functools.lru_cache(maxsize=None)
    def text(self, mod: str) -> str:
        return self.files[mod].read_text(encoding="utf-8", errors="replace")

    @functools.lru_cache(maxsize=None)
    def top_defs(self, mod: str) -> dict[str, ast.AST]:
        """Top-level classes, functions and ``alias = Name``/``alias = module.Name`` assignments."""
        out: dict[str, ast.AST] = {}
        for node in self.tree(mod).body:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                out[node.name] = node
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        out[target.id] = node.value
        return out

    def public_defs(self, mod: str) -> set[str]:
        return {n for n in self.top_defs(mod) if not n.startswith("_")}

    def absolute(self, mod: str, module: str | None, level: int) -> str:
        """Package-relative module name of an import's module (relative or absolute)."""
        base = module or ""
        if level:
            parts = mod.split(".") if mod else []
            is_pkg = self.files[mod].name == "__init__.py"
            keep = len(parts) - level + (1 if is_pkg else 0)
            return ".".join(parts[:keep] + ([base] if base else []))
        if base == self.pkg:
            return ""
        if base.startswith(self.pkg + "."):
            return base[len(self.pkg) + 1:]
        return "<external>." + base

    @functools.lru_cache(maxsize=None)
    def imports(self, mod: str) -> dict[str, tuple[str, str | None]]:
        """local name -> (module, name) for ``from X import Y [as Z]``; (module, None) for ``import X as Z``."""
        out: dict[str, tuple[str, str | None]] = {}
        for node in ast.walk(self.tree(mod)):
            if isinstance(node, ast.ImportFrom):
                base = self.absolute(mod, node.module, node.level)
                for alias in node.names:
                    out[alias.asname or alias.name] = (base, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        out[alias.asname] = (self.absolute(mod, alias.name, 0), None)
        return out

    def _module(self, base: str, name: str | None) -> str | None:
        full = f"{base}.{name}" if name and base else (name or base)
        return full if full in self.files else None

    def resolve(self, mod: str, name: str, depth: int = 0) -> tuple[str, ast.AST] | None:
        """Find the definition of ``name`` as seen from module ``mod`` (follows imports and aliases)."""
        if depth > 16 or mod not in self.files:
            return None
        node = self.top_defs(mod).get(name)
        if isinstance(node, (ast.Name, ast.Attribute)):
            return self.resolve_expr(mod, node, depth + 1)
        if node is not None:
            return mod, node
        target = self.imports(mod).get(name)
        if target and target[1] is not None:
            return self.resolve(target[0], target[1], depth + 1)
        return None

    def resolve_module(self, mod: str, name: str) -> str | None:
        """The package module a local name of ``mod`` is bound to (``from x import module``), if any."""
        target = self.imports(mod).get(name)
        if target is None:
            return None
        return self._module(*target)

    def resolve_expr(self, mod: str, expr: ast.AST, depth: int = 0) -> tuple[str, ast.AST] | None:
        """Definition denoted by a ``Name`` or ``module.Name`` expression in module ``mod``."""
        if isinstance(expr, ast.Name):
            return self.resolve(mod, expr.id, depth)
        if isinstance(expr, ast.Attribute):
            parts = []
            node: ast.AST = expr
            while isinstance(node, ast.Attribute):
                parts.append(node.attr)
                node = node.value
            if not isinstance(node, ast.Name):
                return None
            parts.reverse()
            module = self.resolve_module(mod, node.id)
            if module is None:
                return None
            for part in parts[:-1]:
                sub = f"{module}.{part}" if module else part
                if sub not in self.files:
                    return None
                module = sub
            return self.resolve(module, parts[-1], depth)
        return None

    def find_by_name(self, name: str) -> list[tuple[str, ast.AST]]:
        """Every module-level definition called ``name`` (aliases followed)."""
        found = []
        for mod in self.files:
            if name in self.top_defs(mod):
                hit = self.resolve(mod, name)
                if hit:
                    found.append(hit)
        return found

    def params(self, mod: str, node: ast.AST, method: str = "__init__",
               seen: frozenset = frozenset()) -> set[str]:
        """Parameter names of ``method`` of a class (united with its bases' while it takes ``**kwargs``) or
        of a function. A loose superset for table checks; :func:`signature` is the precise form."""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return arg_names(node)
        if not isinstance(node, ast.ClassDef):
            return set()
        names: set[str] = set()
        func = _find_method(node, method)
        if func is not None:
            names |= arg_names(func)
            if func.args.kwarg is None:
                return names
        for base, hit in zip(node.bases, self.bases_all(mod, node)):
            key = (mod, ast.unparse(base))
            if hit is None and isinstance(base, ast.Attribute) and key not in seen:
                candidates = self.find_by_name(base.attr)
                hit = candidates[0] if candidates and isinstance(candidates[0][1], ast.ClassDef) else None
            if hit is not None and key not in seen:
                names |= self.params(hit[0], hit[1], method, seen | {key})
        return names

    def kwargs_handled(self, mod: str, node: ast.AST, method: str = "__init__") -> set[str]:
        """Keywords a class (or its bases) reads from ``**kwargs`` itself (``kwargs.pop("implementation", 2)``)."""
        if isinstance(node, ast.ClassDef):
            sig = signature(self, mod, node, method)
            return set(sig.kwargs_keys) if sig else set()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return set(_kwargs_use(node).keys)
        return set()

    def bases_all(self, mod: str, node: ast.ClassDef) -> list[tuple[str, ast.ClassDef] | None]:
        """Every base, resolved (None when outside the package), in declaration order."""
        out: list[tuple[str, ast.ClassDef] | None] = []
        for base in node.bases:
            hit = self.resolve_expr(mod, base)
            out.append(hit if hit is not None and isinstance(hit[1], ast.ClassDef) and hit[1] is not node else None)
        return out

    def bases(self, mod: str, node: ast.ClassDef) -> list[tuple[str, ast.ClassDef] | None]:
        """Resolved base classes (None for a base outside the package); trivial bases are left out."""
        out: list[tuple[str, ast.ClassDef] | None] = []
        for base in node.bases:
            text = ast.unparse(base)
            if text in _TRIVIAL_BASES:
                continue
            hit = self.resolve_expr(mod, base)
            out.append(hit if hit is not None and isinstance(hit[1], ast.ClassDef) and hit[1] is not node else None)
        return out

    def method_names(self, mod: str, node: ast.ClassDef) -> set[str]:
        out = {i.name for i in node.body if isinstance(i, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for hit in self.bases(mod, node):
            if hit is not None:
                out |= self.method_names(*hit)
        return out


def arg_names(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names that can be passed as keywords (positional-or-keyword and keyword-only), minus self/cls."""
    a = func.args
    return {x.arg for x in (*a.args, *a.kwonlyargs)} - {"self", "cls"}


# --------------------------------------------------------------------------------------------- kwargs


class _KwargsUse(Record):
    status: str  # "none" | "closed" | "forward" | "any"
    keys: tuple[str, ...] = ()
    forward: ast.AST | None = None  # the call that receives **kwargs (super().__init__ / Base.__init__)


def _const(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _string_set(node: ast.AST | None) -> set[str] | None:
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        values = {_const(e) for e in node.elts}
        return None if None in values else values  # type: ignore[return-value]
    return None


def _inside(node: ast.AST, kind: type, parents: dict[int, ast.AST]) -> bool:
    current = parents.get(id(node))
    while current is not None:
        if isinstance(current, kind):
            return True
        current = parents.get(id(current))
    return False


#: Decorators (by their last name) that keep the decorated function's signature.
_PRESERVING = {"keras_export", "tf_export", "add_dispatch_support", "do_not_generate_docs", "do_not_doc_inheritable",
               "no_automatic_dependency_tracking", "filter_traceback", "for_subclass_implementers",
               "default", "wraps", "keras_mode_combinations"}


def _decorator_keys(src: Source | None, mod: str, func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str] | None:
    """Extra keywords the decorators of ``func`` accept; None when a decorator's effect is unknown.

    tf-keras wraps layer constructors with ``dtensor_utils.inject_mesh`` (pops ``mesh``) and
    ``allow_initializer_layout`` (pops ``<variable>_layout`` for each ``<variable>_initializer``
    parameter whose variable is listed in ``KERAS_VARIABLE_NAMES``, read from the decorator's module).
    """
    keys: set[str] = set()
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        last = ast.unparse(target).rsplit(".", 1)[-1]
        if last in _PRESERVING:
            continue
        if last == "inject_mesh":
            keys.add("mesh")
            continue
        if last == "allow_initializer_layout" and src is not None:
            hit = src.resolve_expr(mod, target)
            names = _string_set(src.top_defs(hit[0]).get("KERAS_VARIABLE_NAMES")) if hit else None
            if names is None:
                return None
            keys |= {f"{v}_layout" for v in names if f"{v}_initializer" in arg_names(func)}
            continue
        return None
    return keys


def _kwargs_use(func: ast.FunctionDef | ast.AsyncFunctionDef) -> _KwargsUse:
    """How a function uses its ``**kwargs`` (see the module docstring)."""
    if func.args.kwarg is None:
        return _KwargsUse("none")
    name = func.args.kwarg.arg
    parents: dict[int, ast.AST] = {}
    assigned: dict[str, ast.AST] = {}
    for node in ast.walk(func):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned[node.targets[0].id] = node.value
    keys: set[str] = set()
    closed = False
    forwards: list[ast.Call] = []
    for node in ast.walk(func):
        if not (isinstance(node, ast.Name) and node.id == name) or node is func.args.kwarg:
            continue
        parent = parents.get(id(node))
        grand = parents.get(id(parent)) if parent is not None else None
        if _inside(node, ast.Raise, parents):
            continue  # mentioned in an error message
        if isinstance(parent, ast.Attribute) and isinstance(grand, ast.Call) and grand.func is parent:
            if parent.attr in ("pop", "get", "setdefault"):
                key = _const(grand.args[0]) if grand.args else None
                if key is None:
                    return _KwargsUse("any")
                keys.add(key)
                continue
            if parent.attr == "update":
                continue
            return _KwargsUse("any")
        if isinstance(parent, ast.Compare) and node in parent.comparators and \
                all(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops):
            continue  # "key" in kwargs: a test, not an acceptance
        if isinstance(parent, ast.Subscript) and parent.value is node:
            key = _const(parent.slice)
            if key is None:
                return _KwargsUse("any")
            if isinstance(parent.ctx, ast.Load):
                keys.add(key)
            continue
        if isinstance(parent, ast.keyword) and parent.arg is None and isinstance(grand, ast.Call):
            forwards.append(grand)
            continue
        if isinstance(parent, ast.If) and parent.test is node:
            if any(isinstance(n, ast.Raise) for stmt in parent.body for n in ast.walk(stmt)):
                closed = True
                continue
            return _KwargsUse("any")
        if isinstance(parent, ast.Call) and node in parent.args and \
                ast.unparse(parent.func).rsplit(".", 1)[-1] == "validate_kwargs" and len(parent.args) >= 2:
            allowed = parent.args[1]
            values = _string_set(allowed)
            if values is None and isinstance(allowed, ast.Name):
                values = _string_set(assigned.get(allowed.id))
            if values is None:
                return _KwargsUse("any")
            keys |= values
            closed = True
            continue
        return _KwargsUse("any")
    if len(forwards) == 1:
        return _KwargsUse("forward", tuple(sorted(keys)), forwards[0])
    if forwards:
        return _KwargsUse("any")
    return _KwargsUse("closed" if closed else "any", tuple(sorted(keys)))


# --------------------------------------------------------------------------------------------- signatures


def _find_method(node: ast.ClassDef, method: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == method:
            return item
    return None


def _defines(node: ast.ClassDef, name: str) -> bool:
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and item.name == name:
            return True
        if isinstance(item, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in item.targets):
            return True
    return False


def _forward_target(src: Source, mod: str, node: ast.ClassDef, call: ast.Call, method: str):
    """The base class that a ``super().<method>(**kwargs)`` / ``Base.<method>(self, **kwargs)`` call reaches."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr != method:
        return "unknown"
    value = func.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "super":
        if value.args and not (isinstance(value.args[0], ast.Name) and value.args[0].id == node.name):
            return "unknown"
        return "super"
    texts = [ast.unparse(b) for b in node.bases]
    if ast.unparse(value) in texts:
        hit = src.resolve_expr(mod, value)
        return hit if hit is not None and isinstance(hit[1], ast.ClassDef) else "unknown"
    return "unknown"


def _linearize(src: Source, mod: str, node: ast.ClassDef, depth: int = 0) -> list:
    """C3 method resolution order of a class inside the package; None stands for a base outside it."""
    if depth > 30:
        return [(mod, node), None]
    seqs = []
    bases = src.bases(mod, node)
    for base in bases:
        seqs.append([None] if base is None else _linearize(src, *base, depth=depth + 1))
    seqs.append(list(bases))
    result: list = [(mod, node)]
    key = lambda e: None if e is None else (e[0], id(e[1]))  # noqa: E731
    seqs = [list(s) for s in seqs if s]
    while seqs:
        for seq in seqs:
            head = seq[0]
            if not any(key(head) in [key(e) for e in other[1:]] for other in seqs):
                break
        else:  # inconsistent hierarchy: depth-first order
            for seq in seqs:
                for entry in seq:
                    if key(entry) not in [key(e) for e in result]:
                        result.append(entry)
            return result
        if key(head) not in [key(e) for e in result] or head is None:
            result.append(head)
        seqs = [[e for e in s if key(e) != key(head)] for s in seqs]
        seqs = [s for s in seqs if s]
    return result


def signature(src: Source, mod: str, node: ast.AST, method: str = "__init__",
              layer: tuple | None = None) -> Signature | None:
    """The keywords ``node`` (a class: its ``method``; a function: itself) accepts; None when unknown.

    ``layer`` is the (module, class node) of the base ``Layer``: a ``**kwargs`` chain that ends there is
    reported as ``var_kw="layer"``. ``super()`` calls follow the C3 method resolution order of the class.
    """
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        use = _kwargs_use(node)
        status = "any" if use.status == "forward" else use.status
        extra = _decorator_keys(src, mod, node)
        if extra is None:
            return Signature("function", tuple(sorted(arg_names(node))), use.keys, "any")
        return Signature("function", tuple(sorted(arg_names(node))), tuple(sorted(set(use.keys) | extra)), status)
    if not isinstance(node, ast.ClassDef):
        return None
    return _walk(src, _linearize(src, mod, node), 0, method, layer)


def _walk(src: Source, mro: list, start: int, method: str, layer: tuple | None) -> Signature | None:
    for index in range(start, len(mro)):
        entry = mro[index]
        if entry is None:
            return None  # a base outside the package provides or forwards it: unknown
        mod, cls = entry
        decorators = [ast.unparse(d) for d in cls.decorator_list]
        if any("dataclass" in d or d.startswith("attr") for d in decorators):
            return None
        func = _find_method(cls, method)
        if func is None:
            if _defines(cls, method) or (method == "__init__" and _defines(cls, "__new__")):
                return None  # assigned/generated method, or a constructor in __new__: unknown
            continue
        params = tuple(sorted(arg_names(func)))
        use = _kwargs_use(func)
        extra = _decorator_keys(src, mod, func)
        if extra is None:
            return Signature("class", params, use.keys, "any")
        if extra:
            use = _KwargsUse(use.status, tuple(sorted(set(use.keys) | extra)), use.forward)
        if use.status in ("none", "any"):
            return Signature("class", params, use.keys, use.status)
        if use.status == "closed":
            is_layer = layer is not None and layer[1] is cls
            return Signature("class", params, use.keys, "layer" if is_layer else "closed")
        target = _forward_target(src, mod, cls, use.forward, method)  # type: ignore[arg-type]
        if target == "super":
            nxt = index + 1
        elif target == "unknown":
            return Signature("class", params, use.keys, "any")
        else:
            ids = [None if e is None else id(e[1]) for e in mro]
            if id(target[1]) not in ids:
                return Signature("class", params, use.keys, "any")
            nxt = ids.index(id(target[1]))
        base_sig = _walk(src, mro, nxt, method, layer)
        if base_sig is None or base_sig.var_kw == "any":
            return Signature("class", params, use.keys, "any")
        inherited = (set(base_sig.params) | set(base_sig.kwargs_keys)) - set(params)
        var_kw = base_sig.var_kw if base_sig.var_kw in ("layer", "closed") else "closed"
        return Signature("class", params, tuple(sorted(set(use.keys) | inherited)), var_kw)
    return Signature("class", (), (), "none") if method == "__init__" else None


# --------------------------------------------------------------------------------------------- public API


class Export(Record):
    """One public name: a submodule, or the (module, name) it re-exports."""

    module: str | None  # defining package module (``src.layers.core.dense``); None for a submodule
    name: str


class PublicAPI:
    """Public API of a modern package: module path ('' = top level) -> public name -> :class:`Export`.

    ``api_dir`` is the generated API package (``tf_keras/api/_v2/keras``, ``keras``, ``keras/_tf_keras/keras``);
    ``api_prefix`` is its import name (``tf_keras.api._v2.keras``). Public submodules are the API package's
    sub-directories; names are what each ``__init__.py`` imports.
    """

    def __init__(self, src: Source, api_dir: Path, api_prefix: str, exclude: tuple[str, ...] = ()):
        self.src = src
        self.modules: dict[str, dict[str, Export]] = {}
        for init in sorted(api_dir.rglob("__init__.py")):
            rel = init.parent.relative_to(api_dir)
            if rel.parts and (rel.parts[0] in exclude or any(p.startswith("_") for p in rel.parts)):
                continue
            names: dict[str, Export] = {}
            for sub in sorted(init.parent.iterdir()):
                if (sub / "__init__.py").is_file() and not sub.name.startswith("_"):
                    names[sub.name] = Export(None, sub.name)
            for node in ast.parse(init.read_text(encoding="utf-8")).body:
                if not isinstance(node, ast.ImportFrom) or not node.module:
                    continue
                for alias in node.names:
                    public = alias.asname or alias.name
                    if public.startswith("_") or public in names:
                        continue
                    module = node.module
                    full = f"{module}.{alias.name}"
                    if full == api_prefix or full.startswith(api_prefix + "."):
                        sub_path = full[len(api_prefix) + 1:] if full != api_prefix else ""
                        if (api_dir / sub_path.replace(".", "/") / "__init__.py").is_file():
                            names[public] = Export(None, alias.name)
                            continue
                    if module.startswith(src.pkg + "."):
                        module = module[len(src.pkg) + 1:]
                    elif module == src.pkg:
                        module = ""
                    else:
                        module = "<external>." + module
                    names[public] = Export(module, alias.name)
            self.modules[".".join(rel.parts)] = names

    def lookup(self, path: str) -> Export | None:
        module, _, name = path.rpartition(".")
        return self.modules.get(module, {}).get(name)

    def has(self, path: str) -> bool:
        return path in self.modules or self.lookup(path) is not None

    def definition(self, path: str) -> tuple[str, ast.AST] | None:
        hit = self.lookup(path)
        if hit is None or hit.module is None:
            return None
        if hit.module.startswith("<external>"):
            return None
        return self.src.resolve(hit.module, hit.name)


# --------------------------------------------------------------------------------------------- wheels

#: The reference releases: distribution, version, and the API surfaces each provides. A surface is the
#: generated API package that a flavour's names resolve to (``tf.keras`` under TF >= 2.16 with Keras 3 is
#: ``keras._tf_keras.keras``).
def package_dir(unpacked: Path, distribution: str) -> Path:
    """The importable package directory inside an unpacked wheel."""
    pkg = "tf_keras" if distribution == "tf-keras" else "keras"
    for candidate in (unpacked / pkg, *(p / pkg for p in unpacked.iterdir() if p.is_dir())):
        if (candidate / "__init__.py").exists():
            return candidate
    raise FileNotFoundError(f"no {pkg}/__init__.py in {unpacked}")


def public_apis(distribution: str, root: Path) -> tuple[Source, dict[str, PublicAPI]]:
    """The package source and its public API surfaces (surface name -> API)."""
    if distribution == "tf-keras":
        src = Source(root, skip=("api",))
        return src, {"tf_keras": PublicAPI(src, root / "api" / "_v2" / "keras", "tf_keras.api._v2.keras")}
    src = Source(root, skip=("_tf_keras", "api"))
    return src, {
        "keras": PublicAPI(src, root, "keras", exclude=("src", "api")),
        "tf.keras": PublicAPI(src, root / "_tf_keras" / "keras", "keras._tf_keras.keras"),
    }


def _layer_base(src: Source, api: PublicAPI) -> tuple[str, ast.AST] | None:
    return api.definition("layers.Layer")


#: Model methods whose keywords are recorded (checked only when the receiver is known to be a Keras model).
MODEL_METHODS = ("compile", "fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch",
                 "save", "save_weights", "load_weights", "summary", "to_json", "get_layer")


def extract(distribution: str, version: str, root: Path) -> dict:
    """The surface document (JSON-ready, deterministic) of an importable package directory."""
    src, apis = public_apis(distribution, root)
    signatures: dict[tuple, int] = {}
    table: list[list] = []

    def sig_id(sig: Signature | None) -> int | None:
        if sig is None:
            return None
        key = tuple(map(lambda v: tuple(v) if isinstance(v, list) else v, sig.to_json()))
        if key not in signatures:
            signatures[key] = len(table)
            table.append(sig.to_json())
        return signatures[key]

    surfaces: dict[str, dict] = {}
    for surface_name, api in apis.items():
        layer = _layer_base(src, api)
        modules: dict[str, dict[str, int | None]] = {}
        for module in sorted(api.modules):
            names: dict[str, int | None] = {}
            for public, export in sorted(api.modules[module].items()):
                if export.module is None:
                    names[public] = None
                    continue
                path = f"{module}.{public}" if module else public
                hit = api.definition(path)
                names[public] = sig_id(signature(src, *hit, layer=layer)) if hit else None
            modules[module] = names
        layer_kwargs: list[str] = []
        if layer is not None:
            layer_sig = signature(src, *layer, layer=layer)
            layer_kwargs = sorted(layer_sig.accepted) if layer_sig else []
        methods: dict[str, dict[str, int | None]] = {}
        model = api.definition("Model")
        if model is not None and isinstance(model[1], ast.ClassDef):
            methods["Model"] = {m: sig_id(signature(src, *model, method=m, layer=layer))
                                for m in MODEL_METHODS if m in src.method_names(*model)}
        surfaces[surface_name] = {"modules": modules, "layer_kwargs": layer_kwargs, "methods": methods}
    return {"format": FORMAT, "distribution": distribution, "version": version,
            "signatures": table, "surfaces": surfaces}


def iter_names(document: dict, surface: str) -> Iterator[str]:
    """Every public path of a surface (modules and names), for tests and diagnostics."""
    for module, names in document["surfaces"][surface]["modules"].items():
        for name in names:
            yield f"{module}.{name}" if module else name


def build(target: str, unpacked: Path) -> dict:
    """The surface document of ``target``'s reference release from its unpacked wheel directory."""
    distribution, version = REFERENCES[target]
    return extract(distribution, version, package_dir(unpacked, distribution))


def encode(document: dict) -> bytes:
    """Deterministic bytes of a document: sorted keys, compact ASCII JSON. Not compressed: inflating a file took
    1.0 M instructions of the first file's analysis at every start of a host (the bytes read cost none)."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return text.encode("ascii")
