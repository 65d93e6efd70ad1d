"""Checkers for lesson 02 (sequence data): min-max scaling with training bounds, and windowing a series.

``check_min_max(min_max_scale)``: the learner writes
``min_max_scale(train, test) -> (train_scaled, test_scaled)`` for arrays of
shape (R, C) (rows are time steps, columns are features): each column becomes
(x - min) / (max - min) with min and max of the *training* column, and a
constant training column is divided by 1 instead of 0. The reference is
``Dataset.normalize`` (and ``normalize(bounds_from=train)`` for the test rows).

``check_windows(make_windows)``: the learner writes
``make_windows(series, window, horizon) -> (X, Y)`` for a 1-D series of n
values: X (N, window) with X[k] = series[k : k + window] and Y (N, window) with
Y[k, t] = series[k + t + horizon], N = n - window - horizon + 1. The reference
is ``window_series``.

Known mistakes are the reference applied to the wrong data (the test set's own
bounds, one bound for all columns, horizon 1), so they can be named.
"""
import numpy as np

from ..data import Dataset, window_series
from . import call_safely, compare, known_mistake, real_numbers, verdict, with_hint


# ------------------------------------------------------------------ min-max scaling

def _normalized(rows, bounds_from=None):
    """``rows`` (R, C) min-max scaled by Dataset.normalize, with the bounds of ``bounds_from`` if given."""
    dataset = Dataset.from_arrays([rows], [np.zeros((len(rows), 1))]).normalize(bounds_from)
    return dataset, dataset.sequences[0].features


def _reference_scale(train, test):
    train_set, train_scaled = _normalized(train)
    return train_scaled, _normalized(test, bounds_from=train_set)[1]


def _scaling_cases():
    """(description, train (R, C), test (R', C)) with columns of very different ranges."""
    rng = np.random.default_rng(202)
    spread = np.array([1.0, 50.0, 0.01])
    train = rng.normal(loc=[0.0, 300.0, 5.0], scale=spread, size=(12, 3))
    test = rng.normal(loc=[0.5, 320.0, 5.0], scale=1.5 * spread, size=(5, 3))  # drifts out of the training range
    constant = np.column_stack([train[:, 0], np.full(12, 7.0)])
    constant_test = np.column_stack([test[:, 0], np.array([7.0, 7.0, 8.0, 6.0, 7.0])])
    return [
        ("3 feature columns with very different ranges", train, test),
        ("a training column that is constant (always 7.0)", constant, constant_test),
    ]


def _scaling_mistakes(train, test):
    """(hint, (train_scaled, test_scaled) with that mistake), all made with the reference."""
    both = np.vstack([train, test])
    return [
        ("The test rows were scaled with their own min and max: use the training bounds for both.",
         (_reference_scale(train, train)[0], _reference_scale(test, test)[0])),
        ("The bounds came from training and test rows together: the test set must not shape its own scaling.",
         (_reference_scale(both, train)[1], _reference_scale(both, test)[1])),
        ("One min and max were used for all columns: take them per column (axis=0).",
         tuple(s.reshape(a.shape) for s, a in zip(_reference_scale(train.reshape(-1, 1), test.reshape(-1, 1)),
                                                    (train, test)))),
    ]


def _check_scaling_case(min_max_scale, description, train, test):
    what = f"For {description}"
    result, problem = call_safely(min_max_scale, [train, test], what)
    if problem:
        return problem
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return f"{what}: return two arrays, `train_scaled, test_scaled`; got {type(result).__name__}."
    expected = _reference_scale(train, test)
    for part, name in enumerate(("train", "test")):
        problem = compare(result[part], expected[part], f"{what}, the scaled {name} rows", axis_names=("row", "column"))
        if problem:
            if "non-finite" in problem:
                return problem + " A constant column has max - min = 0: divide by 1 there instead."
            return with_hint(problem, known_mistake(result[part],
                                                    [(h, m[part]) for h, m in _scaling_mistakes(train, test)]))
    return None


def check_min_max(min_max_scale):
    """Check ``min_max_scale(train, test) -> (train_scaled, test_scaled)`` against ``Dataset.normalize``."""
    problems = [_check_scaling_case(min_max_scale, *case) for case in _scaling_cases()]
    return verdict(problems, "both sets are scaled per column with the training bounds, "
                             "constant columns included, as Dataset.normalize does.")


# ------------------------------------------------------------------ windowing

def _reference_windows(series, window, horizon):
    X, Y = window_series(series, window, horizon).to_arrays()  # (N, T, 1) each
    return X[:, :, 0], Y[:, :, 0]


def _window_cases():
    """(description, series (n,), window, horizon)."""
    rng = np.random.default_rng(7)
    return [
        ("a series of 12 values, window 4, horizon 1", np.round(rng.normal(10.0, 3.0, 12), 1), 4, 1),
        ("a series of 15 values, window 5, horizon 3", np.round(rng.normal(0.0, 1.0, 15), 2), 5, 3),
        ("a series of 6 values, window 5, horizon 1 (one window fits)", np.arange(6.0), 5, 1),
    ]


def _check_window_case(make_windows, description, series, window, horizon):
    what = f"For {description}"
    result, problem = call_safely(make_windows, [series, window, horizon], what)
    if problem:
        return problem
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return f"{what}: return two arrays, `X, Y`; got {type(result).__name__}."
    X, Y = result
    want_X, want_Y = _reference_windows(series, window, horizon)
    n_windows = len(want_X)
    for got, want, name in ((X, want_X, "X"), (Y, want_Y, "Y")):
        problem = compare(got, want, f"{what}, {name}", axis_names=("window", "step"))
        if not problem:
            continue
        if real_numbers(got)[1]:
            return problem
        shape = np.shape(got)
        if len(shape) >= 1 and shape[0] != n_windows and shape[1:] == want.shape[1:]:
            return problem + (f" You made {shape[0]} windows; {len(series)} values give "
                              f"n - window - horizon + 1 = {n_windows}: the last window's labels end on the last value.")
        if name == "Y" and shape == (n_windows,):
            return problem + " Every step of a window has a label (the value `horizon` steps later), not only the last."
        if name == "Y":
            problem = with_hint(problem, known_mistake(got, [
                ("Your labels are the features themselves: shift them by `horizon` steps.", want_X),
                ("Your labels are one step ahead whatever the horizon: shift by `horizon`, not by 1.",
                 _reference_windows(series, window, 1)[1][:n_windows]),
            ]))
        return problem
    return None


def check_windows(make_windows):
    """Check ``make_windows(series, window, horizon) -> (X, Y)`` against ``window_series``."""
    problems = [_check_window_case(make_windows, *case) for case in _window_cases()]
    return verdict(problems, "your windows and labels match rnn_lesson.window_series for every window, "
                             "horizon and length tried.")
