"""Saving a trained CharLM to an .npz archive and reading it back, without pickle.

File format "rnn_lesson.CharLM", version 1: an uncompressed ``np.savez`` archive of

    W_xh, W_hh, b_h, W_hy, b_y   the parameters, float64 (see ``objective``)
    loss_curve                   (epochs run,) float64
    state                        1-D uint8: UTF-8 JSON {"format", "version", "hyperparameters",
                                 "vocabulary": the characters in id order, "start_char", "history"}

``save`` builds the arrays, checks that they load back into the same model, and
only then writes them atomically (``models.archive.write_atomically``). ``load``
reads only those members (``models.archive.read_members``: uncompressed, plain
numbers, sizes that match their headers) and checks every shape against the
vocabulary and the hyperparameters; every error names the file.
"""

import numpy as np

from ..models.archive import json_member, load_members, model_state, write_checked
from ..shapes import check_shape
from .hyperparameters import check_all
from .objective import N_STATES, PARAM_NAMES
from .vocabulary import Vocabulary

FORMAT, VERSION = "rnn_lesson.CharLM", 1
MEMBERS = (*PARAM_NAMES, "loss_curve", "state")
N_GATES = {"rnn": 1, "gru": 3, "lstm": 4}
assert set(N_GATES) == set(N_STATES)


def save(model, path):
    """Write ``model`` to ``path`` (".npz" added if missing) all or nothing; returns the path written."""
    state = {"format": FORMAT, "version": VERSION, "hyperparameters": model.get_params(),
             "vocabulary": model.vocab_.chars, "start_char": model.start_char_, "history": model.history_}
    return write_checked(path, lambda: {**model.params_, "loss_curve": np.asarray(model.loss_curve_, dtype=np.float64),
                                        "state": json_member(state)},
                         lambda arrays: _from_arrays(type(model), arrays))


def load(cls, path):
    """A trained ``cls`` (CharLM) from ``path``: FileNotFoundError if missing, ValueError naming it if not valid."""
    return load_members(path, MEMBERS, lambda arrays: _from_arrays(cls, arrays), "CharLM.save")


def _from_arrays(cls, arrays):
    state = model_state(arrays, MEMBERS, FORMAT, VERSION)
    hyper = state.get("hyperparameters")
    if not isinstance(hyper, dict) or not isinstance(state.get("history"), list):
        raise ValueError("'state' needs a 'hyperparameters' dict and a 'history' list")
    check_all(hyper)
    model = cls(**hyper)
    vocab = Vocabulary(state.get("vocabulary") if isinstance(state.get("vocabulary"), str) else "")
    if vocab.chars != state["vocabulary"]:
        raise ValueError("the vocabulary is not in sorted order")
    if not isinstance(state.get("start_char"), str) or len(state["start_char"]) != 1:
        raise ValueError("'start_char' must be one character")
    vocab.encode(state["start_char"], "start_char")
    V, H, G = len(vocab), model.hidden_size, N_GATES[model.cell]
    shapes = {"W_xh": (V, G * H), "W_hh": (H, G * H), "b_h": (G * H,), "W_hy": (H, V), "b_y": (V,)}
    for name, shape in shapes.items():
        value = arrays[name]
        if not isinstance(value, np.ndarray) or value.dtype != np.float64 or not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be a finite float64 array")
        check_shape(value, shape, name)
    curve = arrays["loss_curve"]
    if curve.dtype != np.float64 or curve.ndim != 1:
        raise ValueError(f"loss_curve must be a 1-D float64 array, got {curve.dtype} {curve.shape}")
    model.params_ = {name: arrays[name] for name in PARAM_NAMES}
    model.vocab_, model.start_char_ = vocab, state["start_char"]
    model.loss_curve_, model.history_ = [float(x) for x in curve], state["history"]
    return model
