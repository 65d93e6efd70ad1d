"""The data forms the estimator accepts, turned into one checked list of sequences.

Dimensions: T time steps (may differ between sequences), I inputs, O outputs.

``fit``, ``predict_sequences`` and the validation set all take:

* a pair ``(X, Y)`` of arrays (N, T, I) and (N, T, O), or of two equal-length
  lists of (T, I) and (T, O) arrays;
* any iterable of objects with ``.features`` (T, I) and ``.labels`` (T, O)
  (and optionally ``.id``), such as a Dataset.
"""
from collections import namedtuple

import numpy as np

from ..losses import NO_TARGET
from ..shapes import as_float_array, check_binary_sequences

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
    check_binary_sequences(sequences, lambda seq: f"{name} sequence {seq.id!r}: labels",
                           "loss='bce' needs them (loss='mse' learns real values)")


def check_not_forecasting(sequences, max_shift=24):
    """ValueError when some label column is an input column shifted k >= 1 steps ahead (a forecast).

    A bidirectional network reads x_{t+k} when it computes y_t: on such data it
    would copy the answer from the future. "Shifted" allows an affine map (labels
    scaled apart from the features): label[t] = a * feature[t + k] + b exactly
    (to 1e-9), in every sequence at once, for k = 1 .. min(T - 1, max_shift).
    """
    n_inputs, n_labels = sequences[0].features.shape[1], sequences[0].labels.shape[1]
    for shift in range(1, min(max(len(s.features) for s in sequences) - 1, max_shift) + 1):
        usable = [s for s in sequences if len(s.features) > shift]
        for i in range(n_inputs):
            ahead = np.concatenate([s.features[shift:, i] for s in usable])
            for o in range(n_labels):
                labels = np.concatenate([s.labels[:-shift, o] for s in usable])
                if len(ahead) > 2 and _affine(ahead, labels):
                    raise ValueError(f"bidirectional=True reads the sequence backwards too, but label column {o} is "
                                     f"input column {i} {shift} step(s) ahead: this is forecasting, and a "
                                     "bidirectional network would read the answer from the future. Use "
                                     "bidirectional=False")


def _affine(x, y):
    """True when y = a x + b exactly (to 1e-9 of y's spread) with x not constant."""
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return False
    design = np.stack([x, np.ones_like(x)], axis=1)
    residual = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    return bool(np.max(np.abs(residual)) <= 1e-9 * np.ptp(y))


def checked_sets(loss, train, validation, bidirectional=False):
    """``train`` and ``validation`` (or None) as checked lists, and ``(I, O)``: the network's widths.

    ``bidirectional``: the training set must not be a forecast (``check_not_forecasting``).

    O is the labels' width, except for loss="cross_entropy", whose labels (T, 1)
    hold class indices: O is then the number of classes, the largest training
    label + 1, and a validation label beyond it is an error.
    """
    train = as_sequences(train, "train")
    n_inputs, n_labels = check_widths(train, "train")
    if bidirectional:
        check_not_forecasting(train)
    if validation is not None:
        validation = as_sequences(validation, "validation")
        check_widths(validation, "validation", expected=(n_inputs, n_labels))
    if loss == "bce":
        check_class_labels(train, "train")
        check_class_labels(validation or [], "validation")
    if loss != "cross_entropy":
        return train, validation, (n_inputs, n_labels)
    return train, validation, (n_inputs, _n_classes(train, validation, n_labels))


def _n_classes(train, validation, n_labels):
    """The number of classes for loss="cross_entropy", from the training labels; checks every label."""
    if n_labels != 1:
        raise ValueError(f"loss='cross_entropy' needs one label per step (a class index), got {n_labels}")
    largest = NO_TARGET
    for name, sequences in (("train", train), ("validation", validation or [])):
        for seq in sequences:
            labels = seq.labels[:, 0]
            bad = np.flatnonzero((labels != np.round(labels)) | (labels < NO_TARGET))
            if len(bad):
                raise ValueError(f"{name} sequence {seq.id!r}: label {labels[bad[0]]:g} at step {bad[0]} is neither "
                                 f"a class index (0, 1, ...) nor NO_TARGET ({NO_TARGET})")
            if name == "train":
                largest = max(largest, int(labels.max()))
            elif labels.max() > largest:
                raise ValueError(f"validation sequence {seq.id!r} has class {labels.max():g}, but the training "
                                 f"labels only go up to {largest}")
    if largest < 1:
        raise ValueError("loss='cross_entropy' needs at least two classes (0 and 1) among the training labels")
    return largest + 1
