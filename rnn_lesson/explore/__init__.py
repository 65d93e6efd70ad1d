"""The lessons' interactive explorers.

Each module holds one explorer: a pure function that computes and draws a
matplotlib Figure (tested without a browser) and a thin ``*_widget`` wrapper
built with :func:`rnn_lesson.widgets.interactive_figure`.
"""
