"""rl.Adam with its update compiled: the same checks, state and numbers, one pass per parameter.

For every entry of a parameter p with gradient g, first and second moments m, v and the step
count t (``rl.Adam``, which follows ``torch.optim.Adam``):

    m <- m + (1 - b1) (g - m)          v <- b2 v + (1 - b2) g²
    p <- p - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)

NumPy evaluates that in about ten passes over each parameter, with temporaries (5 to 7 ms a
step for the 350,000 weights of lesson 13's LSTM, about 5 % of its training); the kernel makes
one pass and allocates nothing. The numbers differ from rl.Adam's in the last bits only
(FASTMATH may fuse a multiply and an add).
"""
import math

import numpy as np

from ..optim import Adam as ReferenceAdam
from .jit import VECTOR, _compile


@_compile(**VECTOR)
def _adam_update(param, grad, m, v, beta1, beta2, step_size, correction2, eps):
    """One Adam update of the flat arrays param, m, v (N,) from grad (N,), in place."""
    for j in range(param.shape[0]):
        g = grad[j]
        mj = m[j] + (1.0 - beta1) * (g - m[j])
        vj = v[j] * beta2 + (1.0 - beta2) * g * g
        m[j] = mj
        v[j] = vj
        param[j] -= step_size * mj / (math.sqrt(vj) / correction2 + eps)


class Adam(ReferenceAdam):
    """``rl.Adam`` (the same arguments, checks and state) whose update is one compiled pass."""

    def _update(self, param, grad, state):
        if not state:
            state.update(step=0, m=np.zeros(param.shape), v=np.zeros(param.shape))
        for name in ("m", "v"):  # the kernel updates flat views, so the moments must be C-contiguous
            state[name] = np.ascontiguousarray(state[name])
        state["step"] += 1
        t = state["step"]
        step_size = self.learning_rate / (1 - self.beta1 ** t)
        correction2 = (1 - self.beta2 ** t) ** 0.5
        flat = param.reshape(-1) if param.flags.c_contiguous else param.ravel()  # a view, or a copy put back below
        _adam_update(flat, np.ascontiguousarray(grad).reshape(-1), state["m"].reshape(-1), state["v"].reshape(-1),
                     self.beta1, self.beta2, step_size, correction2, self.eps)
        if not param.flags.c_contiguous:
            param[...] = flat.reshape(param.shape)
