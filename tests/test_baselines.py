import pytest

from helpers import (
    KeywordBaseline,
    TfidfBaseline,
    closest_domain,
    domain_labels,
    exact_match_rate,
    load_catalog,
    micro_precision_recall_f1,
)

CATALOG = load_catalog()


def test_micro_scores_pool_all_prompts():
    # prompt 1: 2 of 3 predicted are right, 2 of 2 expected found; prompt 2: 0 of 1, 0 of 2
    p, r, f = micro_precision_recall_f1([["a", "b", "x"], ["y"]], [["a", "b"], ["c", "d"]])
    assert (p, r) == (2 / 4, 2 / 4)
    assert f == pytest.approx(0.5)


def test_exact_match_rate_ignores_order():
    assert exact_match_rate([["a", "b"], ["c"], []], [["b", "a"], ["d"], []]) == 2 / 3


def test_closest_domain():
    assert closest_domain(CATALOG["hotel"][:5]) == "hotel"
    assert closest_domain([]) is None


def test_domain_labels():
    pairs = [("x", CATALOG["bank"]), ("y", []), ("z", ["name", "email"])]
    assert domain_labels(pairs) == ["bank", "none", "none"]


def test_keyword_baseline_prefers_the_longest_phrase():
    kw = KeywordBaseline().fit()
    assert kw.predict_columns("credit card transactions please") == CATALOG[
        "credit_card_transactions"]
    assert kw.predict_columns("HOSPITAL data!") == CATALOG["hospital"]
    assert kw.predict_columns("tell me a joke") == []
    assert kw.predict_columns("hospitalization") == []  # whole words only
    assert kw.predict_columns("lahman baseball database") == CATALOG["sports"]  # vocabulary


def test_tfidf_baselines_learn_a_tiny_task():
    pairs = [("hospital data", CATALOG["hospital"]), ("patients records", CATALOG["hospital"]),
             ("bank accounts", CATALOG["bank"]), ("savings balances", CATALOG["bank"]),
             ("tell me a joke", []), ("what time is it", [])] * 3
    for analyzer in ("word", "char_wb"):
        model = TfidfBaseline(analyzer).fit(pairs)
        assert model.predict_columns("hospital patients") == CATALOG["hospital"]
        assert model.predict_columns("bank accounts please") == CATALOG["bank"]


def test_tfidf_fast_scores_agree_with_the_classifier():
    from helpers import load_heldout, training_pairs

    model = TfidfBaseline("char_wb").fit(training_pairs(0, per_domain=20))
    for prompt, _ in load_heldout()[::5]:
        domain = model.classifier.predict(model.vectorizer.transform([prompt]))[0]
        expected = [] if domain == "none" else CATALOG[domain]
        assert model.predict_columns(prompt) == expected, prompt
