"""Checkers for lesson 04 (backpropagation through time).

    check_step_backward(fn)          fn(dy, dh_next, x, h_prev, h, params) -> (dh_prev, grads), tanh
    check_bptt(fn)                   fn(params, xs, hs, dys) -> grads, tanh
    check_bptt_activation(fn, act)   the same for act = "sigmoid" or "relu"

Shapes: dy (O,), dh_next, h_prev, h (H,), x (I,); xs (T, I), hs (T + 1, H) with
h_0 first, dys (T, O); grads is a dict with the keys and shapes of params.
Messages number time steps 1..T as the lesson does: x_t = xs[t-1], h_t = hs[t].
The reference is ``rnn.step_backward`` / ``rnn.backward``. When an answer is
wrong the checker says which gradient, at which time step, how far off, and
which common mistake (if any) produces exactly that wrong value.
"""
import numpy as np

from . import call_safely, compare, known_mistake, real_numbers, same_values, verdict, with_hint
from ..rnn import PARAM_NAMES, backward, forward, init_params, step_backward

MATCH_RTOL = 1e-7  # to recognise a known mistake (the verdict itself uses compare)


def _cases():
    """Two seeded problems: (name, params, xs, dys); W_hh is not symmetric, biases are not 0."""
    cases = []
    for number, (n_in, n_hidden, n_out, n_steps) in enumerate([(3, 4, 2, 5), (1, 3, 1, 4)], start=1):
        rng = np.random.default_rng(100 + number)
        params = init_params(n_in, n_hidden, n_out, seed=number)
        params["b_h"] += 0.3 * rng.standard_normal(n_hidden)
        params["b_y"] += 0.3 * rng.standard_normal(n_out)
        xs = rng.standard_normal((n_steps, n_in))
        dys = rng.standard_normal((n_steps, n_out))
        cases.append((f"case {number} (I={n_in}, H={n_hidden}, O={n_out}, T={n_steps})", params, xs, dys))
    return cases


def _copy(params):
    return {k: v.copy() for k, v in params.items()}


def _grads_problem(grads, what):
    """None if ``grads`` is a dict with every parameter name, else the problem in words."""
    if not isinstance(grads, dict):
        return f"{what}: the gradients must be a dict with keys {list(PARAM_NAMES)}, got {type(grads).__name__}."
    missing = [k for k in PARAM_NAMES if k not in grads]
    if missing:
        return f"{what}: the gradients dict is missing {missing}."
    return None


def _transposed(name, got, expected):
    got = real_numbers(got)[0]
    if got is not None and np.ndim(expected) == 2 and same_values(np.transpose(got), expected, MATCH_RTOL):
        return (f"Hint: your d{name} is the transpose of the right one. d{name} must have the shape of "
                f"{name}: the outer product goes (input of the product, gradient at its output), "
                f"e.g. np.outer(h_prev, dz) for W_hh, np.outer(x, dz) for W_xh, np.outer(h, dy) for W_hy.")
    return None


def _step_mistakes(name, dy, dh_next, cache, expected_dh_prev):
    """Known wrong versions of one step's gradient ``name``: a list of (hint, value)."""
    params, x, h_prev, h, _ = cache

    def variant(new_h=h, new_dh_next=dh_next, activation="tanh", key=name):
        _, dh_prev, grads = step_backward(dy, new_dh_next, (params, x, h_prev, new_h, activation))
        return dh_prev if key == "dh_prev" else grads[key]

    mistakes = []
    if np.any(dh_next != 0):
        mistakes.append(("Hint: this is what you get without dh_next. At every step but the last, h_t also "
                         "influences the future: add the gradient dh_next arriving from step t+1, "
                         "dh = dy @ W_hy.T + dh_next.", variant(new_dh_next=np.zeros_like(dh_next))))
    mistakes += [
        ("Hint: you applied tanh to h again. h is already tanh(z), so the derivative is 1 - h**2, "
         "not 1 - tanh(h)**2.", variant(new_h=np.tanh(h))),
        ("Hint: you took the derivative at the pre-activation z: 1 - z**2. The tanh derivative written "
         "with the output is 1 - h**2 (h = tanh(z)).", variant(new_h=np.arctanh(h))),
        ("Hint: you used h_prev in the derivative; the derivative belongs to this step's own output h: "
         "dz = dh * (1 - h**2).", variant(new_h=h_prev)),
        ("Hint: the activation's derivative is missing: dz = dh * (1 - h**2), not dz = dh.",
         variant(activation="identity")),
    ]
    if name == "dh_prev":
        dz = step_backward(dy, dh_next, cache)[2]["b_h"]
        mistakes.append(("Hint: dh_prev = dz @ W_hh.T; you multiplied by W_hh without the transpose.",
                         dz @ params["W_hh"]))
    return mistakes


