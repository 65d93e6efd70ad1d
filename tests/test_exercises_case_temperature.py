import numpy as np

from rnn_lesson.exercises.case_temperature import check_climatology


def _distance(phases, p, period):
    return np.abs((phases - p + period // 2) % period - period // 2)


def correct(values, phases, period, half_width):
    return np.array([values[_distance(phases, p, period) <= half_width].mean() for p in range(period)])


def no_wrap(values, phases, period, half_width):
    return np.array([values[np.abs(phases - p) <= half_width].mean() for p in range(period)])


def mean_of_means(values, phases, period, half_width):
    means = np.array([values[phases == p].mean() for p in range(period)])
    return np.array([means[_distance(np.arange(period), p, period) <= half_width].mean() for p in range(period)])


def strict_window(values, phases, period, half_width):
    return np.array([values[_distance(phases, p, period) < half_width].mean() if half_width else values[phases == p].mean()
                     for p in range(period)])


def test_a_correct_solution_passes():
    feedback = check_climatology(correct)
    assert feedback.passed, feedback.message
    assert "wraps round" in feedback.message


def test_no_wrap_round_is_named():
    feedback = check_climatology(no_wrap)
    assert not feedback.passed
    assert "case 1" in feedback.message and "phase 0" in feedback.message
    assert "wrap round" in feedback.message


def test_mean_of_phase_means_is_named():
    feedback = check_climatology(mean_of_means)
    assert not feedback.passed
    assert "per-phase means" in feedback.message


def test_too_narrow_window_is_named():
    feedback = check_climatology(strict_window)
    assert not feedback.passed
    assert "one phase too narrow" in feedback.message


def test_other_mistakes_get_shape_and_location_messages():
    feedback = check_climatology(lambda values, phases, period, half_width: correct(values, phases, period,
                                                                                    half_width)[:-1])
    assert not feedback.passed and "shape (4,), expected (5,)" in feedback.message
    feedback = check_climatology(lambda values, phases, period, half_width: np.zeros(period))
    assert not feedback.passed and "first difference at phase 0" in feedback.message
    assert "It looks as if" not in feedback.message
    feedback = check_climatology(lambda values, phases, period, half_width: None)
    assert "return" in feedback.message


def test_changing_the_inputs_in_place_is_reported():
    def sorts_in_place(values, phases, period, half_width):
        table = correct(values, phases, period, half_width)
        values.sort()
        return table

    feedback = check_climatology(sorts_in_place)
    assert not feedback.passed and "in place" in feedback.message
