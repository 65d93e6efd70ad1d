"""Checker for the capstone at the end of lesson 09: a model of your own, trained end to end.

    check_capstone(report)   report: a dict, see below -> Feedback

The learner chooses the task, the data and the model; the checker cannot rerun any of
it. It checks what can be checked from the held-out results, and scores them:

    "task"            a sentence: what is forecast or classified, from what
    "kind"            "regression" or "classification"
    "targets"         the held-out truth, an array of real numbers (for classification 0/1)
    "model"           the model's forecasts (or scores, for classification), same shape
    "baseline"        a baseline's forecasts (or scores), same shape
    "baseline_name"   which baseline: "persistence", "all negative", "linear, today only", ...
    "threshold"       classification only, optional: flag when score >= threshold (0.5)

At least MIN_VALUES held-out values, all finite; the model must differ from both the
targets (equal forecasts are a leak, not a model) and the baseline. Regression is
scored with RMSE and MAE, classification with F1, precision and recall
(``rl.RegressionEvaluator`` / ``rl.BinaryClassificationEvaluator``). Whether the model
or the baseline wins, the report passes: the result is the message.
"""
import numpy as np

from . import Feedback, real_numbers, same_values, verdict
from ..evaluate import BinaryClassificationEvaluator, RegressionEvaluator

MIN_VALUES = 30  # fewer held-out values than this give a score that says next to nothing
KEYS = ("task", "kind", "targets", "model", "baseline", "baseline_name")
CANNOT_CHECK = ("What no checker can see, and your notes should state: that these values were held out "
                "(never used to train, scale or choose anything), that the split respects time if the data "
                "have an order, and that the baseline is the strongest simple one you could think of.")


def _text_problem(report, key):
    value = report[key]
    if not isinstance(value, str) or not value.strip():
        return f'report["{key}"] must be a non-empty string (a few words), got {type(value).__name__} {value!r}.'
    return None


def _arrays(report):
    """(targets, model, baseline) as float arrays and None, or None and the problem in words."""
    arrays = {}
    for key in ("targets", "model", "baseline"):
        values, problem = real_numbers(report[key])
        if problem:
            return None, f'report["{key}"]: {problem}'
        arrays[key] = values
    targets = arrays["targets"]
    for key in ("model", "baseline"):
        if arrays[key].shape != targets.shape:
            return None, (f'report["{key}"] has shape {arrays[key].shape}, the targets {targets.shape}: one '
                          f"forecast for every held-out value.")
    for key, values in arrays.items():
        if not np.isfinite(values).all():
            return None, f'report["{key}"] holds NaN or infinite values: every held-out value needs a number.'
    if targets.size < MIN_VALUES:
        return None, (f"only {targets.size} held-out values: a score on fewer than {MIN_VALUES} says next to "
                      f"nothing. Hold out more data.")
    return (targets, arrays["model"], arrays["baseline"]), None


def _content_problem(report, targets, model, baseline):
    if report["kind"] == "classification":
        if not ((targets == 0) | (targets == 1)).all():
            return "classification targets must be 0 or 1."
        if targets.min() == targets.max():
            return "the held-out targets hold only one class: no score can tell a model from a guess."
    elif targets.min() == targets.max():
        return "the held-out targets are all the same number: forecast something that varies."
    if same_values(model, targets):
        return ('report["model"] equals the held-out targets: that is a leak (the answers went into the '
                "forecast), not a model. Forecast from the inputs only.")
    if same_values(model, baseline):
        return 'report["model"] equals report["baseline"]: compare two different forecasts.'
    return None


def _score(report, targets, model, baseline):
    """The message comparing model and baseline on the held-out values."""
    name = report["baseline_name"]
    if report["kind"] == "regression":
        evaluator, main, lower_is_better, also = RegressionEvaluator(), "rmse", True, "mae"
    else:
        evaluator = BinaryClassificationEvaluator(threshold=report.get("threshold", 0.5))
        main, lower_is_better, also = "f1", False, "recall"
    ours, theirs = evaluator.evaluate(model, targets), evaluator.evaluate(baseline, targets)
    better = ours[main] < theirs[main] if lower_is_better else ours[main] > theirs[main]
    figures = (f"held-out {main.upper()} {ours[main]:.4g} for your model against {theirs[main]:.4g} for the "
               f"baseline ({name}); {also.upper()} {ours[also]:.4g} against {theirs[also]:.4g}, on "
               f"{targets.size} values.")
    if ours[main] == theirs[main]:
        verdict_words = "A tie: the model adds nothing measurable over the baseline."
    elif better:
        verdict_words = "Your model beats the baseline; check that the margin is larger than its spread over seeds."
    else:
        verdict_words = ("The baseline wins: an honest result worth reporting. Say why in your notes (as lessons "
                         "08 and 09 did).")
    return f"your report is complete and scored: {figures} {verdict_words} {CANNOT_CHECK}"


def check_capstone(report):
    """Check and score the capstone ``report`` (a dict, see the module docstring); returns Feedback."""
    if report is None:
        return Feedback(False, "not attempted yet: report is None. Train your model, fill in the report, "
                               "run the cell again.")
    if not isinstance(report, dict):
        return Feedback(False, f"the report must be a dict with the keys {list(KEYS)}, got {type(report).__name__}.")
    missing = [key for key in KEYS if key not in report]
    if missing:
        return Feedback(False, f"the report is missing {missing}.")
    problem = _text_problem(report, "task") or _text_problem(report, "baseline_name")
    if problem is None and report["kind"] not in ("regression", "classification"):
        problem = f'report["kind"] must be "regression" or "classification", got {report["kind"]!r}.'
    if problem:
        return Feedback(False, problem)
    arrays, problem = _arrays(report)
    problem = problem or _content_problem(report, *arrays)
    if problem:
        return verdict([problem], "")
    try:
        return Feedback(True, _score(report, *arrays))
    except (TypeError, ValueError) as err:  # e.g. a threshold that is not a number
        return Feedback(False, f"the report could not be scored: {err}")
