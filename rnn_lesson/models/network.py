"""The network the estimator trains, and the one place it calls it.

Today the vanilla RNN cell with its linear output layer (``rl.rnn``):
``h_t = act(x_t @ W_xh + h_{t-1} @ W_hh + b_h)``, ``y_t = h_t @ W_hy + b_y``.
Each function takes the model for the hyperparameters it needs
(hidden_size and seed, activation, truncate), so the estimator, the training
loop and the persistence code never name a cell: choosing another cell is a
lookup here.

Dimensions: T time steps, I inputs, H hidden units, O outputs.
"""
from ..rnn import PARAM_NAMES, backward as rnn_backward, forward as rnn_forward, init_params, param_sizes

__all__ = ["PARAM_NAMES", "init", "forward", "backward", "sizes"]


def init(model, n_inputs, n_outputs):
    """Fresh seeded weights: W_xh (I, H), W_hh (H, H), W_hy (H, O), b_h (H,), b_y (O,)."""
    return init_params(n_inputs, model.hidden_size, n_outputs, seed=model.seed)


def forward(model, xs):
    """``model.params_`` on one sequence xs (T, I): outputs ys (T, O) before any sigmoid, and the cache."""
    return rnn_forward(model.params_, xs, activation=model.activation)


def backward(model, dys, cache):
    """The gradients of every parameter from dL/dys (T, O), back through ``model.truncate`` steps at most."""
    return rnn_backward(dys, cache, truncate=model.truncate)


def sizes(params):
    """(I, H, O) of a parameter dict; TypeError/ValueError naming a missing or misshapen array."""
    return param_sizes(params)
