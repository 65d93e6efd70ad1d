"""The memory tasks: their rule, their layout, their seeds and their errors."""
from pathlib import Path

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.data.memory import NO_TARGET, recall_task, running_total_task


def test_running_total_follows_the_rule_of_sample_csv():
    X, Y = running_total_task(5, 7, seed=3)
    assert X.shape == (5, 7, 2) and Y.shape == (5, 7, 1)
    np.testing.assert_allclose(Y[:, 3, 0], X[:, :4, 0].sum(axis=1), rtol=1e-15)
    for seq in rl.Dataset.from_csv(Path(__file__).parents[1] / "data" / "sample.csv"):
        np.testing.assert_allclose(seq.labels[:, 0], np.cumsum(seq.features[:, 0]))


@pytest.mark.parametrize("lag", [1, 2, 9])
def test_recall_task_layout(lag):
    X, Y = recall_task(60, lag, n_symbols=3, seed=1)
    assert X.shape == (60, lag + 1, 3 + 2) and Y.shape == (60, lag + 1, 1)
    symbols = X[:, :-1, :3]
    assert np.all(symbols.sum(axis=2) == 1)  # one symbol at every step but the query
    assert np.all(X[:, 0, 3] == 1) and np.all(X[:, 1:, 3] == 0)  # the marker, at step 0 only
    assert np.all(X[:, -1] == [0, 0, 0, 0, 1])  # the query step: the flag and nothing else
    np.testing.assert_array_equal(Y[:, -1, 0], symbols[:, 0].argmax(axis=1))
    assert np.all(Y[:, :-1] == NO_TARGET)
    assert set(np.unique(Y[:, -1, 0])) == {0, 1, 2}
    if lag > 2:  # the distractors use the same symbols as the answer
        assert set(np.unique(symbols[:, 1:].argmax(axis=2))) == {0, 1, 2}


def test_recall_task_is_seeded():
    a, b = recall_task(20, 6, seed=4), recall_task(20, 6, seed=4)
    assert all(x.tobytes() == y.tobytes() for x, y in zip(a, b))
    assert not np.array_equal(a[0], recall_task(20, 6, seed=5)[0])


@pytest.mark.parametrize("call, error, message", [
    (lambda: recall_task(10, 0), ValueError, "lag must be at least 1"),
    (lambda: recall_task(10, 3, n_symbols=1), ValueError, "n_symbols must be at least 2"),
    (lambda: recall_task(10, 2.5), TypeError, "lag must be an integer"),
    (lambda: running_total_task(0, 3), ValueError, "n_sequences must be at least 1"),
    (lambda: recall_task(10, 3, seed=-1), ValueError, "seed must be >= 0"),
])
def test_bad_arguments_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
