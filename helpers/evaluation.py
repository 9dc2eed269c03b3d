"""Notebook 07's report card: every system on every test set, in one table.

A test set is an entry of TEST_SETS (name -> TestSet): how to load its prompts, how to score a
prompt -> columns function on them, and how often it has been scored before. Add an entry (or
pass a dict of your own) and headline_table gains a column; add a system and it gains a row.
Plain Python and pandas: the systems come in as functions, so nothing here imports torch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from helpers.catalog import load_heldout, load_real_prompts
from helpers.metrics import closest_domain, heldout_report, real_report
from helpers.pairs import perturb
from helpers.paths import data_file

Predict = Callable[[str], list[str]]


@dataclass(frozen=True)
class TestSet:
    """One frozen test set: its prompts, its scorer, and its history."""

    __test__ = False  # a data class, not a pytest test class

    load: Callable[[], Sequence]  # () -> prompts the scorer understands
    score: Callable[[Predict, Sequence], dict]  # (predict, prompts) -> report with macro_f1
    scored_before: str  # how often it was scored before this table, honestly and briefly
    about: str = ""


def load_fresh() -> list[tuple[str, str | None]]:
    """data/fresh_prompts.json: 53 hand-written prompts, written before the issue-5 tuning."""
    return load_heldout(data_file("fresh_prompts.json"))


def load_real_test() -> list:
    """The test half of data/real_prompts.json: texts written by other people."""
    return load_real_prompts("test")


def roughened(kind: str) -> Callable[[], list[tuple[str, str | None]]]:
    """A loader for the held-out prompts, each changed one way by helpers.perturb."""
    def load() -> list[tuple[str, str | None]]:
        return [(perturb(p, kind), d) for p, d in load_heldout()]
    return load


def score_heldout_style(predict: Predict, prompts: Sequence) -> dict:
    """heldout_report on (prompt, domain or None) pairs: macro F1 over the requests."""
    return heldout_report(predict, prompts)


TEST_SETS: dict[str, TestSet] = {
    "held-out": TestSet(
        load_heldout, score_heldout_style,
        "tuned on (>60 runs)",
        "data/heldout.json: 130 requests and 15 other prompts, written by us"),
    "fresh": TestSet(
        load_fresh, score_heldout_style,
        "many times (>20)",
        "data/fresh_prompts.json: 43 requests and 10 other prompts, written by us"),
    "real test half": TestSet(
        load_real_test, real_report,
        "many times (>20)",
        "data/real_prompts.json, split test: texts written by other people"),
    "typos": TestSet(
        roughened("typos"), score_heldout_style,
        "every run of 07",
        "the held-out prompts with a typo in 30% of the words of 4+ letters"),
}

# Every other way helpers.perturb roughens a prompt, as test sets of the same kind.
ROUGHENED: dict[str, TestSet] = {
    kind: TestSet(roughened(kind), score_heldout_style, "every run of 07", f"held-out, {kind}")
    for kind in ("shuffled", "filler words", "upper case")
}


def score_all(systems: Mapping[str, Predict],
              sets: Mapping[str, TestSet] | None = None) -> dict[str, dict[str, dict]]:
    """Score every system on every set: {set name: {system name: report}}."""
    sets = TEST_SETS if sets is None else sets
    if not systems:
        raise ValueError("need at least one system (a name -> predict_columns mapping)")
    out = {}
    for set_name, test_set in sets.items():
        prompts = test_set.load()
        out[set_name] = {name: test_set.score(predict, prompts)
                         for name, predict in systems.items()}
    return out


def headline_table(reports: Mapping[str, Mapping[str, dict]],
                   sets: Mapping[str, TestSet] | None = None) -> pd.DataFrame:
    """Macro F1 of each system (rows) on each set (columns), from score_all's reports.

    The columns are two-level: the set's name, then how often it was scored before.
    """
    sets = TEST_SETS if sets is None else sets
    missing = [name for name in reports if name not in sets]
    if missing:
        raise ValueError(f"no TestSet for {missing}: add them to the sets passed in")
    table = pd.DataFrame({(name, f"scored before: {sets[name].scored_before}"):
                          {system: r["macro_f1"] for system, r in by_system.items()}
                          for name, by_system in reports.items()})
    table.columns.names = ["test set", ""]
    return table


def expected(row: dict) -> tuple[str | None, ...]:
    """The acceptable answers of a per-prompt row of either report (None: no table)."""
    return row["answers"] if "answers" in row else (row["domain"],)


def outcome(row: dict) -> str:
    """What a system did with one prompt, in words."""
    if not row["predicted"]:
        return "no table"
    if row["f1"] == 1:
        return "a right table"
    return "a wrong table" if row["f1"] == 0 else "a partly right table"


OUTCOMES = ("a right table", "a partly right table", "a wrong table", "no table")


def outcomes(report: dict) -> pd.DataFrame:
    """Counts of each outcome by what the prompt wants: a confusion table at the level of
    'answer or refuse' (a prompt wants no table when refusing is an acceptable answer)."""
    rows = [("no table" if None in expected(r) else "a table", outcome(r))
            for r in report["per_prompt"]]
    table = pd.crosstab(pd.Series([a for a, _ in rows], name="wants"),
                        pd.Series([b for _, b in rows], name="got"))
    return table.reindex(index=["a table", "no table"], columns=list(OUTCOMES), fill_value=0)


def misses(report: dict, other: dict, other_name: str) -> pd.DataFrame:
    """Prompts that scored below 1, with what `other` (same prompts) answered for each."""
    rows = []
    for mine, theirs in zip(report["per_prompt"], other["per_prompt"], strict=True):
        if mine["f1"] < 1:
            rows.append({"prompt": mine["prompt"],
                         "expected": " or ".join(a or "no table" for a in expected(mine)),
                         "answered": closest_domain(mine["predicted"]) or "no table",
                         "F1": round(mine["f1"], 2),
                         other_name: closest_domain(theirs["predicted"]) or "no table",
                         f"{other_name} F1": round(theirs["f1"], 2)})
    return pd.DataFrame(rows)


def per_kind(reports: Mapping[str, dict]) -> pd.DataFrame:
    """Mean F1 per kind of text (rows) for each system's real_report (columns)."""
    return pd.DataFrame({name: pd.DataFrame(r["per_prompt"]).groupby("kind")["f1"].mean()
                         for name, r in reports.items()})


