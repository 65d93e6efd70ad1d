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


def _lstsq_forecast(X_train, Y_train, X_test, k, *, intercept=True, on_test=None):
    def rows(X):
        n, T, F = X.shape
        lags = [X[:, j:j + T - k + 1, 0] for j in range(k)]  # temp_{t-k+1} .. temp_t: any order fits
        cols = lags + [X[:, k - 1:, f] for f in range(1, F)] + ([np.ones((n, T - k + 1))] if intercept else [])
        return np.stack(cols, axis=-1).reshape(-1, len(cols))
    X_fit, Y_fit = on_test if on_test else (X_train, Y_train)
    A = rows(X_fit)
    coef = np.linalg.solve(A.T @ A, A.T @ Y_fit[:, k - 1:, 0].ravel())  # normal equations: another route
    return (rows(X_test) @ coef).reshape(len(X_test), -1, 1)


def test_a_right_linear_forecast_passes():
    from rnn_lesson.exercises.case_temperature import check_linear_forecast
    feedback = check_linear_forecast(_lstsq_forecast)
    assert feedback.passed, feedback.message


def test_linear_forecast_mistakes_are_named():
    from rnn_lesson.exercises.case_temperature import _forecast_cases, check_linear_forecast
    test_windows = {id(c[3]): (c[3], c[4]) for c in _forecast_cases()}
    leak = lambda Xtr, Ytr, Xte, k: _lstsq_forecast(Xtr, Ytr, Xte, k, on_test=(Xte, _Y_for(Xte)))

    def _Y_for(Xte):
        for case in _forecast_cases():
            if np.array_equal(case[3], Xte):
                return case[4]

    assert "fitted on the TEST windows" in check_linear_forecast(leak).message
    assert test_windows  # the cases are deterministic
    assert "intercept" in check_linear_forecast(lambda *a: _lstsq_forecast(*a, intercept=False)).message

    def all_steps(Xtr, Ytr, Xte, k):
        return np.zeros((len(Xte), Xte.shape[1], 1)) if k > 1 else _lstsq_forecast(Xtr, Ytr, Xte, k)

    assert "only the steps with 3 days of history" in check_linear_forecast(all_steps).message
    assert "not attempted yet" in check_linear_forecast(lambda *a: None).message
