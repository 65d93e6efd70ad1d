"""The encoder-decoder, with or without attention: parameters, forward with teacher forcing, backward.

Dimension letters: T encoder steps, S decoder steps, N sequences, V tokens, H hidden units.

    encoder   h_1..h_T = cell_enc(onehot(source))                   h_j (N, H); the last *real* one is h_L
    decoder   s_0 = h_L;  s_i = cell_dec(onehot(y_{i-1}), s_{i-1})  teacher forcing: y_0 = BOS, y_i the truth
    plain     logits_i = s_i W_out + b_out                          W_out (H, V)
    attention c_i = attend(s_i, h_1..h_T);  logits_i = [s_i, c_i] W_out + b_out      W_out (2H, V)

The loss is the mean softmax cross-entropy over the labelled decoder steps (``batches``:
padded steps carry NO_TARGET). Without attention everything the decoder knows about
the source passes through h_L, one vector of H numbers: the bottleneck.

Parameters (one flat dict, so one optimizer updates them all): ``enc_W_xh``, ``enc_W_hh``,
``enc_b_h``, ``dec_W_xh``, ``dec_W_hh``, ``dec_b_h`` (the cells' own, with prefixes), ``W_out``, ``b_out``.
"""
import numpy as np

from . import attention as attend
from .batches import one_hot
from ..cells import get_cell
from ..cells.common import CELL_PARAM_NAMES, check_params, draw_weights
from ..layers import linear
from ..losses import NO_TARGET, softmax_cross_entropy
from ..shapes import check_ids, check_positive_int, check_seed

CELLS = ("rnn", "gru")  # cells with one state; the LSTM's (h, c) bridge is not wired here
GATE_COUNT = {"rnn": 1, "gru": 3}


def check_cell(cell):
    """The cell module for ``cell`` ("rnn" or "gru"); a ValueError names the choices."""
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {CELLS} for the encoder-decoder, got {cell!r}")
    return get_cell(cell)


PARAM_NAMES = tuple(f"{side}_{key}" for side in ("enc", "dec") for key in CELL_PARAM_NAMES) + ("W_out", "b_out")


def init_params(n_tokens, n_hidden, cell="gru", attention=True, seed=0):
    """Seeded parameters: two cells drawn as the cells draw theirs (N(0, 1/fan-in)), then the output layer."""
    check_cell(cell)
    n_tokens, n_hidden = check_positive_int(n_tokens, "n_tokens"), check_positive_int(n_hidden, "n_hidden")
    if not isinstance(attention, bool):
        raise TypeError(f"attention must be True or False, got {attention!r}")
    rng = np.random.default_rng(check_seed(seed))
    params = {}
    for side in ("enc", "dec"):
        for key, value in draw_weights(rng, n_tokens, n_hidden, GATE_COUNT[cell]).items():
            params[f"{side}_{key}"] = value
    params["W_out"], params["b_out"] = linear.draw_params(rng, 2 * n_hidden if attention else n_hidden, n_tokens)
    return params


def part(params, side):
    """The cell parameters of one side ("enc" or "dec") under the cells' own names (views, not copies)."""
    return {key: params[f"{side}_{key}"] for key in CELL_PARAM_NAMES}


def uses_attention(params):
    """True when W_out reads [s, c] (2H rows), False when it reads s alone (H rows)."""
    return params["W_out"].shape[0] == 2 * params["dec_W_hh"].shape[0]


def check_sources(params, source_ids, source_mask):
    """(ids, mask) after checking the weights (every key of PARAM_NAMES, finite float64, 2-D enc_W_xh), the ids
    (T, N) in [0, V) and the mask (T, N) bool, each column starting with a real step; errors name the culprit."""
    check_params(params, PARAM_NAMES)
    if params["enc_W_xh"].ndim != 2:
        raise ValueError(f"params['enc_W_xh'] must be (V, G·H), got shape {params['enc_W_xh'].shape}")
    source_ids = check_ids(source_ids, "source_ids", params["enc_W_xh"].shape[0], ndim=2)
    mask = np.asarray(source_mask)
    if mask.dtype != bool or mask.shape != source_ids.shape or not mask[0].all():
        raise ValueError(f"source_mask must be a bool array of the shape of source_ids {source_ids.shape}, "
                         f"True on every sequence's first step, got {mask.dtype} {mask.shape}")
    return source_ids, mask


