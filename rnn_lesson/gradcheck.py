"""Numerical gradients by central differences: the reference for every backward pass.

For a function f whose output is an array and an upstream gradient df of the
same shape, the gradient of ``sum(f(x) * df)`` with respect to x is, entry by entry,

    grad[i] ~= sum((f(x + h e_i) - f(x - h e_i)) * df) / (2 h)

with error O(h**2). In float64 with h = 1e-5 a correct analytic gradient agrees
to a relative error of about 1e-9 or smaller; 1e-7 and above means a bug.
"""
import numpy as np

from .numerics import check_finite
from .rnn import PARAM_NAMES, forward, param_sizes
from .shapes import as_float_array, check_positive_float, check_shape

MAX_STEP = 1.0  # the largest h: the course uses 1e-5


def numerical_gradient(f, x, df=None, h=1e-5):
    """Central-difference gradient of ``sum(f(x) * df)`` with respect to the array ``x``.

    ``x`` is perturbed in place, one entry at a time, and restored. ``f`` takes
    x and returns an array (or a float, with ``df=None`` meaning 1).
    Returns an array shaped like x.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError("x must be a float64 NumPy array (perturbing other dtypes loses precision)")
    if not callable(f):
        raise TypeError(f"f must be a function of x, got {type(f).__name__}")
    as_float_array(x, "x")  # finite: a NaN x gives a NaN gradient, not a check
    h = check_positive_float(h, "h")
    if h > MAX_STEP:
        raise ValueError(f"h must be at most {MAX_STEP:g} (a difference quotient over a wider step is no "
                         f"derivative), got {h:g}")
    weight = 1.0 if df is None else as_float_array(df, "df")
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is named below
            x[index] = original + h
            plus = np.asarray(f(x), dtype=np.float64)
            x[index] = original - h
            minus = np.asarray(f(x), dtype=np.float64)
            x[index] = original
            grad[index] = np.sum((plus - minus) * weight) / (2 * h)
    return check_finite(grad, "numerical_gradient: the difference quotients")


def relative_error(analytic, numeric):
    """||a - n|| / (||a|| + ||n||) with Euclidean norms over all entries: a float in [0, 1].

    Taken over the whole array rather than entry by entry, so entries that are
    zero up to rounding (1e-12 against 3e-12) do not dominate; 0.0 when both are 0.
    """
    a = as_float_array(analytic, "analytic")
    n = as_float_array(numeric, "numeric")
    if a.shape != n.shape:
        raise ValueError(f"cannot compare shapes {a.shape} and {n.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        scale = np.linalg.norm(a) + np.linalg.norm(n)
        error = 0.0 if scale == 0 else float(np.linalg.norm(a - n) / scale)
        if not np.isfinite(error):  # entries near 1.8e308: the ratio does not change when both are divided
            largest = max(np.max(np.abs(a)), np.max(np.abs(n)))
            a, n = a / largest, n / largest
            error = float(np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n)))
    return error


def numerical_gradients(f, arrays, df=None, h=1e-5):
    """Numerical gradients of ``sum(f(arrays) * df)`` with respect to every array in the dict ``arrays``.

    ``f`` takes the dict itself and must read every input from it: each array
    is perturbed in place (and restored), so ``f`` sees the change. Returns a
    dict with the keys and shapes of ``arrays``, e.g. for a cell
    ``numerical_gradients(lambda a: forward(params_of(a), a["xs"], a["h0"])[0], {...}, dhs)``.
    """
    if not isinstance(arrays, dict):
        raise TypeError(f"arrays must be a dict name -> float64 array, got {type(arrays).__name__}")
    return {name: numerical_gradient(lambda _: f(arrays), value, df, h=h) for name, value in arrays.items()}


def numerical_rnn_gradients(params, xs, dys, h0=None, activation="tanh", h=1e-5):
    """Numerical gradients of ``sum(forward(params, xs)[0] * dys)`` for every parameter.

    Returns a dict with the keys and shapes of ``params``; compare it with
    ``backward(dys, cache)`` using ``relative_error``.
    """
    param_sizes(params)  # every key, float64, shapes that fit: named errors before any perturbation
    ys, _ = forward(params, xs, h0=h0, activation=activation)
    check_shape(as_float_array(dys, "dys", ndim=2), ys.shape, "dys")

    def outputs(weights):
        return forward(weights, xs, h0=h0, activation=activation)[0]

    return numerical_gradients(outputs, {k: params[k] for k in PARAM_NAMES}, dys, h=h)
