"""The linear layer: the same y = h @ W + b at every position, with its three gradients."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.layers import linear

H, O = 4, 3
LEADS = [(), (5,), (5, 2)]  # one step, a sequence (T, H), a batch (T, N, H)


def _problem(lead, seed=0):
    rng = np.random.default_rng(seed)
    params = linear.init_params(H, O, seed=seed)
    params["b"] += 0.1 * rng.standard_normal(O)
    return params, rng.standard_normal(lead + (H,)), rng.standard_normal(lead + (O,))


def test_init_params():
    p = linear.init_params(H, O, seed=2)
    assert p["W"].shape == (H, O) and p["b"].shape == (O,) and not p["b"].any()
    assert p["W"].tobytes() == linear.init_params(H, O, seed=2)["W"].tobytes()
    assert not np.array_equal(p["W"], linear.init_params(H, O, seed=3)["W"])
    with pytest.raises(ValueError, match="n_outputs"):
        linear.init_params(H, 0)


@pytest.mark.parametrize("lead", LEADS, ids=str)
def test_forward_is_the_affine_map_at_every_position(lead):
    params, hs, _ = _problem(lead)
    ys, _ = linear.forward(hs, params["W"], params["b"])
    assert ys.shape == lead + (O,)
    for index in np.ndindex(lead):
        expected = [hs[index] @ params["W"][:, o] + params["b"][o] for o in range(O)]
        np.testing.assert_allclose(ys[index], expected, rtol=1e-14)


@pytest.mark.parametrize("lead", LEADS, ids=str)
def test_gradients_match_finite_differences(lead):
    params, hs, dys = _problem(lead, seed=1)
    ys, cache = linear.forward(hs, params["W"], params["b"])
    dW, db, dhs = linear.backward(dys, cache)
    numeric = rl.numerical_gradients(lambda a: linear.forward(a["hs"], a["W"], a["b"])[0],
                                     {**params, "hs": hs.copy()}, dys)
    for name, value in {"W": dW, "b": db, "hs": dhs}.items():
        assert value.shape == numeric[name].shape, name
        assert rl.relative_error(value, numeric[name]) < 1e-8, name
    assert rl.relative_error(dW.T.reshape(-1), numeric["W"].reshape(-1)) > 1e-2  # the check can fail


def test_a_sequence_is_the_sum_of_its_steps():
    params, hs, dys = _problem((5, 2), seed=2)
    _, cache = linear.forward(hs, params["W"], params["b"])
    dW, db, _ = linear.backward(dys, cache)
    np.testing.assert_allclose(dW, sum(np.outer(hs[t, n], dys[t, n]) for t in range(5) for n in range(2)),
                               rtol=1e-13)
    np.testing.assert_allclose(db, dys.sum(axis=(0, 1)), rtol=1e-13)
    one_dy = dys[0, 0].copy()
    _, db_one, _ = linear.backward(one_dy, linear.forward(hs[0, 0], params["W"], params["b"])[1])
    db_one += 1.0
    np.testing.assert_array_equal(one_dy, dys[0, 0])  # db of one step is not the caller's dy itself


def test_bad_inputs_are_named():
    params, hs, dys = _problem((5,))
    with pytest.raises(ValueError, match=r"hs must have shape \(\.\.\., 4\) to match W \(4, 3\), got \(5, 3\)"):
        linear.forward(hs[:, :3], params["W"], params["b"])
    with pytest.raises(ValueError, match=r"W must be a 2-D array"):
        linear.forward(hs, params["b"], params["b"])
    with pytest.raises(ValueError, match=r"b must have shape \(3,\)"):
        linear.forward(hs, params["W"], np.zeros(4))
    _, cache = linear.forward(hs, params["W"], params["b"])
    with pytest.raises(ValueError, match=r"dys must have shape \(5, 3\) \(the shape of ys\), got \(5, 2\)"):
        linear.backward(dys[:, :2], cache)
    with pytest.raises(TypeError, match=r"returned by rl.layers.linear.forward"):
        linear.backward(dys, hs)