def read_json(name: str) -> dict:
    """One of the study files in data/ (ablation.json, real_ablation.json, joint_cost.json)."""
    return json.loads(data_file(name).read_text(encoding="utf-8"))


def recorded_runs() -> pd.DataFrame:
    """How many scorings of each test set the study files in data/ record (models and
    baselines), per file: the part of each set's history that can be counted."""
    ablation, real, joint = (read_json(f) for f in ("ablation.json", "real_ablation.json",
                                                    "joint_cost.json"))
    counts = {
        "data/ablation.json": {"held-out": len(ablation["runs"])},
        "data/real_ablation.json": {
            s: len(real["runs"]) + len(real["baselines"])
            for s in ("held-out", "fresh", "real test half")},
        "data/joint_cost.json": {"held-out": len(joint["runs"]), "fresh": len(joint["runs"])},
    }
    table = pd.DataFrame(counts).T.reindex(columns=list(TEST_SETS)).fillna(0).astype(int)
    table.loc["total"] = table.sum()
    return table


# Every model the project's history scored, each with one name. A recipe is trained with
# three seeds (mean shown); a model is one seed's checkpoint.
MODELS: dict[str, str] = {
    "M1": "notebook 04 as first written",
    "M2": "M1 + the fixes after the first evaluation (contexts, 150 pairs per domain, AdamW, "
          "96 tokens, completion)",
    "M3": "M2 + the recipe for real phrasings (vocabulary, new shapes, off-topic refusals, "
          "folded trigrams, threshold from the dev half)",
    "M3 seed 0": "the model shipped before notebook 10",
    "M3 again": "M3's recipe retrained later, for data/joint_cost.json (the table head alone)",
    "M4": "M3 + notebook 10's tagged prompts, trained jointly with the tag head (today's recipe)",
    "M4 seed 0": "the shipped model (data/schema_predictor.safetensors)",
}


