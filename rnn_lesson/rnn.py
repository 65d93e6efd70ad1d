"""The reference vanilla RNN: forward pass and backpropagation through time.

Readable float64 NumPy that allocates freely; every fast path in the package is
checked against this file.

Dimensions: T time steps, I inputs, H hidden units, O outputs.

    z_t = x_t @ W_xh + h_{t-1} @ W_hh + b_h      (H,)
    h_t = act(z_t)                               (H,)
    y_t = h_t @ W_hy + b_y                       (O,)

with ``h_0 = 0`` unless an initial state is given. Parameters are a dict:
``W_xh (I, H)``, ``W_hh (H, H)``, ``W_hy (H, O)``, ``b_h (H,)``, ``b_y (O,)``.

The single-step pair (``step_forward`` / ``step_backward``) holds the maths;
``forward`` / ``backward`` run it over a whole sequence.
"""
import numpy as np

from .activations import get_activation
from .shapes import as_float_array, check_positive_int, check_seed, check_shape

PARAM_NAMES = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")


def init_params(n_inputs, n_hidden, n_outputs, seed=0):
    """Random initial parameters, reproducible from ``seed``.

    Weights are drawn from a normal distribution scaled by 1/sqrt(fan_in)
    (Xavier/LeCun style), so z_t starts with roughly unit variance whatever
    the sizes; biases start at zero.

    Returns a dict: W_xh (I, H), W_hh (H, H), W_hy (H, O), b_h (H,), b_y (O,).
    """
    n_inputs = check_positive_int(n_inputs, "n_inputs")
    n_hidden = check_positive_int(n_hidden, "n_hidden")
    n_outputs = check_positive_int(n_outputs, "n_outputs")
    rng = np.random.default_rng(check_seed(seed))
    return {
        "W_xh": rng.standard_normal((n_inputs, n_hidden)) / np.sqrt(n_inputs),
        "W_hh": rng.standard_normal((n_hidden, n_hidden)) / np.sqrt(n_hidden),
        "W_hy": rng.standard_normal((n_hidden, n_outputs)) / np.sqrt(n_hidden),
        "b_h": np.zeros(n_hidden),
        "b_y": np.zeros(n_outputs),
    }


