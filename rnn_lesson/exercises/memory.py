"""Checker for lesson 10 (memory): a vanilla RNN whose weights the learner chooses by hand.

The learner writes ``running_total_rnn() -> (params, activation)``: the five
wave-1 parameters (``W_xh (2, H)``, ``W_hh (H, H)``, ``W_hy (H, 1)``, ``b_h (H,)``,
``b_y (1,)``) and an activation name, such that ``rl.forward`` computes the
running total of the first input and ignores the second:

    y_t = x1_1 + x1_2 + ... + x1_t        (the rule of data/sample.csv)

One answer (H = 1): W_xh = [[1], [0]], W_hh = [[1]], W_hy = [[1]], zero biases,
activation "identity". The checker runs ``rl.forward`` with the learner's
weights on seeded sequences long enough for the total to leave [-1, 1], and
names the mistake when it recognises one (a state that decays or grows, x2
leaking in, a squashing activation, a bias that adds up, a scale that is off).
"""
import numpy as np

from ..data.memory import running_total_task
from ..rnn import PARAM_NAMES, forward, param_sizes
from . import call_safely, compare, real_numbers, verdict

N_STEPS = 40


def _cases():
    X, Y = running_total_task(3, N_STEPS, seed=10)
    X[0] = np.abs(X[0])  # a sequence whose total climbs far above 1
    return [(f"sequence {n} of {N_STEPS} steps", X[n], np.cumsum(X[n, :, :1], axis=0)) for n in range(3)]


def _unpack(result):
    """(params, activation, None) or (None, None, the problem in words)."""
    if result is None:
        return None, None, "running_total_rnn returned None: not attempted yet. Fill in the weights and return them."
    if not isinstance(result, (tuple, list)) or len(result) != 2 or not isinstance(result[0], dict):
        return None, None, ("return a pair (params, activation): a dict with the keys "
                            f"{list(PARAM_NAMES)} and an activation name such as 'tanh'.")
    params, activation = result
    for key, value in params.items():
        problem = real_numbers(value)[1]
        if problem:
            return None, None, f"params[{key!r}]: {problem}"
    try:
        params = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
        n_inputs, _, n_outputs = param_sizes(params)
    except (TypeError, ValueError) as err:
        return None, None, f"the weights do not make an RNN: {err}"
    if (n_inputs, n_outputs) != (2, 1):
        return None, None, f"the network must take 2 inputs (x1, x2) and give 1 output; yours takes {n_inputs} " \
                           f"and gives {n_outputs} (W_xh is (2, H), W_hy is (H, 1))."
    return params, activation, None


def _one_unit_hint(params, activation):
    """The mistake, in words, for a one-unit network; None when none is recognised."""
    w_x1, w_x2 = params["W_xh"][:, 0]
    w_hh, w_hy = params["W_hh"][0, 0], params["W_hy"][0, 0]
    if activation in ("tanh", "sigmoid"):
        return (f"{activation} squashes the state into a bounded range, but a running total grows "
                "without bound: use activation 'identity', so the state is the sum itself.")
    if activation == "relu":
        return "relu cuts every negative total to 0: use activation 'identity'."
    if w_hh != 1:
        change = "decays" if abs(w_hh) < 1 else "grows"
        return (f"W_hh = {w_hh:g}: at every step the total so far is multiplied by it, so the memory {change}. "
                "To carry the total unchanged from step to step, W_hh must be 1.")
    if w_x2 != 0:
        return f"W_xh[1] = {w_x2:g}: the distraction x2 leaks into the total. Its weight must be 0."
    if params["b_h"][0] != 0 or params["b_y"][0] != 0:
        return "a bias is not 0: b_h adds a constant to the total at every step, b_y shifts every output."
    if w_x1 * w_hy != 1:
        return (f"each step adds x1 times W_xh[0] * W_hy = {w_x1 * w_hy:g} to the output: the product "
                "must be 1.")
    return None


def check_running_total_rnn(running_total_rnn):
    """Check ``running_total_rnn() -> (params, activation)``: rl.forward must output the running total of x1."""
    result, problem = call_safely(running_total_rnn, [], "running_total_rnn()")
    if problem:
        return verdict([problem], "")
    params, activation, problem = _unpack(result)
    if problem:
        return verdict([problem], "")
    if activation not in ("tanh", "sigmoid", "relu", "identity"):
        return verdict([f"unknown activation {activation!r}: choose 'tanh', 'sigmoid', 'relu' or 'identity'."], "")
    for what, xs, totals in _cases():
        ys, _ = forward(params, xs, activation=activation)
        problem = compare(ys, totals, f"On {what}, the outputs", axis_names=("step",), rtol=1e-9, atol=1e-9)
        if problem:
            hint = _one_unit_hint(params, activation) if params["W_hh"].shape == (1, 1) else None
            return verdict([problem + (" " + hint if hint else "")], "")
    return verdict([], f"rl.forward with your weights outputs the running total of x1 exactly, over {N_STEPS} "
                       "steps, whatever x2 does: a memory built by hand.")
