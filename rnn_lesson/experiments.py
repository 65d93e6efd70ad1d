"""Fair comparisons: every method at its own best setting, chosen on validation data, over several seeds.

A comparison that tries one learning rate, picked for one of the methods, measures the rate as
much as the methods. Here each method gets a small grid of its own settings; every setting is run
with every seed; each method's best setting is the one with the best *mean* over seeds of the
selection metric (measured on validation data); and the methods are compared best against best,
with the spread over seeds shown:

    def run(method, seed, learning_rate):          # -> {"validation": v, "test": t} or one number
        ...
    study = compare(run, {"SGD":  {"learning_rate": [0.01, 0.03, 0.1]},
                          "Adam": {"learning_rate": [0.001, 0.003, 0.01]}},
                    seeds=(0, 1, 2), select="validation", goal="min")
    study.table           tidy DataFrame: method, setting, seed, params (JSON), one column per metric
    study.best()          one row per method: its best setting, mean, std, min and max over seeds
    study.where(lag=40)   the runs with that setting (and of chosen methods), to read one slice
    study.figure()        metric against setting, one line per method, every seed a dot, the best starred
    study.to_csv(path, command="python benchmarks/...")       the table, with the command that made it
    Comparison.from_csv(path)                                   ... and back
    study.rerun(run, "Adam")   reruns one row live and checks that it reproduces the table

A grid is a dict of candidate lists (their product is tried) or an explicit list of setting
dicts; a one-element list fixes an option. ``best(within="lag")`` picks the best setting
separately for every value of a key (every lag, every budget). Every run executes with one
BLAS thread (``rnn_lesson.blas``). A best setting at the edge of its grid is flagged: the sweep
may not have gone far enough.
"""
import itertools
import json
import math
import numbers
from pathlib import Path

import numpy as np

from .blas import one_blas_thread
from .shapes import check_seed

GOALS = {"min": "lower is better", "max": "higher is better"}
_FIXED = ["method", "setting", "seed", "params"]


