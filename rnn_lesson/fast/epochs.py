"""The public training epochs: checks at the door, one compiled pass, and no NaN weights ever left behind.

Dimensions: N sequences, B per batch, T time steps, I inputs, H hidden, O outputs.
The model and the loss are those of ``rnn.py`` and ``losses.mse_loss``:

    h_t = act(x_t @ W_xh + h_{t-1} @ W_hh + b_h),   y_t = h_t @ W_hy + b_y,   h_0 = 0
    L   = mean over t and o of (y_t - target_t)**2

:func:`sgd_epoch` updates the weights after every sequence (the kernel of ``sequence.py``);
:func:`minibatch_epoch` once per batch of B sequences, with the gradient of the batch's
mean loss (the step of ``batch.py``). Both check everything once per epoch before any
weight moves (shapes, dtypes, read-only or non-finite weights, NaN or inf in the data,
naming the entry), copy the weights into the workspace's ``saved`` buffers, and raise
FloatingPointError, with the weights put back as they were before the epoch, if a loss or
a weight stops being finite: never NaN weights.
"""
import math

import numpy as np

from ..activations import get_activation
from ..rnn import PARAM_NAMES, param_sizes
from ..shapes import as_float_array, check_no_unused_keys, check_positive_float, check_positive_int, check_shape
from .batch import _batch_step
from .jit import _compile
from .sequence import _sgd_kernel
from ..blas import one_blas_thread
from .vecmath import ACTIVATION_CODES
from .workspace import Workspace


# --- checks at the door ----------------------------------------------------------------------

def _as_float64(value, name):
    """X or Y as a C-contiguous float64 array of shape (N, T, features), or TypeError/ValueError naming it.

    ``as_float_array`` converts and refuses what is not real numbers; finiteness is left to
    the compiled pass in :func:`_check_inputs`, whose message names the first bad entry.
    """
    try:
        array = as_float_array(value, name, finite=False)
    except TypeError as error:  # said as the epochs always have: real numbers, and the dtype found
        raise TypeError(f"{name} must hold real numbers, got dtype {np.asarray(value).dtype}") from error
    if array.ndim != 3:
        raise ValueError(f"{name} must have 3 dimensions (N, T, features), got shape {array.shape}")
    return np.ascontiguousarray(array)


@_compile
def _finite(array):
    """True when every entry of the array is finite (one pass, stops at the first NaN or inf)."""
    for value in array.flat:
        if not math.isfinite(value):
            return False
    return True


def _all_finite(params):
    """True when every weight is a finite number (one cheap pass over the weights)."""
    return all(_finite(params[key]) for key in PARAM_NAMES)


def _check_data(X, Y, n_inputs, n_outputs):
    """X (N, T, I) and Y (N, T, O) as C-contiguous float64 arrays of finite numbers, or an error naming the entry."""
    X = _as_float64(X, "X")
    Y = _as_float64(Y, "Y")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must hold at least one sequence of at least one step, got shape {X.shape}")
    check_shape(X, (None, None, n_inputs), f"X (N, T, I) for params with I = {n_inputs}")
    check_shape(Y, (X.shape[0], X.shape[1], n_outputs), f"Y (N, T, O) for X of shape {X.shape} and O = {n_outputs}")
    for name, array in (("X", X), ("Y", Y)):
        if not _finite(array):
            index = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
            raise ValueError(f"{name}{list(index)} is {array[index]}: the data must be finite numbers")
    return X, Y


def _check_inputs(params, X, Y, learning_rate, activation):
    """Validate everything once per epoch; returns X, Y, (N, T, I, H, O), the activation code."""
    n_inputs, n_hidden, n_outputs = param_sizes(params)
    check_no_unused_keys(params, PARAM_NAMES, "the fast vanilla epoch (one layer)")
    for key in PARAM_NAMES:
        if not params[key].flags.writeable:
            raise ValueError(f"params[{key!r}] is read-only; training updates it in place")
    if not _all_finite(params):
        bad = next(key for key in PARAM_NAMES if not np.isfinite(params[key]).all())
        raise ValueError(f"params[{bad!r}] contains NaN or inf; re-initialise the weights")
    X, Y = _check_data(X, Y, n_inputs, n_outputs)
    check_positive_float(learning_rate, "learning_rate")
    get_activation(activation)
    sizes = (X.shape[0], X.shape[1], n_inputs, n_hidden, n_outputs)
    return X, Y, sizes, ACTIVATION_CODES[activation]


