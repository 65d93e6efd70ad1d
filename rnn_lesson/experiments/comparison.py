"""``Comparison``: a tidy table of runs and its fair reading, best against best, and the table as a CSV."""
import json
import math
import numbers
from pathlib import Path

import numpy as np

from ..blas import one_blas_thread
from ..models.archive import write_bytes_atomically
from .figure import comparison_figure
from .rows import FIXED, GOALS, as_metrics


class Comparison:
    """A tidy table of runs (method, setting, seed, params, metrics) and the fair reading of it."""

    def __init__(self, table, select="validation", goal="min"):
        if goal not in GOALS:
            raise ValueError(f"goal must be 'min' or 'max', got {goal!r}")
        missing = [c for c in FIXED + [select] if c not in table.columns]
        if missing:
            raise ValueError(f"a comparison table needs the columns {FIXED + [select]}; missing {missing}")
        self.table = table.reset_index(drop=True)
        self.select, self.goal = select, goal

    @property
    def metrics(self):
        """The metric columns, the selection metric first."""
        others = [c for c in self.table.columns if c not in FIXED and c != self.select]
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
        """Plot ``metric`` against the setting ``x``: see :func:`rnn_lesson.experiments.figure.comparison_figure`."""
        return comparison_figure(self, x=x, metric=metric, ax=ax, title=title, baseline=baseline)

    def to_csv(self, path, command):
        """Write the table to ``path`` with a comment header naming ``command``; same table, same bytes."""
        if not isinstance(command, str) or not command.strip():
            raise ValueError("command must say how to rebuild the table (for example 'python benchmarks/x.py')")
        path = Path(path)
        header = (f"# rnn_lesson.experiments comparison; made by: {command.strip()}\n"
                  f"# select: {self.select}; goal: {self.goal} ({GOALS[self.goal]})\n")
        body = self.table.to_csv(index=False, float_format="%.10g", lineterminator="\n")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(path, (header + body).encode("utf-8"))
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
            result = as_metrics(run(method, int(row["seed"]), **json.loads(row["params"])), self.select,
                                 f"rerun of {method!r}")
        for metric, value in result.items():
            if metric in row.index and not math.isclose(value, row[metric], rel_tol=rtol, abs_tol=atol):
                raise AssertionError(f"{method!r} at {setting}, seed {int(row['seed'])}: {metric} is {value!r} "
                                     f"now and {row[metric]!r} in the table")
        return result
