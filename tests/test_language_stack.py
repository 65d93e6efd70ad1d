"""The stacked language-model objective: every gradient of every layer against finite differences (float64,
every cell, 2 layers, dropout on with a fixed mask), the stack equal to the cells composed by hand, every
layer's state carried from chunk to chunk, and the fast engine refusing what it does not compute."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.language import lm_loss_and_grads, objective, onehot
from rnn_lesson.layers import stack

V, H, T, B, L = 5, 4, 3, 2, 2
CELLS = ("rnn", "gru", "lstm")


def problem(cell, seed=0, n_layers=L):
    rng = np.random.default_rng(seed)
    params = rl.language.init_params(cell, V, H, seed=seed + 1, n_layers=n_layers)
    for key in params:  # away from the initial values, so that every term of every gradient matters
        params[key] = params[key] + 0.3 * rng.standard_normal(params[key].shape)
    inputs, targets = rng.integers(0, V, (T, B)), rng.integers(0, V, (T, B))
    state = tuple(0.5 * rng.standard_normal((B, H)) for _ in range(objective.N_STATES[cell] * n_layers))
    return params, inputs, targets, state


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("dropout", [0.0, 0.4])
def test_every_gradient_of_every_layer_matches_finite_differences(cell, dropout):
    params, inputs, targets, state = problem(cell)
    assert set(params) == {*rl.language.PARAM_NAMES, "W_xh_l1", "W_hh_l1", "b_h_l1"}
    seed = 7  # a seed, not a Generator: every call draws the same masks
    loss, grads, _ = lm_loss_and_grads(cell, params, inputs, targets, state, dropout=dropout, rng=seed)
    assert set(grads) == set(params)
    for key in params:
        def loss_of(value, key=key):
            return lm_loss_and_grads(cell, {**params, key: value}, inputs, targets, state, dropout, seed)[0]
        numeric = rl.numerical_gradient(loss_of, params[key].copy())
        assert np.abs(numeric).max() > 1e-6, (cell, key)  # the check means something
        assert rl.relative_error(grads[key], numeric) < 1e-7, (cell, key, dropout)
    if dropout:
        assert loss != lm_loss_and_grads(cell, params, inputs, targets, state)[0]


@pytest.mark.parametrize("cell", CELLS)
def test_the_stack_is_the_cells_composed_by_hand(cell):
    params, inputs, targets, state = problem(cell, n_layers=3)
    module, size = rl.cells.get_cell(cell), objective.N_STATES[cell]
    xs, last = onehot(inputs, V), []
    for layer in range(3):
        own = {key: params[stack.key_name(key, layer, 0)] for key in ("W_xh", "W_hh", "b_h")}
        xs, cache = module.forward(own, xs, *state[layer * size:(layer + 1) * size])
        last += [xs[-1]] + ([cache["cs"][-1]] if cell == "lstm" else [])
    logits = xs @ params["W_hy"] + params["b_y"]
    p = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    expected = -np.mean(np.log(np.take_along_axis(p, targets[..., None], axis=-1)))
    loss, _, new_state = lm_loss_and_grads(cell, params, inputs, targets, state)
    assert loss == pytest.approx(expected, rel=1e-12)
    assert len(new_state) == len(last) == 3 * size
    for got, want in zip(new_state, last):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("cell", CELLS)
def test_every_layers_state_carries_over_two_chunks_like_one_long_chunk(cell):
    params, _, _, state = problem(cell)
    rng = np.random.default_rng(5)
    inputs, targets = rng.integers(0, V, (2 * T, B)), rng.integers(0, V, (2 * T, B))
    _, _, whole = lm_loss_and_grads(cell, params, inputs, targets, state)
    _, _, middle = lm_loss_and_grads(cell, params, inputs[:T], targets[:T], state)
    _, _, carried = lm_loss_and_grads(cell, params, inputs[T:], targets[T:], middle)
    for got, want in zip(carried, whole):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-14)
    # the step function (evaluation, sampling) walks the same stack, one character at a time
    stepped = state
    for t in range(2 * T):
        _, stepped = objective.step(cell, params, inputs[t], stepped)
    for got, want in zip(stepped, whole):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-14)


def test_a_state_of_the_wrong_size_names_the_layers():
    params, inputs, targets, state = problem("lstm")
    with pytest.raises(TypeError, match="4 array.*2 layer"):
        lm_loss_and_grads("lstm", params, inputs, targets, state[:2])


def test_the_stack_takes_starting_states_and_gives_the_last_ones():
    layers = stack.init_params("gru", 3, 4, n_layers=2, seed=1)
    xs = np.random.default_rng(0).standard_normal((5, 2, 3))
    starts = [(np.full((2, 4), 0.1),), (np.full((2, 4), -0.2),)]
    hs, cache = stack.forward("gru", layers, xs, states=starts)
    below = rl.cells.gru.forward(layers[0][0], xs, starts[0][0])[0]
    np.testing.assert_array_equal(hs, rl.cells.gru.forward(layers[1][0], below, starts[1][0])[0])
    np.testing.assert_array_equal(stack.last_states(cache)[0][0], below[-1])
    assert not np.array_equal(hs, stack.forward("gru", layers, xs)[0])  # None: zeros
    with pytest.raises(TypeError, match="one per layer"):
        stack.forward("gru", layers, xs, states=starts[:1])
    with pytest.raises(ValueError, match="one-directional"):
        stack.forward("gru", stack.init_params("gru", 3, 4, bidirectional=True), xs, states=starts[:1])


@pytest.mark.parametrize("n_layers, dropout", [(2, 0.0), (1, 0.2)])
def test_the_fast_engine_refuses_a_stack_or_dropout(n_layers, dropout):
    params, inputs, targets, state = problem("gru", n_layers=n_layers)
    with pytest.raises(ValueError, match="engine='reference'"):
        rl.language.get_engine("fast")("gru", params, inputs, targets, state, dropout, 0)
