"""The prompt readings the server remembers: a prompt it has seen skips the forward pass, and
the parts of the JSON answer that depend on the prompt alone are written once."""

from __future__ import annotations

import json
from functools import lru_cache

from helpers.api_contract import APIError
from helpers.pipeline import NotADatasetRequest, read_request
from helpers.slots import PromptReading

REMEMBERED = 4096  # prompts whose reading (or refusal) the server keeps

_seen: dict[tuple[str, str], PromptReading | str] = {}  # (prompt, model) -> reading or refusal


def seen(prompt: str, model: str) -> bool:
    """Whether the prompt's reading (or refusal) is remembered: no model runs for it."""
    return (prompt, model) in _seen


def reading_or_refusal(prompt: str, model: str) -> PromptReading:
    """reading_for, or the 400 of a prompt that is not a dataset request; both remembered, in
    a dict the event loop can look into without running the model (at most 4,096 prompts)."""
    key = (prompt, model)
    if key not in _seen:
        try:
            found: PromptReading | str = reading_for(prompt, model)
        except NotADatasetRequest as e:
            found = str(e)
        if len(_seen) >= REMEMBERED:
            _seen.clear()
        _seen[key] = found
    found = _seen[key]
    if isinstance(found, str):
        raise APIError(400, ["body", "prompt"], found, "not_a_dataset_request")
    return found


@lru_cache(maxsize=REMEMBERED)
def reading_for(prompt: str, model: str) -> PromptReading:
    """read_request, remembered: the model does not change while the server runs, so a prompt
    seen before skips the forward pass (a refusal raises, and is not remembered). The decoder
    answers only what the classifier reads as a dataset request: it would otherwise write a
    table for 'data' or a row of digits. Callers must not change what it returns."""
    if model != "classifier":
        reading_for(prompt, "classifier")  # raises NotADatasetRequest where the classifier does
    return read_request(prompt, model=model)


@lru_cache(maxsize=REMEMBERED)
def json_head(prompt: str, model: str) -> tuple[str, str]:
    """The parts of the JSON answer that depend on the prompt alone, as text: '{"prompt": ...,
    "model": ...' and '"columns": [...], "reading": {...}'."""
    reading = reading_or_refusal(prompt, model)
    read = {k: v for k, v in reading.to_dict().items() if k not in ("prompt", "columns")}
    first = json.dumps({"prompt": prompt, "model": model}, ensure_ascii=False)
    second = json.dumps({"columns": list(reading.columns), "reading": read}, ensure_ascii=False)
    return first[:-1], second[1:-1]
