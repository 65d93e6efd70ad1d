"""What the estimator records while it trains: the losses and the evaluator's metrics, every ``eval_every`` epochs.

Each entry of ``model.history_`` is a dict: ``epoch``, ``loss`` (the epoch's
mean training loss), with a validation set ``validation_loss`` (the mean over
its sequences of each one's loss, weights fixed), and with an evaluator
``train`` and ``validation``, its metrics dicts. Every entry is also logged.
"""
import numpy as np

from . import network
from .training import TrainingDiverged
from ..log import get_logger
from ..losses import get_loss


def record(model, epoch, train, validation):
    """Append the losses (and the evaluator's metrics) at ``epoch`` to ``model.history_``; log them."""
    log = get_logger(__name__)
    entry = {"epoch": epoch, "loss": float(model.loss_curve_[-1])}
    message = f"epoch {epoch}/{model.epochs}: loss {entry['loss']:.6g}"
    sets = {"train": train}
    if validation is not None:
        sets["validation"] = validation
        entry["validation_loss"] = mean_loss(model, validation)
        if not np.isfinite(entry["validation_loss"]):
            largest = max(float(np.max(np.abs(s.features))) for s in validation)
            raise TrainingDiverged(f"the validation loss at epoch {epoch} is {entry['validation_loss']}: the "
                                   f"outputs overflow on the validation set (its largest input is {largest:.3g}; "
                                   "inputs far outside the training range, or weights grown too large). Try a lower "
                                   f"learning_rate (now {model.learning_rate:g}) or set clip_norm")
        message += f", validation loss {entry['validation_loss']:.6g}"
    log.info(message)
    if model.evaluator is not None:
        for name, sequences in sets.items():
            entry[name] = model.evaluator.evaluate(model.predict_sequences(sequences), [s.labels for s in sequences])
            log.info(f"{name} evaluation at epoch {epoch}:\n{model.evaluator.report(entry[name])}")
    model.history_.append(entry)


def mean_loss(model, sequences):
    """The mean over ``sequences`` of each one's loss under ``model.params_`` (no update)."""
    loss_fn = get_loss(model.loss)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported by the caller, once
        try:
            return float(np.mean([loss_fn(network.forward(model, s.features)[0], s.labels)[0] for s in sequences]))
        except FloatingPointError:  # outputs that overflowed (numerics.NumericOverflow)
            return float("inf")
