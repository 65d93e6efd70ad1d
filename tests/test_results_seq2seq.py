"""Lesson 16's shipped sweep (data/results/seq2seq_budget.csv): its shape, the readings the lesson states, one row rerun."""
import json
from pathlib import Path

from rnn_lesson.experiments import Comparison
from rnn_lesson.seq2seq.sweep import BANDS, budget_scores

BUDGET = Path(__file__).resolve().parents[1] / "data" / "results" / "seq2seq_budget.csv"
RATES = {"plain": [0.005, 0.01, 0.02, 0.04], "attention": [0.01, 0.02, 0.04, 0.08]}
BUDGETS = [600, 1200, 2400, 4800]


def test_the_budget_sweep_has_every_budget_rate_and_seed_of_each_model():
    study = Comparison.from_csv(BUDGET)
    assert Comparison.command(BUDGET) == "python benchmarks/bench_seq2seq.py"
    assert (study.select, study.goal, study.methods) == ("validation", "max", ["plain", "attention"])
    assert study.metrics == ["validation", "test"] + [f"test {low}-{high}" for low, high in BANDS]
    for method, rates in RATES.items():
        params = study.table.loc[study.table["method"] == method, "params"].map(json.loads)
        assert sorted({p["learning_rate"] for p in params}) == rates
        assert sorted({p["steps"] for p in params}) == BUDGETS
    assert len(study.table) == 2 * 4 * 4 * 3
    assert all(sorted(group) == [0, 1, 2] for _, group in study.table.groupby(["method", "setting"])["seed"])


def test_the_budget_sweep_reads_as_the_lesson_says():
    best = Comparison.from_csv(BUDGET).best(within="steps").set_index(["method", "steps"])
    assert best.loc[("plain", 600), "setting"] == "steps=600, learning_rate=0.02"
    assert best.loc[("attention", 600), "setting"] == "steps=600, learning_rate=0.04"
    assert [best.loc[("plain", steps), "setting"].split("=")[-1] for steps in BUDGETS] == ["0.02", "0.02", "0.01", "0.01"]
    assert all(best.loc[("attention", steps), "setting"].endswith("learning_rate=0.04") for steps in BUDGETS)
    assert not best["at_edge"].any()
    long = best["test 8-10 mean"]
    assert [round(long[("plain", steps)], 2) for steps in BUDGETS] == [0.30, 0.54, 0.74, 0.93]
    assert round(long[("attention", 600)], 3) == 0.999
    gaps = [long[("attention", steps)] - long[("plain", steps)] for steps in BUDGETS]
    assert [round(g, 2) for g in gaps] == [0.70, 0.46, 0.26, 0.07]            # most of the gap is budget...
    assert all(long[("attention", 600)] > long[("plain", steps)] for steps in BUDGETS)   # ...but not the speed


def test_one_cheap_row_reproduces():
    """The plain model at 600 steps, seed 0: about 3 CPU seconds."""
    study = Comparison.from_csv(BUDGET)
    study.rerun(budget_scores, "plain", setting="steps=600, learning_rate=0.02", seed=0)