def encode(params, cell, source_ids, source_mask):
    """Run the encoder: ids (T, N) -> (hs (T, N, H), the last real state of each sequence (N, H), cache)."""
    cell_module = check_cell(cell)
    source_ids, source_mask = check_sources(params, source_ids, source_mask)
    hs, cache = cell_module.forward(part(params, "enc"), one_hot(source_ids, params["enc_W_xh"].shape[0]))
    last = source_mask.sum(axis=0) - 1                                     # (N,) index of the last real step
    return hs, hs[last, np.arange(hs.shape[1])], (cache, last)


def output_features(params, states, enc_hs, source_mask):
    """What the output layer reads: s (S, N, H), or [s, c] (S, N, 2H) with attention; and the attention's parts."""
    if not uses_attention(params):
        return states, None, None
    context, weights, cache = attend.forward(states, enc_hs, source_mask)
    return np.concatenate([states, context], axis=-1), weights, cache


def forward(params, cell, batch):
    """Teacher-forced forward pass over a batch -> (logits (S, N, V), attention weights (S, N, T) or None, cache)."""
    enc_hs, h_last, enc_cache = encode(params, cell, batch.source_ids, batch.source_mask)
    x_dec = one_hot(batch.decoder_inputs, params["dec_W_xh"].shape[0])
    states, dec_cache = get_cell(cell).forward(part(params, "dec"), x_dec, h0=h_last)
    features, weights, att_cache = output_features(params, states, enc_hs, batch.source_mask)
    logits, out_cache = linear.forward(features, params["W_out"], params["b_out"])
    return logits, weights, (cell, enc_hs.shape, enc_cache, dec_cache, att_cache, out_cache)


def masked_loss(logits, labels):
    """Mean cross-entropy over the steps whose label is not NO_TARGET -> (loss, dlogits (S, N, V))."""
    labelled = labels != NO_TARGET
    dlogits = np.zeros_like(logits)
    loss, dlogits[labelled] = softmax_cross_entropy(logits[labelled], labels[labelled])
    return loss, dlogits


def output_backward(dlogits, out_cache):
    """``linear.backward`` one decoder step at a time, summed: (dW_out, db_out, dfeatures (S, N, F)).

    The same sums as one call over all S·N positions, in another order. One call's product
    (S·N, F)ᵀ (S·N, V) is big enough for OpenBLAS to split over two threads, which measured
    4 to 30 times slower than one thread on a busy 2-core machine; a step's product stays on one.
    """
    features, W = out_cache
    dW, db, dfeatures = np.zeros_like(W), np.zeros(W.shape[1]), np.empty_like(features)
    for step in range(len(features)):
        dW_step, db_step, dfeatures[step] = linear.backward(dlogits[step], (features[step], W))
        dW += dW_step
        db += db_step
    return dW, db, dfeatures


def backward(dlogits, cache):
    """dlogits (S, N, V) -> grads, a dict with the keys of params (decoder, then attention, then encoder)."""
    cell, enc_shape, (enc_cache, last), dec_cache, att_cache, out_cache = cache
    cell_module = get_cell(cell)
    grads = {}
    grads["W_out"], grads["b_out"], dfeatures = output_backward(dlogits, out_cache)
    n_hidden = enc_shape[-1]
    dstates, denc_hs = dfeatures[..., :n_hidden], np.zeros(enc_shape)
    if att_cache is not None:
        dqueries, denc_hs = attend.backward(dfeatures[..., n_hidden:], att_cache)
        dstates = dstates + dqueries
    dec_grads, _, dh_last = cell_module.backward(dstates, dec_cache)
    denc_hs[last, np.arange(enc_shape[1])] += dh_last                     # the bridge s_0 = h_L
    enc_grads, _, _ = cell_module.backward(denc_hs, enc_cache)
    for side, side_grads in (("enc", enc_grads), ("dec", dec_grads)):
        grads.update({f"{side}_{key}": value for key, value in side_grads.items()})
    return grads


def loss_and_grads(params, cell, batch):
    """The teacher-forced loss of ``batch`` and its gradients with respect to every parameter."""
    logits, _, cache = forward(params, cell, batch)
    loss, dlogits = masked_loss(logits, batch.labels)
    return loss, backward(dlogits, cache)