def _unpack_step(result, what):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return None, None, f"{what}: return a pair (dh_prev, grads), got {type(result).__name__}."
    dh_prev, grads = result
    return dh_prev, grads, _grads_problem(grads, what)


def check_step_backward(step_fn):
    """Check the learner's one-step backward pass (tanh) against ``rnn.step_backward``.

    ``step_fn(dy, dh_next, x, h_prev, h, params) -> (dh_prev, grads)``. It is
    called at every time step of two seeded sequences, from the last step back,
    with the reference dh_next, so one wrong step does not spoil the others.
    """
    for case, params, xs, dys in _cases():
        _, cache = forward(params, xs)
        hs, n_steps = cache["hs"], len(xs)
        dh_next = np.zeros(hs.shape[1])
        for t in reversed(range(n_steps)):
            step_cache = cache["steps"][t]
            what = f"{case}, time step t={t + 1} (of 1..{n_steps})"
            result, problem = call_safely(step_fn, [dys[t], dh_next, xs[t], hs[t], hs[t + 1], _copy(params)], what)
            _, expected_dh_prev, expected = step_backward(dys[t], dh_next, step_cache)
            if problem is None:
                got_dh_prev, got, problem = _unpack_step(result, what)
            if problem is not None:
                return verdict([problem], "")
            checks = [(f"d{k}", k, got[k], expected[k]) for k in PARAM_NAMES]
            checks.append(("dh_prev", "dh_prev", got_dh_prev, expected_dh_prev))
            for label, name, got_value, want in checks:
                problem = compare(got_value, want, f"{label} at {what}")
                if problem:
                    hint = _transposed(name, got_value, want) or known_mistake(
                        got_value, _step_mistakes(name, dys[t], dh_next, step_cache, expected_dh_prev), MATCH_RTOL)
                    return verdict([with_hint(problem, hint)], "")
            dh_next = expected_dh_prev
    return verdict([], "dh_prev and all five gradients agree with rnn.step_backward at every time step "
                       "of both sequences.")


def _contributions(dys, cache):
    """Each time step's own share of the gradient in full BPTT: a list of dicts (index t)."""
    shares, dh_next = [None] * len(dys), np.zeros(cache["hs"].shape[1])
    for t in reversed(range(len(dys))):
        _, dh_next, shares[t] = step_backward(dys[t], dh_next, cache["steps"][t])
    return shares


def _first_wrong_step(bptt_fn, params, xs, hs, dys, name):
    """The first time step s (1..T) whose output, alone, gives a wrong d``name``.

    A loss at step s only flows through steps s, s-1, ..., 0, so if every
    earlier step's loss gives the right answer, the mistake is at step s.
    """
    _, cache = forward(params, xs)
    for s in range(len(xs)):
        only_s = np.zeros_like(dys)
        only_s[s] = dys[s]
        got, problem = call_safely(bptt_fn, [_copy(params), xs, hs, only_s], "")
        if problem is None and _grads_problem(got, "") is None:
            if compare(got[name], backward(only_s, cache)[name], "") is not None:
                return s + 1
    return None


def _run_bptt(bptt_fn, params, xs, dys, activation, what):
    """Run the learner's BPTT on one case: (grads, the reference cache, the reference grads, problem).

    ``grads`` is None with no problem when the function returned None (a stub).
    """
    _, cache = forward(params, xs, activation=activation)
    got, problem = call_safely(bptt_fn, [_copy(params), xs, cache["hs"], dys], what)
    if problem is None and got is not None:
        problem = _grads_problem(got, what)
    return got, cache, backward(dys, cache), problem


