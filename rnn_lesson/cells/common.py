"""What every cell shares: its parameters' shapes, the checks at the door, the BPTT loop.

Dimension letters: T time steps, N sequences (an optional batch axis), I inputs,
H hidden units, G gate blocks (1 rnn, 3 gru, 4 lstm).

Every cell keeps its weights as ``W_xh (I, G·H)``, ``W_hh (H, G·H)`` and
``b_h (G·H,)``: block k of the last axis belongs to gate k. A sequence ``xs``
is ``(T, I)`` or time-major ``(T, N, I)``; a state is ``(H,)`` or ``(N, H)``.
"""
import numpy as np

from ..budget import check_weights
from ..numerics import check_finite_dict, named_overflow
from ..shapes import as_float_array, check_positive_int, check_seed, check_shape

CELL_PARAM_NAMES = ("W_xh", "W_hh", "b_h")


def draw_weights(rng, n_inputs, n_hidden, n_gates=1):
    """W_xh (I, G·H) then W_hh (H, G·H) from ``rng``, each N(0, 1) / sqrt(fan-in); b_h (G·H,) zeros.

    The one place a cell's draw happens, so a model that draws more layers from
    the same generator afterwards (``rl.init_params``) starts with this same cell.
    """
    check_weights(n_inputs, n_hidden, n_gates=n_gates)  # before NumPy tries to allocate them
    width = n_gates * n_hidden
    return {
        "W_xh": rng.standard_normal((n_inputs, width)) / np.sqrt(n_inputs),
        "W_hh": rng.standard_normal((n_hidden, width)) / np.sqrt(n_hidden),
        "b_h": np.zeros(width),
    }


def init_weights(n_inputs, n_hidden, n_gates, seed):
    """``draw_weights`` from a fresh generator seeded with ``seed``, sizes checked."""
    n_inputs = check_positive_int(n_inputs, "n_inputs")
    n_hidden = check_positive_int(n_hidden, "n_hidden")
    return draw_weights(np.random.default_rng(check_seed(seed)), n_inputs, n_hidden, n_gates)


def check_params(params, names):
    """Raise TypeError/ValueError unless ``params`` is a dict holding finite float64 arrays under ``names``."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict with keys {names}, got {type(params).__name__}")
    missing = [k for k in names if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; expected keys {list(names)}")
    for key in names:
        value = params[key]
        if not isinstance(value, np.ndarray) or value.dtype != np.float64:
            raise TypeError(f"params[{key!r}] must be a float64 NumPy array")
        if not np.all(np.isfinite(value)):
            index = tuple(int(i) for i in np.argwhere(~np.isfinite(value))[0])
            raise ValueError(f"params[{key!r}] holds {value[index]} at index {index}: every weight must be finite")


def cell_sizes(params, gates):
    """Check a cell's parameters (blocks named by ``gates``) and return ``(I, H)``; errors name key and shape."""
    check_params(params, CELL_PARAM_NAMES)
    n_gates, W_xh = len(gates), params["W_xh"]
    if W_xh.ndim != 2 or W_xh.shape[1] % n_gates:
        blocks = "H" if n_gates == 1 else f"{n_gates}·H: blocks {', '.join(gates)}"
        raise ValueError(f"params['W_xh'] must have shape (I, {blocks}), got {W_xh.shape}")
    n_inputs, n_hidden = W_xh.shape[0], W_xh.shape[1] // n_gates
    check_shape(params["W_hh"], (n_hidden, n_gates * n_hidden), "params['W_hh']")
    check_shape(params["b_h"], (n_gates * n_hidden,), "params['b_h']")
    return n_inputs, n_hidden


def check_sequence(xs, n_inputs):
    """``xs`` as float64 of shape (T, I) or (T, N, I) with T >= 1 (and N >= 1)."""
    xs = as_float_array(xs, "xs")
    if xs.ndim not in (2, 3):
        raise ValueError(f"xs must have shape (T, I) or time-major (T, N, I), got {xs.shape}")
    check_shape(xs, (None,) * (xs.ndim - 1) + (n_inputs,), "xs")
    if 0 in xs.shape[:-1]:
        raise ValueError(f"xs must hold at least one time step (and one sequence), got shape {xs.shape}")
    return xs


def initial_state(state, xs, n_hidden, name):
    """The state at t = 0 for ``xs``: zeros (H,) or (N, H) when ``state`` is None, else checked."""
    shape = xs.shape[1:-1] + (n_hidden,)
    if state is None:
        return np.zeros(shape)
    return check_shape(as_float_array(state, name), shape, name)


def rows(a):
    """A row (K,) as a batch of one (1, K); a batch (N, K) as it is."""
    return a.reshape(-1, a.shape[-1])


def outer_sum(a, b):
    """``a^T b`` over a batch's rows: outer(a, b) for rows a (A,), b (B,); a.T @ b for (N, A), (N, B)."""
    return rows(a).T @ rows(b)


def batch_sum(a):
    """A bias gradient: ``a`` (K,) itself, or (N, K) summed over its rows."""
    return a if a.ndim == 1 else a.sum(axis=0)


def check_upstream(dhs, n_steps, state_shape):
    """The gradient arriving at every h_t from outside, checked to be (T,) + the state's shape."""
    return check_shape(as_float_array(dhs, "dhs"), (n_steps,) + state_shape, "dhs")


@named_overflow
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
    return (check_finite_dict(grads, "the cell's grads", params), np.array(dxs), *carried)
