"""Sequences of different lengths in one batch: padding, a mask, masked losses and summaries.

Dimensions: T the longest length, N sequences, I inputs, H hidden (or 2H), O outputs.

    pad(sequences)            -> xs (T, N, I) time-major, zeros after each end; lengths (N,)
                                 (``check_sequences`` checks them without padding)
    mask_from_lengths(L, T)   -> mask (T, N): 1 on real steps (t < L_n), 0 on padding
    masked_mse(ys, targets, mask)      L = sum(mask (y - target)^2) / (O sum(mask))
                                       dL/dy = 2 mask (y - target) / (O sum(mask))  (0 on padding)
    last_state(hs, lengths)   -> (N, H): h at each sequence's last real step, t = L_n - 1
    mean_state(hs, mask)      -> (N, H): the mean of h over each sequence's real steps

Padding goes after the real steps, so a forward cell reads every real step
before any padding: its real states do not depend on the padding at all, and a
loss that looks only at real steps sends exactly zero gradient into the padded
inputs (checked in the tests). A backward-reading cell must start at each
sequence's own last real step: ``rnn_lesson.layers.bidirectional`` reverses
within the lengths for that reason. Every (T, N)-sized array a function here
makes is counted first: beyond ``rnn_lesson.budget``'s limit it is a
MemoryLimitError naming the size, before anything is allocated.
"""
import math

import numpy as np

from ..budget import check_bytes
from ..numerics import check_finite, named_overflow
from ..shapes import as_float_array, check_positive_int, check_shape


MAX_STEPS = 10 ** 7  # steps in one batch: bounds the mask and gradient arrays a call asks for


def check_sequences(sequences, name="sequences"):
    """``(arrays, lengths (N,))``: a list of N float arrays (T_n >= 1, I), each checked, as ``pad`` takes it."""
    if isinstance(sequences, np.ndarray) or not isinstance(sequences, (list, tuple)) or not sequences:
        raise TypeError(f"{name} must be a non-empty list of (T_n, I) arrays")
    arrays = [as_float_array(s, f"{name}[{n}]", ndim=2) for n, s in enumerate(sequences)]
    width = arrays[0].shape[1]
    for n, array in enumerate(arrays):
        if array.shape[0] == 0 or array.shape[1] != width:
            raise ValueError(f"{name}[{n}] has shape {array.shape}; every sequence needs T_n >= 1 steps of "
                             f"{width} inputs (the width of {name}[0])")
    return arrays, np.array([len(a) for a in arrays])


def pad(sequences, name="sequences"):
    """A list of N arrays (T_n, I) as one time-major batch xs (T, N, I), zeros after each end, and lengths (N,).

    MemoryLimitError before xs (8·T·N·I bytes) is allocated when it would not fit.
    """
    arrays, lengths = check_sequences(sequences, name)
    width = arrays[0].shape[1]
    check_bytes(8 * int(lengths.max()) * len(arrays) * width, f"padding {len(arrays):,} {name} to the longest, "
                f"{int(lengths.max()):,} steps of {width} inputs", "pad fewer sequences at once, or of similar lengths")
    xs = np.zeros((lengths.max(), len(arrays), width))
    for n, array in enumerate(arrays):
        xs[:len(array), n] = array
    return xs, lengths


def check_lengths(lengths, n_steps, n_sequences):
    """``lengths`` as an int array (N,) with every entry in 1..T; errors name the sequence at fault."""
    lengths = np.asarray(lengths)
    if lengths.shape != (n_sequences,):
        raise ValueError(f"lengths must have shape ({n_sequences},), one per sequence, got {lengths.shape}")
    if lengths.dtype.kind not in "iu":
        raise TypeError(f"lengths must be integers (steps per sequence), got dtype {lengths.dtype}")
    bad = np.flatnonzero((lengths < 1) | (lengths > n_steps))
    if len(bad):
        raise ValueError(f"lengths[{bad[0]}] = {lengths[bad[0]]} is out of range: a length must be in 1..{n_steps} "
                         f"(the batch has T = {n_steps} steps)")
    return lengths.astype(np.int64)


def mask_from_lengths(lengths, n_steps):
    """mask (T, N): 1.0 where t < lengths[n] (a real step), 0.0 on the padding."""
    n_steps = check_positive_int(n_steps, "n_steps", most=MAX_STEPS)
    lengths = check_lengths(lengths, n_steps, len(np.atleast_1d(lengths)))
    check_bytes(9 * n_steps * len(lengths) + 8 * n_steps, f"a mask of {n_steps:,} steps for {len(lengths):,} sequences",
                "use fewer steps or sequences at once")  # the float mask and the comparison's booleans
    return (np.arange(n_steps)[:, None] < lengths[None, :]).astype(np.float64)


