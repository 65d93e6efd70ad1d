"""The command line fed hostile option values and paths (issue 17): every one ends in exit 2 with one line
naming the option (1 for a divergence), before any training and with nothing written, or in a normal run;
never a traceback, and never after the work (a bad --save is refused before training starts)."""
import os

import pytest

from conftest import DATA
from test_cli import restore_logging, run  # noqa: F401 (restore_logging: an autouse fixture)

SAMPLE = DATA / "sample.csv"
NUMERIC = ["--hidden", "--lr", "--epochs", "--clip-norm", "--seed", "--n-labels", "--seq-len", "--train-ratio",
           "--oversample", "--threshold", "--eval-every"]
HOSTILE = ["nan", "inf", "-inf", "-1", "0", "1e308", "1000000000000", "", "abc", "0x10", "True", "1e-320",
           "2.5", "10" * 3000]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("option", NUMERIC)
def test_every_numeric_option_refuses_hostile_values_in_one_line(capsys, tmp_path, option, value):
    code, out, err = run(capsys, "train", SAMPLE, "--task", "regression", option, value, "--epochs" if option !=
                         "--epochs" else "--eval-every", 1, "--save", tmp_path / "m", "--verbosity", "warn")
    assert "Traceback" not in err
    if code == 0:  # a value that is in range (2.5 for --lr, say): the run is normal and saves
        assert (tmp_path / "m.npz").is_file()
        return
    lines = [line for line in err.splitlines() if "error:" in line]
    assert code in (1, 2) and len(lines) == 1, err
    if code == 2:
        assert list(tmp_path.iterdir()) == []  # refused before anything was written
        assert option in lines[0] or "threshold" in lines[0] or "train_ratio" in lines[0], lines[0]


@pytest.mark.parametrize("save, words", [
    ("{tmp}/missing/m", "--save {tmp}/missing/m.npz: the folder {tmp}/missing does not exist"),
    ("{tmp}/dir", "--save {tmp}/dir.npz: that is a folder; give a file name"),
    ("{sample}", None),  # sample.csv.npz beside the input: allowed (the input itself is never written over)
])
def test_save_paths_are_checked_before_training(capsys, tmp_path, save, words):
    target = save.format(tmp=tmp_path, sample=tmp_path / "sample.csv")
    (tmp_path / "sample.csv").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "dir.npz").mkdir()
    code, _, err = run(capsys, "train", tmp_path / "sample.csv", "--task", "regression", "--epochs", 1,
                       "--save", target, "--verbosity", "info")
    if words is None:
        assert code == 0 and (tmp_path / "sample.csv.npz").is_file()
        return
    assert code == 2 and words.format(tmp=tmp_path) in err and "engine:" not in err and "loaded" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_save_into_a_read_only_folder_is_refused_before_training(capsys, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = run(capsys, "train", SAMPLE, "--task", "regression", "--save", folder / "m")
    finally:
        folder.chmod(0o755)
    assert code == 2 and "the folder" in err and "is not writable" in err and "loaded" not in err


def test_a_size_beyond_memory_is_refused_in_milliseconds_with_one_line(capsys):
    import time
    start = time.perf_counter()
    code, out, err = run(capsys, "train", SAMPLE, "--hidden", "1000000")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "training --hidden 1000000 (I=2, O=1) would need 29.1 TiB of memory" in err
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("argv", [["predict", "", "{sample}"], ["predict", "{tmp}", "{sample}"],
                                  ["evaluate", "{sample}", "{sample}"], ["evaluate", "{tmp}/none.npz", ""],
                                  ["predict", "{tmp}/none.npz", "{sample}", "--output", "{tmp}"]])
def test_predict_and_evaluate_refuse_hostile_paths_in_one_line(capsys, tmp_path, argv):
    code, out, err = run(capsys, *[a.format(tmp=tmp_path, sample=SAMPLE) for a in argv])
    assert code == 2 and out == "" and "Traceback" not in err
    assert len([line for line in err.splitlines() if "error:" in line]) == 1
