"""The LSTM and GRU cells against finite differences (float64, fixed seeds), gate by gate,
unbatched and batched, and against a direct transcription of their equations."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.cells import gru, lstm

T, N, I, H = 5, 3, 2, 4
TOLERANCE = 1e-7  # central differences in float64 agree to ~1e-9 when the gradient is right


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_by_the_equations(params, xs, h, c):
    """An independent transcription, one gate matrix at a time (slices of W per gate)."""
    W, U, b = params["W_xh"], params["W_hh"], params["b_h"]
    block = {name: slice(k * H, (k + 1) * H) for k, name in enumerate("ifgo")}
    hs = []
    for x in xs:
        gate = {k: x @ W[:, s] + h @ U[:, s] + b[s] for k, s in block.items()}
        c = _sigmoid(gate["f"]) * c + _sigmoid(gate["i"]) * np.tanh(gate["g"])
        h = _sigmoid(gate["o"]) * np.tanh(c)
        hs.append(h)
    return np.array(hs)


def gru_by_the_equations(params, xs, h):
    W, U, b = params["W_xh"], params["W_hh"], params["b_h"]
    r_, z_, n_ = (slice(k * H, (k + 1) * H) for k in range(3))
    hs = []
    for x in xs:
        r = _sigmoid(x @ W[:, r_] + h @ U[:, r_] + b[r_])
        z = _sigmoid(x @ W[:, z_] + h @ U[:, z_] + b[z_])
        n = np.tanh(x @ W[:, n_] + (r * h) @ U[:, n_] + b[n_])
        h = z * h + (1 - z) * n
        hs.append(h)
    return np.array(hs)


def fd_error(analytic, f, x, dhs):
    """Relative error of ``analytic`` against the central differences of sum(f(x) * dhs) at x."""
    return rl.relative_error(analytic, rl.numerical_gradient(f, x.copy(), dhs))


def random_params(cell, seed):
    params = cell.init_params(I, H, seed=seed)
    params["b_h"] += 0.3 * np.random.default_rng(seed + 100).standard_normal(params["b_h"].shape)
    return params


def problem(batched, seed=0):
    rng = np.random.default_rng(seed)
    lead = (T, N) if batched else (T,)
    xs = rng.standard_normal(lead + (I,))
    h0 = 0.5 * rng.standard_normal(lead[1:] + (H,))
    c0 = 0.5 * rng.standard_normal(lead[1:] + (H,))
    dhs = rng.standard_normal(lead + (H,))
    return xs, h0, c0, dhs


@pytest.mark.parametrize("batched", [False, True])
def test_cells_follow_their_equations(batched):
    xs, h0, c0, _ = problem(batched, seed=1)
    params = random_params(lstm, 1)
    np.testing.assert_allclose(lstm.forward(params, xs, h0, c0)[0], lstm_by_the_equations(params, xs, h0, c0),
                               rtol=0, atol=1e-14)
    params = random_params(gru, 1)
    np.testing.assert_allclose(gru.forward(params, xs, h0)[0], gru_by_the_equations(params, xs, h0), rtol=0, atol=1e-14)


@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("with_state", [False, True])
def test_lstm_gradients_match_finite_differences(batched, with_state):
    xs, h0, c0, dhs = problem(batched, seed=2)
    h0, c0 = (h0, c0) if with_state else (None, None)
    params = random_params(lstm, 2)
    hs, cache = lstm.forward(params, xs, h0, c0)
    grads, dxs, dh0, dc0 = lstm.backward(dhs, cache)
    run = lambda: lstm.forward(params, xs, h0, c0)[0]  # noqa: E731
    for key in ("W_xh", "W_hh", "b_h"):
        numeric = rl.numerical_gradient(lambda _: run(), params[key], dhs)
        for k, gate in enumerate(lstm.GATES):  # gate by gate, so a wrong one is named
            block = np.s_[..., k * H:(k + 1) * H]
            assert rl.relative_error(grads[key][block], numeric[block]) < TOLERANCE, (key, gate)
    assert fd_error(dxs, lambda x: lstm.forward(params, x, h0, c0)[0], xs, dhs) < TOLERANCE
    if with_state:
        assert fd_error(dh0, lambda h: lstm.forward(params, xs, h, c0)[0], h0, dhs) < TOLERANCE
        assert fd_error(dc0, lambda c: lstm.forward(params, xs, h0, c)[0], c0, dhs) < TOLERANCE
    else:
        assert dh0.shape == dc0.shape == hs.shape[1:]


@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("with_state", [False, True])
def test_gru_gradients_match_finite_differences(batched, with_state):
    xs, h0, _, dhs = problem(batched, seed=3)
    h0 = h0 if with_state else None
    params = random_params(gru, 3)
    hs, cache = gru.forward(params, xs, h0)
    grads, dxs, dh0 = gru.backward(dhs, cache)
    run = lambda: gru.forward(params, xs, h0)[0]  # noqa: E731
    for key in ("W_xh", "W_hh", "b_h"):
        numeric = rl.numerical_gradient(lambda _: run(), params[key], dhs)
        for k, gate in enumerate(gru.GATES):
            block = np.s_[..., k * H:(k + 1) * H]
            assert rl.relative_error(grads[key][block], numeric[block]) < TOLERANCE, (key, gate)
    assert fd_error(dxs, lambda x: gru.forward(params, x, h0)[0], xs, dhs) < TOLERANCE
    if with_state:
        assert fd_error(dh0, lambda h: gru.forward(params, xs, h)[0], h0, dhs) < TOLERANCE


@pytest.mark.parametrize("cell", [lstm, gru], ids=["lstm", "gru"])
def test_a_batch_is_its_sequences_side_by_side(cell):
    xs, h0, c0, dhs = problem(batched=True, seed=4)
    params = random_params(cell, 4)
    states = (h0, c0) if cell is lstm else (h0,)
    hs, cache = cell.forward(params, xs, *states)
    grads, dxs, *dstates = cell.backward(dhs, cache)
    total = {k: np.zeros_like(v) for k, v in params.items()}
    for n in range(N):
        hs_n, cache_n = cell.forward(params, xs[:, n], *(s[n] for s in states))
        np.testing.assert_allclose(hs[:, n], hs_n, rtol=0, atol=1e-13)
        grads_n, dxs_n, *dstates_n = cell.backward(dhs[:, n], cache_n)
        np.testing.assert_allclose(dxs[:, n], dxs_n, rtol=0, atol=1e-12)
        for got, want in zip(dstates, dstates_n):
            np.testing.assert_allclose(got[n], want, rtol=0, atol=1e-12)
        for k in total:
            total[k] += grads_n[k]
    for k in total:
        np.testing.assert_allclose(grads[k], total[k], rtol=0, atol=1e-12)


def test_lstm_forget_bias_and_gate_activations():
    params = lstm.init_params(I, H, seed=0)
    assert np.all(params["b_h"][H:2 * H] == 1.0)
    assert np.all(params["b_h"][:H] == 0) and np.all(params["b_h"][2 * H:] == 0)
    assert np.all(lstm.init_params(I, H, seed=0, forget_bias=0.0)["b_h"] == 0)
    xs = problem(False, seed=5)[0]
    hs, cache = lstm.forward(params, xs)
    gates = lstm.gate_activations(cache)
    assert list(gates) == ["i", "f", "g", "o"] and all(g.shape == (T, H) for g in gates.values())
    np.testing.assert_allclose(hs, gates["o"] * np.tanh(cache["cs"]), rtol=0, atol=1e-15)
    assert set(gru.gate_activations(gru.forward(gru.init_params(I, H), xs)[1])) == {"r", "z", "n"}


def test_shapes_follow_the_contract():
    for cell, gates in ((lstm, 4), (gru, 3)):
        params = cell.init_params(I, H, seed=7)
        assert {k: v.shape for k, v in params.items()} == {"W_xh": (I, gates * H), "W_hh": (H, gates * H),
                                                           "b_h": (gates * H,)}
        same = cell.init_params(I, H, seed=7)
        assert all(params[k].tobytes() == same[k].tobytes() for k in params)


@pytest.mark.parametrize("call, error, message", [
    (lambda: lstm.forward(gru.init_params(I, H), np.zeros((T, I))), ValueError,
     r"params\[.W_hh.\] must have shape \(3, 12\), got \(4, 12\)"),
    (lambda: lstm.forward(rl.cells.rnn.init_params(I, 3), np.zeros((T, I))), ValueError,
     r"W_xh.\] must have shape \(I, 4·H: blocks i, f, g, o\), got \(2, 3\)"),
    (lambda: gru.forward(gru.init_params(I, H), np.zeros((T, I + 1))), ValueError, r"xs must have shape \(any, 2\)"),
    (lambda: gru.forward(gru.init_params(I, H), np.zeros((0, I))), ValueError, "at least one time step"),
    (lambda: gru.forward(gru.init_params(I, H), np.zeros(I)), ValueError, r"\(T, I\) or time-major"),
    (lambda: lstm.forward(lstm.init_params(I, H), np.zeros((T, N, I)), h0=np.zeros(H)), ValueError, "h0"),
    (lambda: lstm.forward(lstm.init_params(I, H), np.zeros((T, I)), c0=np.zeros(H + 1)), ValueError, "c0"),
    (lambda: lstm.forward({"W_xh": np.zeros((I, 4 * H))}, np.zeros((T, I))), ValueError, "missing"),
    (lambda: gru.forward(gru.init_params(I, H), np.full((T, I), np.nan)), ValueError, "non-finite"),
    (lambda: gru.backward(np.zeros((T, H)), {"cell": "lstm"}), TypeError, "rl.cells.gru.forward"),
    (lambda: lstm.backward(np.zeros((T + 1, H)), lstm.forward(lstm.init_params(I, H), np.zeros((T, I)))[1]),
     ValueError, "dhs"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("cell", [lstm, gru], ids=["lstm", "gru"])
def test_one_step_gate_by_gate(cell):
    """On one step a wrong gate derivative shows up in that gate's block only: the check names it."""
    xs, h0, c0, dhs = problem(batched=True, seed=6)
    params = random_params(cell, 6)
    x, dh = xs[0], dhs[0]
    if cell is lstm:
        dc = np.random.default_rng(9).standard_normal(h0.shape)
        out = lambda: np.concatenate(lstm.step_forward(params, x, h0, c0)[:2], axis=-1)  # noqa: E731
        upstream = np.concatenate([dh, dc], axis=-1)
        _, _, _, grads = lstm.step_backward(dh, dc, lstm.step_forward(params, x, h0, c0)[2])
    else:
        out = lambda: gru.step_forward(params, x, h0)[0]  # noqa: E731
        upstream = dh
        _, _, grads = gru.step_backward(dh, gru.step_forward(params, x, h0)[1])
    numeric = rl.numerical_gradient(lambda _: out(), params["b_h"], upstream)
    for k, gate in enumerate(cell.GATES):
        block = slice(k * H, (k + 1) * H)
        assert rl.relative_error(grads["b_h"][block], numeric[block]) < TOLERANCE, gate
