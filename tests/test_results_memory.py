"""Lesson 10's shipped sweeps: their shape, the readings the lesson states, and one row of each rerun."""
import json
from pathlib import Path

import pytest

from rnn_lesson.experiments import Comparison
from rnn_lesson.recall import recall_scores

RESULTS = Path(__file__).resolve().parents[1] / "data" / "results"
LAGS = RESULTS / "recall_vanilla_lags.csv"
STARTS = RESULTS / "recall_vanilla_starts.csv"
TANH_RATES = [0.008, 0.03, 0.125, 0.5, 2.0, 8.0]
IRNN_RATES = [0.0025, 0.005, 0.01, 0.02, 0.04, 0.08]


def rates(study, method):
    rows = study.table[study.table["method"] == method]
    return sorted({json.loads(p)["learning_rate"] for p in rows["params"]})


def test_the_lag_sweep_has_every_lag_rate_and_seed():
    study = Comparison.from_csv(LAGS)
    assert Comparison.command(LAGS) == "python benchmarks/bench_recall_vanilla.py"
    assert (study.select, study.goal, study.methods) == ("validation", "max", ["tanh"])
    params = study.table["params"].map(json.loads)
    assert sorted({p["lag"] for p in params}) == [5, 10, 20, 40] and rates(study, "tanh") == TANH_RATES
    assert len(study.table) == 4 * 6 * 3
    assert all(sorted(group) == [0, 1, 2] for _, group in study.table.groupby("setting")["seed"])


def test_the_lag_sweep_reads_as_the_lesson_says():
    best = Comparison.from_csv(LAGS).best(within="lag").set_index("lag")
    assert list(best["setting"]) == ["lag=5, learning_rate=2", "lag=10, learning_rate=0.5",
                                     "lag=20, learning_rate=0.125", "lag=40, learning_rate=2"]
    assert not best["at_edge"].any()
    assert list(best["solved mean"].round(3)) == [1.0, 1.0, 0.667, 0.0]


def test_the_starts_sweep_has_each_start_over_its_own_rates():
    study = Comparison.from_csv(STARTS)
    assert study.methods == ["tanh, default start", "tanh, orthogonal start", "relu, identity start"]
    assert rates(study, "tanh, default start") == rates(study, "tanh, orthogonal start") == TANH_RATES
    assert rates(study, "relu, identity start") == IRNN_RATES
    assert len(study.table) == (6 + 6 + 6) * 3 and set(study.table["seed"]) == {0, 1, 2}
    assert {json.loads(p)["lag"] for p in study.table["params"]} == {40}
    best = study.best().set_index("method")
    assert not best["at_edge"].any()
    assert best.loc["relu, identity start", "setting"] == "learning_rate=0.02"
    assert best["validation mean"].idxmax() == "relu, identity start"


def test_one_row_of_the_lag_sweep_reproduces():
    Comparison.from_csv(LAGS).rerun(recall_scores, "tanh", setting="lag=5, learning_rate=0.5")  # solved in 1 epoch


@pytest.mark.parametrize("method, setting", [("relu, identity start", "learning_rate=0.02")])
def test_one_row_of_the_starts_sweep_reproduces(method, setting):
    Comparison.from_csv(STARTS).rerun(recall_scores, method, setting=setting, seed=2)  # solved in 22 epochs
