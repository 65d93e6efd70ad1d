"""Dropout, masking, the bidirectional wrapper and the stack: values, finite-difference checks, bad input."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.cells import get_cell
from rnn_lesson.layers import bidirectional, dropout, masking, stack

CELLS = ["rnn", "lstm", "gru"]


# ------------------------------------------------------------------ dropout

def test_dropout_is_inverted_seeded_and_off_at_prediction():
    xs = np.ones((200, 50))
    ys, keep = dropout.forward(xs, 0.3, True, rng=1)
    assert set(np.unique(ys)) == {0.0, 1 / 0.7}
    assert abs(np.mean(ys == 0) - 0.3) < 0.01 and abs(ys.mean() - 1.0) < 0.02  # the expected value is kept
    assert np.array_equal(ys, dropout.forward(xs, 0.3, True, rng=1)[0])       # same seed, same mask
    assert not np.array_equal(ys, dropout.forward(xs, 0.3, True, rng=2)[0])
    off, no_mask = dropout.forward(xs, 0.3, False)
    assert no_mask is None and np.array_equal(off, xs)                         # prediction: the identity
    assert dropout.forward(xs, 0.0, True, rng=1)[1] is None
    dys = np.arange(xs.size, dtype=float).reshape(xs.shape)
    assert np.array_equal(dropout.backward(dys, keep), dys * keep)
    assert dropout.backward(dys, None) is dys


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, float("nan")])
def test_dropout_rate_outside_0_1_is_refused(rate):
    with pytest.raises(ValueError, match=r"dropout must be in \[0, 1\)"):
        dropout.forward(np.ones(3), rate, True, rng=0)


@pytest.mark.parametrize("flag", [1, 0, "yes", None, np.bool_(True)])
def test_training_must_be_a_bool(flag):
    with pytest.raises(TypeError, match="training must be True or False"):
        dropout.forward(np.ones(3), 0.5, flag, rng=0)


def test_dropout_bad_arguments():
    with pytest.raises(TypeError, match="dropout must be a number"):
        dropout.forward(np.ones(3), "0.5", True, rng=0)
    with pytest.raises(ValueError, match="pass rng"):
        dropout.forward(np.ones(3), 0.5, True)
    with pytest.raises(ValueError, match="shape of the mask"):
        dropout.backward(np.ones(4), dropout.forward(np.ones(3), 0.5, True, rng=0)[1])


# ------------------------------------------------------------------ masking

def _ragged(seed=0, lengths=(5, 2, 4), n_inputs=3):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((length, n_inputs)) for length in lengths]


def test_pad_and_mask():
    sequences = _ragged()
    xs, lengths = masking.pad(sequences)
    assert xs.shape == (5, 3, 3) and lengths.tolist() == [5, 2, 4]
    assert np.array_equal(xs[:2, 1], sequences[1]) and not xs[2:, 1].any()
    mask = masking.mask_from_lengths(lengths, 5)
    assert mask.T.tolist() == [[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 1, 1, 1, 0]]


def test_masked_mse_ignores_the_padding_and_matches_finite_differences():
    rng = np.random.default_rng(3)
    ys, targets = rng.standard_normal((5, 3, 2)), rng.standard_normal((5, 3, 2))
    mask = masking.mask_from_lengths([5, 2, 4], 5)
    loss, dys = masking.masked_mse(ys, targets, mask)
    real = mask.astype(bool)
    assert np.isclose(loss, np.mean((ys[real] - targets[real]) ** 2), rtol=1e-14)
    assert not dys[~real].any()
    changed = ys.copy()
    changed[~real] = 1e6  # anything on the padding
    assert masking.masked_mse(changed, targets, mask)[0] == loss
    numeric = rl.numerical_gradient(lambda y: masking.masked_mse(y, targets, mask)[0], ys.copy())
    assert rl.relative_error(dys, numeric) < 1e-8


def test_summaries_and_their_gradients():
    rng = np.random.default_rng(4)
    hs, lengths = rng.standard_normal((5, 3, 4)), np.array([5, 2, 4])
    mask = masking.mask_from_lengths(lengths, 5)
    last = masking.last_state(hs, lengths)
    assert np.array_equal(last, np.stack([hs[4, 0], hs[1, 1], hs[3, 2]]))
    both = masking.last_state(hs, lengths, bidirectional=True)
    assert np.array_equal(both[:, :2], last[:, :2]) and np.array_equal(both[:, 2:], hs[0, :, 2:])
    np.testing.assert_allclose(masking.mean_state(hs, mask)[1], hs[:2, 1].mean(axis=0), rtol=1e-14)
    ds = rng.standard_normal((3, 4))
    for bidi in (False, True):
        numeric = rl.numerical_gradient(lambda h: masking.last_state(h, lengths, bidi), hs.copy(), ds)
        assert rl.relative_error(masking.last_state_backward(ds, lengths, 5, bidi), numeric) < 1e-8
    numeric = rl.numerical_gradient(lambda h: masking.mean_state(h, mask), hs.copy(), ds)
    assert rl.relative_error(masking.mean_state_backward(ds, mask), numeric) < 1e-8


def test_bad_masks_and_lengths_are_refused():
    with pytest.raises(ValueError, match=r"mask\[1, 0\] = 0.5"):
        masking.check_mask(np.array([[1, 1], [0.5, 1]]), (2, 2))
    with pytest.raises(ValueError, match="mask must have shape"):
        masking.check_mask(np.ones((3, 2)), (2, 2))
    with pytest.raises(ValueError, match=r"mask\[:, 1\] is all 0"):
        masking.check_mask(np.array([[1, 0], [1, 0]]), (2, 2))
    with pytest.raises(ValueError, match=r"lengths\[1\] = 6 is out of range: a length must be in 1..5"):
        masking.mask_from_lengths([5, 6], 5)
    with pytest.raises(ValueError, match=r"lengths\[0\] = 0 is out of range"):
        masking.last_state(np.zeros((5, 2, 3)), [0, 5])
    with pytest.raises(ValueError, match=r"lengths must have shape \(2,\)"):
        masking.last_state(np.zeros((5, 2, 3)), [1, 2, 3])
    with pytest.raises(TypeError, match="lengths must be integers"):
        masking.check_lengths(np.array([1.5, 2.0]), 5, 2)
    with pytest.raises(TypeError, match="lengths must be integers"):
        masking.check_lengths(np.array([True, True]), 5, 2)
    with pytest.raises(ValueError, match=r"sequences\[1\] has shape \(2, 2\)"):
        masking.pad([np.ones((3, 3)), np.ones((2, 2))])
    with pytest.raises(TypeError, match="non-empty list"):
        masking.pad([])
    with pytest.raises(ValueError, match=r"targets must have shape \(5, 3, 2\)"):
        masking.masked_mse(np.zeros((5, 3, 2)), np.zeros((5, 3, 1)), np.ones((5, 3)))


# ------------------------------------------------------------ bidirectional

def test_reverse_within_lengths_keeps_the_padding_and_is_its_own_inverse():
    xs = np.arange(5 * 2, dtype=float).reshape(5, 2)[..., None]       # (T, N, 1): x[t, n] = 2t + n
    flipped = bidirectional.reverse(xs, [5, 3])
    assert flipped[:, 0, 0].tolist() == [8, 6, 4, 2, 0]
    assert flipped[:, 1, 0].tolist() == [5, 3, 1, 7, 9]              # the padding stays where it was
    assert np.array_equal(bidirectional.reverse(flipped, [5, 3]), xs)
    assert np.array_equal(bidirectional.reverse(xs), xs[::-1])


@pytest.mark.parametrize("cell", CELLS)
def test_the_backward_half_is_the_cell_on_the_reversed_sequence(cell):
    module = get_cell(cell)
    rng = np.random.default_rng(5)
    forward_params, backward_params = module.init_params(3, 4, seed=1), module.init_params(3, 4, seed=2)
    xs = rng.standard_normal((6, 3))
    hs, _ = bidirectional.forward(module, forward_params, backward_params, xs)
    assert hs.shape == (6, 8)
    np.testing.assert_array_equal(hs[:, :4], module.forward(forward_params, xs)[0])
    np.testing.assert_array_equal(hs[:, 4:], module.forward(backward_params, xs[::-1])[0][::-1])


def _stack_check(cell, n_layers, bidi, lengths=None, rate=0.0, seed=0):
    """Largest relative error between stack.backward and finite differences, over every parameter and xs."""
    layers = stack.init_params(cell, 3, 4, n_layers=n_layers, bidirectional=bidi, seed=seed)
    rng = np.random.default_rng(seed + 100)
    for cells in layers:  # biases away from 0, so a missing bias gradient shows
        for params in cells:
            params["b_h"] += 0.3 * rng.standard_normal(params["b_h"].shape)
    xs = rng.standard_normal((5, 2, 3))
    dhs = rng.standard_normal((5, 2, 4 * (2 if bidi else 1)))

    def run():
        return stack.forward(cell, layers, xs, lengths=lengths, dropout=rate, training=rate > 0, rng=9)

    grads, dxs = stack.backward(dhs, run()[1])
    flat_grads = stack.flatten(grads)
    errors = {key: rl.relative_error(flat_grads[key], rl.numerical_gradient(lambda _: run()[0], array, dhs))
              for key, array in stack.flatten(layers).items()}
    errors["xs"] = rl.relative_error(dxs, rl.numerical_gradient(lambda _: run()[0], xs, dhs))
    return errors


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("n_layers, bidi", [(2, False), (1, True), (2, True)])
def test_stacked_and_bidirectional_backward_match_finite_differences(cell, n_layers, bidi):
    errors = _stack_check(cell, n_layers, bidi)
    assert len(errors) == 3 * n_layers * (2 if bidi else 1) + 1
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("cell", CELLS)
def test_with_dropout_and_lengths_too(cell):
    errors = _stack_check(cell, 2, True, lengths=np.array([5, 3]), rate=0.3, seed=1)
    assert max(errors.values()) < 1e-7, errors


def test_a_check_that_can_fail():
    layers = stack.init_params("rnn", 3, 4, n_layers=2, seed=0)
    xs, dhs = np.random.default_rng(0).standard_normal((5, 2, 3)), np.random.default_rng(1).standard_normal((5, 2, 4))
    grads, _ = stack.backward(dhs, stack.forward("rnn", layers, xs)[1])
    numeric = rl.numerical_gradient(lambda _: stack.forward("rnn", layers, xs)[0], layers[0][0]["W_xh"], dhs)
    assert rl.relative_error(grads[1][0]["W_xh"][:3], numeric) > 1e-2   # another layer's gradient does not pass


@pytest.mark.parametrize("cell", CELLS)
def test_the_gradient_on_padded_inputs_is_exactly_zero(cell):
    """A loss on the real steps only (last state, mean state, masked per-step) sends nothing into the padding."""
    xs, lengths = masking.pad(_ragged(seed=6))
    mask = masking.mask_from_lengths(lengths, len(xs))
    rng = np.random.default_rng(7)
    for bidi in (False, True):
        layers = stack.init_params(cell, 3, 4, n_layers=2, bidirectional=bidi, seed=3)
        hs, cache = stack.forward(cell, layers, xs, lengths=lengths)
        ds = rng.standard_normal((3, hs.shape[-1]))
        for dhs in (masking.last_state_backward(ds, lengths, len(xs), bidi), masking.mean_state_backward(ds, mask),
                    masking.masked_mse(hs, rng.standard_normal(hs.shape), mask)[1]):
            _, dxs = stack.backward(dhs, cache)
            assert np.all(dxs[mask == 0] == 0.0) and np.any(dxs[mask == 1] != 0.0)
        padded = xs.copy()
        padded[mask == 0] = 5.0  # other padding values: the real states do not change
        changed = stack.forward(cell, layers, padded, lengths=lengths)[0]
        assert np.array_equal(changed[mask == 1], hs[mask == 1])


def test_without_lengths_the_backward_cell_reads_the_padding_first():
    xs, lengths = masking.pad(_ragged(seed=6))
    xs[masking.mask_from_lengths(lengths, len(xs)) == 0] = 1.0  # (zero padding and zero biases keep h at 0)
    layers = stack.init_params("rnn", 3, 4, bidirectional=True, seed=3)
    with_lengths = stack.forward("rnn", layers, xs, lengths=lengths)[0]
    without = stack.forward("rnn", layers, xs)[0]
    assert not np.allclose(with_lengths[0, 1, 4:], without[0, 1, 4:])


def test_dropout_in_the_stack_is_off_at_prediction_and_seeded_in_training():
    layers = stack.init_params("gru", 3, 4, n_layers=2, seed=0)
    xs = np.random.default_rng(0).standard_normal((5, 2, 3))
    plain = stack.forward("gru", layers, xs)[0]
    assert np.array_equal(stack.forward("gru", layers, xs, dropout=0.5, training=False)[0], plain)
    first = stack.forward("gru", layers, xs, dropout=0.5, training=True, rng=4)[0]
    assert np.array_equal(first, stack.forward("gru", layers, xs, dropout=0.5, training=True, rng=4)[0])
    assert not np.array_equal(first, plain) and np.any(first == 0)


def test_flatten_names_and_unflatten():
    layers = stack.init_params("lstm", 3, 2, n_layers=2, bidirectional=True, seed=0)
    flat = stack.flatten(layers)
    assert sorted(flat) == sorted(f"{k}{s}" for k in ("W_xh", "W_hh", "b_h") for s in ("", "_rev", "_l1", "_l1_rev"))
    assert flat["W_xh_l1"].shape == (4, 8) and flat["W_xh"].shape == (3, 8)
    back = stack.unflatten(flat, 2, 2)
    assert all(back[l][d][k] is layers[l][d][k] for l in range(2) for d in range(2) for k in layers[l][d])


def test_stack_bad_input():
    layers = stack.init_params("rnn", 3, 4, n_layers=2, seed=0)
    with pytest.raises(ValueError, match=r"xs must have shape \(T, I\) or time-major"):
        stack.forward("rnn", layers, np.zeros(3))
    with pytest.raises(ValueError, match=r"xs must have shape"):
        stack.forward("rnn", layers, np.zeros((5, 2, 4)))
    with pytest.raises(ValueError, match="unknown cell"):
        stack.forward("lstmm", layers, np.zeros((5, 3)))
    with pytest.raises(TypeError, match="layers must be a non-empty list"):
        stack.forward("rnn", [], np.zeros((5, 3)))
    with pytest.raises(ValueError, match="every layer must be a list of 1"):
        stack.forward("rnn", [layers[0], layers[1] * 3], np.zeros((5, 3)))
    with pytest.raises(TypeError, match="training must be True or False"):
        stack.forward("rnn", layers, np.zeros((5, 3)), dropout=0.2, training="no")
    with pytest.raises(ValueError, match=r"dropout must be in \[0, 1\)"):
        stack.forward("rnn", layers, np.zeros((5, 3)), dropout=1.0)
    with pytest.raises(TypeError, match="bidirectional must be True or False"):
        stack.init_params("rnn", 3, 4, bidirectional=1)
    with pytest.raises(ValueError, match="n_layers must be at least 1"):
        stack.init_params("rnn", 3, 4, n_layers=0)
    bidi = stack.init_params("rnn", 3, 4, bidirectional=True, seed=0)
    _, cache = stack.forward("rnn", bidi, np.zeros((5, 2, 3)))
    with pytest.raises(ValueError, match=r"dhs must end in 2H = 8"):
        stack.backward(np.zeros((5, 2, 4)), cache)
    with pytest.raises(ValueError, match="time-major batch"):
        bidirectional.reverse(np.zeros((5, 3)), [5])
    with pytest.raises(ValueError, match=r"lengths\[1\] = 9 is out of range"):
        stack.forward("rnn", layers, np.zeros((5, 2, 3)), lengths=[5, 9])     # one way too: never ignored
    with pytest.raises(ValueError, match="lengths go with a time-major batch"):
        stack.forward("rnn", layers, np.zeros((5, 3)), lengths=[5])
