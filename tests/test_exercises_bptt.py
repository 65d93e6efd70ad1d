"""The lesson 04 checkers accept a right backward pass and name the mistake in wrong ones."""
import numpy as np
import pytest

from rnn_lesson.exercises.bptt import check_bptt, check_step_backward


def step_backward(dy, dh_next, x, h_prev, h, params, *, derivative_at=None, carry=True,
                  transpose_hh=False, dh_prev_transpose=True):
    """A learner's step; the keyword switches reproduce common mistakes."""
    dh = dy @ params["W_hy"].T + (dh_next if carry else 0.0)
    at = h if derivative_at is None else derivative_at
    dz = dh * (1 - at ** 2)
    grads = {"W_xh": np.outer(x, dz),
             "W_hh": np.outer(dz, h_prev) if transpose_hh else np.outer(h_prev, dz),
             "W_hy": np.outer(h, dy), "b_h": dz, "b_y": dy}
    dh_prev = dz @ (params["W_hh"].T if dh_prev_transpose else params["W_hh"])
    return dh_prev, grads


def bptt(params, xs, hs, dys, *, carry=True, accumulate=True, step=step_backward):
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    dh_next = np.zeros(hs.shape[1])
    for t in reversed(range(len(xs))):
        dh_prev, g = step(dys[t], dh_next, xs[t], hs[t], hs[t + 1], params)
        for k in grads:
            grads[k] = grads[k] + g[k] if accumulate else g[k]
        dh_next = dh_prev if carry else np.zeros_like(dh_prev)
    return grads


def test_a_right_step_passes():
    feedback = check_step_backward(step_backward)
    assert feedback.passed, feedback.message
    assert "every time step" in feedback.message


@pytest.mark.parametrize("mistake, expected", [
    ({"transpose_hh": True}, ["dW_hh", "t=5 (of 1..5)", "transpose", "np.outer(h_prev, dz)"]),
    ({"carry": False}, ["dW_xh", "t=4", "without dh_next", "largest |difference|"]),
    ({"dh_prev_transpose": False}, ["dh_prev", "t=5", "without the transpose"]),
])
def test_step_mistakes_are_named(mistake, expected):
    feedback = check_step_backward(lambda *args: step_backward(*args, **mistake))
    assert not feedback.passed
    for phrase in expected:
        assert phrase in feedback.message, (phrase, feedback.message)


def test_the_derivative_taken_at_the_wrong_place_is_named():
    def tanh_again(dy, dh_next, x, h_prev, h, params):
        return step_backward(dy, dh_next, x, h_prev, h, params, derivative_at=np.tanh(h))

    def pre_activation(dy, dh_next, x, h_prev, h, params):
        z = x @ params["W_xh"] + h_prev @ params["W_hh"] + params["b_h"]
        return step_backward(dy, dh_next, x, h_prev, h, params, derivative_at=z)

    def no_derivative(dy, dh_next, x, h_prev, h, params):
        return step_backward(dy, dh_next, x, h_prev, h, params, derivative_at=np.zeros_like(h))

    assert "1 - tanh(h)**2" in check_step_backward(tanh_again).message
    assert "pre-activation z" in check_step_backward(pre_activation).message
    assert "derivative is missing" in check_step_backward(no_derivative).message


def test_step_shape_and_return_problems():
    def returns_one(dy, dh_next, x, h_prev, h, params):
        return step_backward(dy, dh_next, x, h_prev, h, params)[1]

    def transposed_xh(dy, dh_next, x, h_prev, h, params):
        dh_prev, grads = step_backward(dy, dh_next, x, h_prev, h, params)
        grads["W_xh"] = grads["W_xh"].T
        return dh_prev, grads

    def forgets_a_key(dy, dh_next, x, h_prev, h, params):
        dh_prev, grads = step_backward(dy, dh_next, x, h_prev, h, params)
        del grads["b_y"]
        return dh_prev, grads

    assert "return a pair (dh_prev, grads)" in check_step_backward(returns_one).message
    message = check_step_backward(transposed_xh).message
    assert "dW_xh" in message and "shape (4, 3), expected (3, 4)" in message and "transpose" in message
    assert "missing ['b_y']" in check_step_backward(forgets_a_key).message


