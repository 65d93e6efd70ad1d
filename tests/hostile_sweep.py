"""The systematic hostile sweep of issue 17: every public function, every argument, every class of bad value.

``CALLS`` lists each public function (and estimator, and method) with arguments
that make it work; ``variants(value)`` derives, from each argument's working
value, the hostile values of every class in ``CLASSES`` that fit it (an
array gets NaN, inf, 1e308, empty, strings, complex, bools, ragged rows,
read-only...; a number gets NaN, inf, 1e308, 10**12, -1, 0, True, None, "3"...).
``outcome(call)`` runs one and says how it ended: "refused" (a TypeError,
ValueError or OSError with a message, within the time limit), "ok" (a result
holding no NaN or inf, no RuntimeWarning), or a defect: "crash" (any other
exception: IndexError, ZeroDivisionError, a NumPy error...), "silent"
(NaN or inf in the result, or a RuntimeWarning), "slow" (no answer within
``TIME_LIMIT`` seconds: unbounded work).

tests/test_hostile_sweep.py runs every case; this module holds the table so
that a new public function is one more row.
"""
import atexit
import math
import shutil
import signal
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

import rnn_lesson as rl
from rnn_lesson import fast
from rnn_lesson.cells import gru, lstm, rnn as rnn_cell
from rnn_lesson.data import memory
from rnn_lesson.layers import linear

TIME_LIMIT = 10  # seconds: every refusal comes from the arguments, before the work


class TooSlow(Exception):
    pass


# ------------------------------------------------------------------ the hostile values, by class

SCALAR_CLASSES = {
    "nan": float("nan"), "inf": float("inf"), "-inf": -float("inf"), "huge": 1e308, "huge int": 10 ** 12,
    "negative": -1, "negative float": -0.5, "zero": 0, "subnormal": 5e-324, "bool as int": True,
    "None": None, "string": "3", "list": [1, 2], "numpy nan": np.float64("nan"), "complex": 1 + 2j,
}


def array_variants(value):
    """Hostile arrays shaped like the working ``value`` (a float array), by class."""
    out = {"nan entry": value.copy(), "inf entry": value.copy(), "huge values": np.full_like(value, 1e308),
           "empty": np.empty((0,) + value.shape[1:]), "strings": value.astype(str), "complex": value + 1j,
           "bool dtype": value > 0, "object dtype": value.astype(object), "ragged": [[1.0, 2.0], [3.0]],
           "read-only": value.copy(), "0-d": np.float64(1.0), "wrong ndim": value[..., None],
           "float16": value.astype(np.float16), "int dtype": np.round(value).astype(np.int64),
           "string": "x", "None": None, "dict": {}}
    out["nan entry"].flat[0] = np.nan
    out["inf entry"].flat[0] = np.inf
    out["read-only"].flags.writeable = False
    return out


def dict_variants(value):
    """Hostile parameter/gradient dicts shaped like the working ``value`` (a dict of float arrays)."""
    first = next(iter(value))
    out = {}
    for label, array in array_variants(value[first]).items():
        out[f"{first}: {label}"] = {**value, first: array}
    out["missing key"] = {k: v for k, v in value.items() if k != first}
    out["extra key"] = {**value, "bogus": np.zeros(2)}
    out["list of arrays"] = list(value.values())
    out["values as lists"] = {k: np.asarray(v).tolist() for k, v in value.items()}
    out["empty dict"] = {}
    return out


def path_variants():
    """Hostile paths for a function that reads or writes a file, all inside a new scratch folder."""
    scratch = _scratch()
    (scratch / "data.csv").write_bytes(SAMPLE.read_bytes())
    (scratch / "folder.npz").mkdir()
    (scratch / "cut.npz").write_bytes(b"PK\x03\x04 cut short")
    return {"missing folder": scratch / "no" / "m", "a folder": scratch / "folder", "empty": "", "None": None,
            "number": 3, "a CSV": scratch / "data.csv", "bytes": str(scratch / "b").encode(),
            "truncated npz": scratch / "cut", "missing file": scratch / "none"}


