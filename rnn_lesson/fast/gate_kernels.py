"""The elementwise work of one time step of a batch, for each cell: gates forward, their gradients backward.

Dimensions: B sequences in the batch, H hidden units, G gate blocks (1 rnn, 4 lstm, 3 gru).
Every kernel makes one pass over (B, H) blocks, row by row, with the loops written so they
vectorise (``vecmath``'s ``_sigmoid`` and ``_tanh``, no division checks). The matrix products
of the step (h_{t-1} W_hh and, backward, da W_hh^T) happen between the calls, in BLAS; ``a``
holds x_t W_xh + b_h on the way in, and each forward kernel overwrites it with the gates' values,
which the backward kernel reads. The equations are those of ``rnn_lesson/cells``:

    rnn    h = act(a + rec)                                     dz = dh * act'(h)
    lstm   [i, f, g, o] = [σ, σ, tanh, σ](a + rec),  c = f c_prev + i g,  h = o tanh(c)
           dc += dh o (1 - tanh² c);  da = [dc g i(1-i), dc c_prev f(1-f), dc i (1-g²), dh tanh(c) o(1-o)]
    gru    [r, z] = σ(a_rz + rec_rz),  n = tanh(a_n + (r h_prev) W_hn),  h = z h_prev + (1 - z) n
           da_n = dh (1-z)(1-n²),  da_z = dh (h_prev - n) z(1-z),  da_r = (da_n W_hn^T) h_prev r(1-r)

``dh`` is the whole gradient reaching h_t: from outside (``dh_out``) plus what step t + 1
sends back (``carry``), added here so that no separate pass is needed.
"""
from .jit import VECTOR, _compile
from .vecmath import _sigmoid, _tanh


# --- the vanilla cell, any activation (codes of vecmath.ACTIVATION_CODES) --------------------

@_compile(**VECTOR)
def rnn_forward(a, rec, h, code):
    """h <- act(a + rec) for (B, H) blocks; a = x_t W_xh + b_h, rec = h_{t-1} W_hh."""
    for b in range(h.shape[0]):
        ar, rr, hr = a[b], rec[b], h[b]
        if code == 0:
            for j in range(hr.shape[0]):
                hr[j] = _tanh(ar[j] + rr[j])
        elif code == 1:
            for j in range(hr.shape[0]):
                hr[j] = _sigmoid(ar[j] + rr[j])
        elif code == 2:
            for j in range(hr.shape[0]):
                hr[j] = max(ar[j] + rr[j], 0.0)
        else:
            for j in range(hr.shape[0]):
                hr[j] = ar[j] + rr[j]


@_compile(**VECTOR)
def rnn_backward(dh_out, carry, h, da, code):
    """da <- (dh_out + carry) * act'(h) for (B, H) blocks, act' written with the output h."""
    for b in range(h.shape[0]):
        d, c, hr, out = dh_out[b], carry[b], h[b], da[b]
        if code == 0:
            for j in range(hr.shape[0]):
                out[j] = (d[j] + c[j]) * (1.0 - hr[j] * hr[j])
        elif code == 1:
            for j in range(hr.shape[0]):
                out[j] = (d[j] + c[j]) * (hr[j] * (1.0 - hr[j]))
        elif code == 2:
            for j in range(hr.shape[0]):
                out[j] = (d[j] + c[j]) if hr[j] > 0.0 else 0.0
        else:
            for j in range(hr.shape[0]):
                out[j] = d[j] + c[j]


# --- the LSTM ---------------------------------------------------------------------------------

@_compile(**VECTOR)
def _sigmoid_of_sum(x, y):
    """x <- σ(x + y) for rows x, y (N,): one activation per loop, so that the loop vectorises."""
    for j in range(x.shape[0]):
        x[j] = _sigmoid(x[j] + y[j])


@_compile(**VECTOR)
def _tanh_of_sum(x, y):
    """x <- tanh(x + y) for rows x, y (N,)."""
    for j in range(x.shape[0]):
        x[j] = _tanh(x[j] + y[j])


@_compile(**VECTOR)
def _lstm_state(i, f, g, o, c_prev, c, tanh_c, h):
    """c <- f c_prev + i g, tanh_c <- tanh(c), h <- o tanh_c, for rows (H,)."""
    for j in range(c.shape[0]):
        value = f[j] * c_prev[j] + i[j] * g[j]
        c[j] = value
        squashed = _tanh(value)
        tanh_c[j] = squashed
        h[j] = o[j] * squashed


@_compile(**VECTOR)
def lstm_forward(a, rec, c_prev, c, tanh_c, h):
    """One LSTM step: a (B, 4H) <- the gates [i, f, g, o]; c, tanh_c, h (B, H) written."""
    n = h.shape[1]
    for b in range(h.shape[0]):
        ar, rr = a[b], rec[b]
        _sigmoid_of_sum(ar[:2 * n], rr[:2 * n])           # i, f
        _tanh_of_sum(ar[2 * n:3 * n], rr[2 * n:3 * n])    # g
        _sigmoid_of_sum(ar[3 * n:], rr[3 * n:])           # o
        _lstm_state(ar[:n], ar[n:2 * n], ar[2 * n:3 * n], ar[3 * n:], c_prev[b], c[b], tanh_c[b], h[b])


