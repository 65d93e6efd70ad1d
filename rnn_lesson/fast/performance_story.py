"""The performance story (lesson 07): one training epoch written six ways, each faster.

Every version does per-sequence SGD on the MSE loss with a tanh RNN, taking the
sequences X (N, T, I), Y (N, T, O) in order and updating ``params`` in place,
and returns the mean loss of the epoch. They compute the same numbers as the
reference loop (rnn.forward / losses.mse_loss / rnn.backward / optim.sgd_step),
and differ only in how they use memory and the interpreter:

    v0  naive            copies of inputs and weights, lists, a new array for every result
    v1  no copies        views and references instead of copies; still lists and new arrays
    v2  no temporaries   in-place operations writing into buffers (``out=``), made per sequence,
                         and the sums over time as products (``two_ideas`` makes each change alone:
                         v1b whole sequence, v2a step by step)
    v3  workspace        the same code, with buffers allocated once per epoch and reset
    v4  numba            ``rl.fast.sgd_epoch``: v3's loops compiled, no interpreter in the loop
    v5  mini-batches     ``rl.fast.minibatch_epoch``: a different algorithm, checked against
                         ``minibatch_epoch_reference`` below

Dimensions: N sequences, B per batch, T time steps, I inputs, H hidden, O outputs.
The model, its loss and the update, as in ``sequence.py``:

    h_t = tanh(x_t W_xh + h_{t-1} W_hh + b_h),   y_t = h_t W_hy + b_y,   h_0 = 0
    L   = mean over t and o of (y_t - target_t)**2,   W <- W - learning_rate * dL/dW
"""
import functools
import time
import timeit
import tracemalloc

import numpy as np

from ..activations import get_activation
from ..losses import mse_loss
from ..optim import sgd_step
from ..rnn import PARAM_NAMES, backward, forward, param_sizes
from .epochs import sgd_epoch
from .two_ideas import sgd_epoch_v1_whole_sequence, sgd_epoch_v2_step_by_step  # noqa: F401 (rl.performance.*)
from .workspace import Workspace


def sgd_epoch_reference(params, X, Y, learning_rate, activation="tanh"):
    """The reference every version is checked against: the package's readable functions in a loop."""
    losses = []
    for xs, targets in zip(X, Y):
        ys, cache = forward(params, xs, activation=activation)
        loss, dys = mse_loss(ys, targets)
        sgd_step(params, backward(dys, cache), learning_rate)
        losses.append(loss)
    return float(np.mean(losses))


def sgd_epoch_v0_naive(params, X, Y, learning_rate):
    """Version 0: copy everything, keep lists, fold them; the Python twin of the seed's clones."""
    losses = []
    for n in range(len(X)):
        xs = [row.copy() for row in X[n]]  # T copied rows
        targets = Y[n].copy()
        weights = {key: value.copy() for key, value in params.items()}  # cloned for every sequence
        hs, ys = [np.zeros(weights["b_h"].shape)], []
        for x in xs:
            z = x.copy() @ weights["W_xh"].copy() + hs[-1].copy() @ weights["W_hh"].copy() + weights["b_h"].copy()
            hs.append(np.tanh(z).copy())
            ys.append(hs[-1].copy() @ weights["W_hy"].copy() + weights["b_y"].copy())
        diff = np.array(ys) - targets  # (T, O)
        losses.append(float(np.mean(diff * diff)))
        dys = list(2.0 * diff / diff.size)
        step_grads, dh_next = [], np.zeros(weights["b_h"].shape)
        for t in reversed(range(len(xs))):
            dz = (dys[t].copy() @ weights["W_hy"].T.copy() + dh_next.copy()) * (1.0 - hs[t + 1].copy() ** 2)
            step_grads.append({"W_xh": np.outer(xs[t], dz), "W_hh": np.outer(hs[t], dz),
                               "W_hy": np.outer(hs[t + 1], dys[t]), "b_h": dz.copy(), "b_y": dys[t].copy()})
            dh_next = dz @ weights["W_hh"].T.copy()
        for key in PARAM_NAMES:  # fold a list of arrays: one new array per addition
            grad = functools.reduce(lambda total, g: total + g, [g[key] for g in step_grads])
            params[key][...] = weights[key] - learning_rate * grad
    return float(np.mean(losses))


