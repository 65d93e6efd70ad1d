"""The backward-graph drawing of lesson 04: its arrows are the two roads, its arguments are checked."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from rnn_lesson.explore.backward_graph import BACKWARD, FORWARD, backward_graph_figure  # noqa: E402


def arrows(fig, kind):
    return [text for text in fig.axes[0].texts if text.get_gid() == kind]


@pytest.mark.parametrize("n_steps", [2, 4, 8])
def test_one_road_from_every_output_and_one_from_every_future_state(n_steps):
    fig = backward_graph_figure(n_steps, focus=1)
    assert len(arrows(fig, BACKWARD)) == 2 * n_steps - 1  # h_T has no road from the future
    assert len(arrows(fig, FORWARD)) == 3 * n_steps  # x -> h, h_{t-1} -> h, h -> y
    words = " ".join(text.get_text() for text in fig.axes[0].texts)
    assert r"dh_{1} = dy_{1}W_{hy}^\top + dh_{\mathrm{next}}" in words
    assert r"dz_{2}W_{hh}^\top" in words and "no future" in words
    for t in range(1, n_steps + 1):
        assert f"$h_{t}$" in words and f"$y_{t}$" in words
    plt.close(fig)


def test_the_focus_step_is_spelled_out():
    fig = backward_graph_figure(5, focus=3)
    words = " ".join(text.get_text() for text in fig.axes[0].texts)
    assert r"dh_{3} = dy_{3}W_{hy}^\top" in words and r"dz_{4}W_{hh}^\top" in words
    plt.close(fig)


@pytest.mark.parametrize("arguments, error, match", [
    ((1, 1), ValueError, "between 2 and 8"),
    ((9, 1), ValueError, "between 2 and 8"),
    ((4, 4), ValueError, "a step with a future, 1..3"),
    ((4, 0), ValueError, "focus must be at least 1"),
    ((4.0, 2), TypeError, "n_steps must be an integer"),
    ((4, True), TypeError, "focus must be an integer"),
])
def test_bad_arguments_are_refused_in_words(arguments, error, match):
    with pytest.raises(error, match=match):
        backward_graph_figure(*arguments)
