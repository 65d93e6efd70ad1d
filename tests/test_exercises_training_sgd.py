"""The lesson 05 checkers accept a right SGD step and epoch and name the mistake in wrong ones."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.exercises.training_sgd import check_sgd_step, check_train_epoch


def sgd_step(params, grads, learning_rate):
    for key in params:
        params[key] -= learning_rate * grads[key]


def test_a_right_step_passes():
    assert check_sgd_step(sgd_step).passed
    assert check_sgd_step(rl.sgd_step).passed


def test_a_step_that_builds_a_new_dict_is_told_about_in_place():
    def new_dict(params, grads, learning_rate):
        return {k: params[k] - learning_rate * grads[k] for k in params}

    message = check_sgd_step(new_dict).message
    assert "params['W_xh'] did not change" in message and "in place" in message
    assert "returned the right new values" in message


@pytest.mark.parametrize("step, phrase", [
    (lambda p, g, lr: [p[k].__iadd__(lr * g[k]) for k in p], "uphill"),
    (lambda p, g, lr: [p[k].__isub__(g[k]) for k in p], "learning rate is missing"),
    (lambda p, g, lr: [p[k].__isub__(g[k] / lr) for k in p], "not grad / learning_rate"),
])
def test_step_mistakes_are_named(step, phrase):
    message = check_sgd_step(step).message
    assert phrase in message and "case 1" in message and "largest |difference|" in message


def test_a_step_that_forgets_one_parameter_names_it():
    def skips_b_y(params, grads, learning_rate):
        for key in ("W_xh", "W_hh", "W_hy", "b_h"):
            params[key] -= learning_rate * grads[key]

    message = check_sgd_step(skips_b_y).message
    assert "params['b_y'] did not change" in message


def test_a_step_that_changes_the_gradients():
    def clips_in_place(params, grads, learning_rate):
        rl.clip_by_global_norm(grads, 0.5)
        sgd_step(params, grads, learning_rate)

    assert "changed grads['W_xh']" in check_sgd_step(clips_in_place).message


def train_epoch(params, sequences, learning_rate, *, loss_after=False, batch=False, total=False):
    """A learner's epoch; the keyword switches reproduce common mistakes."""
    losses, summed = [], {k: np.zeros_like(v) for k, v in params.items()}
    for xs, targets in sequences:
        ys, cache = rl.forward(params, xs)
        loss, dys = rl.mse_loss(ys, targets)
        grads = rl.backward(dys, cache)
        if batch:
            for k in summed:
                summed[k] += grads[k] / len(sequences)
        else:
            rl.sgd_step(params, grads, learning_rate)
        losses.append(rl.mse_loss(rl.forward(params, xs)[0], targets)[0] if loss_after else loss)
    if batch:
        rl.sgd_step(params, summed, learning_rate)
    return float(np.sum(losses) if total else np.mean(losses))


def test_a_right_epoch_passes():
    feedback = check_train_epoch(train_epoch)
    assert feedback.passed, feedback.message


@pytest.mark.parametrize("mistake, phrases", [
    ({"loss_after": True}, ["the returned mean loss, case 1", "before its own update"]),
    ({"total": True}, ["the returned mean loss", "sum of the sequences' losses"]),
    ({"batch": True}, ["params['W_xh'] after the epoch", "full-batch"]),
])
def test_epoch_mistakes_are_named(mistake, phrases):
    message = check_train_epoch(lambda p, s, lr: train_epoch(p, s, lr, **mistake)).message
    for phrase in phrases:
        assert phrase in message, (phrase, message)


def test_an_epoch_that_never_updates():
    def forward_only(params, sequences, learning_rate):
        return float(np.mean([rl.mse_loss(rl.forward(params, xs)[0], t)[0] for xs, t in sequences]))

    assert "did not change at all" in check_train_epoch(forward_only).message


def test_an_epoch_wrong_from_the_second_sequence_is_located():
    def reuses_the_first_gradient(params, sequences, learning_rate):
        losses, first = [], None
        for xs, targets in sequences:
            ys, cache = rl.forward(params, xs)
            loss, dys = rl.mse_loss(ys, targets)
            grads = rl.backward(dys, cache)
            first = grads if first is None else first
            rl.sgd_step(params, {k: v.copy() for k, v in first.items()}, learning_rate)
            losses.append(loss)
        return float(np.mean(losses))

    message = check_train_epoch(reuses_the_first_gradient).message
    assert "already wrong after sequence 2 of the epoch" in message


def test_an_epoch_that_changes_the_data_or_returns_nothing():
    def scales_data(params, sequences, learning_rate):
        for xs, _ in sequences:
            xs *= 2
        return train_epoch(params, sequences, learning_rate)

    def no_return(params, sequences, learning_rate):
        train_epoch(params, sequences, learning_rate)

    assert "changed the training data" in check_train_epoch(scales_data).message
    assert "returned None" in check_train_epoch(no_return).message
