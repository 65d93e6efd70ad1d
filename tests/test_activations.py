import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.activations import ACTIVATIONS

Z = np.random.default_rng(0).uniform(-3, 3, size=50)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_from_output_matches_finite_differences(name):
    f, f_prime = ACTIVATIONS[name]
    z = Z[np.abs(Z) > 1e-3]  # away from relu's kink
    h = 1e-6
    numeric = (f(z + h) - f(z - h)) / (2 * h)
    np.testing.assert_allclose(f_prime(f(z)), numeric, rtol=1e-7, atol=1e-9)


def test_sigmoid_is_stable_for_huge_inputs():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = rl.sigmoid(np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0]))
    assert np.all(np.isfinite(out))
    assert out[0] == 0.0 and out[2] == 0.5 and out[-1] == 1.0
    np.testing.assert_allclose(rl.sigmoid(np.array([-40.0])), np.exp(-40.0) / (1 + np.exp(-40.0)), rtol=1e-15)


def test_known_values():
    np.testing.assert_allclose(rl.tanh(np.array([0.0, 1.0])), [0.0, np.tanh(1.0)])
    assert rl.relu(np.array([-2.0, 0.0, 3.0])).tolist() == [0.0, 0.0, 3.0]
    assert rl.identity(np.array([-2.0, 3.0])).tolist() == [-2.0, 3.0]


def test_unknown_activation_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown activation 'softplus'.*identity, relu, sigmoid, tanh"):
        rl.get_activation("softplus")
    with pytest.raises(TypeError):
        rl.get_activation(3)
