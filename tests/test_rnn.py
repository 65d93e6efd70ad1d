import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.activations import ACTIVATIONS

ACTS = sorted(ACTIVATIONS)


def test_init_params_shapes_and_reproducibility():
    p = rl.init_params(29, 10, 1, seed=3)
    assert {k: v.shape for k, v in p.items()} == {
        "W_xh": (29, 10), "W_hh": (10, 10), "W_hy": (10, 1), "b_h": (10,), "b_y": (1,)}
    q = rl.init_params(29, 10, 1, seed=3)
    for k in rl.PARAM_NAMES:
        assert p[k].dtype == np.float64
        assert p[k].tobytes() == q[k].tobytes()
    assert not np.array_equal(p["W_xh"], rl.init_params(29, 10, 1, seed=4)["W_xh"])


def test_forward_matches_the_equations(small_problem):
    params, xs, _ = small_problem
    ys, cache = rl.forward(params, xs)
    h = np.zeros(4)
    for t in range(5):
        h = np.tanh(xs[t] @ params["W_xh"] + h @ params["W_hh"] + params["b_h"])
        np.testing.assert_allclose(cache["hs"][t + 1], h, rtol=0, atol=1e-15)
        np.testing.assert_allclose(ys[t], h @ params["W_hy"] + params["b_y"], rtol=0, atol=1e-15)
    assert ys.shape == (5, 2) and cache["hs"].shape == (6, 4)


@pytest.mark.parametrize("activation", ACTS)
def test_backward_matches_numerical_gradient(small_problem, activation):
    params, xs, dys = small_problem
    h0 = np.linspace(-0.5, 0.5, 4)
    _, cache = rl.forward(params, xs, h0=h0, activation=activation)
    grads = rl.backward(dys, cache)
    numeric = rl.numerical_rnn_gradients(params, xs, dys, h0=h0, activation=activation)
    for k in rl.PARAM_NAMES:
        assert grads[k].shape == params[k].shape
        assert rl.relative_error(grads[k], numeric[k]) < 1e-7, k


def test_step_pair_agrees_with_sequence_pair(small_problem):
    params, xs, dys = small_problem
    ys, cache = rl.forward(params, xs, activation="sigmoid")
    h, caches = np.zeros(4), []
    for t, x in enumerate(xs):
        h, y, c = rl.step_forward(params, x, h, "sigmoid")
        caches.append(c)
        assert np.array_equal(y, ys[t])
    total = {k: np.zeros_like(v) for k, v in params.items()}
    dh = np.zeros(4)
    for t in reversed(range(len(xs))):
        _, dh, g = rl.step_backward(dys[t], dh, caches[t])
        for k in total:
            total[k] += g[k]
    grads = rl.backward(dys, cache)
    for k in total:
        np.testing.assert_array_equal(total[k], grads[k])


def test_step_backward_input_and_state_gradients(small_problem):
    params, xs, _ = small_problem
    rng = np.random.default_rng(5)
    x, h_prev = xs[0].copy(), rng.standard_normal(4)
    dy, dh_next = rng.standard_normal(2), rng.standard_normal(4)
    h, y, cache = rl.step_forward(params, x, h_prev)
    dx, dh_prev, _ = rl.step_backward(dy, dh_next, cache)

    def both(_):
        h, y, _ = rl.step_forward(params, x, h_prev)
        return np.concatenate([y, h])

    upstream = np.concatenate([dy, dh_next])
    assert rl.relative_error(dx, rl.numerical_gradient(both, x, upstream)) < 1e-8
    assert rl.relative_error(dh_prev, rl.numerical_gradient(both, h_prev, upstream)) < 1e-8


def test_initial_state_changes_the_output(small_problem):
    params, xs, _ = small_problem
    ys0, _ = rl.forward(params, xs)
    ys1, cache = rl.forward(params, xs, h0=np.ones(4))
    assert not np.allclose(ys0, ys1)
    assert np.array_equal(cache["hs"][0], np.ones(4))


