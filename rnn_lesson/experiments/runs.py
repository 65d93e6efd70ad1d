"""``compare``: every method at every setting of its grid with every seed, one BLAS thread."""
import json

from ..blas import one_blas_thread
from ..shapes import check_seed
from .comparison import Comparison
from .rows import GOALS, as_metrics, label, settings as grid_settings


def compare(run, methods, seeds=(0, 1, 2), select="validation", goal="min", progress=None):
    """Run every method at every setting of its grid with every seed; return a :class:`Comparison`.

    ``run(method, seed, **setting)`` returns one number (the selection metric) or a dict of
    metrics that includes ``select``. ``methods`` maps a method's name to its grid. ``goal`` is
    "min" (a loss) or "max" (an accuracy). ``progress``: a callable given each finished row
    (for example ``print``), or None. Runs execute with one BLAS thread.
    """
    if not callable(run):
        raise TypeError(f"run must be a function run(method, seed, **setting), got {run!r}")
    if goal not in GOALS:
        raise ValueError(f"goal must be 'min' or 'max', got {goal!r}")
    if not isinstance(methods, dict) or not methods:
        raise TypeError("methods must be a non-empty dict: method name -> grid of settings")
    seeds = [check_seed(seed) for seed in seeds]
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be one or more distinct seeds, got {seeds}")
    rows = []
    with one_blas_thread():
        for method, grid in methods.items():
            settings, varying = grid_settings(method, grid)
            for setting in settings:
                for seed in seeds:
                    where = f"method {method!r}, {label(setting, varying)}, seed {seed}"
                    metrics = as_metrics(run(method, seed, **setting), select, where)
                    row = {"method": method, "setting": label(setting, varying), "seed": seed,
                           "params": json.dumps(setting, sort_keys=True, default=str), **metrics}
                    rows.append(row)
                    if progress is not None:
                        progress(row)
    import pandas as pd
    return Comparison(pd.DataFrame(rows), select=select, goal=goal)

