"""Recurrent cells behind one contract, so a model swaps the cell and keeps its loop.

Every cell module here has (dimension letters: T steps, N sequences, I inputs, H hidden)

    init_params(n_inputs, n_hidden, seed=0)   -> params: W_xh (I, G*H), W_hh (H, G*H), b_h (G*H,)
    step_forward(params, x, h_prev)           -> (h, cache)         x (I,) or (N, I); h like h_prev
    step_backward(dh, cache)                  -> (dx, dh_prev, grads)
    forward(params, xs, h0=None)              -> (hs, cache)        xs (T, I) or time-major (T, N, I);
                                                                    hs (T, H) or (T, N, H), h_0 not in hs
    backward(dhs, cache)                      -> (grads, dxs, dh0)  dhs like hs; dxs like xs; dh0 like h_0

``dhs`` is the gradient reaching each h_t from outside the cell (an output
layer, a layer above); ``backward`` adds the gradient through the recurrence
itself. ``grads`` has the keys of ``params``. G is the number of blocks: 1 for
``rnn``, 4 for ``lstm`` (i, f, g, o), 3 for ``gru`` (r, z, n). The vanilla cell also
takes ``activation="tanh"``; an LSTM also ``c0=None`` and returns ``dc0`` last.
A cell has no output layer: that is :mod:`rnn_lesson.layers.linear`.
"""
from . import gru, lstm, rnn

CELLS = {"rnn": rnn, "lstm": lstm, "gru": gru}


def get_cell(name):
    """The cell module registered under ``name`` (e.g. ``"rnn"``); ValueError lists the known names."""
    if not isinstance(name, str):
        raise TypeError(f"cell must be a name (str), got {type(name).__name__}")
    try:
        return CELLS[name]
    except KeyError:
        raise ValueError(f"unknown cell {name!r}; choose one of: {', '.join(sorted(CELLS))}") from None
