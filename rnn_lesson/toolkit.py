"""The experiments of lesson 14, as run functions that ``rl.experiments.compare`` takes.

Three studies, each on a fixed draw of lesson 10's running total (``rl.data.memory.running_total_task``),
the seed of a run drawing the network's initial weights (and its dropout masks):

    optimizer_scores(method, seed, learning_rate)     SGD, Momentum, Adagrad or Adam
    schedule_scores(method, seed, learning_rate)      Adam at a base rate, with one of SCHEDULES
    regulariser_scores(method, seed, **setting)       on a small noisy set that a large network memorises:
                                                      "none", "early stopping" (patience), "weight decay"
                                                      (weight_decay), "dropout" (dropout)

The first two train BUDGET (a vanilla RNN, H = 16, 30 epochs on batches of 10: 300 steps) on
100 training sequences of T = 10 steps (draw 0), score on 100 validation sequences (draw 1, which
selects) and 500 test sequences (draw 5, which reports); each returns ``validation`` and ``test``
(the MSE after the last epoch) and ``validation_at_5`` (after 5 epochs). The third trains
OVERFIT_BUDGET (H = 32, Adam at 0.01, 80 epochs, one sequence per step) on 10 noisy training
sequences and scores on 50 noisy validation and 500 noisy test sequences (label noise of standard
deviation 0.3: no model can go below MSE 0.09). A run that diverges scores ``inf``.
A fourth, ``clipping_scores(method, seed, clip_norm)``, trains CLIPPING_BUDGET (plain SGD at 0.01,
5 epochs, one sequence per step) with a tanh or a ReLU cell on 40 running totals of T = 20 steps
(draw 2; validation draw 7, test draw 9), unclipped or clipped at ``clip_norm``.
``train_optimizer`` / ``train_schedule`` / ``train_regulariser`` / ``train_clipped`` return the
fitted model itself (the lesson draws its curves). Memoryless baseline: ``no_memory_mse`` (predict
x1 at every step). ``GRIDS`` holds each study's grids, ``SEEDS`` its seeds, ``RUNS`` its run
function; ``benchmarks/bench_toolkit.py`` runs them into ``results_path(study)``.
"""
import numpy as np

from .baselines import persistence
from .data.memory import running_total_task
from .models import RNN, TrainingDiverged
from .models.history import mean_loss
from .models.sequences import as_sequences
from .monitor import EarlyStopping, Monitored
from .optim import SGD, get_optimizer
from .schedules import Cosine, Scheduled, StepDecay, Warmup
from .shapes import check_seed

TASK = {"n_train": 100, "n_validation": 100, "n_test": 500, "n_steps": 10, "draws": (0, 1, 5)}
BUDGET = {"hidden_size": 16, "epochs": 30, "batch_size": 10}
N_STEPS = 300  # of BUDGET: 30 epochs of 10 batches
OPTIMIZERS = {"SGD": "sgd", "Momentum": "momentum", "Adagrad": "adagrad", "Adam": "adam"}
SCHEDULES = {"constant": None, "step decay (100, 0.3)": StepDecay(100, 0.3), "cosine": Cosine(N_STEPS),
             "warm-up 30 + cosine": Warmup(30, Cosine(N_STEPS - 30))}
OVERFIT = {"n_train": 10, "n_validation": 50, "n_test": 500, "n_steps": 10, "draws": (3, 4, 8), "noise": 0.3}
OVERFIT_BUDGET = {"hidden_size": 32, "epochs": 80, "learning_rate": 0.01}
REGULARISERS = ("none", "early stopping", "weight decay", "dropout")
CLIPPING = {"n_train": 40, "n_validation": 100, "n_test": 500, "n_steps": 20, "draws": (2, 7, 9)}
CLIPPING_BUDGET = {"hidden_size": 16, "epochs": 5, "learning_rate": 0.01}
ACTIVATIONS = {"tanh": "tanh", "ReLU": "relu"}


def running_total_sets():
    """(train, validation, test): pairs (X (N, 10, 2), Y (N, 10, 1)) of the running total, draws 0, 1 and 5."""
    sizes = (TASK["n_train"], TASK["n_validation"], TASK["n_test"])
    return tuple(running_total_task(n, TASK["n_steps"], seed=draw) for n, draw in zip(sizes, TASK["draws"]))


