"""The candidate lists the rules take from the context's indexes are exactly what a loop over every node
would find (order included), on real code: the rules' own examples, the test fixtures and the package."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from keras_compat.context import Context, in_source_order
from keras_compat.names import KERAS_PARTS
from keras_compat.settings import Settings

_ROOT = Path(__file__).resolve().parent.parent

_SOURCE = """\
import tensorflow as tf
import keras
from keras import backend as K
from keras.layers import *
m = keras.models.Sequential()
m.fit_generator(gen, nb_epoch=3).history.keys()
x = tf.keras.layers.Dense(3, output_dim=2)(tf.zeros((1, 2))).shape.keras.y
if K.backend() == 'theano' or 'cntk' != K.backend() or K.backend(x) == 'theano' or (K.backend() == 'a') == 'b':
    pass
y = K.sum(x).keras + K._to_tensor(x, 'float32'); z = obj.keras.layers.Dense; w = f(x).tf_keras.a
v = Dense(init='zero').call(x)
model.tf.keras.a.keras.b = tf.contrib.layers.x
a.b(c).d(e).fit(x, nb_epoch=2); a.b(c).d
"""


@lru_cache(maxsize=1)
def _sources() -> tuple[tuple[str, str], ...]:
    """(file name, text) of every example of every rule, every fixture and every module of the package."""
    from keras_compat.registry import all_rules

    found = [("<source>", _SOURCE)]
    for rule in all_rules():
        for index, example in enumerate((*rule.bad, *rule.good)):
            found.append((f"<{rule.code} example {index}>", example if isinstance(example, str) else example.code))
    for path in sorted([*_ROOT.joinpath("tests", "fixtures").rglob("*.py"), *_ROOT.joinpath("keras_compat").rglob("*.py")]):
        found.append((str(path), path.read_text(encoding="utf-8", errors="replace")))
    return tuple(found)


def _contexts(settings: Settings | None = None) -> Iterator[Context]:
    for name, text in _sources():
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        yield Context(tree, text, settings or Settings(), name)


def _root_filter_passes(ctx: Context, attr: ast.Attribute) -> bool:
    """The root filter of :meth:`Context.keras`, walked down the chain as it walks it."""
    node: ast.AST = attr
    while isinstance(node, ast.Attribute) and node.attr not in KERAS_PARTS:
        node = node.value
    if isinstance(node, ast.Name):
        return node.id in ctx._keras_roots  # type: ignore[operator]
    return isinstance(node, ast.Attribute)


def test_keras_chains_are_the_outer_attributes_the_root_filter_lets_through() -> None:
    checked = resolved = 0
    for ctx in _contexts():
        expected = [attr for attr in ctx.outer_attributes if _root_filter_passes(ctx, attr)]
        assert ctx.keras_chains == expected, ctx.filename
        # and every chain left out resolves to nothing, also when resolved in full
        unfiltered = Context(ctx.tree, ctx.text, ctx.settings, ctx.filename)
        unfiltered._keras_roots = None
        kept = {id(attr) for attr in expected}
        assert all(unfiltered.keras(attr) is None for attr in ctx.outer_attributes if id(attr) not in kept)
        checked += len(ctx.outer_attributes)
        resolved += sum(ctx.keras(attr) is not None for attr in expected)
    assert checked > 5000 and resolved > 300


def test_keras_chains_without_a_root_filter_are_every_chain() -> None:
    settings = Settings(extra_backend_aliases=("mylib.backend",))
    ctx = next(_contexts(settings))
    assert ctx._keras_roots is None and ctx.keras_chains == ctx.outer_attributes


def test_method_calls_are_the_calls_of_those_methods_in_call_order() -> None:
    asked = [("fit",), ("fit", "keys", "call"), ("d", "b", "fit_generator", "get"), ("absent",), (),
             tuple(f"m{i}" for i in range(9)) + ("fit", "append", "get")]
    found = 0
    for ctx in _contexts():
        for methods in asked:
            expected = [call for call in ctx.calls
                        if isinstance(call.func, ast.Attribute) and call.func.attr in methods]
            assert ctx.method_calls(*methods) == expected, (ctx.filename, methods)
            found += len(expected)
    assert found > 500


def test_source_order_is_the_order_of_the_context_lists() -> None:
    for ctx in _contexts():
        for nodes in (ctx.calls, ctx.attributes, ctx.outer_attributes):
            assert in_source_order(reversed(nodes)) == nodes, ctx.filename


def test_the_calls_renamed_argument_looks_at() -> None:
    from keras_compat import knowledge
    from keras_compat.rules.legacy_api import _callee, _keyword_calls

    by_method = knowledge.arg_renames_by_method()
    found = 0
    for ctx in _contexts():
        expected = [call for call in ctx.calls if call.keywords and (
            _callee(ctx, call) is not None or isinstance(call.func, ast.Attribute) and call.func.attr in by_method)]
        assert _keyword_calls(ctx, by_method) == expected, ctx.filename
        found += len(expected)
    assert found > 100


def test_the_calls_unknown_argument_may_accept() -> None:
    """Every call :func:`_callee` accepts is a candidate; a model's method calls too (in call order)."""
    from keras_compat.rules.surface import _callee, _checked_calls, _model_names

    accepted = 0
    for target in ("tf-keras", "keras3"):
        for ctx in _contexts(Settings(target=target)):
            names = _model_names(ctx)
            candidates = _checked_calls(ctx, names)
            assert candidates == [call for call in ctx.calls if id(call) in {id(c) for c in candidates}]
            kept = {id(call) for call in candidates}
            callees = [call for call in ctx.calls if _callee(ctx, call, names) is not None]
            assert all(id(call) in kept for call in callees), ctx.filename
            accepted += len(callees)
    assert accepted > 200


