"""The names ladder (rl.language.ladder): one three-way split, every method run as rl.experiments runs it."""
from pathlib import Path

import pytest

from rnn_lesson.language import ladder, split_lines
from rnn_lesson.language.ngrams import Ngram

NAMES = (Path(__file__).resolve().parents[1] / "data" / "names.txt").read_text()
SMALL = "\n".join(NAMES.split("\n")[:1500]) + "\n"  # a few seconds of training at most


def test_the_split_is_the_lessons_and_its_parts_are_disjoint():
    train, validation, heldout = ladder.names_split(NAMES)
    assert heldout == split_lines(NAMES, 0.1, seed=0)[1]
    names = [set(part.split()) for part in (train, validation, heldout)]
    assert not (names[0] & names[1]) and not (names[0] & names[2]) and not (names[1] & names[2])
    assert sum(len(n) for n in names) == len(NAMES.split())
    assert len(names[1]) == round(0.1 * (len(names[0]) + len(names[1])))


def test_a_count_model_is_ngram_on_the_training_part():
    runs = ladder.NamesRuns(SMALL)
    result = runs("4-gram", 0, smoothing=0.1, context="name")
    model = Ngram(4, 0.1, boundary=runs.vocab.ids["\n"]).fit(runs.ids["train"], len(runs.vocab))
    assert result == {"validation": model.loss(runs.ids["validation"]), "test": model.loss(runs.ids["heldout"])}
    assert runs("4-gram", 5, smoothing=0.1, context="name") == result  # counting has no seed


@pytest.mark.parametrize("method, rate", [("rnn", 0.01), ("window-3 MLP", 0.003)])
def test_a_row_served_from_a_longer_run_is_what_a_run_of_that_length_gives(method, rate):
    longer = ladder.NamesRuns(SMALL, max_epochs=2)
    first = longer(method, 1, learning_rate=rate, epochs=1)
    assert len(longer.records[(method, 1, '{"learning_rate": %s}' % rate)]) == 2  # trained once, to 2 epochs
    assert ladder.NamesRuns(SMALL)(method, 1, learning_rate=rate, epochs=1) == first
    assert longer(method, 1, learning_rate=rate, epochs=2)["validation"] != first["validation"]
    assert list(longer.models) == [(method, 1, '{"learning_rate": %s}' % rate)]


@pytest.mark.parametrize("method, setting, words", [
    ("7-gram", {}, "unknown method '7-gram'"),
    ("gru", {"learning_rate": 0.01}, "needs the number of epochs"),
    ("gru", {"learning_rate": 0.01, "epochs": 1, "hidden_size": 8}, "does not take the setting"),
    ("trigram", {"context": "line"}, "context must be one of"),
])
def test_bad_runs_are_refused_in_words(method, setting, words):
    with pytest.raises(ValueError, match=words):
        ladder.NamesRuns(SMALL)(method, 0, **setting)


def test_every_grid_names_known_methods():
    assert set(ladder.GRIDS) == set(ladder.SEEDS) == {"ngrams", "window", "cells"}
    for grid in ladder.GRIDS.values():
        assert set(grid) <= set(ladder.METHODS)


def toy_study():
    """Two methods over rate x epochs, 2 seeds: 'slow' passes the bar of 1.0 after 3 epochs, 'never' never does."""
    import rnn_lesson as rl

    def run(method, seed, learning_rate, epochs):
        base = {"slow": 1.6, "never": 1.9}[method] - 0.2 * epochs + abs(learning_rate - 0.01) * 10
        return {"validation": base + 0.01 * seed, "test": base + 0.02 * seed}
    return rl.experiments.compare(run, {m: {"learning_rate": [0.003, 0.01, 0.03], "epochs": [1, 2, 3]}
                                        for m in ("slow", "never")}, seeds=(0, 1))


def test_reading_a_study_over_epochs():
    import matplotlib
    matplotlib.use("Agg")
    study = toy_study()
    three = ladder.at_epochs(study, 3)
    assert len(three.table) == 2 * 3 * 2 and set(three.grid("learning_rate").columns) == {0.003, 0.01, 0.03}
    # slow at 3 epochs: 1.0 (seed 0) and 1.02 (seed 1): mean 1.01, above a bar of 1.0; below 1.05, every seed
    assert ladder.epochs_to_pass(study, 1.05) == {"slow": (3, True), "never": (None, False)}
    assert ladder.epochs_to_pass(study, 1.015) == {"slow": (3, False), "never": (None, False)}
    figure = ladder.budget_figure(study.best(within="epochs"), {"bar": 1.05})
    assert len(figure.axes[0].lines) == 3  # one line per method and the bar
    import matplotlib.pyplot as plt
    plt.close(figure)  # a figure left open would be counted by the tests that follow
    with pytest.raises(ValueError, match="no rows trained for 4 epochs; the budgets are \\[1, 2, 3\\]"):
        ladder.at_epochs(study, 4)
