"""Custom-layer classification and the KC3xx/KC4xx rules beyond their registry examples."""

from __future__ import annotations

import ast
import textwrap

import pytest

from keras_compat.context import Context
from keras_compat.data import layers as layer_table
from keras_compat.engine import lint_source
from keras_compat.fixes import fix_text
from keras_compat.importer import ensure_import
from keras_compat.layers import Kind, classifier
from keras_compat.settings import Settings


def _ctx(source: str) -> Context:
    source = textwrap.dedent(source)
    return Context(ast.parse(source), source, Settings())


def _kinds(source: str) -> dict[str, Kind | None]:
    ctx = _ctx(source)
    classes = classifier(ctx)
    return {node.name: (classes[node].kind if classes[node] else None) for node in ctx.classes}


def _codes(source: str, prefix: str = "KC", settings: Settings | None = None) -> list[tuple[int, str]]:
    found = lint_source(textwrap.dedent(source), settings=settings)
    return [(d.line, d.code) for d in found if d.code.startswith(prefix)]


# -- classification -----------------------------------------------------------------------------

@pytest.mark.parametrize("imports, base", [
    ("from keras.layers import Layer", "Layer"),
    ("from keras.engine.topology import Layer", "Layer"),
    ("from keras.engine.base_layer import Layer", "Layer"),
    ("import keras.engine as KE", "KE.Layer"),
    ("from keras.engine import Layer", "Layer"),
    ("import keras", "keras.layers.Layer"),
    ("import tensorflow as tf", "tf.keras.layers.Layer"),
    ("from tensorflow import keras", "keras.layers.Layer"),
    ("from tensorflow.keras import layers", "layers.Layer"),
    ("from tensorflow.python.keras.engine.base_layer import Layer", "Layer"),
    ("import tf_keras", "tf_keras.layers.Layer"),
    ("from keras.layers import Dense", "Dense"),
    ("from keras.layers.core import Dense", "Dense"),
    ("from keras.layers.merge import _Merge", "_Merge"),
    ("from keras.layers import Recurrent", "Recurrent"),
    ("import tensorflow as tf", "tf.keras.layers.Conv2D"),
])
def test_layer_bases(imports: str, base: str) -> None:
    assert _kinds(f"{imports}\nclass A({base}):\n    pass\n")["A"] is Kind.LAYER


@pytest.mark.parametrize("imports, base, kind", [
    ("from keras.models import Model", "Model", Kind.MODEL),
    ("from keras.engine.training import Model", "Model", Kind.MODEL),
    ("import tensorflow as tf", "tf.keras.Model", Kind.MODEL),
    ("from tensorflow.keras import Sequential", "Sequential", Kind.MODEL),
    ("from keras.layers import Wrapper", "Wrapper", Kind.WRAPPER),
    ("from keras.layers.wrappers import Wrapper", "Wrapper", Kind.WRAPPER),
    ("from tensorflow.keras.layers import Bidirectional", "Bidirectional", Kind.WRAPPER),
    ("from tensorflow.keras.layers import LSTMCell", "LSTMCell", Kind.RNN_CELL),
    ("from keras.layers import GRUCell", "GRUCell", Kind.RNN_CELL),
    ("from tensorflow.keras.losses import Loss", "Loss", Kind.LOSS),
    ("import keras", "keras.losses.MeanSquaredError", Kind.LOSS),
    ("from tensorflow.keras.metrics import Metric", "Metric", Kind.METRIC),
    ("from keras.callbacks import Callback", "Callback", Kind.CALLBACK),
    ("import tensorflow as tf", "tf.keras.callbacks.Callback", Kind.CALLBACK),
    ("from keras.optimizers import Optimizer", "Optimizer", Kind.OPTIMIZER),
    ("from tensorflow.keras.optimizers.legacy import Adam", "Adam", Kind.OPTIMIZER),
])
def test_other_kinds(imports: str, base: str, kind: Kind) -> None:
    assert _kinds(f"{imports}\nclass A({base}):\n    pass\n")["A"] is kind


def test_rnn_cell_by_state_size() -> None:
    kinds = _kinds("""
        from keras.layers import Layer
        class Cell(Layer):
            state_size = 4
        class Cell2(Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.state_size = [4, 4]
        class Cell3(Layer):
            @property
            def state_size(self):
                return 4
        class SubCell(Cell):
            pass
        class Plain(Layer):
            pass
    """)
    assert kinds == {"Cell": Kind.RNN_CELL, "Cell2": Kind.RNN_CELL, "Cell3": Kind.RNN_CELL,
                     "SubCell": Kind.RNN_CELL, "Plain": Kind.LAYER}


