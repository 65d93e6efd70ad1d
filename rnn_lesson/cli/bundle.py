"""What prediction needs, saved beside the model: ``model.npz`` and ``model.meta.npz``.

``train --save model.npz`` writes the network with ``RNN.save`` (so
``rl.RNN.load("model.npz")`` reads it as before) and then, beside it,
``model.meta.npz``: what ``predict`` and ``evaluate`` need to read a new file
the way the training file was read. Its format is "rnn_lesson.cli.meta",
version 1: an .npz written by ``models.archive.write_atomically`` and read by
``models.archive.read_members`` (only these members, no pickle):

    feature_bounds  (F, 2) float64  the training set's (min, max) of each feature column
    label_bounds    (L, 2) float64  the same for each label column
    meta            1-D uint8       UTF-8 JSON {"format", "version", "model_sha256",
                                    "task", "threshold", "schema", "seq_len",
                                    "feature_names", "label_names", "persistence",
                                    "trained_on"}

``model_sha256`` is the SHA-256 of the model file's bytes: a meta file next
to any other model (the model saved again by ``RNN.save``, a mix-up of copies)
is refused. So is a model without one (saved by ``RNN.save``, or by ``train
--save`` before version 1 existed: the training bounds are then unknown) and a
meta file of a newer version; each error says what to do.
"""
import hashlib
import math
import zipfile
import zlib
from collections import namedtuple
from pathlib import Path

import numpy as np

from ..models import RNN
from ..models.archive import json_member, json_of_member, npz_path, read_members, write_atomically
from .files import SCHEMAS
from .reports import TASKS, evaluator_for

FORMAT = "rnn_lesson.cli.meta"
FORMAT_VERSION = 1
READABLE_VERSIONS = (1,)
MEMBERS = ("feature_bounds", "label_bounds", "meta")


def _names(value):
    return isinstance(value, list) and len(value) > 0 and all(isinstance(v, str) for v in value)


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


# every field of the JSON but format, version and model_sha256, with its check
FIELDS = {
    "task": lambda v: v in TASKS,
    "threshold": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v),
    "schema": lambda v: v in SCHEMAS,
    "seq_len": lambda v: v is None or (_whole(v) and v >= 1),
    "feature_names": _names,
    "label_names": _names,
    "persistence": lambda v: isinstance(v, bool),
    "trained_on": lambda v: isinstance(v, str),
}

Meta = namedtuple("Meta", [*FIELDS, "feature_bounds", "label_bounds"])
Meta.__doc__ = """What prediction needs: the JSON fields above, and the training bounds (F, 2) and (L, 2)."""


class NewerFormat(ValueError):
    """A meta file written by a newer rnn_lesson than this one."""


Saved = namedtuple("Saved", "model meta path")
Saved.__doc__ = "A loaded model: the fitted RNN, its Meta, and the path of its model file."


def meta_path(model_path):
    """The meta file beside the model file ``model_path`` (model.npz, or model as --save takes it): model.meta.npz."""
    model_path = npz_path(model_path)
    return model_path.with_name(model_path.name.removesuffix(".npz") + ".meta.npz")


def save(model, path, meta):
    """Write ``model`` to ``path`` (``RNN.save``) and ``meta`` beside it; returns the model file's path.

    The meta is checked to load back before anything is written.
    """
    _from_arrays(_arrays(meta, "0" * 64))
    model_path = model.save(path)
    write_atomically(meta_path(model_path), _arrays(meta, _sha256(model_path)))
    return model_path


