"""Count models of any order (rl.language.ngrams): by hand, against the bigram baseline, refusals in words."""
import numpy as np
import pytest

from rnn_lesson.language import baselines
from rnn_lesson.language.ngrams import Ngram, context_windows

NONE = 3  # V = 3: ids 0 ('\n'), 1, 2; NONE = V marks a missing character


def test_context_windows_by_hand_stream_and_name():
    ids = np.array([0, 1, 2, 0, 2, 1])          # "\n a b \n b a"
    stream = context_windows(ids, 3, vocab_size=3)
    np.testing.assert_array_equal(stream, [[NONE, 0], [0, 1], [1, 2], [2, 0], [0, 2]])
    name = context_windows(ids, 3, vocab_size=3, boundary=0)
    np.testing.assert_array_equal(name, [[NONE, 0], [0, 1], [1, 2], [NONE, 0], [0, 2]])
    assert context_windows(ids, 1, 3).shape == (5, 0)


def test_counts_and_add_k_by_hand():
    ids = np.array([0, 1, 1, 0, 1, 2])
    model = Ngram(2, smoothing=0.5).fit(ids, 3)
    # after 0: 1 twice (of 2); after 1: 1, 0, 2 once each (of 3)
    expected = np.log([(2 + 0.5) / (2 + 1.5), (1 + 0.5) / (3 + 1.5)])
    np.testing.assert_allclose(model.log_probabilities(np.array([0, 1, 2])), expected, rtol=1e-14)
    unseen = Ngram(3, smoothing=2.0).fit(ids, 3).log_probabilities(np.array([2, 2, 2]))
    np.testing.assert_allclose(unseen[1], np.log(1 / 3), rtol=1e-14)  # a context never seen: 1/V


def test_order_two_is_the_bigram_baseline_and_probabilities_sum_to_one():
    rng = np.random.default_rng(0)
    train, test = rng.integers(0, 6, 500), rng.integers(0, 6, 200)
    for smoothing in (1.0, 0.1):
        mine = Ngram(2, smoothing).fit(train, 6).loss(test)
        theirs = baselines.bigram_loss(baselines.bigram_probabilities(train, 6, smoothing), test)
        assert mine == pytest.approx(theirs, rel=1e-13)
    model = Ngram(4, 0.3, boundary=0).fit(train, 6)
    total = sum(np.exp(model.log_probabilities(np.array([1, 2, 3, c]))[-1]) for c in range(6))
    assert total == pytest.approx(1.0, rel=1e-13)


def test_more_context_fits_the_training_text_better():
    rng = np.random.default_rng(1)
    ids = rng.integers(0, 5, 2000)
    losses = [Ngram(n, 0.01).fit(ids, 5).loss(ids) for n in (1, 2, 3, 4)]
    assert losses == sorted(losses, reverse=True)


@pytest.mark.parametrize("call, error, words", [
    (lambda: Ngram(0), ValueError, "order must be at least 1"),
    (lambda: Ngram(11), ValueError, "order must be at most 10"),
    (lambda: Ngram(2, smoothing=0), ValueError, "smoothing must be a number from"),
    (lambda: Ngram(2).fit(np.array([0]), 3), ValueError, "at least 2 characters"),
    (lambda: Ngram(2).fit(np.array([0, 3]), 3), ValueError, "not in the vocabulary"),
    (lambda: Ngram(2).fit(np.array([0.0, 1.0]), 3), TypeError, "integer token ids"),
    (lambda: Ngram(2, boundary=5).fit(np.array([0, 1]), 3), ValueError, "boundary must be an id in"),
    (lambda: Ngram(2, boundary="\n").fit(np.array([0, 1]), 3), TypeError, "boundary must be a character id"),
    (lambda: Ngram(2).loss(np.array([0, 1])), ValueError, "call fit"),
    (lambda: Ngram(10).fit(np.array([0, 1]), 200), ValueError, "too many contexts"),
])
def test_bad_input_is_refused_in_words(call, error, words):
    with pytest.raises(error, match=words):
        call()
