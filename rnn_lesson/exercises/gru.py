"""Checker for lesson 12 (the GRU): one step, forward and backward, written by the learner.

    check_step_backward(fn)   fn(dh, x, h_prev, params) -> (dx, dh_prev, grads)

Shapes: dh, h_prev (H,), x (I,); params and grads hold ``W_xh (I, 3H)``,
``W_hh (H, 3H)`` and ``b_h (3H,)`` with the blocks r, z, n. The learner's
function recomputes the forward step (Cho et al., as in ``rl.cells.gru``)

    r = σ(x W_xr + h_prev W_hr + b_r)        z = σ(x W_xz + h_prev W_hz + b_z)
    n = tanh(x W_xn + (r ⊙ h_prev) W_hn + b_n)          h = z ⊙ h_prev + (1 − z) ⊙ n

and returns the gradients of ``sum(h * dh)``. The checker calls it at every
time step of two seeded sequences, from the last step back, each time with the
reference dh (so one wrong step does not spoil the others), and compares with
``rl.cells.gru.step_backward``, gate by gate: the z, n and r blocks of the
three parameter gradients (the order in which backpropagation reaches them
from dh), then dh_prev and dx. A wrong answer is located (case, time step 1..T,
gate, which gradient, entry) and, when one of the classic mistakes in
``MISTAKES`` gives exactly that value, named.
"""
import numpy as np

from . import call_safely, compare, known_mistake, real_numbers, verdict, with_hint
from ..activations import sigmoid
from ..cells.gru import GATES, init_params, step_backward, step_forward

MATCH_RTOL = 1e-7  # to recognise a known mistake (the verdict itself uses compare)
GATE_NAMES = {"r": "the reset gate r", "z": "the update gate z", "n": "the candidate n"}
REPORT_ORDER = ("z", "n", "r")  # dh reaches z and n first, r only through n
PARAM_NAMES = ("W_xh", "W_hh", "b_h")

MISTAKES = {
    "reset_after": "Hint: these are the gradients of a GRU whose reset gate acts after the product, "
                   "n = tanh(x W_xn + r ⊙ (h_prev W_hn) + b_n) (PyTorch's and cuDNN's form). This lesson's "
                   "GRU resets the state before the product: n = tanh(x W_xn + (r ⊙ h_prev) W_hn + b_n).",
    "swapped": "Hint: these are the gradients of h = (1 − z) ⊙ h_prev + z ⊙ n, with z and 1 − z swapped. "
               "Here h = z ⊙ h_prev + (1 − z) ⊙ n: z is the share of the old state that is kept "
               "(texts differ on this convention; the parameters fix it).",
    "no_highway": "Hint: the path dh ⊙ z is missing from dh_prev. h = z ⊙ h_prev + ... uses h_prev directly: "
                  "that term's gradient, dh ⊙ z, is the GRU's highway.",
    "no_reset_path": "Hint: the path through the reset product is missing from dh_prev. n uses r ⊙ h_prev, "
                     "so h_prev receives d(r⊙h) ⊙ r, with d(r⊙h) = da_n @ W_hn.T.",
    "no_gate_paths": "Hint: the paths through the gates are missing from dh_prev. r and z are computed from "
                     "h_prev too, so add da_r @ W_hr.T + da_z @ W_hz.T.",
    "dz_sign": "Hint: dz has the wrong sign. h = z ⊙ h_prev + (1 − z) ⊙ n, so dh/dz = h_prev − n "
               "and dz = dh ⊙ (h_prev − n).",
    "dn_z": "Hint: dn used z. n enters h with the weight 1 − z, so dn = dh ⊙ (1 − z).",
    "tanh_pre": "Hint: the tanh derivative was taken with the pre-activation a_n: 1 − a_n². Written with "
                "the output it is 1 − n² (n = tanh(a_n)).",
    "sigmoid_pre": "Hint: the sigmoid derivative was taken with the pre-activations: a(1 − a). Written with "
                   "the outputs it is r(1 − r) and z(1 − z).",
    "dW_hn_h": "Hint: dW_hn used h_prev. What enters the product with W_hn is r ⊙ h_prev, so its block "
               "of dW_hh is np.outer(r * h_prev, da_n).",
    "da_r_no_h": "Hint: da_r lacks the factor h_prev. r enters as r ⊙ h_prev, so dr = d(r⊙h) ⊙ h_prev "
                 "and da_r = dr ⊙ r(1 − r).",
}


def _blocks(params, n_hidden):
    """The per-gate slices of params: (W_x, W_h, b), each a dict gate -> block."""
    columns = {gate: slice(k * n_hidden, (k + 1) * n_hidden) for k, gate in enumerate(GATES)}
    return tuple({gate: params[key][..., s] for gate, s in columns.items()} for key in PARAM_NAMES)


