import numpy as np
import pytest

import rnn_lesson as rl


def _grads(params, value):
    return {k: np.full_like(v, value) for k, v in params.items()}


def test_sgd_step_updates_in_place():
    params = rl.init_params(2, 3, 1, seed=0)
    before = {k: v.copy() for k, v in params.items()}
    ids = {k: id(v) for k, v in params.items()}
    rl.sgd_step(params, _grads(params, 2.0), 0.5)
    for k in params:
        assert id(params[k]) == ids[k]
        np.testing.assert_array_equal(params[k], before[k] - 1.0)


def test_clipping_by_global_norm():
    params = rl.init_params(2, 3, 1, seed=0)
    grads = _grads(params, 1.0)
    n = sum(v.size for v in params.values())
    norm = rl.clip_by_global_norm(grads, 1.0)
    assert norm == pytest.approx(np.sqrt(n))
    assert rl.global_norm(grads) == pytest.approx(1.0)
    small = _grads(params, 1e-3)
    rl.clip_by_global_norm(small, 1.0)  # under the limit: untouched
    assert all(np.all(g == 1e-3) for g in small.values())


def test_sgd_with_clip_keeps_direction():
    params = rl.init_params(2, 3, 1, seed=0)
    before = {k: v.copy() for k, v in params.items()}
    grads = {k: np.random.default_rng(1).standard_normal(v.shape) * 100 for k, v in params.items()}
    raw = {k: g.copy() for k, g in grads.items()}
    norm = rl.sgd_step(params, grads, 0.1, clip_norm=5.0)
    assert norm == pytest.approx(rl.global_norm(raw))
    step = {k: before[k] - params[k] for k in params}
    assert rl.global_norm(step) == pytest.approx(0.5)
    for k in params:
        np.testing.assert_allclose(step[k], 0.1 * raw[k] * 5.0 / norm, rtol=1e-12)


def test_diverged_gradients_are_refused_and_params_kept():
    params = rl.init_params(2, 3, 1, seed=0)
    before = {k: v.copy() for k, v in params.items()}
    grads = _grads(params, 1.0)
    grads["W_hh"][0, 0] = np.nan
    with pytest.raises(FloatingPointError, match="diverged"):
        rl.sgd_step(params, grads, 0.1)
    with pytest.raises(FloatingPointError, match="diverged"):
        rl.sgd_step(params, grads, 0.1, clip_norm=1.0)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])


def test_bad_arguments():
    params = rl.init_params(2, 3, 1, seed=0)
    with pytest.raises(ValueError, match="learning_rate"):
        rl.sgd_step(params, _grads(params, 1.0), -0.1)
    with pytest.raises(ValueError, match="keys"):
        rl.sgd_step(params, {"W_xh": params["W_xh"]}, 0.1)
    wrong = _grads(params, 1.0)
    wrong["b_h"] = np.zeros(4)
    with pytest.raises(ValueError, match=r"grads\['b_h'\] has shape \(4,\)"):
        rl.sgd_step(params, wrong, 0.1)
    with pytest.raises(ValueError, match="clip_norm"):
        rl.sgd_step(params, _grads(params, 1.0), 0.1, clip_norm=0)


# Two steps from a = [1, -2] with gradients [0.5, -0.2] then [-1, 0.3], lr = 0.1, worked by hand
# (Adagrad and Adam to 17 digits with Python's decimal module, following the equations in rnn_lesson/optim/optimizers.py).
TWO_STEPS = [
    (lambda: rl.SGD(0.1), [0.95, -1.98], [1.05, -2.01]),
    (lambda: rl.Momentum(0.1, momentum=0.9),  # b2 = 0.9 * g1 + g2 = [-0.55, 0.12]
     [0.95, -1.98], [1.005, -1.992]),
    (lambda: rl.Adagrad(0.1),  # s2 = [1.25, 0.13]
     [0.90000000002, -1.90000000005], [0.98944271911199159, -1.98320502946070745]),
    (lambda: rl.Adam(0.1),  # the first step is lr * sign(g) up to eps
     [0.90000000200, -1.90000000500], [0.93661035424056560, -1.92477018564194302]),
]
IDS = ["sgd", "momentum", "adagrad", "adam"]


@pytest.mark.parametrize("make, first, second", TWO_STEPS, ids=IDS)
def test_each_rule_against_two_steps_by_hand(make, first, second):
    opt = make()
    params = {"a": np.array([1.0, -2.0]), "b": np.array([[3.0]])}
    a = params["a"]
    norm = opt.step(params, {"a": np.array([0.5, -0.2]), "b": np.array([[4.0]])})
    assert norm == pytest.approx(np.sqrt(0.25 + 0.04 + 16.0), rel=1e-15)
    np.testing.assert_allclose(params["a"], first, rtol=1e-15)
    opt.step(params, {"a": np.array([-1.0, 0.3]), "b": np.array([[-4.0]])})
    np.testing.assert_allclose(params["a"], second, rtol=1e-15)
    assert params["a"] is a  # updated in place
    # state is kept per name: "b" alone follows the same path as "b" beside "a"
    alone, b = make(), {"b": np.array([[3.0]])}
    alone.step(b, {"b": np.array([[4.0]])})
    alone.step(b, {"b": np.array([[-4.0]])})
    assert b["b"].tobytes() == params["b"].tobytes()
    assert set(opt.state) == {"a", "b"}


