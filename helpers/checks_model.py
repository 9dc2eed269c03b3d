"""Checkers for the exercises of notebooks 01-05: tokens, attention, the model, training and
its heatmaps (see helpers.exercises)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

import torch

from helpers import attention, catalog, metrics, pairs, predict, tokenizer
from helpers.grading import expect


def check_char_ngrams(char_ngrams_n: Callable) -> None:
    for word, n in [("hospital", 3), ("cars", 2), ("bank", 4), ("ab", 2), ("hotel", 5)]:
        got, want = list(char_ngrams_n(word, n)), tokenizer.char_ngrams(word, n)
        expect(any(g.startswith("<") for g in got),
               "mark the word's start and end: 'cars' becomes '<cars>' before cutting")
        expect(len(got) == len(want), f"{word!r} with n={n} should give {len(want)} n-grams "
               f"(a word of L letters, marked, has L + 3 - n), not {len(got)}")
        expect(all(len(g) == n for g in got), f"every n-gram of {word!r} should be {n} long")
        expect(got == want, f"right count for {word!r}, n={n}, but not the right n-grams in order")

def check_unk_rate(heldout_unk_rate: Callable) -> None:
    rates = {m: heldout_unk_rate(m) for m in (1, 2, 5)}
    expect(all(0 <= r <= 1 for r in rates.values()), "a share lies between 0 and 1")
    expect(rates[1] > 0, "with min_freq=1 no held-out token is unknown: build the vocabulary from "
           "the training prompts (helpers.training_pairs(seed)), not from the held-out ones")
    expect(rates[1] <= rates[2] <= rates[5], "a larger min_freq keeps fewer tokens, so the share "
           "of [UNK] can only grow with it")
    heldout = [tokenizer.tokenize(p) for p, _ in catalog.load_heldout()]
    training = [tokenizer.tokenize(p) for p, _ in pairs.training_pairs(0)]
    for m, got in rates.items():
        known = tokenizer.Vocab.build(training, min_freq=m).index
        unknown = sum(t not in known for tokens in heldout for t in tokens)
        shares = [unknown / sum(map(len, heldout)), unknown / sum(len(t) - 1 for t in heldout)]
        expect(any(abs(got - share) < 1e-9 for share in shares), f"with min_freq={m} you say "
               f"{got:.4f}: count every token of every held-out prompt (words and trigrams, "
               "repeats too), with the vocabulary built from helpers.training_pairs(0)")

def check_decode_batch(decode_batch: Callable) -> None:
    vocab = tokenizer.Vocab([tokenizer.PAD, tokenizer.UNK, tokenizer.CLS, "bank", "data", "<ba"])
    batch = tokenizer.encode_batch(["bank data", "bank"], vocab, subwords=False)
    got = decode_batch(batch, vocab)
    expect(len(got) == 2, "return one list of tokens per row of the batch")
    expect(tokenizer.PAD not in got[1], "drop the [PAD] tokens: they only fill short rows")
    expect(got == [[tokenizer.CLS, "bank", "data"], [tokenizer.CLS, "bank"]],
           "each row should read back as its tokens, [CLS] first, in order")

def check_additive_attention(attention_additive_mask: Callable) -> None:
    torch.manual_seed(0)
    q, k, v = torch.randn(3, 2, 5, 4).unbind(0)  # (batch, seq, dim) each
    allowed = attention.causal_mask(5)
    additive = torch.zeros(5, 5).masked_fill(~allowed, float("-inf"))
    want, want_w = attention.scaled_dot_product_attention(q, k, v, allowed)
    result = attention_additive_mask(q, k, v, additive)
    got, got_w = result if isinstance(result, tuple) else (result, None)
    expect(got.shape == want.shape, f"output shape should be {tuple(want.shape)}, got "
           f"{tuple(got.shape)}")
    if got_w is not None:
        expect(bool((got_w.masked_select(~allowed.expand_as(got_w)) == 0).all()),
               "weights above the diagonal must be exactly 0: add the mask before the softmax")
    expect(torch.allclose(got, want, atol=1e-5), "outputs differ from masked attention: add the "
           "mask to the scaled scores (q k^T / sqrt(d)) before the softmax")

def check_causal_mask(make_mask: Callable) -> None:
    for seq in (1, 4, 7):
        mask = make_mask(seq)
        expect(tuple(mask.shape) == (seq, seq), f"a mask for {seq} tokens is ({seq}, {seq})")
        allowed = mask if mask.dtype == torch.bool else mask == 0  # bool, or additive 0 / -inf
        future = torch.ones(seq, seq, dtype=torch.bool).triu(1)
        expect(not bool((allowed & future).any()), "your mask lets a token see the future: "
               "position i may only look at positions 0..i")
        expect(bool(allowed[~future].all()), "your mask hides the past: position i should see "
               "every position up to and including itself")

def check_mha_parameter_count(mha_parameter_count: Callable) -> None:
    for e in (4, 8, 64, 100):
        want = sum(p.numel() for p in torch.nn.MultiheadAttention(e, 4).parameters())
        got = mha_parameter_count(e)
        expect(got != 4 * e * e, "4 E² counts the weights only: each projection has a bias too")
        expect(got == want, f"for E={e} nn.MultiheadAttention has {want:,} parameters, you "
               f"say {got:,}")

def check_mean_pool(mean_pool: Callable) -> None:
    hidden = torch.arange(2 * 4 * 3, dtype=torch.float32).view(2, 4, 3)  # (batch, seq, embed)
    ids = torch.tensor([[5, 6, 7, 0], [5, 0, 0, 0]])
    got = mean_pool(hidden, ids, 0)
    expect(tuple(got.shape) == (2, 3), f"one vector per prompt: (batch, embed) = (2, 3), got "
           f"{tuple(got.shape)}")
    expect(torch.allclose(got[1], hidden[1, 0]), "padding must not count: average only the "
           "positions whose id is not pad_id")
    expect(torch.allclose(got[0], hidden[0, :3].mean(0)), "average the real tokens' vectors")

def check_reference_parameter_count(count: Callable) -> None:
    from helpers.model import ModelConfig, SchemaPredictor

    for vocab_size, columns, e in [(100, 10, 8), (3000, 236, 64)]:
        cfg = ModelConfig(vocab_size, columns, embed_dim=e, num_layers=1, ff_dim=0)
        want = SchemaPredictor(cfg).num_parameters()
        got = count(vocab_size, columns, e)
        expect(got == want, f"for vocab {vocab_size}, {columns} columns, E={e}: the model has "
               f"{want:,} parameters, you say {got:,} (embedding, attention, LayerNorm, output)")

def check_order_sensitivity(order_changes_logits: Callable) -> None:
    for seed in (0, 1, 2):
        expect(not order_changes_logits(False, seed), "without positions, attention reads a prompt "
               "as a bag of tokens: a swap must not change the logits (is dropout on? call "
               "model.eval() first)")
        expect(bool(order_changes_logits(True, seed)), "with positions=True a token's vector "
               "depends on where it stands, so swapping two words should change the logits")

@lru_cache(maxsize=1)
def heldout_probabilities() -> dict[str, dict[str, float]]:
    """The shipped model's column probabilities for every held-out prompt, computed once."""
    trained = predict.load_model()
    return {p: predict.predict_proba(p, trained) for p, _ in catalog.load_heldout()}

