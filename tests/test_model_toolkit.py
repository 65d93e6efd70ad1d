"""The estimator's toolkit: n_layers, bidirectional, dropout and optimizer= (checked, trained, saved, loaded)."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.models import network
from rnn_lesson.schedules import Cosine, Scheduled, Warmup


def _tagging(n=24, steps=8, seed=0):
    """Label 1 where the next input equals this one: only a model that reads ahead can know."""
    bits = np.random.default_rng(seed).integers(0, 2, (n, steps + 1)).astype(float)
    return bits[:, :steps, None], (bits[:, :steps] == bits[:, 1:]).astype(float)[..., None]


def test_the_default_model_is_unchanged_by_the_toolkit():
    X, Y = _tagging()
    plain = rl.RNN(hidden_size=4, epochs=3, progress=False).fit((X, Y))
    named = rl.RNN(hidden_size=4, epochs=3, progress=False, optimizer="sgd", n_layers=1, dropout=0.0).fit((X, Y))
    as_object = rl.RNN(hidden_size=4, epochs=3, progress=False, optimizer=rl.SGD(0.01)).fit((X, Y))
    for other in (named, as_object):
        assert other.loss_curve_.tobytes() == plain.loss_curve_.tobytes()
        assert all(other.params_[k].tobytes() == plain.params_[k].tobytes() for k in rl.PARAM_NAMES)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_stacked_bidirectional_gradients_of_the_whole_network_match_finite_differences(cell):
    X, Y = _tagging(n=2, steps=5)
    model = rl.RNN(hidden_size=3, cell=cell, n_layers=2, bidirectional=True, dropout=0.25, seed=1)
    model.params_ = network.init(model, 1, 1, 5)
    xs, dys = X[0] + 0.3, np.random.default_rng(2).standard_normal((5, 1))
    rng_state = np.random.default_rng(8).bit_generator.state

    def outputs():
        rng = np.random.default_rng(8)
        rng.bit_generator.state = rng_state
        return network.forward(model, xs, training=True, rng=rng)[0]

    ys, cache = network.forward(model, xs, training=True, rng=np.random.default_rng(8))
    grads = network.backward(model, dys, cache)
    assert set(grads) == set(network.param_names(model)) and len(grads) == 5 + 3 * 3
    for key, array in model.params_.items():
        assert rl.relative_error(grads[key], rl.numerical_gradient(lambda _: outputs(), array, dys)) < 1e-7, key


def test_bidirectional_reads_ahead_and_dropout_is_off_at_prediction():
    X, Y = _tagging(n=64)
    one_way = rl.RNN(hidden_size=8, epochs=30, loss="bce", optimizer="adam", learning_rate=0.02, batch_size=8,
                     progress=False).fit((X, Y))
    two_way = rl.RNN(hidden_size=8, epochs=30, loss="bce", optimizer="adam", learning_rate=0.02, batch_size=8,
                     bidirectional=True, dropout=0.1, progress=False).fit((X, Y))
    accuracy = {name: np.mean((m.predict(X) > 0.5) == Y) for name, m in (("one", one_way), ("two", two_way))}
    assert accuracy["one"] < 0.8 < 0.95 < accuracy["two"], accuracy
    assert np.array_equal(two_way.predict(X[0]), two_way.predict(X[0]))  # no mask at prediction
    np.testing.assert_allclose(two_way.predict(X)[0], two_way.predict(X[0]), rtol=1e-12, atol=1e-15)


def test_bidirectional_is_refused_for_forecasting():
    windows = rl.window_series(np.sin(np.arange(80) / 4), 12)
    with pytest.raises(ValueError, match="label column 0 is input column 0 1 step.* ahead: this is forecasting"):
        rl.RNN(bidirectional=True, progress=False).fit(windows)
    scaled = [(s.features, 3 * s.labels + 1) for s in windows]  # labels scaled apart from the features
    with pytest.raises(ValueError, match="this is forecasting"):
        rl.RNN(bidirectional=True, progress=False).fit(([f for f, _ in scaled], [l for _, l in scaled]))
    rl.RNN(bidirectional=False, epochs=1, progress=False).fit(windows)  # one way is fine


@pytest.mark.parametrize("hyper, error, message", [
    ({"n_layers": 0}, ValueError, "n_layers must be at least 1"),
    ({"n_layers": 9}, ValueError, "n_layers must be at most 8"),
    ({"n_layers": 2.0}, TypeError, "n_layers must be an integer"),
    ({"bidirectional": 1}, TypeError, "bidirectional must be True or False"),
    ({"dropout": 1.0}, ValueError, r"dropout must be in \[0, 1\)"),
    ({"dropout": -0.1}, ValueError, r"dropout must be in \[0, 1\)"),
    ({"dropout": "0.1"}, TypeError, "dropout must be a number"),
    ({"optimizer": "rmsprop"}, ValueError, "unknown optimizer 'rmsprop'; choose one of: sgd, momentum, adagrad, adam"),
    ({"optimizer": None}, TypeError, "optimizer must be a name"),
    ({"optimizer": rl.Adam(0.001)}, ValueError, "has its own learning rate 0.001, but learning_rate=0.01"),
    ({"truncate": 3, "n_layers": 2}, ValueError, "truncate works on a single forward cell"),
    ({"truncate": 3, "dropout": 0.5}, ValueError, "truncate works on a single forward cell"),
    ({"engine": "fast", "optimizer": "adam"}, ValueError, "engine='fast' trains a single forward cell"),
    ({"engine": "fast", "bidirectional": True}, ValueError, "engine='fast' trains a single forward cell"),
])
def test_bad_toolkit_hyperparameters_are_refused_by_fit(hyper, error, message):
    X, Y = _tagging(n=2)
    with pytest.raises(error, match=message):
        rl.RNN(progress=False, **hyper).fit((X, Y))


def test_fit_leaves_the_optimizer_object_alone_and_repeats_bit_for_bit():
    X, Y = _tagging()
    optimizer = Scheduled(rl.Adam(0.02, weight_decay=1e-3), Warmup(3, Cosine(40)))
    fits = [rl.RNN(hidden_size=4, epochs=3, learning_rate=0.02, optimizer=optimizer, dropout=0.2, n_layers=2,
                   progress=False).fit((X, Y)) for _ in range(2)]
    assert optimizer.steps_taken == 0 and optimizer.state == {}
    assert fits[0].loss_curve_.tobytes() == fits[1].loss_curve_.tobytes()


@pytest.mark.parametrize("hyper", [
    {"n_layers": 3, "cell": "lstm", "forget_bias": "chrono", "recurrent_init": "orthogonal"},
    {"bidirectional": True, "dropout": 0.3, "cell": "gru", "batch_size": 4},
    {"optimizer": Scheduled(rl.Momentum(0.05, weight_decay=0.01), Cosine(30)), "learning_rate": 0.05},
    {"optimizer": "adagrad", "learning_rate": 0.1, "n_layers": 2, "bidirectional": True},
], ids=["3-layer lstm", "bidirectional gru", "scheduled momentum", "adagrad 2x2"])
def test_toolkit_models_round_trip(tmp_path, hyper):
    X, Y = _tagging(n=8)
    model = rl.RNN(hidden_size=3, epochs=2, progress=False, **hyper).fit((X, Y))
    loaded = rl.RNN.load(model.save(tmp_path / "m"))
    assert repr(loaded) == repr(model)
    assert sorted(loaded.params_) == sorted(model.params_) == sorted(network.param_names(model))
    assert all(loaded.params_[k].tobytes() == model.params_[k].tobytes() for k in model.params_)
    np.testing.assert_array_equal(loaded.predict(X[1]), model.predict(X[1]))


def test_a_saved_stack_with_a_missing_or_extra_layer_is_refused(tmp_path):
    X, Y = _tagging(n=4)
    path = rl.RNN(hidden_size=3, epochs=1, n_layers=2, progress=False).fit((X, Y)).save(tmp_path / "m")
    arrays = dict(np.load(path))
    np.savez(tmp_path / "missing.npz", **{k: v for k, v in arrays.items() if k != "W_hh_l1"})
    with pytest.raises(ValueError, match=r"missing.npz is not a valid saved RNN: missing arrays \['W_hh_l1'\]"):
        rl.RNN.load(tmp_path / "missing.npz")
    np.savez(tmp_path / "extra.npz", **arrays, W_xh_rev=arrays["W_xh"])
    with pytest.raises(ValueError, match=r"holds arrays \['W_xh_rev'\] that a model with these"):
        rl.RNN.load(tmp_path / "extra.npz")
    np.savez(tmp_path / "shape.npz", **dict(arrays, W_xh_l1=arrays["W_xh"]))
    with pytest.raises(ValueError, match=r"params\['W_xh_l1'\] has shape \(1, 3\), expected \(3, 3\)"):
        rl.RNN.load(tmp_path / "shape.npz")


def test_a_custom_optimizer_trains_but_cannot_be_saved(tmp_path):
    class Halving(rl.SGD):
        """SGD at half the step: not one of rl.optim's, so not rebuildable."""

        def _update(self, param, grad, state):
            param -= 0.5 * self.learning_rate * grad
    X, Y = _tagging(n=4)
    model = rl.RNN(hidden_size=3, epochs=1, optimizer=Halving(0.01), progress=False).fit((X, Y))
    with pytest.raises(ValueError, match="is not one of rl.optim's .*nothing was written"):
        model.save(tmp_path / "m")
    assert not list(tmp_path.iterdir())


