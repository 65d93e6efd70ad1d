"""Hostile answers: every checker says "Not yet" in words, never "Correct" and never a traceback.

Every public ``check_*`` function of every module in ``rnn_lesson.exercises`` is
run against a table of malformed learner functions. Each takes ``*args,
**kwargs`` so it fits any checker's signature.
"""
import importlib
import pkgutil
import warnings

import numpy as np
import pytest

import rnn_lesson.exercises as exercises
from rnn_lesson.exercises import Feedback, compare


def _checkers():
    found = []
    for info in pkgutil.iter_modules(exercises.__path__):
        module = importlib.import_module(f"{exercises.__name__}.{info.name}")
        for name in sorted(vars(module)):
            function = getattr(module, name)
            if name.startswith("check_") and callable(function) and function.__module__ == module.__name__:
                found.append(pytest.param(function, id=f"{info.name}.{name}"))
    return found


CHECKERS = _checkers()


def _first_array(args):
    return next((a for a in args if isinstance(a, np.ndarray)), np.zeros(4))


def _raises(*args, **kwargs):
    raise RuntimeError("boom")


def _inputs_as_lists(*args, **kwargs):
    return [a.tolist() if isinstance(a, np.ndarray) else a for a in args]


def _clears_dicts(*args, **kwargs):
    for a in args:
        if isinstance(a, (dict, list)):
            a.clear()


def _params_to_lists(*args, **kwargs):
    for a in args:
        if isinstance(a, dict):
            for key, value in list(a.items()):
                if isinstance(a[key], np.ndarray):
                    a[key] = value.tolist()
    return args[0] if args else None


def _params_replaced(*args, **kwargs):
    for a in args:
        if isinstance(a, dict):
            for key, value in list(a.items()):
                if isinstance(value, np.ndarray):
                    a[key] = value * 0.5
    return None


class _AnyKey(dict):
    """A dict that has every key, each holding the same bad value."""

    def __init__(self, value):
        super().__init__()
        self.value = value

    def __missing__(self, key):
        return self.value

    def __contains__(self, key):
        return True


class _TensorThatRequiresGrad:
    """What torch gives for a tensor in a graph: np.asarray refuses it, .detach().cpu().numpy() reads it."""

    def __init__(self, values):
        self.values = np.asarray(values)

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")

    def detach(self):
        return _Detached(self.values)

    def numpy(self):
        raise RuntimeError("Can't call numpy() on Tensor that requires grad.")


class _Detached:
    def __init__(self, values):
        self.values = values

    def cpu(self):
        return self

    def numpy(self):
        return self.values


class _Unreadable:
    """A foreign object NumPy cannot read at all."""

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("this device's memory cannot be read from the host")


def _parts(bad, count):
    """``count`` bad values, the last one a dict with every key (for checkers that unpack grads)."""
    return lambda *a, **k: (bad,) * (count - 1) + (_AnyKey(bad),)


HOSTILE = {
    "a complex array": lambda *a, **k: _first_array(a) * (1 + 0j),
    "a complex array with imaginary parts": lambda *a, **k: _first_array(a) + 1j,
    "an array of strings": lambda *a, **k: _first_array(a).astype(str),
    "a ragged list": lambda *a, **k: [[1.0, 2.0], [3.0]],
    "None": lambda *a, **k: None,
    "a dict": lambda *a, **k: {"answer": 42},
    "an int": lambda *a, **k: 7,
    "a tuple of the wrong length": lambda *a, **k: (_first_array(a),) * 7,
    "a function that raises": _raises,
    "the inputs as lists": _inputs_as_lists,
    "a function that clears its dict and list arguments": _clears_dicts,
    "params turned into lists in place": _params_to_lists,
    "params replaced by new arrays": _params_replaced,
    "a boolean array": lambda *a, **k: _first_array(a) > 0,
    "a string": lambda *a, **k: "0.5",
    "a dict with every key, each a ragged list": lambda *a, **k: _AnyKey([[1.0], [2.0, 3.0]]),
    "a dict with every key, each a string": lambda *a, **k: _AnyKey("abc"),
    "a dict with every key, each complex": lambda *a, **k: _AnyKey(np.ones(3) + 1j),
    "a tensor that requires grad": lambda *a, **k: _TensorThatRequiresGrad(_first_array(a) + 1.0),
    "a foreign array that cannot be read": lambda *a, **k: _Unreadable(),
    "a dict with every key, each a tensor that requires grad": lambda *a, **k: _AnyKey(
        _TensorThatRequiresGrad(np.ones(3))),
}
for _count in (2, 3, 4):
    for _label, _bad in (("ragged lists", [[1.0], [2.0, 3.0]]), ("strings", np.array(["1", "2"])),
                         ("complex arrays", np.ones((3, 4)) + 1j), ("None", None)):
        HOSTILE[f"{_count} {_label} (the last in a dict with every key)"] = _parts(_bad, _count)
        HOSTILE[f"a tuple of {_count} {_label}"] = (lambda bad, count: lambda *a, **k: (bad,) * count)(_bad, _count)
