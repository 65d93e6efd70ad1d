"""Explorer: can a cell carry a symbol across ``lag`` steps of distraction? Train one and see.

The recall task of lessons 10 to 12 (``rl.data.memory.recall_task``): step 0 shows
one of 4 symbols with a marker, steps 1 .. lag-1 other symbols (distractors that
look like it), step ``lag`` asks for the marked one. Every run goes through
``rl.recall.train_on_recall`` (the lessons' own runner), here on a smaller
budget, ``BUDGET``, so that a run takes a second or two: 800 training and 200
validation sequences, 12 epochs (measured on seed 0 at lag 20: the LSTM with
chrono forget biases is solved in epoch 6 in about 1.2 s of CPU, with the usual
forget bias it stays at chance; the lessons use 1000 sequences and 24 epochs).

Left panel: validation accuracy after each epoch, against chance (always answer
the most frequent symbol) and ``rl.recall.SOLVED``. Right panel: what the cell
carries through time on one new sequence: the cell state c (T, H) for the LSTM,
the hidden state h (T, H) for the vanilla cell and the GRU, one row per unit.
A state that keeps its colour from step 0 to the query is a memory.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..data.memory import recall_task
from ..models.network import cell_forward
from ..recall import SOLVED, chance, train_on_recall
from ..shapes import check_positive_int, check_seed
from ..widgets import interactive_figure

BUDGET = {"n_train": 800, "n_validation": 200, "epochs": 12}
# the most each argument may ask for: a run stays within a minute or so (the controls stop well before)
LIMITS = {"lag": 1000, "epochs": 1000, "n_train": 10_000, "n_validation": 10_000, "hidden_size": 256}
CELL_TYPES = ("rnn", "lstm", "gru")
FORGET_BIASES = {"usual (LSTM 1, GRU 0)": None, "chrono": "chrono", "0": 0.0, "3": 3.0}
GATED = ("lstm", "gru")


def carried_states(model, xs):
    """What a fitted model's cell carries from step to step on one sequence xs (T, I): an array (T, H).

    The cell state c_t for an LSTM (its memory), the hidden state h_t for the
    vanilla cell and the GRU (theirs).
    """
    hs, cache = cell_forward(model, xs)
    return cache["cs"] if model.cell == "lstm" else hs


def _bias_label(cell, forget_bias):
    if cell not in GATED:
        return "no gate"
    return next((label for label, value in FORGET_BIASES.items() if value == forget_bias), f"{forget_bias}")


def recall_figure(cell="lstm", lag=20, forget_bias="chrono", seed=0, epochs=BUDGET["epochs"],
                  n_train=BUDGET["n_train"], n_validation=BUDGET["n_validation"], hidden_size=16):
    """Train ``cell`` on the recall task with ``lag`` (seeded) and draw accuracy per epoch and the carried state.

    ``forget_bias`` (None, a number or "chrono") sets the gate that keeps the state
    (LSTM f, GRU z); the vanilla cell has none and ignores it. Returns a Figure.
    """
    sizes = {"lag": lag, "epochs": epochs, "n_train": n_train, "n_validation": n_validation, "hidden_size": hidden_size}
    for name, value in sizes.items():
        check_positive_int(value, name, most=LIMITS[name])
    check_seed(seed)
    gated = cell in GATED
    run = train_on_recall(cell, lag, seed=seed, epochs=epochs, n_train=n_train, n_validation=n_validation,
                          hidden_size=hidden_size, **({"forget_bias": forget_bias} if gated else {}))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [1, 1.5]})
    fig.subplots_adjust(left=0.07, right=0.97, bottom=0.14, top=0.88, wspace=0.2)  # fixed: tight_layout is slow
    epochs_axis = np.arange(1, len(run.accuracy) + 1)
    left.plot(epochs_axis, run.accuracy, marker=".", label="validation accuracy")
    left.axhline(chance(lag, n_validation=n_validation, seed=seed), ls=":", color="black", label="chance")
    left.axhline(SOLVED, ls="--", color="grey", label=f"solved ({SOLVED:.0%})")
    solved_in = run.epochs_to_solve()
    verdict = f"solved in epoch {solved_in}" if solved_in else f"not solved (best {max(run.accuracy):.2f})"
    left.set(xlabel="epoch", ylabel="accuracy at the query step", ylim=(0, 1.05), xlim=(0.5, epochs + 0.5),
             title=f"{cell}, lag {lag}, forget bias: {_bias_label(cell, forget_bias)}\n{verdict}, "
                   f"{run.seconds:.1f} s CPU")
    left.legend(loc="upper left", fontsize=8)

    xs, ys = recall_task(1, lag, seed=seed + 2000)  # a sequence neither training nor validation used
    states = carried_states(run.model, xs[0])  # (T, H)
    answer = int(np.argmax(run.model.predict(xs[0])[-1]))
    limit = max(float(np.max(np.abs(states))), 1e-12)
    image = right.imshow(states.T, aspect="auto", cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    for step in (0, lag):
        right.axvline(step, color="black", lw=0.8, ls=":")
    state = "cell state c" if cell == "lstm" else "hidden state h"
    right.set(xlabel=f"time step (0: the symbol, {lag}: the query)", ylabel="unit",
              title=f"{state} on a new sequence: symbol {int(ys[0, -1, 0])}, the model answers {answer}")
    right.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.colorbar(image, ax=right, fraction=0.04, pad=0.02)
    return fig


def recall_explorer():
    """Cell type, lag, forget bias, epochs and seed as controls; trains when "Train" is pressed."""
    controls = {
        "cell": widgets.Dropdown(options=CELL_TYPES, value="lstm", description="cell"),
        "lag": widgets.IntSlider(value=20, min=2, max=60, description="lag", continuous_update=False),
        "forget_bias": widgets.Dropdown(options=list(FORGET_BIASES.items()), value="chrono",
                                        description="forget bias"),
        "epochs": widgets.IntSlider(value=BUDGET["epochs"], min=2, max=30, description="epochs",
                                    continuous_update=False),
        "seed": widgets.IntSlider(value=0, min=0, max=9, description="seed", continuous_update=False),
    }
    return interactive_figure(recall_figure, controls, button="Train")
