"""The memory CharLM needs, worked out from its sizes before anything is allocated (``rnn_lesson.budget``).

Dimensions: V characters, H hidden units, L layers, G gate blocks (1 rnn, 3 gru,
4 lstm), T steps per chunk (``seq_len``), B streams (``batch_size``), P weights,
W the weights of the largest layer (its W_xh and W_hh).

Training holds the weights as ``budget.optimizer_floats(P, W)`` = 8·P + 2·W
floats, and one chunk at a time. The reference engine
(``objective.lm_loss_and_grads``), per step and stream, in floats:

    S + V + max(5·V, V + S_back)                  S, S_back = budget.stack_floats(cell, V, H, L, dropout)

S: the one-hot inputs and every layer's caches; then the logits, and either the
softmax's temporaries (shifted logits, their exponentials, the one-hot targets,
the probabilities and their difference) or, going back, dL/dlogits and the
stack's backward. Add one step's temporaries, ``budget.step_floats``. The fast
engine holds instead up to two ``rl.fast.CellWorkspace`` (the chunk of T steps,
and the shorter last one; T is at most a stream's length), each exactly

    T·B·(2·G·H + 2·H + 2·V + e·H) + B·(G·H + 6·H + [e > 0]·H) + 2·P      e = 2 lstm, 1 gru, 0 rnn

and 7·P + W for the weights (its gradients live in the workspace; the test
checks this against ``CellWorkspace.nbytes``). Without gradients (``loss``,
``hidden_states``, ``sample``) the model runs in pieces: ``loss`` steps 64
pieces side by side, ``hidden_states`` reads ``hidden_chunk`` characters at a
time (their caches, S floats each, at most ``budget.PIECE_LIMIT``), and
only its output, L·H floats for L characters, is refused beyond the limit.
"""
from .. import budget

ENGINE_NAMES = {"reference": "the reference engine", "fast": "the fast engine"}
MAX_CHUNK = 1024  # characters a piece of hidden_states reads at most (more saves no time)


def weight_counts(cell, n_vocab, n_hidden, n_layers):
    """(P, W): all the weights of a CharLM, and those of its largest layer."""
    width = budget.GATE_COUNT[cell] * n_hidden
    first, upper = (n_vocab + n_hidden + 1) * width, (2 * n_hidden + 1) * width
    return first + (n_layers - 1) * upper + (n_hidden + 1) * n_vocab, max(first, upper)


def workspace_floats(cell, n_steps, batch, n_vocab, n_hidden):
    """The floats of one ``rl.fast.CellWorkspace(cell, T, B, V, H, V)``, its gradients and saved weights included."""
    G, extra = budget.GATE_COUNT[cell], {"lstm": 2, "gru": 1, "rnn": 0}[cell]
    weights = weight_counts(cell, n_vocab, n_hidden, 1)[0]
    return (n_steps * batch * (2 * G * n_hidden + 2 * n_hidden + 2 * n_vocab + extra * n_hidden)
            + batch * (G * n_hidden + 6 * n_hidden + (extra > 0) * n_hidden) + 2 * weights)


def training_bytes(cell, n_vocab, n_hidden, n_layers, seq_len, batch_size, dropout=0.0, engine="reference",
                   n_chars=None):
    """The bytes a CharLM of these sizes needs while training (the module docstring's formulas).

    ``n_chars``: the text's length, when known: a chunk is then at most as long as a stream, (L - 1) // B
    characters, and the fast engine's second workspace is that of the last chunk, if it is shorter.
    """
    weights, largest = weight_counts(cell, n_vocab, n_hidden, n_layers)
    if n_chars is None:
        chunks = [seq_len, seq_len]  # a full chunk and, at most as long, the last one
    else:
        per_stream = max(1, (n_chars - 1) // batch_size)
        chunks = [min(seq_len, per_stream)] + ([per_stream % seq_len] if per_stream > seq_len and per_stream % seq_len
                                                else [])
    seq_len = chunks[0]
    if engine == "fast":
        return budget.FLOAT_BYTES * (7 * weights + largest + sum(workspace_floats(cell, steps, batch_size, n_vocab,
                                                                                  n_hidden) for steps in chunks))
    forward, backward = budget.stack_floats(cell, n_vocab, n_hidden, n_layers, dropout=dropout > 0, backward=True)
    per_step = forward + n_vocab + max(5 * n_vocab, n_vocab + backward)
    return budget.FLOAT_BYTES * (budget.optimizer_floats(weights, largest) + seq_len * batch_size * per_step
                                 + budget.step_floats(cell, n_hidden, batch_size))


def check_training(model, n_vocab, n_chars=None):
    """Refuse (MemoryLimitError naming the model and its sizes) a CharLM whose training would not fit."""
    layers = f", n_layers={model.n_layers}" if model.n_layers > 1 else ""
    what = (f"CharLM(cell={model.cell!r}, hidden_size={model.hidden_size}{layers}) training on "
            f"{model.batch_size:,} streams of {model.seq_len} steps over {n_vocab} characters "
            f"({ENGINE_NAMES[model.engine]})")
    return budget.check_bytes(training_bytes(model.cell, n_vocab, model.hidden_size, model.n_layers, model.seq_len,
                                             model.batch_size, model.dropout, model.engine, n_chars), what,
                              "use fewer hidden units or layers, fewer streams (batch_size) or shorter chunks "
                              "(seq_len)")


def hidden_chunk(cell, n_vocab, n_hidden, n_layers):
    """Characters ``hidden_states`` reads at a time: as many as fit in PIECE_LIMIT, 1 to MAX_CHUNK."""
    per_char = budget.FLOAT_BYTES * budget.stack_floats(cell, n_vocab, n_hidden, n_layers)[0]
    return max(1, min(MAX_CHUNK, budget.PIECE_LIMIT // per_char))
