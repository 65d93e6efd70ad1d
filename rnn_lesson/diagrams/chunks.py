"""Lesson 13's stateful truncated BPTT, drawn: a text cut into B streams, read in chunks of T characters.

The picture is computed by ``rnn_lesson.language.batching.chunks`` itself (on the
positions of the characters), so it shows exactly what the training loop is fed.
"""
import numpy as np

from ..language.batching import chunks
from ..language.vocabulary import check_text
from ..shapes import check_positive_int
from .draw import CUT, STROKES, arrow, box, canvas, note, title

MAX_STREAMS = 4
MAX_TEXT = 44  # characters that fit across a notebook's page in one row
MAX_CHUNKS = 12
SHOWN = {" ": "␣", "\n": "↵", "\t": "⇥", "$": r"\$"}  # a character as a box can show it


def stateful_chunks(text="hello world, hello rnn!", n_streams=2, chunk=4):
    r"""``text`` cut into ``n_streams`` (B) streams read in chunks of ``chunk`` (T) steps; returns a Figure.

    As ``rnn_lesson.language.batching``: each stream holds n = (L - 1) // B consecutive
    characters; chunk k holds steps k·T .. (k+1)·T - 1 of every stream, time-major (T, B):

        inputs[t, b]  = ids[b·n + k·T + t],    targets[t, b] = ids[b·n + k·T + t + 1]

    The state a chunk ends in starts the next chunk of the same stream (carried); its gradient
    is cut at every chunk boundary. Boxes: L ``box:char`` (the text), B·n ``box:input`` and
    B·n ``box:output`` (the targets, the next characters); arrows: B·(K - 1) ``arrow:carry``
    for K chunks; K - 1 lines with gid ``cut``.
    """
    text = check_text(text, "text", min_length=2)
    n_streams = check_positive_int(n_streams, "n_streams", most=MAX_STREAMS)
    chunk = check_positive_int(chunk, "chunk")
    if len(text) > MAX_TEXT:
        raise ValueError(f"text has {len(text)} characters; at most {MAX_TEXT} can be drawn in a row")
    if len(text) - 1 < n_streams:
        raise ValueError(f"text has {len(text)} characters: too short for n_streams={n_streams} (each stream needs "
                         f"at least 2 characters, the last one only as a target)")
    pieces = list(chunks(np.arange(len(text)), n_streams, chunk))  # the package's own cut, on positions
    per_stream = sum(len(inputs) for inputs, _ in pieces)
    if len(pieces) > MAX_CHUNKS:
        raise ValueError(f"chunk={chunk} gives {len(pieces)} chunks, more than the {MAX_CHUNKS} a page can show; "
                         f"use a longer chunk")
    gap, room = 0.9, 8.0
    cell = min(0.42, room / (per_stream + gap * (len(pieces) - 1)))
    text_cell = min(0.42, room / len(text))
    needed = max(cell * (per_stream + gap * (len(pieces) - 1)), text_cell * len(text))
    width = max(8.0, 1.55 + needed + 0.4)
    left = 1.55 + (width - 1.55 - 0.4 - needed) / 2
    height = 2.2 + n_streams * (2.5 * cell + 0.3) - 0.3
    fig, ax = canvas(width, height)
    _text_row(ax, text, per_stream, n_streams, left, height - 1.25, text_cell)
    starts = [left + cell / 2]
    for inputs, _ in pieces[:-1]:
        starts.append(starts[-1] + cell * (len(inputs) + gap))
    top = height - 2.25
    for b in range(n_streams):
        y_in = top - b * (2.5 * cell + 0.3)
        y_out = y_in - 1.1 * cell
        ax.text(left - 0.15, y_in, f"stream {b} reads", ha="right", va="center", fontsize=9)
        ax.text(left - 0.15, y_out, "predicts", ha="right", va="center", fontsize=9)
        for k, (inputs, targets) in enumerate(pieces):
            for t in range(len(inputs)):
                x = starts[k] + cell * t
                box(ax, x, y_in, _shown(text[inputs[t, b]]), "input", cell * 0.92, cell * 0.92, fontsize=10)
                box(ax, x, y_out, _shown(text[targets[t, b]]), "output", cell * 0.92, cell * 0.92, fontsize=10)
            if k + 1 < len(pieces):
                end = starts[k] + cell * (len(inputs) - 0.5)
                arrow(ax, (end, y_in), (starts[k + 1] - cell / 2, y_in), "carry",
                      "$h$" if b == 0 else "", label_at=(end + cell * gap / 2, y_in + 0.55 * cell))
    bottom = top - (n_streams - 1) * (2.5 * cell + 0.3) - 1.1 * cell - cell * 0.6
    for k, (inputs, _) in enumerate(pieces):
        middle = starts[k] + cell * (len(inputs) - 1) / 2
        note(ax, middle, top + 0.75 * cell, f"chunk {k}", fontsize=9)
        if k:
            x = starts[k] - cell * (gap + 1) / 2
            line, = ax.plot([x, x], [bottom, top + 0.5 * cell], color=CUT, lw=1.6, ls=(0, (2, 2)), zorder=1)
            line.set_gid("cut")
    title(ax, width / 2, height - 0.3, r"$\mathrm{inputs}[t, b] = \mathrm{ids}[b n + k T + t],\quad "
          r"\mathrm{targets}[t, b] = \mathrm{ids}[b n + k T + t + 1]$,   each chunk (T, B)", fontsize=11)
    title(ax, width / 2, height - 0.65, f"B = {n_streams} streams of n = {per_stream} characters, chunks of "
          f"T = {chunk}: the state $h$ is carried across each dashed line, its gradient is cut there", fontsize=10)
    return fig


def _text_row(ax, text, per_stream, n_streams, left, y, cell):
    """The whole text, one box a character, with a bar under each stream's n characters."""
    ax.text(left - 0.15, y, "the text", ha="right", va="center", fontsize=9)
    for position, char in enumerate(text):
        box(ax, left + cell * (position + 0.5), y, _shown(char), "char", cell * 0.92, cell * 0.92,
            fontsize=10 if cell > 0.3 else 7)
    colour = STROKES["recurrent"][0]
    for b in range(n_streams):
        x0, x1 = left + cell * b * per_stream, left + cell * (b + 1) * per_stream
        ax.plot([x0 + 0.03, x1 - 0.03], [y - 0.6 * cell] * 2, color=colour, lw=2.5)
        ax.text((x0 + x1) / 2, y - 0.6 * cell - 0.05, f"stream {b}", ha="center", va="top", fontsize=9, color=colour)
    if n_streams * per_stream + 1 < len(text):
        ax.text(left + cell * (n_streams * per_stream + 1), y - 0.6 * cell - 0.05, "unused", ha="left", va="top",
                fontsize=9, color="grey")


def _shown(char):
    return SHOWN.get(char, char)
