"""The lessons' interactive explorers, one module each.

Each module holds a pure ``*_figure`` function that computes and draws a
matplotlib Figure (tested without a browser) and a thin ``*_explorer`` wrapper
that puts sliders on it with :func:`rnn_lesson.widgets.interactive_figure`:

=================  ==========================================  ======
module             explorer                                    lesson
=================  ==========================================  ======
``hidden_states``  ``hidden_state_figure`` / ``_explorer``      03
``gradient_flow``  ``gradient_flow_figure`` / ``_explorer``     04
``training``       ``training_figure`` / ``_explorer``          05
``threshold``      ``threshold_figure`` / ``_explorer``         06
``recall``         ``recall_figure`` / ``_explorer``           11
``language``       ``temperature_figure`` / ``_explorer``      13
=================  ==========================================  ======
"""
