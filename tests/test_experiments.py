"""rl.experiments: best against best, on validation data, over seeds; tables that round-trip."""
import json

import matplotlib
import numpy as np
import pytest
from threadpoolctl import threadpool_info

matplotlib.use("Agg")

from rnn_lesson.experiments import rows  # noqa: E402
from rnn_lesson.experiments import Comparison, compare  # noqa: E402

BEST_RATE = {"A": 0.01, "B": 0.1}


def toy(method, seed, learning_rate, scale=1.0):
    """A loss whose minimum over the rate is at BEST_RATE[method]; the seed adds a little noise."""
    noise = 0.01 * np.random.default_rng(seed).random()
    validation = scale * (np.log10(learning_rate) - np.log10(BEST_RATE[method])) ** 2 + noise
    return {"validation": validation, "test": validation + 0.5}


GRIDS = {"A": {"learning_rate": [0.001, 0.01, 0.1]}, "B": {"learning_rate": [0.01, 0.1, 1.0]}}


def test_each_method_gets_its_own_best_setting():
    study = compare(toy, GRIDS, seeds=(0, 1, 2))
    assert len(study.table) == 18 and list(study.table.columns[:4]) == ["method", "setting", "seed", "params"]
    best = study.best().set_index("method")
    assert best.loc["A", "setting"] == "learning_rate=0.01" and best.loc["B", "setting"] == "learning_rate=0.1"
    assert best.loc["A", "seeds"] == 3 and best.loc["A", "validation std"] > 0
    assert best.loc["A", "test mean"] == pytest.approx(best.loc["A", "validation mean"] + 0.5)
    assert not best["at_edge"].any()
    # at one shared rate the ranking is the rate's, not the method's: the grid shows it
    grid = study.grid("learning_rate")
    assert grid.loc["A", 0.01] < grid.loc["B", 0.01] and grid.loc["B", 0.1] < grid.loc["A", 0.1]


def test_goal_max_picks_the_largest_mean():
    study = compare(lambda method, seed, learning_rate: -toy(method, seed, learning_rate)["validation"], GRIDS,
                    seeds=(0, 1), goal="max")
    assert study.best().set_index("method").loc["B", "setting"] == "learning_rate=0.1"


def test_a_best_setting_at_the_edge_of_the_grid_is_flagged():
    study = compare(toy, {"A": {"learning_rate": [0.01, 0.03, 0.1]}}, seeds=(0,))
    assert study.best()["at_edge"].tolist() == [True]


def test_best_within_a_key_selects_separately():
    def run(method, seed, learning_rate, budget):
        return toy(method, seed, learning_rate)["validation"] / budget
    study = compare(run, {"A": {"learning_rate": [0.001, 0.01], "budget": [1, 4]}}, seeds=(0, 1))
    best = study.best(within="budget")
    assert list(best["budget"]) == [1, 4] and set(best["setting"]) == {"learning_rate=0.01, budget=1",
                                                                         "learning_rate=0.01, budget=4"}
    assert study.winner(within="budget") == {1: "A", 4: "A"}
    with pytest.raises(ValueError, match="no setting is named 'lag'"):
        study.best(within="lag")


def test_list_grids_fixed_options_and_a_baseline_without_settings():
    def run(method, seed, **setting):
        return 1.0 if method == "baseline" else toy("A", seed, setting["learning_rate"])["validation"]
    study = compare(run, {"baseline": [{}], "A": {"learning_rate": [0.01, 0.1], "scale": [1.0]}}, seeds=(0, 1))
    assert set(study.table.loc[study.table["method"] == "baseline", "setting"]) == {"default"}
    assert study.table.loc[study.table["method"] == "A", "setting"].iloc[0] == "learning_rate=0.01"
    assert study.params("A", "learning_rate=0.01") == {"learning_rate": 0.01, "scale": 1.0}
    assert study.winner() == "A"


def test_round_trip_through_csv_is_byte_stable(tmp_path):
    study = compare(toy, GRIDS, seeds=(0, 1))
    first = study.to_csv(tmp_path / "results" / "toy.csv", command="python benchmarks/toy.py --all")
    again = compare(toy, GRIDS, seeds=(0, 1)).to_csv(tmp_path / "again.csv", command="python benchmarks/toy.py --all")
    assert first.read_bytes() == again.read_bytes()
    assert Comparison.command(first) == "python benchmarks/toy.py --all"
    loaded = Comparison.from_csv(first)
    assert loaded.select == "validation" and loaded.goal == "min"
    assert loaded.best()["setting"].tolist() == study.best()["setting"].tolist()
    np.testing.assert_allclose(loaded.table["validation"], study.table["validation"], rtol=1e-9)
    assert loaded.rerun(toy, "A")["validation"] == pytest.approx(toy("A", 0, 0.01)["validation"], rel=1e-9, abs=0)


