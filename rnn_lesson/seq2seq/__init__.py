"""Lesson 16: sequence to sequence, and attention, one idea per module.

    vocab       tokens <-> ids, the specials PAD, BOS, EOS; errors name the token and its position
    tasks       the toy translation task (reverse a digit string), split, exact match, the rule baseline
    batches     padded time-major batches, the decoder's inputs and labels (teacher forcing)
    attention   scaled dot-product attention with a mask, forward and backward
    network     encoder, bridge, decoder (+ attention), the output layer: forward, loss, backward
    decode      greedy free-running decoding, teacher-forced predictions
    model       ``Seq2Seq``, the estimator that trains and predicts
    persistence ``Seq2Seq.save`` / ``Seq2Seq.load``: .npz without pickle, written atomically
    sweep       both models at several training budgets, each at its own best rate (``rl.experiments``)

Dimension letters: T encoder steps, S decoder steps, N sequences, V tokens, H hidden units.
Cells: "gru" and "rnn" (``rl.cells``); the LSTM's two states are not wired into the bridge.
"""
from . import attention, batches, decode, network, sweep, tasks, vocab
from .model import Seq2Seq
from .tasks import accuracy_by_length, exact_match, make_split, reverse_rule
from .vocab import BOS, EOS, PAD, Vocabulary
