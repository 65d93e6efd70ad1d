"""Is the fixed-size summary a bottleneck, or only slower to train? Both models at several budgets, each at its best rate.

    budget_scores(method, seed, steps, learning_rate)  -> {"validation": .., "test": .., "test 8-10": .., ...}
    study = budget_sweep({"plain": [0.01, 0.02], "attention": [0.01, 0.02]}, budgets=(600, 1200, 2400))
    study.best(within="steps")          each model's best rate at each budget, chosen on validation

``method`` is "plain" (the decoder starts from the encoder's last state and sees nothing else)
or "attention" (``Seq2Seq(attention=True)``). Every run trains ``Seq2Seq`` with ``FIXED``
(H = 32, GRU cells, batches of 64, gradients clipped at norm 5) on the lesson's split ``SPLIT``
(4000 training, 300 validation and 1000 test pairs of 3 to 10 digits, drawn with seed 0);
``seed`` draws the weights and the batch order, not the data. The metrics, all exact match of
greedy decoding: ``validation`` (selects), ``test`` and ``test a-b``, the test pairs of each
length band in ``BANDS`` (report).

``budget_sweep`` trains once per (method, rate, seed), for the largest budget, and scores the model
after each smaller budget's step through ``Seq2Seq.fit(after_step=...)``: with a constant rate
the model after step k of a long run is bit for bit the model trained for k steps, so every row
is what ``budget_scores`` returns for it (``Comparison.rerun`` checks one) at a third of the cost.
"""
from functools import lru_cache

from .model import Seq2Seq
from .tasks import make_split
from ..experiments import compare

SPLIT = {"n_train": 4000, "n_valid": 300, "n_test": 1000, "min_length": 3, "max_length": 10, "seed": 0}
FIXED = {"hidden_size": 32, "cell": "gru", "batch_size": 64, "clip_norm": 5.0}
METHODS = {"plain": False, "attention": True}
BANDS = ((3, 5), (6, 7), (8, 10))


@lru_cache(maxsize=1)
def lesson_split():
    """The lesson's (train, validation, test) pairs: ``make_split(**SPLIT)``, drawn once."""
    return make_split(**SPLIT)


def _attention(method):
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, got {method!r}")
    return METHODS[method]


def scores(model):
    """A fitted model's exact match on the lesson's validation pairs, its test pairs, and each band of them."""
    _, valid, test = lesson_split()
    result = {"validation": model.score(valid), "test": model.score(test)}
    predictions = model.predict([s for s, _ in test])
    for low, high in BANDS:
        band = [p == t for p, (s, t) in zip(predictions, test) if low <= len(s) <= high]
        result[f"test {low}-{high}"] = sum(band) / len(band)
    return result


def fitted(method, seed, steps, learning_rate, after_step=None):
    """``method``'s model trained on the lesson's pairs for ``steps`` steps of Adam at ``learning_rate``."""
    model = Seq2Seq(attention=_attention(method), learning_rate=learning_rate, steps=steps, seed=seed, **FIXED)
    return model.fit(lesson_split()[0], after_step=after_step)


def budget_scores(method, seed, steps, learning_rate):
    """One run in the form ``rl.experiments.compare`` takes: train ``fitted(...)``, return its ``scores``."""
    return scores(fitted(method, seed, steps, learning_rate))


def budget_sweep(rates, budgets, seeds=(0, 1, 2), progress=None):
    """``compare`` of the methods in ``rates`` (method -> learning rates), every budget x rate x seed.

    One training per (method, rate, seed) to ``max(budgets)``, scored after each budget's step.
    Returns the ``Comparison`` (select "validation", goal "max"); settings ``steps`` and ``learning_rate``.
    """
    if not isinstance(budgets, (list, tuple)) or not budgets or not all(
            isinstance(b, int) and not isinstance(b, bool) and b > 0 for b in budgets):
        raise ValueError(f"budgets must be a list of one or more positive whole numbers of steps, got {budgets!r}")
    budgets = sorted(set(budgets))
    if not isinstance(rates, dict) or not rates:
        raise TypeError(f"rates must be a dict: method -> list of learning rates, got {rates!r}")
    for method in rates:
        _attention(method)
    read = {}

    def run(method, seed, steps, learning_rate):
        key = (method, seed, learning_rate)
        if key not in read:
            found = read[key] = {}

            def score_budgets(step, model):
                if step in budgets:
                    found[step] = scores(model)

            fitted(method, seed, budgets[-1], learning_rate, after_step=score_budgets)
        return read[key][steps]

    grids = {method: {"steps": budgets, "learning_rate": list(candidates)} for method, candidates in rates.items()}
    return compare(run, grids, seeds=seeds, select="validation", goal="max", progress=progress)
