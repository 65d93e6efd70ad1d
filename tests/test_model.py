import io
import json
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson import log


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def toy_task(n=12, steps=6, seed=0):
    """y_t = 0.6 x_t[0] - 0.3 x_{t-1}[1]: learnable, needs one step of memory."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, steps, 2))
    Y = 0.6 * X[:, :, :1]
    Y[:, 1:, 0] -= 0.3 * X[:, :-1, 1]
    return X, Y


def binary_task(n=10, steps=5, seed=1):
    X, _ = toy_task(n, steps, seed)
    return X, (X[:, :, :1] > 0).astype(float)


def fitted(data=None, **kw):
    kw = {"hidden_size": 6, "learning_rate": 0.05, "epochs": 8, "progress": False, **kw}
    return rl.RNN(**kw).fit(toy_task() if data is None else data)


def same_bits(a, b):
    return all(a[k].tobytes() == b[k].tobytes() for k in rl.PARAM_NAMES)


def test_fit_returns_self_and_sets_learned_attributes():
    model = rl.RNN(hidden_size=5, epochs=3, progress=False)
    assert model.fit(toy_task()) is model
    assert (model.n_inputs_, model.n_outputs_) == (2, 1)
    assert {k: v.shape for k, v in model.params_.items()} == {
        "W_xh": (2, 5), "W_hh": (5, 5), "W_hy": (5, 1), "b_h": (5,), "b_y": (1,)}
    assert model.loss_curve_.shape == (3,) and model.loss_curve_.dtype == np.float64
    assert model.history_ == []


def test_init_only_stores_hyperparameters():
    model = rl.RNN(hidden_size=-3, activation="nope")
    assert model.hidden_size == -3 and not hasattr(model, "params_")
    assert model.get_params()["activation"] == "nope"
    assert "hidden_size=-3" in repr(model)


def test_loss_decreases_on_a_learnable_task():
    model = fitted(epochs=40)
    assert model.loss_curve_[-1] < 0.1 * model.loss_curve_[0]
    X, Y = toy_task(n=4, seed=9)  # unseen sequences
    mse = np.mean([(model.predict(x) - y) ** 2 for x, y in zip(X, Y)])
    assert mse < 0.2 * np.mean(Y**2)


def test_same_seed_same_bits_other_seed_other_weights():
    a, b, c = fitted(seed=3), fitted(seed=3), fitted(seed=4)
    assert same_bits(a.params_, b.params_)
    assert a.loss_curve_.tobytes() == b.loss_curve_.tobytes()
    assert not np.array_equal(a.params_["W_xh"], c.params_["W_xh"])


def test_shuffle_is_seeded_and_changes_the_path():
    a, b, plain = fitted(shuffle=True), fitted(shuffle=True), fitted()
    assert same_bits(a.params_, b.params_)
    assert not np.array_equal(a.params_["W_hh"], plain.params_["W_hh"])


def hand_loop(X, Y, hidden, lr, epochs, seed, activation, loss_fn, clip_norm=None, truncate=None):
    params = rl.init_params(X.shape[2], hidden, Y.shape[2], seed=seed)
    curve = []
    for _ in range(epochs):
        losses = []
        for xs, labels in zip(X, Y):
            ys, cache = rl.forward(params, xs, activation=activation)
            loss, dys = loss_fn(ys, labels)
            rl.sgd_step(params, rl.backward(dys, cache, truncate=truncate), lr, clip_norm=clip_norm)
            losses.append(loss)
        curve.append(np.mean(losses))
    return params, np.array(curve)


def test_fit_is_the_reference_loop_bit_for_bit():
    X, Y = toy_task()
    model = rl.RNN(hidden_size=6, learning_rate=0.05, epochs=5, activation="sigmoid", seed=2,
                   progress=False).fit((X, Y))
    params, curve = hand_loop(X, Y, 6, 0.05, 5, 2, "sigmoid", rl.mse_loss)
    assert same_bits(model.params_, params)
    np.testing.assert_allclose(model.loss_curve_, curve, rtol=1e-15, atol=0)


def test_bce_with_clipping_and_truncation_is_the_reference_loop():
    X, Y = binary_task()
    model = rl.RNN(hidden_size=4, learning_rate=0.5, epochs=4, loss="bce", clip_norm=0.5, truncate=2,
                   seed=1, progress=False).fit((X, Y))
    params, _ = hand_loop(X, Y, 4, 0.5, 4, 1, "tanh", rl.bce_with_logits_loss, clip_norm=0.5, truncate=2)
    assert same_bits(model.params_, params)
    probabilities = model.predict(X[0])
    np.testing.assert_array_equal(probabilities, rl.sigmoid(rl.forward(params, X[0])[0]))
    assert np.all((probabilities > 0) & (probabilities < 1))


def test_dataset_like_objects_and_arrays_give_the_same_model():
    X, Y = toy_task()
    objects = [SimpleNamespace(id=f"s{n}", features=x, labels=y) for n, (x, y) in enumerate(zip(X, Y))]
    lists = ([x for x in X], [y for y in Y])
    reference = fitted().params_
    for data in (objects, lists, rl.Dataset.from_arrays(X, Y)):
        assert same_bits(fitted(data).params_, reference)


def test_predict_and_predict_sequences():
    model = fitted()
    X, Y = toy_task(n=3, seed=5)
    ys = model.predict(X[0])
    assert ys.shape == (6, 1)
    np.testing.assert_array_equal(ys, rl.forward(model.params_, X[0])[0])
    listed = model.predict_sequences((X, Y))
    assert len(listed) == 3 and all(np.array_equal(p, model.predict(x)) for p, x in zip(listed, X))
    with pytest.raises(ValueError, match=r"xs must have shape \(any, 2\), got \(6, 3\)"):
        model.predict(np.zeros((6, 3)))


def test_using_a_model_before_fit_says_call_fit_first(tmp_path):
    model = rl.RNN()
    for call in (lambda: model.predict(np.zeros((2, 2))), lambda: model.predict_sequences(toy_task()),
                 lambda: model.save(tmp_path / "m")):
        with pytest.raises(rl.NotFittedError, match="call fit first"):
            call()


def test_divergence_stops_with_a_clear_error_and_finite_weights():
    model = rl.RNN(hidden_size=6, learning_rate=50.0, epochs=20, activation="identity", progress=False)
    with pytest.raises(rl.TrainingDiverged, match=r"diverged at epoch \d+, sequence '\d+'.*learning_rate.*clip_norm"):
        model.fit(toy_task())
    assert all(np.all(np.isfinite(v)) for v in model.params_.values())
    assert np.all(np.isfinite(model.loss_curve_))
    assert issubclass(rl.TrainingDiverged, FloatingPointError)


def test_clipping_tames_the_same_run():
    model = rl.RNN(hidden_size=6, learning_rate=0.5, epochs=10, clip_norm=1.0, progress=False).fit(toy_task())
    assert np.all(np.isfinite(model.loss_curve_))


def test_eval_every_records_history_and_logs_reports():
    stream = io.StringIO()
    log.setup_logging("info", stream=stream)
    X, Y = toy_task()
    model = rl.RNN(hidden_size=6, learning_rate=0.05, epochs=5, eval_every=2, progress=False,
                   evaluator=rl.RegressionEvaluator(0.2)).fit((X[:8], Y[:8]), validation=(X[8:], Y[8:]))
    assert [h["epoch"] for h in model.history_] == [2, 4, 5]
    last = model.history_[-1]
    assert last["loss"] == model.loss_curve_[-1]
    expected_val = np.mean([rl.mse_loss(model.predict(x), y)[0] for x, y in zip(X[8:], Y[8:])])
    assert last["validation_loss"] == pytest.approx(expected_val, rel=1e-14)
    assert last["validation"] == rl.RegressionEvaluator(0.2).evaluate(model.predict_sequences((X[8:], Y[8:])),
                                                                      list(Y[8:]))
    assert set(last["train"]) >= {"mae", "rmse", "mape", "r2", "within_threshold"}
    text = stream.getvalue()
    assert text.count("validation evaluation at epoch") == 3 and "epoch 5/5: loss" in text
    log.setup_logging("info")


def test_debug_logs_each_epoch_and_trace_each_sequence():
    stream = io.StringIO()
    log.setup_logging("trace", stream=stream)
    X, Y = toy_task(n=3)
    model = rl.RNN(hidden_size=3, epochs=2, progress=False).fit((X, Y))
    lines = stream.getvalue().splitlines()
    assert [line.split()[2] for line in lines] == ["TRACE"] * 3 + ["DEBUG"] + ["TRACE"] * 3 + ["DEBUG"]
    assert lines[-1].endswith(f"epoch 2/2: mean training loss {model.loss_curve_[-1]:.6g}")
    assert "epoch 1, sequence '2': loss" in lines[2] and "gradient norm" in lines[2]
    log.setup_logging("info")


def test_eval_every_without_evaluator_records_losses_only():
    model = fitted(epochs=3, eval_every=5)
    assert model.history_ == [{"epoch": 3, "loss": model.loss_curve_[-1]}]


def test_progress_bar_only_when_asked(capsys):
    fitted(epochs=2, progress=True)
    assert "training" in capsys.readouterr().err
    fitted(epochs=2, progress=False)
    fitted(epochs=2, progress="auto")  # well under the 2 s delay
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name, value, error", [
    ("hidden_size", 0, ValueError), ("hidden_size", 2.5, TypeError), ("learning_rate", -0.1, ValueError),
    ("learning_rate", "0.1", TypeError), ("epochs", 0, ValueError), ("activation", "softmax", ValueError),
    ("loss", "l1", ValueError), ("clip_norm", 0.0, ValueError), ("truncate", 0, ValueError),
    ("shuffle", "yes", TypeError), ("eval_every", 0, ValueError), ("evaluator", object(), TypeError),
    ("seed", -1, ValueError), ("seed", 1.5, TypeError), ("progress", "sometimes", ValueError),
])
def test_bad_hyperparameters_are_named_at_fit(name, value, error):
    with pytest.raises(error, match=name if name != "loss" else "unknown loss"):
        rl.RNN(**{name: value}).fit(toy_task())


def seq(seq_id, features, labels):
    return SimpleNamespace(id=seq_id, features=np.asarray(features, float), labels=np.asarray(labels, float))


@pytest.mark.parametrize("data, message", [
    ([], "train holds no sequences"),
    ((np.zeros((0, 3, 2)), np.zeros((0, 3, 1))), "train holds no sequences"),
    ([seq("a", np.zeros(3), np.zeros((3, 1)))], r"sequence 'a': features must have 2 dimension\(s\), got shape \(3,\)"),
    ([seq("a", np.zeros((3, 2)), np.zeros((2, 1)))], r"'a': features has shape \(3, 2\) and labels \(2, 1\)"),
    ([seq("a", np.zeros((3, 2)), np.zeros((3, 1))), seq("b", np.zeros((4, 3)), np.zeros((4, 1)))],
     r"sequence 'b' has features \(4, 3\) and labels \(4, 1\), but 2 features and 1 labels"),
    ([seq("a", [[0.0, np.nan]], [[1.0]])], "'a': features contains a non-finite value"),
    ((np.zeros((2, 3, 2)), np.zeros((3, 3, 1))), "X holds 2 sequences but Y holds 3"),
])
def test_bad_training_data(data, message):
    with pytest.raises(ValueError, match=message):
        rl.RNN(progress=False).fit(data)


def test_bad_data_types_and_validation_widths():
    with pytest.raises(TypeError, match="train must be a Dataset"):
        rl.RNN().fit(42)
    with pytest.raises(TypeError, match="item 0 has no .features"):
        rl.RNN().fit([np.zeros((3, 2))])
    X, Y = toy_task()
    with pytest.raises(ValueError, match="validation sequence '0'.*training set's"):
        rl.RNN(epochs=1).fit((X, Y), validation=(X[:, :, :1], Y))
    with pytest.raises(ValueError, match="must be 0 or 1"):
        rl.RNN(loss="bce").fit((X, Y))


# ---------------------------------------------------------------- save / load

def test_save_load_round_trip_is_exact(tmp_path):
    X, Y = binary_task()
    model = rl.RNN(hidden_size=4, learning_rate=0.3, epochs=4, loss="bce", eval_every=2, clip_norm=2.0,
                   evaluator=rl.BinaryClassificationEvaluator(0.4), progress=False).fit((X, Y))
    path = model.save(tmp_path / "model")
    assert path == tmp_path / "model.npz" and path.is_file()
    loaded = rl.RNN.load(path)
    assert same_bits(loaded.params_, model.params_)
    assert loaded.loss_curve_.tobytes() == model.loss_curve_.tobytes()
    assert loaded.history_ == model.history_
    params = loaded.get_params()
    assert repr(params.pop("evaluator")) == "BinaryClassificationEvaluator(threshold=0.4)"
    assert params == {k: v for k, v in model.get_params().items() if k != "evaluator"}
    assert (loaded.n_inputs_, loaded.n_outputs_) == (2, 1)
    for x in X:
        assert loaded.predict(x).tobytes() == model.predict(x).tobytes()


def test_saved_file_has_no_pickle(tmp_path):
    path = fitted().save(tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as archive:
        assert set(archive.files) == {*rl.PARAM_NAMES, "loss_curve", "state"}
        state = json.loads(archive["state"].tobytes().decode("utf-8"))
    assert state["hyperparameters"]["hidden_size"] == 6 and state["hyperparameters"]["evaluator"] is None


def test_load_refuses_missing_and_corrupt_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="no model file"):
        rl.RNN.load(tmp_path / "absent.npz")
    text = tmp_path / "text.npz"
    text.write_text("hello")
    good = fitted().save(tmp_path / "good.npz")
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[:300])
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    for path in (text, truncated, single):
        with pytest.raises(ValueError, match=rf"{path.name} is not a model saved by RNN.save"):
            rl.RNN.load(path)


def rewritten(tmp_path, change):
    """Save a fitted model, let ``change`` edit its arrays, write them back."""
    with np.load(fitted().save(tmp_path / "m.npz")) as archive:
        arrays = dict(archive)
    change(arrays)
    path = tmp_path / "edited.npz"
    np.savez(path, **arrays)
    return path


def state_edit(edit):
    def change(arrays):
        state = json.loads(arrays["state"].tobytes())
        edit(state)
        arrays["state"] = np.frombuffer(json.dumps(state).encode(), dtype=np.uint8)
    return change


@pytest.mark.parametrize("change, message", [
    (lambda a: a.pop("W_hh"), r"missing arrays \['W_hh'\]"),
    (lambda a: a.update(b_h=np.zeros(7)), r"params\['b_h'\] must have shape \(6,\)"),
    (lambda a: a.update(W_xh=np.full((2, 6), np.nan)), r"params\['W_xh'\] holds nan at index \(0, 0\)"),
    (lambda a: a.update(W_xh=np.zeros((2, 6), dtype=np.float32)), "float64"),
    (lambda a: a.update(state=np.frombuffer(b"{not json", dtype=np.uint8)), "'state' is not JSON"),
    (lambda a: a.update(loss_curve=np.zeros((2, 2))), "loss_curve must be a 1-D float64"),
    (state_edit(lambda s: s.update(format="other")), "does not describe a rnn_lesson.RNN model"),
    (state_edit(lambda s: s["hyperparameters"].update(hidden_size=7)), "hidden_size is 7"),
    (state_edit(lambda s: s["hyperparameters"].update(colour="red")), "unexpected keyword argument 'colour'"),
    (state_edit(lambda s: s["hyperparameters"].update(evaluator={"name": "Mine"})), "unknown evaluator"),
    (state_edit(lambda s: s["hyperparameters"].update(activation="swish")), "unknown activation"),
])
def test_load_refuses_inconsistent_models(tmp_path, change, message):
    path = rewritten(tmp_path, change)
    with pytest.raises(ValueError, match=rf"edited.npz is not a valid saved RNN: .*{message}"):
        rl.RNN.load(path)


# ------------------------------------------------------------ engine="fast"

def _toy_arrays(n=12, T=6, I=3, O=2, seed=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, T, I))
    Y = np.tanh(X[:, :, :O]) * 0.5
    return X, Y


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "identity"])
@pytest.mark.parametrize("shuffle", [False, True])
def test_fast_engine_gives_the_reference_numbers(activation, shuffle):
    data = _toy_arrays()
    common = dict(hidden_size=5, learning_rate=0.05, epochs=4, activation=activation, shuffle=shuffle,
                  seed=2, progress=False)
    reference = rl.RNN(**common).fit(data)
    fast = rl.RNN(**common, engine="fast").fit(data)
    for key in rl.PARAM_NAMES:
        np.testing.assert_allclose(fast.params_[key], reference.params_[key], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast.loss_curve_, reference.loss_curve_, rtol=1e-10, atol=1e-14)


def test_fast_engine_refuses_what_it_does_not_support():
    data = _toy_arrays()
    for extra in ({"loss": "bce"}, {"truncate": 2}):
        with pytest.raises(ValueError, match=f"engine='fast' supports.*{next(iter(extra))}"):
            rl.RNN(engine="fast", progress=False, **extra).fit((data[0], np.clip(data[1], 0, 1)))
    ragged = ([np.zeros((3, 3)), np.zeros((4, 3))], [np.zeros((3, 2)), np.zeros((4, 2))])
    with pytest.raises(ValueError, match=r"one length.*\[3, 4\]"):
        rl.RNN(engine="fast", progress=False).fit(ragged)
    with pytest.raises(ValueError, match="engine must be"):
        rl.RNN(engine="numba", progress=False).fit(data)


def test_fast_engine_divergence_keeps_finite_weights():
    X, Y = _toy_arrays()
    model = rl.RNN(hidden_size=5, learning_rate=1e8, epochs=3, activation="relu", engine="fast", progress=False)
    with pytest.raises(rl.TrainingDiverged, match="epoch 1"):
        model.fit((X * 100, Y))
    assert all(np.all(np.isfinite(v)) for v in model.params_.values())


def test_fast_engine_survives_save_and_load(tmp_path):
    model = rl.RNN(hidden_size=4, epochs=2, engine="fast", progress=False).fit(_toy_arrays())
    loaded = rl.RNN.load(model.save(tmp_path / "fast.npz"))
    assert loaded.engine == "fast"
    X, _ = _toy_arrays()
    np.testing.assert_array_equal(loaded.predict(X[0]), model.predict(X[0]))


# --------------------------------------------------------------- after_epoch

def hooked(after_epoch, **kw):
    kw = {"hidden_size": 6, "learning_rate": 0.05, "epochs": 8, "progress": False, **kw}
    return rl.RNN(**kw).fit(toy_task(), after_epoch=after_epoch)


def test_after_epoch_sees_every_epoch_with_the_model_up_to_date():
    seen = []

    def hook(epoch, model):
        seen.append((epoch, len(model.loss_curve_), [h["epoch"] for h in model.history_],
                     {k: v.copy() for k, v in model.params_.items()}))

    model = hooked(hook, epochs=4, eval_every=2)
    assert [s[:3] for s in seen] == [(1, 1, []), (2, 2, [2]), (3, 3, [2]), (4, 4, [2, 4])]
    plain = fitted(epochs=4, eval_every=2)
    assert same_bits(model.params_, plain.params_) and model.loss_curve_.tobytes() == plain.loss_curve_.tobytes()
    for epoch, *_, params in seen:  # after epoch k, the weights of a k-epoch fit
        assert same_bits(params, fitted(epochs=epoch).params_)


@pytest.mark.parametrize("engine", ["reference", "fast"])
def test_after_epoch_returning_true_stops_there(engine):
    model = hooked(lambda epoch, model: epoch == 3, epochs=10, eval_every=5, engine=engine)
    assert model.loss_curve_.shape == (3,) and same_bits(model.params_, fitted(epochs=3, engine=engine).params_)
    assert [h["epoch"] for h in model.history_] == [3]  # the last epoch run is recorded


def test_after_epoch_must_be_a_function_answering_true_false_or_none():
    with pytest.raises(TypeError, match=r"after_epoch must be a function after_epoch\(epoch, model\) or None"):
        hooked(3)
    for answer in (None, False, np.False_):
        assert hooked(lambda epoch, model, a=answer: a, epochs=2).loss_curve_.shape == (2,)
    assert hooked(lambda epoch, model: np.True_, epochs=2).loss_curve_.shape == (1,)
    with pytest.raises(TypeError, match="after_epoch must return None, False or True .*got float 0.25"):
        hooked(lambda epoch, model: 0.25, epochs=2)


def test_fast_engine_is_init_params_then_sgd_epoch_bit_for_bit():
    """What lessons 08 and 09 rely on: RNN(engine="fast") is their former hand-written loop, to the bit."""
    X, Y = _toy_arrays()
    model = rl.RNN(hidden_size=5, learning_rate=0.05, epochs=3, seed=4, engine="fast", progress=False).fit((X, Y))
    params = rl.init_params(X.shape[2], 5, Y.shape[2], seed=4)
    curve = [rl.fast.sgd_epoch(params, X, Y, 0.05) for _ in range(3)]
    assert same_bits(model.params_, params) and model.loss_curve_.tolist() == curve


def test_bce_needs_class_labels_in_validation_too():
    X, Y = binary_task()
    soft = Y.copy()
    soft[1, 2, 0] = 0.5
    with pytest.raises(ValueError, match=r"validation sequence '1': labels must be 0 or 1, found 0.5 "
                                         r"\(they are class labels\); loss='bce' needs them"):
        rl.RNN(loss="bce", progress=False).fit((X, Y), validation=(X, soft))
