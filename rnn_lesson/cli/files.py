"""The files the subcommands read and write.

Reading: a data CSV in the course format ``id,t,features...,labels...`` or in
the Kaggle credit-card schema ``Time,V1..V28,Amount,Class`` (recognised by its
header).

Writing: every output path is checked before any work starts (its folder
exists and is writable, it is not a folder, not one of the inputs).
"""
import os
from pathlib import Path

from ..data import Dataset, load_creditcard
from ..data.creditcard import has_creditcard_header
from ..log import get_logger
from ..shapes import check_binary_labels


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
    for seq in dataset:
        try:
            check_binary_labels(seq.labels, f"{who}: sequence {seq.id!r} labels")
        except ValueError as err:
            raise ValueError(f"{err}; {advice}") from None


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

