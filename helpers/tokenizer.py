"""Prompt -> tokens -> integer ids, and columns <-> multi-hot vectors.

A token is a whole word or one of its character trigrams. Words carry meaning; trigrams
survive typos and plurals ("hopsital" still shares "<ho", "hos", "tal>" with "hospital").

Two layouts. Appended (notebook 01's first tokeniser): [CLS], the words, then every word's
trigrams, each its own position. Folded (as fastText does): one position per word, holding the
word and its trigrams, which the model averages into one vector; a long prompt stays whole.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import torch

CLS, PAD, UNK = "[CLS]", "[PAD]", "[UNK]"
NUM = "<num>"  # every number reads the same: "50 rows" and "500 rows" ask for the same table
MAX_LEN = 96  # positions per prompt, [CLS] included. Appended: a 14-word request needs about 75,
#              longer prompts lose their last n-grams. Folded: 95 words.
NGRAM = 3
MAX_PIECES = 16  # a folded position holds a word and at most 15 of its trigrams
# Punctuation before a word, folded into it as one more piece: '<,>' marks where a list goes on
# ('name, email'), '<.>' where a sentence ends. Only the folded layout has it.
PUNCTUATION = {"<,>": ",;:&/", "<.>": ".!?"}
WORD = re.compile(r"[^\W_]+")  # a word: a run of letters or digits, in any script


def check_prompt(prompt: object) -> str:
    """Return `prompt` if it is a non-blank string; raise TypeError or ValueError otherwise."""
    if not isinstance(prompt, str):
        raise TypeError(f"prompt must be a string, got {type(prompt).__name__}")
    if not prompt.strip():
        raise ValueError("prompt is empty: describe the table you want, e.g. 'a hospital dataset'")
    return prompt


def words(prompt: str) -> list[str]:
    """Lower-cased words of `prompt`; numbers become <num>, emoji and punctuation vanish."""
    found = WORD.findall(check_prompt(prompt).lower())
    return [NUM if w.isdigit() else w for w in found]


def char_ngrams(word: str, n: int = NGRAM) -> list[str]:
    """Character n-grams of a word with boundary marks: 'cars' -> ['<ca', 'car', 'ars', 'rs>']."""
    marked = f"<{word}>"
    return [marked[i : i + n] for i in range(len(marked) - n + 1)]


def tokenize(prompt: str, max_len: int = MAX_LEN, subwords: bool = True) -> list[str]:
    """[CLS], then the words, then their trigrams; truncated to `max_len` tokens.

    Words come before n-grams so that truncating a long prompt drops n-grams first.
    subwords=False keeps the words only (the tokeniser ablation of notebook 07).
    """
    ws = words(prompt)
    grams = [g for w in ws if w != NUM for g in char_ngrams(w)] if subwords else []
    return ([CLS] + ws + grams)[:max_len]


def word_pieces(prompt: str, max_len: int = MAX_LEN, subwords: bool = True) -> list[list[str]]:
    """The folded layout: [[CLS]], then per word [word, its trigrams...]; `max_len` positions.

    'cars data' -> [['[CLS]'], ['cars', '<ca', 'car', 'ars', 'rs>'], ['data', '<da', ...]];
    a number keeps its length ('50' -> ['<num>', '<num2>']), and a word after a comma or a
    full stop carries a mark of it: 'name, email' -> [..., ['email', '<,>', '<em', ...]].
    subwords=False leaves each word alone, as in tokenize.
    """
    def pieces(w: str, gap: str) -> list[str]:
        if not subwords:
            return [NUM if w.isdigit() else w]
        mark = [m for m, chars in PUNCTUATION.items() if any(c in gap for c in chars)][:1]
        if w.isdigit():  # <num>, and how many digits: '2024' reads like a year, '25' does not
            return [NUM, *mark, f"<num{min(len(w), 5)}>"]
        return [w, *mark, *char_ngrams(w)][:MAX_PIECES]

    text = check_prompt(prompt).lower()
    found = list(WORD.finditer(text))
    gaps = [text[found[i - 1].end() if i else 0 : m.start()] for i, m in enumerate(found)]
    return [[CLS], *(pieces(m.group(), gap) for m, gap in zip(found, gaps, strict=True))][:max_len]


class Vocab:
    """Token <-> id. Ids 0, 1, 2 are [PAD], [UNK], [CLS]; unseen tokens map to [UNK]."""

    specials = (PAD, UNK, CLS)

    def __init__(self, tokens: Sequence[str]):
        if tuple(tokens[: len(self.specials)]) != self.specials:
            raise ValueError(f"a token vocab must start with {self.specials}")
        self.tokens = list(tokens)
        self.index = {tok: i for i, tok in enumerate(self.tokens)}
        if len(self.index) != len(self.tokens):
            raise ValueError("a token vocab must not list a token twice")

    @classmethod
    def build(cls, token_lists: Iterable[list[str]], min_freq: int = 1) -> Vocab:
        """Vocab of every token seen at least `min_freq` times, most frequent first."""
        counts = Counter(t for tokens in token_lists for t in tokens if t not in cls.specials)
        kept = [t for t, c in counts.items() if c >= min_freq]
        kept.sort(key=lambda t: (-counts[t], t))
        return cls([*cls.specials, *kept])

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def pad_id(self) -> int:
        return self.index[PAD]

    @property
    def unk_id(self) -> int:
        return self.index[UNK]

    def encode(self, tokens: Sequence[str]) -> list[int]:
        """Token ids, [UNK] for tokens the vocab never saw."""
        return [self.index.get(t, self.unk_id) for t in tokens]

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Tokens for ids (padding included)."""
        return [self.tokens[i] for i in ids]

    def to_dict(self) -> dict:
        return {"tokens": self.tokens}

    @classmethod
    def from_dict(cls, d: dict) -> Vocab:
        return cls(d["tokens"])

    def save(self, path: Path | str) -> None:
        """Write the vocab as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path | str) -> Vocab:
        """Read a vocab written by `save`."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


