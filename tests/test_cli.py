import subprocess
import sys

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.cli import build_parser, main

from conftest import DATA, ROOT

OPTIONS = ["--hidden", "--lr", "--epochs", "--eval-every", "--task", "--verbosity", "--activation",
           "--train-ratio", "--seed", "--threshold", "--n-labels", "--loss", "--clip-norm", "--save", "--seq-len",
           "--engine", "--chronological", "--oversample", "--persistence"]


@pytest.fixture(autouse=True)
def restore_logging():
    yield
    rl.setup_logging("info")


@pytest.fixture
def binary_csv(tmp_path):
    """A course-format CSV: 20 sequences of 5 steps, label 1 when x1 + 0.5 x2 > 0."""
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, (20, 5, 2))
    Y = (X[:, :, :1] + 0.5 * X[:, :, 1:] > 0).astype(float)
    return rl.Dataset.from_arrays(X, Y).to_csv(tmp_path / "binary.csv")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_help_documents_every_option_with_its_default(capsys):
    code, out, _ = run(capsys, "train", "--help")
    assert code == 0
    for option in OPTIONS:
        assert option in out, option
    assert "(default: 0.01)" in out and "(default: 10)" in out and "(default: info)" in out
    assert "(default: auto)" in out


def test_each_subcommand_has_its_own_help_listing_only_its_options(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and all(command in out for command in ("train", "predict", "evaluate"))
    assert "--hidden" not in out and "--output" not in out
    own = {"train": OPTIONS, "predict": ["--output", "--verbosity"], "evaluate": ["--verbosity"], "lm": []}
    subparsers = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert set(subparsers) == set(own)
    for command, options in own.items():
        code, out, _ = run(capsys, command, "--help")
        assert code == 0 and out.startswith(f"usage: rnn-lesson {command} ")
        actions = subparsers[command]._actions
        assert {flag for a in actions for flag in a.option_strings} - {"-h", "--help"} == set(options), command
        assert all(f"[{flag}" in out for flag in options)
        for action in actions:
            assert action.help, (command, action.dest)


def test_classification_run_logs_reports_every_eval_every_epochs(capsys, binary_csv, tmp_path):
    code, out, err = run(capsys, "train", binary_csv, "--epochs", 4, "--eval-every", 2, "--lr", 0.1,
                         "--hidden", 4, "--save", tmp_path / "model")
    assert code == 0 and out == ""
    lines = err.splitlines()
    assert lines[0].split()[2:4] == ["INFO", "loaded"]
    assert "16 sequences for training, 4 for testing" in err
    for epoch in (2, 4):
        assert f"train evaluation at epoch {epoch}:" in err and f"validation evaluation at epoch {epoch}:" in err
    assert err.count("confusion matrix at threshold 0.5") == 5  # 2 epochs x 2 sets, then the baseline
    assert "all-negative baseline (every prediction 0) on the test set" in err
    model = rl.RNN.load(tmp_path / "model.npz")
    assert (model.hidden_size, model.learning_rate, model.epochs) == (4, 0.1, 4)
    assert [h["epoch"] for h in model.history_] == [2, 4]


def test_the_same_arguments_train_the_same_model(capsys, binary_csv, tmp_path):
    for name in ("a", "b"):
        assert run(capsys, "train", binary_csv, "--epochs", 2, "--seed", 5, "--save", tmp_path / name)[0] == 0
    a, b = rl.RNN.load(tmp_path / "a.npz"), rl.RNN.load(tmp_path / "b.npz")
    assert all(a.params_[k].tobytes() == b.params_[k].tobytes() for k in rl.PARAM_NAMES)


def test_regression_on_the_shipped_sample_reports_original_units(capsys):
    code, _, err = run(capsys, "train", DATA / "sample.csv", "--task", "regression", "--epochs", 3,
                       "--train-ratio", 0.75, "--threshold", 0.2)
    assert code == 0
    assert "loaded 4 sequences" in err and "3 sequences for training, 1 for testing" in err
    assert "train set, label 'y' in original units:" in err and "test set, label 'y' in original units:" in err
    assert "within ±0.2 of the target" in err  # scaled labels
    train, _ = rl.Dataset.from_csv(DATA / "sample.csv").split(0.75, seed=0)
    labels = np.concatenate([s.labels for s in train])
    assert f"within ±{0.2 * np.ptp(labels):g} of the target" in err  # the same tolerance in label units


def test_credit_card_header_is_recognised(capsys, tmp_path):
    path = rl.write_creditcard(tmp_path / "cards.csv", 120, fraud_rate=0.05, seed=1)
    code, _, err = run(capsys, "train", path, "--seq-len", 6, "--epochs", 1, "--verbosity", "info")
    assert code == 0
    assert "Kaggle credit-card header" in err and "loaded 20 sequences" in err and "29 features" in err


def test_verbosity_error_is_silent_on_success(capsys, binary_csv):
    assert run(capsys, "train", binary_csv, "--epochs", 1, "--verbosity", "error") == (0, "", "")


@pytest.mark.parametrize("argv, message", [
    ([], "the following arguments are required: COMMAND"),
    (["train"], "the following arguments are required: csv"),
    (["fit", "x.csv"], "invalid choice: 'fit'"),
    (["train", "{csv}", "--lr", "-1"], "argument --lr: must be a number > 0 (at least 2.2e-308, the smallest "
                                       "normal float64), got '-1'"),
    (["train", "{csv}", "--epochs", "2.5"], "argument --epochs: must be a whole number from 1 to 1,000,000, got '2.5'"),
    # every numeric option has a range that bounds the work it causes (issue 17)
    (["train", "{csv}", "--epochs", "100000000"], "argument --epochs: must be a whole number from 1 to 1,000,000"),
    (["train", "{csv}", "--eval-every", "0"], "argument --eval-every: must be a whole number from 1 to 1,000,000"),
    (["train", "{csv}", "--oversample", "100000"], "argument --oversample: must be a whole number from 1 to 1,000"),
    (["train", "{csv}", "--seq-len", "10000000"], "argument --seq-len: must be a whole number from 1 to 1,000,000"),
    (["train", "{csv}", "--n-labels", "1001"], "argument --n-labels: must be a whole number from 1 to 1,000"),
    (["train", "{csv}", "--hidden", "2000000"], "argument --hidden: must be a whole number from 1 to 1,048,576"),
    (["train", "{csv}", "--seed", "-1"], "argument --seed: must be a whole number from 0 to 2**64 - 1"),
    (["train", "{csv}", "--seed", str(2 ** 64)], "argument --seed: must be a whole number from 0 to 2**64 - 1"),
    (["train", "{csv}", "--lr", "1e-320"], "argument --lr: must be a number > 0 (at least 2.2e-308"),
    (["train", "{csv}", "--clip-norm", "nan"], "argument --clip-norm: must be a number > 0"),
    (["train", "{csv}", "--threshold", "inf"], "argument --threshold: must be a finite number, got 'inf'"),
    # sizes whose weights cannot fit in memory: refused from the header's sizes, before reading the data
    (["train", "{csv}", "--hidden", "1000000"], "training --hidden 1000000 (I=2, O=1) would need 29.1 TiB of "
                                                "memory, more than the 2 GiB the package allows"),
    (["train", "{cards}", "--hidden", "30000"], "training --hidden 30000 (I=29, O=1) would need 26.8 GiB"),
    # options that contradict each other or the file
    (["train", "{csv}", "--persistence"], "--persistence is the regression baseline"),
    (["train", "{csv}", "--task", "regression", "--persistence", "--n-labels", "2"],
     "--persistence forecasts one label from the first feature; --n-labels is 2"),
    (["train", "{csv}", "--task", "regression", "--oversample", "3"], "--oversample 3 repeats the training "
                                                                       "sequences that hold a positive label"),
    (["train", "{csv}", "--seq-len", "5"], "--seq-len 5 cuts the Kaggle credit-card schema into sequences"),
    (["train", "{cards}", "--n-labels", "2"], "--n-labels 2: {cards} has the Kaggle credit-card header"),
    (["train", "{csv}", "--n-labels", "3"], "--n-labels 3: {csv} has 5 columns, id, t and at most 2 labels"),
    (["train", "{regression}", "--task", "regression", "--threshold", "1e308", "--train-ratio", "0.5", "--chronological"],
     "--threshold 1e+308 times the range of label 'y' (1 to 2.5) overflows float64"),
    (["train", "{csv}", "--train-ratio", "1"], "argument --train-ratio: must be a number strictly between 0 and 1"),
    (["train", "{csv}", "--task", "ranking"], "argument --task: invalid choice: 'ranking'"),
    (["train", "{csv}", "--bogus"], "unrecognized arguments: --bogus"),
    (["train", "{missing}"], "no such file"),
    (["train", "{bad}"], "bad.csv, line 3, column 3 'x': 'oops' is not a number"),
    (["train", "{regression}"], "--task classification: sequence 'a' labels must be 0 or 1, found 2.5 "
                                "(they are class labels); use --task regression"),
    (["train", "{csv}", "--task", "regression", "--threshold", "-0.1"], "threshold must be >= 0"),
    (["train", "{csv}", "--loss", "cross_entropy"], "argument --loss: invalid choice: 'cross_entropy'"),
    (["train", "{csv}", "--engine", "fast", "--loss", "bce"], "engine='fast' supports loss='mse'"),
    (["train", "{csv}", "--save", "{missing}/m"], "--save {missing}/m.npz: the folder {missing} does not exist"),
    (["train", "{csv}", "--save", "{folder}"], "--save {folder}: that is a folder; give a file name"),
])
def test_errors_are_one_line_with_exit_code_2(capsys, tmp_path, binary_csv, argv, message):
    (tmp_path / "bad.csv").write_text("id,t,x,y\na,0,1.0,0\na,1,oops,1\n")
    (tmp_path / "regression.csv").write_text("id,t,x,y\na,0,1.0,2.5\na,1,2.0,1.0\nb,0,0.5,0.0\n")
    (tmp_path / "folder.npz").mkdir()
    paths = {"csv": binary_csv, "missing": tmp_path / "missing.csv", "bad": tmp_path / "bad.csv",
             "regression": tmp_path / "regression.csv", "folder": tmp_path / "folder.npz",
             "cards": DATA / "creditcard_synthetic.csv"}
    code, out, err = run(capsys, *[a.format(**paths) for a in argv])
    assert code == 2 and out == ""
    error_lines = [line for line in err.splitlines() if "error:" in line]
    assert len(error_lines) == 1 and message.format(**paths) in error_lines[0], err
    assert "Traceback" not in err and "engine:" not in err  # every check comes before training starts
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "binary.csv", "folder.npz", "regression.csv"]


