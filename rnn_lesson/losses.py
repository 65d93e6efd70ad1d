"""Loss functions on a whole sequence; each returns ``(loss, dL/dy)``.

Shapes: predictions and targets are (T, O); the loss is a mean over T and O.

    MSE:  L = mean((y - target)**2)          dL/dy = 2 (y - target) / (T*O)
    BCE:  L = mean(-t log p - (1-t) log(1-p)),  p = sigmoid(y)
          dL/dy = (p - t) / (T*O)

``bce_with_logits_loss`` takes *logits* y (the raw RNN output, any real
number), not probabilities: it folds the sigmoid in, which keeps the loss
finite for any y and gives the simple gradient above.
"""
import numpy as np

from .activations import sigmoid
from .shapes import as_float_array


def _pair(predictions, targets, pred_name):
    predictions = as_float_array(predictions, pred_name, ndim=2)
    targets = as_float_array(targets, "targets", ndim=2)
    if predictions.shape != targets.shape:
        raise ValueError(f"{pred_name} has shape {predictions.shape} but targets has shape {targets.shape}")
    if predictions.size == 0:
        raise ValueError(f"{pred_name} is empty (shape {predictions.shape})")
    return predictions, targets


def mse_loss(ys, targets):
    """Mean squared error over T and O. ys, targets (T, O) -> (loss, dys (T, O))."""
    ys, targets = _pair(ys, targets, "ys")
    diff = ys - targets
    return float(np.mean(diff * diff)), 2.0 * diff / diff.size


def bce_with_logits_loss(logits, targets):
    """Binary cross-entropy on logits, numerically stable.

    logits, targets (T, O) with targets in [0, 1] -> (loss, dlogits (T, O)).
    Uses  -t log p - (1-t) log(1-p) = max(y, 0) - y t + log(1 + exp(-|y|)).
    """
    logits, targets = _pair(logits, targets, "logits")
    if np.any((targets < 0) | (targets > 1)):
        raise ValueError("targets for binary cross-entropy must lie in [0, 1]")
    per_entry = np.maximum(logits, 0) - logits * targets + np.log1p(np.exp(-np.abs(logits)))
    return float(np.mean(per_entry)), (sigmoid(logits) - targets) / logits.size


LOSSES = {"mse": mse_loss, "bce": bce_with_logits_loss}


def get_loss(name):
    """Return the loss function for ``"mse"`` or ``"bce"``."""
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}; choose one of: {', '.join(LOSSES)}") from None
