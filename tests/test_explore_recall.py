"""The recall explorer: its figure is the shared runner's numbers, its state panel the cell's own, its widget waits."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_lesson.cells import gru, lstm  # noqa: E402
from rnn_lesson.data.memory import recall_task  # noqa: E402
from rnn_lesson.models.network import cell_params  # noqa: E402
from rnn_lesson.explore.recall import (BUDGET, carried_states, recall_explorer,  # noqa: E402
                                       recall_figure)
from rnn_lesson.recall import SOLVED, chance, train_on_recall  # noqa: E402

TINY = {"n_train": 64, "n_validation": 32, "epochs": 2, "hidden_size": 5}


def test_the_budget_is_smaller_than_the_lessons():
    from rnn_lesson.recall import SETTINGS
    assert BUDGET["n_train"] < SETTINGS["n_train"] and BUDGET["epochs"] < SETTINGS["epochs"]


@pytest.mark.parametrize("cell, bias", [("lstm", "chrono"), ("gru", 3.0)])
def test_the_curve_is_the_shared_runners_accuracy(cell, bias):
    fig = recall_figure(cell, lag=4, forget_bias=bias, seed=1, **TINY)
    left, right = fig.axes[:2]
    run = train_on_recall(cell, 4, seed=1, forget_bias=bias, **TINY)
    np.testing.assert_array_equal(left.lines[0].get_ydata(), run.accuracy)
    assert left.lines[1].get_ydata()[0] == chance(4, n_validation=32, seed=1)
    assert left.lines[2].get_ydata()[0] == SOLVED
    assert f"{cell}, lag 4" in left.get_title() and "s CPU" in left.get_title()
    plt.close(fig)


def test_the_state_panel_shows_the_lstm_cell_state_of_a_new_sequence():
    fig = recall_figure("lstm", lag=5, forget_bias=None, **TINY)
    run = train_on_recall("lstm", 5, seed=0, forget_bias=None, **TINY)
    xs, ys = recall_task(1, 5, seed=2000)
    _, cache = lstm.forward(cell_params(run.model.params_), xs[0])
    image = fig.axes[1].images[0].get_array()
    assert image.shape == (5, 6)  # (H, T)
    np.testing.assert_allclose(image, cache["cs"].T, rtol=1e-12)
    title = fig.axes[1].get_title()
    assert "cell state c" in title and f"symbol {int(ys[0, -1, 0])}" in title
    assert "usual (LSTM 1, GRU 0)" in fig.axes[0].get_title()
    plt.close(fig)


def test_carried_states_are_h_for_the_vanilla_cell_and_the_gru():
    run = train_on_recall("gru", 3, seed=0, **TINY)
    xs = recall_task(1, 3, seed=5)[0][0]
    np.testing.assert_array_equal(carried_states(run.model, xs), gru.forward(cell_params(run.model.params_), xs)[0])
    vanilla = train_on_recall("rnn", 3, seed=0, **TINY).model
    assert carried_states(vanilla, xs).shape == (4, 5)


def test_the_vanilla_cell_has_no_forget_bias():
    fig = recall_figure("rnn", lag=3, forget_bias="chrono", **TINY)
    assert "forget bias: no gate" in fig.axes[0].get_title()
    assert "hidden state h" in fig.axes[1].get_title()
    plt.close(fig)


def test_the_widget_trains_on_the_button_only(monkeypatch):
    calls = []
    import rnn_lesson.explore.recall as module

    def fast_figure(**values):
        calls.append(values)
        return recall_figure(**values, n_train=32, n_validation=16, hidden_size=3)

    monkeypatch.setattr(module, "recall_figure", fast_figure)
    box = recall_explorer()
    controls = box.children[0].children
    assert len(calls) == 1 and calls[0]["cell"] == "lstm" and calls[0]["forget_bias"] == "chrono"
    lag, epochs = controls[1], controls[3]
    assert not lag.continuous_update
    lag.value, epochs.value = 3, 2
    assert len(calls) == 1  # moving a slider does not retrain
    controls[-1].click()
    assert len(calls) == 2 and calls[1]["lag"] == 3 and calls[1]["epochs"] == 2
    assert "redrawn in" in box.status.value
    assert plt.get_fignums() == []
