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

The credit-card helpers at the end write and read the Kaggle schema
``Time, V1..V28, Amount, Class``.
"""
import csv
import numbers
from pathlib import Path

import numpy as np
import pandas as pd

from .shapes import as_float_array, check_positive_int, check_shape


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
        path = _existing_file(path)
        header = _read_header(path)
        _check_sequence_header(path, header, n_labels)
        table, lines = _read_body(path, header, text_columns=(0,))
        ids = _id_column(path, header, table, lines)
        steps = _step_column(path, header, table, lines)
        _check_unique_steps(path, header, ids, steps, lines)
        values = _float_block(path, header, table, lines, range(2, len(header)))  # (R, F + L)
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
        ratio = _check_fraction(train_ratio, "train_ratio")
        n_total = len(self)
        n_train = round(ratio * n_total)
        if not 0 < n_train < n_total:
            raise ValueError(f"train_ratio={train_ratio} splits {n_total} sequences into {n_train} for training "
                             f"and {n_total - n_train} for testing; both parts need at least one")
        order = np.random.default_rng(_check_seed(seed)).permutation(n_total) if shuffle else np.arange(n_total)
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

def _check_fraction(value, name):
    """A real number strictly between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not 0 < value < 1:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value!r}")
    return float(value)


def _check_seed(seed):
    """An int >= 0 (None is refused: it would make the result change from run to run)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return int(seed)


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


# ----------------------------------------------------------------- reading CSV
# The csv module checks the structure (quotes, field counts) and records the
# line each row starts on; pandas then parses the values. pandas alone would
# pad a short row with empty cells or drop extra fields without a word.

def _csv_error(path, problem, line=None, column=None, header=None):
    """ValueError 'path, line L, column C 'name': problem' (column is 0-based here)."""
    where = str(path)
    if line is not None:
        where += f", line {line}"
    if column is not None:
        where += f", column {column + 1} {header[column]!r}"
    return ValueError(f"{where}: {problem}")


def _existing_file(path):
    path = Path(path)
    if not path.exists():
        hint = "" if path.is_absolute() else f" (relative to the working directory {Path.cwd()})"
        raise FileNotFoundError(f"no such file: {str(path)!r}{hint}")
    if not path.is_file():
        raise ValueError(f"{path} is not a file")
    return path


def _records(path):
    """Yield (line, fields) for every CSV record; line is where the record starts."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, strict=True)
            end = 0
            for fields in reader:
                yield end + 1, fields
                end = reader.line_num
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text; save the file as UTF-8 CSV") from None
    except csv.Error as err:
        raise _csv_error(path, f"malformed CSV ({err})", line=reader.line_num) from None


def _read_header(path):
    """The column names of line 1, stripped; ValueError for an empty file or a bad header."""
    _, header = next(_records(path), (1, None))
    if header is None:
        raise _csv_error(path, "the file is empty (it needs a header line and data rows)")
    if not header:
        raise _csv_error(path, "the header line is blank", line=1)
    header = [name.strip() for name in header]
    for j, name in enumerate(header):
        if not name:
            raise _csv_error(path, "the header has an empty column name", line=1, column=j, header=header)
        if name in header[:j]:
            raise _csv_error(path, f"the column name appears twice (also column {header.index(name) + 1})",
                             line=1, column=j, header=header)
    return header


def _row_lines(path, header):
    """(R,) the line each data row starts on; ValueError for a row with the wrong number of fields."""
    width, lines = len(header), []
    rows = _records(path)
    next(rows)
    for line, fields in rows:
        if not fields:
            raise _csv_error(path, f"blank line (every row needs {width} fields)", line=line)
        if len(fields) < width:
            raise _csv_error(path, f"the row has {len(fields)} fields but the header has {width}: "
                             "this column is missing", line=line, column=len(fields), header=header)
        if len(fields) > width:
            raise _csv_error(path, f"the row has {len(fields)} fields but the header has {width} "
                             f"(an extra field after column {width} {header[-1]!r})", line=line)
        lines.append(line)
    if not lines:
        raise _csv_error(path, "the file has a header but no data rows")
    return np.array(lines)


def _read_body(path, header, text_columns=()):
    """(table, lines): the data rows as a DataFrame with columns 0..C-1, and the line of each row."""
    lines = _row_lines(path, header)
    try:
        table = pd.read_csv(path, header=0, names=list(range(len(header))), index_col=False, na_filter=False,
                            dtype={j: str for j in text_columns}, encoding="utf-8-sig")
    except pd.errors.ParserError as err:  # a safety net: the csv module has accepted the structure
        raise _csv_error(path, f"pandas cannot parse the file ({err})") from None
    if len(table) != len(lines):  # cannot happen once the csv module has accepted every row
        raise _csv_error(path, f"pandas read {len(table)} rows where the csv module read {len(lines)}")
    return table, lines


