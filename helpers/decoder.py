"""SchemaDecoder: a GPT-style model that writes a table's column names one token at a time.

The sequence is the prompt's tokens, <sep>, then the column names, then <end>:

    hospital  data  <ho  hos ...  <sep>  patient_id  name  ...  department  <end>

Each position may look only at itself and earlier positions (the causal mask), so the model
learns "given everything so far, what comes next?" and can then write a schema left to right.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from torch import Tensor, nn

from helpers.attention import MultiHeadAttention, causal_mask, padding_mask, sinusoidal_positions

SEP, END = "<sep>", "<end>"  # between prompt and columns; after the last column


@dataclass
class DecoderConfig:
    """Everything needed to rebuild a SchemaDecoder (saved next to its weights)."""

    vocab_size: int
    embed_dim: int = 64
    num_heads: int = 4
    num_layers: int = 2
    ff_dim: int = 256
    max_len: int = 64  # positions: 40 prompt tokens, <sep>, up to 22 columns and <end>
    dropout: float = 0.1
    tie_weights: bool = True  # the output layer reuses the embedding matrix
    pad_id: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


class DecoderBlock(nn.Module):
    """Pre-LayerNorm block: x + attention(norm(x)), then x + feed-forward(norm(x))."""

    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.embed_dim)
        self.attn = MultiHeadAttention(cfg.embed_dim, cfg.num_heads)
        self.ln2 = nn.LayerNorm(cfg.embed_dim)
        self.ff = nn.Sequential(
            nn.Linear(cfg.embed_dim, cfg.ff_dim), nn.GELU(), nn.Linear(cfg.ff_dim, cfg.embed_dim)
        )
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        """x: (batch, seq, embed) -> (batch, seq, embed), weights (batch, heads, seq, seq)."""
        attended, weights = self.attn(self.ln1(x), mask)
        x = x + self.drop(attended)
        x = x + self.drop(self.ff(self.ln2(x)))
        return x, weights


class SchemaDecoder(nn.Module):
    """Token ids -> next-token logits at every position, with every layer's attention."""

    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.cfg = cfg
        self.embedding = nn.Embedding(cfg.vocab_size, cfg.embed_dim, padding_idx=cfg.pad_id)
        self.register_buffer("positions", sinusoidal_positions(cfg.max_len, cfg.embed_dim),
                             persistent=False)
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(DecoderBlock(cfg) for _ in range(cfg.num_layers))
        self.ln_final = nn.LayerNorm(cfg.embed_dim)
        self.head = nn.Linear(cfg.embed_dim, cfg.vocab_size)
        # rows of length ~1: times sqrt(dim) they match the positions' scale, and as the tied
        # output layer they give logits of order 1 at the start
        nn.init.normal_(self.embedding.weight, std=cfg.embed_dim**-0.5)
        if cfg.tie_weights:
            self.head.weight = self.embedding.weight  # one matrix to read and to write tokens

    def forward(self, ids: Tensor) -> tuple[Tensor, list[Tensor]]:
        """ids (batch, seq) -> logits (batch, seq, vocab), attention per layer."""
        hidden, attentions = self.features(ids)
        return self.head(hidden), attentions

    def features(self, ids: Tensor) -> tuple[Tensor, list[Tensor]]:
        """ids (batch, seq) -> final normalised vectors (batch, seq, embed), attention per layer.
        Training applies the output layer only where a token is scored: most positions are
        prompt, and the layer to ~3,000 tokens is the most expensive step."""
        seq = ids.shape[1]
        if seq > self.cfg.max_len:
            raise ValueError(f"sequence of {seq} tokens is longer than max_len {self.cfg.max_len}")
        mask = causal_mask(seq, ids.device) & padding_mask(ids, self.cfg.pad_id)  # (b, 1, s, s)
        # scale embeddings up so the fixed positions do not drown them (Vaswani et al.)
        x = self.embedding(ids) * math.sqrt(self.cfg.embed_dim) + self.positions[:seq]
        x = self.drop(x)                                   # (batch, seq, embed)
        attentions = []
        for block in self.blocks:
            x, weights = block(x, mask)
            attentions.append(weights)
        return self.ln_final(x), attentions

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())
