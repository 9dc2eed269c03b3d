"""Writing a schema with a trained SchemaDecoder: greedy, temperature and top-k sampling."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor

from helpers.catalog import SNAKE_CASE
from helpers.decoder import END, SEP, SchemaDecoder
from helpers.decoder_checkpoint import read_decoder
from helpers.decoder_data import prompt_tokens
from helpers.tokenizer import Vocab, check_prompt

MAX_COLUMNS = 16  # a schema longer than this is cut: no catalog table has more than 10
STRATEGIES = ("greedy", "sample")


@dataclass
class TrainedDecoder:
    """A decoder ready to write: the model and its vocabulary."""

    model: SchemaDecoder
    vocab: Vocab
    columns: list[str]  # the names it was trained to write

    @property
    def device(self) -> torch.device:
        return next(self.model.parameters()).device


_shipped: TrainedDecoder | None = None


def load_decoder(path: Path | str | None = None, device: str | None = None) -> TrainedDecoder:
    """Load a decoder checkpoint (default: the shipped one, loaded once and then reused)."""
    global _shipped
    if path is not None:
        return from_checkpoint(path, device)
    if _shipped is None:
        _shipped = from_checkpoint(None, device)
    return _shipped


def from_checkpoint(path: Path | str | None, device: str | None) -> TrainedDecoder:
    model, vocab, meta, _ = read_decoder(path, device)
    return TrainedDecoder(model, vocab, meta["columns"])


def next_token(logits: Tensor, strategy: str, temperature: float, top_k: int | None,
               generator: torch.Generator) -> int:
    """Pick the next token id from one position's logits (vocab,)."""
    if strategy == "greedy":
        return int(logits.argmax())
    logits = logits / temperature  # < 1 sharpens the distribution, > 1 flattens it
    if top_k is not None:
        cutoff = logits.topk(min(top_k, len(logits))).values[-1]
        logits = logits.masked_fill(logits < cutoff, float("-inf"))  # only the k best remain
    probs = logits.softmax(-1).cpu()
    return int(torch.multinomial(probs, 1, generator=generator))


def clean_columns(names: list[str], known: list[str] | set[str]) -> list[str]:
    """Drop repeats, and tokens that are not column names (prompt words, trigrams, specials).

    `known` is what the decoder was trained to write; generate_dataframe fills any of them,
    and names it has no generator for fall back by pattern, then to text.
    """
    known = set(known)
    return list(dict.fromkeys(n for n in names if n in known and SNAKE_CASE.match(n)))


def check_decoding(strategy: str, temperature: float, top_k: int | None) -> None:
    """Clear errors for decoding options, before any model runs."""
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    if not isinstance(temperature, (int, float)) or temperature <= 0:
        raise ValueError(f"temperature must be a number above 0, got {temperature!r}")
    if top_k is not None and (not isinstance(top_k, int) or top_k < 1):
        raise ValueError(f"top_k must be None or a whole number of at least 1, got {top_k!r}")


@torch.no_grad()
def generate_columns(
    prompt: str,
    strategy: str = "greedy",
    temperature: float = 1.0,
    top_k: int | None = None,
    seed: int = 0,
    model: TrainedDecoder | None = None,
    max_columns: int = MAX_COLUMNS,
) -> list[str]:
    """Write the prompt's column names token by token until <end> or `max_columns`.

    Returns [] when the first token is <end> (not a dataset request). Repeated names and
    tokens that are not column names (a prompt word written as a column) are dropped.
    """
    check_prompt(prompt)
    check_decoding(strategy, temperature, top_k)
    trained = model or load_decoder()
    vocab, net = trained.vocab, trained.model
    ids = vocab.encode([*prompt_tokens(prompt), SEP])
    end_id = vocab.index[END]
    generator = torch.Generator().manual_seed(seed)
    written: list[int] = []
    for _ in range(max_columns):
        if len(ids) + len(written) >= net.cfg.max_len:
            break
        x = torch.tensor([ids + written], device=trained.device)  # (1, seq)
        logits, _ = net(x)                                           # (1, seq, vocab)
        token = next_token(logits[0, -1], strategy, temperature, top_k, generator)
        if token == end_id:
            break
        written.append(token)
    return clean_columns(vocab.decode(written), trained.columns)
