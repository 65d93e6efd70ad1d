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


# ------------------------------------------------------- exercise 3: reduce on plateau (a hook)
from rnn_lesson.exercises import training_toolkit as plateau  # noqa: E402
from rnn_lesson.optim import Adam  # noqa: E402
from rnn_lesson.schedules import Cosine, Scheduled  # noqa: E402


class LearnerPlateau:
    """A learner's hook as an object with __call__ (the notebook's solution, a closure, is run by
    test_notebook_solutions)."""

    def __init__(self, patience, factor):
        self.patience, self.factor, self.best, self.waited = patience, factor, np.inf, 0

    def __call__(self, epoch, model):
        loss = model.history_[-1]["validation_loss"]
        self.best, self.waited = (loss, 0) if loss < self.best else (self.best, self.waited + 1)
        if self.waited == self.patience:
            model.optimizer_.learning_rate *= self.factor
            self.waited = 0
        return False


def plateau_with(patience, factor, key="validation_loss", strict=True, last_only=False, restart=True, wait=0,
                 lower=None):
    """A learner's hook with one slip: the loss read, <= for <, the previous loss for the best, no restart, ..."""
    state = {"best": np.inf, "previous": np.inf, "waited": 0}
    lower = lower or (lambda model: setattr(model.optimizer_, "learning_rate", model.optimizer_.learning_rate * factor))

    def hook(epoch, model):
        loss = model.history_[-1][key]
        reference = state["previous"] if last_only else state["best"]
        improved = loss < reference if strict else loss <= reference
        state["best"], state["previous"] = min(state["best"], loss), loss
        state["waited"] = 0 if improved else state["waited"] + 1
        if state["waited"] == patience + wait or (not restart and state["waited"] > patience):
            lower(model)
            if restart:
                state["waited"] = 0
    return hook


def test_a_right_plateau_hook_passes():
    for answer in (LearnerPlateau, plateau.reference_plateau_hook):
        feedback = plateau.check_reduce_on_plateau(answer)
        assert feedback.passed, feedback.message


LEARNER_SLIPS = {
    "never": lambda patience, factor: (lambda epoch, model: None),
    "every_epoch": lambda patience, factor: (lambda epoch, model: setattr(
        model.optimizer_, "learning_rate", model.optimizer_.learning_rate * factor)),
    "no_restart": lambda patience, factor: plateau_with(patience, factor, restart=False),
    "equal_counts": lambda patience, factor: plateau_with(patience, factor, strict=False),
    "one_late": lambda patience, factor: plateau_with(patience, factor, wait=1),   # torch's `> patience`
    "one_early": lambda patience, factor: plateau_with(patience, factor, wait=-1),
    "last_only": lambda patience, factor: plateau_with(patience, factor, last_only=True),
    "training_loss": lambda patience, factor: plateau_with(patience, factor, key="loss"),
    "fixed_value": lambda patience, factor: plateau_with(   # rate = the hyperparameter * factor, every time
        patience, factor, lower=lambda model: setattr(model.optimizer_, "learning_rate", model.learning_rate * factor)),
}


@pytest.mark.parametrize("mistake", sorted(plateau.PLATEAU_MISTAKES))
def test_each_plateau_slip_is_named(mistake):
    feedback = plateau.check_reduce_on_plateau(LEARNER_SLIPS[mistake])
    assert not feedback.passed
    assert plateau.PLATEAU_MISTAKES[mistake] in feedback.message, feedback.message
    assert "case 1 (patience=3, factor=0.5), epoch " in feedback.message and "expected" in feedback.message


def test_every_slip_gives_rates_apart_from_the_right_ones_and_from_each_other():
    for patience, factor, losses in plateau.PLATEAU_CASES:
        rates = {name: tuple(plateau._plateau_rates(losses, patience, factor, 0.01, name))
                 for name in [None, *plateau.PLATEAU_MISTAKES]}
        assert len(set(rates.values())) == len(rates)


def lowering(change):
    """A right plateau hook that lowers the rate of the wrong object: ``change(model, factor)``."""
    return lambda patience, factor: plateau_with(patience, factor, lower=lambda model: change(model, factor))


MY_OWN = Scheduled(Adam(0.01), Cosine(100))   # the learner's optimizer object, given to the RNN: fit trains a copy


def test_a_hook_that_lowers_the_wrong_object_is_told_which_one_to_change():
    def given(model, factor):
        model.optimizer.learning_rate *= factor
    message = plateau.check_reduce_on_plateau(lowering(given)).message
    assert "you changed model.optimizer, the optimizer given to the RNN" in message and "epoch 5" in message

    def hyperparameter(model, factor):
        model.learning_rate *= factor
    assert "you changed model.learning_rate, a hyperparameter" in plateau.check_reduce_on_plateau(
        lowering(hyperparameter)).message

    def inner(model, factor):
        model.optimizer_.optimizer.learning_rate *= factor
    assert "sets it anew before every step from its base" in plateau.check_reduce_on_plateau(lowering(inner)).message

    def my_own(model, factor):   # silently nothing, in a real fit: the checker says where the rate lives
        MY_OWN.learning_rate *= factor
    message = plateau.check_reduce_on_plateau(lowering(my_own)).message
    assert plateau.PLATEAU_MISTAKES["never"] in message and "changing an optimizer object of your own" in message


def test_plateau_stub_and_malformed_answers():
    assert "not attempted yet" in plateau.check_reduce_on_plateau(lambda patience, factor: None).message
    assert "must be a function (patience, factor)" in plateau.check_reduce_on_plateau(None).message
    assert "must return a hook" in plateau.check_reduce_on_plateau(lambda patience, factor: 3).message
    message = plateau.check_reduce_on_plateau(lambda patience, factor: (lambda epoch, model: True)).message
    assert "your hook returned True" in message and "True would stop training" in message
    message = plateau.check_reduce_on_plateau(
        lambda patience, factor: (lambda epoch, model: model.history_[-1]["val_loss"])).message
    assert "epoch 1: your hook raised KeyError" in message
    assert "raised TypeError" in plateau.check_reduce_on_plateau(lambda patience: None).message


def test_the_real_fit_is_compared_with_the_reference():
    assert plateau._in_fit(LearnerPlateau, plateau.reference_plateau_hook) is None
    message = plateau._in_fit(LEARNER_SLIPS["never"], plateau.reference_plateau_hook)
    assert "in a real fit, the rate of model.optimizer_ ended at 0.1, expected 0.025" in message

    def given(model, factor):
        model.optimizer.learning_rate *= factor
    message = plateau._in_fit(lowering(given), plateau.reference_plateau_hook)
    assert "ValueError: after_epoch changed the hyperparameter optimizer of the RNN" in message
