"""Solutions to the exercises of 05 · Attention heatmaps. Try them yourself first.

Exercise 2 is exploratory: `strongest_word` below finds the word [CLS] leans on most; try
prompts such as "generate a dataset for my website" and compare with the predicted columns.
"""

from __future__ import annotations

import torch

import helpers


def cls_attention_by_word(prompt: str, model=None) -> dict[str, float]:
    """Exercise 1: last-layer [CLS] weight (mean over heads) summed per word.

    The shipped model is folded (notebook 01, section 3b): [CLS], then one position per word,
    its trigrams averaged into it, so position i holds word i - 1 and a word said twice collects
    both positions' weight. The same code serves the appended layout ([CLS], the words, then
    each word's trigrams in word order), where a trigram's weight goes to its word. Positions
    cut off by MAX_LEN are simply absent.
    """
    tokens, layers = helpers.attention_maps(prompt, model)
    cls_row = layers[-1][:, 0, :].mean(0).tolist()  # (seq,)
    words = helpers.words(prompt)
    owners = list(range(len(words)))  # the word positions
    owners += [i for i, w in enumerate(words) if w != "<num>" for _ in helpers.char_ngrams(w)]
    totals = {"[CLS]": cls_row[0], **{w: 0.0 for w in words}}
    for position, owner in enumerate(owners[: len(tokens) - 1], start=1):
        totals[words[owner]] += cls_row[position]
    return totals


def strongest_word(prompt: str, model=None) -> str:
    """Exercise 2 helper: the word with the most [CLS] attention."""
    totals = cls_attention_by_word(prompt, model)
    totals.pop("[CLS]")
    return max(totals, key=totals.get)


def first_block_cls(prompts: list[str], model=None) -> torch.Tensor:
    """Exercise 3: the [CLS] vector after the first encoder block only, (n, E)."""
    trained = model or helpers.load_model()
    ids = trained.encode(prompts)
    with torch.no_grad():
        x = trained.model.embed(ids)  # folded ids (n, seq, pieces): each word's pieces averaged
        words = ids if ids.dim() == 2 else ids[..., 0]  # (n, seq): which positions are real
        x, _ = trained.model.blocks[0](x, helpers.padding_mask(words, trained.vocab.pad_id))
    return x[:, 0]


if __name__ == "__main__":
    print(cls_attention_by_word("generate a hospital dataset"))
    print(strongest_word("generate a dataset for my website"))
