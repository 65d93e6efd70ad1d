"""The three cells the course teaches, drawn: the vanilla cell unrolled in time, the LSTM cell, the GRU cell.

Symbols as in the lessons (03, 11, 12) and ``rnn_lesson.cells``: ``W_xh (I, G·H)``,
``W_hh (H, G·H)``, ``b_h (G·H,)`` with G = 1, 4 (blocks i, f, g, o) or 3 (blocks r, z, n).
The gradient's two roads into every h_t are lesson 04's drawing,
``rnn_lesson.explore.backward_graph.backward_graph_figure``.
"""
from ..shapes import check_positive_int
from .draw import arrow, box, canvas, frame, note, op, title

MAX_STEPS = 8  # beyond this the unrolled cell is wider than a notebook's page


def rnn_unrolled(n_steps=4):
    r"""The vanilla cell unrolled over ``n_steps`` (T, 1..8) steps, with its output layer; returns a Figure.

        z_t = x_t W_xh + h_{t-1} W_hh + b_h,    h_t = f(z_t),    y_t = h_t W_hy + b_y,    h_0 = 0

    The same W_xh, W_hh, b_h, W_hy, b_y at every step. Boxes: T inputs x_t (``box:input``),
    T + 1 states h_0..h_T (``box:state``), T outputs y_t (``box:output``); arrows: T
    ``arrow:flow`` x_t -> h_t (W_xh), T ``arrow:recurrent`` h_{t-1} -> h_t (W_hh) and
    T ``arrow:flow`` h_t -> y_t (W_hy), 2T flow arrows in all.
    """
    n_steps = check_positive_int(n_steps, "n_steps", most=MAX_STEPS)
    gap = min(1.9, 9.6 / n_steps)
    width = max(8.0, 1.6 + gap * n_steps)
    fig, ax = canvas(width, 4.1)
    start = (width - gap * n_steps - 0.65) / 2 + 0.3  # h_0's centre: the row is centred
    previous = box(ax, start, 1.9, "$h_0$", "state", width=0.6)
    for t in range(1, n_steps + 1):
        x = start + gap * t
        x_box = box(ax, x, 0.55, f"$x_{{{t}}}$", "input", width=0.7)
        h_box = box(ax, x, 1.9, f"$h_{{{t}}}$", "state", width=0.7)
        y_box = box(ax, x, 3.2, f"$y_{{{t}}}$", "output", width=0.7)
        arrow(ax, x_box.top(), h_box.bottom(), "flow", "$W_{xh}$")
        arrow(ax, h_box.top(), y_box.bottom(), "flow", "$W_{hy}$")
        arrow(ax, previous.right(), h_box.left(), "recurrent", "$W_{hh}$",
              label_at=((previous.x + h_box.x) / 2, 2.22))
        previous = h_box
    title(ax, width / 2, 3.82, r"$z_t = x_t W_{xh} + h_{t-1} W_{hh} + b_h,\quad h_t = f(z_t),\quad "
          r"y_t = h_t W_{hy} + b_y,\quad h_0 = 0$")
    note(ax, width / 2, 0.08, r"the same $W_{xh},\ W_{hh},\ b_h,\ W_{hy},\ b_y$ at every step $t = 1, \dots, T$",
         fontsize=10)
    return fig


