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


SCE_LOGITS = np.random.default_rng(21).standard_normal((4, 3, 5))  # (T, N, V)
SCE_TARGETS = np.random.default_rng(22).integers(0, 5, size=(4, 3))


def test_softmax_cross_entropy_value():
    loss, _ = rl.softmax_cross_entropy(SCE_LOGITS, SCE_TARGETS)
    by_hand = [-np.log(np.exp(SCE_LOGITS[t, n, SCE_TARGETS[t, n]]) / np.exp(SCE_LOGITS[t, n]).sum())
               for t in range(4) for n in range(3)]
    assert loss == pytest.approx(np.mean(by_hand), rel=1e-13)
    uniform, _ = rl.softmax_cross_entropy(np.zeros((2, 7)), [3, 6])
    assert uniform == pytest.approx(np.log(7), rel=1e-15)


@pytest.mark.parametrize("logits, targets", [
    (SCE_LOGITS, SCE_TARGETS), (SCE_LOGITS[:, 0], SCE_TARGETS[:, 0]), (SCE_LOGITS[0, 0], SCE_TARGETS[0, 0])],
    ids=["(T,N,V)", "(T,V)", "(V,)"])
def test_softmax_cross_entropy_gradient(logits, targets):
    loss, dlogits = rl.softmax_cross_entropy(logits, targets)
    assert dlogits.shape == logits.shape
    numeric = rl.numerical_gradient(lambda y: rl.softmax_cross_entropy(y, targets)[0], logits.copy())
    assert rl.relative_error(dlogits, numeric) < 1e-7
    np.testing.assert_allclose(dlogits.sum(axis=-1), 0.0, atol=1e-15)  # p sums to 1, the one-hot too


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [1e4, 1e4, -1e4]])
    import warnings
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        loss, dlogits = rl.softmax_cross_entropy(logits, [0, 0, 1])
    # row 0 is right with certainty, row 1 wrong by 2e4, row 2 a tie between two classes
    assert loss == pytest.approx((0.0 + 2e4 + np.log(2)) / 3, rel=1e-15)
    np.testing.assert_allclose(dlogits, np.array([[0, 0, 0], [-1, 1, 0], [0.5, -0.5, 0]]) / 3, atol=1e-16)


def test_softmax_cross_entropy_targets_are_checked():
    logits = np.zeros((2, 3, 4))
    good = np.zeros((2, 3), dtype=int)
    with pytest.raises(ValueError, match=r"targets\[1, 2\] = 4 is not a class index: expected 0 to 3"):
        rl.softmax_cross_entropy(logits, np.where(np.arange(6).reshape(2, 3) == 5, 4, good))
    with pytest.raises(ValueError, match=r"targets\[0, 1\] = -1"):
        rl.softmax_cross_entropy(logits, np.where(np.arange(6).reshape(2, 3) == 1, -1, good))
    with pytest.raises(TypeError, match=r"integer class indices, got dtype float64: targets\[0, 1\] = 1.5"):
        rl.softmax_cross_entropy(logits, [[0, 1.5, 0], [0, 0, 0]])
    with pytest.raises(TypeError, match=r"astype\(int\)"):
        rl.softmax_cross_entropy(logits, good.astype(float))
    with pytest.raises(TypeError, match="dtype bool"):
        rl.softmax_cross_entropy(logits, good.astype(bool))
    with pytest.raises(TypeError, match="integer class indices"):
        rl.softmax_cross_entropy(logits, [["a"] * 3] * 2)
    with pytest.raises(TypeError, match="got a string"):
        rl.softmax_cross_entropy(logits[0, 0], "2")
    with pytest.raises(ValueError, match=r"targets must have shape \(2, 3\) .*got \(3, 2\)"):
        rl.softmax_cross_entropy(logits, good.T)
    with pytest.raises(ValueError, match="non-finite"):
        rl.softmax_cross_entropy(np.full((2, 3), np.nan), [0, 1])
    with pytest.raises(ValueError, match="at least one position"):
        rl.softmax_cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int))


def test_cross_entropy_loss_leaves_out_the_steps_without_a_target():
    rng = np.random.default_rng(5)
    logits = rng.standard_normal((6, 4))
    labels = np.array([[-1.0], [2.0], [-1.0], [0.0], [3.0], [-1.0]])
    loss, dlogits = rl.losses.cross_entropy_loss(logits, labels)
    labelled = [1, 3, 4]
    expected, expected_grad = rl.softmax_cross_entropy(logits[labelled], np.array([2, 0, 3]))
    assert loss == expected
    np.testing.assert_array_equal(dlogits[labelled], expected_grad)
    assert np.all(dlogits[[0, 2, 5]] == 0)
    numeric = rl.numerical_gradient(lambda y: rl.losses.cross_entropy_loss(y, labels)[0], logits.copy())
    assert rl.relative_error(dlogits, numeric) < 1e-7
    assert rl.losses.cross_entropy_loss(logits, np.full((6, 1), -1.0)) == (0.0, pytest.approx(np.zeros((6, 4))))


@pytest.mark.parametrize("labels, message", [
    (np.array([[0.0], [1.5]]), r"labels\[1\] = 1.5 is neither a class index"),
    (np.array([[0.0], [-2.0]]), r"labels\[1\] = -2 is neither"),
    (np.array([[0.0], [4.0]]), r"labels\[1\] = 4 is neither a class index \(0 to 3 for 4 outputs\)"),
    (np.zeros((3, 1)), r"labels must have shape \(2, 1\)"),
])
def test_cross_entropy_loss_names_a_bad_label(labels, message):
    with pytest.raises(ValueError, match=message):
        rl.losses.cross_entropy_loss(np.zeros((2, 4)), labels)
