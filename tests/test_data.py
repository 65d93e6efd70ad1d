"""Tests of rnn_lesson.data (sequences, scaling, sequence_csv, windows): the CSV format, scaling,
splitting, windowing, and the reproducibility of the shipped sequence files (the credit-card schema:
test_creditcard.py)."""
import csv
import importlib.util
import re

import numpy as np
import pandas as pd
import pytest

import rnn_lesson as rl

from conftest import DATA, ROOT

SAMPLE = DATA / "sample.csv"
HEADER = "id,t,a,b,y\n"


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def as_dict(dataset):
    return {s.id: (s.t.tolist(), s.features.tolist(), s.labels.tolist()) for s in dataset}


def random_dataset(n=20, steps=6, seed=3):
    rng = np.random.default_rng(seed)
    return rl.Dataset.from_arrays(rng.normal(5, 3, (n, steps, 2)), rng.normal(-2, 10, (n, steps, 1)))


# ----------------------------------------------------------------- loading

def test_sample_csv_loads_with_names_ids_and_values():
    ds = rl.Dataset.from_csv(SAMPLE)
    assert len(ds) == 4 and [s.id for s in ds] == ["001", "002", "003", "007"]
    assert [len(s) for s in ds] == [4, 5, 3, 4]
    assert (ds.n_features, ds.n_labels) == (2, 1)
    assert ds.feature_names == ["x1", "x2"] and ds.label_names == ["y"]
    first = ds.sequences[0]
    assert first.features.dtype == np.float64 and first.features.shape == (4, 2)
    assert first.features.tolist() == [[1.0, 0.5], [2.0, -0.5], [-1.0, 0.0], [0.5, 1.5]]
    for seq in ds:  # the sample's story: y is the running total of x1
        assert np.array_equal(seq.labels[:, 0], np.cumsum(seq.features[:, 0]))
    assert not ds.normalized and ds.feature_bounds is None
    assert repr(ds) == "Dataset(N=4, T=3..5, F=2, L=1, normalized=False)"


