"""``RNN``: the reference forward/backward/loss/SGD functions as a scikit-learn style model.

Dimensions: T time steps, N sequences, I inputs, H hidden units, O outputs.

``__init__`` only stores hyperparameters; ``fit`` checks them
(``hyperparameters.CHECKS``) and the data (``sequences``), runs the epochs
(``training``), calls an optional hook after each one, and sets the learned
attributes, whose names end in ``_``. ``save`` and ``load`` are in
``persistence``; the network itself is called only through ``network``.
"""
import numpy as np

from ..blas import one_blas_thread_methods
from . import history, network, persistence
from .hyperparameters import CHECKS, check_all
from .sequences import as_sequences, checked_sets
from .training import EpochBar, epoch_runner
from ..activations import sigmoid, softmax
from ..budget import check_training
from ..cells import get_cell
from ..log import get_logger


class NotFittedError(ValueError, AttributeError):
    """Raised when a model is used before ``fit`` (or ``load``)."""


@one_blas_thread_methods  # every public method: one BLAS thread (rnn_lesson/blas.py)
class RNN:
    """A recurrent network (a cell, then a linear layer) trained by SGD on (T, I) -> (T, O) sequences.

    Hyperparameters (stored as given; checked when ``fit`` runs):
        hidden_size    H, the number of hidden units
        learning_rate  the SGD step size
        epochs         passes over the training set
        activation     hidden activation: "tanh", "sigmoid", "relu" or "identity"
        loss           "mse" (the seed's mean squared error; ``predict`` returns y),
                       "bce" (binary cross-entropy on logits, for labels 0 or 1;
                       ``predict`` returns probabilities sigmoid(y), so a 0.5
                       threshold still separates the classes) or "cross_entropy"
                       (softmax over O classes; labels (T, 1) hold a class index, or
                       NO_TARGET = -1 on steps with nothing to predict; O is the
                       largest training label + 1; ``predict`` returns softmax(y))
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
        engine         "reference" (the NumPy loop over the cell's forward and
                       backward and rl.sgd_step) or "fast" (rl.fast: the same
                       numbers, compiled with numba, for every cell; needs
                       loss="mse", no truncate, and sequences of one length)
        cell           "rnn" (vanilla), "lstm" or "gru": rl.cells (the gated cells use
                       their own activations, so activation stays "tanh")
        batch_size     None: one SGD step per sequence; B: one step per batch of B
                       sequences (of one length) down the gradient of their mean loss
        recurrent_init W_hh's start: "normal" (N(0, 1/H)), "orthogonal" or
                       "identity" (each (H, H) block of W_hh)
        forget_bias    the starting bias of the gate that keeps the state (LSTM: f,
                       GRU: z): None (the cell's usual start), a number, or "chrono"
                       (set from the sequences' length; see models.network)
        n_layers, bidirectional, dropout, optimizer   lessons 14-15 (models.hyperparameters)

    Learned attributes:
        params_       dict W_xh (I, G·H), W_hh (H, G·H), W_hy (D·H, O), b_h (G·H,), b_y (O,)
                      with G = 1 (rnn), 4 (lstm) or 3 (gru) blocks, D directions (and
                      the stack's other cells, network.param_names); optimizer_ as trained
        loss_curve_   (epochs,): per epoch, the mean over sequences of the loss
                      of each sequence (or its batch) just before its own update
        n_inputs_     I;  n_outputs_  O
        history_      one dict per evaluation: epoch, loss, and with a validation
                      set validation_loss; with an evaluator, "train" and
                      "validation" hold its metrics dicts
    """

    def __init__(self, hidden_size=10, learning_rate=0.01, epochs=100, activation="tanh", loss="mse",
                 clip_norm=None, truncate=None, shuffle=False, eval_every=None, evaluator=None,
                 seed=0, progress="auto", engine="reference", cell="rnn", batch_size=None,
                 recurrent_init="normal", forget_bias=None, n_layers=1, bidirectional=False, dropout=0.0,
                 optimizer="sgd"):
        arguments = locals()
        for name in CHECKS:  # each stored under its own name, unchanged
            setattr(self, name, arguments[name])

    def get_params(self):
        """The hyperparameters as a dict (scikit-learn's name for it)."""
        return {name: getattr(self, name) for name in CHECKS}

    def __repr__(self):
        return f"RNN({', '.join(f'{k}={v!r}' for k, v in self.get_params().items())})"

    # ----------------------------------------------------------------- training

    def fit(self, train, validation=None, after_epoch=None):
        """Train from fresh initial weights; returns ``self``.

        ``train`` and ``validation``: a Dataset, any iterable of objects with
        ``.features`` (T, I) and ``.labels`` (T, O) (and optionally ``.id``),
        or a pair ``(X, Y)`` of arrays (N, T, I) and (N, T, O).

        ``after_epoch``: None, or a function ``after_epoch(epoch, model)``
        called after every epoch (``epoch`` counts from 1; ``model`` is this
        RNN, whose ``params_``, ``loss_curve_`` and ``history_`` already
        include that epoch, so it can ``predict``). It may return True to
        stop training there (``loss_curve_`` then holds fewer than ``epochs``
        entries, and with ``eval_every`` the last epoch run is recorded);
        None or False go on. A hook that changes the learning rate must change
        ``model.optimizer_``, the fresh copy of ``optimizer`` that fit trains with.
        Fit reads the hyperparameters once, at its start: a hook that changes one
        (``model.learning_rate``, or the ``optimizer`` object given) or puts another
        object in ``optimizer_`` would change nothing, so either is a ValueError.
        """
        check_all(self.get_params())
        _check_hook(after_epoch)
        train, validation, (n_inputs, n_outputs) = checked_sets(self.loss, train, validation, self.bidirectional)
        directions = 2 if self.bidirectional else 1  # a stack's bound: every layer as wide as the widest
        widest = n_inputs if self.n_layers == 1 else max(n_inputs, directions * self.hidden_size)
        check_training(widest, self.hidden_size, n_outputs,
                       len(get_cell(self.cell).GATES) * directions * self.n_layers,
                       max(len(s.features) for s in train), min(self.batch_size or 1, len(train)),
                       f"RNN(hidden_size={self.hidden_size}, cell={self.cell!r})")  # before any allocation
        run_epoch = epoch_runner(self, train)
        self.params_ = network.init(self, n_inputs, n_outputs, max(len(s.features) for s in train))
        self.n_inputs_, self.n_outputs_ = n_inputs, n_outputs
        self.history_, losses = [], []
        self.loss_curve_ = np.array(losses)
        order_rng = np.random.default_rng((self.seed, 1))  # a stream apart from the weights'
        given = (self._described(), getattr(self, "optimizer_", None))  # what a hook must leave in place
        log = get_logger(__name__)
        with EpochBar(self.epochs, self.progress) as bar:
            for epoch in range(1, self.epochs + 1):
                order = order_rng.permutation(len(train)) if self.shuffle else range(len(train))
                losses.append(run_epoch(order, epoch))
                self.loss_curve_ = np.array(losses)
                bar.update(epoch, losses[-1])
                log.debug("epoch %d/%d: mean training loss %.6g", epoch, self.epochs, losses[-1])
                if self._end_of_epoch(epoch, train, validation, after_epoch, given):
                    break
        return self

    def _end_of_epoch(self, epoch, train, validation, after_epoch, given):
        """Record the epoch if it is due, then ask the hook; True if training stops here."""
        due = self.eval_every and (epoch % self.eval_every == 0 or epoch == self.epochs)
        if due:
            history.record(self, epoch, train, validation)
        if after_epoch is None:
            return False
        answer = after_epoch(epoch, self)
        changed = [name for name, value in self._described().items() if value != given[0][name]]
        if changed:
            where = "; ".join(f"{name}: {given[0][name]} -> {self._described()[name]}" for name in changed)
            raise ValueError(f"after_epoch changed the hyperparameter {', '.join(changed)} of the RNN ({where}); fit "
                             "read it at its start, so the change would do nothing. To lower the learning rate, "
                             "change model.optimizer_ (the fresh copy of the optimizer that fit trains with), e.g. "
                             "model.optimizer_.learning_rate *= 0.5")
        if getattr(self, "optimizer_", None) is not given[1]:
            raise ValueError("after_epoch put another object in model.optimizer_; fit goes on training the one it "
                             "made, so change that one in place (e.g. model.optimizer_.learning_rate *= 0.5)")
        if not _stop_requested(answer):
            return False
        if self.eval_every and not due:
            history.record(self, epoch, train, validation)
        get_logger(__name__).debug("after_epoch stopped training after epoch %d of %d", epoch, self.epochs)
        return True

    def _described(self):
        """Every hyperparameter as text (an optimizer object with its learning rate: a Scheduled one's base is
        not in its repr), to tell whether an after_epoch hook changed one."""
        return {name: value if isinstance(value, str) else
                (f"{value!r}, learning_rate={value.learning_rate!r}" if name == "optimizer" else repr(value))
                for name, value in self.get_params().items()}

    # --------------------------------------------------------------- prediction

    def predict(self, xs):
        """Outputs for one sequence, xs (T, I) -> (T, O); or for N sequences of one length at once,
        X (N, T, I) -> (N, T, O) (one batched pass: much faster than N calls, equal to ~1e-15).

        With loss="bce" these are probabilities sigmoid(y); with "cross_entropy" each
        row holds the O class probabilities softmax(y_t); with "mse" the raw y.
        """
        self._check_fitted()
        if np.ndim(xs) == 3:
            ys = np.transpose(network.forward_batch(self, np.asarray(xs, dtype=np.float64))[0], (1, 0, 2))
        else:
            ys, _ = network.forward(self, xs)
        return {"bce": sigmoid, "cross_entropy": softmax}.get(self.loss, np.asarray)(ys)

    def predict_sequences(self, data):
        """``predict`` for every sequence of ``data`` (same forms as ``fit``): a list of (T, O) arrays.

        Feed it with the matching list of labels straight to an evaluator:
        ``evaluator.evaluate(model.predict_sequences(test), [s.labels for s in test])``.
        """
        self._check_fitted()
        return [self.predict(s.features) for s in as_sequences(data, "data")]

    def _check_fitted(self):
        if not hasattr(self, "params_"):
            raise NotFittedError("this RNN is not fitted yet: call fit first")

    # ---------------------------------------------------------- save and load

    def save(self, path):
        """Write the fitted model to an .npz archive, no pickle (".npz" is added if missing); returns its path.

        The archive holds the parameters, the loss curve, the hyperparameters and
        ``history_`` (the format: ``rnn_lesson.models.persistence``); an evaluator
        that is not one of this package's is saved as None.
        """
        self._check_fitted()
        return persistence.save(self, path)

    @classmethod
    def load(cls, path):
        """Read a model written by ``save``; returns a fitted RNN.

        FileNotFoundError for a missing file; ValueError, naming the file, for
        anything that is not a complete, consistent saved model.
        """
        return persistence.load(cls, path)


def _check_hook(after_epoch):
    if after_epoch is not None and not callable(after_epoch):
        raise TypeError(f"after_epoch must be a function after_epoch(epoch, model) or None, "
                        f"got {type(after_epoch).__name__} {after_epoch!r}")


def _stop_requested(answer):
    """What after_epoch returned, as a decision: True stops, None or False goes on, anything else is a mistake."""
    if answer is None or isinstance(answer, (bool, np.bool_)):
        return bool(answer)
    raise TypeError(f"after_epoch must return None, False or True (stop training), got "
                    f"{type(answer).__name__} {answer!r}")