def sgd_epoch_v1_no_copies(params, X, Y, learning_rate):
    """Version 1: the same steps reading views and references; still lists and new arrays."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[key] for key in PARAM_NAMES)
    losses = []
    for xs, targets in zip(X, Y):  # views into X and Y: nothing copied
        hs, ys = [np.zeros(b_h.shape)], []
        for x in xs:
            hs.append(np.tanh(x @ W_xh + hs[-1] @ W_hh + b_h))
            ys.append(hs[-1] @ W_hy + b_y)
        diff = np.array(ys) - targets
        losses.append(float(np.mean(diff * diff)))
        dys = 2.0 * diff / diff.size
        step_grads, dh_next = [], np.zeros(b_h.shape)
        for t in reversed(range(len(xs))):
            dz = (dys[t] @ W_hy.T + dh_next) * (1.0 - hs[t + 1] ** 2)
            step_grads.append({"W_xh": np.outer(xs[t], dz), "W_hh": np.outer(hs[t], dz),
                               "W_hy": np.outer(hs[t + 1], dys[t]), "b_h": dz, "b_y": dys[t]})
            dh_next = dz @ W_hh.T
        for key in PARAM_NAMES:
            params[key] -= learning_rate * sum(g[key] for g in step_grads)
    return float(np.mean(losses))


def train_sequence_in_place(params, xs, targets, learning_rate, ws):
    """Forward, backward and SGD step for one sequence, writing only into the workspace ``ws``.

    xs (T, I), targets (T, O); ``ws`` is a Workspace(T, I, H, O) whose buffers
    may hold anything except that hs[0] (h_0) and dh_next must be zero.
    Returns the loss. This is the body of versions 2 and 3.
    """
    W_xh, W_hh, W_hy, b_h, b_y = (params[key] for key in PARAM_NAMES)
    hs, dys, dz, tmp, g = ws.hs, ws.dys, ws.dz, ws.scratch, ws.grads
    for t in range(len(xs)):  # h_t = tanh(x_t W_xh + h_{t-1} W_hh + b_h), into hs[t + 1]
        np.matmul(xs[t], W_xh, out=hs[t + 1])
        np.matmul(hs[t], W_hh, out=tmp)
        hs[t + 1] += tmp
        hs[t + 1] += b_h
        np.tanh(hs[t + 1], out=hs[t + 1])
    np.matmul(hs[1:], W_hy, out=ws.ys)  # y_t = h_t W_hy + b_y for all t at once
    ws.ys += b_y
    np.subtract(ws.ys, targets, out=dys)
    loss = float(np.vdot(dys, dys)) / dys.size
    dys *= 2.0 / dys.size  # dL/dy
    for t in reversed(range(len(xs))):  # dz_t = (dy_t W_hy^T + dh_next) * (1 - h_t^2)
        np.matmul(dys[t], W_hy.T, out=dz[t])
        dz[t] += ws.dh_next
        np.multiply(hs[t + 1], hs[t + 1], out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        dz[t] *= tmp
        np.matmul(dz[t], W_hh.T, out=ws.dh_next)
    np.matmul(xs.T, dz, out=g["W_xh"])  # the sums over time as matrix products
    np.matmul(hs[:-1].T, dz, out=g["W_hh"])
    np.matmul(hs[1:].T, dys, out=g["W_hy"])
    np.sum(dz, axis=0, out=g["b_h"])
    np.sum(dys, axis=0, out=g["b_y"])
    for key in PARAM_NAMES:
        g[key] *= learning_rate
        params[key] -= g[key]
    return loss


def sgd_epoch_v2_no_temporaries(params, X, Y, learning_rate):
    """Version 2: every operation writes into a buffer, but the buffers are new for each sequence."""
    n_inputs, n_hidden, n_outputs = param_sizes(params)
    losses = []
    for xs, targets in zip(X, Y):
        ws = Workspace(len(xs), n_inputs, n_hidden, n_outputs)  # allocated per sequence
        losses.append(train_sequence_in_place(params, xs, targets, learning_rate, ws))
    return float(np.mean(losses))


def sgd_epoch_v3_workspace(params, X, Y, learning_rate, workspace=None):
    """Version 3: the same code as version 2, with one workspace for the epoch, reset per sequence."""
    ws = workspace if workspace is not None else Workspace(X.shape[1], *param_sizes(params))
    losses = []
    for xs, targets in zip(X, Y):
        losses.append(train_sequence_in_place(params, xs, targets, learning_rate, ws.reset()))
    return float(np.mean(losses))


def sgd_epoch_v4_numba(params, X, Y, learning_rate, workspace=None):
    """Version 4: ``rl.fast.sgd_epoch``, version 3's loops compiled by numba (tanh)."""
    return sgd_epoch(params, X, Y, learning_rate, "tanh", workspace)


