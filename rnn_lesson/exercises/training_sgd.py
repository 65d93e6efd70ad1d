"""Checkers for lesson 05 (training with SGD).

    check_sgd_step(fn)      fn(params, grads, learning_rate) updates params in place
    check_train_epoch(fn)   fn(params, sequences, learning_rate) -> mean loss, params updated in place

``sequences`` is a list of (xs (T, I), targets (T, O)) pairs; the epoch is
per-sequence SGD on the MSE loss with tanh, each sequence's loss taken before
its own update, exactly what ``RNN(epochs=1)`` does. The references are
``optim.sgd_step`` and ``RNN``; on a wrong answer the checker names the
parameter, the sequence after which things first differ, how far off, and the
common mistake that gives exactly that value, if it is one of them.
"""
import numpy as np

from . import call_safely, compare, known_mistake, params_problem, same_values, verdict, with_hint
from ..losses import mse_loss
from ..models import RNN
from ..optim import sgd_step
from ..rnn import PARAM_NAMES, backward, forward, init_params

def _copy(params):
    return {k: v.copy() for k, v in params.items()}


def _step_cases():
    cases = []
    for number, (sizes, learning_rate) in enumerate([((3, 4, 2), 0.1), ((1, 3, 1), 0.025)], start=1):
        params = init_params(*sizes, seed=number)
        rng = np.random.default_rng(200 + number)
        grads = {k: rng.standard_normal(v.shape) for k, v in params.items()}
        cases.append((f"case {number} (learning rate {learning_rate})", params, grads, learning_rate))
    return cases


def check_sgd_step(step_fn):
    """Check the learner's SGD update ``step_fn(params, grads, learning_rate)`` (in place, like ``sgd_step``)."""
    for case, params, grads, learning_rate in _step_cases():
        mine, their_grads = _copy(params), _copy(grads)
        arrays = dict(mine)
        result, problem = call_safely(step_fn, [mine, their_grads, learning_rate], case)
        problem = problem or params_problem(mine, arrays, case)
        if problem:
            return verdict([problem], "")
        for key in PARAM_NAMES:
            if not np.array_equal(their_grads.get(key), grads[key]):
                return verdict([f"{case}: your function changed grads[{key!r}]; only params should change."], "")
        expected = _copy(params)
        sgd_step(expected, _copy(grads), learning_rate)
        for key in PARAM_NAMES:
            problem = compare(mine[key], expected[key], f"params[{key!r}] after the update, {case}")
            if problem:
                before, grad = params[key], grads[key]
                returned = result.get(key) if isinstance(result, dict) else None
                hint = known_mistake(mine[key], [
                    (f"Hint: params[{key!r}] did not change. Update the arrays in place "
                     f"(params[key] -= learning_rate * grads[key]); building a new dict or writing "
                     f"`params = ...` inside the function is not seen by the caller."
                     + (" Your function returned the right new values, but the training loop "
                        "expects params itself to change." if same_values(returned, expected[key]) else ""),
                     before),
                    ("Hint: the step went uphill: the gradient points where the loss grows, so subtract "
                     "learning_rate * grad.", before + learning_rate * grad),
                    ("Hint: the learning rate is missing: the step is learning_rate * grad.", before - grad),
                    ("Hint: the step is learning_rate * grad, not grad / learning_rate.", before - grad / learning_rate),
                ])
                return verdict([with_hint(problem, hint)], "")
    return verdict([], "every parameter moved by -learning_rate * grad, in place, in both cases.")


def _epoch_cases():
    """(name, sizes (I, H, O), seed, sequences, learning_rate): seeded data, a few sequences each."""
    cases = []
    for number, (n_in, n_hidden, n_out, n_steps, n_seq, learning_rate) in enumerate(
            [(2, 4, 1, 6, 3, 0.1), (1, 3, 2, 5, 2, 0.05)], start=1):
        rng = np.random.default_rng(300 + number)
        sequences = [(rng.standard_normal((n_steps, n_in)), 0.5 * rng.standard_normal((n_steps, n_out)))
                     for _ in range(n_seq)]
        name = f"case {number} ({n_seq} sequences of T={n_steps}, I={n_in}, H={n_hidden}, O={n_out})"
        cases.append((name, (n_in, n_hidden, n_out), number, sequences, learning_rate))
    return cases


def _reference_epoch(sizes, seed, sequences, learning_rate):
    """``RNN(epochs=1)`` on ``sequences``: (params after the epoch, mean loss)."""
    X = np.stack([xs for xs, _ in sequences])
    Y = np.stack([targets for _, targets in sequences])
    model = RNN(hidden_size=sizes[1], learning_rate=learning_rate, epochs=1, seed=seed, progress=False).fit((X, Y))
    return model.params_, float(model.loss_curve_[0])


