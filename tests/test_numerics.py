"""rnn_lesson.numerics: finite results, an overflow named with its cause, means that survive float64's edge."""
import warnings

import numpy as np
import pytest

from rnn_lesson.numerics import NumericOverflow, cause, check_finite, check_real, finite_mean, named_overflow


def test_a_finite_array_comes_back_as_it_is():
    array = np.array([1.0, -2.0, 1e308])
    assert check_finite(array, "ys") is array


def test_a_non_finite_entry_is_named_with_its_index_and_the_non_finite_weight_that_caused_it():
    with pytest.raises(NumericOverflow, match=r"ys went non-finite \(inf at index \(1, 0\)\): "
                                              r"params\['W'\] holds nan at index \(0,\)") as caught:
        check_finite(np.array([[0.0], [np.inf]]), "ys", {"W": np.array([np.nan, 1.0])})
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, FloatingPointError)


def test_without_a_bad_weight_the_cause_is_an_overflow_and_the_largest_weight_is_named():
    words = cause({"W_xh": np.array([1.0, -3e200]), "b": np.array([2.0])})
    assert "overflowed float64's range" in words and "|params['W_xh']| = 3e+200" in words
    assert cause(None, {"xs": np.array([1.0, -np.inf])}) == "xs holds -inf at index (1,)"


@pytest.mark.parametrize("value, words", [(np.array(["a"]), "strings"), (np.array([True]), "booleans"),
                                          (np.array([1j]), "complex numbers"), (np.array([None]), "Python objects")])
def test_check_real_refuses_what_is_not_a_real_number(value, words):
    with pytest.raises(TypeError, match=words):
        check_real(value, "grads")
    assert check_real(np.arange(3), "grads") is not None


def test_finite_mean_is_np_mean_where_that_works_and_survives_a_sum_beyond_the_range():
    values = np.random.default_rng(0).standard_normal(100)
    assert finite_mean(values, "loss") == float(np.mean(values))
    assert finite_mean([1e308, 1e308], "loss") == 1e308  # np.mean gives inf
    with pytest.raises(NumericOverflow, match="loss overflowed float64's range .*: an entry is nan"):
        finite_mean([1.0, np.nan], "loss")


def test_named_overflow_silences_numpys_own_warning_for_a_function_that_names_the_overflow():
    @named_overflow
    def square(x):
        return check_finite(x * x, "the square")

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(NumericOverflow, match="the square went non-finite"):
            square(np.array([1e200]))
