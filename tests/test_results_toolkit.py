"""Lesson 14's shipped tables: their shape (methods, settings, seeds, command) and one cheap row of each, rerun."""
import itertools
import json

import numpy as np
import pytest

from rnn_lesson import toolkit
from rnn_lesson.experiments import Comparison

CHEAP_ROWS = {  # (method, setting, seed): a row of each table that reruns in well under a second
    "optimizers": ("SGD", "learning_rate=0.005", 1),
    "schedules": ("step decay (100, 0.3)", "learning_rate=0.001", 2),
    "regularisers": ("early stopping", "patience=3", 0),
    "clipping": ("ReLU", "clip_norm=None", 0),   # diverges after 63 steps: inf, as in the table
}


@pytest.mark.parametrize("study", list(toolkit.GRIDS))
def test_the_table_holds_every_method_setting_and_seed_of_its_grid(study):
    path = toolkit.results_path(study)
    result = Comparison.from_csv(path)
    assert Comparison.command(path) == "python benchmarks/bench_toolkit.py"
    assert result.select == "validation" and result.goal == "min"
    assert result.methods == list(toolkit.GRIDS[study])
    for method, grid in toolkit.GRIDS[study].items():
        rows = result.table[result.table["method"] == method]
        settings = ([dict(zip(grid, combo)) for combo in itertools.product(*grid.values())] if isinstance(grid, dict)
                    else grid)
        assert [json.loads(p) for p in rows["params"].drop_duplicates()] == settings
        assert rows.groupby("setting", sort=False)["seed"].apply(tuple).tolist() == [toolkit.SEEDS] * len(settings)
    assert {"validation", "test"} <= set(result.metrics)
    assert not result.best()["at_edge"].any()


@pytest.mark.parametrize("study", list(CHEAP_ROWS))
def test_one_row_reruns_to_the_shipped_numbers(study):
    result = Comparison.from_csv(toolkit.results_path(study))
    method, setting, seed = CHEAP_ROWS[study]
    measured = result.rerun(toolkit.RUNS[study], method, setting=setting, seed=seed)   # raises if a metric differs
    assert set(measured) == set(result.metrics)
    if study == "clipping":
        assert measured["validation"] == np.inf


def test_the_lessons_claims_about_the_tables():
    optimizers = Comparison.from_csv(toolkit.results_path("optimizers")).best().set_index("method")
    assert optimizers["setting"].to_dict() == {"SGD": "learning_rate=0.02", "Momentum": "learning_rate=0.005",
                                               "Adagrad": "learning_rate=0.05", "Adam": "learning_rate=0.005"}
    schedules = Comparison.from_csv(toolkit.results_path("schedules"))
    constant = schedules.table[schedules.table["method"] == "constant"].reset_index(drop=True)
    adam = Comparison.from_csv(toolkit.results_path("optimizers")).table
    adam = adam[adam["method"] == "Adam"].set_index(["setting", "seed"])
    for _, row in constant.iterrows():   # the same runs: constant Adam is section 3's Adam where the grids meet
        if (row["setting"], row["seed"]) in adam.index:
            assert row["validation"] == adam.loc[(row["setting"], row["seed"]), "validation"]
    regularisers = Comparison.from_csv(toolkit.results_path("regularisers")).best().set_index("method")
    assert regularisers.loc["weight decay", "setting"] == "weight_decay=0.1"
    assert regularisers["test mean"].idxmin() == "weight decay"