def _step(dh, x, h_prev, params, mistake=None):
    """One step forward and back, gate by gate, as a learner writes it: right, or with one of MISTAKES.

    Returns (dx (I,), dh_prev (H,), grads). With ``mistake=None`` it equals
    ``step_backward`` (the tests hold it to that); "reset_after" and "swapped"
    are other cells, differentiated correctly; the others are the right cell
    with one wrong line.
    """
    W_x, W_h, b = _blocks(params, h_prev.shape[-1])
    a_r = x @ W_x["r"] + h_prev @ W_h["r"] + b["r"]
    a_z = x @ W_x["z"] + h_prev @ W_h["z"] + b["z"]
    r, z = sigmoid(a_r), sigmoid(a_z)
    recurrent = h_prev @ W_h["n"] if mistake == "reset_after" else (r * h_prev) @ W_h["n"]
    a_n = x @ W_x["n"] + (r * recurrent if mistake == "reset_after" else recurrent) + b["n"]
    n = np.tanh(a_n)
    dz = dh * (h_prev - n) * (-1.0 if mistake in ("swapped", "dz_sign") else 1.0)
    dn = dh * (z if mistake in ("swapped", "dn_z") else 1.0 - z)
    da_n = dn * (1.0 - (a_n if mistake == "tanh_pre" else n) ** 2)
    s_r, s_z = (a_r, a_z) if mistake == "sigmoid_pre" else (r, z)
    if mistake == "reset_after":
        d_recurrent = da_n * r                          # reaches h_prev W_hn
        dr = da_n * recurrent
        dW_hn, dh_via_n = np.outer(h_prev, d_recurrent), d_recurrent @ W_h["n"].T
    else:
        d_reset = da_n @ W_h["n"].T                     # reaches r ⊙ h_prev
        dr = d_reset * (1.0 if mistake == "da_r_no_h" else h_prev)
        dW_hn = np.outer(h_prev if mistake == "dW_hn_h" else r * h_prev, da_n)
        dh_via_n = 0.0 if mistake == "no_reset_path" else d_reset * r
    da = {"r": dr * s_r * (1.0 - s_r), "z": dz * s_z * (1.0 - s_z), "n": da_n}
    grads = {"W_xh": np.hstack([np.outer(x, da[g]) for g in GATES]),
             "W_hh": np.hstack([np.outer(h_prev, da["r"]), np.outer(h_prev, da["z"]), dW_hn]),
             "b_h": np.concatenate([da[g] for g in GATES])}
    dh_prev = dh_via_n + (0.0 if mistake == "no_highway" else dh * ((1.0 - z) if mistake == "swapped" else z))
    if mistake != "no_gate_paths":
        dh_prev = dh_prev + da["r"] @ W_h["r"].T + da["z"] @ W_h["z"].T
    dx = sum(da[g] @ W_x[g].T for g in GATES)
    return dx, dh_prev, grads


def _cases():
    """Two seeded sequences: (name, params, xs (T, I), h0 (H,), dhs (T, H)); biases and h0 not 0."""
    cases = []
    for number, (n_in, n_hidden, n_steps, keep_bias) in enumerate([(3, 4, 4, 0.0), (2, 3, 3, 2.0)], start=1):
        rng = np.random.default_rng(1200 + number)
        params = init_params(n_in, n_hidden, seed=number)
        params["b_h"] += 0.5 * rng.standard_normal(3 * n_hidden)
        params["b_h"][n_hidden:2 * n_hidden] += keep_bias  # case 2: a GRU that keeps its state (z ≈ 0.9)
        xs = rng.standard_normal((n_steps, n_in))
        h0 = 0.5 * rng.standard_normal(n_hidden)
        dhs = rng.standard_normal((n_steps, n_hidden))
        cases.append((f"case {number} (I={n_in}, H={n_hidden}, T={n_steps})", params, xs, h0, dhs))
    return cases


def _unpack(result, what):
    """(dx, dh_prev, grads, None) from the learner's result, or (None, None, None, a message)."""
    if result is None or (isinstance(result, (tuple, list)) and all(r is None for r in result)):
        return None, None, None, (f"{what}: your function still returns None (the stub): write the step, "
                                  f"then run the cell again.")
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        kind = f"{len(result)} values" if isinstance(result, (tuple, list)) else type(result).__name__
        return None, None, None, f"{what}: return three things, `dx, dh_prev, grads`; got {kind}."
    dx, dh_prev, grads = result
    if not isinstance(grads, dict):
        return None, None, None, (f"{what}: grads must be a dict with keys {list(PARAM_NAMES)}, "
                                  f"got {type(grads).__name__}.")
    missing = [k for k in PARAM_NAMES if k not in grads]
    if missing:
        return None, None, None, f"{what}: the grads dict is missing {missing}."
    return dx, dh_prev, grads, None


