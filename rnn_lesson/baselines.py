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

from .shapes import as_float_array, check_binary_labels, check_positive_int, check_seed


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

    Each value counts once in a window: a window wider than the cycle
    (2 w + 1 > period) does not wrap onto itself and count values twice, it
    takes the whole cycle, so every entry is then the mean of all the values.
    The work is bounded by the period (and a period that ``len(values)``
    windows cannot cover is refused before anything of its size is made).
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
    width = min(2 * half_width + 1, period)  # phases in one window, each counted once
    if period > values.size * width:  # some phase is out of every window: say which, before allocating
        _raise_empty(_first_uncovered(np.unique(phases), half_width, period), half_width)
    sums = np.bincount(phases, weights=values, minlength=period)
    counts = np.bincount(phases, minlength=period).astype(np.float64)
    if width == period:  # the window is the whole cycle
        return np.full(period, float(np.sum(sums)) / float(np.sum(counts)))
    offsets = np.arange(-half_width, half_width + 1)
    window_sums = sum(np.roll(sums, k) for k in offsets)      # (period,)
    window_counts = sum(np.roll(counts, k) for k in offsets)  # (period,)
    if np.any(window_counts == 0):
        _raise_empty(int(np.argmax(window_counts == 0)), half_width)
    return window_sums / window_counts


def _raise_empty(phase, half_width):
    raise ValueError(f"no training value within ±{half_width} of phase {phase}: "
                     "give more data or a larger half_width")


def _first_uncovered(seen, half_width, period):
    """The smallest phase farther than ``half_width`` round the cycle from every phase in ``seen`` (sorted, unique)."""
    if seen.size == 0:
        return 0
    candidates = np.concatenate([[0], (seen + half_width + 1) % period])  # 0 and the first phase after each window
    after = seen[np.searchsorted(seen, candidates) % seen.size]      # the next seen phase, round the cycle
    before = seen[np.searchsorted(seen, candidates, side="right") - 1]  # the previous one, round the cycle
    gap = np.minimum((after - candidates) % period, (candidates - before) % period)
    return int(np.min(candidates[gap > half_width]))


def all_negative(targets):
    """The all-negative classifier: a 0 for every entry of ``targets`` (an array or a list of arrays).

    In fraud detection, "every transaction is legitimate". Returns float64
    zeros of the same shape(s), ready for an evaluator.
    """
    if isinstance(targets, (list, tuple)):
        return [np.zeros(as_float_array(t, f"targets[{n}]").shape) for n, t in enumerate(targets)]
    return np.zeros(as_float_array(targets, "targets").shape)


# the largest oversampling factor: one positive in 1000 (lesson 08's fraud rate is 1.7 in 1000) is balanced
# by ~1000 copies, and the factor multiplies an epoch's work, so beyond it is a mistake, not a plan
MAX_OVERSAMPLE = 1000


def oversample_indices(labels, factor, seed=0):
    """Indices that repeat every sequence holding a positive label ``factor`` times, in a seeded order.

    labels: (N, T, O) array or a list of N (T, O) arrays of 0/1 labels.
    Returns an int array of length N + (factor - 1) * P (P positive sequences):
    each negative sequence once, each positive one ``factor`` times, shuffled
    with ``seed`` (an int >= 0: the same order every run) so the copies are
    spread through an epoch. Use it as
    ``X[idx], Y[idx]`` (or ``[sequences[i] for i in idx]``); only ever on the
    training part, never on the data you evaluate on. ``factor`` is 1 to
    MAX_OVERSAMPLE (1000).
    """
    factor = check_positive_int(factor, "factor", most=MAX_OVERSAMPLE)
    seed = check_seed(seed)
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
