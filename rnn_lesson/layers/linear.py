"""The linear (output) layer: the same affine map at every position of a sequence.

Shapes: hs (..., H) -> ys (..., O) with W (H, O) and b (O,); the leading axes
are anything: (H,) one step, (T, H) a sequence, (T, N, H) a batch.

    y = h @ W + b
    dW = sum over positions of outer(h, dy)      (H, O)
    db = sum over positions of dy                (O,)
    dh = dy @ W.T                                (..., H)

In the wave-1 network (``rl.forward``) W is ``W_hy`` and b is ``b_y``.
"""
import numpy as np

from ..budget import check_bytes
from ..numerics import check_finite, check_finite_dict, check_real
from ..shapes import check_positive_int, check_seed


def draw_params(rng, n_inputs, n_outputs):
    """``(W, b)`` with W (n_inputs, n_outputs) drawn from ``rng`` as N(0, 1) / sqrt(fan-in), b zeros."""
    check_bytes(8 * (n_inputs + 1) * n_outputs, f"a linear layer {n_inputs} -> {n_outputs}", "use smaller sizes")
    return rng.standard_normal((n_inputs, n_outputs)) / np.sqrt(n_inputs), np.zeros(n_outputs)


def init_params(n_inputs, n_outputs, seed=0):
    """Reproducible parameters ``{"W": (n_inputs, n_outputs), "b": (n_outputs,)}``."""
    n_inputs = check_positive_int(n_inputs, "n_inputs")
    n_outputs = check_positive_int(n_outputs, "n_outputs")
    W, b = draw_params(np.random.default_rng(check_seed(seed)), n_inputs, n_outputs)
    return {"W": W, "b": b}


def forward(hs, W, b):
    """ys = hs @ W + b. hs (..., H), W (H, O), b (O,) -> ``(ys (..., O), cache)``.

    The cache is the tuple ``(hs, W)``, all that ``backward`` needs.
    """
    if not isinstance(W, np.ndarray) or W.ndim != 2:
        raise ValueError(f"W must be a 2-D array of shape (H, O), got shape {np.shape(W)}")
    if np.shape(b) != (W.shape[1],):
        raise ValueError(f"b must have shape ({W.shape[1]},) to match W {W.shape}, got {np.shape(b)}")
    hs = np.asarray(hs)
    if hs.ndim == 0 or hs.shape[-1] != W.shape[0]:
        raise ValueError(f"hs must have shape (..., {W.shape[0]}) to match W {W.shape}, got {hs.shape}")
    for name, value in (("hs", hs), ("W", W), ("b", b)):
        check_real(value, name)
    with np.errstate(over="ignore", invalid="ignore"):
        ys = affine(hs, W, b)
    return check_finite(ys, "rl.layers.linear.forward: ys", {"W": W, "b": b}, {"hs": hs}), (hs, W)


def backward(dys, cache):
    """Gradients of the loss given dys = dL/dys (..., O), the shape of ys.

    Returns ``(dW (H, O), db (O,), dhs (..., H))``, summed over every position.
    """
    if not (isinstance(cache, tuple) and len(cache) == 2):
        raise TypeError("cache must be the second value returned by rl.layers.linear.forward: (hs, W)")
    hs, W = cache
    dys = np.asarray(dys)
    expected = hs.shape[:-1] + (W.shape[1],)
    if dys.shape != expected:
        raise ValueError(f"dys must have shape {expected} (the shape of ys), got {dys.shape}")
    check_real(dys, "dys")
    with np.errstate(over="ignore", invalid="ignore"):
        dW, db, dhs = affine_grads(dys, hs, W)
    check_finite_dict({"dW": dW, "db": db, "dhs": dhs}, "rl.layers.linear.backward", {"W": W}, {"dys": dys, "hs": hs})
    return dW, db, dhs


def affine(hs, W, b):
    """hs @ W + b, unchecked: for a caller that has checked the shapes and checks the result (``rl.forward``)."""
    return hs @ W + b


def affine_grads(dys, hs, W):
    """(dW, db, dhs) of ``backward``, unchecked: for a caller that checks (``rl.backward``)."""
    rows_h, rows_dy = hs.reshape(-1, W.shape[0]), dys.reshape(-1, W.shape[1])  # positions as rows
    db = dys.copy() if dys.ndim == 1 else rows_dy.sum(axis=0)  # one position: nothing to sum
    return rows_h.T @ rows_dy, db, dys @ W.T
