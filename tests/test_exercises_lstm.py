"""The lesson 11 checker accepts a right LSTM step backward and names the gate, the step and the mistake in wrong ones."""
import numpy as np
import pytest

from rnn_lesson.cells import lstm
from rnn_lesson.exercises.lstm import HINTS, check_step_backward, mistaken_step_backward


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def step_backward(dh, dc, x, h_prev, c_prev, params, *, mistake=None):
    """A learner's step, written from scratch; ``mistake`` reproduces one classic error."""
    H = h_prev.shape[0]
    a = x @ params["W_xh"] + h_prev @ params["W_hh"] + params["b_h"]
    a_i, a_f, a_g, a_o = a[:H], a[H:2 * H], a[2 * H:3 * H], a[3 * H:]
    if mistake == "order":
        a_o, a_g = a_g, a_o
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
    c = f * c_prev + i * g
    tanh_c = np.tanh(c_prev if mistake == "tanh_c_prev" else c)
    do = dh * tanh_c
    dc = dc + (0 if mistake == "no_dh_path" else dh * o * (1 - tanh_c ** 2))
    di, df, dg = dc * g, dc * c_prev, dc * i
    if mistake == "sigmoid_at_a_f":
        da_f = df * a_f * (1 - a_f)
    else:
        da_f = df * f * (1 - f)
    da_i, da_g, da_o = di * i * (1 - i), dg * (1 - g ** 2), do * o * (1 - o)
    if mistake in ("order", "stacked_ifog"):  # CS231n's order, read and written or only written
        da = np.concatenate([da_i, da_f, da_o, da_g])
    elif mistake == "stacked_fiog":
        da = np.concatenate([da_f, da_i, da_o, da_g])
    else:
        da = np.concatenate([da_i, da_f, da_g, da_o])
    grads = {"W_xh": np.outer(x, da), "W_hh": np.outer(h_prev, da), "b_h": da}
    dc_prev = dc if mistake == "dc_prev_without_f" else dc * f
    return da @ params["W_xh"].T, da @ params["W_hh"].T, dc_prev, grads


def wrong(mistake):
    return lambda *args: step_backward(*args, mistake=mistake)


def test_the_right_step_passes():
    feedback = check_step_backward(step_backward)
    assert feedback.passed, feedback.message
    assert "all four gates" in feedback.message


def test_the_known_mistakes_are_one_edit_from_the_package():
    rng = np.random.default_rng(0)
    params = lstm.init_params(3, 4, seed=1)
    params["b_h"] += rng.standard_normal(16)
    _, _, cache = lstm.step_forward(params, rng.standard_normal(3), rng.standard_normal(4), rng.standard_normal(4))
    dh, dc = rng.standard_normal(4), rng.standard_normal(4)
    reference = lstm.step_backward(dh, dc, cache)
    variant = mistaken_step_backward(dh, dc, cache)
    for got, want in zip(variant[:3], reference[:3]):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)
    for key in reference[3]:
        np.testing.assert_allclose(variant[3][key], reference[3][key], rtol=1e-13, atol=1e-15)
    for mistake in HINTS:  # and each mistake really changes something
        changed = mistaken_step_backward(dh, dc, cache, mistake)
        assert not all(np.allclose(a, b) for a, b in zip(changed[:3], reference[:3])) or \
            not np.allclose(changed[3]["b_h"], reference[3]["b_h"]) or \
            not np.allclose(changed[3]["W_hh"], reference[3]["W_hh"]), mistake


@pytest.mark.parametrize("mistake, phrases", [
    ("no_dh_path", ["case 1 (one step, I=3, H=4), time step t=1", "input gate i is wrong", "Wrong too: forget gate f, candidate g.",
                    "missing the path through h_t"]),
    ("tanh_c_prev", ["input gate i is wrong", "output gate o", "you used tanh(c_prev)"]),
    ("sigmoid_at_a_f", ["forget gate f is wrong", "block f of db_h", "first difference at unit", "pre-activation a: a(1 - a)",
                        "f(1 - f)"]),
    ("order", ["input gate i is wrong", "Wrong too: forget gate f, candidate g, output gate o.",
               "you read the four blocks in the order i, f, o, g (the order of CS231n's LSTM assignment)",
               "order i, f, g, o"]),
    ("stacked_ifog", ["the gradient of the candidate g is wrong", "Wrong too: output gate o.",
                      "each gate's gradient is right, but you stacked da in the order i, f, o, g",
                      "da = [da_i, da_f, da_g, da_o]"]),
    ("stacked_fiog", ["the gradient of the input gate i is wrong",
                      "each gate's gradient is right, but in another block: you stacked da in the order f, i, o, g",
                      "order i, f, g, o"]),
    ("dc_prev_without_f", ["dc_prev", "unit", "dc_prev = dc ⊙ f: the forget gate stands between"]),
])
def test_each_classic_mistake_is_named(mistake, phrases):
    feedback = check_step_backward(wrong(mistake))
    assert not feedback.passed
    for phrase in phrases:
        assert phrase in feedback.message, (phrase, feedback.message)