def model_history() -> pd.DataFrame:
    """Macro F1 of each named model (MODELS) on held-out, fresh and the real test half, as
    recorded in data/ablation.json, data/real_ablation.json and data/joint_cost.json."""
    ablation, real, joint = (read_json(f) for f in ("ablation.json", "real_ablation.json",
                                                    "joint_cost.json"))
    a = {s["variant"]: s for s in ablation["summary"]}
    r = {s["variant"]: s for s in real["summary"]}
    j = {s["recipe"]: s for s in joint["summary"]}

    def real_row(s: dict, suffix: str = "_mean") -> dict:
        return {"held-out": s["heldout_macro_f1" + suffix], "fresh": s["fresh_macro_f1" + suffix],
                "real test half": s["test_macro_f1" + suffix]}

    def joint_row(s: dict, suffix: str = "_mean") -> dict:
        return {"held-out": s["heldout_macro_f1" + suffix], "fresh": s["fresh_macro_f1" + suffix]}

    def seed0(runs: list[dict], key: str, name: str) -> dict:
        return next(x for x in runs if x[key] == name and x["seed"] == 0)

    rows = {
        "M1": ({"held-out": a["recipe of notebook 04 before evaluation"]["macro_f1_mean"]},
               "ablation.json", "3 seeds"),
        "M2": (real_row(r["recipe before real phrasings"]), "real_ablation.json", "3 seeds"),
        "M3": (real_row(r["shipped recipe"]), "real_ablation.json", "3 seeds"),
        "M3 seed 0": (real_row(seed0(real["runs"], "variant", "shipped recipe"), ""),
                      "real_ablation.json", "seed 0"),
        "M3 again": (joint_row(j["table head only"]), "joint_cost.json", "3 seeds"),
        "M4": (joint_row(j["joint"]), "joint_cost.json", "3 seeds"),
        "M4 seed 0": (joint_row(seed0(joint["runs"], "recipe", "joint"), ""),
                      "joint_cost.json", "seed 0"),
    }
    table = pd.DataFrame({name: {"model": MODELS[name], **scores, "from": f"data/{source}",
                                 "runs": runs} for name, (scores, source, runs) in rows.items()}).T
    figures = ["held-out", "fresh", "real test half"]
    table[figures] = table[figures].astype(float)
    return table[["model", *figures, "runs", "from"]]


def threshold_curve(probabilities: Mapping[str, dict[str, float]],
                    sets: Mapping[str, Sequence[tuple[str, str | None]]],
                    thresholds: Sequence[float] | None = None) -> pd.DataFrame:
    """Per threshold (rows), for each held-out-style set, the macro F1 of its requests and the
    share of its other prompts refused ("<set> macro F1", "<set> refused"), from probabilities
    already computed for every prompt of the sets."""
    from helpers.predict import columns_from_proba  # imported here: the rest needs no torch

    thresholds = [round(0.05 * i, 2) for i in range(1, 20)] if thresholds is None else thresholds
    columns = {}
    for name, prompts in sets.items():
        missing = [p for p, _ in prompts if p not in probabilities]
        if missing:
            raise ValueError(f"{name}: no probabilities for {len(missing)} prompts, "
                             f"such as {missing[0]!r}")
        reports = [heldout_report(lambda p, t=t: columns_from_proba(probabilities[p], t), prompts)
                   for t in thresholds]
        columns[f"{name} macro F1"] = [r["macro_f1"] for r in reports]
        columns[f"{name} refused"] = [r["rejected"] / r["non_dataset"] for r in reports]
    return pd.DataFrame(columns, index=pd.Index(thresholds, name="threshold"))
