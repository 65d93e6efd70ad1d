"""The training explorer: its tasks, the figure (tied to RNN) and the widget."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnn_lesson as rl  # noqa: E402
from rnn_lesson.explore.training import load_task, sine_task, training_explorer, training_figure  # noqa: E402


def test_sine_task_is_a_seeded_one_step_forecast():
    train, test = sine_task()
    assert (len(train), len(test)) == (14, 5)
    for part in (train, test):
        for seq in part:
            assert seq.features.shape == (20, 1) and seq.labels.shape == (20, 1)
            np.testing.assert_array_equal(seq.labels[:-1], seq.features[1:])  # label = next value
    again, _ = sine_task()
    assert all(np.array_equal(a.features, b.features) for a, b in zip(train, again))
    assert not np.array_equal(sine_task(seed=1)[0].sequences[0].features, train.sequences[0].features)
    assert float(train.sequences[-1].labels[-1, 0]) == float(test.sequences[0].features[0, 0])  # back to back


def test_temperature_task_is_scaled_with_the_training_bounds():
    train, test = load_task("temperature")
    assert train.normalized and test.normalized
    np.testing.assert_array_equal(train.label_bounds, test.label_bounds)
    labels = np.concatenate([s.labels for s in train])
    assert labels.min() == 0.0 and labels.max() == 1.0
    assert train.sequences[-1].id < test.sequences[0].id  # chronological: ids are dates


def test_unknown_task():
    with pytest.raises(ValueError, match="unknown task 'stocks'; choose one of: sine, temperature"):
        load_task("stocks")


def test_figure_shows_the_models_own_loss_curve():
    fig = training_figure(learning_rate=0.1, hidden_size=4, epochs=3)
    left, right = fig.axes
    model = rl.RNN(hidden_size=4, learning_rate=0.1, epochs=3, seed=0, progress=False).fit(sine_task()[0])
    np.testing.assert_allclose(left.lines[0].get_ydata(), np.log10(model.loss_curve_), rtol=1e-12)
    assert left.get_xlabel() == "epoch" and "log10" in left.get_ylabel()
    assert "test RMSE" in right.get_legend().get_texts()[1].get_text()
    plt.close(fig)


def test_figure_reports_divergence_instead_of_failing():
    fig = training_figure(learning_rate=1.0, hidden_size=8, epochs=12)
    left, right = fig.axes
    texts = " ".join(t.get_text() for t in left.texts + right.texts)
    assert "diverged in epoch" in texts and "Lower the learning rate" in texts
    assert np.all(np.isfinite(left.lines[0].get_ydata()))
    plt.close(fig)


def test_explorer_retrains_when_a_slider_is_released():
    box = training_explorer()
    controls = box.children[0].children
    assert all(not c.continuous_update for c in controls[:3])  # learning rate, hidden size, epochs
    controls[2].value = 2  # epochs
    assert "redrawn in" in box.status.value
    assert plt.get_fignums() == []
