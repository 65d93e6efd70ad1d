"""Per-sequence SGD in one compiled kernel: forward, loss, backward through time and the update.

Dimensions: N sequences, T time steps, I inputs, H hidden, O outputs. For each sequence n in
order, with x_t = X[n, t] and the targets Y[n, t], exactly the reference loop
(``rnn.forward``, ``losses.mse_loss``, ``rnn.backward``, ``optim.sgd_step``):

    h_t  = act(x_t W_xh + h_{t-1} W_hh + b_h),   y_t = h_t W_hy + b_y,   h_0 = 0
    L    = mean over t and o of (y_t - target_t)**2,   dL/dy_t = 2 (y_t - target_t) / (T O)
    dz_t = (dL/dy_t W_hy^T + dh_next) * act'(z_t),   dh_next = dz_t W_hh^T
    dW_xh = sum_t x_t^T dz_t,  dW_hh = sum_t h_{t-1}^T dz_t,  dW_hy = sum_t h_t^T dL/dy_t
    db_h  = sum_t dz_t,        db_y  = sum_t dL/dy_t
    W <- W - learning_rate * dW, for every weight, after every sequence

Explicit loops (numba's ``np.dot`` needs SciPy, and the loops are the lesson), writing only
into the buffers of a :class:`~rnn_lesson.fast.workspace.Workspace`: nothing is allocated per
sequence. The activation comes from ``vecmath``: ``_act``, ``_act_derivative``.
"""
import math

from .jit import _compile
from .vecmath import _act, _act_derivative


@_compile
def _step_matrix(W, grad, learning_rate):
    """W <- W - learning_rate * grad, in place, for a 2-D array."""
    for i in range(W.shape[0]):
        for j in range(W.shape[1]):
            W[i, j] -= learning_rate * grad[i, j]


@_compile
def _sgd_step(W_xh, W_hh, W_hy, b_h, b_y, g_xh, g_hh, g_hy, g_bh, g_by, learning_rate):
    """Every weight <- weight - learning_rate * its gradient, in place (explicit loops:
    `W -= lr * g` would allocate lr * g)."""
    _step_matrix(W_xh, g_xh, learning_rate)
    _step_matrix(W_hh, g_hh, learning_rate)
    _step_matrix(W_hy, g_hy, learning_rate)
    for j in range(b_h.shape[0]):
        b_h[j] -= learning_rate * g_bh[j]
    for o in range(b_y.shape[0]):
        b_y[o] -= learning_rate * g_by[o]


@_compile
def _sgd_kernel(W_xh, W_hh, W_hy, b_h, b_y, X, Y, learning_rate, code,
                hs, ys, dys, dz, dh_next, g_xh, g_hh, g_hy, g_bh, g_by):
    """Per-sequence SGD over all N sequences, in place.

    Returns (-1, the sum of the N losses), or (n, the sum so far) where n is the
    first sequence whose loss is not finite; the weights are then as they were
    after the sequence before it.
    """
    total = 0.0
    n_seq, n_steps, n_in = X.shape
    n_hid = W_hh.shape[0]
    n_out = W_hy.shape[1]
    size = n_steps * n_out
    for n in range(n_seq):
        # reset the workspace: zeros, no new memory (hs[0] = h_0 = 0)
        hs[:] = 0.0
        dh_next[:] = 0.0
        g_xh[:] = 0.0
        g_hh[:] = 0.0
        g_hy[:] = 0.0
        g_bh[:] = 0.0
        g_by[:] = 0.0
        # forward. The input part x_t W_xh + b_h of every step first, input by input, so
        # that the inner loop runs along a row of W_xh and never waits for the last sum.
        loss = 0.0
        for t in range(n_steps):
            for j in range(n_hid):
                hs[t + 1, j] = b_h[j]
        for i in range(n_in):
            for t in range(n_steps):
                x = X[n, t, i]
                for j in range(n_hid):
                    hs[t + 1, j] += x * W_xh[i, j]
        # then the recurrence: h_t = act(that + h_{t-1} W_hh), and y_t = h_t W_hy + b_y
        for t in range(n_steps):
            for k in range(n_hid):
                hk = hs[t, k]
                for j in range(n_hid):
                    hs[t + 1, j] += hk * W_hh[k, j]
            for j in range(n_hid):
                hs[t + 1, j] = _act(hs[t + 1, j], code)
            for o in range(n_out):
                y = b_y[o]
                for j in range(n_hid):
                    y += hs[t + 1, j] * W_hy[j, o]
                ys[t, o] = y
                diff = y - Y[n, t, o]
                loss += diff * diff
                dys[t, o] = 2.0 * diff / size
        loss /= size
        if not math.isfinite(loss):
            return n, total
        total += loss
        # backward through time
        for t in range(n_steps - 1, -1, -1):
            for j in range(n_hid):
                dh = 0.0
                for o in range(n_out):
                    dh += W_hy[j, o] * dys[t, o]
                    g_hy[j, o] += hs[t + 1, j] * dys[t, o]
                dz[t, j] = (dh + dh_next[j]) * _act_derivative(hs[t + 1, j], code)
                g_bh[j] += dz[t, j]
            for o in range(n_out):
                g_by[o] += dys[t, o]
            for i in range(n_in):
                x = X[n, t, i]
                for j in range(n_hid):
                    g_xh[i, j] += x * dz[t, j]
            for k in range(n_hid):
                hk = hs[t, k]
                d = 0.0
                for j in range(n_hid):
                    g_hh[k, j] += hk * dz[t, j]
                    d += W_hh[k, j] * dz[t, j]
                dh_next[k] = d
        _sgd_step(W_xh, W_hh, W_hy, b_h, b_y, g_xh, g_hh, g_hy, g_bh, g_by, learning_rate)
    return -1, total

