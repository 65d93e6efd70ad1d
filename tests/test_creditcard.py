"""Tests of rnn_lesson.data.creditcard: the Kaggle credit-card schema, its generator and loader,
and the reproducibility of data/creditcard_synthetic.csv."""
import re

import numpy as np
import pandas as pd
import pytest

import rnn_lesson as rl
from rnn_lesson.data.creditcard import CREDITCARD_COLUMNS, CREDITCARD_FEATURES

from conftest import DATA
from test_data import as_dict, load_script, write


def test_generate_creditcard_schema():
    frame = rl.generate_creditcard(5000, fraud_rate=0.01, seed=2)
    assert list(frame.columns) == CREDITCARD_COLUMNS and len(CREDITCARD_COLUMNS) == 31
    assert frame["Class"].dtype == np.int64 and set(frame["Class"]) == {0, 1}
    assert all(frame[c].dtype == np.float64 for c in CREDITCARD_COLUMNS[:-1])
    assert frame["Class"].sum() == 50
    time = frame["Time"].to_numpy()
    assert time[0] == 0 and np.all(np.diff(time) >= 0) and np.all(time == np.floor(time))
    assert frame["Amount"].min() > 0 and frame["Amount"].mean() > 1.5 * frame["Amount"].median()  # skewed
    legit = frame[frame["Class"] == 0][CREDITCARD_FEATURES[:-1]]
    assert np.all(np.abs(legit.mean()) < 0.1)
    spread = legit.std().to_numpy()
    assert spread[0] > 1.7 and spread[-1] < 0.5 and np.all(np.diff(spread[::4]) < 0)  # PCA-like decreasing


def test_generate_creditcard_is_deterministic():
    a = rl.generate_creditcard(3000, seed=7)
    pd.testing.assert_frame_equal(a, rl.generate_creditcard(3000, seed=7), check_exact=True)
    assert not a.equals(rl.generate_creditcard(3000, seed=8))
    assert a["Class"].sum() == round(3000 * 0.0017) == 5


def test_frauds_are_shifted_but_overlap():
    frame = rl.generate_creditcard(40000, fraud_rate=0.02, seed=0)
    fraud, legit = frame[frame["Class"] == 1], frame[frame["Class"] == 0]
    for name in ("V14", "V12", "V17", "V10"):
        assert fraud[name].mean() < legit[name].mean() - legit[name].std()  # a learnable signal
        assert (fraud[name] > legit[name].quantile(0.1)).mean() > 0.1       # but the classes overlap
    assert fraud["V4"].mean() > legit["V4"].mean() + legit["V4"].std()
    assert abs(fraud["V1"].mean() - legit["V1"].mean()) < 0.3 * legit["V1"].std()  # other columns: no signal


@pytest.mark.parametrize("kwargs, error", [({"n_rows": 0}, ValueError), ({"n_rows": 10, "fraud_rate": 1.5}, ValueError),
                                           ({"n_rows": 10, "seed": None}, TypeError), ({"n_rows": 2.0}, TypeError)])
def test_generate_creditcard_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        rl.generate_creditcard(**kwargs)


def test_write_and_load_creditcard_in_the_kaggle_form(tmp_path):
    path = rl.write_creditcard(tmp_path / "cc.csv", 1234, fraud_rate=0.01, seed=3)
    lines = path.read_text().splitlines()
    assert lines[0] == ",".join(f'"{c}"' for c in CREDITCARD_COLUMNS)
    assert lines[1].startswith("0.0,") and lines[1].endswith(',"0"')
    frame = rl.generate_creditcard(1234, fraud_rate=0.01, seed=3)
    ds = rl.load_creditcard(path)
    assert repr(ds) == "Dataset(N=123, T=10, F=29, L=1, normalized=False)"  # 4 leftover rows dropped
    assert ds.feature_names == CREDITCARD_FEATURES and ds.label_names == ["Class"]
    X, Y = ds.to_arrays()
    np.testing.assert_array_equal(X.reshape(-1, 29), frame[CREDITCARD_FEATURES].to_numpy()[:1230])
    np.testing.assert_array_equal(Y.reshape(-1), frame["Class"].to_numpy()[:1230])
    assert [s.id for s in ds][:3] == ["0", "1", "2"]


KAGGLE_ROWS = [  # Time out of order and tied, values like the real file's
    ("406", "-2.3122265423263", "3.97", '"1"'),
    ("0", "-1.3598071336738", "149.62", '"0"'),
    ("2", "1.19185711131486", "2.69", '"0"'),
    ("0", "-0.966271711572087", "378.66", '"0"'),
    ("1", "1.23", "0", '"0"'),
]


