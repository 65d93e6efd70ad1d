"""``RNN``: the reference forward/backward/loss/SGD functions as a scikit-learn style model.

Dimensions: T time steps, N sequences, I inputs, H hidden units, O outputs.

Training is per-sequence stochastic gradient descent, as in the Rust seed:

    for each epoch:
        for each sequence (xs (T, I), targets (T, O)):
            ys, cache = forward(params, xs)            ys (T, O)
            loss, dys = loss_fn(ys, targets)          dys (T, O)
            grads     = backward(dys, cache)
            params   -= learning_rate * grads         (after optional clipping)

``__init__`` only stores hyperparameters; ``fit`` checks them and the data,
and sets the learned attributes, whose names end in ``_``.
"""
import inspect
import json
import math
import time
import zipfile
import zlib
from collections import namedtuple
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from .activations import get_activation, sigmoid
from .evaluate import EVALUATORS
from .log import TRACE, get_logger
from .losses import get_loss
from .optim import sgd_step
from .rnn import PARAM_NAMES, backward, forward, init_params, param_sizes
from .shapes import as_float_array, check_positive_float, check_positive_int, check_seed

_Sequence = namedtuple("_Sequence", "id features labels")
_FORMAT = "rnn_lesson.RNN"
_FORMAT_VERSION = 1
_NOT_FITTED = "this RNN is not fitted yet: call fit first"


class NotFittedError(ValueError, AttributeError):
    """Raised when a model is used before ``fit`` (or ``load``)."""


class TrainingDiverged(FloatingPointError):
    """Raised when the loss or the gradients stop being finite numbers."""


