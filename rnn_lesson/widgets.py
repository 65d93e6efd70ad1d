"""A thin ipywidgets wrapper around a pure drawing function.

The lessons' explorers are pure functions ``draw(**values) -> Figure`` that can
be tested without a browser; ``interactive_figure`` connects them to sliders.
Sliders made with ``continuous_update=False`` redraw when the mouse is
released, not on every tick; with ``button="Retrain"`` nothing runs until the
button is pressed. Errors raised while drawing are shown in the output area
and in the status line, never swallowed silently.
"""
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display


def interactive_figure(draw, controls, button=None):
    """Return a VBox of ``controls``, a status line and the figure drawn by ``draw``.

    draw:     a function of keyword arguments returning a matplotlib Figure.
    controls: dict mapping each keyword to an ipywidgets value widget.
    button:   None to redraw whenever a control's value changes, or a label
              (e.g. "Retrain") to redraw only when that button is clicked.

    The box has ``.redraw()`` (draws now; returns the seconds it took),
    ``.output`` (the Output widget) and ``.status`` (the status line, which
    shows how long the last redraw took or the error it raised).
    """
    output = widgets.Output()
    status = widgets.HTML()

    def redraw(_change=None):
        values = {name: control.value for name, control in controls.items()}
        start = time.perf_counter()
        with output:  # Output's context shows any exception in the widget's own area
            output.clear_output(wait=True)
            try:
                figure = draw(**values)
            except Exception as err:
                status.value = f"<b style='color:#b00'>Error: {type(err).__name__}: {err}</b>"
                raise
            display(figure)
            plt.close(figure)
            seconds = time.perf_counter() - start
            status.value = f"<i>redrawn in {1000 * seconds:.0f} ms</i>"
            return seconds
        return None  # the exception was shown in the output area

    items = list(controls.values())
    for control in items:  # the whole label ("learning rate", not "learning r…")
        if hasattr(control, "style") and hasattr(control.style, "description_width"):
            control.style.description_width = "initial"
    if button is None:
        for control in items:
            control.observe(redraw, names="value")
    else:
        trigger = widgets.Button(description=button, button_style="primary")
        trigger.on_click(redraw)
        items.append(trigger)
    box = widgets.VBox([widgets.HBox(items, layout=widgets.Layout(flex_flow="row wrap")), status, output])
    box.redraw, box.output, box.status = redraw, output, status
    redraw()
    return box
