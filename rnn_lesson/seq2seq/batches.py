"""Texts to padded, time-major batches of ids, one-hot inputs and the decoder's inputs and labels.

Dimension letters: T steps (of the longest text in the batch), N texts, V tokens.

    source ids  (T_e, N)   each column one source, PAD after its end; ``mask`` (T_e, N) True on real tokens
    decoder in  (T_d, N)   BOS y_1 ... y_L PAD ...          (teacher forcing: the true previous token)
    labels      (T_d, N)   y_1 ... y_L EOS NO_TARGET ...    (what each step must predict; -1 = no loss)

with T_d = longest target + 1. A padded step has no label and is no attention target.
"""
import numpy as np

from ..language.vocabulary import onehot
from ..losses import NO_TARGET
from .vocab import BOS_ID, EOS_ID, PAD_ID


def _texts(texts, name):
    if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
        raise TypeError(f"{name} must be a list of texts, got {type(texts).__name__}")
    if not texts:
        raise ValueError(f"{name} is empty: a batch needs at least one text")
    return texts


def pad_ids(vocab, texts, name="sources"):
    """``(ids (T, N) int64, mask (T, N) bool)`` for ``texts``; an error names the text, token and position."""
    return pad_encoded(encode_texts(vocab, texts, name))


def encode_texts(vocab, texts, name="sources"):
    """The ids (L_n,) of each of ``texts``, a non-empty list; an error names the text, token and position."""
    return [vocab.encode(text, f"{name}[{k}]") for k, text in enumerate(_texts(texts, name))]


def pad_encoded(encoded):
    """``(ids (T, N) int64, mask (T, N) bool)`` of texts already encoded (``encode_texts``), PAD after each end."""
    ids = np.full((max(map(len, encoded)), len(encoded)), PAD_ID, dtype=np.int64)
    for column, row in enumerate(encoded):
        ids[:len(row), column] = row
    return ids, ids != PAD_ID


def decoder_io(vocab, targets):
    """``(inputs (T_d, N), labels (T_d, N))`` int64 for teacher forcing, T_d = longest target + 1."""
    ids, mask = pad_ids(vocab, targets, "targets")
    n_texts, lengths = ids.shape[1], mask.sum(axis=0)
    inputs = np.vstack([np.full((1, n_texts), BOS_ID), ids])           # BOS y_1 ... y_L PAD ...
    labels = np.full(inputs.shape, NO_TARGET, dtype=np.int64)
    labels[:-1][mask] = ids[mask]                                      # y_1 ... y_L
    labels[lengths, np.arange(n_texts)] = EOS_ID                       # ... EOS, then NO_TARGET
    return inputs, labels


def one_hot(ids, n_tokens):
    """ids (...) -> float64 (..., V) with a single 1 per position: the inputs a cell reads."""
    return onehot(ids, n_tokens)


class Batch:
    """One batch of (source, target) pairs as arrays: see the module docstring for the shapes."""

    def __init__(self, vocab, sources, targets):
        if len(sources) != len(targets):
            raise ValueError(f"{len(sources)} sources for {len(targets)} targets")
        self.source_ids, self.source_mask = pad_ids(vocab, sources, "sources")
        self.decoder_inputs, self.labels = decoder_io(vocab, targets)
        self.n_tokens = len(vocab)

    @classmethod
    def of_pairs(cls, vocab, pairs):
        """The batch of a list of (source, target) pairs."""
        pairs = _texts(pairs, "pairs")
        return cls(vocab, [s for s, _ in pairs], [t for _, t in pairs])
