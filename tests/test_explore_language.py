"""Lesson 13's explorer: the temperature figure, unit correlations and coloured text (no browser)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnn_lesson as rl  # noqa: E402
from rnn_lesson.explore import language  # noqa: E402


@pytest.fixture(scope="module")
def model():
    return rl.CharLM(cell="gru", hidden_size=8, seq_len=8, batch_size=4, epochs=2, progress=False).fit(
        "abc abd abe\n" * 20)


def test_the_figure_shows_both_distributions_and_the_sample(model):
    figure = language.temperature_figure(model, temperature=0.5, prompt="ab", n_chars=40, seed=2)
    left, right = figure.axes
    heights = [bar.get_height() for bar in left.patches]
    n = len(heights) // 2
    logits = language.next_char_logits(model, "ab")
    base = np.sort(rl.language.probabilities(logits))[::-1][:n]
    np.testing.assert_allclose(heights[:n], base, rtol=1e-12)  # grey: τ = 1, most likely first
    assert heights[n] > heights[0]  # τ < 1 sharpens: the favourite gains
    shown = right.texts[0].get_text().replace("\n", "").replace("⏎ ", "\n")
    assert shown == "ab" + model.sample(40, temperature=0.5, prompt="ab", seed=2)
    plt.close(figure)


def test_next_char_logits_equal_the_model_stepping(model):
    hs = model.hidden_states("ab")
    logits = hs[-1] @ model.params_["W_hy"] + model.params_["b_y"]
    np.testing.assert_allclose(language.next_char_logits(model, "ab"), logits, rtol=1e-12)


def test_unit_correlations():
    feature = np.array([0.0, 1.0, 0.0, 1.0, 1.0])
    hs = np.stack([feature, -2 * feature + 1, np.zeros(5), [1.0, 2.0, 3.0, 4.0, 5.0]], axis=1)
    corr = language.unit_correlations(hs, feature)
    np.testing.assert_allclose(corr[:3], [1.0, -1.0, 0.0])
    assert abs(corr[3] - np.corrcoef(hs[:, 3], feature)[0, 1]) < 1e-12
    with pytest.raises(ValueError, match="feature"):
        language.unit_correlations(hs, feature[:3])


def test_coloured_text_escapes_and_colours():
    page = language.coloured_text("a<\n", [1.0, -1.0, 0.0])
    assert "rgb(255,0,0)" in page and "rgb(0,0,255)" in page and "rgb(255,255,255)" in page
    assert "&lt;" in page and "⏎" in page and "<br>" in page
    with pytest.raises(ValueError, match="one entry per character"):
        language.coloured_text("ab", [1.0])


def test_the_explorer_redraws(model):
    box = language.temperature_explorer(model, prompt="a", n_chars=20)
    assert box.redraw() is not None and "redrawn" in box.status.value
