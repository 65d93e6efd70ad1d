"""Sequence data: the CSV format, min-max scaling, splitting and windowing.

Dimension letters: N sequences, T time steps, F features, L labels.

The CSV format (one row per time step)::

    id,t,f1,...,fF,l1,...,lL

``id`` names the sequence a row belongs to (kept as text: "007" stays "007"),
``t`` (a whole number >= 0) orders the steps of a sequence, then come F feature
columns and, last, ``n_labels`` label columns. Fields may be quoted. Rows may
come in any order; sequences may differ in length.

Malformed files raise ValueError naming the file, the line (1-based, the header
is line 1, as a text editor counts) and the column, before anything is built:
a Dataset is either loaded whole or not at all.

The Kaggle credit-card schema has its own module, ``creditcard``.
"""
from pathlib import Path

import numpy as np
import pandas as pd

from .csvread import csv_error, existing_file, float_block, raw_cell, read_body, read_header
from .shapes import as_float_array, check_fraction, check_positive_int, check_seed, check_shape


class Sequence:
    """One sequence of T steps.

    Attributes: ``id`` (str), ``features`` (T, F) float64, ``labels`` (T, L)
    float64 and ``t`` (T,) int64, the step numbers (0..T-1 unless given).
    The arrays are the sequence's own copies.
    """

    def __init__(self, id, features, labels, t=None):
        self.id = str(id)
        where = f"sequence {self.id!r}"
        self.features = as_float_array(features, f"{where} features", ndim=2).copy()
        n_steps = len(self.features)
        if n_steps == 0 or self.features.shape[1] == 0:
            raise ValueError(f"{where} features must have at least one step and one column, "
                             f"got shape {self.features.shape}")
        self.labels = as_float_array(labels, f"{where} labels", ndim=2).copy()
        check_shape(self.labels, (n_steps, None), f"{where} labels")
        if self.labels.shape[1] == 0:
            raise ValueError(f"{where} labels must have at least one column, got shape {self.labels.shape}")
        self.t = np.arange(n_steps) if t is None else np.array(t, dtype=np.int64)
        check_shape(self.t, (n_steps,), f"{where} t")

    def __len__(self):
        return len(self.features)

    def __repr__(self):
        return f"Sequence(id={self.id!r}, T={len(self)}, F={self.features.shape[1]}, L={self.labels.shape[1]})"


