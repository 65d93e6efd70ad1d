"""Sequences and datasets: the containers every lesson trains and evaluates on.

Dimension letters: N sequences, T time steps, F features, L labels.

A :class:`Sequence` is one run of T steps with features (T, F) and labels
(T, L); a :class:`Dataset` is a list of them sharing F and L, with column names,
a reproducible split and min-max scaling that remembers its bounds. Reading the
CSV format is ``sequence_csv``'s job, the scaling maths ``scaling``'s, cutting
one long series into windows ``windows``'s, the Kaggle credit-card schema
``creditcard``'s.
"""
from pathlib import Path

import numpy as np
import pandas as pd

from ..shapes import as_float_array, check_fraction, check_seed, check_shape
from .scaling import column_bounds, scale, unscale
from .sequence_csv import read_sequence_csv


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
        self.t = np.arange(n_steps) if t is None else _whole_numbers(t, f"{where} t")
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
        self.feature_names = column_names(feature_names, widths[0], "f", "feature_names")
        self.label_names = column_names(label_names, widths[1], "l", "label_names")
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
        parts, feature_names, label_names = read_sequence_csv(path, n_labels)
        return cls([Sequence(*part) for part in parts], feature_names, label_names)

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
            feature_bounds = column_bounds(np.concatenate([s.features for s in self]))
            label_bounds = column_bounds(np.concatenate([s.labels for s in self]))
        else:
            feature_bounds, label_bounds = self._bounds_of(bounds_from)
        self.sequences = [Sequence(s.id, scale(s.features, feature_bounds), scale(s.labels, label_bounds), s.t)
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
        return unscale(array, self.label_bounds, "labels")

    def denormalize_features(self, array):
        """Map normalized features (..., F) back to the original units; returns a new array (..., F)."""
        return unscale(array, self.feature_bounds, "features")

    def split(self, train_ratio, seed=0, shuffle=True):
        """Split into (train, test) Datasets of whole sequences.

        ``round(train_ratio * N)`` sequences go to train, the rest to test;
        both must be non-empty. With ``shuffle`` the sequences are dealt out
        in an order drawn from ``seed`` (same seed, same split); without it
        the first ones go to train, which is a chronological split when the
        sequences are in time order. Both parts copy the sequences and keep
        this Dataset's names and bounds. ``shuffle`` must be True or False (a
        string such as "False" is refused, not read as true).
        """
        ratio = check_fraction(train_ratio, "train_ratio")
        if not isinstance(shuffle, (bool, np.bool_)):
            raise TypeError(f"shuffle must be True or False, got {type(shuffle).__name__} {shuffle!r}")
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


def column_names(names, count, prefix, what):
    """``count`` distinct column names; default prefix1..prefixN."""
    if names is None:
        return [f"{prefix}{k}" for k in range(1, count + 1)]
    if isinstance(names, (bytes, bytearray)) or not hasattr(names, "__iter__"):
        raise TypeError(f"{what} must be a list of {count} names (strings), got {type(names).__name__} {names!r}")
    names = [names] if isinstance(names, str) else [str(n) for n in names]  # "temp" is one name, not four
    if len(names) != count:
        raise ValueError(f"{what} has {len(names)} names for {count} columns: {names}")
    if any(not name.strip() for name in names):
        raise ValueError(f"{what} must not hold an empty name (a CSV header cannot be read back with one), "
                         f"got {names}")
    if len(set(names)) != count or {"id", "t"} & set(names):
        raise ValueError(f"{what} must be distinct and not 'id' or 't', got {names}")
    return names


def _array_list(data, name):
    """A list of 2-D float arrays from an (N, T, C) array or a list of (T_i, C) arrays."""
    if isinstance(data, (list, tuple)):
        return [as_float_array(item, f"{name}[{k}]", ndim=2) for k, item in enumerate(data)]
    return list(as_float_array(data, name, ndim=3))


def _whole_numbers(values, name):
    """``values`` as int64, refused (named) unless every one is a finite whole number within int64's range."""
    array = as_float_array(values, name) if not np.issubdtype(np.asarray(values).dtype, np.integer) else None
    if array is None:
        return np.array(values, dtype=np.int64)
    if np.any(array != np.round(array)) or np.any(np.abs(array) > 2.0 ** 62):
        raise ValueError(f"{name} must hold whole numbers (time steps) within ±2**62, got {array.ravel()[:3]}...")
    return array.astype(np.int64)
