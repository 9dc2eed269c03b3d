"""Scoring predicted columns against expected ones. Plain Python, shared by every model."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence

from helpers.catalog import RealPrompt, jaccard, load_catalog, load_heldout


def precision_recall_f1(predicted: Iterable[str], expected: Iterable[str]) -> tuple[float, ...]:
    """Precision, recall and F1 of one prediction. Predicting nothing when nothing is expected
    scores 1.0 on all three; any mismatch with an empty side scores 0.0."""
    pred, exp = set(predicted), set(expected)
    if not pred and not exp:
        return 1.0, 1.0, 1.0
    hits = len(pred & exp)
    precision = hits / len(pred) if pred else 0.0
    recall = hits / len(exp) if exp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def f1_score(predicted: Iterable[str], expected: Iterable[str]) -> float:
    """F1 of one prediction (see precision_recall_f1)."""
    return precision_recall_f1(predicted, expected)[2]


def macro_f1(predictions: Sequence[Iterable[str]], expectations: Sequence[Iterable[str]]) -> float:
    """Mean of per-prompt F1."""
    if len(predictions) != len(expectations) or not predictions:
        raise ValueError("need equally many predictions and expectations, at least one")
    scores = [f1_score(p, e) for p, e in zip(predictions, expectations, strict=True)]
    return sum(scores) / len(scores)


def heldout_report(
    predict: Callable[[str], list[str]], prompts: Sequence[tuple[str, str | None]] | None = None
) -> dict:
    """Score a prompt -> columns function on the hand-written held-out prompts (or on other
    (prompt, domain or None) pairs, such as a perturbed or a fresh set).

    macro_f1 is over dataset requests (columns against the expected domain's catalog columns);
    rejected counts the non-dataset prompts answered with [].
    """
    catalog = load_catalog()
    rows = [(p, d, predict(p)) for p, d in (load_heldout() if prompts is None else prompts)]
    requests = [(p, d, cols) for p, d, cols in rows if d is not None]
    refusals = [cols for _, d, cols in rows if d is None]
    return {
        "macro_f1": macro_f1([c for *_, c in requests], [catalog[d] for _, d, _ in requests]),
        "requests": len(requests),
        "rejected": sum(not cols for cols in refusals),
        "non_dataset": len(refusals),
        "per_prompt": [
            {"prompt": p, "domain": d, "predicted": c, "f1": f1_score(c, catalog[d] if d else [])}
            for p, d, c in rows
        ],
    }


def best_f1(predicted: Iterable[str], answers: Sequence[str | None]) -> float:
    """F1 against the closest of several acceptable answers (a domain id, or None: refuse)."""
    catalog = load_catalog()
    predicted = list(predicted)
    return max(f1_score(predicted, catalog[a] if a else []) for a in answers)


def real_report(predict: Callable[[str], list[str]], prompts: Sequence[RealPrompt]) -> dict:
    """Score a prompt -> columns function on real phrasings (see catalog.load_real_prompts).

    macro_f1 is over every prompt, a refusal scoring 1 where refusing is right and 0 elsewhere;
    in_domain_f1 is over the prompts that ask for a catalog table; refused is the share of the
    prompts that no table fits which got no table.
    """
    if not prompts:
        raise ValueError("need at least one prompt to score")
    rows = [{"prompt": p.prompt, "answers": p.answers, "kind": p.kind,
             "predicted": (cols := predict(p.prompt)), "f1": best_f1(cols, p.answers)}
            for p in prompts]
    in_domain = [r["f1"] for r in rows if r["answers"][0] is not None]
    no_table = [not r["predicted"] for r in rows if r["answers"][0] is None]
    return {
        "macro_f1": sum(r["f1"] for r in rows) / len(rows),
        "in_domain_f1": sum(in_domain) / len(in_domain) if in_domain else float("nan"),
        "refused": sum(no_table) / len(no_table) if no_table else float("nan"),
        "per_prompt": rows,
    }


def middle_of_plateau(sweep: Sequence[dict], key: str, tolerance: float = 0.005) -> float:
    """The middle threshold among those scoring within `tolerance` of the best `key`: where a
    score is flat, the choice least sensitive to prompts unlike the ones swept."""
    best = max(s[key] for s in sweep)
    plateau = [s["threshold"] for s in sweep if s[key] >= best - tolerance]
    return plateau[len(plateau) // 2]


def micro_precision_recall_f1(
    predictions: Sequence[Iterable[str]], expectations: Sequence[Iterable[str]]
) -> tuple[float, float, float]:
    """Precision, recall and F1 over all columns of all prompts pooled together."""
    hits = predicted = expected = 0
    for p, e in zip(predictions, expectations, strict=True):
        p, e = set(p), set(e)
        hits, predicted, expected = hits + len(p & e), predicted + len(p), expected + len(e)
    precision = hits / predicted if predicted else 0.0
    recall = hits / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def exact_match_rate(
    predictions: Sequence[Iterable[str]], expectations: Sequence[Iterable[str]]
) -> float:
    """Share of prompts whose predicted column set is exactly the expected one."""
    pairs = list(zip(predictions, expectations, strict=True))
    return sum(set(p) == set(e) for p, e in pairs) / len(pairs)


def closest_domain(columns: Iterable[str]) -> str | None:
    """The catalog domain whose columns best match (Jaccard); None for no columns."""
    chosen = set(columns)
    if not chosen:
        return None
    catalog = load_catalog()
    return max(catalog, key=lambda d: jaccard(chosen, catalog[d]))


def seed_spread(runs: Sequence[dict], keys: Iterable[str]) -> dict:
    """Mean, min and max of each key over runs (one per seed): {key_mean, key_min, key_max}."""
    out = {}
    for key in keys:
        values = [r[key] for r in runs]
        if not values:
            raise ValueError(f"no runs to summarise for {key!r}")
        out |= {f"{key}_mean": statistics.mean(values), f"{key}_min": min(values),
                f"{key}_max": max(values)}
    return out