def test_a_keras_name_with_a_raw_path_has_a_canonical_path() -> None:
    """What lets :func:`keras_compat.rules.surface._checked_calls` take ``ctx.keras_calls`` (names with a
    path): no module of the move table moves to the root, nor is a name renamed to nothing."""
    from keras_compat.names import _moves

    moves = _moves()
    assert moves
    for old, new, names in moves:
        assert new != "" and old and all(renamed for _, renamed in names), old


def _functions(ctx: Context) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [node for node in ctx.functions if node.body]


def test_within_body_is_what_a_walk_of_the_body_meets() -> None:
    from keras_compat.context import within_body
    from keras_compat.walk import walk

    source = ("def f(x):\n    @dec(g(x))\n    def inner(y=h()):\n        return k(y)\n    return inner\n"
              "@d(1)\ndef later(): return m()\nclass C:\n    @property\n    def p(self): return self.q.r()\n")
    checked = 0
    for ctx in [*_contexts(), Context(ast.parse(source), source, Settings())]:
        for func in _functions(ctx):
            inside = {id(node) for stmt in func.body for node in walk(stmt)}
            for nodes in (ctx.calls, ctx.attributes, ctx.names("x"), ctx.names("self")):
                assert within_body(nodes, func) == [node for node in nodes if id(node) in inside], ctx.filename
            checked += 1
    assert checked > 1000


def _reference_ops(ctx: Context, func: ast.FunctionDef, training: bool, kwarg: str | None) -> list[ast.AST]:
    """The op nodes of a ``call()`` as the walk of its body finds them (the loop the indexes replace)."""
    from keras_compat.rules.training import _classify_call, _kwargs_read, _walk_body

    found = []
    for node in _walk_body(func):
        kind = _classify_call(ctx, node) if isinstance(node, ast.Call) else None
        if kind is None and kwarg is not None and not training and _kwargs_read(node, kwarg):
            kind = "kwargs"
        if kind is not None:
            found.append(node)
    return found


def test_the_ops_of_call_are_those_a_walk_of_its_body_finds() -> None:
    from keras_compat.rules.training import _training_names, _walk_body, call_methods

    source = ("import tensorflow as tf\nfrom tensorflow import keras\nimport keras.backend as K\n\n"
              "class A(keras.layers.Layer):\n    def call(self, x, **kwargs):\n"
              "        y = {K.dropout(x, 0.5): tf.nn.dropout(x, 0.1), 'a': kwargs['training']}\n"
              "        z = tf.random.normal((2,)) if 'training' in kwargs else K.learning_phase()\n"
              "        return kwargs.get('training') and K.in_train_phase(x, y)\n\n"
              "class B(keras.layers.Layer):\n    def call(self, x, training=None):\n        t = training\n"
              "        u, v = t, 1\n        return K.in_train_phase(x, K.dropout(x, 0.2), training=u)\n")
    methods = ops = 0
    for ctx in [*_contexts(), Context(ast.parse(source), source, Settings())]:
        for method in call_methods(ctx):
            expected = _reference_ops(ctx, method.func, method.training is not None, method.kwarg)
            assert [op.node for op in method.ops] == expected, ctx.filename
            if method.training is not None:
                body = list(_walk_body(method.func))
                names = [node for node in body if isinstance(node, ast.Name)]
                assert _training_names(ctx, lambda n: [m for m in names if m.id == n], "training") == \
                    _training_names(ctx, lambda n: [m for m in ctx.names(n) if m in body], "training")
            methods += 1
            ops += len(expected)
    assert methods > 20 and ops > 15


