import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.baselines import all_negative, climatology, oversample_indices, persistence


def test_persistence_is_tomorrow_equals_today_on_a_windowed_series():
    series = np.array([3.0, 5.0, 4.0, 8.0, 7.0])
    xs = series[:-1, None]  # (T=4, F=1) today
    targets = series[1:, None]  # (T=4, O=1) tomorrow
    forecast = persistence(xs)
    np.testing.assert_array_equal(forecast, [[3.0], [5.0], [4.0], [8.0]])
    assert forecast.shape == targets.shape
    metrics = rl.RegressionEvaluator().evaluate(forecast, targets)
    assert metrics["mae"] == pytest.approx((2 + 1 + 4 + 1) / 4)


def test_persistence_picks_the_column_and_keeps_leading_axes():
    batch = np.arange(24.0).reshape(2, 3, 4)  # (N, T, F)
    forecast = persistence(batch, column=2)
    assert forecast.shape == (2, 3, 1)
    np.testing.assert_array_equal(forecast[..., 0], batch[..., 2])
    forecast[0, 0, 0] = -1.0
    assert batch[0, 0, 2] == 2.0, "the forecast must be a copy, not a view of the input"


@pytest.mark.parametrize("column", [4, -1, 1.0, True])
def test_persistence_rejects_a_bad_column(column):
    with pytest.raises(ValueError, match="column must be an integer in \\[0, 3\\]"):
        persistence(np.zeros((5, 4)), column=column)


def test_climatology_without_smoothing_is_the_mean_per_phase():
    values = np.array([1.0, 10.0, 100.0, 3.0, 20.0, 200.0])  # two cycles of period 3
    phases = np.array([0, 1, 2, 0, 1, 2])
    np.testing.assert_array_equal(climatology(values, phases, period=3), [2.0, 15.0, 150.0])


def test_climatology_window_wraps_round_the_cycle():
    values = np.array([1.0, 2.0, 3.0, 4.0, 8.0])
    phases = np.array([0, 1, 2, 3, 4])
    table = climatology(values, phases, period=5, half_width=1)
    # phase 0 averages phases 4, 0, 1; phase 4 averages phases 3, 4, 0
    np.testing.assert_allclose(table, [(8 + 1 + 2) / 3, 2.0, 3.0, (3 + 4 + 8) / 3, (4 + 8 + 1) / 3], rtol=1e-15)


def test_climatology_weights_every_observation_equally():
    # phase 0 is seen twice, phase 1 once: the window mean counts observations, not phases
    table = climatology(np.array([0.0, 6.0, 3.0]), np.array([0, 0, 1]), period=2, half_width=1)
    np.testing.assert_array_equal(table, [3.0, 3.0])


def test_climatology_fills_a_missing_phase_from_its_window_only():
    values, phases = np.array([2.0, 4.0]), np.array([0, 2])
    np.testing.assert_array_equal(climatology(values, phases, period=4, half_width=1), [2.0, 3.0, 4.0, 3.0])
    with pytest.raises(ValueError, match="no training value within ±0 of phase 1"):
        climatology(values, phases, period=4)


def test_climatology_rejects_bad_phases():
    with pytest.raises(ValueError, match="entry 1 is 7"):
        climatology(np.ones(2), np.array([0, 7]), period=7)
    with pytest.raises(TypeError, match="integers"):
        climatology(np.ones(2), np.array([0.0, 1.0]), period=7)
    with pytest.raises(ValueError, match="phases has shape"):
        climatology(np.ones(2), np.array([0]), period=7)


def test_all_negative_scores_the_share_of_negatives_and_zero_recall():
    targets = np.zeros((4, 10, 1))
    targets[1, 3, 0] = targets[2, 7, 0] = 1.0  # 2 positives in 40 entries
    predictions = all_negative(targets)
    assert predictions.shape == targets.shape and not predictions.any()
    metrics = rl.BinaryClassificationEvaluator().evaluate(predictions, targets)
    assert metrics["accuracy"] == 38 / 40
    assert (metrics["recall"], metrics["precision"], metrics["f1"]) == (0.0, 0.0, 0.0)
    assert (metrics["tp"], metrics["fn"], metrics["tn"]) == (0, 2, 38)


