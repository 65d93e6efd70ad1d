"""A bidirectional layer: one cell reads the sequence forwards, another backwards; their states side by side.

Dimensions: T steps, N sequences (optional axis), I inputs, H hidden units per direction.

    h→_t = cell(x_t, h→_{t-1}; forward params)          t = 0 .. T-1
    h←_t = cell(x_t, h←_{t+1}; backward params)         t = T-1 .. 0   (the cell on the reversed sequence)
    h_t  = [h→_t, h←_t]                                  (T, [N,] 2H)

so every h_t has seen the whole sequence: the past through h→, the future through h←.
Backward: the gradient on h_t splits into its halves; each half goes back through its
own cell (the backward one on the reversed sequence), and the two dxs add up.
With ``lengths`` (sequences padded at the end, ``rnn_lesson.layers.masking``) each
sequence is reversed within its own length, so the backward cell starts at its
last real step and the padding stays at the end, unread by the real states.
Which makes it useless for forecasting: h← at t has read x_{t+1}, the answer.
"""
import numpy as np

from .masking import check_lengths
from ..shapes import as_float_array


def reverse(xs, lengths=None):
    """xs (T, N, ...) with each sequence's first lengths[n] steps in reverse order (padding kept at the end).

    Without ``lengths``: the whole time axis reversed (xs (T, ...)). Its own inverse.
    """
    xs = np.asarray(xs)
    if lengths is None:
        return xs[::-1]
    if xs.ndim < 3:
        raise ValueError(f"reversing within lengths needs a time-major batch (T, N, ...), got shape {xs.shape}")
    lengths = check_lengths(lengths, xs.shape[0], xs.shape[1])
    steps = np.arange(xs.shape[0])[:, None]                                 # (T, 1)
    source = np.where(steps < lengths[None, :], lengths[None, :] - 1 - steps, steps)   # (T, N)
    return xs[source, np.arange(xs.shape[1])[None, :]]


def forward(cell, forward_params, backward_params, xs, lengths=None, **options):
    """``(hs (T, [N,] 2H), cache)``: the forward cell's states, then the backward cell's, on the last axis.

    ``cell``: a module of ``rnn_lesson.cells``; ``options`` go to its forward
    (the vanilla cell's ``activation``).
    """
    hs_forward, cache_forward = cell.forward(forward_params, xs, **options)
    hs_reversed, cache_backward = cell.forward(backward_params, reverse(xs, lengths), **options)
    hs = np.concatenate([hs_forward, reverse(hs_reversed, lengths)], axis=-1)
    return hs, (cell, lengths, hs_forward.shape[-1], cache_forward, cache_backward)


def backward(dhs, cache):
    """``(forward grads, backward grads, dxs)`` from dL/dhs (T, [N,] 2H)."""
    cell, lengths, n_hidden, cache_forward, cache_backward = cache
    dhs = as_float_array(dhs, "dhs")
    if dhs.ndim < 2 or dhs.shape[-1] != 2 * n_hidden:
        raise ValueError(f"dhs must end in 2H = {2 * n_hidden} (both directions), got shape {dhs.shape}")
    grads_forward, dxs_forward = cell.backward(dhs[..., :n_hidden], cache_forward)[:2]
    grads_backward, dxs_reversed = cell.backward(reverse(dhs[..., n_hidden:], lengths), cache_backward)[:2]
    return grads_forward, grads_backward, dxs_forward + reverse(dxs_reversed, lengths)