def test_sgd_object_is_sgd_step_and_adam_counts_steps_per_name():
    params = rl.init_params(2, 3, 1, seed=0)
    same = {k: v.copy() for k, v in params.items()}
    grads = {k: np.random.default_rng(3).standard_normal(v.shape) for k, v in params.items()}
    rl.SGD(0.05).step(params, {k: g.copy() for k, g in grads.items()}, clip_norm=1.0)
    rl.sgd_step(same, {k: g.copy() for k, g in grads.items()}, 0.05, clip_norm=1.0)
    assert all(params[k].tobytes() == same[k].tobytes() for k in params)
    adam = rl.Adam()
    adam.step(params, grads)
    adam.step({"W_hh": params["W_hh"]}, {"W_hh": grads["W_hh"]})
    assert adam.state["W_hh"]["step"] == 2 and adam.state["W_xh"]["step"] == 1


@pytest.mark.parametrize("make", [t[0] for t in TWO_STEPS], ids=IDS)
def test_non_finite_gradients_leave_params_and_state_alone(make):
    opt = make()
    params = rl.init_params(2, 3, 1, seed=0)
    opt.step(params, _grads(params, 0.5))
    before = {k: v.copy() for k, v in params.items()}
    state = repr(opt.state)
    bad = _grads(params, 1.0)
    bad["b_h"][1] = np.inf
    with pytest.raises(FloatingPointError, match="diverged"):
        opt.step(params, bad)
    with pytest.raises(FloatingPointError, match="diverged"):
        opt.step(params, bad, clip_norm=1.0)
    assert all(np.array_equal(params[k], before[k]) for k in params) and repr(opt.state) == state


def test_optimizer_arguments_are_checked():
    for make, name in [(lambda: rl.SGD(0), "learning_rate"), (lambda: rl.Momentum(0.1, momentum=1.0), "momentum"),
                       (lambda: rl.Adagrad(0.1, eps=0), "eps"), (lambda: rl.Adam(beta1=-0.1), "beta1"),
                       (lambda: rl.Adam(beta2=1), "beta2"), (lambda: rl.Adam(eps=-1e-8), "eps"),
                       (lambda: rl.Adam(learning_rate=np.inf), "learning_rate")]:
        with pytest.raises(ValueError, match=name):
            make()
    with pytest.raises(TypeError, match="momentum must be a number"):
        rl.Momentum(0.1, momentum="0.9")
    params = rl.init_params(2, 3, 1, seed=0)
    opt = rl.Momentum(0.1)
    with pytest.raises(ValueError, match="keys"):
        opt.step(params, {"W_xh": params["W_xh"]})
    wrong = _grads(params, 1.0)
    wrong["b_h"] = np.zeros(4)
    with pytest.raises(ValueError, match=r"grads\['b_h'\] has shape \(4,\)"):
        opt.step(params, wrong)
    with pytest.raises(TypeError, match=r"params\['x'\] must be a NumPy array"):
        opt.step({"x": 1.0}, {"x": 1.0})
    opt.step(params, _grads(params, 1.0))
    other = rl.init_params(2, 5, 1, seed=0)
    with pytest.raises(ValueError, match="'W_xh' has shape .*new optimizer"):
        opt.step(other, _grads(other, 1.0))


def test_get_optimizer():
    assert isinstance(rl.get_optimizer("adam"), rl.Adam) and rl.get_optimizer("adam").learning_rate == 1e-3
    momentum = rl.get_optimizer("momentum", 0.05)
    assert isinstance(momentum, rl.Momentum) and momentum.learning_rate == 0.05 and momentum.momentum == 0.9
    assert rl.get_optimizer(momentum) is momentum and rl.get_optimizer(momentum, 0.05) is momentum
    assert repr(rl.get_optimizer("adagrad", 0.1)) == "Adagrad(learning_rate=0.1, eps=1e-10)"
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'; choose one of: sgd, momentum, adagrad, adam"):
        rl.get_optimizer("rmsprop", 0.1)
    with pytest.raises(ValueError, match="set it on the optimizer object"):
        rl.get_optimizer(momentum, 0.1)
    with pytest.raises(TypeError):
        rl.get_optimizer("sgd")


# Hostile inputs (issue 17): every check is made before anything changes.

def _snapshot(params):
    return {k: v.copy() for k, v in params.items()}


def _unchanged(params, before):
    return all(np.array_equal(params[k], before[k]) for k in params)


def test_sgd_step_refuses_a_read_only_parameter_before_updating_any():
    params = rl.init_params(2, 3, 1, seed=0)
    params["b_y"].flags.writeable = False  # the last key: the others would be updated first
    before = _snapshot(params)
    with pytest.raises(ValueError, match=r"params\['b_y'\] is read-only"):
        rl.sgd_step(params, _grads(params, 1.0), 0.1)
    assert _unchanged(params, before)


