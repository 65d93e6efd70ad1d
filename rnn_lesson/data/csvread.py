"""Reading CSV files strictly: every problem named by file, line and column.

The csv module checks the structure (quotes, field counts) and records the
line each row starts on; pandas then parses the values. pandas alone would
pad a short row with empty cells or drop extra fields without a word.
Lines are 1-based with the header on line 1, as a text editor counts.
Used by ``data`` (the course's sequence format) and ``creditcard`` (the
Kaggle schema).
"""
import csv
from pathlib import Path

import numpy as np
import pandas as pd


def csv_error(path, problem, line=None, column=None, header=None):
    """ValueError 'path, line L, column C 'name': problem' (column is 0-based here)."""
    where = str(path)
    if line is not None:
        where += f", line {line}"
    if column is not None:
        where += f", column {column + 1} {header[column]!r}"
    return ValueError(f"{where}: {problem}")


def existing_file(path):
    path = Path(path)
    if not path.exists():
        hint = "" if path.is_absolute() else f" (relative to the working directory {Path.cwd()})"
        raise FileNotFoundError(f"no such file: {str(path)!r}{hint}")
    if not path.is_file():
        raise ValueError(f"{path} is not a file")
    return path


def records(path):
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
        raise csv_error(path, f"malformed CSV ({err})", line=reader.line_num) from None


def read_header(path):
    """The column names of line 1, stripped; ValueError for an empty file or a bad header."""
    _, header = next(records(path), (1, None))
    if header is None:
        raise csv_error(path, "the file is empty (it needs a header line and data rows)")
    if not header:
        raise csv_error(path, "the header line is blank", line=1)
    header = [name.strip() for name in header]
    for j, name in enumerate(header):
        if not name:
            raise csv_error(path, "the header has an empty column name", line=1, column=j, header=header)
        if name in header[:j]:
            raise csv_error(path, f"the column name appears twice (also column {header.index(name) + 1})",
                             line=1, column=j, header=header)
    return header


def row_lines(path, header):
    """(R,) the line each data row starts on; ValueError for a row with the wrong number of fields."""
    width, lines = len(header), []
    rows = records(path)
    next(rows)
    for line, fields in rows:
        if not fields:
            raise csv_error(path, f"blank line (every row needs {width} fields)", line=line)
        if len(fields) < width:
            raise csv_error(path, f"the row has {len(fields)} fields but the header has {width}: "
                             "this column is missing", line=line, column=len(fields), header=header)
        if len(fields) > width:
            raise csv_error(path, f"the row has {len(fields)} fields but the header has {width} "
                             f"(an extra field after column {width} {header[-1]!r})", line=line)
        lines.append(line)
    if not lines:
        raise csv_error(path, "the file has a header but no data rows")
    return np.array(lines)


def read_body(path, header, text_columns=()):
    """(table, lines): the data rows as a DataFrame with columns 0..C-1, and the line of each row."""
    lines = row_lines(path, header)
    try:
        table = pd.read_csv(path, header=0, names=list(range(len(header))), index_col=False, na_filter=False,
                            dtype={j: str for j in text_columns}, encoding="utf-8-sig")
    except pd.errors.ParserError as err:  # a safety net: the csv module has accepted the structure
        raise csv_error(path, f"pandas cannot parse the file ({err})") from None
    if len(table) != len(lines):  # cannot happen once the csv module has accepted every row
        raise csv_error(path, f"pandas read {len(table)} rows where the csv module read {len(lines)}")
    return table, lines


def float_block(path, header, table, lines, columns):
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
        text = raw_cell(path, lines[row], columns[c])
        raise csv_error(path, why_not_finite(text), line=lines[row], column=columns[c], header=header)
    return block


def raw_cell(path, line, column):
    """The text of one cell as the file has it, stripped (for error messages)."""
    for start, fields in records(path):
        if start == line:
            return fields[column].strip()
    raise AssertionError(f"{path} has no record starting on line {line}")


def why_not_finite(text):
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