def _run_learner(epoch_fn, sizes, seed, sequences, learning_rate, what):
    params = init_params(*sizes, seed=seed)
    copies = [(xs.copy(), targets.copy()) for xs, targets in sequences]
    result, problem = call_safely(epoch_fn, [params, copies, learning_rate], what)
    problem = problem or params_problem(params, init_params(*sizes, seed=seed), what, same_objects=False)
    if problem is None and len(copies) != len(sequences):
        problem = f"{what}: your function changed the list of sequences; only params should change."
    if problem is None and any(not (np.array_equal(a, c) and np.array_equal(b, d))
                               for (a, b), (c, d) in zip(sequences, copies)):
        problem = f"{what}: your function changed the training data; only params should change."
    return params, result, problem


def _loss_mistakes(sizes, seed, sequences, learning_rate, expected_loss):
    """Known wrong epoch losses: a list of (hint, value)."""
    params = init_params(*sizes, seed=seed)
    after = []
    for xs, targets in sequences:  # the reference epoch, recording each loss after its own update
        ys, cache = forward(params, xs)
        sgd_step(params, backward(mse_loss(ys, targets)[1], cache), learning_rate)
        after.append(mse_loss(forward(params, xs)[0], targets)[0])
    return [
        ("Hint: this is the sum of the sequences' losses; the epoch's loss is their mean.",
         expected_loss * len(sequences)),
        ("Hint: these are the losses measured after each update; take each sequence's loss before its own "
         "update (from the same forward pass that gives the gradient).", float(np.mean(after))),
    ]


def _batch_params(sizes, seed, sequences, learning_rate):
    """Full-batch gradient descent: one step with the mean gradient over all sequences."""
    params = init_params(*sizes, seed=seed)
    total = {k: np.zeros_like(v) for k, v in params.items()}
    for xs, targets in sequences:
        ys, cache = forward(params, xs)
        grads = backward(mse_loss(ys, targets)[1], cache)
        for k in total:
            total[k] += grads[k] / len(sequences)
    sgd_step(params, total, learning_rate)
    return params


def check_train_epoch(epoch_fn):
    """Check the learner's epoch ``epoch_fn(params, sequences, learning_rate) -> mean loss``.

    Runs it from ``init_params(I, H, O, seed)`` on seeded data and compares the
    updated params and the returned loss with ``RNN(epochs=1)``. When params
    differ it repeats the epoch on the first 1, 2, ... sequences to find the
    first sequence after which they go wrong.
    """
    for case, sizes, seed, sequences, learning_rate in _epoch_cases():
        params, loss, problem = _run_learner(epoch_fn, sizes, seed, sequences, learning_rate, case)
        if problem:
            return verdict([problem], "")
        expected_params, expected_loss = _reference_epoch(sizes, seed, sequences, learning_rate)
        for key in PARAM_NAMES:
            problem = compare(params[key], expected_params[key], f"params[{key!r}] after the epoch, {case}")
            if problem:
                return verdict([problem + " " + _params_hint(epoch_fn, key, params, sizes, seed, sequences,
                                                             learning_rate)], "")
        problem = compare(loss, expected_loss, f"the returned mean loss, {case}")
        if problem:
            hint = known_mistake(loss, _loss_mistakes(sizes, seed, sequences, learning_rate, expected_loss))
            return verdict([with_hint(problem, hint)], "")
    return verdict([], "the parameters after the epoch and its mean loss agree with RNN(epochs=1) in both cases.")


def _params_hint(epoch_fn, key, params, sizes, seed, sequences, learning_rate):
    start = init_params(*sizes, seed=seed)
    if all(np.array_equal(params[k], start[k]) for k in PARAM_NAMES):
        return ("Hint: params did not change at all. After each sequence's backward pass, update params in "
                "place (rl.sgd_step(params, grads, learning_rate) or params[k] -= learning_rate * grads[k]).")
    if same_values(params[key], _batch_params(sizes, seed, sequences, learning_rate)[key]):
        return ("Hint: this is one step with the gradient averaged over all sequences (full-batch gradient "
                "descent). Per-sequence SGD updates params after every sequence, so the next sequence's "
                "forward pass already uses the new weights.")
    for count in range(1, len(sequences) + 1):  # the first prefix of the epoch that goes wrong
        mine, _, problem = _run_learner(epoch_fn, sizes, seed, sequences[:count], learning_rate, "")
        expected, _ = _reference_epoch(sizes, seed, sequences[:count], learning_rate)
        if problem is None and not all(same_values(mine[k], expected[k]) for k in PARAM_NAMES):
            wrong = [k for k in PARAM_NAMES if not same_values(mine[k], expected[k])]
            return (f"Hint: the parameters are already wrong after sequence {count} of the epoch "
                    f"({', '.join(wrong)} differ): look at the forward pass, loss, backward pass and update "
                    f"for that sequence.")
    return ""
