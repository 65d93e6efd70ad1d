"""Fast training epochs: the same numbers as the reference, without the interpreter in the loop.

Lesson 07's package, one idea per module:

    jit.py         how the kernels are compiled (FASTMATH) and where numba caches them (CACHE_DIR)
    vecmath.py     the activations one number at a time, and an e**x written so that loops vectorise
    sequence.py    per-sequence SGD: one compiled kernel for forward, backward and update
    batch.py       one mini-batch SGD step: BLAS for the big products, kernels for the rest
    epochs.py      the public epochs: checks at the door, divergence caught and undone
    workspace.py   the buffers of one training step, allocated once and reset with zeros

``sgd_epoch`` updates the weights after every sequence, exactly like looping ``rnn.forward`` /
``losses.mse_loss`` / ``rnn.backward`` / ``optim.sgd_step``; ``minibatch_epoch`` once per batch.
Dimensions: N sequences, B per batch, T time steps, I inputs, H hidden, O outputs.
"""
from .epochs import minibatch_epoch, sgd_epoch
from .jit import CACHE_DIR, numba_cache_dir
from .workspace import Workspace

__all__ = ["Workspace", "sgd_epoch", "minibatch_epoch", "numba_cache_dir", "CACHE_DIR"]
