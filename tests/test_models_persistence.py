"""The saved-model format: version 3 (with the stack and the optimizer), and version-1 and -2 files, as
earlier code wrote them, still load unchanged."""
import json

import numpy as np
import pytest

import rnn_lesson as rl

HYPERPARAMETERS = {  # every key, in the order RNN.save wrote them
    "hidden_size": 3, "learning_rate": 0.3, "epochs": 2, "activation": "sigmoid", "loss": "bce",
    "clip_norm": 2.0, "truncate": None, "shuffle": True, "eval_every": 2,
    "evaluator": {"name": "BinaryClassificationEvaluator", "threshold": 0.4},
    "seed": 5, "progress": False, "engine": "reference",
}
NEW_IN_VERSION_2 = {"cell": "rnn", "batch_size": None, "recurrent_init": "normal", "forget_bias": None}
NEW_IN_VERSION_3 = {"n_layers": 1, "bidirectional": False, "dropout": 0.0, "optimizer": "sgd"}
HISTORY = [{"epoch": 2, "loss": 0.25, "validation_loss": 0.375,
            "train": {"accuracy": 0.5, "tp": 1}, "validation": {"accuracy": 0.75, "tp": 2}}]


def write_version_1(path, params, loss_curve, hyperparameters, history, version=1):
    """An archive laid out exactly as RNN.save wrote it before the split (rnn_lesson/model.py, format 1)."""
    state = {"format": "rnn_lesson.RNN", "version": version, "hyperparameters": hyperparameters, "history": history}
    text = json.dumps(state, allow_nan=False)
    np.savez(path, **params, loss_curve=loss_curve, state=np.frombuffer(text.encode("utf-8"), dtype=np.uint8))
    return path


def test_a_version_1_file_loads_unchanged(tmp_path):
    params = rl.init_params(2, 3, 1, seed=11)
    path = write_version_1(tmp_path / "old.npz", params, np.array([0.5, 0.25]), HYPERPARAMETERS, HISTORY)
    model = rl.RNN.load(path)
    assert all(model.params_[k].tobytes() == params[k].tobytes() for k in rl.PARAM_NAMES)
    assert model.loss_curve_.tolist() == [0.5, 0.25] and model.history_ == HISTORY
    assert (model.n_inputs_, model.n_outputs_) == (2, 1)
    hyper = model.get_params()
    assert repr(hyper.pop("evaluator")) == "BinaryClassificationEvaluator(threshold=0.4)"
    assert hyper == {**{k: v for k, v in HYPERPARAMETERS.items() if k != "evaluator"}, **NEW_IN_VERSION_2,
                     **NEW_IN_VERSION_3}
    xs = np.linspace(-1, 1, 8).reshape(4, 2)
    np.testing.assert_array_equal(model.predict(xs), rl.sigmoid(rl.forward(params, xs, activation="sigmoid")[0]))


def test_a_version_2_file_loads_with_the_toolkit_at_its_defaults(tmp_path):
    params = rl.init_params(2, 3, 1, seed=12)
    path = write_version_1(tmp_path / "v2.npz", params, np.array([0.5]), {**HYPERPARAMETERS, **NEW_IN_VERSION_2},
                           [], version=2)
    model = rl.RNN.load(path)
    assert {k: model.get_params()[k] for k in NEW_IN_VERSION_3} == NEW_IN_VERSION_3
    xs = np.linspace(-1, 1, 8).reshape(4, 2)
    np.testing.assert_array_equal(model.predict(xs), rl.sigmoid(rl.forward(params, xs, activation="sigmoid")[0]))


def test_save_writes_the_same_layout_with_version_3_and_the_new_hyperparameters(tmp_path):
    X = np.linspace(-1, 1, 4 * 5 * 2).reshape(4, 5, 2)
    hyper = dict(HYPERPARAMETERS, evaluator=rl.BinaryClassificationEvaluator(0.4))
    model = rl.RNN(**hyper).fit((X, (X[..., :1] > 0).astype(float)))
    written = model.save(tmp_path / "new")
    expected = write_version_1(tmp_path / "expected.npz", model.params_, model.loss_curve_,
                               {**HYPERPARAMETERS, **NEW_IN_VERSION_2, **NEW_IN_VERSION_3}, model.history_,
                               version=3)
    with np.load(written, allow_pickle=False) as new, np.load(expected, allow_pickle=False) as old:
        assert new.files == old.files
        for key in old.files:
            assert new[key].dtype == old[key].dtype and new[key].tobytes() == old[key].tobytes(), key


@pytest.mark.parametrize("version", [0, 4])
def test_other_versions_are_refused(tmp_path, version):
    path = write_version_1(tmp_path / "v.npz", rl.init_params(2, 3, 1), np.array([0.5]), HYPERPARAMETERS, [])
    with np.load(path) as archive:
        arrays = dict(archive)
    state = json.loads(arrays["state"].tobytes())
    state["version"] = version
    arrays["state"] = np.frombuffer(json.dumps(state).encode(), dtype=np.uint8)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="v.npz is not a valid saved RNN: .*of version 1 or 2 or 3"):
        rl.RNN.load(path)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_a_gated_model_round_trips_and_records_its_cell(tmp_path, cell):
    X = np.linspace(-1, 1, 4 * 5 * 2).reshape(4, 5, 2)
    model = rl.RNN(cell=cell, hidden_size=3, epochs=2, batch_size=2, recurrent_init="orthogonal",
                   forget_bias="chrono", progress=False).fit((X, X[..., :1] ** 2))
    loaded = rl.RNN.load(model.save(tmp_path / cell))
    assert loaded.get_params() == model.get_params() and loaded.cell == cell
    assert all(loaded.params_[k].tobytes() == model.params_[k].tobytes() for k in rl.PARAM_NAMES)
    np.testing.assert_array_equal(loaded.predict(X[0]), model.predict(X[0]))
    arrays = dict(np.load(tmp_path / f"{cell}.npz"))
    arrays["W_hh"] = arrays["W_hh"][:, :3]  # a vanilla W_hh in a gated model's file
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match=r"bad.npz is not a valid saved RNN: params\['W_xh'\] must have shape|"
                                         r"bad.npz is not a valid saved RNN: params\['W_hh'\] must have shape"):
        rl.RNN.load(tmp_path / "bad.npz")