@pytest.mark.parametrize("bad", [[[0.0]], np.zeros((1, 1), dtype=np.float32), np.zeros((1, 1), dtype=int)])
def test_parameters_must_be_float64_arrays(bad):
    params = {"a": np.zeros((1, 1)), "z": bad}
    grads = {"a": np.ones((1, 1)), "z": np.ones((1, 1))}
    with pytest.raises(TypeError, match=r"params\['z'\] must be a NumPy array of dtype float64"):
        rl.sgd_step(params, grads, 0.1)
    assert np.all(params["a"] == 0)
    for opt in (rl.SGD(0.1), rl.Momentum(0.1), rl.Adagrad(0.1), rl.Adam(0.1)):
        with pytest.raises(TypeError, match=r"params\['z'\] must be a NumPy array of dtype float64"):
            opt.step(params, grads)
        assert np.all(params["a"] == 0) and opt.state == {}


def test_clipping_never_stops_half_way():
    params = rl.init_params(2, 3, 1, seed=0)
    grads = _grads(params, 100.0)
    grads["b_y"] = np.full(params["b_y"].shape, 100)  # integer: cannot be scaled in place
    before = _snapshot(grads)
    with pytest.raises(TypeError, match=r"grads\['b_y'\] must be a NumPy array of floats"):
        rl.clip_by_global_norm(grads, 1.0)
    assert _unchanged(grads, before)
    grads["b_y"] = np.full(params["b_y"].shape, 100.0)
    grads["b_y"].flags.writeable = False
    with pytest.raises(ValueError, match=r"grads\['b_y'\] is read-only"):
        rl.clip_by_global_norm(grads, 1.0)
    grads["b_y"] = np.full(params["b_y"].shape, 100.0)
    grads["b_y"][0] = np.nan
    with pytest.raises(FloatingPointError, match=r"grads\['b_y'\].*diverged"):
        rl.clip_by_global_norm(grads, 1.0)
    assert all(np.all(grads[k] == 100.0) for k in grads if k != "b_y")


def test_small_integer_and_half_precision_gradients_give_the_right_norm():
    grads = {"a": np.full(4, 300, dtype=np.float16), "b": np.array([3, 4], dtype=np.int8)}
    # float16 squares would overflow (300**2 > 65504), int8 ones wrap round
    assert rl.global_norm(grads) == pytest.approx(np.sqrt(4 * 300.0**2 + 25))
    params = {"a": np.zeros(4), "b": np.zeros(2)}
    assert rl.sgd_step(params, grads, 0.5) == pytest.approx(np.sqrt(4 * 300.0**2 + 25))
    np.testing.assert_array_equal(params["b"], [-1.5, -2.0])
    clipped = {"a": np.full(4, 300, dtype=np.float16)}
    assert rl.clip_by_global_norm(clipped, 1.0) == pytest.approx(600.0)
    assert clipped["a"].dtype == np.float16 and rl.global_norm(clipped) == pytest.approx(1.0, rel=1e-3)


@pytest.mark.parametrize("bad, error", [(np.ones(2, dtype=complex), "must be real"),
                                        (np.ones(2, dtype=bool), "must hold numbers"),
                                        (np.array(["1", "2"]), "must hold numbers")])
def test_complex_boolean_or_text_gradients_are_refused_with_the_key(bad, error):
    params = {"a": np.zeros(2), "b": np.zeros(2)}
    grads = {"a": np.ones(2), "b": bad}
    with pytest.raises(TypeError, match=rf"grads\['b'\] {error}"):
        rl.global_norm(grads)
    with pytest.raises(TypeError, match=rf"grads\['b'\] {error}"):
        rl.sgd_step(params, grads, 0.1)
    assert np.all(params["a"] == 0)


@pytest.mark.parametrize("make", [lambda: rl.SGD(0.1), lambda: rl.Momentum(0.1), lambda: rl.Adagrad(0.1),
                                  lambda: rl.Adam(0.1)])
def test_a_refused_optimizer_step_changes_no_parameter_and_no_state(make):
    opt = make()
    params = rl.init_params(2, 3, 1, seed=0)
    opt.step(params, _grads(params, 0.5))
    before, state = _snapshot(params), repr(opt.state)
    params["b_y"].flags.writeable = False
    with pytest.raises(ValueError, match=r"params\['b_y'\] is read-only"):
        opt.step(params, _grads(params, 1.0))
    params["b_y"].flags.writeable = True
    complex_grads = _grads(params, 1.0)
    complex_grads["b_y"] = complex_grads["b_y"] + 1j
    with pytest.raises(TypeError, match=r"grads\['b_y'\] must be real"):
        opt.step(params, complex_grads)
    with pytest.raises(TypeError, match=r"grads\['b_y'\] must be a NumPy array of floats.*complex128"):
        opt.step(params, complex_grads, clip_norm=1.0)
    assert _unchanged(params, before) and repr(opt.state) == state