def variants(value):
    """(class, hostile value) pairs for an argument whose working value is ``value``."""
    if isinstance(value, PathArgument):
        return path_variants()
    if isinstance(value, dict) and value and all(isinstance(v, np.ndarray) for v in value.values()):
        return dict_variants(value)
    if isinstance(value, np.ndarray) and value.dtype == np.float64:
        return array_variants(value)
    if isinstance(value, bool):
        return {"string": "False", "int": 1, "None": None, "numpy bool": np.bool_(True)}
    if isinstance(value, (int, float)) or value is None:
        return dict(SCALAR_CLASSES)
    if isinstance(value, str):
        return {"unknown name": "bogus", "upper case": value.upper(), "empty": "", "number": 1, "None": None,
                "bytes": value.encode()}
    return {"None": None, "string": "x", "number": 3}


def klass(label):
    """The class of a hostile value's label ("W_xh: nan entry" -> "nan entry")."""
    return label.split(": ")[-1]


# ------------------------------------------------------------------ the working calls

RNG = np.random.default_rng(0)
PARAMS = rl.init_params(2, 3, 1)
XS = RNG.standard_normal((4, 2))
YS, CACHE = rl.forward(PARAMS, XS)
X3, Y3 = RNG.standard_normal((3, 4, 2)), RNG.uniform(0, 1, (3, 4, 1))
LSTM = lstm.init_params(2, 3)
GRU = gru.init_params(2, 3)
CELL = rnn_cell.init_params(2, 3)
LSTM_HS, LSTM_CACHE = lstm.forward(LSTM, XS)
GRU_HS, GRU_CACHE = gru.forward(GRU, XS)
LINEAR = linear.init_params(3, 1)
LINEAR_YS, LINEAR_CACHE = linear.forward(np.ones((4, 3)), LINEAR["W"], LINEAR["b"])
SCORES, LABELS01 = np.linspace(0.05, 0.95, 8), np.array([0.0, 1.0] * 4)


def _dataset():
    return rl.Dataset.from_arrays(X3, Y3)


def _fitted():
    return rl.RNN(epochs=1, hidden_size=3).fit((X3, Y3))


FITTED = _fitted()
DATA = Path(__file__).resolve().parents[1] / "data"
CARDS, SAMPLE = DATA / "creditcard_synthetic.csv", DATA / "sample.csv"


class PathArgument(str):
    """The working value of a path argument: its hostile values are paths in a scratch folder."""


_SCRATCH_ROOT = Path(tempfile.mkdtemp(prefix="hostile-sweep-"))
atexit.register(shutil.rmtree, _SCRATCH_ROOT, ignore_errors=True)


def _scratch():
    """A new empty folder for a function that writes a file (all removed when Python exits)."""
    return Path(tempfile.mkdtemp(dir=_SCRATCH_ROOT))