def kaggle_file(tmp_path, rows=KAGGLE_ROWS, columns=CREDITCARD_COLUMNS, name="creditcard.csv"):
    lines = [",".join(f'"{c}"' for c in columns)]
    for time, v1, amount, label in rows:
        fields = {"Time": time, "V1": v1, "Amount": amount, "Class": label}
        lines.append(",".join(fields.get(c, "0.5") for c in columns))
    return write(tmp_path, "\n".join(lines) + "\n", name)


def test_load_creditcard_orders_by_time_and_drops_the_leftover(tmp_path):
    ds = rl.load_creditcard(kaggle_file(tmp_path), seq_len=2)
    assert len(ds) == 2  # 5 rows -> 2 sequences of 2; the latest transaction (Time 406) is dropped
    X, Y = ds.to_arrays()
    assert X[:, :, 0].tolist() == [[-1.3598071336738, -0.966271711572087], [1.23, 1.19185711131486]]
    assert X[:, :, -1].tolist() == [[149.62, 378.66], [0.0, 2.69]]
    assert Y[:, :, 0].tolist() == [[0, 0], [0, 0]]
    assert rl.load_creditcard(kaggle_file(tmp_path), seq_len=5).sequences[0].labels[:, 0].tolist() == [0, 0, 0, 0, 1]


def test_load_creditcard_reads_unquoted_and_reordered_columns(tmp_path):
    quoted = rl.load_creditcard(kaggle_file(tmp_path), seq_len=1)
    reordered = list(reversed(CREDITCARD_COLUMNS))
    plain = kaggle_file(tmp_path, columns=reordered, name="plain.csv")
    plain.write_text(plain.read_text().replace('"', ""))
    other = rl.load_creditcard(plain, seq_len=1)
    assert as_dict(other) == as_dict(quoted)


@pytest.mark.parametrize("change, message", [
    (lambda c, r: ([x for x in c if x != "V7"], r), r"line 1: missing column\(s\) \['V7'\]"),
    (lambda c, r: ([*c, "Extra"], r), "line 1, column 32 'Extra': this column is not in the Kaggle"),
    (lambda c, r: (["time" if x == "Time" else x for x in c], r), "line 1, column 1 'time': this column is not"),
    (lambda c, r: (c, [*r[:2], ("3", "0.1", "1.0", '"2"')]), "line 4, column 31 'Class': Class must be 0 or 1, got 2"),
    (lambda c, r: (c, [("3", "0.1", "1.0", '"yes"')]), "line 2, column 31 'Class': 'yes' is not a number"),
    (lambda c, r: (c, [*r, ("3", "0.1", "", '"0"')]), "line 7, column 30 'Amount': the cell is empty"),
    (lambda c, r: (c, [*r, ("3", "x1", "1", '"0"')]), "line 7, column 2 'V1': 'x1' is not a number"),
])
def test_load_creditcard_schema_errors(tmp_path, change, message):
    columns, rows = change(CREDITCARD_COLUMNS, KAGGLE_ROWS)
    path = kaggle_file(tmp_path, rows, columns)
    with pytest.raises(ValueError, match=re.escape(f"{path}, ") + message):
        rl.load_creditcard(path, seq_len=1)


def test_load_creditcard_needs_enough_rows_and_a_good_seq_len(tmp_path):
    path = kaggle_file(tmp_path)
    with pytest.raises(ValueError, match=re.escape(f"{path}: 5 transactions are fewer than seq_len=6")):
        rl.load_creditcard(path, seq_len=6)
    with pytest.raises(ValueError, match="seq_len must be at least 1"):
        rl.load_creditcard(path, seq_len=0)
    with pytest.raises(FileNotFoundError, match="creditcard.csv"):
        rl.load_creditcard(tmp_path / "missing" / "creditcard.csv")



def test_creditcard_synthetic_csv_is_reproduced_by_its_script(tmp_path):
    script = load_script("make_creditcard")
    path = rl.write_creditcard(tmp_path / "cc.csv", script.N_ROWS, fraud_rate=script.FRAUD_RATE, seed=script.SEED)
    shipped = DATA / "creditcard_synthetic.csv"
    assert path.read_bytes() == shipped.read_bytes()
    assert shipped.stat().st_size < 3_000_000
    ds = rl.load_creditcard(shipped)
    assert repr(ds) == "Dataset(N=2000, T=10, F=29, L=1, normalized=False)"
    assert sum(s.labels.sum() for s in ds) == 34


def test_has_creditcard_header_reads_the_header_with_the_strict_reader(tmp_path):
    from rnn_lesson.data.creditcard import has_creditcard_header

    path = rl.write_creditcard(tmp_path / "cards.csv", 20, seed=0)
    assert has_creditcard_header(path)
    assert not has_creditcard_header(tmp_path / "missing.csv")
    (tmp_path / "sample.csv").write_text("id,t,x,y\na,0,1,2\n")
    assert not has_creditcard_header(tmp_path / "sample.csv")
    (tmp_path / "empty.csv").write_text("")
    assert not has_creditcard_header(tmp_path / "empty.csv")
