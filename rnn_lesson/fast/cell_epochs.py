"""Mini-batch SGD for any cell (rnn, lstm, gru) on the MSE loss, compiled: ``cell_minibatch_epoch``.

Dimensions: N sequences, B per batch, T steps, I inputs, H hidden, G gate blocks, O outputs.
The estimator's model (``models.network``: a cell of ``rnn_lesson/cells``, then a linear layer)
trained as its reference engine trains it, batch by batch in the order given:

    A   = X_batch W_xh + b_h          one (T·B, I) × (I, G·H) product for all steps
    hs  = the cell's recurrence over A (``recurrence.forward``),   ys = hs W_hy + b_y
    L   = mean over the batch, T and O of (ys - Y)²
    grads by ``recurrence.backward``, dW_xh = X^T dA (one product);   then ``rl.sgd_step``
    (with ``clip_norm``: clipped by global norm first, exactly as the reference)

``batch_size=None`` is per-sequence SGD (batches of one). All or nothing: if a loss, a gradient
or a weight stops being finite, the weights go back to the epoch's start and FloatingPointError
says where, as ``minibatch_epoch`` does for the vanilla cell.
"""
import math

import numpy as np

from ..cells import get_cell
from ..cells.common import cell_sizes, check_params
from ..rnn import PARAM_NAMES
from ..optim import sgd_step
from ..shapes import check_no_unused_keys, check_positive_float, check_positive_int, check_shape
from . import gate_kernels as k
from .batch import _output_gradient, _to_time_major
from .epochs import _all_finite, _check_data, _diverged, _save
from .recurrence import CellWorkspace, backward, forward, output_backward, output_forward
from ..blas import one_blas_thread
from .vecmath import ACTIVATION_CODES


def _check(cell, params, X, Y, learning_rate, activation, clip_norm):
    """Validate once per epoch; returns X, Y (float64, C-contiguous) and the sizes (N, T, I, H, O)."""
    check_params(params, PARAM_NAMES)
    check_no_unused_keys(params, PARAM_NAMES, f"the fast epoch of cell={cell!r}")
    n_inputs, n_hidden = cell_sizes(params, get_cell(cell).GATES)
    check_shape(params["W_hy"], (n_hidden, None), "params['W_hy']")
    n_outputs = params["W_hy"].shape[1]
    check_shape(params["b_y"], (n_outputs,), "params['b_y']")
    for key in params:
        if not params[key].flags.writeable:
            raise ValueError(f"params[{key!r}] is read-only; training updates it in place")
    if not _all_finite(params):
        raise ValueError("params contain NaN or inf; re-initialise the weights")
    X, Y = _check_data(X, Y, n_inputs, n_outputs)
    check_positive_float(learning_rate, "learning_rate")
    if clip_norm is not None:
        check_positive_float(clip_norm, "clip_norm")
    if activation not in ACTIVATION_CODES or (cell != "rnn" and activation != "tanh"):
        raise ValueError(f"cell={cell!r} trains with activation 'tanh'" + (
            f" or {', '.join(map(repr, ACTIVATION_CODES))}" if cell == "rnn" else "") + f", got {activation!r}")
    return X, Y, (X.shape[0], X.shape[1], n_inputs, n_hidden, n_outputs)


def batch_loss_and_grads(cell, params, X_batch, Y_batch, ws, code=0):
    """The batch's MSE and, if it is finite, its gradients in ``ws.grads``; returns the loss.

    X_batch (b, T, I), Y_batch (b, T, O) with b the workspace's batch size (``ws.for_batch(b)``).
    """
    rows = ws.xs.shape[0] * ws.xs.shape[1]
    _to_time_major(X_batch, ws.xs)
    x_rows, a_rows = ws.xs.reshape(rows, -1), ws.a.reshape(rows, -1)
    np.matmul(x_rows, params["W_xh"], out=a_rows)
    k.add_bias_rows(a_rows, params["b_h"])
    ws.hs[0] = 0.0
    if cell == "lstm":
        ws.cs[0] = 0.0
    forward(cell, params["W_hh"], ws, code)
    output_forward(ws, params["W_hy"], params["b_y"])
    loss = _output_gradient(ws.ys, Y_batch.transpose(1, 0, 2), ws.dys)
    if math.isfinite(loss):
        output_backward(ws, params["W_hy"], ws.grads)
        backward(cell, params["W_hh"], ws, ws.grads, code)
        np.matmul(x_rows.T, ws.da.reshape(rows, -1), out=ws.grads["W_xh"])
    return loss


def cell_minibatch_epoch(params, X, Y, learning_rate, batch_size=None, cell="lstm", activation="tanh",
                         clip_norm=None, workspace=None):
    """One epoch of mini-batch SGD on the MSE loss for ``cell``, updating ``params`` in place.

    params: W_xh (I, G·H), W_hh (H, G·H), b_h (G·H,), W_hy (H, O), b_y (O,); X (N, T, I), Y (N, T, O).
    The sequences are cut in order into batches of ``batch_size`` (None: one sequence at a time);
    each batch makes one ``rl.sgd_step`` down the gradient of its mean loss, clipped to
    ``clip_norm`` if given. ``workspace``: a ``CellWorkspace(cell, T, B, I, H, O, dense_inputs=True)``
    to reuse between epochs. Returns the mean over the N sequences of their batch's loss; raises
    FloatingPointError, with the weights put back as before the epoch, if training diverges.
    """
    X, Y, sizes = _check(cell, params, X, Y, learning_rate, activation, clip_norm)
    n_seq, n_steps, n_in, n_hid, n_out = sizes
    batch_size = 1 if batch_size is None else min(check_positive_int(batch_size, "batch_size"), n_seq)
    ws = workspace or CellWorkspace(cell, n_steps, batch_size, n_in, n_hid, n_out, dense_inputs=True)
    if not isinstance(ws, CellWorkspace) or ws.cell != cell or ws.sizes != sizes[1:] or ws.batch_size < batch_size \
            or not hasattr(ws, "xs"):
        raise ValueError(f"workspace must be a CellWorkspace({cell!r}, T, B >= {batch_size}, I, H, O, "
                         f"dense_inputs=True) with (T, I, H, O) = {sizes[1:]}")
    _save(params, ws)
    code, total = ACTIVATION_CODES[activation], 0.0
    with np.errstate(over="ignore", invalid="ignore"), one_blas_thread():  # an overflow is caught below
        for start in range(0, n_seq, batch_size):
            stop = min(start + batch_size, n_seq)
            view = ws.for_batch(stop - start)
            loss = batch_loss_and_grads(cell, params, X[start:stop], Y[start:stop], view, code)
            if not math.isfinite(loss):
                raise _diverged(params, ws.saved, slice(start, stop))
            try:
                sgd_step(params, {key: ws.grads[key] for key in params}, learning_rate, clip_norm=clip_norm)
            except FloatingPointError as error:  # a gradient that is not finite
                _diverged(params, ws.saved, None)  # puts the weights back
                raise FloatingPointError(f"batch of sequences {start}..{stop - 1}: {error}; the weights were put "
                                         "back as they were before this epoch. Lower the learning rate or clip "
                                         "the gradients.") from None
            total += loss * (stop - start)
    if not _all_finite(params):
        raise _diverged(params, ws.saved, None)
    return total / n_seq
