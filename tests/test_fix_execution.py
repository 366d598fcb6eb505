"""Fixes proven by running them: Keras 1 / Keras 2 programs (written here from the Keras 1.2.2 and 2.2.4 APIs),
fixed with ``--fix --unsafe-fixes`` for each target, run on the real libraries (tf-keras 2.21 with
``TF_USE_LEGACY_KERAS=1``; Keras 3.15.1), with checks that the fixed program computes what the legacy one
meant (kernel sizes, merge modes, the learning-rate schedule ...). The linter never runs code; only this test
does, in a subprocess of the cached environment (``support.runtime``)."""

from __future__ import annotations

from functools import cache

import pytest
from support.runtime import Snippet, run_snippets

from keras_compat.engine import lint_source
from keras_compat.fixes import fix_text
from keras_compat.settings import Settings

pytestmark = [pytest.mark.network, pytest.mark.execution, pytest.mark.slow]

PRELUDE = "import numpy as np\nnp.random.seed(0)\n"
#: tf-keras 2.21's image preprocessing checks a module-level ``scipy`` (``if scipy is None: raise ImportError``,
#: a NameError when scipy is missing) even for an ImageDataGenerator without transforms, which never calls into
#: scipy. The test environment has no scipy: an empty stand-in module passes the check.
PRELUDES = {"tf-keras": PRELUDE + "import types\nimport tf_keras.src.preprocessing.image as _image\n"
                                  "_image.scipy = types.ModuleType('scipy')\n",
            "keras3": PRELUDE}

PROGRAMS: dict[str, tuple[str, str]] = {
    # (program, check): the check runs after the fixed program in the same namespace
    "sequential-cnn": ("""\
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Dropout, Activation, Flatten
from keras.layers import Convolution2D, MaxPooling2D
from keras.optimizers import SGD
from keras.utils import np_utils
from keras import backend as K

K.set_image_dim_ordering('tf')
if K.image_dim_ordering() == 'th':
    shape = (1, 8, 8)
else:
    shape = (8, 8, 1)
x = np.random.rand(8, *shape).astype('float32')
y = np_utils.to_categorical(np.random.randint(0, 3, 8), 3)
model = Sequential()
model.add(Convolution2D(4, 3, 3, border_mode='same', input_shape=shape))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(output_dim=3, init='uniform'))
model.add(Dropout(p=0.5))
model.add(Activation('softmax'))
sgd = SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(loss='categorical_crossentropy', optimizer=sgd, metrics=['accuracy'])
model.fit(x, y, nb_epoch=1, batch_size=4, verbose=0)
""", """\
conv = model.layers[0]
assert tuple(conv.kernel_size) == (3, 3) and tuple(conv.strides) == (1, 1), (conv.kernel_size, conv.strides)
assert model.output_shape == (None, 3)
"""),
    "functional-merge": ("""\
import numpy as np
from keras.layers import Input, Dense, merge
from keras.models import Model
a = Input(shape=(4,))
b = Input(shape=(4,))
da = Dense(4)(a)
db = Dense(4)(b)
cat = merge([da, db], mode='concat', concat_axis=-1)
total = merge([da, db], mode='sum')
prod = merge([da, db], mode='mul')
mean = merge([da, db], mode='ave')
top = merge([da, db], mode='max')
inner = merge([da, db], mode='dot', dot_axes=1)
out = merge([cat, total, prod, mean, top, inner], mode='concat')
model = Model(input=[a, b], output=out)
xa = np.random.rand(2, 4).astype('float32')
xb = np.random.rand(2, 4).astype('float32')
res = model.predict([xa, xb])
""", """\
assert res.shape == (2, 8 + 4 * 4 + 1), res.shape
"""),
    "recurrent-time-distributed": ("""\
import numpy as np
from keras.models import Sequential
from keras.layers import TimeDistributedDense, LSTM, Embedding, BatchNormalization, Dense
model = Sequential()
model.add(Embedding(20, 6, input_length=5, dropout=0.1))
model.add(TimeDistributedDense(4, init='glorot_uniform'))
model.add(LSTM(3, dropout_W=0.1, dropout_U=0.1, consume_less='gpu', return_sequences=False))
model.add(BatchNormalization(mode=0))
model.add(Dense(1))
model.compile(loss='mse', optimizer='rmsprop')
res = model.predict(np.random.randint(0, 20, (2, 5)))
""", """\
assert res.shape == (2, 1), res.shape
assert model.layers[1].layer.units == 4
"""),
    "convolutions": ("""\
import numpy as np
from keras.models import Sequential
from keras.layers import AtrousConvolution2D, Deconvolution2D, SeparableConvolution2D, Convolution2D
model = Sequential()
model.add(AtrousConvolution2D(4, 3, 3, atrous_rate=(2, 2), border_mode='same', input_shape=(8, 8, 1)))
model.add(SeparableConvolution2D(4, 3, 3, init='he_normal', border_mode='same'))
model.add(Deconvolution2D(2, 3, 3, (None, 17, 17, 2), subsample=(2, 2)))
model.add(Convolution2D(2, nb_row=2, nb_col=2))
res = model.predict(np.random.rand(1, 8, 8, 1).astype('float32'))
""", """\
assert tuple(model.layers[0].dilation_rate) == (2, 2)
assert tuple(model.layers[2].kernel_size) == (3, 3) and tuple(model.layers[2].strides) == (2, 2)
assert res.shape == (1, 16, 16, 2), res.shape
"""),
    "generators-and-objectives": ("""\
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Flatten
from keras.preprocessing.image import ImageDataGenerator
from keras import objectives
from keras.optimizers import Adagrad
x = np.random.rand(10, 4, 4, 1).astype('float32')
y = np.random.rand(10, 1).astype('float32')
model = Sequential()
model.add(Flatten(input_shape=(4, 4, 1)))
model.add(Dense(1))
model.compile(loss=objectives.mean_squared_error, optimizer=Adagrad(0.01, 1e-08, 0.0))
datagen = ImageDataGenerator()
history = model.fit_generator(datagen.flow(x, y, batch_size=4), samples_per_epoch=10, nb_epoch=1, verbose=0)
score = model.evaluate_generator(datagen.flow(x, y, batch_size=5), val_samples=10)
preds = model.predict_generator(datagen.flow(x, batch_size=5, shuffle=False), val_samples=10)
""", """\
assert preds.shape == (10, 1), preds.shape
assert float(model.optimizer.epsilon) == 1e-08
"""),
}


