"""Fast training epochs: the same numbers as the reference, without the interpreter in the loop.

Dimensions: N sequences, B per batch, T time steps, I inputs, H hidden, O outputs. The model and
loss of ``rnn.py`` and ``losses.mse_loss``, trained by SGD:

    h_t = act(x_t W_xh + h_{t-1} W_hh + b_h),   y_t = h_t W_hy + b_y,   h_0 = 0
    L   = mean over t and o of (y_t - target_t)**2,   W <- W - learning_rate * dL/dW

``sgd_epoch`` updates the weights after every sequence, exactly like looping ``rnn.forward`` /
``losses.mse_loss`` / ``rnn.backward`` / ``optim.sgd_step``; ``minibatch_epoch`` once per batch
of B sequences. Lesson 07's package, one idea per module:

    jit.py                how the kernels are compiled (FASTMATH) and where numba caches them
    vecmath.py            the activations one number at a time; an e**x whose loops vectorise
    sequence.py           per-sequence SGD: one compiled kernel for forward, backward and update
    batch.py              one mini-batch SGD step: BLAS for the big products, kernels for the rest
    epochs.py             the public epochs: checks at the door, divergence caught and undone
    workspace.py          the buffers of one training step, allocated once and reset with zeros
    performance_story.py  one epoch written six ways (v0-v5), each faster: ``rl.performance``

Every cell (rnn, lstm, gru), time-major batches, only the recurrence step by step:

    gate_kernels.py       one step's elementwise work per cell, forward and backward
    recurrence.py         CellWorkspace; the recurrence forward and back, the output layer
    cell_epochs.py        cell_minibatch_epoch: the estimator's MSE training, any cell, clipping
    language.py           lm_loss_and_grads: a language model's chunk, token inputs by row lookup
    adam.py               Adam: rl.Adam with its update compiled
"""
from .adam import Adam
from .cell_epochs import cell_minibatch_epoch
from .epochs import minibatch_epoch, sgd_epoch
from .jit import CACHE_DIR, numba_cache_dir
from .language import lm_loss_and_grads
from .recurrence import CellWorkspace
from .workspace import Workspace

__all__ = ["Workspace", "sgd_epoch", "minibatch_epoch", "numba_cache_dir", "CACHE_DIR", "CellWorkspace",
           "cell_minibatch_epoch", "lm_loss_and_grads", "Adam"]
