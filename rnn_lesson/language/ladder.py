"""The names ladder of lesson 13: every model, counted or trained, on one three-way split, run the way
``rl.experiments.compare`` runs a method.

    names.txt ─┬─ training names (90 %) ─┬─ train (90 % of them)   counts and weights come from here
               │                         └─ validation (10 %)       settings are chosen here (k, rate, epochs)
               └─ held-out names (10 %)                             reported only, never used to choose

The held-out names are lesson 13's (``split_lines(names, 0.1, seed=0)``); the validation
slice is cut from the training names with ``split_lines(training, 0.1, seed=1)``. Each part is
one text, names separated by newlines; every loss is nats per predicted character.

    runs = NamesRuns(names_text, max_epochs=8)
    runs("4-gram", 0, smoothing=0.1, context="name")     -> {"validation": ..., "test": ...}
    runs("window-8 MLP", 1, learning_rate=0.001, epochs=3)
    runs("gru", 2, learning_rate=0.01, epochs=3)

Methods (``METHODS``):

* ``"unigram"``, ``"bigram"``, ``"trigram"``, ``"4-gram"``, ``"5-gram"``: ``ngrams.Ngram`` of that
  order, settings ``smoothing`` (k) and ``context``: ``"stream"`` (the text read as one stream,
  as the recurrent cells read it) or ``"name"`` (every name starts afresh after the newline).
  Counting has no randomness: the seed changes nothing.
* ``"window-3 MLP"``, ``"window-8 MLP"``: ``window_mlp.WindowMLP`` reading the 3 (or 8)
  characters before the one predicted (10 numbers per character, 200 tanh units, Adam,
  batches of 256, contexts start afresh at each name, as in the makemore lectures), settings
  ``learning_rate``, ``epochs``.
* ``"rnn"``, ``"lstm"``, ``"gru"``: ``CharLM`` as lesson 13 trains it (64 units, chunks of 16
  characters in batches of 32 streams, Adam, gradients clipped at norm 5, the reference
  engine), settings ``learning_rate``, ``epochs``.

A trained method is trained once per seed and setting to ``max_epochs`` epochs, scoring both
parts after every epoch; a run asking for fewer epochs is served from that record, which
holds exactly what a run of that many epochs gives (the epochs before the last do not depend
on how many follow). Without ``max_epochs`` (or asking for more) a run trains exactly its
``epochs``. ``runs.models[(method, seed, setting...)]`` keeps every model trained, ``runs.last_model``
the latest.

Reading a comparison over epochs (``study.best(within="epochs")`` picks the best rate per budget):
``at_epochs(study, e)`` keeps the rows of one budget (for ``grid("learning_rate")``),
``epochs_to_pass(study, bar)`` finds the first budget whose chosen setting beats a baseline, and
``budget_figure`` draws the held-out loss of the chosen setting against the budget.
"""
import json

import numpy as np

from ..shapes import check_positive_int, check_seed
from .model import CharLM
from .ngrams import Ngram
from .text import split_lines
from .vocabulary import Vocabulary, check_text
from .window_mlp import WindowMLP

ORDERS = {"unigram": 1, "bigram": 2, "trigram": 3, "4-gram": 4, "5-gram": 5}
CELL_SETTINGS = dict(hidden_size=64, seq_len=16, batch_size=32, optimizer="adam", clip_norm=5.0,
                     engine="reference", progress=False)
MLP_SETTINGS = dict(embed_size=10, hidden_size=200, batch_size=256, optimizer="adam", clip_norm=5.0)
WINDOWS = {"window-3 MLP": 3, "window-8 MLP": 8}
TRAINED = (*WINDOWS, "rnn", "lstm", "gru")
METHODS = (*ORDERS, *TRAINED)
CONTEXTS = ("stream", "name")
HELDOUT_SEED, VALIDATION_SEED, FRACTION = 0, 1, 0.1

# the grids benchmarks/bench_names_ladder.py sweeps (each part writes data/results/names_<part>.csv)
EPOCHS = (1, 2, 3, 4, 5, 6, 7, 8)
GRIDS = {
    "ngrams": {method: {"smoothing": [0.01, 0.03, 0.1, 0.3, 1.0, 3.0], "context": list(CONTEXTS)}
               for method in ("bigram", "trigram", "4-gram", "5-gram")},
    "window": {method: {"learning_rate": [0.0003, 0.001, 0.003, 0.01], "epochs": list(EPOCHS)} for method in WINDOWS},
    "cells": {method: {"learning_rate": [0.001, 0.003, 0.01, 0.03, 0.1], "epochs": list(EPOCHS)}
              for method in ("rnn", "lstm", "gru")},
}
SEEDS = {"ngrams": (0,), "window": (0, 1, 2), "cells": (0, 1, 2)}  # counting has no randomness: one seed


def names_split(text):
    """(train, validation, heldout) texts of ``text`` (one name per line): see the module docstring."""
    training, heldout = split_lines(check_text(text), FRACTION, seed=HELDOUT_SEED)
    train, validation = split_lines(training, FRACTION, seed=VALIDATION_SEED)
    return train, validation, heldout


