"""Lesson 13's stateful epoch exercise: the solution passes, the stub is 'not attempted yet', mistakes are named."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.exercises import stateful_epoch
from rnn_lesson.exercises.stateful_epoch import MISTAKES, check_stateful_epoch

CARRIED = {}  # the state a learner wrongly keeps between calls


def epoch(cell, params, ids, batch_size, seq_len, optimizer, clip_norm, *, reset=False, interleaved=False,
          reverse=False, one_update=False, no_clip=False, drop_last=False, plain_mean=False, carry_over=False,
          batch_major=False):
    """A learner's epoch written from lm_loss_and_grads; each keyword reproduces one mistake."""
    n = (len(ids) - 1) // batch_size
    if interleaved:
        streams, nexts = ids[:batch_size * n].reshape(n, batch_size).T, ids[1:batch_size * n + 1].reshape(n, batch_size).T
    else:
        streams, nexts = ids[:batch_size * n].reshape(batch_size, n), ids[1:batch_size * n + 1].reshape(batch_size, n)
    state = rl.language.zero_state(cell, batch_size, params["W_hh"].shape[0])
    if carry_over and "state" in CARRIED:
        state = CARRIED["state"]
    starts = list(range(0, n - (seq_len - 1 if drop_last else 0), seq_len))
    total, count, losses, summed = 0.0, 0, [], None
    for start in starts[::-1] if reverse else starts:
        inputs, targets = streams[:, start:start + seq_len], nexts[:, start:start + seq_len]
        if not batch_major:
            inputs, targets = inputs.T, targets.T
        chunk_state = rl.language.zero_state(cell, batch_size, params["W_hh"].shape[0]) if reset else state
        loss, grads, state = rl.language.lm_loss_and_grads(cell, params, np.ascontiguousarray(inputs),
                                                           np.ascontiguousarray(targets), chunk_state)
        if one_update:
            summed = grads if summed is None else {k: summed[k] + grads[k] for k in grads}
        else:
            optimizer.step(params, grads, clip_norm=None if no_clip else clip_norm)
        total, count = total + loss * inputs.size, count + inputs.size
        losses.append(loss)
    if one_update:
        optimizer.step(params, summed, clip_norm=clip_norm)
    CARRIED["state"] = state
    return float(np.mean(losses)) if plain_mean else total / count


def test_the_solution_passes_and_the_reference_is_charlm():
    feedback = check_stateful_epoch(epoch)
    assert feedback.passed, feedback.message
    assert "two epochs" in feedback.message
    # the checker's own reference epoch is exactly CharLM's training
    for _, cell, text, batch_size, seq_len, hidden, rate, clip, seed in stateful_epoch._cases():
        vocab = rl.language.Vocabulary.from_text(text)
        params = rl.language.init_params(cell, len(vocab), hidden, seed)
        loss, _ = stateful_epoch.reference_epoch(cell, params, vocab.encode(text), batch_size, seq_len,
                                                 rl.optim.Adam(rate), clip)
        model = rl.CharLM(cell=cell, hidden_size=hidden, seq_len=seq_len, batch_size=batch_size, learning_rate=rate,
                          clip_norm=clip, epochs=1, seed=seed, progress=False).fit(text)
        assert loss == pytest.approx(model.loss_curve_[0], rel=1e-12)
        for key, value in model.params_.items():
            np.testing.assert_allclose(params[key], value, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("mistake, key", [
    ({"reset": True}, "reset"),
    ({"interleaved": True}, "interleaved"),
    ({"reverse": True}, "reversed"),
    ({"one_update": True}, "one_update"),
    ({"no_clip": True}, "no_clip"),
    ({"drop_last": True}, "drop_last"),
    ({"plain_mean": True}, "plain_mean"),
    ({"carry_over": True}, "carried_over"),
])
def test_each_mistake_is_named(mistake, key):
    CARRIED.clear()
    feedback = check_stateful_epoch(lambda *args: epoch(*args, **mistake))
    assert not feedback.passed
    assert MISTAKES[key] in feedback.message, feedback.message


def test_every_mistake_changes_what_is_checked():
    """No mistake is invisible in either case: each gives another loss or other weights than CharLM's."""
    for _, cell, text, batch_size, seq_len, hidden, rate, clip, seed in stateful_epoch._cases():
        vocab = rl.language.Vocabulary.from_text(text)
        ids = vocab.encode(text)
        expected = stateful_epoch._expected(cell, text, batch_size, seq_len, hidden, rate, clip, seed)
        wrong = stateful_epoch._wrong(cell, ids, len(vocab), batch_size, seq_len, hidden, rate, clip, seed)
        for mistake, runs in wrong.items():
            differs = [not np.isclose(runs[e][0], expected[e][0], rtol=1e-7) or
                       any(not np.allclose(runs[e][1][k], expected[e][1][k], rtol=1e-7) for k in runs[e][1])
                       for e in (0, 1)]
            assert any(differs), (cell, mistake)


def test_the_stub_and_malformed_answers():
    assert check_stateful_epoch(lambda *a: None).message.startswith("not attempted yet")
    assert "raised ZeroDivisionError" in check_stateful_epoch(lambda *a: 1 / 0).message
    untransposed = check_stateful_epoch(lambda *a: epoch(*a, batch_major=True))
    assert not untransposed.passed and "time-major, (T, B)" in untransposed.message, untransposed.message
    assert "one number" in check_stateful_epoch(lambda *a: [epoch(*a)]).message

    def replaces(cell, params, *args):
        params["W_hy"] = params["W_hy"] * 1.0
        return 1.0
    assert "updated in place" in check_stateful_epoch(replaces).message
    nothing = check_stateful_epoch(lambda *a: 3.0)
    assert not nothing.passed and "mean training loss" in nothing.message
