"""Checker for lesson 07 (the performance story): one RNN step written in place.

    check_step_in_place(fn)   fn(params, x, h_prev, out, scratch) -> None (or out)

fn must write h = tanh(x @ W_xh + h_prev @ W_hh + b_h) into ``out`` (H,),
may use ``scratch`` (H,) for an intermediate product, must leave params, x
(I,) and h_prev (H,) as they were, and must not allocate a new array: each
``a @ b`` or ``a + b`` would. The reference is ``rnn.step_forward``; the
allocations are measured with tracemalloc, which also sees NumPy's memory.
"""
import tracemalloc

import numpy as np

from . import compare, verdict
from ..rnn import init_params, step_forward

_CASES = [(3, 4), (29, 10), (29, 256)]  # (I, H); the largest makes any temporary array easy to see


def _case(number, n_in, n_hidden):
    rng = np.random.default_rng(700 + number)
    params = init_params(n_in, n_hidden, 1, seed=number)
    params["b_h"] += 0.3 * rng.standard_normal(n_hidden)
    return params, rng.standard_normal(n_in), rng.standard_normal(n_hidden)


def _run(fn, params, x, h_prev, what):
    """Call fn on fresh buffers; returns (out, problem). Checks the inputs were left alone."""
    originals = [params[k].copy() for k in params] + [x.copy(), h_prev.copy()]
    out, scratch = np.full(h_prev.shape, np.nan), np.full(h_prev.shape, np.nan)
    try:
        result = fn(params, x, h_prev, out, scratch)
    except Exception as err:  # the learner's code may raise anything; report it in words
        return None, f"{what}: your function raised {type(err).__name__}: {err}"
    if not all(np.array_equal(a, b) for a, b in zip(originals, [params[k] for k in params] + [x, h_prev])):
        return None, (f"{what}: your function changed params, x or h_prev; only `out` and `scratch` are yours "
                      "to write into.")
    if np.isnan(out).all():
        hint = " It returned a new array instead." if isinstance(result, np.ndarray) and result is not out else ""
        return None, (f"{what}: nothing was written into `out`.{hint} Write the result into the buffer, "
                      "e.g. np.matmul(x, W_xh, out=out) and np.tanh(out, out=out).")
    if result is not None and result is not out:
        return None, f"{what}: return nothing (or `out` itself); the answer lives in `out`."
    return out, None


def _peak_bytes(fn, params, x, h_prev):
    """Bytes allocated at the peak of one call, beyond what was in use before (after a warm-up call)."""
    out, scratch = np.zeros(h_prev.shape), np.zeros(h_prev.shape)
    fn(params, x, h_prev, out, scratch)
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        fn(params, x, h_prev, out, scratch)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return peak - before


def check_step_in_place(fn):
    """Check an in-place RNN step on three seeded cases: the numbers, the buffer, then the allocations."""
    problems = []
    for number, (n_in, n_hidden) in enumerate(_CASES, start=1):
        what = f"case {number} (I={n_in}, H={n_hidden})"
        params, x, h_prev = _case(number, n_in, n_hidden)
        out, problem = _run(fn, params, x, h_prev, what)
        problems.append(problem or compare(out, step_forward(params, x, h_prev)[0], f"`out` for {what}",
                                           ("hidden unit",)))
        if any(problems):
            return verdict(problems, "")
    params, x, h_prev = _case(len(_CASES), *_CASES[-1])
    one_vector = h_prev.nbytes
    try:
        peak = _peak_bytes(fn, params, x, h_prev)
    except Exception as err:  # the learner's code may raise anything; report it in words
        return verdict([f"measuring the allocations: your function raised {type(err).__name__}: {err} "
                        "when called again on the same buffers."], "")
    if peak >= one_vector:
        problems.append(f"the numbers are right, but one call allocated {peak:,} bytes of temporaries for H=256 "
                        f"(a hidden vector is {one_vector:,} bytes, so about {peak / one_vector:.0f} new arrays). "
                        "Every `a @ b`, `a + b` or np.tanh(a) without out= makes a new array: use "
                        "np.matmul(..., out=...), `+=` and np.tanh(out, out=out).")
    return verdict(problems, f"the step writes into `out`, matches rl.step_forward on all {len(_CASES)} cases "
                             f"and allocates {peak:,} bytes (no new array) per call.")
