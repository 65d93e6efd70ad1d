"""The ladder of baselines a language model must beat, each scored in nats per predicted character.

V characters; a text of L characters has L - 1 predictions (each character
after the first, given what came before).

    uniform   every character equally likely:        loss = ln V, whatever the text
    unigram   p(c) from counts in the training text:  no memory at all
    bigram    p(c | previous character) from counts:  one character of memory

Counts get ``smoothing`` added to every cell (add-one by default, as makemore's
bigram model), so a pair never seen in training still has a probability above 0
and the held-out loss stays finite.
"""
import numpy as np

from ..budget import check_bytes
from ..shapes import MAX_IDS, as_float_array, check_ids, check_number_in, check_positive_int

MAX_SMOOTHING = 1e6  # counts of at most ~1e9 characters plus this stay far inside float64


def _smoothing(smoothing):
    return check_number_in(smoothing, "smoothing", 1e-12, MAX_SMOOTHING)


def _ids(ids, vocab_size, name="ids", least=1):
    ids = check_ids(ids, name, vocab_size, ndim=1)
    if len(ids) < least:
        raise ValueError(f"{name} must hold at least {least} characters (one prediction), got {len(ids)}")
    return ids


def _probabilities(probabilities, ndim):
    p = as_float_array(probabilities, "probabilities", ndim=ndim)
    if p.size == 0 or p.shape != (p.shape[0],) * ndim or np.any(p <= 0) or np.any(p > 1):
        raise ValueError(f"probabilities must be a non-empty {'(V,)' if ndim == 1 else '(V, V)'} array of "
                         f"numbers in (0, 1] (smoothed, so never 0), got shape {p.shape}")
    return p


def unigram_probabilities(ids, vocab_size, smoothing=1.0):
    """p (V,): each character's share of the counts of ``ids``, each count plus ``smoothing``."""
    vocab_size = check_positive_int(vocab_size, "vocab_size", most=MAX_IDS)
    counts = np.bincount(_ids(ids, vocab_size), minlength=vocab_size) + _smoothing(smoothing)
    return counts / counts.sum()


def bigram_probabilities(ids, vocab_size, smoothing=1.0):
    """P (V, V): row a is p(next | a) from the pairs (ids[i], ids[i+1]), each count plus ``smoothing``."""
    vocab_size = check_positive_int(vocab_size, "vocab_size", most=MAX_IDS)
    check_bytes(8 * vocab_size ** 2, f"a bigram table for {vocab_size:,} characters", "use a smaller vocabulary")
    ids, smoothing = _ids(ids, vocab_size, least=2), _smoothing(smoothing)
    counts = np.zeros((vocab_size, vocab_size))
    np.add.at(counts, (ids[:-1], ids[1:]), 1.0)
    counts += smoothing
    return counts / counts.sum(axis=1, keepdims=True)


def uniform_loss(vocab_size):
    """ln V: the loss of a model that knows only how many characters there are."""
    return float(np.log(check_positive_int(vocab_size, "vocab_size", most=MAX_IDS)))


def unigram_loss(probabilities, ids):
    """Mean -ln p(c) over the predicted characters ids[1:] (the first one is not predicted)."""
    p = _probabilities(probabilities, 1)
    return float(-np.mean(np.log(p[_ids(ids, len(p), least=2)[1:]])))


def bigram_loss(probabilities, ids):
    """Mean -ln P[previous, c] over the L - 1 pairs of ``ids``."""
    p = _probabilities(probabilities, 2)
    ids = _ids(ids, len(p), least=2)
    return float(-np.mean(np.log(p[ids[:-1], ids[1:]])))


def baseline_losses(train_ids, test_ids, vocab_size, smoothing=1.0):
    """{"uniform", "unigram", "bigram"} -> the held-out loss (nats/char) of each, counted on ``train_ids``."""
    return {
        "uniform": uniform_loss(vocab_size),
        "unigram": unigram_loss(unigram_probabilities(train_ids, vocab_size, smoothing), test_ids),
        "bigram": bigram_loss(bigram_probabilities(train_ids, vocab_size, smoothing), test_ids),
    }
