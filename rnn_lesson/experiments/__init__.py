"""Fair comparisons: every method at its own best setting, chosen on validation data, over several seeds.

A comparison that tries one learning rate, picked for one of the methods, measures the rate as
much as the methods. Here each method gets a small grid of its own settings; every setting is run
with every seed; each method's best setting is the one with the best *mean* over seeds of the
selection metric (measured on validation data); and the methods are compared best against best,
with the spread over seeds shown:

    def run(method, seed, learning_rate):          # -> {"validation": v, "test": t} or one number
        ...
    study = compare(run, {"SGD":  {"learning_rate": [0.01, 0.03, 0.1]},
                          "Adam": {"learning_rate": [0.001, 0.003, 0.01]}},
                    seeds=(0, 1, 2), select="validation", goal="min")
    study.table           tidy DataFrame: method, setting, seed, params (JSON), one column per metric
    study.best()          one row per method: its best setting, mean, std, min and max over seeds
    study.where(lag=40)   the runs with that setting (and of chosen methods), to read one slice
    study.figure()        metric against setting, one line per method, every seed a dot, the best starred
    study.to_csv(path, command="python benchmarks/...")       the table, with the command that made it
    Comparison.from_csv(path)                                   ... and back
    study.rerun(run, "Adam")   reruns one row live and checks that it reproduces the table

A grid is a dict of candidate lists (their product is tried) or an explicit list of setting
dicts; a one-element list fixes an option. ``best(within="lag")`` picks the best setting
separately for every value of a key (every lag, every budget). Every run executes with one
BLAS thread (``rnn_lesson.blas``). A best setting at the edge of its grid is flagged: the sweep
may not have gone far enough.

One module each: ``rows`` (a setting of a grid, its label, its metrics), ``runs`` (``compare``),
``comparison`` (``Comparison``: the reading, the CSV, the rerun), ``figure`` (its picture).
"""
from .comparison import Comparison
from .rows import GOALS
from .runs import compare

__all__ = ["compare", "Comparison", "GOALS"]
