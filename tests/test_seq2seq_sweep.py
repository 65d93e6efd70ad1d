"""Seq2Seq.fit(after_step=...) and rl.seq2seq.sweep: a budget read from a longer run is the short run, bit for bit."""
import numpy as np
import pytest

from rnn_lesson.seq2seq import Seq2Seq, make_split, sweep

TRAIN = make_split(120, 5, 5, 2, 5, seed=3)[0]
SMALL = {"hidden_size": 8, "batch_size": 16, "seed": 2}


def test_the_model_after_step_k_of_a_long_run_is_the_model_of_k_steps():
    seen = {}

    def keep(step, model):
        seen.setdefault("steps", []).append(step)
        if step == 6:
            seen["params"] = {key: value.copy() for key, value in model.params_.items()}
            seen["curve"] = model.loss_curve_.copy()
            seen["prediction"] = model.predict(["1234"])

    long = Seq2Seq(steps=11, **SMALL).fit(TRAIN, after_step=keep)   # 11: more than one pass over 120 pairs
    short = Seq2Seq(steps=6, **SMALL).fit(TRAIN)
    assert seen["steps"] == list(range(1, 12)) and len(long.loss_curve_) == 11
    for key, value in short.params_.items():
        np.testing.assert_array_equal(seen["params"][key], value)
    np.testing.assert_array_equal(seen["curve"], short.loss_curve_)
    assert seen["prediction"] == short.predict(["1234"])
    no_hook = Seq2Seq(steps=11, **SMALL).fit(TRAIN)
    for key, value in no_hook.params_.items():  # a hook that only reads changes nothing
        np.testing.assert_array_equal(long.params_[key], value)


def test_after_step_can_stop_training_and_is_checked():
    model = Seq2Seq(steps=20, **SMALL).fit(TRAIN, after_step=lambda step, model: step == 4)
    assert len(model.loss_curve_) == 4
    with pytest.raises(TypeError, match="after_step must be a function"):
        Seq2Seq(steps=2, **SMALL).fit(TRAIN, after_step="stop")
    with pytest.raises(TypeError, match="after_step must return None, False or True"):
        Seq2Seq(steps=2, **SMALL).fit(TRAIN, after_step=lambda step, model: "yes")


def test_sweep_rows_are_what_budget_scores_returns():
    study = sweep.budget_sweep({"plain": [0.02], "attention": [0.02]}, budgets=(6, 3), seeds=(0,))
    table = study.table
    assert list(table["method"]) == ["plain", "plain", "attention", "attention"]
    assert list(table["setting"]) == ["steps=3", "steps=6"] * 2
    expected = sweep.budget_scores("attention", 0, 3, 0.02)
    assert set(expected) == {"validation", "test", "test 3-5", "test 6-7", "test 8-10"}
    row = table.iloc[2]
    for metric, value in expected.items():
        assert row[metric] == value
    study.rerun(sweep.budget_scores, "plain", setting="steps=6")
    assert study.best(within="steps")["steps"].tolist() == [3, 6, 3, 6]


def test_sweep_refuses_bad_input_in_words():
    with pytest.raises(ValueError, match="method must be one of"):
        sweep.budget_sweep({"bahdanau": [0.01]}, budgets=(3,))
    with pytest.raises(ValueError, match="method must be one of"):
        sweep.budget_scores("lstm", 0, 3, 0.01)
    with pytest.raises(ValueError, match="budgets must be"):
        sweep.budget_sweep({"plain": [0.01]}, budgets=(3, 0))
    with pytest.raises(ValueError, match="budgets must be"):
        sweep.budget_sweep({"plain": [0.01]}, budgets=())
    with pytest.raises(TypeError, match="rates must be a dict"):
        sweep.budget_sweep([0.01], budgets=(3,))
