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


def _lagged_right(X):
    past = np.zeros_like(X)
    past[:, 1:] = X[:, :-1]
    return np.concatenate([X, past], axis=2)


def test_lagged_features_pass_and_mistakes_are_named():
    from rnn_lesson.exercises.case_fraud import check_lagged_features
    assert check_lagged_features(_lagged_right).passed
    future = lambda X: np.concatenate([X, np.concatenate([X[:, 1:], np.zeros_like(X[:, :1])], axis=1)], axis=2)
    assert "leak from the future" in check_lagged_features(future).message
    assert "wraps round" in check_lagged_features(lambda X: np.concatenate([X, np.roll(X, 1, axis=1)], axis=2)).message
    swapped = lambda X: np.concatenate([_lagged_right(X)[..., X.shape[2]:], X], axis=2)
    assert "halves are swapped" in check_lagged_features(swapped).message
    assert "not attempted yet" in check_lagged_features(lambda X: None).message
    assert "shape" in check_lagged_features(lambda X: X).message
    assert not check_lagged_features(lambda X: X.tolist()).passed
