"""The language model's loss and gradients for one chunk of text, compiled: ``lm_loss_and_grads``.

Dimensions: T steps, B sequences, V characters in the vocabulary, H hidden, G gate blocks.
The contract shared with the reference (a cell of ``rnn_lesson/cells`` on one-hot inputs, a
linear layer and ``losses.softmax_cross_entropy``):

    a_t  = onehot(inputs_t) W_xh + b_h = W_xh[inputs_t] + b_h    a row lookup, never a one-hot matrix
    h_t  = cell(a_t, h_{t-1}),   y_t = h_t W_hy + b_y,   p_t = softmax(y_t)
    L    = (1 / (T B)) Σ_t Σ_b -log p_t[b, targets_t[b]]          dL/dy_t = (p_t - onehot(targets_t)) / (T B)
    dW_xh = onehot(inputs)^T dA: a scatter-add of the rows of dA onto the rows of the inputs' ids

The state after the last step is returned as fresh arrays for the next chunk (truncated BPTT:
no gradient flows back into the state given).
"""
import math

import numpy as np

from ..numerics import check_finite, check_finite_dict, named_overflow
from ..shapes import check_no_unused_keys
from .jit import VECTOR, _compile
from .vecmath import _exp
from . import gate_kernels as k
from .recurrence import GATE_BLOCKS, CellWorkspace, backward, forward, output_backward, output_forward

PARAM_NAMES = ("W_xh", "W_hh", "b_h", "W_hy", "b_y")


@_compile(**VECTOR)
def softmax_cross_entropy_rows(logits, targets, dlogits):
    """The mean over the K rows of -log softmax(logits)[target]; dlogits (K, V) <- its gradient.

    log p = (y - max y) - log Σ exp(y - max y);  dL/dy = (p - onehot(target)) / K.
    """
    n_rows = logits.shape[0]
    total = 0.0
    for row in range(n_rows):
        y, d = logits[row], dlogits[row]
        top = y[0]
        for v in range(1, y.shape[0]):
            top = max(top, y[v])
        norm = 0.0
        for v in range(y.shape[0]):
            d[v] = _exp(y[v] - top)
            norm += d[v]
        total += math.log(norm) - (y[targets[row]] - top)
        scale = 1.0 / (norm * n_rows)
        for v in range(y.shape[0]):
            d[v] *= scale
        d[targets[row]] -= 1.0 / n_rows
    return total / n_rows


def _check_ids(ids, name, n_vocab, shape=None):
    """``ids`` as a C-contiguous int64 array (T, B) of values in [0, V), or an error naming the first bad one."""
    array = np.asarray(ids)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} must hold integer character ids, got dtype {array.dtype}")
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"{name} must have shape (T, B), time-major, with T, B >= 1, got {array.shape}")
    if shape is not None and array.shape != shape:
        raise ValueError(f"{name} must have the shape of inputs {shape}, got {array.shape}")
    bad = np.argwhere((array < 0) | (array >= n_vocab))
    if len(bad):
        where = tuple(int(i) for i in bad[0])
        raise ValueError(f"{name}[{where[0]}, {where[1]}] is {array[where]}: ids must lie in [0, {n_vocab})")
    return np.ascontiguousarray(array, dtype=np.int64)


def _check_params(cell, params):
    """(V, H) of a language model's params for ``cell``; TypeError/ValueError naming the key at fault."""
    if cell not in GATE_BLOCKS:
        raise ValueError(f"unknown cell {cell!r}; choose one of: {', '.join(GATE_BLOCKS)}")
    if not isinstance(params, dict) or any(key not in params for key in PARAM_NAMES):
        raise ValueError(f"params must be a dict with the keys {PARAM_NAMES}")
    check_no_unused_keys(params, PARAM_NAMES, "the fast language-model engine (one layer; a stack of layers "
                         "trains with engine='reference')")
    for key in PARAM_NAMES:
        if not isinstance(params[key], np.ndarray) or params[key].dtype != np.float64:
            raise TypeError(f"params[{key!r}] must be a float64 NumPy array")
    n_vocab, width = params["W_xh"].shape if params["W_xh"].ndim == 2 else (0, 0)
    gates = GATE_BLOCKS[cell]
    n_hid = width // gates
    expected = {"W_xh": (n_vocab, gates * n_hid), "W_hh": (n_hid, gates * n_hid), "b_h": (gates * n_hid,),
                "W_hy": (n_hid, n_vocab), "b_y": (n_vocab,)}
    for key, shape in expected.items():
        if n_hid == 0 or params[key].shape != shape:
            raise ValueError(f"params[{key!r}] has shape {params[key].shape}; cell={cell!r} with "
                             f"W_xh {params['W_xh'].shape} needs {shape} (V, H, G = {n_vocab}, {n_hid}, {gates})")
    return n_vocab, n_hid


