"""Stochastic gradient descent and gradient clipping, both in place.

    global norm  g = sqrt(sum over all parameters of sum(grad**2))
    clipping     grad <- grad * (max_norm / g)   when g > max_norm
    SGD          param <- param - learning_rate * grad
"""
import numpy as np

from .shapes import check_positive_float


def _check_matching(params, grads):
    if not isinstance(grads, dict) or set(grads) != set(params):
        got = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
        raise ValueError(f"grads must have the keys of params {sorted(params)}, got {got}")
    for key, grad in grads.items():
        if np.shape(grad) != np.shape(params[key]):
            raise ValueError(f"grads[{key!r}] has shape {np.shape(grad)}, params[{key!r}] has {np.shape(params[key])}")


def global_norm(grads):
    """The Euclidean norm of all gradients taken together, a float."""
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))


def clip_by_global_norm(grads, max_norm):
    """Scale every gradient in place so their global norm is at most ``max_norm``.

    Returns the norm before clipping. The direction of the update is kept.
    """
    max_norm = check_positive_float(max_norm, "clip_norm")
    norm = global_norm(grads)
    if not np.isfinite(norm):
        raise FloatingPointError(f"gradient norm is {norm}; training has diverged")
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return norm


def sgd_step(params, grads, learning_rate, clip_norm=None):
    """One SGD update, in place: ``param -= learning_rate * grad`` for every key.

    With ``clip_norm`` the gradients are first clipped by global norm (the
    caller's ``grads`` are scaled in place). Returns the gradient norm before
    clipping. Non-finite gradients raise FloatingPointError and leave params
    untouched.
    """
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    _check_matching(params, grads)
    if clip_norm is not None:
        norm = clip_by_global_norm(grads, clip_norm)
    else:
        norm = global_norm(grads)
        if not np.isfinite(norm):
            raise FloatingPointError(f"gradient norm is {norm}; training has diverged")
    for key, grad in grads.items():
        params[key] -= learning_rate * grad
    return norm
