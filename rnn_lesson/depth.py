"""The measured comparisons of lesson 15, each a ``run(method, seed, **setting)`` for ``rl.experiments.compare``.

Every run trains one model from its seed and returns a dict of numbers: ``validation``
(which selects each method's best setting), ``test`` (held-out data drawn apart, which
reports) and a few more. The data of each study are fixed (drawn from their own seeds:
``switch_sets``, ``names_texts``, ``tagging_sets``, ``ordering_sets``); the run's seed
draws the weights, the batch order and the dropout masks.

    switch_scores      depth at equal parameters on the xor switch (data.directions.xor_switch):
                       GRU stacks of 1, 2, 3 layers of about 400 parameters, dropout between them
    names_scores       depth and dropout on real data: a GRU CharLM on 2,000 names (lesson 13's
                       data), the epoch chosen on validation (early stopping), tested on names it never saw
    tagging_scores     one way against both ways on repeat_tags (the tag needs the next symbol)
    ordering_scores    the summary of a padded sequence on which_first: last real state or mean state

``fit_tagger`` / ``tagging_metrics`` and ``fit_orderer`` / ``ordering_metrics`` are the two
halves of the last two runs, so a lesson can keep the model a rerun trains. The settings
every run of a study shares are in ``SWITCH``, ``NAMES``, ``TAGGING`` and ``ORDERING``;
``SWITCH_SIZES`` and ``NAMES_SIZES`` give the hidden units per layer that keep the parameter
count about equal at each depth. ``ngram_losses`` is the ladder of count models (orders 1 to
4, add-k smoothing chosen on validation) a language model must beat. The tables these runs
fill are rebuilt by ``benchmarks/bench_depth.py`` into ``data/results/depth_*.csv``.
"""
import copy
from functools import lru_cache
from pathlib import Path

import numpy as np

from .data.directions import repeat_tags, which_first, xor_switch
from .language import CharLM, split_lines
from .language.ngrams import Ngram
from .language.vocabulary import check_text
from .models import RNN, SequenceClassifier
from .shapes import check_positive_float, check_positive_int

NAMES_FILE = Path(__file__).resolve().parents[1] / "data" / "names.txt"

SWITCH = {"n_train": 512, "n_validation": 500, "n_test": 500, "n_steps": 16, "margin": 0.3, "epochs": 40,
          "batch_size": 32, "cell": "gru"}
SWITCH_SIZES = {1: 10, 2: 6, 3: 5}  # GRU units per layer: 401, 403 and 456 parameters with 2 inputs, 1 output
NAMES = {"n_train": 2000, "n_validation": 1000, "epochs": 20, "seq_len": 16, "batch_size": 32, "cell": "gru"}
NAMES_SIZES = {1: 64, 2: 40}  # GRU units per layer: 19,419 and 18,987 parameters with 27 characters
TAGGING = {"n_train": 64, "n_validation": 300, "n_test": 300, "n_steps": 8, "hidden_size": 8, "epochs": 30,
           "batch_size": 8}
ORDERING = {"n_train": 300, "n_validation": 300, "n_test": 300, "min_length": 5, "max_length": 40,
            "hidden_size": 8, "epochs": 10, "batch_size": 16}


def n_parameters(params):
    """The number of numbers in a dict of parameter arrays (a fitted model's ``params_``)."""
    return int(sum(np.size(value) for value in params.values()))


def tag_accuracy(model, X, Y):
    """The share of steps whose 0/1 tag ``model`` (an RNN with loss="bce") gets right at threshold 0.5."""
    return float(np.mean((model.predict(X) > 0.5) == (np.asarray(Y) > 0.5)))


# ------------------------------------------------------------------------------------------------ the switch

def switch_sets():
    """{"train", "validation", "test"}: (X, Y) of ``xor_switch`` drawn from seeds 0, 1 and 2."""
    sizes = {"train": SWITCH["n_train"], "validation": SWITCH["n_validation"], "test": SWITCH["n_test"]}
    return {name: xor_switch(n, SWITCH["n_steps"], SWITCH["margin"], seed=seed)
            for seed, (name, n) in enumerate(sizes.items())}


def switch_scores(method, seed, n_layers, hidden_size, learning_rate, dropout=0.0, epochs=SWITCH["epochs"]):
    """A GRU stack trained on the xor switch with Adam; tag accuracy on validation, test and training data."""
    del method
    sets = switch_sets()
    model = RNN(cell=SWITCH["cell"], hidden_size=hidden_size, n_layers=n_layers, dropout=dropout, loss="bce",
                optimizer="adam", learning_rate=learning_rate, batch_size=SWITCH["batch_size"], epochs=epochs,
                shuffle=True, seed=seed, progress=False).fit(sets["train"])
    scores = {name: tag_accuracy(model, *data) for name, data in sets.items()}
    return {"validation": scores["validation"], "test": scores["test"], "train": scores["train"],
            "parameters": float(n_parameters(model.params_))}


# ------------------------------------------------------------------------------------------------ the names

@lru_cache(maxsize=1)
def names_texts():
    """(train, validation, test) texts: 2,000 and 1,000 names of lesson 13's training part, its held-out names."""
    rest, test = split_lines(NAMES_FILE.read_text(encoding="utf-8"), 0.1, seed=0)
    names = rest.strip("\n").split("\n")

    def text(lines):
        return "\n" + "\n".join(lines) + "\n"
    return text(names[:NAMES["n_train"]]), text(names[-NAMES["n_validation"]:]), test


