"""rl.fast's compiled recurrence for every cell: the reference cells' numbers, for the LM and the estimator."""
import numpy as np
import pytest

from rnn_lesson import losses
from rnn_lesson.cells import get_cell
from rnn_lesson.fast import language
from rnn_lesson.fast.language import lm_loss_and_grads
from rnn_lesson.fast.recurrence import GATE_BLOCKS, CellWorkspace
from rnn_lesson.layers import linear

CELLS = ["rnn", "lstm", "gru"]


def reference_lm_loss_and_grads(cell, params, inputs, targets, state):
    """The LM contract composed from the package's cells on one-hot inputs, the linear layer and the loss."""
    n_vocab = params["W_xh"].shape[0]
    xs = np.eye(n_vocab)[inputs]                                       # (T, B, V) one-hot
    cell_params = {key: params[key] for key in ("W_xh", "W_hh", "b_h")}
    if cell == "lstm":
        hs, cache = get_cell(cell).forward(cell_params, xs, h0=state[0], c0=state[1])
        new_state = (hs[-1], cache["cs"][-1])
    else:
        hs, cache = get_cell(cell).forward(cell_params, xs, h0=state[0])
        new_state = (hs[-1],)
    logits, layer_cache = linear.forward(hs, params["W_hy"], params["b_y"])
    loss, dlogits = losses.softmax_cross_entropy(logits, inputs * 0 + targets)
    dW_hy, db_y, dhs = linear.backward(dlogits, layer_cache)
    grads = get_cell(cell).backward(dhs, cache)[0]
    grads.update(W_hy=dW_hy, b_y=db_y)
    return loss, grads, new_state


def lm_problem(cell, n_steps, n_seq, n_vocab, n_hid, seed=0):
    """Seeded params (biases non-zero), ids and a non-zero initial state for a language model."""
    rng = np.random.default_rng(seed)
    width = GATE_BLOCKS[cell] * n_hid
    params = {"W_xh": rng.standard_normal((n_vocab, width)), "W_hh": rng.standard_normal((n_hid, width)) / n_hid**0.5,
              "b_h": 0.3 * rng.standard_normal(width), "W_hy": rng.standard_normal((n_hid, n_vocab)) / n_hid**0.5,
              "b_y": 0.3 * rng.standard_normal(n_vocab)}
    inputs = rng.integers(0, n_vocab, (n_steps, n_seq))
    targets = rng.integers(0, n_vocab, (n_steps, n_seq))
    state = tuple(0.5 * rng.standard_normal((n_seq, n_hid)) for _ in range(2 if cell == "lstm" else 1))
    return params, inputs, targets, state


def assert_close(got, expected, what):
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12, err_msg=what)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("shape", [(7, 5, 6, 4), (1, 1, 3, 2), (9, 1, 5, 3), (3, 6, 2, 1)], ids=str)
def test_lm_loss_and_grads_equal_the_reference_cells(cell, shape):
    params, inputs, targets, state = lm_problem(cell, *shape)
    loss, grads, new_state = lm_loss_and_grads(cell, params, inputs, targets, state)
    ref_loss, ref_grads, ref_state = reference_lm_loss_and_grads(cell, params, inputs, targets, state)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    assert set(grads) == set(params)
    for key in params:
        assert_close(grads[key], ref_grads[key], key)
    for got, expected in zip(new_state, ref_state, strict=True):
        assert_close(got, expected, "new_state")


def test_the_compiled_adam_follows_rl_adam():
    from rnn_lesson import optim
    from rnn_lesson.fast.adam import Adam

    rng = np.random.default_rng(5)
    params = {"W": rng.standard_normal((4, 6)), "T": rng.standard_normal((6, 4)).T, "b": rng.standard_normal(3)}
    mine, reference = {k: v.copy() for k, v in params.items()}, {k: v.copy() for k, v in params.items()}
    mine["T"] = np.asfortranarray(mine["T"])  # a non-contiguous parameter is updated in place too
    fast, slow = Adam(0.01, beta1=0.8, beta2=0.99), optim.Adam(0.01, beta1=0.8, beta2=0.99)
    for _ in range(25):
        grads = {k: rng.standard_normal(v.shape) * 10.0 ** rng.uniform(-3, 1) for k, v in params.items()}
        fast.step(mine, {k: g.copy() for k, g in grads.items()}, clip_norm=5.0)
        slow.step(reference, grads, clip_norm=5.0)
    for key in params:
        np.testing.assert_allclose(mine[key], reference[key], rtol=1e-12, atol=1e-14, err_msg=key)
        np.testing.assert_allclose(fast.state[key]["v"], slow.state[key]["v"], rtol=1e-12, atol=1e-18)
    with pytest.raises(FloatingPointError):
        fast.step(mine, {k: np.full(v.shape, np.nan) for k, v in params.items()})