def test_truncated_bptt(small_problem):
    params, xs, dys = small_problem
    _, cache = rl.forward(params, xs)
    full = rl.backward(dys, cache)
    for k in rl.PARAM_NAMES:  # k >= T is the full gradient
        np.testing.assert_allclose(rl.backward(dys, cache, truncate=5)[k], full[k], rtol=1e-14, atol=1e-15)
    one = rl.backward(dys, cache, truncate=1)
    # with k = 1 each output only reaches its own step: W_hh's gradient is sum_t outer(h_{t-1}, dz_t)
    expected = np.zeros((4, 4))
    for t in range(5):
        h_prev, h = cache["hs"][t], cache["hs"][t + 1]
        expected += np.outer(h_prev, (dys[t] @ params["W_hy"].T) * (1 - h * h))
    np.testing.assert_allclose(one["W_hh"], expected, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(one["W_hy"], full["W_hy"], rtol=1e-14, atol=1e-15)  # the output layer is never truncated
    # a brute-force reference: k-step truncation = sum over t of a k-step window started from a fixed state
    k = 2
    ref = {key: np.zeros_like(v) for key, v in params.items()}
    for t in range(5):
        start = max(0, t - k + 1)
        window_dys = np.zeros((t + 1 - start, 2))
        window_dys[-1] = dys[t]
        _, c = rl.forward(params, xs[start:t + 1], h0=cache["hs"][start])
        g = rl.backward(window_dys, c)
        for key in ref:
            ref[key] += g[key]
    two = rl.backward(dys, cache, truncate=2)
    for key in ref:
        np.testing.assert_allclose(two[key], ref[key], rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match="truncate"):
        rl.backward(dys, cache, truncate=0)


def test_forward_rejects_bad_input(small_problem):
    params, xs, dys = small_problem
    with pytest.raises(ValueError, match=r"xs must have shape \(any, 3\), got \(5, 4\)"):
        rl.forward(params, np.zeros((5, 4)))
    with pytest.raises(ValueError, match="2 dimension"):
        rl.forward(params, np.zeros(3))
    with pytest.raises(ValueError, match="at least one time step"):
        rl.forward(params, np.zeros((0, 3)))
    with pytest.raises(ValueError, match=r"h0 must have shape \(4,\)"):
        rl.forward(params, xs, h0=np.zeros(3))
    with pytest.raises(ValueError, match="non-finite"):
        rl.forward(params, np.full((2, 3), np.inf))
    with pytest.raises(ValueError, match="unknown activation"):
        rl.forward(params, xs, activation="softmax")
    with pytest.raises(ValueError, match="missing"):
        rl.forward({"W_xh": params["W_xh"]}, xs)
    bad = dict(params, W_hh=np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"params\['W_hh'\] must have shape \(4, 4\), got \(4, 5\)"):
        rl.forward(bad, xs)
    with pytest.raises(TypeError, match="float64"):
        rl.forward(dict(params, b_h=[0.0] * 4), xs)
    _, cache = rl.forward(params, xs)
    with pytest.raises(TypeError, match="returned by rl.forward"):
        rl.backward(dys, {"hs": cache["hs"]})
    with pytest.raises(TypeError, match="seed must be an int"):
        rl.init_params(3, 4, 2, seed="a")
    with pytest.raises(ValueError, match=r"dys must have shape \(5, 2\), got \(4, 2\)"):
        rl.backward(dys[:4], cache)


def test_a_hand_built_step_cache_and_a_batch_of_rows(small_problem):
    params, xs, dys = small_problem
    h_prev = np.linspace(-1, 1, 4)
    h, y, cache = rl.step_forward(params, xs[0], h_prev)
    by_hand = (params, xs[0], h_prev, np.tanh(xs[0] @ params["W_xh"] + h_prev @ params["W_hh"] + params["b_h"]), "tanh")
    dx, dh_prev, grads = rl.rnn.step_backward(dys[0], h_prev, cache)
    dx_hand, dh_prev_hand, grads_hand = rl.rnn.step_backward(dys[0], h_prev, by_hand)  # as the lesson-04 checker does
    np.testing.assert_array_equal(dx, dx_hand)
    np.testing.assert_array_equal(dh_prev, dh_prev_hand)
    assert list(grads_hand) == list(rl.PARAM_NAMES)
    for key in rl.PARAM_NAMES:
        np.testing.assert_array_equal(grads[key], grads_hand[key])
    hs, ys, batch_cache = rl.step_forward(params, xs[:3], np.zeros((3, 4)))  # three rows at once
    assert hs.shape == (3, 4) and ys.shape == (3, 2)
    np.testing.assert_allclose(ys[1], rl.step_forward(params, xs[1], np.zeros(4))[1], rtol=1e-14)
    dx, dh_prev, grads = rl.step_backward(dys[:3], np.zeros((3, 4)), batch_cache)
    assert dx.shape == (3, 3) and dh_prev.shape == (3, 4) and grads["b_y"].shape == (2,)
    np.testing.assert_allclose(grads["b_y"], dys[:3].sum(axis=0), rtol=1e-15)
    with pytest.raises(ValueError, match=r"dh_next must have shape \(4,\)"):
        rl.step_backward(dys[0], np.zeros(3), cache)
    with pytest.raises(ValueError, match=r"dys must have shape \(2,\)"):
        rl.step_backward(dys[0, :1], np.zeros(4), cache)