def lstm_cell():
    r"""The LSTM cell of lesson 11 (``rnn_lesson.cells.lstm``): four gates and the cell state's conveyor.

        a   = x_t W_xh + h_{t-1} W_hh + b_h     W_xh (I, 4H), W_hh (H, 4H), b_h (4H,): blocks i, f, g, o
        i = σ(a_i)    f = σ(a_f)    g = tanh(a_g)    o = σ(a_o)
        c_t = f ⊙ c_{t-1} + i ⊙ g
        h_t = o ⊙ tanh(c_t)

    Boxes: ``box:input`` x_t; ``box:state`` c_{t-1}, h_{t-1}, c_t, h_t; ``box:linear`` a;
    ``box:gate`` i, f, g, o; ``box:op`` three ⊙, one +, one tanh. The conveyor
    c_{t-1} -> ⊙ f -> + i⊙g -> c_t is three ``arrow:highway``; 14 ``arrow:flow`` do the rest.
    """
    fig, ax = canvas(10.0, 6.0)
    frame(ax, 1.35, 0.75, 8.05, 5.0)
    c_prev = box(ax, 0.6, 4.6, "$c_{t-1}$", "state", width=0.8)
    h_prev = box(ax, 0.6, 1.3, "$h_{t-1}$", "state", width=0.8)
    c_next = box(ax, 9.45, 4.6, "$c_t$", "state", width=0.8)
    h_next = box(ax, 9.45, 2.55, "$h_t$", "state", width=0.8)
    x_in = box(ax, 4.35, 0.3, "$x_t$", "input", width=0.7, height=0.45)
    affine = box(ax, 4.35, 1.3, r"$a = x_t W_{xh} + h_{t-1} W_{hh} + b_h$" + "\n" + r"$a = [a_i,\ a_f,\ a_g,\ a_o]$",
                 "linear", width=5.0, height=0.7, fontsize=11)
    gates = {name: box(ax, x, 2.55, text, "gate", width=1.2, fontsize=11) for name, x, text in (
        ("f", 2.45, r"$f = \sigma(a_f)$"), ("i", 3.75, r"$i = \sigma(a_i)$"),
        ("g", 5.05, r"$g = \tanh(a_g)$"), ("o", 6.35, r"$o = \sigma(a_o)$"))}
    forget, add, write = op(ax, 2.45, 4.6, r"$\odot$"), op(ax, 4.4, 4.6, "$+$"), op(ax, 4.4, 3.6, r"$\odot$")
    squash, read = op(ax, 7.6, 3.6, r"$\tanh$", radius=0.28, fontsize=10), op(ax, 7.6, 2.55, r"$\odot$")
    arrow(ax, c_prev.right(), forget.left(), "highway")
    arrow(ax, forget.right(), add.left(), "highway", r"$f \odot c_{t-1}$", label_at=(3.42, 4.88))
    arrow(ax, add.right(), c_next.left(), "highway", r"$c_t = f \odot c_{t-1} + i \odot g$", label_at=(6.3, 4.88))
    arrow(ax, h_prev.right(), affine.left(), "flow")
    arrow(ax, x_in.top(), affine.bottom(), "flow")
    for name, gate in gates.items():
        arrow(ax, affine.top(gate.x - affine.x), gate.bottom(), "flow", f"$a_{name}$", fontsize=9)
    arrow(ax, gates["f"].top(), forget.bottom(), "flow", "$f$")
    arrow(ax, gates["i"].top(), write.left(), "flow", "$i$", elbow="vh")
    arrow(ax, gates["g"].top(-0.3), write.right(), "flow", "$g$", elbow="vh", label_at=(4.82, 3.28))
    arrow(ax, write.top(), add.bottom(), "flow", r"$i \odot g$", label_at=(4.5, 4.1))
    arrow(ax, (7.6, 4.6), squash.top(), "flow")
    arrow(ax, squash.bottom(), read.top(), "flow", r"$\tanh(c_t)$", label_at=(7.7, 3.07))
    arrow(ax, gates["o"].right(), read.left(), "flow", "$o$", label_at=(7.1, 2.75))
    arrow(ax, read.right(), h_next.left(), "flow", r"$h_t = o \odot \tanh(c_t)$", label_at=(8.2, 2.2))
    title(ax, 5.0, 5.75, r"the cell state's conveyor:  $c_t = f \odot c_{t-1} + i \odot g$,   "
          r"$h_t = o \odot \tanh(c_t)$")
    title(ax, 5.0, 5.38, r"$W_{xh}\ (I, 4H),\ W_{hh}\ (H, 4H),\ b_h\ (4H,)$: blocks $i, f, g, o$", fontsize=10)
    return fig


