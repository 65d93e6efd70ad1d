"""Lesson 15's two ways to build on a cell, drawn: a stack of layers and a bidirectional layer.

As ``rnn_lesson.layers.stack`` and ``rnn_lesson.layers.bidirectional`` compute them: every
layer is a cell (rnn, lstm or gru) with its own weights; dropout acts on every layer's
output (between layers and into the output layer), never on the recurrence.
"""
from ..shapes import check_positive_int
from .draw import STROKES, arrow, box, canvas, title

MAX_LAYERS = 4  # taller stacks do not fit a notebook's page
MAX_STEPS = 6
MAX_BOTH_WAYS = 4  # a bidirectional step needs two columns of boxes


def stacked(n_layers=2, n_steps=3):
    r"""A stack of ``n_layers`` (L, 1..4) recurrent layers over ``n_steps`` (T, 1..6) steps; returns a Figure.

        h^{(0)}_t = x_t,    h^{(l)}_t = cell_l(dropout(h^{(l-1)}_t), h^{(l)}_{t-1})  (dropout on layers l > 1),
        y_t = dropout(h^{(L)}_t) W_hy + b_y

    Dropout (``box:dropout``, only while training) sits on every layer's output: the
    arrows between layers and into the output layer, L·T of them; the recurrence has none.
    Boxes: T ``box:input``, L·(T + 1) ``box:state`` (h^{(l)}_0 = 0 included), T ``box:output``;
    arrows: L·T ``arrow:recurrent``, T + 2·L·T ``arrow:flow`` (x_t in, then in and out of every dropout).
    """
    n_layers = check_positive_int(n_layers, "n_layers", most=MAX_LAYERS)
    n_steps = check_positive_int(n_steps, "n_steps", most=MAX_STEPS)
    gap, rise = 1.8, 1.6
    width, height = max(8.0, 2.4 + gap * n_steps), 1.6 + rise * (n_layers + 1)
    fig, ax = canvas(width, height)
    left = (width - gap * n_steps - 0.625) / 2 + 0.25
    below = [box(ax, left + gap * t, 0.45, f"$x_{{{t}}}$", "input", width=0.7) for t in range(1, n_steps + 1)]
    for layer in range(1, n_layers + 1):
        y = 0.45 + rise * layer
        previous = box(ax, left + 0.1, y, f"$h^{{({layer})}}_0$", "state", width=0.7, height=0.55)
        row = []
        for t in range(1, n_steps + 1):
            state = box(ax, left + gap * t, y, f"$h^{{({layer})}}_{{{t}}}$", "state", width=0.75, height=0.55)
            arrow(ax, previous.right(), state.left(), "recurrent",
                  f"$W_{{hh}}^{{({layer})}}$" if t == 1 else "", label_at=((previous.x + state.x) / 2, y + 0.42))
            source = below[t - 1]
            if layer == 1:
                arrow(ax, source.top(), state.bottom(), "flow", "$W_{xh}^{(1)}$" if t == 1 else "")
            else:
                _through_dropout(ax, source, state, f"$W_{{xh}}^{{({layer})}}$" if t == 1 else "")
            row.append(state)
            previous = state
        below = row
    y_top = 0.45 + rise * (n_layers + 1)
    for t, state in enumerate(below, start=1):
        output = box(ax, state.x, y_top, f"$y_{{{t}}}$", "output", width=0.7)
        _through_dropout(ax, state, output, "$W_{hy}$" if t == 1 else "")
    title(ax, width / 2, height - 0.3, r"$h^{(0)}_t = x_t,\quad h^{(l)}_t = \mathrm{cell}_l(h^{(l-1)}_t,\ "
          r"h^{(l)}_{t-1}),\ l = 1, \dots, L,\quad y_t = h^{(L)}_t W_{hy} + b_y$")
    title(ax, width / 2, height - 0.68, "dashed: dropout on every layer's output (while training), never on the "
          "recurrence", fontsize=10)
    return fig


