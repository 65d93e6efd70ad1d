"""Checker for lesson 11 (the LSTM): one step of the backward pass, written from the raw inputs.

    check_step_backward(fn)   fn(dh, dc, x, h_prev, c_prev, params) -> (dx, dh_prev, dc_prev, grads)

Shapes: x (I,), h_prev, c_prev, dh, dc (H,); params holds W_xh (I, 4H), W_hh (H, 4H),
b_h (4H,) with the blocks i, f, g, o. dh is the gradient reaching h_t (from the
output and from step t+1), dc the gradient reaching c_t from step t+1. The
function recomputes the step's gates itself,

    a = x W_xh + h_prev W_hh + b_h,   i, f, o = σ(a_i), σ(a_f), σ(a_o),   g = tanh(a_g)
    c_t = f ⊙ c_prev + i ⊙ g,         h_t = o ⊙ tanh(c_t)

and returns dx (I,), dh_prev (H,), dc_prev (H,) and grads, a dict with this
step's dW_xh, dW_hh, db_h. The reference is ``cells.lstm.step_backward``. The
checker runs one step, then every step of a short sequence from the last back
to the first (with the reference's dh and dc, so one wrong step does not spoil
the others). On a wrong answer it names the time step and the gate whose
gradient is wrong (a block of db_h is the gradient at that gate's
pre-activation), and the classic mistake that gives exactly that value, if it
is one of them (:func:`mistaken_step_backward`), among them the blocks read or
stacked in CS231n's order i, f, o, g; right gradients stacked in any other
order are named too.
"""
import numpy as np

from . import Feedback, call_safely, compare, known_mistake, real_numbers, verdict, with_hint
from ..cells.lstm import GATES, forward, init_params, split_gates, step_backward, step_forward

MATCH_RTOL = 1e-7  # to recognise a known mistake (the verdict itself uses compare)
GRAD_NAMES = ("W_xh", "W_hh", "b_h")
GATE_NAMES = {"i": "input gate i", "f": "forget gate f", "g": "candidate g", "o": "output gate o"}
SLOPES = {"i": "i(1 - i)", "f": "f(1 - f)", "g": "1 - g**2", "o": "o(1 - o)"}

HINTS = {
    "no dh path in dc": "Hint: dc is missing the path through h_t. h_t = o ⊙ tanh(c_t) reads c_t too, so first "
                        "add it: dc = dc + dh ⊙ o ⊙ (1 - tanh(c_t)**2), then go back through c_t = f ⊙ c_prev + i ⊙ g.",
    "no incoming dc": "Hint: you left out the dc that arrives from step t+1 (the argument dc): the total is "
                      "dc + dh ⊙ o ⊙ (1 - tanh(c_t)**2).",
    "tanh(c_prev)": "Hint: you used tanh(c_prev). The output reads the new cell state, h_t = o ⊙ tanh(c_t) with "
                    "c_t = f ⊙ c_prev + i ⊙ g: do = dh ⊙ tanh(c_t) and the slope is 1 - tanh(c_t)**2.",
    "do with c": "Hint: do = dh ⊙ tanh(c_t), not dh ⊙ c_t: the output gate multiplies tanh(c_t).",
    "df with c": "Hint: df = dc ⊙ c_prev: the forget gate multiplies the previous cell state, not the new one.",
    "gates i f o g": "Hint: you read the four blocks in the order i, f, o, g (the order of CS231n's LSTM "
                     "assignment). Here, as in PyTorch, the blocks of W_xh, W_hh and b_h are in the order i, f, g, o "
                     "(rl.cells.lstm.GATES): the third block of a is the candidate's (tanh), the fourth the output "
                     "gate's (sigmoid). Cut a in that order and stack da in the same order.",
    "stacked i f o g": "Hint: each gate's gradient is right, but you stacked da in the order i, f, o, g (the order of "
                       "CS231n's LSTM assignment). Here the blocks are in the order i, f, g, o (rl.cells.lstm.GATES): "
                       "da = [da_i, da_f, da_g, da_o].",
    "dc_prev without f": "Hint: dc_prev = dc ⊙ f: the forget gate stands between c_{t-1} and c_t "
                         "(c_t = f ⊙ c_{t-1} + i ⊙ g), so the gradient passes through it.",
    "dc_prev from the incoming dc": "Hint: dc_prev = dc ⊙ f with the total dc, after adding the path through h_t "
                                    "(dh ⊙ o ⊙ (1 - tanh(c_t)**2)), not the dc that came in.",
    "W_hh with c_prev": "Hint: dW_hh = np.outer(h_prev, da): the recurrent weights multiply h_{t-1}, not c_{t-1}.",
}
for _k in "ifo":
    HINTS[f"slope of {_k} at a"] = (f"Hint: the slope of the {GATE_NAMES[_k]} was written with its pre-activation a: "
                                    f"a(1 - a). Written with the gate's value it is σ'(a) = {SLOPES[_k]}.")
