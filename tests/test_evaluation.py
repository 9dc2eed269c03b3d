"""helpers.evaluation: the headline table grows a column per test set and a row per system, the
small displays count what they say, and the history is read from the study files as recorded."""

import re

import pytest

from helpers import evaluation, load_catalog
from helpers.evaluation import TestSet

CATALOG = load_catalog()


def hospital(prompt: str) -> list[str]:
    return CATALOG["hospital"]


def nothing(prompt: str) -> list[str]:
    return []


TINY = {"tiny": TestSet(lambda: [("a hospital", "hospital"), ("the weather", "weather"),
                                 ("tell me a joke", None)],
                        evaluation.score_heldout_style, "never", "three prompts")}


def test_a_new_test_set_is_a_new_column_and_a_new_system_a_new_row():
    reports = evaluation.score_all({"hospital": hospital, "nothing": nothing}, TINY)
    table = evaluation.headline_table(reports, TINY)
    assert list(table.columns) == [("tiny", "scored before: never")]
    assert table.loc["hospital", ("tiny", "scored before: never")] == pytest.approx(0.5)
    assert table.loc["nothing", ("tiny", "scored before: never")] == 0.0


def test_the_shipped_sets_are_the_four_of_the_headline():
    assert list(evaluation.TEST_SETS) == ["held-out", "fresh", "real test half", "typos"]
    assert all(s.scored_before for s in evaluation.TEST_SETS.values())


def test_a_report_without_its_test_set_and_no_systems_are_clear_errors():
    reports = evaluation.score_all({"nothing": nothing}, TINY)
    with pytest.raises(ValueError, match="no TestSet for"):
        evaluation.headline_table(reports, {})
    with pytest.raises(ValueError, match="at least one system"):
        evaluation.score_all({}, TINY)


def test_outcomes_and_misses_count_each_prompt_once():
    report = evaluation.score_all({"hospital": hospital}, TINY)["tiny"]["hospital"]
    table = evaluation.outcomes(report)
    assert table.loc["a table", "a right table"] == 1
    assert table.loc["a table", "a wrong table"] == 1
    assert table.loc["no table", "a wrong table"] == 1
    assert table.to_numpy().sum() == 3
    other = evaluation.score_all({"nothing": nothing}, TINY)["tiny"]["nothing"]
    missed = evaluation.misses(report, other, "nothing")
    assert list(missed["prompt"]) == ["the weather", "tell me a joke"]
    assert list(missed["nothing"]) == ["no table", "no table"]
    assert list(missed["nothing F1"]) == [0.0, 1.0]


def test_per_kind_means_over_real_prompts():
    real = evaluation.load_real_test()
    reports = evaluation.score_all({"nothing": nothing},
                                   {"real": TestSet(lambda: real, evaluation.real_report, "")})
    kinds = evaluation.per_kind(reports["real"])
    refusable = {k: [None in r.answers for r in real if r.kind == k] for k in kinds.index}
    for kind, flags in refusable.items():  # answering nothing is right exactly where None is
        assert kinds.loc[kind, "nothing"] == pytest.approx(sum(flags) / len(flags))


def test_the_recorded_runs_back_the_scored_before_claims():
    record = evaluation.recorded_runs()
    for name, test_set in evaluation.TEST_SETS.items():
        claimed = re.search(r">(\d+)", test_set.scored_before)
        if claimed:
            assert record.loc["total", name] > int(claimed.group(1)), name


def test_model_history_names_each_model_once_and_finds_the_shipped_one():
    history = evaluation.model_history()
    assert list(history.index) == list(evaluation.MODELS)
    joint = evaluation.read_json("joint_cost.json")
    seed0 = next(r for r in joint["runs"] if r["recipe"] == "joint" and r["seed"] == 0)
    assert history.loc["M4 seed 0", "fresh"] == seed0["fresh_macro_f1"]
    ablation = evaluation.read_json("ablation.json")
    m2 = next(s for s in ablation["summary"] if s["variant"] == "shipped recipe")
    assert history.loc["M2", "held-out"] == pytest.approx(m2["macro_f1_mean"])


def test_threshold_curve_needs_every_prompt_s_probabilities():
    prompts = {"tiny": TINY["tiny"].load()}
    probs = {p: {c: 0.9 for c in CATALOG["hospital"]} for p, _ in prompts["tiny"]}
    curve = evaluation.threshold_curve(probs, prompts, [0.5, 0.95])
    assert list(curve.columns) == ["tiny macro F1", "tiny refused"]
    assert curve.loc[0.5, "tiny macro F1"] == pytest.approx(0.5)
    assert curve.loc[0.5, "tiny refused"] == 0.0 and curve.loc[0.95, "tiny refused"] == 1.0
    with pytest.raises(ValueError, match="no probabilities for 1 prompts"):
        evaluation.threshold_curve({}, {"one": [("a bank", "bank")]})
