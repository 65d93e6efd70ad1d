"""The Kaggle credit-card schema ``Time, V1..V28, Amount, Class``: a generator and a loader.

The real Kaggle file (284,807 transactions, 0.17 % fraud) cannot be shipped;
``generate_creditcard`` writes data in exactly its schema, and
``load_creditcard`` turns either file into sequences of consecutive
transactions, as the Rust seed did.
"""
import csv
from pathlib import Path

import numpy as np
import pandas as pd

from ..budget import check_bytes
from ..shapes import check_fraction, check_positive_int, check_seed, is_binary
from .csvread import csv_error, existing_file, float_block, raw_cell, read_body, read_header
from .sequences import Dataset

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
    check_bytes(8 * n_rows * 2 * len(CREDITCARD_COLUMNS), f"generate_creditcard({n_rows})", "use fewer rows")
    fraud_rate = check_fraction(fraud_rate, "fraud_rate")
    rng = np.random.default_rng(check_seed(seed))
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
    path = existing_file(path)
    header = read_header(path)
    _check_creditcard_header(path, header)
    table, lines = read_body(path, header)
    values = float_block(path, header, table, lines, range(len(header)))  # (R, 31)
    column = {name: j for j, name in enumerate(header)}
    labels = values[:, column["Class"]]
    bad = np.flatnonzero(~is_binary(labels))
    if len(bad):
        raise csv_error(path, f"Class must be 0 or 1, got {raw_cell(path, lines[bad[0]], column['Class'])}",
                         line=lines[bad[0]], column=column["Class"], header=header)
    n_sequences = len(values) // seq_len
    if n_sequences == 0:
        raise csv_error(path, f"{len(values)} transactions are fewer than seq_len={seq_len}")
    rows = np.argsort(values[:, column["Time"]], kind="stable")[:n_sequences * seq_len]
    features = values[np.ix_(rows, [column[n] for n in CREDITCARD_FEATURES])]
    return Dataset.from_arrays(features.reshape(n_sequences, seq_len, len(CREDITCARD_FEATURES)),
                               labels[rows].reshape(n_sequences, seq_len, 1),
                               feature_names=CREDITCARD_FEATURES, label_names=["Class"])


def has_creditcard_header(path):
    """True when the first line of ``path`` names exactly the Kaggle columns (in any order).

    False for any other file, including one that cannot be read: its own loader
    (``Dataset.from_csv``) then says what is wrong with it.
    """
    try:
        return sorted(read_header(existing_file(path))) == sorted(CREDITCARD_COLUMNS)
    except (OSError, ValueError):
        return False


def _check_creditcard_header(path, header):
    for j, name in enumerate(header):
        if name not in CREDITCARD_COLUMNS:
            raise csv_error(path, "this column is not in the Kaggle credit-card schema "
                             "(Time, V1..V28, Amount, Class)", line=1, column=j, header=header)
    missing = [name for name in CREDITCARD_COLUMNS if name not in header]
    if missing:
        raise csv_error(path, f"missing column(s) {missing}; the Kaggle credit-card schema is "
                         "Time, V1..V28, Amount, Class", line=1)
