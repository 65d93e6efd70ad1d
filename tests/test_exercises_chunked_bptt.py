"""Lesson 05's chunked truncated BPTT exercise: the checker passes a right pass and names wrong ones."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.exercises.chunked_bptt import check_chunked_epoch


def chunked(params, xs, targets, chunk, learning_rate, *, reset=False, one_update=False, drop_last=False,
            carry_after_update=False, loss_of_whole=False):
    """A learner's chunked pass; the keyword switches reproduce common mistakes."""
    losses, h = [], np.zeros(params["W_hh"].shape[0])
    total = {k: np.zeros_like(v) for k, v in params.items()}
    starts = range(0, len(xs) - (chunk - 1 if drop_last else 0), chunk)
    for start in starts:
        ys, cache = rl.forward(params, xs[start:start + chunk], h0=h)
        loss, dys = rl.mse_loss(ys, targets[start:start + chunk])
        grads = rl.backward(dys, cache)
        if one_update:
            for k in total:
                total[k] += grads[k]
        else:
            rl.sgd_step(params, grads, learning_rate)
        h = cache["hs"][-1]
        if carry_after_update:
            h = rl.forward(params, xs[start:start + chunk], h0=cache["hs"][0])[1]["hs"][-1]
        if reset:
            h = np.zeros_like(h)
        losses.append(loss)
    if one_update:
        rl.sgd_step(params, total, learning_rate)
    return [float(np.mean(losses))] if loss_of_whole else losses


def test_the_right_pass_passes():
    feedback = check_chunked_epoch(chunked)
    assert feedback.passed, feedback.message
    assert "shorter last chunk" in feedback.message


@pytest.mark.parametrize("mistake, phrase", [
    ({"reset": True}, "every chunk starts from h = 0"),
    ({"one_update": True}, "one update at the end"),
    ({"drop_last": True}, "last, shorter chunk is missing"),
    ({"carry_after_update": True}, "recomputed the carried state"),
    ({"loss_of_whole": True}, "one loss per chunk (5 here)"),
])
def test_mistakes_are_named(mistake, phrase):
    feedback = check_chunked_epoch(lambda *a: chunked(*a, **mistake))
    assert not feedback.passed
    assert phrase in feedback.message, feedback.message


def test_the_stub_and_malformed_answers():
    assert check_chunked_epoch(lambda *a: None).message.startswith("not attempted yet")
    assert "raised ZeroDivisionError" in check_chunked_epoch(lambda *a: 1 / 0).message

    def replaces(params, *args):
        params["W_hh"] = params["W_hh"] * 0.5
        return [0.0]

    assert "updated in place" in check_chunked_epoch(replaces).message
    feedback = check_chunked_epoch(lambda *a: "losses")
    assert not feedback.passed and "Correct" not in str(feedback)
