"""Layers that are not recurrent cells; each module has ``forward`` / ``backward`` with a cache.

- :mod:`rnn_lesson.layers.linear`: ``y = h @ W + b`` at every position, the output layer.
"""
from . import linear
