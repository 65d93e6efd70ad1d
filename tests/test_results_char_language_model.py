"""Lesson 13's shipped tables (data/results/names_*.csv): their shape, and one cheap row of each run again."""
import json
from pathlib import Path

import pytest

from rnn_lesson.experiments import Comparison
from rnn_lesson.language import ladder

ROOT = Path(__file__).resolve().parents[1]
NAMES = (ROOT / "data" / "names.txt").read_text()


def study(part):
    path = ROOT / "data" / "results" / f"names_{part}.csv"
    assert Comparison.command(path) == f"python benchmarks/bench_names_ladder.py {part}"
    return Comparison.from_csv(path)


@pytest.mark.parametrize("part", ["ngrams", "window", "cells"])
def test_each_table_holds_its_grid_every_setting_and_seed(part):
    table = study(part).table
    grids, seeds = ladder.GRIDS[part], ladder.SEEDS[part]
    assert list(dict.fromkeys(table["method"])) == list(grids)
    for method, grid in grids.items():
        rows = table[table["method"] == method]
        n_settings = 1
        for values in grid.values():
            n_settings *= len(values)
        assert rows["setting"].nunique() == n_settings and len(rows) == n_settings * len(seeds)
        assert sorted(set(rows["seed"])) == list(seeds)
        tried = {key: sorted({json.loads(p)[key] for p in rows["params"]}, key=str) for key in grid}
        assert tried == {key: sorted(values, key=str) for key, values in grid.items()}
    assert table[["validation", "test"]].notna().all().all()


@pytest.mark.parametrize("part, method", [("ngrams", "4-gram"), ("window", "window-3 MLP"), ("cells", "rnn")])
def test_one_cheap_row_of_each_table_reproduces(part, method):
    shipped = study(part)
    if part == "ngrams":
        setting = shipped.best().set_index("method").loc[method, "setting"]
    else:  # one epoch, at the rate chosen for one epoch: the cheapest row a lesson reruns
        setting = shipped.best(within="epochs").set_index(["method", "epochs"]).loc[(method, 1), "setting"]
    shipped.rerun(ladder.NamesRuns(NAMES), method, setting=setting)  # AssertionError unless every metric agrees


def test_what_lesson_13_says_of_the_ladder_holds_in_the_tables():
    counted = study("ngrams").best().set_index("method")
    assert counted["validation mean"].idxmin() == "4-gram" and not counted["at_edge"].any()
    bar = counted.loc["4-gram", "test mean"]
    for part in ("window", "cells"):
        one_pass = study(part).best(within="epochs").query("epochs == 1")
        assert (one_pass["test mean"] > bar).all()  # after one pass nothing trained beats the 4-gram
