"""Fast training epochs: the same numbers as the reference, without the interpreter in the loop.

Dimensions: N sequences, B per batch, T time steps, I inputs, H hidden, O outputs.
The model and the loss are those of ``rnn.py`` and ``losses.mse_loss``:

    h_t = act(x_t @ W_xh + h_{t-1} @ W_hh + b_h),   y_t = h_t @ W_hy + b_y,   h_0 = 0
    L   = mean over t and o of (y_t - target_t)**2

``sgd_epoch`` updates the weights after every sequence, exactly like looping
``rnn.forward`` / ``losses.mse_loss`` / ``rnn.backward`` / ``optim.sgd_step``, but
the whole epoch runs in one numba-compiled function with explicit loops (numba's
``np.dot`` needs SciPy, and the loops are the lesson). It writes only into a
:class:`~rnn_lesson.workspace.Workspace`, so nothing is allocated per sequence.

``minibatch_epoch`` is a different algorithm: one update per batch of B sequences,
with the gradient of the batch's mean loss. Its matrix products are (B, H) @ (H, H)
and bigger, large enough for BLAS (NumPy's ``matmul`` with ``out=``, writing into
the workspace). Only the recurrence is done step by step; x_t W_xh, dW_xh and dW_hh
are each one product over all T * B rows. numba does everything else, row by row
in one pass per step: the activation (with an ``exp`` written so that it vectorises,
as libm's does not), the tiny output layer, the gradient through the activation and
the bias and W_hy gradients. See benchmarks/README.md for where the time goes.

Both raise FloatingPointError, and put the weights back as they were before the
epoch, if a loss or a weight stops being finite: never NaN weights.

Compilation: the kernels are compiled on first use (3 to 6 s for both epochs on a 2-core
laptop, once for all activations) and cached on disk (see :func:`numba_cache_dir`), so later sessions
load them in a fraction of that.
"""
import math
import os
import pathlib
import tempfile

import numba
import numpy as np
from numba import types
from numba.extending import intrinsic

from .activations import ACTIVATIONS, get_activation
from .rnn import PARAM_NAMES, param_sizes
from .shapes import check_positive_float, check_positive_int, check_shape
from .workspace import Workspace

__all__ = ["Workspace", "sgd_epoch", "minibatch_epoch", "numba_cache_dir", "CACHE_DIR"]

ACTIVATION_CODES = {name: code for code, name in enumerate(ACTIVATIONS)}  # tanh 0, sigmoid 1, relu 2, identity 3


# --- where numba may keep compiled code ------------------------------------------------------

def _writable(directory):
    """True when a file can be created in ``directory`` (made if missing)."""
    try:
        os.makedirs(directory, exist_ok=True)
        tempfile.TemporaryFile(dir=directory).close()
        return True
    except OSError:
        return False


def numba_cache_dir(package_dir, environ, writable=_writable):
    """Decide where numba caches compiled kernels; returns a directory or None (no caching).

    1. ``NUMBA_CACHE_DIR`` set by the user: theirs.
    2. The package's own ``__pycache__`` when it is writable (an editable or user install).
    3. Otherwise (read-only site-packages) a per-user folder,
       ``$XDG_CACHE_HOME/rnn_lesson/numba`` or ``~/.cache/rnn_lesson/numba``.
    4. None when nothing is writable: kernels are then compiled in every session.
    """
    if environ.get("NUMBA_CACHE_DIR"):
        return environ["NUMBA_CACHE_DIR"]
    in_tree = pathlib.Path(package_dir) / "__pycache__"
    if writable(in_tree):
        return str(in_tree)
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    user = os.path.join(base, "rnn_lesson", "numba")
    return user if writable(user) else None


CACHE_DIR = numba_cache_dir(pathlib.Path(__file__).parent, os.environ)
if CACHE_DIR is not None and not CACHE_DIR.endswith("__pycache__") and not os.environ.get("NUMBA_CACHE_DIR"):
    os.environ["NUMBA_CACHE_DIR"] = CACHE_DIR  # read-only install: point numba at the user folder
    numba.config.CACHE_DIR = CACHE_DIR


# Let LLVM fuse multiply-adds and reorder sums (so short loops vectorise), but keep NaN and inf
# semantics: the divergence checks rely on them. Results differ from NumPy's in the last bits only.
FASTMATH = {"contract", "reassoc", "nsz"}


def _compile(function=None, **options):
    """numba.njit with on-disk caching when a cache folder is writable, else without.

    ``options`` go to numba.njit (fastmath defaults to FASTMATH). As ``@_compile`` or ``@_compile(...)``.
    """
    if function is None:
        return lambda f: _compile(f, **options)
    options = {"fastmath": FASTMATH, **options}
    if CACHE_DIR is None:
        return numba.njit(cache=False, **options)(function)
    try:
        return numba.njit(cache=True, **options)(function)
    except RuntimeError:  # numba found no cache locator after all
        return numba.njit(cache=False, **options)(function)


# --- the activations, one number at a time (codes from ACTIVATION_CODES) ---------------------

@_compile
def _act(z, code):
    """act(z) for one number. tanh is written 1 - 2 / (1 + exp(2z)): it agrees with
    libm's tanh to about 1e-16 and costs a third as much (exp is the fast one)."""
    if code == 0:
        return 1.0 - 2.0 / (1.0 + math.exp(2.0 * z))
    if code == 1:  # the overflow-free sigmoid of activations.sigmoid
        e = math.exp(-abs(z))
        return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
    if code == 2:
        return z if z > 0.0 else 0.0
    return z


