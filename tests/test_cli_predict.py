"""predict and evaluate on models saved by train: the numbers, on shipped data and on files made here."""
import io
import re
import shlex
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import rnn_lesson as rl
from rnn_lesson.cli import main

from conftest import DATA, ROOT
from test_cli import restore_logging, run  # noqa: F401 (restore_logging: an autouse fixture)

TEMPERATURE = DATA / "temperature.csv"
TRAIN = {  # the models the tests share, and the options train saved them with
    "temperature": ["--task", "regression", "--epochs", 5, "--lr", 0.1, "--hidden", 4, "--chronological",
                    "--persistence"],
    "cards": ["--seq-len", 5, "--epochs", 2, "--lr", 0.1, "--loss", "bce", "--threshold", 0.07, "--chronological"],
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A folder with the models of TRAIN: temperature.npz (on data/temperature.csv) and cards.npz (on cards.csv,
    400 transactions in the Kaggle schema made here), each with its .meta.npz."""
    folder = tmp_path_factory.mktemp("models")
    data = {"temperature": TEMPERATURE, "cards": rl.write_creditcard(folder / "cards.csv", 400, 0.05, seed=2)}
    for name, options in TRAIN.items():
        argv = ["train", data[name], *options, "--verbosity", "error", "--save", folder / name]
        assert main([str(a) for a in argv]) == 0
    return folder


def read_predictions(path_or_text):
    """A predict output as a DataFrame, ids as text."""
    source = io.StringIO(path_or_text) if isinstance(path_or_text, str) else path_or_text
    return pd.read_csv(source, dtype={"id": str})


def scaled_like_training(dataset, train_ratio=0.8):
    """``dataset`` scaled with the bounds of its chronological training part, as train --chronological did."""
    train, _ = dataset.split(train_ratio, shuffle=False)
    return dataset.normalize(bounds_from=train.normalize())


def test_predict_writes_every_step_in_original_units(capsys, saved, tmp_path):
    output = tmp_path / "forecast.csv"
    code, out, err = run(capsys, "predict", saved / "temperature.npz", TEMPERATURE, "--output", output)
    assert code == 0 and out == "" and f"wrote 1456 predictions to {output}" in err
    table = read_predictions(output)
    assert list(table.columns) == ["id", "t", "temp_next_predicted"]
    data = scaled_like_training(rl.Dataset.from_csv(TEMPERATURE))
    assert table["id"].tolist() == [s.id for s in data for _ in s.t]
    assert table["t"].tolist() == [t for s in data for t in s.t]
    model = rl.RNN.load(saved / "temperature.npz")
    expected = np.concatenate([data.denormalize_labels(model.predict(s.features)) for s in data])
    np.testing.assert_array_equal(table["temp_next_predicted"].to_numpy(), expected[:, 0])
    assert 5 < np.mean(expected) < 15  # degrees Celsius, not scaled values in [0, 1]


def test_predict_scales_with_the_training_bounds_never_the_files_own(capsys, saved, tmp_path):
    lines = TEMPERATURE.read_text().splitlines(keepends=True)
    last = lines[-294:]  # the test period, in another row order: a narrower range than the training years
    np.random.default_rng(0).shuffle(last)
    (tmp_path / "last.csv").write_text(lines[0] + "".join(last))
    code, out, _ = run(capsys, "predict", saved / "temperature.npz", tmp_path / "last.csv")
    assert code == 0
    whole = read_predictions(run(capsys, "predict", saved / "temperature.npz", TEMPERATURE)[1])
    part = read_predictions(out).sort_values(["id", "t"], ignore_index=True)
    pd.testing.assert_frame_equal(part, whole.tail(294).reset_index(drop=True), check_exact=True)


def test_predict_classification_gives_the_score_and_the_decision_at_the_models_threshold(capsys, saved):
    code, out, _ = run(capsys, "predict", saved / "cards.npz", saved / "cards.csv", "--verbosity", "error")
    assert code == 0
    table = read_predictions(out)
    assert list(table.columns) == ["id", "t", "Class_score", "Class_predicted"]
    data = scaled_like_training(rl.load_creditcard(saved / "cards.csv", seq_len=5))
    assert len(table) == 400 and table["id"].tolist() == [str(n) for n in range(80) for _ in range(5)]
    scores = np.concatenate([rl.RNN.load(saved / "cards.npz").predict(s.features) for s in data])[:, 0]
    np.testing.assert_array_equal(table["Class_score"].to_numpy(), scores)
    assert table["Class_predicted"].tolist() == (scores >= 0.07).astype(int).tolist()
    assert 0 < table["Class_predicted"].sum() < 400  # the threshold splits them: the test can tell 0.07 from 0.5


def test_evaluate_on_the_test_period_repeats_what_train_reported(capsys, tmp_path):
    code, _, log = run(capsys, "train", TEMPERATURE, *TRAIN["temperature"], "--save", tmp_path / "model")
    assert code == 0
    _, test = rl.Dataset.from_csv(TEMPERATURE).split(0.8, shuffle=False)
    code, out, err = run(capsys, "evaluate", tmp_path / "model.npz", test.to_csv(tmp_path / "test.csv"))
    assert code == 0 and "loaded 21 sequences (294 steps)" in err
    blocks = out.split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [
        f"file {tmp_path / 'test.csv'}, label 'temp_next' in original units:",
        f"file {tmp_path / 'test.csv'}, persistence baseline, label 'temp_next' in original units:"]
    for block, title in zip(blocks, ["test set, label", "test set, persistence baseline, label"]):
        reported = log.split(f"{title} 'temp_next' in original units:\n")[1].splitlines()[:2]
        assert block.splitlines()[1:] == reported
    assert "MAE" in blocks[0] and "°" not in out


def test_evaluate_classification_repeats_trains_last_validation_report_and_the_baseline(capsys, tmp_path):
    cards = rl.write_creditcard(tmp_path / "cards.csv", 400, 0.05, seed=2)
    code, _, log = run(capsys, "train", cards, *TRAIN["cards"], "--save", tmp_path / "model")
    assert code == 0
    test_rows = pd.read_csv(cards).iloc[320:]  # the last 20 % of the runs of 5, in Time order
    test_rows.to_csv(tmp_path / "test.csv", index=False)
    code, out, _ = run(capsys, "evaluate", tmp_path / "model.npz", tmp_path / "test.csv")
    assert code == 0
    model_block, baseline_block = out.rstrip("\n").split("\n\n")
    reported = log.split("validation evaluation at epoch 2:\n")[1].splitlines()[:6]  # a report has 6 lines
    assert model_block.splitlines() == [f"model on the file {tmp_path / 'test.csv'}:", *reported]
    assert "confusion matrix at threshold 0.07, 80 predictions" in model_block
    baseline = log.split("all-negative baseline (every prediction 0) on the test set:\n")[1].splitlines()[:6]
    assert baseline_block.splitlines() == [
        f"all-negative baseline (every prediction 0) on the file {tmp_path / 'test.csv'}:", *baseline]


def test_a_reader_that_stops_early_is_not_an_error(saved):
    argv = ["predict", saved / "cards.npz", DATA / "creditcard_synthetic.csv", "--verbosity", "error"]
    reader = subprocess.Popen([sys.executable, "-m", "rnn_lesson", *map(str, argv)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, cwd=ROOT)
    assert reader.stdout.readline() == b"id,t,Class_score,Class_predicted\n"
    reader.stdout.close()  # as `| head -1` does, long before the 20,000 rows are written
    assert reader.wait(timeout=120) == 0 and reader.stderr.read() == b""


def _ten_digits(line):
    """``line`` with every number of more than ten significant digits rounded to ten."""
    return re.sub(r"-?\d+\.\d{10,}", lambda number: f"{float(number.group()):.10g}", line)


def test_the_readme_shows_what_train_predict_and_evaluate_print(capsys, tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## From a terminal"):readme.index("## Case studies")]
    blocks = re.findall(r"```(\w*)\n(.*?)```", section, re.S)
    commands = [line for kind, body in blocks if kind == "bash" for line in body.replace("\\\n", " ").splitlines()]
    (tmp_path / "data").symlink_to(DATA)
    monkeypatch.chdir(tmp_path)
    printed = []
    for command in (c for c in commands if "creditcard" not in c):
        if command.startswith("python -m rnn_lesson "):
            code, out, err = run(capsys, *shlex.split(command)[3:])
            assert code == 0, err
            printed += out.splitlines() + [re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", "", line)
                                           for line in err.splitlines()]
        else:
            shell = subprocess.run(command, shell=True, check=True, capture_output=True, text=True)
            printed += shell.stdout.splitlines()
    core = [c for c in commands if not c.startswith("python -m rnn_lesson lm ")]  # lm's commands ran above too
    assert len(core) == 6 and "model.npz" in core[0] and "evaluate model.npz" in core[-1]
    assert len(commands) == 9
    shown = [line for kind, body in blocks if kind == "" and "epoch 30" not in body for line in body.splitlines()]
    assert len(shown) > 20
    printed = {_ten_digits(line) for line in printed}  # another CPU's BLAS may differ in the last bits
    assert [line for line in shown if _ten_digits(line) not in printed] == ["..."]
