"""The memory a ``SequenceClassifier`` needs, from its sizes, before anything is allocated (``rnn_lesson.budget``).

Dimensions: N sequences in a padded batch of T steps (the longest), I inputs, H
hidden units per direction, D directions, L layers, G gate blocks, C classes;
P weights, W those of the largest cell (its W_xh and W_hh).

    P = Σ_l D·(I_l + H + 1)·G·H + (D·H + 1)·C          I_0 = I, I_l = D·H above
    training  8 · (8·P + 2·W + T·N·(S + 1 + S_back) + step + N·(3·D·H + 6·C))
    predict   8 · (T·N·(S + 2) + step + N·(2·D·H + 4·C))

S, S_back = ``budget.stack_floats(cell, I, H, L, D, dropout)`` per step and
sequence (the padded inputs, every layer's caches, and going back the
gradients), the mask (and its booleans), step = ``budget.step_floats``; per
sequence the summary, its gradient and the logits, the loss's temporaries.
``fit`` refuses a size whose largest batch (``batch_size`` sequences of the
longest length) would not fit; ``predict_proba`` runs in pieces of sequences
of similar lengths (``budget.pieces``), so one long sequence no longer pads
thousands of short ones, and refuses only a sequence that alone does not fit.
"""
from .. import budget


def weight_counts(model, n_inputs, n_classes):
    """(P, W) for ``model``'s sizes (the module docstring)."""
    D, H, G = 2 if model.bidirectional else 1, model.hidden_size, budget.GATE_COUNT[model.cell]
    widths = [n_inputs] + [D * H] * (model.n_layers - 1)
    cells = [(width + H + 1) * G * H for width in widths]
    return D * sum(cells) + (D * H + 1) * n_classes, max(cells)


def _sizes(model, n_inputs, backward):
    D = 2 if model.bidirectional else 1
    return D, budget.stack_floats(model.cell, n_inputs, model.hidden_size, model.n_layers, D, model.dropout > 0,
                                  backward)


def training_bytes(model, n_inputs, n_classes, n_steps, batch):
    """Bytes one training step on ``batch`` sequences padded to ``n_steps`` takes, weights and Adam included."""
    D, (forward, backward) = _sizes(model, n_inputs, True)
    weights, largest = weight_counts(model, n_inputs, n_classes)
    return budget.FLOAT_BYTES * (budget.optimizer_floats(weights, largest) + n_steps * batch * (forward + 1 + backward)
                                 + budget.step_floats(model.cell, model.hidden_size, batch, D)
                                 + batch * (3 * D * model.hidden_size + 6 * n_classes))


def predict_bytes(model, n_inputs, n_classes, n_steps, batch):
    """Bytes the forward pass of ``batch`` sequences padded to ``n_steps`` takes (the weights exist already)."""
    D, (forward, _) = _sizes(model, n_inputs, False)
    return budget.FLOAT_BYTES * (n_steps * batch * (forward + 2) + budget.step_floats(model.cell, model.hidden_size,
                                                                                       batch, D)
                                 + batch * (2 * D * model.hidden_size + 4 * n_classes))


def check_training(model, n_inputs, n_classes, n_steps, batch):
    """Refuse (MemoryLimitError naming the model and the sizes) a training run that would not fit."""
    what = (f"SequenceClassifier(cell={model.cell!r}, hidden_size={model.hidden_size}, n_layers={model.n_layers}, "
            f"bidirectional={model.bidirectional}) training on batches of {batch:,} sequences of up to "
            f"{n_steps:,} steps ({n_inputs} inputs, {n_classes} classes)")
    return budget.check_bytes(training_bytes(model, n_inputs, n_classes, n_steps, batch), what,
                              "use fewer hidden units or layers, a smaller batch_size or shorter sequences")
