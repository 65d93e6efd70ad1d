"""The language model's loss and gradients on one chunk: the reference the fast engine must match.

Dimensions: T steps in a chunk, B streams (sequences) side by side, V characters
in the vocabulary, H hidden units, G gate blocks (1 rnn, 4 lstm, 3 gru), L layers.

Parameters (float64): the first cell's ``W_xh (V, G·H)``, ``W_hh (H, G·H)``,
``b_h (G·H,)``; for L > 1 the cells above it, ``W_xh_l1 (H, G·H)``, ``W_hh_l1``,
``b_h_l1`` ... (``layers.stack.key_name``); the output layer's ``W_hy (H, V)``,
``b_y (V,)``. The input at step t of stream b is the character ``inputs[t, b]``;
its target is the character that follows, ``targets[t, b]``. On one chunk:

    x_t      = onehot(inputs[t])                     (B, V)   x_t @ W_xh == W_xh[inputs[t]]
    h_t^l    = cell_l(h_t^(l-1), h_{t-1}^l)          (B, H)   h_t^0 = x_t; rl.layers.stack
               then dropout(h_t^l) while training    (p = ``dropout``; never inside the recurrence)
    logits_t = h_t^L @ W_hy + b_y                    (B, V)   rl.layers.linear
    loss     = mean over t, b of -log softmax(logits_t)[targets[t]]   (nats)

With L = 1 and no dropout this is exactly the single cell of lesson 13.

``lm_loss_and_grads(cell, params, inputs, targets, state) -> (loss, grads, new_state)``
returns that loss, its gradient for every parameter (no clipping, no update) and
the state after the last step. The caller carries ``new_state`` into the next
chunk of the same streams (stateful truncated BPTT); no gradient flows back
through it into the previous chunk. ``state`` is ``(h0,)`` for rnn and gru,
``(h0, c0)`` for lstm, each (B, H), one such group per layer, bottom first:
``(h0_0, c0_0, h0_1, c0_1, ...)``. ``dropout`` p > 0 trains with a fresh mask
from ``rng`` (a seed or a Generator) on every layer's output; evaluation and
sampling (``step``) never drop anything.

This reference is written for reading: it builds the one-hot vectors and
composes the package's own pieces (``layers.stack`` over the cells' ``forward``/``backward``,
``layers.linear``, ``losses.softmax_cross_entropy``). A fast engine takes the
same arguments and must return the same numbers (see ``engines``).
"""
import numpy as np

from ..cells import get_cell
from ..cells.common import CELL_PARAM_NAMES, check_params
from ..layers import linear, stack
from ..losses import softmax_cross_entropy
from ..numerics import check_finite, named_overflow
from ..shapes import check_ids, check_positive_int, check_seed, check_shape
from .vocabulary import onehot

PARAM_NAMES = (*CELL_PARAM_NAMES, "W_hy", "b_y")  # those of a one-layer model; upper_names(L) adds the others
N_STATES = {"rnn": 1, "gru": 1, "lstm": 2}  # (h,) or (h, c) per layer
MAX_STATE_ROWS = 100_000  # streams, hidden units: bounds the zeros a state asks for
OUTPUT_SCALE = 0.1  # small output weights: the first predictions are near uniform, the first loss near ln V
FORGET_BIAS = 1.0   # an upper LSTM layer starts remembering, like the first (rl.cells.lstm.init_params)


def upper_names(n_layers):
    """The parameter names of layers 1 .. L-1: ``W_xh_l1``, ``W_hh_l1``, ``b_h_l1``, ..."""
    return tuple(stack.key_name(key, layer, 0) for layer in range(1, n_layers) for key in CELL_PARAM_NAMES)


def n_layers_of(params):
    """L, the number of cells stacked in ``params`` (1 + the layers named ``W_hh_l1``, ``W_hh_l2``, ...)."""
    n_layers = 1
    while stack.key_name("W_hh", n_layers, 0) in params:
        n_layers += 1
    return n_layers


def init_params(cell, vocab_size, hidden_size, seed=0, n_layers=1):
    """Seeded parameters of a ``cell`` ("rnn", "lstm", "gru") language model over ``vocab_size`` characters.

    The cell's own ``init_params(V, H, seed)``; ``W_hy (H, V)`` drawn N(0, 1/H) and
    scaled by OUTPUT_SCALE from a second generator, ``b_y`` zeros; the layers
    above the first (``stack.draw_layers``, H inputs each) from a third, so the
    first layer and the output layer do not depend on ``n_layers``.
    """
    vocab_size = check_positive_int(vocab_size, "vocab_size")
    hidden_size = check_positive_int(hidden_size, "hidden_size")
    n_layers = check_positive_int(n_layers, "n_layers")
    params = get_cell(cell).init_params(vocab_size, hidden_size, seed=check_seed(seed))
    upper = stack.draw_layers(np.random.default_rng([seed, 2]), cell, hidden_size, hidden_size, n_layers - 1)
    for layer, (cell_params,) in enumerate(upper, start=1):
        if cell == "lstm":
            cell_params["b_h"][hidden_size:2 * hidden_size] = FORGET_BIAS
        params.update({stack.key_name(key, layer, 0): value for key, value in cell_params.items()})
    W_hy, b_y = linear.draw_params(np.random.default_rng([seed, 1]), hidden_size, vocab_size)
    params.update(W_hy=OUTPUT_SCALE * W_hy, b_y=b_y)
    return params


