"""Checker for lesson 04's first exercise: write the numerical gradient yourself.

    check_numerical_gradient(fn)   fn(f, x, df) -> grad, shaped like x

``fn`` must return the central-difference gradient of ``sum(f(x) * df)`` with
respect to the float64 array ``x``: for every entry, nudge it by +eps and -eps,
take (sum(f(x+) * df) - sum(f(x-) * df)) / (2 eps), and put the entry back.
The checker tries three functions (a scalar one, a layer with an upstream
gradient, and a whole RNN's outputs against ``rnn.backward``), compares with
the exact gradient, checks that ``x`` is as it was afterwards and that the
learner did not simply call ``rl.numerical_gradient``, and names the common
mistakes: a one-sided difference, dividing by eps instead of 2 eps, ignoring df.
"""
from unittest import mock

import numpy as np

from . import compare, host_array, known_mistake, verdict, with_hint
from .. import gradcheck
from ..gradcheck import relative_error
from ..rnn import backward, forward, init_params

EPS = 1e-5
RTOL = 1e-6  # relative error over the array; a central difference with eps near 1e-5 lands near 1e-10
MATCH_RTOL = 1e-4  # to recognise a known mistake made with another eps


def _cases():
    """(name, f, x, df, the exact gradient) for three seeded problems."""
    rng = np.random.default_rng(404)
    x1 = rng.standard_normal((3, 4))
    v, W = rng.standard_normal(3), rng.standard_normal((3, 2))
    df2 = rng.standard_normal(2)
    params = init_params(2, 3, 1, seed=4)
    xs, dys = rng.standard_normal((4, 2)), rng.standard_normal((4, 1))
    ys, cache = forward(params, xs)
    return [
        ("case 1: f(x) = sum(sin(x) * x**2), a number, x (3, 4), df = 1.0",
         lambda x: np.sum(np.sin(x) * x ** 2), x1, 1.0, np.cos(x1) * x1 ** 2 + 2 * x1 * np.sin(x1)),
        ("case 2: f(W) = tanh(v @ W), W (3, 2), df (2,)",
         lambda w: np.tanh(v @ w), W, df2, np.outer(v, df2 * (1 - np.tanh(v @ W) ** 2))),
        ("case 3: f(W_hh) = the outputs ys (4, 1) of an RNN, df = dys",
         lambda w: forward({**params, "W_hh": w}, xs)[0], params["W_hh"].copy(), dys,
         backward(dys, cache)["W_hh"]),
    ]


def _variant(f, x, df, kind):
    """What a known mistake returns: "forward" (one-sided), "eps" (divided by eps), "no df" (df ignored)."""
    x, grad = x.copy(), np.zeros_like(x)
    weight = 1.0 if kind == "no df" else df
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + EPS
        plus = np.sum(f(x) * weight)
        x[index] = original if kind == "forward" else original - EPS
        minus = np.sum(f(x) * weight)
        x[index] = original
        grad[index] = (plus - minus) / (EPS if kind in ("forward", "eps") else 2 * EPS)
    return grad


MISTAKES = [
    ("Hint: this is a one-sided difference (f(x + eps) - f(x)) / eps: its error shrinks only like eps. "
     "Nudge both ways and divide by 2 eps: (f(x + eps) - f(x - eps)) / (2 * eps).", "forward"),
    ("Hint: your gradient is twice the right one: from x - eps to x + eps is a step of 2 eps, so divide "
     "by 2 * eps.", "eps"),
    ("Hint: you ignored df. The function returns an array; differentiate sum(f(x) * df), the outputs "
     "weighted by their upstream gradient.", "no df"),
]


def _refuse(*args, **kwargs):
    raise RuntimeError("this exercise asks you to write the numerical gradient yourself, "
                       "not to call rl.numerical_gradient")


def _run(fn, f, x, df):
    """Call the learner's function with the package's own numerical gradient out of reach.

    Returns (result, problem, whether f was ever called with an entry below x's own value).
    """
    original, below = x.copy(), []

    def watched(value):
        below.append(bool(np.any(np.asarray(value) < original)))
        return f(value)

    try:
        with mock.patch.object(gradcheck, "numerical_gradient", _refuse), \
                mock.patch("rnn_lesson.numerical_gradient", _refuse):
            return host_array(fn(watched, x, df)), None, any(below)
    except Exception as err:  # the learner's code may raise anything: say it in words
        return None, f"your function raised {type(err).__name__}: {err}", any(below)


def check_numerical_gradient(fn):
    """Check the learner's ``fn(f, x, df) -> grad`` on three problems; returns Feedback."""
    for case, f, x, df, exact in _cases():
        original = x.copy()
        got, problem, went_below = _run(fn, f, x, df)
        if problem is None and got is None:
            return verdict(["not attempted yet: your function returns None. Write it, run the cell again."], "")
        if problem:
            return verdict([f"{case}: {problem}"], "")
        if not np.allclose(x, original, rtol=1e-12, atol=1e-15):
            return verdict([f"{case}: x is not as it was after your function ran: put every entry back "
                            f"after nudging it (x[i] = original)."], "")
        problem = compare(got, exact, case, axis_names=("row",), rtol=0.0, atol=1e300)  # shape, kind, NaN
        if problem is None and relative_error(got, exact) > RTOL:
            problem = compare(got, exact, case, axis_names=("row",), rtol=1e-12, atol=1e-15)
        if problem:
            mistakes = [(hint, _variant(f, original, df, kind)) for hint, kind in MISTAKES]
            return verdict([with_hint(problem, known_mistake(got, mistakes, MATCH_RTOL))], "")
        if not went_below:
            return verdict([f"{case}: your numbers are close, but f was never called with an entry nudged "
                            f"down. {MISTAKES[0][0]}"], "")
    return verdict([], "your central differences agree with the exact gradients of all three functions "
                       f"(relative error below {RTOL:g}), and x is left as it was.")