class RNN:
    """A vanilla RNN trained by per-sequence SGD on (T, I) -> (T, O) sequences.

    Hyperparameters (stored as given; checked when ``fit`` runs):
        hidden_size    H, the number of hidden units
        learning_rate  the SGD step size
        epochs         passes over the training set
        activation     hidden activation: "tanh", "sigmoid", "relu" or "identity"
        loss           "mse" (the seed's mean squared error; ``predict`` returns y)
                       or "bce" (binary cross-entropy on logits, for 0/1 labels;
                       ``predict`` returns probabilities sigmoid(y), so a 0.5
                       threshold still separates the classes)
        clip_norm      clip the gradients to this global norm before each step (None: never)
        truncate       truncated BPTT: gradients flow back at most this many steps (None: all)
        shuffle        visit the training sequences in a new seeded order every epoch
        eval_every     every this many epochs, and after the last one, record and log
                       the losses (and the evaluator's metrics) in ``history_``
        evaluator      e.g. BinaryClassificationEvaluator(), used at each eval_every
                       evaluation; any object with evaluate() and report() will do
        seed           seeds the initial weights and the shuffling: same seed, same bits
        progress       "auto" (a bar over epochs if training takes more than 2 s),
                       True (always) or False (never)
        engine         "reference" (this file's loop over rl.forward / rl.backward /
                       rl.sgd_step) or "fast" (rl.fast.sgd_epoch: the same numbers,
                       compiled with numba; needs loss="mse", no clip_norm, no
                       truncate, and sequences of one length)

    Learned attributes:
        params_       dict W_xh (I, H), W_hh (H, H), W_hy (H, O), b_h (H,), b_y (O,)
        loss_curve_   (epochs,): per epoch, the mean over sequences of each
                      sequence's loss just before its own update
        n_inputs_     I;  n_outputs_  O
        history_      one dict per evaluation: epoch, loss, and with a validation
                      set validation_loss; with an evaluator, "train" and
                      "validation" hold its metrics dicts
    """

    def __init__(self, hidden_size=10, learning_rate=0.01, epochs=100, activation="tanh", loss="mse",
                 clip_norm=None, truncate=None, shuffle=False, eval_every=None, evaluator=None,
                 seed=0, progress="auto", engine="reference"):
        self.hidden_size = hidden_size
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.activation = activation
        self.loss = loss
        self.clip_norm = clip_norm
        self.truncate = truncate
        self.shuffle = shuffle
        self.eval_every = eval_every
        self.evaluator = evaluator
        self.seed = seed
        self.progress = progress
        self.engine = engine

    def get_params(self):
        """The hyperparameters as a dict (scikit-learn's name for it)."""
        return {name: getattr(self, name) for name in _HYPERPARAMETERS}

    def __repr__(self):
        return f"RNN({', '.join(f'{k}={v!r}' for k, v in self.get_params().items())})"

    # ----------------------------------------------------------------- training

    def fit(self, train, validation=None):
        """Train from fresh initial weights; returns ``self``.

        ``train`` and ``validation``: a Dataset, any iterable of objects with
        ``.features`` (T, I) and ``.labels`` (T, O) (and optionally ``.id``),
        or a pair ``(X, Y)`` of arrays (N, T, I) and (N, T, O).
        """
        self._check_hyperparameters()
        train = _as_sequences(train, "train")
        n_inputs, n_outputs = _check_widths(train, "train")
        if validation is not None:
            validation = _as_sequences(validation, "validation")
            _check_widths(validation, "validation", expected=(n_inputs, n_outputs))
        if self.loss == "bce":
            _check_binary_labels(train + (validation or []))
        if self.engine == "fast":
            run_epoch = self._fast_epochs(train)
        else:
            def run_epoch(order, epoch):
                return self._train_epoch([train[i] for i in order], epoch)
        self.params_ = init_params(n_inputs, self.hidden_size, n_outputs, seed=self.seed)
        self.n_inputs_, self.n_outputs_ = n_inputs, n_outputs
        self.history_, losses = [], []
        self.loss_curve_ = np.array(losses)
        order_rng = np.random.default_rng((self.seed, 1))  # a stream apart from the weights'
        log = get_logger(__name__)
        with _EpochBar(self.epochs, self.progress) as bar:
            for epoch in range(1, self.epochs + 1):
                order = order_rng.permutation(len(train)) if self.shuffle else range(len(train))
                losses.append(run_epoch(order, epoch))
                self.loss_curve_ = np.array(losses)
                bar.update(epoch, losses[-1])
                log.debug("epoch %d/%d: mean training loss %.6g", epoch, self.epochs, losses[-1])
                if self.eval_every and (epoch % self.eval_every == 0 or epoch == self.epochs):
                    self._record(epoch, train, validation)
        return self

    def _train_epoch(self, sequences, epoch):
        """One epoch of the reference loop over ``sequences``; returns the mean loss.

        The whole epoch is this one method, so a faster engine doing the same
        per-sequence SGD (such as a compiled epoch) can stand in for it.
        Each sequence's loss is taken before its own update. If training
        diverges, ``params_`` goes back to its value at the start of the epoch
        (all finite) and TrainingDiverged names the epoch and the sequence.
        """
        loss_fn = get_loss(self.loss)
        log = get_logger(__name__)
        start = {k: v.copy() for k, v in self.params_.items()}
        total = 0.0
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported below, once
            for seq in sequences:
                try:
                    loss, norm = self._sgd_on_sequence(seq, loss_fn)
                except FloatingPointError as err:
                    self.params_ = start
                    raise TrainingDiverged(
                        f"training diverged at epoch {epoch}, sequence {seq.id!r} ({err}); params_ hold "
                        f"the weights from before epoch {epoch}. Try a lower learning_rate (now "
                        f"{self.learning_rate:g}) or set clip_norm (e.g. 1.0)") from None
                log.log(TRACE, "epoch %d, sequence %r: loss %.6g, gradient norm %.4g", epoch, seq.id, loss, norm)
                total += loss
        return total / len(sequences)

    def _fast_epochs(self, train):
        """An epoch function ``run_epoch(order, epoch)`` that runs rl.fast.sgd_epoch on stacked arrays.

        The sequences are stacked once into X (N, T, I), Y (N, T, O); each
        epoch visits them in ``order`` and reuses one Workspace, so nothing is
        allocated per sequence.
        """
        from . import fast  # numba is imported only when the fast engine is asked for

        lengths = {len(s.features) for s in train}
        if len(lengths) > 1:
            raise ValueError(f"engine='fast' needs sequences of one length; the training set has lengths "
                             f"{sorted(lengths)}. Use engine='reference'")
        X = np.stack([s.features for s in train])
        Y = np.stack([s.labels for s in train])
        workspace = fast.Workspace(X.shape[1], X.shape[2], self.hidden_size, Y.shape[2])

        def run_epoch(order, epoch):
            X_epoch, Y_epoch = (X, Y) if isinstance(order, range) else (X[order], Y[order])
            try:
                return fast.sgd_epoch(self.params_, X_epoch, Y_epoch, self.learning_rate,
                                      self.activation, workspace=workspace)
            except FloatingPointError as err:  # the weights are already back to the epoch's start
                raise TrainingDiverged(f"training diverged at epoch {epoch} ({err}). Try a lower "
                                       f"learning_rate (now {self.learning_rate:g})") from None

        return run_epoch

    def _sgd_on_sequence(self, seq, loss_fn):
        """Forward, loss, BPTT and one SGD step on one sequence.

        Returns the loss before the step and the gradient norm before clipping.

        Raises FloatingPointError when the outputs, the loss, the gradients or
        the updated weights are not finite.
        """
        ys, cache = forward(self.params_, seq.features, activation=self.activation)  # (T, O)
        if not np.all(np.isfinite(ys)):
            raise FloatingPointError("the outputs are not finite")
        loss, dys = loss_fn(ys, seq.labels)
        if not np.isfinite(loss):
            raise FloatingPointError(f"the loss is {loss}")
        grads = backward(dys, cache, truncate=self.truncate)
        norm = sgd_step(self.params_, grads, self.learning_rate, clip_norm=self.clip_norm)
        if not all(np.all(np.isfinite(p)) for p in self.params_.values()):
            raise FloatingPointError("the weights overflowed")
        return loss, norm

    def _record(self, epoch, train, validation):
        """Append the losses (and the evaluator's metrics) at ``epoch`` to ``history_``; log them."""
        log = get_logger(__name__)
        entry = {"epoch": epoch, "loss": float(self.loss_curve_[-1])}
        message = f"epoch {epoch}/{self.epochs}: loss {entry['loss']:.6g}"
        sets = {"train": train}
        if validation is not None:
            sets["validation"] = validation
            entry["validation_loss"] = self._mean_loss(validation)
            message += f", validation loss {entry['validation_loss']:.6g}"
        log.info(message)
        if self.evaluator is not None:
            for name, sequences in sets.items():
                entry[name] = self.evaluator.evaluate(self.predict_sequences(sequences),
                                                      [s.labels for s in sequences])
                log.info(f"{name} evaluation at epoch {epoch}:\n{self.evaluator.report(entry[name])}")
        self.history_.append(entry)

    def _mean_loss(self, sequences):
        loss_fn = get_loss(self.loss)
        return float(np.mean([loss_fn(forward(self.params_, s.features, activation=self.activation)[0],
                                      s.labels)[0] for s in sequences]))

    def _check_hyperparameters(self):
        check_positive_int(self.hidden_size, "hidden_size")
        check_positive_float(self.learning_rate, "learning_rate")
        check_positive_int(self.epochs, "epochs")
        get_activation(self.activation)
        get_loss(self.loss)
        if self.clip_norm is not None:
            check_positive_float(self.clip_norm, "clip_norm")
        for name in ("truncate", "eval_every"):
            if getattr(self, name) is not None:
                check_positive_int(getattr(self, name), name)
        if not isinstance(self.shuffle, bool):
            raise TypeError(f"shuffle must be True or False, got {self.shuffle!r}")
        if self.evaluator is not None and not all(
                callable(getattr(self.evaluator, m, None)) for m in ("evaluate", "report")):
            raise TypeError(f"evaluator must have evaluate() and report() methods, got {self.evaluator!r}")
        check_seed(self.seed)
        if not (isinstance(self.progress, bool) or self.progress == "auto"):
            raise ValueError(f"progress must be 'auto', True or False, got {self.progress!r}")
        if self.engine not in ("reference", "fast"):
            raise ValueError(f"engine must be 'reference' or 'fast', got {self.engine!r}")
        if self.engine == "fast":
            unsupported = [f"{name}={getattr(self, name)!r}" for name, ok in
                           (("loss", self.loss == "mse"), ("clip_norm", self.clip_norm is None),
                            ("truncate", self.truncate is None)) if not ok]
            if unsupported:
                raise ValueError(f"engine='fast' supports loss='mse' without clip_norm or truncate; "
                                 f"got {', '.join(unsupported)}. Use engine='reference'")

    # --------------------------------------------------------------- prediction

    def predict(self, xs):
        """Outputs for one sequence: xs (T, I) -> (T, O).

        With loss="bce" these are probabilities sigmoid(y); with "mse" the raw y.
        """
        if not hasattr(self, "params_"):
            raise NotFittedError(_NOT_FITTED)
        ys, _ = forward(self.params_, xs, activation=self.activation)
        return sigmoid(ys) if self.loss == "bce" else ys

    def predict_sequences(self, data):
        """``predict`` for every sequence of ``data`` (same forms as ``fit``): a list of (T, O) arrays.

        Feed it with the matching list of labels straight to an evaluator:
        ``evaluator.evaluate(model.predict_sequences(test), [s.labels for s in test])``.
        """
        if not hasattr(self, "params_"):
            raise NotFittedError(_NOT_FITTED)
        return [self.predict(s.features) for s in _as_sequences(data, "data")]

    # ---------------------------------------------------------- save and load

    def save(self, path):
        """Write the fitted model to an .npz archive (no pickle); returns the path written.

        The archive holds the five parameter arrays, ``loss_curve`` and
        ``state``: UTF-8 JSON bytes (uint8) with the hyperparameters and
        ``history_``. NumPy adds ".npz" to a path without it. The evaluator is
        kept when it is one of this package's; any other is saved as None.
        """
        if not hasattr(self, "params_"):
            raise NotFittedError(_NOT_FITTED)
        hyper = self.get_params()
        evaluator = self.evaluator
        hyper["evaluator"] = ({"name": type(evaluator).__name__, "threshold": evaluator.threshold}
                              if EVALUATORS.get(type(evaluator).__name__) is type(evaluator) else None)
        state = {"format": _FORMAT, "version": _FORMAT_VERSION, "hyperparameters": hyper,
                 "history": self.history_}
        text = json.dumps(state, allow_nan=False, default=_json_number)
        path = Path(path)
        path = path if path.suffix == ".npz" else path.with_name(path.name + ".npz")
        np.savez(path, **self.params_, loss_curve=self.loss_curve_,
                 state=np.frombuffer(text.encode("utf-8"), dtype=np.uint8))
        return path

    @classmethod
    def load(cls, path):
        """Read a model written by ``save``; returns a fitted RNN.

        Raises FileNotFoundError for a missing file and ValueError, naming the
        file, for anything that is not a complete, consistent saved model.
        """
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no model file at {path}")
        try:
            with open(path, "rb") as file:  # closed here even when NumPy fails half-way
                archive = np.load(file, allow_pickle=False)
                if not isinstance(archive, np.lib.npyio.NpzFile):
                    raise ValueError("it holds a single array")
                arrays = {key: archive[key] for key in archive.files}
        except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as err:
            raise ValueError(f"{path} is not a model saved by RNN.save (not a readable .npz: {err})") from None
        try:
            return cls._from_arrays(arrays)
        except (ValueError, TypeError) as err:
            raise ValueError(f"{path} is not a valid saved RNN: {err}") from None

    @classmethod
    def _from_arrays(cls, arrays):
        missing = [k for k in (*PARAM_NAMES, "loss_curve", "state") if k not in arrays]
        if missing:
            raise ValueError(f"missing arrays {missing}")
        if arrays["state"].dtype != np.uint8 or arrays["state"].ndim != 1:
            raise ValueError("'state' must be a 1-D uint8 array of JSON bytes")
        try:
            state = json.loads(arrays["state"].tobytes().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ValueError(f"'state' is not JSON ({err})") from None
        if not isinstance(state, dict) or (state.get("format"), state.get("version")) != (_FORMAT, _FORMAT_VERSION):
            raise ValueError(f"'state' does not describe a {_FORMAT} model of version {_FORMAT_VERSION}")
        if not isinstance(state.get("hyperparameters"), dict) or not isinstance(state.get("history"), list):
            raise ValueError("'state' needs a 'hyperparameters' dict and a 'history' list")
        hyper = state["hyperparameters"]
        model = cls(**dict(hyper, evaluator=_evaluator_from_json(hyper.get("evaluator"))))
        model._check_hyperparameters()
        params = {k: arrays[k] for k in PARAM_NAMES}
        n_inputs, n_hidden, n_outputs = param_sizes(params)
        if n_hidden != model.hidden_size:
            raise ValueError(f"W_hh is {n_hidden}x{n_hidden} but hidden_size is {model.hidden_size}")
        for key, value in params.items():
            as_float_array(value, key)
        loss_curve = arrays["loss_curve"]
        if loss_curve.dtype != np.float64 or loss_curve.ndim != 1:
            raise ValueError(f"loss_curve must be a 1-D float64 array, got {loss_curve.dtype} {loss_curve.shape}")
        model.params_, model.loss_curve_, model.history_ = params, loss_curve, state["history"]
        model.n_inputs_, model.n_outputs_ = n_inputs, n_outputs
        return model


class _EpochBar:
    """A tqdm bar over epochs, created only once training has run ``delay`` seconds.

    delay: 2 s for progress="auto", 0 for True, never for False. Unlike
    tqdm's own ``delay``, no hidden bar exists before then, so log lines
    (written through ``tqdm.write``) cannot make it appear early.
    """

    def __init__(self, epochs, progress):
        self.epochs, self.bar = epochs, None
        self.delay = {True: 0.0, False: math.inf, "auto": 2.0}[progress]
        self.start = time.perf_counter()
        self._show_if_due(done=0)

    def _show_if_due(self, done):
        if self.bar is None and time.perf_counter() - self.start >= self.delay:
            self.bar = tqdm(total=self.epochs, initial=done, desc="training", unit="epoch", leave=False)

    def update(self, epoch, loss):
        """Epoch ``epoch`` (1-based) has finished with mean loss ``loss``."""
        self._show_if_due(done=epoch - 1)
        if self.bar is not None:
            self.bar.set_postfix(loss=f"{loss:.4g}", refresh=False)
            self.bar.update()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()


_HYPERPARAMETERS = tuple(inspect.signature(RNN.__init__).parameters)[1:]  # all but self


def _evaluator_from_json(spec):
    """The evaluator saved as {"name": class name, "threshold": t}, or None."""
    if spec is None:
        return None
    if not isinstance(spec, dict) or spec.get("name") not in EVALUATORS or "threshold" not in spec:
        raise ValueError(f"unknown evaluator {spec!r}; known: {', '.join(EVALUATORS)}")
    return EVALUATORS[spec["name"]](spec["threshold"])


def _json_number(value):
    """Let json write NumPy scalars (np.int64 is not an int)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} {value!r} cannot be saved as JSON")


# --------------------------------------------------------------- data forms

def _as_sequences(data, name):
    """``data`` as a list of _Sequence(id, features (T, I), labels (T, O)), float64, checked.

    Accepts a pair (X, Y) of arrays (N, T, I), (N, T, O) or of equal-length
    lists of (T, I), (T, O) arrays; or an iterable of objects with .features
    and .labels (and optionally .id), such as a Dataset.
    """
    if isinstance(data, tuple) and len(data) == 2 and not hasattr(data[0], "features"):
        X, Y = data
        if len(X) != len(Y):
            raise ValueError(f"{name}: X holds {len(X)} sequences but Y holds {len(Y)}")
        items = [_Sequence(str(n), x, y) for n, (x, y) in enumerate(zip(X, Y))]
    else:
        try:
            items = list(data)
        except TypeError:
            raise TypeError(f"{name} must be a Dataset, an iterable of sequences or a pair (X, Y); "
                            f"got {type(data).__name__}") from None
    if not items:
        raise ValueError(f"{name} holds no sequences")
    return [_checked_sequence(item, n, name) for n, item in enumerate(items)]


def _checked_sequence(item, index, name):
    if not (hasattr(item, "features") and hasattr(item, "labels")):
        raise TypeError(f"{name} item {index} has no .features/.labels (got {type(item).__name__})")
    seq_id = str(getattr(item, "id", index))
    where = f"{name} sequence {seq_id!r}"
    features = as_float_array(item.features, f"{where}: features", ndim=2)
    labels = as_float_array(item.labels, f"{where}: labels", ndim=2)
    if features.shape[0] == 0 or features.shape[0] != labels.shape[0]:
        raise ValueError(f"{where}: features has shape {features.shape} and labels {labels.shape}; "
                         "both need the same number T >= 1 of time steps")
    return _Sequence(seq_id, features, labels)


def _check_widths(sequences, name, expected=None):
    """The common (I, O) of all sequences; ValueError naming the first one that differs."""
    first = sequences[0]
    widths = expected or (first.features.shape[1], first.labels.shape[1])
    for seq in sequences:
        if (seq.features.shape[1], seq.labels.shape[1]) != widths:
            raise ValueError(f"{name} sequence {seq.id!r} has features {seq.features.shape} and labels "
                             f"{seq.labels.shape}, but {widths[0]} features and {widths[1]} labels per "
                             "step are expected" + (" (the training set's)" if expected else ""))
    return widths


def _check_binary_labels(sequences):
    for seq in sequences:
        if np.any((seq.labels < 0) | (seq.labels > 1)):
            raise ValueError(f"sequence {seq.id!r} has labels outside [0, 1]; loss='bce' needs labels in [0, 1]")
