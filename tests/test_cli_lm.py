"""python -m rnn_lesson lm train / lm sample: reports, --save, and one-line errors with exit code 2."""
import pytest

import rnn_lesson as rl

from test_cli import restore_logging, run  # noqa: F401 (restore_logging: an autouse fixture)

TEXT = "anna\nbob\ncarla\ndan\nemma\nfinn\n" * 20
FAST = ["--hidden", "8", "--seq-len", "8", "--batch-size", "4", "--epochs", "2", "--sample-length", "20"]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text(TEXT)
    return path


def test_train_logs_the_held_out_loss_and_a_sample_and_saves(capsys, corpus, tmp_path):
    code, out, err = run(capsys, "lm", "train", corpus, *FAST, "--save", tmp_path / "lm")
    assert code == 0, err
    assert "held out (the last" in err and "epoch 1/2: training loss" in err and "epoch 2/2" in err
    assert "nats/char" in err and "bits/char" in err and "perplexity" in err and "sample: '" in err
    assert err.splitlines()[0][:4].isdigit()  # timestamped lines
    model = rl.CharLM.load(tmp_path / "lm.npz")
    assert model.hidden_size == 8 and model.vocab_.chars == "\nabcdefilmnor"


def test_sample_prints_the_prompt_and_the_same_text_for_the_same_seed(capsys, corpus, tmp_path):
    assert run(capsys, "lm", "train", corpus, *FAST, "--save", tmp_path / "lm.npz")[0] == 0
    code, out, _ = run(capsys, "lm", "sample", tmp_path / "lm.npz", "--length", "30", "--prompt", "an",
                       "--temperature", "0.7", "--seed", "4")
    assert code == 0 and out.startswith("an") and len(out.rstrip("\n")) >= 31
    assert run(capsys, "lm", "sample", tmp_path / "lm.npz", "--length", "30", "--prompt", "an",
               "--temperature", "0.7", "--seed", "4")[1] == out


def test_a_held_out_file(capsys, corpus, tmp_path):
    heldout = tmp_path / "heldout.txt"
    heldout.write_text("anna\nemma\n")
    code, _, err = run(capsys, "lm", "train", corpus, *FAST, "--heldout", heldout, "--eval-every", "2")
    assert code == 0 and f"held out ({heldout})" in err and "epoch 1/2" not in err and "epoch 2/2" in err


@pytest.mark.parametrize("argv, words", [
    (["--hidden", "0"], "--hidden: must be a whole number >= 1"),
    (["--cell", "transformer"], "invalid choice: 'transformer'"),
    (["--lr", "nan"], "--lr: must be a number > 0"),
    (["--engine", "turbo"], "invalid choice: 'turbo'"),
    (["--heldout-fraction", "1"], "strictly between 0 and 1"),
    (["--batch-size", "100000"], "batch_size must be at most 4096"),
    (["--layers", "0"], "--layers: must be a whole number from 1 to 8"),
    (["--layers", "9"], "--layers: must be a whole number from 1 to 8"),
    (["--layers", "1.5"], "--layers: must be a whole number from 1 to 8"),
    (["--dropout", "1"], "--dropout: must be a number from 0 up to, not including, 1"),
    (["--dropout", "-0.1"], "--dropout: must be a number from 0 up to"),
    (["--dropout", "nan"], "--dropout: must be a number from 0 up to"),
    (["--layers", "2", "--engine", "fast"], "use engine='reference'"),
    (["--dropout", "0.2", "--engine", "fast"], "use engine='reference'"),
])
def test_bad_options_are_one_line_errors(capsys, corpus, argv, words):
    code, out, err = run(capsys, "lm", "train", corpus, *argv)
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_stack_with_dropout_trains_with_the_reference_engine_and_saves_both(capsys, corpus, tmp_path):
    code, _, err = run(capsys, "lm", "train", corpus, *FAST, "--layers", "2", "--dropout", "0.2",
                       "--save", tmp_path / "deep.npz")
    assert code == 0, err
    assert "units in each of 2 layers" in err and "epoch 2/2" in err
    model = rl.CharLM.load(tmp_path / "deep.npz")
    assert (model.n_layers, model.dropout, model.engine) == (2, 0.2, "reference")
    assert rl.CharLM.load(run_default(capsys, corpus, tmp_path)).engine == "fast"


def run_default(capsys, corpus, tmp_path):
    assert run(capsys, "lm", "train", corpus, *FAST, "--save", tmp_path / "one.npz")[0] == 0
    return tmp_path / "one.npz"


def test_bad_files_are_named_before_any_work(capsys, corpus, tmp_path):
    code, _, err = run(capsys, "lm", "train", tmp_path / "missing.txt")
    assert code == 2 and "missing.txt: no such file" in err
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"abc\xff\xfe")
    code, _, err = run(capsys, "lm", "train", binary)
    assert code == 2 and "not UTF-8 text" in err
    heldout = tmp_path / "heldout.txt"
    heldout.write_text("zoe\n")
    code, _, err = run(capsys, "lm", "train", corpus, *FAST, "--heldout", heldout)
    assert code == 2 and "the character 'z' at position 0" in err and "training a" not in err
    code, _, err = run(capsys, "lm", "train", corpus, *FAST, "--save", tmp_path / "no" / "model.npz")
    assert code == 2 and "does not exist" in err and "training a" not in err


def test_sample_errors(capsys, corpus, tmp_path):
    assert run(capsys, "lm", "train", corpus, *FAST, "--save", tmp_path / "lm.npz")[0] == 0
    for argv, words in [(["--prompt", "Zed"], "'Z' at position 0"), (["--temperature", "0"], "must be a number > 0"),
                        (["--top-k", "99"], "top_k must be from 1 to"), (["--length", "-3"], "whole number from 0")]:
        code, out, err = run(capsys, "lm", "sample", tmp_path / "lm.npz", *argv)
        assert code == 2 and words in err and out == "", argv
    (tmp_path / "junk.npz").write_bytes(b"PK\x03\x04 junk")
    code, _, err = run(capsys, "lm", "sample", tmp_path / "junk.npz")
    assert code == 2 and "junk.npz is not a model saved by CharLM.save" in err
