"""The epochs of CharLM: stateful truncated BPTT over batches of chunks, an optimizer step per chunk.

One epoch over the ids of a text (see ``batching``):

    state = zeros                                    (B, H) per state of the cell, for every layer
    for inputs, targets in chunks(ids, B, T):        (T, B) each
        if not stateful: state = zeros               every chunk forgets what came before
        loss, grads, state = lm_loss_and_grads(cell, params, inputs, targets, state, dropout, rng)
        optimizer.step(params, grads, clip_norm)     (gradients clipped by global norm first)

The state is carried from chunk to chunk but the gradient is not: the chunk's
backward pass stops at its first step. The epoch's loss is the mean over all
its predictions (each chunk's mean weighted by its size). Dropout's masks come
from one generator seeded by ``[seed, 3]`` for the whole run (none is drawn when
dropout is 0), so the same seed trains to the same numbers. If a loss or a
gradient stops being finite, the parameters go back to the start of the epoch
and TrainingDiverged says where.
"""
import math
import time

import numpy as np

from ..models.training import EpochBar, TrainingDiverged
from .batching import chunks, n_chunks
from .engines import get_engine
from .objective import zero_state


def train_epochs(model, ids, optimizer, after_epoch):
    """Train ``model.params_`` in place for ``model.epochs`` epochs on ``ids``; ``after_epoch(epoch)`` may stop it.

    With ``model.max_seconds`` the last epoch may end early, after the chunk that
    reached the time limit (its loss is then the mean over the chunks it ran).
    """
    loss_and_grads = get_engine(model.engine)
    rng = np.random.default_rng([model.seed, 3])
    updates = n_chunks(len(ids), model.batch_size, model.seq_len)
    deadline = time.perf_counter() + (math.inf if model.max_seconds is None else model.max_seconds)
    with EpochBar(model.epochs * updates, model.progress, unit="chunk") as bar:
        for epoch in range(1, model.epochs + 1):
            start = {key: value.copy() for key, value in model.params_.items()}
            try:
                loss = _epoch(model, ids, optimizer, (loss_and_grads, rng), bar, (epoch - 1) * updates, deadline)
            except FloatingPointError as err:
                model.params_ = start
                raise TrainingDiverged(f"training diverged in epoch {epoch} ({err}); try a lower learning_rate "
                                       f"(now {model.learning_rate:g}) or a smaller clip_norm") from None
            model.loss_curve_.append(loss)
            if after_epoch(epoch) or time.perf_counter() >= deadline:
                break


def _epoch(model, ids, optimizer, engine, bar, done, deadline):
    """One pass over ``ids`` (or as much as ends by ``deadline``); returns the mean loss over its predictions."""
    loss_and_grads, rng = engine
    fresh = zero_state(model.cell, model.batch_size, model.hidden_size, model.n_layers)
    state, total, count = fresh, 0.0, 0
    for k, (inputs, targets) in enumerate(chunks(ids, model.batch_size, model.seq_len), start=1):
        if not model.stateful:
            state = fresh
        loss, grads, state = loss_and_grads(model.cell, model.params_, inputs, targets, state, model.dropout, rng)
        if not np.isfinite(loss):
            raise FloatingPointError(f"the loss is {loss} at chunk {k}")
        optimizer.step(model.params_, grads, clip_norm=model.clip_norm)
        total, count = total + loss * inputs.size, count + inputs.size
        bar.update(done + k, loss)
        if time.perf_counter() >= deadline:
            break
    return total / count