def _check_state(cell, state, n_seq, n_hid):
    """The state as a tuple of (B, H) float64 arrays: (h0,), or (h0, c0) for the LSTM."""
    names = ("h0", "c0") if cell == "lstm" else ("h0",)
    if not isinstance(state, tuple) or len(state) != len(names):
        raise ValueError(f"state must be the tuple {'(h0, c0)' if cell == 'lstm' else '(h0,)'} for cell={cell!r}, "
                         f"got {type(state).__name__}" + (f" of {len(state)}" if isinstance(state, tuple) else ""))
    arrays = []
    for name, value in zip(names, state):
        array = np.asarray(value)
        if array.shape != (n_seq, n_hid) or not np.issubdtype(array.dtype, np.floating):
            raise ValueError(f"state {name} must be a float array of shape (B, H) = {(n_seq, n_hid)}, "
                             f"got {array.dtype} {array.shape}")
        if not np.all(np.isfinite(array)):
            raise ValueError(f"state {name} holds a non-finite value (NaN or inf): the previous chunk diverged")
        arrays.append(array)
    return arrays


@named_overflow
def lm_loss_and_grads(cell, params, inputs, targets, state, workspace=None):
    """Mean softmax cross-entropy of a chunk, its gradients and the state after it: (loss, grads, new_state).

    cell "rnn" (tanh) | "lstm" | "gru"; params W_xh (V, G·H), W_hh (H, G·H), b_h (G·H,),
    W_hy (H, V), b_y (V,); inputs, targets integer (T, B), time-major, ids in [0, V); state
    (h0,) or (h0, c0), each (B, H). Returns the loss (nats, mean over the T·B predictions),
    grads (a dict with the keys of params) and new_state (fresh arrays).

    ``workspace``: a ``CellWorkspace(cell, T, B, V, H, V)`` to reuse from chunk to chunk
    (nothing is then allocated but new_state); the grads returned are then its arrays,
    overwritten by the next call. Without one, a workspace is made for this call.
    """
    n_vocab, n_hid = _check_params(cell, params)
    inputs = _check_ids(inputs, "inputs", n_vocab)
    targets = _check_ids(targets, "targets", n_vocab, inputs.shape)
    n_steps, n_seq = inputs.shape
    state = _check_state(cell, state, n_seq, n_hid)
    ws = _workspace(workspace, cell, n_steps, n_seq, n_vocab, n_hid)
    ids, rows = inputs.reshape(-1), n_steps * n_seq
    a_rows = ws.a.reshape(rows, -1)
    k.gather_rows(params["W_xh"], ids, a_rows)
    k.add_bias_rows(a_rows, params["b_h"])
    ws.hs[0] = state[0]
    if cell == "lstm":
        ws.cs[0] = state[1]
    forward(cell, params["W_hh"], ws)
    logits = output_forward(ws, params["W_hy"], params["b_y"])
    loss = softmax_cross_entropy_rows(logits, targets.reshape(-1), ws.dys.reshape(rows, -1))
    grads = ws.grads
    output_backward(ws, params["W_hy"], grads)
    backward(cell, params["W_hh"], ws, grads)
    k.scatter_add_rows(ws.da.reshape(rows, -1), ids, grads["W_xh"])
    new_state = (ws.hs[-1].copy(), ws.cs[-1].copy()) if cell == "lstm" else (ws.hs[-1].copy(),)
    check_finite(np.array([loss]), "the chunk's loss", params, {"state": np.stack(state)})
    check_finite_dict(grads, "the chunk's gradients", params, {"state": np.stack(state)})
    return loss, dict(grads), new_state


def _workspace(workspace, cell, n_steps, n_seq, n_vocab, n_hid):
    if workspace is None:
        return CellWorkspace(cell, n_steps, n_seq, n_vocab, n_hid, n_vocab)
    if not isinstance(workspace, CellWorkspace):
        raise TypeError(f"workspace must be an rl.fast.CellWorkspace, got {type(workspace).__name__}")
    wanted = (n_steps, n_vocab, n_hid, n_vocab)
    if workspace.cell != cell or workspace.sizes != wanted or workspace.batch_size < n_seq:
        raise ValueError(f"workspace was made for cell={workspace.cell!r}, (T, V, H, V) = {workspace.sizes}, "
                         f"B <= {workspace.batch_size}; this chunk needs cell={cell!r}, {wanted}, B = {n_seq}")
    return workspace.for_batch(n_seq)