def check_mask(mask, shape):
    """``mask`` as float64 of ``shape`` (T, N), every entry exactly 0 or 1, every sequence at least one real step."""
    mask = check_shape(as_float_array(mask, "mask"), shape, "mask")
    bad = np.argwhere((mask != 0) & (mask != 1))
    if len(bad):
        t, n = (int(i) for i in bad[0])
        raise ValueError(f"mask must hold only 0 (padding) and 1 (real step); mask[{t}, {n}] = {mask[t, n]:g}")
    empty = np.flatnonzero(mask.sum(axis=0) == 0)
    if len(empty):
        raise ValueError(f"mask[:, {empty[0]}] is all 0: sequence {empty[0]} has no real step")
    return mask


@named_overflow
def masked_mse(ys, targets, mask):
    """MSE over the real steps only: ys, targets (T, N, O), mask (T, N) -> (loss, dys (T, N, O)).

    L = sum over real (t, n) and o of (y - target)^2 / (O * number of real steps);
    dys is exactly 0 on the padding, so no gradient starts there.
    """
    if isinstance(ys, np.ndarray):  # its four temporaries, before as_float_array's own pass over it
        check_bytes(32 * math.prod(ys.shape), f"the masked MSE of ys {ys.shape}", "use fewer steps")
    ys = as_float_array(ys, "ys", ndim=3)
    targets = check_shape(as_float_array(targets, "targets"), ys.shape, "targets")
    mask = check_mask(mask, ys.shape[:2])[..., None]                 # (T, N, 1)
    count = mask.sum() * ys.shape[2]
    diff = (ys - targets) * mask
    loss = check_finite(np.sum(diff * diff) / count, "the masked MSE", inputs={"ys": ys, "targets": targets})
    return float(loss), check_finite(2.0 * diff / count, "dys", inputs={"ys": ys, "targets": targets})


def last_state(hs, lengths, bidirectional=False):
    """The summary h at each sequence's last real step: hs (T, N, H) -> (N, H).

    With ``bidirectional`` hs is (T, N, 2H), [forward half, backward half]: the
    backward cell's last step is t = 0, so its half is taken there.
    """
    hs = as_float_array(hs, "hs", ndim=3)
    lengths = check_lengths(lengths, hs.shape[0], hs.shape[1])
    rows = np.arange(hs.shape[1])
    summary = hs[lengths - 1, rows].copy()
    if bidirectional:
        half = _half(hs)
        summary[:, half:] = hs[0, :, half:]
    return summary


def last_state_backward(dsummary, lengths, n_steps, bidirectional=False):
    """dL/dhs (T, N, H) from dL/dsummary (N, H): dsummary where last_state read it, 0 everywhere else."""
    dsummary = as_float_array(dsummary, "dsummary", ndim=2)
    n_steps = check_positive_int(n_steps, "n_steps", most=MAX_STEPS)
    lengths = check_lengths(lengths, n_steps, dsummary.shape[0])
    check_bytes(8 * n_steps * dsummary.size, f"dL/dhs for {n_steps:,} steps of {dsummary.shape}", "use fewer steps")
    dhs = np.zeros((n_steps,) + dsummary.shape)
    rows = np.arange(dsummary.shape[0])
    if bidirectional:
        half = _half(dsummary)
        dhs[lengths - 1, rows, :half] = dsummary[:, :half]
        dhs[0, :, half:] += dsummary[:, half:]
    else:
        dhs[lengths - 1, rows] = dsummary
    return dhs


@named_overflow
def mean_state(hs, mask):
    """The mean of h over each sequence's real steps: hs (T, N, H), mask (T, N) -> (N, H)."""
    hs = as_float_array(hs, "hs", ndim=3)
    mask = check_mask(mask, hs.shape[:2])
    return check_finite(np.einsum("tn,tnh->nh", mask, hs) / mask.sum(axis=0)[:, None], "the mean state",
                        inputs={"hs": hs})


def mean_state_backward(dsummary, mask):
    """dL/dhs (T, N, H) from dL/dsummary (N, H): mask[t, n] * dsummary[n] / L_n (0 on the padding)."""
    dsummary = as_float_array(dsummary, "dsummary", ndim=2)
    n_steps = np.shape(mask)[0] if np.ndim(mask) else 0
    check_bytes(8 * n_steps * dsummary.size, f"dL/dhs for {n_steps:,} steps of {dsummary.shape}", "use fewer steps")
    mask = check_mask(mask, (None, dsummary.shape[0]))
    return mask[..., None] * (dsummary / mask.sum(axis=0)[:, None])[None]


def _half(array):
    if array.shape[-1] % 2:
        raise ValueError(f"a bidirectional state has an even width 2H, got {array.shape[-1]}")
    return array.shape[-1] // 2
