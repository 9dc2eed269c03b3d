"""Plots the notebooks share: attention heatmaps and the [CLS] row."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle


def plot_heads(tokens: list[str], weights: torch.Tensor, title: str = "", size: float = 3.6):
    """One heatmap per head; weights (heads, seq, seq); the [CLS] row (query 0) outlined."""
    heads = weights.shape[0]
    fig, axes = plt.subplots(1, heads, figsize=(size * heads, size + 0.4), squeeze=False)
    for h, ax in enumerate(axes[0]):
        ax.imshow(weights[h].numpy(), cmap="Blues", vmin=0, vmax=max(1e-6, weights[h].max().item()))
        ax.set_xticks(range(len(tokens)), tokens, rotation=90, fontsize=6)
        ax.set_yticks(range(len(tokens)), tokens, fontsize=6)
        ax.add_patch(Rectangle((-0.5, -0.5), len(tokens), 1, fill=False, ec="tab:red", lw=1.5))
        ax.set_title(f"head {h}", fontsize=9)
    fig.suptitle(title + "  (query rows × key columns; red: the [CLS] row)", fontsize=10)
    fig.tight_layout()
    return fig


def plot_cls_rows(ax: Axes, tokens: list[str], weights: torch.Tensor, title: str = "") -> None:
    """What [CLS] looks at, one line per head: weights (heads, seq, seq) -> (heads, seq) strip."""
    rows = weights[:, 0, :].numpy()  # (heads, seq)
    ax.imshow(rows, cmap="Reds", aspect="auto", vmin=0)
    ax.set_xticks(range(len(tokens)), tokens, rotation=90, fontsize=7)
    ax.set_yticks(range(rows.shape[0]), [f"head {h}" for h in range(rows.shape[0])], fontsize=7)
    ax.set_title(title, fontsize=9)


def plot_confusion(table, title: str = "", size: float = 9.0):
    """Heatmap of a (expected x predicted) count table, e.g. pandas.crosstab; zeros left blank."""
    counts = table.to_numpy().astype(float)
    fig, ax = plt.subplots(figsize=(size, size * 0.9))
    shown = ax.imshow(counts, cmap="Blues", vmin=0)
    wrong = [(i, j) for i in range(counts.shape[0]) for j in range(counts.shape[1])
             if counts[i, j] and table.index[i] != table.columns[j]]
    for i, j in wrong:  # off-diagonal cells are the mistakes: ring them so they can be found
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, ec="tab:red", lw=1.5))
    ax.set_xticks(range(counts.shape[1]), table.columns, rotation=90, fontsize=7)
    ax.set_yticks(range(counts.shape[0]), table.index, fontsize=7)
    ax.set_xlabel("predicted (closest catalog table)")
    ax.set_ylabel("expected")
    ax.set_title(title, fontsize=10)
    fig.colorbar(shown, ax=ax, shrink=0.6, label="prompts")
    fig.tight_layout()
    return fig


TAG_COLOURS = {"COL": "tab:green", "NOT": "tab:red", "ROWS": "tab:blue", "LOC": "tab:purple",
               "ONLY": "tab:orange"}


def plot_tags(ax: Axes, tagged: list[tuple[str, str]], title: str = "") -> None:
    """The prompt's words in a row, each over a box coloured by its tag (O: no box)."""
    ax.set_xlim(0, max(1, len(tagged)))
    ax.set_ylim(0, 1)
    ax.axis("off")
    for i, (word, tag) in enumerate(tagged):
        slot = tag.split("-", 1)[-1]
        if tag != "O":
            ax.add_patch(Rectangle((i + 0.04, 0.25), 0.92, 0.5, color=TAG_COLOURS[slot],
                                   alpha=0.35 if tag.startswith("I") else 0.6))
            ax.text(i + 0.5, 0.12, tag, ha="center", va="center", fontsize=6)
        ax.text(i + 0.5, 0.5, word, ha="center", va="center", fontsize=8)
    ax.set_title(title, fontsize=9)