def overfit_sets():
    """(small, check, test) of lesson 14's section 6: the running total with label noise N(0, 0.3²).

    ``small`` (10 sequences) and ``check`` (50) take their noise, in that order, from one
    generator seeded 6; ``test`` (500) from its own, seeded 8.
    """
    noise = np.random.default_rng(6)
    sets = []
    for n, draw in zip((OVERFIT["n_train"], OVERFIT["n_validation"]), OVERFIT["draws"]):
        X, Y = running_total_task(n, OVERFIT["n_steps"], seed=draw)
        sets.append((X, Y + OVERFIT["noise"] * noise.standard_normal(Y.shape)))
    X, Y = running_total_task(OVERFIT["n_test"], OVERFIT["n_steps"], seed=OVERFIT["draws"][2])
    sets.append((X, Y + OVERFIT["noise"] * np.random.default_rng(8).standard_normal(Y.shape)))
    return tuple(sets)


def clipping_sets():
    """(train, validation, test) of lesson 14's section 5: running totals of T = 20 steps, draws 2, 7 and 9."""
    sizes = (CLIPPING["n_train"], CLIPPING["n_validation"], CLIPPING["n_test"])
    return tuple(running_total_task(n, CLIPPING["n_steps"], seed=draw) for n, draw in zip(sizes, CLIPPING["draws"]))


def no_memory_mse(data):
    """The MSE on ``data`` (X, Y) of the best guess without memory: the current x1 (the earlier ones average 0)."""
    X, Y = data
    return float(np.mean((persistence(X, 0) - Y) ** 2))


def _method(method, known, what):
    if method not in known:
        raise ValueError(f"unknown {what} {method!r}; known: {', '.join(known)}")
    return method


def train_optimizer(method, seed, learning_rate, schedule=None):
    """A fitted RNN: BUDGET on the running total with optimizer ``method`` (a key of OPTIMIZERS) at ``learning_rate``.

    ``schedule``: None (a constant rate) or an ``rl.schedules`` schedule of the step. Validation
    losses are recorded every 5 epochs in ``history_``.
    """
    optimizer = get_optimizer(OPTIMIZERS[_method(method, OPTIMIZERS, "optimizer")], learning_rate)
    if schedule is not None:
        optimizer = Scheduled(optimizer, schedule)
    train, validation, _ = running_total_sets()
    model = RNN(**BUDGET, learning_rate=learning_rate, optimizer=optimizer, eval_every=5, seed=check_seed(seed),
                progress=False)
    return model.fit(train, validation)


def train_schedule(method, seed, learning_rate):
    """A fitted RNN: Adam at base rate ``learning_rate`` following the schedule ``method`` (a key of SCHEDULES)."""
    return train_optimizer("Adam", seed, learning_rate, SCHEDULES[_method(method, SCHEDULES, "schedule")])


def _scores(fit, test):
    """validation and test MSE after the last epoch and validation after 5 epochs; inf for a diverged run."""
    try:
        model = fit()
    except TrainingDiverged:
        return {"validation": np.inf, "test": np.inf, "validation_at_5": np.inf}
    return {"validation": model.history_[-1]["validation_loss"],
            "test": mean_loss(model, as_sequences(test, "test")),
            "validation_at_5": model.history_[0]["validation_loss"]}


def optimizer_scores(method, seed, learning_rate):
    """``train_optimizer`` scored: validation (selects), test (reports) and validation_at_5, MSEs."""
    return _scores(lambda: train_optimizer(method, seed, learning_rate), running_total_sets()[2])


def schedule_scores(method, seed, learning_rate):
    """``train_schedule`` scored: validation (selects), test (reports) and validation_at_5, MSEs."""
    return _scores(lambda: train_schedule(method, seed, learning_rate), running_total_sets()[2])


