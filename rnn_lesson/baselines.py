"""Baselines: the simple answers a model has to beat before its numbers mean anything.

Forecasting a daily series x one step ahead (x_{t+1} from the days up to t):

    persistence   x̂_{t+1} = x_t                              "tomorrow will be like today"
    climatology   x̂_{t+1} = c[phase(t+1)]                    "a usual day at this time of year"
                  c[p] = mean of the training values whose phase lies within
                         ±half_width of p, counted round the cycle (mod period)

Binary classification (0/1 labels, 1 rare):

    all_negative  predicts 0 everywhere: "every transaction is legitimate".
                  Its accuracy is the share of negatives, its recall 0.

Resampling for a rare positive class:

    oversample_indices  repeats each sequence that holds a positive label,
                        so SGD meets the rare class more often.

Shapes: T time steps, N sequences, F features, O outputs.
"""
import numpy as np

from .shapes import as_float_array, check_binary_labels, check_positive_int


def persistence(features, column=0):
    """The persistence forecast: at every step, predict the current value of feature ``column``.

    features (..., F), e.g. one window (T, F) or a batch (N, T, F) -> (..., 1).
    When the label at step t is the series at t + 1, this is "tomorrow = today"
    at every step. Units are those of ``features``: pass raw (not min-max
    scaled) features to get the forecast in the data's own units.
    """
    features = as_float_array(features, "features")
    if features.ndim < 1 or features.shape[-1] == 0:
        raise ValueError(f"features must have a last axis of F >= 1 features, got shape {features.shape}")
    width = features.shape[-1]
    if isinstance(column, bool) or not isinstance(column, (int, np.integer)) or not 0 <= column < width:
        raise ValueError(f"column must be an integer in [0, {width - 1}] (F = {width}), got {column!r}")
    return features[..., column:column + 1].copy()


def climatology(values, phases, period, half_width=0):
    """The mean value at each phase of a cycle, from training data: c of shape (period,).

    values (n,) the training observations; phases (n,) their integer phase in
    [0, period) (for daily data, the day of the year). With half_width = w,
    c[p] averages every value whose phase is within w of p round the cycle
    (w = 3: the same calendar week), which smooths a short record.
    The seasonal forecast of a day with phase q is ``c[q]``.
    """
    period = check_positive_int(period, "period")
    if isinstance(half_width, bool) or not isinstance(half_width, (int, np.integer)) or half_width < 0:
        raise ValueError(f"half_width must be an integer >= 0, got {half_width!r}")
    values = as_float_array(values, "values", ndim=1)
    phases = np.asarray(phases)
    if phases.shape != values.shape:
        raise ValueError(f"phases has shape {phases.shape} but values has shape {values.shape}")
    if not np.issubdtype(phases.dtype, np.integer):
        raise TypeError(f"phases must be integers in [0, {period}), got dtype {phases.dtype}")
    if phases.size and (phases.min() < 0 or phases.max() >= period):
        bad = int(np.argmax((phases < 0) | (phases >= period)))
        raise ValueError(f"phases must lie in [0, {period}); entry {bad} is {phases[bad]}")
    sums = np.bincount(phases, weights=values, minlength=period)
    counts = np.bincount(phases, minlength=period).astype(np.float64)
    offsets = np.arange(-half_width, half_width + 1)
    window_sums = sum(np.roll(sums, k) for k in offsets)      # (period,)
    window_counts = sum(np.roll(counts, k) for k in offsets)  # (period,)
    if np.any(window_counts == 0):
        empty = int(np.argmax(window_counts == 0))
        raise ValueError(f"no training value within ±{half_width} of phase {empty}: "
                         "give more data or a larger half_width")
    return window_sums / window_counts


def all_negative(targets):
    """The all-negative classifier: a 0 for every entry of ``targets`` (an array or a list of arrays).

    In fraud detection, "every transaction is legitimate". Returns float64
    zeros of the same shape(s), ready for an evaluator.
    """
    if isinstance(targets, (list, tuple)):
        return [np.zeros(np.shape(t)) for t in targets]
    return np.zeros(np.shape(targets))


def oversample_indices(labels, factor, seed=0):
    """Indices that repeat every sequence holding a positive label ``factor`` times, in a seeded order.

    labels: (N, T, O) array or a list of N (T, O) arrays of 0/1 labels.
    Returns an int array of length N + (factor - 1) * P (P positive sequences):
    each negative sequence once, each positive one ``factor`` times, shuffled
    with ``seed`` so the copies are spread through an epoch. Use it as
    ``X[idx], Y[idx]`` (or ``[sequences[i] for i in idx]``); only ever on the
    training part, never on the data you evaluate on.
    """
    factor = check_positive_int(factor, "factor")
    parts = list(labels) if isinstance(labels, (list, tuple)) else list(np.asarray(labels))
    if not parts:
        raise ValueError("labels holds no sequences")
    positive = np.empty(len(parts), dtype=bool)
    for n, part in enumerate(parts):
        part = as_float_array(part, f"labels of sequence {n}")
        check_binary_labels(part, f"labels of sequence {n}")
        positive[n] = part.any()
    repeats = np.where(positive, factor, 1)
    indices = np.repeat(np.arange(len(parts)), repeats)
    return np.random.default_rng(seed).permutation(indices)
