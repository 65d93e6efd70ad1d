"""Vocabulary, batching for stateful truncated BPTT, baselines, sampling and the names split."""
import numpy as np
import pytest

from rnn_lesson.language import Vocabulary, baselines, batching, sampling, split_lines


def test_vocabulary_round_trip_and_sorted_ids():
    vocab = Vocabulary.from_text("hello world\n")
    assert vocab.chars == "\n dehlorw" and len(vocab) == 9
    ids = vocab.encode("hello")
    assert ids.dtype == np.int64 and vocab.decode(ids) == "hello"


@pytest.mark.parametrize("text, words", [
    ("held", "'h' at position 0 (line 1)"),
    ("ab\nbaz", "'z' at position 5 (line 2)"),
    ("a b", "' ' (space) at position 1"),
    ("caf\u00e9", "U+00E9"),
])
def test_a_character_outside_the_vocabulary_is_named_with_its_position(text, words):
    vocab = Vocabulary.from_text("abc\nf")
    with pytest.raises(ValueError) as caught:
        vocab.encode(text, "prompt")
    assert words in str(caught.value) and str(caught.value).startswith("prompt has the character")


@pytest.mark.parametrize("text, error", [("", ValueError), (b"abc", TypeError), (None, TypeError)])
def test_no_vocabulary_from_nothing(text, error):
    with pytest.raises(error):
        Vocabulary.from_text(text)


def test_chunks_are_contiguous_streams_whose_targets_are_the_next_characters():
    ids = np.arange(23)
    pieces = list(batching.chunks(ids, batch_size=2, seq_len=4))
    assert [p[0].shape for p in pieces] == [(4, 2), (4, 2), (3, 2)]  # n = 22 // 2 = 11 per stream
    inputs = np.concatenate([p[0] for p in pieces])
    targets = np.concatenate([p[1] for p in pieces])
    np.testing.assert_array_equal(inputs[:, 0], np.arange(11))
    np.testing.assert_array_equal(inputs[:, 1], np.arange(11, 22))
    np.testing.assert_array_equal(targets, inputs + 1)
    assert batching.n_chunks(23, 2, 4) == 3


def test_a_text_too_short_for_its_streams_is_refused_in_words():
    with pytest.raises(ValueError, match="too short for batch_size=8"):
        list(batching.chunks(np.arange(5), 8, 4))


def test_baselines_by_hand():
    ids = np.array([0, 1, 0, 1, 1])  # pairs 01 10 01 11
    uni = baselines.unigram_probabilities(ids, 2, smoothing=1.0)
    np.testing.assert_allclose(uni, [3 / 7, 4 / 7])
    bi = baselines.bigram_probabilities(ids, 2, smoothing=1.0)
    np.testing.assert_allclose(bi, [[1 / 4, 3 / 4], [2 / 4, 2 / 4]])
    losses = baselines.baseline_losses(ids, np.array([0, 1, 1]), 2)
    assert losses["uniform"] == pytest.approx(np.log(2))
    assert losses["unigram"] == pytest.approx(-np.log(4 / 7))
    assert losses["bigram"] == pytest.approx(-(np.log(3 / 4) + np.log(2 / 4)) / 2)


def test_the_baseline_ladder_on_held_out_names():
    train, heldout = split_lines(rl_data("names.txt"), 0.1, seed=0)
    vocab = Vocabulary.from_text(train)
    losses = baselines.baseline_losses(vocab.encode(train), vocab.encode(heldout), len(vocab))
    # nn-zero-to-hero's add-one bigram: 2.476 on its own training names (makemore's list of 2018)
    assert losses["uniform"] > losses["unigram"] > losses["bigram"] > 2.4


def rl_data(name):
    from pathlib import Path
    return (Path(__file__).resolve().parents[1] / "data" / name).read_text()


def test_split_lines_keeps_every_line_once():
    text = "".join(f"n{i}\n" for i in range(50))
    train, heldout = split_lines(text, 0.2, seed=3)
    assert train.startswith("\n") and heldout.startswith("\n")
    assert sorted(train.split() + heldout.split()) == sorted(text.split()) and len(heldout.split()) == 10
    assert split_lines(text, 0.2, seed=3) == (train, heldout) != split_lines(text, 0.2, seed=4)


def test_temperature_sharpens_and_flattens():
    logits = np.array([2.0, 1.0, 0.0])
    cold, warm, hot = (sampling.probabilities(logits, t) for t in (0.25, 1.0, 10.0))
    np.testing.assert_allclose(warm, np.exp(logits) / np.exp(logits).sum())
    assert cold[0] > warm[0] > hot[0] > 1 / 3
    assert np.ptp(hot) < 0.1


def test_top_k_keeps_the_k_largest_only():
    p = sampling.probabilities(np.array([0.5, 3.0, 1.0, 3.0]), top_k=2)
    np.testing.assert_allclose(p, [0, 0.5, 0, 0.5])
    assert sampling.probabilities(np.array([1.0, 2.0]), top_k=1).tolist() == [0.0, 1.0]


def test_draw_is_the_inverse_cdf():
    p = np.array([0.2, 0.5, 0.3])
    assert [sampling.draw(p, u) for u in (0.0, 0.19, 0.2, 0.69, 0.7, 0.999)] == [0, 0, 1, 1, 2, 2]
    counts = np.bincount([sampling.sample_next(np.log(p), np.random.default_rng(s)) for s in range(3000)])
    np.testing.assert_allclose(counts / 3000, p, atol=0.03)


@pytest.mark.parametrize("kwargs, error", [
    ({"temperature": 0.0}, ValueError), ({"temperature": -1.0}, ValueError), ({"temperature": "hot"}, TypeError),
    ({"temperature": 1e9}, ValueError), ({"top_k": 0}, ValueError), ({"top_k": 4}, ValueError),
    ({"top_k": 1.5}, TypeError), ({"top_k": True}, TypeError),
])
def test_bad_sampling_settings(kwargs, error):
    with pytest.raises(error):
        sampling.probabilities(np.zeros(3), **kwargs)
