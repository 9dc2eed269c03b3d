"""Reading the whole prompt with the model: the table from [CLS], everything else from the tags.

    >>> read_prompt("generate 50 German customers").summary()
    'read: 50 rows, de_DE'

The tag head (notebook 10) marks each word; helpers.slots turns the marked words into values.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from helpers.catalog import load_domains
from helpers.checkpoint import TrainedModel
from helpers.predict import columns_from_proba, load_model
from helpers.rule_reader import rule_tags
from helpers.slots import TAGS, PromptReading, read_spans
from helpers.tokenizer import check_prompt, words


@torch.inference_mode()
def proba_and_tags(prompt: str, model: TrainedModel | None = None) -> tuple[dict, list[str]]:
    """Each column's probability and each word's tag, from one forward pass. A model with no
    tag head tags every word O: it reads the table and nothing else."""
    trained = model or load_model()
    check_prompt(prompt)
    ids = trained.encode([prompt])
    n = min(len(words(prompt)), ids.size(1) - 1)  # words past max_len are not seen
    if trained.model.tagger is None:
        logits, tags = trained.model(ids), ["O"] * n
    else:
        logits, tag_logits = trained.model.read(ids)  # (1, columns), (1, seq, tags)
        tags = [TAGS[i] for i in tag_logits[0, 1 : 1 + n].argmax(-1).tolist()]
    probs = logits.sigmoid()[0].tolist()
    return dict(zip(trained.columns.columns, probs, strict=True)), tags


def table_of(columns: list[str]) -> str | None:
    """The catalog table these columns are, or None."""
    return next((d.id for d in load_domains() if list(d.columns) == columns), None)


def read_prompt(prompt: str, model: TrainedModel | None = None, threshold: float | None = None,
                tagger: Callable[[str], list[str]] | None = None) -> PromptReading:
    """What a prompt asks for: the table's columns, row count, locale, columns added and
    dropped, and the words each came from (None or empty where the prompt does not say).

    The table always comes from the model's [CLS]; the word tags from its tag head, or from
    `tagger` when given (notebook 10 compares the two this way).
    """
    trained = model or load_model()
    probs, tags = proba_and_tags(prompt, trained)
    if tagger is not None:
        tags = tagger(prompt)
    table = columns_from_proba(probs, trained.threshold if threshold is None else threshold)
    return read_spans(prompt, tags, table_of(table), table)


def read_by_rules(prompt: str, model: TrainedModel | None = None,
                  threshold: float | None = None) -> PromptReading:
    """read_prompt with the hand-written rules' tags (helpers.rule_reader) instead of the
    tag head's: the baseline of notebook 10."""
    return read_prompt(prompt, model, threshold, tagger=rule_tags)