def _diverged(params, saved, where):
    """Put the saved weights back and build the error for a non-finite loss or weight.

    ``where`` is the range of sequences whose loss was not finite, or None when
    only the weights at the end of the epoch were.
    """
    for key in PARAM_NAMES:
        params[key][...] = saved[key]
    undone = "the weights were put back as they were before this epoch"
    if where is None:
        return FloatingPointError(f"the weights stopped being finite during this epoch; {undone}. "
                                  "Lower the learning rate or clip the gradients.")
    what = (f"sequence {where.start}" if where.stop - where.start == 1
            else f"the batch of sequences {where.start}..{where.stop - 1}")
    return FloatingPointError(f"the loss of {what} is not finite: the weights have blown up. "
                              f"Lower the learning rate; {undone}")


def _save(params, ws):
    """Copy the weights into the workspace's ``saved`` buffers (no new memory)."""
    for key in PARAM_NAMES:
        np.copyto(ws.saved[key], params[key])


def _workspace(workspace, sizes, batch_size=None):
    _, T, I, H, O = sizes
    if workspace is None:
        return Workspace(T, I, H, O, batch_size)
    if not isinstance(workspace, Workspace):
        raise TypeError(f"workspace must be an rl.fast.Workspace, got {type(workspace).__name__}")
    workspace.check_fits(T, I, H, O, batch_size)
    return workspace


# --- the public epochs -----------------------------------------------------------------------

def sgd_epoch(params, X, Y, learning_rate, activation="tanh", workspace=None):
    """One epoch of per-sequence SGD on the MSE loss, updating ``params`` in place.

    X (N, T, I) and Y (N, T, O) are float64 (other real dtypes are converted);
    the sequences are taken in order, and after each one the weights move by
    ``-learning_rate * gradient`` of that sequence's loss (mean over T and O):
    the same numbers as looping rl.forward / rl.mse_loss / rl.backward /
    rl.sgd_step, up to rounding: the tests hold each weight to within
    1e-12 + 1e-10 times its size and the loss to 1e-10 relative (on seeded
    cases the weights differ by less than 1e-15, the losses by about 1e-15
    relative: the fused multiply-adds and the order of sums of FASTMATH).

    ``workspace`` is an optional :class:`Workspace(T, I, H, O)` to reuse
    between epochs; one is made otherwise (then the only allocation of the
    epoch). Its ``saved`` buffers keep the weights of the epoch's start.

    Returns the mean over the N sequences of each sequence's loss, measured in
    its forward pass (before its own update): the usual "training loss of the
    epoch". Raises FloatingPointError if a loss or weight stops being finite;
    the weights are then put back as they were before the epoch.
    """
    X, Y, sizes, code = _check_inputs(params, X, Y, learning_rate, activation)
    ws = _workspace(workspace, sizes)
    _save(params, ws)
    g = ws.grads
    first_bad, total = _sgd_kernel(params["W_xh"], params["W_hh"], params["W_hy"], params["b_h"], params["b_y"],
                                   X, Y, float(learning_rate), code, ws.hs, ws.ys, ws.dys, ws.dz, ws.dh_next,
                                   g["W_xh"], g["W_hh"], g["W_hy"], g["b_h"], g["b_y"])
    if first_bad >= 0:
        raise _diverged(params, ws.saved, slice(first_bad, first_bad + 1))
    if not _all_finite(params):
        raise _diverged(params, ws.saved, None)
    return total / sizes[0]


def minibatch_epoch(params, X, Y, learning_rate, batch_size, activation="tanh", workspace=None):
    """One epoch of mini-batch SGD on the MSE loss, updating ``params`` in place.

    The sequences are cut in order into batches of ``batch_size`` (the last
    one may be smaller); each batch makes one step down the gradient of its
    loss, the mean over the batch's sequences, T and O. With batch_size=1 this
    is ``sgd_epoch``; otherwise it is a different algorithm (fewer, averaged
    steps), whose reference is ``rl.performance.minibatch_epoch_reference``.

    ``workspace`` is an optional :class:`Workspace(T, I, H, O, batch_size=B)`
    with B >= batch_size. Returns the mean over the N sequences of the loss of
    the batch each belonged to. Raises FloatingPointError, with the weights put
    back as before the epoch, if a loss or weight stops being finite.
    """
    X, Y, sizes, code = _check_inputs(params, X, Y, learning_rate, activation)
    batch_size = min(check_positive_int(batch_size, "batch_size"), sizes[0])  # one batch of all N at most
    ws = _workspace(workspace, sizes, batch_size)
    _save(params, ws)
    n_seq = sizes[0]
    total = 0.0
    with np.errstate(over="ignore", invalid="ignore"), one_blas_thread():  # an overflow is caught below
        for start in range(0, n_seq, batch_size):
            stop = min(start + batch_size, n_seq)
            loss = _batch_step(params, X[start:stop], Y[start:stop], float(learning_rate), code,
                               ws.for_batch(stop - start))
            if not math.isfinite(loss):
                raise _diverged(params, ws.saved, slice(start, stop))
            total += loss * (stop - start)
    if not _all_finite(params):
        raise _diverged(params, ws.saved, None)
    return total / n_seq
