"""Explorer: move the decision threshold and watch precision, recall and the confusion matrix.

A classifier gives each entry a score; "positive" means score >= threshold. Raising
the threshold trades recall (positives found) for precision (alarms that are
right). Every number here comes from ``BinaryClassificationEvaluator``.

Shapes: scores and targets are arrays of any matching shape (N entries in all).
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..evaluate import BinaryClassificationEvaluator
from ..shapes import as_float_array, check_positive_int
from ..widgets import interactive_figure


MAX_THRESHOLDS = 10_000  # each threshold is one evaluation of every score


def _scores_and_targets(scores, targets):
    scores = as_float_array(scores, "scores").ravel()
    targets = as_float_array(targets, "targets").ravel()
    if scores.shape != targets.shape or scores.size == 0:
        raise ValueError(f"scores and targets must hold the same number (> 0) of entries, "
                         f"got {np.size(scores)} and {np.size(targets)}")
    return scores, targets


def threshold_curve(scores, targets, n_thresholds=200):
    """Precision, recall and F1 at ``n_thresholds`` thresholds spread evenly over the scores' range.

    Returns a dict of arrays (n_thresholds,): threshold, precision, recall, f1.
    """
    scores, targets = _scores_and_targets(scores, targets)
    n_thresholds = check_positive_int(n_thresholds, "n_thresholds", most=MAX_THRESHOLDS)
    low, high = scores.min(), scores.max()
    with np.errstate(over="ignore"):
        wide = not np.isfinite(high - low)  # scores spanning more than 1.8e308: spaced by halves, then doubled
    thresholds = np.linspace(low / 2, high / 2, n_thresholds) * 2 if wide else np.linspace(low, high, n_thresholds)
    rows = [BinaryClassificationEvaluator(float(t)).evaluate(scores, targets) for t in thresholds]
    curve = {key: np.array([row[key] for row in rows]) for key in ("precision", "recall", "f1")}
    curve["threshold"] = thresholds
    return curve


def best_f1_threshold(scores, targets, n_thresholds=200):
    """The threshold of ``threshold_curve`` with the highest F1 (the lowest such one on ties)."""
    curve = threshold_curve(scores, targets, n_thresholds)
    return float(curve["threshold"][int(np.argmax(curve["f1"]))])


def draw_confusion_matrix(ax, metrics, threshold=None):
    """Draw a 2x2 confusion matrix from an evaluator's metrics dict on ``ax``.

    Rows: actual 1, actual 0; columns: predicted 1, predicted 0 (the layout of
    ``BinaryClassificationEvaluator.report``). Each cell shows its count and its
    share of the row; the colour is that share.
    """
    counts = np.array([[metrics["tp"], metrics["fn"]], [metrics["fp"], metrics["tn"]]])
    rows = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, rows, out=np.zeros(counts.shape), where=rows > 0)
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    names = [["TP", "FN"], ["FP", "TN"]]
    for i in range(2):
        for j in range(2):
            ax.text(j, i, f"{names[i][j]}\n{counts[i, j]}\n({shares[i, j]:.1%} of row)", ha="center",
                    va="center", color="white" if shares[i, j] > 0.6 else "black", fontsize=10)
    ax.set(xticks=[0, 1], xticklabels=["predicted 1", "predicted 0"], yticks=[0, 1],
           yticklabels=["actually 1", "actually 0"],
           title="confusion matrix" + ("" if threshold is None else f" at threshold {threshold:.3g}"))


def threshold_figure(scores, targets, threshold):
    """Figure: precision, recall and F1 against the threshold (marker at ``threshold``), and the confusion matrix."""
    scores, targets = _scores_and_targets(scores, targets)
    metrics = BinaryClassificationEvaluator(threshold).evaluate(scores, targets)
    low, high = float(scores.min()), float(scores.max())
    with np.errstate(over="ignore"):
        margin = (high / 2 - low / 2) * 2 or 1.0  # the width (inf beyond float64: every finite threshold)
    if not low - margin <= threshold <= high + margin:
        raise ValueError(f"threshold must lie within the scores' range {low:.3g} to {high:.3g}, give or take its "
                         f"width, to be drawn beside it; got {threshold:.3g}")
    curve = threshold_curve(scores, targets)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [1.5, 1]})
    for key, colour in (("precision", "tab:blue"), ("recall", "tab:orange"), ("f1", "tab:green")):
        left.plot(curve["threshold"], curve[key], color=colour, label=key)
        left.plot([threshold], [metrics[key]], "o", color=colour)
    left.axvline(threshold, color="grey", ls="--", lw=1)
    left.set(xlabel="threshold (score >= threshold means positive)", ylabel="value", ylim=(-0.03, 1.03),
             title=f"precision {metrics['precision']:.2f}, recall {metrics['recall']:.2f}, "
                   f"F1 {metrics['f1']:.2f}")
    left.legend(loc="center left", fontsize=8)
    draw_confusion_matrix(right, metrics, threshold)
    fig.tight_layout()
    return fig


def threshold_explorer(scores, targets):
    """A threshold slider over the scores' range (starting at the best-F1 threshold) redrawing the figure."""
    scores, targets = _scores_and_targets(scores, targets)
    low, high = float(scores.min()), float(scores.max())
    slider = widgets.FloatSlider(value=best_f1_threshold(scores, targets), min=low, max=high,
                                 step=(high / 2 - low / 2) / 100 or 1.0, description="threshold",
                                 readout_format=".3g", continuous_update=False)
    return interactive_figure(lambda threshold: threshold_figure(scores, targets, threshold),
                              {"threshold": slider})
