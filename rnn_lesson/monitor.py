"""Watching training: the gradient norm of every step, and early stopping on the validation loss.

``Monitored(optimizer)`` is an optimizer that does what ``optimizer`` does and
records the global gradient norm of every step (before clipping) in ``norms``;
a fitted ``rl.RNN`` keeps the optimizer it trained with as ``optimizer_``, so
``rl.RNN(optimizer=Monitored(rl.SGD(0.1)), learning_rate=0.1).fit(...).optimizer_.norms``
is the run's history of norms. A healthy run's norms stay within a small band;
an exploding one's jump by orders of magnitude. A clip_norm just above the
healthy band (``suggest_clip_norm``) cuts the jumps and leaves ordinary steps alone.

``EarlyStopping(patience)`` is an ``after_epoch`` hook for ``RNN.fit`` (with a
validation set and ``eval_every=1``): it keeps a copy of the weights of the epoch
with the lowest validation loss and stops training after ``patience`` epochs
without a new low; ``restore(model)`` puts the best weights back.
"""
import numpy as np

from .optim import Optimizer
from .shapes import as_float_array, check_number_in, check_positive_float, check_positive_int


class Monitored(Optimizer):
    """``optimizer``'s steps, each one's gradient norm (before clipping) appended to ``norms``.

    ``learning_rate`` is the watched optimizer's (for a Scheduled one, its base): setting it
    sets theirs, so a hook that lowers ``model.optimizer_.learning_rate`` works through a
    Monitored optimizer too.
    """

    def __init__(self, optimizer):
        if not isinstance(optimizer, Optimizer) or isinstance(optimizer, Monitored):
            raise TypeError(f"optimizer must be an rl.optim optimizer (or a Scheduled one), got {optimizer!r}")
        self.optimizer, self.norms = optimizer, []

    @property
    def learning_rate(self):
        return self.optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.optimizer.learning_rate = check_positive_float(value, "learning_rate")

    @property
    def state(self):
        return self.optimizer.state

    def hyperparameters(self):
        return {"optimizer": self.optimizer}

    def reset(self):
        self.optimizer.reset()
        self.norms = []

    def step(self, params, grads, clip_norm=None):
        norm = self.optimizer.step(params, grads, clip_norm)
        self.norms.append(norm)
        return norm


MAX_NORM, MAX_FACTOR = 1e300, 1e6  # factor * norm stays inside float64


def suggest_clip_norm(norms, quantile=0.9, factor=2.0):
    """A clipping threshold from a healthy run's norms: ``factor`` times their ``quantile``.

    Ordinary steps (below the quantile) are never clipped; a step ``factor``
    times larger than most is cut back.
    """
    norms = as_float_array(norms, "norms", finite=False)
    if norms.ndim != 1 or norms.size == 0 or not np.all((norms >= 0) & (norms <= MAX_NORM)):  # NaN fails too
        raise ValueError(f"norms must be a non-empty 1-D list of gradient norms from 0 to {MAX_NORM:g}")
    check_number_in(factor, "factor", 1.0, MAX_FACTOR)
    if isinstance(quantile, bool) or not isinstance(quantile, (int, float)) or not 0 < quantile < 1:
        raise ValueError(f"quantile must be a number in (0, 1), got {quantile!r}")
    return float(factor * np.quantile(norms, quantile))


class EarlyStopping:
    """An ``after_epoch`` hook: stop after ``patience`` epochs without a lower validation loss; keep the best weights.

    Needs ``fit(train, validation, after_epoch=stopper)`` with ``eval_every=1``.
    After training: ``best_epoch``, ``best_loss``, and ``restore(model)``.
    """

    def __init__(self, patience=5):
        self.patience = check_positive_int(patience, "patience")
        self.best_epoch, self.best_loss, self.best_params = None, np.inf, None

    def __call__(self, epoch, model):
        entry = model.history_[-1] if model.history_ else {}
        if entry.get("epoch") != epoch or "validation_loss" not in entry:
            raise ValueError("EarlyStopping needs a validation loss every epoch: fit(train, validation, "
                             "after_epoch=...) with eval_every=1")
        if epoch == 1:
            self.best_epoch, self.best_loss, self.best_params = None, np.inf, None  # a new fit
        if entry["validation_loss"] < self.best_loss:
            self.best_epoch, self.best_loss = epoch, entry["validation_loss"]
            self.best_params = {k: v.copy() for k, v in model.params_.items()}
        return epoch - self.best_epoch >= self.patience

    def restore(self, model):
        """Put the weights of the best epoch back into ``model.params_``; returns the model."""
        if self.best_params is None:
            raise ValueError("nothing to restore: this EarlyStopping has not watched a training yet")
        model.params_ = {k: v.copy() for k, v in self.best_params.items()}
        return model
