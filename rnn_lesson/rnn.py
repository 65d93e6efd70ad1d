"""The reference vanilla RNN: forward pass and backpropagation through time.

Readable float64 NumPy that allocates freely; every fast path in the package is
checked against this file. The network is the vanilla cell
(:mod:`rnn_lesson.cells.rnn`) with a linear output layer
(:mod:`rnn_lesson.layers.linear`) on top; the maths of each lives in its module.

Dimensions: T time steps, I inputs, H hidden units, O outputs.

    z_t = x_t @ W_xh + h_{t-1} @ W_hh + b_h      (H,)     the cell
    h_t = act(z_t)                               (H,)
    y_t = h_t @ W_hy + b_y                       (O,)     the output layer

with ``h_0 = 0`` unless an initial state is given. Parameters are a dict:
``W_xh (I, H)``, ``W_hh (H, H)``, ``W_hy (H, O)``, ``b_h (H,)``, ``b_y (O,)``.

The single-step pair (``step_forward`` / ``step_backward``) puts the two
pieces together; ``forward`` / ``backward`` run them over a whole sequence.
"""
import numpy as np

from .cells import rnn as rnn_cell
from .layers import linear
from .numerics import check_finite, check_finite_dict, check_real, named_overflow
from .shapes import as_float_array, check_positive_int, check_seed, check_shape

PARAM_NAMES = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")


def init_params(n_inputs, n_hidden, n_outputs, seed=0):
    """Random initial parameters, reproducible from ``seed``.

    Weights are drawn from a normal distribution scaled by 1/sqrt(fan_in)
    (Xavier/LeCun style), so z_t starts with roughly unit variance whatever
    the sizes; biases start at zero. The draws come in the order W_xh, W_hh
    (the cell, equal to ``rl.cells.rnn.init_params(I, H, seed)``), then W_hy.

    Returns a dict: W_xh (I, H), W_hh (H, H), W_hy (H, O), b_h (H,), b_y (O,).
    """
    n_inputs = check_positive_int(n_inputs, "n_inputs")
    n_hidden = check_positive_int(n_hidden, "n_hidden")
    n_outputs = check_positive_int(n_outputs, "n_outputs")
    rng = np.random.default_rng(check_seed(seed))
    cell = rnn_cell.draw_params(rng, n_inputs, n_hidden)
    W_hy, b_y = linear.draw_params(rng, n_hidden, n_outputs)
    return {"W_xh": cell["W_xh"], "W_hh": cell["W_hh"], "W_hy": W_hy, "b_h": cell["b_h"], "b_y": b_y}


def param_sizes(params):
    """Check a parameter dict and return its sizes ``(I, H, O)``.

    Raises TypeError/ValueError naming the missing key or the wrong shape.
    """
    rnn_cell.check_params(params, PARAM_NAMES)
    n_inputs, n_hidden = rnn_cell.param_sizes(params)
    check_shape(params["W_hy"], (n_hidden, None), "params['W_hy']")
    n_outputs = params["W_hy"].shape[1]
    check_shape(params["b_y"], (n_outputs,), "params['b_y']")
    return n_inputs, n_hidden, n_outputs


@named_overflow
def step_forward(params, x, h_prev, activation="tanh"):
    """One time step.

    x (I,), h_prev (H,)  ->  h (H,), y (O,), cache for ``step_backward``
    (a batch of rows works too: (N, I), (N, H) -> (N, H), (N, O)). The cache is
    the cell's: ``(params, x, h_prev, h, activation)``.
    """
    param_sizes(params)
    for key, value in params.items():
        as_float_array(value, f"params[{key!r}]")  # finite: one step cannot say which weight spoiled it later
    x, h_prev = as_float_array(x, "x"), as_float_array(h_prev, "h_prev")
    h, cache = rnn_cell.step_forward(params, x, h_prev, activation)  # the cell
    y = linear.affine(h, params["W_hy"], params["b_y"])  # the output layer
    return h, check_finite(y, "rl.step_forward: the output y", params), cache


def step_backward(dy, dh_next, cache):
    """Backward through one time step.

    dy (O,) is dL/dy_t; dh_next (H,) is the gradient reaching h_t from step t+1.
    Returns dx (I,), dh_prev (H,), and this step's parameter gradients (a dict):

        output layer:  dW_hy = outer(h_t, dy)   db_y = dy   dh = dy @ W_hy.T + dh_next
        cell:          dz = dh * act'(h_t)   dW_xh = outer(x_t, dz)   dW_hh = outer(h_{t-1}, dz)
                       db_h = dz   dx = dz @ W_xh.T   dh_prev = dz @ W_hh.T
    """
    params, _, _, h, _ = rnn_cell.check_step_cache(cache)
    if np.shape(dh_next) != h.shape:
        raise ValueError(f"dh_next must have shape {h.shape} (the shape of h), got {np.shape(dh_next)}")
    dy = check_real(np.asarray(dy), "dy")
    if dy.shape != h.shape[:-1] + (params["W_hy"].shape[1],):
        raise ValueError(f"dys must have shape {h.shape[:-1] + (params['W_hy'].shape[1],)} (the shape of ys), "
                         f"got {dy.shape}")
    dW_hy, db_y, dh = linear.affine_grads(dy, h, params["W_hy"])  # the layer's (h, W) from the step's
    dx, dh_prev, grads = rnn_cell.step_backward(dh + dh_next, cache)
    grads.update(W_hy=dW_hy, b_y=db_y)
    return dx, dh_prev, {k: grads[k] for k in PARAM_NAMES}


@named_overflow
def forward(params, xs, h0=None, activation="tanh"):
    """Run the RNN over a sequence.

    xs (T, I), optional h0 (H,)  ->  ys (T, O) and a cache for ``backward``.
    ``cache["hs"]`` holds the hidden states, shape (T + 1, H), with h_0 first.
    """
    param_sizes(params)
    xs = as_float_array(xs, "xs", ndim=2)
    hs, cache = rnn_cell.forward(params, xs, h0=h0, activation=activation)  # (T, H)
    # y_t one row at a time, as step_forward computes it, so the two agree to the last bit
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is named below
        ys = np.array([linear.affine(h, params["W_hy"], params["b_y"]) for h in hs])  # (T, O)
    return check_finite(ys, "rl.forward: the outputs ys", params), cache


@named_overflow
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
    params = rnn_cell.check_step_cache(steps[0])[0]
    if "W_hy" not in params:
        raise TypeError("cache must be the second value returned by rl.forward(params, xs), not by a cell alone")
    dys = as_float_array(dys, "dys", ndim=2)
    check_shape(dys, (n_steps, params["W_hy"].shape[1]), "dys")
    grads = {k: np.zeros_like(params[k]) for k in PARAM_NAMES}
    if truncate is None or check_positive_int(truncate, "truncate") >= n_steps:
        dh_next = np.zeros(params["W_hh"].shape[0])
        for t in reversed(range(n_steps)):
            _, dh_next, step_grads = step_backward(dys[t], dh_next, steps[t])
            for k in PARAM_NAMES:
                grads[k] += step_grads[k]
        return check_finite_dict(grads, "rl.backward: grads", params)
    no_output = np.zeros_like(dys[0])
    for t in range(n_steps):  # each output's gradient travels back at most `truncate` steps
        dh_next = np.zeros(params["W_hh"].shape[0])
        for s in range(t, max(t - truncate, -1), -1):
            _, dh_next, step_grads = step_backward(dys[t] if s == t else no_output, dh_next, steps[s])
            for k in PARAM_NAMES:
                grads[k] += step_grads[k]
    return check_finite_dict(grads, "rl.backward: grads", params)