def test_rerun_names_a_row_that_does_not_reproduce():
    study = compare(toy, GRIDS, seeds=(0,))
    study.rerun(toy, "B")
    with pytest.raises(AssertionError, match=r"'B' at learning_rate=0.1, seed 0: validation is"):
        study.rerun(lambda method, seed, learning_rate: toy(method, seed, learning_rate * 1.5), "B")


def test_runs_execute_with_one_blas_thread():
    seen = []

    def run(method, seed):
        seen.append(max(info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"))
        return 0.0
    compare(run, {"m": [{}]}, seeds=(0, 1))
    assert seen == [1, 1]


def test_figure_stars_each_best_and_uses_a_log_axis():
    study = compare(toy, GRIDS, seeds=(0, 1))
    fig = study.figure(x="learning_rate", baseline=("no memory", 0.5))
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and "validation" in ax.get_ylabel()
    stars = [line for line in ax.lines if line.get_marker() == "*"]
    assert sorted(float(line.get_xdata()[0]) for line in stars) == [0.01, 0.1]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B", "no memory"]
    matplotlib.pyplot.close(fig)


@pytest.mark.parametrize("methods, error, words", [
    ({}, TypeError, "non-empty dict"),
    ({"A": {"learning_rate": 0.01}}, TypeError, "must be a list"),
    ({"A": {"learning_rate": []}}, ValueError, "no candidates"),
    ({"A": "fast"}, TypeError, "dict of candidate lists"),
])
def test_bad_grids_are_refused_in_words(methods, error, words):
    with pytest.raises(error, match=words):
        compare(toy, methods)


def test_bad_runs_and_settings_are_refused_in_words(tmp_path):
    with pytest.raises(ValueError, match="goal must be"):
        compare(toy, GRIDS, goal="best")
    with pytest.raises(ValueError, match="distinct seeds"):
        compare(toy, GRIDS, seeds=(1, 1))
    with pytest.raises(ValueError, match="without the selection metric 'validation'"):
        compare(lambda method, seed, learning_rate: {"test": 1.0}, GRIDS)
    with pytest.raises(TypeError, match="metric 'validation' must be a number"):
        compare(lambda method, seed, learning_rate: "low", GRIDS)
    with pytest.raises(ValueError, match="command must say"):
        compare(toy, GRIDS, seeds=(0,)).to_csv(tmp_path / "x.csv", command=" ")
    (tmp_path / "plain.csv").write_text("method,setting\nA,x\n")
    with pytest.raises(ValueError, match="plain.csv: not a comparison table"):
        Comparison.from_csv(tmp_path / "plain.csv")


def test_params_are_json_and_labels_show_what_varies():
    study = compare(toy, {"A": {"learning_rate": [0.01, 0.1], "scale": [2.0]}}, seeds=(0,))
    assert [json.loads(p) for p in study.table["params"]] == [{"learning_rate": 0.01, "scale": 2.0},
                                                               {"learning_rate": 0.1, "scale": 2.0}]
    assert rows.label({"lr": 0.5, "bias": None}, []) == "lr=0.5, bias=None"


def test_where_keeps_one_slice_of_a_sweep():
    def run(method, seed, learning_rate, budget):
        return toy(method, seed, learning_rate)["validation"] / budget
    study = compare(run, {"A": {"learning_rate": [0.001, 0.01], "budget": [1, 4]},
                          "B": {"learning_rate": [0.01, 0.1], "budget": [1, 4]}}, seeds=(0, 1))
    four = study.where(budget=4)
    assert len(four.table) == 8 and set(four.table["setting"]) >= {"learning_rate=0.01, budget=4"}
    assert (four.select, four.goal) == (study.select, study.goal)
    assert list(four.grid("learning_rate").columns) == [0.001, 0.01, 0.1]
    only_b = study.where(["B"], budget=1, learning_rate=0.1)
    assert only_b.methods == ["B"] and len(only_b.table) == 2
    with pytest.raises(ValueError, match="no run of any method has the setting"):
        study.where(budget=2)
    with pytest.raises(ValueError, match=r"no runs of \['C'\]"):
        study.where(["C"])
    with pytest.raises(TypeError, match="list of method names"):
        study.where("A")