@_compile
def _act_derivative(a, code):
    """f'(z) from the output a = f(z), as in activations.py."""
    if code == 0:
        return 1.0 - a * a
    if code == 1:
        return a * (1.0 - a)
    if code == 2:
        return 1.0 if a > 0.0 else 0.0
    return 1.0


# --- exp, tanh and sigmoid that vectorise ----------------------------------------------------
#
# numba turns math.exp into a call to libm, one number at a time (it vectorises exp only with
# Intel's SVML library, which the course does not install). Written with +, *, a comparison and
# a bit shift, exp vectorises like any other loop: four numbers per AVX2 instruction.

def _bitcast(context, builder, signature, args):
    """LLVM code for a reinterpretation of the argument's 64 bits as the return type (no instructions)."""
    return builder.bitcast(args[0], context.get_value_type(signature.return_type))


@intrinsic
def _float_from_bits(typingctx, bits):
    """The float64 whose IEEE 754 bit pattern is the int64 ``bits``."""
    return types.float64(types.int64), _bitcast


@intrinsic
def _bits_of_float(typingctx, value):
    """The IEEE 754 bit pattern of the float64 ``value``, as an int64."""
    return types.int64(types.float64), _bitcast


ROUNDER = 1.5 * 2.0**52          # x + ROUNDER rounds x to an integer k, kept in the low bits of the sum
LOG2_E = 1.4426950408889634      # 1 / ln 2
LN2_HI = 0.6931471803691238      # ln 2 = LN2_HI + LN2_LO; LN2_HI ends in 21 zero bits: k * LN2_HI is exact
LN2_LO = 1.9082149292705877e-10
VECTOR = {"fastmath": {"contract"}, "error_model": "numpy"}  # no reassoc: it would fold (x + ROUNDER) - ROUNDER


EXP_TAYLOR = tuple(1.0 / math.factorial(n) for n in range(14))  # 1 / n!, n = 0 ... 13


@_compile(**VECTOR)
def _exp(x):
    """e**x to within 2 units in the last place, for |x| <= 700 (x is clamped there; NaN stays NaN).

    e**x = 2**k * e**r with k = round(x / ln 2) and |r| <= ln(2) / 2. e**r is its Taylor
    series to r**13 / 13! (the next term is below 5e-18), summed in pairs (Estrin's
    scheme: shorter chains of dependent multiply-adds than Horner's rule, so more of them run
    at once). 2**k is built directly: exponent bits k + 1023, shifted into place.
    """
    x = min(max(x, -700.0), 700.0)
    shifted = x * LOG2_E + ROUNDER
    k = shifted - ROUNDER
    r = (x - k * LN2_HI) - k * LN2_LO
    c = EXP_TAYLOR
    r2 = r * r
    r4 = r2 * r2
    low = (c[0] + c[1] * r) + (c[2] + c[3] * r) * r2 + ((c[4] + c[5] * r) + (c[6] + c[7] * r) * r2) * r4
    high = (c[8] + c[9] * r) + (c[10] + c[11] * r) * r2 + (c[12] + c[13] * r) * r4
    two_to_k = _float_from_bits((_bits_of_float(shifted) - _bits_of_float(ROUNDER) + 1023) << 52)
    return (low + high * (r4 * r4)) * two_to_k


@_compile(**VECTOR)
def _tanh(z):
    """tanh z = 1 - 2 / (1 + e**(2z)): within 4e-16 of np.tanh (1 or -1 exactly beyond |z| = 20)."""
    return 1.0 - 2.0 / (1.0 + _exp(2.0 * z))


@_compile(**VECTOR)
def _sigmoid(z):
    """1 / (1 + e**(-z)); _exp's clamp keeps it finite (about 1e-304 at the far left)."""
    return 1.0 / (1.0 + _exp(-z))


# --- the batched steps: (B, H) blocks, everything but the big matrix products ----------------
#
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


# --- one sequence at a time ------------------------------------------------------------------

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


# --- checks at the door ----------------------------------------------------------------------

def _as_float64(value, name, ndim):
    """A C-contiguous float64 array (converting if needed) with ``ndim`` dimensions, or TypeError/ValueError."""
    array = np.asarray(value)
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions (N, T, features), got shape {array.shape}")
    return np.ascontiguousarray(array, dtype=np.float64)


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


def _check_inputs(params, X, Y, learning_rate, activation):
    """Validate everything once per epoch; returns X, Y, (N, T, I, H, O), the activation code."""
    n_inputs, n_hidden, n_outputs = param_sizes(params)
    for key in PARAM_NAMES:
        if not params[key].flags.writeable:
            raise ValueError(f"params[{key!r}] is read-only; training updates it in place")
    if not _all_finite(params):
        bad = next(key for key in PARAM_NAMES if not np.isfinite(params[key]).all())
        raise ValueError(f"params[{bad!r}] contains NaN or inf; re-initialise the weights")
    X = _as_float64(X, "X", 3)
    Y = _as_float64(Y, "Y", 3)
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must hold at least one sequence of at least one step, got shape {X.shape}")
    check_shape(X, (None, None, n_inputs), f"X (N, T, I) for params with I = {n_inputs}")
    check_shape(Y, (X.shape[0], X.shape[1], n_outputs), f"Y (N, T, O) for X of shape {X.shape} and O = {n_outputs}")
    for name, array in (("X", X), ("Y", Y)):
        if not _finite(array):
            index = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
            raise ValueError(f"{name}{list(index)} is {array[index]}: the data must be finite numbers")
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
    rl.sgd_step, to about 1e-12.

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
    batch_size = check_positive_int(batch_size, "batch_size")
    ws = _workspace(workspace, sizes, batch_size)
    _save(params, ws)
    n_seq = sizes[0]
    total = 0.0
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is caught below, with a clear error
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
