"""lm_loss_and_grads, the reference of the gradient contract: every gradient against finite differences
(float64, every cell), the row lookup equal to the one-hot product, the state carried and stopped."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.language import lm_loss_and_grads, objective, onehot, zero_state

V, H, T, B = 5, 4, 3, 2
CELLS = ("rnn", "gru", "lstm")


def problem(cell, seed=0, batch=B):
    rng = np.random.default_rng(seed)
    params = rl.language.init_params(cell, V, H, seed=seed + 1)
    for key in params:  # away from the initial values, so that every term of every gradient matters
        params[key] = params[key] + 0.3 * rng.standard_normal(params[key].shape)
    inputs, targets = rng.integers(0, V, (T, batch)), rng.integers(0, V, (T, batch))
    state = tuple(0.5 * rng.standard_normal((batch, H)) for _ in range(objective.N_STATES[cell]))
    return params, inputs, targets, state


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("batch", [1, B])
def test_every_gradient_matches_finite_differences(cell, batch):
    params, inputs, targets, state = problem(cell, batch=batch)
    _, grads, _ = lm_loss_and_grads(cell, params, inputs, targets, state)
    assert set(grads) == set(params) == set(rl.language.PARAM_NAMES)
    for key in params:
        def loss_of(value, key=key):
            return lm_loss_and_grads(cell, {**params, key: value}, inputs, targets, state)[0]
        numeric = rl.numerical_gradient(loss_of, params[key].copy())
        assert rl.relative_error(grads[key], numeric) < 1e-7, (cell, key)


@pytest.mark.parametrize("cell", CELLS)
def test_the_loss_is_the_mean_cross_entropy_of_the_composed_network(cell):
    params, inputs, targets, state = problem(cell)
    module = rl.cells.get_cell(cell)
    cell_params = {k: params[k] for k in ("W_xh", "W_hh", "b_h")}
    hs, cache = module.forward(cell_params, onehot(inputs, V), *state)
    logits = hs @ params["W_hy"] + params["b_y"]
    p = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    expected = -np.mean(np.log(np.take_along_axis(p, targets[..., None], axis=-1)))
    loss, _, new_state = lm_loss_and_grads(cell, params, inputs, targets, state)
    assert loss == pytest.approx(expected, rel=1e-12)
    np.testing.assert_array_equal(new_state[0], hs[-1])
    if cell == "lstm":
        np.testing.assert_array_equal(new_state[1], cache["cs"][-1])


def test_a_one_hot_product_is_a_row_lookup():
    W = np.random.default_rng(3).standard_normal((V, 7))
    ids = np.array([[4, 0], [2, 2]])
    np.testing.assert_array_equal(onehot(ids, V) @ W, W[ids])
    assert onehot(ids, V).sum(axis=-1).tolist() == [[1, 1], [1, 1]]


@pytest.mark.parametrize("cell", CELLS)
def test_carrying_the_state_over_two_chunks_gives_the_state_of_one_long_chunk(cell):
    params, _, _, _ = problem(cell)
    ids = np.random.default_rng(5).integers(0, V, (2 * T, B))
    state = zero_state(cell, B, H)
    whole = lm_loss_and_grads(cell, params, ids, ids, state)
    first = lm_loss_and_grads(cell, params, ids[:T], ids[:T], state)
    second = lm_loss_and_grads(cell, params, ids[T:], ids[T:], first[2])
    for a, b in zip(whole[2], second[2]):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-14)
    assert whole[0] == pytest.approx((first[0] + second[0]) / 2, rel=1e-12)
    # the gradient stops at the chunk's start: the second chunk's W_hy gradient is its own, not the whole's
    assert not np.allclose(2 * whole[1]["W_hh"], first[1]["W_hh"] + second[1]["W_hh"])


def test_the_new_state_is_a_fresh_array():
    params, inputs, targets, state = problem("lstm")
    _, _, new_state = lm_loss_and_grads("lstm", params, inputs, targets, state)
    new_state[0][:] = 0.0  # the caller may write into it
    again = lm_loss_and_grads("lstm", params, inputs, targets, state)
    assert np.any(again[2][0] != 0)


@pytest.mark.parametrize("bad, error, words", [
    ({"inputs": np.array([[0.0, 1.0]])}, TypeError, "integer"),
    ({"inputs": np.array([[0, V]])}, ValueError, "ids from 0"),
    ({"targets": np.array([[0, 1, 2]])}, ValueError, "targets"),
    ({"state": (np.zeros((B, H)),)}, TypeError, "(h0, c0)"),
    ({"state": (np.zeros((B, H + 1)), np.zeros((B, H)))}, ValueError, "state[0]"),
])
def test_bad_chunks_are_named(bad, error, words):
    params, inputs, targets, state = problem("lstm")
    args = {"inputs": inputs[:1], "targets": targets[:1], "state": state, **bad}
    with pytest.raises(error, match=None) as caught:
        lm_loss_and_grads("lstm", params, args["inputs"], args["targets"], args["state"])
    assert words in str(caught.value)


def test_the_engine_seam_names_the_engines():
    assert rl.language.get_engine("reference") is lm_loss_and_grads
    with pytest.raises(ValueError, match="available: reference, fast"):
        rl.language.get_engine("turbo")
    with pytest.raises(TypeError, match="engine must be a name"):
        rl.language.get_engine(None)
    with pytest.raises(ValueError, match="unknown engine 'gpu'"):
        rl.CharLM(engine="gpu").fit("abcabcabc" * 10)


def test_the_first_loss_is_near_ln_v():
    params = rl.language.init_params("gru", 27, 32, seed=0)
    ids = np.random.default_rng(0).integers(0, 27, (20, 8))
    loss = lm_loss_and_grads("gru", params, ids, ids, zero_state("gru", 8, 32))[0]
    assert abs(loss - np.log(27)) < 0.05
