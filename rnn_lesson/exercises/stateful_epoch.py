"""Checker for lesson 13's exercise 3: one epoch of stateful truncated BPTT, written from ``lm_loss_and_grads``.

    check_stateful_epoch(fn)   fn(cell, params, ids, batch_size, seq_len, optimizer, clip_norm) -> mean loss

Dimensions: L characters, B streams (``batch_size``), T steps per chunk (``seq_len``), H hidden.
Lesson 05's exercise 3 (``chunked_bptt``) carried one sequence's state through plain SGD; this is
the language model's loop, as ``CharLM`` runs it (``rnn_lesson.language.training``):

    n = (L - 1) // B;  streams = ids[:B·n].reshape(B, n);  nexts = ids[1:B·n + 1].reshape(B, n)
    state = zero_state(cell, B, H)                      every epoch starts every stream afresh
    for s = 0, T, 2T, ... < n:                          in order: chunk k continues chunk k - 1
        inputs, targets = streams[:, s:s+T].T, nexts[:, s:s+T].T          (T, B), time-major
        loss, grads, state = lm_loss_and_grads(cell, params, inputs, targets, state)
        optimizer.step(params, grads, clip_norm=clip_norm)                one update per chunk
    return the mean loss over all B·n predictions       each chunk's mean weighted by its size

The state is carried from chunk to chunk; its gradient is not (``lm_loss_and_grads`` stops it at
the chunk's first step, which is what ``detach`` does in an autograd framework). The checker runs
the learner's function for two epochs in a row (the same params and optimizer) on short texts of
names, a GRU and an LSTM (whose state is (h, c)), and compares the loss and every parameter after
each epoch with ``CharLM(..., epochs=2).fit(text)``: the package's own training of the same model
from the same start. A difference is named by the first of ``MISTAKES`` that reproduces it.
"""
import logging
import numbers

import numpy as np

from . import Feedback, call_safely, compare, known_mistake, params_problem, verdict, with_hint
from ..language.model import CharLM
from ..language.objective import init_params, lm_loss_and_grads, zero_state
from ..language.vocabulary import Vocabulary
from ..optim import Adam

NAMES = ("emma olivia ava isabella sophia mia charlotte amelia harper evelyn abigail emily liam noah "
         "william james logan benjamin mason elijah oliver jacob lucas michael alexander ethan daniel "
         "matthew aiden henry joseph jackson samuel sebastian david carter wyatt jayden john owen").split()

MISTAKES = {
    "reset": "Hint: every chunk starts from the zero state: carry the state that lm_loss_and_grads returns into "
             "the next chunk (state = new_state). Truncation cuts the gradient, not the memory.",
    "interleaved": "Hint: each stream must read consecutive characters. reshape(n, B) interleaves them (stream b "
                   "reads every B-th character); reshape the ids into B rows, ids[:B*n].reshape(B, n), and "
                   "transpose each chunk of columns to (T, B).",
    "reversed": "Hint: the chunks ran in the wrong order. Chunk k must continue where chunk k - 1 stopped, or the "
                "carried state belongs to another part of the text: go through the columns from the start.",
    "one_update": "Hint: you made one update per epoch. Stateful truncated BPTT steps the optimizer after every "
                  "chunk (optimizer.step(params, grads, clip_norm=clip_norm) inside the loop).",
    "no_clip": "Hint: the gradients were not clipped: pass clip_norm to optimizer.step(params, grads, "
               "clip_norm=clip_norm).",
    "drop_last": "Hint: the last, shorter chunk is missing: when T does not divide n, train on the remaining "
                 "columns too.",
    "plain_mean": "Hint: you averaged the chunks' losses as equals. The last chunk is shorter: weight each "
                  "chunk's mean by its number of predictions (inputs.size), as CharLM's loss_curve_ does.",
    "carried_over": "Hint: the second epoch did not start from the zero state. Every epoch reads each stream from "
                    "its first character again, so make a fresh zero_state(cell, B, H) at the start of the epoch "
                    "(inside your function, not once outside it).",
}


def _columns(ids, batch_size, layout="streams"):
    """(inputs, targets), each (n, B): column b is stream b (``layout="interleaved"``: the mistake)."""
    n = (len(ids) - 1) // batch_size
    if layout == "interleaved":
        return ids[:batch_size * n].reshape(n, batch_size), ids[1:batch_size * n + 1].reshape(n, batch_size)
    return ids[:batch_size * n].reshape(batch_size, n).T, ids[1:batch_size * n + 1].reshape(batch_size, n).T


def reference_epoch(cell, params, ids, batch_size, seq_len, optimizer, clip_norm, mistake=None, state=None):
    """One epoch in place, CharLM's way, or with one of ``MISTAKES``; returns (mean loss, final state)."""
    inputs, targets = _columns(ids, batch_size, "interleaved" if mistake == "interleaved" else "streams")
    fresh = zero_state(cell, batch_size, params["W_hh"].shape[0])
    state = fresh if state is None or mistake != "carried_over" else state
    starts = list(range(0, len(inputs), seq_len))
    if mistake == "drop_last" and len(inputs) % seq_len:
        starts = starts[:-1]
    if mistake == "reversed":
        starts = starts[::-1]
    losses, sizes, pending = [], [], None
    for start in starts:
        chunk_in = np.ascontiguousarray(inputs[start:start + seq_len])
        chunk_out = np.ascontiguousarray(targets[start:start + seq_len])
        loss, grads, state = lm_loss_and_grads(cell, params, chunk_in, chunk_out, fresh if mistake == "reset"
                                               else state)
        if mistake == "one_update":
            pending = grads if pending is None else {k: pending[k] + grads[k] for k in grads}
        else:
            optimizer.step(params, grads, clip_norm=None if mistake == "no_clip" else clip_norm)
        losses.append(loss)
        sizes.append(chunk_in.size)
    if pending is not None:
        optimizer.step(params, pending, clip_norm=clip_norm)
    if mistake == "plain_mean":
        return float(np.mean(losses)), state
    return float(np.dot(losses, sizes) / np.sum(sizes)), state