class NamesRuns:
    """``runs(method, seed, **setting) -> {"validation": nats, "test": nats}`` on the split of ``names_text``."""

    def __init__(self, names_text, max_epochs=None):
        self.train, self.validation, self.heldout = names_split(names_text)
        self.vocab = Vocabulary.from_text(self.train)
        self.ids = {part: self.vocab.encode(getattr(self, part), f"the {part} names")
                    for part in ("train", "validation", "heldout")}
        self.max_epochs = None if max_epochs is None else check_positive_int(max_epochs, "max_epochs", most=1000)
        self.records, self.models, self.last_model = {}, {}, None

    def __call__(self, method, seed, **setting):
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; the ladder has: {', '.join(METHODS)}")
        seed = check_seed(seed)
        if method in ORDERS:
            return self._count(method, **setting)
        if "epochs" not in setting:
            raise ValueError(f"{method!r} needs the number of epochs (epochs=...) among its settings")
        epochs = check_positive_int(setting.pop("epochs"), "epochs", most=1000)
        key = (method, seed, json.dumps(setting, sort_keys=True))
        record = self.records.get(key, [])
        if len(record) < epochs:
            budget = self.max_epochs if self.max_epochs is not None and epochs <= self.max_epochs else epochs
            record = self.records[key] = self._train(method, seed, budget, key, **setting)
        return dict(record[epochs - 1])

    def _count(self, method, smoothing=1.0, context="stream"):
        if context not in CONTEXTS:
            raise ValueError(f"context must be one of {CONTEXTS}, got {context!r}")
        boundary = self.vocab.ids["\n"] if context == "name" else None
        model = Ngram(ORDERS[method], smoothing, boundary).fit(self.ids["train"], len(self.vocab))
        return {"validation": model.loss(self.ids["validation"]), "test": model.loss(self.ids["heldout"])}

    def _train(self, method, seed, epochs, key, learning_rate, **more):
        record = []
        self._no_more(method, more)
        if method in WINDOWS:
            model = WindowMLP(context=WINDOWS[method], boundary=self.vocab.ids["\n"], learning_rate=learning_rate,
                              epochs=epochs, seed=seed, **MLP_SETTINGS)
            model.fit(self.ids["train"], len(self.vocab), after_epoch=lambda epoch, m: record.append(
                {"validation": m.loss(self.ids["validation"]), "test": m.loss(self.ids["heldout"])}) and False)
        else:
            model = CharLM(cell=method, learning_rate=learning_rate, epochs=epochs, seed=seed, **CELL_SETTINGS)
            model.fit(self.train, after_epoch=lambda epoch, m: record.append(
                {"validation": m.loss(self.validation), "test": m.loss(self.heldout)}) and False)
        self.models[key] = self.last_model = model
        return record

    @staticmethod
    def _no_more(method, more):
        if more:
            raise ValueError(f"{method!r} does not take the setting(s) {sorted(more)}")


def _epochs(params):
    return json.loads(params).get("epochs")


def at_epochs(study, epochs):
    """The Comparison of ``study``'s rows trained for ``epochs`` epochs (every rate, every seed)."""
    from ..experiments import Comparison
    rows = study.table[study.table["params"].map(_epochs) == epochs]
    if rows.empty:
        raise ValueError(f"no rows trained for {epochs!r} epochs; the budgets are "
                         f"{sorted(set(study.table['params'].map(_epochs)) - {None})}")
    return Comparison(rows, study.select, study.goal)


def epochs_to_pass(study, bar, metric="test"):
    """method -> (epochs, every seed below?) for the first budget whose validation-chosen setting has a mean
    ``metric`` below ``bar``, or (None, False) when no budget of the table does."""
    best, table = study.best(within="epochs"), study.table
    found = {}
    for method, rows in best.groupby("method", sort=False):
        found[method] = (None, False)
        for _, row in rows.sort_values("epochs").iterrows():
            if row[f"{metric} mean"] < bar:
                seeds = table[(table["method"] == method) & (table["setting"] == row["setting"])][metric]
                found[method] = (int(row["epochs"]), bool((seeds < bar).all()))
                break
    return found


def budget_figure(best, baselines, metric="test", ax=None):
    """Mean ``metric`` (± its std over seeds) of each method's chosen setting against the number of epochs.

    ``best``: rows of ``Comparison.best(within="epochs")`` (several studies concatenated);
    ``baselines``: {label: loss} drawn as dashed lines. Returns the figure.
    """
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4))
    for number, (method, rows) in enumerate(best.groupby("method", sort=False)):
        rows = rows.sort_values("epochs")
        mean, std = rows[f"{metric} mean"].to_numpy(), rows[f"{metric} std"].to_numpy()
        ax.plot(rows["epochs"], mean, "o-", color=f"C{number}", label=method, ms=4)
        ax.fill_between(rows["epochs"], mean - std, mean + std, color=f"C{number}", alpha=0.2)
    for number, (label, value) in enumerate(baselines.items()):
        ax.axhline(value, color="grey", ls=("--", ":", "-.")[number % 3], lw=1, label=label)
    ax.set_xlabel("epochs (the learning rate chosen on validation for each budget)")
    ax.set_ylabel("held-out loss (nats/char)" if metric == "test" else metric)
    ax.set_xticks(np.unique(best["epochs"]))
    ax.legend(fontsize=8, ncol=2)
    return ax.figure
