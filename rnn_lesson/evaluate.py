"""Evaluators: turn predictions and targets into metrics, and metrics into a report.

Predictions and targets are arrays of any matching shape, for example one
sequence's (T, O), or lists of such arrays (one per sequence, T may differ).
Every entry counts once: a sequence of T steps adds T predictions, as in the
Rust seed. With N entries in total, error e = prediction - target:

Binary classification (prediction >= threshold means "positive"):
    accuracy    = (TP + TN) / N
    precision   = TP / (TP + FP)          recall (positive accuracy)     = TP / (TP + FN)
    f1          = 2 TP / (2 TP + FP + FN) specificity (negative accuracy) = TN / (TN + FP)
    A ratio whose denominator is 0 is reported as 0.0, silently (scikit-learn's
    value with zero_division=0).

Regression:
    mae  = mean |e|             rmse = sqrt(mean e**2)
    mape = mean |e| / |target|, a fraction, over entries whose target is not 0
           (nor so near 0 that dividing by it is meaningless: |target| < 2.2e-308,
           the smallest normal float, counts as 0)
    r2   = 1 - sum e**2 / sum (target - mean target)**2
    within_threshold = share of entries with |e| <= threshold, in [0, 1]

Classes (``class_accuracy``): predictions (..., K) scores per class, labels
(..., 1) a class index or NO_TARGET (-1); the share of labelled steps whose
highest-scoring class is the label.
"""
import numbers

import numpy as np

from .losses import NO_TARGET
from .numerics import NumericOverflow, finite_mean
from .shapes import as_float_array, check_binary_labels


def _flatten_pair(predictions, targets):
    """Both inputs as 1-D float64 arrays of equal length, checked entry for entry."""
    pred_parts, target_parts = _parts(predictions, targets)
    if len(pred_parts) != len(target_parts):
        raise ValueError(f"predictions holds {len(pred_parts)} arrays but targets holds {len(target_parts)}")
    for k, (p, t) in enumerate(zip(pred_parts, target_parts)):
        if np.shape(p) != np.shape(t):
            where = "" if len(pred_parts) == 1 else f" (item {k})"
            raise ValueError(f"predictions has shape {np.shape(p)} but targets has shape {np.shape(t)}{where}")
    flat_p = as_float_array(np.concatenate([np.ravel(p) for p in pred_parts]), "predictions")
    flat_t = as_float_array(np.concatenate([np.ravel(t) for t in target_parts]), "targets")
    if flat_p.size == 0:
        raise ValueError("predictions and targets are empty: there is nothing to evaluate")
    return flat_p, flat_t


def _parts(predictions, targets):
    """Two lists of arrays to compare shape for shape: one array each when both
    stack, else one array per sequence (lists of sequences of different T)."""
    try:
        return [np.asarray(predictions)], [np.asarray(targets)]
    except ValueError:  # ragged
        return [np.asarray(p) for p in predictions], [np.asarray(t) for t in targets]


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else 0.0


def _check_threshold(threshold, minimum=None):
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"threshold must be a number, got {type(threshold).__name__} {threshold!r}")
    if not np.isfinite(threshold):
        raise ValueError(f"threshold must be finite, got {threshold}")
    if minimum is not None and threshold < minimum:
        raise ValueError(f"threshold must be >= {minimum}, got {threshold}")
    return float(threshold)


def _percent(x):
    return f"{100 * x:.2f}%"


