"""``lm train`` and ``lm sample`` fed hostile option values (issue 17): every numeric option, every class of bad
value. Each ends in exit 2 with one line naming the option (1 for a divergence) before any training and with
nothing written, or in a normal run; never a traceback, never a refusal that comes only after the training."""
import time

import pytest

from test_cli import restore_logging, run  # noqa: F401 (restore_logging: an autouse fixture)

import rnn_lesson as rl

TEXT = "hello world\nhold the line\nhere we go\nhello again\n" * 6
SMALL = ["--hidden", 4, "--seq-len", 8, "--batch-size", 2, "--epochs", 1, "--sample-length", 5,
         "--engine", "reference", "--verbosity", "warn"]
TRAIN_NUMERIC = {"--hidden": "hidden", "--seq-len": "seq_len", "--batch-size": "batch_size", "--lr": "learning_rate",
                 "--clip-norm": "clip_norm", "--epochs": "epochs", "--max-minutes": "max_seconds", "--seed": "seed",
                 "--heldout-fraction": "held-out", "--eval-every": "eval", "--sample-length": "sample",
                 "--temperature": "temperature"}
SAMPLE_NUMERIC = ["--length", "--temperature", "--top-k", "--seed"]
HOSTILE = ["nan", "inf", "-inf", "-1", "0", "1e308", "1000000000000", "", "abc", "0x10", "True", "1e-320",
           "2.5", "10" * 3000]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("lm") / "text.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def saved(corpus):
    model = rl.CharLM(cell="gru", hidden_size=4, seq_len=8, batch_size=2, epochs=1).fit(TEXT)
    return model.save(corpus.parent / "lm.npz")


def _one_line_refusal(code, err, option, words):
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if "error:" in line]
    assert code in (1, 2) and len(lines) == 1, err
    if code == 2:
        assert option in lines[0] or words in lines[0].lower(), lines[0]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("option", TRAIN_NUMERIC)
def test_every_numeric_option_of_lm_train_refuses_hostile_values_in_one_line(capsys, tmp_path, corpus, option,
                                                                              value):
    start = time.perf_counter()
    code, out, err = run(capsys, "lm", "train", corpus, *SMALL, option, value, "--save", tmp_path / "m")
    assert time.perf_counter() - start < 30, "unbounded work from one option"
    if code == 0:  # a value in range (2.5 for --lr, say): a normal run that saves
        assert (tmp_path / "m.npz").is_file() and "Traceback" not in err
        return
    _one_line_refusal(code, err, option, TRAIN_NUMERIC[option])
    if code == 2:
        assert list(tmp_path.iterdir()) == []  # refused before training: nothing written


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("option", SAMPLE_NUMERIC)
def test_every_numeric_option_of_lm_sample_refuses_hostile_values_in_one_line(capsys, saved, option, value):
    start = time.perf_counter()
    code, out, err = run(capsys, "lm", "sample", saved, "--length", 5, option, value, "--verbosity", "warn")
    assert time.perf_counter() - start < 30, "unbounded work from one option"
    if code == 0:
        assert out.endswith("\n") and "Traceback" not in err
        return
    _one_line_refusal(code, err, option, option.strip("-").replace("-", "_"))
    assert out == ""


@pytest.mark.parametrize("prompt", ["\x00", "\ud800", "Z" * 10, "h" * 20_000])
def test_lm_sample_refuses_a_prompt_it_cannot_read_in_one_line(capsys, saved, prompt):
    code, out, err = run(capsys, "lm", "sample", saved, "--prompt", prompt, "--length", 3)
    assert "Traceback" not in err
    assert code == 2 and out == "" and len([line for line in err.splitlines() if "error:" in line]) == 1, err
