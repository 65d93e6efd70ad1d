"""Checker for lesson 03 (the forward pass): run the RNN over a whole sequence.

The learner writes ``rnn_forward(params, xs, h0)`` returning ``(ys, hs)``:

    h_t = tanh(x_t @ W_xh + h_{t-1} @ W_hh + b_h),   y_t = h_t @ W_hy + b_y,   t = 1 .. T

with xs (T, I), h0 (H,), ys (T, O) and hs (T + 1, H) whose row t is h_t
(row 0 is h0), the same as ``rnn.forward``'s ``ys`` and ``cache["hs"]``.
The reference is :func:`rnn_lesson.rnn.forward`; the known mistakes are that
same function (or its single step) run the wrong way, so a wrong answer can be
named, not just located by its first differing time step.
"""
import numpy as np

from ..rnn import forward, init_params, step_forward
from . import call_safely, compare, known_mistake, real_numbers, verdict, with_hint

N_INPUTS, N_HIDDEN, N_OUTPUTS = 3, 4, 2


def _cases():
    """Fixed, seeded cases: (description, params, xs, h0)."""
    rng = np.random.default_rng(303)
    params = init_params(N_INPUTS, N_HIDDEN, N_OUTPUTS, seed=5)
    params["b_h"] = 0.3 * rng.standard_normal(N_HIDDEN)
    params["b_y"] = 0.3 * rng.standard_normal(N_OUTPUTS)
    xs = rng.standard_normal((6, N_INPUTS))
    return [
        ("a sequence of T = 6 steps starting from h0 = 0", params, xs, np.zeros(N_HIDDEN)),
        ("the same sequence starting from a non-zero h0", params, xs, 0.8 * rng.standard_normal(N_HIDDEN)),
        ("a single time step (T = 1) from a non-zero h0", params, xs[:1], 0.8 * rng.standard_normal(N_HIDDEN)),
    ]


def _hidden_state_mistakes(params, xs, h0):
    """(hint, the hs (T + 1, H) that mistake produces), each computed with the reference."""
    def hs_of(activation="tanh", start=h0, **changes):
        return forward({**params, **changes}, xs, h0=start, activation=activation)[1]["hs"]

    from_zero = hs_of(start=None)
    never_updated = np.vstack([h0] + [step_forward(params, x, h0)[0] for x in xs])
    return [
        ("These are the hidden states of a network started from zeros: begin the loop with h = h0.", from_zero),
        ("Row 0 is h0, but the loop itself started from zeros: set h = h0 before the loop.",
         np.vstack([h0, from_zero[1:]])),
        ("Every step used h0 instead of the previous step's state: update h inside the loop.", never_updated),
        ("These come from W_hh transposed: the recurrent term is `h @ W_hh`.", hs_of(W_hh=params["W_hh"].T.copy())),
        ("These come from sigmoid, not tanh.", hs_of("sigmoid")),
        ("These come from relu, not tanh.", hs_of("relu")),
        ("These have no activation at all: apply np.tanh.", hs_of("identity")),
        ("These leave out the bias b_h.", hs_of(b_h=np.zeros_like(params["b_h"]))),
    ]


def _unpack(result, what):
    """(ys, hs, None) from the learner's result, or (None, None, a message)."""
    if isinstance(result, np.ndarray) or not isinstance(result, (tuple, list)) or len(result) != 2:
        kind = f"an array of shape {result.shape}" if isinstance(result, np.ndarray) else type(result).__name__
        return None, None, f"{what}: return two things, `ys, hs` (ys of shape (T, O), hs of shape (T + 1, H)); got {kind}."
    return result[0], result[1], None


def _check_case(rnn_forward, description, params, xs, h0):
    what = f"For {description}"
    params_copy = {k: v.copy() for k, v in params.items()}
    result, problem = call_safely(rnn_forward, [params_copy, xs, h0], what)
    if problem:
        return problem
    if any(not np.array_equal(params_copy.get(k), params[k]) for k in params):
        return f"{what}: your function changed the parameters in place; only read them."
    ys, hs, problem = _unpack(result, what)
    if problem:
        return problem
    expected_ys, cache = forward(params, xs, h0=h0)
    expected_hs = cache["hs"]  # (T + 1, H), h_0 first
    problem = compare(hs, expected_hs, f"{what}, the hidden states hs", axis_names=("time step",))
    if problem:
        if real_numbers(hs)[1]:
            return problem
        if np.shape(hs) == expected_hs[1:].shape:
            return problem + " Row 0 of hs is h0 itself, then one row per time step: T + 1 rows in all."
        return with_hint(problem, known_mistake(hs, _hidden_state_mistakes(params, xs, h0)))
    problem = compare(ys, expected_ys, f"{what}, the outputs ys (row t - 1 is y_t)", axis_names=("row",))
    if problem and real_numbers(ys)[1] is None and np.shape(ys) == expected_ys.shape:
        problem += " Your hidden states are right, so look at the output line: y_t = h_t @ W_hy + b_y, from the new h_t."
    return problem


def check_forward(rnn_forward):
    """Check ``rnn_forward(params, xs, h0) -> (ys, hs)`` against :func:`rnn_lesson.forward`.

    Returns a :class:`~rnn_lesson.exercises.Feedback` that names the first case
    that fails, the first time step whose hidden state differs and, when it
    recognises it, the mistake (forgotten h0, wrong activation, no update...).
    """
    problems = [_check_case(rnn_forward, *case) for case in _cases()]
    return verdict(problems, "your forward pass matches rnn_lesson.forward (ys and every hidden state) "
                             "from h0 = 0, from a non-zero h0, and for a single step.")
