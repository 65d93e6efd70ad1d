"""The recall experiment of lessons 10 to 12: can a cell carry a symbol across ``lag`` steps of distraction?

One function, so that the three lessons (and the explorer) train every cell the same way:

    X, Y = recall_task(n_train, lag, seed)             training sequences, T = lag + 1
    model = RNN(cell, hidden_size, learning_rate, loss="cross_entropy", batch_size, clip_norm, ...)
    model.fit((X, Y))                                  plain SGD on mini-batches, gradients clipped
    accuracy = class_accuracy(model.predict(X_val), Y_val)      after every epoch

The task (``rl.data.memory.recall_task``): a marked symbol at step 0, ``lag - 1``
other symbols, then a query; the answer is the marked symbol. Chance is about
1 / n_symbols (0.25 with four symbols): without memory the query step looks the
same in every sequence. ``SETTINGS`` is the budget every lesson uses;
``LEARNING_RATES`` the step size each cell is trained with when none is given: a
choice made from a few trial runs while the lessons were written, not a tuned
optimum. For the vanilla cell, lesson 10's sweep (benchmarks/bench_recall_vanilla.py,
data/results/recall_vanilla_lags.csv: rates 0.008 to 8, three seeds) finds the best
rate on validation to depend on the lag: 2 at lag 5, 0.5 at lag 10, 0.125 at lag 20
(two seeds of three solved; none at 0.5) and 2 at lag 40, where no rate solves any
seed. With 2, the gated cells' chrono starts learn lag 40 (benchmarks/bench_recall.py).
``validation_set`` and ``chance`` give the
sequences a run is scored on and the best score without memory on them.
``recall_scores`` is the same run in the form ``rl.experiments.compare`` takes, scored
on the validation set (which selects settings) and on a test set drawn apart (which reports).
"""
import time
from dataclasses import dataclass, field

import numpy as np

from .cells import get_cell
from .data.memory import recall_task
from .evaluate import class_accuracy
from .models import RNN
from .shapes import check_positive_int, check_seed

SETTINGS = {"n_train": 1000, "n_validation": 500, "hidden_size": 16, "epochs": 24, "batch_size": 32,
            "clip_norm": 1.0}
LEARNING_RATES = {"rnn": 0.5, "lstm": 2.0, "gru": 2.0}
SOLVED = 0.95  # validation accuracy that counts as "learned the task"


@dataclass
class RecallRun:
    """One training run: the settings, the fitted model, validation accuracy after each epoch, CPU seconds."""

    cell: str
    lag: int
    seed: int
    model: RNN
    accuracy: list = field(default_factory=list)  # after epochs 1, 2, ...
    seconds: float = 0.0

    @property
    def final_accuracy(self):
        return self.accuracy[-1]

    @property
    def solved(self):
        """True when the last epoch's validation accuracy reaches SOLVED."""
        return self.final_accuracy >= SOLVED

    def epochs_to_solve(self):
        """The first epoch whose validation accuracy reached SOLVED, or None."""
        return next((epoch for epoch, a in enumerate(self.accuracy, start=1) if a >= SOLVED), None)


def train_on_recall(cell, lag, seed=0, learning_rate=None, stop_when_solved=False, **overrides):
    """Train ``cell`` on the recall task with ``lag``; returns a :class:`RecallRun`.

    ``seed`` draws the training set, the validation set (seed + 1000), the
    weights and the shuffling. ``overrides`` change SETTINGS (n_train, epochs,
    hidden_size, ...) or pass RNN hyperparameters (forget_bias, recurrent_init,
    activation, n_symbols for the task). ``learning_rate`` defaults to the cell's.
    ``stop_when_solved``: end training after the first epoch whose validation
    accuracy reaches SOLVED (the run then has fewer epochs; the answer to "does
    it learn?" is the same, sooner).
    """
    lag = check_positive_int(lag, "lag")
    check_seed(seed)  # seed + 1000 of a bool or a negative seed would pass as another seed
    get_cell(cell)  # an unknown name is a ValueError listing the known ones
    settings = {**SETTINGS, **{k: v for k, v in overrides.items() if k in SETTINGS}}
    task = {k: overrides.pop(k) for k in ("n_symbols",) if k in overrides}
    hyper = {k: v for k, v in overrides.items() if k not in SETTINGS}
    X, Y = recall_task(settings["n_train"], lag, seed=seed, **task)
    X_val, Y_val = validation_set(lag, seed, settings["n_validation"], **task)
    model = RNN(cell=cell, hidden_size=settings["hidden_size"], epochs=settings["epochs"],
                batch_size=settings["batch_size"], clip_norm=settings["clip_norm"],
                learning_rate=LEARNING_RATES[cell] if learning_rate is None else learning_rate,
                loss="cross_entropy", shuffle=True, seed=seed, progress=False, **hyper)
    run = RecallRun(cell, lag, seed, model)

    def score(epoch, fitted):
        run.accuracy.append(class_accuracy(fitted.predict(X_val), Y_val))
        return stop_when_solved and run.accuracy[-1] >= SOLVED

    start = time.process_time()
    model.fit((X, Y), after_epoch=score)
    run.seconds = time.process_time() - start
    return run


def validation_set(lag, seed=0, n_validation=SETTINGS["n_validation"], n_symbols=4):
    """The sequences a run with ``seed`` is scored on: ``recall_task`` drawn from seed + 1000 (never trained on)."""
    return recall_task(n_validation, lag, n_symbols=n_symbols, seed=check_seed(seed) + 1000)


def chance(lag, seed=0, n_validation=SETTINGS["n_validation"], n_symbols=4):
    """The best accuracy without memory on the validation set of ``lag``: always answer its most frequent symbol."""
    _, Y = validation_set(lag, seed, n_validation, n_symbols)
    return float(np.bincount(Y[:, -1, 0].astype(int)).max() / len(Y))


def test_set(lag, seed=0, n_test=SETTINGS["n_validation"], n_symbols=4):
    """Sequences for reporting a run chosen on its validation set: ``recall_task`` from seed + 2000."""
    return recall_task(n_test, lag, n_symbols=n_symbols, seed=check_seed(seed) + 2000)


def recall_scores(method, seed, cell, lag, learning_rate=None, stop_when_solved=True, keep=None, **options):
    """One run of ``train_on_recall`` as ``rl.experiments.compare`` wants it: a dict of numbers.

    ``method`` is only the comparison's label; ``cell``, ``lag``, ``learning_rate`` and
    ``options`` (forget_bias, recurrent_init, activation, epochs, ...) are the setting. Returns
    ``validation`` (the final validation accuracy, which selects), ``test`` (the same model on
    ``test_set``, which reports), ``solved`` (1.0 or 0.0) and ``epochs`` (run). ``keep``: None, or
    a dict that receives the :class:`RecallRun` under ``(method, lag, seed)``, so that a lesson
    which reruns a row (``functools.partial(recall_scores, keep=runs)``) can look at the model.
    """
    if keep is not None and not isinstance(keep, dict):
        raise TypeError(f"keep must be a dict that receives the trained run, or None; got {type(keep).__name__}")
    run = train_on_recall(cell, lag, seed=seed, learning_rate=learning_rate, stop_when_solved=stop_when_solved,
                          **options)
    if keep is not None:
        keep[method, lag, seed] = run
    X_test, Y_test = test_set(lag, seed, n_symbols=options.get("n_symbols", 4))
    return {"validation": run.final_accuracy, "test": class_accuracy(run.model.predict(X_test), Y_test),
            "solved": float(run.solved), "epochs": float(len(run.accuracy))}
