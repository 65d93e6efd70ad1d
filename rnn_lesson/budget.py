"""How much memory a network needs, worked out from its sizes before anything is allocated.

Dimensions: I inputs, H hidden units, G gate blocks of the cell (1 rnn, 4 lstm,
3 gru), O outputs, T steps of the longest sequence, B sequences per step.

    weights   P = I·G·H + H·G·H + G·H + H·O + O                  (float64: 8 bytes each)
    training  8 bytes · (COPIES · P + 2 · B · T · (I + 2·O + (2·G + 2)·H))

Training holds ``COPIES`` = 4 sets of weights at once (the weights, their
gradients, the epoch's starting weights kept to roll back a divergence, and
the update's temporaries), and, for every step of the sequence being trained
on, its input, output and its gradient, and the cell's states and gates:
twice that, once for the forward cache and once for the backward pass.

``MEMORY_LIMIT`` is 2 GiB. The course's largest model holds a few thousand
weights (under 1 MB); 2 GiB is what a laptop spares without swapping and the
memory Binder gives a session, so a size beyond it is a typing mistake (an
extra zero), not a plan: ``--hidden 1000000`` would need 7.3 TiB for W_hh
alone. Refusing it up front, in words, replaces NumPy's ``_ArrayMemoryError``
(or the machine swapping) at the first allocation.

The newer models (a stack of layers, the language model, seq2seq) count what
their code keeps, in floats per step and sequence (``stack_floats``), from
what the cells' ``forward`` keeps for ``backward`` (``CACHE_FLOATS`` per unit:
rnn h_t in its step cache, hs with h_0 and its copy: 3; gru r, z, n, r⊙h, h_t
and hs: 6; lstm σ(a) (4H: i, f, o and the g block unused), g, c, tanh c, h_t,
and cs, hs: 10) and their weights as ``TRAINING_COPIES`` = 8 copies (the
weights, Adam's two moments, the gradients, the epoch's starting copy, and the
step's copy of the weights and of Adam's state, kept to undo a step that
overflows) plus two of the largest layer (one step's gradient in BPTT and the
update's temporaries). A request that can be served in pieces (prediction,
hidden states) is cut into pieces of at most ``PIECE_LIMIT`` bytes
(``pieces``); only what cannot be cut is refused.
"""
import numbers

import numpy as np

MEMORY_LIMIT = 2 * 1024 ** 3  # bytes
COPIES = 4
FLOAT_BYTES = 8
TRAINING_COPIES = 8  # the weights and the arrays of their size that training with Adam holds (module docstring)
CACHE_FLOATS = {"rnn": 3, "gru": 6, "lstm": 10}  # floats per step, sequence and unit a cell's forward keeps
GATE_COUNT = {"rnn": 1, "gru": 3, "lstm": 4}  # G, the cells' gate blocks (their GATES; not imported: cells import this)
PIECE_LIMIT = MEMORY_LIMIT // 8  # 256 MiB: the most one piece of a request served in pieces may take


class MemoryLimitError(ValueError):
    """A size whose arrays would not fit in ``MEMORY_LIMIT``; raised before anything is allocated."""


def weight_count(n_inputs, n_hidden, n_outputs=0, n_gates=1):
    """P, the number of weights of a cell of G blocks (W_xh, W_hh, b_h) and its output layer (W_hy, b_y)."""
    width = n_gates * n_hidden
    output = n_hidden * n_outputs + n_outputs
    return n_inputs * width + n_hidden * width + width + output


def training_bytes(n_inputs, n_hidden, n_outputs, n_gates=1, n_steps=1, batch=1):
    """The bytes training needs (the module docstring's formula); Python ints, so nothing overflows."""
    per_step = n_inputs + 2 * n_outputs + (2 * n_gates + 2) * n_hidden
    return FLOAT_BYTES * (COPIES * weight_count(n_inputs, n_hidden, n_outputs, n_gates)
                          + 2 * batch * n_steps * per_step)


def check_bytes(n_bytes, what, advice="use fewer hidden units"):
    """MemoryLimitError naming ``what`` and the size when ``n_bytes`` exceeds MEMORY_LIMIT; returns n_bytes."""
    if not isinstance(n_bytes, numbers.Integral) or n_bytes > MEMORY_LIMIT:
        raise MemoryLimitError(f"{what} would need {readable_bytes(n_bytes)} of memory, more than the "
                               f"{readable_bytes(MEMORY_LIMIT)} the package allows (rnn_lesson.budget); {advice}")
    return int(n_bytes)


