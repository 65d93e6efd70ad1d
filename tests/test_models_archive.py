"""Saving loses nothing and loading trusts nothing: atomic writes, refused archives, one naming rule."""
import io
import threading
import zipfile

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.models import archive


def fitted(**kw):
    X = np.linspace(-1, 1, 4 * 5 * 2).reshape(4, 5, 2)
    return rl.RNN(hidden_size=3, epochs=2, progress=False, **kw).fit((X, X[..., :1] ** 2))


def test_save_and_load_agree_on_the_name(tmp_path):
    model = fitted()
    assert model.save(tmp_path / "model") == tmp_path / "model.npz"
    loaded = rl.RNN.load(tmp_path / "model")
    assert loaded.params_["W_hh"].tobytes() == model.params_["W_hh"].tobytes()


def test_a_model_that_would_not_load_back_is_not_written(tmp_path):
    good = fitted().save(tmp_path / "m.npz")
    before = good.read_bytes()
    broken = fitted()
    broken.params_["W_xh"] = broken.params_["W_xh"].astype(np.float32)
    with pytest.raises(ValueError, match="cannot save this model: it would not load back .*float64.*nothing was "
                                         "written"):
        broken.save(good)
    assert good.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    good = fitted().save(tmp_path / "m.npz")
    before = good.read_bytes()

    def savez_then_fail(file, **arrays):
        file.write(b"PK\x03\x04 half an archive")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive.np, "savez", savez_then_fail)
    with pytest.raises(OSError, match="No space left"):
        fitted(seed=1).save(good)
    assert good.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


def test_saving_into_a_missing_folder_says_so_before_writing(tmp_path):
    with pytest.raises(FileNotFoundError, match="the folder .*nowhere does not exist"):
        fitted().save(tmp_path / "nowhere" / "m.npz")


def test_concurrent_saves_leave_one_complete_file(tmp_path):
    models = [fitted(seed=seed) for seed in range(6)]
    path = tmp_path / "shared.npz"
    threads = [threading.Thread(target=m.save, args=(path,)) for m in models for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    loaded = rl.RNN.load(path)
    assert any(loaded.params_["W_xh"].tobytes() == m.params_["W_xh"].tobytes() for m in models)
    assert [p.name for p in tmp_path.iterdir()] == ["shared.npz"]


def _archive_with(tmp_path, extra_member, compression=zipfile.ZIP_STORED):
    path = fitted().save(tmp_path / "m.npz")
    with zipfile.ZipFile(path, "a", compression=compression) as zf:
        zf.writestr(*extra_member)
    return path


def _npy_bytes(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=True)
    return buffer.getvalue()


@pytest.mark.parametrize("build, message", [
    (lambda p: _archive_with(p, ("extra.npy", _npy_bytes(np.zeros(3)))), "member 'extra.npy' that a saved model"),
    (lambda p: _archive_with(p, ("notes.txt", b"hello")), "member 'notes.txt'"),
    (lambda p: _archive_with(p, ("state.npy", b"")), "member 'state.npy' twice"),
])
@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_unknown_or_duplicated_members_are_refused_unread(tmp_path, build, message):
    with pytest.raises(ValueError, match=rf"m.npz is not a model saved by RNN.save .*{message}"):
        rl.RNN.load(build(tmp_path))


def _rewrite(tmp_path, member, data, compression=zipfile.ZIP_STORED):
    """The saved model with one member's bytes replaced."""
    path = fitted().save(tmp_path / "m.npz")
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    members[member] = data
    edited = tmp_path / "edited.npz"
    with zipfile.ZipFile(edited, "w", compression=compression) as zf:
        for name, payload in members.items():
            zf.writestr(name, payload)
    return edited


@pytest.mark.parametrize("member, data, compression, message", [
    ("W_hh.npy", _npy_bytes(np.zeros((3, 3))), zipfile.ZIP_DEFLATED, "compressed; RNN.save never compresses"),
    ("W_hh.npy", _npy_bytes(np.array([None, 1], dtype=object)), zipfile.ZIP_STORED, "dtype object"),
    ("W_hh.npy", _npy_bytes(np.zeros(10))[:-40], zipfile.ZIP_STORED, r"declares shape \(10,\)"),
])
def test_members_are_read_only_within_what_their_header_declares(tmp_path, member, data, compression, message):
    path = _rewrite(tmp_path, member, data, compression)
    with pytest.raises(ValueError, match=rf"edited.npz is not a model saved by RNN.save .*{message}"):
        rl.RNN.load(path)


def test_a_header_declaring_a_huge_array_is_refused_without_reading_it(tmp_path):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)})
    path = _rewrite(tmp_path, "loss_curve.npy", header.getvalue() + b"\0" * 64)
    with pytest.raises(ValueError, match=r"declares shape \(1000000000000,\)"):
        rl.RNN.load(path)


def test_an_infinite_validation_loss_is_a_divergence():
    X = np.linspace(-1, 1, 4 * 5 * 2).reshape(4, 5, 2)
    model = rl.RNN(hidden_size=3, epochs=1, eval_every=1, progress=False)
    with pytest.raises(rl.TrainingDiverged, match="validation loss at epoch 1 is inf"):
        model.fit((X, X[..., :1]), validation=(X * 1e200, X[..., :1] * 1e200))
