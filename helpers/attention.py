"""Scaled dot-product attention and multi-head self-attention, written out, and the fixed
sinusoidal positions that tell an order-blind attention layer where each token sits.

Masks follow torch.nn.functional.scaled_dot_product_attention: a boolean mask is True where a
query MAY look at a key. (nn.MultiheadAttention's key_padding_mask is the opposite: True = ignore.)
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn


def scaled_dot_product_attention(
    q: Tensor, k: Tensor, v: Tensor, mask: Tensor | None = None
) -> tuple[Tensor, Tensor]:
    """softmax(q kᵀ / √d) v, and the attention weights.

    q: (..., q_len, d), k: (..., k_len, d), v: (..., k_len, d_v); mask broadcasts to
    (..., q_len, k_len). Returns (..., q_len, d_v) and weights (..., q_len, k_len).
    """
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # (..., q_len, k_len)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))  # softmax gives these exactly 0
    weights = scores.softmax(dim=-1)  # each row sums to 1
    return weights @ v, weights


def padding_mask(ids: Tensor, pad_id: int) -> Tensor:
    """(batch, seq) ids -> (batch, 1, 1, seq) mask: every query may look at every real token."""
    return (ids != pad_id)[:, None, None, :]


def causal_mask(seq_len: int, device: torch.device | str | None = None) -> Tensor:
    """(seq, seq) lower-triangular mask: position i may look at positions 0..i only."""
    return torch.ones(seq_len, seq_len, dtype=torch.bool, device=device).tril()


class MultiHeadAttention(nn.Module):
    """Self-attention with `num_heads` heads; returns the output and every head's weights."""

    def __init__(self, embed_dim: int, num_heads: int):
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim {embed_dim} is not divisible by num_heads {num_heads}")
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def split_heads(self, x: Tensor) -> Tensor:
        """(batch, seq, embed) -> (batch, heads, seq, head_dim)"""
        batch, seq, _ = x.shape
        return x.view(batch, seq, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x: Tensor, mask: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """x: (batch, seq, embed) -> out (batch, seq, embed), weights (batch, heads, seq, seq)."""
        q = self.split_heads(self.q_proj(x))  # (batch, heads, seq, head_dim)
        k = self.split_heads(self.k_proj(x))
        v = self.split_heads(self.v_proj(x))
        heads, weights = scaled_dot_product_attention(q, k, v, mask)  # (b, heads, seq, head_dim)
        batch, _, seq, _ = heads.shape
        concat = heads.transpose(1, 2).reshape(batch, seq, -1)  # (batch, seq, embed)
        return self.out_proj(concat), weights

    @torch.no_grad()
    def copy_from_torch(self, mha: nn.MultiheadAttention) -> MultiHeadAttention:
        """Take the weights of a torch.nn.MultiheadAttention of the same size (packed q, k, v)."""
        for proj, w, b in zip(
            (self.q_proj, self.k_proj, self.v_proj),
            mha.in_proj_weight.chunk(3),
            mha.in_proj_bias.chunk(3),
            strict=True,
        ):
            proj.weight.copy_(w)
            proj.bias.copy_(b)
        self.out_proj.weight.copy_(mha.out_proj.weight)
        self.out_proj.bias.copy_(mha.out_proj.bias)
        return self


def sinusoidal_positions(max_len: int, dim: int) -> Tensor:
    """(max_len, dim) table: PE[p, 2i] = sin(p / 10000^(2i/dim)), PE[p, 2i+1] = cos(same).

    Each pair of dimensions is a clock with its own speed, so every position gets a distinct
    pattern and nearby positions get similar ones; nothing here is learned.
    """
    position = torch.arange(max_len, dtype=torch.float32)[:, None]  # (max_len, 1)
    speed = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * (-math.log(10000.0) / dim))
    table = torch.zeros(max_len, dim)
    table[:, 0::2] = torch.sin(position * speed)
    table[:, 1::2] = torch.cos(position * speed[: dim // 2])
    return table