def heldout_at(threshold: float) -> dict:
    """The held-out report with the shipped model at another threshold."""
    probs = heldout_probabilities()
    return metrics.heldout_report(lambda p: predict.columns_from_proba(probs[p], threshold))

def check_threshold_effect(threshold_effect: Callable) -> None:
    table = threshold_effect((0.4, 0.7))
    expect(list(table.index) == [0.4, 0.7], "return one row per threshold, indexed by threshold")
    rows = [(table.loc[t, "macro_f1"], table.loc[t, "refused"]) for t in (0.4, 0.7)]
    expect(rows[0] != rows[1], "both thresholds score the same: pass the threshold on to "
           "helpers.predict_columns(prompt, threshold)")
    for t, (f1, refused) in zip((0.4, 0.7), rows, strict=True):
        report = heldout_at(t)
        expect(abs(f1 - report["macro_f1"]) < 1e-9, f"at {t} the held-out macro F1 is not "
               f"{f1:.4f}: score with helpers.heldout_report")
        expect(refused == report["rejected"], f"at {t} the model refuses a different number of "
               "prompts: 'refused' counts the prompts that get no columns")

def domain_means(report: dict) -> dict[str, float]:
    scores = defaultdict(list)
    for row in report["per_prompt"]:
        if row["domain"] is not None:
            scores[row["domain"]].append(row["f1"])
    return {d: sum(s) / len(s) for d, s in scores.items()}

