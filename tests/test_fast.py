"""rl.fast: the compiled epochs give the reference's numbers, check their inputs and never leave NaN weights."""
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson import fast
from rnn_lesson.fast import batch, jit, vecmath
from rnn_lesson.fast.performance_story import copy_params, minibatch_epoch_reference, sgd_epoch_reference

ACTIVATIONS = ["tanh", "sigmoid", "relu", "identity"]
# (N, T, I, H, O): general, one time step, one hidden unit, one input
SHAPES = [(7, 5, 3, 4, 2), (5, 1, 2, 3, 1), (6, 4, 3, 1, 2), (9, 3, 1, 2, 1)]


def _problem(n_seq, n_steps, n_in, n_hid, n_out, seed=0):
    rng = np.random.default_rng(seed)
    params = rl.init_params(n_in, n_hid, n_out, seed=seed + 1)
    params["b_h"] += 0.1 * rng.standard_normal(n_hid)  # so relu units start on both sides of the kink
    X = rng.standard_normal((n_seq, n_steps, n_in))
    Y = rng.standard_normal((n_seq, n_steps, n_out))
    return params, X, Y


def _assert_same_weights(got, expected):
    for key in rl.PARAM_NAMES:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-10, atol=1e-12, err_msg=key)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_sgd_epoch_matches_the_reference_loop_for_three_epochs(activation, shape):
    params, X, Y = _problem(*shape)
    mine, reference = copy_params(params), copy_params(params)
    for epoch in range(3):
        loss = fast.sgd_epoch(mine, X, Y, 0.05, activation)
        expected = sgd_epoch_reference(reference, X, Y, 0.05, activation)
        _assert_same_weights(mine, reference)
        assert loss == pytest.approx(expected, rel=1e-10), f"epoch {epoch}"


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("shape, batch_size", [(SHAPES[0], 3), (SHAPES[1], 2), (SHAPES[2], 4), (SHAPES[3], 9),
                                               (SHAPES[0], 20)], ids=str)
def test_minibatch_epoch_matches_the_numpy_reference(activation, shape, batch_size):
    params, X, Y = _problem(*shape, seed=3)
    mine, reference = copy_params(params), copy_params(params)
    for epoch in range(2):
        loss = fast.minibatch_epoch(mine, X, Y, 0.03, batch_size, activation)
        expected = minibatch_epoch_reference(reference, X, Y, 0.03, batch_size, activation)
        _assert_same_weights(mine, reference)
        assert loss == pytest.approx(expected, rel=1e-10), f"epoch {epoch}"