def _through_dropout(ax, below, above, label):
    """below -> a dropout box halfway -> above: the connection between layers, as ``layers.stack`` drops it."""
    mid = (below.y + below.dy + above.y - above.dy) / 2
    drop = box(ax, below.x, mid, r"$\mathrm{drop}$", "dropout", width=0.62, height=0.3, fontsize=9, dashed=True)
    arrow(ax, below.top(), drop.bottom(), "flow")
    arrow(ax, drop.top(), above.bottom(), "flow", label,
          label_at=(above.x + 0.1, (drop.y + drop.dy + above.y - above.dy) / 2))


def bidirectional(n_steps=3):
    r"""A bidirectional layer over ``n_steps`` (T, 2..4) steps, as ``rnn_lesson.layers.bidirectional``; a Figure.

        →h_t = cell_→(x_t, →h_{t-1}),  →h_0 = 0          (forward weights)
        ←h_t = cell_←(x_t, ←h_{t+1}),  ←h_{T+1} = 0      (backward weights: the cell on the reversed sequence)
        h_t  = [→h_t, ←h_t]                              (T, [N,] 2H): forward half first

    Boxes: T ``box:input``, 2(T + 1) ``box:state`` (both rows and their zero starts), T
    ``box:output`` (the concatenation h_t); arrows: 2T ``arrow:recurrent`` (left to right,
    right to left) and 4T ``arrow:flow`` (x_t into both cells, both halves into h_t).
    """
    n_steps = check_positive_int(n_steps, "n_steps", most=MAX_BOTH_WAYS)
    if n_steps < 2:
        raise ValueError(f"n_steps must be at least 2 for the two directions to differ, got {n_steps}")
    gap = min(2.1, 9.4 / (n_steps + 1))
    width = max(8.0, 1.6 + gap * (n_steps + 1))
    fig, ax = canvas(width, 5.2)
    left = (width - gap * (n_steps + 1)) / 2
    forward_prev = box(ax, left + 0.35, 1.85, r"$\overrightarrow{h}_0$", "state", width=0.6, height=0.55)
    backward_next = box(ax, left + gap * (n_steps + 1) - 0.35, 3.05, r"$\overleftarrow{h}_{%d}$" % (n_steps + 1),
                        "state", width=0.75, height=0.55)
    forwards, backwards = [], []
    for t in range(1, n_steps + 1):
        x = left + gap * t
        x_box = box(ax, x, 0.5, f"$x_{{{t}}}$", "input", width=0.7)
        forward = box(ax, x - 0.4, 1.85, r"$\overrightarrow{h}_{%d}$" % t, "state", width=0.7, height=0.55)
        backward = box(ax, x + 0.4, 3.05, r"$\overleftarrow{h}_{%d}$" % t, "state", width=0.7, height=0.55)
        both = box(ax, x, 4.25, r"$h_{%d} = [\overrightarrow{h}_{%d}, \overleftarrow{h}_{%d}]$" % (t, t, t),
                   "output", width=1.75, height=0.55, fontsize=11)
        arrow(ax, x_box.top(-0.15), forward.bottom(0.05), "flow")
        arrow(ax, x_box.top(0.15), backward.bottom(-0.05), "flow")
        arrow(ax, forward.top(), both.bottom(-0.4), "flow")
        arrow(ax, backward.top(), both.bottom(0.4), "flow")
        forwards.append(forward)
        backwards.append(backward)
    for previous, state in zip([forward_prev] + forwards, forwards):
        arrow(ax, previous.right(), state.left(), "recurrent")
    for following, state in zip(backwards[1:] + [backward_next], backwards):
        arrow(ax, following.left(), state.right(), "recurrent")
    for start, word in ((forward_prev, "forwards"), (backward_next, "backwards")):
        ax.text(start.x, start.y - 0.5, word, ha="center", va="center", fontsize=10, color=STROKES["recurrent"][0])
    title(ax, width / 2, 4.9, r"$\overrightarrow{h}_t = \mathrm{cell}_{\rightarrow}(x_t, \overrightarrow{h}_{t-1}),"
          r"\quad \overleftarrow{h}_t = \mathrm{cell}_{\leftarrow}(x_t, \overleftarrow{h}_{t+1}),\quad "
          r"h_t = [\overrightarrow{h}_t, \overleftarrow{h}_t] \in \mathbb{R}^{2H}$")
    return fig
