"""interactive_figure, the thin wrapper every explorer uses (driven without a browser)."""
import ipywidgets as widgets
import pytest
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from rnn_lesson.widgets import interactive_figure  # noqa: E402


def _line(scale):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, scale])
    ax.set(title=f"scale {scale}", xlabel="x", ylabel="y")
    return fig


def test_redraws_when_a_slider_moves():
    calls = []

    def draw(scale):
        calls.append(scale)
        return _line(scale)

    slider = widgets.FloatSlider(value=1.0, min=0, max=5, continuous_update=False)
    box = interactive_figure(draw, {"scale": slider})
    assert calls == [1.0]
    slider.value = 2.5
    assert calls == [1.0, 2.5]
    assert "redrawn in" in box.status.value
    assert plt.get_fignums() == []  # figures are closed once displayed


def test_button_mode_waits_for_the_click():
    calls = []
    slider = widgets.IntSlider(value=3, min=1, max=10)
    box = interactive_figure(lambda n: calls.append(n) or _line(n), {"n": slider}, button="Retrain")
    slider.value = 7
    assert calls == [3]
    button = box.children[0].children[-1]
    button.click()
    assert calls == [3, 7]


def test_errors_are_reported_not_swallowed():
    def draw(scale):
        if scale < 0:
            raise ValueError("scale must be >= 0")
        return _line(scale)

    slider = widgets.FloatSlider(value=1.0, min=-1, max=1)
    box = interactive_figure(draw, {"scale": slider})
    # in a kernel the Output widget shows the traceback; outside one the error propagates
    with pytest.raises(ValueError, match="scale must be >= 0"):
        slider.value = -0.5
    assert "Error: ValueError: scale must be >= 0" in box.status.value


def test_every_control_shows_its_whole_label():
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    from rnn_lesson.widgets import interactive_figure

    slider = widgets.FloatSlider(description="learning rate")
    choice = widgets.Dropdown(options=["a", "b"], description="activation function")
    interactive_figure(lambda **values: Figure(), {"x": slider, "y": choice})
    assert slider.style.description_width == "initial" and choice.style.description_width == "initial"
