"""The network the estimator trains, and the one place it calls it: cells (maybe stacked), then a linear layer.

Dimensions: T time steps, B sequences in a batch, I inputs, H hidden units,
G gate blocks of the cell (1 rnn, 4 lstm, 3 gru), D directions (1, or 2 when
bidirectional), O outputs.

    hs = cell(xs)                 rl.cells.rnn / lstm / gru, chosen by model.cell
    ys = hs @ W_hy + b_y          rl.layers.linear

Parameters, whatever the cell: ``W_xh (I, G·H)``, ``W_hh (H, G·H)``, ``b_h (G·H,)``,
``W_hy (D·H, O)``, ``b_y (O,)``. With ``n_layers`` > 1 or ``bidirectional`` the cells
are a ``rl.layers.stack`` (with ``dropout`` on each layer's output while training),
whose other cells' keys are named by ``stack.key_name``: ``W_xh_l1`` (layer 1),
``W_xh_rev`` (layer 0 read backwards), ``W_xh_l1_rev``. The vanilla cell alone on
one sequence goes through the lesson-04 functions ``rl.forward`` / ``rl.backward``
(so truncated BPTT works and the numbers are those of lessons 03 to 09); every
other case goes through the stack on (T, I) or time-major (T, B, I) inputs.
Each function takes the model for the hyperparameters it needs.
"""
import numpy as np

from ..cells import get_cell
from ..cells.common import cell_sizes, draw_weights
from ..layers import linear, stack
from ..numerics import check_finite
from ..rnn import PARAM_NAMES, backward as rnn_backward, forward as rnn_forward
from ..shapes import check_seed, check_shape

__all__ = ["PARAM_NAMES", "init", "forward", "backward", "forward_batch", "backward_batch", "sizes", "cell_params",
           "cell_forward", "param_names", "directions"]

CELL_KEYS = ("W_xh", "W_hh", "b_h")


def directions(model):
    """D: 2 for a bidirectional model, else 1."""
    return 2 if model.bidirectional else 1


def param_names(model):
    """The keys of ``model.params_``: PARAM_NAMES, then those of the other cells of the stack, layer by layer."""
    extra = [stack.key_name(key, layer, direction) for layer in range(model.n_layers)
             for direction in range(directions(model)) if layer or direction for key in CELL_KEYS]
    return (*PARAM_NAMES, *extra)


def _plain(model):
    """True when the network is one forward cell, without dropout: the networks of lessons 03 to 12."""
    return model.n_layers == 1 and not model.bidirectional and model.dropout == 0


def init(model, n_inputs, n_outputs, n_steps=None):
    """Fresh seeded weights: the cell's W_xh, W_hh (then b_h), then W_hy, from one generator.

    For cell="rnn" with recurrent_init="normal" these are ``rl.init_params(I, H, O, seed)``.
    ``recurrent_init`` "orthogonal" or "identity" replaces each (H, H) block of W_hh
    (orthogonal ones drawn from a stream of their own, so W_xh and W_hy do not change).
    ``model.forget_bias`` sets the bias of the gate that keeps the state (``keep_gate_biases``);
    "chrono" needs ``n_steps``, the longest training sequence.
    The other cells of a stack are drawn after W_hy, from the same generator, so a
    one-layer model has the weights it always had; each gets its own keep-gate
    biases and W_hh blocks in the order of ``param_names``.
    """
    cell, hidden = get_cell(model.cell), model.hidden_size
    rng = np.random.default_rng(check_seed(model.seed))
    params = draw_weights(rng, n_inputs, hidden, len(cell.GATES))
    params["W_hy"], params["b_y"] = linear.draw_params(rng, directions(model) * hidden, n_outputs)
    n_directions = directions(model)
    layers = [[cell_params(params)] + [draw_weights(rng, n_inputs, hidden, len(cell.GATES))
                                       for _ in range(n_directions - 1)]]
    layers += stack.draw_layers(rng, model.cell, n_directions * hidden, hidden, model.n_layers - 1, n_directions)
    params.update(stack.flatten(layers))
    blocks_rng = np.random.default_rng((model.seed, 2))
    for layer, cells in enumerate(layers):
        for direction, cell_params_ in enumerate(cells):
            seed = (model.seed, 3) if layer == direction == 0 else (model.seed, 3, layer, direction)
            if model.cell in KEEP_GATE:
                keep_gate_biases(cell_params_["b_h"], model.cell, hidden, model.forget_bias, n_steps, seed)
            if model.recurrent_init != "normal":
                params[stack.key_name("W_hh", layer, direction)] = np.hstack(
                    [recurrent_block(model.recurrent_init, hidden, blocks_rng) for _ in cell.GATES])
    return {key: params[key] for key in param_names(model)}


KEEP_GATE = {"lstm": 1, "gru": 1}  # the block of b_h whose gate keeps the state: LSTM's f, GRU's z
DEFAULT_KEEP_BIAS = {"lstm": 1.0, "gru": 0.0}