@_compile(**VECTOR)
def lstm_backward(dh_out, carry, dc, gates, c_prev, tanh_c, da):
    """One LSTM step back: da (B, 4H) written from dh = dh_out + carry; dc (B, H) <- dc_prev in place."""
    n_hid = dc.shape[1]
    for b in range(dc.shape[0]):
        d, cy, dcr, gr, cp, tc, out = dh_out[b], carry[b], dc[b], gates[b], c_prev[b], tanh_c[b], da[b]
        for j in range(n_hid):
            i, f, g, o = gr[j], gr[n_hid + j], gr[2 * n_hid + j], gr[3 * n_hid + j]
            dh = d[j] + cy[j]
            t = tc[j]
            dcj = dcr[j] + dh * o * (1.0 - t * t)
            out[j] = dcj * g * (i * (1.0 - i))
            out[n_hid + j] = dcj * cp[j] * (f * (1.0 - f))
            out[2 * n_hid + j] = dcj * i * (1.0 - g * g)
            out[3 * n_hid + j] = dh * t * (o * (1.0 - o))
            dcr[j] = dcj * f


# --- the GRU ----------------------------------------------------------------------------------

@_compile(**VECTOR)
def gru_forward_gates(a, rec_rz, h_prev, reset):
    """First half of a GRU step: a[:, :2H] <- [r, z] = σ(a_rz + h_prev W_hrz); reset <- r * h_prev."""
    n = h_prev.shape[1]
    for b in range(h_prev.shape[0]):
        ar, hp, rs = a[b], h_prev[b], reset[b]
        _sigmoid_of_sum(ar[:2 * n], rec_rz[b])
        for j in range(n):
            rs[j] = ar[j] * hp[j]


@_compile(**VECTOR)
def gru_forward_state(a, rec_n, h_prev, h):
    """Second half: a[:, 2H:] <- n = tanh(a_n + (r h_prev) W_hn); h <- z h_prev + (1 - z) n."""
    n = h.shape[1]
    for b in range(h.shape[0]):
        ar, hp, hr = a[b], h_prev[b], h[b]
        _tanh_of_sum(ar[2 * n:], rec_n[b])
        for j in range(n):
            z = ar[n + j]
            hr[j] = z * hp[j] + (1.0 - z) * ar[2 * n + j]


@_compile(**VECTOR)
def gru_backward_state(dh_out, carry, carry_direct, gates, h_prev, dh, da):
    """First half back: dh <- dh_out + carry + carry_direct; da[:, H:] <- [da_z, da_n]."""
    n_hid = dh.shape[1]
    for b in range(dh.shape[0]):
        d, cy, cd, gr, hp, dhr, out = dh_out[b], carry[b], carry_direct[b], gates[b], h_prev[b], dh[b], da[b]
        for j in range(n_hid):
            z, n = gr[n_hid + j], gr[2 * n_hid + j]
            g = d[j] + cy[j] + cd[j]
            dhr[j] = g
            out[n_hid + j] = g * (hp[j] - n) * (z * (1.0 - z))
            out[2 * n_hid + j] = g * (1.0 - z) * (1.0 - n * n)


@_compile(**VECTOR)
def gru_backward_reset(d_reset, dh, gates, h_prev, da, carry_direct):
    """Second half: da[:, :H] <- da_r = d_reset h_prev r(1-r); carry_direct <- dh z + d_reset r.

    d_reset = da_n W_hn^T; carry_direct is the part of dh_prev that needs no product.
    """
    n_hid = dh.shape[1]
    for b in range(dh.shape[0]):
        dr, dhr, gr, hp, out, cd = d_reset[b], dh[b], gates[b], h_prev[b], da[b], carry_direct[b]
        for j in range(n_hid):
            r, z = gr[j], gr[n_hid + j]
            out[j] = dr[j] * hp[j] * (r * (1.0 - r))
            cd[j] = dhr[j] * z + dr[j] * r


# --- the pieces every cell shares -------------------------------------------------------------

@_compile(**VECTOR)
def add_bias_rows(rows, bias):
    """rows (K, N) <- rows + bias (N,), in place."""
    for k in range(rows.shape[0]):
        row = rows[k]
        for j in range(row.shape[0]):
            row[j] += bias[j]


@_compile(**VECTOR)
def sum_rows(rows, out):
    """out (N,) <- the sum of the K rows of rows (K, N)."""
    for j in range(out.shape[0]):
        out[j] = 0.0
    for k in range(rows.shape[0]):
        row = rows[k]
        for j in range(row.shape[0]):
            out[j] += row[j]


@_compile
def gather_rows(table, ids, out):
    """out[k] <- table[ids[k]]: x_t W_xh for one-hot inputs, a row lookup (ids (K,), out (K, N))."""
    for k in range(ids.shape[0]):
        source, target = table[ids[k]], out[k]
        for j in range(target.shape[0]):
            target[j] = source[j]


@_compile
def scatter_add_rows(rows, ids, out):
    """out <- 0, then out[ids[k]] += rows[k]: dW_xh = onehot(ids)^T da without the one-hot matrix."""
    out[:] = 0.0
    for k in range(ids.shape[0]):
        source, target = rows[k], out[ids[k]]
        for j in range(source.shape[0]):
            target[j] += source[j]