def names_scores(method, seed, n_layers, hidden_size, learning_rate, dropout=0.0, epochs=NAMES["epochs"]):
    """A GRU CharLM on the names: the best held-out loss over epochs (``validation``) and the test loss there.

    Also ``epoch`` (the one chosen), ``last`` (the validation loss after the last epoch: no early
    stopping) and ``train`` (the mean training loss of the chosen epoch), all in nats per character.
    """
    del method
    train, validation, test = names_texts()
    best = {}

    def keep_best(epoch, model):
        loss = model.history_[-1]["validation_loss"]
        if not best or loss < best["validation"]:
            best.update(validation=loss, epoch=epoch, params=copy.deepcopy(model.params_),
                        train=model.loss_curve_[-1])

    model = CharLM(cell=NAMES["cell"], hidden_size=hidden_size, n_layers=n_layers, dropout=dropout,
                   seq_len=NAMES["seq_len"], batch_size=NAMES["batch_size"], learning_rate=learning_rate,
                   epochs=epochs, seed=seed, progress=False).fit(train, validation=validation, after_epoch=keep_best)
    last = model.history_[-1]["validation_loss"]
    model.params_ = best["params"]
    return {"validation": best["validation"], "test": model.loss(test), "epoch": float(best["epoch"]),
            "last": last, "train": float(best["train"]), "parameters": float(n_parameters(model.params_))}


def ngram_losses(train, validation, test, orders=(1, 2, 3, 4), smoothings=(0.01, 0.03, 0.1, 0.3, 1.0)):
    """{order: (smoothing, validation loss, test loss)}: count models of p(c | the previous order - 1 characters).

    Each order's add-k smoothing is the one of ``smoothings`` with the lowest validation loss.
    Texts are read as one stream (as the language model reads them: ``language.ngrams.Ngram``
    with no boundary); the characters are those of all three texts; each loss is the mean over
    every character after the first.
    """
    texts = [check_text(text, name, min_length=2) for text, name in ((train, "train"), (validation, "validation"),
                                                                      (test, "test"))]
    orders = [check_positive_int(order, "order", most=4) for order in orders]
    if not orders or not len(smoothings):
        raise ValueError("ngram_losses needs at least one order and one smoothing to try")
    smoothings = [check_positive_float(k, "smoothing") for k in smoothings]
    chars = sorted(set("".join(texts)))
    index = {c: i for i, c in enumerate(chars)}
    train_ids, validation_ids, test_ids = [np.array([index[c] for c in text]) for text in texts]
    results = {}
    for order in orders:
        fitted = {k: Ngram(order, k).fit(train_ids, len(chars)) for k in smoothings}
        k = min(smoothings, key=lambda k: fitted[k].loss(validation_ids))
        results[order] = (k, fitted[k].loss(validation_ids), fitted[k].loss(test_ids))
    return results


# ---------------------------------------------------------------------------------------- the two directions

def tagging_sets():
    """{"train", "validation", "test"}: (X, Y) of ``repeat_tags``; train from seed 0, test from 1, validation 2."""
    return {"train": repeat_tags(TAGGING["n_train"], TAGGING["n_steps"], seed=0),
            "validation": repeat_tags(TAGGING["n_validation"], TAGGING["n_steps"], seed=2),
            "test": repeat_tags(TAGGING["n_test"], TAGGING["n_steps"], seed=1)}


def fit_tagger(seed, learning_rate, cell="rnn", n_layers=1, bidirectional=False):
    """The tagging model of lesson 15: an rl.RNN of 8 units per direction, Adam on batches of 8, 30 epochs."""
    return RNN(cell=cell, hidden_size=TAGGING["hidden_size"], n_layers=n_layers, bidirectional=bidirectional,
               loss="bce", optimizer="adam", learning_rate=learning_rate, batch_size=TAGGING["batch_size"],
               epochs=TAGGING["epochs"], seed=seed, progress=False).fit(tagging_sets()["train"])


def tagging_metrics(model):
    """A tagger's accuracy per step on the training, validation and test tags, and its parameter count."""
    scores = {name: tag_accuracy(model, *data) for name, data in tagging_sets().items()}
    return {**scores, "parameters": float(n_parameters(model.params_))}


def tagging_scores(method, seed, learning_rate, cell="rnn", n_layers=1, bidirectional=False):
    """``tagging_metrics`` of ``fit_tagger``: the run of the directions study."""
    del method
    return tagging_metrics(fit_tagger(seed, learning_rate, cell, n_layers, bidirectional))


# ---------------------------------------------------------------------------------------- the summaries

def ordering_sets():
    """{"train", "validation", "test"}: (sequences, labels) of ``which_first``; seeds 0, 2 and 1."""
    shape = (ORDERING["min_length"], ORDERING["max_length"])
    return {"train": which_first(ORDERING["n_train"], *shape, seed=0),
            "validation": which_first(ORDERING["n_validation"], *shape, seed=2),
            "test": which_first(ORDERING["n_test"], *shape, seed=1)}


def fit_orderer(seed, learning_rate, summary="last", bidirectional=False):
    """The classifier of lesson 15 on ``which_first``: 8 units, batches of 16, 10 epochs of Adam."""
    sequences, labels = ordering_sets()["train"]
    return SequenceClassifier(hidden_size=ORDERING["hidden_size"], summary=summary, bidirectional=bidirectional,
                              learning_rate=learning_rate, epochs=ORDERING["epochs"],
                              batch_size=ORDERING["batch_size"], seed=seed).fit(sequences, labels)


def ordering_metrics(model):
    """A classifier's accuracy on the training, validation and test sequences of ``ordering_sets``."""
    return {name: model.score(*data) for name, data in ordering_sets().items()}


def ordering_scores(method, seed, learning_rate, summary="last", bidirectional=False):
    """``ordering_metrics`` of ``fit_orderer``: the run of the summaries study."""
    del method
    return ordering_metrics(fit_orderer(seed, learning_rate, summary, bidirectional))
