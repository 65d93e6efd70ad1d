"""rnn_lesson.depth and the xor switch of data.directions: lesson 15's studies, their tasks and baselines."""
import numpy as np
import pytest

from rnn_lesson import depth
from rnn_lesson.data.directions import switch_without_memory, xor_switch


def test_xor_switch_flips_where_the_signs_differ():
    X, Y = xor_switch(5, 7, margin=0.3, seed=4)
    assert X.shape == (5, 7, 2) and Y.shape == (5, 7, 1)
    assert np.all(np.abs(X) >= 0.3)  # pushed away from zero: every sign is clear
    differ = X[:, :, 0] * X[:, :, 1] < 0
    state = np.zeros(5, dtype=bool)
    for t in range(7):
        state ^= differ[:, t]
        np.testing.assert_array_equal(Y[:, t, 0], state.astype(float))
    np.testing.assert_array_equal(xor_switch(5, 7, seed=4)[0], X)  # same seed, same data


def test_the_best_rule_without_memory_is_right_at_step_0_and_half_the_time_after():
    X, Y = xor_switch(4000, 16, seed=0)
    assert switch_without_memory(X[:, :1], Y[:, :1]) == 1.0
    assert switch_without_memory(X, Y) == pytest.approx((1 + 15 / 2) / 16, abs=0.01)


@pytest.mark.parametrize("margin", [-0.1, 10, True, "0.3", None])
def test_xor_switch_refuses_a_bad_margin(margin):
    with pytest.raises(ValueError, match="margin"):
        xor_switch(3, 4, margin=margin)


def test_switch_without_memory_refuses_other_shapes():
    X, Y = xor_switch(3, 4)
    with pytest.raises(ValueError, match=r"\(N, T, 2\)"):
        switch_without_memory(X[..., :1], Y)


def test_the_equal_parameter_sizes_hold_what_they_say():
    # a GRU layer of H units reading H_in inputs: 3H(H_in + H + 1); the output layer O(H + 1)
    def gru_stack(inputs, hidden, layers, outputs):
        first = 3 * hidden * (inputs + hidden + 1)
        return first + (layers - 1) * 3 * hidden * (2 * hidden + 1) + outputs * (hidden + 1)
    assert [gru_stack(2, h, n, 1) for n, h in depth.SWITCH_SIZES.items()] == [401, 403, 456]
    assert [gru_stack(27, h, n, 27) for n, h in depth.NAMES_SIZES.items()] == [19419, 18987]


def test_ngram_losses_against_a_count_by_hand():
    train, validation, test = "\nab\nab\nba\n", "\nba\n", "\nab\n"
    ladder = depth.ngram_losses(train, validation, test, orders=(1, 2), smoothings=(1.0,))
    # the 9 characters predicted in train: 3 each of \n, a, b; add one: p = 4/12 each
    assert ladder[1][0] == 1.0 and ladder[1][2] == pytest.approx(np.log(3))
    # pairs in train: \n->a 2, \n->b 1; a->b 2, a->\n 1; b->\n 2, b->a 1. Test \n->a, a->b, b->\n: (2 + 1)/(3 + 3) each
    assert ladder[2][2] == pytest.approx(np.log(2))
    # validation \n->b, b->a, a->\n: (1 + 1)/(3 + 3) each
    assert ladder[2][1] == pytest.approx(np.log(3))


def test_ngram_losses_picks_the_smoothing_on_validation_and_refuses_bad_input():
    text = "\n".join(["anna", "bob", "anna", "otto", "bob"] * 5)
    ladder = depth.ngram_losses(text, "\nanna\nbob\n", "\notto\n", orders=(3,), smoothings=(0.01, 1.0))
    assert ladder[3][0] == 0.01  # names seen in training: little smoothing fits them best
    with pytest.raises(ValueError, match="order"):
        depth.ngram_losses(text, text, text, orders=(5,))
    with pytest.raises(ValueError, match="at least one"):
        depth.ngram_losses(text, text, text, smoothings=())
    with pytest.raises(ValueError, match="smoothing"):
        depth.ngram_losses(text, text, text, smoothings=(0.0,))
    with pytest.raises(ValueError, match="validation is empty"):
        depth.ngram_losses(text, "", text)


def test_the_names_texts_are_apart():
    train, validation, test = depth.names_texts()
    names = [set(text.strip("\n").split("\n")) for text in (train, validation, test)]
    assert [len(n) for n in names[:2]] == [depth.NAMES["n_train"], depth.NAMES["n_validation"]]
    assert not names[0] & names[1]  # the split of lesson 13 has no name twice; these parts do not overlap


def test_a_study_run_returns_the_metrics_compare_needs():
    scores = depth.tagging_scores("two ways", 0, learning_rate=0.01, bidirectional=True)
    assert set(scores) == {"train", "validation", "test", "parameters"} and scores["test"] > 0.95
    with pytest.raises(ValueError, match="n_layers"):
        depth.switch_scores("x", 0, n_layers=0, hidden_size=4, learning_rate=0.01)
