"""A damaged model file, whatever bit is wrong, loads as the same model or is one ValueError naming the file.

Seen before: RuntimeError (a zip entry flagged encrypted), NotImplementedError (zip version,
compression method), RecursionError (a state JSON nested 200,000 deep), OverflowError (an .npy
header shape beyond int64), and through the command line exit 1 with a traceback.
"""
import io
import zipfile

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.seq2seq import Seq2Seq
from test_cli import restore_logging, run  # noqa: F401 (restore_logging: an autouse fixture)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    lm = rl.CharLM(cell="gru", hidden_size=2, epochs=1, seq_len=4, batch_size=2, progress=False).fit("abcab\nabca")
    s2s = Seq2Seq(hidden_size=2, steps=2, batch_size=2).fit([("12", "21"), ("345", "543")] * 4)
    return {"lm": (lm, lm.save(folder / "lm.npz")), "s2s": (s2s, s2s.save(folder / "s2s.npz"))}


def _same(a, b):
    return repr(a) == repr(b) and a.params_.keys() == b.params_.keys() and \
        all(np.array_equal(a.params_[k], b.params_[k]) for k in a.params_)


@pytest.mark.parametrize("kind", ["lm", "s2s"])
def test_every_byte_with_one_bit_flipped(saved, kind, tmp_path):
    model, path = saved[kind]
    data = path.read_bytes()
    bits = np.random.default_rng(0).integers(0, 8, size=len(data))  # one bit of every byte
    broken, outcomes = tmp_path / "broken.npz", {"same": 0, "refused": 0}
    for position, bit in enumerate(bits):
        damaged = bytearray(data)
        damaged[position] ^= 1 << int(bit)
        broken.write_bytes(bytes(damaged))
        try:
            loaded = type(model).load(broken)
        except ValueError as err:
            assert "broken.npz" in str(err), f"byte {position}, bit {bit}: the error does not name the file: {err}"
            outcomes["refused"] += 1
            continue
        assert _same(loaded, model), f"byte {position}, bit {bit}: loaded a different model without a word"
        outcomes["same"] += 1
    assert outcomes["refused"] > 0.6 * len(data)  # most bytes matter; the rest (dates, flags) change nothing


def _rewrite(path, target, member, payload):
    """A copy of the archive at ``path`` with ``member``'s bytes replaced by ``payload``."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            copy.writestr(info.filename, payload if info.filename == member else source.read(info))
    return target


def test_a_state_nested_200000_deep_is_refused_in_words(saved, tmp_path):
    _, path = saved["lm"]
    nested = "[" * 200_000 + "]" * 200_000
    npy = io.BytesIO()
    np.save(npy, np.frombuffer(nested.encode(), dtype=np.uint8))
    broken = _rewrite(path, tmp_path / "deep.npz", "state.npy", npy.getvalue())
    with pytest.raises(ValueError, match=r"deep.npz.*nested too deep"):
        rl.CharLM.load(broken)


def test_a_header_shape_beyond_int64_is_refused_in_words(saved, tmp_path):
    _, path = saved["s2s"]
    header = {"descr": "<f8", "fortran_order": False, "shape": (2 ** 40, 2 ** 40)}
    npy = io.BytesIO()
    np.lib.format.write_array_header_1_0(npy, header)
    broken = _rewrite(path, tmp_path / "huge.npz", "loss_curve.npy", npy.getvalue() + b"\0" * 8)
    with pytest.raises(ValueError, match=r"huge.npz.*declares shape"):
        Seq2Seq.load(broken)


def _flag_encrypted(path, target):
    """A copy of ``path`` whose last central-directory entry says "encrypted" (general-purpose flag bit 0)."""
    damaged = bytearray(path.read_bytes())
    damaged[damaged.rindex(b"PK\x01\x02") + 8] |= 1
    target.write_bytes(bytes(damaged))
    return target


def test_the_command_line_says_one_line_and_exits_2(saved, capsys, tmp_path):
    flagged = _flag_encrypted(saved["lm"][1], tmp_path / "flagged.npz")
    code, out, err = run(capsys, "lm", "sample", flagged, "--length", "5")
    assert code == 2 and out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "flagged.npz" in err


@pytest.mark.parametrize("command", ["predict", "evaluate"])
def test_predict_and_evaluate_on_a_damaged_model_exit_2(capsys, tmp_path, command):
    from conftest import ROOT
    sample = ROOT / "data" / "sample.csv"
    assert run(capsys, "train", sample, "--task", "regression", "--epochs", "1", "--save", tmp_path / "m.npz")[0] == 0
    _flag_encrypted(tmp_path / "m.npz", tmp_path / "m.npz")
    code, out, err = run(capsys, command, tmp_path / "m.npz", sample)
    assert code == 2 and "Traceback" not in err and "m.npz" in err.strip().splitlines()[-1]
