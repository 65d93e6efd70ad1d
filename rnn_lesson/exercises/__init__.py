"""Exercise checkers: run a learner's function against the reference and say, in plain words, what is wrong.

Each lesson has a module here (``rnn_lesson.exercises.<lesson>``) whose
``check_*`` functions take the learner's function, call it on a few fixed,
seeded cases, and return a :class:`Feedback`: ``passed`` plus a message that
names the case, the shape, the first time step that differs and by how much.

The building blocks below are shared by every lesson's checkers: ``compare`` locates a
difference (after ``real_numbers`` refuses what is not real numbers), ``known_mistake`` names it,
``call_safely`` runs the learner's code, ``verdict`` turns the problems into Feedback.
"""
from dataclasses import dataclass

import numpy as np


@dataclass
class Feedback:
    """The verdict of a checker: ``passed`` and a message for the learner."""

    passed: bool
    message: str

    def __bool__(self):
        return self.passed

    def __str__(self):
        return ("Correct: " if self.passed else "Not yet: ") + self.message

    def _repr_markdown_(self):
        mark = "✅" if self.passed else "❌"
        return f"{mark} {str(self)}"


def _describe_index(index, axis_names):
    parts = [f"{name} {i}" for name, i in zip(axis_names, index)]
    rest = index[len(axis_names):]
    if rest:
        parts.append("entry " + str(tuple(int(i) for i in rest)))
    return ", ".join(parts)


def _kind_problem(value):
    """Why one value is not a real number, in words (None when it is one)."""
    if isinstance(value, (bool, np.bool_)):
        return "expected an array of numbers, got booleans (True/False)."
    if isinstance(value, (str, bytes)):
        return f"expected an array of numbers, got strings (such as {value!r}): return the numbers, not their text."
    if isinstance(value, (complex, np.complexfloating)):
        return f"your values are complex numbers (such as {value}): expected an array of real numbers."
    return None


def host_array(value):
    """A foreign array NumPy can read: a torch tensor (in a graph, on any device) as ``detach().cpu().numpy()``.

    Anything else is returned as it is. ``np.asarray`` refuses a tensor that requires grad
    with a RuntimeError; the learner's answer is still an answer.
    """
    detach = getattr(value, "detach", None)
    if not callable(detach) or not callable(getattr(value, "numpy", None)) or isinstance(value, np.ndarray):
        return value
    try:
        tensor = detach()
        cpu = getattr(tensor, "cpu", None)
        return (cpu() if callable(cpu) else tensor).numpy()
    except Exception:  # a foreign library's own error: real_numbers says it in words
        return value


def real_numbers(got):
    """``got`` as a float64 array and None, or None and why it is not real numbers, in words.

    Refuses what NumPy would quietly convert or mangle: complex numbers (their
    imaginary part dropped), strings of digits, booleans, a dict, a ragged list;
    reads a torch tensor (``host_array``) and names any other object it cannot read.
    """
    if isinstance(got, dict):
        return None, "expected an array of numbers, got dict."
    got = host_array(got)
    try:
        raw = np.asarray(got)
    except ValueError as err:
        if "inhomogeneous" in str(err) or "sequence" in str(err):
            return None, ("expected an array of numbers, got a list whose rows have different lengths "
                          "(rows of different lengths do not make an array).")
        return None, f"expected an array of numbers, got {type(got).__name__}."
    except TypeError:
        return None, f"expected an array of numbers, got {type(got).__name__}."
    except Exception as err:  # a foreign array whose library refuses (a device array, a lazy tensor, ...)
        return None, (f"could not read your {type(got).__name__} as an array of numbers ({type(err).__name__}: "
                      f"{err}); return a NumPy array.")
    kind = raw.dtype.kind
    if kind == "c":
        first = raw.flat[0] if raw.size else "none"
        return None, (f"your values are complex numbers: {first} (dtype {raw.dtype}), expected an array of "
                      "real numbers.")
    if kind in "bUS":
        first = raw.flat[0].item() if raw.size else None
        return None, _kind_problem(first) or f"expected an array of numbers, got values of dtype {raw.dtype}."
    if kind == "O":
        for value in raw.flat:
            problem = _kind_problem(value)
            if value is None:
                problem = "expected an array of numbers, got values that include None."
            if problem:
                return None, problem
    elif kind not in "iuf":
        return None, f"expected an array of numbers, got values of dtype {raw.dtype}."
    try:
        return np.asarray(raw, dtype=np.float64), None
    except (TypeError, ValueError):
        return None, f"expected an array of numbers, got {type(got).__name__}."


