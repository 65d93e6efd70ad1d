"""The tables lesson 15 ships (data/results/depth_*.csv): their shape, and one cheap row of each rerun now."""
import json

import pytest

from conftest import ROOT
from rnn_lesson import depth
from rnn_lesson.experiments import Comparison

RATES = [0.003, 0.01, 0.03, 0.1]
# study -> (run, goal, {method: number of settings}, the row rerun: method, learning rate, seed)
TABLES = {
    "switch": (depth.switch_scores, "max",
               {"1 layer": 4, "2 layers": 4, "3 layers": 4, "1 layer, 2x parameters": 4, "1 layer, 3x epochs": 4,
                "2 layers, dropout 0.1": 4, "2 layers, dropout 0.3": 4}, ("1 layer", 0.1, 2)),
    "names": (depth.names_scores, "min",
              {"1 layer": 4, "2 layers": 4, "2 layers, dropout 0.1": 4, "2 layers, dropout 0.3": 4},
              ("1 layer", 0.03, 0)),
    "directions": (depth.tagging_scores, "max",
                   {"one way": 5, "one way, 2 layers": 5, "one way, GRU": 5, "two ways": 5, "two ways, GRU": 5},
                   ("two ways", 0.01, 1)),
    "summaries": (depth.ordering_scores, "max", {"last real state": 4, "mean state": 4, "both ways, last": 4},
                  ("mean state", 0.01, 2)),
}


def _study(name):
    return Comparison.from_csv(ROOT / "data" / "results" / f"depth_{name}.csv")


@pytest.mark.parametrize("name", TABLES)
def test_the_table_holds_every_method_setting_and_seed(name):
    run, goal, methods, _ = TABLES[name]
    study = _study(name)
    assert study.goal == goal and study.select == "validation" and study.methods == list(methods)
    assert Comparison.command(ROOT / "data" / "results" / f"depth_{name}.csv") == \
        f"python benchmarks/bench_depth.py {name}"
    for method, n_settings in methods.items():
        rows = study.table[study.table["method"] == method]
        assert rows["setting"].nunique() == n_settings, method
        assert sorted(rows.groupby("setting")["seed"].apply(sorted).map(tuple).unique()) == [(0, 1, 2)], method
        rates = sorted({json.loads(p)["learning_rate"] for p in rows["params"]})
        assert len(rates) == n_settings and (name == "names" or set(RATES) <= set(rates)), method
    assert {"validation", "test"} <= set(study.metrics)


@pytest.mark.parametrize("name", TABLES)
def test_one_cheap_row_reproduces(name):
    run, _, _, (method, rate, seed) = TABLES[name]
    study = _study(name)
    setting = next(s for s in study.table.loc[study.table["method"] == method, "setting"]
                   if study.params(method, s)["learning_rate"] == rate)
    study.rerun(run, method, setting=setting, seed=seed)  # raises, naming the metric, if a number moved