HINTS["slope of g at a"] = ("Hint: the slope of the candidate g was written with its pre-activation: 1 - a**2. "
                            "Written with its value it is tanh'(a) = 1 - g**2.")
for _k in GATES:
    HINTS[f"no slope of {_k}"] = (f"Hint: the {GATE_NAMES[_k]}'s own derivative is missing: "
                                  f"da_{_k} = d{_k} ⊙ {SLOPES[_k]}.")


def mistaken_step_backward(dh, dc, cache, mistake=None):
    """``cells.lstm.step_backward`` with one of the mistakes named in HINTS made on purpose.

    ``cache`` is the one ``cells.lstm.step_forward`` returns; with ``mistake=None``
    this gives the reference's numbers (the tests hold it to that), so every
    known mistake is exactly one edit away from the right step.
    Returns (dx, dh_prev, dc_prev, grads) like ``step_backward``.
    """
    if mistake == "gates i f o g":
        return _with_gates_swapped(dh, dc, cache)
    if mistake == "stacked i f o g":  # the right gradients, stacked as i, f, o, g
        params, x, h_prev = cache[:3]
        _, _, dc_prev, grads = step_backward(dh, dc, cache)
        da = _swap_g_o(grads["b_h"])
        grads = {"W_xh": np.outer(x, da), "W_hh": np.outer(h_prev, da), "b_h": da}
        return da @ params["W_xh"].T, da @ params["W_hh"].T, dc_prev, grads
    params, x, h_prev, c_prev, i, f, g, o, tanh_c = cache
    gate = {"i": i, "f": f, "g": g, "o": o}
    a = dict(zip(GATES, split_gates(x @ params["W_xh"] + h_prev @ params["W_hh"] + params["b_h"])))
    read = np.tanh(c_prev) if mistake == "tanh(c_prev)" else tanh_c
    c = f * c_prev + i * g
    do = dh * (c if mistake == "do with c" else read)
    through_h = 0.0 if mistake == "no dh path in dc" else dh * o * (1.0 - read * read)
    dc_total = (0.0 if mistake == "no incoming dc" else dc) + through_h
    d_gate = {"i": dc_total * g, "f": dc_total * (c if mistake == "df with c" else c_prev), "g": dc_total * i, "o": do}
    slope = {k: gate[k] * (1.0 - gate[k]) for k in "ifo"}
    slope["g"] = 1.0 - g * g
    for k in GATES:
        if mistake == f"slope of {k} at a":
            slope[k] = 1.0 - a[k] ** 2 if k == "g" else a[k] * (1.0 - a[k])
        elif mistake == f"no slope of {k}":
            slope[k] = 1.0
    da = np.concatenate([d_gate[k] * slope[k] for k in GATES])
    dc_prev = {"dc_prev without f": dc_total, "dc_prev from the incoming dc": dc * f}.get(mistake, dc_total * f)
    rows = c_prev if mistake == "W_hh with c_prev" else h_prev
    grads = {"W_xh": np.outer(x, da), "W_hh": np.outer(rows, da), "b_h": da}
    return da @ params["W_xh"].T, da @ params["W_hh"].T, dc_prev, grads


def _swap_g_o(a):
    """The blocks of the last axis in the order i, f, o, g (its own inverse)."""
    i, f, g, o = split_gates(a)
    return np.concatenate([i, f, o, g], axis=-1)


def _with_gates_swapped(dh, dc, cache):
    """What a step that reads the blocks as i, f, o, g computes: the reference on swapped weights, swapped back."""
    params, x, h_prev, c_prev = cache[:4]
    swapped = {k: _swap_g_o(v) for k, v in params.items()}
    dx, dh_prev, dc_prev, grads = step_backward(dh, dc, step_forward(swapped, x, h_prev, c_prev)[2])
    return dx, dh_prev, dc_prev, {k: _swap_g_o(v) for k, v in grads.items()}


