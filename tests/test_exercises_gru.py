"""The lesson 12 checker accepts a right GRU step and names the gate, the time step and the mistake in wrong ones."""
import numpy as np
import pytest

from rnn_lesson.cells import gru
from rnn_lesson.exercises import gru as checker
from rnn_lesson.exercises.gru import MISTAKES, check_step_backward


def learner_step(dh, x, h_prev, params, *, reset_after=False, highway=True):
    """A learner's step written with np.split (a form apart from the checker's); two switchable mistakes."""
    (W_xr, W_xz, W_xn), (W_hr, W_hz, W_hn), (b_r, b_z, b_n) = (
        np.split(params[key], 3, axis=-1) for key in ("W_xh", "W_hh", "b_h"))
    r = 1 / (1 + np.exp(-(x @ W_xr + h_prev @ W_hr + b_r)))
    z = 1 / (1 + np.exp(-(x @ W_xz + h_prev @ W_hz + b_z)))
    product = h_prev @ W_hn
    n = np.tanh(x @ W_xn + (r * product if reset_after else (r * h_prev) @ W_hn) + b_n)
    da_n = dh * (1 - z) * (1 - n ** 2)
    if reset_after:  # the gradients of PyTorch's form, right for that cell
        da_r = da_n * product * r * (1 - r)
        dW_hn, dh_via_n = np.outer(h_prev, da_n * r), (da_n * r) @ W_hn.T
    else:
        d_reset = da_n @ W_hn.T
        da_r = d_reset * h_prev * r * (1 - r)
        dW_hn, dh_via_n = np.outer(r * h_prev, da_n), d_reset * r
    da_z = dh * (h_prev - n) * z * (1 - z)
    da = np.concatenate([da_r, da_z, da_n])
    grads = {"W_xh": np.outer(x, da), "W_hh": np.hstack([np.outer(h_prev, da_r), np.outer(h_prev, da_z), dW_hn]),
             "b_h": da}
    dh_prev = (dh * z if highway else 0) + dh_via_n + da_r @ W_hr.T + da_z @ W_hz.T
    return da @ params["W_xh"].T, dh_prev, grads


def test_a_right_step_passes():
    feedback = check_step_backward(learner_step)
    assert feedback.passed, feedback.message
    assert "every time step of both sequences" in feedback.message


def test_the_reference_of_the_mistakes_is_the_package_when_there_is_no_mistake():
    for _, params, xs, h0, dhs in checker._cases():
        h_prev = h0
        for x, dh in zip(xs, dhs):
            h, cache = gru.step_forward(params, x, h_prev)
            expected, got = gru.step_backward(dh, cache), checker._step(dh, x, h_prev, params)
            for want, value in zip(expected[:2], got[:2]):
                np.testing.assert_allclose(value, want, rtol=1e-13, atol=1e-15)
            for key in expected[2]:
                np.testing.assert_allclose(got[2][key], expected[2][key], rtol=1e-13, atol=1e-15)
            h_prev = h


WHERE = {  # each known mistake: the piece the checker reports first
    "reset_after": "the update gate z", "swapped": "the update gate z", "dz_sign": "the update gate z",
    "sigmoid_pre": "the update gate z", "dn_z": "the candidate n", "tanh_pre": "the candidate n",
    "dW_hn_h": "the candidate n, its block dW_hh[:, 8:12]", "da_r_no_h": "the reset gate r",
    "no_highway": "dh_prev", "no_reset_path": "dh_prev", "no_gate_paths": "dh_prev",
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_each_known_mistake_is_located_and_named(mistake):
    feedback = check_step_backward(lambda dh, x, h_prev, params: checker._step(dh, x, h_prev, params, mistake))
    assert not feedback.passed
    for phrase in ("case 1 (I=3, H=4, T=4), time step t=4 (of 1..4)", WHERE[mistake], MISTAKES[mistake]):
        assert phrase in feedback.message, (phrase, feedback.message)


def test_the_hints_tell_the_mistakes_apart():
    assert set(WHERE) == set(MISTAKES)
    assert len(set(MISTAKES.values())) == len(MISTAKES)


def test_a_learner_who_forgets_the_highway_is_told_so():
    message = check_step_backward(lambda *args: learner_step(*args, highway=False)).message
    assert "dh_prev" in message and "dh ⊙ z is missing" in message and "highway" in message


def test_a_learner_with_pytorchs_reset_gate_is_told_so():
    message = check_step_backward(lambda *args: learner_step(*args, reset_after=True)).message
    assert "the update gate z" in message and "PyTorch" in message and "before the product" in message


def test_an_unknown_mistake_is_located_without_a_hint():
    def doubles_one_block(dh, x, h_prev, params):
        dx, dh_prev, grads = learner_step(dh, x, h_prev, params)
        grads["W_hh"][:, 4:8] *= 2
        return dx, dh_prev, grads

    message = check_step_backward(doubles_one_block).message
    assert "time step t=4" in message and "the update gate z, its block dW_hh[:, 4:8]" in message
    assert "Hint" not in message


def test_the_untouched_stub_says_nothing_is_written_yet():
    for stub in (lambda dh, x, h_prev, params: (None, None, None), lambda dh, x, h_prev, params: None):
        feedback = check_step_backward(stub)
        assert not feedback.passed and "still returns None (the stub)" in feedback.message


def test_an_answer_that_raises_is_reported():
    message = check_step_backward(lambda dh, x, h_prev, params: params["W_xz"]).message
    assert "time step t=4" in message and "raised KeyError" in message


@pytest.mark.parametrize("change, phrase", [
    (lambda dx, dh_prev, grads: (dx[None, :], dh_prev, grads), "dx: shape (1, 3), expected (3,)"),
    (lambda dx, dh_prev, grads: (dx, dh_prev, {**grads, "W_xh": grads["W_xh"].T}), "It looks transposed"),
    (lambda dx, dh_prev, grads: (dx, dh_prev[:2], grads), "dh_prev: shape (2,), expected (4,)"),
    (lambda dx, dh_prev, grads: (dx, dh_prev), "return three things, `dx, dh_prev, grads`; got 2 values"),
    (lambda dx, dh_prev, grads: (dx, dh_prev, list(grads.values())), "grads must be a dict"),
    (lambda dx, dh_prev, grads: (dx, dh_prev, {k: grads[k] for k in ("W_xh", "W_hh")}), "missing ['b_h']"),
    (lambda dx, dh_prev, grads: (dx, "dh_prev", grads), "expected an array of numbers"),
])
def test_wrong_shapes_and_return_values_are_explained(change, phrase):
    message = check_step_backward(lambda *args: change(*learner_step(*args))).message
    assert phrase in message, message


def test_an_answer_that_changes_its_inputs_is_refused():
    def scales_dh(dh, x, h_prev, params):
        result = learner_step(dh.copy(), x, h_prev, params)
        dh *= 2
        return result

    def edits_params(dh, x, h_prev, params):
        params["b_h"][:] = 0.0
        return learner_step(dh, x, h_prev, params)

    assert "changed one of its input arrays in place" in check_step_backward(scales_dh).message
    assert "changed params in place" in check_step_backward(edits_params).message
