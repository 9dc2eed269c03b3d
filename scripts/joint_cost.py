"""What the tag head's training costs the table head: held-out and fresh F1 over three seeds.

    python scripts/joint_cost.py            # 2 recipes x seeds 0-2 (about 7 minutes)

Trains two recipes per seed, calibrates each threshold on the dev half of
data/real_prompts.json (as `make checkpoints` does) and scores column macro F1 on
data/heldout.json, data/fresh_prompts.json and that dev half:

- "table head only": training_pairs(seed), the recipe before notebook 10;
- "joint": training_pairs(seed) + tagged_pairs(seed), both heads (the shipped recipe).

On the 43 fresh requests one prompt is worth about 2 points and the figure moves by several
from seed to seed, so the cost is read from the means. Writes data/joint_cost.json. Nothing
is tuned on these figures.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import helpers

ROOT = Path(__file__).resolve().parents[1]
RECIPES = {
    "table head only": lambda seed: helpers.training_pairs(seed),
    "joint": lambda seed: helpers.training_pairs(seed) + helpers.tagged_pairs(seed),
}
FIGURES = ("heldout_macro_f1", "fresh_macro_f1", "real_dev_macro_f1")


def run_one(recipe: str, seed: int) -> dict:
    """Train one recipe with one seed, calibrate on the dev half, score it."""
    start = time.perf_counter()
    dev = helpers.load_real_prompts("dev")
    result = helpers.train_schema_predictor(RECIPES[recipe](seed),
                                            helpers.TrainConfig(seed=seed, progress=False),
                                            device="cpu")
    result.threshold, _ = helpers.calibrate_threshold(dev, result)

    def predict(prompt: str) -> list[str]:
        return helpers.predict_columns(prompt, model=result)

    fresh = helpers.load_heldout(helpers.data_file("fresh_prompts.json"))
    return {"recipe": recipe, "seed": seed, "threshold": result.threshold,
            "heldout_macro_f1": helpers.heldout_report(predict)["macro_f1"],
            "fresh_macro_f1": helpers.heldout_report(predict, fresh)["macro_f1"],
            "real_dev_macro_f1": helpers.real_report(predict, dev)["macro_f1"],
            "train_seconds": round(result.seconds, 1),
            "seconds": round(time.perf_counter() - start, 1)}


def summarise(runs: list[dict]) -> list[dict]:
    """Mean, min and max of each figure, per recipe."""
    out = []
    for recipe in RECIPES:
        mine = [r for r in runs if r["recipe"] == recipe]
        out.append({"recipe": recipe, "seeds": len(mine), **helpers.seed_spread(mine, FIGURES)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "joint_cost.json")
    args = parser.parse_args()
    runs = []
    for seed in args.seeds:
        for recipe in RECIPES:
            runs.append(run_one(recipe, seed))
            r = runs[-1]
            print(f"{recipe:16} seed {seed}  held-out {r['heldout_macro_f1']:.3f}  fresh "
                  f"{r['fresh_macro_f1']:.3f}  real dev {r['real_dev_macro_f1']:.3f}  "
                  f"train {r['train_seconds']:.0f} s", flush=True)
    doc = {"description": __doc__.strip().splitlines()[0], "seeds": args.seeds,
           "summary": summarise(runs), "runs": runs}
    args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
