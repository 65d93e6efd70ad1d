"""The estimator's hyperparameters: one table of checks, and what each engine can train.

``CHECKS`` maps every hyperparameter of ``RNN``, in the order of its
signature, to a function ``check(value, name)`` that raises TypeError or
ValueError naming it. ``RNN.fit`` and ``RNN.load`` both run ``check_all``,
so a model is never trained or loaded with a value that ``fit`` would refuse.

``ENGINES`` maps each training engine to the values it is restricted to,
hyperparameter by hyperparameter: the fast engine (compiled: rl.fast.sgd_epoch
or minibatch_epoch for the vanilla cell without clipping, rl.fast.cell_minibatch_epoch
for the gated cells or with clip_norm) trains every cell on the MSE loss only,
without truncation; the reference engine trains whatever the table accepts. ``CELLS`` does the same for the cells: the
gated cells have their own activations and no truncated BPTT. Truncation is a
per-sequence idea, so it does not combine with ``batch_size`` either.

The training toolkit of lessons 14-15: ``n_layers`` (1..MAX_LAYERS cells stacked),
``bidirectional`` (the sequence read both ways: never for forecasting, see
``sequences.check_not_forecasting``), ``dropout`` (p in [0, 1) on each layer's
output while training) and ``optimizer`` (a name in ``rl.optim.OPTIMIZERS`` with
``learning_rate``, or an optimizer object carrying its own learning rate, weight
decay, schedule: ``rl.Adam(0.01, weight_decay=1e-4)``). Truncated BPTT exists only
for a single forward cell without dropout.

A new hyperparameter is a new row of ``CHECKS`` (and an argument of
``RNN.__init__``, with its default); if an engine or a cell cannot train some
of its values, a row in ``ENGINES`` or ``CELLS`` too.
"""
import math
import numbers

from ..activations import get_activation
from ..cells import CELLS as CELL_MODULES, get_cell
from ..layers.dropout import check_rate
from ..losses import get_loss
from ..optim import OPTIMIZERS, Optimizer
from ..shapes import check_positive_float, check_positive_int, check_seed

MAX_LAYERS = 8  # bounds the work (and the members a saved model may hold)


def _optional(check):
    """``check``, but None passes: the feature is off."""
    def check_unless_none(value, name):
        if value is not None:
            check(value, name)
    return check_unless_none


def _self_naming(check):
    """A one-argument check whose message already names its subject (``unknown activation 'x'``)."""
    def check_value(value, name):
        check(value)
    return check_value


def _one_of(*allowed):
    """A check that ``value`` is one of ``allowed`` (same type too: 1 is not True)."""
    choices = ", ".join(map(repr, allowed[:-1])) + f" or {allowed[-1]!r}"

    def check_choice(value, name):
        if not any(isinstance(value, type(a)) and value == a for a in allowed):
            raise ValueError(f"{name} must be {choices}, got {value!r}")
    return check_choice


def _check_bool(value, name):
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")


def _check_forget_bias(value, name):
    if value is None or (isinstance(value, str) and value == "chrono"):
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise TypeError(f"{name} must be None, a finite number or 'chrono', got {value!r}")


def _check_evaluator(value, name):
    if value is not None and not all(callable(getattr(value, m, None)) for m in ("evaluate", "report")):
        raise TypeError(f"{name} must have evaluate() and report() methods, got {value!r}")


def _check_layers(value, name):
    check_positive_int(value, name)
    if value > MAX_LAYERS:
        raise ValueError(f"{name} must be at most {MAX_LAYERS}, got {value}")


def _check_optimizer(value, name):
    """A name in OPTIMIZERS or an rl.optim optimizer object (its state is never used: fit starts afresh)."""
    if isinstance(value, Optimizer):
        return
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a name ({', '.join(OPTIMIZERS)}) or an rl.optim optimizer object, "
                        f"got {type(value).__name__} {value!r}")
    if value not in OPTIMIZERS:
        raise ValueError(f"unknown {name} {value!r}; choose one of: {', '.join(OPTIMIZERS)} (or pass an optimizer "
                         "object such as rl.Adam(0.01))")


# which values each engine can train, where it cannot train every value CHECKS accepts
ENGINES = {
    "reference": {},
    "fast": {"loss": ("mse",), "truncate": (None,)},
}

