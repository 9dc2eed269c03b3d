"""Checkers for the exercises of notebooks 06-10: generation, evaluation, the decoder, serving
and reading the whole prompt (see helpers.exercises)."""

from __future__ import annotations

from collections.abc import Callable

from helpers import catalog, decoding, generate, metrics, pairs, predict
from helpers.checks_model import domain_means, heldout_at, heldout_probabilities
from helpers.grading import expect


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


def check_bio_to_spans(bio_to_spans: Callable) -> None:
    cases = [
        (["O", "B-COL", "I-COL", "B-NOT"], [("COL", 1, 3), ("NOT", 3, 4)]),
        (["B-ROWS", "O", "B-LOC", "I-LOC", "I-LOC"], [("ROWS", 0, 1), ("LOC", 2, 5)]),
        (["O", "O"], []),
        (["B-COL", "B-COL"], [("COL", 0, 1), ("COL", 1, 2)]),
        (["I-COL", "I-COL", "O"], [("COL", 0, 2)]),
        (["B-COL", "I-NOT"], [("COL", 0, 1), ("NOT", 1, 2)]),
    ]
    for tags, want in cases:
        got = [tuple(s) for s in bio_to_spans(list(tags))]
        expect(got == want, f"{tags}: expected {len(want)} span(s), got {len(got)}: {got}"
               if len(got) != len(want) else f"{tags}: the spans' slots or ends are off "
               "(end is one past the last word, as in a slice)")


def check_count_words(count_words: Callable) -> None:
    cases = {"50": 50, "1,500": 1500, "two hundred": 200, "a dozen": 12, "ninety nine": 99,
             "three thousand": 3000, "twenty": 20, "some": None, "a few": None}
    for text, want in cases.items():
        got = count_words(text)
        expect(got == want, f"count_words({text!r}) gave {got!r}: " + (
            "None is for text that is not a number" if want is None else
            "multiply on 'hundred', 'thousand' and 'dozen', add the rest" if " " in text else
            "drop the thousands separator before int()"))