def test_the_vectorised_exp_is_within_two_units_in_the_last_place():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(-700, 700, 3000), rng.uniform(-1, 1, 3000), [0.0, -0.0, 1e-300, 700.0, -700.0]])
    mine = np.array([vecmath._exp(value) for value in x])
    np.testing.assert_allclose(mine, np.exp(x), rtol=4.5e-16, atol=0)
    assert vecmath._exp(800.0) == pytest.approx(np.exp(700.0), rel=1e-15), "clamped at 700, not inf"
    assert vecmath._exp(-800.0) == pytest.approx(np.exp(-700.0), rel=1e-15), "clamped at -700, not 0"
    assert np.isnan(vecmath._exp(np.nan))


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_the_batched_forward_step_applies_the_activation_and_the_output_layer(activation):
    rng = np.random.default_rng(1)
    H, O = 37, 2  # not a multiple of the vector width
    h = np.concatenate([rng.uniform(-40, 40, (3, H)), rng.standard_normal((3, H)), 1e-6 * rng.standard_normal((2, H))])
    z_part, b_h = rng.standard_normal(h.shape), rng.standard_normal(H)
    W_hy, b_y = rng.standard_normal((H, O)), rng.standard_normal(O)
    expected_h = rl.get_activation(activation)[0](h + z_part + b_h)
    y = np.empty((len(h), O))
    batch._forward_step(h, z_part, b_h, W_hy.T, b_y, y, vecmath.ACTIVATION_CODES[activation])
    np.testing.assert_allclose(h, expected_h, rtol=0, atol=5e-16)
    np.testing.assert_allclose(y, expected_h @ W_hy + b_y, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_the_batched_activations_keep_nan_and_saturate_at_infinity(activation):
    z = np.array([[np.nan, np.inf, -np.inf, 1e308, -1e308, 0.0]])
    y = np.empty((1, 1))
    batch._forward_step(z, np.zeros_like(z), np.zeros(6), np.zeros((1, 6)), np.zeros(1), y,
                        vecmath.ACTIVATION_CODES[activation])
    expected = rl.get_activation(activation)[0](np.array([np.nan, np.inf, -np.inf, 1e308, -1e308, 0.0]))
    np.testing.assert_allclose(z[0], expected, rtol=0, atol=1e-300)  # NaN where NumPy gives NaN
    assert np.isnan(y[0, 0]), "a NaN hidden unit must reach the output, where the loss check sees it"


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_minibatch_of_one_is_per_sequence_sgd(activation):
    params, X, Y = _problem(*SHAPES[0], seed=5)
    batched, single = copy_params(params), copy_params(params)
    assert fast.minibatch_epoch(batched, X, Y, 0.05, 1, activation) == pytest.approx(
        fast.sgd_epoch(single, X, Y, 0.05, activation), rel=1e-12)
    _assert_same_weights(batched, single)


def test_the_epochs_are_deterministic_to_the_bit():
    params, X, Y = _problem(*SHAPES[0])
    first, second = copy_params(params), copy_params(params)
    for weights in (first, second):
        fast.sgd_epoch(weights, X, Y, 0.05)
        fast.minibatch_epoch(weights, X, Y, 0.05, 3)
    for key in rl.PARAM_NAMES:
        np.testing.assert_array_equal(first[key], second[key])


def test_a_reused_workspace_holding_garbage_gives_the_same_numbers():
    params, X, Y = _problem(*SHAPES[0])
    fresh, reused = copy_params(params), copy_params(params)
    ws = fast.Workspace(5, 3, 4, 2)
    batch_ws = fast.Workspace(5, 3, 4, 2, batch_size=4)
    for workspace in (ws, batch_ws):
        for array in workspace.buffers().values():
            array[...] = 1e300
    for _ in range(2):
        fast.sgd_epoch(fresh, X, Y, 0.05)
        fast.sgd_epoch(reused, X, Y, 0.05, workspace=ws)
        fast.minibatch_epoch(fresh, X, Y, 0.05, 3)
        fast.minibatch_epoch(reused, X, Y, 0.05, 3, workspace=batch_ws)  # B = 4 >= 3: serves smaller batches
    for key in rl.PARAM_NAMES:
        np.testing.assert_array_equal(fresh[key], reused[key])


def test_inputs_of_other_dtypes_and_layouts_are_converted():
    params, X, Y = _problem(*SHAPES[0])
    expected, mine = copy_params(params), copy_params(params)
    fast.sgd_epoch(expected, X, Y, 0.05)
    fast.sgd_epoch(mine, np.asfortranarray(X), Y.tolist(), 0.05)
    for key in rl.PARAM_NAMES:
        np.testing.assert_array_equal(expected[key], mine[key])
    integers = np.arange(2 * 5 * 3).reshape(2, 5, 3) % 3
    fast.sgd_epoch(copy_params(params), integers, np.zeros((2, 5, 2), dtype=np.int32), 0.05)


@pytest.mark.parametrize("change, error, message", [
    (lambda p, X, Y: (p, X[0], Y), ValueError, r"X must have 3 dimensions \(N, T, features\)"),
    (lambda p, X, Y: (p, X[..., :2], Y), ValueError, r"X \(N, T, I\) for params with I = 3 must have shape"),
    (lambda p, X, Y: (p, X, Y[:, :4]), ValueError, r"Y \(N, T, O\) for X of shape \(7, 5, 3\)"),
    (lambda p, X, Y: (p, X[:0], Y[:0]), ValueError, "at least one sequence"),
    (lambda p, X, Y: (p, X.astype(str), Y), TypeError, "X must hold real numbers"),
    (lambda p, X, Y: (p, X, Y > 0), TypeError, "Y must hold real numbers, got dtype bool"),
    (lambda p, X, Y: ({**p, "W_hh": p["W_hh"][:2]}, X, Y), ValueError, r"params\['W_hh'\]"),
    (lambda p, X, Y: ({k: v for k, v in p.items() if k != "b_y"}, X, Y), ValueError, "missing"),
])
def test_bad_inputs_get_clear_errors(change, error, message):
    params, X, Y = _problem(*SHAPES[0])
    params, X, Y = change(params, X, Y)
    for call in (lambda: fast.sgd_epoch(params, X, Y, 0.1), lambda: fast.minibatch_epoch(params, X, Y, 0.1, 2)):
        with pytest.raises(error, match=message):
            call()


def test_ragged_or_complex_data_get_clear_errors():
    params, X, Y = _problem(*SHAPES[0])
    ragged = X.tolist()
    ragged[2] = ragged[2][:3]  # sequence 2 is two steps short
    with pytest.raises(ValueError, match="X is ragged"):
        fast.sgd_epoch(params, ragged, Y, 0.1)
    with pytest.raises(TypeError, match="Y must hold real numbers, got dtype complex128"):
        fast.minibatch_epoch(params, X, Y + 0j, 0.1, 2)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"learning_rate": 0.0}, ValueError, "learning_rate must be a finite number > 0"),
    ({"learning_rate": "fast"}, TypeError, "learning_rate must be a number"),
    ({"activation": "softplus"}, ValueError, "unknown activation 'softplus'"),
    ({"workspace": np.zeros(3)}, TypeError, "workspace must be an rl.fast.Workspace"),
    ({"workspace": fast.Workspace(5, 3, 4, 1)}, ValueError, r"need \(5, 3, 4, 2\)"),
])
def test_bad_settings_get_clear_errors(kwargs, error, message):
    params, X, Y = _problem(*SHAPES[0])
    settings = {"learning_rate": 0.1, **kwargs}
    with pytest.raises(error, match=message):
        fast.sgd_epoch(params, X, Y, **settings)


