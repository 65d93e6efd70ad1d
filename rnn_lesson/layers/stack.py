"""A stack of recurrent layers: the state sequence of one layer is the input sequence of the next.

Dimensions: T steps, N sequences (optional axis), I inputs, H hidden units per
direction, D directions (1, or 2 when bidirectional), L layers.

The parameters are a list of L layers, each a list of D cell parameter dicts
(``W_xh``, ``W_hh``, ``b_h`` as in ``rnn_lesson.cells``): layer 0 reads I inputs,
layer l > 0 reads the D·H states of layer l - 1.

    hs^0 = xs                                       (T, [N,] I)
    hs^l = dropout(cell_l(hs^(l-1)))                (T, [N,] D·H)   l = 1 .. L
    backward: dhs^(l-1) = dxs of layer l's cell (after dropout's mask), top to bottom

Dropout (``rnn_lesson.layers.dropout``) acts on each layer's output: the
connections between layers and into whatever comes after the stack, never on
the recurrence inside a cell. Everything here is a function of plain lists of
dicts, so any model (the estimator, a classifier, a language model) can use it.
"""
import numpy as np

from . import bidirectional as bidi, dropout as drop
from .masking import check_lengths
from ..cells import get_cell
from ..cells.common import draw_weights
from ..shapes import as_float_array, check_positive_int, check_seed


MAX_LAYERS = 8  # as the estimators' n_layers (models.hyperparameters.MAX_LAYERS): bounds the work


def draw_layers(rng, cell, n_inputs, n_hidden, n_layers, directions=1):
    """``n_layers`` layers drawn from ``rng`` (each direction: ``draw_weights``); a list of lists of dicts."""
    n_gates = len(get_cell(cell).GATES)
    return [[draw_weights(rng, n_inputs if layer == 0 else directions * n_hidden, n_hidden, n_gates)
             for _ in range(directions)] for layer in range(n_layers)]


def init_params(cell, n_inputs, n_hidden, n_layers=1, bidirectional=False, seed=0):
    """Seeded parameters of a stack: a list of ``n_layers`` lists of 1 (or 2: bidirectional) cell dicts."""
    n_inputs, n_hidden = check_positive_int(n_inputs, "n_inputs"), check_positive_int(n_hidden, "n_hidden")
    n_layers = check_positive_int(n_layers, "n_layers", most=MAX_LAYERS)
    if not isinstance(bidirectional, bool):
        raise TypeError(f"bidirectional must be True or False, got {type(bidirectional).__name__} {bidirectional!r}")
    directions = 2 if bidirectional else 1
    return draw_layers(np.random.default_rng(check_seed(seed)), cell, n_inputs, n_hidden, n_layers, directions)


def forward(cell, layers, xs, lengths=None, dropout=0.0, training=False, rng=None, activation="tanh",
            states=None):
    """The top layer's states ``hs (T, [N,] D·H)`` and a cache for ``backward``.

    ``cell``: a name in ``rnn_lesson.cells`` (or the module); ``lengths`` (N,):
    sequences padded at the end (used by the backward direction); ``dropout``
    p in [0, 1) on every layer's output while ``training`` (True or False) with
    ``rng`` (a seed or a Generator); ``activation``: the vanilla cell's.
    ``states``: None (every layer starts from zeros) or, one direction only, a
    list of L tuples, layer l's starting state ``(h0,)`` or ``(h0, c0)`` for
    lstm, each ([N,] H); ``last_states(cache)`` gives the states after the last
    step in the same form (stateful truncated BPTT carries them to the next chunk).
    """
    module = get_cell(cell) if isinstance(cell, str) else cell
    directions = _check_layers(layers)
    if lengths is not None:
        if np.ndim(xs) != 3:
            raise ValueError(f"lengths go with a time-major batch xs (T, N, I), got xs of shape {np.shape(xs)}")
        lengths = check_lengths(lengths, np.shape(xs)[0], np.shape(xs)[1])
    drop.check_rate(dropout)
    drop.check_training(training)
    if rng is not None:
        rng = drop.generator(rng)  # one stream for every layer's mask
    states = _check_states(states, len(layers), directions)
    options = {"activation": activation} if module.__name__.endswith(".rnn") else {}
    inputs, caches, last = xs, [], []
    for layer, start in zip(layers, states):
        if directions == 1:
            hs, layer_cache = module.forward(layer[0], inputs, *start, **options)
            last.append((hs[-1].copy(), layer_cache["cs"][-1].copy()) if "cs" in layer_cache else (hs[-1].copy(),))
        else:
            hs, layer_cache = bidi.forward(module, layer[0], layer[1], inputs, lengths, **options)
        hs, keep = drop.forward(hs, dropout, training, rng)
        caches.append((layer_cache, keep))
        inputs = hs
    return inputs, (module, directions, caches, last)


