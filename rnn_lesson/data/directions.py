"""Tasks for lesson 15: one that needs the future (tagging), one with sequences of different lengths (ordering),
one that composes two operations at every step (the switch).

Dimension letters: N sequences, T steps, K symbols (one-hot inputs).

``repeat_tags``: K symbols, one-hot, one per step; the tag of step t is 1 when
the NEXT symbol repeats this one, x_{t+1} = x_t (0 at the last step: nothing
follows). The tag depends on a step not yet read, so a model reading left to
right can only guess (its best is the best memoryless answer, ``best_from_current``);
a model that also reads right to left sees x_{t+1} beside x_t. It is not a
forecast: the whole sequence is given before any tag is asked for.

``which_first``: sequences of random lengths in [min_length, max_length] of
noise symbols, with one A and one B somewhere; the class is 1 when A comes
before B. Both classes hold the same symbols, so any model that ignores order
(a function of the counts) is at chance: the share of the larger class.

``xor_switch``: two numbers per step, x_t = (a_t, b_t), each drawn from N(0, 1)
and pushed ``margin`` away from zero; a switch flips at every step where the two
signs differ, and the tag is whether it is on after step t:

    e_t = [a_t · b_t < 0],      s_t = s_{t-1} XOR e_t  (s_{-1} = 0),      Y[n, t] = s_t

Two operations composed at every step: detect the event (an XOR of two signs,
which no single threshold unit computes) and flip a remembered bit on it (an
XOR again, with the state). Without memory the best rule answers e_t itself:
always right at step 0 (s_0 = e_0), right half the time after it
(``switch_without_memory``: about (1 + (T - 1)/2) / T).
"""
import numpy as np

from ..shapes import check_positive_int, check_seed


def repeat_tags(n_sequences, n_steps, n_symbols=2, seed=0):
    """X (N, T, K) one-hot symbols, Y (N, T, 1) with Y[n, t] = 1.0 when x_{t+1} = x_t (0 at t = T - 1)."""
    n_sequences, n_steps = check_positive_int(n_sequences, "n_sequences"), check_positive_int(n_steps, "n_steps")
    n_symbols = check_positive_int(n_symbols, "n_symbols")
    if n_symbols < 2 or n_steps < 2:
        raise ValueError(f"repeat_tags needs n_symbols >= 2 and n_steps >= 2, got {n_symbols} and {n_steps}")
    symbols = np.random.default_rng(check_seed(seed)).integers(0, n_symbols, (n_sequences, n_steps))
    X = np.eye(n_symbols)[symbols]
    Y = np.zeros((n_sequences, n_steps, 1))
    Y[:, :-1, 0] = symbols[:, 1:] == symbols[:, :-1]
    return X, Y


def best_from_current(X, Y):
    """The best accuracy of any rule that sees only x_t: for each distinct x_t, answer its most frequent tag."""
    inputs = np.asarray(X).reshape(-1, np.shape(X)[-1])
    tags = np.asarray(Y).reshape(-1)
    correct = 0
    for row in np.unique(inputs, axis=0):
        here = tags[np.all(inputs == row, axis=1)]
        correct += max(np.sum(here == value) for value in np.unique(here))
    return correct / len(tags)


def which_first(n_sequences, min_length, max_length, n_noise=2, seed=0):
    """A list of N arrays (T_n, 2 + n_noise) (columns A, B, noise...) and labels (N,): 1 when A comes before B."""
    n_sequences = check_positive_int(n_sequences, "n_sequences")
    min_length, max_length = check_positive_int(min_length, "min_length"), check_positive_int(max_length, "max_length")
    n_noise = check_positive_int(n_noise, "n_noise")
    if not 2 <= min_length <= max_length:
        raise ValueError(f"lengths must satisfy 2 <= min_length <= max_length, got {min_length} and {max_length}")
    rng = np.random.default_rng(check_seed(seed))
    sequences, labels = [], np.zeros(n_sequences, dtype=np.int64)
    for n in range(n_sequences):
        length = int(rng.integers(min_length, max_length + 1))
        x = np.eye(2 + n_noise)[2 + rng.integers(0, n_noise, length)]
        a, b = rng.choice(length, 2, replace=False)
        x[a], x[b] = np.eye(2 + n_noise)[0], np.eye(2 + n_noise)[1]
        sequences.append(x)
        labels[n] = a < b
    return sequences, labels


def xor_switch(n_sequences, n_steps, margin=0.3, seed=0):
    """X (N, T, 2) pairs (a_t, b_t), Y (N, T, 1) with Y[n, t] = 1.0 when an odd number of steps <= t had signs differing."""
    n_sequences, n_steps = check_positive_int(n_sequences, "n_sequences"), check_positive_int(n_steps, "n_steps")
    if isinstance(margin, bool) or not isinstance(margin, (int, float, np.floating)) or not 0 <= margin < 10:
        raise ValueError(f"margin must be a number in [0, 10) (how far from zero each input is pushed), got {margin!r}")
    X = np.random.default_rng(check_seed(seed)).standard_normal((n_sequences, n_steps, 2))
    X += np.where(X < 0, -margin, margin)
    events = X[:, :, 0] * X[:, :, 1] < 0
    return X, (np.cumsum(events, axis=1) % 2)[:, :, None].astype(np.float64)


def switch_without_memory(X, Y):
    """The accuracy of the best rule that sees only x_t on ``xor_switch`` data: answer "the signs differ now"."""
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    if X.ndim != 3 or X.shape[2] != 2 or Y.shape != X.shape[:2] + (1,):
        raise ValueError(f"X must be (N, T, 2) and Y (N, T, 1) as xor_switch returns, got {X.shape} and {Y.shape}")
    return float(np.mean((X[:, :, 0] * X[:, :, 1] < 0) == (Y[:, :, 0] > 0.5)))