def test_local_subclass_chain_and_kinds() -> None:
    kinds = _kinds("""
        import tensorflow as tf
        class A(tf.keras.layers.Layer):
            pass
        class B(A):
            pass
        class C(B, object):
            pass
        class M(tf.keras.Model):
            pass
        class N(M):
            pass
        class Mixed(A, M):
            pass
        class Plain(object):
            pass
        class Other(Plain):
            pass
    """)
    assert kinds == {"A": Kind.LAYER, "B": Kind.LAYER, "C": Kind.LAYER, "M": Kind.MODEL, "N": Kind.MODEL,
                     "Mixed": Kind.MODEL, "Plain": None, "Other": None}


def test_shadowing_and_non_keras_bases() -> None:
    kinds = _kinds("""
        from keras.layers import Layer
        Layer = object
        class A(Layer):
            pass
        class Layer2:
            pass
        class B(Layer2):
            pass
        from torch.nn import Module
        class C(Module):
            pass
        from keras.engine import InputSpec
        class D(InputSpec):
            pass
    """)
    assert kinds == {"A": None, "Layer2": None, "B": None, "C": None, "D": None}


def test_local_base_redefined_later_is_not_confused() -> None:
    ctx = _ctx("""
        from keras.layers import Layer
        class Base(Layer):
            pass
        class A(Base):
            pass
        class Base:
            pass
        class B(Base):
            pass
    """)
    classes = classifier(ctx)
    names = {n.name + str(n.lineno): classes[n] for n in ctx.classes}
    assert names["A5"] is not None and names["B9"] is None


def test_unknown_bases_are_remembered() -> None:
    ctx = _ctx("""
        from keras.layers import Layer
        from .mixins import ConfigMixin
        class A(ConfigMixin, Layer):
            pass
        class B(A):
            pass
        class C(Layer):
            pass
    """)
    infos = {i.name: i for i in classifier(ctx)}
    assert infos["A"].unknown_bases and infos["B"].unknown_bases and not infos["C"].unknown_bases


# -- tables -----------------------------------------------------------------------------------

def test_tables_have_sources_and_valid_kinds() -> None:
    for op in layer_table.RANDOM_OPS:
        assert op.source and op.kind in ("dropout", "noise")
    for entry in layer_table.TRAINING_SENSITIVE_LAYERS:
        assert entry.source and entry.path.startswith("layers.")


@pytest.mark.network
def test_random_tf_ops_exist_in_tensorflow() -> None:
    """Every ``tensorflow.*`` random op of the table is a public name of the TF 2.15.1 wheel."""
    from tests.test_backend_table import tf_path_exists

    for op in layer_table.RANDOM_OPS:
        if not op.name.startswith("tensorflow.") or op.name.startswith(("tensorflow.random_", "tensorflow.truncated")):
            continue  # TF1 spellings (tf.random_normal) are looked up under compat.v1 below
        assert tf_path_exists("tf" + op.name[len("tensorflow"):]), op.name
    for leaf in ("random_normal", "random_uniform", "truncated_normal"):
        assert tf_path_exists(f"tf.compat.v1.{leaf}")


# -- importer ---------------------------------------------------------------------------------

def test_ensure_import_reuses_and_inserts() -> None:
    ctx = _ctx('"""Doc."""\nfrom __future__ import annotations\nimport tensorflow as tfl\nx = 1\n')
    assert ensure_import(ctx) == ("tfl", None)
    ctx = _ctx('"""Doc."""\nfrom __future__ import annotations\n\nimport keras\n')
    name, edit = ensure_import(ctx)
    assert name == "tf" and edit is not None and (edit.line, edit.col, edit.content) == (4, 0, "import tensorflow as tf\n")
    ctx = _ctx("tf = 3\nimport keras\n")
    assert ensure_import(ctx) is None
    ctx = _ctx("import keras\ndef f(tf):\n    return tf\n")
    assert ensure_import(ctx) is None
    ctx = _ctx("import tensorflow.keras\n")
    assert ensure_import(ctx) == ("tensorflow", None)


def test_kc301_fix_refused_when_tf_is_bound_elsewhere() -> None:
    source = textwrap.dedent("""
        import keras.backend as K
        from keras.layers import Layer
        tf = None
        class A(Layer):
            def call(self, x):
                return K.sum(x)
    """)
    found = [d for d in lint_source(source) if d.code == "KC301"]
    assert len(found) == 1 and found[0].fix is None and "tf.reduce_sum" in found[0].message


def test_kc301_fix_deduplicates_the_import() -> None:
    source = textwrap.dedent("""\
        from tensorflow.keras import backend as K
        from tensorflow.keras.layers import Layer
        class A(Layer):
            def call(self, x):
                return K.sum(K.reshape(x, (-1,)))
    """)
    result = fix_text(source, unsafe=True)
    assert result.text.count("import tensorflow as tf") == 1
    assert "tf.reduce_sum(tf.reshape(x, (-1,)))" in result.text