def _cases():
    """Seeded problems: (name, params, xs (T, I), h0, c0, dhs (T, H)); biases far from 0, W_hh not symmetric."""
    cases = []
    for number, (n_in, n_hidden, n_steps) in enumerate([(3, 4, 1), (2, 3, 4)], start=1):
        rng = np.random.default_rng(1100 + number)
        params = init_params(n_in, n_hidden, seed=number)
        params["b_h"] += 0.5 * rng.standard_normal(4 * n_hidden)
        xs = rng.standard_normal((n_steps, n_in))
        h0, c0 = 0.5 * rng.standard_normal(n_hidden), rng.standard_normal(n_hidden)
        dhs = rng.standard_normal((n_steps, n_hidden))
        size = "one step" if n_steps == 1 else f"a sequence of T={n_steps} steps"
        cases.append((f"case {number} ({size}, I={n_in}, H={n_hidden})", params, xs, h0, c0, dhs))
    return cases


def _step_inputs(params, xs, h0, c0, dhs):
    """For t = T-1 .. 0: (t, dh, dc, x, h_prev, c_prev, cache, reference result), walking back with the reference.

    At the last step dc is a seeded non-zero vector (as if a later step had sent it) so
    every term of the step is tested even in a one-step case.
    """
    hs, cache = forward(params, xs, h0, c0)
    h_prevs = np.vstack([h0, hs[:-1]])  # row t: the state step t starts from
    c_prevs = np.vstack([c0, cache["cs"][:-1]])
    dh_next = np.zeros_like(h0)
    dc_next = 0.7 * np.random.default_rng(len(xs)).standard_normal(h0.shape)
    for t in reversed(range(len(xs))):
        dh = dhs[t] + dh_next
        step = cache["steps"][t]
        expected = step_backward(dh, dc_next, step)
        yield t, dh, dc_next, xs[t], h_prevs[t], c_prevs[t], step, expected
        dh_next, dc_next = expected[1], expected[2]


def _unpack(result, what):
    """(dx, dh_prev, dc_prev, grads, None) or (..., a message)."""
    if not isinstance(result, (tuple, list)) or len(result) != 4:
        kind = type(result).__name__ if not isinstance(result, (tuple, list)) else f"{len(result)} values"
        return None, f"{what}: return four things, `dx, dh_prev, dc_prev, grads`; got {kind}."
    grads = result[3]
    if not isinstance(grads, dict):
        return None, f"{what}: grads must be a dict with keys {list(GRAD_NAMES)}, got {type(grads).__name__}."
    missing = [k for k in GRAD_NAMES if k not in grads]
    if missing:
        return None, f"{what}: the grads dict is missing {missing}."
    return result, None


def _hint(got, item, dh, dc, cache, names):
    """The hint of the first mistake in ``names`` whose ``item(result)`` equals ``got``."""
    return known_mistake(got, [(HINTS[m], item(mistaken_step_backward(dh, dc, cache, m))) for m in names], MATCH_RTOL)


def _block(a, k):
    """Gate k's block of the last axis of a (…, 4H) array."""
    return split_gates(np.asarray(a, dtype=np.float64))[GATES.index(k)]


def _gate_problem(got_db, expected_db, what, dh, dc, cache):
    """Check db_h (= da, the gradients at the four pre-activations) gate by gate; None or the problem."""
    problem = compare(got_db, expected_db, f"{what}, db_h")
    if problem is None or real_numbers(got_db)[1] or np.shape(got_db) != np.shape(expected_db):
        return problem
    wrong = [k for k in GATES if compare(_block(got_db, k), _block(expected_db, k), "") is not None]
    first = wrong[0]
    problem = compare(_block(got_db, first), _block(expected_db, first),
                      f"{what}: the gradient of the {GATE_NAMES[first]} is wrong (block {first} of db_h, the "
                      f"gradient at its pre-activation a_{first})", axis_names=("unit",))
    if len(wrong) > 1:
        problem += " Wrong too: " + ", ".join(GATE_NAMES[k] for k in wrong[1:]) + "."
    hint = _hint(_block(got_db, first), lambda r: _block(r[3]["b_h"], first), dh, dc, cache, list(HINTS))
    return with_hint(problem, hint or _permuted_blocks(got_db, expected_db))


def _permuted_blocks(got_db, expected_db):
    """A hint when the four blocks of db_h hold the right gradients in other places, else None."""
    placed = []
    for k in GATES:
        same = [j for j in GATES if compare(_block(got_db, k), _block(expected_db, j), "") is None]
        if len(same) != 1:
            return None
        placed.append(same[0])
    if sorted(placed) != sorted(GATES):
        return None
    return (f"Hint: each gate's gradient is right, but in another block: you stacked da in the order "
            f"{', '.join(placed)}. The blocks are in the order i, f, g, o (rl.cells.lstm.GATES).")


