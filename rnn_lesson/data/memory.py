"""Tasks that only memory can solve, generated from a seed (no files).

Dimension letters: N sequences, T steps, I inputs. Each generator returns arrays
``X (N, T, I)`` and ``Y (N, T, 1)`` in the form ``rl.RNN.fit((X, Y))`` takes.

``running_total_task``: the rule of ``data/sample.csv``. Two inputs per step,
x1 and a distraction x2; the label is the running total of x1 so far,

    y_t = x1_0 + x1_1 + ... + x1_t

A model that sees only x_t cannot know the total: it needs a state that adds.

``recall_task``: remember a marked symbol over ``lag`` steps of other symbols.
Every step but the last shows one of K symbols (one-hot); step 0 also raises a
**marker**; step ``lag`` shows only a query flag. The answer at the query step
is the marked symbol, a class 0..K-1:

    inputs  [symbols K | marker 1 | query 1],  T = lag + 1 steps
    labels  NO_TARGET (-1) at steps 0 .. lag-1, the marked symbol at step lag

The distractors look exactly like the symbol to remember, so a state that
simply adds up its inputs cannot answer: the network must write at the marker
and then protect what it wrote. At the query step every sequence looks the
same, so without memory the best answer is the most frequent symbol: about
1/K correct. ``NO_TARGET`` marks the steps that have nothing to predict; the
cross-entropy loss leaves them out.
"""
import numpy as np

from ..losses import NO_TARGET
from ..budget import check_bytes
from ..shapes import check_positive_int, check_seed


def running_total_task(n_sequences, n_steps, seed=0):
    """X (N, T, 2): x1 and the distraction x2, uniform in [-1, 1]; Y (N, T, 1): the running total of x1."""
    n_sequences = check_positive_int(n_sequences, "n_sequences")
    n_steps = check_positive_int(n_steps, "n_steps")
    check_bytes(8 * n_sequences * n_steps * 3, f"running_total_task({n_sequences}, {n_steps})",
                "use fewer or shorter sequences")
    X = np.random.default_rng(check_seed(seed)).uniform(-1.0, 1.0, (n_sequences, n_steps, 2))
    return X, np.cumsum(X[:, :, :1], axis=1)


def recall_task(n_sequences, lag, n_symbols=4, seed=0):
    """X (N, lag + 1, K + 2), Y (N, lag + 1, 1): name at the last step the symbol marked ``lag`` steps before."""
    n_sequences = check_positive_int(n_sequences, "n_sequences")
    lag = check_positive_int(lag, "lag")
    n_symbols = check_positive_int(n_symbols, "n_symbols")
    if n_symbols < 2:
        raise ValueError(f"n_symbols must be at least 2 (one symbol needs no memory), got {n_symbols}")
    check_bytes(8 * n_sequences * (lag + 1) * (n_symbols + 4), f"recall_task({n_sequences}, lag={lag}, "
                f"n_symbols={n_symbols})", "use fewer sequences, a shorter lag or fewer symbols")
    rng = np.random.default_rng(check_seed(seed))
    rows = np.arange(n_sequences)
    symbols = rng.integers(0, n_symbols, (n_sequences, lag))  # steps 0 .. lag - 1; step 0's is the answer
    X = np.zeros((n_sequences, lag + 1, n_symbols + 2))
    for t in range(lag):
        X[rows, t, symbols[:, t]] = 1.0
    X[:, 0, n_symbols] = 1.0  # the marker
    X[:, -1, -1] = 1.0  # the query
    Y = np.full((n_sequences, lag + 1, 1), float(NO_TARGET))
    Y[:, -1, 0] = symbols[:, 0]
    return X, Y