def _float_block(path, header, table, lines, columns):
    """(R, len(columns)) float64 of those columns; ValueError for the first cell that is not a finite number."""
    columns = list(columns)
    block = np.empty((len(table), len(columns)))
    for c, j in enumerate(columns):
        column = table[j]
        if column.dtype.kind in "iuf":
            block[:, c] = column.to_numpy(np.float64)
        else:
            block[:, c] = pd.to_numeric(column.astype(str), errors="coerce").to_numpy(np.float64)
    bad = np.argwhere(~np.isfinite(block))
    if len(bad):
        row, c = bad[0]
        text = _raw_cell(path, lines[row], columns[c])
        raise _csv_error(path, _why_not_finite(text), line=lines[row], column=columns[c], header=header)
    return block


def _raw_cell(path, line, column):
    """The text of one cell as the file has it, stripped (for error messages)."""
    for start, fields in _records(path):
        if start == line:
            return fields[column].strip()
    raise AssertionError(f"{path} has no record starting on line {line}")


def _why_not_finite(text):
    if not text:
        return "the cell is empty (a missing value)"
    try:
        value = float(text)
    except ValueError:
        return f"{text!r} is not a number"
    if np.isnan(value):
        return f"{text!r} is NaN; every value must be a finite number"
    if np.isinf(value):
        return f"{text!r} is infinite; every value must be a finite number"
    return f"{text!r} is not a number pandas can read"


def _check_sequence_header(path, header, n_labels):
    needed = 3 + n_labels
    if len(header) < needed:
        raise _csv_error(path, f"the header has {len(header)} columns {header}; with n_labels={n_labels} it needs "
                         f"at least {needed}: id, t, one or more features, then {n_labels} label(s)", line=1)
    for j, expected in enumerate(("id", "t")):
        if header[j].lower() != expected:
            raise _csv_error(path, f"column {j + 1} must be named {expected!r}", line=1, column=j, header=header)


def _id_column(path, header, table, lines):
    """(R,) object array of ids as text, stripped; ValueError for an empty id."""
    ids = table[0].astype(str).str.strip().to_numpy(object)
    empty = np.flatnonzero(ids == "")
    if len(empty):
        raise _csv_error(path, "the id is empty", line=lines[empty[0]], column=0, header=header)
    return ids


def _step_column(path, header, table, lines):
    """(R,) int64 step numbers; ValueError for a t that is not a whole number >= 0."""
    steps = _float_block(path, header, table, lines, [1])[:, 0]
    bad = np.flatnonzero((steps < 0) | (steps != np.floor(steps)) | (steps >= 2 ** 53))
    if len(bad):
        raise _csv_error(path, f"t must be a whole number >= 0, got {_raw_cell(path, lines[bad[0]], 1)}",
                         line=lines[bad[0]], column=1, header=header)
    return steps.astype(np.int64)