def last_states(cache):
    """The states after the last step of every layer (before dropout), one tuple per layer: see ``forward``."""
    if cache[1] != 1:
        raise ValueError("last_states is for one-directional stacks (a backward direction ends at the start)")
    return cache[3]


def _check_states(states, n_layers, directions):
    """``states`` as a list of one tuple per layer (empty tuples: start from zeros)."""
    if states is None:
        return [()] * n_layers
    if directions != 1:
        raise ValueError("starting states are for one-directional stacks only")
    if not isinstance(states, (list, tuple)) or len(states) != n_layers or \
            not all(isinstance(start, tuple) for start in states):
        raise TypeError(f"states must be a list of {n_layers} tuple(s), one per layer: (h0,) or (h0, c0)")
    return list(states)


def backward(dhs, cache):
    """``(grads, dxs)`` from dL/dhs of the top layer: grads shaped like ``layers``, dxs like xs."""
    module, directions, caches = cache[:3]
    dhs = as_float_array(dhs, "dhs")
    if dhs.ndim < 2:
        raise ValueError(f"dhs must be dL/dhs of the top layer, (T, [N,] D·H), got shape {dhs.shape}")
    grads = []
    for layer_cache, keep in reversed(caches):
        dhs = drop.backward(dhs, keep)
        if directions == 1:
            layer_grads, dhs = module.backward(dhs, layer_cache)[:2]
            grads.append([layer_grads])
        else:
            grads_forward, grads_backward, dhs = bidi.backward(dhs, layer_cache)
            grads.append([grads_forward, grads_backward])
    return grads[::-1], dhs


def _check_layers(layers):
    """The number of directions D of a list of layers, each a list of D parameter dicts."""
    if not isinstance(layers, list) or not layers:
        raise TypeError("layers must be a non-empty list of layers, each a list of 1 or 2 cell parameter dicts")
    widths = {len(layer) if isinstance(layer, (list, tuple)) else None for layer in layers}
    if len(widths) != 1 or widths.pop() not in (1, 2):
        raise ValueError("every layer must be a list of 1 (forward) or 2 (forward, backward) parameter dicts, "
                         "the same number in every layer")
    return len(layers[0])


def flatten(layers, grads=None):
    """The layers' parameters (or ``grads`` shaped like them) as one dict, for an optimizer: key names by ``key_name``."""
    source = layers if grads is None else grads
    return {key_name(key, l, d): array for l, layer in enumerate(source) for d, params in enumerate(layer)
            for key, array in params.items()}


def key_name(key, layer, direction):
    """``W_xh`` for layer 0 forwards; ``W_xh_l1`` for layer 1; ``W_xh_rev``, ``W_xh_l1_rev`` backwards."""
    return key + (f"_l{layer}" if layer else "") + ("_rev" if direction else "")


def unflatten(flat, n_layers, directions, keys=("W_xh", "W_hh", "b_h")):
    """The list of layers back from a ``flatten``-ed dict (the same arrays, not copies)."""
    return [[{key: flat[key_name(key, l, d)] for key in keys} for d in range(directions)] for l in range(n_layers)]