def keep_gate_biases(b_h, cell, n_hidden, forget_bias, n_steps, seed):
    """Set, in place, the biases of the gate that keeps the state: the LSTM's f, the GRU's z (blocks of H).

    forget_bias None: the cell's usual start (LSTM 1, so f = σ(1) ≈ 0.73; GRU 0).
    A number b: that gate starts at σ(b), which keeps a memory for about
    1 / (1 - σ(b)) steps (b = 3: σ = 0.95, about 20 steps). "chrono" (Tallec and
    Ollivier 2018): b = log(u), u uniform in [1, T - 1] per unit, for memories of
    every length up to the sequences' T; the LSTM's input gate gets -b, so it
    writes little unless it learns to.
    """
    keep = slice(KEEP_GATE[cell] * n_hidden, (KEEP_GATE[cell] + 1) * n_hidden)
    if forget_bias is None:
        b_h[keep] = DEFAULT_KEEP_BIAS[cell]
    elif forget_bias != "chrono":
        b_h[keep] = forget_bias
    else:
        b_h[keep] = np.log(np.random.default_rng(seed).uniform(1.0, max(n_steps - 1, 1), n_hidden))
        if cell == "lstm":
            b_h[:n_hidden] = -b_h[keep]


def recurrent_block(kind, n_hidden, rng):
    """One (H, H) block of W_hh: "identity" (Le et al. 2015, with ReLU) or a random "orthogonal" matrix.

    The orthogonal one is Q of the QR decomposition of a standard normal matrix,
    with the signs of R's diagonal moved into Q so that Q is uniformly distributed.
    """
    if kind == "identity":
        return np.eye(n_hidden)
    q, r = np.linalg.qr(rng.standard_normal((n_hidden, n_hidden)))
    return q * np.sign(np.diag(r))


def cell_params(params):
    """The cell's own part of a parameter dict: W_xh (I, G·H), W_hh (H, G·H), b_h (G·H,)."""
    return {key: params[key] for key in CELL_KEYS}


def cell_forward(model, xs):
    """``model``'s cell alone on xs (T, I) or time-major (T, B, I): ``(hs, cache)`` as the cell returns them."""
    options = {"activation": model.activation} if model.cell == "rnn" else {}
    return get_cell(model.cell).forward(cell_params(model.params_), xs, **options)


def forward(model, xs, training=False, rng=None):
    """``model.params_`` on one sequence xs (T, I): outputs ys (T, O) (logits: no sigmoid or softmax), cache.

    ``training``: dropout on (drawn from ``rng``, a Generator); off for prediction.
    """
    if model.cell == "rnn" and _plain(model):
        return rnn_forward(model.params_, xs, activation=model.activation)
    return _forward(model, xs, training, rng)


def backward(model, dys, cache):
    """The gradients of every parameter from dL/dys (T, O) for one sequence (rnn: back ``model.truncate`` steps)."""
    if model.cell == "rnn" and _plain(model):
        return rnn_backward(dys, cache, truncate=model.truncate)
    return _backward(model, dys, cache)


def forward_batch(model, X, training=False, rng=None):
    """A batch X (B, T, I) of sequences of one length: ys (T, B, O), time-major, and the cache."""
    return _forward(model, np.transpose(X, (1, 0, 2)), training, rng)


def backward_batch(model, dys, cache):
    """The gradients of every parameter from dL/dys (T, B, O), summed over the batch."""
    return _backward(model, dys, cache)


def _forward(model, xs, training, rng):
    params = model.params_
    if _plain(model):
        hs, cell_cache = cell_forward(model, xs)
    else:
        layers = stack.unflatten(params, model.n_layers, directions(model))
        hs, cell_cache = stack.forward(model.cell, layers, xs, dropout=model.dropout, training=training, rng=rng,
                                       activation=model.activation)
    ys, layer_cache = linear.forward(hs, params["W_hy"], params["b_y"])
    return check_finite(ys, "the outputs ys", params), (cell_cache, layer_cache)


def _backward(model, dys, cache):
    cell_cache, layer_cache = cache
    dW_hy, db_y, dhs = linear.backward(dys, layer_cache)
    if _plain(model):
        grads = get_cell(model.cell).backward(dhs, cell_cache)[0]
    else:
        grads = stack.flatten(stack.backward(dhs, cell_cache)[0])
    grads["W_hy"], grads["b_y"] = dW_hy, db_y
    return {key: grads[key] for key in param_names(model)}


def sizes(model, params):
    """(I, H, O) of a parameter dict for ``model``; TypeError/ValueError naming a missing or misshapen array."""
    gates = get_cell(model.cell).GATES
    n_inputs, n_hidden = cell_sizes(params, gates)
    for layer, cells in enumerate(stack.unflatten(params, model.n_layers, directions(model))):
        for direction, cell in enumerate(cells):
            width = n_inputs if layer == 0 else directions(model) * n_hidden
            if cell_sizes(cell, gates) != (width, n_hidden):
                raise ValueError(f"params[{stack.key_name('W_xh', layer, direction)!r}] has shape "
                                 f"{cell['W_xh'].shape}, expected ({width}, {len(gates) * n_hidden})")
    check_shape(params["W_hy"], (directions(model) * n_hidden, None), "params['W_hy']")
    n_outputs = params["W_hy"].shape[1]
    check_shape(params["b_y"], (n_outputs,), "params['b_y']")
    return n_inputs, n_hidden, n_outputs
