"""The architecture diagrams: each draws the parts its equations have, labelled with the lessons' symbols."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rnn_lesson import diagrams  # noqa: E402
from rnn_lesson.diagrams.draw import labels, parts  # noqa: E402
from rnn_lesson.language import batching  # noqa: E402

# name -> (call, the parts it must hold, the symbols its labels must contain)
EXPECTED = {
    "rnn_unrolled": (lambda: diagrams.rnn_unrolled(4),
                     {"box:input": 4, "box:state": 5, "box:output": 4, "arrow:flow": 8, "arrow:recurrent": 4},
                     ["$x_{1}$", "$h_0$", "$h_{4}$", "$y_{4}$", "$W_{xh}$", "$W_{hh}$",
                      "$W_{hy}$", "b_h", "b_y", "h_t = f(z_t)"]),
    "lstm_cell": (diagrams.lstm_cell,
                  {"box:input": 1, "box:state": 4, "box:linear": 1, "box:gate": 4, "box:op": 5,
                   "arrow:highway": 3, "arrow:flow": 14},
                  ["$x_t$", "$h_{t-1}$", "$c_{t-1}$", "$c_t$", "$h_t$", r"a = x_t W_{xh} + h_{t-1} W_{hh} + b_h",
                   r"$i = \sigma(a_i)$", r"$f = \sigma(a_f)$", r"$g = \tanh(a_g)$", r"$o = \sigma(a_o)$",
                   r"c_t = f \odot c_{t-1} + i \odot g", r"h_t = o \odot \tanh(c_t)", r"$\odot$", "$+$",
                   r"W_{xh}\ (I, 4H)", r"W_{hh}\ (H, 4H)", r"b_h\ (4H,)", "blocks $i, f, g, o$"]),
    "gru_cell": (diagrams.gru_cell,
                 {"box:input": 1, "box:state": 2, "box:linear": 2, "box:gate": 3, "box:op": 5,
                  "arrow:highway": 3, "arrow:flow": 14},
                 ["$x_t$", "$h_{t-1}$", "$h_t$", r"$r = \sigma(a_r)$", r"$z = \sigma(a_z)$", r"$n = \tanh(a_n)$",
                  r"a_r = x_t W_{xr} + h_{t-1} W_{hr} + b_r", r"a_z = x_t W_{xz} + h_{t-1} W_{hz} + b_z",
                  r"a_n = x_t W_{xn} + (r \odot h_{t-1})\, W_{hn} + b_n", r"h_t = z \odot h_{t-1} + (1 - z) \odot n",
                  r"$r \odot h_{t-1}$", r"$1 - z$", r"$1-$", "blocks $r, z, n$", r"(I, 3H)", r"(H, 3H)"]),
    "stacked": (lambda: diagrams.stacked(2, 3),
                {"box:input": 3, "box:state": 8, "box:output": 3, "box:dropout": 6, "arrow:recurrent": 6,
                 "arrow:flow": 15},
                ["$x_{1}$", "$h^{(1)}_0$", "$h^{(2)}_{3}$", "$y_{3}$", r"$\mathrm{drop}$", "$W_{hy}$",
                 "W_{xh}^{(2)}", "W_{hh}^{(1)}", r"h^{(l)}_t = \mathrm{cell}_l(h^{(l-1)}_t", "dropout"]),
    "bidirectional": (lambda: diagrams.bidirectional(3),
                      {"box:input": 3, "box:state": 8, "box:output": 3, "arrow:recurrent": 6, "arrow:flow": 12},
                      ["$x_{1}$", r"$\overrightarrow{h}_0$", r"$\overleftarrow{h}_{4}$", r"$\overrightarrow{h}_{3}$",
                       r"$h_{2} = [\overrightarrow{h}_{2}, \overleftarrow{h}_{2}]$", "forwards", "backwards"]),
    "encoder_decoder": (lambda: diagrams.encoder_decoder(False, 4, 3),
                        {"box:input": 7, "box:state": 8, "box:output": 3, "arrow:bridge": 1, "arrow:recurrent": 6,
                         "arrow:flow": 10},
                        ["$x_{4}$", "$h_0$", "$h_{4}$", "$s_{1}$", "$s_{3}$", "$y_0$ = <s>", "$y_{2}$", "$p_{3}$",
                         "$s_0 = h_L$", r"W_{\mathrm{out}}", r"\mathrm{GRU}_{\mathrm{enc}}", "bottleneck"]),
    "encoder_decoder_attention": (
        lambda: diagrams.encoder_decoder(True, 4, 3),
        {"box:input": 7, "box:state": 8, "box:output": 3, "box:context": 3, "arrow:bridge": 1,
         "arrow:recurrent": 6, "arrow:flow": 16, "arrow:attention": 12},
        ["$c_{1}$", "$c_{3}$", "$s_0 = h_L$", r"e_{ij} = s_i \cdot h_j / \sqrt{H}", r"c_i = \sum_j a_{ij} h_j",
         r"[s_i, c_i]\, W_{\mathrm{out}}"]),
    "stateful_chunks": (lambda: diagrams.stateful_chunks("hello world, hello rnn!", 2, 4),
                        {"box:char": 23, "box:input": 22, "box:output": 22, "arrow:carry": 4, "cut": 2},
                        ["stream 0", "stream 1", "chunk 0", "chunk 2", "$h$", "␣", r"\mathrm{ids}[b n + k T + t]",
                         "n = 11", "T = 4"]),
}


def holds(fig, expected):
    """The figure's parts of the kinds named in ``expected`` (every box also has its label)."""
    found = parts(fig)
    for kind in [kind for kind in expected if kind.startswith("box:")]:
        assert found["label:" + kind[4:]] == found[kind]
    return {kind: found[kind] for kind in expected}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_diagram_draws_its_parts_with_the_lessons_symbols(name):
    call, expected, symbols = EXPECTED[name]
    fig = call()
    assert isinstance(fig, Figure)
    assert holds(fig, expected) == expected
    words = " ".join(labels(fig))
    missing = [symbol for symbol in symbols if symbol not in words]
    assert not missing, f"{name} lacks {missing}"
    assert 8.0 <= fig.get_size_inches()[0] <= 11.2
    fig.set_dpi(20)
    fig.canvas.draw()  # every label is valid mathtext
    assert not overlapping_boxes(fig), f"{name}: boxes overlap"
    plt.close(fig)


