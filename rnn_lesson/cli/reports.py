"""The tasks, their evaluators, and the reports ``train`` logs and ``evaluate`` prints.

Each function returns text blocks (a title line, then the evaluator's report)
so that ``train`` can log them and ``evaluate`` print them. ``part`` is always
a Dataset min-max scaled with the training set's bounds: its labels are scaled,
and ``denormalize_labels`` maps them (and the predictions) back to the units
of the file.
"""
import numpy as np

from ..baselines import all_negative, persistence
from ..evaluate import BinaryClassificationEvaluator, RegressionEvaluator

TASKS = {"classification": BinaryClassificationEvaluator, "regression": RegressionEvaluator}
DEFAULT_THRESHOLD = {"classification": 0.5, "regression": 0.1}


def evaluator_for(task, threshold=None):
    """The evaluator of ``task`` at ``threshold`` (None: the task's default); ValueError for a bad threshold."""
    return TASKS[task](DEFAULT_THRESHOLD[task] if threshold is None else threshold)


def model_reports(model, part, task, threshold, title):
    """The model's report on ``part``: classification on its 0/1 labels, regression in the labels' original units."""
    if task == "regression":
        return original_units_reports(model, part, threshold, title)
    evaluator = evaluator_for(task, threshold)
    metrics = evaluator.evaluate(model.predict_sequences(part), [s.labels for s in part])
    return [f"model on the {title}:\n{evaluator.report(metrics)}"]


def baseline_reports(part, task, threshold, title, with_persistence=False):
    """The baseline beside the model: all-negative for classification; for regression persistence, if asked."""
    if task == "regression":
        if not with_persistence:
            return []
        return original_units_reports(None, part, threshold, f"{title}, persistence baseline")
    evaluator = evaluator_for(task, threshold)
    targets = [s.labels for s in part]
    return [f"all-negative baseline (every prediction 0) on the {title}:\n"
            + evaluator.report(evaluator.evaluate(all_negative(targets), targets))]


def tolerances(part, threshold):
    """Each label's tolerance in original units: ``threshold`` times its training range (max - min, 1 if constant).

    ``part`` is a normalized Dataset. ValueError naming the label when that
    product overflows float64 (a huge --threshold, or labels spanning more than 1e308).
    """
    low, high = part.label_bounds[:, 0], part.label_bounds[:, 1]
    halves = np.where(high > low, high / 2 - low / 2, 0.5)  # halves: a span beyond float64's range stays finite
    with np.errstate(over="ignore"):
        values = threshold * 2 * halves
    for label, value, a, b in zip(part.label_names, values, low, high):
        if not np.isfinite(value):
            raise ValueError(f"--threshold {threshold:g} times the range of label {label!r} ({a:.3g} to {b:.3g}) "
                             "overflows float64; give a smaller --threshold")
    return values


def original_units_reports(model, part, threshold, title):
    """Regression metrics for ``part`` in the labels' original units, one report per label.

    ``threshold`` (on scaled labels) becomes threshold * (max - min) of that
    label. ``model`` None reports the persistence baseline (the first feature,
    unscaled, at each step) instead of the model's predictions.
    """
    if model is None:
        predictions = [persistence(part.denormalize_features(s.features)) for s in part]
    else:
        predictions = [part.denormalize_labels(p) for p in model.predict_sequences(part)]
    targets = [part.denormalize_labels(s.labels) for s in part]
    blocks = []
    for j, (label, tolerance) in enumerate(zip(part.label_names, tolerances(part, threshold))):
        evaluator = RegressionEvaluator(tolerance)
        metrics = evaluator.evaluate([p[:, j] for p in predictions], [t[:, j] for t in targets])
        blocks.append(f"{title}, label {label!r} in original units:\n{evaluator.report(metrics)}")
    return blocks
