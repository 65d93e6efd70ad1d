"""The threshold explorer: the precision-recall curve, the confusion matrix figure and the slider."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_lesson.explore.threshold import (  # noqa: E402
    best_f1_threshold, threshold_curve, threshold_explorer, threshold_figure)

SCORES = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
TARGETS = np.array([0, 0, 1, 0, 0, 1, 0, 1, 1, 1])


def test_curve_by_hand():
    curve = threshold_curve(SCORES, TARGETS, n_thresholds=10)
    np.testing.assert_allclose(curve["threshold"], SCORES, rtol=1e-15)
    # threshold 0.6: predicted positive 0.6..1.0 -> TP 4 (0.6, 0.8, 0.9, 1.0), FP 1 (0.7), FN 1 (0.3)
    assert curve["precision"][5] == pytest.approx(4 / 5, rel=1e-15)
    assert curve["recall"][5] == pytest.approx(4 / 5, rel=1e-15)
    assert curve["recall"][0] == 1.0 and curve["precision"][0] == 0.5  # everything positive
    assert curve["f1"][5] == pytest.approx(0.8, rel=1e-15)


def test_best_f1_threshold():
    assert best_f1_threshold(SCORES, TARGETS, n_thresholds=10) == pytest.approx(0.6, rel=1e-15)


def test_figure_marks_the_threshold_and_shows_the_counts():
    fig = threshold_figure(SCORES, TARGETS, 0.6)
    left, right = fig.axes
    assert "precision 0.80, recall 0.80" in left.get_title()
    assert left.get_xlabel().startswith("threshold")
    cell_texts = sorted(t.get_text().split("\n")[0] + " " + t.get_text().split("\n")[1] for t in right.texts)
    assert cell_texts == ["FN 1", "FP 1", "TN 4", "TP 4"]
    assert "0.6" in right.get_title()
    plt.close(fig)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="same number"):
        threshold_figure(SCORES, TARGETS[:5], 0.5)
    with pytest.raises(ValueError, match="targets must be 0 or 1"):
        threshold_figure(SCORES, SCORES, 0.5)


def test_explorer_starts_at_the_best_f1_and_redraws():
    box = threshold_explorer(SCORES, TARGETS)
    slider = box.children[0].children[0]
    assert slider.min == 0.1 and slider.max == 1.0
    assert slider.value == pytest.approx(best_f1_threshold(SCORES, TARGETS), abs=slider.step)
    slider.value = 0.9
    assert "redrawn in" in box.status.value
    assert plt.get_fignums() == []