def _check_unique_steps(path, header, ids, steps, lines):
    repeated = np.flatnonzero(pd.DataFrame({"id": ids, "t": steps}).duplicated().to_numpy())
    if len(repeated):
        row = repeated[0]
        first = np.flatnonzero((ids == ids[row]) & (steps == steps[row]))[0]
        raise _csv_error(path, f"sequence {ids[row]!r} has step t={steps[row]} twice (first on line {lines[first]})",
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


# ----------------------------------------------------------------- credit cards

V_COLUMNS = [f"V{k}" for k in range(1, 29)]
CREDITCARD_COLUMNS = ["Time", *V_COLUMNS, "Amount", "Class"]
CREDITCARD_FEATURES = [*V_COLUMNS, "Amount"]

# Generator settings. The V columns mimic PCA components: uncorrelated, mean 0,
# spread shrinking with the component number. Frauds are shifted (in units of
# that spread) in a few components, as in the real data, and spread wider, so
# the two classes overlap: learnable, not trivial.
_V_SPREAD = np.linspace(1.9, 0.4, 28)
_FRAUD_SHIFT = {"V4": 1.6, "V10": -1.6, "V11": 1.4, "V12": -1.8, "V14": -2.2, "V17": -1.8}
_FRAUD_WIDTH = 1.5
_MEAN_GAP_SECONDS = 0.6
_V_DECIMALS = 1


def generate_creditcard(n_rows, fraud_rate=0.0017, seed=0):
    """Synthetic transactions in the Kaggle credit-card schema; returns a DataFrame (n_rows, 31).

    Columns Time, V1..V28, Amount, Class. Time: whole seconds since the
    first transaction, non-decreasing. V1..V28: PCA-like, roughly normal,
    2 decimals. Amount: lognormal (skewed, > 0), 2 decimals. Class: int,
    1 for fraud; exactly round(n_rows * fraud_rate) frauds at random rows.
    The same arguments give the same bits.
    """
    n_rows = check_positive_int(n_rows, "n_rows")
    fraud_rate = _check_fraction(fraud_rate, "fraud_rate")
    rng = np.random.default_rng(_check_seed(seed))
    fraud = np.zeros(n_rows, dtype=bool)
    fraud[rng.choice(n_rows, size=round(n_rows * fraud_rate), replace=False)] = True
    z = rng.standard_normal((n_rows, 28))  # in units of each component's spread
    for name, shift in _FRAUD_SHIFT.items():
        k = V_COLUMNS.index(name)
        z[fraud, k] = shift + _FRAUD_WIDTH * z[fraud, k]
    amount = np.where(fraud, rng.lognormal(2.6, 1.8, n_rows), rng.lognormal(3.0, 1.3, n_rows))
    seconds = np.cumsum(rng.exponential(_MEAN_GAP_SECONDS, n_rows))
    frame = pd.DataFrame(np.round(z * _V_SPREAD, _V_DECIMALS) + 0.0, columns=V_COLUMNS)  # + 0.0: no "-0.0"
    frame.insert(0, "Time", np.floor(seconds - seconds[0]))
    frame["Amount"] = np.maximum(np.round(amount, 2), 0.01)
    frame["Class"] = fraud.astype(np.int64)
    return frame


def write_creditcard(path, n_rows, fraud_rate=0.0017, seed=0):
    """Write ``generate_creditcard(n_rows, fraud_rate, seed)`` to ``path`` as Kaggle does.

    Like the Kaggle file, the header names and the Class values are quoted.
    Returns the path.
    """
    frame = generate_creditcard(n_rows, fraud_rate, seed)
    frame["Class"] = frame["Class"].astype(str)
    frame.to_csv(path, index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    return Path(path)


def load_creditcard(path, seq_len=10):
    """Read a file in the Kaggle credit-card schema as a Dataset of N sequences of T = seq_len.

    Works on the real Kaggle ``creditcard.csv`` and on ``write_creditcard``
    output (quoted or not; columns in any order). Transactions are sorted by
    Time (ties keep file order) and cut into consecutive runs of seq_len:
    features (T, 29) are V1..V28 and Amount, the label (T, 1) is Class.
    Time only orders the rows. The rows left at the end that do not fill a
    whole sequence (fewer than seq_len) are dropped. Sequence ids are
    "0", "1", ... in time order. Values are not normalized.
    Schema errors raise ValueError naming file, column and line.
    """
    seq_len = check_positive_int(seq_len, "seq_len")
    path = _existing_file(path)
    header = _read_header(path)
    _check_creditcard_header(path, header)
    table, lines = _read_body(path, header)
    values = _float_block(path, header, table, lines, range(len(header)))  # (R, 31)
    column = {name: j for j, name in enumerate(header)}
    labels = values[:, column["Class"]]
    bad = np.flatnonzero((labels != 0) & (labels != 1))
    if len(bad):
        raise _csv_error(path, f"Class must be 0 or 1, got {_raw_cell(path, lines[bad[0]], column['Class'])}",
                         line=lines[bad[0]], column=column["Class"], header=header)
    n_sequences = len(values) // seq_len
    if n_sequences == 0:
        raise _csv_error(path, f"{len(values)} transactions are fewer than seq_len={seq_len}")
    rows = np.argsort(values[:, column["Time"]], kind="stable")[:n_sequences * seq_len]
    features = values[np.ix_(rows, [column[n] for n in CREDITCARD_FEATURES])]
    return Dataset.from_arrays(features.reshape(n_sequences, seq_len, len(CREDITCARD_FEATURES)),
                               labels[rows].reshape(n_sequences, seq_len, 1),
                               feature_names=CREDITCARD_FEATURES, label_names=["Class"])


def _check_creditcard_header(path, header):
    for j, name in enumerate(header):
        if name not in CREDITCARD_COLUMNS:
            raise _csv_error(path, "this column is not in the Kaggle credit-card schema "
                             "(Time, V1..V28, Amount, Class)", line=1, column=j, header=header)
    missing = [name for name in CREDITCARD_COLUMNS if name not in header]
    if missing:
        raise _csv_error(path, f"missing column(s) {missing}; the Kaggle credit-card schema is "
                         "Time, V1..V28, Amount, Class", line=1)