def zero_state(cell, batch_size, hidden_size, n_layers=1):
    """The state of ``batch_size`` fresh streams: a tuple of (B, H) zeros, N_STATES[cell] per layer."""
    if not isinstance(cell, str) or cell not in N_STATES:
        raise ValueError(f"unknown cell {cell!r}; choose one of: {', '.join(N_STATES)}")
    check_positive_int(batch_size, "batch_size", most=MAX_STATE_ROWS)
    check_positive_int(hidden_size, "hidden_size", most=MAX_STATE_ROWS)
    return tuple(np.zeros((batch_size, hidden_size)) for _ in range(N_STATES[cell] * n_layers))


def _by_layer(cell, state):
    """The flat state tuple cut into one tuple per layer."""
    size = N_STATES[cell]
    return [tuple(state[k:k + size]) for k in range(0, len(state), size)]


def _layers(params, n_layers):
    """The cells' parameters as ``layers.stack`` takes them: L lists of one dict (the same arrays)."""
    return stack.unflatten(params, n_layers, 1, CELL_PARAM_NAMES)


def check_chunk(params, inputs, targets, state, cell):
    """(V, H) after checking the chunk: ids (T, B) in [0, V) and a state of N_STATES[cell]·L (B, H) arrays."""
    if not isinstance(cell, str) or cell not in N_STATES:
        raise ValueError(f"unknown cell {cell!r}; choose one of: {', '.join(N_STATES)}")
    check_params(params, PARAM_NAMES)
    check_params(params, upper_names(n_layers_of(params)))  # the layers above the first, if any
    if params["W_xh"].ndim != 2 or params["W_hh"].ndim != 2 or 0 in params["W_xh"].shape:
        raise ValueError(f"params['W_xh'] (V, G·H) and params['W_hh'] (H, G·H) must be non-empty 2-D arrays, got "
                         f"{params['W_xh'].shape} and {params['W_hh'].shape}")
    vocab_size, hidden_size = params["W_xh"].shape[0], params["W_hh"].shape[0]
    for name, ids in (("inputs", inputs), ("targets", targets)):
        if not isinstance(ids, np.ndarray) or not np.issubdtype(ids.dtype, np.integer) or ids.ndim != 2:
            raise TypeError(f"{name} must be a 2-D integer array (T, B) of character ids")
        if ids.size == 0 or ids.min() < 0 or ids.max() >= vocab_size:
            raise ValueError(f"{name} must hold ids from 0 to {vocab_size - 1} (at least one)")
    check_shape(targets, inputs.shape, "targets")
    n_states = N_STATES[cell] * n_layers_of(params)
    if not isinstance(state, tuple) or len(state) != n_states:
        raise TypeError(f"state must be a tuple of {n_states} array(s) for cell {cell!r}: "
                        f"{'(h0, c0)' if cell == 'lstm' else '(h0,)'} for each of the {n_states // N_STATES[cell]} "
                        "layer(s)")
    for k, value in enumerate(state):
        check_shape(value, (inputs.shape[1], hidden_size), f"state[{k}]")
        check_finite(value, f"state[{k}]")
    return vocab_size, hidden_size


def lm_loss_and_grads(cell, params, inputs, targets, state, dropout=0.0, rng=None):
    """Mean cross-entropy (nats) of one chunk, its gradients and the state after it (see the module docstring).

    inputs, targets (T, B) int; state: tuple of (B, H), N_STATES[cell] per layer;
    dropout p in [0, 1) with ``rng`` when p > 0 -> (loss float, grads dict like params, new_state).
    """
    vocab_size, _ = check_chunk(params, inputs, targets, state, cell)
    n_layers = n_layers_of(params)
    xs = onehot(inputs, vocab_size)                                        # (T, B, V)
    hs, cache = stack.forward(get_cell(cell), _layers(params, n_layers), xs, dropout=dropout,
                              training=dropout > 0, rng=rng, states=_by_layer(cell, state))  # (T, B, H)
    logits, out_cache = linear.forward(hs, params["W_hy"], params["b_y"])  # (T, B, V)
    loss, dlogits = softmax_cross_entropy(logits, targets)                 # mean over T*B
    dW_hy, db_y, dhs = linear.backward(dlogits, out_cache)
    cell_grads = stack.flatten(stack.backward(dhs, cache)[0])  # dxs and the gradient into the state are not needed
    new_state = tuple(value for layer in stack.last_states(cache) for value in layer)
    return loss, {**cell_grads, "W_hy": dW_hy, "b_y": db_y}, new_state


@named_overflow
def step(cell, params, ids, state):
    """One step without gradients: ids (B,) -> (logits (B, V), new state); nothing is kept for backward.

    Through every layer, bottom first, without dropout (prediction mode). What
    evaluation and sampling run, one character at a time, in the same arithmetic
    as the forward pass of ``lm_loss_and_grads``.
    """
    check_params(params, PARAM_NAMES)
    n_vocab = params["W_xh"].shape[0] if params["W_xh"].ndim == 2 else 0
    ids = check_ids(ids, "ids", max(n_vocab, 1), ndim=1)
    check_chunk(params, ids[None], ids[None], state, cell)  # names a bad weight or state before any arithmetic
    logits, new_state = step_unchecked(cell, params, ids, state)
    return check_finite(logits, "the logits", params, {"state": np.stack(state)}), new_state


def step_unchecked(cell, params, ids, state):
    """``step`` without its checks: for loops over a text whose ids, weights and state are already known good."""
    module = get_cell(cell)
    h, new_state = onehot(ids, params["W_xh"].shape[0]), ()  # (B, V): the input of the first layer
    for (cell_params,), start in zip(_layers(params, n_layers_of(params)), _by_layer(cell, state)):
        if cell == "lstm":
            h, c, _ = module.step_forward(cell_params, h, *start)
            new_state += (h, c)
        else:
            h, _ = module.step_forward(cell_params, h, *start)
            new_state += (h,)
    return h @ params["W_hy"] + params["b_y"], new_state
