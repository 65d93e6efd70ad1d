"""Count models of any order: p(next character | the n - 1 characters before it), add-k smoothed.

V characters; a text of L characters has L - 1 predictions, of ids[1], ..., ids[L-1].
The *context* of the prediction of ids[i] is the n - 1 characters before it,

    context(i) = (ids[i-n+1], ..., ids[i-1])          a missing character is NONE = V

where a character is missing when it lies before the start of the text or, with a
``boundary`` id (the newline between names), before the last boundary inside the
window: ``boundary=None`` reads the text as one stream (the context of a name's
first letters holds the end of the name before it); ``boundary=newline`` starts
every name afresh, as the makemore lectures' MLP starts each name from '...'.
Each context is one integer, its characters as digits in base V + 1. Counting on
the training ids,

    p(c | context) = (count(context, c) + k) / (count(context) + k·V)      (add-k)

so a context never seen gives 1/V to every character. Order 2 with k = 1 and no
boundary is ``baselines.bigram_probabilities``; order 1 counts each character
predicted (``ids[1:]``). The counts are kept sparse (only the pairs seen), so an
order of 5 over 27 characters costs what the text costs, not (V+1)^4·V numbers.
"""
import numpy as np

from ..blas import one_blas_thread_methods
from ..shapes import check_ids, check_number_in, check_positive_int
from .baselines import MAX_SMOOTHING

MAX_ORDER = 10  # contexts of 9 characters: codes stay far inside int64 for vocabularies up to ~90 characters


def _order(order, vocab_size):
    order = check_positive_int(order, "order", most=MAX_ORDER)
    if (vocab_size + 1) ** order > 2 ** 62:
        raise ValueError(f"order {order} over {vocab_size} characters has too many contexts to number in int64; "
                         "use a lower order")
    return order


def _boundary(boundary, vocab_size):
    if boundary is None:
        return None
    if isinstance(boundary, (bool, np.bool_)) or not isinstance(boundary, (int, np.integer)):
        raise TypeError(f"boundary must be a character id (int) or None, got {type(boundary).__name__} "
                        f"{boundary!r}")
    if not 0 <= boundary < vocab_size:
        raise ValueError(f"boundary must be an id in [0, {vocab_size}), got {boundary}")
    return int(boundary)


def context_windows(ids, order, vocab_size, boundary=None):
    """(L - 1, n - 1) int64: row i - 1 holds context(i) for the prediction of ids[i], oldest first; NONE = V.

    See the module docstring; ``order`` n >= 1 (order 1 has empty contexts).
    """
    vocab_size = check_positive_int(vocab_size, "vocab_size")
    ids = check_ids(ids, "ids", vocab_size, ndim=1)
    if len(ids) < 2:
        raise ValueError(f"ids must hold at least 2 characters (one prediction), got {len(ids)}")
    order, boundary = _order(order, vocab_size), _boundary(boundary, vocab_size)
    n_pred = len(ids) - 1
    windows = np.full((n_pred, order - 1), vocab_size, dtype=np.int64)
    blocked = np.zeros(n_pred, dtype=bool)  # a boundary already passed, reading back from ids[i-1]
    positions = np.arange(1, len(ids))
    for back in range(1, order):  # back = 1 is the character just before the one predicted
        source = positions - back
        present = (source >= 0) & ~blocked
        column = np.where(present, ids[np.maximum(source, 0)], vocab_size)
        windows[:, order - 1 - back] = column
        if boundary is not None:
            blocked |= present & (column == boundary)
    return windows


def _codes(windows, vocab_size):
    """One int64 per context: its characters as digits in base V + 1 (0 for the empty context of order 1)."""
    codes = np.zeros(len(windows), dtype=np.int64)
    for column in windows.T:
        codes = codes * (vocab_size + 1) + column
    return codes


@one_blas_thread_methods  # every public method: one BLAS thread (rnn_lesson/blas.py)
class Ngram:
    """An order-``n`` count model with add-``smoothing`` (k) counts: ``Ngram(3, 0.1).fit(ids, V).loss(test_ids)``."""

    def __init__(self, order, smoothing=1.0, boundary=None):
        self.order = check_positive_int(order, "order", most=MAX_ORDER)
        self.smoothing = check_number_in(smoothing, "smoothing", 1e-12, MAX_SMOOTHING)
        self.boundary = boundary

    def __repr__(self):
        return f"Ngram(order={self.order}, smoothing={self.smoothing:g}, boundary={self.boundary!r})"

    def fit(self, ids, vocab_size):
        """Count every (context, next character) of ``ids`` (L,); returns self."""
        windows = context_windows(ids, self.order, vocab_size, self.boundary)
        self.vocab_size_ = int(vocab_size)
        contexts = _codes(windows, self.vocab_size_)
        pairs = contexts * self.vocab_size_ + np.asarray(ids, dtype=np.int64)[1:]
        self.pairs_, self.pair_counts_ = np.unique(pairs, return_counts=True)        # sorted, only those seen
        self.contexts_, self.context_counts_ = np.unique(contexts, return_counts=True)
        return self

    def log_probabilities(self, ids):
        """(L - 1,) ln p(ids[i] | context(i)) for every prediction of ``ids`` (L,), from the counts of ``fit``."""
        if not hasattr(self, "pairs_"):
            raise ValueError("this Ngram has no counts yet: call fit(ids, vocab_size) first")
        contexts = _codes(context_windows(ids, self.order, self.vocab_size_, self.boundary), self.vocab_size_)
        pairs = contexts * self.vocab_size_ + np.asarray(ids, dtype=np.int64)[1:]
        k, V = self.smoothing, self.vocab_size_
        return np.log((_lookup(self.pairs_, self.pair_counts_, pairs) + k)
                      / (_lookup(self.contexts_, self.context_counts_, contexts) + k * V))

    def loss(self, ids):
        """Mean -ln p over the L - 1 predictions of ``ids``: nats per character."""
        return float(-np.mean(self.log_probabilities(ids)))


def _lookup(keys, counts, queries):
    """counts[j] where keys[j] == query, 0 for a query not among the sorted ``keys``."""
    where = np.minimum(np.searchsorted(keys, queries), len(keys) - 1)
    return np.where(keys[where] == queries, counts[where], 0).astype(np.float64)