def _fmt(value):
    """A short, stable text for a setting's value: 0.01, 3, chrono, None."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, numbers.Real):
        return f"{value:g}"
    return str(value)


def _settings(method, grid):
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


def _label(setting, varying):
    shown = varying or list(setting)
    return ", ".join(f"{k}={_fmt(setting.get(k))}" for k in shown) or "default"


def _as_metrics(result, select, where):
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
            settings, varying = _settings(method, grid)
            for setting in settings:
                for seed in seeds:
                    where = f"method {method!r}, {_label(setting, varying)}, seed {seed}"
                    metrics = _as_metrics(run(method, seed, **setting), select, where)
                    row = {"method": method, "setting": _label(setting, varying), "seed": seed,
                           "params": json.dumps(setting, sort_keys=True, default=str), **metrics}
                    rows.append(row)
                    if progress is not None:
                        progress(row)
    import pandas as pd
    return Comparison(pd.DataFrame(rows), select=select, goal=goal)


class Comparison:
    """A tidy table of runs (method, setting, seed, params, metrics) and the fair reading of it."""

    def __init__(self, table, select="validation", goal="min"):
        if goal not in GOALS:
            raise ValueError(f"goal must be 'min' or 'max', got {goal!r}")
        missing = [c for c in _FIXED + [select] if c not in table.columns]
        if missing:
            raise ValueError(f"a comparison table needs the columns {_FIXED + [select]}; missing {missing}")
        self.table = table.reset_index(drop=True)
        self.select, self.goal = select, goal

    @property
    def metrics(self):
        """The metric columns, the selection metric first."""
        others = [c for c in self.table.columns if c not in _FIXED and c != self.select]
        return [self.select] + others

    @property
    def methods(self):
        return list(dict.fromkeys(self.table["method"]))

    def params(self, method, setting):
        """The setting dict of ``method``'s row labelled ``setting``."""
        rows = self.table[(self.table["method"] == method) & (self.table["setting"] == setting)]
        if rows.empty:
            known = sorted(set(self.table.loc[self.table["method"] == method, "setting"]))
            raise ValueError(f"no runs of method {method!r} with setting {setting!r}; its settings: {known}")
        return json.loads(rows["params"].iloc[0])

    def where(self, methods=None, **setting):
        """The runs of ``methods`` (a list of names; None: every method) whose setting has every value given.

        A :class:`Comparison` with the same selection metric and goal, to read one slice of a
        sweep: ``study.where(lag=40).grid("learning_rate")``, ``study.where(["GRU"], lag=20).figure(...)``.
        """
        keep = np.ones(len(self.table), dtype=bool)
        if methods is not None:
            if isinstance(methods, str) or not all(isinstance(m, str) for m in methods):
                raise TypeError(f"methods must be a list of method names, got {methods!r}")
            unknown = [m for m in methods if m not in self.methods]
            if unknown:
                raise ValueError(f"no runs of {unknown}; the methods are {self.methods}")
            keep &= self.table["method"].isin(list(methods)).to_numpy()
        params = self.table["params"].map(json.loads)
        for key, value in setting.items():
            keep &= params.map(lambda p: key in p and p[key] == value).to_numpy()
        if not keep.any():
            raise ValueError(f"no run of {methods or 'any method'} has the setting {setting}")
        return Comparison(self.table[keep], select=self.select, goal=self.goal)

    def by_setting(self, metric=None):
        """Mean, std, min, max and count of ``metric`` over seeds, per method and setting (in run order)."""
        metric = metric or self.select
        grouped = self.table.groupby(["method", "setting"], sort=False)[metric]
        summary = grouped.agg(["mean", "std", "min", "max", "count"]).reset_index()
        summary["std"] = summary["std"].fillna(0.0)  # one seed: no spread
        return summary

    def _pick(self, summary):
        """The row index of the best mean in ``summary`` (ties: the first in run order)."""
        means = summary["mean"].to_numpy()
        return int(np.argmin(means) if self.goal == "min" else np.argmax(means))

    def best(self, within=None):
        """One row per method (and per value of ``within``): the best setting on the selection metric.

        Columns: method, [within], setting, seeds, then for every metric its mean and std over
        seeds at that setting (the selection metric also min and max), and ``at_edge``: True when
        the best value of a swept number is the smallest or largest tried.
        """
        import pandas as pd
        table = self.table
        if within is not None:
            values = table["params"].map(lambda p: json.loads(p).get(within))
            if values.isna().all():
                raise ValueError(f"no setting is named {within!r}; the settings are "
                                 f"{sorted({k for p in table['params'] for k in json.loads(p)})}")
            table = table.assign(**{within: values})
        rows = []
        keys = ["method"] + ([within] if within is not None else [])
        for key, group in table.groupby(keys, sort=False):
            key = key if isinstance(key, tuple) else (key,)
            sub = Comparison(group.drop(columns=[within]) if within else group, self.select, self.goal)
            summary = sub.by_setting()
            best = summary.iloc[sub._pick(summary)]
            at_best = group[group["setting"] == best["setting"]]
            row = dict(zip(keys, key))
            row.update(setting=best["setting"], seeds=int(best["count"]))
            for metric in self.metrics:
                row[f"{metric} mean"] = float(at_best[metric].mean())
                row[f"{metric} std"] = float(at_best[metric].std()) if len(at_best) > 1 else 0.0
                if metric == self.select:
                    row[f"{metric} min"], row[f"{metric} max"] = float(best["min"]), float(best["max"])
            row["at_edge"] = self._at_edge(group, best["setting"], exclude=within)
            rows.append(row)
        return pd.DataFrame(rows)

    def grid(self, x, metric=None):
        """Mean ``metric`` over seeds with every method as a row and every value of the setting ``x`` as a column.

        The table to read when a claim might hold only at some settings: which method is ahead
        at each learning rate, not only at each method's best.
        """
        metric = metric or self.select
        values = self.table["params"].map(lambda p: json.loads(p).get(x))
        if values.isna().all():
            raise ValueError(f"no setting is named {x!r}")
        frame = self.table.assign(**{x: values})
        return frame.pivot_table(index="method", columns=x, values=metric, aggfunc="mean", sort=False)

    def _at_edge(self, group, setting, exclude=None):
        """Is any swept numeric value of ``setting`` the smallest or largest its method tried?"""
        chosen = json.loads(group.loc[group["setting"] == setting, "params"].iloc[0])
        tried = [json.loads(p) for p in group["params"].drop_duplicates()]
        for key, value in chosen.items():
            if key == exclude or isinstance(value, bool) or not isinstance(value, numbers.Real):
                continue
            candidates = sorted({t[key] for t in tried if isinstance(t.get(key), numbers.Real)})
            if len(candidates) > 2 and value in (candidates[0], candidates[-1]):
                return True
        return False

    def winner(self, within=None):
        """The method whose best setting has the best mean (per value of ``within``, a dict)."""
        best = self.best(within)
        def pick(frame):
            means = frame[f"{self.select} mean"]
            return frame.loc[means.idxmin() if self.goal == "min" else means.idxmax(), "method"]
        if within is None:
            return pick(best)
        return {value: pick(frame) for value, frame in best.groupby(within, sort=False)}

    def figure(self, x=None, metric=None, ax=None, title=None, baseline=None):
        """Plot ``metric`` against the setting ``x`` (a swept number; log axis when its range is wide).

        One line per method through its means, every seed a dot, each method's best setting
        (chosen on the selection metric) starred. Without ``x``, settings are placed in run
        order. ``baseline``: (label, value) drawn as a dashed line. Returns the figure.
        """
        import matplotlib.pyplot as plt
        metric = metric or self.select
        if ax is None:
            fig, ax = plt.subplots(figsize=(7, 3.8))
        fig = ax.figure
        best = self.best()
        for number, method in enumerate(self.methods):
            rows = self.table[self.table["method"] == method]
            settings = list(dict.fromkeys(rows["setting"]))
            if x is None:
                positions = {s: i for i, s in enumerate(settings)}
            else:
                positions = {s: json.loads(rows.loc[rows["setting"] == s, "params"].iloc[0]).get(x)
                             for s in settings}
                if not all(isinstance(v, numbers.Real) for v in positions.values()):
                    raise ValueError(f"method {method!r}: setting {x!r} is not a number in every run")
            colour = f"C{number % 10}"
            xs = [positions[s] for s in settings]
            means = [rows.loc[rows["setting"] == s, metric].mean() for s in settings]
            ax.plot(xs, means, "-", color=colour, label=method)
            ax.plot([positions[s] for s in rows["setting"]], rows[metric], ".", color=colour, alpha=0.5)
            chosen = best.loc[best["method"] == method, "setting"].iloc[0]
            ax.plot([positions[chosen]], [rows.loc[rows["setting"] == chosen, metric].mean()], "*",
                    color=colour, markersize=14, markeredgecolor="black")
        if x is not None:
            values = [v for v in (json.loads(p).get(x) for p in self.table["params"]) if v is not None]
            if min(values) > 0 and max(values) / min(values) >= 20:
                ax.set_xscale("log")
            ax.set_xlabel(x)
        else:
            ax.set_xlabel("setting (in the order tried)")
        if baseline is not None:
            ax.axhline(baseline[1], color="grey", ls="--", lw=0.9, label=baseline[0])
        ax.set_ylabel(f"{metric} ({GOALS[self.goal] if metric == self.select else 'reported'})")
        ax.set_title(title or f"each method over its settings; ★ its best on {self.select}, dots: seeds")
        ax.legend(fontsize=8)
        return fig

    def to_csv(self, path, command):
        """Write the table to ``path`` with a comment header naming ``command``; same table, same bytes."""
        if not isinstance(command, str) or not command.strip():
            raise ValueError("command must say how to rebuild the table (for example 'python benchmarks/x.py')")
        path = Path(path)
        header = (f"# rnn_lesson.experiments comparison; made by: {command.strip()}\n"
                  f"# select: {self.select}; goal: {self.goal} ({GOALS[self.goal]})\n")
        body = self.table.to_csv(index=False, float_format="%.10g", lineterminator="\n")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(header + body, encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def from_csv(cls, path):
        """Read a table written by :meth:`to_csv` (its selection metric and goal come from the header)."""
        import pandas as pd
        path = Path(path)
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) < 3 or not lines[0].startswith("# rnn_lesson.experiments") or not lines[1].startswith("# select: "):
            raise ValueError(f"{path}: not a comparison table written by rnn_lesson.experiments (header missing)")
        try:
            select, goal = [part.split(": ", 1)[1] for part in lines[1][2:].split("; ")]
            goal = goal.split(" ")[0]
        except (IndexError, ValueError):
            raise ValueError(f"{path}, line 2: cannot read the selection metric and goal from {lines[1]!r}") from None
        table = pd.read_csv(path, comment=None, skiprows=2, dtype={"method": str, "setting": str, "params": str})
        return cls(table, select=select, goal=goal)

    @staticmethod
    def command(path):
        """The command named in the header of the table at ``path``."""
        first = Path(path).read_text(encoding="utf-8").split("\n", 1)[0]
        return first.split("made by: ", 1)[1] if "made by: " in first else None

    def rerun(self, run, method, setting=None, seed=None, rtol=1e-7, atol=1e-12):
        """Run one row again (default: ``method``'s best setting, its first seed) and check every metric.

        Returns the metrics measured now; raises AssertionError naming the row, the metric and both
        numbers when one differs beyond the tolerance.
        """
        setting = setting or self.best().set_index("method").loc[method, "setting"]
        rows = self.table[(self.table["method"] == method) & (self.table["setting"] == setting)]
        if rows.empty:
            raise ValueError(f"no runs of {method!r} at {setting!r} in the table")
        row = rows.iloc[0] if seed is None else rows[rows["seed"] == seed].iloc[0]
        with one_blas_thread():
            result = _as_metrics(run(method, int(row["seed"]), **json.loads(row["params"])), self.select,
                                 f"rerun of {method!r}")
        for metric, value in result.items():
            if metric in row.index and not math.isclose(value, row[metric], rel_tol=rtol, abs_tol=atol):
                raise AssertionError(f"{method!r} at {setting}, seed {int(row['seed'])}: {metric} is {value!r} "
                                     f"now and {row[metric]!r} in the table")
        return result
