"""Saving a fitted RNN to an .npz archive and reading it back, without pickle.

File format "rnn_lesson.RNN", version 1: an ``np.savez`` archive of

    W_xh, W_hh, W_hy, b_h, b_y   the parameters, float64
    loss_curve                   (epochs,) float64
    state                        1-D uint8: UTF-8 JSON {"format": "rnn_lesson.RNN",
                                 "version": 1, "hyperparameters": {...}, "history": [...]}

The evaluator is kept as {"name": class name, "threshold": t} when it is one
of this package's (``rl.evaluate.EVALUATORS``); any other is saved as None.
``save`` builds the archive's arrays, checks that they load back into the same
model, and only then writes them, atomically (``archive.write_atomically``).
``load`` reads only the members above (``archive.read_members``), checks
everything it reads and names the file in every error. Both add ".npz" to a
path without it: ``save("model")`` writes model.npz, ``load("model")`` reads it.
"""
import zipfile
import zlib
from pathlib import Path

import numpy as np

from . import network
from .archive import json_member, json_of_member, npz_path, read_members, write_checked
from .hyperparameters import check_all
from ..evaluate import EVALUATORS
from ..shapes import as_float_array

FORMAT = "rnn_lesson.RNN"
FORMAT_VERSION = 2  # 2 added the hyperparameters cell, batch_size, recurrent_init and forget_bias
READABLE_VERSIONS = (1, 2)  # a version-1 file is a vanilla RNN: the new hyperparameters take their defaults


MEMBERS = (*network.PARAM_NAMES, "loss_curve", "state")


def save(model, path):
    """Write the fitted ``model`` to ``path`` (".npz" added if missing); returns the path written.

    Nothing is written unless the arrays load back into a valid model; an
    existing file at ``path`` is replaced only by a complete new one.
    """
    hyper = model.get_params()
    evaluator = model.evaluator
    hyper["evaluator"] = ({"name": type(evaluator).__name__, "threshold": evaluator.threshold}
                          if EVALUATORS.get(type(evaluator).__name__) is type(evaluator) else None)
    state = {"format": FORMAT, "version": FORMAT_VERSION, "hyperparameters": hyper, "history": model.history_}
    return write_checked(path, lambda: {**model.params_, "loss_curve": model.loss_curve_, "state": json_member(state)},
                         lambda arrays: _from_arrays(type(model), arrays))


def load(cls, path):
    """A fitted ``cls`` (RNN) read from ``path``.

    Raises FileNotFoundError for a missing file and ValueError, naming the
    file, for anything that is not a complete, consistent saved model.
    """
    path = Path(path)
    if not path.is_file() and npz_path(path).is_file():
        path = npz_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {path}")
    try:
        arrays = read_members(path, MEMBERS)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as err:
        raise ValueError(f"{path} is not a model saved by RNN.save (not a readable .npz: {err})") from None
    try:
        return _from_arrays(cls, arrays)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{path} is not a valid saved RNN: {err}") from None


def _from_arrays(cls, arrays):
    missing = [k for k in MEMBERS if k not in arrays]
    if missing:
        raise ValueError(f"missing arrays {missing}")
    state = _read_state(arrays["state"])
    hyper = state["hyperparameters"]
    model = cls(**dict(hyper, evaluator=_evaluator_from_json(hyper.get("evaluator"))))
    check_all(model.get_params())
    params = {k: arrays[k] for k in network.PARAM_NAMES}
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
