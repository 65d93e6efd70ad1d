"""The lesson-03 checker accepts a correct forward pass and names realistic mistakes."""
import numpy as np

from rnn_lesson.exercises.forward_pass import check_forward


def make_forward(activation=np.tanh, start_from_h0=True, update=True, output_from_new_h=True, keep_h0=True):
    """A forward pass with one switchable mistake at a time; the defaults are correct."""
    def rnn_forward(params, xs, h0):
        h = h0 if start_from_h0 else np.zeros_like(h0)
        hs, ys = [h0 if keep_h0 else None], []
        for x in xs:
            h_prev = h if update else h0
            h_new = activation(x @ params["W_xh"] + h_prev @ params["W_hh"] + params["b_h"])
            ys.append((h_new if output_from_new_h else h_prev) @ params["W_hy"] + params["b_y"])
            h = h_new
            hs.append(h)
        return np.array(ys), np.array(hs if keep_h0 else hs[1:])
    return rnn_forward


def test_accepts_the_correct_forward_pass():
    feedback = check_forward(make_forward())
    assert feedback.passed, feedback.message
    assert "non-zero h0" in feedback.message


def test_forgetting_h0_is_named_on_the_non_zero_case():
    feedback = check_forward(make_forward(start_from_h0=False))
    assert not feedback.passed
    assert "non-zero h0" in feedback.message and "time step 1" in feedback.message
    assert "loop itself started from zeros" in feedback.message


def test_a_wrong_activation_is_named():
    feedback = check_forward(make_forward(activation=lambda z: 1 / (1 + np.exp(-z))))
    assert "h0 = 0" in feedback.message and "time step 1" in feedback.message
    assert "sigmoid, not tanh" in feedback.message
    assert "relu, not tanh" in check_forward(make_forward(activation=lambda z: np.maximum(z, 0))).message


def test_a_state_that_is_never_updated_differs_from_time_step_2():
    feedback = check_forward(make_forward(update=False))
    assert "time step 2" in feedback.message  # step 1 really does start from h0
    assert "instead of the previous step's state" in feedback.message


def test_hidden_states_without_h0_get_a_shape_hint():
    feedback = check_forward(make_forward(keep_h0=False))
    assert "shape (6, 4), expected (7, 4)" in feedback.message
    assert "T + 1 rows" in feedback.message


def test_outputs_read_from_the_previous_state_are_located():
    feedback = check_forward(make_forward(output_from_new_h=False))
    assert "the outputs ys" in feedback.message and "row 0" in feedback.message
    assert "hidden states are right" in feedback.message


def test_wrong_return_values_are_explained():
    assert "return two things" in check_forward(lambda params, xs, h0: np.zeros((6, 4))).message
    assert "got NoneType" in check_forward(lambda params, xs, h0: None).message

    def mutates(params, xs, h0):
        params["W_hh"] *= 0
        return make_forward()(params, xs, h0)

    assert "changed the parameters in place" in check_forward(mutates).message


def test_an_unknown_error_is_located_without_a_misleading_hint():
    def drifts(params, xs, h0):
        ys, hs = make_forward()(params, xs, h0)
        hs[4, 1] += 1e-3
        return ys, hs

    feedback = check_forward(drifts)
    assert "time step 4, entry (1,)" in feedback.message and "These" not in feedback.message
