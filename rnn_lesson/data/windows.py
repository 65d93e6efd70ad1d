"""Windowing a series: one long series cut into many short sequences with next-value labels.

Dimension letters: n values in the series, F features per value, T = ``window``
steps per sequence.
"""
import numpy as np

from ..shapes import as_float_array, check_positive_int
from .sequences import Dataset, Sequence, column_names


def window_series(series, window, horizon=1, stride=1, index=None, names=None):
    """Cut a series into overlapping or disjoint windows; returns a Dataset.

    ``series``: (n,) one value per time step, or (n, F) several; column 0 is
    the value to forecast. Window k starts at s = k * stride and has
    T = ``window`` steps: features = series[s : s + T] (T, F) and labels
    (T, 1) with label[t] = series[s + t + horizon, 0], the value ``horizon``
    steps after step t. There are N = (n - T - horizon) // stride + 1 windows;
    values after the last full window are not used.

    ``index``: optional (n,) labels of the time steps (dates, say); window k
    is then named str(index[s]), otherwise str(k). ``names``: F feature
    names (default "x" or x1..xF); the label is called names[0] + "_next"
    (with the horizon appended when it is not 1).
    """
    values = as_float_array(series, "series")
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        raise ValueError(f"series must have shape (n,) or (n, F), got {np.shape(series)}")
    if values.shape[1] == 0:
        raise ValueError(f"series must have at least one column (F >= 1) to forecast, got shape {values.shape}")
    window = check_positive_int(window, "window")
    horizon = check_positive_int(horizon, "horizon")
    stride = check_positive_int(stride, "stride")
    n_values = len(values)
    if n_values < window + horizon:
        raise ValueError(f"series has {n_values} values; window={window} with horizon={horizon} "
                         f"needs at least {window + horizon}")
    starts = range(0, n_values - window - horizon + 1, stride)
    if index is not None:
        if isinstance(index, (str, bytes)) or not hasattr(index, "__len__"):
            raise TypeError(f"index must hold one label per time step (a list or an array), got "
                            f"{type(index).__name__} {index!r}")
        index = list(index)
        if len(index) != n_values:
            raise ValueError(f"index has {len(index)} entries but series has {n_values} values")
        if any(np.ndim(label) for label in index):
            raise ValueError(f"index must hold one label (a date, a number) per time step, got entries of shape "
                             f"{np.shape(index[0])}")
    ids = [str(index[s]) if index is not None else str(k) for k, s in enumerate(starts)]
    if names is None and values.shape[1] == 1:
        names = ["x"]
    names = column_names(names, values.shape[1], "x", "names")
    label = f"{names[0]}_next" if horizon == 1 else f"{names[0]}_next{horizon}"
    sequences = [Sequence(i, values[s:s + window], values[s + horizon:s + horizon + window, :1])
                 for i, s in zip(ids, starts)]
    return Dataset(sequences, names, [label])
