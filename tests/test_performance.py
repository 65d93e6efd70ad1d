"""The lesson's versions v0-v4 and the batched reference give the reference loop's numbers."""
import time

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson import performance as pf

SHAPES = [(6, 5, 3, 4, 2), (4, 1, 2, 1, 1)]  # (N, T, I, H, O); the second has T = 1 and H = 1


def _problem(n_seq, n_steps, n_in, n_hid, n_out, seed=0):
    rng = np.random.default_rng(seed)
    params = rl.init_params(n_in, n_hid, n_out, seed=seed + 1)
    return params, rng.standard_normal((n_seq, n_steps, n_in)), rng.standard_normal((n_seq, n_steps, n_out))


def _extra_args(name, shape):
    if name in ("v3 workspace", "v4 numba"):
        return (rl.fast.Workspace(*shape[1:]),)
    return ()


@pytest.mark.parametrize("name", list(pf.VERSIONS))
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_every_version_matches_the_reference_loop(name, shape):
    params, X, Y = _problem(*shape)
    mine, reference = pf.copy_params(params), pf.copy_params(params)
    for _ in range(2):
        loss = pf.VERSIONS[name](mine, X, Y, 0.05, *_extra_args(name, shape))
        expected = pf.sgd_epoch_reference(reference, X, Y, 0.05)
        assert loss == pytest.approx(expected, rel=1e-10)
        for key in rl.PARAM_NAMES:
            np.testing.assert_allclose(mine[key], reference[key], rtol=1e-10, atol=1e-12, err_msg=key)


def test_the_versions_update_the_callers_arrays_in_place():
    params, X, Y = _problem(*SHAPES[0])
    for name, version in pf.VERSIONS.items():
        weights = pf.copy_params(params)
        arrays = dict(weights)
        version(weights, X, Y, 0.05)
        assert all(weights[k] is arrays[k] for k in rl.PARAM_NAMES), name
        assert not np.array_equal(weights["W_xh"], params["W_xh"]), name


def test_train_sequence_in_place_needs_only_h0_and_dh_next_zero():
    params, X, Y = _problem(*SHAPES[0])
    ws = rl.fast.Workspace(5, 3, 4, 2)
    for array in ws.buffers().values():
        array[...] = 123.0
    ws.hs[0] = 0.0
    ws.dh_next[...] = 0.0
    mine, reference = pf.copy_params(params), pf.copy_params(params)
    loss = pf.train_sequence_in_place(mine, X[0], Y[0], 0.05, ws)
    assert loss == pytest.approx(pf.sgd_epoch_reference(reference, X[:1], Y[:1], 0.05), rel=1e-12)
    for key in rl.PARAM_NAMES:
        np.testing.assert_allclose(mine[key], reference[key], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "identity"])
def test_batch_forward_rows_are_the_reference_forward(activation):
    params, X, _ = _problem(*SHAPES[0])
    ys, hs = pf.batch_forward(params, X, activation)
    for n in range(len(X)):
        expected_ys, cache = rl.forward(params, X[n], activation=activation)
        np.testing.assert_allclose(ys[n], expected_ys, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(hs[n], cache["hs"], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "identity"])
def test_the_batch_gradient_is_the_mean_of_the_per_sequence_gradients(activation):
    params, X, Y = _problem(*SHAPES[0], seed=4)
    ys, hs = pf.batch_forward(params, X, activation)
    diff = ys - Y
    batch_grads = pf.batch_backward(params, X, hs, 2.0 * diff / diff.size, activation)  # gradient of the batch mean
    per_sequence = []
    for n in range(len(X)):
        ys_n, cache = rl.forward(params, X[n], activation=activation)
        _, dys = rl.mse_loss(ys_n, Y[n])
        per_sequence.append(rl.backward(dys, cache))
    for key in rl.PARAM_NAMES:
        mean = np.mean([g[key] for g in per_sequence], axis=0)
        np.testing.assert_allclose(batch_grads[key], mean, rtol=1e-10, atol=1e-14, err_msg=key)


