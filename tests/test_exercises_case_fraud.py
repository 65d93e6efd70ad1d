import numpy as np

from rnn_lesson.exercises.case_fraud import check_precision_recall


def correct(scores, targets, thresholds):
    precision, recall = [], []
    for threshold in thresholds:
        predicted = scores >= threshold
        tp = np.sum(predicted & (targets == 1))
        precision.append(tp / predicted.sum() if predicted.sum() else 0.0)
        recall.append(tp / targets.sum())
    return np.array(precision), np.array(recall)


def strict(scores, targets, thresholds):
    return correct(scores, targets, np.nextafter(thresholds, np.inf))  # same as scores > threshold


def nan_when_empty(scores, targets, thresholds):
    precision, recall = correct(scores, targets, thresholds)
    empty = np.array([not np.any(scores >= t) for t in thresholds])
    return np.where(empty, np.nan, precision), recall


def test_a_correct_solution_passes():
    feedback = check_precision_recall(correct)
    assert feedback.passed, feedback.message
    assert "ties and empty predictions" in feedback.message


def test_strict_inequality_is_named():
    feedback = check_precision_recall(strict)
    assert not feedback.passed
    assert "case 1" in feedback.message and "threshold no. 1" in feedback.message
    assert "score >= threshold is positive" in feedback.message


def test_nan_for_an_empty_prediction_is_named():
    feedback = check_precision_recall(nan_when_empty)
    assert not feedback.passed
    assert "non-finite value nan at threshold no. 0" in feedback.message
    assert "report 0.0" in feedback.message


def test_swapped_and_wrong_denominator_are_named():
    feedback = check_precision_recall(lambda s, y, th: correct(s, y, th)[::-1])
    assert not feedback.passed and "swapped" in feedback.message
    feedback = check_precision_recall(lambda s, y, th: (correct(s, y, th)[0], correct(s, y, th)[1] * y.sum() / y.size))
    assert not feedback.passed and "actual positives" in feedback.message


def test_wrong_return_forms_are_explained():
    feedback = check_precision_recall(lambda s, y, th: correct(s, y, th)[0])
    assert not feedback.passed and "return two arrays" in feedback.message
    feedback = check_precision_recall(lambda s, y, th: (correct(s, y, th)[0][:-1], correct(s, y, th)[1]))
    assert not feedback.passed and "precision: shape (4,), expected (5,)" in feedback.message
    feedback = check_precision_recall(lambda s, y, th: (np.zeros(len(th)), correct(s, y, th)[1]))
    assert not feedback.passed and "first difference at threshold no. 1" in feedback.message
    assert "It looks as if" not in feedback.message


def test_an_exception_is_reported_in_words():
    def broken(scores, targets, thresholds):
        raise ZeroDivisionError("division by zero")

    feedback = check_precision_recall(broken)
    assert not feedback.passed and "raised ZeroDivisionError" in feedback.message
