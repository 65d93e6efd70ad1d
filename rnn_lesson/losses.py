"""Loss functions on a whole sequence; each returns ``(loss, dL/dy)``.

Shapes: predictions and targets are (T, O); the loss is a mean over T and O.

    MSE:  L = mean((y - target)**2)          dL/dy = 2 (y - target) / (T*O)
    BCE:  L = mean(-t log p - (1-t) log(1-p)),  p = sigmoid(y)
          dL/dy = (p - t) / (T*O)

``bce_with_logits_loss`` takes *logits* y (the raw RNN output, any real
number), not probabilities: it folds the sigmoid in, which keeps the loss
finite for any y and gives the simple gradient above.

``softmax_cross_entropy`` is the loss over V classes (next character, word):
logits (..., V) and integer targets (...), one class index per position.

    p = softmax(y) = exp(y - max y) / sum(exp(y - max y))      (the max keeps exp <= 1)
    L = mean over positions of -log p[target]
    dL/dy = (p - onehot(target)) / n_positions

``cross_entropy_loss`` is the same loss in the estimator's form, labels (T, 1): a
class index per step, or ``NO_TARGET`` (-1) on a step with nothing to predict,
left out of the mean (as ``ignore_index`` in PyTorch).
"""
import numpy as np

from .activations import sigmoid
from .numerics import finite_mean
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
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused, named, by finite_mean
        diff = ys - targets
        loss = finite_mean(diff * diff, "mse_loss: the mean of (ys - targets)²")
    return loss, 2.0 * diff / diff.size


def bce_with_logits_loss(logits, targets):
    """Binary cross-entropy on logits, numerically stable.

    logits, targets (T, O) with targets in [0, 1] -> (loss, dlogits (T, O)).
    Uses  -t log p - (1-t) log(1-p) = max(y, 0) - y t + log(1 + exp(-|y|)).
    """
    logits, targets = _pair(logits, targets, "logits")
    if np.any((targets < 0) | (targets > 1)):
        raise ValueError("targets for binary cross-entropy must lie in [0, 1]")
    per_entry = np.maximum(logits, 0) - logits * targets + np.log1p(np.exp(-np.abs(logits)))
    return finite_mean(per_entry, "bce_with_logits_loss"), (sigmoid(logits) - targets) / logits.size


def _entry(targets, index):
    """'targets[1, 2] = 7' for the entry at ``index`` (or 'targets = 7' for a single target)."""
    index = tuple(int(i) for i in index)
    name = f"targets[{', '.join(map(str, index))}]" if index else "targets"
    return f"{name} = {targets[index]}"


def _class_targets(targets, shape, n_classes):
    """Integer class indices of shape ``shape`` in [0, n_classes), or TypeError/ValueError naming the entry."""
    if isinstance(targets, (str, bytes)):
        raise TypeError("targets must be integer class indices, got a string")
    targets = np.asarray(targets)
    if targets.dtype == bool or not np.issubdtype(targets.dtype, np.number):
        raise TypeError(f"targets must be integer class indices, got dtype {targets.dtype}")
    if not np.issubdtype(targets.dtype, np.integer):
        fractional = np.argwhere(~np.isfinite(targets) | (targets != np.round(targets)))
        where = f": {_entry(targets, fractional[0])}" if len(fractional) else " (use targets.astype(int))"
        raise TypeError(f"targets must be integer class indices, got dtype {targets.dtype}{where}")
    if targets.shape != shape:
        raise ValueError(f"targets must have shape {shape} (logits' shape without the last axis), "
                         f"got {targets.shape}")
    outside = np.argwhere((targets < 0) | (targets >= n_classes))
    if len(outside):
        raise ValueError(f"{_entry(targets, outside[0])} is not a class index: "
                         f"expected 0 to {n_classes - 1} for {n_classes} classes")
    return targets


def softmax_cross_entropy(logits, targets):
    """Softmax cross-entropy on logits, numerically stable.

    logits (..., V) and integer targets (...) -> (loss, dlogits (..., V)), the
    loss a mean over the positions (every entry of targets):

        log p = (y - max y) - log(sum(exp(y - max y)))
        L = mean(-log p[target])          dL/dy = (p - onehot(target)) / n_positions
    """
    logits = as_float_array(logits, "logits")
    if logits.ndim == 0 or logits.size == 0:
        raise ValueError(f"logits must have shape (..., V) with at least one position and class, "
                         f"got {logits.shape}")
    targets = _class_targets(targets, logits.shape[:-1], logits.shape[-1])
    with np.errstate(under="ignore", over="ignore"):  # exp(-1e4) = 0 is the right answer, not a problem
        shifted = logits - logits.max(axis=-1, keepdims=True)  # (..., V), every entry <= 0 (-inf: overflowed)
        exps = np.exp(shifted)
    sums = exps.sum(axis=-1, keepdims=True)  # (..., 1), in [1, V]
    picked = np.take_along_axis(shifted, targets[..., None], axis=-1)  # (..., 1)
    n_positions = targets.size
    with np.errstate(over="ignore", invalid="ignore"):
        loss = finite_mean(np.log(sums) - picked, "softmax_cross_entropy")  # = sum / n_positions
    onehot = np.zeros_like(logits)
    np.put_along_axis(onehot, targets[..., None], 1.0, axis=-1)  # (..., V)
    return loss, (exps / sums - onehot) / n_positions  # (p - onehot) / n


NO_TARGET = -1  # the label of a step that has nothing to predict


def cross_entropy_loss(logits, labels):
    """Softmax cross-entropy over the labelled steps of one sequence (or of rows stacked from several).

    logits (T, K) and labels (T, 1) holding a class index 0..K-1 (as a float, like
    every label) or NO_TARGET -> (loss, dlogits (T, K)). The loss is the mean over
    the labelled steps of -log softmax(y_t)[label_t]; dlogits is 0 on the other
    steps. A sequence with no labelled step has loss 0 and a zero gradient.
    """
    logits = as_float_array(logits, "logits", ndim=2)
    labels = as_float_array(labels, "labels", ndim=2)
    if labels.shape != (len(logits), 1):
        raise ValueError(f"labels must have shape ({len(logits)}, 1): one class index per step of the logits "
                         f"{logits.shape}, got {labels.shape}")
    classes, n_classes = labels[:, 0], logits.shape[1]
    bad = np.flatnonzero((classes != np.round(classes)) | (classes < NO_TARGET) | (classes >= n_classes))
    if len(bad):
        raise ValueError(f"labels[{bad[0]}] = {classes[bad[0]]:g} is neither a class index (0 to "
                         f"{n_classes - 1} for {n_classes} outputs) nor NO_TARGET ({NO_TARGET})")
    labelled = classes != NO_TARGET
    dlogits = np.zeros_like(logits)
    if not labelled.any():
        return 0.0, dlogits
    loss, dlogits[labelled] = softmax_cross_entropy(logits[labelled], classes[labelled].astype(np.int64))
    return loss, dlogits


LOSSES = {"mse": mse_loss, "bce": bce_with_logits_loss, "cross_entropy": cross_entropy_loss}


def get_loss(name):
    """Return the loss function for ``"mse"``, ``"bce"`` or ``"cross_entropy"``."""
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}; choose one of: {', '.join(LOSSES)}") from None