def overlapping_boxes(fig):
    """Pairs of boxes (by their extents on the page) that overlap by more than a pixel."""
    extents = [artist.get_window_extent().expanded(0.98, 0.98) for artist in fig.findobj()
               if (artist.get_gid() or "").startswith("box:")]
    return [(a, b) for i, a in enumerate(extents) for b in extents[i + 1:] if a.overlaps(b)]


@pytest.mark.parametrize("n_steps", [1, 8])
def test_the_unrolled_cell_has_one_column_a_step(n_steps):
    fig = diagrams.rnn_unrolled(n_steps)
    assert holds(fig, {"box:state": 0, "arrow:recurrent": 0, "arrow:flow": 0}) == {
        "box:state": n_steps + 1, "arrow:recurrent": n_steps, "arrow:flow": 2 * n_steps}
    plt.close(fig)


@pytest.mark.parametrize("n_layers, n_steps", [(1, 1), (3, 2), (4, 6)])
def test_a_stack_drops_out_every_layers_output_never_the_recurrence(n_layers, n_steps):
    fig = diagrams.stacked(n_layers, n_steps)
    cells = n_layers * n_steps
    assert holds(fig, {"box:dropout": 0, "box:state": 0, "arrow:recurrent": 0, "arrow:flow": 0}) == {
        "box:dropout": cells, "box:state": n_layers * (n_steps + 1), "arrow:recurrent": cells,
        "arrow:flow": n_steps + 2 * cells}
    assert f"$h^{{({n_layers})}}_{{{n_steps}}}$" in labels(fig)
    plt.close(fig)


def test_both_directions_start_from_their_own_end():
    fig = diagrams.bidirectional(4)
    assert holds(fig, {"box:state": 0, "arrow:recurrent": 0}) == {"box:state": 10, "arrow:recurrent": 8}
    assert r"$\overleftarrow{h}_{5}$" in labels(fig) and r"$\overrightarrow{h}_0$" in labels(fig)
    plt.close(fig)


@pytest.mark.parametrize("n_source, n_target", [(1, 1), (6, 5)])
def test_with_attention_every_decoder_step_reads_every_encoder_state(n_source, n_target):
    fig = diagrams.encoder_decoder(True, n_source, n_target)
    assert holds(fig, {"arrow:attention": 0, "box:context": 0, "arrow:bridge": 0, "arrow:recurrent": 0}) == {
        "arrow:attention": n_source * n_target, "box:context": n_target, "arrow:bridge": 1,
        "arrow:recurrent": n_source + n_target - 1}
    assert fig.get_size_inches()[0] <= 11.0
    assert not overlapping_boxes(fig)
    plt.close(fig)
    fig = diagrams.encoder_decoder(False, n_source, n_target)
    assert parts(fig)["arrow:attention"] == 0 and parts(fig)["box:context"] == 0
    plt.close(fig)


