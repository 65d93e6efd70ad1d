"""``SequenceClassifier``: one class per sequence, for sequences of different lengths, trained in padded batches.

Dimensions: N sequences, T_n steps each (T the longest in a batch), I inputs,
H hidden units per direction, D directions, C classes.

    xs, lengths = pad(batch)                          (T, N, I), (N,)
    hs = stack(xs, lengths)                           (T, N, D·H)   rl.layers.stack
    s  = last_state(hs, lengths) or mean_state(hs, mask)    (N, D·H)   rl.layers.masking
    logits = s @ W_hy + b_y                           (N, C)
    L = mean over n of softmax cross-entropy(logits_n, class_n)

The summary reads only real steps, so the padding gets exactly zero gradient and
a sequence's prediction does not depend on what it was batched with.
"""
import numpy as np

from ..blas import one_blas_thread_methods
from ..budget import pieces
from ..layers import linear, masking, stack
from ..losses import softmax_cross_entropy
from ..optim import Optimizer
from ..shapes import check_positive_int, check_seed
from . import classifier_memory as memory
from .hyperparameters import CHECKS as RNN_CHECKS
from .training import training_tools

SUMMARIES = ("last", "mean")


def forward(params, xs, lengths, model, training=False, rng=None):
    """logits (N, C) for a padded batch xs (T, N, I) with ``lengths`` (N,), and the cache for ``backward``."""
    layers = stack.unflatten(params, model.n_layers, 2 if model.bidirectional else 1)
    hs, stack_cache = stack.forward(model.cell, layers, xs, lengths=lengths, dropout=model.dropout,
                                    training=training, rng=rng)
    mask = masking.mask_from_lengths(lengths, len(xs))
    summary = (masking.last_state(hs, lengths, model.bidirectional) if model.summary == "last"
               else masking.mean_state(hs, mask))
    logits, linear_cache = linear.forward(summary, params["W_hy"], params["b_y"])
    return logits, (stack_cache, linear_cache, lengths, mask, len(xs))


def backward(dlogits, cache, model):
    """The gradients of every parameter (a dict like ``params``) from dL/dlogits (N, C)."""
    stack_cache, linear_cache, lengths, mask, n_steps = cache
    dW, db, dsummary = linear.backward(dlogits, linear_cache)
    dhs = (masking.last_state_backward(dsummary, lengths, n_steps, model.bidirectional) if model.summary == "last"
           else masking.mean_state_backward(dsummary, mask))
    grads = stack.flatten(stack.backward(dhs, stack_cache)[0])
    grads["W_hy"], grads["b_y"] = dW, db
    return grads


