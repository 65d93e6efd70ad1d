"""The workspace: every buffer one training step needs, allocated once and reset with zeros.

The reference path (``rnn.forward`` / ``rnn.backward``) builds new arrays at every
time step: lists of hidden states, a dict of gradients per step. That is easy to
read, and slow: each new array is a trip to the allocator. A :class:`Workspace`
allocates the same memory once, before the loop; each sequence (or batch) then
*resets* it, filling the buffers with zeros, which costs a pass over a few
kilobytes instead of dozens of allocations.

Dimensions: T time steps, B sequences in a batch, I inputs, H hidden, O outputs.
With ``batch_size=None`` the buffers hold one sequence; with ``batch_size=B`` they
are *time-major*, (T, B, ...), so that ``hs[t]`` is one contiguous (B, H) block
that a matrix product can read or write in place.
"""
import numpy as np

from ..budget import check_training
from ..rnn import PARAM_NAMES
from ..shapes import check_positive_int


class Workspace:
    """Named buffers for one forward and backward pass, reused from one sequence (or batch) to the next.

    ==========  ======================  =============================================
    buffer      shape                   holds
    ==========  ======================  =============================================
    ``xs``      (T, B, I)               the batch's inputs, time-major (batch only)
    ``hs``      (T + 1, [B,] H)         hidden states, ``hs[0]`` = h_0 = 0
    ``ys``      (T, [B,] O)             outputs
    ``dys``     (T, [B,] O)             dL/dy_t
    ``dz``      (T, [B,] H)             dL/dz_t, the gradient before the activation
    ``dh_next`` ([B,] H)                gradient reaching h_t from step t + 1
    ``scratch`` ([B,] H)                room for one intermediate product
    ``grads``   dict like params        gradients: W_xh (I, H), W_hh (H, H), ...
    ``saved``   dict like params        the weights at the start of an epoch, to put
                                        back if training diverges
    ==========  ======================  =============================================

    ``[B,]`` is there only when ``batch_size`` is given.
    """

    def __init__(self, n_steps, n_inputs, n_hidden, n_outputs, batch_size=None):
        T = check_positive_int(n_steps, "n_steps")
        I = check_positive_int(n_inputs, "n_inputs")
        H = check_positive_int(n_hidden, "n_hidden")
        O = check_positive_int(n_outputs, "n_outputs")
        B = None if batch_size is None else check_positive_int(batch_size, "batch_size")
        check_training(I, H, O, 1, T, B or 1, "a Workspace")  # its arrays, before they are allocated
        self.n_steps, self.n_inputs, self.n_hidden, self.n_outputs, self.batch_size = T, I, H, O, B
        lead = () if B is None else (B,)
        self.xs = None if B is None else np.zeros((T, B, I))
        self.hs = np.zeros((T + 1, *lead, H))
        self.ys = np.zeros((T, *lead, O))
        self.dys = np.zeros((T, *lead, O))
        self.dz = np.zeros((T, *lead, H))
        self.dh_next = np.zeros((*lead, H))
        self.scratch = np.zeros((*lead, H))
        shapes = {"W_xh": (I, H), "W_hh": (H, H), "W_hy": (H, O), "b_h": (H,), "b_y": (O,)}
        self.grads = {key: np.zeros(shape) for key, shape in shapes.items()}
        self.saved = {key: np.zeros(shape) for key, shape in shapes.items()}

    def buffers(self):
        """All buffers as a dict name -> array (``grad_W_xh``, ``saved_W_xh`` and so on for the dicts)."""
        named = {name: getattr(self, name) for name in ("xs", "hs", "ys", "dys", "dz", "dh_next", "scratch")}
        named.update({f"grad_{key}": self.grads[key] for key in PARAM_NAMES})
        named.update({f"saved_{key}": self.saved[key] for key in PARAM_NAMES})
        return {name: array for name, array in named.items() if array is not None}

    def reset(self):
        """Fill the working buffers with zeros, in place: no new memory. Returns self.

        ``saved`` is left alone: it belongs to the epoch, not to one sequence.
        """
        for name, array in self.buffers().items():
            if not name.startswith("saved_"):
                array.fill(0.0)
        return self

    @property
    def nbytes(self):
        """Total size of the buffers in bytes."""
        return sum(array.nbytes for array in self.buffers().values())

    def check_fits(self, n_steps, n_inputs, n_hidden, n_outputs, batch_size=None):
        """Raise ValueError unless this workspace was made for these sizes.

        A batched workspace also serves a smaller last batch (fewer than B
        sequences), so ``batch_size`` only has to be at most ``self.batch_size``.
        """
        mine = (self.n_steps, self.n_inputs, self.n_hidden, self.n_outputs)
        wanted = (n_steps, n_inputs, n_hidden, n_outputs)
        if mine != wanted:
            raise ValueError(f"workspace was made for (T, I, H, O) = {mine}, but this data and these "
                             f"params need {wanted}; create rl.fast.Workspace{wanted}")
        if (batch_size is None) != (self.batch_size is None):
            kind = "one sequence at a time" if self.batch_size is None else f"batches of {self.batch_size}"
            needed = "one sequence at a time" if batch_size is None else f"batches of {batch_size}"
            raise ValueError(f"workspace was made for {kind}, this call trains {needed}")
        if batch_size is not None and batch_size > self.batch_size:
            raise ValueError(f"workspace holds batches of at most {self.batch_size}, got batch_size={batch_size}")

    def for_batch(self, n_sequences):
        """Views of the buffers for a batch of ``n_sequences`` <= B, each contiguous.

        Returns ``self`` for a full batch. For a smaller last batch it returns a
        Workspace-like object whose buffers are the *front* of this one's memory,
        reshaped (T, n, ...), so matrix products can still write into them.
        """
        if self.batch_size is None:
            raise ValueError("for_batch needs a workspace made with batch_size")
        if n_sequences == self.batch_size:
            return self
        view = object.__new__(Workspace)
        view.__dict__.update(self.__dict__)
        view.batch_size = n_sequences
        for name in ("xs", "hs", "ys", "dys", "dz", "dh_next", "scratch"):
            full = getattr(self, name)
            shape = full.shape[:-2] + (n_sequences, full.shape[-1])
            setattr(view, name, full.reshape(-1)[: int(np.prod(shape))].reshape(shape))
        return view

    def __repr__(self):
        sizes = ", ".join(f"{name} {array.shape}" for name, array in self.buffers().items())
        batch = "" if self.batch_size is None else f", batch_size={self.batch_size}"
        return (f"Workspace(T={self.n_steps}, I={self.n_inputs}, H={self.n_hidden}, O={self.n_outputs}{batch}; "
                f"{self.nbytes:,} bytes: {sizes})")
