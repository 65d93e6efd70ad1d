"""The lesson 16 checkers accept right answers and locate and name wrong ones, without crashing."""
import numpy as np
import pytest

from rnn_lesson.exercises import seq2seq_attention as checker
from rnn_lesson.exercises.seq2seq_attention import MISTAKES, check_attention_backward, check_attention_weights


def learner_weights(query, keys, stable=True):
    scores = keys @ query / np.sqrt(len(query))
    exps = np.exp(scores - scores.max()) if stable else np.exp(scores)
    return exps / exps.sum()


def learner_backward(dcontext, query, keys):
    weights = learner_weights(query, keys)
    dweights = keys @ dcontext
    dscores = weights * (dweights - weights @ dweights)
    scale = 1 / np.sqrt(len(query))
    return dscores @ keys * scale, np.outer(weights, dcontext) + np.outer(dscores, query) * scale


def test_right_answers_pass():
    assert check_attention_weights(learner_weights).passed
    assert check_attention_backward(learner_backward).passed
    assert check_attention_backward(lambda *a: list(learner_backward(*a))).passed  # a list is fine


def test_the_mistakes_reference_is_the_package_when_there_is_no_mistake():
    for _, query, keys, dcontext in checker._cases():
        dq, dk = checker.mistaken_backward(dcontext, query, keys, None)
        want_dq, want_dk = checker.reference(query, keys, dcontext)
        np.testing.assert_allclose(dq, want_dq, rtol=1e-12)
        np.testing.assert_allclose(dk, want_dk, rtol=1e-12)


def test_stubs_are_not_attempted_yet_and_do_not_raise():
    for feedback in (check_attention_weights(lambda q, k: None), check_attention_backward(lambda *a: (None, None)),
                     check_attention_backward(lambda *a: None)):
        assert not feedback.passed and "not attempted yet" in feedback.message


@pytest.mark.parametrize("mistake", ["no_scale", "scale_h", "no_softmax"])
def test_forward_mistakes_are_named(mistake):
    feedback = check_attention_weights(lambda q, k: checker.mistaken_weights(q, k, mistake))
    assert not feedback.passed
    assert "case 1 (T=5, H=4), the weights" in feedback.message and MISTAKES[mistake] in feedback.message


def test_an_overflowing_softmax_is_caught_in_the_large_case():
    with np.errstate(all="ignore"):
        feedback = check_attention_weights(lambda q, k: learner_weights(q, k, stable=False))
    assert not feedback.passed
    assert "case 3" in feedback.message and "large scores" in feedback.message
    assert MISTAKES["overflow"] in feedback.message


@pytest.mark.parametrize("mistake, piece", [("no_centring", "dquery"), ("values_only", "dkeys"),
                                            ("keys_only", "dkeys"), ("no_scale_backward", "dquery")])
def test_backward_mistakes_are_located_and_named(mistake, piece):
    feedback = check_attention_backward(lambda dc, q, k: checker.mistaken_backward(dc, q, k, mistake))
    assert not feedback.passed
    assert f"case 1 (T=5, H=4), {piece}" in feedback.message and MISTAKES[mistake] in feedback.message


@pytest.mark.parametrize("answer, phrase", [
    (lambda q, k: learner_weights(q, k)[:-1], "shape"),
    (lambda q, k: learner_weights(q, k).astype(np.float32).astype(str), "strings"),
    (lambda q, k: learner_weights(q, k) + 0j, "complex"),
    (lambda q, k: {"weights": 1}, "dict"),
    (lambda q, k: 1 / 0, "ZeroDivisionError"),
])
def test_malformed_weights_are_explained(answer, phrase):
    feedback = check_attention_weights(answer)
    assert not feedback.passed and phrase in feedback.message


def test_an_in_place_change_of_the_inputs_is_refused():
    def sneaky(query, keys):
        keys *= 2
        return learner_weights(query, keys / 2)
    feedback = check_attention_weights(sneaky)
    assert not feedback.passed and "in place" in feedback.message


@pytest.mark.parametrize("answer, phrase", [
    (lambda *a: (1, 2, 3), "return two things"),
    (lambda *a: learner_backward(*a)[0], "return two things"),
    (lambda *a: (learner_backward(*a)[0], learner_backward(*a)[1].T), "transposed"),
    (lambda *a: (learner_backward(*a)[0].astype(np.float32), learner_backward(*a)[1]), "dquery"),
])
def test_malformed_backward_answers_are_explained(answer, phrase):
    feedback = check_attention_backward(answer)
    assert not feedback.passed and phrase in feedback.message
