"""Saving a fitted RNN to an .npz archive and reading it back, without pickle.

File format "rnn_lesson.RNN", version 1: an ``np.savez`` archive of

    W_xh, W_hh, W_hy, b_h, b_y   the parameters, float64
    loss_curve                   (epochs,) float64
    state                        1-D uint8: UTF-8 JSON {"format": "rnn_lesson.RNN",
                                 "version": 1, "hyperparameters": {...}, "history": [...]}

The evaluator is kept as {"name": class name, "threshold": t} when it is one
of this package's (``rl.evaluate.EVALUATORS``); any other is saved as None.
Version 3 adds n_layers, bidirectional, dropout and optimizer (a name, or an
object of this package's as ``rl.schedules.optimizer_spec``: its class and
hyperparameters, without state), and the stack's other cells' parameters
(``network.param_names``); older files load with those at their defaults.
``save`` builds the archive's arrays, checks that they load back into the same
model, and only then writes them, atomically (``archive.write_atomically``).
``load`` reads only the members above (``archive.read_members``), checks
everything it reads and names the file in every error. Both add ".npz" to a
path without it: ``save("model")`` writes model.npz, ``load("model")`` reads it.
"""

import numpy as np

from . import network
from .archive import json_member, json_of_member, load_members, write_checked
from .hyperparameters import check_all
from .hyperparameters import MAX_LAYERS
from ..evaluate import EVALUATORS
from ..layers.stack import key_name
from ..optim import Optimizer
from ..schedules import optimizer_from_spec, optimizer_spec
from ..shapes import as_float_array

FORMAT = "rnn_lesson.RNN"
FORMAT_VERSION = 3  # 2 added cell, batch_size, recurrent_init, forget_bias; 3 n_layers, bidirectional, dropout, optimizer
READABLE_VERSIONS = (1, 2, 3)  # an older file: the newer hyperparameters take their defaults


# every member a saved model may hold; which of them it must hold follows from its hyperparameters
MEMBERS = (*network.PARAM_NAMES, "loss_curve", "state",
           *(key_name(key, layer, direction) for layer in range(MAX_LAYERS) for direction in (0, 1)
             if layer or direction for key in network.CELL_KEYS))


def save(model, path):
    """Write the fitted ``model`` to ``path`` (".npz" added if missing); returns the path written.

    Nothing is written unless the arrays load back into a valid model; an
    existing file at ``path`` is replaced only by a complete new one.
    """
    hyper = model.get_params()
    evaluator = model.evaluator
    hyper["evaluator"] = ({"name": type(evaluator).__name__, "threshold": evaluator.threshold}
                          if EVALUATORS.get(type(evaluator).__name__) is type(evaluator) else None)
    if isinstance(model.optimizer, Optimizer):
        hyper["optimizer"] = optimizer_spec(model.optimizer)
        if hyper["optimizer"] is None:
            raise ValueError(f"cannot save this model: its optimizer {model.optimizer!r} is not one of rl.optim's "
                             "(it could not be rebuilt on load); nothing was written")
    state = {"format": FORMAT, "version": FORMAT_VERSION, "hyperparameters": hyper, "history": model.history_}
    return write_checked(path, lambda: {**model.params_, "loss_curve": model.loss_curve_, "state": json_member(state)},
                         lambda arrays: _from_arrays(type(model), arrays))


def load(cls, path):
    """A fitted ``cls`` (RNN) read from ``path``.

    Raises FileNotFoundError for a missing file and ValueError, naming the
    file, for anything that is not a complete, consistent saved model.
    """
    return load_members(path, MEMBERS, lambda arrays: _from_arrays(cls, arrays), "RNN.save")


def _from_arrays(cls, arrays):
    if "state" not in arrays:
        raise ValueError("missing arrays ['state']")
    state = _read_state(arrays["state"])
    hyper = state["hyperparameters"]
    optimizer = hyper.get("optimizer", "sgd")
    model = cls(**dict(hyper, evaluator=_evaluator_from_json(hyper.get("evaluator")),
                       optimizer=optimizer_from_spec(optimizer) if isinstance(optimizer, dict) else optimizer))
    check_all(model.get_params())
    expected = (*network.param_names(model), "loss_curve", "state")
    missing, extra = [k for k in expected if k not in arrays], sorted(set(arrays) - set(expected))
    if missing or extra:
        raise ValueError(f"missing arrays {missing}" if missing else
                         f"it holds arrays {extra} that a model with these hyperparameters does not have")
    params = {k: arrays[k] for k in network.param_names(model)}
    n_inputs, n_hidden, n_outputs = network.sizes(model, params)
    if n_hidden != model.hidden_size:
        raise ValueError(f"W_hh has {n_hidden} rows but hidden_size is {model.hidden_size}")
    for key, value in params.items():
        as_float_array(value, key)
    loss_curve = arrays["loss_curve"]
    if loss_curve.dtype != np.float64 or loss_curve.ndim != 1:
        raise ValueError(f"loss_curve must be a 1-D float64 array, got {loss_curve.dtype} {loss_curve.shape}")
    model.params_, model.loss_curve_, model.history_ = params, loss_curve, state["history"]
    model.n_inputs_, model.n_outputs_ = n_inputs, n_outputs
    return model


def _read_state(array):
    """The JSON dict of the 'state' array, checked to be of this format and version."""
    state = json_of_member(array, "state")
    if state.get("format") != FORMAT or state.get("version") not in READABLE_VERSIONS:
        raise ValueError(f"'state' does not describe a {FORMAT} model of version "
                         f"{' or '.join(map(str, READABLE_VERSIONS))}")
    if not isinstance(state.get("hyperparameters"), dict) or not isinstance(state.get("history"), list):
        raise ValueError("'state' needs a 'hyperparameters' dict and a 'history' list")
    return state


def _evaluator_from_json(spec):
    """The evaluator saved as {"name": class name, "threshold": t}, or None."""
    if spec is None:
        return None
    if not isinstance(spec, dict) or spec.get("name") not in EVALUATORS or "threshold" not in spec:
        raise ValueError(f"unknown evaluator {spec!r}; known: {', '.join(EVALUATORS)}")
    return EVALUATORS[spec["name"]](spec["threshold"])
