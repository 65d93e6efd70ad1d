"""Explorer: the hidden states of an (untrained) RNN over time, as a heatmap.

A fixed input sequence xs (T, 2) — a slow sine wave and two rectangular pulses,
with a little seeded noise — runs through ``rnn.forward`` with seeded random
parameters. Two knobs change what the cell sees:

    input_scale      multiplies xs:    z_t = (s * x_t) @ W_xh + h_{t-1} @ W_hh + b_h
    recurrent_scale  multiplies W_hh:  how strongly h_{t-1} feeds h_t (0 = no memory)

Large pre-activations z_t push tanh and sigmoid into their flat tails: the unit
is *saturated*, its derivative nearly 0. The figure reports the fraction of
saturated values, defined as a derivative below 10 % of the activation's
largest derivative (for relu: a unit that is off, with derivative 0).

Dimensions: T time steps, H hidden units.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..activations import get_activation
from ..rnn import forward, init_params
from ..numerics import NumericOverflow
from ..shapes import as_float_array, check_number_in, check_positive_float, check_positive_int, check_seed
from ..widgets import interactive_figure

N_INPUTS = 2
MAX_HIDDEN = 256
MAX_SEQ_LEN = 10_000  # a heatmap of 10,000 columns is already wider than any screen
MAX_SCALE = 1000.0  # both scales: far beyond the sliders (20 and 2.5), where every unit is long saturated
SATURATION_LEVEL = 0.1  # a unit is saturated where its slope is below 10 % of the activation's peak slope


def explorer_inputs(seq_len=60, seed=0):
    """The explorer's input sequence xs (T, 2): a sine of period 25 steps, and pulses of +1 and -1.

    Column 0 is sin(2 pi t / 25); column 1 is +1 for 10 <= t < 20, -1 for
    35 <= t < 40, else 0. Both get normal noise of standard deviation 0.05
    drawn from ``seed``.
    """
    seq_len = check_positive_int(seq_len, "seq_len", most=MAX_SEQ_LEN)
    t = np.arange(seq_len)
    pulses = np.where((t >= 10) & (t < 20), 1.0, 0.0) - np.where((t >= 35) & (t < 40), 1.0, 0.0)
    xs = np.column_stack([np.sin(2 * np.pi * t / 25), pulses])  # (T, 2)
    return xs + 0.05 * np.random.default_rng(check_seed(seed)).standard_normal(xs.shape)


def hidden_states(hidden_size, activation="tanh", input_scale=1.0, recurrent_scale=1.0, seq_len=60, seed=0):
    """Run the RNN on the explorer's inputs; return ``(xs, hs)``.

    xs (T, 2) are the scaled inputs the cell saw; hs (T, H) are h_1 ... h_T
    (h_0 = 0 left out). Parameters come from ``init_params(2, H, 1, seed)``
    with W_hh multiplied by ``recurrent_scale``. Same arguments, same numbers.
    """
    hidden_size = check_positive_int(hidden_size, "hidden_size")
    if hidden_size > MAX_HIDDEN:
        raise ValueError(f"hidden_size must be at most {MAX_HIDDEN} (a picture, not a model), got {hidden_size}")
    get_activation(activation)
    input_scale = check_positive_float(input_scale, "input_scale")
    if input_scale > MAX_SCALE:
        raise ValueError(f"input_scale must be at most {MAX_SCALE:g}, got {input_scale:g}")
    recurrent_scale = check_number_in(recurrent_scale, "recurrent_scale", 0.0, MAX_SCALE)
    params = init_params(N_INPUTS, hidden_size, 1, seed=seed)
    params["W_hh"] = params["W_hh"] * recurrent_scale
    xs = input_scale * explorer_inputs(seq_len, seed)
    try:
        _, cache = forward(params, xs, activation=activation)
    except NumericOverflow as err:  # relu or identity with a large W_hh grow without bound
        raise ValueError(f"the hidden states overflow float64 within {len(xs)} steps with {activation} and W_hh "
                         f"scaled by {recurrent_scale:g} (they grow without bound): use a smaller "
                         f"recurrent_scale or fewer steps ({err})") from None
    return xs, cache["hs"][1:]


def saturated_fraction(hs, activation):
    """The fraction of entries of hs (any shape) whose derivative is below 10 % of the peak derivative.

    The derivative is computed from the output, as in the backward pass; the
    peak is the activation's largest derivative (1 for tanh and relu, 0.25 for
    sigmoid, 1 for identity, which never saturates).
    """
    function, derivative = get_activation(activation)
    hs = as_float_array(hs, "hs")  # numbers, finite: a NaN is neither saturated nor not
    if hs.size == 0:
        raise ValueError("hs is empty: there is no hidden state to count")
    peak = float(np.max(derivative(function(np.array([0.0, 1.0])))))
    with np.errstate(over="ignore"):  # 1 - h² of a huge h is -inf: saturated, as it should be
        return float(np.mean(derivative(hs) < SATURATION_LEVEL * peak))


def _colour_range(hs, activation):
    """(colormap, vmin, vmax) fitting the activation's output range."""
    if activation == "tanh":
        return "RdBu_r", -1.0, 1.0
    if activation == "sigmoid":
        return "viridis", 0.0, 1.0
    top = max(float(np.max(np.abs(hs))), 1e-12)
    return ("viridis", 0.0, top) if activation == "relu" else ("RdBu_r", -top, top)


