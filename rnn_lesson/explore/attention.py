"""Explorer: type a digit string and see where each output step of a trained model looked.

``draw_attention(ax, weights, source, prediction)`` draws one heatmap: rows are the
output steps (each labelled with the token written there, the last one EOS), columns
the source tokens, the colour the attention weight (every row sums to 1).
``attention_figure(model, sources)`` draws one heatmap per source, side by side;
``attention_explorer(model)`` puts a text box on it.

Shapes: weights (S, T) for S output steps and T source tokens.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..seq2seq.tasks import reverse_rule
from ..seq2seq.vocab import EOS
from ..widgets import interactive_figure

MAX_SOURCES = 6


def draw_attention(ax, weights, source, prediction):
    """One heatmap on ``ax``: weights (S, T), source (T tokens) along x, prediction (+ EOS) along y."""
    weights = np.asarray(weights)
    rows = list(prediction) + [EOS]
    if weights.ndim != 2 or weights.shape[1] != len(source) or weights.shape[0] not in (len(rows) - 1, len(rows)):
        raise ValueError(f"weights must have shape ({len(prediction) + 1}, {len(source)}) or "
                         f"({len(prediction)}, {len(source)}) for this prediction and source, got {weights.shape}")
    image = ax.imshow(weights, cmap="Greys", vmin=0.0, vmax=1.0, aspect="equal")
    ax.set_xticks(range(len(source)), list(source))
    ax.set_yticks(range(weights.shape[0]), rows[:weights.shape[0]])
    ax.set(xlabel="source (what the encoder read)", ylabel="output (what the decoder wrote)")
    ax.tick_params(labelsize=8)
    return image


def attention_figure(model, sources):
    """One heatmap per source (at most MAX_SOURCES), for a fitted ``Seq2Seq`` with attention."""
    if isinstance(sources, str):
        sources = [sources]
    if not 1 <= len(sources) <= MAX_SOURCES:
        raise ValueError(f"give 1 to {MAX_SOURCES} sources, got {len(sources)}")
    if not model.attention:
        raise ValueError("this model has no attention: there are no weights to draw")
    fig, axes = plt.subplots(1, len(sources), figsize=(3.2 * len(sources), 3.6), squeeze=False)
    for ax, source in zip(axes[0], sources):
        prediction, weights = model.attention_map(source)
        draw_attention(ax, weights, source, prediction)
        verdict = "right" if prediction == reverse_rule(source) else "wrong"
        ax.set_title(f"{source} -> {prediction} ({verdict})", fontsize=9)
    fig.tight_layout()
    return fig


def attention_explorer(model, source="3141592653"):
    """A text box for a digit string; the heatmap is redrawn when you press Enter or leave the box."""
    box = widgets.Text(value=source, description="digits", continuous_update=False)
    return interactive_figure(lambda digits: attention_figure(model, [digits]), {"digits": box})
