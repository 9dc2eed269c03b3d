"""Train the schema predictor with one ingredient taken out at a time; score each on held-out.

    python scripts/ablation.py                 # every variant, seeds 0-2, 2 workers
    python scripts/ablation.py --workers 8 --seeds 0 1 2 3 4

Writes data/ablation.json, which notebook 07 reads and plots (training 3 x 8 models there
would take minutes). Each variant differs from the shipped recipe in one place only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name -> (what changed, overrides of training_pairs / TrainConfig / ModelConfig)
VARIANTS: dict[str, tuple[str, dict]] = {
    "shipped recipe": ("all ingredients", {}),
    "recipe of notebook 04 before evaluation": (
        "60 pairs per domain, no contexts, plain Adam, 64 tokens",
        {"pairs": {"per_domain": 60, "context_rate": 0}, "train": {"weight_decay": 0.0},
         "model": {"max_len": 64}}),
    "no contexts": ("no purpose or persona around the request", {"pairs": {"context_rate": 0}}),
    "60 pairs per domain": ("60 instead of 150 prompts per domain", {"pairs": {"per_domain": 60}}),
    "no weight decay": ("plain Adam instead of AdamW(0.3)", {"train": {"weight_decay": 0.0}}),
    "64 tokens": ("prompts cut at 64 tokens instead of 96", {"model": {"max_len": 64}}),
    "no column mentions": ("no 'with email and phone'", {"pairs": {"mention_rate": 0}}),
    "no typos": ("no misspelt words", {"pairs": {"typo_rate": 0}}),
    "no token dropout": ("no tokens hidden as [UNK]", {"train": {"token_dropout": 0.0}}),
    "words only": ("tokeniser without character trigrams", {"model": {"subwords": False}}),
    "one layer": ("one encoder block instead of two", {"model": {"num_layers": 1}}),
}


def run_one(name: str, overrides: dict, seed: int, threads: int) -> dict:
    """Train one variant with one seed and score it on the held-out prompts."""
    import torch

    torch.set_num_threads(threads)
    from helpers.metrics import heldout_report
    from helpers.pairs import training_pairs
    from helpers.predict import predict_columns
    from helpers.training import TrainConfig, train_schema_predictor

    start = time.perf_counter()
    pairs = training_pairs(seed, **overrides.get("pairs", {}))
    cfg = TrainConfig(seed=seed, progress=False, **overrides.get("train", {}))
    result = train_schema_predictor(pairs, cfg, device="cpu", **overrides.get("model", {}))
    report = heldout_report(lambda p: predict_columns(p, model=result))
    raw = heldout_report(lambda p: predict_columns(p, model=result, complete=False))
    return {"variant": name, "seed": seed, "macro_f1": report["macro_f1"],
            "macro_f1_raw": raw["macro_f1"],
            "rejected": report["rejected"], "non_dataset": report["non_dataset"],
            "seconds": time.perf_counter() - start}


def summarise(runs: list[dict]) -> list[dict]:
    """Mean, min and max macro F1 and rejections per variant, in VARIANTS order."""
    rows = []
    for name, (change, _) in VARIANTS.items():
        mine = [r for r in runs if r["variant"] == name]
        if not mine:
            continue
        f1s = [r["macro_f1"] for r in mine]
        raw = [r["macro_f1_raw"] for r in mine]
        rows.append({"variant": name, "change": change, "seeds": len(mine),
                     "macro_f1_mean": statistics.mean(f1s), "macro_f1_min": min(f1s),
                     "macro_f1_max": max(f1s), "macro_f1_raw_mean": statistics.mean(raw),
                     "rejected_mean": statistics.mean(r["rejected"] for r in mine),
                     "non_dataset": mine[0]["non_dataset"]})
    return rows


def torch_version() -> str:
    import torch

    return torch.__version__


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    parser.add_argument("--only", nargs="+", help="a subset of variants")
    parser.add_argument("--extra", type=json.loads, default={},
                        help='more variants to try: \'{"name": {"model": {"embed_dim": 96}}}\'')
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "ablation.json")
    args = parser.parse_args()
    VARIANTS.update({name: (json.dumps(o), o) for name, o in args.extra.items()})
    names = args.only or list(VARIANTS)
    jobs = [(n, VARIANTS[n][1], s) for n in names for s in args.seeds]
    threads = max(1, (os.cpu_count() or 2) // args.workers)
    start = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        futures = [pool.submit(run_one, n, o, s, threads) for n, o, s in jobs]
        runs = []
        for future in futures:
            runs.append(future.result())
            r = runs[-1]
            print(f"{r['variant']:<40} seed {r['seed']}  macro F1 {r['macro_f1']:.3f} "
                  f"(raw {r['macro_f1_raw']:.3f})  "
                  f"refused {r['rejected']}/{r['non_dataset']}  {r['seconds']:.0f} s", flush=True)
    summary = summarise(runs)
    for row in summary:
        print(f"{row['variant']:<40} {row['macro_f1_mean']:.3f} raw {row['macro_f1_raw_mean']:.3f} "
              f"({row['macro_f1_min']:.3f}-{row['macro_f1_max']:.3f})  "
              f"refused {row['rejected_mean']:.1f}/{row['non_dataset']}")
    args.out.write_text(json.dumps({
        "description": "Written by scripts/ablation.py: held-out macro F1 of the schema "
                       "predictor with one ingredient of the recipe removed, per seed.",
        "seeds": args.seeds, "torch": torch_version(), "cpus": os.cpu_count(),
        "summary": summary, "runs": runs,
        "wall_seconds": round(time.perf_counter() - start),
    }, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
