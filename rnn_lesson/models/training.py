"""The epochs of training: SGD per sequence or per batch, run by the reference loop or by the fast engine.

Dimensions: N sequences, B per batch, T time steps, I inputs, H hidden units, O outputs.

One epoch, in either engine, with ``batch_size=None``:

    for each sequence (xs (T, I), targets (T, O)), in the order given:
        ys, cache = forward(params, xs)            ys (T, O)
        loss, dys = loss_fn(ys, targets)          dys (T, O)
        grads     = backward(dys, cache)
        params   -= learning_rate * grads         (after optional clipping; or the
                                                   model's optimizer's step)

and its result is the mean over the sequences of each one's loss, taken just
before its own update. With ``batch_size=B`` the same runs on batches of B
sequences (the last one may be smaller), time-major (T, B, ...), with the loss
of a batch the mean over all its entries (for cross-entropy: over its labelled
steps); the epoch's result is then the mean over the sequences of their
batch's loss. ``epoch_runner(model, train)`` returns a function
``run_epoch(order, epoch)`` doing that for ``model.engine``: "reference"
(the loop above in NumPy) or "fast" (``rl.fast.sgd_epoch`` or
``minibatch_epoch``, compiled, the same numbers). If training diverges,
``model.params_`` goes back to its value at the start of the epoch (all
finite) and TrainingDiverged says where.
"""
import math
import time

import numpy as np
from tqdm.auto import tqdm

from . import network
from ..log import TRACE, get_logger
from ..losses import get_loss
from ..optim import get_optimizer
from ..schedules import fresh_copy


class TrainingDiverged(FloatingPointError):
    """Raised when the loss or the gradients stop being finite numbers."""


def epoch_runner(model, train):
    """``run_epoch(order, epoch) -> mean loss`` training ``model.params_`` on ``train`` in place.

    ``train``: a list of checked sequences; ``order``: the indices to visit
    (a range when they are not shuffled); ``epoch`` (1-based) names the epoch
    in messages.
    """
    return {"reference": _reference_epochs, "fast": _fast_epochs}[model.engine](model, train)


def training_tools(model):
    """What one fit trains with beside the weights: (a fresh optimizer, the dropout masks' generator).

    The optimizer is kept as ``model.optimizer_`` (its state, and a Monitored one's norms).
    """
    optimizer = model.optimizer
    model.optimizer_ = (get_optimizer(optimizer, model.learning_rate) if isinstance(optimizer, str)
                        else fresh_copy(optimizer))
    return model.optimizer_, np.random.default_rng((model.seed, 4))


def _reference_epochs(model, train):
    loss_fn, tools = get_loss(model.loss), training_tools(model)
    if model.batch_size is None:
        def run_epoch(order, epoch):
            steps = ((f"sequence {train[i].id!r}", 1, _sequence_step(model, train[i], loss_fn, tools)) for i in order)
            return _reference_epoch(model, steps, len(train), epoch)
        return run_epoch
    X, Y = _stacked(train, "batch_size")

    def run_batches(order, epoch):
        order = np.asarray(order)
        starts = range(0, len(order), model.batch_size)
        steps = ((f"the batch of sequences {start}..{min(start + model.batch_size, len(order)) - 1}",
                  len(batch), _batch_step(model, X[batch], Y[batch], loss_fn, tools))
                 for start in starts for batch in [order[start:start + model.batch_size]])
        return _reference_epoch(model, steps, len(train), epoch)
    return run_batches


def _reference_epoch(model, steps, n_sequences, epoch):
    """Run the SGD ``steps`` (where, sequences in it, a step function) of one epoch; the mean loss per sequence."""
    log = get_logger(__name__)
    start = {k: v.copy() for k, v in model.params_.items()}
    total = 0.0
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported below, once
        for where, count, step in steps:
            try:
                loss, norm = step()
            except FloatingPointError as err:
                model.params_ = start
                raise TrainingDiverged(
                    f"training diverged at epoch {epoch}, {where} ({err}); params_ hold "
                    f"the weights from before epoch {epoch}. Try a lower learning_rate (now "
                    f"{model.learning_rate:g}) or set clip_norm (e.g. 1.0)") from None
            log.log(TRACE, "epoch %d, %s: loss %.6g, gradient norm %.4g", epoch, where, loss, norm)
            total += loss * count
    return total / n_sequences


def _sequence_step(model, seq, loss_fn, tools):
    """A function doing one SGD step on one sequence (T, I) -> (T, O)."""
    def step():
        ys, cache = network.forward(model, seq.features, training=True, rng=tools[1])  # (T, O)
        loss, dys = _loss(ys, seq.labels, loss_fn)
        return _update(model, network.backward(model, dys, cache), loss, tools[0])
    return step