def _fixed(name: str, target: str) -> str:
    program = PROGRAMS[name][0]
    result = fix_text(program, f"{name}.py", Settings(target=target), unsafe=True)
    return result.text


@cache
def _outcomes(runtime: str) -> dict:
    snippets = [Snippet(f"{name}-{runtime}", _fixed(name, runtime), PRELUDES[runtime], check)
                for name, (_, check) in PROGRAMS.items() if (name, runtime) not in NOT_ON]
    return run_snippets(runtime, snippets)


#: What needs a human on a target, by program: Keras 3 has no ImageDataGenerator (only TensorFlow's tf.keras
#: shim keeps it), so the generator program is proven under tf-keras only.
NOT_ON = {("generators-and-objectives", "keras3")}


@pytest.mark.parametrize("runtime", ["tf-keras", "keras3"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_fixed_legacy_program_runs_on_the_target(name: str, runtime: str) -> None:
    if (name, runtime) in NOT_ON:
        pytest.skip(f"{name} needs a human under {runtime}")
    fixed = _fixed(name, runtime)
    assert fixed != PROGRAMS[name][0]
    left = [d for d in lint_source(fixed, f"{name}.py", Settings(target=runtime))
            if d.code in ("KC102", "KC103", "KC106", "KC109", "KC201", "KC202", "KC203", "KC204", "KC205", "KC207")]
    assert not left, [(d.line, d.code, d.message) for d in left]
    outcome = _outcomes(runtime)[f"{name}-{runtime}"]
    assert outcome.ok, f"{outcome.phase} line {outcome.line}: {outcome.error}\n{fixed}"


def test_decay_schedule_matches_the_legacy_decay_formula() -> None:
    """tf.keras' legacy optimizers kept multi-backend Keras' decay (lr / (1 + decay * iterations), iterations
    read before the update); the fix's InverseTimeDecay(lr, 1, decay) must train to the same weights."""
    code = """\
import numpy as np
import tensorflow as tf
def train(opt):
    tf.random.set_seed(0)
    w = tf.Variable([1.0, -2.0])
    for _ in range(5):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * w)
        opt.apply_gradients([(tape.gradient(loss, w), w)])
    return w.numpy()
legacy = train(tf.keras.optimizers.legacy.SGD(learning_rate=0.1, decay=0.5, momentum=0.9))
schedule = tf.keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)
fixed = train(tf.keras.optimizers.SGD(learning_rate=schedule, momentum=0.9))
assert np.allclose(legacy, fixed, rtol=1e-6), (legacy, fixed)
"""
    outcome = run_snippets("tf-keras", [Snippet("decay", code)])["decay"]
    assert outcome.ok, outcome.error