def test_the_shape_uses_of_build_are_those_a_walk_finds() -> None:
    from keras_compat.rules.layer_contract import _TENSORSHAPE_ONLY, _live_layers, _params, _shape_uses
    from keras_compat.walk import walk

    def reference(func: ast.FunctionDef, shape: str) -> tuple[list[ast.Attribute], bool, bool]:
        candidates, rebound, checked = [], False, False
        for node in (node for stmt in func.body for node in walk(stmt)):
            if isinstance(node, ast.Name):
                rebound = rebound or (node.id == shape and not isinstance(node.ctx, ast.Load))
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                value = node.value
                if node.attr == "value" and isinstance(value, ast.Subscript) and \
                        isinstance(value.value, ast.Name) and value.value.id == shape:
                    candidates.append(node)
                elif node.attr in _TENSORSHAPE_ONLY and isinstance(value, ast.Name) and value.id == shape:
                    candidates.append(node)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id in ("isinstance", "hasattr", "getattr") and node.args and \
                    isinstance(node.args[0], ast.Name) and node.args[0].id == shape:
                checked = True
        return candidates, rebound, checked

    source = ("import tensorflow as tf\n\nclass A(tf.keras.layers.Layer):\n    def build(self, s):\n"
              "        n = s[-1].value + s.rank + s.as_list()[0] + s[0].x + t.rank + len(s.dims)\n"
              "        f = lambda: s.ndims\n        s.value = 3\n\n"
              "    def compute_output_shape(self, s):\n        if isinstance(s, tf.TensorShape):\n"
              "            s = s.as_list()\n        return s\n")
    found = checked = 0
    for ctx in [*_contexts(), Context(ast.parse(source), source, Settings())]:
        for info in _live_layers(ctx):
            for method in ("build", "compute_output_shape"):
                func = info.method(method)
                if func is None or not _params(func):
                    continue
                shape = _params(func)[0].arg
                candidates, rebound, tested = _shape_uses(ctx, func, shape)
                expected = reference(func, shape)
                assert sorted(map(id, candidates)) == sorted(map(id, expected[0])), ctx.filename
                assert (rebound, tested) == expected[1:], ctx.filename
                found += len(candidates) + rebound + tested
                checked += 1
    assert checked > 15 and found > 8


def test_the_comparisons_removed_backend_looks_at() -> None:
    from keras_compat.rules.imports import _backend_comparisons

    found = 0
    for ctx in _contexts():
        calls = {id(call) for call, name in ctx.keras_calls if name.path == "backend.backend" and not call.args}
        expected = [node for node in ctx.compares
                    if any(id(side) in calls for side in (node.left, *node.comparators))]
        assert _backend_comparisons(ctx) == expected, ctx.filename
        found += len(expected)
    assert found > 4


def test_the_first_reads_of_star_import_leak() -> None:
    """Each name's first read (of two at one position, the first in the parent map), in source order."""
    from keras_compat.rules.stars import _first_reads

    def reference(ctx: Context) -> list[ast.Name]:
        first: dict[str, tuple[int, int, int, ast.Name]] = {}
        for count, node in enumerate(ctx.parents):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                known = first.get(node.id)
                if known is None or (node.lineno, node.col_offset) < known[:2]:
                    first[node.id] = (node.lineno, node.col_offset, count, node)
        return [entry[3] for entry in sorted(first.values(), key=lambda e: e[:3])]

    found = 0
    for ctx in _contexts():
        expected = reference(ctx)
        assert _first_reads(ctx) == expected, ctx.filename
        found += len(expected)
    assert found > 5000


def test_the_backend_calls_are_the_calls_backend_function_accepts() -> None:
    """Made from the context's Keras calls, each as :func:`backend_function` answers for its callee."""
    from keras_compat.rules.backend import _backend_uses, backend_function

    found = 0
    for settings in (Settings(), Settings(extra_backend_aliases=("mylib.backend",))):
        for ctx in _contexts(settings):
            expected = [(call, backend_function(ctx, call.func)) for call in ctx.calls]
            expected = [(call, use) for call, use in expected if use is not None]

            def shown(pairs: list) -> list:
                return [(id(call), use.name, use.qualname, use.entry) for call, use in pairs]

            assert shown(list(_backend_uses(ctx))) == shown(expected), ctx.filename
            found += len(expected)
    assert found > 100


def test_a_name_no_star_import_binds_comes_from_none() -> None:
    """:meth:`Context.may_come_from_star` is False only where the resolver's star source is None."""
    source = ("from keras.layers import *\nfrom os.path import join as j\nimport numpy as np\n"
              "x = Dense(3)(K.sum(np.zeros(3))) + activations.relu(j) + undefined + len([])\n")
    ctxs = [ctx for ctx in _contexts() if ctx.resolver.module_scope.star_modules]
    ctxs.append(Context(ast.parse(source), source, Settings()))
    refused = 0
    for ctx in ctxs:
        for node in ast.walk(ctx.tree):
            if isinstance(node, ast.Name) and not ctx.may_come_from_star(node.id):
                assert ctx.resolver.star_source(node.id) is None, (ctx.filename, node.id)
                refused += 1
    assert len(ctxs) > 5 and refused > 20