@one_blas_thread_methods  # every public method: one BLAS thread (rnn_lesson/blas.py)
class SequenceClassifier:
    """Many-to-one: a (stacked, maybe bidirectional) recurrent network reads a sequence, a linear layer names its class.

    Hyperparameters as ``rl.RNN``'s where they share a name (hidden_size, cell,
    n_layers, bidirectional, dropout, optimizer, learning_rate, epochs, clip_norm,
    seed), plus ``summary`` ("last": the state at the last real step, or "mean":
    the mean state over the real steps) and ``batch_size`` (sequences per step).
    Learned: ``params_``, ``loss_curve_`` (mean training loss per epoch),
    ``n_classes_``, ``optimizer_``.
    """

    def __init__(self, hidden_size=16, cell="rnn", n_layers=1, bidirectional=False, summary="last", dropout=0.0,
                 optimizer="adam", learning_rate=0.01, epochs=20, batch_size=16, clip_norm=None, seed=0):
        arguments = locals()
        self._names = [name for name in arguments if name not in ("self", "arguments")]
        for name in self._names:
            setattr(self, name, arguments[name])

    def __repr__(self):
        return f"SequenceClassifier({', '.join(f'{k}={getattr(self, k)!r}' for k in self._names)})"

    def _check(self):
        for name in ("hidden_size", "cell", "n_layers", "bidirectional", "dropout", "optimizer", "learning_rate",
                     "epochs", "clip_norm", "seed"):
            RNN_CHECKS[name](getattr(self, name), name)
        if isinstance(self.optimizer, Optimizer) and self.optimizer.learning_rate != self.learning_rate:
            raise ValueError(f"optimizer={self.optimizer!r} has its own learning rate; learning_rate="
                             f"{self.learning_rate!r} must be the same (or pass the optimizer by name)")
        if self.summary not in SUMMARIES:
            raise ValueError(f"summary must be 'last' or 'mean', got {self.summary!r}")
        check_positive_int(self.batch_size, "batch_size")

    def fit(self, sequences, labels):
        """Train from fresh seeded weights on a list of (T_n, I) arrays and their classes (N,) 0..C-1; returns self."""
        self._check()
        if labels is None:
            raise TypeError("labels must be the class of every sequence (ints 0, 1, ...), got None")
        sequences, labels = _checked(sequences, labels)
        self.n_classes_ = int(labels.max()) + 1
        if self.n_classes_ < 2:
            raise ValueError("labels must hold at least two classes (0 and 1)")
        memory.check_training(self, sequences[0].shape[1], self.n_classes_, max(map(len, sequences)),
                              min(self.batch_size, len(sequences)))  # before any weight is drawn
        rng = np.random.default_rng(check_seed(self.seed))
        layers = stack.draw_layers(rng, self.cell, sequences[0].shape[1], self.hidden_size, self.n_layers,
                                   2 if self.bidirectional else 1)
        self.params_ = stack.flatten(layers)
        width = (2 if self.bidirectional else 1) * self.hidden_size
        self.params_["W_hy"], self.params_["b_y"] = linear.draw_params(rng, width, self.n_classes_)
        optimizer, dropout_rng = training_tools(self)
        order_rng, losses = np.random.default_rng((self.seed, 1)), []
        for _ in range(self.epochs):
            order, total = order_rng.permutation(len(sequences)), 0.0
            for start in range(0, len(order), self.batch_size):
                batch = order[start:start + self.batch_size]
                xs, lengths = masking.pad([sequences[n] for n in batch])
                logits, cache = forward(self.params_, xs, lengths, self, training=True, rng=dropout_rng)
                loss, dlogits = softmax_cross_entropy(logits, labels[batch])
                grads = backward(dlogits, cache, self)
                del xs, cache  # freed now, or the next batch's forward would run beside this one's caches
                optimizer.step(self.params_, grads, clip_norm=self.clip_norm)
                total += loss * len(batch)
            losses.append(total / len(sequences))
        self.loss_curve_ = np.array(losses)
        return self

    def predict_proba(self, sequences):
        """Class probabilities (N, C): one padded batch of every sequence when it fits in
        ``budget.PIECE_LIMIT``, else pieces of sequences of similar lengths (``classifier_memory``);
        the padding, and so the piece, changes nothing."""
        if not hasattr(self, "params_"):
            raise ValueError("this SequenceClassifier is not fitted yet: call fit first")
        sequences, _ = _checked(sequences, None)
        n_inputs = sequences[0].shape[1]
        probabilities = np.empty((len(sequences), self.n_classes_))
        for piece in pieces([len(s) for s in sequences], lambda longest, count: memory.predict_bytes(
                self, n_inputs, self.n_classes_, longest, count), "sequences"):
            xs, lengths = masking.pad([sequences[n] for n in piece])
            logits = forward(self.params_, xs, lengths, self)[0]
            exps = np.exp(logits - logits.max(axis=1, keepdims=True))
            probabilities[piece] = exps / exps.sum(axis=1, keepdims=True)
        return probabilities

    def predict(self, sequences):
        """The most probable class of each sequence, (N,) ints."""
        return np.argmax(self.predict_proba(sequences), axis=1)

    def score(self, sequences, labels):
        """The accuracy: the fraction of sequences whose class is predicted right."""
        return float(np.mean(self.predict(sequences) == _checked(sequences, labels)[1]))


MAX_CLASSES = 10_000  # bounds the output layer a label can ask for


def _checked(sequences, labels):
    """The sequences (list of float arrays (T_n, I), via masking's checks) and labels (N,) ints, or None."""
    sequences = masking.check_sequences(sequences)[0]  # the checks, with messages naming the sequence
    if labels is None:
        return sequences, None
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be class indices 0, 1, ... (ints >= 0), got dtype {labels.dtype}")
    if labels.shape != (len(sequences),):
        raise ValueError(f"labels must have shape ({len(sequences)},), one class per sequence, got {labels.shape}")
    if labels.dtype.kind not in "iu" or labels.min() < 0:
        raise ValueError(f"labels must be class indices 0, 1, ... (ints >= 0), got dtype {labels.dtype}, "
                         f"smallest {labels.min()}")
    if labels.max() >= MAX_CLASSES:
        raise ValueError(f"labels must be class indices below {MAX_CLASSES:,} (one output per class), got "
                         f"{labels.max()}")
    return sequences, labels.astype(np.int64)