# -- backend rules ----------------------------------------------------------------------------

def test_backend_messages_name_the_replacement() -> None:
    found = lint_source(textwrap.dedent("""
        from keras import backend as K
        from keras.layers import Layer
        class A(Layer):
            def call(self, x):
                a = K.mean(x)
                b = K.concatenate([a, a])
                return K.clip(b, 0, 1)
    """))
    messages = [d.message for d in found if d.code == "KC301"]
    assert any("tf.reduce_mean" in m for m in messages)
    assert any("tf.concat" in m for m in messages)
    assert any("tf.clip_by_value" in m for m in messages)


def test_config_reads_and_compat_branches_are_silent() -> None:
    assert _codes("""
        from keras import backend as K
        from keras.layers import Layer
        class A(Layer):
            def call(self, x):
                if K.image_data_format() == 'channels_first':
                    x = x * K.epsilon()
                return K.cast(x, K.floatx()) if K.backend() == 'theano' else x
    """, "KC3") == []


def test_tensorflow_backend_branch_is_live_code() -> None:
    assert _codes("""
        from keras import backend as K
        def f(x):
            if K.backend() == 'tensorflow':
                return K.sum(x)
            else:
                return K.mean(x)
    """, "KC3") == [(5, "KC303")]


def test_backend_call_outside_layers_is_kc303() -> None:
    assert _codes("""
        import tensorflow as tf
        from tensorflow.keras import backend as K
        from tensorflow.keras.losses import Loss
        class L(Loss):
            def call(self, y, p):
                return K.mean(p)
        def metric(y, p):
            return K.sum(p)
        class Layerish(tf.keras.layers.Layer):
            def call(self, x):
                return K.sum(x)
    """, "KC3") == [(7, "KC303"), (9, "KC303"), (12, "KC301")]


def test_removed_functions_and_k_tf() -> None:
    assert _codes("""
        from keras import backend as K
        K.set_learning_phase(1)
        K.manual_variable_initialization(True)
        y = K.logsumexp(x)
        z = K.tf.constant(1)
        s = tf_session = K.get_session
    """, "KC3") == [(3, "KC302"), (4, "KC302"), (5, "KC302"), (6, "KC302")]


def test_set_session_message_gives_tf2_way() -> None:
    found = lint_source("import keras.backend as K\nK.set_session(s)\n")
    assert "set_memory_growth" in next(d.message for d in found if d.code == "KC302")


def test_extra_backend_aliases() -> None:
    settings = Settings(extra_backend_aliases=("mypkg.backend",))
    source = "import mypkg.backend as K\nimport keras\ny = K.mean(x)\n"
    assert (3, "KC303") in _codes(source, "KC3", settings)
    assert _codes(source, "KC3") == []


# -- training rules ---------------------------------------------------------------------------

def test_sublayers_without_training_are_correct() -> None:
    source = """
        from tensorflow.keras import layers
        class Block(layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.drop = layers.Dropout(0.3)
                self.bn = layers.BatchNormalization()
            def call(self, x):
                return self.bn(self.drop(x))
            def get_config(self):
                return super().get_config()
    """
    assert _codes(source, "KC4") == []
    assert _codes(source, "KC4", Settings(extend_select=("KC408",))) == [(8, "KC408")]


def test_training_passed_on_is_silent() -> None:
    assert _codes("""
        import tensorflow as tf
        from tensorflow import keras
        class Block(keras.layers.Layer):
            def call(self, x, training=None):
                x = self.drop(x, training=training)
                return tf.nn.dropout(x, 0.1) if training else x
        class Aug(keras.layers.Layer):
            def call(self, x, training=None):
                if not training:
                    return x
                return x + tf.random.normal(tf.shape(x))
        class Aug2(keras.layers.Layer):
            def call(self, x, training=None):
                noisy = x + tf.random.normal(tf.shape(x))
                return tf.keras.backend.in_train_phase(noisy, x, training=training)
    """, "KC4") == []


def test_kc401_kwargs_learning_phase_and_raw_ops() -> None:
    assert _codes("""
        import tensorflow as tf
        import keras
        from keras import backend as K
        class A(keras.layers.Layer):
            def call(self, x, **kwargs):
                training = kwargs.get('training')
                return x
        class B(keras.layers.Layer):
            def call(self, x):
                return keras.random.dropout(x, 0.5)
        class C(keras.layers.Layer):
            def call(self, x):
                return x + K.random_normal(K.shape(x))
        class D(keras.layers.Layer):
            def call(self, x):
                return self.helper(x)
        class E(keras.layers.Layer):
            def call(self, x, **kwargs):
                return x
    """, "KC401") == [(6, "KC401"), (10, "KC401"), (13, "KC401")]


