"""The files the subcommands read and write.

Reading: a data CSV in the course format ``id,t,features...,labels...`` or in
the Kaggle credit-card schema ``Time,V1..V28,Amount,Class`` (recognised by its
header); for a saved model, checked first against the columns it was trained
on, then scaled with its training bounds.

Writing: every output path is checked before any work starts (its folder
exists and is writable, it is not a folder, not one of the inputs), and text
is written all or nothing, the way ``models.archive.write_atomically`` writes
an .npz: to a temporary file in the same folder, moved over the target at the
end, so a failed run leaves an existing file as it was.
"""
import os
from pathlib import Path

from ..data import Dataset, load_creditcard
from ..data.creditcard import CREDITCARD_COLUMNS, has_creditcard_header
from ..data.csvread import csv_error, existing_file, read_header
from ..log import get_logger
from ..models.archive import write_bytes_atomically
from ..shapes import check_binary_sequences

SCHEMAS = ("course", "creditcard")


def schema_of(path):
    """"creditcard" when the header of ``path`` is the Kaggle schema, else "course"."""
    return "creditcard" if has_creditcard_header(path) else "course"


def load_dataset(path, n_labels=1, seq_len=10):
    """A Dataset from ``path``: ``load_creditcard`` if its header is the Kaggle schema, else ``from_csv``."""
    if schema_of(path) == "creditcard":
        get_logger(__name__).info(f"{path} has the Kaggle credit-card header: sequences of {seq_len} transactions")
        return load_creditcard(path, seq_len=seq_len)
    return Dataset.from_csv(path, n_labels=n_labels)


def check_binary(dataset, who, advice):
    """Classification needs 0/1 labels; say so (``who``: ..., then ``advice``) before any work rather than after."""
    check_binary_sequences(dataset, lambda seq: f"{who}: sequence {seq.id!r} labels", advice)


def read_for_model(path, meta, model_path):
    """The sequences of ``path``, read as the model's training file was (not yet scaled).

    ValueError naming ``path`` when its columns are not the ones the model was
    trained on, or for a malformed row (the loaders name line and column).
    """
    check_columns(path, meta, model_path)
    dataset = load_dataset(path, n_labels=len(meta.label_names), seq_len=meta.seq_len)
    get_logger(__name__).info(f"loaded {len(dataset)} sequences ({sum(map(len, dataset))} steps) from {path}")
    return dataset


def check_columns(path, meta, model_path):
    """ValueError naming ``path`` (and the column at fault) unless its header is the model's training header."""
    header = read_header(existing_file(path))
    if meta.schema == "creditcard":
        if schema_of(path) != "creditcard":
            raise csv_error(path, f"{model_path} was trained on the Kaggle credit-card schema "
                            f"({', '.join(CREDITCARD_COLUMNS)}, in any order); this header is "
                            f"{', '.join(header)}", line=1)
        return
    expected = ["id", "t", *meta.feature_names, *meta.label_names]
    names = [name.lower() if j < 2 else name for j, name in enumerate(header)]  # the reader accepts ID, T
    wanted = f"{model_path} was trained on the columns {', '.join(expected)}"
    for j, (name, want) in enumerate(zip(names, expected)):
        if name != want:
            raise csv_error(path, f"{wanted}: here {want!r} is expected", line=1, column=j, header=header)
    if len(names) != len(expected):
        raise csv_error(path, f"the header has {len(names)} columns; {wanted} ({len(expected)})", line=1)


def scale_like_training(dataset, meta):
    """Min-max scale ``dataset`` in place with the training bounds stored in ``meta``, never its own; returns it.

    ``Dataset.normalize(bounds_from=...)`` takes the bounds of a normalized
    Dataset: the one built here holds a single sequence of two steps, each
    column's training minimum then its maximum, so its bounds are exactly the
    stored ones.
    """
    bounds = Dataset.from_arrays(meta.feature_bounds.T[None], meta.label_bounds.T[None]).normalize()
    return dataset.normalize(bounds_from=bounds)


def check_output_path(path, option, inputs=()):
    """Fail now, before any work, unless a file can be written at ``path`` (named by ``option`` in errors).

    Its folder must exist and be writable, ``path`` must not be a folder, nor
    one of the ``inputs`` (writing there would replace what is being read).
    """
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise ValueError(f"{option} {path}: that is a folder; give a file name")
    if not folder.is_dir():
        raise FileNotFoundError(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"{option} {path}: the folder {folder} is not writable")
    for source in inputs:
        if path.exists() and Path(source).exists() and os.path.samefile(path, source):
            raise ValueError(f"{option} {path} is the input file {source}; write to another file")


def write_text_atomically(path, text):
    """Write ``text`` (UTF-8) to ``path`` all or nothing (``archive.write_bytes_atomically``)."""
    write_bytes_atomically(path, text.encode("utf-8"))
