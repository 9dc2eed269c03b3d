"""Solutions to the exercises of 01 · Vocabulary and encoding. Try them yourself first."""

from __future__ import annotations

import torch

import helpers


def char_ngrams_n(word: str, n: int) -> list[str]:
    """Exercise 1: character n-grams of any length, with boundary marks."""
    marked = f"<{word}>"
    return [marked[i : i + n] for i in range(max(1, len(marked) - n + 1))]


def ngram_overlap(a: str, b: str, n: int) -> float:
    """Jaccard overlap of two words' n-grams."""
    ga, gb = set(char_ngrams_n(a, n)), set(char_ngrams_n(b, n))
    return len(ga & gb) / len(ga | gb)


# Exercise 1, answer: bigrams forgive typos most (more pieces survive one slip) but are shared
# by unrelated words too; 4-grams are specific but a single typo destroys most of them.


def heldout_unk_rate(min_freq: int, seed: int = 0) -> float:
    """Exercise 2: share of held-out tokens that a vocab built with `min_freq` cannot encode."""
    pairs = helpers.training_pairs(seed)
    vocab = helpers.Vocab.build((helpers.tokenize(p) for p, _ in pairs), min_freq=min_freq)
    prompts = [prompt for prompt, _ in helpers.load_heldout()]
    ids = [i for prompt in prompts for i in vocab.encode(helpers.tokenize(prompt))]
    return sum(i == vocab.unk_id for i in ids) / len(ids)


def decode_batch(x: torch.Tensor, vocab: helpers.Vocab) -> list[list[str]]:
    """Exercise 3: a padded (batch, seq) tensor of ids back to token lists, [PAD]s removed."""
    return [vocab.decode(i for i in row.tolist() if i != vocab.pad_id) for row in x]


if __name__ == "__main__":
    for n in (2, 3, 4):
        print(f"n={n}: overlap = {ngram_overlap('hospital', 'hopsital', n):.2f}")
    for min_freq in (1, 2, 5):
        print(f"min_freq={min_freq}: {heldout_unk_rate(min_freq):.1%} of held-out tokens are [UNK]")