def test_a_mistake_in_one_gate_only_names_that_gate():
    message = check_step_backward(wrong("sigmoid_at_a_f")).message
    assert "Wrong too" not in message and "input gate" not in message


def test_a_mistake_at_one_step_of_the_sequence_names_that_step():
    def wrong_at_step_2_of_4(dh, dc, x, h_prev, c_prev, params):
        dx, dh_prev, dc_prev, grads = step_backward(dh, dc, x, h_prev, c_prev, params)
        if x.shape == (2,) and np.array_equal(x, xs_case_2[1]):
            grads["b_h"] = grads["b_h"].copy()
            grads["b_h"][-1] += 0.1  # the last unit of the output gate
        return dx, dh_prev, dc_prev, grads

    from rnn_lesson.exercises.lstm import _cases
    xs_case_2 = _cases()[1][2]
    message = check_step_backward(wrong_at_step_2_of_4).message
    assert "case 2 (a sequence of T=4 steps, I=2, H=3), time step t=2 (of 1..4)" in message
    assert "output gate o is wrong" in message and "unit 2" in message


def test_dropping_the_incoming_dc_shows_at_every_step_and_is_named():
    def no_incoming(dh, dc, x, h_prev, c_prev, params):
        return step_backward(dh, np.zeros_like(dc), x, h_prev, c_prev, params)

    message = check_step_backward(no_incoming).message
    assert "case 1" in message and "input gate i is wrong" in message and "arrives from step t+1" in message


def test_wrong_weight_gradients_name_their_gate_and_the_formula():
    def h_for_c(dh, dc, x, h_prev, c_prev, params):
        dx, dh_prev, dc_prev, grads = step_backward(dh, dc, x, h_prev, c_prev, params)
        grads["W_hh"] = np.outer(c_prev, grads["b_h"])
        return dx, dh_prev, dc_prev, grads

    def transposed(dh, dc, x, h_prev, c_prev, params):
        dx, dh_prev, dc_prev, grads = step_backward(dh, dc, x, h_prev, c_prev, params)
        grads["W_xh"] = grads["W_xh"].T
        return dx, dh_prev, dc_prev, grads

    message = check_step_backward(h_for_c).message
    assert "dW_hh is wrong in the columns of the input gate i" in message and "not c_{t-1}" in message
    message = check_step_backward(transposed).message
    assert "dW_xh: shape (16, 3), expected (3, 16)" in message and "transposed" in message


def test_wrong_dh_prev_and_dx_get_their_formula():
    def half(dh, dc, x, h_prev, c_prev, params):
        dx, dh_prev, dc_prev, grads = step_backward(dh, dc, x, h_prev, c_prev, params)
        return dx, dh_prev / 2, dc_prev, grads

    def sign(dh, dc, x, h_prev, c_prev, params):
        dx, dh_prev, dc_prev, grads = step_backward(dh, dc, x, h_prev, c_prev, params)
        return -dx, dh_prev, dc_prev, grads

    assert "dh_prev = da @ W_hh.T" in check_step_backward(half).message
    assert "dx = da @ W_xh.T" in check_step_backward(sign).message


def test_the_stub_is_not_attempted_yet():
    def stub(dh, dc, x, h_prev, c_prev, params):
        dx = dh_prev = dc_prev = grads = None
        return dx, dh_prev, dc_prev, grads

    feedback = check_step_backward(stub)
    assert not feedback.passed and "not attempted yet" in feedback.message
    assert "not attempted yet" in check_step_backward(lambda *args: None).message


def test_exceptions_shapes_and_mutation_are_reported():
    def boom(dh, dc, x, h_prev, c_prev, params):
        return params["W_hy"]

    def three(dh, dc, x, h_prev, c_prev, params):
        return step_backward(dh, dc, x, h_prev, c_prev, params)[:3]

    def short_dc(dh, dc, x, h_prev, c_prev, params):
        dx, dh_prev, dc_prev, grads = step_backward(dh, dc, x, h_prev, c_prev, params)
        return dx, dh_prev, dc_prev[:-1], grads

    def mutates(dh, dc, x, h_prev, c_prev, params):
        result = step_backward(dh, dc, x, h_prev, c_prev, params)
        dh *= 2
        return result

    def mutates_params(dh, dc, x, h_prev, c_prev, params):
        result = step_backward(dh, dc, x, h_prev, c_prev, params)
        params["b_h"] += 1
        return result

    def no_grads_key(dh, dc, x, h_prev, c_prev, params):
        dx, dh_prev, dc_prev, grads = step_backward(dh, dc, x, h_prev, c_prev, params)
        del grads["W_hh"]
        return dx, dh_prev, dc_prev, grads

    assert "raised KeyError" in check_step_backward(boom).message
    assert "return four things" in check_step_backward(three).message
    message = check_step_backward(short_dc).message
    assert "dc_prev: shape (3,), expected (4,)" in message
    assert "changed one of its input arrays in place" in check_step_backward(mutates).message
    assert "changed params in place" in check_step_backward(mutates_params).message
    assert "missing ['W_hh']" in check_step_backward(no_grads_key).message
