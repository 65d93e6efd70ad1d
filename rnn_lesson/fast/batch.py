"""One mini-batch SGD step: BLAS for the big matrix products, compiled kernels for everything else.

Dimensions: B sequences in the batch (b <= B in the last one), T time steps, I inputs,
H hidden, O outputs. The buffers are time-major, (T, b, ...), so ``hs[t]`` is one contiguous
(b, H) block. For the batch's inputs x_t (b, I) and targets, one step down the gradient of
the batch's mean loss:

    h_t  = act(x_t W_xh + h_{t-1} W_hh + b_h),   y_t = h_t W_hy + b_y,   h_0 = 0
    L    = mean over the batch, t and o of (y_t - target_t)**2,   dL/dy_t = 2 (y_t - target_t) / (T b O)
    dz_t = (dL/dy_t W_hy^T + dh_next) * act'(z_t),   dh_next = dz_t W_hh^T
    dW_xh = X^T dZ and dW_hh = H_prev^T dZ, each one product over the T b rows of all steps
    dW_hy, db_h, db_y summed over the batch and t, row by row in the backward kernel
    W <- W - learning_rate * dW: the mean over the batch of the per-sequence gradients

The products (b, H) @ (H, H) and bigger go to BLAS (NumPy's ``matmul`` with ``out=``, into the
workspace); only the recurrence runs step by step. The compiled kernels make one pass per
step over a (b, H) block: the activation (with ``vecmath``'s ``_tanh`` and ``_sigmoid``, which
vectorise), the tiny output layer, the gradient through the activation and the bias and W_hy
gradients. See benchmarks/README.md for where the time goes.
"""
import math

import numpy as np

from ..rnn import PARAM_NAMES
from .jit import VECTOR, _compile
from .sequence import _sgd_step
from .vecmath import _sigmoid, _tanh

# Each kernel makes one pass over a (B, H) block, row by row, doing all the small work there is
# on a row while it sits in cache. One loop per activation, so each inner loop is branch-free
# and vectorises. W_hy is tiny (O is small): O passes over a row in cache beat a matrix product.
# W_hy_t and g_hy_t are the transposed views W_hy.T, grads["W_hy"].T (O, H): contiguous rows.

@_compile
def _to_time_major(xs_batch, xs):
    """xs[t, n] <- xs_batch[n, t]: (b, T, I) to the workspace's (T, b, I), row by row
    (NumPy's copyto from a transposed view is three times slower at I = 29)."""
    for n in range(xs_batch.shape[0]):
        for t in range(xs_batch.shape[1]):
            source, target = xs_batch[n, t], xs[t, n]
            for i in range(source.shape[0]):
                target[i] = source[i]


@_compile(**VECTOR)
def _activate_row(row, part, b_h, code):
    """row <- act(row + part + b_h), in place, for one row of H numbers."""
    if code == 0:
        for j in range(row.shape[0]):
            row[j] = _tanh(row[j] + part[j] + b_h[j])
    elif code == 1:
        for j in range(row.shape[0]):
            row[j] = _sigmoid(row[j] + part[j] + b_h[j])
    elif code == 2:
        for j in range(row.shape[0]):
            row[j] = max(row[j] + part[j] + b_h[j], 0.0)
    else:
        for j in range(row.shape[0]):
            row[j] = row[j] + part[j] + b_h[j]


@_compile(error_model="numpy")  # FASTMATH: the dot products below may be summed in any order
def _forward_step(h, z_part, b_h, W_hy_t, b_y, y, code):
    """h <- act(h + z_part + b_h), then y <- h W_hy + b_y: one step of the batch's forward pass.

    h, z_part (B, H): h holds x_t W_xh, z_part h_{t-1} W_hh; y (B, O).
    """
    for b in range(h.shape[0]):
        row = h[b]
        _activate_row(row, z_part[b], b_h, code)
        for o in range(y.shape[1]):
            w, total = W_hy_t[o], 0.0
            for j in range(row.shape[0]):
                total += row[j] * w[j]
            y[b, o] = total + b_y[o]


@_compile(error_model="numpy")
def _output_gradient(ys, targets, dys):
    """dys <- dL/dys = 2 (ys - targets) / size for L = the mean of (ys - targets)**2; returns L.

    ys, targets, dys (T, B, O); targets may be any view (the batch's Y, made time-major).
    """
    total = 0.0
    scale = 2.0 / ys.size
    for t in range(ys.shape[0]):
        for b in range(ys.shape[1]):
            for o in range(ys.shape[2]):
                diff = ys[t, b, o] - targets[t, b, o]
                total += diff * diff
                dys[t, b, o] = scale * diff
    return total / ys.size


