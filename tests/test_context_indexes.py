"""The context's shared indexes answer exactly what the loops they replace would (order included)."""

from __future__ import annotations

import ast
import textwrap

from keras_compat.context import Context
from keras_compat.migration import chains_through_moved
from keras_compat.settings import Settings

_SOURCE = textwrap.dedent("""\
    import tensorflow as tf
    import keras
    from keras.utils import np_utils

    x = tf.keras.layers.Dense(3)(tf.zeros((1, 2)))
    y = np_utils.to_categorical(labels); z = keras.utils.np_utils.to_categorical(y)
    model.tf.keras.a.keras.b = tf.contrib.layers.x
    w = (keras
         .engine.topology.Layer)
    class A(keras.layers.Layer):
        def build(self, shape):
            self.trainable_weights = [self.kernel]
            self.state_size = 3
            return self.metrics_names, self.output_shape, K.tf
""")


def _ctx(source: str = _SOURCE) -> Context:
    return Context(ast.parse(source), source, Settings())


def test_attributes_named_is_the_filtered_attribute_list() -> None:
    ctx = _ctx()
    every = {attr.attr for attr in ctx.attributes}
    many = frozenset(list(every)[: len(every) // 2] + ["absent"] * 3 + [f"n{i}" for i in range(12)])
    for names in [("keras",), ("tf", "keras"), ("layers", "keras", "tf", "np_utils"), ("absent",), (), many,
                  frozenset(every), {"state_size": 1, "tf": 2}]:
        assert ctx.attributes_named(names) == [attr for attr in ctx.attributes if attr.attr in names], names


def test_attributes_named_keeps_the_order_of_nested_chains() -> None:
    """``a.b.c``'s attributes start at the same position: the index keeps the context's order for them."""
    ctx = _ctx("a.keras.b.keras.tf.c\n")
    expected = [attr for attr in ctx.attributes if attr.attr in ("keras", "tf")]
    assert len(expected) == 3
    assert ctx.attributes_named(("tf", "keras")) == expected


def test_chains_through_moved_modules_are_the_outermost_chains_spelling_one() -> None:
    ctx = _ctx()
    from keras_compat.knowledge import moved_module_leaves

    leaves = moved_module_leaves()

    def spells(attr: ast.AST) -> bool:
        while isinstance(attr, ast.Attribute):
            if attr.attr in leaves:
                return True
            attr = attr.value
        return False

    expected = [attr for attr in ctx.outer_attributes if spells(attr)]
    assert expected and chains_through_moved(ctx) == expected


def _reference_index(tree: ast.Module) -> tuple[list[tuple[int, int]], dict[str, list[int]]]:
    """The index as one plain breadth-first loop over every node-holding field computes it: (child, parent) pairs in the
    order they enter the parent map, and the node lists (as ids, sorted by position as the context sorts)."""
    from operator import attrgetter

    from keras_compat.tree_index import LEAF_CLASSES as _LEAF_CLASSES
    from keras_compat.walk import node_fields

    pairs: list[tuple[int, int]] = []
    seen: dict[int, int] = {}
    lists: dict[str, list[ast.AST]] = {"calls": [], "attributes": [], "subscript_assigns": []}
    queue: list[ast.AST] = [tree]  # breadth first, as the context walks
    for node in queue:
        for name in node_fields(node.__class__):
            value = getattr(node, name, None)
            for child in value if isinstance(value, list) else [value]:
                if child is None:
                    continue
                if id(child) not in seen:
                    pairs.append((id(child), id(node)))
                seen[id(child)] = id(node)
                if child.__class__ not in _LEAF_CLASSES:
                    queue.append(child)
        if isinstance(node, ast.Call):
            lists["calls"].append(node)
        elif isinstance(node, ast.Attribute):
            lists["attributes"].append(node)
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Subscript) for t in node.targets):
            lists["subscript_assigns"].append(node)
    order = [(child, seen[child]) for child, _ in pairs]  # a dict keeps the first insertion's place
    key = attrgetter("lineno", "col_offset")
    return order, {name: [id(n) for n in sorted(nodes, key=key)] for name, nodes in lists.items()}


def test_the_index_is_the_plain_walk_on_real_files() -> None:
    """The index's written-out cases (attribute, call, assignment, keyword, expression statement,
    parameter) keep the plain loop's parent map (its insertion order too, which ``_first_reads`` relies on)
    and node lists, on every module of the package and the test fixtures."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    checked = 0
    for path in sorted([*root.joinpath("keras_compat").rglob("*.py"), *root.joinpath("tests").rglob("*.py")]):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        ctx = Context(tree, text, Settings(), str(path))
        order, lists = _reference_index(tree)
        assert [(id(c), id(p)) for c, p in ctx.parents.items()] == order, path
        for name, expected in lists.items():
            assert [id(n) for n in getattr(ctx, name)] == expected, (path, name)
        checked += 1
    assert checked > 150


_STAR_SOURCES = [
    "from keras.layers import *\nfrom keras import backend as K\nimport numpy as np\nx = Dense(3)(Input((2,)))\n"
    "y = K.sum(x) + np.zeros(3).sum()\nclass A(Layer):\n    def call(self, x):\n"
    "        return self.w * K.dot(x, self.k) + undefined_name.attr + activations.relu(x)\n",
    "from keras.models import *\nfrom keras.layers import *\nm = Sequential()\nm.add(Dense(1))\nfoo().bar\n"
    "def f(Dense):\n    return Dense.x + Model.y\n",
    "from os.path import *\nfrom keras.layers import *\nj = join('a').upper()\nd = Dense(2)\n",
    "from keras.layers import *\nDense = None\nx = Dense(3)\nConv2D = layers.Conv2D\ny = Conv2D(1, 3)\n",
]


def _compare_with_unfiltered(source: str, filename: str = "<string>") -> int:
    tree = ast.parse(source)
    ctx, unfiltered = Context(tree, source, Settings(), filename), Context(tree, source, Settings(), filename)
    unfiltered._keras_roots = None  # every chain resolved in full
    nodes = [*(call.func for call in ctx.calls), *ctx.attributes]
    assert [ctx.keras(n) for n in nodes] == [unfiltered.keras(n) for n in nodes], source
    return sum(ctx.keras(n) is not None for n in nodes)


def test_the_root_filter_of_a_module_with_star_imports_answers_as_full_resolution(tmp_path) -> None:
    """In a module with star imports a chain may start from a name only a star import binds: the root filter
    lets those through (and the imported and aliased ones), and says None only where resolving would."""
    from keras_compat.registry import all_rules

    found = sum(_compare_with_unfiltered(source) for source in _STAR_SOURCES)
    codes = [example if isinstance(example, str) else example.code
             for rule in all_rules() for example in (*rule.bad, *rule.good)]
    examples = [code for code in codes if "import *" in code]
    found += sum(_compare_with_unfiltered(source) for source in examples)
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "compat.py").write_text("from keras.layers import Dense as MyDense\nfrom keras import backend as K\n")
    model = "from pkg.compat import *\nfrom .compat import *\nx = MyDense(3)\ny = K.sum(x) + other.y + np.z\n"
    (package / "model.py").write_text(model)
    found += _compare_with_unfiltered(model, str(package / "model.py"))
    assert examples and found > 20
