"""What the SchemaDecoder reads and writes: training records, token sequences, its vocabulary.

A sequence is the prompt's tokens, <sep>, the column names, <end>. Both training
(helpers.decoder_training) and writing (helpers.decoding) build sequences the same way, from here.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import Tensor

from helpers.catalog import load_catalog
from helpers.decoder import END, SEP
from helpers.paths import data_file
from helpers.tokenizer import CLS, PAD, UNK, Vocab, tokenize

PROMPT_TOKENS = 40  # prompt tokens kept before <sep>; the rest of the sequence is the schema
IGNORE = -100  # label of positions that are not scored
Pairs = list[tuple[str, list[str]]]


def to_record(prompt: str, columns: list[str]) -> dict:
    """One training example in the reference input/output format: output ends with <end>."""
    return {"input": prompt, "output": " ".join([*columns, END])}


def from_record(record: dict) -> tuple[str, list[str]]:
    """Inverse of to_record."""
    names = record["output"].split()
    if not names or names[-1] != END:
        raise ValueError(f"output must end with {END}: {record['output']!r}")
    return record["input"], names[:-1]


def load_decoder_pairs(path: Path | str | None = None) -> Pairs:
    """The decoder's training pairs from data/decoder_pairs.json."""
    raw = json.loads(Path(path or data_file("decoder_pairs.json")).read_text(encoding="utf-8"))
    return [from_record(r) for r in raw["records"]]


def prompt_tokens(prompt: str) -> list[str]:
    """The prompt part of a sequence: words, then trigrams, at most PROMPT_TOKENS."""
    return tokenize(prompt, PROMPT_TOKENS + 1)[1:]  # the decoder has no [CLS]


def sequence(prompt: str, columns: list[str]) -> list[str]:
    """prompt tokens, <sep>, column names, <end>."""
    return [*prompt_tokens(prompt), SEP, *columns, END]


def output_columns(pairs: Pairs) -> list[str]:
    """Every name the decoder may write: the catalog's columns, then any others in `pairs`."""
    catalog = [c for cols in load_catalog().values() for c in cols]
    return list(dict.fromkeys([*catalog, *(c for _, cols in pairs for c in cols)]))


def build_decoder_vocab(pairs: Pairs, min_freq: int = 2) -> Vocab:
    """Specials, <sep>, <end>, every output column, then prompt tokens seen min_freq times."""
    prompts = Vocab.build((prompt_tokens(p) for p, _ in pairs), min_freq=min_freq)
    fixed = [PAD, UNK, CLS, SEP, END, *output_columns(pairs)]
    return Vocab(fixed + [t for t in prompts.tokens[3:] if t not in set(fixed)])


def encode_sequences(pairs: Pairs, vocab: Vocab, max_len: int) -> tuple[Tensor, Tensor]:
    """Inputs (n, max_len - 1) and next-token labels (n, max_len - 1), IGNORE before <sep>."""
    xs, ys = [], []
    sep_id = vocab.index[SEP]
    for prompt, columns in pairs:
        ids = vocab.encode(sequence(prompt, columns))[:max_len]
        labels = ids[1:]
        start = ids.index(sep_id)  # position of <sep>: the label there is the first column
        labels = [IGNORE] * start + labels[start:]
        pad = max_len - len(ids)
        xs.append(ids[:-1] + [vocab.pad_id] * pad)
        ys.append(labels + [IGNORE] * pad)
    return torch.tensor(xs), torch.tensor(ys)