class Dataset:
    """A list of sequences that share F features and L labels.

    ``feature_bounds`` (F, 2) and ``label_bounds`` (L, 2) hold each column's
    (min, max) once the dataset is normalized, None before.
    """

    def __init__(self, sequences, feature_names=None, label_names=None):
        self.sequences = list(sequences)
        if not self.sequences:
            raise ValueError("a Dataset needs at least one sequence")
        for seq in self.sequences:
            if not isinstance(seq, Sequence):
                raise TypeError(f"a Dataset holds Sequence objects, got {type(seq).__name__}")
        first = self.sequences[0]
        widths = (first.features.shape[1], first.labels.shape[1])
        seen = set()
        for seq in self.sequences:
            if (seq.features.shape[1], seq.labels.shape[1]) != widths:
                raise ValueError(f"sequence {seq.id!r} has {seq.features.shape[1]} features and "
                                 f"{seq.labels.shape[1]} labels, but sequence {first.id!r} has "
                                 f"{widths[0]} and {widths[1]}")
            if seq.id in seen:
                raise ValueError(f"two sequences have the id {seq.id!r}")
            seen.add(seq.id)
        self.feature_names = _column_names(feature_names, widths[0], "f", "feature_names")
        self.label_names = _column_names(label_names, widths[1], "l", "label_names")
        if set(self.feature_names) & set(self.label_names):
            raise ValueError(f"a name is both a feature and a label: {self.feature_names}, {self.label_names}")
        self.feature_bounds = None
        self.label_bounds = None

    @classmethod
    def from_csv(cls, path, n_labels=1):
        """Load a CSV file ``id,t,features...,labels...``; the last ``n_labels`` columns are labels.

        Rows are grouped by id (sequences in the order their id first appears)
        and each sequence is ordered by t; t only orders the steps, so gaps
        are allowed. Raises FileNotFoundError for a missing file and
        ValueError naming file, line and column for anything malformed.
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
        sequences = [Sequence(ids[rows[0]], values[rows, :n_features], values[rows, n_features:], steps[rows])
                     for rows in np.split(order, starts)]
        return cls(sequences, header[2:2 + n_features], header[2 + n_features:])

    @classmethod
    def from_arrays(cls, X, Y, ids=None, feature_names=None, label_names=None):
        """Build a Dataset from X (N, T, F) and Y (N, T, L), or lists of (T_i, F) and (T_i, L) arrays.

        ``ids`` defaults to "0", "1", ...; names default to f1..fF and l1..lL.
        """
        xs, ys = _array_list(X, "X"), _array_list(Y, "Y")
        if len(xs) != len(ys):
            raise ValueError(f"X holds {len(xs)} sequences but Y holds {len(ys)}")
        ids = [str(k) for k in range(len(xs))] if ids is None else list(ids)
        if len(ids) != len(xs):
            raise ValueError(f"ids has {len(ids)} entries for {len(xs)} sequences")
        return cls([Sequence(i, x, y) for i, x, y in zip(ids, xs, ys)], feature_names, label_names)

    def __len__(self):
        return len(self.sequences)

    def __iter__(self):
        return iter(self.sequences)

    def __repr__(self):
        lengths = sorted({len(s) for s in self})
        steps = str(lengths[0]) if len(lengths) == 1 else f"{lengths[0]}..{lengths[-1]}"
        return (f"Dataset(N={len(self)}, T={steps}, F={self.n_features}, L={self.n_labels}, "
                f"normalized={self.normalized})")

    @property
    def n_features(self):
        return self.sequences[0].features.shape[1]

    @property
    def n_labels(self):
        return self.sequences[0].labels.shape[1]

    @property
    def normalized(self):
        return self.feature_bounds is not None

    def normalize(self, bounds_from=None):
        """Min-max scale each feature and label column, in place; returns self.

        Each column becomes (x - min) / (max - min), with min and max taken
        over every step of every sequence, so the data lands in [0, 1].
        A constant column (max == min) has no range to divide by: it is
        divided by 1 instead, so it maps to 0 and denormalizing still works.

        ``bounds_from``: a normalized Dataset whose bounds to use instead.
        Scale a test set with the training set's bounds: bounds computed on
        the test set would let the model's input depend on the test data it is
        meant not to have seen (peeking), and the same raw value would mean
        different things in training and testing. Test values outside the
        training range then map a little outside [0, 1], as they should.
        """
        if self.normalized:
            raise ValueError("this Dataset is already normalized; normalizing again would rescale scaled values")
        if bounds_from is None:
            feature_bounds = _bounds(np.concatenate([s.features for s in self]))
            label_bounds = _bounds(np.concatenate([s.labels for s in self]))
        else:
            feature_bounds, label_bounds = self._bounds_of(bounds_from)
        self.sequences = [Sequence(s.id, _scale(s.features, feature_bounds), _scale(s.labels, label_bounds), s.t)
                          for s in self]
        self.feature_bounds, self.label_bounds = feature_bounds, label_bounds
        return self

    def _bounds_of(self, other):
        """Copies of another normalized Dataset's bounds, checked against our widths."""
        if not isinstance(other, Dataset):
            raise TypeError(f"bounds_from must be a Dataset, got {type(other).__name__}")
        if not other.normalized:
            raise ValueError("bounds_from is not normalized yet: normalize it first, then pass it")
        if (other.n_features, other.n_labels) != (self.n_features, self.n_labels):
            raise ValueError(f"bounds_from has {other.n_features} features and {other.n_labels} labels, "
                             f"this Dataset has {self.n_features} and {self.n_labels}")
        return other.feature_bounds.copy(), other.label_bounds.copy()

    def denormalize_labels(self, array):
        """Map normalized labels (..., L) back to the original units; returns a new array (..., L)."""
        return self._denormalize(array, self.label_bounds, "labels")

    def denormalize_features(self, array):
        """Map normalized features (..., F) back to the original units; returns a new array (..., F)."""
        return self._denormalize(array, self.feature_bounds, "features")

    def _denormalize(self, array, bounds, what):
        if bounds is None:
            raise ValueError(f"cannot denormalize {what}: this Dataset is not normalized (call normalize() first)")
        array = as_float_array(array, what)
        if array.ndim == 0 or array.shape[-1] != len(bounds):
            raise ValueError(f"{what} must have shape (..., {len(bounds)}), got {array.shape}")
        return array * _span(bounds) + bounds[:, 0]

    def split(self, train_ratio, seed=0, shuffle=True):
        """Split into (train, test) Datasets of whole sequences.

        ``round(train_ratio * N)`` sequences go to train, the rest to test;
        both must be non-empty. With ``shuffle`` the sequences are dealt out
        in an order drawn from ``seed`` (same seed, same split); without it
        the first ones go to train, which is a chronological split when the
        sequences are in time order. Both parts copy the sequences and keep
        this Dataset's names and bounds.
        """
        ratio = check_fraction(train_ratio, "train_ratio")
        n_total = len(self)
        n_train = round(ratio * n_total)
        if not 0 < n_train < n_total:
            raise ValueError(f"train_ratio={train_ratio} splits {n_total} sequences into {n_train} for training "
                             f"and {n_total - n_train} for testing; both parts need at least one")
        order = np.random.default_rng(check_seed(seed)).permutation(n_total) if shuffle else np.arange(n_total)
        return self._subset(order[:n_train]), self._subset(order[n_train:])

    def _subset(self, indices):
        part = Dataset([Sequence(s.id, s.features, s.labels, s.t) for s in (self.sequences[i] for i in indices)],
                       self.feature_names, self.label_names)
        if self.normalized:
            part.feature_bounds, part.label_bounds = self.feature_bounds.copy(), self.label_bounds.copy()
        return part

    def to_arrays(self):
        """Stack the sequences into X (N, T, F) and Y (N, T, L); they must all have the same T."""
        lengths = {}
        for seq in self:
            lengths.setdefault(len(seq), seq.id)
        if len(lengths) > 1:
            found = ", ".join(f"T={n} (e.g. id {i!r})" for n, i in sorted(lengths.items()))
            raise ValueError(f"to_arrays needs sequences of one length, found {found}; "
                             "iterate over the sequences instead")
        return np.stack([s.features for s in self]), np.stack([s.labels for s in self])

    def to_frame(self):
        """The dataset in the CSV layout: a DataFrame with one row per step, columns id, t, features, labels."""
        values = np.concatenate([np.hstack([s.features, s.labels]) for s in self])
        frame = pd.DataFrame(values, columns=self.feature_names + self.label_names)
        frame.insert(0, "id", [s.id for s in self for _ in range(len(s))])
        frame.insert(1, "t", np.concatenate([s.t for s in self]))
        return frame

    def to_csv(self, path):
        """Write the dataset as a CSV file that ``Dataset.from_csv(path, n_labels=L)`` reads back."""
        self.to_frame().to_csv(path, index=False, lineterminator="\n")
        return Path(path)


