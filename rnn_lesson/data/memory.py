"""Tasks that only memory can solve, generated from a seed (no files).

Dimension letters: N sequences, T steps, I inputs. Each generator returns arrays
``X (N, T, I)`` and ``Y (N, T, 1)`` in the form ``rl.RNN.fit((X, Y))`` takes.

``running_total_task``: the rule of ``data/sample.csv``. Two inputs per step,
x1 and a distraction x2; the label is the running total of x1 so far,

    y_t = x1_0 + x1_1 + ... + x1_t

A model that sees only x_t cannot know the total: it needs a state that adds.

``recall_task``: remember a symbol over ``lag`` steps of distraction. Step 0
shows one of K symbols (one-hot), steps 1 .. lag-1 show one of D distractor
symbols (one-hot, on channels of their own), step ``lag`` shows a query flag;
the answer at the query step is the symbol of step 0 (a class 0..K-1):

    inputs  [symbols K | distractors D | query 1],  T = lag + 1 steps
    labels  NO_TARGET (-1) at steps 0 .. lag-1, the symbol at step lag

At the query step every sequence looks the same, so without memory the best
answer is the most frequent symbol: about 1/K correct. ``NO_TARGET`` marks the
steps that have nothing to predict; the cross-entropy loss leaves them out.
"""
import numpy as np

from ..losses import NO_TARGET
from ..shapes import check_positive_int, check_seed


def running_total_task(n_sequences, n_steps, seed=0):
    """X (N, T, 2): x1 and the distraction x2, uniform in [-1, 1]; Y (N, T, 1): the running total of x1."""
    n_sequences = check_positive_int(n_sequences, "n_sequences")
    n_steps = check_positive_int(n_steps, "n_steps")
    X = np.random.default_rng(check_seed(seed)).uniform(-1.0, 1.0, (n_sequences, n_steps, 2))
    return X, np.cumsum(X[:, :, :1], axis=1)


def recall_task(n_sequences, lag, n_symbols=4, n_distractors=4, seed=0):
    """X (N, lag + 1, K + D + 1), Y (N, lag + 1, 1): name at the last step the symbol seen ``lag`` steps before."""
    n_sequences = check_positive_int(n_sequences, "n_sequences")
    lag = check_positive_int(lag, "lag")
    n_symbols = check_positive_int(n_symbols, "n_symbols")
    n_distractors = check_positive_int(n_distractors, "n_distractors")
    if n_symbols < 2:
        raise ValueError(f"n_symbols must be at least 2 (one symbol needs no memory), got {n_symbols}")
    rng = np.random.default_rng(check_seed(seed))
    n_steps, rows = lag + 1, np.arange(n_sequences)
    X = np.zeros((n_sequences, n_steps, n_symbols + n_distractors + 1))
    symbols = rng.integers(0, n_symbols, n_sequences)
    X[rows, 0, symbols] = 1.0
    distractors = rng.integers(0, n_distractors, (n_sequences, n_steps - 2)) if lag > 1 else None
    for t in range(1, n_steps - 1):
        X[rows, t, n_symbols + distractors[:, t - 1]] = 1.0
    X[:, -1, -1] = 1.0
    Y = np.full((n_sequences, n_steps, 1), float(NO_TARGET))
    Y[:, -1, 0] = symbols
    return X, Y
