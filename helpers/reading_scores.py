"""Scoring readings against data/reading_prompts.json, the hand-written test of notebook 10."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from helpers.catalog import CatalogError, load_catalog, read_json
from helpers.paths import data_file
from helpers.slots import PromptReading

READING_SLOTS = ("rows", "locale", "added", "dropped")


@dataclass(frozen=True)
class ReadingPrompt:
    """One hand-written prompt and what a careful reader takes from it."""

    prompt: str
    table: str | None
    rows: int | None
    locale: str | None
    added: tuple[str, ...]
    dropped: tuple[str, ...]
    split: str = "test"  # dev: watched while developing; test: never tuned on (see notebook 10)

    @property
    def columns(self) -> set[str]:
        """The expected table: the catalog table's columns, minus dropped, plus added."""
        table = load_catalog()[self.table] if self.table else []
        return (set(table) - set(self.dropped)) | set(self.added)


def load_reading_prompts(split: str | None = None, path=None) -> list[ReadingPrompt]:
    """data/reading_prompts.json, checked: one half ("dev" or "test") or both (None)."""
    if split not in (None, "dev", "test"):
        raise ValueError(f"split must be 'dev', 'test' or None, got {split!r}")
    path = path or data_file("reading_prompts.json")
    raw = read_json(path)
    try:
        prompts = [ReadingPrompt(e["prompt"], e["table"], e["rows"], e["locale"],
                                 tuple(e["added"]), tuple(e["dropped"]), e["split"])
                   for e in raw["prompts"]]
    except (KeyError, TypeError) as e:
        raise CatalogError(f"{path}: every prompt needs prompt, table, rows, locale, added, "
                           f"dropped and split ({e})") from None
    return [p for p in prompts if split in (None, p.split)]


def slot_items(reading: PromptReading | ReadingPrompt, slot: str) -> set:
    """A slot as a set of items, so that every slot is scored the same way."""
    value = getattr(reading, slot)
    if slot in ("added", "dropped"):
        return set(value)
    return set() if value is None else {value}


def scores(hits: int, predicted: int, expected: int) -> dict[str, float]:
    """Micro precision, recall and F1 from counts. Unlike metrics.micro_precision_recall_f1, a
    slot with nothing predicted or nothing expected scores 1.0 there: nothing to get wrong."""
    precision = hits / predicted if predicted else 1.0
    recall = hits / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def reading_report(read: Callable[[str], PromptReading],
                   prompts: Sequence[ReadingPrompt]) -> dict:
    """Per slot precision, recall and F1 (items counted over all prompts), the share of
    prompts read exactly (rows, locale and the final column set all right), and each
    prompt's reading for a table of misses."""
    counts = {s: [0, 0, 0] for s in READING_SLOTS}  # true positives, predicted, expected
    exact, rows = 0, []
    for p in prompts:
        r = read(p.prompt)
        for s in READING_SLOTS:
            got, want = slot_items(r, s), slot_items(p, s)
            counts[s][0] += len(got & want)
            counts[s][1] += len(got)
            counts[s][2] += len(want)
        ok = r.rows == p.rows and r.locale == p.locale and set(r.columns) == p.columns
        exact += ok
        rows.append({"prompt": p.prompt, "exact": ok, "read": r.summary(), "table": r.table,
                     "expected": PromptReading(p.prompt, [], p.table, p.rows, p.locale,
                                               list(p.added), list(p.dropped)).summary()})
    slots = {s: scores(*c) for s, c in counts.items()}
    return {"slots": slots, "exact_match": exact / len(prompts), "n": len(prompts),
            "prompts": rows}
