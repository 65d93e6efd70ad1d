"""The lesson-01 checker accepts a correct step and names realistic mistakes."""
import numpy as np

from rnn_lesson.exercises import known_mistake, with_hint
from rnn_lesson.exercises.matrix_ops import check_rnn_step


def correct(x, h_prev, W_xh, W_hh, b_h):
    return np.tanh(x @ W_xh + h_prev @ W_hh + b_h)


def test_accepts_the_correct_step():
    feedback = check_rnn_step(correct)
    assert feedback.passed, feedback.message
    assert "batch of 5 rows" in feedback.message


def test_accepts_an_equivalent_formulation():
    def with_dot_and_out(x, h_prev, W_xh, W_hh, b_h):
        z = np.dot(x, W_xh)
        z += np.dot(h_prev, W_hh)
        z += b_h
        return np.tanh(z, out=z)

    assert check_rnn_step(with_dot_and_out).passed


def test_names_a_forgotten_bias():
    feedback = check_rnn_step(lambda x, h, W_xh, W_hh, b: np.tanh(x @ W_xh + h @ W_hh))
    assert not feedback.passed
    assert "one step" in feedback.message and "forget `+ b_h`" in feedback.message


def test_names_the_column_bias_broadcasting_bug():
    feedback = check_rnn_step(lambda x, h, W_xh, W_hh, b: np.tanh(x @ W_xh + h @ W_hh + b.reshape(-1, 1)))
    assert not feedback.passed
    assert "shape (4, 4), expected (4,)" in feedback.message
    assert "(H, 1) column broadcasts" in feedback.message


def test_column_convention_fails_on_the_batch_with_a_hint():
    feedback = check_rnn_step(lambda x, h, W_xh, W_hh, b: np.tanh(W_xh.T @ x + W_hh.T @ h + b))
    assert not feedback.passed
    assert "batch of 5 rows" in feedback.message and "raised ValueError" in feedback.message
    assert "row-vector convention" in feedback.message


def test_names_transposed_recurrent_weights_missing_tanh_and_missing_recurrence():
    transposed = check_rnn_step(lambda x, h, W_xh, W_hh, b: np.tanh(x @ W_xh + W_hh @ h + b))
    assert "W_hh transposed" in transposed.message
    linear = check_rnn_step(lambda x, h, W_xh, W_hh, b: x @ W_xh + h @ W_hh + b)
    assert "without tanh" in linear.message
    no_memory = check_rnn_step(lambda x, h, W_xh, W_hh, b: np.tanh(x @ W_xh + b))
    assert "recurrent term" in no_memory.message


def test_locates_the_row_of_a_batch_that_differs():
    def wrong_last_row(x, h_prev, W_xh, W_hh, b_h):
        h = correct(x, h_prev, W_xh, W_hh, b_h)
        if h.ndim == 2:
            h[-1, 2] += 0.25
        return h

    feedback = check_rnn_step(wrong_last_row)
    assert not feedback.passed and "row 4, entry (2,)" in feedback.message
    assert "It matches" not in feedback.message  # an unknown mistake is located, not misnamed


def test_reports_none_and_in_place_changes():
    assert "forget a `return`" in check_rnn_step(lambda *args: None).message

    def mutates(x, h_prev, W_xh, W_hh, b_h):
        h_prev += x @ W_xh
        return np.tanh(h_prev @ W_hh + b_h)

    assert "in place" in check_rnn_step(mutates).message


def test_known_mistake_needs_shape_and_values_to_match():
    value = np.array([1.0, 2.0])
    assert known_mistake(value, [("wrong shape", value[:1]), ("skipped", None), ("same", value.copy())]) == "same"
    assert known_mistake(value, [("other", value + 1e-3)]) is None
    assert known_mistake("text", [("numbers", value)]) is None
    assert known_mistake([[1.0], [2.0, 3.0]], [("ragged", value)]) is None
    assert known_mistake(value + 1e-8, [("close", value)], rtol=1e-7) == "close"
    assert with_hint("Wrong.", "Hint: x.") == "Wrong. Hint: x." and with_hint("Wrong.", None) == "Wrong."
