"""Inverted dropout: during training each entry is zeroed with probability p and the survivors scaled up.

Shapes: anything, e.g. hs (T, N, H); the mask has the same shape.

    training:    keep = (u >= p) / (1 - p),  u ~ U[0, 1) per entry      y = x ⊙ keep
    prediction:  y = x                                                    (nothing to undo:
                                                                          E[keep] = 1 already)
    backward:    dx = dy ⊙ keep

Scaling the survivors during training ("inverted" dropout) keeps the expected
value of every entry, so prediction needs no rescaling. In a recurrent network
dropout goes on the non-recurrent connections (between layers, before the
output layer), not on h_{t-1} -> h_t: a fresh mask at every step on the state
would erase the memory a little more at every step. The variational form (Gal
and Ghahramani 2016) draws ONE mask per sequence and reuses it at every step,
which is what makes dropout on the recurrent connection workable.
"""
import numbers

import numpy as np

from ..numerics import check_finite, named_overflow
from ..shapes import as_float_array, check_seed


def check_rate(rate, name="dropout"):
    """A real number p in [0, 1): the probability of dropping an entry (1 would drop everything)."""
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real):
        raise TypeError(f"{name} must be a number in [0, 1), got {type(rate).__name__} {rate!r}")
    if not 0 <= rate < 1:
        raise ValueError(f"{name} must be in [0, 1) (the probability of dropping an entry), got {rate!r}")
    return float(rate)


def check_training(training):
    """``training`` must be exactly True or False (a 0, a string or None would hide a mistake)."""
    if not isinstance(training, bool):
        raise TypeError(f"training must be True or False, got {type(training).__name__} {training!r}")
    return training


def generator(rng):
    """A NumPy Generator from ``rng``: a Generator itself, or an int seed."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(check_seed(rng))


@named_overflow
def forward(xs, rate, training, rng=None):
    """``(ys, keep)``: xs with dropout applied when ``training`` and rate > 0; keep is None when it is off.

    ``rng``: a Generator or an int seed, needed only when dropout is on (same
    seed, same mask). ``keep`` holds 0 or 1 / (1 - rate) per entry, xs' shape.
    """
    rate, training = check_rate(rate), check_training(training)
    xs = as_float_array(xs, "xs")
    if not training or rate == 0.0:
        return xs, None
    if rng is None:
        raise ValueError("dropout in training mode draws a random mask: pass rng (a seed or a Generator)")
    keep = (generator(rng).random(xs.shape) >= rate) / (1.0 - rate)
    return check_finite(xs * keep, "the dropped-out xs", inputs={"xs": xs}), keep


@named_overflow
def backward(dys, keep):
    """dL/dxs from dL/dys: ``dys ⊙ keep`` (dys itself when dropout was off, keep None)."""
    dys = as_float_array(dys, "dys")
    if keep is None:
        return dys
    keep = as_float_array(keep, "keep")
    if dys.shape != keep.shape:
        raise ValueError(f"dys must have the shape of the mask {keep.shape}, got {dys.shape}")
    return check_finite(dys * keep, "dL/dxs", inputs={"dys": dys})