def gru_cell():
    r"""The GRU cell of lesson 12 (``rnn_lesson.cells.gru``, Cho et al. as in d2l): one state, two gates.

        r   = σ(a_r),   a_r = x_t W_xr + h_{t-1} W_hr + b_r
        z   = σ(a_z),   a_z = x_t W_xz + h_{t-1} W_hz + b_z
        n   = tanh(a_n), a_n = x_t W_xn + (r ⊙ h_{t-1}) W_hn + b_n      (r acts before W_hn)
        h_t = z ⊙ h_{t-1} + (1 − z) ⊙ n
        W_xh = [W_xr, W_xz, W_xn] (I, 3H),  W_hh = [W_hr, W_hz, W_hn] (H, 3H),  b_h = [b_r, b_z, b_n] (3H,)

    Boxes: ``box:input`` x_t; ``box:state`` h_{t-1}, h_t; ``box:linear`` a_r, a_z and a_n;
    ``box:gate`` r, z, n; ``box:op`` three ⊙, one +, one 1−. The road h_{t-1} -> ⊙ z -> + -> h_t
    is three ``arrow:highway``; 14 ``arrow:flow`` do the rest.
    """
    fig, ax = canvas(10.0, 6.2)
    frame(ax, 1.2, 0.75, 8.9, 5.2)
    h_prev = box(ax, 0.6, 4.8, "$h_{t-1}$", "state", width=0.8)
    h_next = box(ax, 9.45, 4.8, "$h_t$", "state", width=0.8)
    x_in = box(ax, 3.3, 0.3, "$x_t$", "input", width=0.7, height=0.45)
    gates_in = box(ax, 3.3, 1.3, r"$a_r = x_t W_{xr} + h_{t-1} W_{hr} + b_r$" + "\n"
                   r"$a_z = x_t W_{xz} + h_{t-1} W_{hz} + b_z$", "linear", width=3.6, height=0.72, fontsize=10.5)
    candidate_in = box(ax, 7.05, 1.3, r"$a_n = x_t W_{xn} + (r \odot h_{t-1})\, W_{hn} + b_n$", "linear",
                       width=3.5, height=0.5, fontsize=10.5)
    reset = box(ax, 2.0, 2.55, r"$r = \sigma(a_r)$", "gate", width=1.2, fontsize=11)
    update = box(ax, 4.6, 2.55, r"$z = \sigma(a_z)$", "gate", width=1.2, fontsize=11)
    candidate = box(ax, 7.0, 2.55, r"$n = \tanh(a_n)$", "gate", width=1.3, fontsize=11)
    keep, add = op(ax, 4.6, 4.8, r"$\odot$"), op(ax, 8.4, 4.8, "$+$")
    gated, write = op(ax, 2.0, 3.3, r"$\odot$"), op(ax, 8.4, 3.75, r"$\odot$")
    minus = op(ax, 5.5, 3.75, r"$1-$", fontsize=10)
    arrow(ax, h_prev.right(), keep.left(), "highway")
    arrow(ax, keep.right(), add.left(), "highway", r"$z \odot h_{t-1}$", label_at=(6.7, 5.08))
    arrow(ax, add.right(), h_next.left(), "highway")
    arrow(ax, (1.3, 4.8), gates_in.left(), "flow", "$h_{t-1}$", elbow="vh", label_at=(1.05, 3.0))
    arrow(ax, x_in.top(), gates_in.bottom(), "flow")
    arrow(ax, x_in.right(), candidate_in.bottom(-1.2), "flow", "$x_t$", elbow="hv", label_at=(5.2, 0.5))
    arrow(ax, gates_in.top(reset.x - gates_in.x), reset.bottom(), "flow", "$a_r$", fontsize=9)
    arrow(ax, gates_in.top(update.x - gates_in.x), update.bottom(), "flow", "$a_z$", fontsize=9)
    arrow(ax, (2.0, 4.8), gated.top(), "flow")
    arrow(ax, reset.top(), gated.bottom(), "flow", "$r$")
    arrow(ax, gated.right(), candidate_in.top(-1.35), "flow", r"$r \odot h_{t-1}$", elbow="hv",
          label_at=(3.2, 3.05))
    arrow(ax, candidate_in.top(candidate.x - candidate_in.x), candidate.bottom(), "flow", "$a_n$", fontsize=9)
    arrow(ax, update.top(), keep.bottom(), "flow", "$z$", label_at=(4.4, 4.25))
    arrow(ax, (update.x, minus.y), minus.left(), "flow")
    arrow(ax, minus.right(), write.left(), "flow", r"$1 - z$", label_at=(7.2, 3.92))
    arrow(ax, candidate.right(), write.bottom(), "flow", "$n$", elbow="hv", label_at=(7.9, 2.8))
    arrow(ax, write.top(), add.bottom(), "flow", r"$(1 - z) \odot n$", label_at=(8.5, 4.22))
    title(ax, 5.0, 5.95, r"$h_t = z \odot h_{t-1} + (1 - z) \odot n$,   "
          r"$n = \tanh(x_t W_{xn} + (r \odot h_{t-1})\, W_{hn} + b_n)$")
    title(ax, 5.0, 5.58, r"$W_{xh} = [W_{xr}, W_{xz}, W_{xn}]\ (I, 3H)$,  $W_{hh} = [W_{hr}, W_{hz}, W_{hn}]\ "
          r"(H, 3H)$,  $b_h\ (3H,)$: blocks $r, z, n$", fontsize=10)
    return fig

