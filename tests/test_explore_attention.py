"""The attention explorer: the heatmap figure of a trained model, and its text box."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_lesson.explore.attention import attention_explorer, attention_figure, draw_attention  # noqa: E402
from rnn_lesson.seq2seq import Seq2Seq, make_split  # noqa: E402


@pytest.fixture(scope="module")
def model():
    train, _, _ = make_split(300, 1, 1, 2, 5, seed=0)
    return Seq2Seq(hidden_size=8, steps=20, batch_size=16, seed=0).fit(train)


def test_one_heatmap_per_source_labelled_with_tokens(model):
    fig = attention_figure(model, ["123", "98765"])
    axes = fig.axes[:2]
    assert [t.get_text() for t in axes[1].get_xticklabels()] == list("98765")
    prediction, weights = model.attention_map("98765")
    np.testing.assert_allclose(axes[1].images[0].get_array(), weights)
    assert axes[1].get_yticklabels()[-1].get_text() in ("</s>", prediction[-1:])
    assert "98765 ->" in axes[1].get_title()
    plt.close(fig)


def test_bad_requests_are_refused(model):
    with pytest.raises(ValueError, match="1 to 6 sources"):
        attention_figure(model, [])
    with pytest.raises(ValueError, match="not in the vocabulary"):
        attention_figure(model, ["12a"])
    plain = Seq2Seq(attention=False, hidden_size=4, steps=1).fit([("12", "21")])
    with pytest.raises(ValueError, match="no attention"):
        attention_figure(plain, ["12"])
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="weights must have shape"):
        draw_attention(ax, np.ones((2, 3)), "12", "21")
    plt.close(fig)


def test_explorer_redraws_from_the_text_box(model):
    box = attention_explorer(model, "4321")
    assert "redrawn" in box.status.value
    box.children[0].children[0].value = "12"
    assert "redrawn" in box.status.value
    plt.close("all")
