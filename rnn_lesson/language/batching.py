"""Batches for stateful truncated BPTT: a long text as B streams side by side, cut into chunks of T steps.

Dimensions: L characters, B streams, T steps per chunk (``seq_len``).

The ids of a text (L,) are cut into B contiguous streams of n = (L - 1) // B
characters each (the few left over at the end are not used); stream b reads
characters b·n ... (b+1)·n - 1 and predicts the character after each one. Chunk k
holds steps k·T ... (k+1)·T - 1 of every stream, time-major:

    inputs  (T, B)   inputs[t, b]  = ids[b·n + k·T + t]
    targets (T, B)   targets[t, b] = ids[b·n + k·T + t + 1]  (the next character)

so the state a chunk ends in is exactly the state the next chunk of the same
streams starts from: carrying it (and stopping its gradient) is truncated BPTT
over the whole text. The last chunk may be shorter than T. This is teacher
forcing: every step is fed the true previous character, never the model's guess.
"""
import numpy as np

from ..shapes import MAX_IDS, check_ids, check_positive_int


def stream_ids(ids, batch_size):
    """(inputs, targets), each (B, n): the B contiguous streams of ``ids`` (L,) and their next characters."""
    batch_size = check_positive_int(batch_size, "batch_size")
    ids = check_ids(ids, "ids", MAX_IDS, ndim=1)
    per_stream = (len(ids) - 1) // batch_size
    if per_stream < 1:
        raise ValueError(f"the text has {len(ids)} characters: too short for batch_size={batch_size} streams "
                         f"(each needs at least 2 characters); use a longer text or a smaller batch_size")
    used = per_stream * batch_size
    return ids[:used].reshape(batch_size, per_stream), ids[1:used + 1].reshape(batch_size, per_stream)


def chunks(ids, batch_size, seq_len):
    """The (inputs (T, B), targets (T, B)) chunks of one pass over ``ids``, in order (see the module docstring)."""
    seq_len = check_positive_int(seq_len, "seq_len")
    inputs, targets = stream_ids(np.asarray(ids), batch_size)
    for start in range(0, inputs.shape[1], seq_len):
        yield (np.ascontiguousarray(inputs[:, start:start + seq_len].T),
               np.ascontiguousarray(targets[:, start:start + seq_len].T))


def n_chunks(n_chars, batch_size, seq_len):
    """How many chunks ``chunks`` yields for a text of ``n_chars`` characters (the updates in one epoch)."""
    n_chars = check_positive_int(n_chars, "n_chars")
    batch_size, seq_len = check_positive_int(batch_size, "batch_size"), check_positive_int(seq_len, "seq_len")
    return -(-((n_chars - 1) // batch_size) // seq_len)
