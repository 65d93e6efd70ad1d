"""Any cell over a time-major batch: only the recurrence runs step by step, every buffer in a workspace.

Dimensions: T steps, B sequences, I inputs (V for a language model), H hidden, G gate blocks
(1 rnn, 4 lstm, 3 gru), O outputs. The caller fills ``ws.a`` (T, B, G·H) with the input part of
every step at once, x_t W_xh + b_h (one product over T·B rows, or a row lookup for token
inputs), and ``ws.hs[0]`` (and ``ws.cs[0]``) with the initial state. Then

    forward:   for t = 1..T:  rec = h_{t-1} W_hh (BLAS),  gates and h_t from a_t + rec (a kernel)
    backward:  for t = T..1:  da_t from dh_t = dhs_t + carry (a kernel),  carry = da_t W_hh^T (BLAS)
               dW_hh = H_prev^T dA and db_h = Σ dA: one product, one pass, over all T·B rows

The GRU needs two products each way, since its reset gate acts before W_hn:
(r ⊙ h_{t-1}) W_hn forward, and da_n W_hn^T backward before da_r can be formed.
The kernels of one step are in ``gate_kernels.py``. Nothing is allocated per step or per batch.
"""
import math

import numpy as np

from ..budget import check_bytes
from ..shapes import check_positive_int
from . import gate_kernels as k

GATE_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}
PARAM_SHAPES = ("W_xh", "W_hh", "b_h", "W_hy", "b_y")


class CellWorkspace:
    """Buffers for one forward and backward pass of ``cell`` over batches of at most B sequences.

    ============  ================  =================================================
    buffer        shape             holds
    ============  ================  =================================================
    ``a``         (T, B, G·H)       x_t W_xh + b_h, then the gates' values
    ``hs``        (T + 1, B, H)     hidden states, ``hs[0]`` the initial one
    ``cs``        (T + 1, B, H)     LSTM cell states, ``cs[0]`` the initial one
    ``tanh_c``    (T, B, H)         LSTM tanh(c_t)
    ``reset``     (T, B, H)         GRU r_t ⊙ h_{t-1}
    ``ys, dys``   (T, B, O)         outputs and dL/dys
    ``dhs``       (T, B, H)         dL/dh_t from the output layer
    ``da``        (T, B, G·H)       dL/da_t, the gradient before the gates' activations
    ``xs``        (T, B, I)         dense inputs, time-major (estimator only)
    ``rec``       (B, G·H)          h_{t-1} W_hh (GRU: its r, z blocks, (B, 2H), at the front)
    ``rec_n``     (B, H)            GRU (r ⊙ h_{t-1}) W_hn
    ``step``      (4, B, H)         per-step room: carry (da_{t+1} W_hh^T), the GRU's
                                    carry_direct, dh and d_reset
    ``dc``        (B, H)            LSTM dL/dc carried back from step t + 1
    ``grads``     dict              W_xh (I, G·H), W_hh (H, G·H), b_h, W_hy (H, O), b_y
    ============  ================  =================================================
    """

    def __init__(self, cell, n_steps, batch_size, n_inputs, n_hidden, n_outputs, dense_inputs=False):
        if cell not in GATE_BLOCKS:
            raise ValueError(f"unknown cell {cell!r}; choose one of: {', '.join(GATE_BLOCKS)}")
        T, B = check_positive_int(n_steps, "n_steps"), check_positive_int(batch_size, "batch_size")
        I, H = check_positive_int(n_inputs, "n_inputs"), check_positive_int(n_hidden, "n_hidden")
        O, G = check_positive_int(n_outputs, "n_outputs"), GATE_BLOCKS[cell]
        self.cell, self.sizes, self.batch_size = cell, (T, I, H, O), B
        shapes = {"a": (T, B, G * H), "hs": (T + 1, B, H), "ys": (T, B, O), "dys": (T, B, O), "dhs": (T, B, H),
                  "da": (T, B, G * H), "rec": (B, G * H), "step": (4, B, H), "dc": (B, H)}
        if cell == "lstm":
            shapes.update(cs=(T + 1, B, H), tanh_c=(T, B, H))
        if cell == "gru":
            shapes.update(reset=(T, B, H), rec_n=(B, H))
        if dense_inputs:
            shapes["xs"] = (T, B, I)
        check_bytes(8 * sum(math.prod(shape) for shape in shapes.values()),
                    f"a {cell} workspace for T={T}, B={B}, I={I}, H={H}, O={O}", "use smaller sizes or batches")
        self.shapes = shapes
        for name, shape in shapes.items():
            setattr(self, name, np.zeros(shape))
        grad_shapes = {"W_xh": (I, G * H), "W_hh": (H, G * H), "b_h": (G * H,), "W_hy": (H, O), "b_y": (O,)}
        self.grads = {key: np.zeros(shape) for key, shape in grad_shapes.items()}
        self.saved = {key: np.zeros(shape) for key, shape in grad_shapes.items()}
        self._views = {}

    def for_batch(self, n_sequences):
        """The buffers for a batch of ``n_sequences`` <= B: self, or views of the front of its memory."""
        if n_sequences == self.batch_size:
            return self
        if not 0 < n_sequences < self.batch_size:
            raise ValueError(f"workspace holds batches of at most {self.batch_size}, got {n_sequences}")
        if n_sequences not in self._views:
            view = object.__new__(CellWorkspace)
            view.__dict__.update(self.__dict__)
            view.batch_size, view._views = n_sequences, {}
            for name, shape in self.shapes.items():
                small = shape[:-2] + (n_sequences, shape[-1])
                setattr(view, name, getattr(self, name).reshape(-1)[: int(np.prod(small))].reshape(small))
            self._views[n_sequences] = view
        return self._views[n_sequences]

    @property
    def nbytes(self):
        """Total size of the buffers in bytes."""
        arrays = [getattr(self, name) for name in self.shapes] + [*self.grads.values(), *self.saved.values()]
        return sum(array.nbytes for array in arrays)


