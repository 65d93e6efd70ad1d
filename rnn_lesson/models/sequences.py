"""The data forms the estimator accepts, turned into one checked list of sequences.

Dimensions: T time steps (may differ between sequences), I inputs, O outputs.

``fit``, ``predict_sequences`` and the validation set all take:

* a pair ``(X, Y)`` of arrays (N, T, I) and (N, T, O), or of two equal-length
  lists of (T, I) and (T, O) arrays;
* any iterable of objects with ``.features`` (T, I) and ``.labels`` (T, O)
  (and optionally ``.id``), such as a Dataset.
"""
from collections import namedtuple

from ..shapes import as_float_array, check_binary_labels

Checked = namedtuple("Checked", "id features labels")
Checked.__doc__ = "One sequence as the estimator uses it: id (str), features (T, I), labels (T, O), float64."


def as_sequences(data, name):
    """``data`` as a list of Checked(id, features (T, I), labels (T, O)), float64, finite.

    ``name`` ("train", "validation", "data") starts every error message.
    Raises TypeError for a form it does not know and ValueError, naming the
    sequence, for an empty set, a wrong number of dimensions, NaN or infinity,
    or features and labels of different lengths.
    """
    if isinstance(data, tuple) and len(data) == 2 and not hasattr(data[0], "features"):
        X, Y = data
        if len(X) != len(Y):
            raise ValueError(f"{name}: X holds {len(X)} sequences but Y holds {len(Y)}")
        items = [Checked(str(n), x, y) for n, (x, y) in enumerate(zip(X, Y))]
    else:
        try:
            items = list(data)
        except TypeError:
            raise TypeError(f"{name} must be a Dataset, an iterable of sequences or a pair (X, Y); "
                            f"got {type(data).__name__}") from None
    if not items:
        raise ValueError(f"{name} holds no sequences")
    return [_checked(item, n, name) for n, item in enumerate(items)]


def _checked(item, index, name):
    if not (hasattr(item, "features") and hasattr(item, "labels")):
        raise TypeError(f"{name} item {index} has no .features/.labels (got {type(item).__name__})")
    seq_id = str(getattr(item, "id", index))
    where = f"{name} sequence {seq_id!r}"
    features = as_float_array(item.features, f"{where}: features", ndim=2)
    labels = as_float_array(item.labels, f"{where}: labels", ndim=2)
    if features.shape[0] == 0 or features.shape[0] != labels.shape[0]:
        raise ValueError(f"{where}: features has shape {features.shape} and labels {labels.shape}; "
                         "both need the same number T >= 1 of time steps")
    return Checked(seq_id, features, labels)


def check_widths(sequences, name, expected=None):
    """The common (I, O) of all sequences; ValueError naming the first one that differs.

    With ``expected`` (the training set's (I, O)), every sequence must have those.
    """
    first = sequences[0]
    widths = expected or (first.features.shape[1], first.labels.shape[1])
    for seq in sequences:
        if (seq.features.shape[1], seq.labels.shape[1]) != widths:
            raise ValueError(f"{name} sequence {seq.id!r} has features {seq.features.shape} and labels "
                             f"{seq.labels.shape}, but {widths[0]} features and {widths[1]} labels per "
                             "step are expected" + (" (the training set's)" if expected else ""))
    return widths


def check_class_labels(sequences, name):
    """loss="bce" learns classes: every label of every sequence must be exactly 0 or 1."""
    for seq in sequences:
        try:
            check_binary_labels(seq.labels, f"{name} sequence {seq.id!r}: labels")
        except ValueError as err:
            raise ValueError(f"{err}; loss='bce' needs them (loss='mse' learns real values)") from None
