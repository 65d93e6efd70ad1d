"""The lesson 06 checkers accept right metrics and name the mistake in wrong ones."""
import numpy as np
import pytest

from rnn_lesson.exercises.evaluators import check_classification_metrics, check_regression_metrics


def ratio(a, b):
    return a / b if b else 0.0


def classification(tp, fp, tn, fn, *, swap=False, mean_f1=False, npv=False, divide=ratio):
    precision, recall = divide(tp, tp + fp), divide(tp, tp + fn)
    if swap:
        precision, recall = recall, precision
    f1 = (precision + recall) / 2 if mean_f1 else divide(2 * tp, 2 * tp + fp + fn)
    specificity = divide(tn, tn + fn) if npv else divide(tn, tn + fp)
    return {"accuracy": (tp + tn) / (tp + fp + tn + fn), "precision": precision, "recall": recall,
            "f1": f1, "specificity": specificity}


def test_right_classification_metrics_pass():
    feedback = check_classification_metrics(classification)
    assert feedback.passed, feedback.message


@pytest.mark.parametrize("mistake, phrases", [
    ({"swap": True}, ["precision for the confusion matrix TP=6", "that is the recall"]),
    ({"mean_f1": True}, ["f1 for the confusion matrix TP=6", "harmonic mean"]),
    ({"npv": True}, ["specificity", "TN / (TN + FP)"]),
])
def test_classification_mistakes_are_named(mistake, phrases):
    message = check_classification_metrics(lambda *c: classification(*c, **mistake)).message
    for phrase in phrases:
        assert phrase in message, (phrase, message)


def test_zero_denominators_are_explained():
    crashes = check_classification_metrics(lambda *c: classification(*c, divide=lambda a, b: a / b)).message
    assert "ZeroDivisionError" in crashes and "TP + FP = 0" in crashes and "report 0.0" in crashes

    def numpy_nan(a, b):
        with np.errstate(invalid="ignore", divide="ignore"):
            return float(np.float64(a) / np.float64(b))

    nan = check_classification_metrics(lambda *c: classification(*c, divide=numpy_nan)).message
    assert "you returned nan" in nan and "report 0.0" in nan


def regression(predictions, targets, threshold, *, percent=False, keep_zero=False, strict=False, no_abs=False):
    err = predictions - targets
    nonzero = np.ones_like(targets, dtype=bool) if keep_zero else targets != 0
    with np.errstate(divide="ignore"):
        mape = np.mean(np.abs(err[nonzero]) / np.abs(targets[nonzero]))
    return {"mae": np.mean(err if no_abs else np.abs(err)), "rmse": np.sqrt(np.mean(err ** 2)),
            "mape": 100 * mape if percent else mape,
            "r2": 1 - np.sum(err ** 2) / np.sum((targets - targets.mean()) ** 2),
            "within_threshold": np.mean(np.abs(err) < threshold if strict else np.abs(err) <= threshold)}


def test_right_regression_metrics_pass():
    feedback = check_regression_metrics(regression)
    assert feedback.passed, feedback.message


@pytest.mark.parametrize("mistake, phrases", [
    ({"percent": True}, ["mape for case 1", "fraction"]),
    ({"keep_zero": True}, ["mape for case 2", "you returned inf", "leave such entries out"]),
    ({"strict": True}, ["within_threshold for case 3", "use <="]),
    ({"no_abs": True}, ["mae for case 1", "absolute value"]),
])
def test_regression_mistakes_are_named(mistake, phrases):
    message = check_regression_metrics(lambda *a: regression(*a, **mistake)).message
    for phrase in phrases:
        assert phrase in message, (phrase, message)


def test_regression_return_problems():
    def forgets_r2(predictions, targets, threshold):
        result = regression(predictions, targets, threshold)
        del result["r2"]
        return result

    assert "missing ['r2']" in check_regression_metrics(forgets_r2).message
    assert "return a dict" in check_regression_metrics(lambda *a: 0.5).message