def check_weights(n_inputs, n_hidden, n_outputs=0, n_gates=1):
    """Refuse (MemoryLimitError) weights of these sizes that would not fit in MEMORY_LIMIT."""
    count = weight_count(n_inputs, n_hidden, n_outputs, n_gates)
    sizes = f"I={n_inputs}, H={n_hidden}" + (f", O={n_outputs}" if n_outputs else "")
    return check_bytes(FLOAT_BYTES * count, f"weights for {sizes} ({count:,} numbers)",
                       "use fewer hidden units (or inputs)")


def check_training(n_inputs, n_hidden, n_outputs, n_gates, n_steps, batch, who):
    """Refuse (MemoryLimitError naming ``who``) a training run that would not fit in MEMORY_LIMIT."""
    return check_bytes(training_bytes(n_inputs, n_hidden, n_outputs, n_gates, n_steps, batch),
                       f"training {who} on sequences of up to {n_steps} steps (I={n_inputs}, O={n_outputs})",
                       "use fewer hidden units, a smaller batch_size or shorter sequences")


def optimizer_floats(n_weights, largest_layer):
    """Floats the weights take while training with Adam: ``TRAINING_COPIES · P + 2 · W`` (module docstring)."""
    return TRAINING_COPIES * n_weights + 2 * largest_layer


def stack_floats(cell, n_inputs, n_hidden, n_layers=1, directions=1, dropout=False, backward=False):
    """Floats per step and sequence a ``layers.stack`` holds over an input (T, N, I): ``(forward, backward)``.

    K = CACHE_FLOATS[cell], D directions, d = 1 with dropout, I_l the inputs of
    layer l (I, then D·H):

        forward   I + Σ_l [D·K·H + 2·d·D·H + (D - 1)·(I_l + 3·H + 3)]
        backward  D·H·(1 + [L > 1] + d) + (D - 1)·H + 2·D·max_l I_l      (with ``backward``, else 0)

    forward: the input, each layer's cell caches, dropout's mask and output, and
    for a bidirectional layer its reversed input (kept by the backward cell), the
    backward cell's states put back in order, the two directions side by side and
    the reversal's indices (a comparison and two index arrays). backward, on
    top of it: the gradient arriving at the top, the one at the layer being run
    (below the top), dropout's product, the backward cell's reversed gradient,
    and dL/dxs of both cells as a list and as an array (then reversed and added).
    """
    K, D, d = CACHE_FLOATS[cell], directions, int(bool(dropout))
    widths = [n_inputs] + [D * n_hidden] * (n_layers - 1)
    forward = n_inputs + sum(D * K * n_hidden + 2 * d * D * n_hidden + (D - 1) * (width + 3 * n_hidden + 3)
                             for width in widths)
    if not backward:
        return forward, 0
    return forward, D * n_hidden * (1 + (n_layers > 1) + d) + (D - 1) * n_hidden + 2 * D * max(widths)


def step_floats(cell, n_hidden, batch, directions=1):
    """Floats one step's temporaries take at most (gate products forward, gate gradients back): 8·G·H·D·N."""
    return 8 * GATE_COUNT[cell] * n_hidden * directions * batch


def pieces(lengths, piece_bytes, what, limit=None):
    """The indices of a request cut into pieces of at most ``limit`` bytes each (PIECE_LIMIT): a list of int arrays.

    ``piece_bytes(longest, count)`` is what a piece of ``count`` items padded to
    ``longest`` steps takes. A request that fits in ``limit`` is one piece in
    its own order (what one call did before); otherwise the items go shortest
    first, so that a piece pads to the length of its own longest. An item that
    alone needs more than MEMORY_LIMIT is refused (MemoryLimitError naming it as
    ``what[index]`` and its length); one between ``limit`` and it is a piece on
    its own.
    """
    lengths, limit = np.asarray(lengths, dtype=np.int64), PIECE_LIMIT if limit is None else limit
    if piece_bytes(int(lengths.max()), len(lengths)) <= limit:
        return [np.arange(len(lengths))]
    order = np.argsort(lengths, kind="stable")
    found, start = [], 0
    for end, index in enumerate(order):
        longest = int(lengths[index])  # the longest of the piece so far: the items go shortest first
        if end > start and piece_bytes(longest, end + 1 - start) > limit:
            found.append(order[start:end])
            start = end
        if start == end:
            check_bytes(piece_bytes(longest, 1), f"{what}[{index}] ({longest:,} steps)", "cut it into shorter ones")
    return found + [order[start:]]


def readable_bytes(n_bytes):
    """``n_bytes`` as "7.3 TiB", "512 MiB", "12 KiB" or "100 bytes"."""
    value = float(n_bytes)
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if value < 1024 or unit == "PiB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.3g} {unit}"
        value /= 1024
    return f"{value:.3g} PiB"  # not reached
