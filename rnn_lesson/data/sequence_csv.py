"""The course's CSV format for sequences: one row per time step, ``id,t,f1,...,fF,l1,...,lL``.

``id`` names the sequence a row belongs to (kept as text: "007" stays "007"),
``t`` (a whole number >= 0) orders the steps of a sequence, then come F feature
columns and, last, ``n_labels`` label columns. Fields may be quoted. Rows may
come in any order; sequences may differ in length.

Malformed files raise ValueError naming the file, the line (1-based, the header
is line 1, as a text editor counts) and the column, before anything is built:
a file is either read whole or not at all. The strict reading itself (quotes,
field counts, numbers) is ``csvread``'s; this module knows what the columns mean.
"""
import numpy as np
import pandas as pd

from ..shapes import check_positive_int
from .csvread import csv_error, existing_file, float_block, raw_cell, read_body, read_header


def read_sequence_csv(path, n_labels=1):
    """Read and check a file in the course format.

    Returns (parts, feature_names, label_names) where ``parts`` is a list of
    (id, features (T, F), labels (T, L), t (T,)), one per sequence, in the order
    its id first appears, each ordered by t (t only orders: gaps are allowed).
    """
    n_labels = check_positive_int(n_labels, "n_labels")
    path = existing_file(path)
    header = read_header(path)
    _check_sequence_header(path, header, n_labels)
    table, lines = read_body(path, header, text_columns=(0,))
    ids = _id_column(path, header, table, lines)
    steps = _step_column(path, header, table, lines)
    _check_unique_steps(path, header, ids, steps, lines)
    values = float_block(path, header, table, lines, range(2, len(header)))  # (R, F + L)
    n_features = len(header) - 2 - n_labels
    codes = pd.factorize(ids)[0]
    order = np.lexsort((steps, codes))
    starts = np.flatnonzero(np.diff(codes[order])) + 1
    parts = [(ids[rows[0]], values[rows, :n_features], values[rows, n_features:], steps[rows])
             for rows in np.split(order, starts)]
    return parts, header[2:2 + n_features], header[2 + n_features:]


def _check_sequence_header(path, header, n_labels):
    needed = 3 + n_labels
    if len(header) < needed:
        raise csv_error(path, f"the header has {len(header)} columns {header}; with n_labels={n_labels} it needs "
                         f"at least {needed}: id, t, one or more features, then {n_labels} label(s)", line=1)
    for j, expected in enumerate(("id", "t")):
        if header[j].lower() != expected:
            raise csv_error(path, f"column {j + 1} must be named {expected!r}", line=1, column=j, header=header)


def _id_column(path, header, table, lines):
    """(R,) object array of ids as text, stripped; ValueError for an empty id."""
    ids = table[0].astype(str).str.strip().to_numpy(object)
    empty = np.flatnonzero(ids == "")
    if len(empty):
        raise csv_error(path, "the id is empty", line=lines[empty[0]], column=0, header=header)
    return ids


def _step_column(path, header, table, lines):
    """(R,) int64 step numbers; ValueError for a t that is not a whole number >= 0."""
    steps = float_block(path, header, table, lines, [1])[:, 0]
    bad = np.flatnonzero((steps < 0) | (steps != np.floor(steps)) | (steps >= 2 ** 53))
    if len(bad):
        raise csv_error(path, f"t must be a whole number >= 0, got {raw_cell(path, lines[bad[0]], 1)}",
                         line=lines[bad[0]], column=1, header=header)
    return steps.astype(np.int64)


def _check_unique_steps(path, header, ids, steps, lines):
    repeated = np.flatnonzero(pd.DataFrame({"id": ids, "t": steps}).duplicated().to_numpy())
    if len(repeated):
        row = repeated[0]
        first = np.flatnonzero((ids == ids[row]) & (steps == steps[row]))[0]
        raise csv_error(path, f"sequence {ids[row]!r} has step t={steps[row]} twice (first on line {lines[first]})",
                         line=lines[row], column=1, header=header)