@pytest.mark.parametrize("text, n_streams, chunk", [("hello world, hello rnn!", 2, 4),
                                                    ("the cat sat on the mat, the dog sat on log.\n", 4, 3),
                                                    ("ab", 1, 1), ("a $5 note", 3, 2)])
def test_the_chunks_drawn_are_the_chunks_the_training_loop_is_fed(text, n_streams, chunk):
    fig = diagrams.stateful_chunks(text, n_streams, chunk)
    pieces = list(batching.chunks(np.arange(len(text)), n_streams, chunk))
    shown = {" ": "␣", "\n": "↵", "$": r"\$"}
    expected = {"label:input": [], "label:output": []}
    for b in range(n_streams):
        for inputs, targets in pieces:
            for t in range(len(inputs)):
                expected["label:input"].append(shown.get(text[inputs[t, b]], text[inputs[t, b]]))
                expected["label:output"].append(shown.get(text[targets[t, b]], text[targets[t, b]]))
    for kind, chars in expected.items():
        assert [a.get_text() for a in fig.findobj(plt.Text) if a.get_gid() == kind] == chars
    assert parts(fig)["arrow:carry"] == n_streams * (len(pieces) - 1) and parts(fig)["cut"] == len(pieces) - 1
    fig.set_dpi(20)
    fig.canvas.draw()  # a "$" in the text is shown, not taken for mathtext
    plt.close(fig)


@pytest.mark.parametrize("call, error, match", [
    (lambda: diagrams.rnn_unrolled(0), ValueError, "n_steps must be at least 1"),
    (lambda: diagrams.rnn_unrolled(9), ValueError, "n_steps must be at most 8"),
    (lambda: diagrams.rnn_unrolled(2.0), TypeError, "n_steps must be an integer"),
    (lambda: diagrams.stacked(5, 3), ValueError, "n_layers must be at most 4"),
    (lambda: diagrams.stacked(2, 7), ValueError, "n_steps must be at most 6"),
    (lambda: diagrams.stacked(True, 3), TypeError, "n_layers must be an integer"),
    (lambda: diagrams.bidirectional(1), ValueError, "at least 2 for the two directions"),
    (lambda: diagrams.bidirectional("3"), TypeError, "n_steps must be an integer"),
    (lambda: diagrams.bidirectional(5), ValueError, "n_steps must be at most 4"),
    (lambda: diagrams.encoder_decoder("yes"), TypeError, "attention must be True or False"),
    (lambda: diagrams.encoder_decoder(True, 7, 3), ValueError, "n_source must be at most 6"),
    (lambda: diagrams.encoder_decoder(False, 4, 0), ValueError, "n_target must be at least 1"),
    (lambda: diagrams.stateful_chunks(42), TypeError, "text must be a str"),
    (lambda: diagrams.stateful_chunks("a"), ValueError, "at least 2 characters"),
    (lambda: diagrams.stateful_chunks("abc", 3, 1), ValueError, "too short for n_streams=3"),
    (lambda: diagrams.stateful_chunks("x" * 45), ValueError, "at most 44 can be drawn"),
    (lambda: diagrams.stateful_chunks("x" * 40, 1, 1), ValueError, "more than the 12 a page can show"),
    (lambda: diagrams.stateful_chunks("hello", 5, 1), ValueError, "n_streams must be at most 4"),
    (lambda: diagrams.stateful_chunks("hello", 1, 0), ValueError, "chunk must be at least 1"),
    (lambda: diagrams.alt_text("lstm"), ValueError, "no diagram called 'lstm'"),
    (lambda: diagrams.alt_text(None), ValueError, "the diagrams are"),
])
def test_bad_arguments_are_refused_in_words(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_every_diagram_has_its_alt_text():
    for name in diagrams.DIAGRAMS:
        assert len(diagrams.alt_text(name)) > 80
    assert "c_i" in diagrams.alt_text("encoder_decoder", attention=True)
    assert "c_i" not in diagrams.alt_text("encoder_decoder")
    assert set(diagrams.ALT_TEXT) == {*diagrams.DIAGRAMS, "encoder_decoder_attention"}
    assert all(callable(draw) for draw in diagrams.DIAGRAMS.values())
