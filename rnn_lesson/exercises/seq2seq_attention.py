"""Checkers for lesson 16: the attention weights of one decoder step, and their backward pass.

    check_attention_weights(fn)    fn(query (H,), keys (T, H)) -> weights (T,)
    check_attention_backward(fn)   fn(dcontext (H,), query (H,), keys (T, H)) -> (dquery (H,), dkeys (T, H))

The reference is ``rl.seq2seq.attention`` (scaled dot product):

    e_j = query · h_j / sqrt(H)      a = softmax(e)      c = sum_j a_j h_j

and its backward pass, the gradients of ``sum(c * dcontext)``. Each checker runs
seeded cases, one with scores large enough that ``np.exp`` overflows unless the
maximum is subtracted first. A wrong answer is located (case, which output,
entry) and, when it is exactly what a classic mistake gives (``MISTAKES``), named.
"""
import numpy as np

from . import call_safely, compare, known_mistake, verdict, with_hint
from ..seq2seq import attention

MISTAKES = {
    "no_scale": "Hint: these are the weights without the scale: e_j = query · h_j. Divide the scores by sqrt(H).",
    "scale_h": "Hint: the scores were divided by H; the scale is 1/sqrt(H), which keeps their spread near 1 "
               "when query and keys have entries of size about 1.",
    "no_softmax": "Hint: these are the scores e_j themselves. The weights are their softmax: exp(e_j) / "
                  "sum_k exp(e_k), positive and summing to 1.",
    "overflow": "Hint: np.exp overflowed (scores of several hundred). Subtract the largest score before exp: "
                "softmax(e) = softmax(e - max(e)), and every exp is then at most 1.",
    "no_centring": "Hint: de_j = a_j * da_j misses the softmax's other term. The weights share one sum, so "
                   "de_j = a_j (da_j - sum_k a_k da_k).",
    "values_only": "Hint: dkeys has only the path through the context (a_j dcontext). Each h_j is also a key: "
                   "add de_j * query / sqrt(H).",
    "keys_only": "Hint: dkeys has only the path through the scores. Each h_j is also a value, weighted by a_j "
                 "in the context: add a_j * dcontext.",
    "no_scale_backward": "Hint: the scale 1/sqrt(H) is missing from the score path: e_j = query · h_j / sqrt(H), "
                         "so dquery = sum_j de_j h_j / sqrt(H) and the key path of dkeys is de_j query / sqrt(H).",
}


def _cases():
    """(name, query (H,), keys (T, H), dcontext (H,)): two seeded cases and one with large scores."""
    cases = []
    for number, (n_steps, n_hidden, size) in enumerate([(5, 4, 1.0), (7, 3, 1.0), (4, 4, 30.0)], start=1):
        rng = np.random.default_rng(1600 + number)
        query, keys = size * rng.standard_normal(n_hidden), size * rng.standard_normal((n_steps, n_hidden))
        name = f"case {number} (T={n_steps}, H={n_hidden}{', large scores' if size > 1 else ''})"
        cases.append((name, query, keys, rng.standard_normal(n_hidden)))
    return cases


def reference(query, keys, dcontext=None):
    """The package's attention for one query: weights (T,), or (dquery (H,), dkeys (T, H)) given dcontext."""
    context, weights, cache = attention.forward(query[None, None], keys[:, None])
    if dcontext is None:
        return weights[0, 0]
    dqueries, dkeys = attention.backward(dcontext[None, None], cache)
    return dqueries[0, 0], dkeys[:, 0]


def _softmax(scores):
    exps = np.exp(scores - scores.max())
    return exps / exps.sum()


def mistaken_weights(query, keys, mistake):
    """The weights one of the forward MISTAKES gives (None for "overflow": that gives no numbers)."""
    scores = keys @ query
    if mistake == "no_scale":
        return _softmax(scores)
    if mistake == "scale_h":
        return _softmax(scores / len(query))
    if mistake == "no_softmax":
        return scores / np.sqrt(len(query))
    return None


def mistaken_backward(dcontext, query, keys, mistake):
    """(dquery, dkeys) with one of the backward MISTAKES."""
    scale = 1.0 / np.sqrt(len(query))
    weights = _softmax(keys @ query * scale)
    dweights = keys @ dcontext
    dscores = weights * dweights if mistake == "no_centring" else weights * (dweights - weights @ dweights)
    score_scale = 1.0 if mistake == "no_scale_backward" else scale
    values_path = np.outer(weights, dcontext) * (mistake != "keys_only")
    keys_path = np.outer(dscores, query) * score_scale * (mistake != "values_only")
    return dscores @ keys * score_scale, values_path + keys_path


def check_attention_weights(weights_fn):
    """Check the learner's ``weights_fn(query (H,), keys (T, H)) -> weights (T,)``; returns Feedback."""
    for name, query, keys, _ in _cases():
        got, problem = call_safely(weights_fn, [query, keys], name)
        if problem:
            return verdict([problem], "")
        if got is None:
            return verdict(["not attempted yet: your function returns None. Write it, run the cell again."], "")
        with np.errstate(all="ignore"):
            problem = compare(got, reference(query, keys), f"{name}, the weights", axis_names=("entry",))
        if problem:
            hint = MISTAKES["overflow"] if "non-finite" in problem else known_mistake(
                got, [(MISTAKES[m], mistaken_weights(query, keys, m)) for m in ("no_scale", "scale_h", "no_softmax")])
            return verdict([with_hint(problem, hint)], "")
    return verdict([], "the weights agree with rl.seq2seq.attention in all three cases, large scores included.")


def check_attention_backward(backward_fn):
    """Check the learner's ``backward_fn(dcontext, query, keys) -> (dquery, dkeys)``; returns Feedback."""
    for name, query, keys, dcontext in _cases():
        result, problem = call_safely(backward_fn, [dcontext, query, keys], name)
        if problem:
            return verdict([problem], "")
        if result is None or (isinstance(result, (tuple, list)) and all(r is None for r in result)):
            return verdict(["not attempted yet: your function returns None. Write it, run the cell again."], "")
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            kind = f"{len(result)} values" if isinstance(result, (tuple, list)) else type(result).__name__
            return verdict([f"{name}: return two things, `dquery, dkeys`; got {kind}."], "")
        expected = reference(query, keys, dcontext)
        mistakes = ("no_centring", "values_only", "keys_only", "no_scale_backward")
        for index, (label, axes) in enumerate((("dquery", ("entry",)), ("dkeys", ("encoder step",)))):
            problem = compare(result[index], expected[index], f"{name}, {label}", axis_names=axes)
            if problem:
                hint = known_mistake(result[index], [(MISTAKES[m], mistaken_backward(dcontext, query, keys, m)[index])
                                                     for m in mistakes])
                return verdict([with_hint(problem, hint)], "")
    return verdict([], "dquery and dkeys agree with rl.seq2seq.attention.backward in all three cases.")
