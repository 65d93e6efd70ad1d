"""Choosing the next character from the model's logits: temperature, top-k, one draw.

V characters. From logits y (V,):

    p_i = exp(y_i / τ) / Σ_j exp(y_j / τ)        τ = temperature > 0

τ = 1 samples the model's own distribution; τ < 1 sharpens it (τ → 0 always
picks the most likely character: greedy and repetitive); τ > 1 flattens it
towards uniform (more surprise, more spelling mistakes). A temperature so small that
y / τ overflows is that limit: every character but the most likely gets probability 0
(ties share it), never a NaN or a warning. ``top_k = k`` keeps the
k largest logits only (ties to the lower id) and renormalises, so a rare,
unlikely character can never be drawn. One draw turns a uniform number
u in [0, 1) into the first id whose cumulative probability exceeds u.
"""
import numbers

import numpy as np

from ..shapes import as_float_array, check_number_in, check_positive_float

MAX_TEMPERATURE = 100.0


def check_temperature(temperature):
    """A float in (0, MAX_TEMPERATURE]; ValueError for 0 or less (a division by zero, not 'greedy')."""
    temperature = check_positive_float(temperature, "temperature")
    if temperature > MAX_TEMPERATURE:
        raise ValueError(f"temperature must be at most {MAX_TEMPERATURE:g} (the text is already noise), "
                         f"got {temperature}")
    return temperature


def check_top_k(top_k, vocab_size):
    """None, or an int from 1 to V."""
    if top_k is None:
        return None
    if isinstance(top_k, bool) or not isinstance(top_k, numbers.Integral):
        raise TypeError(f"top_k must be None or an int, got {type(top_k).__name__} {top_k!r}")
    if not 1 <= top_k <= vocab_size:
        raise ValueError(f"top_k must be from 1 to the vocabulary size {vocab_size}, got {top_k}")
    return int(top_k)


def probabilities(logits, temperature=1.0, top_k=None):
    """p (V,): softmax(logits / temperature), with only the ``top_k`` largest logits kept (None: all)."""
    logits = as_float_array(logits, "logits", ndim=1)
    if logits.size == 0:
        raise ValueError("logits is empty: it needs one number per character of the vocabulary")
    temperature = check_temperature(temperature)
    with np.errstate(over="ignore"):
        scaled = logits / temperature
        if not np.all(np.isfinite(scaled)):  # tau so small that y / tau overflows: the limit tau -> 0, greedy
            scaled = (logits - logits.max()) / temperature  # 0 for the largest, -inf for the rest
    top_k = check_top_k(top_k, logits.shape[-1])
    if top_k is not None and top_k < logits.shape[-1]:
        kept = np.argsort(-logits, kind="stable")[:top_k]
        mask = np.full(logits.shape, -np.inf)
        mask[kept] = 0.0
        scaled = scaled + mask
    exps = np.exp(scaled - scaled.max())
    return exps / exps.sum()


def draw(p, u):
    """The id drawn from probabilities ``p`` (V,) by the uniform number ``u`` in [0, 1): inverse CDF."""
    p = as_float_array(p, "p", ndim=1)
    if p.size == 0 or np.any(p < 0) or np.any(p > 1) or not 0 < p.sum() <= 1 + 1e-6:
        raise ValueError(f"p must be a non-empty 1-D array of probabilities (>= 0, summing to 1), got {p!r:.80}")
    check_number_in(u, "u", 0.0, 1.0)
    cumulative = np.cumsum(p)
    return int(min(np.searchsorted(cumulative, u * cumulative[-1], side="right"), len(p) - 1))


def sample_next(logits, rng, temperature=1.0, top_k=None):
    """One character id drawn from ``logits`` (V,) with the generator ``rng``."""
    return draw(probabilities(logits, temperature, top_k), rng.random())
