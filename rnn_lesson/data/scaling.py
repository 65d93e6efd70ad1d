"""Min-max scaling of columns, and its inverse.

Shapes: values (R, C), R rows (every step of every sequence) and C columns;
bounds (C, 2), each column's (min, max).

    scaled   = (value - min) / span        span = max - min, or 1 for a constant column
    unscaled = scaled * span + min

A constant column (max == min) has no range to divide by: it is divided by 1,
so it maps to 0 and unscaling still gives the value back. Values near float64's
limit (1.8e308) can have a span beyond it (1e308 - -1e308): those columns,
and any value whose difference to min overflows, are scaled with halves,
(value/2 - min/2) / (max/2 - min/2), which stay finite; a value that cannot be
unscaled within float64 is refused, named. ``Dataset.normalize``
keeps the bounds it used; a test set is scaled with the *training* bounds.
"""
import numpy as np

from ..shapes import as_float_array


def column_bounds(values):
    """(C, 2) per-column (min, max) of values (R, C)."""
    return np.stack([values.min(axis=0), values.max(axis=0)], axis=1)


def span(bounds):
    """(C,) max - min, with 1 for a constant column so nothing is divided by 0 (inf where it overflows)."""
    with np.errstate(over="ignore"):
        width = bounds[:, 1] - bounds[:, 0]
    return np.where(width > 0, width, 1.0)


def half_span(bounds):
    """(C,) max/2 - min/2 (0.5 for a constant column): finite for any finite bounds."""
    half = bounds[:, 1] / 2 - bounds[:, 0] / 2
    return np.where(half > 0, half, 0.5)


def scale(values, bounds):
    """values (..., C) mapped column by column with ``bounds`` (C, 2): training data lands in [0, 1]."""
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = (values - bounds[:, 0]) / span(bounds)
        wide = ~np.isfinite(span(bounds)) | ~np.isfinite(scaled)
        if not wide.any():
            return scaled
        careful = (values / 2 - bounds[:, 0] / 2) / half_span(bounds)
    return np.where(wide, careful, scaled)


def unscale(values, bounds, what):
    """The inverse of ``scale``: values (..., C) back in original units; a new array.

    ``what`` names the values in errors ("labels"); ``bounds`` None means the
    data were never scaled.
    """
    if bounds is None:
        raise ValueError(f"cannot denormalize {what}: this Dataset is not normalized (call normalize() first)")
    values = as_float_array(values, what)
    if values.ndim == 0 or values.shape[-1] != len(bounds):
        raise ValueError(f"{what} must have shape (..., {len(bounds)}), got {values.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        unscaled = values * span(bounds) + bounds[:, 0]
        wide = ~np.isfinite(unscaled)
        if wide.any():  # halves first, doubled at the end: finite whenever the result is
            unscaled = np.where(wide, (values * half_span(bounds) + bounds[:, 0] / 2) * 2, unscaled)
    if not np.all(np.isfinite(unscaled)):
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(unscaled))[0])
        raise ValueError(f"{what} at index {index} ({values[index]:.6g} scaled) is beyond float64's range "
                         "(1.8e308) in original units")
    return unscaled
