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

from ..shapes import check_positive_float


def unigram_probabilities(ids, vocab_size, smoothing=1.0):
    """p (V,): each character's share of the counts of ``ids``, each count plus ``smoothing``."""
    counts = np.bincount(ids, minlength=vocab_size) + check_positive_float(smoothing, "smoothing")
    return counts / counts.sum()


def bigram_probabilities(ids, vocab_size, smoothing=1.0):
    """P (V, V): row a is p(next | a) from the pairs (ids[i], ids[i+1]), each count plus ``smoothing``."""
    counts = np.zeros((vocab_size, vocab_size))
    np.add.at(counts, (ids[:-1], ids[1:]), 1.0)
    counts += check_positive_float(smoothing, "smoothing")
    return counts / counts.sum(axis=1, keepdims=True)


def uniform_loss(vocab_size):
    """ln V: the loss of a model that knows only how many characters there are."""
    return float(np.log(vocab_size))


def unigram_loss(probabilities, ids):
    """Mean -ln p(c) over the predicted characters ids[1:] (the first one is not predicted)."""
    return float(-np.mean(np.log(probabilities[ids[1:]])))


def bigram_loss(probabilities, ids):
    """Mean -ln P[previous, c] over the L - 1 pairs of ``ids``."""
    return float(-np.mean(np.log(probabilities[ids[:-1], ids[1:]])))


def baseline_losses(train_ids, test_ids, vocab_size, smoothing=1.0):
    """{"uniform", "unigram", "bigram"} -> the held-out loss (nats/char) of each, counted on ``train_ids``."""
    return {
        "uniform": uniform_loss(vocab_size),
        "unigram": unigram_loss(unigram_probabilities(train_ids, vocab_size, smoothing), test_ids),
        "bigram": bigram_loss(bigram_probabilities(train_ids, vocab_size, smoothing), test_ids),
    }