def test_the_enclosing_layer_method_is_what_climbing_from_the_node_finds() -> None:
    from keras_compat.layers import classifier

    def reference(ctx: Context, node: ast.AST) -> tuple | None:
        method = None
        for ancestor in ctx.ancestors(node):
            if isinstance(ancestor, ast.ClassDef):
                info = classifier(ctx).infos.get(id(ancestor))
                return None if info is None or method is None else (info, method)
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                    isinstance(ctx.parent(ancestor), ast.ClassDef):
                method = ancestor
        return None

    source = ("import keras\n\nclass A(keras.layers.Layer):\n    x = f(1)\n\n    def call(self, x):\n"
              "        def inner():\n            class B:\n                def m(self):\n                    return g(2)\n"
              "            return h(B)\n        return k(inner())\n\n    @staticmethod\n    def s(y=d(3)):\n"
              "        return e(y)\n")
    found = 0
    for ctx in [*_contexts(), Context(ast.parse(source), source, Settings())]:
        for node in [*ctx.calls, *ctx.functions, *ctx.classes]:
            expected = reference(ctx, node)
            assert classifier(ctx).enclosing(node) == expected, ctx.filename
            found += expected is not None
    assert found > 300


def test_the_rules_for_a_setting_follow_the_registry() -> None:
    """rules_for() keeps its list while the registry is unchanged, and looks the rules up again after a change
    (a test's stand-in, a registration)."""
    import dataclasses

    from keras_compat.registry import REGISTRY, rules_for

    settings = Settings()
    first = rules_for(settings)
    assert rules_for(settings) is first
    code = first[0].code
    stand_in = dataclasses.replace(first[0]) if dataclasses.is_dataclass(first[0]) else None
    if stand_in is None:
        import copy

        stand_in = copy.copy(first[0])
    original = REGISTRY[code]
    REGISTRY[code] = stand_in
    try:
        assert rules_for(settings)[0] is stand_in
    finally:
        REGISTRY[code] = original
    assert rules_for(settings)[0] is original


def test_the_patched_names_from_the_index_are_the_statement_scan() -> None:
    """Context._patched_names (the index's assignment targets, climbing to the top) finds what
    project.patched_names (a scan of the top-level statements and their if/try/with blocks) finds."""
    from keras_compat.project import patched_names

    source = ("import keras.backend as K\nK.a = 1\nif x:\n    K.b: int = 2\nelse:\n    try:\n        K.c += 3\n"
              "    except E:\n        K.d = K.e = 4\n    finally:\n        with m:\n            K.f = 5\n"
              "            K.g, K.q = 6, 7\n"
              "def f():\n    K.h = 7\nclass C:\n    K.i = 8\nfor i in x:\n    K.j = 9\nwhile x:\n    K.k = 10\n"
              "try:\n    pass\nexcept* E:\n    K.l = 11\nasync def g():\n    async with m:\n        K.m = 12\n"
              "x[0].n = 13\nK.o.p = 14\n")
    checked = 0
    for ctx in [*_contexts(), Context(ast.parse(source), source, Settings(), "<patches>")]:
        expected = {name: set(attrs) for name, attrs in patched_names(ctx.tree).items()}
        assert ctx._patched_names() == expected, ctx.filename
        checked += bool(expected)
    assert checked >= 3


def test_split_flavour_by_root_is_the_first_matching_prefix() -> None:
    """names.split_flavour tries only the prefixes with the name's first part: the answer of a scan of every
    prefix in order, on every dotted name of the package, the examples and the prefixes' own spellings."""
    from keras_compat.names import _PREFIXES, Flavour, split_flavour

    def scan(qualname: str) -> tuple[Flavour, str] | None:
        for prefix, flavour in _PREFIXES:
            if qualname == prefix:
                return flavour, ""
            if qualname.startswith(prefix + "."):
                rest = qualname[len(prefix) + 1:]
                return flavour, rest[4:] if flavour is Flavour.TF_KERAS_PKG and rest.startswith("src.") else rest
        return None

    names = {prefix + suffix for prefix, _ in _PREFIXES for suffix in ("", ".", ".a", ".src.a", "x", "_x.y")}
    for ctx in _contexts():
        names.update(filter(None, map(ctx.qualname, ctx.attributes)))
    names.update(("", ".", "tensorflow", "tensorflow.compat", "tf_keras.src", "kerasx.layers"))
    assert len(names) > 500
    for name in names:
        assert split_flavour(name) == scan(name), name