def check_bptt(bptt_fn):
    """Check the learner's whole backward pass (tanh) against ``rnn.backward``.

    ``bptt_fn(params, xs, hs, dys) -> grads`` with hs = forward(...)[1]["hs"].
    On a wrong answer it also finds the time step whose output gradient is
    handled wrongly, by giving the function a loss at one step at a time.
    """
    for case, params, xs, dys in _cases():
        got, cache, expected, problem = _run_bptt(bptt_fn, params, xs, dys, "tanh", case)
        problem = problem or (_grads_problem(got, case) if got is None else None)
        if problem:
            return verdict([problem], "")
        hs = cache["hs"]
        for name in PARAM_NAMES:
            problem = compare(got[name], expected[name], f"d{name} for {case}")
            if not problem:
                continue
            shares = _contributions(dys, cache)
            hint = _transposed(name, got[name], expected[name]) or known_mistake(got[name], [
                (f"Hint: your d{name} is all zeros: add each time step's share to it.",
                 np.zeros_like(expected[name])),
                ("Hint: this is the gradient without the path through time (as if truncate=1): carry "
                 "dh_prev from step t back to step t-1 and add it to dh there.",
                 backward(dys, cache, truncate=1)[name]),
                ("Hint: this is the first time step's share alone: accumulate with += over all time steps "
                 "instead of overwriting with =.", shares[0][name]),
                ("Hint: this is the last time step's share alone: accumulate every step's share with +=.",
                 shares[-1][name]),
            ], MATCH_RTOL)
            if hint is None:
                step = _first_wrong_step(bptt_fn, params, xs, hs, dys, name)
                if step is not None:
                    hint = (f"Hint: with a loss at time step t={step} only, d{name} is already wrong "
                            f"(a loss at any earlier step alone gives the right answer): look at what your "
                            f"loop does at step {step}.")
            return verdict([with_hint(problem, hint)], "")
    return verdict([], "all five gradients agree with rnn.backward on both sequences.")


def _backward_variant(dys, cache, activation, h_map=lambda h: h):
    """``backward`` as a known mistake computes it: another derivative, or one taken at h_map(h)."""
    steps = [(params, x, h_prev, h_map(h), activation) for params, x, h_prev, h, _ in cache["steps"]]
    return backward(dys, {**cache, "steps": steps})


def _activation_mistakes(name, dys, cache, activation):
    """Known wrong versions of d``name`` for BPTT with ``activation``: a list of (hint, value)."""
    right = {"sigmoid": "h * (1 - h)", "relu": "(h > 0)"}.get(activation, f"the derivative of {activation}")
    mistakes = [(f"Hint: you kept tanh's derivative 1 - h**2. With {activation} the derivative, written with "
                 f"the output h, is {right}.", _backward_variant(dys, cache, "tanh")[name]),
                (f"Hint: the activation's derivative is missing: dz = dh * {right}, not dz = dh.",
                 _backward_variant(dys, cache, "identity")[name]),
                ("Hint: this is the gradient without the path through time: carry dh_prev back and add it to "
                 "dh at the step before.", backward(dys, cache, truncate=1)[name])]
    if activation == "sigmoid":
        mistakes.append(("Hint: you applied the sigmoid to h again. h is already sigmoid(z), so the derivative "
                         "is h * (1 - h), not sigmoid(h) * (1 - sigmoid(h)).",
                         _backward_variant(dys, cache, "sigmoid", lambda h: 1 / (1 + np.exp(-h)))[name]))
    return mistakes


def check_bptt_activation(bptt_fn, activation="sigmoid"):
    """Check the learner's whole backward pass for another activation against ``rnn.backward``.

    ``bptt_fn(params, xs, hs, dys) -> grads`` with hs = forward(..., activation=activation)[1]["hs"],
    for activation "sigmoid" or "relu". Names the common mistake when it recognises one
    (tanh's derivative kept, the derivative missing, no path through time).
    """
    if activation not in ("sigmoid", "relu"):
        raise ValueError(f"activation must be 'sigmoid' or 'relu', got {activation!r}")
    for case, params, xs, dys in _cases():
        got, cache, expected, problem = _run_bptt(bptt_fn, params, xs, dys, activation, f"{case}, {activation}")
        if got is None and problem is None:
            return verdict(["not attempted yet: your function returns None. Write it, run the cell again."], "")
        if problem:
            return verdict([problem], "")
        for name in PARAM_NAMES:
            problem = compare(got[name], expected[name], f"d{name} for {case}, {activation}")
            if problem:
                hint = _transposed(name, got[name], expected[name]) or known_mistake(
                    got[name], _activation_mistakes(name, dys, cache, activation), MATCH_RTOL)
                return verdict([with_hint(problem, hint)], "")
    return verdict([], f"all five gradients agree with rnn.backward for {activation} on both sequences.")
