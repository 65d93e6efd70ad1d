"""Tests of rnn_lesson.data.csvread, the strict CSV reader under Dataset.from_csv and load_creditcard
(most malformed-file cases are exercised through those two, in test_data.py and test_creditcard.py)."""
import numpy as np
import pytest

from rnn_lesson.data.csvread import csv_error, existing_file, float_block, read_body, read_header


def test_csv_error_names_file_line_and_column():
    err = csv_error("f.csv", "not a number", line=3, column=1, header=["id", "t"])
    assert isinstance(err, ValueError) and str(err) == "f.csv, line 3, column 2 't': not a number"
    assert str(csv_error("f.csv", "empty")) == "f.csv: empty"


def test_existing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        existing_file(tmp_path / "missing.csv")
    with pytest.raises(ValueError, match="is not a file"):
        existing_file(tmp_path)
    (tmp_path / "a.csv").write_text("x\n")
    assert existing_file(tmp_path / "a.csv") == tmp_path / "a.csv"


def test_quoted_and_plain_files_read_the_same(tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text("id,t,x\na,0,1.5\na,1,-2\n")
    quoted = tmp_path / "quoted.csv"
    quoted.write_text('"id","t","x"\n"a","0","1.5"\n"a","1","-2"\n')
    for path in (plain, quoted):
        header = read_header(path)
        assert header == ["id", "t", "x"]
        table, lines = read_body(path, header)
        assert list(lines) == [2, 3]
        np.testing.assert_array_equal(float_block(path, header, table, lines, [1, 2]), [[0, 1.5], [1, -2]])


def test_bad_values_are_located(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,t,x\na,0,1.5\na,1,abc\n")
    header = read_header(path)
    table, lines = read_body(path, header)
    with pytest.raises(ValueError, match=r"bad.csv, line 3, column 3 'x': 'abc' is not a number"):
        float_block(path, header, table, lines, [2])
    short = tmp_path / "short.csv"
    short.write_text("id,t,x\na,0\n")
    with pytest.raises(ValueError, match=r"short.csv, line 2"):
        read_body(short, read_header(short))
