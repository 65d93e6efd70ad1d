"""The memory a ``Seq2Seq`` needs, from its sizes, before anything is allocated (``rnn_lesson.budget``).

Dimension letters: N sequences in a batch, T encoder steps (the longest source),
S decoder steps (the longest target + 1 when training, ``max_steps`` when
decoding), V tokens, H hidden units, K = ``budget.CACHE_FLOATS[cell]``, P the
weights and W those of one cell, a = 1 with attention. Per sequence, in floats:

    training  T·(V + (K + 1)·H + 3) + S·(3·V + (K + 4)·H + 3) + a·S·T
              + max(5·S·V, 5·a·S·T, 2·(S + T)·V + T·H)
    greedy    2·T + max(T·(V + K·H), T·H + a·(2·S·T + 4·T)) + 3·S + 3·V + 8·H

Training (``network.loss_and_grads``) keeps each side's one-hot inputs, cell
caches and ids, the attention weights (N, S, T), the features [s, c], the
logits and dL/dlogits, dL/dfeatures and dL/dhs of the encoder; on top of them,
one at a time, the loss's temporaries, attention's backward (dL/dweights, its
products and transposed copies: up to five (N, S, T) arrays), or the cells'
dL/dxs. Add the weights, ``budget.optimizer_floats(P, W)``, and one step's
temporaries. Greedy decoding (``decode.greedy``) holds the padded ids, then the
encoder's inputs and caches, or instead its states with the attention weights
of every step (a list, then one array) and each step's scores; and the outputs.
64 pairs of 4,000 digits need 46 GiB for the S·T terms alone.
``Seq2Seq.predict`` decodes in pieces of sources of similar lengths
(``budget.pieces``); ``fit``, ``decode_batch`` and the teacher-forced passes
refuse what does not fit. (Checked against tracemalloc's peak in the tests.)
"""
from .. import budget


def weight_counts(n_tokens, n_hidden, cell, attention):
    """(P, W): every weight of a Seq2Seq, and those of one of its two cells."""
    one_cell = (n_tokens + n_hidden + 1) * budget.GATE_COUNT[cell] * n_hidden
    return 2 * one_cell + ((2 if attention else 1) * n_hidden + 1) * n_tokens, one_cell


def training_bytes(n_tokens, n_hidden, cell, attention, n_steps, n_out_steps, batch):
    """Bytes one teacher-forced step (forward and backward, Adam included) on a padded batch takes."""
    V, H, K, T, S, a = n_tokens, n_hidden, budget.CACHE_FLOATS[cell], n_steps, n_out_steps, int(attention)
    per_sequence = (T * (V + (K + 1) * H + 3) + S * (3 * V + (K + 4) * H + 3) + a * S * T
                    + max(5 * S * V, 5 * a * S * T, 2 * (S + T) * V + T * H))
    return budget.FLOAT_BYTES * (budget.optimizer_floats(*weight_counts(V, H, cell, attention)) + batch * per_sequence
                                 + budget.step_floats(cell, H, batch))


def greedy_bytes(n_tokens, n_hidden, cell, attention, n_steps, max_steps, batch):
    """Bytes greedy decoding of ``batch`` sources padded to ``n_steps`` takes for ``max_steps`` steps."""
    V, H, K, T, S, a = n_tokens, n_hidden, budget.CACHE_FLOATS[cell], n_steps, max_steps, int(attention)
    per_sequence = 2 * T + max(T * (V + K * H), T * H + a * (2 * S * T + 4 * T)) + 3 * S + 3 * V + 8 * H
    return budget.FLOAT_BYTES * (batch * per_sequence + budget.step_floats(cell, H, batch))


def check_pairs(model, n_tokens, sources, targets, batch, what="training"):
    """Refuse (MemoryLimitError) a teacher-forced pass of ``batch`` pairs padded to the longest source and target."""
    T, S = max(map(len, sources)), max(map(len, targets)) + 1
    return budget.check_bytes(
        training_bytes(n_tokens, model.hidden_size, model.cell, model.attention, T, S, batch),
        f"{model!r} {what} on batches of {batch:,} pairs of up to {T:,} source and {S - 1:,} target tokens",
        "use shorter pairs, a smaller batch_size or fewer hidden units")
