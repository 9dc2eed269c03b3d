import pytest
import torch

from helpers import f1_score, macro_f1, precision_recall_f1, seed_spread
from helpers.training import choose_threshold, example_f1


def test_hand_computed_precision_recall_f1():
    p, r, f = precision_recall_f1(["a", "b", "c"], ["a", "b", "d", "e"])
    assert (p, r) == (2 / 3, 2 / 4)
    assert f == pytest.approx(2 * p * r / (p + r))


def test_empty_cases():
    assert precision_recall_f1([], []) == (1.0, 1.0, 1.0)
    assert f1_score([], ["a"]) == 0.0
    assert f1_score(["a"], []) == 0.0


def test_macro_f1_averages_prompts():
    assert macro_f1([["a"], ["b"]], [["a"], ["c"]]) == 0.5
    with pytest.raises(ValueError):
        macro_f1([], [])


def test_tensor_f1_agrees_with_the_plain_one():
    probs = torch.tensor([[0.9, 0.8, 0.1, 0.6], [0.1, 0.1, 0.1, 0.1], [0.9, 0.1, 0.1, 0.1]])
    targets = torch.tensor([[1.0, 1.0, 1.0, 0.0], [0, 0, 0, 0], [0, 1.0, 0, 0]])
    names = list("abcd")
    for row, (p, t) in enumerate(zip(probs, targets, strict=True)):
        pred = [n for n, x in zip(names, p, strict=True) if x >= 0.5]
        true = [n for n, x in zip(names, t, strict=True) if x > 0.5]
        assert example_f1(probs, targets, 0.5)[row].item() == pytest.approx(f1_score(pred, true))


def test_threshold_sweep_prefers_separating_thresholds():
    probs = torch.tensor([[0.9, 0.2], [0.7, 0.1]])
    targets = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    threshold, sweep = choose_threshold(probs, targets)
    assert 0.2 < threshold <= 0.7
    assert {s["threshold"] for s in sweep} >= {0.05, 0.5, 0.95}


def test_heldout_report_scores_any_prompt_set():
    from helpers import heldout_report, load_catalog

    bank = load_catalog()["bank"]
    prompts = [("a bank table", "bank"), ("a hotel table", "hotel"), ("hello", None)]
    report = heldout_report(lambda p: bank if "bank" in p else [], prompts)
    assert report["requests"] == 2 and report["macro_f1"] == 0.5
    assert (report["rejected"], report["non_dataset"]) == (1, 1)


def test_columns_from_proba_applies_threshold_minimum_and_completion():
    from helpers import MIN_COLUMNS, columns_from_proba, load_catalog

    hospital = load_catalog()["hospital"]
    proba = {c: 0.9 for c in hospital[:-1]} | {hospital[-1]: 0.2, "isbn": 0.1}
    assert columns_from_proba(proba, 0.5) == hospital
    assert columns_from_proba(proba, 0.5, complete=False) == hospital[:-1]
    two = dict(list(proba.items())[: MIN_COLUMNS - 1])
    assert columns_from_proba(two, 0.5) == []
    with pytest.raises(ValueError, match="threshold"):
        columns_from_proba(proba, 1.5)


def test_middle_of_plateau_picks_the_middle_of_the_best_run():
    from helpers import middle_of_plateau
    sweep = [{"threshold": t, "f1": f} for t, f in
             [(0.1, 0.80), (0.2, 0.95), (0.3, 0.952), (0.4, 0.949), (0.5, 0.90)]]
    assert middle_of_plateau(sweep, "f1") == 0.3
    assert middle_of_plateau(sweep, "f1", tolerance=0.2) == 0.3  # 0.1..0.5 all within: middle
    assert middle_of_plateau(sweep[:1], "f1") == 0.1


def test_seed_spread_gives_mean_min_and_max_per_key():
    runs = [{"f1": 0.8, "secs": 10}, {"f1": 0.9, "secs": 30}, {"f1": 0.7, "secs": 20}]
    got = seed_spread(runs, ["f1", "secs"])
    assert got["f1_mean"] == pytest.approx(0.8)
    assert (got["f1_min"], got["f1_max"]) == (0.7, 0.9)
    assert (got["secs_mean"], got["secs_min"], got["secs_max"]) == (20, 10, 30)
    with pytest.raises(ValueError, match="f1"):
        seed_spread([], ["f1"])