def train_regulariser(method, seed, patience=None, weight_decay=None, dropout=None):
    """A fitted RNN on ``overfit_sets``: OVERFIT_BUDGET with Adam and one remedy against overfitting (or "none").

    "early stopping" needs ``patience`` and ends with the best epoch's weights restored (its
    ``EarlyStopping`` hook is kept as ``model.stopper_``); "weight decay" needs ``weight_decay``
    (L2 in Adam's gradient); "dropout" needs ``dropout`` (on the states before the output layer).
    """
    given = {"patience": patience, "weight_decay": weight_decay, "dropout": dropout}
    needs = {"none": None, "early stopping": "patience", "weight decay": "weight_decay", "dropout": "dropout"}
    need = needs[_method(method, needs, "regulariser")]
    extra = [k for k, v in given.items() if v is not None and k != need]
    if (need is not None and given[need] is None) or extra:
        raise ValueError(f"{method!r} takes {need or 'no setting'}; got {({k: v for k, v in given.items() if v is not None})}")
    small, check, _ = overfit_sets()
    optimizer = get_optimizer("adam", OVERFIT_BUDGET["learning_rate"])
    if method == "weight decay":
        optimizer = type(optimizer)(OVERFIT_BUDGET["learning_rate"], weight_decay=weight_decay)
    model = RNN(**OVERFIT_BUDGET, optimizer=optimizer, dropout=dropout or 0.0, seed=check_seed(seed),
                eval_every=1, progress=False)
    if method != "early stopping":
        return model.fit(small, check)
    model.stopper_ = EarlyStopping(patience)
    model.fit(small, check, after_epoch=model.stopper_)
    return model.stopper_.restore(model)


def regulariser_scores(method, seed, **setting):
    """``train_regulariser`` scored on the final (or, early stopping, restored) weights: validation, test, epochs."""
    model = train_regulariser(method, seed, **setting)
    _, check, test = overfit_sets()
    return {"validation": mean_loss(model, as_sequences(check, "validation")),
            "test": mean_loss(model, as_sequences(test, "test")), "epochs": float(len(model.loss_curve_))}


def train_clipped(method, seed, clip_norm=None):
    """A fitted RNN: CLIPPING_BUDGET (plain SGD, one sequence per step) with activation ``method`` ("tanh" or "ReLU").

    ``clip_norm``: None (no clipping) or the threshold of the gradient's global norm. The
    optimizer is ``Monitored``, so ``model.optimizer_.norms`` holds every step's norm.
    """
    activation = ACTIVATIONS[_method(method, ACTIVATIONS, "activation")]
    train, validation, _ = clipping_sets()
    model = RNN(**CLIPPING_BUDGET, activation=activation, clip_norm=clip_norm, seed=check_seed(seed),
                optimizer=Monitored(SGD(CLIPPING_BUDGET["learning_rate"])), eval_every=CLIPPING_BUDGET["epochs"],
                progress=False)
    return model.fit(train, validation)


def clipping_scores(method, seed, clip_norm=None):
    """``train_clipped`` scored: validation and test MSE after the last epoch, its training loss; inf if it diverged."""
    try:
        model = train_clipped(method, seed, clip_norm)
    except TrainingDiverged:
        return {"validation": np.inf, "test": np.inf, "training": np.inf}
    return {"validation": model.history_[-1]["validation_loss"],
            "test": mean_loss(model, as_sequences(clipping_sets()[2], "test")), "training": model.loss_curve_[-1]}


SEEDS = (0, 1, 2, 3, 4)
CLIP_NORMS = (None, 1, 2, 5, 10, 20, 50)
GRIDS = {  # each method's own grid (1-2-5 steps of the learning rate, wide enough that no best is at an edge)
    "optimizers": {"SGD": {"learning_rate": [0.005, 0.01, 0.02, 0.05, 0.1, 0.2]},
                   "Momentum": {"learning_rate": [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02]},
                   "Adagrad": {"learning_rate": [0.01, 0.02, 0.05, 0.1, 0.2, 0.5]},
                   "Adam": {"learning_rate": [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02]}},
    "schedules": {name: {"learning_rate": [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1]} for name in SCHEDULES},
    "regularisers": {"none": [{}], "early stopping": {"patience": [3, 5, 10, 20]},
                     "weight decay": {"weight_decay": [0.01, 0.03, 0.1, 0.3, 1.0]},
                     "dropout": {"dropout": [0.1, 0.2, 0.3, 0.5]}},
    "clipping": {name: [{"clip_norm": c} for c in CLIP_NORMS] for name in ACTIVATIONS},
}
RUNS = {"optimizers": optimizer_scores, "schedules": schedule_scores, "regularisers": regulariser_scores,
        "clipping": clipping_scores}


def results_path(study):
    """The shipped table of ``study`` (a key of GRIDS): data/results/toolkit_<study>.csv in the repository."""
    from pathlib import Path
    if study not in GRIDS:
        raise ValueError(f"unknown study {study!r}; known: {', '.join(GRIDS)}")
    return Path(__file__).resolve().parents[1] / "data" / "results" / f"toolkit_{study}.csv"
