"""The vanilla RNN cell: inputs and the previous hidden state in, the next hidden state out.

Dimensions: T time steps, N sequences in a batch, I inputs, H hidden units.
Parameters are a dict ``W_xh (I, H)``, ``W_hh (H, H)``, ``b_h (H,)``; other keys
are ignored, so the wave-1 dict (which also holds ``W_hy``, ``b_y``) works as it is.

    z_t = x_t @ W_xh + h_{t-1} @ W_hh + b_h        (H,) for a row, (N, H) for a batch
    h_t = act(z_t)                                 h_0 = 0 unless given

Backward, for dh = dL/dh_t (from outside plus from step t+1):

    dz       = dh * act'(h_t)                 act' written with the output h_t
    dW_xh    = x_t.T @ dz                     outer(x_t, dz) for a row, summed over a batch's rows
    dW_hh    = h_{t-1}.T @ dz                 db_h = dz summed over a batch's rows
    dx_t     = dz @ W_xh.T                    dh_{t-1} = dz @ W_hh.T

There is no output layer: that is :mod:`rnn_lesson.layers.linear`. The step
functions check only the shapes of x, h_prev and dh (they run once per time
step); ``forward`` and ``backward`` check everything once.
"""
import numpy as np

from ..activations import get_activation
from ..numerics import check_finite, named_overflow
from .common import (CELL_PARAM_NAMES, backprop_through_time, batch_sum, cell_sizes, check_params,  # noqa: F401 (rl.rnn uses it)
                     check_sequence, check_upstream, draw_weights, init_weights, initial_state, outer_sum)

PARAM_NAMES = CELL_PARAM_NAMES
GATES = ("h",)


def param_sizes(params):
    """Check the cell's parameters and return ``(I, H)``; errors name the key and the shape."""
    return cell_sizes(params, GATES)


def draw_params(rng, n_inputs, n_hidden):
    """W_xh (I, H) then W_hh (H, H) from ``rng``, each N(0, 1) / sqrt(fan-in); b_h (H,) zeros."""
    return draw_weights(rng, n_inputs, n_hidden)


def init_params(n_inputs, n_hidden, seed=0):
    """Reproducible initial parameters: W_xh (I, H), W_hh (H, H), b_h (H,)."""
    return init_weights(n_inputs, n_hidden, len(GATES), seed)


def _check_step(params, x, h_prev):
    """The cheap check of every step: x and h_prev against W_xh (the full one only if W_xh is unusable)."""
    try:
        n_inputs, n_hidden = params["W_xh"].shape
    except (TypeError, KeyError, AttributeError, ValueError):
        param_sizes(params)  # raises the error that names the problem
        raise
    x_shape = np.shape(x)
    if len(x_shape) not in (1, 2) or x_shape[-1] != n_inputs:
        raise ValueError(f"x must have shape ({n_inputs},) or (N, {n_inputs}), got {x_shape}")
    if np.shape(h_prev) != x_shape[:-1] + (n_hidden,):
        raise ValueError(f"h_prev must have shape {x_shape[:-1] + (n_hidden,)} to go with x of shape "
                         f"{x_shape}, got {np.shape(h_prev)}")


def step_forward(params, x, h_prev, activation="tanh"):
    """One time step: x (I,) and h_prev (H,) -> h (H,); or a batch, (N, I) and (N, H) -> (N, H).

    Returns ``(h, cache)``; the cache is the tuple ``(params, x, h_prev, h, activation)``.
    """
    act, _ = get_activation(activation)
    x, h_prev = np.asarray(x), np.asarray(h_prev)
    _check_step(params, x, h_prev)
    h = act(x @ params["W_xh"] + h_prev @ params["W_hh"] + params["b_h"])  # (H,) or (N, H)
    return h, (params, x, h_prev, h, activation)


def check_step_cache(cache):
    """Return ``cache`` if it is a step cache ``(params, x, h_prev, h, activation)``, else TypeError."""
    if not (isinstance(cache, tuple) and len(cache) == 5 and isinstance(cache[0], dict)):
        raise TypeError("cache must be the second value returned by step_forward: "
                        "the tuple (params, x, h_prev, h, activation)")
    return cache


def step_backward(dh, cache):
    """Backward through one step. dh (H,) or (N, H) is the whole dL/dh_t.

    Returns ``(dx, dh_prev, grads)``: dx like x, dh_prev like h_prev, and grads
    with keys W_xh (I, H), W_hh (H, H), b_h (H,) (summed over a batch's rows).
    """
    params, x, h_prev, h, activation = check_step_cache(cache)
    if np.shape(dh) != h.shape:
        raise ValueError(f"dh must have shape {h.shape} (the shape of h), got {np.shape(dh)}")
    _, act_derivative = get_activation(activation)
    dz = dh * act_derivative(h)  # (H,) or (N, H)
    grads = {"W_xh": outer_sum(x, dz), "W_hh": outer_sum(h_prev, dz), "b_h": batch_sum(dz)}  # (I, H) (H, H) (H,)
    return dz @ params["W_xh"].T, dz @ params["W_hh"].T, grads


@named_overflow
def forward(params, xs, h0=None, activation="tanh"):
    """Run the cell over a sequence (T, I) or a time-major batch (T, N, I).

    ``h0`` is (H,) or (N, H), zeros when None. Returns ``(hs, cache)``: hs (T, H)
    or (T, N, H) without h_0; ``cache["hs"]`` holds h_0 first, (T + 1, H) or
    (T + 1, N, H), and ``cache["steps"]`` each step's cache.
    """
    n_inputs, n_hidden = param_sizes(params)
    get_activation(activation)
    xs = check_sequence(xs, n_inputs)
    h = initial_state(h0, xs, n_hidden, "h0")  # (H,) or (N, H)
    hs, steps = [h], []
    for x in xs:
        h, step_cache = step_forward(params, x, h, activation)
        hs.append(h)
        steps.append(step_cache)
    cache = {"steps": steps, "hs": np.array(hs), "xs": xs, "activation": activation}
    return check_finite(cache["hs"][1:].copy(), "rl.cells.rnn.forward: the hidden states hs", params), cache


def backward(dhs, cache):
    """Backpropagation through time for the cell alone.

    dhs (T, H) or (T, N, H) is dL/dh_t from outside the cell (an output layer,
    a layer above); the gradient through h_t -> h_{t+1} is added here. Returns
    ``(grads, dxs, dh0)``: grads W_xh, W_hh, b_h; dxs like xs; dh0 like h_0
    (the gradient at the zero state when h0 was None).
    """
    if not isinstance(cache, dict) or "steps" not in cache:
        raise TypeError("cache must be the second value returned by rl.cells.rnn.forward(params, xs)")
    steps = cache["steps"]
    h = check_step_cache(steps[0])[3]  # (H,) or (N, H)
    dhs = check_upstream(dhs, len(steps), h.shape)
    return backprop_through_time(step_backward, steps, dhs, h.shape)