def param_sizes(params):
    """Check a parameter dict and return its sizes ``(I, H, O)``.

    Raises TypeError/ValueError naming the missing key or the wrong shape.
    """
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict with keys {PARAM_NAMES}, got {type(params).__name__}")
    missing = [k for k in PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; expected keys {list(PARAM_NAMES)}")
    for key in PARAM_NAMES:
        value = params[key]
        if not isinstance(value, np.ndarray) or value.dtype != np.float64:
            raise TypeError(f"params[{key!r}] must be a float64 NumPy array")
    n_inputs, n_hidden = params["W_xh"].shape if params["W_xh"].ndim == 2 else (None, None)
    if n_inputs is None:
        raise ValueError(f"params['W_xh'] must have shape (I, H), got {params['W_xh'].shape}")
    check_shape(params["W_hh"], (n_hidden, n_hidden), "params['W_hh']")
    check_shape(params["W_hy"], (n_hidden, None), "params['W_hy']")
    n_outputs = params["W_hy"].shape[1]
    check_shape(params["b_h"], (n_hidden,), "params['b_h']")
    check_shape(params["b_y"], (n_outputs,), "params['b_y']")
    return n_inputs, n_hidden, n_outputs


def step_forward(params, x, h_prev, activation="tanh"):
    """One time step.

    x (I,), h_prev (H,)  ->  h (H,), y (O,), cache for ``step_backward``.
    """
    act, _ = get_activation(activation)
    h = act(x @ params["W_xh"] + h_prev @ params["W_hh"] + params["b_h"])  # (H,)
    y = h @ params["W_hy"] + params["b_y"]  # (O,)
    return h, y, (params, x, h_prev, h, activation)


def step_backward(dy, dh_next, cache):
    """Backward through one time step.

    dy (O,) is dL/dy_t; dh_next (H,) is the gradient reaching h_t from step t+1.
    Returns dx (I,), dh_prev (H,), and this step's parameter gradients (a dict):

        dh   = dy @ W_hy.T + dh_next      dz = dh * act'(h_t)
        dW_hy = outer(h_t, dy)   db_y = dy
        dW_xh = outer(x_t, dz)   dW_hh = outer(h_{t-1}, dz)   db_h = dz
        dx    = dz @ W_xh.T      dh_prev = dz @ W_hh.T
    """
    params, x, h_prev, h, activation = cache
    _, act_derivative = get_activation(activation)
    dh = dy @ params["W_hy"].T + dh_next  # (H,)
    dz = dh * act_derivative(h)  # (H,)
    grads = {
        "W_xh": np.outer(x, dz),  # (I, H)
        "W_hh": np.outer(h_prev, dz),  # (H, H)
        "W_hy": np.outer(h, dy),  # (H, O)
        "b_h": dz,  # (H,)
        "b_y": dy,  # (O,)
    }
    return dz @ params["W_xh"].T, dz @ params["W_hh"].T, grads


def forward(params, xs, h0=None, activation="tanh"):
    """Run the RNN over a sequence.

    xs (T, I), optional h0 (H,)  ->  ys (T, O) and a cache for ``backward``.
    ``cache["hs"]`` holds the hidden states, shape (T + 1, H), with h_0 first.
    """
    n_inputs, n_hidden, _ = param_sizes(params)
    xs = check_shape(as_float_array(xs, "xs", ndim=2), (None, n_inputs), "xs")
    if xs.shape[0] == 0:
        raise ValueError("xs must hold at least one time step, got shape (0, I)")
    get_activation(activation)
    h = np.zeros(n_hidden) if h0 is None else check_shape(as_float_array(h0, "h0"), (n_hidden,), "h0")
    hs, ys, steps = [h], [], []
    for x in xs:
        h, y, step_cache = step_forward(params, x, h, activation)
        hs.append(h)
        ys.append(y)
        steps.append(step_cache)
    cache = {"steps": steps, "hs": np.array(hs), "xs": xs, "activation": activation}
    return np.array(ys), cache


def backward(dys, cache, truncate=None):
    """Backpropagation through time.

    dys (T, O) is dL/dy_t for every step; returns gradients with the keys and
    shapes of ``params``: the gradient of ``sum(ys * dys)``.

    ``truncate=k`` gives truncated BPTT: the gradient of the output at step t
    flows back through at most k steps (t, t-1, ..., t-k+1), as if h_{t-k} were
    a constant. ``None`` (or k >= T) gives the full gradient.
    """
    if not isinstance(cache, dict) or "steps" not in cache:
        raise TypeError("cache must be the second value returned by rl.forward(params, xs)")
    steps = cache["steps"]
    n_steps = len(steps)
    params = steps[0][0]
    dys = as_float_array(dys, "dys", ndim=2)
    check_shape(dys, (n_steps, params["W_hy"].shape[1]), "dys")
    grads = {k: np.zeros_like(params[k]) for k in PARAM_NAMES}
    if truncate is None or check_positive_int(truncate, "truncate") >= n_steps:
        dh_next = np.zeros(params["W_hh"].shape[0])
        for t in reversed(range(n_steps)):
            _, dh_next, step_grads = step_backward(dys[t], dh_next, steps[t])
            for k in PARAM_NAMES:
                grads[k] += step_grads[k]
        return grads
    no_output = np.zeros_like(dys[0])
    for t in range(n_steps):  # each output's gradient travels back at most `truncate` steps
        dh_next = np.zeros(params["W_hh"].shape[0])
        for s in range(t, max(t - truncate, -1), -1):
            _, dh_next, step_grads = step_backward(dys[t] if s == t else no_output, dh_next, steps[s])
            for k in PARAM_NAMES:
                grads[k] += step_grads[k]
    return grads
