"""rl.fast's compiled recurrence for every cell: the reference cells' numbers, for the LM and the estimator."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson import losses
from rnn_lesson.cells import get_cell
from rnn_lesson.fast.language import lm_loss_and_grads
from rnn_lesson.fast.recurrence import GATE_BLOCKS, CellWorkspace
from rnn_lesson.layers import linear

CELLS = ["rnn", "lstm", "gru"]


def reference_lm_loss_and_grads(cell, params, inputs, targets, state):
    """Lesson 13's reference: the package's cells, the linear layer and softmax cross-entropy (the LM contract)."""
    return rl.language.lm_loss_and_grads(cell, params, inputs, targets, state)


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


# --- the estimator's training: dense inputs, MSE, SGD (with or without clipping) ---------------

def dense_problem(cell, n_seq, n_steps, n_in, n_hid, n_out, seed=0):
    rng = np.random.default_rng(seed)
    width = GATE_BLOCKS[cell] * n_hid
    params = {"W_xh": rng.standard_normal((n_in, width)) / n_in**0.5,
              "W_hh": rng.standard_normal((n_hid, width)) / n_hid**0.5, "b_h": 0.2 * rng.standard_normal(width),
              "W_hy": rng.standard_normal((n_hid, n_out)) / n_hid**0.5, "b_y": 0.2 * rng.standard_normal(n_out)}
    return params, rng.standard_normal((n_seq, n_steps, n_in)), rng.standard_normal((n_seq, n_steps, n_out))


def reference_dense_epoch(cell, params, X, Y, learning_rate, batch_size, clip_norm=None, activation="tanh"):
    """The reference engine's epoch, composed from the cells: per batch, forward, MSE, backward, rl.sgd_step."""
    from rnn_lesson.optim import sgd_step

    total, options = 0.0, ({"activation": activation} if cell == "rnn" else {})
    for start in range(0, len(X), batch_size):
        xs, ys_true = X[start:start + batch_size].transpose(1, 0, 2), Y[start:start + batch_size].transpose(1, 0, 2)
        hs, cache = get_cell(cell).forward({k: params[k] for k in ("W_xh", "W_hh", "b_h")}, xs, **options)
        ys, layer_cache = linear.forward(hs, params["W_hy"], params["b_y"])
        loss, dys = losses.mse_loss(ys.reshape(-1, ys.shape[2]), ys_true.reshape(-1, ys.shape[2]))
        dW_hy, db_y, dhs = linear.backward(dys.reshape(ys.shape), layer_cache)
        grads = get_cell(cell).backward(dhs, cache)[0]
        grads.update(W_hy=dW_hy, b_y=db_y)
        sgd_step(params, grads, learning_rate, clip_norm=clip_norm)
        total += loss * len(xs[0])
    return total / len(X)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("batch_size", [None, 1, 3, 8], ids=lambda b: f"batch{b}")
@pytest.mark.parametrize("clip_norm", [None, 0.05], ids=["no-clip", "clip"])
def test_cell_minibatch_epoch_equals_the_reference_engine(cell, batch_size, clip_norm):
    from rnn_lesson.fast.cell_epochs import cell_minibatch_epoch

    params, X, Y = dense_problem(cell, 7, 5, 3, 4, 2, seed=2)
    mine, reference = ({k: v.copy() for k, v in params.items()} for _ in range(2))
    for epoch in range(2):
        loss = cell_minibatch_epoch(mine, X, Y, 0.1, batch_size, cell, clip_norm=clip_norm)
        expected = reference_dense_epoch(cell, reference, X, Y, 0.1, batch_size or 1, clip_norm)
        assert loss == pytest.approx(expected, rel=1e-10), f"epoch {epoch}"
        for key in params:
            assert_close(mine[key], reference[key], key)


