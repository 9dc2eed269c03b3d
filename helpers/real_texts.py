"""Texts real people wrote, labelled by us: training examples beside the templates.

data/real_texts.json holds dataset titles, descriptions and requests for mock data collected from
public repositories (each row keeps its source and licence), with our label: the catalog table
the text asks for, or none. data/real_test.json is a second, frozen set of the same kind from
other repositories, scored once. Requests that name, exclude or count columns also carry the
spans a careful reader marks ("50", "German", "phone number"); they become BIO tags here, so
the tag head of notebook 10 learns from real requests too. No model runs here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from helpers.catalog import REAL_KINDS, CatalogError, RealPrompt, load_catalog, read_json
from helpers.paths import data_file
from helpers.reading_scores import ReadingPrompt
from helpers.slots import SLOTS
from helpers.tokenizer import WORD

REAL_TEXTS = "real_texts.json"  # training texts (and the held-out tagged requests)
REAL_TEST = "real_test.json"  # the frozen test set: other repositories, scored once


@dataclass(frozen=True)
class RealText:
    """One labelled real text; `spans` maps a slot (COL, NOT, ROWS, LOC, ONLY) to its phrases."""

    prompt: str
    answers: tuple[str | None, ...]  # (domain, also...): the first is the label we train on
    kind: str
    source: str
    licence: str
    split: str
    spans: dict[str, list[str]] | None = None
    reading: dict = field(default_factory=dict)  # table, rows, locale, added, dropped

    @property
    def domain(self) -> str | None:
        return self.answers[0]

    def as_real_prompt(self) -> RealPrompt:
        """The same text in the form real_report scores."""
        return RealPrompt(self.prompt, self.answers, self.kind, self.source, self.split)


def _row(e: dict, i: int, path: Path, known: set) -> RealText:
    answers = (e.get("domain"), *((e["also"],) if e.get("also") else ()))
    if not isinstance(e.get("prompt"), str) or not set(answers) <= known:
        raise CatalogError(f"{path}: text #{i}: needs a prompt and catalog domains, got {e}")
    if e.get("kind") not in REAL_KINDS or not e.get("source") or not e.get("licence"):
        raise CatalogError(f"{path}: text #{i}: needs a kind in {REAL_KINDS}, a source and a "
                           "licence")
    spans = e.get("spans")
    if spans is not None and (set(spans) - set(SLOTS)
                              or any(s not in e["prompt"] for v in spans.values() for s in v)):
        raise CatalogError(f"{path}: text #{i}: spans must be slots {SLOTS} with phrases that "
                           f"occur in the prompt, got {spans}")
    reading = {k: e[k] for k in ("table", "rows", "locale", "added", "dropped") if k in e}
    return RealText(e["prompt"], answers, e["kind"], e["source"], e["licence"],
                    e.get("split", "train"), spans, reading)


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[RealText, ...]:
    raw = read_json(path)
    texts = raw.get("texts") if isinstance(raw, dict) else None
    if not isinstance(texts, list) or not texts:
        raise CatalogError(f"{path}: expected an object with a non-empty 'texts' list")
    known = set(load_catalog()) | {None}
    return tuple(_row(e, i, path, known) for i, e in enumerate(texts))


def load_real_texts(split: str | None = None, name: str = REAL_TEXTS) -> list[RealText]:
    """The labelled real texts of data/`name`: every row, or one split ("train" or "test")."""
    return [t for t in _load(data_file(name)) if split is None or t.split == split]


def load_real_test() -> list[RealPrompt]:
    """The frozen test set (data/real_test.json) in the form real_report scores."""
    return [t.as_real_prompt() for t in load_real_texts(name=REAL_TEST)]


def repository(url: str) -> str:
    """owner/name of a GitHub URL, lower-cased: the unit real texts are split and held out by."""
    m = re.match(r"https://github\.com/([^/]+/[^/#?]+)", url)
    return m.group(1).lower() if m else url


def spans_to_tags(prompt: str, spans: dict[str, list[str]]) -> list[str]:
    """One BIO tag per word of tokenizer.words(prompt), from the phrases each slot marks:
    ('50 German users with email', {'ROWS': ['50'], 'LOC': ['German'], 'COL': ['email']})
    -> ['B-ROWS', 'B-LOC', 'O', 'O', 'B-COL']. A phrase is marked where it first occurs as
    whole words; longer phrases first, so 'phone number' wins over 'phone'."""
    lowered = prompt.lower()
    owner: list[tuple[str, int] | None] = [None] * len(prompt)  # each character: (slot, span id)
    phrases = sorted(((p, slot) for slot, ps in spans.items() for p in ps),
                     key=lambda x: -len(x[0]))
    for n, (phrase, slot) in enumerate(phrases):
        start = _whole_words_at(lowered, phrase.lower(), owner)
        if start is not None:
            owner[start : start + len(phrase)] = [(slot, n)] * len(phrase)
    tags, previous = [], None
    for m in WORD.finditer(prompt):
        mine = owner[m.start()]
        continuing = mine is not None and previous == mine
        tags.append("O" if mine is None else f"{'I' if continuing else 'B'}-{mine[0]}")
        previous = mine
    return tags


def _whole_words_at(text: str, phrase: str, owner: list) -> int | None:
    """Where `phrase` first occurs in `text` on word boundaries, over characters not yet owned."""
    at = text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        before = at == 0 or not text[at - 1].isalnum()
        after = end >= len(text) or not text[end].isalnum()
        if before and after and all(o is None for o in owner[at:end]):
            return at
        at = text.find(phrase, at + 1)
    return None


def real_pairs(texts: list[RealText]) -> list[tuple]:
    """Training pairs from real texts: (prompt, the labelled table's columns or []), and a
    third element, the tags, for texts whose spans were marked."""
    catalog = load_catalog()
    out: list[tuple] = []
    for t in texts:
        columns = list(catalog[t.domain]) if t.domain else []
        out.append((t.prompt, columns, spans_to_tags(t.prompt, t.spans)) if t.spans is not None
                   else (t.prompt, columns))
    return out


def real_reading_prompts(split: str = "test") -> list[ReadingPrompt]:
    """The tagged real requests of one split as reading prompts (what a careful reader takes
    from each), for reading_report: the 72 of split "test" are kept out of training."""
    return [ReadingPrompt(t.prompt, t.reading.get("table"), t.reading.get("rows"),
                          t.reading.get("locale"), tuple(t.reading.get("added", ())),
                          tuple(t.reading.get("dropped", ())), split)
            for t in load_real_texts(split) if t.spans is not None]