@pytest.mark.parametrize("batch_size, error", [(0, ValueError), (2.0, TypeError)])
def test_batch_size_must_be_a_positive_integer(batch_size, error):
    params, X, Y = _problem(*SHAPES[0])
    with pytest.raises(error, match="batch_size"):
        fast.minibatch_epoch(params, X, Y, 0.1, batch_size)


def test_a_per_sequence_workspace_cannot_serve_batches():
    params, X, Y = _problem(*SHAPES[0])
    with pytest.raises(ValueError, match="one sequence at a time, this call trains batches of 2"):
        fast.minibatch_epoch(params, X, Y, 0.1, 2, workspace=fast.Workspace(5, 3, 4, 2))


def test_read_only_or_non_finite_weights_are_refused():
    params, X, Y = _problem(*SHAPES[0])
    params["W_xh"].setflags(write=False)
    with pytest.raises(ValueError, match=r"params\['W_xh'\] is read-only"):
        fast.sgd_epoch(params, X, Y, 0.1)
    params, X, Y = _problem(*SHAPES[0])
    params["b_y"][1] = np.inf
    with pytest.raises(ValueError, match=r"params\['b_y'\] holds inf at index \(1,\): every weight must be finite"):
        fast.minibatch_epoch(params, X, Y, 0.1, 2)


@pytest.mark.parametrize("train", [lambda p, X, Y, lr: fast.sgd_epoch(p, X, Y, lr),
                                   lambda p, X, Y, lr: fast.minibatch_epoch(p, X, Y, lr, 2)],
                         ids=["sgd_epoch", "minibatch_epoch"])
