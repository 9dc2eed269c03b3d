"""Auto-graded exercises: `helpers.check("02.1", my_function)` says right, or gives a hint.

A checker calls the learner's function on inputs of its own and compares the result with what
`helpers` computes; a hint names what is off (a shape, a missing boundary mark, a mask that lets
a token see the future) and never shows the answer. Ids are "notebook.exercise".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

import torch

from helpers import attention, catalog, decoding, generate, metrics, pairs, predict, tokenizer


class Wrong(AssertionError):
    """The answer is off; the message is the hint."""


def expect(condition: bool, hint: str) -> None:
    if not condition:
        raise Wrong(hint)


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


def check_cls_attention_by_word(cls_attention_by_word: Callable) -> None:
    prompt = "generate a hospital dataset"
    got = cls_attention_by_word(prompt)
    expect(set(got) == {tokenizer.CLS, *tokenizer.words(prompt)},
           "one entry per word (and [CLS]); trigrams go to the word they came from")
    expect(abs(sum(got.values()) - 1) < 1e-4, "the [CLS] row of the weights sums to 1 over all "
           "tokens, so the words' totals should too: average the heads of the last layer")


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


def check_tier_shares(tier_shares: Callable) -> None:
    expect(generate.column_spec("loyalty_tier")[1] == "catalog", "loyalty_tier is not in "
           "data/generators.json yet (restart the kernel after editing data/: it is read once)")
    shares = tier_shares()
    expect(set(shares) == {"bronze", "silver", "gold"}, "the values should be bronze, silver and "
           "gold: add them to data/values.json")
    want = {"bronze": 0.70, "silver": 0.25, "gold": 0.05}
    expect(all(abs(shares[v] - want[v]) < 0.02 for v in want), "the shares should be about "
           "70/25/5 %: give the values weights in data/values.json")


def check_luhn(is_valid_luhn: Callable) -> None:
    good = ["4539578763621486", "79927398713", "4111111111111111"]
    bad = ["4539578763621487", "79927398710", "1234567812345678"]
    expect(all(is_valid_luhn(n) for n in good), "a valid number was refused: double every second "
           "digit from the right, starting with the one next to the check digit")
    expect(not any(is_valid_luhn(n) for n in bad), "an invalid number was accepted: the digit sum "
           "must be a multiple of 10")


def check_folded_last_names(folded_last_names_in_emails: Callable) -> None:
    table = generate.generate_dataframe(["name", "email"], rows=500, seed=0, locale="de_DE")
    lasts = [name.split()[-1] for name in table["name"]]
    share = {fold: sum(fold(last) in email.lower()
                       for last, email in zip(lasts, table["email"], strict=True)) / 500
             for fold in (str.lower, generate.ascii_fold)}
    got = folded_last_names_in_emails(500)
    expect(0 <= got <= 1, "return a share between 0 and 1")
    expect(abs(got - share[str.lower]) > 1e-9 or share[str.lower] == share[generate.ascii_fold],
           "names with umlauts never match: fold them first (helpers.generate.ascii_fold)")
    expect(abs(got - share[generate.ascii_fold]) < 1e-9, "count the rows whose e-mail contains "
           "the folded last name (the last word of the name) with rows=500, seed 0, de_DE")


def check_nearest_prompt(baseline: Callable) -> None:
    train = [("bank accounts and balances", ["account_number", "balance"]),
             ("a hospital dataset with patients", ["patient_id", "diagnosis"]),
             ("hotel bookings", ["booking_id", "check_in"])]
    model = baseline().fit(train)
    expect(model is not None, "fit should return self, like scikit-learn, so fit(...).predict_"
           "columns(...) works")
    for prompt, columns in train:
        expect(list(model.predict_columns(prompt)) == columns, "a training prompt's nearest "
               "prompt is itself: answer with that prompt's columns")
    expect(list(model.predict_columns("hopsital patiants")) == train[1][1], "a prompt with typos "
           "should still find its neighbour: compare character n-grams, not whole words")


def check_hardest_under_typos(hardest_under_typos: Callable) -> None:
    got = [(d, f) for d, f in hardest_under_typos(3)]
    typed = [(pairs.perturb(p, "typos"), d) for p, d in catalog.load_heldout()]
    clean = metrics.heldout_report(predict.predict_columns)
    want = domain_means(metrics.heldout_report(predict.predict_columns, typed))
    expect(len(got) == 3, "return k (domain, F1) pairs")
    expect(got != sorted(domain_means(clean).items(), key=lambda kv: kv[1])[:3], "these are the "
           "hardest domains without typos: perturb every prompt with helpers.perturb(p, 'typos')")
    expect(all(abs(want.get(d, -1) - f) < 1e-9 for d, f in got), "a domain's score should be the "
           "mean F1 of its held-out prompts, each with typos")
    expect([f for _, f in got] == sorted(want.values())[:3], "these are not the three lowest: "
           "sort the domains by F1, lowest first")


def check_threshold_refusing_all(threshold_refusing_all: Callable) -> None:
    probs = heldout_probabilities()
    t = threshold_refusing_all(dict(probs))
    expect(t is not None, "some threshold on the 0.05 grid does refuse every non-request")
    report = heldout_at(t)
    expect(report["rejected"] == report["non_dataset"], f"at {t} not every non-dataset prompt is "
           "refused")
    best = max(heldout_at(s)["macro_f1"] for s in [round(0.05 * i, 2) for i in range(1, 20)]
               if all(not predict.columns_from_proba(probs[p], s)
                      for p, d in catalog.load_heldout() if d is None))
    expect(abs(report["macro_f1"] - best) < 1e-9, "it refuses them all, but another threshold "
           "that does keeps more macro F1")


def check_beam_search(beam_search: Callable) -> None:
    trained = decoding.load_decoder()
    for prompt in ("generate a hospital dataset", "hotel bookings plus a rating"):
        greedy = decoding.generate_columns(prompt, model=trained)
        expect(beam_search(prompt, width=1) == greedy, "with width 1, beam search keeps one "
               "candidate per step: it must equal greedy decoding")
    expect(beam_search("tell me a joke", width=3) == [], "a finished beam (<end> written) must "
           "stay finished; for chatter the best beam is the empty schema")


def check_columns_endpoint(add_columns_endpoint: Callable) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    with TestClient(add_columns_endpoint(FastAPI())) as client:
        r = client.get("/columns", params={"prompt": "a bank table"})
        expect(r.status_code == 200, f"GET /columns?prompt=a bank table answered {r.status_code}")
        columns = r.json().get("columns", {})
        expect(list(columns) == catalog.load_catalog()["bank"], "'columns' should map each "
               "predicted column, in order, to its probability")
        expect(all(0 <= p <= 1 for p in columns.values()), "probabilities lie between 0 and 1")
        r = client.get("/columns", params={"prompt": "tell me a joke"})
        expect(r.status_code == 400, "a prompt that is not a dataset request should get 400")
        r = client.get("/columns", params={"prompt": ""})
        expect(r.status_code == 422, "an empty prompt should get 422: validate its length")


def check_batch_generate(batch_generate: Callable) -> None:
    from fastapi.testclient import TestClient

    from helpers.api import app

    with TestClient(app) as client:
        tables = batch_generate(client, ["a bank table", "tell me a joke", "hotel bookings"],
                                rows=2)
    expect(list(tables) == ["a bank table", "hotel bookings"], "keep the prompts that got a "
           "table, in order, and skip the one answered with 400")
    expect(all(t.shape[0] == 2 for t in tables.values()), "each DataFrame should have `rows` rows")
    expect(list(tables["a bank table"].columns) == catalog.load_catalog()["bank"],
           "a DataFrame's columns should be the response's columns, in order")


CHECKERS: dict[str, Callable[[Callable], None]] = {
    "01.1": check_char_ngrams, "01.2": check_unk_rate, "01.3": check_decode_batch,
    "02.1": check_additive_attention, "02.2": check_causal_mask,
    "02.3": check_mha_parameter_count,
    "03.1": check_mean_pool, "03.2": check_reference_parameter_count,
    "03.3": check_order_sensitivity,
    "04.2": check_per_domain_f1, "04.3": check_threshold_effect,
    "05.1": check_cls_attention_by_word, "05.3": check_first_block_cls,
    "06.1": check_tier_shares, "06.2": check_luhn, "06.3": check_folded_last_names,
    "07.1": check_nearest_prompt, "07.2": check_hardest_under_typos,
    "07.3": check_threshold_refusing_all, "08.1": check_beam_search,
    "09.1": check_columns_endpoint, "09.2": check_batch_generate,
}


def check(exercise: str, answer: Callable) -> bool:
    """Grade `answer` for an exercise ("02.1"); print right, or a hint. Returns True if right."""
    if exercise not in CHECKERS:
        raise ValueError(f"no checker for exercise {exercise!r}; there are: {', '.join(CHECKERS)}")
    try:
        CHECKERS[exercise](answer)
    except Wrong as hint:
        print(f"not yet ({exercise}): {hint}")
        return False
    except Exception as e:  # the learner's code may fail in any way: report it as a hint
        print(f"not yet ({exercise}): your function raised {type(e).__name__}: {e}")
        return False
    print(f"right ({exercise})")
    return True