# name -> (function, keyword arguments that work); a function receives fresh copies of the arrays
CALLS = {
    "rl.forward": (rl.forward, {"params": PARAMS, "xs": XS, "h0": np.zeros(3), "activation": "tanh"}),
    "rl.backward": (rl.backward, {"dys": np.ones((4, 1)), "cache": CACHE, "truncate": 2}),
    "rl.step_forward": (rl.step_forward, {"params": PARAMS, "x": XS[0], "h_prev": np.zeros(3), "activation": "tanh"}),
    "rl.init_params": (rl.init_params, {"n_inputs": 2, "n_hidden": 3, "n_outputs": 1, "seed": 0}),
    "rl.mse_loss": (rl.mse_loss, {"ys": YS, "targets": np.ones((4, 1))}),
    "rl.bce_with_logits_loss": (rl.bce_with_logits_loss, {"logits": YS, "targets": np.ones((4, 1))}),
    "rl.cross_entropy_loss": (rl.cross_entropy_loss, {"logits": np.ones((4, 3)), "labels": np.ones((4, 1))}),
    "rl.softmax_cross_entropy": (rl.softmax_cross_entropy, {"logits": np.ones((4, 3))}),
    "rl.sgd_step": (rl.sgd_step, {"params": PARAMS, "grads": PARAMS, "learning_rate": 0.1, "clip_norm": 1.0}),
    "rl.clip_by_global_norm": (rl.clip_by_global_norm, {"grads": PARAMS, "max_norm": 1.0}),
    "rl.global_norm": (rl.global_norm, {"grads": PARAMS}),
    "rl.SGD": (lambda learning_rate: rl.SGD(learning_rate).step({"W": np.ones(2)}, {"W": np.ones(2)}),
               {"learning_rate": 0.1}),
    "rl.Momentum": (lambda learning_rate, momentum: rl.Momentum(learning_rate, momentum).step(
        {"W": np.ones(2)}, {"W": np.ones(2)}), {"learning_rate": 0.1, "momentum": 0.9}),
    "rl.Adam": (lambda learning_rate, beta1, beta2, eps: rl.Adam(learning_rate, beta1, beta2, eps).step(
        {"W": np.ones(2)}, {"W": np.ones(2)}), {"learning_rate": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}),
    "rl.Adagrad": (lambda learning_rate, eps: rl.Adagrad(learning_rate, eps).step(
        {"W": np.ones(2)}, {"W": np.ones(2)}), {"learning_rate": 0.1, "eps": 1e-10}),
    "Optimizer.step": (lambda params, grads: rl.SGD(0.1).step(params, grads),
                       {"params": {"W": np.ones(2)}, "grads": {"W": np.ones(2)}}),
    "rl.get_optimizer": (rl.get_optimizer, {"optimizer": "sgd", "learning_rate": 0.1}),
    "rl.sigmoid": (rl.sigmoid, {"z": XS}),
    "rl.tanh": (rl.tanh, {"z": XS}),
    "rl.relu": (rl.relu, {"z": XS}),
    "rl.identity": (rl.identity, {"z": XS}),
    "rl.get_activation": (rl.get_activation, {"name": "tanh"}),
    "BinaryClassificationEvaluator": (lambda threshold, predictions, targets: rl.BinaryClassificationEvaluator(
        threshold).evaluate(predictions, targets), {"threshold": 0.5, "predictions": SCORES, "targets": LABELS01}),
    "RegressionEvaluator": (lambda threshold, predictions, targets: rl.RegressionEvaluator(threshold).evaluate(
        predictions, targets), {"threshold": 0.1, "predictions": SCORES, "targets": SCORES[::-1].copy()}),
    "rl.class_accuracy": (rl.class_accuracy, {"predictions": np.eye(4), "labels": np.arange(4.0)[:, None]}),
    "rl.all_negative": (rl.all_negative, {"targets": np.ones((4, 1))}),
    "rl.persistence": (rl.persistence, {"features": XS, "column": 0}),
    "rl.climatology": (rl.climatology, {"values": np.arange(6.0), "phases": np.arange(6.0) % 3, "period": 3,
                                        "half_width": 1}),
    "rl.oversample_indices": (rl.oversample_indices, {"labels": LABELS01.reshape(4, 2, 1), "factor": 3, "seed": 0}),
    "rl.window_series": (rl.window_series, {"series": np.arange(20.0), "window": 5, "horizon": 1, "stride": 2,
                                            "index": np.arange(20.0), "names": "x"}),
    "rl.generate_creditcard": (rl.generate_creditcard, {"n_rows": 50, "fraud_rate": 0.1, "seed": 0}),
    "rl.relative_error": (rl.relative_error, {"analytic": XS, "numeric": XS + 1e-9}),
    "rl.numerical_gradient": (rl.numerical_gradient, {"f": lambda: float(np.sum(XS ** 2)), "x": XS.copy(),
                                                      "h": 1e-5}),
    "rl.numerical_rnn_gradients": (rl.numerical_rnn_gradients, {"params": PARAMS, "xs": XS, "dys": np.ones((4, 1)),
                                                                "h": 1e-5}),
    "rl.check_shape": (rl.check_shape, {"array": XS, "shape": (None, 2), "name": "xs"}),
    "rl.Sequence": (rl.Sequence, {"id": "a", "features": XS, "labels": np.ones((4, 1)), "t": np.arange(4.0)}),
    "Dataset.from_arrays": (rl.Dataset.from_arrays, {"X": X3, "Y": Y3}),
    "Dataset.split": (lambda train_ratio, seed, shuffle: _dataset().split(train_ratio, seed, shuffle),
                      {"train_ratio": 0.5, "seed": 0, "shuffle": True}),
    "Dataset.to_csv": (lambda path: _dataset().to_csv(path), {"path": PathArgument("data.csv")}),
    "Dataset.normalize": (lambda X, Y: _dataset().normalize(bounds_from=rl.Dataset.from_arrays(X, Y).normalize()),
                          {"X": X3, "Y": Y3}),
    "Dataset.denormalize_labels": (lambda array: _dataset().normalize().denormalize_labels(array),
                                   {"array": np.ones((4, 1))}),
    "RNN.fit": (lambda **kw: rl.RNN(**kw).fit((X3, Y3)),
                {"hidden_size": 3, "learning_rate": 0.01, "epochs": 2, "clip_norm": 1.0, "truncate": 2,
                 "shuffle": True, "eval_every": 1, "seed": 0, "progress": False, "batch_size": 2,
                 "forget_bias": 1.0, "activation": "tanh", "loss": "mse", "cell": "rnn", "engine": "reference",
                 "recurrent_init": "normal"}),
    "RNN.predict_sequences": (lambda X, Y: FITTED.predict_sequences((X, Y)), {"X": X3, "Y": Y3}),
    "RNN.fit data": (lambda X, Y: rl.RNN(epochs=1, hidden_size=3).fit((X, Y)), {"X": X3, "Y": Y3}),
    "RNN.predict": (lambda xs: FITTED.predict(xs), {"xs": XS}),
    "rl.cells.rnn.forward": (rnn_cell.forward, {"params": CELL, "xs": XS, "h0": np.zeros(3)}),
    "rl.cells.lstm.forward": (lstm.forward, {"params": LSTM, "xs": XS, "h0": np.zeros(3), "c0": np.zeros(3)}),
    "rl.cells.lstm.backward": (lstm.backward, {"dhs": np.ones((4, 3)), "cache": LSTM_CACHE}),
    "rl.cells.gru.forward": (gru.forward, {"params": GRU, "xs": XS, "h0": np.zeros(3)}),
    "rl.cells.gru.backward": (gru.backward, {"dhs": np.ones((4, 3)), "cache": GRU_CACHE}),
    "rl.cells.lstm.init_params": (lstm.init_params, {"n_inputs": 2, "n_hidden": 3, "seed": 0, "forget_bias": 1.0}),
    "rl.layers.linear.forward": (linear.forward, {"hs": np.ones((4, 3)), "W": LINEAR["W"], "b": LINEAR["b"]}),
    "rl.layers.linear.backward": (linear.backward, {"dys": np.ones((4, 1)), "cache": LINEAR_CACHE}),
    "rl.layers.linear.init_params": (linear.init_params, {"n_inputs": 3, "n_outputs": 1, "seed": 0}),
    "rl.fast.sgd_epoch": (fast.sgd_epoch, {"params": PARAMS, "X": X3, "Y": Y3, "learning_rate": 0.01}),
    "rl.fast.minibatch_epoch": (fast.minibatch_epoch, {"params": PARAMS, "X": X3, "Y": Y3, "learning_rate": 0.01,
                                                      "batch_size": 2}),
    "rl.data.memory.recall_task": (memory.recall_task, {"n_sequences": 4, "lag": 3, "n_symbols": 4, "seed": 0}),
    "rl.data.memory.running_total_task": (memory.running_total_task, {"n_sequences": 4, "n_steps": 3, "seed": 0}),
    "rl.recall.chance": (rl.recall.chance, {"lag": 3, "seed": 0, "n_validation": 20, "n_symbols": 4}),
    "rl.load_creditcard": (lambda seq_len: rl.load_creditcard(CARDS, seq_len=seq_len), {"seq_len": 10}),
    "Dataset.from_csv": (lambda n_labels: rl.Dataset.from_csv(SAMPLE, n_labels=n_labels), {"n_labels": 1}),
    "rl.write_creditcard": (lambda n_rows, fraud_rate, seed: rl.write_creditcard(
        _scratch() / "cards.csv", n_rows, fraud_rate, seed), {"n_rows": 30, "fraud_rate": 0.1, "seed": 0}),
    "rl.numerical_gradients": (lambda arrays, h: rl.numerical_gradients(
        lambda a: np.sum(a[next(iter(a))] ** 2), arrays, h=h), {"arrays": {"x": XS.copy()}, "h": 1e-5}),
    "rl.activations.softmax": (rl.activations.softmax, {"z": XS}),
    "RNN.save": (lambda path: FITTED.save(path), {"path": PathArgument("model")}),
    "RNN.load": (lambda path: rl.RNN.load(path), {"path": PathArgument("model")}),
    "rl.setup_logging": (lambda verbosity: rl.setup_logging(verbosity), {"verbosity": "warn"}),
    "rl.recall.train_on_recall": (lambda lag, seed, epochs, n_train: rl.recall.train_on_recall(
        "rnn", lag, seed=seed, epochs=epochs, n_train=n_train, n_validation=10),
        {"lag": 3, "seed": 0, "epochs": 1, "n_train": 10}),
}