def _weight_problem(name, got, expected, what, dh, dc, cache):
    """Check dW_xh or dW_hh: the shape, then gate by gate (its columns)."""
    problem = compare(got, expected, f"{what}, d{name}")
    if problem is None or real_numbers(got)[1] or np.shape(got) != np.shape(expected):
        return problem
    k = next(k for k in GATES if compare(_block(got, k), _block(expected, k), "") is not None)
    problem = compare(_block(got, k), _block(expected, k),
                      f"{what}: d{name} is wrong in the columns of the {GATE_NAMES[k]} (block {k})",
                      axis_names=("row", "unit"))
    hint = _hint(_block(got, k), lambda r: _block(r[3][name], k), dh, dc, cache, list(HINTS))
    return with_hint(problem, hint or f"Hint: your db_h is right, so da is; d{name} = np.outer("
                                      f"{'x' if name == 'W_xh' else 'h_prev'}, da).")


def _state_problem(name, got, expected, what, dh, dc, cache):
    """Check dc_prev, dh_prev or dx, naming a known mistake or the formula."""
    problem = compare(got, expected, f"{what}, {name}", axis_names=("unit",) if name != "dx" else ("input",))
    if problem is None:
        return None
    position = {"dx": 0, "dh_prev": 1, "dc_prev": 2}[name]
    order = ["dc_prev from the incoming dc", "dc_prev without f"] + [m for m in HINTS if not m.startswith("dc_prev")]
    hint = _hint(got, lambda r: r[position], dh, dc, cache, order)
    formula = {"dc_prev": "dc_prev = dc ⊙ f (with the total dc)",
               "dh_prev": "dh_prev = da @ W_hh.T (da: all four blocks, as in your db_h)",
               "dx": "dx = da @ W_xh.T (da: all four blocks, as in your db_h)"}[name]
    return with_hint(problem, hint or f"Hint: {formula}.")


def _check_step(step_fn, what, dh, dc, x, h_prev, c_prev, params, cache, expected):
    their_params = {k: v.copy() for k, v in params.items()}
    result, problem = call_safely(step_fn, [dh, dc, x, h_prev, c_prev, their_params], what)
    if problem:
        return problem
    if any(not np.array_equal(their_params.get(k), params[k]) for k in params):
        return f"{what}: your function changed params in place; only read them."
    result, problem = _unpack(result, what)
    if problem:
        return problem
    dx, dh_prev, dc_prev, grads = result
    args = (what, dh, dc, cache)
    return (_gate_problem(grads["b_h"], expected[3]["b_h"], *args)
            or _weight_problem("W_xh", grads["W_xh"], expected[3]["W_xh"], *args)
            or _weight_problem("W_hh", grads["W_hh"], expected[3]["W_hh"], *args)
            or _state_problem("dc_prev", dc_prev, expected[2], *args)
            or _state_problem("dh_prev", dh_prev, expected[1], *args)
            or _state_problem("dx", dx, expected[0], *args))


def _not_attempted(step_fn, params, xs, h0, c0, dhs):
    """True when the function returns None, or only Nones (the notebook's stub)."""
    t, dh, dc, x, h_prev, c_prev, *_ = next(_step_inputs(params, xs, h0, c0, dhs))
    result, problem = call_safely(step_fn, [dh, dc, x, h_prev, c_prev, {k: v.copy() for k, v in params.items()}], "")
    return problem is None and (result is None or (isinstance(result, (tuple, list))
                                                   and all(r is None for r in result)))


def check_step_backward(step_fn):
    """Check ``step_fn(dh, dc, x, h_prev, c_prev, params) -> (dx, dh_prev, dc_prev, grads)``.

    Against ``cells.lstm.step_backward`` on one step and on every step of a
    four-step sequence; returns a :class:`~rnn_lesson.exercises.Feedback` naming
    the case, the time step, the gate (or state gradient) that is wrong and the
    known mistake, if any, that produces exactly that value.
    """
    cases = _cases()
    if _not_attempted(step_fn, *cases[0][1:]):
        return Feedback(False, "not attempted yet: your function returns None. Write the step, run the cell again.")
    for case, params, xs, h0, c0, dhs in cases:
        for t, dh, dc, x, h_prev, c_prev, cache, expected in _step_inputs(params, xs, h0, c0, dhs):
            what = f"{case}, time step t={t + 1} (of 1..{len(xs)})"
            problem = _check_step(step_fn, what, dh, dc, x, h_prev, c_prev, params, cache, expected)
            if problem:
                return verdict([problem], "")
    return verdict([], "dx, dh_prev, dc_prev and the gradients of all four gates agree with "
                       "rl.cells.lstm.step_backward at every time step of both cases.")
