"""The exercise solutions must stay correct as helpers evolves."""

import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "notebooks"))
ch01 = pytest.importorskip("solutions.ch01")

import helpers  # noqa: E402


def test_char_ngrams_n_matches_helpers_for_trigrams():
    assert ch01.char_ngrams_n("hospital", 3) == helpers.char_ngrams("hospital")
    assert ch01.char_ngrams_n("ab", 2) == ["<a", "ab", "b>"]


def test_smaller_ngrams_forgive_typos_more():
    o2, o3, o4 = (ch01.ngram_overlap("hospital", "hopsital", n) for n in (2, 3, 4))
    assert o2 > o3 > o4


def test_unk_rate_grows_with_min_freq():
    rates = [ch01.heldout_unk_rate(m) for m in (1, 2, 5)]
    assert rates == sorted(rates) and rates[0] < rates[-1]


def test_decode_batch_drops_padding():
    vocab = helpers.Vocab.build([helpers.tokenize("bank data"), helpers.tokenize("a b")])
    x = helpers.encode_batch(["bank data", "a b"], vocab)
    assert ch01.decode_batch(x, vocab) == [helpers.tokenize("bank data"), helpers.tokenize("a b")]


ch02 = pytest.importorskip("solutions.ch02")


def test_additive_mask_equals_boolean_mask():
    g = torch.Generator().manual_seed(1)
    q, k, v = (torch.randn(5, 4, generator=g) for _ in range(3))
    expected = helpers.scaled_dot_product_attention(q, k, v, helpers.causal_mask(5))
    got = ch02.attention_additive_mask(q, k, v, ch02.causal_as_additive(5))
    assert torch.allclose(got[0], expected[0]) and torch.allclose(got[1], expected[1])


def test_causal_check_and_parameter_formula():
    assert ch02.earlier_outputs_unchanged()
    for e in (8, 16, 32):
        actual = sum(p.numel() for p in torch.nn.MultiheadAttention(e, 4).parameters())
        assert ch02.mha_parameter_count(e) == actual


ch03 = pytest.importorskip("solutions.ch03")
ch04 = pytest.importorskip("solutions.ch04")
ch05 = pytest.importorskip("solutions.ch05")


def test_mean_pool_ignores_padding():
    hidden = torch.arange(12.0).view(1, 4, 3)
    ids = torch.tensor([[2, 5, 0, 0]])
    assert torch.equal(ch03.mean_pool(hidden, ids, 0), hidden[:, :2].mean(1))


def test_reference_parameter_formula():
    torch.manual_seed(0)
    model = helpers.SchemaPredictor(helpers.ModelConfig(100, 7, num_layers=1, ff_dim=0))
    assert ch03.reference_parameter_count(100, 7, 64) == model.num_parameters()


def test_positions_switch():
    assert ch03.order_changes_logits(positions=True)
    assert not ch03.order_changes_logits(positions=False)


def test_per_domain_f1_and_thresholds():
    report = helpers.heldout_report(helpers.predict_columns)
    scores = ch04.per_domain_f1(report)
    assert set(scores) == {d for _, d in helpers.load_heldout() if d}
    assert all(0 <= s <= 1 for s in scores.values())
    table = ch04.threshold_effect((0.05, 0.95))
    assert list(table.index) == [0.05, 0.95]


def test_token_dropout_comparison_runs():
    table = ch04.compare_token_dropout(epochs=1)
    assert list(table.index) == [0.0, 0.2]


def test_cls_attention_by_word_sums_to_one():
    totals = ch05.cls_attention_by_word("generate a hospital dataset")
    assert set(totals) == {"[CLS]", "generate", "a", "hospital", "dataset"}
    assert sum(totals.values()) == pytest.approx(1.0, abs=1e-5)
    assert ch05.strongest_word("generate a hospital dataset") in totals


def test_first_block_cls_shape():
    assert ch05.first_block_cls(["a", "bank data"]).shape == (2, 64)


ch06 = pytest.importorskip("solutions.ch06")


def test_luhn_solution_accepts_generated_cards_and_rejects_a_changed_digit():
    cards = helpers.generate_dataframe(["card_number"], rows=200)["card_number"]
    assert all(ch06.is_valid_luhn(c) for c in cards)
    bad = cards.iloc[0][:-1] + str((int(cards.iloc[0][-1]) + 1) % 10)
    assert not ch06.is_valid_luhn(bad)


def test_german_emails_carry_the_folded_last_name():
    assert ch06.folded_last_names_in_emails(300) == 1.0


ch07 = pytest.importorskip("solutions.ch07")


def test_nearest_prompt_baseline_answers_with_a_training_table():
    pairs = helpers.training_pairs(0)
    baseline = ch07.NearestPromptBaseline().fit(pairs)
    assert baseline.predict_columns("generate a hospital dataset") == helpers.load_catalog()[
        "hospital"]
    assert baseline.predict_columns("tell me a joke") == []


def test_hardest_domains_under_typos_are_real_domains():
    hardest = ch07.hardest_under_typos(3)
    assert len(hardest) == 3 and all(d in helpers.load_catalog() for d, _ in hardest)
    assert [s for _, s in hardest] == sorted(s for _, s in hardest)


def test_threshold_refusing_all_really_refuses_all():
    trained = helpers.load_model()
    probs = {p: helpers.predict_proba(p, trained) for p, _ in helpers.load_heldout()}
    t = ch07.threshold_refusing_all(probs)
    assert t is not None
    refused = [not helpers.columns_from_proba(probs[p], t) for p, d in helpers.load_heldout()
               if d is None]
    assert all(refused)


ch08 = pytest.importorskip("solutions.ch08")


def test_beam_search_finds_the_table_and_refuses_chatter():
    assert ch08.beam_search("generate a hospital dataset") == helpers.load_catalog()["hospital"]
    assert ch08.beam_search("tell me a joke") == []


def test_untied_decoder_has_more_parameters():
    results = ch08.untied_comparison(epochs=1)
    assert results["untied"]["parameters"] > results["tied"]["parameters"]
    assert all(0 <= r["macro_f1"] <= 1 for r in results.values())


def test_more_extras_reports_both_scores():
    result = ch08.more_extras(extra_rate=0.8, epochs=1)
    assert 0 <= result["compositional"] <= result["of"] and 0 <= result["macro_f1"] <= 1


ch09 = pytest.importorskip("solutions.ch09")


def test_columns_endpoint_and_batch_generate():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from helpers.api import app

    with TestClient(ch09.add_columns_endpoint(FastAPI())) as client:
        body = client.get("/columns", params={"prompt": "a bank table"}).json()
        assert list(body["columns"]) == helpers.load_catalog()["bank"]
        assert client.get("/columns", params={"prompt": "tell me a joke"}).status_code == 400
        assert client.get("/columns", params={"prompt": ""}).status_code == 422
    with TestClient(app) as client:
        tables = ch09.batch_generate(client, ["a bank table", "tell me a joke"], rows=2)
    assert list(tables) == ["a bank table"] and tables["a bank table"].shape == (2, 7)


ch10 = pytest.importorskip("solutions.ch10")


def test_reading_solutions():
    assert ch10.bio_to_spans(["B-COL", "I-COL", "O", "I-NOT"]) == [("COL", 0, 2), ("NOT", 3, 4)]
    assert ch10.count_words("three thousand two hundred") == 3200
    assert ch10.count_words("plenty") is None
    found = ch10.disagreements("dev")
    assert set(found) == {"tag head only", "rules only"}
    dev = {p.prompt for p in helpers.load_reading_prompts("dev")}
    assert all(p in dev for group in found.values() for p in group)
