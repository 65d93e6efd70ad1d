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
"""
import numbers

MEMORY_LIMIT = 2 * 1024 ** 3  # bytes
COPIES = 4
FLOAT_BYTES = 8


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


def readable_bytes(n_bytes):
    """``n_bytes`` as "7.3 TiB", "512 MiB", "12 KiB" or "100 bytes"."""
    value = float(n_bytes)
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if value < 1024 or unit == "PiB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.3g} {unit}"
        value /= 1024
    return f"{value:.3g} PiB"  # not reached
