"""What every cell shares: its parameters' shapes, the checks at the door, the batch-aware outer product.

Dimension letters: T time steps, N sequences (an optional batch axis), I inputs,
H hidden units, G gate blocks (1 rnn, 3 gru, 4 lstm).

Every cell keeps its weights as ``W_xh (I, G·H)``, ``W_hh (H, G·H)`` and
``b_h (G·H,)``: block k of the last axis belongs to gate k. A sequence ``xs``
is ``(T, I)`` or time-major ``(T, N, I)``; a state is ``(H,)`` or ``(N, H)``.
"""
import numpy as np

from ..shapes import as_float_array, check_positive_int, check_seed, check_shape

CELL_PARAM_NAMES = ("W_xh", "W_hh", "b_h")


def init_weights(n_inputs, n_hidden, n_gates, seed):
    """Seeded ``W_xh (I, G·H)``, ``W_hh (H, G·H)`` drawn N(0, 1/fan_in), and ``b_h (G·H,)`` zeros."""
    n_inputs = check_positive_int(n_inputs, "n_inputs")
    n_hidden = check_positive_int(n_hidden, "n_hidden")
    rng = np.random.default_rng(check_seed(seed))
    width = n_gates * n_hidden
    return {
        "W_xh": rng.standard_normal((n_inputs, width)) / np.sqrt(n_inputs),
        "W_hh": rng.standard_normal((n_hidden, width)) / np.sqrt(n_hidden),
        "b_h": np.zeros(width),
    }


def cell_sizes(params, n_gates, cell):
    """Check a cell's parameter dict and return ``(I, H)``; errors name the key and the shape."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict with keys {CELL_PARAM_NAMES}, got {type(params).__name__}")
    missing = [k for k in CELL_PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; the {cell} cell needs {list(CELL_PARAM_NAMES)}")
    for key in CELL_PARAM_NAMES:
        value = params[key]
        if not isinstance(value, np.ndarray) or value.dtype != np.float64:
            raise TypeError(f"params[{key!r}] must be a float64 NumPy array")
    W_hh = params["W_hh"]
    if W_hh.ndim != 2 or W_hh.shape[1] != n_gates * W_hh.shape[0]:
        raise ValueError(f"params['W_hh'] of the {cell} cell must have shape (H, {n_gates}·H), got {W_hh.shape}")
    n_hidden = W_hh.shape[0]
    check_shape(params["W_xh"], (None, n_gates * n_hidden), f"params['W_xh'] (I, {n_gates}·H)")
    check_shape(params["b_h"], (n_gates * n_hidden,), f"params['b_h'] ({n_gates}·H,)")
    return params["W_xh"].shape[0], n_hidden


def check_sequence(xs, n_inputs):
    """``xs`` as float64 of shape (T, I) or (T, N, I) with T >= 1 (and N >= 1)."""
    xs = as_float_array(xs, "xs")
    if xs.ndim not in (2, 3):
        raise ValueError(f"xs must have shape (T, I) or time-major (T, N, I), got {xs.shape}")
    check_shape(xs, (None,) * (xs.ndim - 1) + (n_inputs,), "xs (T, [N,] I)")
    if 0 in xs.shape:
        raise ValueError(f"xs must hold at least one time step (and one sequence), got shape {xs.shape}")
    return xs


def initial_state(state, xs, n_hidden, name):
    """The state at t = 0: zeros of shape xs.shape[1:-1] + (H,) when ``state`` is None, else checked."""
    shape = xs.shape[1:-1] + (n_hidden,)
    if state is None:
        return np.zeros(shape)
    return check_shape(as_float_array(state, name), shape, f"{name} for xs of shape {xs.shape}")


def outer_sum(a, b):
    """``a^T b`` summed over the batch: outer(a, b) for rows a (A,), b (B,); a.T @ b for (N, A), (N, B)."""
    return np.tensordot(a, b, axes=(range(a.ndim - 1), range(b.ndim - 1)))


def check_upstream(dhs, hs_shape, name="dhs"):
    """The gradient arriving at every h_t, checked to have the shape of hs."""
    return check_shape(as_float_array(dhs, name), hs_shape, f"{name} (the shape of hs)")


def backprop_through_time(step_backward, steps, dhs, state_shape, n_states=1):
    """Run a cell's ``step_backward`` from the last step to the first; the shared BPTT loop.

    ``step_backward(dh, *d_other_states, cache) -> (dx, dh_prev, *d_other_prev, grads)``;
    dh is ``dhs[t]`` (from outside) plus the gradient coming back from step t + 1.
    ``n_states`` is 1 (h) or 2 (h and the LSTM's c). Returns ``(grads, dxs, dh0, ...)``:
    grads summed over steps (a dict like the cell's params), dxs (T, [N,] I) and one
    gradient per initial state, each of ``state_shape``.
    """
    params = steps[0][0]
    grads = {key: np.zeros_like(params[key]) for key in CELL_PARAM_NAMES}
    dxs = [None] * len(steps)
    carried = [np.zeros(state_shape) for _ in range(n_states)]
    for t in reversed(range(len(steps))):
        dxs[t], *carried, step_grads = step_backward(dhs[t] + carried[0], *carried[1:], steps[t])
        for key in grads:
            grads[key] += step_grads[key]
    return (grads, np.array(dxs), *carried)
