"""Makes a legacy Keras program run offline and fast in the migration harness (``support.migration``).

Python imports this module at start-up when its directory is on ``PYTHONPATH``. It imports neither Keras nor
TensorFlow itself (the program under test decides what it imports, and when); it changes four things:

* **No network.** Every TCP connection raises :class:`DownloadBlocked`, so ``get_file`` of a data file or of
  pre-trained weights fails with an error the harness classifies as *needs-data*.
* **Random datasets.** The dataset modules of Keras 3 and tf-keras (``keras.src.datasets.*``,
  ``tf_keras.src.datasets.*``) download through ``get_file``; there it writes a file of the real format with
  random data instead, so the library's own ``load_data`` runs on it with its real signature and keyword
  handling. Image datasets keep their real sizes (programs hard-code ``x_train.reshape(60000, 784)``); the
  text datasets are small but keep the real vocabulary size. CIFAR's loaders read a 160 MB archive, so those
  two ``load_data`` functions are replaced (with their real signature).
* **Short training.** ``fit`` runs one epoch of at most 2 batches: arrays are cut to two batches, generators,
  ``Sequence``s and datasets get at most 2 steps (also for validation); ``evaluate`` likewise. ``predict``
  keeps its input (programs compare its output with their labels) but at most 2 steps of a generator.
* **An outcome record.** An uncaught exception is written as JSON to ``$KC_HARNESS_RESULT``: its type, its
  message, the innermost line of the program (``$KC_HARNESS_SCRIPT``; for a traced function, the innermost
  program frame that TensorFlow names in the message) and, for an ImportError, the module.
"""

import functools
import gzip
import importlib.abc
import importlib.machinery
import inspect
import json
import os
import re
import socket
import sys
import tempfile
import traceback

MAX_STEPS = 2
N_TRAIN, N_TEST = 60000, 10000  # MNIST and Fashion-MNIST (labels cycle through the classes)
N_CIFAR_TRAIN, N_CIFAR_TEST = 50000, 10000
N_SEQ_TRAIN, N_SEQ_TEST = 128, 64  # text datasets (imdb, reuters)
VOCABULARY = {"imdb": 88584, "reuters": 30979}  # words in the real files' indices (before index_from)
CLASSES = {"imdb": 2, "reuters": 46}


class DownloadBlocked(RuntimeError):
    """The program tried to download something (the harness runs offline)."""


# -- no network ------------------------------------------------------------------------------------------------

def _blocked(*args, **kwargs):
    raise DownloadBlocked(f"network access blocked by the migration harness: {args[:2]!r}")


_real_connect = socket.socket.connect


def _connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _blocked(address)
    return _real_connect(self, address)


socket.socket.connect = _connect
socket.create_connection = _blocked
socket.getaddrinfo = _blocked


# -- tiny datasets -----------------------------------------------------------------------------------------------

def _rng():
    import numpy as np

    return np.random.RandomState(1234)


def _pixels(shape):
    """Random uint8 pixels, fast (the generator's raw bytes)."""
    import numpy as np

    return np.frombuffer(np.random.default_rng(1234).bytes(int(np.prod(shape))), dtype="uint8").reshape(shape)


def _labels(n, classes):
    import numpy as np

    return (np.arange(n) % classes).astype("uint8")


def _write_mnist(target):
    import numpy as np

    np.savez(target, x_train=_pixels((N_TRAIN, 28, 28)), y_train=_labels(N_TRAIN, 10),
             x_test=_pixels((N_TEST, 28, 28)), y_test=_labels(N_TEST, 10))


def _sequences(rng, n, vocabulary):
    """Word ranks like the real files': mostly frequent words, some from the whole vocabulary."""
    import numpy as np

    out = np.empty(n, dtype=object)
    for i in range(n):
        length = rng.randint(10, 300)
        frequent = rng.zipf(1.3, length) % 5000 + 1
        rare = rng.randint(1, vocabulary + 1, length)
        out[i] = [int(w) for w in np.where(rng.rand(length) < 0.1, rare, frequent)]
    return out