# which values each cell can train with, where it cannot take every value CHECKS accepts
CELLS = {name: {} if name == "rnn" else {"activation": ("tanh",), "truncate": (None,)} for name in CELL_MODULES}

# the most epochs a fit may run: a bound on the work one argument causes (the lessons use at most a few
# thousand; a million epochs of the smallest data set is already hours)
MAX_EPOCHS = 1_000_000

CHECKS = {
    "hidden_size": check_positive_int,  # bounded by the memory its weights need: rnn_lesson.budget
    "learning_rate": check_positive_float,
    "epochs": lambda value, name: check_positive_int(value, name, most=MAX_EPOCHS),
    "activation": _self_naming(get_activation),
    "loss": _self_naming(get_loss),
    "clip_norm": _optional(check_positive_float),
    "truncate": _optional(check_positive_int),
    "shuffle": _check_bool,
    "eval_every": _optional(check_positive_int),
    "evaluator": _check_evaluator,
    "seed": _self_naming(check_seed),
    "progress": _one_of("auto", True, False),
    "engine": _one_of(*ENGINES),
    "cell": _self_naming(get_cell),
    "batch_size": _optional(check_positive_int),
    "recurrent_init": _one_of("normal", "orthogonal", "identity"),
    "forget_bias": _check_forget_bias,
    "n_layers": _check_layers,
    "bidirectional": _check_bool,
    "dropout": _self_naming(check_rate),
    "optimizer": _check_optimizer,
}


def check_all(hyperparameters):
    """Check a dict name -> value holding every row of CHECKS, then the engine's and the cell's restrictions."""
    for name, check in CHECKS.items():
        check(hyperparameters[name], name)
    engine, cell = hyperparameters["engine"], hyperparameters["cell"]
    _check_limits(hyperparameters, f"engine={engine!r}", ENGINES[engine], " Use engine='reference'")
    _check_limits(hyperparameters, f"cell={cell!r}", CELLS[cell], "")
    if hyperparameters["batch_size"] is not None and hyperparameters["truncate"] is not None:
        raise ValueError(f"truncate={hyperparameters['truncate']!r} cuts BPTT sequence by sequence; it does not "
                         "combine with batch_size (set one of them to None)")
    _check_toolkit(hyperparameters)


def _check_toolkit(hyperparameters):
    """What the stack and the optimizer need beside the rest: no truncation, the reference engine, one learning rate."""
    optimizer, rate = hyperparameters["optimizer"], hyperparameters["learning_rate"]
    stacked = [f"{k}={hyperparameters[k]!r}" for k, plain in (("n_layers", 1), ("bidirectional", False),
                                                               ("dropout", 0)) if hyperparameters[k] != plain]
    if hyperparameters["truncate"] is not None and stacked:
        raise ValueError(f"truncate works on a single forward cell without dropout; got {', '.join(stacked)} "
                         "(set truncate=None)")
    if hyperparameters["engine"] != "reference" and (stacked or optimizer != "sgd"):
        got = ", ".join(stacked + ([f"optimizer={optimizer!r}"] if optimizer != "sgd" else []))
        raise ValueError(f"engine={hyperparameters['engine']!r} trains a single forward cell without dropout with "
                         f"optimizer='sgd'; got {got}. Use engine='reference'")
    if isinstance(optimizer, Optimizer) and optimizer.learning_rate != rate:
        raise ValueError(f"optimizer={optimizer!r} has its own learning rate {optimizer.learning_rate:g}, but "
                         f"learning_rate={rate!r}: give the same value to both, or pass the optimizer by name "
                         f"({', '.join(OPTIMIZERS)}) beside learning_rate")


def _check_limits(hyperparameters, who, limits, advice):
    unsupported = [f"{name}={hyperparameters[name]!r}" for name, allowed in limits.items()
                   if hyperparameters[name] not in allowed]
    if unsupported:
        raise ValueError(f"{who} supports {_describe(limits)}; got {', '.join(unsupported)}.{advice}")


def _describe(limits):
    """An engine's restrictions in words: "loss='mse' without clip_norm or truncate"."""
    kept = [" or ".join(f"{name}={a!r}" for a in allowed) for name, allowed in limits.items() if allowed != (None,)]
    off = [name for name, allowed in limits.items() if allowed == (None,)]
    words = ", ".join(kept)
    if off:
        words += f" without {' or '.join(off)}"
    return words.strip()
