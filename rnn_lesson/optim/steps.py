"""Gradient descent and clipping, in place (lessons 04-05): the global norm, clipping by it, one SGD step.

    global norm  g = sqrt(sum over all parameters of sum(grad**2))
    clipping     grad <- grad * (max_norm / g)   when g > max_norm
    SGD          param <- param - learning_rate * grad

Everything a step touches is checked before anything changes (all or nothing).
"""
import numpy as np

from ..numerics import NumericOverflow
from ..shapes import as_float_array, check_positive_float


def _check_matching(params, grads):
    if not isinstance(grads, dict) or set(grads) != set(params):
        got = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
        raise ValueError(f"grads must have the keys of params {sorted(params)}, got {got}")
    for key, grad in grads.items():
        if np.shape(grad) != np.shape(params[key]):
            raise ValueError(f"grads[{key!r}] has shape {np.shape(grad)}, params[{key!r}] has {np.shape(params[key])}")


def _check_params(params):
    """Every parameter a writeable float64 NumPy array, checked before any is updated."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict of NumPy arrays, got {type(params).__name__}")
    for key, param in params.items():
        if not isinstance(param, np.ndarray) or param.dtype != np.float64:
            got = f"an array of dtype {param.dtype}" if isinstance(param, np.ndarray) else type(param).__name__
            raise TypeError(f"params[{key!r}] must be a NumPy array of dtype float64 (it is updated in place), "
                            f"got {got}")
        if not param.flags.writeable:
            raise ValueError(f"params[{key!r}] is read-only, so it cannot be updated in place; "
                             f"pass a writeable copy (params[{key!r}] = params[{key!r}].copy())")


def _float_grads(grads, in_place=False):
    """Each gradient as a finite float64 array, keyed like ``grads``; refuses before anything changes.

    Real integer or float gradients are converted (the caller's arrays are not
    touched); complex, boolean or non-numeric ones are a TypeError naming the
    key, a NaN or infinity a FloatingPointError. ``in_place``: the caller's
    arrays will be scaled in place, so each must be a writeable float array.
    """
    if not isinstance(grads, dict):
        raise TypeError(f"grads must be a dict of NumPy arrays, got {type(grads).__name__}")
    converted = {}
    for key, grad in grads.items():
        name = f"grads[{key!r}]"
        if in_place:
            if not isinstance(grad, np.ndarray) or not np.issubdtype(grad.dtype, np.floating):
                got = f"an array of dtype {grad.dtype}" if isinstance(grad, np.ndarray) else type(grad).__name__
                raise TypeError(f"{name} must be a NumPy array of floats (clipping scales it in place), got {got}")
            if not grad.flags.writeable:
                raise ValueError(f"{name} is read-only, so clipping cannot scale it in place; pass a writeable copy")
        array = as_float_array(grad, name, finite=False)
        if not np.all(np.isfinite(array)):
            index = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
            raise FloatingPointError(f"{name} contains a non-finite value ({array[index]}) at index {index}; "
                                     "training has diverged")
        converted[key] = array
    return converted


def _norm(arrays):
    """The global norm of finite arrays; squares beyond float64's range are summed scaled by the largest entry
    (a norm that is itself beyond the range is inf)."""
    with np.errstate(over="ignore"):
        norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in arrays.values())))
        if np.isfinite(norm):
            return norm
        largest = max(float(np.max(np.abs(g))) for g in arrays.values() if g.size)
        return largest * float(np.sqrt(sum(float(np.sum((g / largest) ** 2)) for g in arrays.values())))


def global_norm(grads):
    """The Euclidean norm of all gradients taken together, a float.

    Integer and float16/float32 gradients are converted to float64 first (so
    the squares cannot overflow a small dtype); complex ones are refused.
    """
    if not isinstance(grads, dict):
        raise TypeError(f"grads must be a dict of NumPy arrays, got {type(grads).__name__}")
    norm = _norm({key: as_float_array(g, f"grads[{key!r}]") for key, g in grads.items()})  # finite: else NaN
    if not np.isfinite(norm):
        raise NumericOverflow("global_norm: the norm of these gradients is beyond float64's range (1.8e308)")
    return norm


def clip_by_global_norm(grads, max_norm):
    """Scale every gradient in place so their global norm is at most ``max_norm``.

    Returns the norm before clipping. The direction of the update is kept.
    Every gradient is checked (a writeable float array, finite) before any is
    scaled: a refused call leaves them all as they were.
    """
    return _clip(grads, _float_grads(grads, in_place=True), max_norm)[0]


def _clip(grads, converted, max_norm):
    """Clip checked gradients; returns (norm before clipping, the float64 gradients after it)."""
    max_norm = check_positive_float(max_norm, "clip_norm")
    norm = _finite_norm(converted)
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
        converted = {key: np.asarray(g, dtype=np.float64) for key, g in grads.items()}
    return norm, converted


def _finite_norm(converted):
    norm = _norm(converted)
    if not np.isfinite(norm):
        raise FloatingPointError(f"gradient norm is {norm}; training has diverged")
    return norm


def sgd_step(params, grads, learning_rate, clip_norm=None):
    """One SGD update, in place: ``param -= learning_rate * grad`` for every key.

    With ``clip_norm`` the gradients are first clipped by global norm (the
    caller's ``grads`` are scaled in place). Returns the gradient norm before
    clipping. Everything is checked before anything changes: params must be
    writeable float64 arrays, grads real numbers of the same shapes, finite
    (non-finite gradients raise FloatingPointError); a refused step leaves
    params and grads untouched.
    """
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    norm, converted = _checked_norm(params, grads, clip_norm)
    with np.errstate(over="ignore", invalid="ignore"):
        updated = {key: params[key] - learning_rate * grad for key, grad in converted.items()}
    for key, value in updated.items():  # all or nothing: an update that overflows changes no parameter
        if not np.all(np.isfinite(value)):
            raise FloatingPointError(f"the update of params[{key!r}] overflows float64 (learning_rate "
                                     f"{learning_rate:g} times a gradient of norm {norm:.3g}); training has diverged")
    for key, value in updated.items():
        params[key][...] = value
    return norm


def _checked_norm(params, grads, clip_norm):
    """Check params and grads and clip the grads if asked; (the norm before clipping, float64 grads).

    Every check is made before anything is changed.
    """
    _check_params(params)
    _check_matching(params, grads)
    converted = _float_grads(grads, in_place=clip_norm is not None)
    if clip_norm is not None:
        return _clip(grads, converted, clip_norm)
    return _finite_norm(converted), converted
