import numpy as np
import pytest

import rnn_lesson as rl


def test_numerical_gradient_of_known_functions():
    x = np.array([0.3, -1.2, 2.0])
    assert rl.relative_error(rl.numerical_gradient(lambda v: np.sum(v ** 3), x), 3 * x ** 2) < 1e-9
    df = np.array([1.0, -2.0, 0.5])
    assert rl.relative_error(rl.numerical_gradient(np.sin, x, df), np.cos(x) * df) < 1e-9
    assert x.tolist() == [0.3, -1.2, 2.0]  # restored after perturbation


def test_relative_error_properties():
    a = np.array([1.0, 2.0])
    assert rl.relative_error(a, a) == 0.0
    assert rl.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rl.relative_error(a, -a) == pytest.approx(1.0)
    assert rl.relative_error(1e6 * a, 1e6 * a * (1 + 1e-9)) == pytest.approx(5e-10, rel=1e-3)
    with pytest.raises(ValueError, match="shapes"):
        rl.relative_error(a, np.zeros(3))


def test_gradcheck_catches_a_wrong_backward(small_problem):
    params, xs, dys = small_problem
    _, cache = rl.forward(params, xs)
    grads = rl.backward(dys, cache)
    numeric = rl.numerical_rnn_gradients(params, xs, dys)
    wrong = grads["W_hh"].T  # a classic bug: the transposed gradient
    assert rl.relative_error(wrong, numeric["W_hh"]) > 1e-2


def test_numerical_gradient_needs_float64():
    with pytest.raises(TypeError, match="float64"):
        rl.numerical_gradient(np.sum, np.array([1, 2, 3]))
    with pytest.raises(TypeError, match="float64"):
        rl.numerical_gradient(np.sum, np.array([1.0], dtype=np.float32))
