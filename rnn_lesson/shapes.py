"""Run-time shape and type checks with messages a learner can act on.

The Rust seed checked ``Matrix<ROWS, COLS>`` dimensions at compile time; NumPy
would broadcast or fail deep inside a matmul instead. These helpers check at the
door and name the argument, the expected shape and the actual shape.

Dimension letters used across the package: T time steps, N sequences,
I inputs, H hidden units, O outputs.
"""
import numbers

import numpy as np


def _as_array(value, name, what):
    """np.asarray(value), refusing a string and naming a ragged list."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of {what}, got a string")
    try:
        return np.asarray(value)
    except ValueError as err:  # ragged nested lists
        raise ValueError(f"{name} is ragged: its rows have different lengths ({err})") from None


def as_float_array(value, name, ndim=None, finite=True):
    """Return ``value`` as a float64 array, or raise TypeError/ValueError naming ``name``.

    Rejects non-numeric input (strings, objects, booleans), a wrong number of
    dimensions, and (unless ``finite=False``, for a caller that checks
    finiteness its own faster way) NaN or infinite entries.
    """
    array = _as_array(value, name, "numbers")
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real, got dtype {array.dtype}")
    array = array.astype(np.float64, copy=False)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if finite and not np.all(np.isfinite(array)):
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(f"{name} contains a non-finite value ({array[index]}) at index {index}")
    return array


def check_shape(array, shape, name):
    """Raise ValueError unless ``array.shape`` matches ``shape``.

    ``shape`` is a tuple whose entries are ints or ``None`` (any size), e.g.
    ``check_shape(xs, (None, 3), "xs")`` for a sequence of T steps with I = 3.
    """
    actual = np.shape(array)
    expected = tuple(shape)
    matches = len(actual) == len(expected) and all(
        e is None or a == e for a, e in zip(actual, expected)
    )
    if not matches:
        pretty = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ")"
        if len(expected) == 1:
            pretty = pretty[:-1] + ",)"
        raise ValueError(f"{name} must have shape {pretty}, got {actual}")
    return array


def check_no_unused_keys(params, used, what):
    """Refuse a parameter dict holding keys that ``what`` would not use (a silently ignored layer, say)."""
    extra = sorted(str(key) for key in params if key not in used)
    if extra:
        raise ValueError(f"params holds key(s) {extra} that {what} does not use (it uses {tuple(used)}); "
                         "refused rather than computing with part of the model")


def check_positive_int(value, name, most=None):
    """Raise TypeError/ValueError unless ``value`` is an int >= 1 (and <= ``most``, if given: a bound on work)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    if most is not None and value > most:
        raise ValueError(f"{name} must be at most {most:,}, got {value:,}")
    return int(value)


def check_positive_float(value, name):
    """Raise TypeError/ValueError unless ``value`` is a finite real number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not np.isfinite(value) or value < np.finfo(np.float64).tiny:  # a subnormal step changes nothing
        raise ValueError(f"{name} must be a finite number > 0 (at least 2.2e-308, the smallest normal "
                         f"float64), got {value}")
    return float(value)


def check_number_in(value, name, low, high):
    """A real number (not a bool) with low <= value <= high: a range that bounds what the value can cause."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not low <= value <= high:  # NaN fails both comparisons
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def check_fraction(value, name):
    """A real number strictly between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not 0 < value < 1:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value!r}")
    return float(value)


def check_seed(seed):
    """An int >= 0 (None is refused: it would make the result change from run to run)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return int(seed)


def is_binary(values):
    """Boolean mask of ``values``' shape: True where an entry is exactly 0 or 1."""
    values = np.asarray(values)
    return (values == 0) | (values == 1)


def check_binary_labels(labels, name):
    """Raise ValueError unless every entry of ``labels`` is exactly 0 or 1; returns ``labels``.

    The one meaning of "0/1 labels" in the package: classes, not probabilities.
    ``name`` says where they come from ("sequence '7' labels"); the message
    names the first offending value.
    """
    values = np.asarray(labels)
    bad = values[~is_binary(values)]
    if bad.size:
        raise ValueError(f"{name} must be 0 or 1, found {bad.flat[0]:g} (they are class labels)")
    return labels


def check_binary_sequences(sequences, name_of, advice):
    """``check_binary_labels`` on the ``.labels`` of every sequence; the error names it and adds ``advice``.

    ``name_of(sequence)`` says what the labels are called in the message
    ("train sequence '7': labels"); ``advice`` says what to do instead.
    """
    for seq in sequences:
        try:
            check_binary_labels(seq.labels, name_of(seq))
        except ValueError as err:
            raise ValueError(f"{err}; {advice}") from None


MAX_IDS = 10 ** 7  # token vocabularies and one-hot widths: far above any text's, bounding the memory asked for


def check_ids(ids, name, n_ids, ndim=None, allow_empty=False):
    """``ids`` as an int64 array of token ids in [0, ``n_ids``) (at least one); TypeError/ValueError naming the
    first bad entry. Refuses floats (even 3.0), bools, strings and a wrong number of dimensions."""
    n_ids = check_positive_int(n_ids, "the vocabulary size", most=MAX_IDS)
    if ids is None:
        raise TypeError(f"{name} must be an array of integer token ids, got None")
    array = _as_array(ids, name, "integer token ids")
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} must hold integer token ids, got dtype {array.dtype}")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty: it needs at least one token id")
    bad = np.argwhere((array < 0) | (array >= n_ids))
    if len(bad):
        where = tuple(int(i) for i in bad[0])
        raise ValueError(f"{name}{list(where) if where else ''} is {array[where]}: not in the vocabulary "
                         f"(ids must lie in [0, {n_ids}))")
    return array.astype(np.int64, copy=False)

