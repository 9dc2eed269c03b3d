"""Solutions to the exercises of 02 · Attention from scratch. Try them yourself first."""

from __future__ import annotations

import math

import torch

import helpers


def attention_additive_mask(q, k, v, mask: torch.Tensor):
    """Exercise 1: a float mask (0 allowed, -inf hidden) added to the scores."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1)) + mask
    weights = scores.softmax(dim=-1)
    return weights @ v, weights


def causal_as_additive(seq: int) -> torch.Tensor:
    """The causal mask as floats: 0 on and below the diagonal, -inf above."""
    return torch.zeros(seq, seq).masked_fill(~helpers.causal_mask(seq), float("-inf"))


def earlier_outputs_unchanged(seq: int = 6, dim: int = 8, seed: int = 0) -> bool:
    """Exercise 2: change the last token; with a causal mask, outputs 0..seq-2 stay put."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(seq, dim, generator=g)
    changed = x.clone()
    changed[-1] = torch.randn(dim, generator=g)
    mask = helpers.causal_mask(seq)
    before, _ = helpers.scaled_dot_product_attention(x, x, x, mask)
    after, _ = helpers.scaled_dot_product_attention(changed, changed, changed, mask)
    return torch.allclose(before[:-1], after[:-1]) and not torch.allclose(before[-1], after[-1])


def mha_parameter_count(embed_dim: int) -> int:
    """Exercise 3: four E x E weight matrices (q, k, v, out) and four bias vectors of E."""
    return 4 * embed_dim * embed_dim + 4 * embed_dim


if __name__ == "__main__":
    for e in (8, 16, 64):
        actual = sum(p.numel() for p in torch.nn.MultiheadAttention(e, 4).parameters())
        print(f"E={e}: formula {mha_parameter_count(e)}, nn.MultiheadAttention {actual}")
