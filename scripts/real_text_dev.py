"""Choosing a recipe for real text (#24) on development data only: never a test set.

    python scripts/real_text_dev.py --wide 64 --real 1 --seeds 0 1 2
    python scripts/real_text_dev.py --baselines --real 1

Two development sets: the dev half of data/real_prompts.json (115 prompts), and "real-val", the
texts of data/real_texts.json whose repository hashes to 0 mod 7 (held out of training here, so
no repository is both trained on and scored). Trains on the templates, notebook 10's tagged
pairs and the other real texts (--real times each, 0: none), calibrates the threshold on the
dev half as `make checkpoints` does, and prints macro F1 (refusals counted), in-domain F1 and
the share of no-table texts refused on both sets, and held-out F1 as a check. The frozen test
sets (data/real_test.json, the test half of data/real_prompts.json) are never read here.
"""

from __future__ import annotations

import argparse
import json
import zlib

import helpers
from helpers.real_texts import RealText, load_real_texts, real_pairs, repository


def dev_split(texts: list[RealText]) -> tuple[list[RealText], list[RealText]]:
    """(train, real-val): real-val is every text whose repository's crc32 is 0 mod 7."""
    held = [zlib.crc32(repository(t.source).encode()) % 7 == 0 for t in texts]
    return ([t for t, h in zip(texts, held, strict=True) if not h],
            [t for t, h in zip(texts, held, strict=True) if h])


def report(predict, dev: list, val: list) -> str:
    """One line of figures for a prompt -> columns function."""
    d, v = helpers.real_report(predict, dev), helpers.real_report(predict, val)
    h = helpers.heldout_report(predict)
    return (f"dev {d['macro_f1']:.3f} (in-domain {d['in_domain_f1']:.3f}, refused "
            f"{d['refused']:.2f})  real-val {v['macro_f1']:.3f} (in-domain "
            f"{v['in_domain_f1']:.3f}, refused {v['refused']:.2f})  held-out "
            f"{h['macro_f1']:.3f} ({h['rejected']}/{h['non_dataset']} refused)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--wide", type=int, default=0, help="width of the wide path (0: none)")
    parser.add_argument("--real", type=int, default=1, help="copies of the real texts (0: none)")
    parser.add_argument("--baselines", action="store_true", help="fit the baselines instead")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    parser.add_argument("--train", default="{}", help='TrainConfig overrides: {"epochs": 25}')
    parser.add_argument("--snap", action="store_true",
                        help="also decode by the best whole table (mean column probability)")
    args = parser.parse_args()
    train_texts, val_texts = dev_split(load_real_texts("train"))
    dev = helpers.load_real_prompts("dev")
    val = [t.as_real_prompt() for t in val_texts]
    for seed in args.seeds:
        pairs = (helpers.training_pairs(seed) + helpers.tagged_pairs(seed)
                 + real_pairs(train_texts) * args.real)
        if args.baselines:
            for b in (helpers.KeywordBaseline(), helpers.TfidfBaseline("word"),
                      helpers.TfidfBaseline("char_wb")):
                b.fit([p[:2] for p in pairs])
                print(f"seed {seed} real x{args.real} {b.name:30} "
                      f"{report(b.predict_columns, dev, val)}", flush=True)
            continue
        result = helpers.train_schema_predictor(
            pairs, helpers.TrainConfig(seed=seed, progress=False, **json.loads(args.train)),
            device=args.device, wide=args.wide)
        result.threshold, _ = helpers.calibrate_threshold(dev, result)
        predict = lambda p, r=result: helpers.predict_columns(p, model=r)  # noqa: E731
        print(f"seed {seed} real x{args.real} wide {args.wide} {args.train} threshold "
              f"{result.threshold} {result.seconds:.0f} s  {report(predict, dev, val)}", flush=True)
        if args.snap:
            print(f"seed {seed} snapped  {snapped(result, dev, val)}", flush=True)


def snapped(result, dev: list, val: list) -> str:
    """The figures of snap decoding, its threshold calibrated on the dev half."""
    prompts = [p.prompt for p in [*dev, *val]] + [p for p, _ in helpers.load_heldout()]
    probs = {p: helpers.predict_proba(p, result) for p in prompts}
    sweep = [round(0.05 * i, 2) for i in range(1, 20)]
    cut = max(sweep, key=lambda t: helpers.real_report(lambda q: snap(probs[q], t),
                                                       dev)["macro_f1"])
    return f"threshold {cut}  {report(lambda q: snap(probs[q], cut), dev, val)}"


def snap(proba: dict[str, float], threshold: float) -> list[str]:
    """The catalog table whose columns have the highest mean probability, if that mean reaches
    `threshold`; else no table."""
    best = max(helpers.load_domains(),
               key=lambda d: sum(proba[c] for c in d.columns) / len(d.columns))
    mean = sum(proba[c] for c in best.columns) / len(best.columns)
    return list(best.columns) if mean >= threshold else []


if __name__ == "__main__":
    main()
