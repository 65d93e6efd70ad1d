"""The checkers of lessons 14 (Adam's step) and 15 (the masked loss): right answers pass, wrong ones are named."""
import numpy as np
import pytest

from rnn_lesson.exercises import deep_and_bidirectional as masked, training_toolkit as adam
from rnn_lesson.layers.masking import masked_mse


def learner_adam(param, grad, m, v, t, learning_rate, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return param - learning_rate * m_hat / (np.sqrt(v_hat) + eps), m, v


def learner_adam_in_place(param, grad, m, v, t, learning_rate, beta1, beta2, eps):
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad * grad
    param -= learning_rate / (1 - beta1 ** t) * m / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return param, m, v


def test_a_right_adam_step_passes_and_one_that_changes_its_inputs_is_told():
    feedback = adam.check_adam_step(learner_adam)
    assert feedback.passed, feedback.message
    message = adam.check_adam_step(learner_adam_in_place).message
    assert "changed one of its input arrays in place" in message


def test_the_reference_of_the_mistakes_is_rl_adam_without_a_mistake():
    for _, param, grads, (lr, b1, b2, eps) in adam._cases():
        m = v = np.zeros_like(param)
        p = param
        for t, grad in enumerate(grads, start=1):
            mine = adam._step(p, grad, m, v, t, lr, b1, b2, eps)
            theirs = learner_adam(p, grad, m, v, t, lr, b1, b2, eps)
            for a, b in zip(mine, theirs):
                np.testing.assert_allclose(a, b, rtol=1e-13)
            p, m, v = mine


WHERE = {"no_correction": "param", "t_from_zero": "param", "eps_inside": "param", "v_from_g": ", v:",
         "no_one_minus": ", m:", "plus": "param"}


@pytest.mark.parametrize("mistake", sorted(adam.MISTAKES))
def test_each_adam_mistake_is_named(mistake):
    feedback = adam.check_adam_step(lambda *args: adam._step(*args, mistake=mistake))
    assert not feedback.passed
    assert adam.MISTAKES[mistake] in feedback.message and WHERE[mistake] in feedback.message, feedback.message
    assert "case 1 (lr=0.01, beta1=0.9, beta2=0.999), step t=" in feedback.message


def test_adam_stub_and_malformed_answers():
    assert "not attempted yet" in adam.check_adam_step(lambda *a: None).message
    assert "not attempted yet" in adam.check_adam_step(lambda *a: (None, None, None)).message
    assert "return three things" in adam.check_adam_step(lambda p, g, *a: p).message
    assert "shape" in adam.check_adam_step(lambda p, g, m, v, *a: (p, m[:2], v)).message
    message = adam.check_adam_step(lambda *a: learner_adam(*a)[:2] + (learner_adam(*a)[2].astype(complex),)).message
    assert "complex" in message and ", v:" in message
    assert not adam.check_adam_step(lambda p, g, m, v, *a: (p, m, v)).passed


def learner_masked(ys, targets, mask):
    keep = mask[:, :, None]
    count = mask.sum() * ys.shape[2]
    return float(np.sum(keep * (ys - targets) ** 2) / count), 2 * keep * (ys - targets) / count


def test_a_right_masked_loss_passes():
    feedback = masked.check_masked_mse(learner_masked)
    assert feedback.passed, feedback.message
    for _, ys, targets, mask in masked._cases():
        for a, b in zip(masked._mistake(ys, targets, mask, None), masked_mse(ys, targets, mask)):
            np.testing.assert_allclose(a, b, rtol=1e-14)


@pytest.mark.parametrize("mistake", sorted(masked.MISTAKES))
def test_each_masked_loss_mistake_is_named(mistake):
    feedback = masked.check_masked_mse(lambda ys, t, m: masked._mistake(ys, t, m, mistake))
    assert not feedback.passed and masked.MISTAKES[mistake] in feedback.message, feedback.message
    assert feedback.message.startswith("case ")


def test_masked_loss_stub_and_malformed_answers():
    assert "not attempted yet" in masked.check_masked_mse(lambda *a: None).message
    assert "return two things" in masked.check_masked_mse(lambda ys, t, m: ys).message
    assert "one number" in masked.check_masked_mse(lambda ys, t, m: (ys, ys)).message
    assert "dys: shape" in masked.check_masked_mse(lambda ys, t, m: (masked_mse(ys, t, m)[0], ys[0])).message
    message = masked.check_masked_mse(lambda ys, t, m: ("0.5", ys)).message
    assert "strings" in message
