"""Scaled dot-product attention of decoder states over encoder states, forward and backward, with a mask.

Dimension letters: S decoder steps (queries), T encoder steps (keys = values), N sequences, H hidden.
For decoder state s_i (the query) and encoder states h_j (keys and values) of one sequence:

    e_ij = s_i · h_j / sqrt(H)                  scores          (S, N, T)
    a_ij = exp(e_ij) / sum_k exp(e_ik)          weights         over the real (unmasked) j only
    c_i  = sum_j a_ij h_j                       context         (S, N, H)

A padded encoder step gets e = -inf, hence a = 0 exactly: it is never attended to.
Backward, given dc_i = dL/dc_i:

    da_ij = dc_i · h_j
    de_ij = a_ij (da_ij - sum_k a_ik da_ik)     the softmax's Jacobian, row by row
    ds_i  = sum_j de_ij h_j / sqrt(H)
    dh_j  = sum_i a_ij dc_i + sum_i de_ij s_i / sqrt(H)

h_j receives gradient twice: as a value (through c) and as a key (through e).
"""
import numpy as np

from ..numerics import check_finite, named_overflow
from ..shapes import as_float_array


def _check(queries, keys, mask):
    queries, keys = as_float_array(queries, "queries"), as_float_array(keys, "keys")
    if queries.ndim != 3 or keys.ndim != 3 or queries.shape[1:] != keys.shape[1:]:
        raise ValueError(f"queries must be (S, N, H) and keys (T, N, H) with the same N and H, "
                         f"got {queries.shape} and {keys.shape}")
    if mask is None:
        return queries, keys, np.ones(keys.shape[:2], dtype=bool)
    mask = np.asarray(mask)
    if mask.dtype != bool or mask.shape != keys.shape[:2]:
        raise ValueError(f"mask must be a bool array of shape {keys.shape[:2]} (T, N), got {mask.dtype} "
                         f"{mask.shape}")
    if not mask.any(axis=0).all():
        column = int(np.flatnonzero(~mask.any(axis=0))[0])
        raise ValueError(f"mask hides every step of sequence {column}: there is nothing to attend to")
    return queries, keys, mask


@named_overflow
def forward(queries, keys, mask=None):
    """Attend: queries (S, N, H), keys (T, N, H), mask (T, N) bool or None -> (context (S, N, H), weights, cache).

    ``weights`` (S, N, T): row i of sequence n is where decoder step i looks; each row sums to 1.
    """
    queries, keys, mask = _check(queries, keys, mask)
    scale = 1.0 / np.sqrt(queries.shape[-1])
    q, k = queries.transpose(1, 0, 2), keys.transpose(1, 0, 2)                   # batch first: (N, S, H), (N, T, H)
    scores = np.where(mask.T[:, None, :], q @ k.transpose(0, 2, 1) * scale, -np.inf)   # (N, S, T)
    exps = np.exp(scores - scores.max(axis=-1, keepdims=True))                   # 0 where masked
    weights = (exps / exps.sum(axis=-1, keepdims=True)).transpose(1, 0, 2)       # (S, N, T)
    context = (weights.transpose(1, 0, 2) @ k).transpose(1, 0, 2)                # (S, N, H)
    check_finite(context, "the attention's context", inputs={"queries": queries, "keys": keys})
    return context, weights, (queries, keys, weights, scale)


@named_overflow
def backward(dcontext, cache):
    """dcontext (S, N, H) -> (dqueries (S, N, H), dkeys (T, N, H)), the gradients of sum(context * dcontext)."""
    queries, keys, weights, scale = cache
    if np.shape(dcontext) != queries.shape:
        raise ValueError(f"dcontext must have the shape of the context {queries.shape}, got {np.shape(dcontext)}")
    q, k, a = queries.transpose(1, 0, 2), keys.transpose(1, 0, 2), weights.transpose(1, 0, 2)
    dc = as_float_array(dcontext, "dcontext").transpose(1, 0, 2)                                 # batch first: (N, S, H)
    dweights = dc @ k.transpose(0, 2, 1)                                         # (N, S, T)
    dscores = a * (dweights - np.sum(a * dweights, axis=-1, keepdims=True))
    dqueries = (dscores @ k * scale).transpose(1, 0, 2)                          # (S, N, H)
    dkeys = (a.transpose(0, 2, 1) @ dc + dscores.transpose(0, 2, 1) @ q * scale).transpose(1, 0, 2)  # (T, N, H)
    check_finite(dqueries, "dqueries", inputs={"dcontext": dcontext})
    return dqueries, check_finite(dkeys, "dkeys", inputs={"dcontext": dcontext})
