"""Version 2's two ideas, one at a time (lesson 07).

From v1 to v2 of the performance story two things change at once:

    buffers        every result is written into memory allocated beforehand (``out=``,
                   in-place operators) instead of a new array
    whole sequence the outputs y_t and the gradient sums over t are computed for all
                   steps at once, as matrix products (dW_xh = X^T dZ, ...), instead of
                   one step at a time (dW_xh += outer(x_t, dz_t))

The two versions here each make one of the changes, so the speed-up of each can be
measured alone:

    v1 (no copies)         new arrays, step by step          (performance_story)
    v1b whole sequence     new arrays, whole sequence        (here)
    v2a step by step       buffers, step by step             (here)
    v2 (no temporaries)    buffers, whole sequence           (performance_story)

Both train exactly like the others: per-sequence SGD on the MSE loss with tanh,
X (N, T, I), Y (N, T, O), ``params`` updated in place, the mean loss returned.
"""
import numpy as np

from ..rnn import PARAM_NAMES, param_sizes
from .workspace import Workspace


def sgd_epoch_v1_whole_sequence(params, X, Y, learning_rate):
    """Version 1b: v1's new arrays, with the outputs and the gradient sums as products over the whole sequence."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[key] for key in PARAM_NAMES)
    losses = []
    for xs, targets in zip(X, Y):
        hs = [np.zeros(b_h.shape)]
        for x in xs:
            hs.append(np.tanh(x @ W_xh + hs[-1] @ W_hh + b_h))
        hs = np.array(hs)  # (T + 1, H)
        diff = hs[1:] @ W_hy + b_y - targets  # every y_t at once, (T, O)
        losses.append(float(np.mean(diff * diff)))
        dys = 2.0 * diff / diff.size
        dzs, dh_next = [], np.zeros(b_h.shape)
        for t in reversed(range(len(xs))):  # the recursion itself must go step by step
            dzs.append((dys[t] @ W_hy.T + dh_next) * (1.0 - hs[t + 1] ** 2))
            dh_next = dzs[-1] @ W_hh.T
        dz = np.array(dzs[::-1])  # (T, H), in time order
        grads = {"W_xh": xs.T @ dz, "W_hh": hs[:-1].T @ dz, "W_hy": hs[1:].T @ dys,
                 "b_h": dz.sum(axis=0), "b_y": dys.sum(axis=0)}
        for key in PARAM_NAMES:
            params[key] -= learning_rate * grads[key]
    return float(np.mean(losses))


def train_sequence_step_by_step(params, xs, targets, learning_rate, ws, outer):
    """Forward, backward and SGD step for one sequence in buffers, one time step at a time.

    ``ws`` is a fresh Workspace(T, I, H, O) (zeros); ``outer`` holds one buffer per
    weight matrix, shaped like it, for the step's outer product. Returns the loss.
    """
    W_xh, W_hh, W_hy, b_h, b_y = (params[key] for key in PARAM_NAMES)
    hs, ys, dys, dz, tmp, g = ws.hs, ws.ys, ws.dys, ws.dz, ws.scratch, ws.grads
    for t in range(len(xs)):  # h_t and y_t, step by step
        np.matmul(xs[t], W_xh, out=hs[t + 1])
        np.matmul(hs[t], W_hh, out=tmp)
        hs[t + 1] += tmp
        hs[t + 1] += b_h
        np.tanh(hs[t + 1], out=hs[t + 1])
        np.matmul(hs[t + 1], W_hy, out=ys[t])
        ys[t] += b_y
    np.subtract(ys, targets, out=dys)
    loss = float(np.vdot(dys, dys)) / dys.size
    dys *= 2.0 / dys.size
    for t in reversed(range(len(xs))):  # each step's share, added to the sums as it is made
        np.matmul(dys[t], W_hy.T, out=dz[t])
        dz[t] += ws.dh_next
        np.multiply(hs[t + 1], hs[t + 1], out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        dz[t] *= tmp
        for key, left, right in (("W_xh", xs[t], dz[t]), ("W_hh", hs[t], dz[t]), ("W_hy", hs[t + 1], dys[t])):
            np.outer(left, right, out=outer[key])
            g[key] += outer[key]
        g["b_h"] += dz[t]
        g["b_y"] += dys[t]
        np.matmul(dz[t], W_hh.T, out=ws.dh_next)
    for key in PARAM_NAMES:  # the SGD step, in place: params -= learning_rate * g
        params[key] -= np.multiply(g[key], learning_rate, out=g[key])
    return loss


def sgd_epoch_v2_step_by_step(params, X, Y, learning_rate):
    """Version 2a: v2's buffers (new for each sequence, as in v2), with the sums made step by step."""
    n_inputs, n_hidden, n_outputs = param_sizes(params)
    losses = []
    for xs, targets in zip(X, Y):
        ws = Workspace(len(xs), n_inputs, n_hidden, n_outputs)  # allocated per sequence, as in v2
        outer = {key: np.empty_like(params[key]) for key in ("W_xh", "W_hh", "W_hy")}
        losses.append(train_sequence_step_by_step(params, xs, targets, learning_rate, ws, outer))
    return float(np.mean(losses))
