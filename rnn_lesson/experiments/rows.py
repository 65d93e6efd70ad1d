"""What one run of a comparison is: a setting drawn from a method's grid, its label, and its metrics.

A grid is a dict of candidate lists (their product is tried) or an explicit list of setting
dicts; a one-element list fixes an option. A row of the tidy table is (method, setting label,
seed, params as JSON, one column per metric).
"""
import itertools
import json
import numbers

GOALS = {"min": "lower is better", "max": "higher is better"}
FIXED = ["method", "setting", "seed", "params"]


def fmt(value):
    """A short, stable text for a setting's value: 0.01, 3, chrono, None."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, numbers.Real):
        return f"{value:g}"
    return str(value)


def settings(method, grid):
    """The list of setting dicts a method's grid stands for, and the keys that vary."""
    if isinstance(grid, dict):
        for key, values in grid.items():
            if not isinstance(key, str):
                raise TypeError(f"{method!r}: setting names must be strings, got {key!r}")
            if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
                raise TypeError(f"{method!r}: the candidates for {key!r} must be a list, got {values!r} "
                                f"(a fixed option is a one-element list)")
            if len(values) == 0:
                raise ValueError(f"{method!r}: no candidates for {key!r}")
        keys = list(grid)
        settings = [dict(zip(keys, combo)) for combo in itertools.product(*(grid[k] for k in keys))]
    elif isinstance(grid, (list, tuple)):
        if not grid or not all(isinstance(s, dict) for s in grid):
            raise TypeError(f"{method!r}: a list grid must hold one or more setting dicts, got {grid!r}")
        settings = [dict(s) for s in grid]
    else:
        raise TypeError(f"{method!r}: the grid must be a dict of candidate lists or a list of dicts, got {grid!r}")
    keys = list(dict.fromkeys(k for s in settings for k in s))
    varying = [k for k in keys if len({json.dumps(s.get(k), default=str) for s in settings}) > 1]
    return settings, varying


def label(setting, varying):
    shown = varying or list(setting)
    return ", ".join(f"{k}={fmt(setting.get(k))}" for k in shown) or "default"


def as_metrics(result, select, where):
    if isinstance(result, dict):
        metrics = dict(result)
    else:
        metrics = {select: result}
    if select not in metrics:
        raise ValueError(f"{where}: the run returned {sorted(metrics)}, without the selection metric {select!r}")
    for name, value in metrics.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{where}: metric {name!r} must be a number, got {value!r}")
        metrics[name] = float(value)
    return metrics