_NAMES = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")
HOSTILE["params of complex numbers"] = lambda *a, **k: ({n: np.ones((2, 1)) + 1j for n in _NAMES}, "identity")
HOSTILE["params of strings"] = lambda *a, **k: ({n: np.array([["1"], ["0"]]) for n in _NAMES}, "identity")


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_answer_gets_not_yet_in_words(checker, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error", np.exceptions.ComplexWarning)  # no imaginary part dropped quietly
        feedback = checker(HOSTILE[name])
    assert isinstance(feedback, Feedback)
    assert feedback.passed is False, f"{name}: {feedback.message}"
    assert isinstance(feedback.message, str) and len(feedback.message.split()) >= 4, feedback.message
    assert "Traceback" not in feedback.message


def test_every_checker_module_is_tried():
    assert len(CHECKERS) >= 15
    assert {p.id.split(".")[0] for p in CHECKERS} >= {"matrix_ops", "training_sgd", "bptt", "gru", "lstm"}


@pytest.mark.parametrize("got, words", [
    (np.array([1.0, 2.0]) + 0j, "complex numbers"),
    (np.array([1.0, 2.0]) + 1j, "complex numbers"),
    (np.array(["1.0", "2.0"]), "strings"),
    (np.array([1.0, 2.0], dtype=object).astype(str).astype(object), "strings"),
    (np.array([True, False]), "booleans"),
    ([[1.0, 2.0], [3.0]], "rows of different lengths"),
    ({"a": 1.0}, "got dict"),
    (None, "returned None"),
    ([1.0, None], "None"),
])
def test_compare_refuses_what_is_not_real_numbers(got, words):
    problem = compare(got, np.array([1.0, 2.0]), "the answer")
    assert problem is not None and words in problem, problem


def test_compare_reads_a_tensor_that_requires_grad_and_names_what_it_cannot_read():
    expected = np.arange(6.0).reshape(2, 3)
    assert compare(_TensorThatRequiresGrad(expected), expected, "x") is None
    problem = compare(_Unreadable(), expected, "x")
    assert "could not read your _Unreadable as an array" in problem and "RuntimeError" in problem, problem


def test_compare_keeps_its_messages_for_real_numbers():
    expected = np.arange(6.0).reshape(2, 3)
    assert compare(expected.T, expected, "x") == (
        "x: shape (3, 2), expected (2, 3). It looks transposed: check the order of the matrix product (or use .T).")
    assert compare(np.zeros(4), expected, "x") == "x: shape (4,), expected (2, 3)."
    assert compare(expected.tolist(), expected, "x") is None
    assert compare(np.float32(2.0), 2.0, "x") is None
    assert compare(np.arange(6).reshape(2, 3), expected, "x") is None  # integers are numbers


def test_the_rnn_step_checker_refuses_a_complex_or_string_answer_that_has_the_right_values():
    from rnn_lesson.exercises.matrix_ops import check_rnn_step
    from rnn_lesson.rnn import step_forward

    def right(x, h_prev, W_xh, W_hh, b_h):
        return np.tanh(x @ W_xh + h_prev @ W_hh + b_h)

    assert check_rnn_step(right).passed
    complex_answer = check_rnn_step(lambda *a: right(*a) + 0j)
    assert not complex_answer.passed and "complex numbers" in complex_answer.message
    strings = check_rnn_step(lambda *a: right(*a).astype(str))
    assert not strings.passed and "strings" in strings.message
    assert step_forward  # the reference the checker uses


def test_sgd_step_says_params_must_stay_arrays_updated_in_place():
    from rnn_lesson.exercises.training_sgd import check_sgd_step

    def as_lists(params, grads, learning_rate):
        for key in list(params):
            params[key] = (params[key] - learning_rate * grads[key]).tolist()

    def new_arrays(params, grads, learning_rate):
        for key in list(params):
            params[key] = params[key] - learning_rate * grads[key]

    def cleared(params, grads, learning_rate):
        params.clear()

    for step in (as_lists, new_arrays, cleared):
        feedback = check_sgd_step(step)
        assert not feedback.passed
        assert "params must stay NumPy arrays, updated in place" in feedback.message, feedback.message


def test_the_in_place_step_checker_reports_a_function_that_fails_on_a_later_call():
    from rnn_lesson.exercises.performance_story import check_step_in_place
    calls = []

    def right_then_raises(params, x, h_prev, out, scratch):
        calls.append(1)
        if len(calls) > 3:
            raise RuntimeError("second time")
        np.tanh(x @ params["W_xh"] + h_prev @ params["W_hh"] + params["b_h"], out=out)

    feedback = check_step_in_place(right_then_raises)
    assert not feedback.passed and "raised RuntimeError" in feedback.message, feedback.message
