"""The lesson's toy translation task, generated offline with a seed: reverse a string of digits.

    source  "40718"   ->   target  "81704"

Every output token is one input token, so the alignment a person would draw is
known exactly: output position i reads input position L - 1 - i. The task is
trivial for a rule (``reverse_rule``, the baseline a learner should keep in
mind) and hard for an encoder that must squeeze all L digits into one state.

``make_split`` draws distinct sources, so no test string was seen in training.
``exact_match`` is the metric: a prediction counts only if every token is right.
"""
import numpy as np

from ..shapes import check_positive_int, check_seed

DIGITS = "0123456789"
MAX_LENGTH = 40  # bounds the work a call can ask for


def reverse_rule(source):
    """The answer by rule, no learning: the source read backwards."""
    return source[::-1]


def _lengths(min_length, max_length):
    min_length = check_positive_int(min_length, "min_length")
    max_length = check_positive_int(max_length, "max_length")
    if not min_length <= max_length <= MAX_LENGTH:
        raise ValueError(f"need 1 <= min_length <= max_length <= {MAX_LENGTH}, got {min_length}, {max_length}")
    return min_length, max_length


def make_sources(n, min_length, max_length, seed=0):
    """``n`` distinct digit strings, lengths uniform in [min_length, max_length], in a seeded order."""
    n = check_positive_int(n, "n")
    min_length, max_length = _lengths(min_length, max_length)
    possible = sum(10 ** length for length in range(min_length, max_length + 1))
    if n > possible // 2:
        raise ValueError(f"asked for {n} distinct strings of length {min_length}-{max_length}; "
                         f"ask for at most {possible // 2} (half of the {possible} there are)")
    rng = np.random.default_rng(check_seed(seed))
    seen, sources = set(), []
    while len(sources) < n:
        length = int(rng.integers(min_length, max_length + 1))
        text = "".join(DIGITS[d] for d in rng.integers(0, 10, size=length))
        if text not in seen:
            seen.add(text)
            sources.append(text)
    return sources


def make_split(n_train, n_valid, n_test, min_length, max_length, seed=0):
    """Three lists of (source, target) pairs with no source in two of them: train, validation, test."""
    sizes = [check_positive_int(k, name) for k, name in ((n_train, "n_train"), (n_valid, "n_valid"),
                                                          (n_test, "n_test"))]
    sources = make_sources(sum(sizes), min_length, max_length, seed)
    pairs = [(s, reverse_rule(s)) for s in sources]
    return pairs[:sizes[0]], pairs[sizes[0]:sizes[0] + sizes[1]], pairs[sizes[0] + sizes[1]:]


def exact_match(predictions, targets):
    """The fraction of predictions equal to their target in every token, a float in [0, 1]."""
    predictions, targets = list(predictions), list(targets)
    if len(predictions) != len(targets):
        raise ValueError(f"{len(predictions)} predictions for {len(targets)} targets")
    if not targets:
        raise ValueError("no targets to score")
    return sum(p == t for p, t in zip(predictions, targets)) / len(targets)


def accuracy_by_length(sources, predictions, targets):
    """Exact match per source length: a dict length -> (accuracy, number of examples), lengths sorted."""
    groups = {}
    for source, prediction, target in zip(sources, predictions, targets, strict=True):
        groups.setdefault(len(source), []).append(prediction == target)
    return {length: (sum(hits) / len(hits), len(hits)) for length, hits in sorted(groups.items())}
