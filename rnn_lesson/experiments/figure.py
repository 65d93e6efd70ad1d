"""The figure of a comparison: each method's metric against its setting, every seed a dot, its best starred."""
import json
import numbers

from .rows import GOALS


def comparison_figure(study, x=None, metric=None, ax=None, title=None, baseline=None):
    """Plot ``metric`` against the setting ``x`` (a swept number; log axis when its range is wide).

    One line per method through its means, every seed a dot, each method's best setting
    (chosen on the selection metric) starred. Without ``x``, settings are placed in run
    order. ``baseline``: (label, value) drawn as a dashed line. Returns the figure.
    """
    import matplotlib.pyplot as plt
    metric = metric or study.select
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 3.8))
    fig = ax.figure
    best = study.best()
    for number, method in enumerate(study.methods):
        rows = study.table[study.table["method"] == method]
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
        values = [v for v in (json.loads(p).get(x) for p in study.table["params"]) if v is not None]
        if min(values) > 0 and max(values) / min(values) >= 20:
            ax.set_xscale("log")
        ax.set_xlabel(x)
    else:
        ax.set_xlabel("setting (in the order tried)")
    if baseline is not None:
        ax.axhline(baseline[1], color="grey", ls="--", lw=0.9, label=baseline[0])
    ax.set_ylabel(f"{metric} ({GOALS[study.goal] if metric == study.select else 'reported'})")
    ax.set_title(title or f"each method over its settings; ★ its best on {study.select}, dots: seeds")
    ax.legend(fontsize=8)
    return fig