def test_minibatch_reference_with_batches_of_one_is_the_reference_loop():
    params, X, Y = _problem(*SHAPES[0])
    batched, reference = pf.copy_params(params), pf.copy_params(params)
    assert pf.minibatch_epoch_reference(batched, X, Y, 0.05, 1) == pytest.approx(
        pf.sgd_epoch_reference(reference, X, Y, 0.05), rel=1e-12)
    for key in rl.PARAM_NAMES:
        np.testing.assert_allclose(batched[key], reference[key], rtol=1e-10, atol=1e-14)


def test_time_per_sequence_leaves_the_weights_alone():
    params, X, Y = _problem(*SHAPES[0])
    before = pf.copy_params(params)
    seconds = pf.time_per_sequence(pf.sgd_epoch_v1_no_copies, params, X, Y, 0.05, repeats=3,
                                   timer=time.process_time)
    assert isinstance(seconds, float) and seconds > 0
    for key in rl.PARAM_NAMES:
        np.testing.assert_array_equal(params[key], before[key])


def test_peak_bytes_sees_the_temporaries_a_workspace_removes():
    params, X, Y = _problem(40, 10, 29, 64, 1)
    naive = pf.peak_bytes_per_sequence(pf.sgd_epoch_v0_naive, params, X[0], Y[0], 0.05)
    no_temporaries = pf.peak_bytes_per_sequence(pf.sgd_epoch_v2_no_temporaries, params, X[0], Y[0], 0.05)
    workspace = rl.fast.Workspace(10, 29, 64, 1)
    reused = pf.peak_bytes_per_sequence(pf.sgd_epoch_v3_workspace, params, X[0], Y[0], 0.05, workspace)
    assert naive > 10 * 29 * 64 * 8  # v0 holds copies of W_xh and the per-step gradients: > 10 matrices
    assert no_temporaries >= workspace.nbytes - sum(a.nbytes for a in workspace.saved.values())
    assert reused < no_temporaries / 10  # what remains are the interpreter's small objects (views, floats)


def test_rl_performance_is_the_story_module_in_fast():
    assert rl.performance is pf is rl.fast.performance_story


@pytest.mark.parametrize("version", [pf.sgd_epoch_v1_whole_sequence, pf.sgd_epoch_v2_step_by_step],
                         ids=["v1b whole sequence", "v2a step by step"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_v2s_two_ideas_apart_match_the_reference_loop(version, shape):
    params, X, Y = _problem(*shape)
    mine, reference = pf.copy_params(params), pf.copy_params(params)
    arrays = dict(mine)
    for _ in range(2):
        loss = version(mine, X, Y, 0.05)
        assert loss == pytest.approx(pf.sgd_epoch_reference(reference, X, Y, 0.05), rel=1e-10)
        for key in rl.PARAM_NAMES:
            np.testing.assert_allclose(mine[key], reference[key], rtol=1e-10, atol=1e-12, err_msg=key)
            assert mine[key] is arrays[key]


def test_v2a_sums_with_outer_products_and_the_whole_sequence_versions_do_not():
    """The two ideas are what they say: v2a sums with T outer products, v1b with whole-sequence products."""
    from unittest import mock
    params, X, Y = _problem(1, 6, 3, 4, 2)
    with mock.patch("numpy.outer", wraps=np.outer) as outer:
        pf.sgd_epoch_v2_step_by_step(pf.copy_params(params), X, Y, 0.05)
        assert outer.call_count == 3 * 6  # W_xh, W_hh, W_hy at each of T = 6 steps
        outer.reset_mock()
        pf.sgd_epoch_v1_whole_sequence(pf.copy_params(params), X, Y, 0.05)
        pf.sgd_epoch_v2_no_temporaries(pf.copy_params(params), X, Y, 0.05)
        assert outer.call_count == 0
