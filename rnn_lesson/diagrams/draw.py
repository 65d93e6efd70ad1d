"""The pieces every diagram is drawn with: boxes, operation nodes and arrows, each tagged with a gid.

A drawing works in inches: ``canvas(width, height)`` gives an axes whose data units are
the figure's inches, so a box 1.0 wide is one inch wide on the page whatever the figure.
Every box is a patch with the gid ``"box:<kind>"`` and every arrow one with ``"arrow:<kind>"``,
so ``parts(fig)`` counts what a figure holds (the tests use it, without a browser); the text in
a box has the gid ``"label:<kind>"``.

Colours are the Okabe-Ito palette (readable with every common colour-vision deficiency);
every kind of arrow also differs in width or dash, so nothing is told by colour alone.
"""
from collections import Counter

import matplotlib.pyplot as plt
from matplotlib import patheffects
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

# box kind -> fill (light tints of Okabe-Ito); every box has a black edge
FILLS = {"input": "#cfe6f5", "state": "#fde4b3", "output": "#c8eadf", "gate": "#f7f1b0",
         "linear": "#e6e6e6", "context": "#f2d4e6", "dropout": "white", "char": "white", "op": "white"}
# arrow kind -> (colour, line width, dash)
STROKES = {"flow": ("#333333", 1.3, "-"),
           "recurrent": ("#0072B2", 1.9, "-"),        # a state carried to the next step
           "highway": ("#D55E00", 3.2, "-"),          # the LSTM's cell state, the GRU's z-path
           "bridge": ("#009E73", 2.6, "-"),           # the encoder's last state into the decoder
           "attention": ("#CC79A7", 1.2, "-"),        # every encoder state into a context
           "carry": ("#0072B2", 1.9, (0, (4, 2)))}    # a state carried across a chunk boundary, gradient cut
CUT = "#D55E00"


def canvas(width, height):
    """A Figure of ``width`` x ``height`` inches and its axes, in inch units, without frame or ticks."""
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set(xlim=(0, width), ylim=(0, height))
    ax.axis("off")
    return fig, ax


class Box:
    """Where a box (or an operation node) stands: its centre and half-sizes, with its edge points."""

    def __init__(self, x, y, half_width, half_height):
        self.x, self.y, self.dx, self.dy = x, y, half_width, half_height

    def top(self, shift=0.0):
        return (self.x + shift, self.y + self.dy)

    def bottom(self, shift=0.0):
        return (self.x + shift, self.y - self.dy)

    def left(self, shift=0.0):
        return (self.x - self.dx, self.y + shift)

    def right(self, shift=0.0):
        return (self.x + self.dx, self.y + shift)


def box(ax, x, y, text, kind, width=0.9, height=0.5, fontsize=12, dashed=False):
    """A rounded box centred on (x, y) holding ``text`` (mathtext); gid ``box:<kind>``."""
    rounding = min(0.08, 0.2 * min(width, height))
    patch = FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                           boxstyle=f"round,pad=0,rounding_size={rounding}", facecolor=FILLS[kind],
                           edgecolor="black", lw=1.0, linestyle="--" if dashed else "-", zorder=3)
    patch.set_gid(f"box:{kind}")
    ax.add_patch(patch)
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=4, gid=f"label:{kind}")
    return Box(x, y, width / 2, height / 2)


def op(ax, x, y, symbol, radius=0.2, fontsize=13):
    """A round node for a pointwise operation (``⊙``, ``+``, ``tanh``, ``1-``); gid ``box:op``."""
    patch = Circle((x, y), radius, facecolor=FILLS["op"], edgecolor="black", lw=1.0, zorder=3)
    patch.set_gid("box:op")
    ax.add_patch(patch)
    ax.text(x, y, symbol, ha="center", va="center", fontsize=fontsize, zorder=4, gid="label:op")
    return Box(x, y, radius, radius)


def arrow(ax, start, end, kind="flow", label="", label_at=None, elbow=None, fontsize=10):
    """An arrow from ``start`` to ``end``; gid ``arrow:<kind>``, a white halo so crossings stay legible.

    ``elbow``: None (straight), ``"hv"`` (horizontal, then vertical) or ``"vh"`` (vertical, then horizontal).
    ``label`` (mathtext) is written at ``label_at``, or beside the arrow's middle.
    """
    colour, width, dash = STROKES[kind]
    style = {None: "arc3,rad=0", "hv": "angle,angleA=0,angleB=90,rad=0", "vh": "angle,angleA=90,angleB=0,rad=0"}
    patch = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12 + 2 * width,
                            connectionstyle=style[elbow], color=colour, lw=width, linestyle=dash, shrinkA=0,
                            shrinkB=0, zorder=1.5 if kind == "attention" else 2,  # the fans pass under
                            path_effects=[patheffects.withStroke(linewidth=width + 3, foreground="white")])
    patch.set_gid(f"arrow:{kind}")
    ax.add_patch(patch)
    if label:
        if label_at is None:
            label_at = ((start[0] + end[0]) / 2 + 0.08, (start[1] + end[1]) / 2)
        note(ax, *label_at, label, fontsize=fontsize, colour=colour if kind != "flow" else "black",
             ha="left" if label_at[0] > (start[0] + end[0]) / 2 else "center")
    return patch


def note(ax, x, y, text, fontsize=10, colour="black", ha="center"):
    """A piece of text (mathtext) on a white ground, above the arrows."""
    return ax.text(x, y, text, ha=ha, va="center", fontsize=fontsize, color=colour, zorder=5,
                   bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85))


def title(ax, x, y, text, fontsize=12):
    """The diagram's heading (its equations, or what it shows), centred on x."""
    return ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=5)


def parts(fig):
    """Counter of the gids in a figure: ``{"box:state": 5, "label:state": 5, "arrow:recurrent": 4, ...}``."""
    return Counter(artist.get_gid() for artist in fig.findobj() if artist.get_gid())


def labels(fig):
    """Every text written in a figure (mathtext source included), one string per text."""
    return [text.get_text() for text in fig.findobj(plt.Text) if text.get_text()]


def frame(ax, x0, y0, x1, y1):
    """A cell's outline: a pale rounded rectangle behind everything (no gid: it is not a part)."""
    ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=0.25",
                                facecolor="#f4f4f4", edgecolor="#999999", lw=1.0, zorder=0))
