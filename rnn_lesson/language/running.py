"""Running a trained language model forward, without gradients: its loss on a text, its states, its samples.

Dimensions: L characters, P pieces run side by side, V vocabulary, H hidden units.
Every function here takes the cell's name and the parameters of ``objective`` (any number of layers)
and runs it without dropout, keeping nothing beyond what the next step needs: ``mean_loss`` and
``generate`` step one character at a time with ``objective.step``, ``hidden_states`` reads a chunk at
a time (``memory``), so a long text costs memory for one step, or one chunk, only.
"""
import numpy as np

from ..budget import check_bytes
from ..cells.common import CELL_PARAM_NAMES
from ..layers import stack
from .memory import hidden_chunk
from .objective import N_STATES, n_layers_of, step_unchecked as step, zero_state
from .sampling import sample_next
from .vocabulary import onehot

MAX_PIECES = 64       # a long text is scored as up to 64 pieces run side by side
MIN_PIECE = 1000      # ... each of at least 1,000 characters (each starts from h = 0)


def mean_loss(cell, params, ids):
    """Mean -ln p(next character) in nats over the L - 1 predictions of ``ids`` (L,), L >= 2.

    The text is cut into P = clamp((L - 1) // MIN_PIECE, 1, MAX_PIECES) contiguous
    pieces scored side by side, each from a zero state (so the first few
    characters of each piece are predicted with no context); every prediction
    is counted once.
    """
    n_predictions = len(ids) - 1
    n_pieces = int(np.clip(n_predictions // MIN_PIECE, 1, MAX_PIECES))
    length = -(-n_predictions // n_pieces)
    padded = np.zeros(n_pieces * length + 1, dtype=np.int64)
    padded[:len(ids)] = ids
    counted = np.arange(n_pieces * length).reshape(n_pieces, length) < n_predictions  # (P, n) False on padding
    inputs = padded[:-1].reshape(n_pieces, length)
    targets = padded[1:].reshape(n_pieces, length)
    state = _zeros(cell, params, n_pieces)
    total = 0.0
    for t in range(length):
        logits, state = step(cell, params, inputs[:, t], state)  # (P, V)
        shifted = logits - logits.max(axis=1, keepdims=True)
        nll = np.log(np.exp(shifted).sum(axis=1)) - shifted[np.arange(n_pieces), targets[:, t]]  # (P,)
        total += nll[counted[:, t]].sum()
    return float(total / n_predictions)


def hidden_states(cell, params, ids, chunk=None):
    """hs (L, H): the top layer's hidden state after reading each character of ``ids``, from h = 0 (one stream).

    Read ``chunk`` characters at a time (default ``memory.hidden_chunk``): each is one
    ``layers.stack.forward`` over its one-hot inputs (C, 1, V) from the states the last one
    ended in, in the arithmetic of ``step``; only the output and one chunk's caches are held.
    MemoryLimitError, before anything is computed, when the output itself (8·L·H bytes) would not fit.
    """
    n_vocab, n_hidden, n_layers = params["W_xh"].shape[0], params["W_hh"].shape[0], n_layers_of(params)
    check_bytes(8 * len(ids) * n_hidden, f"the hidden states of {len(ids):,} characters ({n_hidden} units each)",
                "ask for those of a shorter text (or of its parts, one at a time)")
    chunk = hidden_chunk(cell, n_vocab, n_hidden, n_layers) if chunk is None else chunk
    layers = stack.unflatten(params, n_layers, 1, CELL_PARAM_NAMES)
    starts = [tuple(np.zeros((1, n_hidden)) for _ in range(N_STATES[cell]))] * n_layers
    hs = np.empty((len(ids), n_hidden))
    for begin in range(0, len(ids), chunk):
        top, cache = stack.forward(cell, layers, onehot(ids[begin:begin + chunk, None], n_vocab), states=starts)
        hs[begin:begin + chunk] = top[:, 0]
        starts = stack.last_states(cache)
    return hs


def generate(cell, params, start_ids, n_chars, rng, temperature=1.0, top_k=None):
    """``n_chars`` ids drawn one at a time after reading ``start_ids`` (at least one id) from h = 0.

    Each drawn character is fed back as the next input: the model now reads its
    own guesses (free running), where training always fed it the true text.
    """
    state = _zeros(cell, params, 1)
    for char in start_ids:
        logits, state = step(cell, params, np.array([char]), state)
    drawn = []
    for _ in range(n_chars):
        drawn.append(sample_next(logits[0], rng, temperature, top_k))
        logits, state = step(cell, params, np.array([drawn[-1]]), state)
    return drawn


def _zeros(cell, params, n_streams):
    """The zero state of ``n_streams`` streams through every layer of ``params``."""
    return zero_state(cell, n_streams, params["W_hh"].shape[0], n_layers_of(params))
