"""Layers that are not recurrent cells; each module has ``forward`` / ``backward`` with a cache.

- :mod:`rnn_lesson.layers.linear`: ``y = h @ W + b`` at every position, the output layer.
- :mod:`rnn_lesson.layers.dropout`: inverted dropout with a training flag.
- :mod:`rnn_lesson.layers.stack`: layers of cells, each reading the states of the one below.
- :mod:`rnn_lesson.layers.bidirectional`: a forward and a backward cell, states side by side.
- :mod:`rnn_lesson.layers.masking`: padding, masks, masked losses, last-real-step and mean summaries.
"""
from . import bidirectional, dropout, linear, masking, stack
