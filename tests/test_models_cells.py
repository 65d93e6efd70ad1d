"""The estimator with any cell, in mini-batches, with the cross-entropy loss and other starting weights."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.cells import get_cell
from rnn_lesson.data.memory import recall_task
from rnn_lesson.layers import linear


def regression_task(n=6, steps=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, steps, 2))
    return X, np.cumsum(X[:, :, :1], axis=1) * 0.5


def hand_loop(cell_name, X, Y, hidden, learning_rate, epochs, batch_size, seed=0, clip_norm=None):
    """The training the estimator must do, written out with the cell, the layer and sgd_step."""
    cell = get_cell(cell_name)
    params = rl.RNN(cell=cell_name, hidden_size=hidden, seed=seed)
    params = rl.models.network.init(params, X.shape[2], Y.shape[2])
    for _ in range(epochs):
        for start in range(0, len(X), batch_size):
            xs = np.transpose(X[start:start + batch_size], (1, 0, 2))  # (T, B, I)
            targets = np.transpose(Y[start:start + batch_size], (1, 0, 2))
            hs, cell_cache = cell.forward({k: params[k] for k in ("W_xh", "W_hh", "b_h")}, xs)
            ys, layer_cache = linear.forward(hs, params["W_hy"], params["b_y"])
            dys = 2 * (ys - targets) / ys.size
            dW_hy, db_y, dhs = linear.backward(dys, layer_cache)
            grads = cell.backward(dhs, cell_cache)[0]
            rl.sgd_step(params, dict(grads, W_hy=dW_hy, b_y=db_y), learning_rate, clip_norm=clip_norm)
    return params


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("batch_size", [None, 4])
def test_every_cell_trains_as_the_hand_written_loop(cell, batch_size):
    X, Y = regression_task()
    model = rl.RNN(cell=cell, hidden_size=3, learning_rate=0.2, epochs=3, batch_size=batch_size, clip_norm=1.0,
                   progress=False).fit((X, Y))
    expected = hand_loop(cell, X, Y, 3, 0.2, 3, batch_size or 1, clip_norm=1.0)
    for key in rl.PARAM_NAMES:
        np.testing.assert_allclose(model.params_[key], expected[key], rtol=0, atol=1e-12)
    assert model.params_["W_hh"].shape == (3, {"rnn": 1, "lstm": 4, "gru": 3}[cell] * 3)


def test_batches_of_the_vanilla_cell_are_lesson_07s_minibatch_epoch_and_the_fast_engine():
    X, Y = regression_task(n=10)
    settings = dict(hidden_size=4, learning_rate=0.1, epochs=3, batch_size=4, progress=False)
    reference = rl.RNN(**settings).fit((X, Y))
    fast = rl.RNN(**settings, engine="fast").fit((X, Y))
    params = rl.init_params(2, 4, 1, seed=0)
    losses = [rl.performance.minibatch_epoch_reference(params, X, Y, 0.1, 4) for _ in range(3)]
    np.testing.assert_allclose(reference.loss_curve_, losses, rtol=1e-12)
    np.testing.assert_allclose(fast.loss_curve_, losses, rtol=1e-10)
    for key in rl.PARAM_NAMES:
        np.testing.assert_allclose(reference.params_[key], params[key], rtol=0, atol=1e-12)
        np.testing.assert_allclose(fast.params_[key], params[key], rtol=0, atol=1e-10)


def test_cross_entropy_learns_to_recall_a_symbol_and_predicts_probabilities():
    X, Y = recall_task(200, lag=3, seed=0)
    model = rl.RNN(cell="gru", hidden_size=8, learning_rate=0.5, epochs=15, loss="cross_entropy", batch_size=20,
                   clip_norm=1.0, shuffle=True, progress=False).fit((X, Y))
    assert model.n_outputs_ == 4
    probabilities = model.predict_sequences((X, Y))
    np.testing.assert_allclose(np.sum(probabilities, axis=-1), 1.0, rtol=1e-12)
    assert rl.class_accuracy(probabilities, Y) == 1.0
    assert model.loss_curve_[-1] < 0.1 < model.loss_curve_[0]


def test_validation_labels_must_be_training_classes():
    X, Y = recall_task(20, lag=2, n_symbols=3, seed=0)
    bad = Y.copy()
    bad[0, -1, 0] = 3
    with pytest.raises(ValueError, match="validation sequence '0' has class 3, but the training labels only go "
                                         "up to 2"):
        rl.RNN(loss="cross_entropy", epochs=1, progress=False).fit((X, Y), validation=(X, bad))
    bad[0, -1, 0] = 0.5
    with pytest.raises(ValueError, match="train sequence '0': label 0.5 at step 2 is neither a class index"):
        rl.RNN(loss="cross_entropy", epochs=1, progress=False).fit((X, bad))


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_recurrent_init_changes_only_w_hh(cell):
    normal = rl.RNN(cell=cell, hidden_size=5, forget_bias=2.0)
    fitted = {kind: rl.models.network.init(rl.RNN(cell=cell, hidden_size=5, recurrent_init=kind, forget_bias=2.0),
                                           3, 2)
              for kind in ("normal", "orthogonal", "identity")}
    gates = fitted["normal"]["W_hh"].shape[1] // 5
    for key in ("W_xh", "W_hy", "b_h", "b_y"):
        assert fitted["orthogonal"][key].tobytes() == fitted["normal"][key].tobytes()
    for k in range(gates):
        block = fitted["orthogonal"]["W_hh"][:, 5 * k:5 * (k + 1)]
        np.testing.assert_allclose(block.T @ block, np.eye(5), atol=1e-12)
        np.testing.assert_array_equal(fitted["identity"]["W_hh"][:, 5 * k:5 * (k + 1)], np.eye(5))
    keep_block = fitted["normal"]["b_h"][5:10]  # LSTM's f, GRU's z
    assert (cell != "rnn") == bool(keep_block.size and np.all(keep_block == 2.0))
    if cell == "rnn":
        expected = rl.init_params(3, 5, 2, seed=normal.seed)
        assert all(fitted["normal"][k].tobytes() == expected[k].tobytes() for k in rl.PARAM_NAMES)


def test_class_accuracy_counts_only_labelled_steps():
    probabilities = np.array([[[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]])
    labels = np.array([[[-1.0], [1.0], [1.0]]])
    assert rl.class_accuracy(probabilities, labels) == 0.5
    with pytest.raises(ValueError, match="nothing to score"):
        rl.class_accuracy(probabilities, np.full((1, 3, 1), -1.0))
    with pytest.raises(ValueError, match=r"labels 0 must have shape \(1, 3, 1\)"):
        rl.class_accuracy(probabilities, labels[..., 0])


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("batch_size, clip_norm, shuffle", [(None, None, False), (None, 0.5, True), (4, None, True),
                                                            (4, 0.5, False), (6, 0.5, False)])
def test_the_fast_engine_trains_every_cell_as_the_reference(cell, batch_size, clip_norm, shuffle):
    X, Y = regression_task(n=9)
    settings = dict(cell=cell, hidden_size=3, learning_rate=0.3, epochs=3, batch_size=batch_size, clip_norm=clip_norm,
                    shuffle=shuffle, forget_bias="chrono", progress=False)
    reference = rl.RNN(**settings).fit((X, Y))
    fast = rl.RNN(**settings, engine="fast").fit((X, Y))
    np.testing.assert_allclose(fast.loss_curve_, reference.loss_curve_, rtol=1e-10)
    for key in rl.PARAM_NAMES:
        np.testing.assert_allclose(fast.params_[key], reference.params_[key], rtol=1e-10, atol=1e-12, err_msg=key)


def test_the_fast_engine_undoes_a_diverging_epoch_of_a_gated_cell():
    X, Y = regression_task(n=8)
    model = rl.RNN(cell="gru", hidden_size=3, learning_rate=1e200, epochs=2, batch_size=4, engine="fast",
                   progress=False)
    with pytest.raises(rl.TrainingDiverged, match="epoch 1"):
        model.fit((X, Y * 1e200))
    assert all(np.all(np.isfinite(v)) for v in model.params_.values())


def test_different_lengths_refuse_batches():
    X, Y = regression_task()
    ragged = ([X[0], X[1, :3]], [Y[0], Y[1, :3]])
    with pytest.raises(ValueError, match=r"batch_size needs sequences of one length; .* lengths \[3, 5\]"):
        rl.RNN(batch_size=2, progress=False).fit(ragged)


def test_a_diverging_batch_is_named_and_undone():
    X, Y = regression_task(n=8)
    model = rl.RNN(cell="lstm", hidden_size=3, learning_rate=1e200, epochs=2, batch_size=4, progress=False)
    with pytest.raises(rl.TrainingDiverged, match=r"epoch 1, the batch of sequences 0\.\.3|epoch 1, the batch of "
                                                  r"sequences 4\.\.7"):
        model.fit((X * 1e150, Y))
    assert all(np.all(np.isfinite(p)) for p in model.params_.values())


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_predict_takes_a_batch_of_sequences_at_once(cell):
    X, Y = regression_task()
    model = rl.RNN(cell=cell, hidden_size=3, epochs=2, progress=False).fit((X, Y))
    batched = model.predict(X)
    assert batched.shape == Y.shape
    np.testing.assert_allclose(batched, np.stack(model.predict_sequences((X, Y))), rtol=0, atol=1e-14)
    with pytest.raises(ValueError, match=r"xs must have shape \(any, any, 2\)"):
        model.predict(X[..., :1])


def test_the_keep_gate_biases():
    def biases(cell, forget_bias, n_steps=41):
        model = rl.RNN(cell=cell, hidden_size=6, forget_bias=forget_bias, seed=2)
        return rl.models.network.init(model, 3, 2, n_steps)["b_h"].reshape(-1, 6)
    np.testing.assert_array_equal(biases("lstm", None), [[0] * 6, [1] * 6, [0] * 6, [0] * 6])
    np.testing.assert_array_equal(biases("gru", None), np.zeros((3, 6)))
    np.testing.assert_array_equal(biases("gru", 3.0)[1], [3.0] * 6)
    chrono = biases("lstm", "chrono")
    assert np.all((0 <= chrono[1]) & (chrono[1] <= np.log(40))) and np.ptp(chrono[1]) > 0
    np.testing.assert_array_equal(chrono[0], -chrono[1])
    assert np.all(chrono[2:] == 0)
    gru_chrono = biases("gru", "chrono")
    assert np.all(gru_chrono[0] == 0) and np.all(gru_chrono[1] > 0) and np.all(gru_chrono[2] == 0)
    assert biases("lstm", "chrono").tobytes() == chrono.tobytes()  # seeded
