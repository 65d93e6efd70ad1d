"""The fixed-window MLP (rl.language.window_mlp): its backward against finite differences, training, refusals."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.language import window_mlp
from rnn_lesson.language.window_mlp import WindowMLP, init_params, loss_and_grads


def test_every_gradient_matches_finite_differences_in_float64():
    rng = np.random.default_rng(0)
    params = init_params(vocab_size=5, context=3, embed_size=4, hidden_size=6, seed=1)
    windows = rng.integers(0, 6, (7, 3))            # id 5 = NONE (no character) has its own row of C
    windows[0] = [2, 2, 2]                          # one id three times in a window: dC adds up
    targets = rng.integers(0, 5, 7)
    loss, grads = loss_and_grads(params, windows, targets)
    assert set(grads) == set(params) and all(params[k].dtype == np.float64 for k in params)
    for key in params:
        numeric = rl.numerical_gradient(lambda w, key=key: loss_and_grads({**params, key: w}, windows, targets)[0],
                                        params[key].copy())
        assert rl.relative_error(grads[key], numeric) < 1e-7, key
    assert loss == pytest.approx(window_mlp.mean_loss(params, windows, targets), rel=1e-12)


def test_the_first_loss_is_near_uniform_and_training_lowers_it():
    ids = np.tile([0, 1, 2, 3, 1, 2], 60)
    start = WindowMLP(context=2, hidden_size=16, epochs=1, learning_rate=1e-9).fit(ids, 4).loss(ids)
    assert abs(start - np.log(4)) < 0.05
    model = WindowMLP(context=2, hidden_size=16, epochs=30, learning_rate=0.03, batch_size=32, seed=3).fit(ids, 4)
    assert model.loss(ids) < 0.3 and len(model.loss_curve_) == 30
    again = WindowMLP(context=2, hidden_size=16, epochs=30, learning_rate=0.03, batch_size=32, seed=3).fit(ids, 4)
    assert again.loss(ids) == model.loss(ids)  # the same seed trains to the same numbers


def test_after_epoch_can_stop_training():
    ids = np.tile([0, 1, 2], 50)
    model = WindowMLP(context=2, hidden_size=4, epochs=5).fit(ids, 3, after_epoch=lambda epoch, m: epoch == 2)
    assert len(model.loss_curve_) == 2


@pytest.mark.parametrize("call, error, words", [
    (lambda: WindowMLP(learning_rate=0), ValueError, "learning_rate must be a finite number > 0"),
    (lambda: WindowMLP(epochs=0), ValueError, "epochs must be at least 1"),
    (lambda: WindowMLP().loss(np.array([0, 1])), ValueError, "not trained yet"),
    (lambda: init_params(5, context=0), ValueError, "context must be at least 1"),
    (lambda: loss_and_grads(init_params(5, 3, 4, 6), np.zeros((2, 2), int), np.zeros(2, int)), ValueError,
     "windows hold 2 characters of context but W1 expects 3"),
    (lambda: loss_and_grads(init_params(5, 3, 4, 6), np.zeros((2, 3), int), np.zeros(3, int)), ValueError,
     "one row per prediction"),
    (lambda: loss_and_grads(init_params(5, 3, 4, 6), np.full((2, 3), 6), np.zeros(2, int)), ValueError,
     "not in the vocabulary"),
    (lambda: loss_and_grads({"C": np.zeros((6, 4))}, np.zeros((2, 3), int), np.zeros(2, int)), ValueError,
     "params lacks"),
])
def test_bad_input_is_refused_in_words(call, error, words):
    with pytest.raises(error, match=words):
        call()
