"""Evaluators against confusion matrices and error sums worked out by hand.

scikit-learn is not a dependency; the expected values below are what its
accuracy_score, precision_score, recall_score, f1_score (zero_division=0),
mean_absolute_error, root_mean_squared_error, mean_absolute_percentage_error
and r2_score return for the same inputs, computed here from the definitions.
"""
import re
import warnings

import numpy as np
import pytest

import rnn_lesson as rl

TOL = dict(rel=0, abs=1e-12)


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_binary_confusion_matrix_by_hand():
    scores = np.array([0.9, 0.8, 0.3, 0.6, 0.1, 0.2, 0.7, 0.4, 0.5, 0.05])
    truth = np.array([1, 1, 1, 0, 0, 0, 1, 0, 0, 0])
    # >= 0.5 -> predicted 1: idx 0,1,3,6,8.  TP: 0,1,6 = 3; FP: 3,8 = 2; FN: 2 = 1; TN: 4,5,7,9 = 4
    m = rl.BinaryClassificationEvaluator(0.5).evaluate(scores, truth)
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (3, 2, 1, 4)
    assert all(type(m[k]) is int for k in ("tp", "fp", "fn", "tn", "support", "positives", "negatives"))
    assert (m["support"], m["positives"], m["negatives"]) == (10, 4, 6)
    assert m["accuracy"] == pytest.approx(7 / 10, **TOL)
    assert m["precision"] == pytest.approx(3 / 5, **TOL)
    assert m["recall"] == pytest.approx(3 / 4, **TOL)
    assert m["specificity"] == pytest.approx(4 / 6, **TOL)
    precision, recall = 3 / 5, 3 / 4
    assert m["f1"] == pytest.approx(2 * precision * recall / (precision + recall), **TOL)
    assert m["positive_accuracy"] == m["recall"] and m["negative_accuracy"] == m["specificity"]


def test_threshold_is_inclusive():
    ev = rl.BinaryClassificationEvaluator(threshold=0.5)
    assert ev.evaluate([0.5], [1])["tp"] == 1
    assert ev.evaluate([np.nextafter(0.5, 0)], [1])["fn"] == 1
    assert rl.BinaryClassificationEvaluator(threshold=0.0).evaluate([0.0, -1.0], [1, 0])["accuracy"] == 1.0


def test_lists_of_sequences_count_every_time_step():
    preds = [np.array([[0.9], [0.2]]), np.array([[0.7], [0.6], [0.1]])]
    labels = [np.array([[1.0], [0.0]]), np.array([[0.0], [1.0], [0.0]])]
    flat = rl.BinaryClassificationEvaluator().evaluate(np.concatenate(preds), np.concatenate(labels))
    assert rl.BinaryClassificationEvaluator().evaluate(preds, labels) == flat
    assert (flat["tp"], flat["fp"], flat["tn"], flat["fn"], flat["support"]) == (2, 1, 2, 0, 5)


@pytest.mark.parametrize("scores, truth, zero_keys", [
    ([0.1, 0.2, 0.3], [0, 1, 1], ["precision", "recall", "f1"]),   # nothing predicted positive
    ([0.1, 0.2], [0, 0], ["precision", "recall", "f1"]),           # no positives at all
    ([0.9, 0.8], [1, 1], ["specificity", "negative_accuracy"]),    # no negatives at all
])
def test_zero_denominators_give_zero_without_warning(scores, truth, zero_keys):
    m = rl.BinaryClassificationEvaluator().evaluate(scores, truth)
    for key in zero_keys:
        assert m[key] == 0.0, key
    assert all(np.isfinite(v) for v in m.values())


def test_binary_input_errors():
    ev = rl.BinaryClassificationEvaluator()
    with pytest.raises(ValueError, match="0 or 1.*0.5"):
        ev.evaluate([0.2, 0.7], [0, 0.5])
    with pytest.raises(ValueError, match=r"predictions has shape \(3,\) but targets has shape \(2,\)"):
        ev.evaluate([0.2, 0.7, 0.1], [0, 1])
    with pytest.raises(ValueError, match="holds 2 arrays but targets holds 1"):
        ev.evaluate([np.zeros((2, 1)), np.zeros((1, 1))], [np.zeros((3, 1))])
    with pytest.raises(ValueError, match=r"\(item 1\)"):
        ev.evaluate([np.zeros((2, 1)), np.zeros((1, 1))], [np.zeros((2, 1)), np.zeros((2, 1))])
    with pytest.raises(ValueError, match="empty"):
        ev.evaluate([], [])
    with pytest.raises(ValueError, match="non-finite"):
        ev.evaluate([np.nan], [1])
    with pytest.raises(TypeError, match="threshold must be a number, got str 'high'"):
        rl.BinaryClassificationEvaluator(threshold="high")
    with pytest.raises(ValueError, match="threshold must be finite, got nan"):
        rl.BinaryClassificationEvaluator(threshold=float("nan"))


