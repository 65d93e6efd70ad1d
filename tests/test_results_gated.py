"""data/results/recall_gated.csv (lessons 11 and 12): its shape, and one cheap row rerun to the digit."""
import json
from functools import partial
from pathlib import Path

import pytest

from rnn_lesson.experiments import Comparison
from rnn_lesson.recall import recall_scores

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "data" / "results" / "recall_gated.csv"


def load():
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_recall_gated as bench
    finally:
        sys.path.pop(0)
    return Comparison.from_csv(TABLE), bench


def test_the_table_holds_every_start_rate_lag_and_seed():
    study, bench = load()
    assert Comparison.command(TABLE) == bench.COMMAND
    assert (study.select, study.goal) == ("validation", "max")
    assert study.methods == list(bench.STARTS)
    table = study.table
    assert len(table) == sum(len(s["lag"]) * len(s["learning_rate"]) for s in bench.STARTS.values()) * 3
    for method, start in bench.STARTS.items():
        rows = table[table["method"] == method]
        params = [json.loads(p) for p in rows["params"]]
        assert {p["cell"] for p in params} == set(start["cell"])
        assert {p.get("forget_bias") for p in params} == set(start.get("forget_bias", [None]))
        assert sorted({(p["lag"], p["learning_rate"]) for p in params}) == sorted(
            (lag, rate) for lag in start["lag"] for rate in start["learning_rate"])
        assert sorted(rows["seed"].unique()) == list(bench.SEEDS)
    assert table[["validation", "test", "solved"]].apply(lambda c: c.between(0, 1).all()).all()
    assert table["epochs"].between(1, 24).all()
    # no start's best rate at any lag is at the edge of the grid
    assert not study.best(within="lag")["at_edge"].any()


def test_a_cheap_row_reproduces():
    study, _ = load()
    kept = {}
    scores = study.rerun(partial(recall_scores, keep=kept), "GRU, chrono", setting="lag=10, learning_rate=2", seed=0)
    assert set(scores) == {"validation", "test", "solved", "epochs"}
    run = kept["GRU, chrono", 10, 0]  # the kept run is the one that was scored
    assert run.final_accuracy == scores["validation"] and len(run.accuracy) == scores["epochs"]


def test_keep_must_be_a_dict():
    with pytest.raises(TypeError, match="keep must be a dict"):
        recall_scores("x", 0, "rnn", 2, keep=[], n_train=8, epochs=1)
