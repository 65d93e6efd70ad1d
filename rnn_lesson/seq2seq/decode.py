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
from ..cells import get_cell
from ..layers import linear
from ..losses import NO_TARGET
from ..shapes import check_positive_int

MAX_STEPS = 200


def greedy(params, cell, source_ids, source_mask, max_steps):
    """Greedy decoding of a batch: ids (T, N) -> (outputs (S, N) int64, weights (S, N, T) or None).

    ``outputs`` holds each sequence's tokens up to and including its EOS, PAD after it;
    ``weights`` the attention of every step (rows of finished sequences included).
    """
    max_steps = check_positive_int(max_steps, "max_steps")
    if max_steps > MAX_STEPS:
        raise ValueError(f"max_steps must be at most {MAX_STEPS}, got {max_steps}")
    cell_module = network.check_cell(cell)
    enc_hs, state, _ = network.encode(params, cell, source_ids, source_mask)
    dec, n_tokens = network.part(params, "dec"), params["dec_W_xh"].shape[0]
    n_seqs = source_ids.shape[1]
    tokens, done = np.full(n_seqs, BOS_ID), np.zeros(n_seqs, dtype=bool)
    outputs, weights = [], []
    for _ in range(max_steps):
        state, _ = cell_module.step_forward(dec, one_hot(tokens, n_tokens), state)
        features, step_weights, _ = network.output_features(params, state[None], enc_hs, source_mask)
        logits, _ = linear.forward(features[0], params["W_out"], params["b_out"])
        tokens = np.where(done, PAD_ID, np.argmax(logits, axis=-1))
        outputs.append(tokens)
        if step_weights is not None:
            weights.append(step_weights[0])
        done |= tokens == EOS_ID
        if done.all():
            break
    return np.array(outputs), (np.array(weights) if weights else None)


def teacher_forced(params, cell, batch):
    """The argmax at every step when the decoder is fed the true previous token: (S, N) int64."""
    logits, _, _ = network.forward(params, cell, batch)
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
