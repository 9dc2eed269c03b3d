"""From a prompt to column probabilities and columns, with a trained model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import torch

from helpers.catalog import RealPrompt, catalog_order, complete_table
from helpers.checkpoint import TrainedModel, load_checkpoint
from helpers.metrics import middle_of_plateau, real_report
from helpers.tokenizer import check_prompt, tokenize

MIN_COLUMNS = 3  # every catalog table has 4+; one or two confident columns is a shrug, not a table

_shipped: TrainedModel | None = None


def load_model(path: Path | str | None = None, device: str | None = None) -> TrainedModel:
    """Load a checkpoint (default: the shipped one, loaded once and then reused)."""
    global _shipped
    if path is not None:
        return load_checkpoint(path, device)
    if _shipped is None or (device and _shipped.device != torch.device(device)):
        _shipped = load_checkpoint(None, device)
    return _shipped


@torch.inference_mode()  # no_grad, and no version counters either: a little faster
def predict_proba(prompt: str, model: TrainedModel | None = None) -> dict[str, float]:
    """Probability of every column the model knows, for one prompt."""
    trained = model or load_model()
    check_prompt(prompt)
    probs = trained.model(trained.encode([prompt])).sigmoid()[0]  # (num_columns,)
    return dict(zip(trained.columns.columns, probs.tolist(), strict=True))


def predict_columns(
    prompt: str,
    threshold: float | None = None,
    model: TrainedModel | None = None,
    complete: bool = True,
) -> list[str]:
    """Columns at or above `threshold` (None: the checkpoint's), in catalog order.

    Returns [] when fewer than MIN_COLUMNS pass: the prompt is not a dataset request
    the model recognises. With `complete`, columns that are mostly one catalog table become
    that whole table (catalog.complete_table); complete=False shows the raw threshold.
    """
    trained = model or load_model()
    threshold = trained.threshold if threshold is None else threshold
    return columns_from_proba(predict_proba(prompt, trained), threshold, complete)


def columns_from_proba(
    proba: dict[str, float], threshold: float, complete: bool = True
) -> list[str]:
    """The decision rule of predict_columns, on probabilities already computed (so a threshold
    sweep needs one forward pass per prompt, not one per threshold)."""
    if not isinstance(threshold, (int, float)) or not 0 < threshold < 1:
        raise ValueError(f"threshold must be a number between 0 and 1, got {threshold!r}")
    chosen = [c for c, p in proba.items() if p >= threshold]
    if len(chosen) < MIN_COLUMNS:
        return []
    return complete_table(catalog_order(chosen)) if complete else catalog_order(chosen)


@torch.no_grad()
def attention_maps(prompt: str, model: TrainedModel | None = None) -> tuple[list[str], list]:
    """The prompt's tokens and each layer's attention weights, (heads, seq, seq) per layer."""
    trained = model or load_model()
    cfg = trained.model.cfg
    # folded: one position per word, shown as the word; appended: every token, trigrams too
    tokens = tokenize(prompt, cfg.max_len, subwords=cfg.subwords and not cfg.folded)
    _, attentions = trained.model.encode(trained.encode([prompt]))
    return tokens, [a[0].cpu() for a in attentions]


def calibrate_threshold(
    prompts: Sequence[RealPrompt], model: TrainedModel | None = None
) -> tuple[float, list[dict]]:
    """The threshold with the best macro F1 on real phrasings, refusals counted, and the sweep.

    Meant for the dev half of data/real_prompts.json: calibrating on the test half would make
    its score a tuned one, so test prompts are refused here.
    """
    if any(p.split == "test" for p in prompts):
        raise ValueError("calibrate on the dev half: no choice is tuned on the test half")
    trained = model or load_model()
    probs = {p.prompt: predict_proba(p.prompt, trained) for p in prompts}  # one pass each
    sweep = []
    for threshold in [round(0.05 * i, 2) for i in range(1, 20)]:
        rep = real_report(lambda q, t=threshold: columns_from_proba(probs[q], t), prompts)
        sweep.append({"threshold": threshold, "macro_f1": rep["macro_f1"],
                      "in_domain_f1": rep["in_domain_f1"], "refused": rep["refused"]})
    return middle_of_plateau(sweep, "macro_f1"), sweep  # the rule of choose_threshold