def _write_text(target, name):
    import numpy as np

    rng = _rng()
    vocabulary, classes = VOCABULARY[name], CLASSES[name]
    if name == "reuters":  # one set, split by the loader's test_split
        count = N_SEQ_TRAIN + N_SEQ_TEST
        np.savez(target, x=_sequences(rng, count, vocabulary), y=_labels(count, classes).astype("int64"))
        return
    np.savez(target, x_train=_sequences(rng, N_SEQ_TRAIN, vocabulary),
             y_train=_labels(N_SEQ_TRAIN, classes).astype("int64"),
             x_test=_sequences(rng, N_SEQ_TEST, vocabulary), y_test=_labels(N_SEQ_TEST, classes).astype("int64"))


def _write_word_index(target, name):
    with open(target, "w") as handle:
        json.dump({f"word{i}": i for i in range(1, VOCABULARY[name] + 1)}, handle)


def _write_boston(target):
    import numpy as np

    rng = _rng()
    np.savez(target, x=rng.rand(128, 13) * 100, y=rng.rand(128) * 50)


def _write_idx(target, kind, n):
    if kind == "labels":
        payload = b"\0" * 8 + _labels(n, 10).tobytes()
    else:
        payload = b"\0" * 16 + _pixels((n, 28, 28)).tobytes()
    with gzip.open(target, "wb") as handle:
        handle.write(payload)


def _fake_file(origin):
    """Write a tiny stand-in for the dataset file ``origin`` names; return its path."""
    base = os.path.basename(str(origin or ""))
    directory = tempfile.mkdtemp(prefix="kc-dataset-")
    target = os.path.join(directory, base or "data")
    if base == "mnist.npz":
        _write_mnist(target)
    elif base in ("imdb.npz", "reuters.npz"):
        _write_text(target, base[:-4])
    elif base in ("imdb_word_index.json", "reuters_word_index.json"):
        _write_word_index(target, base.split("_")[0])
    elif base == "boston_housing.npz":
        _write_boston(target)
    elif base.endswith("-idx1-ubyte.gz"):
        _write_idx(target, "labels", N_TRAIN if base.startswith("train") else N_TEST)
    elif base.endswith("-idx3-ubyte.gz"):
        _write_idx(target, "images", N_TRAIN if base.startswith("train") else N_TEST)
    else:
        raise DownloadBlocked(f"no offline stand-in for dataset file {origin!r}")
    return target


def _dataset_get_file(fname=None, origin=None, *args, **kwargs):
    return _fake_file(origin)


def _cifar(module, classes):
    """A ``load_data`` for CIFAR with the real signature and tiny data of the real shapes."""
    original = module.load_data
    signature = inspect.signature(original)

    @functools.wraps(original)
    def load_data(*args, **kwargs):
        import numpy as np

        bound = signature.bind(*args, **kwargs)  # the real TypeError for arguments the loader never took
        bound.apply_defaults()
        mode = bound.arguments.get("label_mode")
        if mode is not None and mode not in ("fine", "coarse"):
            raise ValueError(f"`label_mode` must be one of `'fine'`, `'coarse'`. Received: label_mode={mode}.")
        count = 20 if mode == "coarse" else classes
        x_train, x_test = _pixels((N_CIFAR_TRAIN, 3, 32, 32)), _pixels((N_CIFAR_TEST, 3, 32, 32))
        if module.backend.image_data_format() == "channels_last":
            x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
        y_train = _labels(N_CIFAR_TRAIN, count).reshape(-1, 1)
        y_test = _labels(N_CIFAR_TEST, count).reshape(-1, 1)
        return (np.array(x_train), y_train), (np.array(x_test), y_test)

    return load_data


def _patch_dataset(module):
    if hasattr(module, "get_file"):
        module.get_file = _dataset_get_file
    leaf = module.__name__.rsplit(".", 1)[-1]
    if leaf in ("cifar10", "cifar100") and hasattr(module, "load_data"):
        module.load_data = _cifar(module, 10 if leaf == "cifar10" else 100)


# -- short training ----------------------------------------------------------------------------------------------

def _is_array(data):
    return hasattr(data, "shape") and hasattr(data, "__len__")


def _is_stream(data):
    """A generator, iterator, Sequence or dataset (not arrays, nor lists, tuples or dicts of arrays)."""
    if data is None or isinstance(data, (list, tuple, dict)) or _is_array(data):
        return False
    return any(hasattr(data, attr) for attr in ("__next__", "__getitem__", "element_spec", "__iter__"))