def test_binary_report_shows_counts_and_percentages():
    ev = rl.BinaryClassificationEvaluator()
    text = ev.report(ev.evaluate([0.9, 0.8, 0.3, 0.6], [1, 1, 1, 0]))
    assert "accuracy 50.00%" in text and "precision 66.67%" in text and "recall 66.67%" in text
    assert re.search(r"actual 1 +TP +2 +FN +1 +\(3 positives\)", text)
    assert re.search(r"actual 0 +FP +1 +TN +0 +\(1 negatives\)", text)
    assert "negative class accuracy 0.00%" in text and len(text.splitlines()) == 6


def test_regression_metrics_by_hand():
    pred = np.array([[2.5], [0.0], [2.0], [8.0]])
    target = np.array([[3.0], [-0.5], [2.0], [7.0]])
    # errors -0.5, 0.5, 0, 1;  mean target 2.875
    m = rl.RegressionEvaluator(threshold=0.5).evaluate(pred, target)
    assert m["mae"] == pytest.approx(2.0 / 4, **TOL)
    assert m["rmse"] == pytest.approx(np.sqrt(1.5 / 4), **TOL)
    assert m["mape"] == pytest.approx((0.5 / 3 + 0.5 / 0.5 + 0 + 1 / 7) / 4, **TOL)
    ss_tot = 0.125**2 + 3.375**2 + 0.875**2 + 4.125**2
    assert m["r2"] == pytest.approx(1 - 1.5 / ss_tot, **TOL)
    assert m["within_threshold"] == 0.75  # |e| <= 0.5 counts
    assert (m["n"], m["mape_skipped"]) == (4, 0)


def test_mape_skips_zero_targets_and_says_how_many():
    m = rl.RegressionEvaluator().evaluate([1.0, 2.0, 0.5], [0.0, 4.0, 0.0])
    assert m["mape"] == pytest.approx(0.5, **TOL)
    assert m["mape_skipped"] == 2
    assert rl.RegressionEvaluator().evaluate([1.0, 2.0], [0.0, 0.0])["mape"] == 0.0


def test_r2_with_constant_targets_follows_sklearn():
    target = np.full(3, 0.1)  # np.mean of it is 0.10000000000000002, not 0.1
    ev = rl.RegressionEvaluator()
    assert ev.evaluate(target.copy(), target)["r2"] == 1.0
    assert ev.evaluate(target + [0.0, 0.0, 0.01], target)["r2"] == 0.0


def test_regression_input_errors_and_report():
    ev = rl.RegressionEvaluator(threshold=0.25)
    with pytest.raises(ValueError, match=r"\(2, 1\).*\(1, 2\)"):
        ev.evaluate(np.zeros((2, 1)), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="targets contains a non-finite"):
        ev.evaluate([1.0], [np.inf])
    with pytest.raises(ValueError, match=">= 0"):
        rl.RegressionEvaluator(threshold=-1)
    text = ev.report(ev.evaluate([1.0, 2.0, 0.0], [1.5, 2.0, 0.0]))
    assert "MAPE 16.67% (1 zero targets left out)" in text
    assert "within ±0.25 of the target: 66.67% (2 of 3)" in text


# Hostile inputs (issue 17)

def test_subnormal_targets_give_metrics_not_zero_division():
    ev = rl.RegressionEvaluator()
    m = ev.evaluate([0.0, 1.0], [0.0, 1e-310])  # SS_tot underflows to 0
    assert (m["r2"], m["mape"], m["mape_skipped"]) == (0.0, 0.0, 2)
    assert ev.evaluate([0.0, 1e-310], [0.0, 1e-310])["r2"] == 1.0
    m = ev.evaluate([0.0, 1.0], [1.0, 1e-310])  # dividing by 1e-310 would overflow to inf
    assert (m["mape"], m["mape_skipped"]) == (1.0, 1)
    assert np.isfinite(m["r2"])
    assert "MAPE 100.00% (1 zero targets left out)" in ev.report(m)
