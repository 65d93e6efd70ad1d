"""Checker for lesson 09 (case study: temperature): the learner's climatology table.

The reference is :func:`rnn_lesson.baselines.climatology`. When an answer is
wrong, the checker also tries three classic slips (no wrap-round at the ends
of the cycle, averaging per-phase means instead of observations, a window one
phase too narrow) and names the one the answer matches.
"""
import numpy as np

from ..baselines import climatology
from . import call_safely, compare, known_mistake, verdict, with_hint


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