def check_per_domain_f1(per_domain_f1: Callable) -> None:
    report = {"per_prompt": [{"domain": "bank", "f1": 1.0}, {"domain": "bank", "f1": 0.5},
                             {"domain": "hotel", "f1": 0.0}, {"domain": None, "f1": 1.0}]}
    got = per_domain_f1(report)
    expect(None not in got, "leave out the non-dataset prompts (domain None)")
    expect(set(got) == {"bank", "hotel"}, "one entry per expected domain")
    expect(abs(got["bank"] - 0.75) < 1e-9, "average the F1 of each domain's prompts")

def cls_weight_per_word(prompt: str, layer: int = -1) -> dict[str, float]:
    """The answer to 05.1 for the shipped model (layer -1): one layer's [CLS] row, averaged over
    the heads, summed per word: {"[CLS]": weight, word: weight of all the word's positions}."""
    tokens, layers = predict.attention_maps(prompt)
    cls_row = layers[layer][:, 0, :].mean(0).tolist()  # (seq,)
    words = tokenizer.words(prompt)
    # folded (the shipped layout): position i holds word i - 1; appended: the words, then each
    # word's trigrams in word order; positions past max_len are simply absent
    owners = list(range(len(words)))
    owners += [i for i, w in enumerate(words) if w != tokenizer.NUM
               for _ in tokenizer.char_ngrams(w)]
    totals = {tokenizer.CLS: cls_row[0], **{w: 0.0 for w in words}}
    for position, owner in enumerate(owners[: len(tokens) - 1], start=1):
        totals[words[owner]] += cls_row[position]
    return totals


def close_weights(got: dict[str, float], want: dict[str, float], tol: float = 1e-4) -> bool:
    """Every value of `want` matched by `got` within `tol` (same keys assumed)."""
    return all(abs(got[k] - want[k]) < tol for k in want)


def check_cls_attention_by_word(cls_attention_by_word: Callable) -> None:
    # the second prompt says "bank" three times: a word's total takes all its positions' weight
    for prompt in ["generate a hospital dataset", "bank accounts and bank balances for a bank"]:
        got = cls_attention_by_word(prompt)
        want = cls_weight_per_word(prompt)
        expect(set(got) == set(want),
               f"for {prompt!r}: one entry per word (and [CLS]), each word once")
        expect(abs(sum(got.values()) - 1) < 1e-4, "the [CLS] row of the weights sums to 1 over "
               "all positions, so the words' totals should too: average the heads of the last "
               "layer, and give a word said twice the weight of both its positions")
        first_layer = cls_weight_per_word(prompt, 0)
        expect(close_weights(got, want) or not close_weights(got, first_layer),
               "those are the first layer's weights: the output reads the last one, layers[-1]")
        expect(close_weights(got, want), f"the totals for {prompt!r} are off: take row 0 "
               "([CLS]) of the last layer, average it over the heads, and add each position's "
               "weight to the word it holds (a word said twice gets both positions' weight)")

def check_first_block_cls(first_block_cls: Callable) -> None:
    trained = predict.load_model()
    prompts = ["a bank table", "generate a hospital dataset with patients and their doctors"]
    after = []  # (batch, seq, embed) after each block, in order
    hooks = [b.register_forward_hook(lambda m, i, out: after.append(out[0].detach()))
             for b in trained.model.blocks]
    try:
        with torch.no_grad():
            trained.model(trained.encode(prompts))
    finally:
        for hook in hooks:
            hook.remove()
    got = torch.as_tensor(first_block_cls(prompts)).detach().cpu()
    want, last = after[0][:, 0].cpu(), after[-1][:, 0].cpu()  # (n, embed) each
    expect(tuple(got.shape) == tuple(want.shape), f"one [CLS] vector per prompt: (n, E) = "
           f"{tuple(want.shape)}, got {tuple(got.shape)}")
    expect(not torch.allclose(got, last, atol=1e-5), "that is [CLS] after every block: stop "
           "after model.blocks[0]")
    expect(torch.allclose(got[1], want[1], atol=1e-5), "the longest prompt's [CLS] is off: "
           "embed the ids (positions too, if the model has them), then run blocks[0] on them")
    expect(torch.allclose(got, want, atol=1e-5), "right for the longest prompt but not for the "
           "shorter, padded one: pass blocks[0] the padding mask")
