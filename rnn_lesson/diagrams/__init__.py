"""A diagram of every architecture the course teaches, drawn by code: one function each, returning a Figure.

Every box and arrow is labelled with the symbols of the lesson's equations (mathtext), and
carries a gid (``box:<kind>``, ``arrow:<kind>``) so that ``draw.parts(fig)`` counts what a
figure holds; the tests check them without a browser. ``ALT_TEXT[name]`` (or ``alt_text``)
is each one's description for a reader who cannot see it (the book's alt text).

==============================================  ==================================================  ==========
function                                        draws                                               lesson
==============================================  ==================================================  ==========
``rnn_unrolled(n_steps=4)``                     the vanilla cell unrolled in time, output layer     03, 10
``explore.backward_graph_figure``               the gradient's two roads into every h_t             04, 10
``lstm_cell()``                                 gates i, f, g, o and the cell state's conveyor      11
``gru_cell()``                                  gates r, z, the candidate n, and z's mix            12
``stateful_chunks(text, n_streams, chunk)``     a text as B streams in chunks of T, state carried   13
``stacked(n_layers=2, n_steps=3)``              layers on layers, dropout on every layer's output   15
``bidirectional(n_steps=3)``                    forwards and backwards, h_t = [→h_t, ←h_t]          15
``encoder_decoder(attention, n_source, ...)``   the bridge s_0 = h_L; with attention c_i            16
==============================================  ==================================================  ==========

The two roads of lesson 04 are not drawn again here: that figure is
``rnn_lesson.explore.backward_graph.backward_graph_figure``, listed in ``DIAGRAMS`` as "backward_graph".
"""
from ..explore.backward_graph import backward_graph_figure
from .cells import gru_cell, lstm_cell, rnn_unrolled
from .chunks import stateful_chunks
from .layers import bidirectional, stacked
from .seq2seq import encoder_decoder

DIAGRAMS = {"rnn_unrolled": rnn_unrolled, "lstm_cell": lstm_cell, "gru_cell": gru_cell,
            "stateful_chunks": stateful_chunks, "stacked": stacked, "bidirectional": bidirectional,
            "encoder_decoder": encoder_decoder, "backward_graph": backward_graph_figure}

ALT_TEXT = {
    "rnn_unrolled": "A vanilla recurrent network unrolled over four time steps. Each input x_t feeds the hidden "
                    "state h_t through W_xh; each previous state h_{t-1} feeds h_t through W_hh, starting from "
                    "h_0 = 0; each h_t feeds the output y_t through W_hy. The same weights serve every step.",
    "backward_graph": "The unrolled network with the gradient's two roads into every hidden state: one from the "
                      "output y_t down to h_t, one from the next state h_{t+1} back to h_t; their sum is dh_t.",
    "lstm_cell": "The LSTM cell. x_t and h_{t-1} make a = x_t W_xh + h_{t-1} W_hh + b_h, split into four blocks: "
                 "the gates f, i and o (sigmoids) and the candidate g (tanh). Along the top, the cell state's "
                 "conveyor: c_{t-1} is multiplied by f, then i times g is added, giving c_t. Below, tanh(c_t) "
                 "times o gives h_t.",
    "gru_cell": "The GRU cell. x_t and h_{t-1} make the reset gate r and the update gate z (sigmoids). r "
                "multiplies h_{t-1} before W_hn, and with x_t W_xn gives the candidate n (tanh). Along the top, "
                "h_{t-1} is multiplied by z and (1 - z) times n is added, giving h_t.",
    "stateful_chunks": "A short text cut into two contiguous streams, side by side, each read in chunks of four "
                       "characters; under every input character the next one, its target. Between chunks the "
                       "hidden state h is carried to the next chunk of the same stream, and a dashed line marks "
                       "where the gradient is cut.",
    "stacked": "Two recurrent layers over three time steps. The inputs x_t feed layer 1; layer 1's states feed "
               "layer 2 through a dropout box; layer 2's states feed the outputs y_t through another dropout box. "
               "Each layer carries its own state from step to step, starting from zero, without dropout.",
    "bidirectional": "A bidirectional layer over three time steps. One row of states reads the inputs forwards, "
                     "from a zero state on the left; another reads them backwards, from a zero state on the "
                     "right. Each step's output is the two states side by side, h_t = [forward h_t, backward h_t].",
    "encoder_decoder": "An encoder-decoder. The encoder reads the source tokens x_1 to x_4 into states h_1 to h_4; "
                       "its last state h_L starts the decoder, s_0 = h_L. The decoder reads the previous target "
                       "token (first the start token <s>) and gives the next token's probabilities p_i from s_i: "
                       "everything it knows of the source passes through h_L.",
    "encoder_decoder_attention": "An encoder-decoder with attention. As without attention, h_L starts the "
                                 "decoder; in addition every decoder state s_i looks at every encoder state h_j: "
                                 "the weights a_ij, a softmax of s_i . h_j / sqrt(H), make the context c_i, and "
                                 "the probabilities p_i are read from s_i and c_i together.",
}


def alt_text(name, attention=False):
    """The alt text of the diagram ``name`` (a key of DIAGRAMS); a ValueError names them."""
    key = "encoder_decoder_attention" if name == "encoder_decoder" and attention else name
    if not isinstance(name, str) or key not in ALT_TEXT:
        raise ValueError(f"no diagram called {name!r}; the diagrams are {sorted(DIAGRAMS)}")
    return ALT_TEXT[key]