def test_quoted_unquoted_and_all_quoted_files_load_the_same(tmp_path):
    text = SAMPLE.read_text()
    assert text.startswith('"id","t"')
    unquoted = write(tmp_path, text.replace('"', ""), "plain.csv")
    rows = list(csv.reader(text.splitlines()))
    with open(tmp_path / "all.csv", "w", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(rows)
    expected = as_dict(rl.Dataset.from_csv(SAMPLE))
    assert as_dict(rl.Dataset.from_csv(unquoted)) == expected
    assert as_dict(rl.Dataset.from_csv(tmp_path / "all.csv")) == expected


def test_rows_in_any_order_give_the_same_sequences(tmp_path):
    lines = SAMPLE.read_text().splitlines()
    body = [lines[k] for k in np.random.default_rng(0).permutation(np.arange(1, len(lines)))]
    assert body != lines[1:]
    shuffled = write(tmp_path, "\n".join([lines[0], *body]) + "\n")
    assert as_dict(rl.Dataset.from_csv(shuffled)) == as_dict(rl.Dataset.from_csv(SAMPLE))


def test_ids_are_text_and_sequences_keep_first_appearance_order(tmp_path):
    path = write(tmp_path, HEADER + "b,0,1,1,1\n007,0,2,2,2\n7,0,3,3,3\n007,1,4,4,4\n")
    ds = rl.Dataset.from_csv(path)
    assert [s.id for s in ds] == ["b", "007", "7"]
    assert ds.sequences[1].features[:, 0].tolist() == [2.0, 4.0]


def test_steps_are_ordered_by_t_and_gaps_are_kept(tmp_path):
    path = write(tmp_path, HEADER + "s,10,3,0,0\ns,2,2,0,0\ns,0,1,0,0\n")
    seq = rl.Dataset.from_csv(path).sequences[0]
    assert seq.t.tolist() == [0, 2, 10] and seq.features[:, 0].tolist() == [1.0, 2.0, 3.0]


def test_bom_crlf_spaces_and_float_steps_are_accepted(tmp_path):
    path = tmp_path / "win.csv"
    path.write_bytes("\ufeffid , t ,a,b,y\r\n s ,0, 1.5 ,2,1e3\r\ns,1.0,-2,0,0\r\n".encode())
    ds = rl.Dataset.from_csv(path)
    assert ds.feature_names == ["a", "b"] and [s.id for s in ds] == ["s"]
    assert ds.sequences[0].features.tolist() == [[1.5, 2.0], [-2.0, 0.0]]
    assert ds.sequences[0].labels.tolist() == [[1000.0], [0.0]]


def test_several_labels_are_the_last_columns(tmp_path):
    path = write(tmp_path, "id,t,f,l1,l2\nq,0,1,2,3\n")
    ds = rl.Dataset.from_csv(path, n_labels=2)
    assert ds.feature_names == ["f"] and ds.label_names == ["l1", "l2"]
    assert ds.sequences[0].labels.tolist() == [[2.0, 3.0]]


def test_csv_round_trip_through_to_csv(tmp_path):
    ds = rl.Dataset.from_csv(SAMPLE)
    written = ds.to_csv(tmp_path / "copy.csv")
    again = rl.Dataset.from_csv(written)
    assert as_dict(again) == as_dict(ds) and again.feature_names == ds.feature_names
    gaps = rl.Dataset.from_csv(write(tmp_path, HEADER + "s,4,1,1,1\ns,9,2,2,2\n"))
    assert rl.Dataset.from_csv(gaps.to_csv(tmp_path / "gaps.csv")).sequences[0].t.tolist() == [4, 9]


# ----------------------------------------------------------------- malformed CSV

MALFORMED = [
    # (body after the header "id,t,a,b,y", line, column, message)
    ("s,0,abc,2,3\n", 2, "column 3 'a'", "'abc' is not a number"),
    ("s,0,1,2,3\ns,1,1,2,yes\n", 3, "column 5 'y'", "'yes' is not a number"),
    ("s,0,1,True,3\n", 2, "column 4 'b'", "'True' is not a number"),
    ("s,0,1,,3\n", 2, "column 4 'b'", "empty"),
    ("s,0,1,2,\n", 2, "column 5 'y'", "empty"),
    ('s,0,1,2," "\n', 2, "column 5 'y'", "empty"),
    ("s,0,1,2,3\ns,1,1,2\n", 3, "column 5 'y'", "has 4 fields but the header has 5"),
    ("s,0\n", 2, "column 3 'a'", "has 2 fields but the header has 5"),
    ("s,0,1,2,3,4\n", 2, "", "has 6 fields but the header has 5"),
    ("s,0,1,2,3\ns,1,1,2,3,\n", 3, "", "has 6 fields"),
    ("s,0,1,2,3\n\ns,1,1,2,3\n", 3, "", "blank line"),
    ("s,0,1,2,3\ns,1,1,2,3\n\n", 4, "", "blank line"),
    ("s,0,1,2,3\ns,0,4,5,6\n", 3, "column 2 't'", "step t=0 twice (first on line 2)"),
    ("s,0,1,2,3\nr,0,1,2,3\nr,1,1,2,3\ns,0,4,5,6\n", 5, "column 2 't'", "first on line 2"),
    ("s,1.5,1,2,3\n", 2, "column 2 't'", "whole number >= 0, got 1.5"),
    ("s,-1,1,2,3\n", 2, "column 2 't'", "whole number >= 0, got -1"),
    ("s,one,1,2,3\n", 2, "column 2 't'", "'one' is not a number"),
    ("s,,1,2,3\n", 2, "column 2 't'", "empty"),
    ("s,0,1,nan,3\n", 2, "column 4 'b'", "'nan' is NaN"),
    ("s,0,NaN,2,3\n", 2, "column 3 'a'", "'NaN' is NaN"),
    ("s,0,1,2,inf\n", 2, "column 5 'y'", "'inf' is infinite"),
    ("s,0,-Infinity,2,3\n", 2, "column 3 'a'", "infinite"),
    ("s,0,1e400,2,3\n", 2, "column 3 'a'", "'1e400' is infinite"),
    (",0,1,2,3\n", 2, "column 1 'id'", "the id is empty"),
    ('s,0,1,2,3\n"s,1,1,2,3\n', 3, "", "malformed CSV"),
    ('s,0,"1"2,2,3\n', 2, "", "malformed CSV"),
    ("s,0,1,2,3\ns,1,1,x,3\ns,2,1,2,z\n", 3, "column 4 'b'", "'x' is not a number"),  # the first bad cell in the file
    ("s,0,1,2,z\ns,1,1,x,3\n", 2, "column 5 'y'", "'z' is not a number"),
]


@pytest.mark.parametrize("body, line, column, message", MALFORMED)
def test_malformed_rows_name_file_line_and_column(tmp_path, body, line, column, message):
    path = write(tmp_path, HEADER + body)
    where = f"{path}, line {line}" + (", column" if column else ":")
    with pytest.raises(ValueError) as info:
        rl.Dataset.from_csv(path)
    text = str(info.value)
    assert text.startswith(where), text
    assert column in text and message in text, text


MALFORMED_HEADERS = [
    ("id,t,a,y\n", 2, "line 1: the header has 4 columns"),
    ("id,t,y\n", 1, "line 1: the header has 3 columns"),
    ("key,t,a,y\n", 1, "line 1, column 1 'key': column 1 must be named 'id'"),
    ("id,time,a,y\n", 1, "line 1, column 2 'time': column 2 must be named 't'"),
    ("id,t,a,a\n", 1, "line 1, column 4 'a': the column name appears twice (also column 3)"),
    ("id,t,,y\n", 1, "line 1, column 3 '': the header has an empty column name"),
    ("\n", 1, "line 1: the header line is blank"),
]


@pytest.mark.parametrize("header, n_labels, message", MALFORMED_HEADERS)
def test_malformed_headers_name_file_line_and_column(tmp_path, header, n_labels, message):
    path = write(tmp_path, header + "s,0,1,2\n")
    with pytest.raises(ValueError, match=re.escape(f"{path}, {message}")):
        rl.Dataset.from_csv(path, n_labels=n_labels)


def test_empty_file_header_only_and_not_utf8(tmp_path):
    with pytest.raises(ValueError, match=re.escape(f"{tmp_path / 'data.csv'}: the file is empty")):
        rl.Dataset.from_csv(write(tmp_path, ""))
    with pytest.raises(ValueError, match="has a header but no data rows"):
        rl.Dataset.from_csv(write(tmp_path, HEADER))
    binary = tmp_path / "latin1.csv"
    binary.write_bytes(HEADER.encode() + "s,0,1,2,3\ns,1,caf\xe9,2,3\n".encode("latin-1"))
    with pytest.raises(ValueError, match="latin1.csv: not UTF-8 text"):
        rl.Dataset.from_csv(binary)


def test_missing_file_and_directory(tmp_path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(FileNotFoundError, match=re.escape(str(missing))):
        rl.Dataset.from_csv(missing)
    with pytest.raises(FileNotFoundError, match="relative to the working directory"):
        rl.Dataset.from_csv("no/such/file.csv")
    with pytest.raises(ValueError, match="is not a file"):
        rl.Dataset.from_csv(tmp_path)


@pytest.mark.parametrize("n_labels, error", [(0, ValueError), (-1, ValueError), (1.0, TypeError),
                                             ("1", TypeError), (True, TypeError), (None, TypeError)])
def test_n_labels_must_be_a_positive_int(n_labels, error):
    with pytest.raises(error, match="n_labels"):
        rl.Dataset.from_csv(SAMPLE, n_labels=n_labels)


# ----------------------------------------------------------------- normalization

def test_normalize_maps_each_column_to_0_1_and_stores_bounds():
    ds = random_dataset()
    X, Y = ds.to_arrays()
    assert ds.normalize() is ds and ds.normalized
    expected = np.stack([X.reshape(-1, 2).min(0), X.reshape(-1, 2).max(0)], axis=1)
    np.testing.assert_array_equal(ds.feature_bounds, expected)
    np.testing.assert_array_equal(ds.label_bounds, [[Y.min(), Y.max()]])
    Xn, Yn = ds.to_arrays()
    np.testing.assert_allclose(Xn, (X - expected[:, 0]) / (expected[:, 1] - expected[:, 0]), rtol=0, atol=1e-15)
    assert Xn.reshape(-1, 2).min(0).tolist() == [0.0, 0.0] and Xn.reshape(-1, 2).max(0).tolist() == [1.0, 1.0]
    assert Yn.min() == 0.0 and Yn.max() == 1.0


def test_denormalize_inverts_normalize():
    ds = rl.Dataset.from_arrays(*[a * 1e4 for a in random_dataset().to_arrays()])
    X, Y = ds.to_arrays()
    Xn, Yn = ds.normalize().to_arrays()
    np.testing.assert_allclose(ds.denormalize_labels(Yn), Y, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ds.denormalize_features(Xn), X, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ds.denormalize_labels(Yn[0, 0]), Y[0, 0], rtol=1e-12)  # any leading shape
    assert ds.denormalize_labels([[0.0], [1.0], [0.5]]).tolist() == [[Y.min()], [Y.max()], [(Y.min() + Y.max()) / 2]]


def test_constant_column_maps_to_zero_and_back():
    X = np.full((3, 4, 2), 7.5)
    X[:, :, 1] = np.arange(12).reshape(3, 4)
    ds = rl.Dataset.from_arrays(X, np.full((3, 4, 1), -2.0)).normalize()
    Xn, Yn = ds.to_arrays()
    assert np.all(Xn[:, :, 0] == 0.0) and np.all(Yn == 0.0) and np.all(np.isfinite(Xn))
    assert ds.feature_bounds[0].tolist() == [7.5, 7.5] and ds.label_bounds.tolist() == [[-2.0, -2.0]]
    assert np.all(ds.denormalize_labels(Yn) == -2.0)
    np.testing.assert_array_equal(ds.denormalize_features(Xn), X)


def test_normalize_with_another_datasets_bounds():
    train, test = random_dataset(n=30).split(0.5, seed=1)
    Xt, _ = test.to_arrays()
    train.normalize()
    assert test.normalize(bounds_from=train) is test
    np.testing.assert_array_equal(test.feature_bounds, train.feature_bounds)
    lo, hi = train.feature_bounds[:, 0], train.feature_bounds[:, 1]
    np.testing.assert_allclose(test.to_arrays()[0], (Xt - lo) / (hi - lo), rtol=0, atol=1e-15)
    assert test.to_arrays()[0].min() < 0 or test.to_arrays()[0].max() > 1  # test values beyond train's range
    assert test.feature_bounds is not train.feature_bounds


def test_normalize_errors():
    ds = random_dataset()
    with pytest.raises(ValueError, match="not normalized"):
        ds.denormalize_labels([[0.5]])
    with pytest.raises(ValueError, match="bounds_from is not normalized"):
        random_dataset().normalize(bounds_from=ds)
    with pytest.raises(TypeError, match="bounds_from must be a Dataset"):
        ds.normalize(bounds_from=np.zeros((2, 2)))
    ds.normalize()
    with pytest.raises(ValueError, match="already normalized"):
        ds.normalize()
    other = rl.Dataset.from_arrays(np.zeros((2, 3, 5)), np.zeros((2, 3, 1)))
    with pytest.raises(ValueError, match="bounds_from has 2 features and 1 labels, this Dataset has 5 and 1"):
        other.normalize(bounds_from=ds)
    with pytest.raises(ValueError, match=r"labels must have shape \(\.\.\., 1\), got \(4, 2\)"):
        ds.denormalize_labels(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="non-finite"):
        ds.denormalize_labels([[np.nan]])


def test_normalize_does_not_touch_the_callers_arrays():
    X = np.arange(12.0).reshape(2, 3, 2)
    ds = rl.Dataset.from_arrays(X, X[:, :, :1])
    ds.normalize()
    assert X.tolist() == np.arange(12.0).reshape(2, 3, 2).tolist()


# ----------------------------------------------------------------- split

def test_split_is_reproducible_disjoint_and_covers_everything():
    ds = random_dataset(n=20)
    train, test = ds.split(0.8, seed=5)
    assert (len(train), len(test)) == (16, 4)
    train_ids, test_ids = [s.id for s in train], [s.id for s in test]
    assert not set(train_ids) & set(test_ids) and sorted(train_ids + test_ids, key=int) == [s.id for s in ds]
    again = ds.split(0.8, seed=5)
    assert [s.id for s in again[0]] == train_ids and [s.id for s in again[1]] == test_ids
    assert [s.id for s in ds.split(0.8, seed=6)[0]] != train_ids
    for seq in test:
        np.testing.assert_array_equal(seq.features, ds.sequences[int(seq.id)].features)


def test_split_without_shuffle_is_chronological():
    train, test = random_dataset(n=10).split(0.7, shuffle=False)
    assert [s.id for s in train] == [str(k) for k in range(7)] and [s.id for s in test] == ["7", "8", "9"]


def test_split_parts_share_bounds_but_not_arrays():
    ds = random_dataset().normalize()
    train, test = ds.split(0.5)
    assert train.normalized and test.normalized and train.feature_names == ds.feature_names
    np.testing.assert_array_equal(train.label_bounds, ds.label_bounds)
    train.sequences[0].features[:] = 99.0
    assert not np.any(ds.sequences[int(train.sequences[0].id)].features == 99.0)


@pytest.mark.parametrize("ratio, error, message", [
    (0.0, ValueError, "strictly between 0 and 1"), (1.0, ValueError, "strictly between 0 and 1"),
    (1.5, ValueError, "got 1.5"), (-0.2, ValueError, "got -0.2"), (np.nan, ValueError, "got nan"),
    ("0.8", TypeError, "must be a number, got str"), (True, TypeError, "must be a number, got bool"),
])
def test_split_rejects_bad_ratios(ratio, error, message):
    with pytest.raises(error, match=f"train_ratio .*{re.escape(message)}"):
        random_dataset().split(ratio)


def test_split_needs_two_non_empty_parts_and_an_int_seed():
    with pytest.raises(ValueError, match="splits 3 sequences into 0 for training and 3 for testing"):
        random_dataset(n=3).split(0.1)
    with pytest.raises(ValueError, match="into 3 for training and 0 for testing"):
        random_dataset(n=3).split(0.9)
    with pytest.raises(TypeError, match="seed must be an int, got NoneType"):
        random_dataset().split(0.5, seed=None)
    with pytest.raises(ValueError, match="seed must be >= 0, got -1"):
        random_dataset().split(0.5, seed=-1)


# ----------------------------------------------------------------- arrays

def test_from_arrays_and_to_arrays_round_trip():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((3, 4, 2)), rng.standard_normal((3, 4, 1))
    ds = rl.Dataset.from_arrays(X, Y, ids=["a", "b", "c"], feature_names=["p", "q"], label_names=["r"])
    assert [s.id for s in ds] == ["a", "b", "c"] and ds.feature_names == ["p", "q"]
    X2, Y2 = ds.to_arrays()
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(Y2, Y)
    default = rl.Dataset.from_arrays(X, Y)
    assert [s.id for s in default] == ["0", "1", "2"] and default.label_names == ["l1"]


def test_ragged_sequences_and_to_arrays_message():
    xs = [np.zeros((3, 2)), np.zeros((5, 2)), np.zeros((3, 2))]
    ds = rl.Dataset.from_arrays(xs, [x[:, :1] for x in xs], ids=["a", "b", "c"])
    assert [len(s) for s in ds] == [3, 5, 3]
    with pytest.raises(ValueError, match=r"found T=3 \(e\.g\. id 'a'\), T=5 \(e\.g\. id 'b'\)"):
        ds.to_arrays()


@pytest.mark.parametrize("X, Y, kwargs, error, message", [
    (np.zeros((2, 3, 1)), np.zeros((3, 3, 1)), {}, ValueError, "X holds 2 sequences but Y holds 3"),
    (np.zeros((2, 3, 1)), np.zeros((2, 4, 1)), {}, ValueError, r"sequence '0' labels must have shape \(3, any\)"),
    (np.zeros((3, 1)), np.zeros((3, 1)), {}, ValueError, "X must have 3 dimension"),
    ([np.zeros(3)], [np.zeros((3, 1))], {}, ValueError, r"X\[0\] must have 2 dimension"),
    (np.zeros((2, 3, 1)), np.zeros((2, 3, 1)), {"ids": ["a"]}, ValueError, "ids has 1 entries for 2 sequences"),
    (np.zeros((2, 3, 1)), np.zeros((2, 3, 1)), {"ids": ["a", "a"]}, ValueError, "two sequences have the id 'a'"),
    (np.zeros((1, 3, 2)), np.zeros((1, 3, 1)), {"feature_names": ["p"]}, ValueError, "feature_names has 1 names"),
    (np.zeros((1, 3, 1)), np.zeros((1, 3, 1)), {"feature_names": ["t"]}, ValueError, "not 'id' or 't'"),
    (np.zeros((1, 3, 1)), np.zeros((1, 3, 1)), {"feature_names": ["y"], "label_names": ["y"]}, ValueError,
     "both a feature and a label"),
    (np.full((1, 2, 1), np.nan), np.zeros((1, 2, 1)), {}, ValueError, "non-finite"),
    (np.zeros((0, 3, 1)), np.zeros((0, 3, 1)), {}, ValueError, "at least one sequence"),
    (np.zeros((1, 0, 1)), np.zeros((1, 0, 1)), {}, ValueError, "at least one step"),
    (np.zeros((1, 3, 1)), np.zeros((1, 3, 0)), {}, ValueError, "labels must have at least one column"),
    ([["a", "b"]], [[[1.0]]], {}, TypeError, "must hold numbers"),
])
def test_from_arrays_rejects_bad_input(X, Y, kwargs, error, message):
    with pytest.raises(error, match=message):
        rl.Dataset.from_arrays(X, Y, **kwargs)


def test_dataset_is_iterable_and_sized():
    ds = rl.Dataset.from_csv(SAMPLE)
    assert len(ds) == 4 and list(ds) == ds.sequences
    assert repr(ds.sequences[0]) == "Sequence(id='001', T=4, F=2, L=1)"
    with pytest.raises(ValueError, match="sequence '001' has 2 features and 1 labels, but sequence 'x' has 1"):
        rl.Dataset([rl.Sequence("x", np.zeros((2, 1)), np.zeros((2, 1))), ds.sequences[0]])
    with pytest.raises(TypeError, match="Sequence objects"):
        rl.Dataset([np.zeros((2, 2))])


# ----------------------------------------------------------------- windowing

def test_window_series_features_and_next_value_labels():
    series = np.arange(10.0) ** 2
    ds = rl.window_series(series, window=3)
    assert len(ds) == 7 and [s.id for s in ds] == [str(k) for k in range(7)]
    assert ds.feature_names == ["x"] and ds.label_names == ["x_next"]
    X, Y = ds.to_arrays()
    assert X.shape == (7, 3, 1) and Y.shape == (7, 3, 1)
    for k in range(7):
        assert X[k, :, 0].tolist() == series[k:k + 3].tolist()
        assert Y[k, :, 0].tolist() == series[k + 1:k + 4].tolist()


def test_window_series_stride_horizon_index_and_columns():
    series = np.column_stack([np.arange(20.0), -np.arange(20.0)])
    days = pd.date_range("2020-01-01", periods=20).strftime("%Y-%m-%d")
    ds = rl.window_series(series, window=4, horizon=2, stride=5, index=days, names=["temp", "other"])
    # starts 0, 5, 10 (a start at 15 would need values up to 15 + 4 - 1 + 2 = 20)
    assert [s.id for s in ds] == ["2020-01-01", "2020-01-06", "2020-01-11"]
    assert ds.feature_names == ["temp", "other"] and ds.label_names == ["temp_next2"]
    last = ds.sequences[-1]
    assert last.features.tolist() == [[v, -v] for v in (10.0, 11.0, 12.0, 13.0)]
    assert last.labels[:, 0].tolist() == [12.0, 13.0, 14.0, 15.0]
    assert len(rl.window_series(np.arange(6.0), window=5)) == 1


@pytest.mark.parametrize("kwargs, error, message", [
    ({"series": np.arange(5.0), "window": 5}, ValueError, "series has 5 values; window=5 with horizon=1 needs at least 6"),
    ({"series": np.arange(5.0), "window": 0}, ValueError, "window must be at least 1"),
    ({"series": np.arange(5.0), "window": 2, "stride": 1.5}, TypeError, "stride must be an integer"),
    ({"series": np.zeros((4, 2, 2)), "window": 2}, ValueError, r"shape \(n,\) or \(n, F\)"),
    ({"series": [1.0, np.inf, 2.0], "window": 1}, ValueError, "non-finite"),
    ({"series": np.arange(5.0), "window": 2, "index": [1, 2]}, ValueError, "index has 2 entries"),
    ({"series": np.arange(5.0), "window": 2, "names": ["a", "b"]}, ValueError, "names has 2 names for 1"),
])
def test_window_series_rejects_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        rl.window_series(**kwargs)


# ----------------------------------------------------------------- shipped files

def test_temperature_csv_is_reproduced_by_its_script(tmp_path):
    script = load_script("make_temperature")
    built = script.build()
    built.to_csv(tmp_path / "temperature.csv")
    assert (tmp_path / "temperature.csv").read_bytes() == (DATA / "temperature.csv").read_bytes()


def test_temperature_csv_content():
    ds = rl.Dataset.from_csv(DATA / "temperature.csv")
    assert repr(ds) == "Dataset(N=104, T=14, F=3, L=1, normalized=False)"
    assert ds.feature_names == ["temp", "doy_sin", "doy_cos"] and ds.label_names == ["temp_next"]
    starts = pd.to_datetime([s.id for s in ds])
    assert starts[0] == pd.Timestamp("2012-01-01") and set(np.diff(starts).astype("timedelta64[D]").astype(int)) == {14}
    X, Y = ds.to_arrays()
    np.testing.assert_array_equal(Y[:, :-1, 0], X[:, 1:, 0])   # the label is the next day's temperature
    np.testing.assert_array_equal(Y[:-1, -1, 0], X[1:, 0, 0])  # across windows too
    assert -10 < X[:, :, 0].min() and X[:, :, 0].max() < 35
    np.testing.assert_allclose(X[:, :, 1] ** 2 + X[:, :, 2] ** 2, 1.0, atol=2e-4)
    assert (DATA / "temperature.csv").stat().st_size < 100_000


def test_sample_csv_is_tiny():
    assert SAMPLE.stat().st_size < 2_000


# Hostile inputs (issue 17)

@pytest.mark.parametrize("shuffle", ["False", "True", 0, 1, None, np.array([True])])
def test_split_shuffle_must_be_a_bool(shuffle):
    ds = rl.window_series(np.arange(30.0), window=3, stride=3)
    with pytest.raises(TypeError, match="shuffle must be True or False"):
        ds.split(0.5, shuffle=shuffle)
    train, _ = ds.split(0.5, shuffle=np.bool_(False))
    assert [s.id for s in train] == [str(k) for k in range(len(train))]


@pytest.mark.parametrize("shape", [(5, 0), (0, 0)])
def test_window_series_refuses_a_series_without_columns(shape):
    with pytest.raises(ValueError, match=re.escape(f"at least one column (F >= 1) to forecast, got shape {shape}")):
        rl.window_series(np.zeros(shape), window=2)
