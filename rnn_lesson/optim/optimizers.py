"""Optimizers with state (lesson 14): SGD, Momentum, Adagrad and Adam as objects.

They follow the update rules of ``torch.optim`` (checked against it by
``benchmarks/compare_torch.py``). Each keeps its state (a velocity, a sum of
squares, two moments) per parameter name, so one object serves one model for
its whole training: ``opt = Adam(1e-3)``, then ``opt.step(params, grads)`` per batch.
Every one also takes ``weight_decay`` (L2, as torch.optim's): ``g <- g + weight_decay * p``
after any clipping, before the update. ``rnn_lesson.schedules`` changes the learning
rate step by step (``Scheduled(Adam(1e-2), Cosine(1000))``).
"""
import copy
import numbers

import numpy as np

from ..shapes import check_positive_float
from .steps import _check_params, _checked_norm

def _check_fraction(value, name):
    """A real number in [0, 1), as momentum and the Adam betas must be."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return float(value)


class Optimizer:
    """What every optimizer shares: the checks, clipping, and the loop over parameters.

    A subclass stores its hyperparameters in ``__init__`` and writes
    ``_update(param, grad, state)``, which changes ``param`` in place and keeps
    whatever it needs in ``state``, the dict of that parameter's name.
    ``weight_decay`` (>= 0, L2 as in torch.optim) adds ``weight_decay * param``
    to each gradient before ``_update`` sees it (the caller's grads are not changed).
    """

    def __init__(self, learning_rate, weight_decay=0.0):
        self.learning_rate = check_positive_float(learning_rate, "learning_rate")
        self.weight_decay = check_decay(weight_decay)
        self.state = {}  # parameter name -> dict of that parameter's state

    def reset(self):
        """Forget the state (as before the first step); the hyperparameters stay."""
        self.state = {}

    def hyperparameters(self):
        """The arguments that rebuild this optimizer: ``type(opt)(**opt.hyperparameters())`` (without state)."""
        return {k: v for k, v in vars(self).items() if k != "state"}

    def __repr__(self):
        hyper = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items()
                          if k != "weight_decay" or v)  # weight decay shown only when it is on
        return f"{type(self).__name__}({hyper})"

    def _check_state(self, params):
        _check_params(params)
        for key, param in params.items():
            for name, value in self.state.get(key, {}).items():
                if np.shape(value) not in ((), param.shape):
                    raise ValueError(f"the state {name!r} of {key!r} has shape {np.shape(value)} but params[{key!r}] "
                                     f"has {param.shape}: use a new optimizer for a new model")

    def step(self, params, grads, clip_norm=None):
        """Update every ``params[key]`` in place from ``grads[key]``; returns the gradient norm.

        With ``clip_norm`` the gradients are first clipped by global norm (in
        place), as in ``sgd_step``; the norm returned is the one before clipping.
        Everything is checked first (as in ``sgd_step``): a refused step, e.g.
        for non-finite gradients (FloatingPointError), a read-only or non-float64
        parameter, or complex gradients, leaves params, grads and state untouched.
        """
        self._check_state(params)  # everything is checked before anything changes
        norm, converted = _checked_norm(params, grads, clip_norm)
        before = {key: p.copy() for key, p in params.items()}, copy.deepcopy(self.state)
        with np.errstate(over="ignore", invalid="ignore"):
            for key, grad in converted.items():
                if self.weight_decay:
                    grad = grad + self.weight_decay * params[key]
                self._update(params[key], grad, self.state.setdefault(key, {}))
        spoiled = [key for key in converted if not np.all(np.isfinite(params[key]))]
        if spoiled:  # all or nothing: put every parameter and the state back
            for key, value in before[0].items():
                params[key][...] = value
            self.state = before[1]
            raise FloatingPointError(f"the update of params[{spoiled[0]!r}] overflows float64 (gradient norm "
                                     f"{norm:.3g}); params and the optimizer's state are as they were")
        return norm


def check_decay(value, name="weight_decay"):
    """A finite real number >= 0 (weight decay: 0 is off)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


class SGD(Optimizer):
    """Plain SGD (``torch.optim.SGD``):  p <- p - lr * g."""

    def _update(self, param, grad, state):
        param -= self.learning_rate * grad


class Momentum(Optimizer):
    """SGD with momentum (``torch.optim.SGD(momentum=mu)``).

        b <- mu * b + g      (b = g on the first step)
        p <- p - lr * b
    """

    def __init__(self, learning_rate, momentum=0.9, weight_decay=0.0):
        super().__init__(learning_rate, weight_decay)
        self.momentum = _check_fraction(momentum, "momentum")

    def _update(self, param, grad, state):
        if "buffer" in state:
            state["buffer"] *= self.momentum
            state["buffer"] += grad
        else:
            state["buffer"] = np.array(grad, dtype=np.float64)
        param -= self.learning_rate * state["buffer"]


class Adagrad(Optimizer):
    """Adagrad (``torch.optim.Adagrad``): each entry's step shrinks with its own gradient history.

        s <- s + g**2        (s = 0 at the start)
        p <- p - lr * g / (sqrt(s) + eps)
    """

    def __init__(self, learning_rate, eps=1e-10, weight_decay=0.0):
        super().__init__(learning_rate, weight_decay)
        self.eps = check_positive_float(eps, "eps")

    def _update(self, param, grad, state):
        squares = state.setdefault("sum", np.zeros_like(param))
        squares += grad * grad
        param -= self.learning_rate * grad / (np.sqrt(squares) + self.eps)


class Adam(Optimizer):
    """Adam with bias correction, exactly as ``torch.optim.Adam``.

        t <- t + 1;   m <- b1 * m + (1 - b1) * g;   v <- b2 * v + (1 - b2) * g**2
        p <- p - (lr / (1 - b1**t)) * m / (sqrt(v) / sqrt(1 - b2**t) + eps)
    """

    def __init__(self, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        super().__init__(learning_rate, weight_decay)
        self.beta1 = _check_fraction(beta1, "beta1")
        self.beta2 = _check_fraction(beta2, "beta2")
        self.eps = check_positive_float(eps, "eps")

    def _update(self, param, grad, state):
        if not state:
            state.update(step=0, m=np.zeros_like(param), v=np.zeros_like(param))
        state["step"] += 1
        t, m, v = state["step"], state["m"], state["v"]
        m += (1 - self.beta1) * (grad - m)  # = b1 m + (1 - b1) g, in torch's order of operations
        v *= self.beta2
        v += (1 - self.beta2) * grad * grad
        step_size = self.learning_rate / (1 - self.beta1 ** t)
        param -= step_size * m / (np.sqrt(v) / (1 - self.beta2 ** t) ** 0.5 + self.eps)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adagrad": Adagrad, "adam": Adam}


def get_optimizer(optimizer, learning_rate=None):
    """An optimizer object from a name in ``OPTIMIZERS`` and a learning rate, or the object itself.

    ``get_optimizer("adam", 0.01)`` is ``Adam(0.01)``; without a learning rate
    the class default is used (only Adam has one). An optimizer object is
    returned as it is (a different ``learning_rate`` beside it is a ValueError).
    """
    if isinstance(optimizer, Optimizer):
        if learning_rate is not None and learning_rate != optimizer.learning_rate:
            raise ValueError(f"learning_rate={learning_rate!r} was given beside {optimizer!r}; "
                             "set it on the optimizer object only")
        return optimizer
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of: {', '.join(OPTIMIZERS)} "
                         "(or pass an optimizer object)")
    cls = OPTIMIZERS[optimizer]
    return cls() if learning_rate is None else cls(learning_rate)