def fresh(value):
    """A copy of a working argument, so that no call changes another's."""
    if isinstance(value, np.ndarray):
        copy = value.copy()
        copy.flags.writeable = value.flags.writeable
        return copy
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    return value


def cases():
    """(name, argument, class label) for every hostile case of every call."""
    return [(name, argument, label) for name, (_, kwargs) in CALLS.items() for argument, value in kwargs.items()
            for label in variants(value)]


def assert_handled(result, detail, name, label, pass_through):
    """A hostile case passes when it is refused in words or handled; (name, class) in ``pass_through`` may also
    pass a value through silently (IEEE arithmetic that a model refuses at its door)."""
    allowed = ("refused", "ok", "silent") if (name, klass(label)) in pass_through else ("refused", "ok")
    assert result in allowed, f"{result}: {detail}"


def run_case(name, argument, label):
    """Call ``name`` with ``argument`` replaced by its hostile ``label`` value; returns (outcome, detail)."""
    function, kwargs = CALLS[name]
    hostile = variants(kwargs[argument])[label]
    arguments = {k: fresh(v) for k, v in kwargs.items()}
    arguments[argument] = hostile
    return outcome(lambda: function(**arguments))


def _alarm(*_):
    raise TooSlow()


def outcome(call):
    """("refused" | "ok" | "crash" | "silent" | "slow", detail) for one call; see the module docstring."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT)
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            result = call()
    except TooSlow:
        return "slow", f"no answer within {TIME_LIMIT} s"
    except RuntimeWarning as err:
        return "silent", f"RuntimeWarning: {err}"
    except (TypeError, ValueError, OSError, FloatingPointError) as err:
        if not str(err).strip():
            return "crash", f"{type(err).__name__} without a message"
        if type(err).__module__.startswith("numpy"):
            return "crash", f"NumPy's own {type(err).__name__}: {err}"
        if time.perf_counter() - start > TIME_LIMIT / 2:
            return "slow", f"refused only after {time.perf_counter() - start:.1f} s"
        return "refused", f"{type(err).__name__}: {err}"
    except Exception as err:  # noqa: BLE001 - every other exception is the defect being looked for
        return "crash", f"{type(err).__name__}: {err}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    bad = non_finite(result)
    return ("silent", f"the result holds {bad}") if bad else ("ok", "")


def non_finite(result, depth=0):
    """A description of the first NaN or inf inside ``result`` (arrays, numbers, dicts, tuples, models), or ""."""
    if depth > 3:
        return ""
    if isinstance(result, (float, np.floating)):
        return "" if math.isfinite(result) else repr(result)
    if isinstance(result, np.ndarray) and np.issubdtype(result.dtype, np.inexact):
        return "" if np.all(np.isfinite(result)) else "a non-finite array entry"
    if isinstance(result, dict):
        return next((found for v in result.values() if (found := non_finite(v, depth + 1))), "")
    if isinstance(result, (tuple, list)) and len(result) < 100:
        return next((found for v in result if (found := non_finite(v, depth + 1))), "")
    if hasattr(result, "params_"):
        return non_finite(result.params_, depth + 1)
    return ""
