"""Free-running decoding: the decoder reads its own previous output, as it must at prediction time.

Greedy decoding takes the most likely token at every step (argmax of the logits) and
feeds it back in; it stops a sequence at its EOS, and every sequence after
``max_steps``. Teacher forcing (``network.forward``) instead feeds the true previous
token, so a model is never trained on its own mistakes: exposure bias.
"""
import numpy as np

from . import network
from .batches import one_hot
from .vocab import BOS_ID, EOS_ID, PAD_ID
from ..layers import linear
from ..losses import NO_TARGET
from ..shapes import check_positive_int

MAX_STEPS = 200
NEVER_WRITTEN = [PAD_ID, BOS_ID]  # tokens no label holds: a decoder never writes them


def next_token_logits(params, state, enc_hs, source_mask):
    """The output layer at one decoder step: state (N, H) -> (logits (N, V), attention weights (N, T) or None).

    PAD and BOS get -inf: training never asks for them, and a prediction must not contain them.
    """
    features, weights, _ = network.output_features(params, state[None], enc_hs, source_mask)
    logits, _ = linear.forward(features[0], params["W_out"], params["b_out"])
    logits[:, NEVER_WRITTEN] = -np.inf
    return logits, (None if weights is None else weights[0])


def check_max_steps(max_steps):
    """``max_steps`` as an int from 1 to MAX_STEPS, or a TypeError/ValueError naming it."""
    max_steps = check_positive_int(max_steps, "max_steps")
    if max_steps > MAX_STEPS:
        raise ValueError(f"max_steps must be at most {MAX_STEPS}, got {max_steps}")
    return max_steps


def greedy(params, cell, source_ids, source_mask, max_steps):
    """Greedy decoding of a batch: ids (T, N) -> (outputs (S, N) int64, weights (S, N, T) or None).

    ``outputs`` holds each sequence's tokens up to and including its EOS, PAD after it;
    ``weights`` the attention of every step (rows of finished sequences included).
    """
    max_steps = check_max_steps(max_steps)
    cell_module = network.check_cell(cell)
    enc_hs, state, _ = network.encode(params, cell, source_ids, source_mask)
    dec, n_tokens = network.part(params, "dec"), params["dec_W_xh"].shape[0]
    n_seqs = enc_hs.shape[1]
    tokens, done = np.full(n_seqs, BOS_ID), np.zeros(n_seqs, dtype=bool)
    outputs, weights = [], []
    for _ in range(max_steps):
        state, _ = cell_module.step_forward(dec, one_hot(tokens, n_tokens), state)
        logits, step_weights = next_token_logits(params, state, enc_hs, source_mask)
        tokens = np.where(done, PAD_ID, np.argmax(logits, axis=-1))
        outputs.append(tokens)
        if step_weights is not None:
            weights.append(step_weights)
        done |= tokens == EOS_ID
        if done.all():
            break
    return np.array(outputs), (np.array(weights) if weights else None)


def teacher_forced(params, cell, batch):
    """The argmax at every step when the decoder is fed the true previous token: (S, N) int64 (never PAD or BOS)."""
    logits, _, _ = network.forward(params, cell, batch)
    logits[..., NEVER_WRITTEN] = -np.inf
    return np.argmax(logits, axis=-1)


def after_first_mistake(outputs, labels):
    """How often a step is right once a sequence has gone wrong: ``(n_right, n_steps)``.

    outputs (S', N) predicted ids, labels (S, N) with NO_TARGET after each EOS. Only the
    labelled steps *after* each sequence's first wrong step are counted; outputs shorter
    than the labels count as wrong there. With teacher forcing the prefix is the truth
    whatever was predicted; free running, it holds the mistake: the gap is exposure bias.
    """
    n_steps = labels.shape[0]
    padded = np.full(labels.shape, PAD_ID, dtype=np.int64)
    padded[:min(n_steps, len(outputs))] = outputs[:n_steps]
    labelled = labels != NO_TARGET
    wrong = (padded != labels) & labelled
    after = np.cumsum(wrong, axis=0) - wrong > 0                     # strictly after the first wrong step
    counted = after & labelled
    return int(np.sum((padded == labels) & counted)), int(np.sum(counted))


def _log_softmax(logits):
    """log softmax over the last axis; -inf logits stay -inf (probability 0)."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def beam_search(params, cell, source_ids, source_mask, beam_width, max_steps):
    """The most likely output for ONE source (ids (T, 1)) found by keeping the ``beam_width`` best prefixes.

    Each step extends every unfinished prefix by every token, scores each candidate by its summed
    log-probability (no length normalisation), and keeps the ``beam_width`` best, finished ones
    included; it stops when all kept prefixes end in EOS, or after ``max_steps``. Returns
    ``(ids (S,) int64 up to and including EOS, log-probability)``. ``beam_width=1`` is greedy decoding.
    """
    beam_width = check_positive_int(beam_width, "beam_width")
    max_steps = check_positive_int(max_steps, "max_steps")
    if beam_width > 64 or max_steps > MAX_STEPS or source_ids.ndim != 2 or source_ids.shape[1] != 1:
        raise ValueError(f"beam_search takes one source (T, 1), beam_width <= 64 and max_steps <= {MAX_STEPS}; "
                         f"got ids {source_ids.shape}, {beam_width}, {max_steps}")
    cell_module = network.check_cell(cell)
    enc_hs, state, _ = network.encode(params, cell, source_ids, source_mask)
    dec, n_tokens = network.part(params, "dec"), params["dec_W_xh"].shape[0]
    beams = [((BOS_ID,), 0.0, state[0])]                         # (tokens, log-probability, decoder state)
    for _ in range(max_steps):
        live = [beam for beam in beams if beam[0][-1] != EOS_ID]
        if not live:
            break
        states, _ = cell_module.step_forward(dec, one_hot([b[0][-1] for b in live], n_tokens),
                                             np.array([b[2] for b in live]))
        keys, mask = np.repeat(enc_hs, len(live), axis=1), np.repeat(source_mask, len(live), axis=1)
        log_probs = _log_softmax(next_token_logits(params, states, keys, mask)[0])
        candidates = [beam for beam in beams if beam[0][-1] == EOS_ID]
        candidates += [(live[b][0] + (token,), live[b][1] + log_probs[b, token], states[b])
                       for b in range(len(live)) for token in range(n_tokens)]
        order = np.argsort([-c[1] for c in candidates], kind="stable")
        beams = [candidates[i] for i in order[:beam_width]]
    tokens, log_prob, _ = beams[0]
    return np.array(tokens[1:], dtype=np.int64), float(log_prob)
