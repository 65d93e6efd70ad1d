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
``optimizers``     ``optimizers_figure`` / ``_explorer``       14
``attention``      ``attention_figure`` / ``_explorer``        16
=================  ==========================================  ======

``backward_graph.backward_graph_figure`` (lesson 04) draws a fixed picture, the gradient's two
roads into every hidden state, and so has no widget.
"""