def compare(got, expected, what, axis_names=(), rtol=1e-9, atol=1e-12):
    """Compare one returned value with the reference; None when they agree, else the problem in words.

    ``what`` names the value ("the hidden states for case 2"); ``axis_names``
    names the leading axes ("time step", ...) so a difference can be located.
    """
    if got is None:
        return f"{what}: your function returned None. Did you forget a `return`?"
    got, problem = real_numbers(got)
    if problem:
        return f"{what}: {problem}"
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        hint = ""
        if got.shape == expected.shape[::-1] and got.ndim == 2:
            hint = " It looks transposed: check the order of the matrix product (or use .T)."
        elif got.size == expected.size:
            hint = " Same number of entries, different arrangement: check reshapes and which axis you sum over."
        return f"{what}: shape {got.shape}, expected {expected.shape}.{hint}"
    close = np.isclose(got, expected, rtol=rtol, atol=atol)
    if close.all():
        return None
    if got.ndim == 0:
        return f"{what}: you returned {got:.6g}, expected {expected:.6g}."
    if not np.all(np.isfinite(got)):
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0])
        return f"{what}: non-finite value {got[index]} at {_describe_index(index, axis_names) or index}."
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    where = _describe_index(index, axis_names) or f"index {index}"
    worst = float(np.max(np.abs(got - expected)))
    return (f"{what}: first difference at {where}: you returned {got[index]:.6g}, "
            f"expected {expected[index]:.6g} (largest |difference| {worst:.3g}).")


def call_safely(function, args, what):
    """Call the learner's function on copies of ``args``: (result, None) or (None, a message)."""
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        result = function(*copies)
    except Exception as err:  # the learner's code may raise anything; report it in words
        return None, f"{what}: your function raised {type(err).__name__}: {err}"
    for original, copy in zip(args, copies):
        if isinstance(original, np.ndarray) and not np.array_equal(original, copy, equal_nan=True):
            return None, f"{what}: your function changed one of its input arrays in place; work on a copy."
    return host_array(result), None


def params_problem(params, originals, what, same_objects=True):
    """None when ``params`` still holds a NumPy array under every key of ``originals``, else why not, in words.

    With ``same_objects`` each must be the very array it was (updated in place, not replaced).
    """
    if not isinstance(params, dict):
        return f"{what}: params must stay a dict of NumPy arrays, updated in place; it is now {type(params).__name__}."
    for key, original in originals.items():
        if key not in params:
            state = "is missing"
        elif not isinstance(params[key], np.ndarray):
            state = f"is now a {type(params[key]).__name__}"
        elif same_objects and params[key] is not original:
            state = "was replaced by a new array (write params[key] -= ..., not params[key] = ...)"
        else:
            continue
        return f"{what}: params must stay NumPy arrays, updated in place: params[{key!r}] {state}."
    return None


def same_values(got, candidate, rtol=1e-9, atol=1e-12):
    """True when ``got`` has the shape and the values of ``candidate`` (NaN matching NaN).

    Anything that is not numbers (None, strings, a ragged list) is simply not the same.
    """
    got, problem = real_numbers(got)
    candidate, other = real_numbers(candidate)
    if problem or other:
        return False
    return got.shape == candidate.shape and bool(np.allclose(got, candidate, rtol=rtol, atol=atol, equal_nan=True))


def known_mistake(got, mistakes, rtol=1e-9, atol=1e-12):
    """The hint of the first ``(hint, value)`` whose value ``got`` reproduces, or None.

    Each value is what a known mistake gives, computed with the reference (a
    value of None is a mistake that cannot happen in this case). So a wrong
    answer is named, not just located.
    """
    for hint, value in mistakes:
        if value is not None and same_values(got, value, rtol, atol):
            return hint
    return None


def with_hint(problem, hint):
    """``problem`` followed by ``hint`` when there is one."""
    return f"{problem} {hint}" if hint else problem


def verdict(problems, success):
    """Turn a list of problems (strings or None) into Feedback; ``success`` is the message when all pass."""
    problems = [p for p in problems if p]
    if problems:
        return Feedback(False, problems[0])
    return Feedback(True, success)


def returned(result, names, what, advice):
    """The learner's ``result`` as a tuple of len(names) values and None, or None and the problem in words.

    ``names`` ("loss", "dys") are what the function must return; ``advice``
    ends the "not attempted yet" message of a stub that returns None.
    """
    if result is None or (isinstance(result, (tuple, list)) and all(r is None for r in result)):
        return None, f"{what}: your function still returns None: not attempted yet. {advice}"
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        kind = f"{len(result)} values" if isinstance(result, (tuple, list)) else type(result).__name__
        count = {2: "two", 3: "three"}.get(len(names), str(len(names)))
        return None, f"{what}: return {count} things, `{', '.join(names)}`; got {kind}."
    return tuple(result), None
