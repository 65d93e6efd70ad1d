"""Saving a trained CharLM to an .npz archive and reading it back, without pickle.

File format "rnn_lesson.CharLM", version 2: an uncompressed ``np.savez`` archive of

    W_xh, W_hh, b_h, W_hy, b_y   the parameters, float64 (see ``objective``)
    W_xh_l1, W_hh_l1, b_h_l1 ... those of the layers above the first, when n_layers > 1
    loss_curve                   (epochs run,) float64
    state                        1-D uint8: UTF-8 JSON {"format", "version", "hyperparameters",
                                 "vocabulary": the characters in id order, "start_char", "history"}

The history is saved without its wall-clock ``seconds`` (they stay on the model in memory and in
the log): a file's bytes depend only on the data, the settings and the seed.

``save`` builds the arrays, checks that they load back into the same model, and
only then writes them atomically (``models.archive.write_atomically``). ``load``
reads only those members (``models.archive.read_members``: uncompressed, plain
numbers, sizes that match their headers) and checks every shape against the
vocabulary and the hyperparameters; every error names the file. Version 2 added
the hyperparameters ``n_layers`` and ``dropout``; a version 1 file still loads,
as the one-layer model without dropout that it is.
"""

import numpy as np

from ..models.archive import json_member, json_of_member, load_members, model_state, write_checked
from ..shapes import check_shape
from ..optim import Optimizer
from ..schedules import optimizer_from_spec, optimizer_spec
from .hyperparameters import MAX_LAYERS, check_all
from .objective import N_STATES, PARAM_NAMES, upper_names
from .vocabulary import Vocabulary

FORMAT, VERSION = "rnn_lesson.CharLM", 2
READABLE_VERSIONS = (1, 2)
MEMBERS = (*PARAM_NAMES, "loss_curve", "state")  # in every file
ALL_MEMBERS = (*MEMBERS, *upper_names(MAX_LAYERS))  # what a file may hold; its n_layers says which it must
N_GATES = {"rnn": 1, "gru": 3, "lstm": 4}
TIMINGS = ("seconds",)  # fields of a history record that differ from run to run: never written
assert set(N_GATES) == set(N_STATES)


def save(model, path):
    """Write ``model`` to ``path`` (".npz" added if missing) all or nothing; returns the path written."""
    hyper = model.get_params()
    if isinstance(hyper["optimizer"], Optimizer):  # an object: saved as its class and hyperparameters
        hyper["optimizer"] = optimizer_spec(hyper["optimizer"])
        if hyper["optimizer"] is None:
            raise ValueError(f"cannot save this model: its optimizer {model.optimizer!r} is not one of rl.optim's "
                             "(it could not be rebuilt on load); nothing was written")
    state = {"format": FORMAT, "version": VERSION, "hyperparameters": hyper,
             "vocabulary": model.vocab_.chars, "start_char": model.start_char_,
             "history": [{k: v for k, v in record.items() if k not in TIMINGS} for record in model.history_]}
    return write_checked(path, lambda: {**model.params_, "loss_curve": np.asarray(model.loss_curve_, dtype=np.float64),
                                        "state": json_member(state)},
                         lambda arrays: _from_arrays(type(model), arrays))


def load(cls, path):
    """A trained ``cls`` (CharLM) from ``path``: FileNotFoundError if missing, ValueError naming it if not valid."""
    return load_members(path, ALL_MEMBERS, lambda arrays: _from_arrays(cls, arrays), "CharLM.save")


def _from_arrays(cls, arrays):
    state = model_state(arrays, MEMBERS, FORMAT, state_version(arrays))
    hyper = state.get("hyperparameters")
    if not isinstance(hyper, dict) or not isinstance(state.get("history"), list):
        raise ValueError("'state' needs a 'hyperparameters' dict and a 'history' list")
    if isinstance(hyper.get("optimizer"), dict):
        hyper = {**hyper, "optimizer": optimizer_from_spec(hyper["optimizer"])}
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
    for name in upper_names(model.n_layers):
        shapes[name] = (G * H,) if name.startswith("b_h") else (H, G * H)
    unexpected = sorted(set(arrays) - set(shapes) - set(MEMBERS))
    missing = sorted(set(shapes) - set(arrays))
    if unexpected or missing:
        raise ValueError(f"a model of {model.n_layers} layer(s) " + (f"lacks {missing}" if missing else
                         f"does not have {unexpected}"))
    for name, shape in shapes.items():
        value = arrays[name]
        if not isinstance(value, np.ndarray) or value.dtype != np.float64 or not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be a finite float64 array")
        check_shape(value, shape, name)
    curve = arrays["loss_curve"]
    if curve.dtype != np.float64 or curve.ndim != 1:
        raise ValueError(f"loss_curve must be a 1-D float64 array, got {curve.dtype} {curve.shape}")
    model.params_ = {name: arrays[name] for name in (*PARAM_NAMES[:-2], *upper_names(model.n_layers),
                                                      *PARAM_NAMES[-2:])}
    model.vocab_, model.start_char_ = vocab, state["start_char"]
    model.loss_curve_, model.history_ = [float(x) for x in curve], state["history"]
    return model


def state_version(arrays):
    """The version the file's state claims when it is one this code reads (else the current one, to be refused)."""
    try:
        version = json_of_member(arrays["state"], "state").get("version")
    except (KeyError, ValueError, TypeError, AttributeError):
        return VERSION  # model_state names what is wrong
    return version if version in READABLE_VERSIONS and not isinstance(version, bool) else VERSION
