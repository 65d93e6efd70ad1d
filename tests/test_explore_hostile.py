"""Explorer figure functions fed values outside their controls' ranges (issue 17): NaN, inf, huge, negative,
zero, subnormal, wrong types, bools, NumPy scalars. Each call either raises TypeError/ValueError naming the
argument, quickly, or draws a figure with no NaN or inf in it, no RuntimeWarning and no "nan" in a title (the
old failure: a NaN heatmap titled "0 % saturated")."""
import time
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D

import rnn_lesson as rl
from rnn_lesson.explore import gradient_flow, hidden_states, recall, threshold, training

matplotlib.use("Agg")

HOSTILE = {"nan": float("nan"), "inf": float("inf"), "-inf": -float("inf"), "negative int": -1,
           "negative float": -0.5, "zero": 0, "huge float": 1e308, "huge int": 10 ** 9, "string": "3",
           "bool": True, "None": None, "fraction": 2.5, "list": [1, 2], "numpy int": np.int64(3),
           "numpy nan": np.float64("nan"), "subnormal": 5e-324}

SCORES = np.linspace(0, 1, 20)
TARGETS = (np.arange(20) % 2).astype(float)
# function, the arguments that make it draw, and its arguments the sweep replaces
FUNCTIONS = {
    "gradient_flow_figure": (gradient_flow.gradient_flow_figure, {"spectral_radius": 1.0, "n_steps": 20},
                             ["spectral_radius", "n_steps", "hidden_size", "seed", "activation"]),
    "hidden_state_figure": (hidden_states.hidden_state_figure, {"seq_len": 30},
                            ["hidden_size", "input_scale", "recurrent_scale", "seq_len", "seed", "activation"]),
    "training_figure": (training.training_figure, {"learning_rate": 0.05, "hidden_size": 4, "epochs": 3},
                        ["learning_rate", "hidden_size", "epochs", "seed", "dataset", "activation"]),
    "threshold_figure": (threshold.threshold_figure, {"scores": SCORES, "targets": TARGETS, "threshold": 0.5},
                         ["scores", "targets", "threshold"]),
    "threshold_curve": (threshold.threshold_curve, {"scores": SCORES, "targets": TARGETS},
                        ["scores", "targets", "n_thresholds"]),
    "recall_figure": (recall.recall_figure, {"epochs": 1, "n_train": 20, "n_validation": 10, "lag": 5},
                      ["cell", "lag", "seed", "epochs", "n_train", "n_validation", "hidden_size"]),
    "hidden_states": (hidden_states.hidden_states, {"hidden_size": 4, "seq_len": 30},
                      ["hidden_size", "input_scale", "recurrent_scale", "seq_len", "seed"]),
    "saturated_fraction": (hidden_states.saturated_fraction, {"hs": np.zeros((3, 3)), "activation": "tanh"},
                           ["hs", "activation"]),
    "explorer_inputs": (hidden_states.explorer_inputs, {}, ["seq_len", "seed"]),
    "sine_task": (training.sine_task, {}, ["seed"]),
    "scale_to_spectral_radius": (gradient_flow.scale_to_spectral_radius, {"matrix": np.eye(3), "radius": 1.0},
                                 ["matrix", "radius"]),
    "spectral_radius": (gradient_flow.spectral_radius, {"matrix": np.eye(3)}, ["matrix"]),
}
NAMED_AS = {"dataset": "task", "scores": "scores", "matrix": "matrix"}  # how an error names the argument

CASES = [pytest.param(name, argument, label, id=f"{name}({argument}={label})")
         for name, (_, _, arguments) in FUNCTIONS.items() for argument in arguments for label in HOSTILE]


def non_finite_drawn(fig):
    """Where ``fig`` draws a NaN or inf (a line's data or an image's pixels), or says "nan" in a title."""
    found = []
    for ax in fig.axes:
        if "nan" in ax.get_title().lower():
            found.append(f"title {ax.get_title()!r}")
        for artist in ax.get_children():
            data = None
            if isinstance(artist, Line2D):
                data = np.concatenate([np.asarray(artist.get_xdata(), float).ravel(),
                                       np.asarray(artist.get_ydata(), float).ravel()])
            elif isinstance(artist, AxesImage):
                data = np.asarray(artist.get_array(), float)
            if data is not None and not np.all(np.isfinite(data)):
                found.append(f"{type(artist).__name__} {artist.get_label()!r}")
    return found


