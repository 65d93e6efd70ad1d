"""Checker for lesson 05's exercise 3: truncated BPTT done in chunks, as it is used in practice.

    check_chunked_epoch(fn)   fn(params, xs, targets, chunk, learning_rate) -> list of chunk losses

One long sequence xs (T, I), targets (T, O) is cut into chunks of ``chunk`` steps
(the last one may be shorter). Each chunk runs forward from the hidden state the
previous chunk ended in (h = 0 for the first), takes the MSE loss over its own
steps, backpropagates within the chunk only (the carried state is a constant) and
makes one SGD step, in place. The state carried on is the chunk's last hidden
state from that forward pass. The learner returns the chunk losses, each taken
before its own update. The checker compares losses and weights with the
reference below and names the common mistakes.
"""
import numpy as np

from . import call_safely, compare, known_mistake, params_problem, real_numbers, verdict, with_hint
from ..losses import mse_loss
from ..optim import sgd_step
from ..rnn import PARAM_NAMES, backward, forward, init_params


def _reference(params, xs, targets, chunk, learning_rate, mistake=None):
    """Chunked truncated BPTT, in place; returns the chunk losses. ``mistake`` reproduces a known slip."""
    losses, h = [], np.zeros(params["W_hh"].shape[0])
    last_start = len(xs) - chunk + 1 if mistake == "drop last" else len(xs)
    pending = {k: np.zeros_like(v) for k, v in params.items()}
    for start in range(0, max(last_start, 1), chunk):
        ys, cache = forward(params, xs[start:start + chunk], h0=h)
        loss, dys = mse_loss(ys, targets[start:start + chunk])
        grads = backward(dys, cache)
        if mistake == "one update":
            for k in PARAM_NAMES:
                pending[k] += grads[k]
        else:
            sgd_step(params, grads, learning_rate)
        h = np.zeros_like(h) if mistake == "reset" else cache["hs"][-1]
        if mistake == "recomputed":  # the last state again, with the weights after the update
            h = forward(params, xs[start:start + chunk], h0=cache["hs"][0])[1]["hs"][-1]
        losses.append(loss)
    if mistake == "one update":
        sgd_step(params, pending, learning_rate)
    return losses


MISTAKES = [
    ("reset", "Hint: every chunk starts from h = 0. Carry the last hidden state of each chunk's forward pass "
              "into the next chunk (h0=...): truncation cuts the gradient, not the memory."),
    ("one update", "Hint: you made one update at the end. Chunked BPTT updates the weights after every chunk."),
    ("drop last", "Hint: the last, shorter chunk is missing: when T is not a multiple of chunk, train on the "
                  "remaining steps too."),
    ("recomputed", "Hint: you recomputed the carried state after the update. Carry the last hidden state of the "
                   "chunk's own forward pass, the one its loss was computed from."),
]


def _cases():
    """(name, params, xs, targets, chunk, learning rate): a partial last chunk, chunk 1, one whole chunk."""
    cases = []
    for number, (n_steps, chunk, learning_rate) in enumerate([(23, 5, 0.1), (7, 1, 0.05), (9, 12, 0.1)], 1):
        rng = np.random.default_rng(500 + number)
        wave = np.sin(np.arange(n_steps + 1) / 2.0) + 0.1 * rng.standard_normal(n_steps + 1)
        xs, targets = wave[:-1, None], wave[1:, None]
        cases.append((f"case {number} (T={n_steps}, chunk={chunk}, I=1, H=4, O=1)", init_params(1, 4, 1, seed=number),
                      xs, targets, chunk, learning_rate))
    return cases


def check_chunked_epoch(epoch_fn):
    """Check ``epoch_fn(params, xs, targets, chunk, learning_rate) -> losses`` against the reference."""
    for case, params, xs, targets, chunk, learning_rate in _cases():
        mine = {k: v.copy() for k, v in params.items()}
        arrays = dict(mine)
        result, problem = call_safely(epoch_fn, [mine, xs, targets, chunk, learning_rate], case)
        if problem is None and result is None:
            return verdict(["not attempted yet: your function returns None. Write it, run the cell again."], "")
        problem = problem or params_problem(mine, arrays, case)
        if problem:
            return verdict([problem], "")
        expected = {k: v.copy() for k, v in params.items()}
        expected_losses = _reference(expected, xs, targets, chunk, learning_rate)
        wrong = {}
        for mistake, _ in MISTAKES:
            wrong[mistake] = {k: v.copy() for k, v in params.items()}
            wrong[mistake]["losses"] = _reference(wrong[mistake], xs, targets, chunk, learning_rate, mistake)
        checks = [("the chunk losses", "losses", result, expected_losses)]
        checks += [(f"params[{k!r}] after the pass", k, mine[k], expected[k]) for k in PARAM_NAMES]
        for label, key, got, want in checks:
            problem = compare(got, want, f"{label}, {case}", axis_names=("chunk",) if key == "losses" else ())
            if problem:
                hint = known_mistake(got, [(hint, wrong[m][key]) for m, hint in MISTAKES], 1e-7)
                if hint is None and key == "losses" and real_numbers(got)[0] is not None:
                    hint = f"Hint: return one loss per chunk ({len(expected_losses)} here), each before its update."
                return verdict([with_hint(problem, hint)], "")
    return verdict([], "the chunk losses and the weights agree with chunked truncated BPTT on all three "
                       "sequences, including a shorter last chunk.")
