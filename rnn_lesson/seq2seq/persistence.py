"""Saving a fitted ``Seq2Seq`` to an .npz archive and reading it back, without pickle.

File format "rnn_lesson.Seq2Seq", version 1: an ``np.savez`` archive of

    enc_W_xh ... b_out      the parameters (``network.PARAM_NAMES``), float64
    loss_curve              (steps,) float64
    state                   1-D uint8: UTF-8 JSON {"format", "version", "hyperparameters": {...},
                            "symbols": [the vocabulary's own tokens, in order]}

``save`` checks that the arrays load back into the same model before it writes them,
atomically (``models.archive.write_checked``). ``load`` reads only these members
(``models.archive.read_members``), checks every shape against the hyperparameters and
the vocabulary, and names the file in every error. ".npz" is added to a path without it.
"""
import numpy as np

from . import network
from .vocab import Vocabulary
from ..models.archive import json_member, load_members, model_state, write_checked
from ..shapes import as_float_array

FORMAT, FORMAT_VERSION = "rnn_lesson.Seq2Seq", 1
HYPERPARAMETERS = ("hidden_size", "cell", "attention", "learning_rate", "steps", "batch_size", "clip_norm", "seed")
MEMBERS = (*network.PARAM_NAMES, "loss_curve", "state")


def save(model, path):
    """Write the fitted ``model`` to ``path`` (".npz" added if missing); returns the path written."""
    state = {"format": FORMAT, "version": FORMAT_VERSION,
             "hyperparameters": {name: getattr(model, name) for name in HYPERPARAMETERS},
             "symbols": list(model.vocab_.tokens[3:])}
    return write_checked(path, lambda: {**model.params_, "loss_curve": model.loss_curve_, "state": json_member(state)},
                         lambda arrays: from_arrays(type(model), arrays))  # what is written must load back


def load(cls, path):
    """A fitted ``cls`` (Seq2Seq) read from ``path``; FileNotFoundError or a ValueError naming the file."""
    return load_members(path, MEMBERS, lambda arrays: from_arrays(cls, arrays), "Seq2Seq.save")


def from_arrays(cls, arrays):
    """The model the archive's arrays describe, every array checked against the hyperparameters."""
    state = model_state(arrays, MEMBERS, FORMAT, FORMAT_VERSION)
    hyper, symbols = state.get("hyperparameters"), state.get("symbols")
    if not isinstance(hyper, dict) or set(hyper) != set(HYPERPARAMETERS) or not isinstance(symbols, list):
        raise ValueError(f"'state' needs the hyperparameters {list(HYPERPARAMETERS)} and a list of symbols")
    model = cls(**hyper)
    model._checked()
    vocab = Vocabulary(symbols)
    expected = network.init_params(len(vocab), model.hidden_size, model.cell, model.attention, seed=0)
    params = {}
    for key, template in expected.items():
        value = arrays[key]
        if value.dtype != np.float64 or value.shape != template.shape:
            raise ValueError(f"{key} must be float64 of shape {template.shape}, got {value.dtype} {value.shape}")
        params[key] = as_float_array(value, key)
    loss_curve = arrays["loss_curve"]
    if loss_curve.dtype != np.float64 or loss_curve.ndim != 1:
        raise ValueError(f"loss_curve must be a 1-D float64 array, got {loss_curve.dtype} {loss_curve.shape}")
    model.vocab_, model.params_, model.loss_curve_ = vocab, params, loss_curve
    return model
