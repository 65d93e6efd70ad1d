"""Lesson 13's character-level language model, one idea per module.

    vocabulary.py       characters <-> ids; one-hot rows (and why onehot @ W is a row lookup)
    objective.py        lm_loss_and_grads: one chunk's loss, gradients and final state (the reference),
                        through a stack of L cells (layers.stack) with dropout while training
    engines.py          the one seam choosing the function that computes them ("reference", "fast")
    batching.py         a text as B streams cut into chunks of T steps: stateful truncated BPTT
    baselines.py        uniform, unigram and bigram losses on held-out text
    ngrams.py           Ngram: count models of any order, add-k smoothed, contexts by stream or by name
    window_mlp.py       WindowMLP: the fixed-window neural model (Bengio et al. 2003), its backward derived
    ladder.py           the names split (train, validation, held out) and every model run as rl.experiments runs it
    sampling.py         temperature, top-k, one draw
    running.py          loss on a long text, hidden states, generation (forward only)
    training.py         the epochs: chunks, carried state, optimizer steps, divergence
    hyperparameters.py  CharLM's defaults and their checks
    model.py            CharLM: fit, loss, sample, hidden_states, save, load
    persistence.py      the .npz format of a saved CharLM, read warily
    text.py             splitting a list of lines (names) into training and held-out text
"""
from .baselines import baseline_losses, bigram_probabilities, unigram_probabilities
from .batching import chunks
from .engines import ENGINES, get_engine
from .model import CharLM
from .ngrams import Ngram
from .objective import PARAM_NAMES, init_params, lm_loss_and_grads, zero_state
from .sampling import probabilities, sample_next
from .text import split_lines
from .vocabulary import Vocabulary, onehot
from .window_mlp import WindowMLP

__all__ = ["CharLM", "Ngram", "WindowMLP", "Vocabulary", "onehot", "lm_loss_and_grads", "init_params", "zero_state", "PARAM_NAMES",
           "chunks", "baseline_losses", "unigram_probabilities", "bigram_probabilities", "probabilities",
           "sample_next", "split_lines", "ENGINES", "get_engine"]
