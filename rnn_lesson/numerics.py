"""Results that must be finite: a NaN or an overflow is refused where it appears, saying what overflowed.

A forward or backward pass whose inputs were checked finite can still end in
inf or NaN: a non-finite weight, or an intermediate value beyond float64's
range (1.8e308; e.g. a weight of 1e308 times a hidden state of 2). Rather
than hand the learner NaN outputs, ``check_finite`` stops there with
``NumericOverflow``, naming the result, where it first stops being finite,
and the cause: the weight that is not finite, else the largest weight.

``NumericOverflow`` is both a ``FloatingPointError`` (so training reports it
as a divergence, ``rl.TrainingDiverged``) and a ``ValueError`` (bad input:
the command line's exit code 2).
"""
import functools

import numpy as np


class NumericOverflow(FloatingPointError, ValueError):
    """A result that is not finite although the inputs were checked: says what overflowed and why."""


def check_finite(array, what, params=None, inputs=None):
    """``array`` itself if every entry is finite; else NumericOverflow naming ``what``, the entry, the cause.

    ``params``: the weights used (a dict of arrays), and ``inputs`` (a dict of
    the other arrays it was computed from), searched for the cause.
    """
    if np.all(np.isfinite(array)):
        return array
    array = np.asarray(array)
    index = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
    raise NumericOverflow(f"{what} went non-finite ({array[index]} at index {index}): {cause(params, inputs)}")


def check_real(value, name):
    """TypeError unless ``value`` is an array (or number) of real numbers: not strings, bools, objects, complex."""
    kind = np.asarray(value).dtype.kind
    if kind not in "fiu":
        what = {"b": "booleans", "c": "complex numbers", "U": "strings", "S": "bytes", "O": "Python objects"}
        raise TypeError(f"{name} must hold real numbers, got {what.get(kind, 'dtype ' + kind)}")
    return value


def check_finite_dict(arrays, what, params=None, inputs=None):
    """``check_finite`` on every array of a dict (gradients), named ``what[key]``; returns the dict."""
    for key, array in arrays.items():
        check_finite(array, f"{what}[{key!r}]", params, inputs)
    return arrays


def cause(params, inputs=None):
    """Why a result overflowed, in words: a non-finite input or weight, else the largest weight (either may be None)."""
    for key, value in (inputs or {}).items():
        value = np.asarray(value)
        if np.issubdtype(value.dtype, np.number) and not np.all(np.isfinite(value)):
            index = tuple(int(i) for i in np.argwhere(~np.isfinite(value))[0])
            return f"{key} holds {value[index]} at index {index}"
    arrays = {key: np.asarray(value) for key, value in (params or {}).items()
              if isinstance(value, np.ndarray) and value.size and np.issubdtype(value.dtype, np.number)}
    for key, value in arrays.items():
        if not np.all(np.isfinite(value)):
            index = tuple(int(i) for i in np.argwhere(~np.isfinite(value))[0])
            return f"params[{key!r}] holds {value[index]} at index {index}"
    reason = "an intermediate value overflowed float64's range (1.8e308)"
    if arrays:
        key = max(arrays, key=lambda k: float(np.max(np.abs(arrays[k]))))
        reason += f"; the largest weight is |params[{key!r}]| = {float(np.max(np.abs(arrays[key]))):.3g}"
    return reason


def finite_mean(values, what):
    """The mean of ``values`` as a float, computed so that a sum beyond float64's range does not spoil it.

    ``np.mean`` first (the same bits as always); if that overflows while every
    entry is finite, the entries are divided by the largest magnitude first
    (the mean of 1e308 and 1e308 is 1e308, not inf). NumericOverflow naming
    ``what`` if an entry itself is not finite or the mean is beyond the range.
    """
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        mean = np.mean(values)
        if np.isfinite(mean):
            return float(mean)
        if np.all(np.isfinite(values)):
            largest = np.max(np.abs(values))
            mean = np.mean(values / largest) * largest
            if np.isfinite(mean):
                return float(mean)
    bad = values[~np.isfinite(values)]
    found = f"an entry is {bad.flat[0]}" if bad.size else "the mean itself is beyond it"
    raise NumericOverflow(f"{what} overflowed float64's range (1.8e308): {found}")


def named_overflow(function):
    """Decorator: run ``function`` with NumPy's overflow warnings off, for a function that checks its
    results with ``check_finite`` and names the overflow itself (a warning first would only repeat it, vaguely)."""
    @functools.wraps(function)
    def quiet(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore"):
            return function(*args, **kwargs)
    return quiet
