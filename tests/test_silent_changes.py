"""Silent changes (issue 20, 2b): KC210 changed defaults, KC211 removed metric strings, KC212 get_updates, and
the loaders' ``nb_words`` (KC201). The rules' own examples run in test_examples.py and on the real libraries in
test_rule_execution.py; these are the edges: what must stay silent, and the generated table against the
real signatures."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from keras_compat.data.defaults import CHANGED_DEFAULTS
from keras_compat.engine import lint_source
from keras_compat.fixes import fix_text
from keras_compat.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _codes(text: str, target: str = "tf-keras", code: str | None = None) -> list[tuple[int, str]]:
    found = lint_source(text, "example.py", Settings(target=target))
    return [(d.line, d.code) for d in found if code is None or d.code == code]


def _generator():
    spec = importlib.util.spec_from_file_location("generate_changed_defaults",
                                                  ROOT / "scripts" / "generate_changed_defaults.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.network
def test_changed_defaults_table_matches_the_real_signatures() -> None:
    """The shipped table is what the script generates from keras 1.2.2 / 2.2.4 / 2.3.x, tf-keras 2.15, keras 3."""
    generator = _generator()
    try:
        text = generator.render(generator.extract())
    except Exception as exc:  # the download helpers skip unmarked or offline runs themselves
        if type(exc).__name__ == "IndexUnreachable":
            pytest.skip(str(exc))
        raise
    assert text == (ROOT / "keras_compat" / "data" / "defaults.py").read_text(encoding="utf-8"), \
        "keras_compat/data/defaults.py is stale: run python scripts/generate_changed_defaults.py"


def test_changed_defaults_table_facts() -> None:
    """The figures issue 20 names are in the table; every entry differs under at least one target."""
    by_key = {(e.callable, e.parameter): e for e in CHANGED_DEFAULTS}
    assert by_key[("layers.LSTM", "recurrent_activation")].legacy == "'hard_sigmoid'"
    assert by_key[("layers.LSTM", "recurrent_activation")].changed_in == "Keras 2.3.0"
    assert by_key[("layers.GRU", "reset_after")].legacy == "False"
    assert {p: by_key[(f"optimizers.{p}", "learning_rate")].legacy for p in ("Adadelta", "Adagrad", "Adamax", "Nadam")} \
        == {"Adadelta": "1.0", "Adagrad": "0.01", "Adamax": "0.002", "Nadam": "0.002"}
    assert ("optimizers.Adam", "learning_rate") not in by_key  # 0.001 everywhere
    for entry in CHANGED_DEFAULTS:
        legacy = ast.literal_eval(entry.legacy)
        assert legacy != ast.literal_eval(entry.tf_keras) or legacy != ast.literal_eval(entry.keras3), entry
        assert entry.source.count("__init__") >= 3, entry.source


@pytest.mark.parametrize("target", ["tf-keras", "keras3"])
@pytest.mark.parametrize("text", [
    # modern code relies on the modern defaults
    "from tensorflow.keras.layers import LSTM, GRU\nfrom tensorflow.keras.optimizers import Adadelta\n"
    "l = LSTM(8)\ng = GRU(8)\no = Adadelta()\nmodel.compile(optimizer='adadelta', loss='mse')\n",
    "import tf_keras\nl = tf_keras.layers.GRU(8)\n",
    # a module that also imports tensorflow.keras was ported (era.py)
    "import tensorflow as tf\nfrom keras.layers import GRU\nfrom keras.layers.core import Dense\ng = GRU(8)\n"
    "d = tf.keras.layers.Dense(3)\n",
    # explicit by keyword, Keras 1 name, position; unknown through **kwargs
    "from keras.layers.core import Dense\nfrom keras.layers import LSTM\nl = LSTM(8, inner_activation='sigmoid')\n",
    "from keras.layers.core import Dense\nfrom keras.layers import LSTM\nl = LSTM(8, 'tanh', 'sigmoid')\n",
    "from keras.layers.core import Dense\nfrom keras.layers import LSTM\nl = LSTM(8, **options)\n",
    "from keras.layers.core import Dense\nfrom keras.optimizers import Adamax\no = Adamax(0.002)\n",
    # compatibility code
    "from keras.layers.core import Dense\ntry:\n    from keras.layers import CuDNNGRU as GRU\nexcept ImportError:\n"
    "    from keras.layers import GRU\n",
    # a string that selects an optimizer whose default did not change
    "from keras.layers.core import Dense\nmodel.compile(optimizer='adam', loss='mse')\n",
])
def test_changed_default_stays_silent(text: str, target: str) -> None:
    assert _codes(text, target, "KC210") == []


def test_keras3_needs_era_evidence_and_recurrent_activation_needs_it_everywhere() -> None:
    plain = "import keras\nl = keras.layers.LSTM(8)\no = keras.optimizers.Adadelta()\n"
    assert _codes(plain, "keras3", "KC210") == []
    assert _codes(plain, "tf-keras", "KC210") == [(3, "KC210")]  # Keras 2.3 already had sigmoid: no LSTM finding
    legacy = "import keras\nfrom keras.layers.core import Dense\nl = keras.layers.LSTM(8)\no = keras.optimizers.Adadelta()\n"
    assert _codes(legacy, "keras3", "KC210") == [(3, "KC210"), (4, "KC210")]


def test_convlstm2d_only_under_keras3() -> None:
    text = "from keras.layers.core import Dense\nfrom keras.layers import ConvLSTM2D\nc = ConvLSTM2D(4, (3, 3))\n"
    assert _codes(text, "tf-keras", "KC210") == []
    assert _codes(text, "keras3", "KC210") == [(3, "KC210")]


def test_changed_default_fix_writes_every_missing_default_once() -> None:
    text = "from keras.layers.core import Dense\nfrom keras.layers import GRU\ng = GRU(\n    8,\n)\n"
    fixed = fix_text(text, "m.py", Settings(target="tf-keras", select=("KC210",)), unsafe=True).text
    assert fixed.endswith("g = GRU(\n    8, recurrent_activation='hard_sigmoid', reset_after=False,\n)\n")
    empty = "from keras.layers.core import Dense\nfrom keras.optimizers import Adagrad\no = Adagrad()\n"
    assert fix_text(empty, "m.py", Settings(target="keras3", select=("KC210",)), unsafe=True).text.endswith(
        "o = Adagrad(learning_rate=0.01)\n")
    assert fix_text(empty, "m.py", Settings(target="keras3", select=("KC210",)), unsafe=False).text == empty


def test_changed_default_leaves_the_learning_rate_of_a_decay_to_kc205() -> None:
    text = "from keras.optimizers import Adadelta\nopt = Adadelta(decay=1e-4)\nopt2 = Adadelta(rho=0.9, decay=0.0)\n"
    assert _codes(text, code="KC210") == [(2, "KC210"), (3, "KC210")]
    fixed = fix_text(text, "m.py", Settings(target="tf-keras"), unsafe=True).text
    assert "opt = Adadelta(learning_rate=schedules.InverseTimeDecay(1.0, decay_steps=1, decay_rate=1e-4))\n" in fixed
    assert fixed.endswith("opt2 = Adadelta(rho=0.9, learning_rate=1.0)\n")


def test_changed_default_message_names_the_replacement() -> None:
    text = "from keras.layers.core import Dense\nmodel.compile(optimizer='Adadelta', loss='mse')\n"
    (finding,) = [d for d in lint_source(text, "m.py", Settings(target="keras3")) if d.code == "KC210"]
    assert "optimizer=Adadelta(learning_rate=1.0)" in finding.message and "0.001" in finding.message


@pytest.mark.parametrize("target", ["tf-keras", "keras3"])
def test_removed_metric_strings(target: str) -> None:
    text = ("import tensorflow as tf\nmodel = tf.keras.Sequential()\n"
            "model.compile('sgd', 'mse', {'out': ['fbeta_score'], 'aux': ('matthews_correlation', 'mae')})\n"
            "model.compile(optimizer='sgd', loss='mse', metrics=['precision'])\n"
            "log = {'metrics': ['precision']}\n")
    expected = [(3, "KC211"), (3, "KC211")] + ([(4, "KC211")] if target == "tf-keras" else [])
    assert _codes(text, target, "KC211") == expected  # Keras 3 code may mean Keras 3's Precision


def test_removed_metric_needs_keras() -> None:
    assert _codes("import tensorflow_hub\nmodel.compile(metrics=['fmeasure'])\n", code="KC211") == []
    assert _codes("model.compile(metrics=['fmeasure'])\n", code="KC211") == []


def test_legacy_get_updates_edges() -> None:
    assert _codes("import keras\nu = opt.get_updates(loss=loss, params=params)\n", code="KC212") == []
    keywords = "import keras\nu = opt.get_updates(params=p, constraints=c, loss=l)\n"
    assert _codes(keywords, code="KC212") == [(2, "KC212")]
    assert _codes("import numpy as np\nu = np.get_updates(a, b, c)\n", code="KC212") == []
    assert _codes("import keras\nimport numpy as np\nu = np.get_updates(a, b, c)\n", code="KC212") == []
    text = "import keras\n\nclass Opt(keras.optimizers.Optimizer):\n" \
           "    def get_updates(self, params, constraints, loss):\n        return []\n"
    (finding,) = [d for d in lint_source(text, "m.py", Settings()) if d.code == "KC212"]
    assert (finding.line, finding.col) == (4, 8)


@pytest.mark.parametrize("target", ["tf-keras", "keras3"])
def test_loader_nb_words_renamed(target: str) -> None:
    text = "from keras.datasets import imdb, reuters\n(x, y), _ = imdb.load_data(nb_words=5000)\n" \
           "(a, b), _ = reuters.load_data(nb_words=5000, test_split=0.2)\n"
    found = [d for d in lint_source(text, "m.py", Settings(target=target)) if d.code in ("KC201", "KC206")]
    assert [(d.line, d.code) for d in found] == [(2, "KC201"), (3, "KC201")]
    assert "not capped" in found[0].message
    fixed = fix_text(text, "m.py", Settings(target=target, select=("KC201",))).text
    assert "imdb.load_data(num_words=5000)" in fixed and "reuters.load_data(num_words=5000, test_split=0.2)" in fixed


# -- KC204 in modules that import no Keras (issue 20, 2b) ------------------------------------------------------

_TRAINING = "def train(model, gen, x):\n    model.fit_generator(gen, steps_per_epoch=10)\n" \
            "    model.evaluate_generator(gen, steps=2)\n    model.predict_generator(gen, steps=2)\n" \
            "    return model.predict_classes(x)\n"


def test_keras_only_methods_in_a_module_without_keras() -> None:
    assert _codes(_TRAINING, code="KC204") == [(2, "KC204"), (3, "KC204"), (4, "KC204"), (5, "KC204")]
    fixed = fix_text(_TRAINING, "train.py", Settings(select=("KC204",))).text
    assert "model.fit(gen, steps_per_epoch=10)" in fixed and "model.predict(gen, steps=2)" in fixed


def test_keras_only_methods_reach_flake8_through_its_text_gate(tmp_path) -> None:
    from support.frontends import parse_flake8, run_flake8

    path = tmp_path / "train.py"
    path.write_text(_TRAINING, encoding="utf-8")
    _, out, _ = run_flake8([str(path)])
    assert sorted((line, code) for _, line, _, code in parse_flake8(out) if code == "KC204") == \
        [(2, "KC204"), (3, "KC204"), (4, "KC204"), (5, "KC204")]


@pytest.mark.parametrize("text", [
    # scikit-learn's predict_proba: the known false positive (a Keras module that also uses scikit-learn)
    "import keras\nfrom sklearn.linear_model import LogisticRegression\nclf = LogisticRegression()\n"
    "p = clf.predict_proba(x)\n",
    "import keras\nfrom sklearn.ensemble import RandomForestClassifier\n\n\nclass Stack:\n"
    "    def __init__(self):\n        self.forest = RandomForestClassifier()\n\n"
    "    def proba(self, x):\n        return self.forest.predict_proba(x)\n",
    "from keras.wrappers.scikit_learn import KerasClassifier\nclf = KerasClassifier(build_fn=make)\n"
    "p = clf.predict_proba(x)\n",
    # no Keras at all: predict_proba is scikit-learn's name too
    "def score(estimator, x):\n    return estimator.predict_proba(x)[:, 1]\n",
    # a module's own method of that name
    "class Runner:\n    def predict_classes(self, x):\n        return x\n\n    def go(self, x):\n"
    "        return self.predict_classes(x)\n",
    "import numpy as np\nclasses = np.predict_classes(x)\n",
])
def test_shared_method_names_need_keras_evidence(text: str) -> None:
    assert _codes(text, code="KC204") == []


def test_predict_proba_on_a_keras_model_beside_scikit_learn() -> None:
    text = "from keras.models import load_model\nfrom sklearn.metrics import roc_auc_score\n" \
           "model = load_model('m.h5')\nauc = roc_auc_score(y, model.predict_proba(x))\n"
    assert _codes(text, code="KC204") == [(4, "KC204")]
    assert _codes("import keras\np = model.predict_proba(x)\n", code="KC204") == [(2, "KC204")]
