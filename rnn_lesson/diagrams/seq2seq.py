"""Lesson 16's encoder-decoder, drawn with or without attention, as ``rnn_lesson.seq2seq.network`` computes it.

Symbols as in the lesson: source tokens x_j (j = 1..L), encoder states h_j, decoder
states s_i (i = 1..S), fed the true previous token y_{i-1} (teacher forcing, y_0 = <s>),
next-token probabilities p_i. Attention's query is the decoder's *current* state s_i,
and its context c_i enters the output layer beside s_i (not the decoder's input).
"""
from ..shapes import check_positive_int
from .draw import STROKES, arrow, box, canvas, note, title

MAX_SOURCE, MAX_TARGET = 6, 5
MAX_WIDTH = 11.0


def encoder_decoder(attention=False, n_source=4, n_target=3):
    r"""The encoder-decoder over ``n_source`` (L, 1..6) and ``n_target`` (S, 1..5) steps; returns a Figure.

        h_j = GRU_enc(x_j, h_{j-1}),  h_0 = 0                        encoder
        s_0 = h_L                                                     the bridge: the encoder's last state
        s_i = GRU_dec(e(y_{i-1}), s_{i-1}),  y_0 = <s>                decoder, teacher forcing
        plain:      p_i = softmax(s_i W_out + b_out)                  W_out (H, V)
        attention:  e_ij = s_i · h_j / sqrt(H),  a_ij = exp(e_ij) / Σ_k exp(e_ik),  c_i = Σ_j a_ij h_j
                    p_i = softmax([s_i, c_i] W_out + b_out)           W_out (2H, V)

    Boxes: L + S ``box:input`` (x_j, y_{i-1}), L + 1 + S ``box:state`` (h_0..h_L, s_1..s_S),
    S ``box:output`` (p_i), and with attention S ``box:context`` (c_i). Arrows: one
    ``arrow:bridge`` (s_0 = h_L), L + S - 1 ``arrow:recurrent``, L + S inputs and S outputs as
    ``arrow:flow`` (with attention also S queries s_i -> c_i and S contexts c_i -> p_i), and
    L·S ``arrow:attention`` h_j -> c_i.
    """
    if not isinstance(attention, bool):
        raise TypeError(f"attention must be True or False, got {type(attention).__name__} {attention!r}")
    n_source = check_positive_int(n_source, "n_source", most=MAX_SOURCE)
    n_target = check_positive_int(n_target, "n_target", most=MAX_TARGET)
    enc_gap, dec_gap, bridge = 1.2, 1.75 if attention else 1.3, 1.2
    fixed, gaps = 0.9 + bridge + 1.3, enc_gap * n_source + dec_gap * (n_target - 1)
    scale = min(1.0, (MAX_WIDTH - fixed) / gaps)  # the steps close up; the bridge keeps its room
    enc_gap, dec_gap = enc_gap * scale, dec_gap * scale
    natural = fixed + gaps * scale
    width = max(8.0, natural)
    state_y = 1.9
    top_y = state_y + (3.0 if attention else 1.4)
    height = top_y + 1.3
    fig, ax = canvas(width, height)
    x = (width - natural) / 2 + 0.55
    previous = box(ax, x, state_y, "$h_0$", "state", width=0.55)
    encoder = []
    for j in range(1, n_source + 1):
        x += enc_gap
        token = box(ax, x, 0.5, f"$x_{{{j}}}$", "input", width=0.6)
        state = box(ax, x, state_y, f"$h_{{{j}}}$", "state", width=0.6)
        arrow(ax, token.top(), state.bottom(), "flow")
        arrow(ax, previous.right(), state.left(), "recurrent")
        encoder.append(previous := state)
    x += bridge
    for i in range(1, n_target + 1):
        token = box(ax, x, 0.5, "$y_0$ = <s>" if i == 1 else f"$y_{{{i - 1}}}$", "input",
                    width=0.95 if i == 1 else 0.6)
        state = box(ax, x, state_y, f"$s_{{{i}}}$", "state", width=0.6)
        arrow(ax, token.top(), state.bottom(), "flow")
        if i == 1:
            arrow(ax, previous.right(), state.left(), "bridge", "$s_0 = h_L$",
                  label_at=((previous.x + state.x) / 2, state_y - 0.42))
        else:
            arrow(ax, previous.right(), state.left(), "recurrent")
        output = box(ax, x, top_y, f"$p_{{{i}}}$", "output", width=0.6)
        if attention:
            _attend(ax, i, state, output, encoder, state_y + 1.75)
        else:
            arrow(ax, state.top(), output.bottom(), "flow", r"$W_{\mathrm{out}}$" if i == 1 else "")
        previous = state
        x += dec_gap
    _label_rows(ax, encoder, previous, state_y)
    if attention:
        title(ax, width / 2, height - 0.3, r"$e_{ij} = s_i \cdot h_j / \sqrt{H},\quad a_{ij} = "
              r"\exp(e_{ij}) / \sum_k \exp(e_{ik}),\quad c_i = \sum_j a_{ij} h_j,\quad "
              r"p_i = \mathrm{softmax}([s_i, c_i]\, W_{\mathrm{out}} + b_{\mathrm{out}})$", fontsize=11)
        title(ax, width / 2, height - 0.75, r"every decoder step $i$ looks at every $h_j$; $s_0 = h_L$ still starts "
              "the decoder", fontsize=10)
    else:
        title(ax, width / 2, height - 0.3, r"$h_j = \mathrm{GRU}_{\mathrm{enc}}(x_j, h_{j-1}),\quad s_0 = h_L,\quad "
              r"s_i = \mathrm{GRU}_{\mathrm{dec}}(e(y_{i-1}), s_{i-1}),\quad p_i = \mathrm{softmax}(s_i "
              r"W_{\mathrm{out}} + b_{\mathrm{out}})$", fontsize=11)
        title(ax, width / 2, height - 0.72, r"the bottleneck: all the decoder knows of the source is $s_0 = h_L$, "
              "$H$ numbers", fontsize=10)
    return fig


def _attend(ax, i, state, output, encoder, height):
    """c_i at ``height`` from s_i (the query) and every h_j (keys and values, weighted a_ij); p_i reads [s_i, c_i]."""
    context = box(ax, state.x + 0.45, height, f"$c_{{{i}}}$", "context", width=0.6, height=0.45)
    arrow(ax, state.top(0.15), context.bottom(0.12), "flow")
    arrow(ax, state.top(-0.15), output.bottom(-0.15), "flow")
    arrow(ax, context.top(), output.bottom(0.25), "flow")
    for source in encoder:
        arrow(ax, source.top(), context.bottom(-0.1), "attention")
    note(ax, context.x - 0.4, context.y + 0.05, f"$a_{{{i}j}}$", fontsize=9, colour=STROKES["attention"][0],
         ha="right")


def _label_rows(ax, encoder, last, state_y):
    """'encoder' and 'decoder' under their rows' ends."""
    ax.text(encoder[0].x - 0.95, state_y - 0.75, "encoder", fontsize=10, ha="left", color="#555555")
    ax.text(last.x + 0.3, state_y - 0.75, "decoder", fontsize=10, ha="right", color="#555555")
