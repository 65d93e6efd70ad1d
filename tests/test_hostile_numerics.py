"""Hostile numbers (issue 17, second round): sizes beyond memory, arguments beyond their range, values near
float64's limit (1e308), non-finite weights. Each is refused up front with a message that names what is wrong
(what overflowed, and why), or computed correctly: never a NumPy _ArrayMemoryError, never a silent inf or NaN."""
import time
import warnings

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson import budget
from rnn_lesson.cells import gru, lstm, rnn as rnn_cell
from rnn_lesson.data.scaling import column_bounds, scale, unscale
from rnn_lesson.numerics import NumericOverflow, check_finite, finite_mean

BIG = 1e308


def tiny_data(n=3, steps=4, inputs=2):
    return np.ones((n, steps, inputs)), np.ones((n, steps, 1))


# ------------------------------------------------------------------ memory


@pytest.mark.parametrize("call, words", [
    (lambda: rl.init_params(2, 10 ** 6, 1), "weights for I=2, H=1000000 (1,000,003,000,000 numbers) would need "
                                            "7.28 TiB of memory, more than the 2 GiB"),
    (lambda: rl.init_params(10 ** 9, 2, 1), "weights for I=1000000000, H=2"),
    (lambda: rl.init_params(2, 2, 10 ** 9), "a linear layer 2 -> 1000000000 would need 22.4 GiB"),
    (lambda: lstm.init_params(2, 30_000), "weights for I=2, H=30000"),
    (lambda: gru.init_params(2, 30_000), "weights for I=2, H=30000"),
    (lambda: rnn_cell.init_params(2, 10 ** 6), "would need 7.28 TiB"),
    (lambda: rl.layers.linear.init_params(10 ** 6, 10 ** 6), "a linear layer 1000000 -> 1000000"),
    (lambda: rl.RNN(hidden_size=20_000, epochs=1).fit(tiny_data()),
     "training RNN(hidden_size=20000, cell='rnn') on sequences of up to 4 steps (I=2, O=1) would need 11.9 GiB"),
    (lambda: rl.RNN(hidden_size=9000, cell="lstm", epochs=1).fit(tiny_data()), "cell='lstm'"),
    (lambda: rl.RNN(hidden_size=64, batch_size=5000, epochs=1).fit(tiny_data(n=5000, steps=400)),
     "a smaller batch_size or shorter sequences"),
])
def test_sizes_beyond_memory_are_refused_before_any_allocation(call, words):
    start = time.perf_counter()
    with pytest.raises(budget.MemoryLimitError) as caught:
        call()
    assert words in str(caught.value) and isinstance(caught.value, ValueError)
    assert time.perf_counter() - start < 5  # refused from the sizes, not after allocating


def test_the_budget_is_exact_integer_arithmetic_and_accepts_the_course_sizes():
    assert budget.weight_count(3, 4, 2, n_gates=1) == 3 * 4 + 4 * 4 + 4 + 4 * 2 + 2
    assert budget.training_bytes(10 ** 9, 10 ** 9, 10 ** 9) > 2 ** 64  # Python ints: no wrap-around
    assert budget.readable_bytes(100) == "100 bytes" and budget.readable_bytes(3 * 1024 ** 2) == "3 MiB"
    budget.check_training(29, 64, 1, 4, 200, 64, "a lesson-sized run")  # 20 MiB
    batch_run = rl.RNN(hidden_size=8, batch_size=10 ** 9, epochs=1).fit(tiny_data())  # clipped to N sequences
    assert batch_run.params_["W_hh"].shape == (8, 8)


# ------------------------------------------------------------------ ranges