class BinaryClassificationEvaluator:
    """Confusion matrix and the ratios built from it, for 0/1 targets.

    A prediction p counts as positive when p >= threshold (so 0.5 itself is
    positive, as in scikit-learn's ``predict`` for probabilities).
    """

    def __init__(self, threshold=0.5):
        self.threshold = _check_threshold(threshold)

    def __repr__(self):
        return f"BinaryClassificationEvaluator(threshold={self.threshold})"

    def evaluate(self, predictions, targets):
        """Metrics for predictions (scores or probabilities) against 0/1 targets.

        Returns a dict: accuracy, precision, recall, f1, specificity,
        positive_accuracy (= recall), negative_accuracy (= specificity) as
        floats in [0, 1]; tp, fp, tn, fn, support (N), positives (TP + FN),
        negatives (TN + FP) as ints.
        """
        scores, truth = _flatten_pair(predictions, targets)
        check_binary_labels(truth, "targets")
        predicted, actual = scores >= self.threshold, truth == 1
        tp = int(np.sum(predicted & actual))
        fp = int(np.sum(predicted & ~actual))
        fn = int(np.sum(~predicted & actual))
        tn = int(np.sum(~predicted & ~actual))
        recall, specificity = _ratio(tp, tp + fn), _ratio(tn, tn + fp)
        return {
            "accuracy": (tp + tn) / truth.size,
            "precision": _ratio(tp, tp + fp),
            "recall": recall,
            "f1": _ratio(2 * tp, 2 * tp + fp + fn),
            "specificity": specificity,
            "positive_accuracy": recall,
            "negative_accuracy": specificity,
            "tp": tp, "fp": fp, "tn": tn, "fn": fn,
            "support": int(truth.size), "positives": tp + fn, "negatives": tn + fp,
        }

    def report(self, metrics):
        """A readable multi-line summary of ``evaluate``'s dict."""
        m = metrics
        w = max(8, *(len(str(m[k])) for k in ("tp", "fp", "tn", "fn")))  # count column width
        return "\n".join([
            f"accuracy {_percent(m['accuracy'])} | precision {_percent(m['precision'])}"
            f" | recall {_percent(m['recall'])} | F1 {_percent(m['f1'])}",
            f"confusion matrix at threshold {self.threshold:g}, {m['support']} predictions:",
            f"{'':13}{'predicted 1':>{w + 3}}   {'predicted 0':>{w + 3}}",
            f"  actual 1   TP {m['tp']:>{w}}   FN {m['fn']:>{w}}   ({m['positives']} positives)",
            f"  actual 0   FP {m['fp']:>{w}}   TN {m['tn']:>{w}}   ({m['negatives']} negatives)",
            f"positive class accuracy {_percent(m['positive_accuracy'])}"
            f" | negative class accuracy {_percent(m['negative_accuracy'])}",
        ])


class RegressionEvaluator:
    """Error metrics for real-valued predictions.

    ``threshold`` is an absolute tolerance in the units of the data given to
    ``evaluate`` (on min-max scaled labels, 0.1 is a tenth of the label range).
    """

    def __init__(self, threshold=0.1):
        self.threshold = _check_threshold(threshold, minimum=0.0)

    def __repr__(self):
        return f"RegressionEvaluator(threshold={self.threshold})"

    def evaluate(self, predictions, targets):
        """Metrics for predictions against targets of the same shape.

        Returns a dict: mae, rmse, mape (a fraction: 0.05 is 5 %), r2,
        within_threshold (a share in [0, 1]) as floats; n (entries) and
        mape_skipped (entries left out of MAPE because their target is 0, or
        subnormal, below 2.2e-308 in size, too small to divide by; MAPE is 0.0
        when no entry remains) as ints.

        R² follows scikit-learn when every target is equal (SS_tot = 0):
        1.0 if the predictions are exact, else 0.0. Targets that differ by so
        little that SS_tot rounds to 0 (subnormal spreads) count as equal.
        """
        pred, target = _flatten_pair(predictions, targets)
        with np.errstate(over="ignore", invalid="ignore"):
            err = pred - target
            metrics = _regression_metrics(err, target)
            if not all(np.isfinite(metrics[name]) for name in ("mae", "rmse", "mape", "r2")):
                metrics = _wide_regression_metrics(pred, target)  # values near float64's limit (1e308)
            within = float(np.mean(np.abs(err) <= self.threshold))  # an overflowed |e| is inf: not within
        nonzero = _dividable(target)
        return {**metrics, "within_threshold": within, "n": int(err.size),
                "mape_skipped": int(err.size - np.count_nonzero(nonzero))}

    def report(self, metrics):
        """A readable multi-line summary of ``evaluate``'s dict."""
        m = metrics
        skipped = f" ({m['mape_skipped']} zero targets left out)" if m["mape_skipped"] else ""
        within = round(m["within_threshold"] * m["n"])
        return "\n".join([
            f"MAE {m['mae']:.4g} | RMSE {m['rmse']:.4g} | MAPE {_percent(m['mape'])}{skipped} | R² {m['r2']:.4f}",
            f"within ±{self.threshold:g} of the target: {_percent(m['within_threshold'])} ({within} of {m['n']})",
        ])