def _head(data, count):
    """The first ``count`` samples of arrays (also inside lists, tuples and dicts); anything else unchanged."""
    if _is_array(data) and len(data.shape) > 0:
        return data[:count]
    if isinstance(data, (list, tuple)) and not isinstance(data, str):
        return type(data)(_head(item, count) for item in data) if not hasattr(data, "_fields") else data
    if isinstance(data, dict):
        return {key: _head(value, count) for key, value in data.items()}
    return data


def _cap(original, adjust):
    signature = inspect.signature(original)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return original(*args, **kwargs)  # the library's own error for a call it does not accept
        adjust(bound.arguments)
        return original(*bound.args, **bound.kwargs)

    return wrapper


def _smaller(value):
    return value if value is None else min(value, MAX_STEPS)


def _batches(arguments, *names):
    count = MAX_STEPS * (arguments.get("batch_size") or 32)
    for name in names:
        if name in arguments:
            arguments[name] = _head(arguments[name], count)


def _adjust_fit(arguments):
    arguments["epochs"] = (arguments.get("initial_epoch") or 0) + 1
    _batches(arguments, "x", "y", "sample_weight", "validation_data")
    if arguments.get("steps_per_epoch") is not None or _is_stream(arguments.get("x")):
        arguments["steps_per_epoch"] = _smaller(arguments.get("steps_per_epoch")) or MAX_STEPS
    if arguments.get("validation_steps") is not None or _is_stream(arguments.get("validation_data")):
        arguments["validation_steps"] = _smaller(arguments.get("validation_steps")) or MAX_STEPS


def _adjust_evaluate(arguments):
    _batches(arguments, "x", "y", "sample_weight")
    _adjust_predict(arguments)


def _adjust_predict(arguments):
    if arguments.get("steps") is not None or _is_stream(arguments.get("x")):
        arguments["steps"] = _smaller(arguments.get("steps")) or MAX_STEPS


def _patch_trainer(cls):
    for name, adjust in (("fit", _adjust_fit), ("evaluate", _adjust_evaluate), ("predict", _adjust_predict)):
        if name in vars(cls):
            setattr(cls, name, _cap(vars(cls)[name], adjust))


def _patch_keras3_trainer(module):
    _patch_trainer(module.TensorFlowTrainer)


def _patch_tf_keras_training(module):
    _patch_trainer(module.Model)


# -- import hook -------------------------------------------------------------------------------------------------

def _patch_for(name):
    if name == "keras.src.backend.tensorflow.trainer":
        return _patch_keras3_trainer
    if name == "tf_keras.src.engine.training":
        return _patch_tf_keras_training
    for package in ("keras.src.datasets.", "tf_keras.src.datasets."):
        if name.startswith(package) and name.count(".") == package.count("."):
            return _patch_dataset
    return None


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, patch):
        self._loader, self._patch = loader, patch

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._patch(module)


class _PatchingFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        patch = _patch_for(name)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _PatchingLoader(spec.loader, patch)
        return spec


sys.meta_path.insert(0, _PatchingFinder())


# -- outcome record ----------------------------------------------------------------------------------------------

def _record(exc_type, exc, tb):
    path = os.environ.get("KC_HARNESS_RESULT")
    if path:
        script = os.path.realpath(os.environ.get("KC_HARNESS_SCRIPT", ""))
        line = None
        for frame, lineno in traceback.walk_tb(tb):
            if os.path.realpath(frame.f_code.co_filename) == script:
                line = lineno
        message = str(exc)
        # A traced function (tf.function, a layer's call() in graph mode) fails in generated code; TensorFlow
        # names the user's frames in the message ("in user code: File ..., line N"): the innermost is the line.
        for match in re.finditer(r'File "([^"]+)", line (\d+)', message):
            if os.path.realpath(match.group(1)) == script:
                line = int(match.group(2))
        record = {"type": exc_type.__name__, "message": message[:4000], "line": line,
                  "module": getattr(exc, "name", None) if isinstance(exc, ImportError) else None}
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(record, handle)
    _previous_hook(exc_type, exc, tb)


_previous_hook = sys.excepthook
sys.excepthook = _record
