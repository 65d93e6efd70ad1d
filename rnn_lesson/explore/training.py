"""Explorer: train an RNN with a chosen learning rate and hidden size, and see what happens.

Two small forecasting tasks, each a (train, test) pair of Datasets whose label
at step t is the series' value at t + 1:

    "sine"         a noisy sine wave (period 25 steps, noise sd 0.1, seeded), cut
                   into 19 windows of 20 steps: the first 14 train, the last 5 test
    "temperature"  data/temperature.csv (real Seattle daily means), split in time
                   order 80/20 and min-max scaled with the training bounds

Training goes through ``rnn_lesson.RNN(..., engine="fast")``: per-sequence SGD on
MSE with the same numbers as the reference loop, compiled with numba.
"""
import functools
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..activations import ACTIVATIONS
from ..data import Dataset, window_series
from ..models import RNN, TrainingDiverged
from ..shapes import check_positive_int, check_seed
from ..widgets import interactive_figure

TASKS = ("sine", "temperature")
MAX_HIDDEN = 256  # the sliders stop at 32 hidden units and 100 epochs; these bound a retrain to seconds
MAX_EPOCHS = 10_000
TEMPERATURE_CSV = Path(__file__).resolve().parents[2] / "data" / "temperature.csv"


def sine_task(seed=0):
    """The "sine" task: (train, test) Datasets of windows (T=20, F=1, L=1) of a noisy sine wave.

    400 values sin(2 pi t / 25) + 0.1 * noise (noise drawn from ``seed``), cut
    into 19 disjoint windows of 20 steps; train = the first 14, test = the last 5.
    """
    rng = np.random.default_rng(check_seed(seed))
    steps = np.arange(400)
    series = np.sin(2 * np.pi * steps / 25) + 0.1 * rng.standard_normal(len(steps))
    return window_series(series, window=20, stride=20).split(14 / 19, shuffle=False)


@functools.lru_cache(maxsize=None)
def _temperature_task(path):
    data = Dataset.from_csv(path)
    train, test = data.split(0.8, shuffle=False)  # in time order: the test windows come after
    train.normalize()
    test.normalize(bounds_from=train)
    return train, test


def load_task(name):
    """The (train, test) pair for a task name in TASKS; the temperature task is read once and cached.

    Treat the returned Datasets as read-only (they are shared between calls).
    """
    if name == "sine":
        return _sine_cached()
    if name == "temperature":
        if not TEMPERATURE_CSV.is_file():
            raise FileNotFoundError(f"{TEMPERATURE_CSV} is missing: the temperature task needs the course's data/ folder")
        return _temperature_task(str(TEMPERATURE_CSV))
    raise ValueError(f"unknown task {name!r}; choose one of: {', '.join(TASKS)}")


@functools.lru_cache(maxsize=None)
def _sine_cached():
    return sine_task()


def _in_units(data, values):
    """Labels (T, 1) in the task's own units: denormalized when the Dataset is scaled."""
    return data.denormalize_labels(values) if data.normalized else values


def training_figure(learning_rate, hidden_size, epochs, activation="tanh", dataset="sine", seed=0):
    """Train ``RNN(hidden_size, learning_rate, epochs, activation, seed)`` on a task; return a Figure.

    Training uses the fast engine (rl.fast.sgd_epoch: the reference's numbers,
    compiled), so a retrain at the default settings takes a few milliseconds
    and the redraw is mostly matplotlib's.

    Left: the training loss per epoch (as log10). Right: the model's one-step
    forecasts on the test windows against the targets, in the task's units.
    If training diverges, the left panel shows the epochs completed and says
    so, and the right panel explains instead of plotting.
    """
    check_positive_int(hidden_size, "hidden_size", most=MAX_HIDDEN)
    check_positive_int(epochs, "epochs", most=MAX_EPOCHS)
    train, test = load_task(dataset)
    model = RNN(hidden_size=hidden_size, learning_rate=learning_rate, epochs=epochs,
                activation=activation, seed=seed, progress=False, engine="fast")
    diverged = None
    try:
        model.fit(train)
    except TrainingDiverged as err:
        diverged = err
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [1, 1.6]})
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.91, wspace=0.22)  # fixed: tight_layout is slow
    curve = getattr(model, "loss_curve_", np.array([]))
    if len(curve):  # log10 on a linear axis: a diverging loss reaches 1e300, which log axes cannot draw
        left.plot(np.arange(1, len(curve) + 1), np.log10(curve), marker=".")
    left.set(xlabel="epoch", ylabel="log10(mean training loss, MSE)", xlim=(0.5, epochs + 0.5),
             title=f"learning rate {learning_rate:.3g}, H = {hidden_size}, {activation}")
    if diverged is not None:
        left.text(0.97, 0.05, f"diverged in epoch {len(curve) + 1}:\nthe numbers overflowed.\n"
                  "Lower the learning rate.", transform=left.transAxes, ha="right", va="bottom",
                  color="tab:red", fontsize=11)
        right.text(0.5, 0.5, "no forecasts: training diverged", transform=right.transAxes,
                   ha="center", va="center", color="tab:red")
        right.set(title=f"{dataset}: one-step forecasts on the test windows", xticks=[], yticks=[])
    else:
        targets = np.concatenate([_in_units(test, s.labels) for s in test])[:, 0]
        forecasts = np.concatenate([_in_units(test, model.predict(s.features)) for s in test])[:, 0]
        rmse = float(np.sqrt(np.mean((forecasts - targets) ** 2)))
        right.plot(targets, color="black", lw=1, label="target (next value)")
        right.plot(forecasts, color="tab:orange", lw=1.5, label=f"forecast (test RMSE {rmse:.3g})")
        for boundary in np.cumsum([len(s) for s in test])[:-1]:
            right.axvline(boundary - 0.5, color="grey", lw=0.5, ls=":")
        unit = "°C" if dataset == "temperature" else "value"
        right.set(xlabel="step (test windows one after another)", ylabel=unit,
                  title=f"{dataset}: one-step forecasts on the test windows")
        right.legend(loc="upper right", fontsize=8)
    return fig


def training_explorer():
    """Sliders for the learning rate (log scale), hidden size and epochs; retrains on mouse release."""
    controls = {
        "learning_rate": widgets.FloatLogSlider(value=0.1, base=10, min=-4, max=0.5, step=0.1,
                                                description="learning rate", continuous_update=False),
        "hidden_size": widgets.IntSlider(value=8, min=1, max=32, description="hidden H", continuous_update=False),
        "epochs": widgets.IntSlider(value=10, min=1, max=100, description="epochs", continuous_update=False),
        "activation": widgets.Dropdown(options=sorted(ACTIVATIONS), value="tanh", description="activation"),
        "dataset": widgets.Dropdown(options=TASKS, value="sine", description="task"),
    }
    return interactive_figure(training_figure, controls)
