"""The hidden-state explorer of lesson 03, driven without a browser."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnn_lesson as rl  # noqa: E402
from rnn_lesson.explore.hidden_states import (  # noqa: E402
    explorer_inputs, hidden_state_explorer, hidden_state_figure, hidden_states, saturated_fraction,
)


def test_inputs_and_states_are_deterministic_with_the_documented_shapes():
    np.testing.assert_array_equal(explorer_inputs(60, seed=3), explorer_inputs(60, seed=3))
    assert not np.array_equal(explorer_inputs(60, seed=3), explorer_inputs(60, seed=4))
    xs, hs = hidden_states(8, "tanh", seed=1)
    assert xs.shape == (60, 2) and hs.shape == (60, 8)
    np.testing.assert_array_equal(hs, hidden_states(8, "tanh", seed=1)[1])


def test_the_pulse_column_is_where_the_docstring_says():
    pulses = explorer_inputs(60, seed=0)[:, 1]
    assert np.all(np.abs(pulses[10:20] - 1.0) < 0.25) and np.all(np.abs(pulses[35:40] + 1.0) < 0.25)
    assert np.all(np.abs(pulses[:10]) < 0.25)


def test_without_recurrence_each_step_only_sees_its_own_input():
    xs, hs = hidden_states(5, "tanh", input_scale=2.0, recurrent_scale=0.0, seq_len=12, seed=2)
    params = rl.init_params(2, 5, 1, seed=2)
    for t in (0, 6, 11):
        h_alone = rl.forward(params, xs[t:t + 1])[1]["hs"][1]  # step t run on its own, from h_0 = 0
        np.testing.assert_allclose(hs[t], h_alone, rtol=1e-12, atol=1e-15)
    _, with_memory = hidden_states(5, "tanh", input_scale=2.0, recurrent_scale=1.0, seq_len=12, seed=2)
    assert not np.allclose(with_memory[6], hs[6])


def test_input_scale_scales_a_linear_cell():
    # identity activation and zero biases (init_params) make h_t linear in the inputs
    _, base = hidden_states(6, "identity", input_scale=1.0, recurrent_scale=0.7, seed=0)
    _, doubled = hidden_states(6, "identity", input_scale=2.0, recurrent_scale=0.7, seed=0)
    np.testing.assert_allclose(doubled, 2.0 * base, rtol=1e-12, atol=1e-14)


def test_saturated_fraction_uses_the_slope_from_the_output():
    assert saturated_fraction(np.array([0.0, 0.99, -0.99, 0.5]), "tanh") == 0.5   # 1 - a^2 < 0.1
    assert saturated_fraction(np.array([0.5, 0.99]), "sigmoid") == 0.5             # a(1 - a) < 0.025
    assert saturated_fraction(np.array([0.0, 1.0, 2.0]), "relu") == pytest.approx(1 / 3)
    assert saturated_fraction(np.array([-50.0, 50.0]), "identity") == 0.0


def test_larger_inputs_saturate_tanh_more():
    fractions = [saturated_fraction(hidden_states(16, "tanh", s)[1], "tanh") for s in (0.3, 1.0, 3.0, 10.0)]
    assert fractions == sorted(fractions) and fractions[0] < 0.05 < 0.5 < fractions[-1]


def test_figure_has_labelled_axes_a_colorbar_and_the_states():
    fig = hidden_state_figure(hidden_size=7, activation="sigmoid", input_scale=3.0, seed=0)
    top, bottom, colorbar = fig.axes
    assert top.get_ylabel() and "inputs" in top.get_title()
    assert bottom.get_xlabel() == "time step t" and bottom.get_ylabel() == "hidden unit"
    assert "H = 7" in bottom.get_title() and "sigmoid" in bottom.get_title() and "saturated" in bottom.get_title()
    assert "sigmoid" in colorbar.get_ylabel()
    np.testing.assert_array_equal(bottom.images[0].get_array(), hidden_states(7, "sigmoid", 3.0)[1].T)
    assert bottom.images[0].get_clim() == (0.0, 1.0)
    plt.close(fig)
    relu = hidden_state_figure(hidden_size=4, activation="relu")
    assert "off (slope 0)" in relu.axes[1].get_title()
    plt.close(relu)


@pytest.mark.parametrize("kwargs, error, text", [
    ({"hidden_size": 0}, ValueError, "hidden_size must be at least 1"),
    ({"hidden_size": 2.5}, TypeError, "hidden_size must be an integer"),
    ({"hidden_size": 1000}, ValueError, "at most 256"),
    ({"activation": "softmax"}, ValueError, "unknown activation 'softmax'"),
    ({"input_scale": 0.0}, ValueError, "input_scale must be a finite number > 0"),
    ({"recurrent_scale": -0.5}, ValueError, "recurrent_scale must be a number from 0 to 1000, got -0.5"),
    ({"recurrent_scale": "big"}, TypeError, "recurrent_scale must be a number"),
    ({"seq_len": 0}, ValueError, "seq_len must be at least 1"),
])
def test_bad_arguments_are_named(kwargs, error, text):
    with pytest.raises(error, match=text):
        hidden_state_figure(**kwargs)
    assert plt.get_fignums() == []  # nothing half-drawn is left open


def test_explorer_redraws_when_a_control_changes(monkeypatch):
    import rnn_lesson.explore.hidden_states as module

    calls = []

    def recording_figure(**values):
        calls.append(values)
        return hidden_state_figure(**values)

    monkeypatch.setattr(module, "hidden_state_figure", recording_figure)
    box = hidden_state_explorer()
    controls = box.children[0].children
    sliders = [c for c in controls if hasattr(c, "continuous_update")]
    assert len(sliders) == 3 and not any(c.continuous_update for c in sliders)  # redraw on release
    assert calls == [{"hidden_size": 16, "activation": "tanh", "input_scale": 1.0, "recurrent_scale": 1.0}]
    next(c for c in controls if c.description == "hidden H").value = 3
    next(c for c in controls if c.description == "activation").value = "relu"
    assert [c["hidden_size"] for c in calls] == [16, 3, 3] and calls[-1]["activation"] == "relu"
    assert "redrawn in" in box.status.value
    assert plt.get_fignums() == []