def test_a_right_bptt_passes():
    feedback = check_bptt(bptt)
    assert feedback.passed, feedback.message


def test_bptt_without_the_path_through_time():
    message = check_bptt(lambda *a: bptt(*a, carry=False)).message
    assert "dW_xh for case 1" in message and "truncate=1" in message


def test_bptt_that_overwrites_instead_of_accumulating():
    message = check_bptt(lambda *a: bptt(*a, accumulate=False)).message
    assert "first time step's share alone" in message and "+=" in message


def test_bptt_localises_a_wrong_step():
    def wrong_at_step_2(params, xs, hs, dys):
        def step(dy, dh_next, x, h_prev, h, p):
            dh_prev, g = step_backward(dy, dh_next, x, h_prev, h, p)
            if np.array_equal(x, xs[2]):
                g["W_hh"] = 2 * g["W_hh"]
            return dh_prev, g
        return bptt(params, xs, hs, dys, step=step)

    message = check_bptt(wrong_at_step_2).message
    assert "dW_hh for case 1" in message and "loss at time step t=3 only" in message


def test_bptt_that_never_adds_up():
    def zeros(params, xs, hs, dys):
        return {k: np.zeros_like(v) for k, v in params.items()}

    assert "all zeros" in check_bptt(zeros).message


def test_bptt_reports_exceptions_and_wrong_types():
    def boom(params, xs, hs, dys):
        return params["W_xy"]

    assert "raised KeyError" in check_bptt(boom).message
    assert "must be a dict" in check_bptt(lambda *a: [1, 2]).message


def bptt_with(params, xs, hs, dys, derivative, carry=True):
    """A learner's BPTT with the activation derivative ``derivative(h)``."""
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    dh_next = np.zeros(hs.shape[1])
    for t in reversed(range(len(xs))):
        dh = dys[t] @ params["W_hy"].T + dh_next
        dz = dh * derivative(hs[t + 1])
        for name, value in [("W_xh", np.outer(xs[t], dz)), ("W_hh", np.outer(hs[t], dz)),
                            ("W_hy", np.outer(hs[t + 1], dys[t])), ("b_h", dz), ("b_y", dys[t])]:
            grads[name] += value
        dh_next = dz @ params["W_hh"].T if carry else np.zeros_like(dh_next)
    return grads


@pytest.mark.parametrize("activation, derivative", [("sigmoid", lambda h: h * (1 - h)),
                                                     ("relu", lambda h: (h > 0).astype(float))])
def test_bptt_for_another_activation_passes(activation, derivative):
    from rnn_lesson.exercises.bptt import check_bptt_activation
    feedback = check_bptt_activation(lambda *a: bptt_with(*a, derivative), activation)
    assert feedback.passed, feedback.message
    assert activation in feedback.message


@pytest.mark.parametrize("derivative, carry, phrase", [
    (lambda h: 1 - h ** 2, True, "kept tanh's derivative"),
    (lambda h: np.ones_like(h), True, "derivative is missing"),
    (lambda h: h * (1 - h), False, "without the path through time"),
    (lambda h: (1 / (1 + np.exp(-h))) * (1 - 1 / (1 + np.exp(-h))), True, "applied the sigmoid to h again"),
])
def test_sigmoid_mistakes_are_named(derivative, carry, phrase):
    from rnn_lesson.exercises.bptt import check_bptt_activation
    feedback = check_bptt_activation(lambda *a: bptt_with(*a, derivative, carry=carry), "sigmoid")
    assert not feedback.passed
    assert phrase in feedback.message, feedback.message


def test_bptt_activation_refuses_an_unknown_activation_and_malformed_answers():
    from rnn_lesson.exercises.bptt import check_bptt_activation
    with pytest.raises(ValueError, match="'sigmoid' or 'relu'"):
        check_bptt_activation(lambda *a: None, "tanh")
    assert "must be a dict" in check_bptt_activation(lambda *a: [1, 2]).message
    assert "raised KeyError" in check_bptt_activation(lambda p, *a: p["nope"]).message


def test_bptt_activation_stub_is_not_attempted_yet():
    from rnn_lesson.exercises.bptt import check_bptt_activation
    feedback = check_bptt_activation(lambda *a: None)
    assert not feedback.passed and feedback.message.startswith("not attempted yet")
