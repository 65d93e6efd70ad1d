"""Checkers for lesson 09 (case study: temperature).

    check_climatology(fn)       the warm-up: the learner's climatology table
    check_linear_forecast(fn)   the modelling exercise: a linear forecaster with k days of memory

The reference is :func:`rnn_lesson.baselines.climatology`. When an answer is
wrong, the checker also tries three classic slips (no wrap-round at the ends
of the cycle, averaging per-phase means instead of observations, a window one
phase too narrow) and names the one the answer matches.
"""
import numpy as np

from ..baselines import climatology
from . import call_safely, compare, known_mistake, real_numbers, verdict, with_hint


def _cases():
    """(name, values (n,), phases (n,), period, half_width), seeded; phases seen unequally often."""
    rng = np.random.default_rng(9)
    cases = [("case 1 (period 5, half_width 1)", np.array([1.0, 2.0, 3.0, 4.0, 8.0, 3.0, 5.0]),
              np.array([0, 1, 2, 3, 4, 0, 0]), 5, 1)]
    phases = np.concatenate([np.arange(12), rng.integers(0, 12, 20)])
    cases.append(("case 2 (period 12, half_width 2)", rng.normal(10, 5, phases.size), phases, 12, 2))
    days = np.arange(3 * 365) % 365
    seasonal = 10 - 7 * np.cos(2 * np.pi * days / 365) + rng.normal(0, 2, days.size)
    cases.append(("case 3 (three years of days, period 365, half_width 7)", seasonal, days, 365, 7))
    return cases


def _no_wrap(values, phases, period, half_width):
    p = np.arange(period)[:, None]
    inside = np.abs(phases[None, :] - p) <= half_width  # (period, n), no wrap-round
    return inside @ values / inside.sum(axis=1)


def _mean_of_phase_means(values, phases, period, half_width):
    means = climatology(values, phases, period, 0)
    return np.array([means[(p + np.arange(-half_width, half_width + 1)) % period].mean() for p in range(period)])


def _too_narrow(values, phases, period, half_width):
    return climatology(values, phases, period, half_width - 1) if half_width else None


_SLIPS = [
    (_no_wrap, "the phases near both ends of the cycle are off: the window must wrap round "
               "(phase 0 is a neighbour of phase period - 1), e.g. with a distance computed modulo period."),
    (_mean_of_phase_means, "you averaged the per-phase means, so a phase seen once weighs as much as one seen "
                           "five times: average the observations in the window instead."),
    (_too_narrow, "your window is one phase too narrow on each side: include phases at a distance of "
                  "exactly half_width (<=, not <)."),
]


def check_climatology(my_climatology):
    """Check ``my_climatology(values, phases, period, half_width) -> table (period,)``."""
    for name, values, phases, period, half_width in _cases():
        got, error = call_safely(my_climatology, (values, phases, period, half_width), name)
        if error:
            return verdict([error], "")
        expected = climatology(values, phases, period, half_width)
        problem = compare(got, expected, f"{name}: the table", axis_names=("phase",), rtol=1e-10)
        if problem:
            hint = known_mistake(got, [(f"It looks as if {hint}", slip(values, phases, period, half_width))
                                       for slip, hint in _SLIPS], rtol=1e-10)
            return verdict([with_hint(problem, hint)], "")
    return verdict([], "your climatology matches rl.climatology on all three cases, including the window "
                       "that wraps round the end of the cycle.")


# --- the modelling exercise: a linear forecaster with k days of memory ---------------------------

def _design(X, k, intercept=True):
    """Rows for the steps t = k-1 .. T-1 of every window: temp_t .. temp_{t-k+1}, the other features at t, 1."""
    n_windows, n_steps, n_features = X.shape
    rows = n_steps - k + 1
    lags = [X[:, k - 1 - j:n_steps - j, 0] for j in range(k)]
    columns = lags + [X[:, k - 1:, f] for f in range(1, n_features)]
    if intercept:
        columns.append(np.ones((n_windows, rows)))
    return np.stack(columns, axis=-1).reshape(n_windows * rows, len(columns))


def _linear_forecast(X_train, Y_train, X_test, k, fit_on=None, **design):
    """Least squares on the training steps with k days of history; forecasts (N_test, T-k+1, 1)."""
    X_fit, Y_fit = fit_on if fit_on is not None else (X_train, Y_train)
    coef, *_ = np.linalg.lstsq(_design(X_fit, k, **design), Y_fit[:, k - 1:, 0].ravel(), rcond=None)
    return (_design(X_test, k, **design) @ coef).reshape(len(X_test), -1, 1)


def _forecast_cases():
    """(name, X_train, Y_train, X_test, Y_test, k): temperatures with a season and a memory, seeded."""
    rng = np.random.default_rng(99)
    days = np.arange(160)
    temps = 10 - 6 * np.cos(2 * np.pi * days / 60) + np.cumsum(rng.normal(0, 0.8, days.size)) * 0.3
    X = np.stack([temps[:-1], np.sin(2 * np.pi * days[:-1] / 60), np.cos(2 * np.pi * days[:-1] / 60)], axis=-1)
    X, Y = X[:150].reshape(15, 10, 3), temps[1:151].reshape(15, 10, 1)
    return [(f"case {n} (12 training windows, 3 test windows of T=10, k={k})", X[:12], Y[:12], X[12:], Y[12:], k)
            for n, k in enumerate((1, 3, 7), start=1)]


def check_linear_forecast(my_linear_forecast):
    """Check ``my_linear_forecast(X_train, Y_train, X_test, k) -> (N_test, T-k+1, 1)``.

    For every step t >= k-1 of a window the features are the k temperatures temp_t .. temp_{t-k+1}
    (column 0 of X), the other columns of X at t, and a constant 1; the coefficients are the least-
    squares fit on the training windows' steps t >= k-1, and the forecasts are for the same steps of
    the test windows. Names the slips: a fit on the test windows, no intercept, every step forecast.
    """
    for name, X_train, Y_train, X_test, Y_test, k in _forecast_cases():
        got, error = call_safely(my_linear_forecast, (X_train, Y_train, X_test, k), name)
        if error is None and got is None:
            return verdict(["not attempted yet: your function returns None. Write it, run the cell again."], "")
        if error:
            return verdict([error], "")
        expected = _linear_forecast(X_train, Y_train, X_test, k)
        problem = compare(got, expected, f"{name}: the forecasts", axis_names=("window", "step"), rtol=1e-6,
                          atol=1e-8)
        if problem:
            full = (len(X_test), X_test.shape[1], 1)
            hint = known_mistake(got, [
                ("Hint: these are the coefficients fitted on the TEST windows: fit on the training windows "
                 "only, or the score is a leak.", _linear_forecast(X_train, Y_train, X_test, k,
                                                                   fit_on=(X_test, Y_test))),
                ("Hint: the constant column (the intercept) is missing.",
                 _linear_forecast(X_train, Y_train, X_test, k, intercept=False)),
            ], rtol=1e-6, atol=1e-8)
            answer = real_numbers(got)[0]
            if hint is None and answer is not None and answer.shape == full and k > 1:
                hint = f"Hint: forecast only the steps with {k} days of history, t = {k - 1} .. T-1."
            return verdict([with_hint(problem, hint)], "")
    return verdict([], "your least-squares forecasts agree with the reference for k = 1, 3 and 7, fitted on "
                       "the training windows only.")
