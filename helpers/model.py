"""SchemaPredictor: prompt token ids -> one logit per column.

The reference design is embedding -> multi-head self-attention -> residual + LayerNorm ->
[CLS] vector -> linear. Optional additions, each switchable in ModelConfig so notebooks can
show what it changes: a feed-forward block, dropout, more layers, learned or fixed positions,
and a second head that tags every word of the prompt (notebook 10).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import Tensor, nn

from helpers.attention import MultiHeadAttention, padding_mask, sinusoidal_positions
from helpers.tokenizer import MAX_LEN


@dataclass
class ModelConfig:
    """Everything needed to rebuild a SchemaPredictor (saved next to its weights)."""

    vocab_size: int
    num_columns: int
    embed_dim: int = 64
    num_heads: int = 4
    num_layers: int = 2  # the reference has 1; a second lets words see each other first
    ff_dim: int = 128  # 0: no feed-forward block (the reference design)
    max_len: int = MAX_LEN  # tokens per prompt, [CLS] included
    subwords: bool = True  # character trigrams after the words (False: words only)
    folded: bool = True  # one position per word, its trigrams averaged in (tokenizer.py)
    dropout: float = 0.1  # on the [CLS] vector only: cheap, and where the decision is read
    positions: bool = False  # learned position embeddings; word order barely matters here
    num_tags: int = 0  # > 0: a second head, one tag per word (0: the table head alone)
    tag_share: float = 0.5  # how loud the tag loss is in the shared encoder (the head: full)
    wide: int = 0  # > 0: a wide path of this width, every piece of the prompt in one bag (0: none)
    pad_id: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


class EncoderBlock(nn.Module):
    """Self-attention, then (optionally) a feed-forward layer; each added back and normalised."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.attn = MultiHeadAttention(cfg.embed_dim, cfg.num_heads)
        self.ln1 = nn.LayerNorm(cfg.embed_dim)
        self.ff = (
            nn.Sequential(
                nn.Linear(cfg.embed_dim, cfg.ff_dim),
                nn.GELU(),
                nn.Linear(cfg.ff_dim, cfg.embed_dim),
            )
            if cfg.ff_dim
            else None
        )
        self.ln2 = nn.LayerNorm(cfg.embed_dim) if cfg.ff_dim else None

    def forward(self, x: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        """x: (batch, seq, embed) -> (batch, seq, embed), weights (batch, heads, seq, seq)."""
        attended, weights = self.attn(x, mask)
        x = self.ln1(x + attended)  # residual + LayerNorm, as in the reference
        if self.ff is not None:
            x = self.ln2(x + self.ff(x))
        return x, weights


class TagHead(nn.Module):
    """The second head (notebook 10): word order, one more attention block, a tag per word.

    The encoder below it ignores word order (the table does not depend on it), but tags do:
    in "with email but without phone" only order says which word is excluded. So the head adds
    fixed sinusoidal positions to the encoder's output and lets every word attend once more.
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.register_buffer("clock", sinusoidal_positions(cfg.max_len, cfg.embed_dim),
                             persistent=False)  # fixed: nothing to learn, nothing saved
        self.block = EncoderBlock(cfg)
        self.proj = nn.Linear(cfg.embed_dim, cfg.num_tags)

    def forward(self, hidden: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        """hidden (batch, seq, embed) -> tag logits (batch, seq, num_tags), and the block's
        attention weights (batch, heads, seq, seq)."""
        x = hidden + self.clock[: hidden.size(1)]  # (batch, seq, embed): now order matters
        x, weights = self.block(x, mask)
        return self.proj(x), weights


class WidePath(nn.Module):
    """The wide path beside the transformer (Wide & Deep; fastText's bag of n-grams): every piece
    of the prompt, words and trigrams alike, averaged into one vector and read out linearly.

    Attention reads words in context; this path just counts which pieces occur, the thing a
    linear n-gram model does well on long, noisy text. Its logits are added to the deep ones.
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.pad_id = cfg.pad_id
        self.bag = nn.Embedding(cfg.vocab_size, cfg.wide, padding_idx=cfg.pad_id)
        self.proj = nn.Linear(cfg.wide, cfg.num_columns, bias=False)
        nn.init.zeros_(self.proj.weight)  # starts silent: the deep path alone, then it joins

    def forward(self, ids: Tensor) -> Tensor:
        """ids (batch, seq[, pieces]) -> logits (batch, num_columns); [CLS] is left out."""
        pieces = ids[:, 1:].flatten(1)  # (batch, n): every word and trigram id of the prompt
        real = (pieces != self.pad_id).unsqueeze(-1)  # (batch, n, 1)
        bag = (self.bag(pieces) * real).sum(1) / real.sum(1).clamp(min=1)  # (batch, wide)
        return self.proj(bag)


class SchemaPredictor(nn.Module):
    """Token ids (batch, seq) -> column logits (batch, num_columns), read off the [CLS] token."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.embedding = nn.Embedding(cfg.vocab_size, cfg.embed_dim, padding_idx=cfg.pad_id)
        self.position = nn.Embedding(cfg.max_len, cfg.embed_dim) if cfg.positions else None
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(EncoderBlock(cfg) for _ in range(cfg.num_layers))
        self.output_proj = nn.Linear(cfg.embed_dim, cfg.num_columns)
        # Most columns are off for most prompts: start every column at a low probability
        # (sigmoid(-4) ≈ 0.02) instead of 0.5, so early training is not spent learning that.
        nn.init.constant_(self.output_proj.bias, -4.0)
        self.tagger = TagHead(cfg) if cfg.num_tags else None
        self.wide = WidePath(cfg) if cfg.wide else None

    def columns(self, ids: Tensor, hidden: Tensor) -> Tensor:
        """Column logits (batch, num_columns) from the [CLS] state, plus the wide path's if any."""
        logits = self.output_proj(self.drop(hidden[:, 0]))
        return logits if self.wide is None else logits + self.wide(ids)

    def embed(self, ids: Tensor) -> Tensor:
        """ids (batch, seq) -> (batch, seq, embed); folded ids (batch, seq, pieces) are averaged
        over each word's pieces, the way fastText builds a word vector from its n-grams."""
        if ids.dim() == 2:
            return self.embedding(ids)
        pieces = (ids != self.cfg.pad_id).sum(2, keepdim=True).clamp(min=1)  # (batch, seq, 1)
        return self.embedding(ids).sum(2) / pieces  # [PAD] embeds to zeros: (batch, seq, embed)

    def encode(self, ids: Tensor) -> tuple[Tensor, list[Tensor]]:
        """ids (batch, seq) or (batch, seq, pieces) -> hidden states (batch, seq, embed) and
        each layer's attention weights."""
        x = self.embed(ids)  # (batch, seq, embed)
        if self.position is not None:
            x = x + self.position(torch.arange(ids.size(1), device=ids.device))
        words = ids if ids.dim() == 2 else ids[..., 0]  # (batch, seq): which positions are real
        mask = padding_mask(words, self.cfg.pad_id)  # (batch, 1, 1, seq)
        attentions = []
        for block in self.blocks:
            x, weights = block(x, mask)
            attentions.append(weights)  # (batch, heads, seq, seq)
        return x, attentions

    def forward(self, ids: Tensor) -> Tensor:
        """ids (batch, seq[, pieces]) -> logits (batch, num_columns); sigmoid: probabilities."""
        hidden, _ = self.encode(ids)  # (batch, seq, embed); the [CLS] vector is hidden[:, 0]
        return self.columns(ids, hidden)

    def read(self, ids: Tensor) -> tuple[Tensor, Tensor]:
        """Both heads from one encoder pass: column logits (batch, num_columns) from [CLS], and
        tag logits (batch, seq, num_tags) from every position (position 0, [CLS], is unused)."""
        if self.tagger is None:
            raise ValueError("this model has no tag head: train it with num_tags > 0 (notebook 10)")
        hidden, _ = self.encode(ids)  # (batch, seq, embed)
        words = ids if ids.dim() == 2 else ids[..., 0]
        # The same values, but the tag loss's gradient reaches the encoder scaled by tag_share:
        # the tag head learns at full strength without pulling the table's features around.
        quiet = hidden.detach() + self.cfg.tag_share * (hidden - hidden.detach())
        tags, _ = self.tagger(quiet, padding_mask(words, self.cfg.pad_id))
        return self.columns(ids, hidden), tags

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())