def test_all_negative_on_a_list_of_sequences():
    predictions = all_negative([np.ones((3, 1)), np.ones((5, 1))])
    assert [p.shape for p in predictions] == [(3, 1), (5, 1)]
    assert all(not p.any() for p in predictions)


def _labels():
    labels = np.zeros((6, 4, 1))
    labels[1, 2, 0] = 1.0
    labels[4, 0, 0] = labels[4, 3, 0] = 1.0
    return labels  # sequences 1 and 4 hold a positive


def test_oversample_repeats_positive_sequences_factor_times():
    idx = oversample_indices(_labels(), factor=5, seed=3)
    assert len(idx) == 4 + 2 * 5
    np.testing.assert_array_equal(np.bincount(idx, minlength=6), [1, 5, 1, 1, 5, 1])


def test_oversample_is_deterministic_and_shuffled_by_its_seed():
    first, again = oversample_indices(_labels(), 5, seed=3), oversample_indices(_labels(), 5, seed=3)
    np.testing.assert_array_equal(first, again)
    other = oversample_indices(_labels(), 5, seed=4)
    assert not np.array_equal(first, other)
    np.testing.assert_array_equal(np.sort(first), np.sort(other))
    assert not np.array_equal(first, np.sort(first)), "copies should be spread, not grouped"


def test_oversample_factor_one_keeps_every_sequence_once_and_accepts_lists():
    idx = oversample_indices(list(_labels()), factor=1)
    np.testing.assert_array_equal(np.sort(idx), np.arange(6))


def test_oversample_rejects_non_binary_labels_naming_the_sequence():
    labels = _labels()
    labels[3, 1, 0] = 0.5
    with pytest.raises(ValueError, match="sequence 3 must be 0 or 1, found 0.5"):
        oversample_indices(labels, 2)
    with pytest.raises(ValueError, match="factor must be at least 1"):
        oversample_indices(_labels(), 0)


# Hostile inputs (issue 17)

def test_climatology_counts_each_value_once_when_the_window_is_wider_than_the_cycle():
    # ±2 round a cycle of 3 used to reach phases twice: [2.2, 2.0, 1.8]
    np.testing.assert_array_equal(climatology([1.0, 2.0, 3.0], [0, 1, 2], 3, half_width=2), [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(climatology([1.0, 2.0, 6.0, 3.0], [0, 0, 1, 3], 4, half_width=2), [3.0] * 4)


def test_climatology_with_a_huge_half_width_is_quick():
    import time
    start = time.perf_counter()
    for half_width in (10**6, 10**100):
        np.testing.assert_array_equal(climatology([1.0, 2.0, 3.0], [0, 1, 2], 3, half_width=half_width), [2.0] * 3)
    assert time.perf_counter() - start < 1.0


def test_climatology_inside_the_cycle_is_unchanged():
    rng = np.random.default_rng(0)
    values, phases = rng.standard_normal(200), rng.integers(0, 7, 200)
    for half_width in range(4):  # 2 w + 1 <= 7
        expected = [values[np.minimum((phases - p) % 7, (p - phases) % 7) <= half_width].mean() for p in range(7)]
        np.testing.assert_allclose(climatology(values, phases, 7, half_width), expected, rtol=1e-13)


@pytest.mark.parametrize("period, phase", [(10**12, 1), (10**9, 1)])
def test_climatology_refuses_a_period_its_data_cannot_cover_before_allocating_it(period, phase):
    with pytest.raises(ValueError, match=rf"no training value within ±0 of phase {phase}"):
        climatology([1.0, 2.0], [0, 2], period)
    with pytest.raises(ValueError, match="no training value within ±3 of phase 4"):
        climatology([1.0], [0], period, half_width=3)


@pytest.mark.parametrize("seed, error", [(None, TypeError), ("0", TypeError), (1.5, TypeError), (True, TypeError),
                                         (-1, ValueError)])
def test_oversample_indices_needs_an_integer_seed(seed, error):
    labels = [np.zeros((2, 1)), np.ones((2, 1))]
    with pytest.raises(error, match="seed"):
        oversample_indices(labels, 3, seed=seed)
    np.testing.assert_array_equal(oversample_indices(labels, 3, seed=np.int64(4)), oversample_indices(labels, 3, 4))