def load(path):
    """A ``Saved`` model from ``path`` and the meta file beside it.

    FileNotFoundError for a missing model file; ValueError naming the file at
    fault, and what to do, for anything else.
    """
    path = Path(path)
    if not path.is_file() and npz_path(path).is_file():
        path = npz_path(path)
    try:
        model = RNN.load(path)
    except ValueError:
        if path.name.endswith(".meta.npz"):
            raise ValueError(f"{path} holds what prediction needs beside a model, not the model: give the model "
                             f"file ({path.name.removesuffix('.meta.npz')}.npz)") from None
        raise
    retrain = f"train it again with `python -m rnn_lesson train CSV ... --save {path}`"
    side = meta_path(path)
    if not side.is_file():
        raise ValueError(f"{path} has no {side.name} beside it, so the scaling, columns and task it was trained "
                         f"with are unknown (it was saved by RNN.save, or by an older `train --save`): {retrain}")
    try:
        meta, digest = _from_arrays(read_members(side, MEMBERS))
    except NewerFormat as err:
        raise ValueError(f"{side} {err}: upgrade rnn_lesson, or {retrain}") from None
    except (ValueError, TypeError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as err:
        raise ValueError(f"{side} is not a readable {FORMAT} file ({err}): {retrain}") from None
    if digest != _sha256(path):
        raise ValueError(f"{side} was written for another model than {path} (the model file has changed "
                         f"since): {retrain}")
    if (model.n_inputs_, model.n_outputs_) != (len(meta.feature_names), len(meta.label_names)):
        raise ValueError(f"{path} has {model.n_inputs_} inputs and {model.n_outputs_} outputs but {side} "
                         f"names {len(meta.feature_names)} features and {len(meta.label_names)} labels: {retrain}")
    return Saved(model, meta, path)


def _arrays(meta, digest):
    """The members of the meta file; ``digest`` is the model file's SHA-256."""
    state = {"format": FORMAT, "version": FORMAT_VERSION, "model_sha256": digest,
             **{name: getattr(meta, name) for name in FIELDS}}
    return {"feature_bounds": np.asarray(meta.feature_bounds, dtype=np.float64),
            "label_bounds": np.asarray(meta.label_bounds, dtype=np.float64),
            "meta": json_member(state)}


def _from_arrays(arrays):
    """(Meta, model_sha256) from the members of a meta file, every one checked."""
    missing = [name for name in MEMBERS if name not in arrays]
    if missing:
        raise ValueError(f"missing arrays {missing}")
    state = _read_json(arrays["meta"])
    for name, check in FIELDS.items():
        if name not in state or not check(state[name]):
            raise ValueError(f"the field {name!r} is missing or invalid ({state.get(name)!r})")
    digest = state.get("model_sha256")
    if not isinstance(digest, str) or len(digest) != 64:
        raise ValueError(f"the field 'model_sha256' is missing or invalid ({digest!r})")
    evaluator_for(state["task"], state["threshold"])  # a threshold the task's evaluator accepts
    bounds = {name: _bounds(arrays[name], name, len(state[names]))
              for name, names in (("feature_bounds", "feature_names"), ("label_bounds", "label_names"))}
    return Meta(**{name: state[name] for name in FIELDS}, **bounds), digest


def _read_json(array):
    """The JSON dict of the 'meta' member, checked to be of this format and a readable version."""
    state = json_of_member(array, "meta")
    if state.get("format") != FORMAT:
        raise ValueError(f"'meta' does not describe a {FORMAT} file")
    version = state.get("version")
    if _whole(version) and version > FORMAT_VERSION:
        raise NewerFormat(f"has format version {version}, written by a newer rnn_lesson (this one reads version "
                          f"{' or '.join(map(str, READABLE_VERSIONS))})")
    if version not in READABLE_VERSIONS or not _whole(version):
        raise ValueError(f"unknown format version {version!r}")
    return state


def _bounds(array, name, count):
    """A (count, 2) float64 array of finite (min, max) rows with min <= max."""
    if array.dtype != np.float64 or array.shape != (count, 2):
        raise ValueError(f"{name!r} must be a ({count}, 2) float64 array, got {array.dtype} {array.shape}")
    if not np.all(np.isfinite(array)) or np.any(array[:, 0] > array[:, 1]):
        raise ValueError(f"{name!r} must hold finite (min, max) rows with min <= max")
    return array


def _sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