@pytest.mark.parametrize("call, error, words", [
    (lambda: rl.RNN(epochs=10 ** 7).fit(tiny_data()), ValueError, "epochs must be at most 1,000,000, got 10,000,000"),
    (lambda: rl.RNN(learning_rate=1e-320).fit(tiny_data()), ValueError, "learning_rate must be a finite number > 0 "
                                                                        "(at least 2.2e-308"),
    (lambda: rl.RNN(clip_norm=5e-324).fit(tiny_data()), ValueError, "clip_norm must be a finite number > 0"),
    (lambda: rl.oversample_indices([np.ones((2, 1))], 10 ** 9), ValueError, "factor must be at most 1,000"),
    (lambda: rl.oversample_indices([np.ones((2, 1))], True), TypeError, "factor must be an integer"),
    (lambda: rl.sgd_step({"W": np.ones(2)}, {"W": np.ones(2)}, 1e-310), ValueError, "learning_rate must be a finite"),
    (lambda: rl.clip_by_global_norm({"W": np.ones(2)}, 1e-320), ValueError, "clip_norm must be a finite number > 0"),
    (lambda: rl.SGD(1e-320), ValueError, "learning_rate must be a finite number > 0"),
])
def test_arguments_beyond_their_range_are_refused(call, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_the_largest_allowed_values_still_work():
    assert len(rl.oversample_indices([np.ones((2, 1)), np.zeros((2, 1))], 1000)) == 1001
    assert rl.RNN(epochs=2, learning_rate=np.finfo(float).tiny).fit(tiny_data()).loss_curve_.shape == (2,)


# ------------------------------------------------------------------ non-finite weights and overflow


def params_with(key, value, cell=None):
    params = rl.init_params(2, 3, 1) if cell is None else {**cell.init_params(2, 3), "W_hy": np.ones((3, 1)),
                                                            "b_y": np.zeros(1)}
    params = {k: v.copy() for k, v in params.items()}
    params[key].flat[0] = value
    return params


@pytest.mark.parametrize("value, cause", [(np.nan, "params['W_hh'] holds nan at index (0, 0)"),
                                          (np.inf, "params['W_hh'] holds inf at index (0, 0)"),
                                          (-np.inf, "params['W_hh'] holds -inf at index (0, 0)")])
@pytest.mark.parametrize("run", ["rl.forward", "rl.step_forward", "rl.cells.lstm.forward", "rl.cells.gru.forward",
                                 "rl.cells.rnn.forward", "RNN.predict rnn", "RNN.predict lstm", "RNN.predict gru",
                                 "RNN.predict batch", "rl.fast.sgd_epoch"])
def test_non_finite_weights_are_refused_at_the_door_naming_the_weight(run, value, cause):
    xs = np.ones((4, 2))
    with pytest.raises(ValueError) as caught:
        if run == "rl.forward":
            rl.forward(params_with("W_hh", value), xs)
        elif run == "rl.step_forward":
            rl.step_forward(params_with("W_hh", value), xs[0], np.zeros(3))
        elif run == "rl.fast.sgd_epoch":
            rl.fast.sgd_epoch(params_with("W_hh", value), *tiny_data(), 0.1)
        elif run.startswith("rl.cells."):
            cell = {"lstm": lstm, "gru": gru, "rnn": rnn_cell}[run.split(".")[2]]
            params = params_with("W_hh", value, cell)
            cell.forward({k: params[k] for k in ("W_xh", "W_hh", "b_h")}, xs)
        else:
            cell = "rnn" if run.endswith("batch") else run.split()[1]
            model = rl.RNN(epochs=1, cell=cell).fit(tiny_data())
            model.params_["W_hh"].flat[0] = value
            model.predict(np.ones((2, 4, 2)) if run.endswith("batch") else xs)
    assert cause in str(caught.value), str(caught.value)


def test_an_intermediate_overflow_says_which_result_and_the_largest_weight():
    params = params_with("W_hy", 0.0)
    params["W_xh"][:], params["W_hh"][:] = 1.0, 0.0  # h = tanh(10) > 0 in every unit
    params["W_hy"][:] = BIG
    params["b_y"][:] = BIG
    with pytest.raises(NumericOverflow, match=r"rl.forward: the outputs ys went non-finite \(inf at index "
                                              r"\(0, 0\)\): an intermediate value overflowed float64's range "
                                              r"\(1.8e308\); the largest weight is \|params\['W_hy'\]\| = 1e\+308"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rl.forward(params, np.ones((4, 2)) * 5)
    ys, cache = rl.forward(rl.init_params(2, 3, 1), np.ones((4, 2)))
    with pytest.raises(NumericOverflow, match=r"rl.backward: grads\['W_xh'\] went non-finite"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rl.backward(np.full((4, 1), BIG), cache)
    with pytest.raises(NumericOverflow, match="rl.step_forward: the output y went non-finite"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rl.step_forward(params, np.ones(2) * 5, np.zeros(3))


def test_training_into_an_overflow_is_a_divergence_in_every_engine():
    X = np.full((3, 4, 2), 1e150)
    for engine in ("reference", "fast"):
        with pytest.raises(rl.TrainingDiverged, match="training diverged at epoch 1"):
            rl.RNN(epochs=2, engine=engine, activation="identity", learning_rate=1.0).fit((X, X[:, :, :1]))


def test_a_validation_set_far_outside_the_training_range_is_a_divergence_naming_its_largest_input():
    X, Y = tiny_data()
    far = (np.full((1, 4, 2), 1e307), np.ones((1, 4, 1)))
    with pytest.raises(rl.TrainingDiverged, match=r"validation loss at epoch 1 is inf: the outputs overflow on "
                                                  r"the validation set \(its largest input is 1e\+307"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rl.RNN(epochs=1, eval_every=1, activation="identity").fit((X, Y), validation=far)


def test_check_finite_passes_finite_arrays_through_untouched():
    array = np.arange(3.0)
    assert check_finite(array, "x") is array
    with pytest.raises(NumericOverflow, match=r"x went non-finite \(nan at index \(1,\)\): an intermediate"):
        check_finite(np.array([0.0, np.nan]), "x")


# ------------------------------------------------------------------ losses and metrics near 1e308


def test_means_near_the_limit_are_computed_not_overflowed():
    assert finite_mean([BIG, BIG], "m") == BIG
    assert finite_mean([1.0, 2.0], "m") == 1.5
    with pytest.raises(NumericOverflow, match="m overflowed float64's range .* an entry is inf"):
        finite_mean([np.inf, 1.0], "m")
    loss, _ = rl.bce_with_logits_loss(np.array([[BIG], [-BIG]]), np.array([[0.0], [1.0]]))
    assert loss == BIG  # the sum overflows, the mean does not


@pytest.mark.parametrize("call, words", [
    (lambda: rl.mse_loss(np.array([[BIG]]), np.array([[-BIG]])), r"mse_loss: the mean of \(ys - targets\)²"),
    (lambda: rl.mse_loss(np.array([[1e200]]), np.array([[0.0]])), r"mse_loss: the mean of \(ys - targets\)²"),
    (lambda: rl.cross_entropy_loss(np.array([[BIG, -BIG]]), np.array([[1.0]])), "softmax_cross_entropy"),
])
def test_a_loss_beyond_float64s_range_is_refused_naming_it(call, words):
    with pytest.raises(NumericOverflow, match=words + " overflowed float64's range"):
        call()


@pytest.mark.parametrize("pred, target, expected", [
    ([1e308, 1.7e308], [1e308, 1.6e308], {"mae": 5e306, "rmse": 7.0710678118654755e306, "mape": 0.03125,
                                          "r2": 0.9444444444444444}),
    ([1e200, 3e200], [2e200, 1e200], {"mae": 1.5e200, "rmse": 1.5811388300841898e200, "mape": 1.25, "r2": -9.0}),
    ([BIG, -BIG], [0.0, 0.0], {"mae": BIG, "rmse": BIG, "mape": 0.0, "r2": 0.0}),
    ([-BIG, -BIG], [-BIG, -BIG], {"mae": 0.0, "rmse": 0.0, "mape": 0.0, "r2": 1.0}),
])
def test_regression_metrics_near_the_limit_are_computed(pred, target, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning either
        metrics = rl.RegressionEvaluator(0.1).evaluate(np.array(pred), np.array(target))
    for name, value in expected.items():
        assert metrics[name] == pytest.approx(value, rel=1e-12), name


@pytest.mark.parametrize("pred, target, metric", [
    ([BIG, -BIG], [-BIG, BIG], "MAE"),  # |e| = 2e308
    ([1.7e308, -1.7e308], [-1.7e308, 1.7e308], "MAE"),
    ([BIG, BIG], [1e-300, 1e-300], "MAPE"),  # |e| / |t| = 1e608
])
def test_regression_metrics_beyond_the_limit_are_refused_naming_the_metric(pred, target, metric):
    with pytest.raises(NumericOverflow, match=f"RegressionEvaluator: the {metric} is beyond float64's range"):
        rl.RegressionEvaluator(0.1).evaluate(np.array(pred), np.array(target))


def test_ordinary_metrics_are_bit_for_bit_what_they_were():
    pred, target = np.array([1.0, 2.0, 3.0]), np.array([1.5, 2.0, 2.0])
    metrics = rl.RegressionEvaluator(0.6).evaluate(pred, target)
    err = pred - target
    assert metrics["mae"] == float(np.abs(err).mean()) and metrics["rmse"] == float(np.sqrt(np.sum(err * err) / 3))
    assert metrics["r2"] == 1.0 - float(np.sum(err * err)) / float(np.sum((target - target.mean()) ** 2))
    assert metrics["within_threshold"] == 2 / 3 and metrics["mape"] == float(np.mean(np.abs(err) / target))


# ------------------------------------------------------------------ scaling near the limit


def test_columns_spanning_more_than_float64s_range_scale_into_0_1():
    values = np.array([[BIG, 1.0], [-BIG, 2.0], [0.0, 3.0]])
    bounds = column_bounds(values)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaled = scale(values, bounds)
        back = unscale(scaled, bounds, "values")
    np.testing.assert_array_equal(scaled, [[1.0, 0.0], [0.0, 0.5], [0.5, 1.0]])
    np.testing.assert_array_equal(back, values)
    with pytest.raises(ValueError, match=r"labels at index \(0, 0\) \(3 scaled\) is beyond float64's range"):
        unscale(np.array([[3.0, 0.0]]), bounds, "labels")


def test_a_csv_holding_1e308_trains_instead_of_reporting_a_nan_that_is_not_there(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("id,t,x,y\na,0,1e308,1\na,1,-1e308,2\nb,0,1,1e308\nb,1,2,-1e308\nc,0,1e307,1\nc,1,2,2\n")
    data = rl.Dataset.from_csv(path).normalize()
    assert all(np.all((s.features >= 0) & (s.features <= 1)) for s in data)
    model = rl.RNN(epochs=2).fit(data)
    assert np.all(np.isfinite(model.params_["W_hh"]))
    assert data.denormalize_labels(np.array([[0.0], [1.0]])).ravel().tolist() == [-1e308, 1e308]
