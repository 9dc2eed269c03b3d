"""Solutions to the exercises of 04 · The training loop. Try them yourself first."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

import helpers


def compare_token_dropout(epochs: int = 15) -> pd.DataFrame:
    """Exercise 1: held-out quality with and without token dropout, all else equal."""
    rows = []
    for rate in (0.0, 0.2):
        cfg = helpers.TrainConfig(epochs=epochs, token_dropout=rate, progress=False)
        result = helpers.train_schema_predictor(train_cfg=cfg)
        report = helpers.heldout_report(lambda p, r=result: helpers.predict_columns(p, model=r))
        rows.append({"token_dropout": rate, "macro_f1": report["macro_f1"],
                     "refused": report["rejected"]})
    return pd.DataFrame(rows).set_index("token_dropout")


def per_domain_f1(report: dict) -> dict[str, float]:
    """Exercise 2: mean held-out F1 per expected domain (dataset requests only)."""
    scores = defaultdict(list)
    for row in report["per_prompt"]:
        if row["domain"] is not None:
            scores[row["domain"]].append(row["f1"])
    return {d: sum(s) / len(s) for d, s in scores.items()}


def threshold_effect(thresholds=(0.4, 0.7), model=None) -> pd.DataFrame:
    """Exercise 3: held-out F1 and refusals at other thresholds."""
    rows = []
    for t in thresholds:
        report = helpers.heldout_report(lambda p, t=t: helpers.predict_columns(p, t, model))
        rows.append({"threshold": t, "macro_f1": report["macro_f1"], "refused": report["rejected"]})
    return pd.DataFrame(rows).set_index("threshold")


if __name__ == "__main__":
    print(compare_token_dropout())
    weakest = sorted(per_domain_f1(helpers.heldout_report(helpers.predict_columns)).items(),
                     key=lambda kv: kv[1])[:3]
    print("weakest domains:", weakest)
    print(threshold_effect())
