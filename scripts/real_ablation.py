"""What each ingredient of the real-phrasing recipe is worth, on the test half, once.

    python scripts/real_ablation.py            # every variant, seeds 0-2 (about 25 minutes)

Trains the shipped recipe and variants with one ingredient taken out, three seeds each,
calibrates each model's threshold on the dev half of data/real_prompts.json (as notebook 04
does), and scores it on the test half, data/heldout.json and data/fresh_prompts.json. Writes
data/real_ablation.json, which notebook 07 reads. Run it after the recipe is chosen: the test
half is the score of record, so nothing may be tuned on these figures.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import helpers

ROOT = Path(__file__).resolve().parents[1]
OLD = helpers.BEFORE_REAL_PHRASINGS

# name -> (what changed, overrides of training_pairs / ModelConfig, calibrate on dev?)
VARIANTS: dict[str, tuple[str, dict, bool]] = {
    "shipped recipe": ("all ingredients", {}, True),
    "threshold from validation": ("threshold chosen on synthetic validation, not the dev half",
                                  {}, False),
    "no vocabulary": ("each domain's phrases only, not its vocabulary",
                      {"pairs": {"vocabulary_rate": 0}}, True),
    "no new shapes": ("plain requests only: no titles, descriptions, tickets, second sentences",
                      {"pairs": {"title_rate": 0, "description_rate": 0, "issue_rate": 0,
                                 "sentence_rate": 0}}, True),
    "no off-topic refusals": ("no requests for subjects outside the catalog, nor for text",
                              {"pairs": {"per_off_topic": 0, "per_not_table": 0}}, True),
    "appended trigrams": ("trigrams appended as tokens (96 at most) instead of folded",
                          {"model": {"folded": False}}, True),
    "recipe before real phrasings": ("all five taken out: the recipe of notebooks 04-07 before",
                                     {"pairs": OLD, "model": {"folded": False}}, False),
}


def scores(predict, real: list, heldout: list, fresh: list) -> dict:
    """The figures of one model (or baseline) on the test half, held-out and fresh sets."""
    test = helpers.real_report(predict, real)
    return {"test_macro_f1": test["macro_f1"], "test_in_domain_f1": test["in_domain_f1"],
            "test_refused": test["refused"],
            "heldout_macro_f1": helpers.heldout_report(predict, heldout)["macro_f1"],
            "fresh_macro_f1": helpers.heldout_report(predict, fresh)["macro_f1"]}


def run_one(name: str, overrides: dict, calibrate: bool, seed: int, sets: tuple) -> dict:
    """Train one variant with one seed; calibrate on dev when asked; score it."""
    start = time.perf_counter()
    pairs = helpers.training_pairs(seed, **overrides.get("pairs", {}))
    result = helpers.train_schema_predictor(pairs, helpers.TrainConfig(seed=seed, progress=False),
                                            device="cpu", **overrides.get("model", {}))
    if calibrate:
        result.threshold, _ = helpers.calibrate_threshold(helpers.load_real_prompts("dev"), result)
    row = scores(lambda p: helpers.predict_columns(p, model=result), *sets)
    return {"variant": name, "seed": seed, "threshold": result.threshold, **row,
            "train_seconds": round(result.seconds, 1), "seconds": time.perf_counter() - start}


def summarise(runs: list[dict]) -> list[dict]:
    """Mean, min and max of every figure, per variant."""
    out = []
    for name, (changed, _, _) in VARIANTS.items():
        mine = [r for r in runs if r["variant"] == name]
        out.append({"variant": name, "changed": changed, "seeds": len(mine),
                    **helpers.seed_spread(mine, ("test_macro_f1", "test_in_domain_f1",
                                                 "test_refused", "heldout_macro_f1",
                                                 "fresh_macro_f1", "train_seconds"))})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "real_ablation.json")
    args = parser.parse_args()
    sets = (helpers.load_real_prompts("test"), helpers.load_heldout(),
            helpers.load_heldout(helpers.data_file("fresh_prompts.json")))
    baselines = {}
    pairs = helpers.training_pairs(0)
    for b in (helpers.KeywordBaseline(), helpers.TfidfBaseline("word"),
              helpers.TfidfBaseline("char_wb")):
        baselines[b.name] = scores(b.fit(pairs).predict_columns, *sets)
    runs = []
    for name, (_, overrides, calibrate) in VARIANTS.items():
        for seed in args.seeds:
            runs.append(run_one(name, overrides, calibrate, seed, sets))
            r = runs[-1]
            print(f"{name:30} seed {seed}  test {r['test_macro_f1']:.3f}  heldout "
                  f"{r['heldout_macro_f1']:.3f}  fresh {r['fresh_macro_f1']:.3f}  "
                  f"train {r['train_seconds']:.0f} s", flush=True)
    doc = {"description": __doc__.strip().splitlines()[0], "seeds": args.seeds,
           "baselines": baselines, "summary": summarise(runs), "runs": runs}
    args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
