"""Explorer: how the gradient dL/dh_t shrinks or grows on its way back through time.

With a loss at the last step only, BPTT carries the gradient back one step at a time:

    dL/dh_{t-1} = (dL/dh_t * act'(h_t)) @ W_hh.T

so after k steps it has been multiplied by k copies of W_hh.T (and k activation
derivatives, each at most 1 for tanh). The spectral radius of W_hh, its largest
|eigenvalue|, sets the long-run rate: below 1 the gradient vanishes, above 1 it
can explode. The slider rescales W_hh to a chosen spectral radius.

Dimensions: T time steps, I inputs, H hidden units, O outputs.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..activations import ACTIVATIONS
from ..numerics import NumericOverflow, cause, check_finite
from ..rnn import forward, init_params, step_backward
from ..shapes import as_float_array, check_positive_float, check_positive_int
from ..widgets import interactive_figure


MAX_RADIUS = 10.0  # the slider stops at 3; at 10 the gradient already grows 10**k times k steps back
MAX_STEPS = 1000  # the slider stops at 200
MAX_HIDDEN = 256  # a picture, not a model


def spectral_radius(matrix):
    """The largest |eigenvalue| of a square matrix (H, H), a float."""
    matrix = as_float_array(matrix, "matrix")
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"the spectral radius needs a square matrix, got shape {matrix.shape}")
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


def scale_to_spectral_radius(matrix, radius):
    """A copy of the square ``matrix`` (H, H) multiplied so its spectral radius is ``radius``.

    Scaling a matrix by c scales every eigenvalue by c, so the result is
    ``matrix * radius / spectral_radius(matrix)``.
    """
    radius = check_positive_float(radius, "radius")
    current = spectral_radius(matrix)
    if current == 0:
        raise ValueError("the matrix has spectral radius 0 (all eigenvalues are 0): it cannot be rescaled")
    with np.errstate(over="ignore"):
        scaled = np.asarray(matrix, dtype=np.float64) * (radius / current)
    return check_finite(scaled, f"the matrix rescaled to spectral radius {radius:g}")


def hidden_gradient_norms(params, xs, activation="tanh"):
    """Norms of dL/dh_t for a loss ``L = sum(y_T)`` at the last step only.

    params: an RNN parameter dict; xs (T, I).
    Returns an array (T,) whose entry k is ||dL/dh_{T-k}||: k = 0 is the last
    hidden state, k = T-1 the first one (h_1). Uses ``rnn.step_backward``.
    """
    ys, cache = forward(params, xs, activation=activation)
    dy_last = np.ones(ys.shape[1])  # (O,)
    no_output = np.zeros_like(dy_last)
    norms = [np.linalg.norm(params["W_hy"] @ dy_last)]  # dL/dh_T = dy_T @ W_hy.T
    dh_next = np.zeros(params["W_hh"].shape[0])  # (H,)
    for t in reversed(range(1, len(xs))):  # each step hands dL/dh_{t-1} to the step before
        dy = dy_last if t == len(xs) - 1 else no_output
        with np.errstate(over="ignore", invalid="ignore"):
            _, dh_next, _ = step_backward(dy, dh_next, cache["steps"][t])
            norms.append(np.linalg.norm(dh_next))
    norms = np.array(norms)
    if not np.all(np.isfinite(norms)):
        k = int(np.argmax(~np.isfinite(norms)))
        raise NumericOverflow(f"the gradient norm overflows float64's range (1.8e308) {k} steps back from the last "
                              f"of {len(xs)} ({cause(params)}): use fewer steps or smaller weights")
    return norms


def _problem(spectral_radius_value, n_steps, hidden_size, seed):
    """Seeded parameters with W_hh rescaled, and a random input sequence (T, 1)."""
    params = init_params(1, hidden_size, 1, seed=seed)
    params["W_hh"] = scale_to_spectral_radius(params["W_hh"], spectral_radius_value)
    xs = np.random.default_rng(seed).standard_normal((n_steps, 1))
    return params, xs


def gradient_flow_figure(spectral_radius, n_steps=50, activation="tanh", hidden_size=16, seed=0):
    """Figure: ||dL/dh_{T-k}|| against k (log scale) and the per-step factor.

    An RNN with I = O = 1, ``hidden_size`` units and W_hh rescaled to the given
    spectral radius reads ``n_steps`` standard-normal inputs (seeded); the loss is
    the output at the last step. Left: the gradient norm k steps back, with the
    guide ``radius**k``. Right: the factor by which each step back multiplies it.
    """
    radius = check_positive_float(spectral_radius, "spectral_radius")
    if radius > MAX_RADIUS:
        raise ValueError(f"spectral_radius must be at most {MAX_RADIUS:g}, got {radius:g}")
    n_steps = check_positive_int(n_steps, "n_steps", most=MAX_STEPS)
    if n_steps < 2:
        raise ValueError(f"n_steps must be at least 2 to see the gradient travel back, got {n_steps}")
    params, xs = _problem(radius, n_steps, check_positive_int(hidden_size, "hidden_size", most=MAX_HIDDEN), seed)
    try:
        norms = hidden_gradient_norms(params, xs, activation)
    except NumericOverflow as err:  # an activation that does not saturate, a radius > 1, many steps
        raise ValueError(f"with spectral radius {radius:g}, {activation} and {n_steps} steps the numbers grow "
                         f"beyond float64's range: use fewer steps or a smaller radius ({err})") from None
    vanished = np.flatnonzero(norms == 0)  # below float64's smallest number: log scales cannot draw 0
    shown = len(norms) if not len(vanished) else int(vanished[0])
    steps_back = np.arange(shown)
    norms = norms[:shown]
    factors = norms[1:] / norms[:-1]

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    left.semilogy(steps_back, norms, marker=".", label=r"$\|\partial L/\partial h_{T-k}\|$")
    with np.errstate(over="ignore", under="ignore"):
        guide = norms[0] * radius ** steps_back.astype(np.float64)
    inside = (guide > 0) & np.isfinite(guide)  # the guide is drawn where float64 can hold it
    left.semilogy(steps_back[inside], guide[inside], "--", color="grey",
                  label=rf"guide: $\rho^k$, $\rho$ = {radius:g}")
    gone = "" if shown == n_steps else f"; 0 in float64 from {shown} steps back"
    left.set(xlabel="k, steps back from the last one", ylabel="gradient norm (log scale)",
             title=f"{activation}, spectral radius of $W_{{hh}}$ = {radius:g}{gone}")
    left.legend(loc="best", fontsize=8)
    right.plot(steps_back[1:], factors, marker=".", label="measured factor")
    right.axhline(radius, ls="--", color="grey", label=rf"$\rho$ = {radius:g}")
    right.axhline(1.0, ls=":", color="black", label="1 (no change)")
    right.set(xlabel="k, steps back from the last one",
              ylabel=r"$\|\partial L/\partial h_{T-k}\| \,/\, \|\partial L/\partial h_{T-k+1}\|$",
              title="what each step back multiplies the gradient by")
    right.legend(loc="best", fontsize=8)
    fig.tight_layout()
    return fig


def gradient_flow_explorer():
    """Sliders for the spectral radius, the sequence length and the activation."""
    controls = {
        "spectral_radius": widgets.FloatSlider(value=1.0, min=0.1, max=3.0, step=0.05,
                                               description="radius ρ", continuous_update=False),
        "n_steps": widgets.IntSlider(value=50, min=5, max=200, step=5, description="steps T",
                                     continuous_update=False),
        "activation": widgets.Dropdown(options=sorted(ACTIVATIONS), value="tanh", description="activation"),
    }
    return interactive_figure(gradient_flow_figure, controls)
