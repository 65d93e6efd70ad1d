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
    X, Y = recall_task(50, lag, n_symbols=3, n_distractors=5, seed=1)
    assert X.shape == (50, lag + 1, 3 + 5 + 1) and Y.shape == (50, lag + 1, 1)
    assert np.all(X.sum(axis=2) == 1)  # exactly one channel on at every step
    symbols = X[:, 0, :3].argmax(axis=1)
    assert np.all(X[:, 0, :3].sum(axis=1) == 1) and np.all(X[:, -1, -1] == 1)
    assert np.all(X[:, 1:-1, 3:8].sum(axis=2) == 1)  # distractors on their own channels
    np.testing.assert_array_equal(Y[:, -1, 0], symbols)
    assert np.all(Y[:, :-1] == NO_TARGET)
    assert set(np.unique(symbols)) == {0, 1, 2}


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