def hidden_state_figure(hidden_size=16, activation="tanh", input_scale=1.0, recurrent_scale=1.0,
                        seq_len=60, seed=0):
    """Figure: the inputs over time (top) and the hidden states as a heatmap (bottom).

    The heatmap has time t on the x axis and hidden unit on the y axis, with a
    colorbar; its title gives the fraction of saturated values. Arguments as in
    :func:`hidden_states`; bad values raise TypeError/ValueError naming them.
    """
    xs, hs = hidden_states(hidden_size, activation, input_scale, recurrent_scale, seq_len, seed)
    t = np.arange(1, len(xs) + 1)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 5.2), sharex=True, layout="constrained",
                                      gridspec_kw={"height_ratios": [1, 2.6]})
    top.plot(t, xs[:, 0], label="input 1: sine")
    top.plot(t, xs[:, 1], label="input 2: pulses")
    top.set(ylabel="input value", title=f"inputs x_t (scaled by {input_scale:g})")
    largest = float(np.max(np.abs(xs)))
    top.set_ylim(-1.25 * largest, 2.1 * largest)  # headroom for the legend
    top.legend(loc="upper right", ncol=2, fontsize=8)
    cmap, vmin, vmax = _colour_range(hs, activation)
    image = bottom.imshow(hs.T, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest",
                          extent=(0.5, len(xs) + 0.5, hs.shape[1] - 0.5, -0.5))
    fig.colorbar(image, ax=bottom, label=f"h_t = {activation}(z_t)")
    stuck = "off (slope 0)" if activation == "relu" else "saturated"
    bottom.set(xlabel="time step t", ylabel="hidden unit",
               title=(f"hidden states, H = {hs.shape[1]}, {activation}, W_hh scaled by {recurrent_scale:g}: "
                      f"{saturated_fraction(hs, activation):.0%} {stuck}"))
    return fig


def hidden_state_explorer():
    """Sliders for hidden size, activation, input scale and recurrent scale (redraw on release)."""
    controls = {
        "hidden_size": widgets.IntSlider(value=16, min=1, max=64, description="hidden H",
                                         continuous_update=False),
        "activation": widgets.Dropdown(options=["tanh", "sigmoid", "relu"], value="tanh",
                                       description="activation"),
        "input_scale": widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=1.3, step=0.05,
                                              description="input scale", continuous_update=False),
        "recurrent_scale": widgets.FloatSlider(value=1.0, min=0.0, max=2.5, step=0.1,
                                               description="W_hh scale", continuous_update=False),
    }
    return interactive_figure(hidden_state_figure, controls)
