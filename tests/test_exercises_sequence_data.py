"""The lesson-02 checkers accept correct scaling and windowing and name realistic mistakes."""
import numpy as np

from rnn_lesson.exercises.sequence_data import check_min_max, check_windows


def scale_with(bounds="train", axis=0, guard_constant=True):
    """A min-max scaler with one switchable mistake; the defaults are correct."""
    def min_max_scale(train, test):
        def scaled(rows, source):
            low, high = source.min(axis=axis, keepdims=True), source.max(axis=axis, keepdims=True)
            span = np.where(high > low, high - low, 1.0) if guard_constant else high - low
            return (rows - low) / span

        if bounds == "own":
            return scaled(train, train), scaled(test, test)
        source = {"train": train, "both": np.vstack([train, test])}[bounds]
        return scaled(train, source), scaled(test, source)
    return min_max_scale


def windows_with(n_windows_offset=0, shift=None, labels_last_only=False):
    """A windowing function with one switchable mistake; the defaults are correct."""
    def make_windows(series, window, horizon):
        step = horizon if shift is None else shift
        starts = range(len(series) - window - horizon + 1 + n_windows_offset)
        X = np.array([series[s:s + window] for s in starts])
        Y = np.array([series[s + step:s + step + window] for s in starts])
        return X, (Y[:, -1] if labels_last_only else Y)
    return make_windows


def test_min_max_accepts_the_correct_scaler():
    feedback = check_min_max(scale_with())
    assert feedback.passed, feedback.message


def test_min_max_names_test_set_bounds():
    feedback = check_min_max(scale_with(bounds="own"))
    assert not feedback.passed and "very different ranges, the scaled test rows" in feedback.message
    assert "their own min and max" in feedback.message


def test_min_max_names_bounds_from_both_sets():
    feedback = check_min_max(scale_with(bounds="both"))
    assert "the scaled train rows" in feedback.message and "training and test rows together" in feedback.message


def test_min_max_names_one_bound_for_all_columns():
    feedback = check_min_max(scale_with(axis=None))
    assert "row 0, column 0" in feedback.message and "per column (axis=0)" in feedback.message


def test_min_max_explains_the_constant_column():
    with np.errstate(divide="ignore", invalid="ignore"):
        feedback = check_min_max(scale_with(guard_constant=False))
    assert "constant" in feedback.message and "non-finite" in feedback.message
    assert "divide by 1" in feedback.message


def test_min_max_rejects_a_single_return_value():
    assert "return two arrays" in check_min_max(lambda train, test: train).message


def test_windows_accepts_the_correct_function():
    feedback = check_windows(windows_with())
    assert feedback.passed, feedback.message


def test_windows_one_short_is_counted():
    feedback = check_windows(windows_with(n_windows_offset=-1))
    assert "You made 7 windows" in feedback.message and "= 8" in feedback.message


def test_windows_labels_without_a_shift_are_named():
    feedback = check_windows(windows_with(shift=0))
    assert "Y: first difference at window 0, step 0" in feedback.message
    assert "labels are the features themselves" in feedback.message


def test_windows_horizon_ignored_is_named_on_the_horizon_3_case():
    feedback = check_windows(windows_with(shift=1))
    assert "horizon 3" in feedback.message and "shift by `horizon`, not by 1" in feedback.message


def test_windows_only_last_label_is_explained():
    feedback = check_windows(windows_with(labels_last_only=True))
    assert "shape (8,), expected (8, 4)" in feedback.message and "Every step of a window has a label" in feedback.message