def test_a_hook_lowers_the_rate_of_the_optimizer_fit_trains_with():
    X, Y = _tagging()

    def halve(epoch, model):
        model.optimizer_.learning_rate *= 0.5
    for given in (rl.Adam(0.02), Scheduled(rl.Adam(0.02), Cosine(30)), rl.Monitored(Scheduled(rl.Adam(0.02), Cosine(30)))):
        model = rl.RNN(hidden_size=4, epochs=3, learning_rate=0.02, optimizer=given, progress=False)
        plain = rl.RNN(**model.get_params()).fit((X, Y))
        model.fit((X, Y), after_epoch=halve)
        assert model.optimizer_.learning_rate == 0.02 / 8 and given.learning_rate == 0.02
        assert model.loss_curve_[0] == plain.loss_curve_[0] and model.loss_curve_[2] != plain.loss_curve_[2]


def test_a_hook_that_changes_what_does_not_train_is_refused():
    X, Y = _tagging()
    schedule = Cosine(30)
    given = Scheduled(rl.Adam(0.02), schedule)
    model = rl.RNN(hidden_size=4, epochs=3, learning_rate=0.02, optimizer=given, progress=False)

    def lower_the_given_optimizer(epoch, fitted):
        fitted.optimizer.learning_rate *= 0.5
    with pytest.raises(ValueError, match="after_epoch changed the hyperparameter optimizer of the RNN"):
        model.fit((X, Y), after_epoch=lower_the_given_optimizer)
    given.learning_rate = 0.02

    def change_my_schedule(epoch, fitted):  # the learner's own object: fit trains a copy of it
        schedule.floor = 0.5
    with pytest.raises(ValueError, match="change model.optimizer_ .the fresh copy"):
        model.fit((X, Y), after_epoch=change_my_schedule)
    schedule.floor = 0.0

    def replace_the_trained_one(epoch, fitted):
        fitted.optimizer_ = rl.Adam(0.001)
    with pytest.raises(ValueError, match="put another object in model.optimizer_"):
        model.fit((X, Y), after_epoch=replace_the_trained_one)

    def change_the_rate_hyperparameter(epoch, fitted):
        fitted.learning_rate = 0.01
    with pytest.raises(ValueError, match=r"hyperparameter learning_rate of the RNN \(learning_rate: 0.02 -> 0.01\)"):
        model.fit((X, Y), after_epoch=change_the_rate_hyperparameter)
