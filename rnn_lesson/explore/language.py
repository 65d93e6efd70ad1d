"""Explorer: what temperature does to a language model's next-character distribution and its samples.

``temperature_figure(model, temperature, prompt, top_k, n_chars, seed)``: left,
the probabilities of the character after ``prompt`` at that temperature (the
ten most likely at τ = 1 in grey, the tempered ones in colour); right, a sample
of ``n_chars`` characters drawn at that temperature from the same prompt.
``temperature_explorer(model)`` puts a temperature slider and a top-k choice on it.
The sample is wrapped at WRAP characters, its line breaks shown as ⏎.

Beside it, for the lesson's hidden-unit picture: ``unit_correlations`` (which
unit follows a feature of the text) and ``coloured_text`` (HTML with each
character's background coloured by one unit's value).
"""
import html
import textwrap

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..language.objective import step, zero_state
from ..language.sampling import probabilities
from ..widgets import interactive_figure

SHOWN = 10  # characters in the bar chart
WRAP = 70  # characters per line of the sample


def next_char_logits(model, prompt):
    """The logits (V,) of the character after ``prompt`` (read from h = 0; an empty prompt: start_char_)."""
    ids = model.encode(prompt or model.start_char_, "prompt")
    state = zero_state(model.cell, 1, model.hidden_size, model.n_layers)
    for char in ids:
        logits, state = step(model.cell, model.params_, np.array([char]), state)
    return logits[0]


def temperature_figure(model, temperature=1.0, prompt="", top_k=None, n_chars=160, seed=0):
    """The next-character distribution after ``prompt`` at ``temperature`` and a sample drawn at it (a Figure)."""
    logits = next_char_logits(model, prompt)
    base, tempered = probabilities(logits, 1.0), probabilities(logits, temperature, top_k)
    order = np.argsort(-base, kind="stable")[:SHOWN]
    labels = [repr(model.vocab_.chars[i])[1:-1] or "?" for i in order]
    text = model.sample(n_chars, temperature=temperature, prompt=prompt, top_k=top_k, seed=seed)
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6), gridspec_kw={"width_ratios": [1, 1.4]})
    x = np.arange(len(order))
    left.bar(x - 0.2, base[order], width=0.4, color="0.7", label="τ = 1")
    left.bar(x + 0.2, tempered[order], width=0.4, color="C3", label=f"τ = {temperature:g}"
             + ("" if top_k is None else f", top-{top_k}"))
    left.set_xticks(x, labels)
    left.set_ylim(0, 1)
    left.set_ylabel("probability of the next character")
    left.set_title(f"after {prompt[-20:]!r}" if prompt else "at the start")
    left.legend()
    right.axis("off")
    shown = textwrap.fill((prompt + text).replace("\n", "⏎ "), width=WRAP)  # line breaks shown as ⏎
    right.text(0, 1, shown, va="top", ha="left", family="monospace", fontsize=9, transform=right.transAxes)
    right.set_title(f"a sample at τ = {temperature:g} (seed {seed})")
    figure.tight_layout()
    return figure


def temperature_explorer(model, prompt="", n_chars=160):
    """Sliders for temperature and top-k on ``temperature_figure`` (redraws when the mouse is released)."""
    controls = {
        "temperature": widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=0.7, step=0.05,
                                              description="temperature", continuous_update=False),
        "top_k": widgets.Dropdown(options=[("all", None), ("1", 1), ("3", 3), ("5", 5), ("10", 10)],
                                  value=None, description="top-k"),
    }
    return interactive_figure(lambda temperature, top_k: temperature_figure(
        model, temperature, prompt, top_k, n_chars), controls)


def unit_correlations(hs, feature):
    """(H,): the Pearson correlation of each unit of hs (L, H) with a feature (L,) of the text; 0 for a flat unit."""
    hs, feature = np.asarray(hs, dtype=np.float64), np.asarray(feature, dtype=np.float64)
    if hs.ndim != 2 or feature.shape != (len(hs),):
        raise ValueError(f"hs must be (L, H) and feature (L,), got {hs.shape} and {feature.shape}")
    centred_h, centred_f = hs - hs.mean(axis=0), feature - feature.mean()
    scale = np.sqrt((centred_h ** 2).sum(axis=0) * (centred_f ** 2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(scale > 0, centred_h.T @ centred_f / np.where(scale > 0, scale, 1.0), 0.0)


def coloured_text(text, values, limit=1.0):
    """HTML: each character of ``text`` on a background from blue (value -limit) through white to red (+limit).

    Newlines are kept (shown as '⏎' then a line break); the characters are escaped.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (len(text),):
        raise ValueError(f"values must have one entry per character: ({len(text)},), got {values.shape}")
    spans = []
    for char, value in zip(text, np.clip(values / limit, -1, 1)):
        fade = int(round(255 * (1 - abs(value))))
        colour = f"rgb(255,{fade},{fade})" if value >= 0 else f"rgb({fade},{fade},255)"
        shown = "⏎" if char == "\n" else html.escape(char)
        spans.append(f'<span style="background:{colour}">{shown}</span>' + ("<br>" if char == "\n" else ""))
    return '<div style="font-family:monospace;line-height:1.6">' + "".join(spans) + "</div>"
