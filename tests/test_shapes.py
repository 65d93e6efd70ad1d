import numpy as np
import pytest

from rnn_lesson.shapes import (as_float_array, check_binary_labels, check_positive_float, check_positive_int,
                               check_shape)


def test_check_shape_accepts_wildcards():
    a = np.zeros((7, 3))
    assert check_shape(a, (None, 3), "xs") is a


def test_check_shape_names_expected_and_actual():
    with pytest.raises(ValueError, match=r"xs must have shape \(any, 3\), got \(7, 4\)"):
        check_shape(np.zeros((7, 4)), (None, 3), "xs")
    with pytest.raises(ValueError, match=r"b must have shape \(5,\), got \(5, 1\)"):
        check_shape(np.zeros((5, 1)), (5,), "b")


def test_as_float_array_rejects_bad_input():
    with pytest.raises(TypeError, match="string"):
        as_float_array("1,2,3", "xs")
    with pytest.raises(TypeError, match="dtype"):
        as_float_array(np.array(["a", "b"]), "xs")
    with pytest.raises(TypeError, match="dtype bool"):
        as_float_array(np.array([True, False]), "xs")
    with pytest.raises(ValueError, match="ragged"):
        as_float_array([[1, 2], [3]], "xs")
    with pytest.raises(ValueError, match=r"non-finite value \(nan\) at index \(1, 0\)"):
        as_float_array([[1.0, 2.0], [np.nan, 0.0]], "xs")
    with pytest.raises(ValueError, match="2 dimension"):
        as_float_array([1.0, 2.0], "xs", ndim=2)


def test_as_float_array_converts_ints_to_float64():
    out = as_float_array([[1, 2]], "xs", ndim=2)
    assert out.dtype == np.float64 and out.tolist() == [[1.0, 2.0]]


@pytest.mark.parametrize("bad, err", [(0, ValueError), (-3, ValueError), (2.5, TypeError), (True, TypeError), ("3", TypeError)])
def test_check_positive_int(bad, err):
    with pytest.raises(err, match="hidden_size"):
        check_positive_int(bad, "hidden_size")
    assert check_positive_int(np.int64(4), "hidden_size") == 4


@pytest.mark.parametrize("bad, err", [(0.0, ValueError), (-1e-3, ValueError), (float("nan"), ValueError), (float("inf"), ValueError), ("0.1", TypeError), (None, TypeError)])
def test_check_positive_float(bad, err):
    with pytest.raises(err, match="learning_rate"):
        check_positive_float(bad, "learning_rate")


def test_check_fraction_and_check_seed():
    from rnn_lesson.shapes import check_fraction, check_seed
    assert check_fraction(0.25, "train_ratio") == 0.25 and check_seed(np.int64(3)) == 3
    for bad, err in ((0.0, ValueError), (1.0, ValueError), ("0.5", TypeError), (True, TypeError)):
        with pytest.raises(err, match="train_ratio"):
            check_fraction(bad, "train_ratio")
    for bad, err in ((None, TypeError), (1.5, TypeError), (-1, ValueError), (False, TypeError)):
        with pytest.raises(err, match="seed"):
            check_seed(bad)


def test_check_binary_labels_names_the_first_value_that_is_not_a_class():
    labels = np.array([[0.0], [1.0], [1.0]])
    assert check_binary_labels(labels, "labels") is labels
    with pytest.raises(ValueError, match=r"sequence 's' labels must be 0 or 1, found 0.5 \(they are class labels\)"):
        check_binary_labels(np.array([0.0, 0.5, 2.0]), "sequence 's' labels")
    with pytest.raises(ValueError, match="found -1"):
        check_binary_labels([1, -1], "y")


def test_as_float_array_can_leave_the_finiteness_check_to_the_caller():
    array = as_float_array([1.0, np.nan], "x", finite=False)
    assert np.isnan(array[1])
    with pytest.raises(ValueError, match="non-finite"):
        as_float_array([1.0, np.nan], "x")
