"""The optimizers explorer: the valley, the paths, the figure and its sliders."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnn_lesson as rl  # noqa: E402
from rnn_lesson.explore.optimizers import (  # noqa: E402
    MINIMUM, START, VALLEY_RATES, descend, optimizer_paths, optimizers_explorer, optimizers_figure, rate_sweep, start,
    valley, valley_loss)


def test_the_valley_has_the_curvatures_it_claims():
    np.testing.assert_allclose(np.linalg.eigvalsh(valley(20.0, angle=30)), [1.0, 20.0], rtol=1e-13)
    np.testing.assert_allclose(valley(20.0), np.diag([1.0, 20.0]), atol=1e-15)  # angle 0: along w_1
    assert valley_loss(MINIMUM) == 0.0 and valley_loss(START) > 0
    grid = np.stack([START, MINIMUM])
    np.testing.assert_allclose(valley_loss(grid), [valley_loss(START), 0.0], rtol=1e-15)


def test_descend_is_the_optimizers_steps_on_the_gradient():
    path = descend(rl.SGD(0.01), 3)
    w = START.copy()
    for step in range(3):
        w = w - 0.01 * valley() @ (w - MINIMUM)
        np.testing.assert_allclose(path[step + 1], w, rtol=1e-14)
    with pytest.raises(TypeError):
        descend("sgd", 3)
    with pytest.raises(ValueError):
        descend(rl.SGD(0.1), 0)
    with pytest.raises(ValueError, match="start_at must be two finite numbers"):
        descend(rl.SGD(0.1), 3, start_at=[0.0, np.nan])
    with pytest.raises(ValueError, match="angle must be a finite number"):
        descend(rl.SGD(0.1), 3, angle="30")
    np.testing.assert_allclose(descend(rl.SGD(0.01), 3, start_at=MINIMUM), [MINIMUM] * 4)


def test_the_start_turns_with_the_valley():
    np.testing.assert_array_equal(start(0), START)
    for angle in (30, 90):
        assert valley_loss(start(angle), angle=angle) == pytest.approx(valley_loss(START), rel=1e-13)
    np.testing.assert_allclose(start(90), MINIMUM + [-(START - MINIMUM)[1], (START - MINIMUM)[0]], atol=1e-14)


def test_what_the_lesson_says_about_the_paths():
    final = {name: valley_loss(path[-1]) for name, path in optimizer_paths().items()}
    assert max(final["Momentum"], final["Adagrad"], final["Adam"]) < final["SGD"] / 10   # along the axes
    turned = {name: valley_loss(path[-1], angle=30) for name, path in optimizer_paths(angle=30).items()}
    for name in ("SGD", "Momentum"):  # steps linear in the gradient: the same problem, turned
        assert turned[name] == pytest.approx(final[name], rel=1e-9)
    assert turned["Momentum"] < turned["SGD"] < turned["Adam"] < turned["Adagrad"]     # turned by 30°
    assert turned["Adam"] > 10 * final["Adam"] and turned["Adagrad"] > 100 * final["Adagrad"]
    unstable = optimizer_paths(sgd_rate=0.021, steps=100)["SGD"]
    assert valley_loss(unstable[-1]) > valley_loss(START)  # above 2 / steepness SGD diverges


def test_figure_and_explorer():
    fig = optimizers_figure(steps=10)
    left, right = fig.axes
    assert [line.get_label() for line in left.get_lines()[:4]] == ["SGD", "Momentum", "Adagrad", "Adam"]
    assert "stable below 0.02" in right.get_title()
    plt.close(fig)
    box = optimizers_explorer()
    assert box.redraw() is not None


def test_rate_sweep_each_at_its_own_grid():
    flat, turned = rate_sweep(0), rate_sweep(30)
    assert {name: tuple(losses) for name, losses in flat.items()} == VALLEY_RATES
    assert flat["SGD"][0.021] > 1e6 and turned["SGD"][0.021] > 1e6   # past 2 / steepness SGD diverges
    best = {name: min(losses.values()) for name, losses in turned.items()}
    # at its own best rate, Adam still beats SGD on the turned valley; Adagrad only about ties it
    assert best["Momentum"] < best["Adam"] < best["SGD"] / 10 and best["SGD"] / 2 < best["Adagrad"] < 2 * best["SGD"]
    assert rate_sweep(0, rates={"SGD": [0.01]}) == {"SGD": {0.01: pytest.approx(flat["SGD"][0.01])}}
    with pytest.raises(ValueError, match="rates must map"):
        rate_sweep(0, rates={"Nesterov": [0.1]})
    with np.errstate(all="raise"):  # a diverging rate is inf, not a warning or an error
        assert rate_sweep(0, steps=2000, rates={"SGD": [0.05]})["SGD"][0.05] == np.inf


def test_every_function_defaults_to_the_lessons_valley():
    path = optimizer_paths()["Momentum"]
    assert valley_loss(path[-1]) == valley_loss(path[-1], steepness=100.0) == rate_sweep()["Momentum"][0.019]
    np.testing.assert_allclose(np.linalg.eigvalsh(valley()), [1.0, 100.0])