def _flat(dx, dh_prev, grads):
    """Everything a step returns, in one vector (None when something is not numbers of the right size)."""
    try:
        return np.concatenate([np.ravel(np.asarray(v, dtype=np.float64))
                               for v in (dx, dh_prev, *(grads[k] for k in PARAM_NAMES))])
    except (TypeError, ValueError):
        return None


def _pieces(dx, dh_prev, grads, n_hidden):
    """(label, value) in the order of the report: each gate's three blocks, then dh_prev and dx."""
    blocks = dict(zip(PARAM_NAMES, _blocks(grads, n_hidden)))
    pieces = []
    for gate in REPORT_ORDER:
        first, last = GATES.index(gate) * n_hidden, (GATES.index(gate) + 1) * n_hidden
        for key in PARAM_NAMES:
            rows = ":, " if key != "b_h" else ""
            pieces.append((f"{GATE_NAMES[gate]}, its block d{key}[{rows}{first}:{last}]", blocks[key][gate]))
    return pieces + [("dh_prev", dh_prev), ("dx", dx)]


def _shape_problem(value, want, label):
    """None when ``value`` is numbers of ``want``'s shape, else compare's message."""
    value_array = real_numbers(value)[0]
    fits = value_array is not None and value_array.shape == want.shape
    return None if fits else compare(value, want, label)


def _first_wrong(got, expected, variants, what, n_hidden):
    """The first wrong piece of ``got`` against ``expected`` (both (dx, dh_prev, grads)) in words, or None."""
    for label, value, want in zip(("dx", "dh_prev", *(f"d{k}" for k in PARAM_NAMES)),
                                  (got[0], got[1], *(got[2][k] for k in PARAM_NAMES)),
                                  (expected[0], expected[1], *(expected[2][k] for k in PARAM_NAMES))):
        problem = _shape_problem(value, want, label)
        if problem:
            return f"{what}, {problem}"
    whole = known_mistake(_flat(*got), [(MISTAKES[m], _flat(*v)) for m, v in variants.items()], MATCH_RTOL)
    mine = _pieces(*got, n_hidden)
    for index, (label, want) in enumerate(_pieces(*expected, n_hidden)):
        axis_names = ("entry",) if want.ndim == 1 else ()
        problem = compare(mine[index][1], want, f"{what}, {label}", axis_names=axis_names)
        if problem:
            hint = whole or known_mistake(mine[index][1], [(MISTAKES[m], _pieces(*v, n_hidden)[index][1])
                                                          for m, v in variants.items()], MATCH_RTOL)
            return with_hint(problem, hint)
    return None


def check_step_backward(step_fn):
    """Check the learner's ``step_fn(dh, x, h_prev, params) -> (dx, dh_prev, grads)`` for the GRU.

    Returns a :class:`~rnn_lesson.exercises.Feedback` naming the case, the time
    step, the gate and the gradient that first differ, with the classic
    mistake that produces that value when it is one of ``MISTAKES``.
    """
    for case, params, xs, h0, dhs in _cases():
        n_hidden = len(h0)
        h_prevs = [h0]
        for x in xs[:-1]:
            h_prevs.append(step_forward(params, x, h_prevs[-1])[0])
        carried = np.zeros(n_hidden)
        for t in reversed(range(len(xs))):
            what = f"{case}, time step t={t + 1} (of 1..{len(xs)})"
            dh, x, h_prev = dhs[t] + carried, xs[t], h_prevs[t]
            expected = step_backward(dh, step_forward(params, x, h_prev)[1])
            params_copy = {k: v.copy() for k, v in params.items()}
            result, problem = call_safely(step_fn, [dh, x, h_prev, params_copy], what)
            if problem is None and any(not np.array_equal(params_copy.get(k), params[k]) for k in params):
                problem = f"{what}: your function changed params in place; only read them."
            if problem is None:
                *got, problem = _unpack(result, what)
            if problem is None:
                variants = {m: _step(dh, x, h_prev, params, m) for m in MISTAKES}
                problem = _first_wrong(got, expected, variants, what, n_hidden)
            if problem:
                return verdict([problem], "")
            carried = expected[1]
    return verdict([], "dx, dh_prev and the gradients of all three gates (r, z, n) agree with "
                       "rl.cells.gru.step_backward at every time step of both sequences.")
