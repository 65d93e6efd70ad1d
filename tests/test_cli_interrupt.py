"""Ctrl-C during training: one line, exit code 130, the --save file untouched; the same seed writes the same bytes."""
import os
import signal
import subprocess
import sys
import time

import pytest

import rnn_lesson as rl
from conftest import ROOT
from test_cli import restore_logging, run  # noqa: F401 (restore_logging: an autouse fixture)

TEXT = "anna\nbob\ncarla\ndan\nemma\nfinn\n" * 20
FAST = ["--hidden", "8", "--seq-len", "8", "--batch-size", "4", "--epochs", "2", "--sample-length", "0"]


def interrupt_after(n_epochs):
    """A stand-in for fit that finishes ``n_epochs`` epochs and then receives Ctrl-C."""
    def fit(self, *args, **kwargs):
        self.loss_curve_ = [1.0] * n_epochs
        raise KeyboardInterrupt
    return fit


@pytest.mark.parametrize("command, model_class", [("lm", rl.CharLM), ("train", rl.RNN)])
def test_ctrl_c_is_one_line_exit_130_and_the_save_file_is_untouched(capsys, monkeypatch, tmp_path, command,
                                                                   model_class):
    saved = tmp_path / "model.npz"
    saved.write_bytes(b"the learner's earlier model")
    monkeypatch.setattr(model_class, "fit", interrupt_after(3))
    if command == "lm":
        corpus = tmp_path / "names.txt"
        corpus.write_text(TEXT)
        argv = ["lm", "train", corpus, *FAST, "--epochs", "9", "--save", saved]
    else:
        argv = ["train", ROOT / "data" / "sample.csv", "--task", "regression", "--epochs", "9", "--save", saved]
    code, out, err = run(capsys, *argv)
    last = err.strip().splitlines()[-1]
    assert code == 130 and "Traceback" not in err
    assert last.endswith(f"interrupted (Ctrl-C) during training, after 3 of 9 epoch(s); nothing was saved; "
                         f"{saved} is untouched")
    assert saved.read_bytes() == b"the learner's earlier model"


def test_ctrl_c_outside_training_is_one_line_too(capsys, monkeypatch, tmp_path):
    def read(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr("rnn_lesson.cli.lm_train.read_text", read)
    code, _, err = run(capsys, "lm", "train", tmp_path / "names.txt", *FAST)
    assert code == 130 and err.strip().endswith("interrupted (Ctrl-C); nothing was written")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is a POSIX signal")
def test_a_real_sigint_to_a_real_process(tmp_path):
    corpus = tmp_path / "names.txt"
    corpus.write_text(TEXT * 50)
    saved = tmp_path / "lm.npz"
    saved.write_bytes(b"before")
    child = subprocess.Popen([sys.executable, "-m", "rnn_lesson", "lm", "train", str(corpus), *FAST,
                              "--epochs", "100000", "--engine", "reference", "--save", str(saved)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    lines = []
    for line in child.stderr:  # wait until training has started
        lines.append(line)
        if "training a " in line:
            break
    time.sleep(1.0)
    os.kill(child.pid, signal.SIGINT)
    rest = child.stderr.read()
    child.wait(timeout=60)
    err = "".join(lines) + rest
    assert child.returncode == 130, err
    assert "Traceback" not in err and "nothing was saved" in err.strip().splitlines()[-1]
    assert saved.read_bytes() == b"before"


def test_the_same_seed_and_data_write_the_same_bytes(capsys, tmp_path):
    corpus = tmp_path / "names.txt"
    corpus.write_text(TEXT)
    for name in ("a", "b"):
        assert run(capsys, "lm", "train", corpus, *FAST, "--save", tmp_path / f"{name}.npz")[0] == 0
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    model = rl.CharLM.load(tmp_path / "a.npz")
    assert model.history_ and all("seconds" not in record for record in model.history_)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("temperature", [2.3e-308, 1e-300, 1e-200])
def test_a_vanishing_temperature_is_greedy_without_nan_or_warning(temperature):
    from rnn_lesson.language.sampling import probabilities, sample_next
    assert probabilities([1.0, 2.0, 3.0], temperature).tolist() == [0.0, 0.0, 1.0]
    assert probabilities([3.0, 3.0, -1e300], temperature).tolist() == [0.5, 0.5, 0.0]
    assert probabilities([1.0, 2.0, 3.0, 2.5], temperature, top_k=2).tolist() == [0.0, 0.0, 1.0, 0.0]
    import numpy as np
    assert sample_next(np.array([0.1, 5.0, 0.2]), np.random.default_rng(0), temperature) == 1


def test_lm_sample_at_a_vanishing_temperature_prints_text_and_no_warning(capsys, tmp_path):
    corpus = tmp_path / "names.txt"
    corpus.write_text(TEXT)
    assert run(capsys, "lm", "train", corpus, *FAST, "--save", tmp_path / "lm.npz")[0] == 0
    code, out, err = run(capsys, "lm", "sample", tmp_path / "lm.npz", "--length", "20", "--temperature", "2.3e-308")
    assert code == 0 and len(out) >= 20 and "Warning" not in err and "nan" not in err.lower()
    again = run(capsys, "lm", "sample", tmp_path / "lm.npz", "--length", "20", "--temperature", "1e-9")[1]
    assert again == out  # both are the greedy text
