"""The backward graph of an unrolled RNN: the two roads by which the gradient reaches h_t (lesson 04).

Forwards, h_t feeds this step's output y_t and the next hidden state h_{t+1}. Backwards,
the gradient of the loss with respect to h_t therefore arrives along both roads and is
their sum:

    dh_t = dy_t W_hy^T  +  dh_next,        dh_next = dz_{t+1} W_hh^T   (0 at t = T)

where dz_{t+1} = dh_{t+1} * act'(z_{t+1}). ``backward_graph_figure`` draws this for T
steps: the forward pass in grey, the gradient's roads in red, one step spelled out.
It draws a fixed picture (no computation), so it has no widget.
"""
import matplotlib.pyplot as plt

from ..shapes import check_positive_int

MAX_STEPS = 8  # beyond this the labels overlap
BACKWARD = "backward"  # the gid of every red arrow, so a test can count them
FORWARD = "forward"


def _box(ax, x, y, text, colour):
    ax.text(x, y, text, ha="center", va="center", fontsize=12, zorder=3,
            bbox=dict(boxstyle="round,pad=0.4", facecolor=colour, edgecolor="black"))


def _arrow(ax, start, end, kind, label="", label_at=None, curve=0.0):
    style = dict(arrowstyle="-|>", lw=2.2 if kind == BACKWARD else 1.0,
                 color="tab:red" if kind == BACKWARD else "grey", connectionstyle=f"arc3,rad={curve}")
    arrow = ax.annotate("", xy=end, xytext=start, arrowprops=style, zorder=2)
    arrow.set_gid(kind)
    if label:
        ax.text(*label_at, label, fontsize=9, ha="center", va="center",
                color="tab:red" if kind == BACKWARD else "dimgrey")


def backward_graph_figure(n_steps=4, focus=2):
    """Draw the unrolled network and the gradient's two roads into each hidden state; returns a Figure.

    ``n_steps`` (T, 2..8) time steps; ``focus`` (1..T-1) is the step whose sum
    dh_t = dy_t W_hy^T + dh_next is written out. Grey arrows are the forward pass
    (x_t -> h_t, h_{t-1} -> h_t, h_t -> y_t); red arrows (gid "backward") are the
    gradient: one from every y_t down to h_t, one from every h_{t+1} back to h_t,
    2T - 1 in all (h_T has no future).
    """
    n_steps = check_positive_int(n_steps, "n_steps")
    focus = check_positive_int(focus, "focus")
    if not 2 <= n_steps <= MAX_STEPS:
        raise ValueError(f"n_steps must be between 2 and {MAX_STEPS}, got {n_steps}")
    if focus >= n_steps:
        raise ValueError(f"focus must be a step with a future, 1..{n_steps - 1}, got {focus}")
    gap = 2.2
    fig, ax = plt.subplots(figsize=(1.2 + 2.2 * n_steps, 4.2), layout="constrained")
    _box(ax, 0.0, 1.0, r"$h_0$", "whitesmoke")
    for t in range(1, n_steps + 1):
        x = gap * t
        _box(ax, x, 0.0, f"$x_{t}$", "#cde4f7")
        _box(ax, x, 1.0, f"$h_{t}$", "#fde2b8")
        _box(ax, x, 2.2, f"$y_{t}$", "#d5f0d0")
        _arrow(ax, (x, 0.25), (x, 0.72), FORWARD)
        _arrow(ax, (x - 0.12, 1.28), (x - 0.12, 1.92), FORWARD)
        _arrow(ax, (x - gap + 0.38, 1.07), (x - 0.38, 1.07), FORWARD)
        _arrow(ax, (x + 0.12, 1.92), (x + 0.12, 1.28), BACKWARD, r"$dy_{%d}W_{hy}^\top$" % t, (x + 0.55, 1.6))
        if t < n_steps:
            _arrow(ax, (x + gap - 0.38, 0.88), (x + 0.38, 0.88), BACKWARD, curve=-0.3,
                   label=r"$dz_{%d}W_{hh}^\top$" % (t + 1), label_at=(x + gap / 2, 0.3))
    x = gap * focus
    ax.text(x, -0.6, r"$dh_{%d} = dy_{%d}W_{hy}^\top + dh_{\mathrm{next}}$,  with  $dh_{\mathrm{next}} = "
            r"dz_{%d}W_{hh}^\top$" % (focus, focus, focus + 1), ha="center", fontsize=11, color="tab:red")
    ax.text(gap * n_steps + 0.6, -0.95, r"$dh_{%d} = dy_{%d}W_{hy}^\top$ (no future)" % (n_steps, n_steps),
            ha="right", fontsize=10, color="tab:red")
    ax.text(gap * (n_steps + 1) / 2, 2.85, r"loss $L$: every $y_t$ sends $dy_t = \partial L/\partial y_t$ down",
            ha="center", fontsize=10)
    ax.set(xlim=(-0.7, gap * n_steps + 1.0), ylim=(-1.05, 3.1),
           title="grey: the forward pass;  red: the gradient's two roads into every $h_t$")
    ax.axis("off")
    return fig
