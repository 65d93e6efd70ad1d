"""Activation functions and their derivatives, written in terms of the output.

For ``a = f(z)`` each derivative ``f'(z)`` is computed from ``a`` alone, as the
Rust seed does, so the backward pass only needs the stored hidden states:

    tanh:     a = tanh(z)              f'(z) = 1 - a**2
    sigmoid:  a = 1 / (1 + exp(-z))    f'(z) = a * (1 - a)
    relu:     a = max(z, 0)            f'(z) = 1 if a > 0 else 0
    identity: a = z                    f'(z) = 1
"""
import numpy as np

from .numerics import check_real


def tanh(z):
    """Hyperbolic tangent, elementwise; output in (-1, 1)."""
    return np.tanh(check_real(z, "z"))


def tanh_derivative(a):
    """d tanh / dz expressed with the output a = tanh(z): 1 - a**2."""
    return 1.0 - a * a


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + exp(-z)), elementwise, without overflow.

    For z >= 0 it uses 1 / (1 + exp(-z)); for z < 0 the equal form
    exp(z) / (1 + exp(z)), so exp never sees a large positive argument.
    """
    z = np.asarray(check_real(z, "z"), dtype=np.float64)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(a):
    """d sigmoid / dz expressed with the output a: a * (1 - a)."""
    return a * (1.0 - a)


def softmax(z):
    """Probabilities over the last axis: exp(z - max z) / sum(exp(z - max z)); (..., K) -> (..., K).

    Subtracting the row's maximum keeps every exp at most 1, so it never overflows.
    Not a hidden activation (it mixes the units); it turns logits into class probabilities.
    """
    z = np.asarray(check_real(z, "z"), dtype=np.float64)
    if z.ndim == 0 or not np.all(np.isfinite(z)):  # an inf logit would give inf - inf = NaN
        got = "shape ()" if z.ndim == 0 else "NaN or inf"
        raise ValueError(f"softmax needs finite logits z of shape (..., K), got {got}")
    exps = np.exp(z - z.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def relu(z):
    """Rectified linear unit max(z, 0), elementwise."""
    return np.maximum(check_real(z, "z"), 0.0)


def relu_derivative(a):
    """d relu / dz from the output a: 1 where a > 0, else 0 (0 at the kink)."""
    return (np.asarray(a) > 0).astype(np.float64)


def identity(z):
    """The identity map, for a linear layer."""
    return np.asarray(check_real(z, "z"), dtype=np.float64)


def identity_derivative(a):
    """d z / dz = 1, shaped like a."""
    return np.ones_like(a, dtype=np.float64)


ACTIVATIONS = {
    "tanh": (tanh, tanh_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "relu": (relu, relu_derivative),
    "identity": (identity, identity_derivative),
}


def get_activation(name):
    """Return ``(f, f_derivative_from_output)`` for an activation name.

    Raises ValueError for an unknown name, listing the known ones.
    """
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (str), got {type(name).__name__}")
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(f"unknown activation {name!r}; choose one of: {known}") from None
