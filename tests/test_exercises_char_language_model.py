"""Lesson 13's checkers: the solution passes, the stub is 'not attempted yet', wrong answers are named."""
import warnings

import numpy as np
import pytest

from rnn_lesson.exercises.char_language_model import check_sample_step, check_softmax_cross_entropy


def softmax_ce(logits, targets, shift=True, mean=True, onehot=True, sign=1.0):
    shifted = logits - logits.max(axis=1, keepdims=True) if shift else logits
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        n = len(targets)
        loss = -np.sum(np.log(p[np.arange(n), targets])) / (n if mean else 1)
    grad = p.copy()
    if onehot:
        grad[np.arange(n), targets] -= 1
    return loss, sign * grad / (n if mean else 1)


def sample_step(logits, temperature, u, scale=lambda y, t: y / t, side="right"):
    y = scale(logits, temperature)
    p = np.exp(y - y.max())
    return int(np.searchsorted(np.cumsum(p / p.sum()), u, side=side))


def test_the_solutions_pass():
    assert check_softmax_cross_entropy(softmax_ce).passed
    assert check_sample_step(sample_step).passed


@pytest.mark.parametrize("wrong, words", [
    (lambda l, t: None, "not attempted yet"),
    (lambda l, t: (None, None), "not attempted yet"),
    (lambda l, t: softmax_ce(l, t, shift=False), "exp overflowed"),
    (lambda l, t: softmax_ce(l, t, mean=False), "sum over the positions"),
    (lambda l, t: softmax_ce(l, t, onehot=False), "onehot"),
    (lambda l, t: softmax_ce(l, t, sign=-1.0), "wrong sign"),
    (lambda l, t: (softmax_ce(l, t)[0], softmax_ce(l, t)[1] * len(t)), "not divided by N"),
    (lambda l, t: softmax_ce(l, t)[0], "return two things"),
    (lambda l, t: (softmax_ce(l, t)[0], softmax_ce(l, t)[1].T), "shape"),
    (lambda l, t: ("1.2", softmax_ce(l, t)[1]), "strings"),
    (lambda l, t: 1 / 0, "ZeroDivisionError"),
])
def test_wrong_cross_entropies_are_named(wrong, words):
    feedback = check_softmax_cross_entropy(wrong)
    assert not feedback.passed and words in feedback.message, feedback.message


@pytest.mark.parametrize("wrong, words", [
    (lambda l, t, u: None, "not attempted yet"),
    (lambda l, t, u: sample_step(l, t, u, scale=lambda y, t: y * t), "multiplied by the temperature"),
    (lambda l, t, u: sample_step(l, t, u, scale=lambda y, t: y), "temperature was ignored"),
    (lambda l, t, u: int(np.argmax(l)), "argmax"),
    (lambda l, t, u: sample_step(l, t, u, side="left"), "side='right'"),
    (lambda l, t, u: float(sample_step(l, t, u)), "as an int"),
    (lambda l, t, u: True, "as an int"),
    (lambda l, t, u: np.array([sample_step(l, t, u)]), "as an int"),
    (lambda l, t, u: [][0], "IndexError"),
])
def test_wrong_sampling_steps_are_named(wrong, words):
    feedback = check_sample_step(wrong)
    assert not feedback.passed and words in feedback.message, feedback.message
