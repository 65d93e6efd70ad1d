"""The LSTM cell: a cell state c carried by addition, read and written through gates.

Dimensions: T steps, N sequences (optional batch axis), I inputs, H hidden units.
Parameters: ``W_xh (I, 4H)``, ``W_hh (H, 4H)``, ``b_h (4H,)`` with the blocks in
the order i, f, g, o (input gate, forget gate, candidate, output gate):

    a   = x_t @ W_xh + h_{t-1} @ W_hh + b_h            (..., 4H)
    i   = σ(a_i)    f = σ(a_f)    g = tanh(a_g)    o = σ(a_o)
    c_t = f ⊙ c_{t-1} + i ⊙ g
    h_t = o ⊙ tanh(c_t)

Backward through one step, given dh (reaching h_t) and dc (reaching c_t from t+1):

    do = dh ⊙ tanh(c_t)                    dc ← dc + dh ⊙ o ⊙ (1 − tanh²(c_t))
    di = dc ⊙ g    df = dc ⊙ c_{t-1}    dg = dc ⊙ i    dc_prev = dc ⊙ f
    da = [di ⊙ i(1−i), df ⊙ f(1−f), dg ⊙ (1−g²), do ⊙ o(1−o)]
    dW_xh = x^T da    dW_hh = h_{t-1}^T da    db_h = Σ da    dx = da W_xh^T    dh_prev = da W_hh^T

``dc_prev = dc ⊙ f`` is the "gradient highway": no weight matrix, no squashing
derivative, only the forget gate between c_t and c_{t-1}.
"""
import math
import numbers

import numpy as np

from ..activations import sigmoid
from ..numerics import check_finite, named_overflow
from .common import (backprop_through_time, batch_sum, cell_sizes, check_sequence, check_upstream, init_weights,
                     initial_state, outer_sum)

GATES = ("i", "f", "g", "o")


def init_params(n_inputs, n_hidden, seed=0, forget_bias=1.0):
    """Seeded parameters ``W_xh (I, 4H)``, ``W_hh (H, 4H)``, ``b_h (4H,)``.

    Weights N(0, 1/fan_in); biases 0 except the forget gate's, ``forget_bias``
    (1.0 by default: f ≈ 0.73 at the start, so the cell begins by remembering).
    """
    if isinstance(forget_bias, bool) or not isinstance(forget_bias, numbers.Real) or not math.isfinite(forget_bias):
        raise TypeError(f"forget_bias must be a finite number, got {type(forget_bias).__name__} {forget_bias!r}")
    params = init_weights(n_inputs, n_hidden, len(GATES), seed)
    params["b_h"][n_hidden:2 * n_hidden] = forget_bias
    return params


def split_gates(a):
    """The four blocks of a (..., 4H) array, in the order i, f, g, o (views, no copies)."""
    n_hidden = a.shape[-1] // 4
    return tuple(a[..., k * n_hidden:(k + 1) * n_hidden] for k in range(4))


def step_forward(params, x, h_prev, c_prev):
    """One step: x (I,) or (N, I), h_prev and c_prev (H,) or (N, H) -> h, c and a cache."""
    a = x @ params["W_xh"] + h_prev @ params["W_hh"] + params["b_h"]  # (..., 4H)
    i, f, _, o = split_gates(sigmoid(a))  # one call for the three sigmoid gates (g's block unused)
    g = np.tanh(split_gates(a)[2])
    c = f * c_prev + i * g
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return h, c, (params, x, h_prev, c_prev, i, f, g, o, tanh_c)


def step_backward(dh, dc, cache):
    """Backward through one step: dh, dc (H,) or (N, H) -> dx, dh_prev, dc_prev and this step's grads."""
    params, x, h_prev, c_prev, i, f, g, o, tanh_c = cache
    do = dh * tanh_c
    dc = dc + dh * o * (1.0 - tanh_c * tanh_c)
    da = np.concatenate([dc * g * i * (1.0 - i),            # through i
                         dc * c_prev * f * (1.0 - f),       # through f
                         dc * i * (1.0 - g * g),            # through g
                         do * o * (1.0 - o)], axis=-1)      # through o
    grads = {"W_xh": outer_sum(x, da), "W_hh": outer_sum(h_prev, da), "b_h": batch_sum(da)}
    return da @ params["W_xh"].T, da @ params["W_hh"].T, dc * f, grads


@named_overflow
def forward(params, xs, h0=None, c0=None):
    """Run the cell over xs (T, I) or (T, N, I) -> hs (T, [N,] H) and a cache for ``backward``.

    ``cache["cs"]`` holds the cell states (T, [N,] H); ``gate_activations(cache)`` the gates.
    """
    n_inputs, n_hidden = cell_sizes(params, GATES)
    xs = check_sequence(xs, n_inputs)
    h = initial_state(h0, xs, n_hidden, "h0")
    c = initial_state(c0, xs, n_hidden, "c0")
    hs, cs, steps = [], [], []
    for x in xs:
        h, c, step = step_forward(params, x, h, c)
        hs.append(h)
        cs.append(c)
        steps.append(step)
    hs = check_finite(np.array(hs), "rl.cells.lstm.forward: the hidden states hs", params)
    return hs, {"cell": "lstm", "steps": steps, "cs": np.array(cs), "h0_shape": h.shape}


def backward(dhs, cache):
    """Backpropagation through time: dhs (T, [N,] H), the gradient reaching every h_t from outside.

    Returns ``(grads, dxs, dh0, dc0)``: the gradients of ``sum(hs * dhs)`` with respect
    to the parameters (a dict like params), the inputs (T, [N,] I), h0 and c0.
    """
    if not isinstance(cache, dict) or cache.get("cell") != "lstm":
        raise TypeError("cache must be the second value returned by rl.cells.lstm.forward")
    steps = cache["steps"]
    dhs = check_upstream(dhs, len(steps), cache["h0_shape"])
    return backprop_through_time(step_backward, steps, dhs, cache["h0_shape"], n_states=2)


def gate_activations(cache):
    """The gates of every step from a forward cache: dict i, f, g, o -> (T, [N,] H)."""
    return {name: np.array([step[4 + k] for step in cache["steps"]]) for k, name in enumerate(GATES)}
