"""The gradient-flow explorer: spectral radius helpers, gradient norms, figure and widget."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnn_lesson as rl  # noqa: E402
from rnn_lesson.explore.gradient_flow import (  # noqa: E402
    gradient_flow_explorer, gradient_flow_figure, hidden_gradient_norms, scale_to_spectral_radius,
    spectral_radius)


def test_spectral_radius_of_known_matrices():
    assert spectral_radius(np.diag([0.5, -3.0, 2.0])) == pytest.approx(3.0, rel=1e-15)
    rotation = np.array([[0.0, -2.0], [2.0, 0.0]])  # eigenvalues ±2i
    assert spectral_radius(rotation) == pytest.approx(2.0, rel=1e-14)
    with pytest.raises(ValueError, match=r"square matrix, got shape \(2, 3\)"):
        spectral_radius(np.ones((2, 3)))


def test_scale_to_spectral_radius_keeps_direction_and_copies():
    w = rl.init_params(1, 6, 1, seed=3)["W_hh"]
    original = w.copy()
    scaled = scale_to_spectral_radius(w, 0.7)
    assert spectral_radius(scaled) == pytest.approx(0.7, rel=1e-12)
    np.testing.assert_allclose(scaled / np.linalg.norm(scaled), w / np.linalg.norm(w), rtol=1e-13)
    np.testing.assert_array_equal(w, original)
    with pytest.raises(ValueError, match="spectral radius 0"):
        scale_to_spectral_radius(np.zeros((3, 3)), 1.0)
    with pytest.raises(ValueError, match="radius must be a finite number > 0"):
        scale_to_spectral_radius(w, -1.0)


@pytest.mark.parametrize("activation", ["tanh", "identity"])
def test_hidden_gradient_norms_match_finite_differences(activation):
    params = rl.init_params(2, 5, 3, seed=11)
    xs = np.random.default_rng(4).standard_normal((6, 2))
    norms = hidden_gradient_norms(params, xs, activation)
    _, cache = rl.forward(params, xs, activation=activation)
    assert norms.shape == (6,)
    for k in range(6):  # dL/dh_{T-k}: restart the network from that state, loss = sum(y_T)
        state = cache["hs"][6 - k].copy()
        rest = xs[6 - k:]

        def last_output(h, rest=rest):
            y_now = h @ params["W_hy"] + params["b_y"]
            return y_now if len(rest) == 0 else rl.forward(params, rest, h0=h, activation=activation)[0][-1]

        numeric = rl.numerical_gradient(last_output, state, np.ones(3))
        assert norms[k] == pytest.approx(np.linalg.norm(numeric), rel=1e-8), k


def test_identity_gradients_follow_the_spectral_radius():
    # linear RNN: dL/dh_{T-k} = (W_hh^T)^k dL/dh_T, so the growth rate tends to the spectral radius
    params = rl.init_params(1, 8, 1, seed=0)
    params["W_hh"] = scale_to_spectral_radius(params["W_hh"], 1.5)
    norms = hidden_gradient_norms(params, np.zeros((120, 1)), "identity")
    rate = (norms[119] / norms[60]) ** (1 / 59)
    assert rate == pytest.approx(1.5, rel=1e-6)


def test_tanh_vanishes_faster_than_the_radius():
    params = rl.init_params(1, 16, 1, seed=0)
    params["W_hh"] = scale_to_spectral_radius(params["W_hh"], 0.9)
    norms = hidden_gradient_norms(params, np.random.default_rng(0).standard_normal((40, 1)), "tanh")
    assert norms[39] < norms[0] * 0.9 ** 39  # tanh' <= 1 only ever shrinks it further


def test_figure_has_labels_and_rejects_bad_input():
    fig = gradient_flow_figure(2.0, n_steps=30, activation="identity")
    left, right = fig.axes
    assert left.get_yscale() == "log" and "steps back" in left.get_xlabel()
    assert "2" in left.get_title() and right.get_title()
    plt.close(fig)
    with pytest.raises(ValueError, match="n_steps must be at least 2"):
        gradient_flow_figure(1.0, n_steps=1)
    with pytest.raises(ValueError, match="unknown activation"):
        gradient_flow_figure(1.0, activation="softplus")
    with pytest.raises(ValueError, match="spectral_radius must be a finite number > 0"):
        gradient_flow_figure(0.0)


def test_explorer_redraws_when_the_radius_moves():
    box = gradient_flow_explorer()
    radius = box.children[0].children[0]
    radius.value = 0.5
    assert "redrawn in" in box.status.value
    assert plt.get_fignums() == []