# ----------------------------------------------------------------- scaling

def _bounds(values):
    """(C, 2) per-column (min, max) of values (R, C)."""
    return np.stack([values.min(axis=0), values.max(axis=0)], axis=1)


def _span(bounds):
    """(C,) max - min, with 1 for a constant column so nothing is divided by 0."""
    span = bounds[:, 1] - bounds[:, 0]
    return np.where(span > 0, span, 1.0)


def _scale(values, bounds):
    return (values - bounds[:, 0]) / _span(bounds)


# ----------------------------------------------------------------- checks





def _column_names(names, count, prefix, what):
    """``count`` distinct column names; default prefix1..prefixN."""
    if names is None:
        return [f"{prefix}{k}" for k in range(1, count + 1)]
    names = [str(n) for n in names]
    if len(names) != count:
        raise ValueError(f"{what} has {len(names)} names for {count} columns: {names}")
    if len(set(names)) != count or {"id", "t"} & set(names):
        raise ValueError(f"{what} must be distinct and not 'id' or 't', got {names}")
    return names


def _array_list(data, name):
    """A list of 2-D float arrays from an (N, T, C) array or a list of (T_i, C) arrays."""
    if isinstance(data, (list, tuple)):
        return [as_float_array(item, f"{name}[{k}]", ndim=2) for k, item in enumerate(data)]
    return list(as_float_array(data, name, ndim=3))


# ----------------------------------------------------------------- the sequence format

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


# ----------------------------------------------------------------- windowing

def window_series(series, window, horizon=1, stride=1, index=None, names=None):
    """Cut a series into overlapping or disjoint windows; returns a Dataset.

    ``series``: (n,) one value per time step, or (n, F) several; column 0 is
    the value to forecast. Window k starts at s = k * stride and has
    T = ``window`` steps: features = series[s : s + T] (T, F) and labels
    (T, 1) with label[t] = series[s + t + horizon, 0], the value ``horizon``
    steps after step t. There are N = (n - T - horizon) // stride + 1 windows;
    values after the last full window are not used.

    ``index``: optional (n,) labels of the time steps (dates, say); window k
    is then named str(index[s]), otherwise str(k). ``names``: F feature
    names (default "x" or x1..xF); the label is called names[0] + "_next"
    (with the horizon appended when it is not 1).
    """
    values = as_float_array(series, "series")
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        raise ValueError(f"series must have shape (n,) or (n, F), got {np.shape(series)}")
    window = check_positive_int(window, "window")
    horizon = check_positive_int(horizon, "horizon")
    stride = check_positive_int(stride, "stride")
    n_values = len(values)
    if n_values < window + horizon:
        raise ValueError(f"series has {n_values} values; window={window} with horizon={horizon} "
                         f"needs at least {window + horizon}")
    starts = range(0, n_values - window - horizon + 1, stride)
    if index is not None:
        index = list(index)
        if len(index) != n_values:
            raise ValueError(f"index has {len(index)} entries but series has {n_values} values")
    ids = [str(index[s]) if index is not None else str(k) for k, s in enumerate(starts)]
    if names is None and values.shape[1] == 1:
        names = ["x"]
    names = _column_names(names, values.shape[1], "x", "names")
    label = f"{names[0]}_next" if horizon == 1 else f"{names[0]}_next{horizon}"
    sequences = [Sequence(i, values[s:s + window], values[s + horizon:s + horizon + window, :1])
                 for i, s in zip(ids, starts)]
    return Dataset(sequences, names, [label])