@pytest.mark.parametrize("name, argument, label", CASES)
def test_explorer_functions_refuse_or_draw_correctly(name, argument, label):
    function, base, _ = FUNCTIONS[name]
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # an overflow is refused, not warned about and drawn
        try:
            result = function(**{**base, argument: HOSTILE[label]})
        except (TypeError, ValueError) as err:
            assert NAMED_AS.get(argument, argument) in str(err) or argument in ("activation", "cell"), str(err)
            assert time.perf_counter() - start < 5  # refused up front, not after the work
            return
    try:
        if isinstance(result, plt.Figure):
            assert non_finite_drawn(result) == []
        else:
            values = result.values() if isinstance(result, dict) else [result]
            for value in values:
                if isinstance(value, (np.ndarray, float)):
                    assert np.all(np.isfinite(value))
    finally:
        plt.close("all")


def test_the_silent_nan_heatmap_of_the_issue_is_refused():
    with pytest.raises(ValueError, match="hs contains a non-finite value"):
        hidden_states.saturated_fraction(np.full((3, 3), np.nan), "tanh")
    with pytest.raises(ValueError, match="recurrent_scale must be a number from 0 to 1000, got 1e\\+308"):
        hidden_states.hidden_state_figure(recurrent_scale=1e308)
    with pytest.raises(ValueError, match="the hidden states overflow float64 within 500 steps with relu"):
        hidden_states.hidden_states(16, "relu", input_scale=1000.0, recurrent_scale=1000.0, seq_len=500)


def test_the_gradient_that_leaves_float64_is_named_or_drawn_until_it_does():
    with pytest.raises(ValueError, match="with spectral radius 10, identity and 1000 steps the numbers grow beyond "
                                         "float64's range"):
        gradient_flow.gradient_flow_figure(10.0, n_steps=1000, activation="identity")
    fig = gradient_flow.gradient_flow_figure(0.1, n_steps=1000)  # the gradient reaches 0 in float64
    try:
        assert "0 in float64 from" in fig.axes[0].get_title() and non_finite_drawn(fig) == []
    finally:
        plt.close(fig)


def test_thresholds_span_scores_wider_than_float64_can_subtract():
    curve = threshold.threshold_curve(np.array([-1e308, 1e308, 0.0, 1.0]), np.array([0.0, 1.0, 0.0, 1.0]), 5)
    assert curve["threshold"].tolist() == [-1e308, -5e307, 0.0, 5e307, 1e308]
    with pytest.raises(ValueError, match="threshold must lie within the scores' range 0 to 1"):
        threshold.threshold_figure(SCORES, TARGETS, 1e308)


def test_work_bounds_of_each_explorer():
    bounds = [(lambda: hidden_states.explorer_inputs(10 ** 6), "seq_len must be at most 10,000"),
              (lambda: gradient_flow.gradient_flow_figure(1.0, n_steps=10 ** 6), "n_steps must be at most 1,000"),
              (lambda: gradient_flow.gradient_flow_figure(100.0), "spectral_radius must be at most 10"),
              (lambda: threshold.threshold_curve(SCORES, TARGETS, 10 ** 6), "n_thresholds must be at most 10,000"),
              (lambda: training.training_figure(0.1, 4, 10 ** 5), "epochs must be at most 10,000"),
              (lambda: recall.recall_figure(lag=10 ** 9), "lag must be at most 1,000"),
              (lambda: recall.recall_figure(n_train=10 ** 9), "n_train must be at most 10,000"),
              (lambda: rl.data.memory.recall_task(10 ** 6, 10 ** 4), "recall_task(1000000, lag=10000, n_symbols=4) "
                                                                      "would need 596 GiB")]
    for call, words in bounds:
        with pytest.raises(ValueError) as caught:
            call()
        assert words in str(caught.value)
