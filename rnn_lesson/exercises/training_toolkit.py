"""Checker for lesson 14: one Adam step, written by the learner.

    check_adam_step(fn)   fn(param, grad, m, v, t, learning_rate, beta1, beta2, eps) -> (param, m, v)

Shapes: param, grad, m, v all (K,); t the step number, 1 on the first step.
Returns the new values, leaving its input arrays as they were (the checker says so otherwise):

    m <- b1 m + (1 - b1) g            v <- b2 v + (1 - b2) g^2
    m_hat = m / (1 - b1^t)            v_hat = v / (1 - b2^t)
    param <- param - lr * m_hat / (sqrt(v_hat) + eps)

as ``rl.Adam`` (and torch.optim.Adam). The checker runs 12 steps on two seeded
problems, feeding back the reference's param, m and v before each step (so one
slip does not spoil the next), with gradients of very different sizes, and
names the classic mistakes in ``MISTAKES``.
"""
import numpy as np

from ..optim import Adam
from . import call_safely, compare, known_mistake, returned, verdict, with_hint

MISTAKES = {
    "no_correction": "Hint: the bias correction is missing. m and v start at 0, so early on they are too small: "
                     "divide by (1 - beta1**t) and (1 - beta2**t).",
    "t_from_zero": "Hint: the bias correction used t - 1. t counts steps from 1, so the first step divides by "
                   "(1 - beta1**1).",
    "eps_inside": "Hint: eps went inside the square root, sqrt(v_hat + eps). Adam adds it outside: "
                  "sqrt(v_hat) + eps.",
    "v_from_g": "Hint: v must average the SQUARED gradient: v = beta2 v + (1 - beta2) g**2.",
    "no_one_minus": "Hint: m = beta1 m + g is momentum's buffer, not Adam's average: weight g by (1 - beta1) "
                    "(and g**2 by (1 - beta2)).",
    "plus": "Hint: the step went uphill: param - lr * m_hat / (sqrt(v_hat) + eps), with a minus.",
}

N_STEPS = 12


def _step(param, grad, m, v, t, lr, b1, b2, eps, mistake=None):
    """One step, right or with one of MISTAKES, computed as a learner's code would (inf, NaN and all): (param, m, v)."""
    weight1, weight2 = (1.0, 1.0) if mistake == "no_one_minus" else (1 - b1, 1 - b2)
    m = b1 * m + weight1 * grad
    v = b2 * v + weight2 * (grad if mistake == "v_from_g" else grad * grad)
    with np.errstate(divide="ignore", invalid="ignore"):
        if mistake == "no_correction":
            m_hat, v_hat = m, v
        else:
            power = t - 1 if mistake == "t_from_zero" else t
            m_hat, v_hat = m / (1 - b1 ** power), v / (1 - b2 ** power)
        root = np.sqrt(v_hat + eps) if mistake == "eps_inside" else np.sqrt(v_hat) + eps
        return param + (1 if mistake == "plus" else -1) * lr * m_hat / root, m, v


def _cases():
    cases = []
    for number, (size, lr, b1, b2, scale) in enumerate([(5, 0.01, 0.9, 0.999, 1.0), (4, 0.1, 0.8, 0.99, 1e-3)]):
        rng = np.random.default_rng(140 + number)
        param = rng.standard_normal(size)
        grads = [scale * rng.standard_normal(size) * 10.0 ** rng.uniform(-2, 1) for _ in range(N_STEPS)]
        cases.append((f"case {number + 1} (lr={lr}, beta1={b1}, beta2={b2})", param, grads, (lr, b1, b2, 1e-8)))
    return cases


def check_adam_step(fn):
    """Check ``fn(param, grad, m, v, t, learning_rate, beta1, beta2, eps) -> (param, m, v)`` against rl.Adam."""
    for what_case, param, grads, (lr, b1, b2, eps) in _cases():
        reference, optimizer = {"p": param.copy()}, Adam(lr, beta1=b1, beta2=b2, eps=eps)
        m, v = np.zeros_like(param), np.zeros_like(param)
        for t, grad in enumerate(grads, start=1):
            what = f"{what_case}, step t={t}"
            before = (reference["p"].copy(), m.copy(), v.copy())
            optimizer.step(reference, {"p": grad})
            state = optimizer.state["p"]
            expected = (reference["p"], state["m"], state["v"])
            result, problem = call_safely(fn, [*before[:1], grad, *before[1:], t, lr, b1, b2, eps], what)
            if problem is None:
                result, problem = returned(result, ("param", "m", "v"), what, "Write the step, then run the cell again.")
            if problem:
                return verdict([problem], "")
            variants = {k: _step(*before[:1], grad, *before[1:], t, lr, b1, b2, eps, k) for k in MISTAKES}
            for index, name in ((1, "m"), (2, "v"), (0, "param")):
                problem = compare(result[index], expected[index], f"{what}, {name}", axis_names=("entry",))
                if problem:
                    hint = known_mistake(result[index], [(MISTAKES[k], val[index]) for k, val in variants.items()],
                                         rtol=1e-7)
                    return verdict([with_hint(problem, hint)], "")
            m, v = state["m"].copy(), state["v"].copy()
    return verdict([], f"param, m and v agree with rl.Adam at all {N_STEPS} steps of both cases.")