def test_divergence_exits_with_code_1(capsys, binary_csv):
    code, _, err = run(capsys, "train", binary_csv, "--lr", 1000, "--activation", "identity", "--epochs", 5)
    assert code == 1
    assert err.strip().splitlines()[-1].startswith("rnn-lesson: error: training diverged at epoch 1")


def test_python_dash_m_entry_point(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "rnn_lesson", "--help"], capture_output=True, text=True,
                        cwd=ROOT, timeout=60)
    assert ok.returncode == 0 and ok.stdout.startswith("usage: python -m rnn_lesson")
    bad = subprocess.run([sys.executable, "-m", "rnn_lesson", "train", str(tmp_path / "none.csv")],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("python -m rnn_lesson: error: no such file") and bad.stderr.count("\n") == 1


def test_chronological_split_oversampling_and_fast_engine(capsys, binary_csv, tmp_path):
    common = ["train", binary_csv, "--epochs", 3, "--eval-every", 3, "--lr", 0.1, "--hidden", 4, "--chronological"]
    code, _, err = run(capsys, *common, "--oversample", 3, "--save", tmp_path / "ref")
    assert code == 0 and "split in file order" in err
    positives = sum(int(s.labels.any()) for s in rl.Dataset.from_csv(binary_csv).split(0.8, shuffle=False)[0])
    assert f"oversampled: {16 + 2 * positives} training sequences per epoch" in err
    code, _, err = run(capsys, *common, "--oversample", 3, "--engine", "fast", "--save", tmp_path / "fast")
    assert code == 0
    reference, fast = rl.RNN.load(tmp_path / "ref.npz"), rl.RNN.load(tmp_path / "fast.npz")
    for key in rl.PARAM_NAMES:
        np.testing.assert_allclose(fast.params_[key], reference.params_[key], rtol=1e-10, atol=1e-12)
    code, _, err = run(capsys, *common, "--engine", "fast", "--loss", "bce")
    assert code == 2 and "engine='fast' supports loss='mse'" in err


def test_persistence_baseline_in_original_units(capsys, tmp_path):
    series = 10 + 5 * np.sin(np.arange(60) / 4.0)
    path = rl.window_series(series, 5, stride=5).to_csv(tmp_path / "series.csv")
    code, _, err = run(capsys, "train", path, "--task", "regression", "--epochs", 2, "--eval-every", 2,
                       "--chronological", "--persistence")
    assert code == 0
    report = err.split("persistence baseline, label")[1]
    test = rl.Dataset.from_csv(path).split(0.8, shuffle=False)[1]
    errors = np.concatenate([s.features[:, 0] - s.labels[:, 0] for s in test])
    assert f"MAE {np.mean(np.abs(errors)):.4g}" in report
    two_labels = rl.Dataset.from_arrays(np.zeros((5, 3, 1)), np.zeros((5, 3, 2))).to_csv(tmp_path / "two.csv")
    code, _, err = run(capsys, "train", two_labels, "--task", "regression", "--n-labels", 2, "--epochs", 1,
                       "--persistence")
    assert code == 2 and "--persistence forecasts one label" in err and "engine:" not in err  # before training


def test_engine_auto_runs_the_fast_engine_where_it_can_and_says_which_ran(capsys, binary_csv, tmp_path):
    common = ["train", binary_csv, "--epochs", 3, "--lr", 0.1, "--hidden", 4]
    code, _, err = run(capsys, *common, "--save", tmp_path / "auto")
    assert code == 0 and "engine: fast (--engine auto: numba-compiled, the same numbers" in err
    code, _, err = run(capsys, *common, "--engine", "reference", "--save", tmp_path / "reference")
    assert code == 0 and "engine: reference (--engine reference)" in err
    auto, reference = rl.RNN.load(tmp_path / "auto.npz"), rl.RNN.load(tmp_path / "reference.npz")
    for key in rl.PARAM_NAMES:
        np.testing.assert_allclose(auto.params_[key], reference.params_[key], rtol=1e-10, atol=1e-12)
    code, _, err = run(capsys, *common, "--loss", "bce")
    assert code == 0 and "engine: reference (--engine auto: the fast engine does not support --loss bce)" in err
    code, _, err = run(capsys, *common, "--clip-norm", 2)
    assert code == 0 and "engine: fast (--engine auto" in err
    code, _, err = run(capsys, "train", DATA / "sample.csv", "--task", "regression", "--epochs", 1)
    assert code == 0 and "does not support sequences of different lengths (3 to 5 steps)" in err