def _cases():
    """(what, cell, text, B, T, H, learning rate, clip norm, seed): a short last chunk in each, clipping active."""
    text = "\n" + "\n".join(NAMES) + "\n"
    return [("case 1 (GRU, B=3 streams, T=4 steps, H=5)", "gru", text, 3, 4, 5, 0.05, 0.25, 1),
            ("case 2 (LSTM, state (h, c), B=4, T=7, H=4)", "lstm", text[:160], 4, 7, 4, 0.05, 0.25, 2)]


def _expected(cell, text, batch_size, seq_len, hidden, learning_rate, clip_norm, seed):
    """What CharLM trains: the params and the training loss after epoch 1 and after epoch 2."""
    snapshots, log = [], logging.getLogger(CharLM.__module__)
    level = log.level
    log.setLevel(logging.WARNING)  # the reference's "training a gru of 5 units ..." is not the learner's news
    model = CharLM(cell=cell, hidden_size=hidden, seq_len=seq_len, batch_size=batch_size, learning_rate=learning_rate,
                   clip_norm=clip_norm, epochs=2, seed=seed, progress=False)
    try:
        model.fit(text, after_epoch=lambda epoch, m: snapshots.append({k: v.copy() for k, v in m.params_.items()}))
    finally:
        log.setLevel(level)
    return [(loss, params) for loss, params in zip(model.loss_curve_, snapshots)]


def _wrong(cell, ids, vocab_size, batch_size, seq_len, hidden, learning_rate, clip_norm, seed):
    """mistake -> [(loss, params) after epoch 1, after epoch 2], each mistake trained from the same start."""
    wrong = {}
    for mistake in MISTAKES:
        params, optimizer, state, epochs = init_params(cell, vocab_size, hidden, seed), Adam(learning_rate), None, []
        for _ in range(2):
            loss, state = reference_epoch(cell, params, ids, batch_size, seq_len, optimizer, clip_norm, mistake, state)
            epochs.append((loss, {k: v.copy() for k, v in params.items()}))
        wrong[mistake] = epochs
    return wrong


def _loss_problem(result, what):
    if result is None:
        return "not attempted yet: your function returns None. Write it, run the cell again."
    if isinstance(result, (bool, np.bool_)) or not isinstance(result, (numbers.Real, np.floating)):
        return (f"{what}: return the epoch's mean training loss as one number, got {type(result).__name__} "
                f"{result!r}.")
    return None


def _exception_hint(problem):
    if "state[" in problem and "must have shape" in problem:
        return ("Hint: inputs and targets must be time-major, (T, B): steps down, streams across; a chunk of "
                "columns of the (B, n) streams needs a .T.")
    if "2-D integer array" in problem:
        return "Hint: pass the chunks as integer arrays of shape (T, B) (ids, not one-hot vectors)."
    return None


def check_stateful_epoch(epoch_fn):
    """Check ``epoch_fn(cell, params, ids, batch_size, seq_len, optimizer, clip_norm) -> mean loss`` (see above)."""
    for what, cell, text, batch_size, seq_len, hidden, learning_rate, clip_norm, seed in _cases():
        vocab = Vocabulary.from_text(text)
        ids = vocab.encode(text)
        params, optimizer = init_params(cell, len(vocab), hidden, seed), Adam(learning_rate)
        arrays = dict(params)
        expected = _expected(cell, text, batch_size, seq_len, hidden, learning_rate, clip_norm, seed)
        for epoch in (1, 2):
            where = f"{what}, epoch {epoch} of 2"
            result, problem = call_safely(epoch_fn, [cell, params, ids, batch_size, seq_len, optimizer, clip_norm],
                                          where)
            if problem:
                return verdict([with_hint(problem, _exception_hint(problem))], "")
            problem = _loss_problem(result, where) or params_problem(params, arrays, where)
            if problem:
                return Feedback(False, problem) if problem.startswith("not attempted") else verdict([problem], "")
            want_loss, want_params = expected[epoch - 1]
            checks = [("the mean training loss", float(result), want_loss, None)]
            checks += [(f"params[{k!r}] after the epoch", params[k], want_params[k], k) for k in want_params]
            for label, got, want, key in checks:
                problem = compare(got, want, f"{where}: {label}", rtol=1e-7, atol=1e-10)
                if problem:
                    wrong = _wrong(cell, ids, len(vocab), batch_size, seq_len, hidden, learning_rate, clip_norm, seed)
                    candidates = [(MISTAKES[m], runs[epoch - 1][0] if key is None else runs[epoch - 1][1][key])
                                  for m, runs in wrong.items()]
                    hint = known_mistake(got, candidates, rtol=1e-7, atol=1e-10)
                    return verdict([with_hint(problem, hint)], "")
    return verdict([], "the loss and every parameter agree with CharLM after each of two epochs, for a GRU and "
                       "an LSTM (state (h, c)), with a shorter last chunk and clipping at work.")