def test_nan_in_the_data_is_refused_at_the_door(train):
    params, X, Y = _problem(*SHAPES[0])
    X[3, 2, 1] = np.nan
    before = copy_params(params)
    with pytest.raises(ValueError, match=r"X\[3, 2, 1\] is nan: the data must be finite"):
        train(params, X, Y, 0.1)
    X[3, 2, 1] = 0.0
    Y[1, 0, 0] = np.inf
    with pytest.raises(ValueError, match=r"Y\[1, 0, 0\] is inf"):
        train(params, X, Y, 0.1)
    for key in rl.PARAM_NAMES:
        np.testing.assert_array_equal(params[key], before[key])


@pytest.mark.parametrize("train, where", [(lambda p, X, Y: fast.sgd_epoch(p, X, Y, 1e6, "identity"), "sequence"),
                                          (lambda p, X, Y: fast.minibatch_epoch(p, X, Y, 1e6, 2, "identity"),
                                           "the batch of sequences")], ids=["sgd_epoch", "minibatch_epoch"])
def test_a_diverging_epoch_raises_and_never_leaves_nan_weights(train, where):
    params, X, Y = _problem(*SHAPES[0])
    X, Y = np.repeat(X, 40, axis=0), np.repeat(Y, 40, axis=0)  # long enough to overflow
    before = copy_params(params)
    with pytest.raises(FloatingPointError, match=f"the loss of {where}.*not finite.*put back"):
        train(params, X, Y)
    for key in rl.PARAM_NAMES:
        np.testing.assert_array_equal(params[key], before[key])


# --- where numba caches compiled code -----------------------------------------------------------

def test_the_user_cache_dir_wins():
    assert fast.numba_cache_dir("/pkg", {"NUMBA_CACHE_DIR": "/mine"}, writable=lambda d: False) == "/mine"


def test_a_writable_package_caches_in_its_pycache():
    chosen = fast.numba_cache_dir("/pkg", {}, writable=lambda d: True)
    assert pathlib.Path(chosen) == pathlib.Path("/pkg/__pycache__")


def test_a_read_only_package_falls_back_to_the_user_cache():
    writable = lambda d: not str(d).startswith("/pkg")  # noqa: E731
    chosen = fast.numba_cache_dir("/pkg", {"XDG_CACHE_HOME": "/home/me/.cache"}, writable=writable)
    assert pathlib.Path(chosen) == pathlib.Path("/home/me/.cache/rnn_lesson/numba")
    home = fast.numba_cache_dir("/pkg", {}, writable=writable)
    assert pathlib.Path(home) == pathlib.Path(os.path.expanduser("~")) / ".cache" / "rnn_lesson" / "numba"


def test_nothing_writable_means_no_caching():
    assert fast.numba_cache_dir("/pkg", {}, writable=lambda d: False) is None


def test_writable_really_tries_to_write(tmp_path):
    assert jit._writable(tmp_path / "new" / "dir")
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    assert not jit._writable(blocker / "cache")


def test_compiled_kernels_are_cached_in_numba_cache_dir(tmp_path):
    script = ("import numpy as np, rnn_lesson as rl\n"
              "p = rl.init_params(2, 3, 1)\n"
              "rl.fast.sgd_epoch(p, np.ones((2, 3, 2)), np.zeros((2, 3, 1)), 0.1)\n"
              "print(rl.fast.CACHE_DIR)\n")
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path)
    assert list(tmp_path.rglob("*_sgd_kernel*.nbi")), "no cache index written"


# --- imported on first use ----------------------------------------------------------------------

def test_import_rnn_lesson_does_not_import_numba():
    script = ("import sys\n"
              "import rnn_lesson as rl\n"
              "assert 'numba' not in sys.modules, 'import rnn_lesson imported numba'\n"
              "assert {'fast', 'performance'} <= set(dir(rl))\n"
              "from rnn_lesson import fast\n"
              "from rnn_lesson.fast import Workspace\n"
              "assert 'numba' in sys.modules and rl.fast is fast and fast.Workspace is Workspace\n"
              "assert rl.performance.sgd_epoch_v4_numba\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_an_unknown_attribute_of_the_package_is_still_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'rnn_lesson' has no attribute 'fastest'"):
        rl.fastest  # noqa: B018
    assert rl.fast.sgd_epoch is fast.sgd_epoch
