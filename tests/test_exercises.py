"""The shared building blocks of the exercise checkers."""
import numpy as np

from rnn_lesson.exercises import Feedback, call_safely, compare, verdict

EXPECTED = np.arange(12.0).reshape(4, 3)


def test_compare_agrees_and_locates_the_first_difference():
    assert compare(EXPECTED.copy(), EXPECTED, "hs") is None
    wrong = EXPECTED.copy()
    wrong[2, 1] += 0.5
    message = compare(wrong, EXPECTED, "the hidden states", axis_names=("time step",))
    assert "time step 2, entry (1,)" in message and "7.5" in message and "expected 7" in message


def test_compare_explains_shapes_and_none():
    assert "transposed" in compare(EXPECTED.T, EXPECTED, "W")
    assert "shape (12,)" in compare(EXPECTED.ravel(), EXPECTED, "W")
    assert "return" in compare(None, EXPECTED, "W")
    assert "non-finite" in compare(np.full((4, 3), np.nan), EXPECTED, "W")
    assert "array of numbers" in compare("abc", EXPECTED, "W")


def test_call_safely_reports_exceptions_and_mutation():
    def boom(a):
        raise KeyError("W_xh")

    def mutates(a):
        a += 1
        return a

    assert "raised KeyError" in call_safely(boom, [EXPECTED], "case 1")[1]
    original = EXPECTED.copy()
    result, problem = call_safely(mutates, [original], "case 1")
    assert result is None and "in place" in problem
    assert np.array_equal(original, EXPECTED)  # the learner only ever saw a copy


def test_verdict_and_feedback():
    good = verdict([None, None], "all cases agree")
    assert good and str(good) == "Correct: all cases agree"
    bad = verdict([None, "case 2: shape (3,)"], "unused")
    assert not bad and "case 2" in str(bad) and bad._repr_markdown_().startswith("❌")
    assert isinstance(bad, Feedback)


def test_compare_scalars_reads_naturally():
    assert compare(0.5, 0.5, "precision") is None
    assert compare(0.25, 0.5, "precision") == "precision: you returned 0.25, expected 0.5."
    assert compare(float("nan"), 0.0, "recall") == "recall: you returned nan, expected 0."