@pytest.mark.parametrize("activation", ["sigmoid", "relu", "identity"])
def test_the_vanilla_cell_takes_every_activation(activation):
    from rnn_lesson.fast.cell_epochs import cell_minibatch_epoch

    params, X, Y = dense_problem("rnn", 6, 4, 2, 5, 1, seed=4)
    mine, reference = ({k: v.copy() for k, v in params.items()} for _ in range(2))
    loss = cell_minibatch_epoch(mine, X, Y, 0.05, 4, "rnn", activation, clip_norm=1.0)
    assert loss == pytest.approx(reference_dense_epoch("rnn", reference, X, Y, 0.05, 4, 1.0, activation), rel=1e-10)
    for key in params:
        assert_close(mine[key], reference[key], key)


@pytest.mark.parametrize("cell", CELLS)
def test_a_diverging_epoch_raises_and_puts_the_weights_back(cell):
    from rnn_lesson.fast.cell_epochs import cell_minibatch_epoch

    params, X, Y = dense_problem(cell, 6, 4, 3, 4, 2, seed=1)
    Y = Y * 1e200  # the squared error overflows
    before = {k: v.copy() for k, v in params.items()}
    with pytest.raises(FloatingPointError, match="put back"):
        cell_minibatch_epoch(params, X, Y, 0.1, 2, cell)
    for key in params:
        np.testing.assert_array_equal(params[key], before[key])


@pytest.mark.parametrize("cell", CELLS)
def test_a_reused_workspace_holding_garbage_gives_the_same_numbers_to_the_bit(cell):
    params, inputs, targets, state = lm_problem(cell, 6, 4, 5, 3, seed=7)
    fresh = lm_loss_and_grads(cell, params, inputs, targets, state)
    ws = CellWorkspace(cell, 6, 5, 5, 3, 5)
    for name in ws.shapes:
        getattr(ws, name)[...] = np.nan
    for grad in ws.grads.values():
        grad[...] = np.nan
    again = lm_loss_and_grads(cell, params, inputs, targets, state, ws)  # a batch of 4 in a workspace of 5
    assert again[0] == fresh[0]
    for key in params:
        np.testing.assert_array_equal(again[1][key], fresh[1][key])
    for got, expected in zip(again[2], fresh[2]):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("change, error, message", [
    (lambda p, i, t, s: (p, i + 0.5, t, s), TypeError, "integer character ids"),
    (lambda p, i, t, s: (p, i, np.where(t == t[0, 0], 99, t), s), ValueError, r"targets\[0, 0\] is 99"),
    (lambda p, i, t, s: (p, i, t[:-1], s), ValueError, "shape of inputs"),
    (lambda p, i, t, s: (p, i[:, :, None], t, s), ValueError, r"shape \(T, B\)"),
    (lambda p, i, t, s: (p, i, t, s[:1]), ValueError, r"\(h0, c0\)"),
    (lambda p, i, t, s: (p, i, t, (s[0][:1], s[1])), ValueError, "state h0"),
    (lambda p, i, t, s: ({**p, "W_hh": p["W_hh"][:, :-1]}, i, t, s), ValueError, r"params\['W_hh'\]"),
    (lambda p, i, t, s: ({**p, "b_y": p["b_y"].astype(np.float32)}, i, t, s), TypeError, r"params\['b_y'\]"),
])
def test_bad_language_model_inputs_get_clear_errors(change, error, message):
    args = change(*lm_problem("lstm", 4, 3, 5, 2))
    with pytest.raises(error, match=message):
        lm_loss_and_grads("lstm", *args)


def test_a_workspace_for_other_sizes_is_refused():
    params, inputs, targets, state = lm_problem("gru", 4, 3, 5, 2)
    with pytest.raises(ValueError, match="workspace was made for"):
        lm_loss_and_grads("gru", params, inputs, targets, state, CellWorkspace("gru", 4, 2, 5, 2, 5))
    with pytest.raises(ValueError, match="unknown cell"):
        lm_loss_and_grads("tree", params, inputs, targets, state)