class ColumnVocab:
    """Column name <-> position in the model's output, with multi-hot encode/decode."""

    def __init__(self, columns: Sequence[str]):
        self.columns = list(columns)
        self.index = {c: i for i, c in enumerate(self.columns)}
        if len(self.index) != len(self.columns):
            raise ValueError("a column vocab must not list a column twice")

    @classmethod
    def build(cls, column_lists: Iterable[Sequence[str]]) -> ColumnVocab:
        """Every column seen, in order of first appearance."""
        return cls(list(dict.fromkeys(c for columns in column_lists for c in columns)))

    def __len__(self) -> int:
        return len(self.columns)

    def encode(self, columns: Iterable[str]) -> list[float]:
        """Multi-hot vector: 1.0 at each listed column, 0.0 elsewhere."""
        vector = [0.0] * len(self)
        for c in columns:
            if c not in self.index:
                raise KeyError(f"unknown column {c!r}: not in this column vocab")
            vector[self.index[c]] = 1.0
        return vector

    def decode(self, scores: Sequence[float], threshold: float = 0.5) -> list[str]:
        """Columns whose score is at or above `threshold`, in vocab order."""
        if len(scores) != len(self):
            raise ValueError(f"expected {len(self)} scores, got {len(scores)}")
        return [c for c, s in zip(self.columns, scores, strict=True) if float(s) >= threshold]

    def to_dict(self) -> dict:
        return {"columns": self.columns}

    @classmethod
    def from_dict(cls, d: dict) -> ColumnVocab:
        return cls(d["columns"])

    def save(self, path: Path | str) -> None:
        """Write the column vocab as JSON."""
        Path(path).write_text(json.dumps(self.to_dict()), encoding="utf-8")

    @classmethod
    def load(cls, path: Path | str) -> ColumnVocab:
        """Read a column vocab written by `save`."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def encode_batch(
    prompts: Sequence[str],
    vocab: Vocab,
    max_len: int = MAX_LEN,
    subwords: bool = True,
    folded: bool = False,
) -> torch.Tensor:
    """Token ids of each prompt, right-padded with [PAD] to the longest: (batch, seq).

    folded=True gives (batch, seq, pieces): per position the word's id, then its trigrams' ids.
    """
    if folded:
        return encode_folded(prompts, vocab, max_len, subwords)
    ids = [vocab.encode(tokenize(p, max_len, subwords)) for p in prompts]
    width = max(len(x) for x in ids)
    return torch.tensor([x + [vocab.pad_id] * (width - len(x)) for x in ids], dtype=torch.long)


def encode_folded(
    prompts: Sequence[str], vocab: Vocab, max_len: int = MAX_LEN, subwords: bool = True
) -> torch.Tensor:
    """Folded ids, padded with [PAD] in both directions: (batch, seq, pieces)."""
    rows = [[vocab.encode(p) for p in word_pieces(prompt, max_len, subwords)] for prompt in prompts]
    seq = max(len(r) for r in rows)
    width = max(len(p) for r in rows for p in r)
    out = torch.full((len(rows), seq, width), vocab.pad_id, dtype=torch.long)
    for i, row in enumerate(rows):
        for j, ids in enumerate(row):
            out[i, j, : len(ids)] = torch.tensor(ids)
    return out


def encode_targets(column_lists: Sequence[Sequence[str]], columns: ColumnVocab) -> torch.Tensor:
    """Multi-hot targets, one row per example: (batch, n_columns)."""
    return torch.tensor([columns.encode(c) for c in column_lists], dtype=torch.float32)
