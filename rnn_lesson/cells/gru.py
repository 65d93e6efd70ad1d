"""The GRU cell (Cho et al. 2014, the form d2l teaches): one state, mixed by an update gate.

Dimensions: T steps, N sequences (optional batch axis), I inputs, H hidden units.
Parameters: ``W_xh (I, 3H)``, ``W_hh (H, 3H)``, ``b_h (3H,)`` with the blocks in
the order r, z, n (reset gate, update gate, candidate):

    r   = σ(x_t W_xr + h_{t-1} W_hr + b_r)
    z   = σ(x_t W_xz + h_{t-1} W_hz + b_z)
    n   = tanh(x_t W_xn + (r ⊙ h_{t-1}) W_hn + b_n)
    h_t = z ⊙ h_{t-1} + (1 − z) ⊙ n

The reset gate acts *before* the product with W_hn. Backward through one step,
given dh (reaching h_t):

    dz = dh ⊙ (h_{t-1} − n)      dn = dh ⊙ (1 − z)       da_n = dn ⊙ (1 − n²)
    d(r⊙h) = da_n W_hn^T         da_r = d(r⊙h) ⊙ h_{t-1} ⊙ r(1 − r)      da_z = dz ⊙ z(1 − z)
    dh_prev = dh ⊙ z + d(r⊙h) ⊙ r + [da_r, da_z] [W_hr, W_hz]^T
    dW_xh = x^T [da_r, da_z, da_n]     dW_hr,z = h_{t-1}^T [da_r, da_z]     dW_hn = (r⊙h_{t-1})^T da_n

``dh ⊙ z`` is the GRU's own highway: when z ≈ 1 the state, and its gradient, pass through unchanged.
"""
import numpy as np

from ..activations import sigmoid
from ..numerics import check_finite, named_overflow
from .common import (backprop_through_time, batch_sum, cell_sizes, check_sequence, check_upstream, init_weights,
                     initial_state, outer_sum)

GATES = ("r", "z", "n")


def init_params(n_inputs, n_hidden, seed=0):
    """Seeded parameters ``W_xh (I, 3H)``, ``W_hh (H, 3H)`` drawn N(0, 1/fan_in), ``b_h (3H,)`` zeros."""
    return init_weights(n_inputs, n_hidden, len(GATES), seed)


def step_forward(params, x, h_prev):
    """One step: x (I,) or (N, I), h_prev (H,) or (N, H) -> h and a cache."""
    n_hidden = h_prev.shape[-1]
    W_hh = params["W_hh"]
    a_x = x @ params["W_xh"] + params["b_h"]                      # (..., 3H)
    a_rz = a_x[..., :2 * n_hidden] + h_prev @ W_hh[:, :2 * n_hidden]
    r, z = sigmoid(a_rz[..., :n_hidden]), sigmoid(a_rz[..., n_hidden:])
    reset = r * h_prev
    n = np.tanh(a_x[..., 2 * n_hidden:] + reset @ W_hh[:, 2 * n_hidden:])
    h = z * h_prev + (1.0 - z) * n
    return h, (params, x, h_prev, r, z, n, reset)


def step_backward(dh, cache):
    """Backward through one step: dh (H,) or (N, H) -> dx, dh_prev and this step's grads."""
    params, x, h_prev, r, z, n, reset = cache
    n_hidden = h_prev.shape[-1]
    W_hr_z, W_hn = params["W_hh"][:, :2 * n_hidden], params["W_hh"][:, 2 * n_hidden:]
    da_n = dh * (1.0 - z) * (1.0 - n * n)
    d_reset = da_n @ W_hn.T
    da_rz = np.concatenate([d_reset * h_prev * r * (1.0 - r),      # through r
                            dh * (h_prev - n) * z * (1.0 - z)], axis=-1)  # through z
    da = np.concatenate([da_rz, da_n], axis=-1)                    # (..., 3H)
    grads = {"W_xh": outer_sum(x, da),
             "W_hh": np.concatenate([outer_sum(h_prev, da_rz), outer_sum(reset, da_n)], axis=-1),
             "b_h": batch_sum(da)}
    dh_prev = dh * z + d_reset * r + da_rz @ W_hr_z.T
    return da @ params["W_xh"].T, dh_prev, grads


@named_overflow
def forward(params, xs, h0=None):
    """Run the cell over xs (T, I) or (T, N, I) -> hs (T, [N,] H) and a cache for ``backward``."""
    n_inputs, n_hidden = cell_sizes(params, GATES)
    xs = check_sequence(xs, n_inputs)
    h = initial_state(h0, xs, n_hidden, "h0")
    hs, steps = [], []
    for x in xs:
        h, step = step_forward(params, x, h)
        hs.append(h)
        steps.append(step)
    hs = check_finite(np.array(hs), "rl.cells.gru.forward: the hidden states hs", params)
    return hs, {"cell": "gru", "steps": steps, "h0_shape": h.shape}


def backward(dhs, cache):
    """Backpropagation through time: dhs (T, [N,] H), the gradient reaching every h_t from outside.

    Returns ``(grads, dxs, dh0)``: the gradients of ``sum(hs * dhs)`` with respect to
    the parameters (a dict like params), the inputs (T, [N,] I) and h0.
    """
    if not isinstance(cache, dict) or cache.get("cell") != "gru":
        raise TypeError("cache must be the second value returned by rl.cells.gru.forward")
    steps = cache["steps"]
    dhs = check_upstream(dhs, len(steps), cache["h0_shape"])
    return backprop_through_time(step_backward, steps, dhs, cache["h0_shape"])


def gate_activations(cache):
    """The gates of every step from a forward cache: dict r, z, n -> (T, [N,] H)."""
    return {name: np.array([step[3 + k] for step in cache["steps"]]) for k, name in enumerate(GATES)}