@_compile(**VECTOR)
def _backward_step(dz, dys, W_hy_t, dh_next, h, g_bh, g_hy_t, g_by, code):
    """One step of the batch's backward pass, for the (B, H) blocks of step t:

        dz <- (dy_t W_hy^T + dh_next) * act'(z_t)     act' from the output h = h_t
        g_bh += sums of dz over the batch, g_hy += h^T dy_t, g_by += sums of dy_t
    """
    for b in range(dz.shape[0]):
        row, later, out, dy = dz[b], dh_next[b], h[b], dys[b]
        for o in range(dy.shape[0]):
            d, w, g = dy[o], W_hy_t[o], g_hy_t[o]
            g_by[o] += d
            if o == 0:
                for j in range(row.shape[0]):
                    row[j] = later[j] + d * w[j]
                    g[j] += d * out[j]
            else:
                for j in range(row.shape[0]):
                    row[j] += d * w[j]
                    g[j] += d * out[j]
        if code == 0:
            for j in range(row.shape[0]):
                row[j] *= 1.0 - out[j] * out[j]
                g_bh[j] += row[j]
        elif code == 1:
            for j in range(row.shape[0]):
                row[j] *= out[j] * (1.0 - out[j])
                g_bh[j] += row[j]
        elif code == 2:
            for j in range(row.shape[0]):
                row[j] *= 1.0 if out[j] > 0.0 else 0.0
                g_bh[j] += row[j]
        else:
            for j in range(row.shape[0]):
                g_bh[j] += row[j]


def _batch_step(params, xs_batch, ys_batch, learning_rate, code, ws):
    """Forward, backward and one SGD step for one batch, entirely inside the workspace ``ws``.

    xs_batch (b, T, I), ys_batch (b, T, O); ws holds time-major buffers for b
    sequences. The loss is the mean over b, T and O, so its gradient is the
    mean over the batch of the per-sequence gradients. Returns the loss.

    Only the recurrence runs step by step: x_t W_xh and the weight gradients
    dW_xh, dW_hh are each one product over the T * b rows of all steps. h_0 = 0,
    so the products with h_0 (step 1's h_0 W_hh, its term of dW_hh) are skipped.
    """
    n_steps, n_seq, n_hid = ws.hs.shape
    n_steps -= 1
    W_hh, b_h, W_hy_t, g = params["W_hh"], params["b_h"], params["W_hy"].T, ws.grads
    hs, dz, tmp = ws.hs, ws.dz, ws.scratch
    rows = n_steps * n_seq  # the (T, b) axes flattened
    _to_time_major(xs_batch, ws.xs)
    x_flat, z_flat = ws.xs.reshape(rows, -1), dz.reshape(rows, n_hid)
    # forward: x_t W_xh for every step at once, then step by step h_t = act(that + h_{t-1} W_hh + b_h)
    np.matmul(x_flat, params["W_xh"], out=hs[1:].reshape(rows, n_hid))
    tmp.fill(0.0)  # h_0 W_hh = 0
    for t in range(n_steps):
        if t > 0:
            np.matmul(hs[t], W_hh, out=tmp)
        _forward_step(hs[t + 1], tmp, b_h, W_hy_t, params["b_y"], ws.ys[t], code)
    loss = _output_gradient(ws.ys, ys_batch.transpose(1, 0, 2), ws.dys)
    if not math.isfinite(loss):
        return loss
    # backward: dz_t = (dy_t W_hy^T + dh_next) * act'(h_t), then dh_next = dz_t W_hh^T
    for key in ("b_h", "W_hy", "b_y"):
        g[key].fill(0.0)
    ws.dh_next.fill(0.0)
    g_hy_t = g["W_hy"].T
    for t in range(n_steps - 1, -1, -1):
        _backward_step(dz[t], ws.dys[t], W_hy_t, ws.dh_next, hs[t + 1], g["b_h"], g_hy_t, g["b_y"], code)
        if t > 0:
            np.matmul(dz[t], W_hh.T, out=ws.dh_next)
    np.matmul(x_flat.T, z_flat, out=g["W_xh"])
    np.matmul(hs[1:-1].reshape(rows - n_seq, n_hid).T, dz[1:].reshape(rows - n_seq, n_hid), out=g["W_hh"])
    _sgd_step(*(params[key] for key in PARAM_NAMES), *(g[key] for key in PARAM_NAMES), learning_rate)
    return loss

