"""The lesson 07 checker accepts an in-place step and explains what is wrong with realistic mistakes."""
import numpy as np

from rnn_lesson.exercises.performance_story import check_step_in_place


def correct(params, x, h_prev, out, scratch):
    np.matmul(x, params["W_xh"], out=out)
    np.matmul(h_prev, params["W_hh"], out=scratch)
    out += scratch
    out += params["b_h"]
    np.tanh(out, out=out)


def test_the_in_place_step_passes():
    feedback = check_step_in_place(correct)
    assert feedback.passed, feedback.message
    assert "matches rl.step_forward on all 3 cases" in feedback.message


def test_returning_a_new_array_is_not_writing_into_out():
    def new_array(params, x, h_prev, out, scratch):
        return np.tanh(x @ params["W_xh"] + h_prev @ params["W_hh"] + params["b_h"])

    feedback = check_step_in_place(new_array)
    assert not feedback.passed
    assert "nothing was written into `out`" in feedback.message and "returned a new array" in feedback.message


def test_right_numbers_through_temporaries_are_caught_allocating():
    def temporaries(params, x, h_prev, out, scratch):
        out[:] = np.tanh(x @ params["W_xh"] + h_prev @ params["W_hh"] + params["b_h"])

    feedback = check_step_in_place(temporaries)
    assert not feedback.passed
    assert "the numbers are right" in feedback.message and "bytes of temporaries for H=256" in feedback.message


def test_a_forgotten_bias_is_located():
    def no_bias(params, x, h_prev, out, scratch):
        np.matmul(x, params["W_xh"], out=out)
        np.matmul(h_prev, params["W_hh"], out=scratch)
        out += scratch
        np.tanh(out, out=out)

    feedback = check_step_in_place(no_bias)
    assert not feedback.passed
    assert "case 1 (I=3, H=4)" in feedback.message and "first difference at hidden unit" in feedback.message


def test_using_h_prev_as_scratch_space_is_refused():
    def clobbers(params, x, h_prev, out, scratch):
        np.matmul(h_prev, params["W_hh"], out=scratch)
        h_prev += params["b_h"]  # reuses an input as a buffer
        np.matmul(x, params["W_xh"], out=out)
        out += scratch
        np.tanh(out, out=out)

    feedback = check_step_in_place(clobbers)
    assert not feedback.passed and "changed params, x or h_prev" in feedback.message


def test_an_exception_is_reported():
    def shape_error(params, x, h_prev, out, scratch):
        np.matmul(params["W_xh"], x, out=out)  # the product in the wrong order

    feedback = check_step_in_place(shape_error)
    assert not feedback.passed and "raised ValueError" in feedback.message