def _batch_step(model, X, Y, loss_fn, tools):
    """A function doing one SGD step on a batch X (B, T, I), Y (B, T, O): the gradient of the batch's mean loss."""
    def step():
        ys, cache = network.forward_batch(model, X, training=True, rng=tools[1])  # (T, B, O)
        targets = np.transpose(Y, (1, 0, 2)).reshape(-1, Y.shape[2])  # (T * B, O), rows in ys' order
        loss, dys = _loss(ys.reshape(-1, ys.shape[2]), targets, loss_fn)
        return _update(model, network.backward_batch(model, dys.reshape(ys.shape), cache), loss, tools[0])
    return step


def _loss(ys, targets, loss_fn):
    """(loss, dys); FloatingPointError when the outputs or the loss are not finite."""
    if not np.all(np.isfinite(ys)):
        raise FloatingPointError("the outputs are not finite")
    try:
        loss, dys = loss_fn(ys, targets)
    except FloatingPointError:  # a loss beyond float64's range (numerics.NumericOverflow)
        loss = math.inf
    if not np.isfinite(loss):
        raise FloatingPointError(f"the loss is {loss}")
    return loss, dys


def _update(model, grads, loss, optimizer):
    """One step of ``optimizer``; returns the loss before it and the gradient norm before clipping.

    Raises FloatingPointError when the gradients or the updated weights are not finite.
    """
    norm = optimizer.step(model.params_, grads, clip_norm=model.clip_norm)
    if not all(np.all(np.isfinite(p)) for p in model.params_.values()):
        raise FloatingPointError("the weights overflowed")
    return loss, norm


def _stacked(train, why):
    """The sequences stacked into X (N, T, I), Y (N, T, O); they must all have one length T."""
    lengths = {len(s.features) for s in train}
    if len(lengths) > 1:
        raise ValueError(f"{why} needs sequences of one length; the training set has lengths {sorted(lengths)}")
    return np.stack([s.features for s in train]), np.stack([s.labels for s in train])


def _fast_epochs(model, train):
    """The compiled epochs on the sequences stacked once into X (N, T, I), Y (N, T, O).

    The vanilla cell without clipping: rl.fast.sgd_epoch, or minibatch_epoch with a
    batch_size (lessons 07-09's numbers, to the bit); a gated cell, or clip_norm:
    rl.fast.cell_minibatch_epoch (batch_size None: batches of one sequence). Each
    epoch visits the sequences in ``order`` and reuses one workspace, so nothing
    is allocated per batch. The sequences must all have one length T.
    """
    from .. import fast  # numba is imported only when the fast engine is asked for

    try:
        X, Y = _stacked(train, "engine='fast'")
    except ValueError as err:
        raise ValueError(f"{err}. Use engine='reference'") from None
    n_steps, n_in, n_out = X.shape[1], X.shape[2], Y.shape[2]
    any_cell = model.cell != "rnn" or model.clip_norm is not None
    if any_cell:
        workspace = fast.CellWorkspace(model.cell, n_steps, model.batch_size or 1, n_in, model.hidden_size, n_out,
                                       dense_inputs=True)
    else:
        workspace = fast.Workspace(n_steps, n_in, model.hidden_size, n_out, batch_size=model.batch_size)

    def run_epoch(order, epoch):
        X_epoch, Y_epoch = (X, Y) if isinstance(order, range) else (X[order], Y[order])
        try:
            if any_cell:
                return fast.cell_minibatch_epoch(model.params_, X_epoch, Y_epoch, model.learning_rate,
                                                 model.batch_size, model.cell, model.activation, model.clip_norm,
                                                 workspace)
            if model.batch_size is not None:
                return fast.minibatch_epoch(model.params_, X_epoch, Y_epoch, model.learning_rate,
                                            model.batch_size, model.activation, workspace=workspace)
            return fast.sgd_epoch(model.params_, X_epoch, Y_epoch, model.learning_rate,
                                  model.activation, workspace=workspace)
        except FloatingPointError as err:  # the weights are already back to the epoch's start
            raise TrainingDiverged(f"training diverged at epoch {epoch} ({err}). Try a lower "
                                   f"learning_rate (now {model.learning_rate:g})") from None
    return run_epoch


class EpochBar:
    """A tqdm bar over epochs, created only once training has run ``delay`` seconds.

    delay: 2 s for progress="auto", 0 for True, never for False. Unlike
    tqdm's own ``delay``, no hidden bar exists before then, so log lines
    (written through ``tqdm.write``) cannot make it appear early.
    """

    def __init__(self, epochs, progress, unit="epoch"):
        self.epochs, self.bar, self.unit = epochs, None, unit
        self.delay = {True: 0.0, False: math.inf, "auto": 2.0}[progress]
        self.start = time.perf_counter()
        self._show_if_due(done=0)

    def _show_if_due(self, done):
        if self.bar is None and time.perf_counter() - self.start >= self.delay:
            self.bar = tqdm(total=self.epochs, initial=done, desc="training", unit=self.unit, leave=False)

    def update(self, epoch, loss):
        """Epoch ``epoch`` (1-based; or another ``unit`` of work) has finished with mean loss ``loss``."""
        self._show_if_due(done=epoch - 1)
        if self.bar is not None:
            self.bar.set_postfix(loss=f"{loss:.4g}", refresh=False)
            self.bar.update()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
