"""Lesson 04's numerical-gradient exercise: the checker passes a right one and names wrong ones."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.exercises.gradcheck import check_numerical_gradient


def numerical_gradient(f, x, df, eps=1e-5, *, one_sided=False, divide_by=2.0, weighted=True, restore=True):
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        plus = np.sum(f(x) * (df if weighted else 1.0))
        x[index] = original if one_sided else original - eps
        minus = np.sum(f(x) * (df if weighted else 1.0))
        if restore:
            x[index] = original
        grad[index] = (plus - minus) / ((1.0 if one_sided else divide_by) * eps)
    return grad


def test_a_right_central_difference_passes_with_several_step_sizes():
    for eps in (1e-4, 1e-5, 1e-6):
        feedback = check_numerical_gradient(lambda f, x, df: numerical_gradient(f, x, df, eps))
        assert feedback.passed, feedback.message
    assert "all three functions" in feedback.message


def test_a_copy_based_version_passes_too():
    def on_copies(f, x, df, eps=1e-5):
        grad = np.zeros_like(x)
        for index in np.ndindex(x.shape):
            up, down = x.copy(), x.copy()
            up[index] += eps
            down[index] -= eps
            grad[index] = (np.sum(f(up) * df) - np.sum(f(down) * df)) / (2 * eps)
        return grad

    assert check_numerical_gradient(on_copies).passed


@pytest.mark.parametrize("mistake, phrase", [
    ({"one_sided": True}, "one-sided difference"),
    ({"divide_by": 1.0}, "twice the right one"),
    ({"weighted": False}, "you ignored df"),
    ({"restore": False}, "put every entry back"),
])
def test_known_mistakes_are_named(mistake, phrase):
    feedback = check_numerical_gradient(lambda f, x, df: numerical_gradient(f, x, df, **mistake))
    assert not feedback.passed
    assert phrase in feedback.message, feedback.message


def test_calling_the_package_is_refused():
    feedback = check_numerical_gradient(lambda f, x, df: rl.numerical_gradient(f, x, df))
    assert not feedback.passed and "write the numerical gradient yourself" in feedback.message


@pytest.mark.parametrize("answer, phrase", [
    (lambda f, x, df: None, "not attempted yet"),
    (lambda f, x, df: np.zeros(3), "shape (3,), expected (3, 4)"),
    (lambda f, x, df: "gradient", "strings"),
    (lambda f, x, df: np.zeros_like(x), "first difference"),
    (lambda f, x, df: 1 / 0, "raised ZeroDivisionError"),
    (lambda f, x, df: np.full_like(x, np.nan), "non-finite"),
])
def test_malformed_answers_are_reported_in_words(answer, phrase):
    feedback = check_numerical_gradient(answer)
    assert not feedback.passed
    assert phrase in feedback.message, feedback.message
    assert "Correct" not in str(feedback)


def test_the_package_is_restored_after_the_check():
    check_numerical_gradient(lambda f, x, df: 1 / 0)
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(rl.numerical_gradient(lambda v: np.sum(v ** 2), x), 2 * x, rtol=1e-9)


def test_an_accurate_one_sided_difference_is_still_not_the_central_one():
    feedback = check_numerical_gradient(lambda f, x, df: numerical_gradient(f, x, df, 1e-8, one_sided=True))
    assert not feedback.passed
    assert "never called with an entry nudged down" in feedback.message, feedback.message


def test_the_stub_is_not_attempted_yet():
    feedback = check_numerical_gradient(lambda f, x, df, eps=1e-5: None)
    assert not feedback.passed and feedback.message.startswith("not attempted yet")