def forward(cell, W_hh, ws, code=0):
    """The recurrence over ``ws.a`` (x_t W_xh + b_h filled in) from ``ws.hs[0]`` (``ws.cs[0]``): hs, gates.

    ``code`` picks the vanilla cell's activation (vecmath.ACTIVATION_CODES); gated cells ignore it.
    """
    a, hs, rec = ws.a, ws.hs, ws.rec
    if cell == "rnn":
        for t in range(a.shape[0]):
            np.matmul(hs[t], W_hh, out=rec)
            k.rnn_forward(a[t], rec, hs[t + 1], code)
    elif cell == "lstm":
        for t in range(a.shape[0]):
            np.matmul(hs[t], W_hh, out=rec)
            k.lstm_forward(a[t], rec, ws.cs[t], ws.cs[t + 1], ws.tanh_c[t], hs[t + 1])
    else:
        n_hid = hs.shape[2]
        rec_rz = rec.reshape(-1)[:2 * n_hid * rec.shape[0]].reshape(rec.shape[0], 2 * n_hid)  # contiguous (B, 2H)
        W_rz, W_n = W_hh[:, :2 * n_hid], W_hh[:, 2 * n_hid:]
        for t in range(a.shape[0]):
            np.matmul(hs[t], W_rz, out=rec_rz)
            k.gru_forward_gates(a[t], rec_rz, hs[t], ws.reset[t])
            np.matmul(ws.reset[t], W_n, out=ws.rec_n)
            k.gru_forward_state(a[t], ws.rec_n, hs[t], hs[t + 1])


def backward(cell, W_hh, ws, grads, code=0):
    """Backpropagation through time from ``ws.dhs``: ``ws.da`` (T, B, G·H), grads["W_hh"] and grads["b_h"].

    No gradient flows into the initial state (truncated BPTT). dW_xh is the caller's: X^T dA
    for dense inputs, a scatter-add over the token ids for a language model.
    """
    a, hs, da, dhs = ws.a, ws.hs, ws.da, ws.dhs
    n_steps, n_seq, n_hid = dhs.shape
    carry, carry_direct, dh, d_reset = ws.step
    carry.fill(0.0)
    if cell == "rnn":
        for t in range(n_steps - 1, -1, -1):
            k.rnn_backward(dhs[t], carry, hs[t + 1], da[t], code)
            if t > 0:
                np.matmul(da[t], W_hh.T, out=carry)
    elif cell == "lstm":
        ws.dc.fill(0.0)
        for t in range(n_steps - 1, -1, -1):
            k.lstm_backward(dhs[t], carry, ws.dc, a[t], ws.cs[t], ws.tanh_c[t], da[t])
            if t > 0:
                np.matmul(da[t], W_hh.T, out=carry)
    else:
        carry_direct.fill(0.0)
        W_rz_t, W_n_t = W_hh[:, :2 * n_hid].T, W_hh[:, 2 * n_hid:].T
        for t in range(n_steps - 1, -1, -1):
            k.gru_backward_state(dhs[t], carry, carry_direct, a[t], hs[t], dh, da[t])
            np.matmul(da[t, :, 2 * n_hid:], W_n_t, out=d_reset)
            k.gru_backward_reset(d_reset, dh, a[t], hs[t], da[t], carry_direct)
            if t > 0:
                np.matmul(da[t, :, :2 * n_hid], W_rz_t, out=carry)
    rows = n_steps * n_seq
    da_rows, h_prev = da.reshape(rows, -1), hs[:-1].reshape(rows, n_hid)
    if cell == "gru":
        g_hh = grads["W_hh"]  # two products straight into the blocks (strided rows: still BLAS, no temporaries)
        np.matmul(h_prev.T, da_rows[:, :2 * n_hid], out=g_hh[:, :2 * n_hid])
        np.matmul(ws.reset.reshape(rows, n_hid).T, da_rows[:, 2 * n_hid:], out=g_hh[:, 2 * n_hid:])
    else:
        np.matmul(h_prev.T, da_rows, out=grads["W_hh"])
    k.sum_rows(da_rows, grads["b_h"])


def output_forward(ws, W_hy, b_y):
    """ys = h_t W_hy + b_y for every step at once: one (T·B, H) × (H, O) product into ``ws.ys``."""
    n_hid = ws.hs.shape[2]
    ys = ws.ys.reshape(-1, ws.ys.shape[2])
    np.matmul(ws.hs[1:].reshape(-1, n_hid), W_hy, out=ys)
    k.add_bias_rows(ys, b_y)
    return ys


def output_backward(ws, W_hy, grads):
    """From ``ws.dys``: grads["W_hy"] = H^T dY, grads["b_y"] = Σ dY, and ``ws.dhs`` = dY W_hy^T."""
    n_hid = ws.hs.shape[2]
    dys = ws.dys.reshape(-1, ws.dys.shape[2])
    np.matmul(ws.hs[1:].reshape(-1, n_hid).T, dys, out=grads["W_hy"])
    k.sum_rows(dys, grads["b_y"])
    np.matmul(dys, W_hy.T, out=ws.dhs.reshape(-1, n_hid))