def test_kc401_in_train_phase_message_mentions_keras3() -> None:
    found = lint_source(textwrap.dedent("""
        from tensorflow.keras import backend as K
        from tensorflow.keras.layers import Layer
        class A(Layer):
            def call(self, x):
                return K.in_train_phase(x * 0.5, x)
    """))
    kc401 = [d for d in found if d.code == "KC401"]
    assert len(kc401) == 1 and "Keras 3" in kc401[0].message and kc401[0].line == 5
    assert not [d for d in found if d.code == "KC301"]  # owned by the training rule


def test_sampling_and_mc_dropout_layers_are_deliberate() -> None:
    assert _codes("""
        import tensorflow as tf
        class Sampling(tf.keras.layers.Layer):
            def call(self, inputs):
                m, v = inputs
                return m + tf.exp(0.5 * v) * tf.random.normal(tf.shape(m))
        class MCDropout(tf.keras.layers.Layer):
            def call(self, x):
                return tf.nn.dropout(x, 0.5)
    """, "KC4") == []


def test_functions_and_non_layers_are_not_checked() -> None:
    assert _codes("""
        import tensorflow as tf
        def call(x):
            return tf.nn.dropout(x, 0.5)
        class Cb(tf.keras.callbacks.Callback):
            def call(self, x, training):
                return tf.nn.dropout(x, 0.5)
    """, "KC4") == []


def test_kc403_fix_refused_before_positional_parameter() -> None:
    found = [d for d in lint_source(textwrap.dedent("""
        import tensorflow as tf
        class A(tf.keras.layers.Layer):
            def call(self, x, training, mask):
                return x
    """)) if d.code == "KC403"]
    assert len(found) == 1 and found[0].fix is None


def test_kc403_rnn_cell() -> None:
    source = textwrap.dedent("""\
        import tensorflow as tf
        class Cell(tf.keras.layers.Layer):
            state_size = 4
            def call(self, inputs, states, training):
                return inputs, states
    """)
    assert _codes(source, "KC403") == [(4, "KC403")]
    assert "training=None" in fix_text(source).text


# -- contract rules ---------------------------------------------------------------------------

def test_contract_on_models_and_unknown_bases() -> None:
    assert _codes("""
        import tensorflow as tf
        from .mixins import ConfigMixin
        class Net(tf.keras.Model):
            def __init__(self, units):
                super().__init__()
                self.units = units
        class A(ConfigMixin, tf.keras.layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
    """, "KC4") == []


def test_contract_findings() -> None:
    assert _codes("""
        import keras
        class A(keras.layers.Layer):
            def __init__(self, units):
                self.units = units
        class B(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                keras.layers.Layer.__init__(self)
                self.units = units
    """, "KC4") == [(3, "KC405"), (4, "KC404"), (4, "KC406"), (6, "KC405"), (7, "KC404")]


def test_get_config_in_local_base_and_forwarded_arguments() -> None:
    assert _codes("""
        from keras.layers import Layer, Dense
        class Base(Layer):
            def get_config(self):
                return super().get_config()
        class A(Base):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.units = units
        class MyDense(Dense):
            def __init__(self, units, activation=None, **kwargs):
                super().__init__(units, activation=activation, **kwargs)
    """, "KC405") == []


def test_kc407_rename_refused_when_referenced() -> None:
    source = textwrap.dedent("""
        from keras.layers import Layer
        class A(Layer):
            def get_output_shape_for(self, s):
                return s
            def compute_output_shape(self, s):
                return self.get_output_shape_for(s)
    """)
    found = [d for d in lint_source(source) if d.code == "KC407"]
    assert len(found) == 1 and found[0].fix is None and "already defined" in found[0].message


def test_kc407_build_of_abstract_base_is_fine() -> None:
    assert _codes("""
        from keras.layers import Layer, Recurrent, Wrapper
        class A(Recurrent):
            def build(self, input_shape):
                self.w = self.add_weight(name='w', shape=(1,))
        class W(Wrapper):
            def build(self, input_shape):
                self.layer.build(input_shape)
        class Base(Layer):
            def build(self, input_shape):
                self.built = True
        class Sub(Base):
            def build(self, input_shape):
                self.w = self.add_weight(name='w', shape=(1,))
    """, "KC407") == []


@pytest.mark.network
def test_model_factories_are_public_tf_keras_functions() -> None:
    """Every model-returning function of the table is a public function of tf-keras 2.15."""
    from tests.test_tables import tf_keras_api

    api = tf_keras_api()
    for path in layer_table.MODEL_FACTORIES:
        found = api.definition(path)
        assert found is not None, f"{path} is not in the tf-keras 2.15 public API"
        assert isinstance(found[1], ast.FunctionDef), path
