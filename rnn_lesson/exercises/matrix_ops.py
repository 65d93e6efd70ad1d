"""Checker for lesson 01 (matrix operations): one RNN step, for one row or for a batch of rows.

The learner writes ``rnn_step(x, h_prev, W_xh, W_hh, b_h)`` returning

    h = tanh(x @ W_xh + h_prev @ W_hh + b_h)

in the row-vector convention: x (I,) and h_prev (H,) give h (H,); a batch of
N rows, x (N, I) and h_prev (N, H), gives h (N, H). The reference is
:func:`rnn_lesson.rnn.step_forward`; the known mistakes below are that same
function called with a term left out or swapped, so a wrong answer can be
named, not just located.
"""
import numpy as np

from ..rnn import init_params, step_forward
from . import call_safely, compare, known_mistake, real_numbers, verdict, with_hint

N_INPUTS, N_HIDDEN, N_BATCH = 3, 4, 5  # all different, so a swapped axis cannot go unnoticed


def _cases():
    """Fixed, seeded cases: (description, x, h_prev, params)."""
    rng = np.random.default_rng(2024)
    params = init_params(N_INPUTS, N_HIDDEN, 1, seed=11)
    params["b_h"] = 0.5 * rng.standard_normal(N_HIDDEN)
    return [
        ("one step (x of shape (3,), h_prev of shape (4,))",
         rng.standard_normal(N_INPUTS), rng.standard_normal(N_HIDDEN), params),
        ("a batch of 5 rows (x of shape (5, 3), h_prev of shape (5, 4))",
         rng.standard_normal((N_BATCH, N_INPUTS)), rng.standard_normal((N_BATCH, N_HIDDEN)), params),
    ]


def _mistakes(x, h_prev, params):
    """(hint, what rnn_step would return with that mistake), each computed by the reference step."""
    def step(activation="tanh", **changes):
        return step_forward({**params, **changes}, x, h_prev, activation)[0]

    zero_bias = np.zeros_like(params["b_h"])
    return [
        ("It matches the step without the bias: did you forget `+ b_h`?", step(b_h=zero_bias)),
        ("It matches the step without the recurrent term: did you forget `h_prev @ W_hh`?",
         step(W_hh=np.zeros_like(params["W_hh"]))),
        ("It matches the step with W_hh transposed: in the row-vector convention the product is "
         "`h_prev @ W_hh`, not `W_hh @ h_prev`.", step(W_hh=params["W_hh"].T.copy())),
        ("It matches the step without tanh: apply `np.tanh` to the sum.", step("identity")),
        ("It matches the step with sigmoid instead of tanh: this cell uses `np.tanh`.", step("sigmoid")),
    ]


def _check_case(rnn_step, description, x, h_prev, params):
    what = f"For {description}"
    got, problem = call_safely(rnn_step, [x, h_prev, params["W_xh"], params["W_hh"], params["b_h"]], what)
    if problem:
        if "matmul" in problem or "broadcast" in problem or "aligned" in problem:
            problem = problem.rstrip(".") + (". In the row-vector convention write `x @ W_xh` and `h_prev @ W_hh`: "
                        "the same line then works for one row and for a batch of rows.")
        return problem
    expected = step_forward(params, x, h_prev)[0]
    axis_names = () if x.ndim == 1 else ("row",)
    problem = compare(got, expected, what, axis_names=axis_names)
    if problem is None or real_numbers(got)[1]:
        return problem
    shape = np.shape(got)
    if x.ndim == 1 and shape == (N_HIDDEN, N_HIDDEN):
        return problem + (" An (H,) vector plus an (H, 1) column broadcasts to an (H, H) matrix without "
                          "any error: keep b_h of shape (H,), with no reshape or [:, None].")
    return with_hint(problem, known_mistake(got, _mistakes(x, h_prev, params)))


def check_rnn_step(rnn_step):
    """Check ``rnn_step(x, h_prev, W_xh, W_hh, b_h)`` against :func:`rnn_lesson.step_forward`.

    Returns a :class:`~rnn_lesson.exercises.Feedback` naming the first case that
    fails and why (shape, row, the term that seems to be missing), or saying
    that every case agrees.
    """
    problems = [_check_case(rnn_step, *case) for case in _cases()]
    return verdict(problems, "your step matches rnn_lesson.step_forward for one row and for a batch of 5 rows.")
