"""The Workspace: named buffers allocated once, reset in place, views for a smaller batch."""
import numpy as np
import pytest

from rnn_lesson.fast.workspace import Workspace


def _address(array):
    return array.__array_interface__["data"][0]


def test_buffers_for_one_sequence_have_no_batch_axis():
    ws = Workspace(5, 3, 4, 2)
    assert ws.xs is None
    assert ws.hs.shape == (6, 4) and ws.ys.shape == (5, 2) and ws.dys.shape == (5, 2)
    assert ws.dz.shape == (5, 4) and ws.dh_next.shape == (4,) and ws.scratch.shape == (4,)
    assert {k: g.shape for k, g in ws.grads.items()} == {
        "W_xh": (3, 4), "W_hh": (4, 4), "W_hy": (4, 2), "b_h": (4,), "b_y": (2,)}
    assert {k: g.shape for k, g in ws.saved.items()} == {k: g.shape for k, g in ws.grads.items()}


def test_batched_buffers_are_time_major():
    ws = Workspace(5, 3, 4, 2, batch_size=8)
    assert ws.xs.shape == (5, 8, 3) and ws.hs.shape == (6, 8, 4) and ws.dz.shape == (5, 8, 4)
    assert ws.dh_next.shape == (8, 4) and ws.ys.shape == (5, 8, 2)
    assert ws.hs[2].flags.c_contiguous


def test_reset_fills_zeros_in_the_same_memory():
    ws = Workspace(4, 3, 2, 1, batch_size=3)
    addresses = {name: _address(a) for name, a in ws.buffers().items()}
    for array in ws.buffers().values():
        array[...] = 7.5
    assert ws.reset() is ws
    for name, array in ws.buffers().items():
        assert _address(array) == addresses[name], name
        if name.startswith("saved_"):
            assert (array == 7.5).all(), f"{name}: the epoch's saved weights must survive a reset"
        else:
            assert not array.any(), name


def test_nbytes_and_repr_name_the_buffers():
    ws = Workspace(2, 1, 1, 1)
    expected = 8 * (3 + 2 + 2 + 2 + 1 + 1 + 2 * (1 + 1 + 1 + 1 + 1))
    assert ws.nbytes == expected
    assert "hs (3, 1)" in repr(ws) and f"{expected:,} bytes" in repr(ws)


def test_for_batch_gives_contiguous_views_of_the_front_of_the_memory():
    ws = Workspace(3, 2, 4, 1, batch_size=5)
    assert ws.for_batch(5) is ws
    small = ws.for_batch(2)
    assert small.hs.shape == (4, 2, 4) and small.xs.shape == (3, 2, 2) and small.dh_next.shape == (2, 4)
    for name in ("xs", "hs", "ys", "dys", "dz", "dh_next", "scratch"):
        view = getattr(small, name)
        assert view.flags.c_contiguous and np.shares_memory(view, getattr(ws, name)), name
    assert small.grads is ws.grads and small.saved is ws.saved
    assert ws.batch_size == 5 and small.batch_size == 2


def test_for_batch_needs_a_batched_workspace():
    with pytest.raises(ValueError, match="batch_size"):
        Workspace(3, 2, 4, 1).for_batch(1)


@pytest.mark.parametrize("sizes, batch, message", [
    ((5, 3, 4, 3), None, r"\(T, I, H, O\) = \(5, 3, 4, 2\).*need \(5, 3, 4, 3\)"),
    ((6, 3, 4, 2), None, "Workspace"),
    ((5, 3, 4, 2), 4, "one sequence at a time, this call trains batches of 4"),
])
def test_check_fits_explains_the_mismatch(sizes, batch, message):
    with pytest.raises(ValueError, match=message):
        Workspace(5, 3, 4, 2).check_fits(*sizes, batch)


def test_a_batched_workspace_serves_smaller_batches_only():
    ws = Workspace(5, 3, 4, 2, batch_size=8)
    ws.check_fits(5, 3, 4, 2, 8)
    ws.check_fits(5, 3, 4, 2, 3)
    with pytest.raises(ValueError, match="at most 8, got batch_size=9"):
        ws.check_fits(5, 3, 4, 2, 9)
    with pytest.raises(ValueError, match="batches of 8, this call trains one sequence at a time"):
        ws.check_fits(5, 3, 4, 2, None)


@pytest.mark.parametrize("args, error", [((0, 1, 1, 1), ValueError), ((2, 1.5, 1, 1), TypeError),
                                         ((2, 1, 1, 1, 0), ValueError)])
def test_bad_sizes_are_refused(args, error):
    with pytest.raises(error):
        Workspace(*args)
