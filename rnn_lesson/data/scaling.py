"""Min-max scaling of columns, and its inverse.

Shapes: values (R, C), R rows (every step of every sequence) and C columns;
bounds (C, 2), each column's (min, max).

    scaled   = (value - min) / span        span = max - min, or 1 for a constant column
    unscaled = scaled * span + min

A constant column (max == min) has no range to divide by: it is divided by 1,
so it maps to 0 and unscaling still gives the value back. ``Dataset.normalize``
keeps the bounds it used; a test set is scaled with the *training* bounds.
"""
import numpy as np

from ..shapes import as_float_array


def column_bounds(values):
    """(C, 2) per-column (min, max) of values (R, C)."""
    return np.stack([values.min(axis=0), values.max(axis=0)], axis=1)


def span(bounds):
    """(C,) max - min, with 1 for a constant column so nothing is divided by 0."""
    width = bounds[:, 1] - bounds[:, 0]
    return np.where(width > 0, width, 1.0)


def scale(values, bounds):
    """values (..., C) mapped column by column with ``bounds`` (C, 2): training data lands in [0, 1]."""
    return (values - bounds[:, 0]) / span(bounds)


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
    return values * span(bounds) + bounds[:, 0]
