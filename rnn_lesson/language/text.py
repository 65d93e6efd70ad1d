"""Texts for the language model: a file of lines (names) split into a training and a held-out part."""
import numpy as np

from ..shapes import check_fraction, check_seed
from .vocabulary import check_text


def split_lines(text, heldout_fraction=0.1, seed=0):
    """(train_text, heldout_text): the lines of ``text`` shuffled with ``seed`` and cut, each line ending in \\n.

    With names.txt the held-out names are names the model never saw; each part
    starts with a newline, so its first name's first letter is predicted too
    (after "\\n", as every other name's).
    """
    lines = [line for line in check_text(text).split("\n") if line]
    if len(lines) < 2:
        raise ValueError(f"the text has {len(lines)} non-empty line(s); splitting needs at least 2")
    check_fraction(heldout_fraction, "heldout_fraction")
    order = np.random.default_rng(check_seed(seed)).permutation(len(lines))
    n_heldout = min(max(1, round(len(lines) * heldout_fraction)), len(lines) - 1)
    heldout, train = order[:n_heldout], order[n_heldout:]
    return ("\n" + "\n".join(lines[i] for i in train) + "\n", "\n" + "\n".join(lines[i] for i in heldout) + "\n")
