"""Learning-rate schedules, the Scheduled optimizer, weight decay, and optimizers saved as specs."""
import math

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.schedules import (Cosine, Scheduled, StepDecay, Warmup, fresh_copy, optimizer_from_spec,
                                  optimizer_spec, schedule_from_spec)


def test_each_schedule_by_its_formula():
    assert [StepDecay(3, 0.5)(s) for s in range(7)] == [1, 1, 1, 0.5, 0.5, 0.5, 0.25]
    cosine = Cosine(10, floor=0.1)
    assert cosine(0) == 1.0 and math.isclose(cosine(5), 0.55) and math.isclose(cosine(10), 0.1)
    assert cosine(50) == cosine(10)  # stays at the floor
    assert [Warmup(4)(s) for s in range(6)] == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    composed = Warmup(2, then=Cosine(4))
    assert [composed(s) for s in range(4)] == [0.5, 1.0, Cosine(4)(0), Cosine(4)(1)]


def test_scheduled_sets_the_learning_rate_of_every_step():
    params, grads = {"w": np.zeros(1)}, {"w": np.ones(1)}
    optimizer = Scheduled(rl.SGD(0.1), StepDecay(2, 0.5))
    moves = []
    for _ in range(5):
        before = params["w"].copy()
        optimizer.step(params, grads)
        moves.append(float(before[0] - params["w"][0]))
    np.testing.assert_allclose(moves, [0.1, 0.1, 0.05, 0.05, 0.025], rtol=1e-15)
    assert optimizer.learning_rate == 0.1 and optimizer.current_learning_rate == 0.025


def test_a_refused_step_is_not_counted():
    optimizer = Scheduled(rl.Adam(0.1), Warmup(3))
    with pytest.raises(FloatingPointError):
        optimizer.step({"w": np.zeros(1)}, {"w": np.array([np.nan])})
    assert optimizer.steps_taken == 0 and optimizer.state == {}


def test_weight_decay_is_added_to_the_gradient_after_clipping():
    params, grads = {"w": np.array([2.0, -1.0])}, {"w": np.array([3.0, 4.0])}
    rl.SGD(0.1, weight_decay=0.5).step(params, grads, clip_norm=1.0)  # grads clipped to [0.6, 0.8] in place
    np.testing.assert_allclose(params["w"], [2.0 - 0.1 * (0.6 + 1.0), -1.0 - 0.1 * (0.8 - 0.5)], rtol=1e-14)
    np.testing.assert_allclose(grads["w"], [0.6, 0.8], rtol=1e-14)  # the decay is not written into grads
    assert repr(rl.Adam(0.1, weight_decay=0.01)).startswith("Adam(learning_rate=0.1, weight_decay=0.01")
    with pytest.raises(ValueError, match="weight_decay must be a finite number >= 0"):
        rl.SGD(0.1, weight_decay=-1)
    with pytest.raises(TypeError, match="weight_decay must be a number"):
        rl.Momentum(0.1, weight_decay="0.1")


def test_weight_decay_alone_shrinks_the_weights_geometrically():
    params = {"w": np.array([1.0])}
    optimizer = rl.SGD(0.1, weight_decay=0.5)
    for _ in range(10):
        optimizer.step(params, {"w": np.zeros(1)})
    assert math.isclose(params["w"][0], 0.95 ** 10, rel_tol=1e-13)


@pytest.mark.parametrize("optimizer", [rl.SGD(0.1), rl.Momentum(0.2, momentum=0.8, weight_decay=0.1),
                                       rl.Adagrad(0.3, eps=1e-9), rl.Adam(0.01, beta1=0.8),
                                       Scheduled(rl.Adam(0.01), Warmup(5, then=Cosine(20, floor=0.1))),
                                       Scheduled(rl.SGD(0.1), StepDecay(4))], ids=repr)
def test_specs_round_trip(optimizer):
    spec = optimizer_spec(optimizer)
    rebuilt = optimizer_from_spec(spec)
    assert repr(rebuilt) == repr(optimizer) and optimizer_spec(rebuilt) == spec


def test_fresh_copy_forgets_the_state_and_leaves_the_original_alone():
    optimizer = Scheduled(rl.Adam(0.1), StepDecay(1, 0.5))
    params = {"w": np.zeros(2)}
    optimizer.step(params, {"w": np.ones(2)})
    copy = fresh_copy(optimizer)
    assert copy.steps_taken == 0 and copy.state == {} and copy.current_learning_rate == 0.1
    assert optimizer.steps_taken == 1 and optimizer.state and optimizer.current_learning_rate == 0.1


def test_bad_schedules_and_specs():
    for make, error in [(lambda: StepDecay(0), ValueError), (lambda: StepDecay(2, 0.0), ValueError),
                        (lambda: StepDecay(2, 1.5), ValueError), (lambda: Cosine(10, floor=2), ValueError),
                        (lambda: Cosine(2.5), TypeError), (lambda: Warmup(3, then=0.5), TypeError),
                        (lambda: Scheduled("adam", Warmup(3)), TypeError),
                        (lambda: Scheduled(rl.SGD(0.1), lambda s: 1.0), TypeError),
                        (lambda: Scheduled(Scheduled(rl.SGD(0.1), Warmup(2)), Warmup(2)), TypeError)]:
        with pytest.raises(error):
            make()
    with pytest.raises(ValueError, match="step number"):
        Warmup(3)(-1)
    with pytest.raises(ValueError, match="unknown schedule"):
        schedule_from_spec({"name": "Linear"})
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizer_from_spec({"name": "rmsprop", "learning_rate": 0.1})
    with pytest.raises(ValueError, match="optimizer"):
        optimizer_from_spec({"name": "adam", "learning_rate": 0.1, "gamma": 2})

    class Custom(rl.SGD):
        pass
    assert optimizer_spec(Custom(0.1)) is None
