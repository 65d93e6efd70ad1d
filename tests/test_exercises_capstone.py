"""The capstone checker scores a complete report and says in words what is wrong with a bad one."""
import numpy as np
import pytest

from rnn_lesson.exercises.capstone import check_capstone


def report(**change):
    rng = np.random.default_rng(0)
    targets = np.cumsum(rng.standard_normal(60))
    base = {"task": "tomorrow's value of a random walk", "kind": "regression", "targets": targets,
            "model": targets + 0.5 * rng.standard_normal(60), "baseline": np.r_[0.0, targets[:-1]],
            "baseline_name": "persistence"}
    base.update(change)
    return base


def classification(**change):
    targets = np.r_[np.ones(5), np.zeros(45)]
    scores = np.r_[0.9, 0.8, 0.3, 0.7, 0.2, np.full(45, 0.1)]
    fields = dict(kind="classification", targets=targets, model=scores, baseline=np.zeros(50),
                  baseline_name="all negative")
    fields.update(change)
    return report(**fields)


def test_a_complete_report_is_scored_whoever_wins():
    feedback = check_capstone(report())
    assert feedback.passed and "held-out RMSE" in feedback.message and "persistence" in feedback.message
    assert "held out (never used to train" in feedback.message
    losing = report(model=report()["targets"] + 5.0)
    feedback = check_capstone(losing)
    assert feedback.passed and "The baseline wins" in feedback.message


def test_a_classification_report_is_scored_with_f1():
    feedback = check_capstone(classification(threshold=0.5))
    assert feedback.passed, feedback.message
    assert "held-out F1 0.75" in feedback.message and "beats the baseline" in feedback.message


@pytest.mark.parametrize("bad, phrase", [
    (None, "not attempted yet"),
    ([1, 2], "must be a dict"),
    ({"task": "x"}, "the report is missing"),
    (report(task=""), 'report["task"] must be a non-empty string'),
    (report(kind="forecast"), '"regression" or "classification"'),
    (report(model=np.zeros(59)), "has shape (59,), the targets (60,)"),
    (report(model=np.full(60, np.nan)), "NaN or infinite"),
    (report(targets=np.arange(10.0), model=np.zeros(10), baseline=np.ones(10)), "only 10 held-out values"),
    (report(model=report()["targets"]), "that is a leak"),
    (report(model=report()["baseline"]), 'equals report["baseline"]'),
    (report(targets=np.ones(60)), "all the same number"),
    (classification(targets=np.full(50, 2.0)), "must be 0 or 1"),
    (classification(targets=np.zeros(50)), "only one class"),
    (report(model=np.array(["1"] * 60)), "strings"),
    (report(model=np.zeros(60) + 1j), "complex"),
    (classification(threshold="high"), "could not be scored"),
])
def test_bad_reports_are_refused_in_words(bad, phrase):
    feedback = check_capstone(bad)
    assert not feedback.passed
    assert phrase in feedback.message, feedback.message