VERSIONS = {
    "v0 naive": sgd_epoch_v0_naive,
    "v1 no copies": sgd_epoch_v1_no_copies,
    "v2 no temporaries": sgd_epoch_v2_no_temporaries,
    "v3 workspace": sgd_epoch_v3_workspace,
    "v4 numba": sgd_epoch_v4_numba,
}


# --- version 5's reference: mini-batches in plain NumPy ----------------------------------------

def batch_forward(params, X, activation="tanh"):
    """The forward pass of N sequences at once: X (N, T, I) -> ys (N, T, O), hs (N, T + 1, H).

    Row n is exactly ``rnn.forward(params, X[n])``: h_t = act(x_t W_xh + h_{t-1} W_hh + b_h).
    """
    act, _ = get_activation(activation)
    n_seq, n_steps, _ = X.shape
    hs = np.zeros((n_seq, n_steps + 1, params["W_hh"].shape[0]))
    for t in range(n_steps):
        hs[:, t + 1] = act(X[:, t] @ params["W_xh"] + hs[:, t] @ params["W_hh"] + params["b_h"])
    return hs[:, 1:] @ params["W_hy"] + params["b_y"], hs


def batch_backward(params, X, hs, dys, activation="tanh"):
    """Gradients of sum(ys * dys) over the whole batch: the sum of the N per-sequence gradients.

    X (N, T, I), hs (N, T + 1, H) from ``batch_forward``, dys (N, T, O).
    """
    _, act_derivative = get_activation(activation)
    grads = {key: np.zeros_like(params[key]) for key in PARAM_NAMES}
    dh_next = np.zeros(hs[:, 0].shape)  # (N, H)
    for t in reversed(range(X.shape[1])):
        dz = (dys[:, t] @ params["W_hy"].T + dh_next) * act_derivative(hs[:, t + 1])  # (N, H)
        grads["W_xh"] += X[:, t].T @ dz
        grads["W_hh"] += hs[:, t].T @ dz
        grads["W_hy"] += hs[:, t + 1].T @ dys[:, t]
        grads["b_h"] += dz.sum(axis=0)
        grads["b_y"] += dys[:, t].sum(axis=0)
        dh_next = dz @ params["W_hh"].T
    return grads


def minibatch_epoch_reference(params, X, Y, learning_rate, batch_size, activation="tanh"):
    """Mini-batch SGD in plain NumPy: what ``fast.minibatch_epoch`` must reproduce.

    Batches of ``batch_size`` consecutive sequences (the last may be smaller);
    each takes one step down the gradient of L = mean over the batch, T and O of
    (y - target)**2, i.e. the mean of the per-sequence gradients. Returns the
    mean over the sequences of their batch's loss.
    """
    total = 0.0
    for start in range(0, len(X), batch_size):
        xs, targets = X[start:start + batch_size], Y[start:start + batch_size]
        ys, hs = batch_forward(params, xs, activation)
        diff = ys - targets
        grads = batch_backward(params, xs, hs, 2.0 * diff / diff.size, activation)
        sgd_step(params, grads, learning_rate)
        total += float(np.mean(diff * diff)) * len(xs)
    return total / len(X)


# --- measuring ----------------------------------------------------------------------------------

def copy_params(params):
    """A deep copy of a parameter dict, so each version starts from the same weights."""
    return {key: params[key].copy() for key in PARAM_NAMES}


def time_per_sequence(epoch, params, X, Y, *args, repeats=5, timer=time.perf_counter):
    """Median seconds per sequence of ``epoch(copy of params, X, Y, *args)`` over ``repeats`` runs.

    Each run starts from a fresh copy of the weights (the copy is not timed).
    ``timer=time.process_time`` measures CPU time, steadier on a busy machine.
    """
    times = timeit.repeat("epoch(weights, X, Y, *args)", setup="weights = copy_params(params)",
                          number=1, repeat=repeats, timer=timer,
                          globals={"epoch": epoch, "copy_params": copy_params, "params": params,
                                   "X": X, "Y": Y, "args": args})
    return float(np.median(times)) / len(X)


def peak_bytes_per_sequence(epoch, params, xs, targets, *args):
    """Bytes of temporaries ``epoch`` holds at its peak while training on the one sequence xs (T, I).

    tracemalloc (which also sees NumPy's array memory) records the high-water
    mark above the memory in use before the call. Pass a ready workspace in
    ``args`` to versions that take one, as a training loop reuses it across
    epochs. A warm-up call first, so one-off caches do not count.
    """
    X, Y = xs[np.newaxis], targets[np.newaxis]
    epoch(copy_params(params), X, Y, *args)
    weights = copy_params(params)
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        epoch(weights, X, Y, *args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before
