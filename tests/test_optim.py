import numpy as np
import pytest

import rnn_lesson as rl


def _grads(params, value):
    return {k: np.full_like(v, value) for k, v in params.items()}


def test_sgd_step_updates_in_place():
    params = rl.init_params(2, 3, 1, seed=0)
    before = {k: v.copy() for k, v in params.items()}
    ids = {k: id(v) for k, v in params.items()}
    rl.sgd_step(params, _grads(params, 2.0), 0.5)
    for k in params:
        assert id(params[k]) == ids[k]
        np.testing.assert_array_equal(params[k], before[k] - 1.0)


def test_clipping_by_global_norm():
    params = rl.init_params(2, 3, 1, seed=0)
    grads = _grads(params, 1.0)
    n = sum(v.size for v in params.values())
    norm = rl.clip_by_global_norm(grads, 1.0)
    assert norm == pytest.approx(np.sqrt(n))
    assert rl.global_norm(grads) == pytest.approx(1.0)
    small = _grads(params, 1e-3)
    rl.clip_by_global_norm(small, 1.0)  # under the limit: untouched
    assert all(np.all(g == 1e-3) for g in small.values())


def test_sgd_with_clip_keeps_direction():
    params = rl.init_params(2, 3, 1, seed=0)
    before = {k: v.copy() for k, v in params.items()}
    grads = {k: np.random.default_rng(1).standard_normal(v.shape) * 100 for k, v in params.items()}
    raw = {k: g.copy() for k, g in grads.items()}
    norm = rl.sgd_step(params, grads, 0.1, clip_norm=5.0)
    assert norm == pytest.approx(rl.global_norm(raw))
    step = {k: before[k] - params[k] for k in params}
    assert rl.global_norm(step) == pytest.approx(0.5)
    for k in params:
        np.testing.assert_allclose(step[k], 0.1 * raw[k] * 5.0 / norm, rtol=1e-12)


def test_diverged_gradients_are_refused_and_params_kept():
    params = rl.init_params(2, 3, 1, seed=0)
    before = {k: v.copy() for k, v in params.items()}
    grads = _grads(params, 1.0)
    grads["W_hh"][0, 0] = np.nan
    with pytest.raises(FloatingPointError, match="diverged"):
        rl.sgd_step(params, grads, 0.1)
    with pytest.raises(FloatingPointError, match="diverged"):
        rl.sgd_step(params, grads, 0.1, clip_norm=1.0)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])


def test_bad_arguments():
    params = rl.init_params(2, 3, 1, seed=0)
    with pytest.raises(ValueError, match="learning_rate"):
        rl.sgd_step(params, _grads(params, 1.0), -0.1)
    with pytest.raises(ValueError, match="keys"):
        rl.sgd_step(params, {"W_xh": params["W_xh"]}, 0.1)
    wrong = _grads(params, 1.0)
    wrong["b_h"] = np.zeros(4)
    with pytest.raises(ValueError, match=r"grads\['b_h'\] has shape \(4,\)"):
        rl.sgd_step(params, wrong, 0.1)
    with pytest.raises(ValueError, match="clip_norm"):
        rl.sgd_step(params, _grads(params, 1.0), 0.1, clip_norm=0)
