"""The lesson-10 checker: the solution passes; each wrong answer is told what is wrong in plain words."""
import re

import numpy as np
import pytest

from rnn_lesson.exercises.memory import check_running_total_rnn


def weights(w_x1=1.0, w_x2=0.0, w_hh=1.0, w_hy=1.0, b_h=0.0, b_y=0.0, activation="identity"):
    def running_total_rnn():
        params = {"W_xh": np.array([[w_x1], [w_x2]]), "W_hh": np.array([[w_hh]]), "W_hy": np.array([[w_hy]]),
                  "b_h": np.array([b_h]), "b_y": np.array([b_y])}
        return params, activation
    return running_total_rnn


def test_the_solution_passes_and_so_does_another_scaling_or_a_wider_network():
    assert check_running_total_rnn(weights()).passed
    assert check_running_total_rnn(weights(w_x1=2.0, w_hy=0.5)).passed

    def two_units():
        params = {"W_xh": np.array([[1.0, 0.0], [0.0, 0.0]]), "W_hh": np.eye(2), "W_hy": np.array([[1.0], [0.0]]),
                  "b_h": np.zeros(2), "b_y": np.zeros(1)}
        return params, "identity"
    assert check_running_total_rnn(two_units).passed


@pytest.mark.parametrize("answer, words", [
    (weights(activation="tanh"), "tanh squashes the state"),
    (weights(activation="relu"), "relu cuts every negative total"),
    (weights(w_hh=0.9), "W_hh = 0.9: .* the memory decays"),
    (weights(w_hh=1.1), "the memory grows"),
    (weights(w_x2=0.5), "the distraction x2 leaks into the total"),
    (weights(b_h=0.1), "b_h adds a constant"),
    (weights(w_x1=2.0), "W_xh\\[0\\] \\* W_hy = 2"),
])
def test_each_classic_mistake_is_named(answer, words):
    feedback = check_running_total_rnn(answer)
    assert not feedback.passed
    assert "first difference at step" in feedback.message
    assert re.search(words, feedback.message), feedback.message


def test_stub_wrong_forms_and_errors_are_explained():
    assert "not attempted yet" in check_running_total_rnn(lambda: None).message
    assert "return a pair (params, activation)" in check_running_total_rnn(lambda: ({}, "identity", 3)).message
    missing = check_running_total_rnn(lambda: ({"W_xh": np.ones((2, 1))}, "identity"))
    assert "the weights do not make an RNN: params is missing" in missing.message
    wide = lambda: ({**weights()()[0], "W_xh": np.ones((3, 1))}, "identity")  # noqa: E731
    assert "must take 2 inputs (x1, x2)" in check_running_total_rnn(wide).message
    assert "unknown activation 'linear'" in check_running_total_rnn(weights(activation="linear")).message

    def raises():
        raise KeyError("W_hh")
    assert "raised KeyError" in check_running_total_rnn(raises).message
