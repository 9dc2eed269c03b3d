"""The prompt explorer of notebook 09: what the model makes of any prompt, as you type it.

`explore` is a plain function (it works in a terminal, a static page or a notebook without
widgets); `explorer` wraps it in ipywidgets controls. Like the CLI and the API, this module sits
on top of helpers: nothing in helpers imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from helpers import pipeline, predict
from helpers.generate import LOCALES
from helpers.plots import plot_cls_rows, plot_tags
from helpers.reading import read_prompt

TOP = 12  # columns drawn in the probability chart


def explore(prompt: str, rows: int = 5, locale: str = "en_US", layer: int = -1, head: int = 0,
            model: str = "classifier") -> pd.DataFrame | None:
    """Draw the columns' probabilities, one head's [CLS] attention and the tag of every word;
    return the first rows (None, with the reason printed, for a prompt that is not a dataset
    request). A locale the prompt states wins over the control's (notebook 10)."""
    trained = predict.load_model()
    probs = predict.predict_proba(prompt, trained)
    tokens, layers = predict.attention_maps(prompt, trained)
    heads = layers[0].shape[0]
    if not -len(layers) <= layer < len(layers):
        raise ValueError(f"layer must be between 0 and {len(layers) - 1}, got {layer}")
    if not 0 <= head < heads:
        raise ValueError(f"head must be between 0 and {heads - 1}, got {head}")
    layer %= len(layers)

    top = sorted(probs, key=probs.get, reverse=True)[:TOP][::-1]  # most likely at the top
    reading = read_prompt(prompt, trained)
    fig = plt.figure(figsize=(12, 4.2))
    grid = fig.add_gridspec(2, 2, width_ratios=[1, 2], height_ratios=[3.2, 1])
    ax_p, ax_a, ax_t = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1]), \
        fig.add_subplot(grid[1, :])
    ax_p.barh(top, [probs[c] for c in top],
              color=["tab:blue" if probs[c] >= trained.threshold else "tab:grey" for c in top])
    ax_p.axvline(trained.threshold, color="black", ls="--", lw=1)
    ax_p.set_xlim(0, 1)
    ax_p.set_title("column probabilities (blue: above the threshold)", fontsize=9)
    ax_p.tick_params(labelsize=7)
    plot_cls_rows(ax_a, tokens, layers[layer][head : head + 1],  # (1, seq, seq)
                  f"layer {layer}, head {head}: what [CLS] looks at")
    plot_tags(ax_t, reading.tags, f"tags: {reading.summary()}")
    plt.tight_layout()
    plt.show()
    if model != "classifier":  # the chart is the classifier's; say so rather than mislead
        print(f"The chart shows the classifier; the table's columns come from the {model}.")
    try:
        # a preview: the first `rows` rows, in the locale the prompt states if it states one
        return pipeline.generate_dataset(prompt, rows=rows, seed=0,
                                         locale=reading.locale or locale, model=model)
    except pipeline.NotADatasetRequest as e:
        print(e)
        return None


def explorer_controls(prompt: str = "a gym with members and their plans") -> dict[str, Any]:
    """One widget per argument of `explore`, named like it."""
    import ipywidgets as widgets

    cfg = predict.load_model().model.cfg
    return {
        "prompt": widgets.Text(value=prompt, description="prompt", continuous_update=False,
                               layout=widgets.Layout(width="60%")),
        "rows": widgets.IntSlider(value=5, min=1, max=20, description="rows"),
        "locale": widgets.Dropdown(options=list(LOCALES), value="en_US", description="locale"),
        "layer": widgets.IntSlider(value=cfg.num_layers - 1, min=0, max=cfg.num_layers - 1,
                                   description="layer"),
        "head": widgets.IntSlider(value=0, min=0, max=cfg.num_heads - 1, description="head"),
        "model": widgets.Dropdown(options=list(pipeline.MODELS), value="classifier",
                                  description="model"),
    }


def explorer(controls: dict[str, Any] | None = None, render: Callable[..., Any] = explore):
    """A widget box that calls `render(**values)` again whenever a control changes.

    Uses only what ipywidgets 7 (Colab) and 8 share: Text, IntSlider, Dropdown and
    interactive_output. Bad input (an empty prompt) is printed in one line, not raised.
    """
    try:
        import ipywidgets as widgets
        from IPython.display import display
    except ImportError as e:
        raise ImportError("the widget explorer needs ipywidgets (pip install ipywidgets); "
                          "explore(prompt, rows, locale, layer, head) works without it") from e
    controls = controls or explorer_controls()

    def show(**values: Any) -> None:
        try:
            table = render(**values)
        except (TypeError, ValueError) as e:  # what a learner can type wrong; the rest is a bug
            print(e)
            return
        if table is not None:
            display(table)

    output = widgets.interactive_output(show, controls)
    c = controls
    return widgets.VBox([widgets.HBox([c["prompt"], c["model"]]),
                         widgets.HBox([c["rows"], c["locale"]]),
                         widgets.HBox([c["layer"], c["head"]]), output])
