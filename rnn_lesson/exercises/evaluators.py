"""Checkers for lesson 06 (evaluators).

    check_classification_metrics(fn)   fn(tp, fp, tn, fn) -> dict: accuracy, precision, recall, f1, specificity
    check_regression_metrics(fn)       fn(predictions, targets, threshold) -> dict: mae, rmse, mape, r2,
                                       within_threshold          (predictions, targets: (N,) arrays)

The references are ``BinaryClassificationEvaluator`` and ``RegressionEvaluator``
(a ratio whose denominator is 0 counts as 0.0; MAPE is a fraction over the
entries whose target is not 0). On a wrong answer the checker names the
metric, the case, how far off, and the common mistake that gives that value.
"""
import numpy as np

from . import call_safely, compare, known_mistake, real_numbers, verdict
from ..evaluate import BinaryClassificationEvaluator, RegressionEvaluator

CLASSIFICATION_KEYS = ("accuracy", "precision", "recall", "f1", "specificity")
REGRESSION_KEYS = ("mae", "rmse", "mape", "r2", "within_threshold")

# (tp, fp, tn, fn) and what makes each case interesting
_COUNTS = [
    ((6, 2, 9, 3), "an ordinary confusion matrix"),
    ((0, 0, 12, 3), "no positive predictions, so TP + FP = 0"),
    ((0, 0, 7, 0), "no positives at all, so TP + FN = 0 as well"),
    ((5, 0, 0, 0), "no negatives, so TN + FP = 0"),
]


def _entries(tp, fp, tn, fn):
    """Predictions and 0/1 targets (N,) that have exactly these counts at threshold 0.5."""
    predictions = np.repeat([1.0, 1.0, 0.0, 0.0], [tp, fp, tn, fn])
    targets = np.repeat([1.0, 0.0, 0.0, 1.0], [tp, fp, tn, fn])
    return predictions, targets


def _metrics_problem(result, keys, what):
    if not isinstance(result, dict):
        return f"{what}: return a dict with keys {list(keys)}, got {type(result).__name__}."
    missing = [k for k in keys if k not in result]
    return f"{what}: the dict is missing {missing}." if missing else None


def _hint(got, candidates):
    """The known mistake a scalar metric reproduces, as " Hint: ...", or ""."""
    finite = [(text, value) for text, value in candidates if value is not None and np.isfinite(value)]
    hint = known_mistake(got, finite, rtol=1e-12, atol=1e-12)
    return f" Hint: {hint}" if hint else ""


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else None


_ZERO_HINT = (" Hint: when a denominator is 0 (no positive predictions, no positives or no negatives) "
              "there is nothing to divide: report 0.0, as rl.BinaryClassificationEvaluator (and scikit-learn "
              "with zero_division=0) do.")


def check_classification_metrics(metrics_fn):
    """Check ``metrics_fn(tp, fp, tn, fn)`` on four confusion matrices, including zero denominators."""
    for counts, story in _COUNTS:
        tp, fp, tn, fn = counts
        what = f"confusion matrix TP={tp}, FP={fp}, TN={tn}, FN={fn} ({story})"
        expected = BinaryClassificationEvaluator().evaluate(*_entries(*counts))
        result, problem = call_safely(metrics_fn, list(counts), what)
        if problem:
            return verdict([problem + (_ZERO_HINT if "ZeroDivisionError" in problem else "")], "")
        problem = _metrics_problem(result, CLASSIFICATION_KEYS, what)
        if problem:
            return verdict([problem], "")
        key, problem, values = _first_wrong(result, expected, CLASSIFICATION_KEYS, f"the {what}")
        if problem:
            if values is None:
                return verdict([problem], "")
            if not np.all(np.isfinite(values)):
                return verdict([problem + _ZERO_HINT], "")
            precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
            return verdict([problem + _hint(result[key], [
                ("that is the recall, TP / (TP + FN); precision is TP / (TP + FP), the share of "
                 "positive predictions that are right.", recall if key == "precision" else None),
                ("that is the precision, TP / (TP + FP); recall is TP / (TP + FN), the share of "
                 "actual positives that are found.", precision if key == "recall" else None),
                ("that is the arithmetic mean of precision and recall; F1 is their harmonic mean, "
                 "2 P R / (P + R) = 2 TP / (2 TP + FP + FN).",
                 (precision + recall) / 2 if key == "f1" and None not in (precision, recall) else None),
                ("that is TN / (TN + FN), the share of negative predictions that are right; specificity "
                 "is TN / (TN + FP), the share of actual negatives recognised.",
                 _ratio(tn, tn + fn) if key == "specificity" else None),
                ("accuracy counts the right answers of both kinds: (TP + TN) / (TP + FP + TN + FN).",
                 _ratio(tp, tp + fp + tn + fn) if key == "accuracy" else None),
            ])], "")
    return verdict([], "all five metrics agree with rl.BinaryClassificationEvaluator, "
                       "including the zero-denominator cases.")


