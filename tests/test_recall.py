"""The recall experiment runner shared by lessons 10 to 12 (small budgets here: the lessons run the real ones)."""
import numpy as np
import pytest

from rnn_lesson.recall import LEARNING_RATES, SETTINGS, SOLVED, chance, train_on_recall, validation_set

SMALL = {"n_train": 96, "n_validation": 64, "epochs": 3, "hidden_size": 6}


def test_a_run_records_its_settings_accuracy_per_epoch_and_time():
    run = train_on_recall("gru", lag=2, seed=1, **SMALL)
    assert (run.cell, run.lag, run.seed) == ("gru", 2, 1)
    assert len(run.accuracy) == 3 and all(0 <= a <= 1 for a in run.accuracy)
    assert run.final_accuracy == run.accuracy[-1] and run.seconds > 0
    assert run.model.learning_rate == LEARNING_RATES["gru"] and run.model.epochs == 3
    assert run.model.batch_size == SETTINGS["batch_size"] and run.model.loss == "cross_entropy"
    assert run.solved == (run.final_accuracy >= SOLVED)


def test_same_seed_same_run_and_overrides_reach_the_model_and_the_task():
    a = train_on_recall("lstm", lag=3, seed=0, forget_bias="chrono", n_symbols=3, **SMALL)
    b = train_on_recall("lstm", lag=3, seed=0, forget_bias="chrono", n_symbols=3, **SMALL)
    assert a.accuracy == b.accuracy
    assert all(a.model.params_[k].tobytes() == b.model.params_[k].tobytes() for k in a.model.params_)
    assert a.model.forget_bias == "chrono" and a.model.n_outputs_ == 3


def test_epochs_to_solve():
    run = train_on_recall("rnn", lag=1, seed=0, **SMALL)
    run.accuracy = [0.3, 0.96, 1.0]
    assert run.epochs_to_solve() == 2
    run.accuracy = [0.3, 0.5, 0.94]
    assert run.epochs_to_solve() is None and not run.solved


def test_chance_is_the_most_frequent_symbol_of_that_lags_validation_set():
    for lag in (1, 40):
        _, Y = validation_set(lag)
        assert chance(lag) == np.bincount(Y[:, -1, 0].astype(int)).max() / len(Y)
    assert (chance(1), chance(40)) == (0.284, 0.272)  # each lag has its own validation draw
    assert chance(10, n_symbols=2) >= 0.5


def test_a_run_is_scored_on_its_validation_set():
    run = train_on_recall("rnn", lag=2, seed=3, **SMALL)
    X_val, Y_val = validation_set(2, seed=3, n_validation=SMALL["n_validation"])
    from rnn_lesson import class_accuracy
    assert run.accuracy[-1] == class_accuracy(run.model.predict(X_val), Y_val)


def test_bad_lag_is_named():
    with pytest.raises(ValueError, match="lag must be at least 1"):
        train_on_recall("rnn", lag=0)
    with pytest.raises(ValueError, match="unknown cell"):
        train_on_recall("lstmm", lag=2, **SMALL)


def test_stop_when_solved_ends_training_at_the_first_solved_epoch():
    settings = dict(SMALL, n_train=200, epochs=8, hidden_size=8)
    full = train_on_recall("rnn", lag=2, seed=0, **settings)
    first = full.epochs_to_solve()
    assert first is not None and first < 8
    early = train_on_recall("rnn", lag=2, seed=0, stop_when_solved=True, **settings)
    assert early.accuracy == full.accuracy[:first] and len(early.model.loss_curve_) == first


def test_recall_scores_feed_the_fair_comparison():
    from rnn_lesson.experiments import compare
    from rnn_lesson.recall import recall_scores, test_set
    study = compare(recall_scores, {"rnn": {"cell": ["rnn"], "lag": [2], "learning_rate": [0.1, 0.5]}},
                    seeds=(0, 1), goal="max")
    row = study.table.iloc[0]
    assert row["setting"] == "learning_rate=0.1" and 0 <= row["test"] <= 1 and row["solved"] in (0.0, 1.0)
    again = train_on_recall("rnn", 2, seed=0, learning_rate=0.1, stop_when_solved=True)
    assert row["validation"] == again.final_accuracy and row["epochs"] == len(again.accuracy)
    X_test, _ = test_set(2, seed=0)
    X_val, _ = validation_set(2, seed=0)
    assert not np.array_equal(X_test, X_val)  # reported on sequences that chose nothing
