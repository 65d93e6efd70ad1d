import inspect

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.models.hyperparameters import CHECKS, ENGINES, check_all


def test_the_table_has_one_row_per_argument_of_init_in_its_order():
    assert list(CHECKS) == list(inspect.signature(rl.RNN.__init__).parameters)[1:]
    assert list(rl.RNN().get_params()) == list(CHECKS)


def test_the_defaults_pass_every_check():
    check_all(rl.RNN().get_params())


@pytest.mark.parametrize("name, value, message", [
    ("progress", 1, "progress must be 'auto', True or False, got 1"),
    ("progress", "Auto", "progress must be 'auto', True or False, got 'Auto'"),
    ("engine", "numba", "engine must be 'reference' or 'fast', got 'numba'"),
])
def test_choices_are_exact(name, value, message):
    with pytest.raises(ValueError, match=message):
        check_all(dict(rl.RNN().get_params(), **{name: value}))


@pytest.mark.parametrize("name, value, error", [
    ("clip_norm", None, None), ("clip_norm", np.float32(0.5), None), ("truncate", 3, None),
    ("truncate", 2.0, TypeError), ("shuffle", 1, TypeError), ("evaluator", rl.RegressionEvaluator(0.1), None),
    ("seed", np.int64(4), None), ("engine", np.str_("fast"), None),
])
def test_optional_and_numpy_values(name, value, error):
    hyper = dict(rl.RNN().get_params(), **{name: value})
    if error is None:
        check_all(hyper)
    else:
        with pytest.raises(error, match=name):
            check_all(hyper)


def test_every_engine_restriction_is_checked_and_named():
    assert set(ENGINES) == {"reference", "fast"}
    for name, allowed in ENGINES["fast"].items():
        assert name in CHECKS
        other = {"loss": "bce", "truncate": 2}[name]
        assert other not in allowed
        with pytest.raises(ValueError, match=rf"engine='fast' supports loss='mse' without "
                                             rf"truncate; got {name}={other!r}\. Use engine='reference'"):
            check_all(dict(rl.RNN(engine="fast").get_params(), **{name: other}))
        check_all(dict(rl.RNN(engine="reference").get_params(), **{name: other}))


@pytest.mark.parametrize("changes, message", [
    ({"cell": "lstm", "activation": "relu"}, "cell='lstm' supports activation='tanh' without truncate; got "
                                             "activation='relu'"),
    ({"cell": "gru", "truncate": 3}, "cell='gru' supports activation='tanh' without truncate; got truncate=3"),
    ({"batch_size": 4, "truncate": 3}, "truncate=3 cuts BPTT sequence by sequence; it does not combine with batch_size"),
    ({"cell": "transformer"}, "unknown cell 'transformer'; choose one of: gru, lstm, rnn"),
    ({"recurrent_init": "eye"}, "recurrent_init must be 'normal', 'orthogonal' or 'identity', got 'eye'"),
    ({"batch_size": 0}, "batch_size must be at least 1"),
])
def test_the_cells_and_batches_limits_are_named(changes, message):
    with pytest.raises(ValueError, match=message):
        check_all(dict(rl.RNN().get_params(), **changes))


def test_forget_bias_is_none_a_finite_number_or_chrono():
    for good in (None, 2, -1.5, np.float64(3.0), "chrono"):
        check_all(dict(rl.RNN().get_params(), forget_bias=good))
    for bad in ("1", "Chrono", float("nan"), True):
        with pytest.raises(TypeError, match="forget_bias must be None, a finite number or 'chrono'"):
            check_all(dict(rl.RNN().get_params(), forget_bias=bad))