def _regression_cases():
    """(name, predictions (N,), targets (N,), threshold), seeded."""
    rng = np.random.default_rng(600)
    targets = 10 + 5 * rng.standard_normal(12)
    predictions = targets + rng.standard_normal(12)
    with_zero = np.array([0.0, 2.0, -4.0, 8.0, 1.0])
    boundary = np.array([1.0, 2.0, 3.0, 4.0])  # errors 0.5 (exactly the threshold), 0.25, -0.75, 0
    return [
        ("case 1 (12 random entries, threshold 1.0)", predictions, targets, 1.0),
        ("case 2 (a target that is exactly 0, threshold 2.0)", with_zero + np.array([0.5, -0.5, 1.0, 0.25, 0.0]),
         with_zero, 2.0),
        ("case 3 (an error exactly equal to the threshold 0.5)", boundary + np.array([0.5, 0.25, -0.75, 0.0]),
         boundary, 0.5),
    ]


def _regression_candidates(key, predictions, targets, threshold, expected):
    err = predictions - targets
    nonzero = targets != 0
    ss_tot = float(np.sum((targets - targets.mean()) ** 2))
    table = {
        "mae": [("take the absolute value of each error before averaging: positive and negative errors "
                 "must not cancel.", float(np.mean(err)))],
        "rmse": [("RMSE is the square root of the *mean* squared error, not of the sum.",
                  float(np.sqrt(np.sum(err ** 2)))),
                 ("that is the mean squared error; RMSE takes its square root, back to the data's units.",
                  float(np.mean(err ** 2)))],
        "mape": [("MAPE is returned as a fraction (0.05 for 5 %), not in percent.", 100 * expected["mape"]),
                 ("divide each |error| by |target|, not by the prediction.",
                  float(np.mean(np.abs(err) / np.abs(predictions))) if np.all(predictions != 0) else None),
                 ("leave out the entries whose target is 0, but average over the rest only.",
                  float(np.sum(np.abs(err[nonzero]) / np.abs(targets[nonzero])) / len(targets)))],
        "r2": [("R² = 1 - SS_res / SS_tot with SS_tot = sum((target - mean(target))**2), the error of "
                "always predicting the mean.", 1 - float(np.sum(err ** 2)) / float(np.sum(
                    (targets - predictions.mean()) ** 2))),
               ("that is SS_res / SS_tot; R² is 1 minus it.", float(np.sum(err ** 2)) / ss_tot)],
        "within_threshold": [("an error exactly equal to the threshold counts as within: use <=, not <.",
                              float(np.mean(np.abs(err) < threshold))),
                             ("return the share of entries (a number in [0, 1]), not their count.",
                              float(np.sum(np.abs(err) <= threshold)))],
    }
    return table[key]


def _first_wrong(result, expected, keys, what):
    """(key, problem, values) for the first metric that differs from the evaluator's; (None, None, None) if none.

    ``values`` is the learner's value as real numbers, or None when it is not numbers at all.
    """
    for key in keys:
        problem = compare(result[key], expected[key], f"{key} for {what}")
        if problem:
            values, not_numbers = real_numbers(result[key])
            return key, problem, None if not_numbers else values
    return None, None, None


def check_regression_metrics(metrics_fn):
    """Check ``metrics_fn(predictions, targets, threshold)`` against ``RegressionEvaluator`` on three cases."""
    for what, predictions, targets, threshold in _regression_cases():
        expected = RegressionEvaluator(threshold).evaluate(predictions, targets)
        result, problem = call_safely(metrics_fn, [predictions, targets, threshold], what)
        problem = problem or _metrics_problem(result, REGRESSION_KEYS, what)
        if problem:
            return verdict([problem], "")
        key, problem, values = _first_wrong(result, expected, REGRESSION_KEYS, what)
        if problem:
            if values is None:
                return verdict([problem], "")
            if key == "mape" and not np.all(np.isfinite(values)):
                return verdict([problem + " Hint: a target of exactly 0 makes |error| / |target| "
                                "infinite: leave such entries out of MAPE."], "")
            return verdict([problem + _hint(result[key], _regression_candidates(
                key, predictions, targets, threshold, expected))], "")
    return verdict([], "MAE, RMSE, MAPE, R² and the share within the threshold agree with "
                       "rl.RegressionEvaluator in all three cases.")