def _dividable(target):
    """Where MAPE can divide by the target: 0 and subnormals (|t| < 2.2e-308) are left out."""
    return np.abs(target) >= np.finfo(np.float64).tiny


def _regression_metrics(err, target, scale=0, original=None):
    """mae, rmse, mape, r2 of errors ``err`` against ``target``, both given divided by 2**scale.

    ``scale`` 0 is the plain computation. MAE and RMSE are multiplied back by
    2**scale; MAPE divides by the ``original`` (unscaled) targets; R² does not
    depend on the scale.
    """
    original = target if original is None else original
    abs_err = np.abs(err)
    nonzero = _dividable(original)
    ss_res = float(np.sum(err * err))
    ss_tot = 0.0 if np.ptp(target) == 0 else float(np.sum((target - target.mean()) ** 2))
    if ss_tot == 0:  # constant targets (their mean may differ from them by rounding), or a subnormal spread
        r2 = 1.0 if ss_res == 0 else 0.0
    else:
        r2 = 1.0 - ss_res / ss_tot
    mape = 0.0
    if nonzero.any():
        ratios = abs_err[nonzero] / np.abs(original[nonzero])
        mape = np.ldexp(finite_mean(ratios, "MAPE"), scale) if scale else float(np.mean(ratios))
    return {"mae": float(np.ldexp(abs_err.mean(), scale)), "rmse": float(np.ldexp(np.sqrt(ss_res / err.size), scale)),
            "mape": float(mape), "r2": r2}


def _wide_regression_metrics(pred, target):
    """``_regression_metrics`` for values whose errors or squares overflow: on values divided by a power
    of two (exact) that brings the largest below 1. ValueError naming a metric that is itself beyond 1.8e308."""
    scale = int(np.frexp(max(np.max(np.abs(pred)), np.max(np.abs(target))))[1])
    scaled_pred, scaled_target = np.ldexp(pred, -scale), np.ldexp(target, -scale)
    metrics = _regression_metrics(scaled_pred - scaled_target, scaled_target, scale, original=target)
    for name, value in metrics.items():
        if not np.isfinite(value):
            what = "|error| / |target| is" if name == "mape" else "the errors are"
            raise NumericOverflow(f"RegressionEvaluator: the {name.upper()} is beyond float64's range (1.8e308): "
                                  f"{what} that large")
    return metrics


EVALUATORS = {cls.__name__: cls for cls in (BinaryClassificationEvaluator, RegressionEvaluator)}


def class_accuracy(predictions, labels):
    """The share of labelled steps whose most probable class (argmax) is the label, a float in [0, 1].

    ``predictions``: (..., K) class scores or probabilities (``RNN.predict`` with
    loss="cross_entropy"), or a list of such arrays, one per sequence; ``labels``:
    the matching (..., 1) class indices, NO_TARGET (-1) on steps left out.
    """
    pred_parts, label_parts = _parts(predictions, labels)
    if len(pred_parts) != len(label_parts):
        raise ValueError(f"predictions holds {len(pred_parts)} arrays but labels holds {len(label_parts)}")
    hits = total = 0
    for k, (p, y) in enumerate(zip(pred_parts, label_parts)):
        p, y = as_float_array(p, f"predictions {k}"), as_float_array(y, f"labels {k}")
        if p.ndim == 0 or y.shape != p.shape[:-1] + (1,):
            raise ValueError(f"labels {k} must have shape {p.shape[:-1] + (1,)} for predictions of shape "
                             f"{p.shape} (one class index per step), got {y.shape}")
        classes = y[..., 0]
        bad = (classes != np.round(classes)) | (classes < NO_TARGET) | (classes >= p.shape[-1])
        if bad.any():
            raise ValueError(f"labels {k} holds {classes[bad].flat[0]:g}, neither a class index (0 to "
                             f"{p.shape[-1] - 1} for {p.shape[-1]} classes) nor NO_TARGET ({NO_TARGET})")
        labelled = classes != NO_TARGET
        hits += int(np.sum(p.argmax(axis=-1)[labelled] == y[..., 0][labelled]))
        total += int(labelled.sum())
    if total == 0:
        raise ValueError("no step has a label (every label is NO_TARGET): there is nothing to score")
    return hits / total
