"""Checkers for lesson 08 (case study: fraud).

    check_precision_recall(fn)   the warm-up: precision and recall at a list of thresholds
    check_lagged_features(fn)    the modelling exercise: each transaction with the one before it

The reference is :class:`rnn_lesson.BinaryClassificationEvaluator`, run once
per threshold: a score counts as positive when score >= threshold, and a
ratio whose denominator is 0 is 0.0. When an answer is wrong, the checker
also tries the classic slips (> instead of >=, NaN instead of 0.0 when
nothing is predicted positive, precision and recall swapped, recall over all
entries instead of the positives) and names the one the answer matches.
"""
import numpy as np

from ..evaluate import BinaryClassificationEvaluator
from . import call_safely, compare, known_mistake, verdict, with_hint


def _cases():
    """(name, scores (n,), targets (n,) of 0/1, thresholds (k,)), seeded; ties and an empty prediction included."""
    cases = [("case 1 (8 scores, ties, a threshold above every score)",
              np.array([0.9, 0.8, 0.8, 0.4, 0.3, 0.3, 0.1, 0.05]),
              np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0]),
              np.array([0.95, 0.8, 0.5, 0.3, 0.0]))]
    rng = np.random.default_rng(8)
    targets = np.zeros(500)
    targets[rng.choice(500, 6, replace=False)] = 1.0
    scores = np.round(np.clip(0.1 * rng.standard_normal(500) + 0.5 * targets, 0, 1), 3)  # rounded: ties
    thresholds = np.r_[1.5, np.sort(scores)[::-1][[0, 3, 10, 50, 250]]]
    cases.append(("case 2 (500 scores, 6 positives, thresholds equal to scores)", scores, targets, thresholds))
    return cases


def _reference(scores, targets, thresholds, strict=False, zero_division=0.0):
    precision, recall = [], []
    for threshold in thresholds:
        predicted = scores > threshold if strict else scores >= threshold
        tp = np.sum(predicted & (targets == 1))
        precision.append(tp / predicted.sum() if predicted.sum() else zero_division)
        recall.append(tp / targets.sum())
    return np.array(precision), np.array(recall)


_SLIPS = [
    (lambda s, y, th: _reference(s, y, th, strict=True),
     "you count a score equal to the threshold as negative: a score >= threshold is positive."),
    (lambda s, y, th: _reference(s, y, th, zero_division=np.nan),
     "precision is 0/0 when nothing is predicted positive: report 0.0 there, as the evaluator does."),
    (lambda s, y, th: _reference(s, y, th)[::-1],
     "precision and recall are swapped: precision = TP / (TP + FP), recall = TP / (TP + FN)."),
    (lambda s, y, th: (_reference(s, y, th)[0], _reference(s, y, th)[1] * y.sum() / y.size),
     "recall must divide by the actual positives (TP + FN), not by every entry."),
]


def check_precision_recall(my_precision_recall):
    """Check ``my_precision_recall(scores, targets, thresholds) -> (precision (k,), recall (k,))``."""
    for name, scores, targets, thresholds in _cases():
        got, error = call_safely(my_precision_recall, (scores, targets, thresholds), name)
        if error:
            return verdict([error], "")
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return verdict([f"{name}: return two arrays, (precision, recall); you returned "
                            f"{type(got).__name__}{'' if not isinstance(got, (tuple, list)) else f' of {len(got)}'}."],
                           "")
        metrics = [BinaryClassificationEvaluator(t).evaluate(scores, targets) for t in thresholds]
        expected = (np.array([m["precision"] for m in metrics]), np.array([m["recall"] for m in metrics]))
        problems = [compare(g, e, f"{name}: {what}", axis_names=("threshold no.",), rtol=1e-12)
                    for g, e, what in zip(got, expected, ("precision", "recall"))]
        problem = next((p for p in problems if p), None)
        if problem:
            hint = known_mistake(got, [(f"It looks as if {hint}", slip(scores, targets, thresholds))
                                       for slip, hint in _SLIPS], rtol=1e-12)
            return verdict([with_hint(problem, hint)], "")
    return verdict([], "precision and recall match rl.BinaryClassificationEvaluator at every threshold, "
                       "ties and empty predictions included.")


# --- the modelling exercise: give the memoryless model one step of memory by hand ----------------

def _lagged(X, shift=1, wrap=False, order="now first"):
    """[x_t, x_{t-shift}] for every step, zeros before the sequence starts (or wrapped round)."""
    past = np.roll(X, shift, axis=1)
    if not wrap:
        if shift > 0:
            past[:, :shift] = 0.0
        else:
            past[:, shift:] = 0.0
    return np.concatenate([X, past] if order == "now first" else [past, X], axis=2)


def check_lagged_features(my_lagged_features):
    """Check ``my_lagged_features(X) -> (N, T, 2F)``: each step's features, then the step before's.

    X (N, T, F); row t of the answer is [x_t, x_{t-1}], with x_0 = 0 (a sequence's first step has no
    past inside the sequence, as an RNN starts from h_0 = 0). Names the usual slips: the next step
    instead of the previous one (a leak from the future), np.roll's wrap-around, the halves swapped.
    """
    rng = np.random.default_rng(88)
    cases = [("case 1 (N=3, T=4, F=2)", rng.standard_normal((3, 4, 2))),
             ("case 2 (N=2, T=1, F=3: no past at all)", rng.standard_normal((2, 1, 3)))]
    for case, X in cases:
        got, problem = call_safely(my_lagged_features, [X], case)
        if problem is None and got is None:
            return verdict(["not attempted yet: your function returns None. Write it, run the cell again."], "")
        if problem:
            return verdict([problem], "")
        expected = _lagged(X)
        problem = compare(got, expected, f"the features for {case}", axis_names=("sequence", "step"))
        if problem:
            hint = known_mistake(got, [
                ("Hint: this is the NEXT step's features, x_{t+1}: a leak from the future that no model "
                 "may use when it scores transaction t. Shift the other way.", _lagged(X, shift=-1)),
                ("Hint: at t = 0 you put the sequence's last transaction (np.roll wraps round). The first "
                 "step has no past: use zeros there.", _lagged(X, wrap=True)),
                ("Hint: the halves are swapped: put x_t first, then x_{t-1}.", _lagged(X, order="past first")),
            ])
            return verdict([with_hint(problem, hint)], "")
    return verdict([], "each step holds its own features and then the previous step's, with zeros at the "
                       "first step and nothing from the future.")
