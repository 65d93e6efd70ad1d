"""The vanilla cell: every gradient against finite differences, batches against loops, the errors."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.activations import ACTIVATIONS
from rnn_lesson.cells import rnn as cell
from rnn_lesson.layers import linear

ACTS = sorted(ACTIVATIONS)
I, H, T, N = 3, 4, 5, 2


def _problem(batched, with_h0, seed=0):
    """Seeded params (non-zero bias), xs, h0 (or None) and an upstream dhs."""
    rng = np.random.default_rng(100 + seed)
    params = cell.init_params(I, H, seed=seed)
    params["b_h"] += 0.1 * rng.standard_normal(H)
    lead = (T, N) if batched else (T,)
    xs = rng.standard_normal(lead + (I,))
    h0 = 0.5 * rng.standard_normal(lead[1:] + (H,)) if with_h0 else None
    return params, xs, h0, rng.standard_normal(lead + (H,))


def test_init_params_is_the_cell_part_of_the_wave1_params():
    p = cell.init_params(I, H, seed=3)
    assert {k: v.shape for k, v in p.items()} == {"W_xh": (I, H), "W_hh": (H, H), "b_h": (H,)}
    assert all(v.dtype == np.float64 for v in p.values())
    for seed, sizes in [(0, (3, 4, 2)), (7, (29, 10, 1)), (12, (1, 16, 3))]:
        mine, wave1 = cell.init_params(*sizes[:2], seed=seed), rl.init_params(*sizes, seed=seed)
        for k in cell.PARAM_NAMES:
            assert mine[k].tobytes() == wave1[k].tobytes(), (seed, k)
    assert not np.array_equal(p["W_xh"], cell.init_params(I, H, seed=4)["W_xh"])


@pytest.mark.parametrize("with_h0", [False, True], ids=["h0=None", "h0"])
@pytest.mark.parametrize("batched", [False, True], ids=["(T,I)", "(T,N,I)"])
@pytest.mark.parametrize("activation", ACTS)
def test_every_gradient_matches_finite_differences(activation, batched, with_h0):
    params, xs, h0, dhs = _problem(batched, with_h0)
    hs, cache = cell.forward(params, xs, h0=h0, activation=activation)
    grads, dxs, dh0 = cell.backward(dhs, cache)
    assert hs.shape == dhs.shape and dxs.shape == xs.shape and dh0.shape == dhs.shape[1:]
    inputs = {**params, "xs": xs.copy(), "h0": np.zeros_like(dh0) if h0 is None else h0.copy()}

    def hidden_states(a):
        return cell.forward({k: a[k] for k in cell.PARAM_NAMES}, a["xs"], h0=a["h0"], activation=activation)[0]

    numeric = rl.numerical_gradients(hidden_states, inputs, dhs)
    analytic = {**grads, "xs": dxs, "h0": dh0}
    for name, value in analytic.items():
        assert value.shape == numeric[name].shape, name
        assert rl.relative_error(value, numeric[name]) < 1e-7, name
    assert np.abs(dxs[0]).max() > 1e-3  # the gradient reached the first step through the recurrence
    assert rl.relative_error(grads["W_hh"].T, numeric["W_hh"]) > 1e-2  # the check can fail


def test_backward_adds_the_recurrent_gradient():
    params, xs, _, _ = _problem(False, False)
    _, cache = cell.forward(params, xs)
    only_last = np.zeros((T, H))
    only_last[-1] = 1.0
    _, dxs, dh0 = cell.backward(only_last, cache)
    assert np.all(np.abs(dxs).sum(axis=1) > 0) and np.any(dh0 != 0)


@pytest.mark.parametrize("activation", ACTS)
def test_a_batch_is_a_loop_over_its_sequences(activation):
    params, xs, h0, dhs = _problem(True, True, seed=1)
    hs, cache = cell.forward(params, xs, h0=h0, activation=activation)
    grads, dxs, dh0 = cell.backward(dhs, cache)
    total = {k: np.zeros_like(v) for k, v in grads.items()}
    for n in range(N):
        hs_n, cache_n = cell.forward(params, xs[:, n], h0=h0[n], activation=activation)
        np.testing.assert_allclose(hs[:, n], hs_n, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(cache["hs"][:, n], cache_n["hs"], rtol=1e-12, atol=1e-14)
        grads_n, dxs_n, dh0_n = cell.backward(dhs[:, n], cache_n)
        np.testing.assert_allclose(dxs[:, n], dxs_n, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(dh0[n], dh0_n, rtol=1e-12, atol=1e-14)
        for k in total:
            total[k] += grads_n[k]
    for k in total:
        np.testing.assert_allclose(grads[k], total[k], rtol=1e-12, atol=1e-14, err_msg=k)


def test_step_on_a_batch_of_rows_is_the_step_on_each_row():
    params, xs, h0, dhs = _problem(True, True, seed=2)
    h, step_cache = cell.step_forward(params, xs[0], h0, "sigmoid")
    dx, dh_prev, grads = cell.step_backward(dhs[0], step_cache)
    assert h.shape == (N, H) and dx.shape == (N, I) and dh_prev.shape == (N, H)
    total = {k: np.zeros_like(v) for k, v in grads.items()}
    for n in range(N):
        h_n, cache_n = cell.step_forward(params, xs[0, n], h0[n], "sigmoid")
        np.testing.assert_allclose(h[n], h_n, rtol=1e-14)
        dx_n, dh_prev_n, grads_n = cell.step_backward(dhs[0, n], cache_n)
        np.testing.assert_allclose(dx[n], dx_n, rtol=1e-14)
        np.testing.assert_allclose(dh_prev[n], dh_prev_n, rtol=1e-14)
        np.testing.assert_array_equal(grads_n["W_xh"], np.outer(xs[0, n], grads_n["b_h"]))  # one row: outer(x, dz)
        for k in total:
            total[k] += grads_n[k]
    for k in total:  # a batch: the rows' shares summed
        np.testing.assert_allclose(grads[k], total[k], rtol=1e-13, err_msg=k)


def test_wave1_network_is_the_cell_plus_the_linear_layer(small_problem):
    params, xs, dys = small_problem
    h0 = np.linspace(-0.5, 0.5, 4)
    ys, cache = rl.forward(params, xs, h0=h0, activation="sigmoid")
    hs, cell_cache = cell.forward(params, xs, h0=h0, activation="sigmoid")
    np.testing.assert_array_equal(cache["hs"], cell_cache["hs"])
    np.testing.assert_array_equal(cache["hs"][1:], hs)
    expected_ys, linear_cache = linear.forward(hs, params["W_hy"], params["b_y"])
    np.testing.assert_allclose(ys, expected_ys, rtol=1e-13, atol=1e-15)
    dW_hy, db_y, dhs = linear.backward(dys, linear_cache)
    cell_grads, _, _ = cell.backward(dhs, cell_cache)
    grads = rl.backward(dys, cache)
    for k, expected in {**cell_grads, "W_hy": dW_hy, "b_y": db_y}.items():
        np.testing.assert_allclose(grads[k], expected, rtol=1e-12, atol=1e-15, err_msg=k)
    _, dh_prev, step_grads = rl.step_backward(dys[0], np.zeros(4), cache["steps"][0])
    assert list(step_grads) == list(rl.PARAM_NAMES)


def test_the_cell_reads_only_its_own_keys():
    params, xs, _, dhs = _problem(False, False)
    hs, cache = cell.forward({**params, "W_hy": np.zeros((H, 2)), "extra": "ignored"}, xs)
    np.testing.assert_array_equal(hs, cell.forward(params, xs)[0])
    assert set(cell.backward(dhs, cache)[0]) == set(cell.PARAM_NAMES)


def test_registry():
    assert rl.cells.get_cell("rnn") is cell and rl.cells.CELLS["rnn"] is cell
    with pytest.raises(ValueError, match=r"unknown cell 'lstmm'; choose one of: .*rnn"):
        rl.cells.get_cell("lstmm")
    with pytest.raises(TypeError, match="name"):
        rl.cells.get_cell(cell)


def test_bad_inputs_are_named():
    params, xs, h0, dhs = _problem(True, True)
    with pytest.raises(ValueError, match=r"xs must have shape \(any, any, 3\), got \(5, 2, 4\)"):
        cell.forward(params, np.zeros((T, N, 4)))
    with pytest.raises(ValueError, match=r"xs must have shape \(any, 3\), got \(5, 2\)"):
        cell.forward(params, np.zeros((T, 2)))
    with pytest.raises(ValueError, match=r"\(T, I\) or time-major \(T, N, I\), got \(3,\)"):
        cell.forward(params, np.zeros(3))
    with pytest.raises(ValueError, match="at least one time step"):
        cell.forward(params, np.zeros((0, 3)))
    with pytest.raises(ValueError, match="at least one time step"):
        cell.forward(params, np.zeros((T, 0, 3)))
    with pytest.raises(ValueError, match=r"h0 must have shape \(2, 4\), got \(4,\)"):
        cell.forward(params, xs, h0=np.zeros(4))
    with pytest.raises(ValueError, match=r"h0 must have shape \(4,\), got \(2, 4\)"):
        cell.forward(params, xs[:, 0], h0=h0)
    with pytest.raises(ValueError, match="non-finite"):
        cell.forward(params, np.full((2, 3), np.nan))
    with pytest.raises(ValueError, match="unknown activation"):
        cell.forward(params, xs, activation="softmax")
    with pytest.raises(ValueError, match=r"missing \['b_h'\]"):
        cell.forward({"W_xh": params["W_xh"], "W_hh": params["W_hh"]}, xs)
    with pytest.raises(ValueError, match=r"params\['b_h'\] must have shape \(4,\), got \(4, 1\)"):
        cell.forward(dict(params, b_h=np.zeros((4, 1))), xs)
    _, cache = cell.forward(params, xs, h0=h0)
    with pytest.raises(ValueError, match=r"dhs must have shape \(5, 2, 4\), got \(5, 4\)"):
        cell.backward(dhs[:, 0], cache)
    with pytest.raises(TypeError, match=r"returned by rl.cells.rnn.forward"):
        cell.backward(dhs, cache["steps"])


def test_bad_step_inputs_are_named():
    params, xs, h0, dhs = _problem(True, True)
    with pytest.raises(ValueError, match=r"x must have shape \(3,\) or \(N, 3\), got \(2, 4\)"):
        cell.step_forward(params, np.zeros((2, 4)), h0)
    with pytest.raises(ValueError, match=r"h_prev must have shape \(2, 4\) .* got \(4,\)"):
        cell.step_forward(params, xs[0], np.zeros(4))
    with pytest.raises(TypeError, match="float64"):
        cell.step_forward(dict(params, W_xh=[[0.0] * 4] * 3), xs[0], h0)
    h, step_cache = cell.step_forward(params, xs[0], h0)
    with pytest.raises(ValueError, match=r"dh must have shape \(2, 4\)"):
        cell.step_backward(dhs[0, 0], step_cache)
    with pytest.raises(TypeError, match=r"\(params, x, h_prev, h, activation\)"):
        cell.step_backward(dhs[0], step_cache[:4])
    with pytest.raises(TypeError, match="returned by step_forward"):
        rl.step_backward(np.zeros(2), np.zeros(4), {"hs": h})


def test_a_cell_cache_is_not_a_network_cache():
    params, xs, _, _ = _problem(False, False)
    _, cache = cell.forward(params, xs)
    with pytest.raises(TypeError, match=r"returned by rl.forward\(params, xs\), not by a cell alone"):
        rl.backward(np.zeros((T, 2)), cache)
