"""CharLM's hyperparameters: their defaults and one table of checks, each bounding the work it can cause.

``DEFAULTS`` is the signature of ``CharLM.__init__``, in order; ``CHECKS`` maps
every name to ``check(value, name)`` raising TypeError/ValueError that names it.
``CharLM.fit`` and ``CharLM.load`` both run ``check_all``.

The defaults train a fair model of a new text without tuning: an LSTM of 128
units, chunks of 32 characters in batches of 32 streams, Adam at 0.005 with the
global gradient norm clipped to 5, for 10 passes over the text. (Checked on text
from outside the course, 69 KB of software licences with the last 10 % held
out: 1.75 nats per character against the bigram's 2.52; with chunks of 64 and
Adam at 0.003 it was 2.28.) ``n_layers`` cells are stacked (1 to MAX_LAYERS) with
``dropout`` p in [0, 1) on each one's output while training (lesson 14); the
"fast" engine computes one layer without dropout only. ``max_seconds``
(None: no limit) stops training after the chunk that reaches that much time.
"""
from ..cells import CELLS
from ..layers.dropout import check_rate
from ..models.hyperparameters import _check_bool, _optional
from ..optim import OPTIMIZERS, Optimizer
from ..shapes import check_positive_float, check_positive_int, check_seed
from .engines import check_combination, check_engine

MAX_LAYERS = 8
DEFAULTS = {"cell": "lstm", "hidden_size": 128, "n_layers": 1, "dropout": 0.0, "seq_len": 32, "batch_size": 32,
            "learning_rate": 0.005, "optimizer": "adam", "clip_norm": 5.0, "epochs": 10, "stateful": True, "seed": 0,
            "engine": "reference", "max_seconds": None, "progress": "auto"}
LIMITS = {"hidden_size": 2048, "n_layers": MAX_LAYERS, "seq_len": 10_000, "batch_size": 4096, "epochs": 100_000,
          "learning_rate": 10.0, "max_seconds": 7 * 24 * 3600.0}


def _bounded_int(value, name):
    if check_positive_int(value, name) > LIMITS[name]:
        raise ValueError(f"{name} must be at most {LIMITS[name]}, got {value}")


def _learning_rate(value, name):  # also max_seconds: a positive number up to its limit
    if check_positive_float(value, name) > LIMITS[name]:
        raise ValueError(f"{name} must be at most {LIMITS[name]:g}, got {value}")


def _name_in(table, what):
    def check(value, name):
        if not isinstance(value, str) or value not in table:
            raise ValueError(f"unknown {what} {value!r}; choose one of: {', '.join(table)}")
    return check


def _progress(value, name):
    if not (isinstance(value, bool) or (isinstance(value, str) and value == "auto")):
        raise ValueError(f"{name} must be True, False or 'auto', got {value!r}")


def _seed(value, name):
    check_seed(value)


CHECKS = {
    "cell": _name_in(CELLS, "cell"),
    "hidden_size": _bounded_int,
    "n_layers": _bounded_int,
    "dropout": lambda value, name: check_rate(value, name),
    "seq_len": _bounded_int,
    "batch_size": _bounded_int,
    "learning_rate": _learning_rate,
    "optimizer": lambda value, name: None if isinstance(value, Optimizer) else _name_in(OPTIMIZERS, name)(value, name),
    "clip_norm": _optional(lambda value, name: check_positive_float(value, name)),
    "epochs": _bounded_int,
    "stateful": _check_bool,
    "seed": _seed,
    "engine": lambda value, name: check_engine(value),
    "max_seconds": _optional(_learning_rate),
    "progress": _progress,
}
assert list(CHECKS) == list(DEFAULTS)


def check_all(hyperparameters):
    """Check every hyperparameter of the dict (name -> value); the first bad one raises, named."""
    unknown = [name for name in hyperparameters if name not in CHECKS]
    if unknown:
        raise ValueError(f"unknown hyperparameter(s) {unknown}; CharLM takes {', '.join(CHECKS)}")
    for name, value in hyperparameters.items():
        CHECKS[name](value, name)
    check_combination(hyperparameters.get("engine", DEFAULTS["engine"]), hyperparameters.get("n_layers", 1),
                      hyperparameters.get("dropout", 0.0))
