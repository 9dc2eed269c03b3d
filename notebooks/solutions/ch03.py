"""Solutions to the exercises of 03 · The SchemaPredictor model. Try them yourself first."""

from __future__ import annotations

import torch

import helpers


def mean_pool(hidden: torch.Tensor, ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """Exercise 1: (batch, seq, E) -> (batch, E), the mean over non-padding positions."""
    keep = (ids != pad_id).unsqueeze(-1).float()  # (batch, seq, 1)
    return (hidden * keep).sum(1) / keep.sum(1).clamp(min=1)


def reference_parameter_count(vocab_size: int, num_columns: int, embed_dim: int) -> int:
    """Exercise 2: embedding + attention (4 E x E + 4 E) + LayerNorm (2 E) + output (E+1) x C."""
    e = embed_dim
    return vocab_size * e + (4 * e * e + 4 * e) + 2 * e + (e + 1) * num_columns


def order_changes_logits(positions: bool, seed: int = 0) -> bool:
    """Exercise 3: do the logits change when two tokens swap places?"""
    torch.manual_seed(seed)
    cfg = helpers.ModelConfig(vocab_size=50, num_columns=5, positions=positions)
    model = helpers.SchemaPredictor(cfg).eval()
    with torch.no_grad():
        a = model(torch.tensor([[2, 10, 11, 12]]))
        b = model(torch.tensor([[2, 12, 11, 10]]))
    return not torch.allclose(a, b, atol=1e-5)
