"""Checkers for lesson 13 (the character-level language model), written by the learner.

    check_softmax_cross_entropy(fn)   fn(logits, targets) -> (loss, dlogits)
    check_sample_step(fn)             fn(logits, temperature, u) -> the id of the next character

Shapes: logits (N, V) for N positions over V characters, targets (N,) integer ids;
the loss is the mean over the N positions of -log softmax(logits)[target]
(nats) and dlogits = (softmax(logits) - onehot(targets)) / N, as
``rl.softmax_cross_entropy``. The sampling step takes logits (V,), a temperature
τ > 0 and a uniform number u in [0, 1), and returns the first id i whose
cumulative probability p_0 + ... + p_i exceeds u, with p = softmax(logits / τ),
as ``rl.language.sampling.draw``. Each checker tries fixed, seeded cases (logits
in the thousands among them, where an unshifted exp overflows), says which case
and which value first differs, and names the classic mistakes of ``MISTAKES``.
"""
import numbers

import numpy as np

from . import Feedback, call_safely, compare, known_mistake, real_numbers, verdict, with_hint
from ..language.sampling import draw, probabilities
from ..losses import softmax_cross_entropy

MISTAKES = {
    "sum": "Hint: this is the sum over the positions, not the mean: divide the loss and dlogits by N.",
    "no_onehot": "Hint: dlogits lacks the '- onehot(targets)' part: the gradient is p minus 1 at the target.",
    "sign": "Hint: dlogits has the wrong sign: it is (p - onehot) / N, so the target's logit is pushed up by "
            "a step against the gradient.",
    "no_mean_grad": "Hint: the loss is right but dlogits was not divided by N (the loss is a mean).",
    "times_temperature": "Hint: the logits were multiplied by the temperature: divide them, p = softmax(y / τ).",
    "no_temperature": "Hint: the temperature was ignored: use p = softmax(logits / temperature).",
    "greedy": "Hint: this is the most likely character (argmax), not a draw: use u with the cumulative "
              "probabilities.",
    "left": "Hint: at a boundary u equals a cumulative probability exactly; the first id whose cumulative "
            "probability *exceeds* u is wanted (np.searchsorted(..., side='right')).",
}


def _ce_cases():
    rng = np.random.default_rng(13)
    yield "case 1 (N=4 positions, V=5)", rng.standard_normal((4, 5)), rng.integers(0, 5, 4)
    yield ("case 2 (N=6, V=27, logits near 800)", 800 + 3 * rng.standard_normal((6, 27)),
           rng.integers(0, 27, 6))
    yield "case 3 (N=1, V=3)", np.array([[0.5, -1.0, 2.0]]), np.array([1])


def _ce_mistakes(logits, targets):
    loss, grad = softmax_cross_entropy(logits, targets)
    n = len(targets)
    onehot = np.zeros_like(logits)
    onehot[np.arange(n), targets] = 1.0
    return {"sum": (loss * n, grad * n), "no_onehot": (loss, grad + onehot / n), "sign": (loss, -grad),
            "no_mean_grad": (loss, grad * n)}


def check_softmax_cross_entropy(fn):
    """Check ``fn(logits (N, V), targets (N,)) -> (loss, dlogits (N, V))`` against rl.softmax_cross_entropy."""
    for what, logits, targets in _ce_cases():
        result, problem = call_safely(fn, [logits, targets], what)
        if problem:
            return verdict([problem], "")
        if result is None or (isinstance(result, (tuple, list)) and all(r is None for r in result)):
            return Feedback(False, "not attempted yet: your function returns None. Write it, run the cell again.")
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return Feedback(False, f"{what}: return two things, `loss, dlogits`.")
        expected = softmax_cross_entropy(logits, targets)
        mistakes = _ce_mistakes(logits, targets)
        for k, name in enumerate(("the loss", "dlogits")):  # at dlogits the loss is right: not "sum"
            problem = compare(result[k], expected[k], f"{what}, {name}", ("position",) if k else ())
            if problem:
                hint = known_mistake(result[k], [(MISTAKES[m], v[k]) for m, v in mistakes.items()
                                                 if not np.allclose(v[k], expected[k]) and (k == 0 or m != "sum")])
                values, not_numbers = real_numbers(result[k])
                if hint is None and not not_numbers and not np.all(np.isfinite(values)):
                    hint = "Hint: exp overflowed: subtract each row's largest logit before exp (softmax does not change)."
                return verdict([with_hint(problem, hint)], "")
    return verdict([], "the loss and dlogits agree with rl.softmax_cross_entropy in every case, "
                       "logits near 800 (where exp overflows) included.")


def _sample_cases():
    rng = np.random.default_rng(31)
    logits = 2 * rng.standard_normal(6)
    for temperature in (1.0, 0.5, 2.0):
        for u in (0.03, 0.15, 0.3, 0.41, 0.55, 0.66, 0.77, 0.9, 0.98):
            yield f"logits {np.round(logits, 2).tolist()}, temperature {temperature}, u {u}", logits, temperature, u
    boundary = np.log(np.array([0.25, 0.25, 0.5]))
    yield "logits ln[0.25, 0.25, 0.5], temperature 1, u 0.25 (a boundary)", boundary, 1.0, 0.25
    yield "logits [800, 799, 0] (large), temperature 1, u 0.9", np.array([800.0, 799.0, 0.0]), 1.0, 0.9


def _sample_mistakes(logits, temperature, u):
    p = probabilities(logits, temperature)
    return {"times_temperature": draw(probabilities(logits * temperature * temperature, temperature), u),
            "no_temperature": draw(probabilities(logits, 1.0), u), "greedy": int(np.argmax(logits)),
            "left": int(np.searchsorted(np.cumsum(p), u, side="left"))}


def check_sample_step(fn):
    """Check ``fn(logits (V,), temperature, u) -> id`` against the inverse-CDF draw of softmax(logits / τ).

    A wrong draw is named by the first of ``MISTAKES`` that gives the learner's ids in every case.
    """
    cases, answers = list(_sample_cases()), []
    for what, logits, temperature, u in cases:
        result, problem = call_safely(fn, [logits, temperature, u], what)
        if problem:
            return verdict([problem], "")
        if result is None:
            return Feedback(False, "not attempted yet: your function returns None. Write it, run the cell again.")
        if isinstance(result, (bool, np.bool_)) or not isinstance(result, (numbers.Integral, np.integer)):
            return Feedback(False, f"{what}: return the id as an int (e.g. int(i)), got "
                                   f"{type(result).__name__} {result!r}.")
        answers.append(int(result))
    expected = [draw(probabilities(logits, temperature), u) for _, logits, temperature, u in cases]
    if answers == expected:
        return verdict([], "every draw agrees with the inverse CDF of softmax(logits / temperature), "
                           "at a boundary and with large logits too.")
    first = next(k for k, (a, e) in enumerate(zip(answers, expected)) if a != e)
    variants = [_sample_mistakes(logits, temperature, u) for _, logits, temperature, u in cases]
    hints = [MISTAKES[m] for m in variants[0] if [v[m] for v in variants] == answers]
    return verdict([with_hint(f"{cases[first][0]}: you returned id {answers[first]}, expected {expected[first]}.",
                              hints[0] if hints else None)], "")
