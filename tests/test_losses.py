import numpy as np
import pytest

import rnn_lesson as rl

RNG = np.random.default_rng(11)
YS = RNG.standard_normal((6, 2))
TARGETS = RNG.uniform(0, 1, size=(6, 2))


def test_mse_value_and_gradient():
    loss, dys = rl.mse_loss(YS, TARGETS)
    assert loss == pytest.approx(np.mean((YS - TARGETS) ** 2), rel=1e-15)
    numeric = rl.numerical_gradient(lambda y: rl.mse_loss(y, TARGETS)[0], YS.copy())
    assert rl.relative_error(dys, numeric) < 1e-7


def test_bce_value_and_gradient():
    loss, dys = rl.bce_with_logits_loss(YS, TARGETS)
    p = 1 / (1 + np.exp(-YS))
    assert loss == pytest.approx(np.mean(-TARGETS * np.log(p) - (1 - TARGETS) * np.log(1 - p)), rel=1e-12)
    numeric = rl.numerical_gradient(lambda y: rl.bce_with_logits_loss(y, TARGETS)[0], YS.copy())
    assert rl.relative_error(dys, numeric) < 1e-7


def test_bce_is_finite_for_extreme_logits():
    logits = np.array([[-800.0], [800.0], [0.0]])
    targets = np.array([[1.0], [0.0], [1.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss, grad = rl.bce_with_logits_loss(logits, targets)
    assert loss == pytest.approx((800 + 800 + np.log(2)) / 3)
    np.testing.assert_allclose(grad.ravel(), [-1 / 3, 1 / 3, -1 / 6])


def test_losses_backpropagate_through_the_rnn(small_problem):
    params, xs, _ = small_problem
    targets = np.random.default_rng(2).uniform(0, 1, (5, 2))
    for loss_fn in (rl.mse_loss, rl.bce_with_logits_loss):
        ys, cache = rl.forward(params, xs)
        _, dys = loss_fn(ys, targets)
        grads = rl.backward(dys, cache)
        numeric = rl.numerical_gradient(lambda w: loss_fn(rl.forward(params, xs)[0], targets)[0], params["W_hh"])
        assert rl.relative_error(grads["W_hh"], numeric) < 1e-7


def test_loss_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"ys has shape \(6, 2\) but targets has shape \(6, 1\)"):
        rl.mse_loss(YS, TARGETS[:, :1])
    with pytest.raises(ValueError, match="non-finite"):
        rl.mse_loss(np.full((2, 1), np.nan), np.zeros((2, 1)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        rl.bce_with_logits_loss(YS, TARGETS + 1)
    with pytest.raises(ValueError, match="empty"):
        rl.mse_loss(np.zeros((0, 1)), np.zeros((0, 1)))
    from rnn_lesson.losses import get_loss
    assert get_loss("mse") is rl.mse_loss
    with pytest.raises(ValueError, match="unknown loss"):
        get_loss("hinge")
