"""The domain catalog, prompt templates and held-out prompts stored as JSON in data/.

Pure Python: both the model side and the generation side read the catalog.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from helpers.paths import data_file

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
MIN_COLUMNS, MAX_COLUMNS, MIN_PHRASES = 4, 10, 5


class CatalogError(ValueError):
    """A data file is missing a field or holds a value of the wrong shape."""


@dataclass(frozen=True)
class Domain:
    """One kind of table: its id, its columns in order, the phrases people use to name it, and
    its vocabulary: more words people use for this kind of data ("baseball", "nasdaq")."""

    id: str
    columns: tuple[str, ...]
    phrases: tuple[str, ...]
    vocabulary: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        """Phrases, then vocabulary: everything that names this domain."""
        return self.phrases + self.vocabulary


def read_json(path: Path) -> Any:
    """Parse a JSON file, naming the file (and line) in any error."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: file not found") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise CatalogError(f"{path}: not valid JSON (line {e.lineno}: {e.msg})") from None


def parse_domain(entry: Any, where: str) -> Domain:
    """Validate one catalog entry; `where` names it in error messages."""
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: expected an object with id, columns and phrases")
    missing = [key for key in ("id", "columns", "phrases") if key not in entry]
    if missing:
        raise CatalogError(f"{where}: missing {', '.join(missing)}")
    domain_id, columns, phrases = entry["id"], entry["columns"], entry["phrases"]
    if not isinstance(domain_id, str) or not SNAKE_CASE.match(domain_id):
        raise CatalogError(f"{where}: id {domain_id!r} is not a snake_case string")
    where = f"{where} ({domain_id!r})"
    if not isinstance(columns, list) or not MIN_COLUMNS <= len(columns) <= MAX_COLUMNS:
        raise CatalogError(f"{where}: needs a list of {MIN_COLUMNS} to {MAX_COLUMNS} columns")
    for column in columns:
        if not isinstance(column, str) or not SNAKE_CASE.match(column):
            raise CatalogError(f"{where}: column {column!r} is not snake_case")
    if len(set(columns)) != len(columns):
        raise CatalogError(f"{where}: a column is listed twice")
    if not isinstance(phrases, list) or len(phrases) < MIN_PHRASES:
        raise CatalogError(f"{where}: needs a list of at least {MIN_PHRASES} phrases")
    vocabulary = entry.get("vocabulary", [])
    if not isinstance(vocabulary, list):
        raise CatalogError(f"{where}: vocabulary must be a list of strings")
    if not all(isinstance(p, str) and p.strip() for p in [*phrases, *vocabulary]):
        raise CatalogError(f"{where}: every phrase must be a non-empty string")
    return Domain(domain_id, tuple(columns), tuple(p.strip().lower() for p in phrases),
                  tuple(p.strip().lower() for p in vocabulary))


def parse_catalog(raw: Any, path: Path | str = "catalog.json") -> list[Domain]:
    """Validate a parsed catalog document and return its domains in order."""
    if not isinstance(raw, dict) or not isinstance(raw.get("domains"), list):
        raise CatalogError(f"{path}: expected an object with a 'domains' list")
    domains = [parse_domain(e, f"{path}: domain #{i}") for i, e in enumerate(raw["domains"])]
    seen: set[str] = set()
    for i, domain in enumerate(domains):
        if domain.id in seen:
            raise CatalogError(f"{path}: domain #{i}: id {domain.id!r} appears twice")
        seen.add(domain.id)
    return domains


@lru_cache(maxsize=8)
def _domains_at(path: Path) -> tuple[Domain, ...]:
    return tuple(parse_catalog(read_json(path), path))


def load_domains(path: Path | str | None = None) -> list[Domain]:
    """All domains of the catalog (data/catalog.json unless `path` is given), in order."""
    return list(_domains_at(Path(path) if path else data_file("catalog.json")))


def load_catalog(path: Path | str | None = None) -> dict[str, list[str]]:
    """Domain id -> its columns, in catalog order."""
    return {d.id: list(d.columns) for d in load_domains(path)}


def load_heldout(path: Path | str | None = None) -> list[tuple[str, str | None]]:
    """The hand-written held-out prompts: (prompt, domain id or None for a non-dataset prompt)."""
    path = Path(path) if path else data_file("heldout.json")
    raw = read_json(path)
    known = set(load_catalog())
    items = []
    for i, entry in enumerate(raw.get("prompts", []) if isinstance(raw, dict) else []):
        if not isinstance(entry, dict) or not isinstance(entry.get("prompt"), str):
            raise CatalogError(f"{path}: prompt #{i}: expected {{'prompt': str, 'domain': id}}")
        domain = entry.get("domain")
        if domain is not None and domain not in known:
            raise CatalogError(f"{path}: prompt #{i}: unknown domain {domain!r}")
        items.append((entry["prompt"], domain))
    if not items:
        raise CatalogError(f"{path}: expected an object with a non-empty 'prompts' list")
    return items


REAL_KINDS = ("request", "title", "description", "not a table")


@dataclass(frozen=True)
class RealPrompt:
    """A dataset request written by someone else, from public material (data/real_prompts.json).

    answers: the acceptable domain ids, None standing for a refusal; two when it is ambiguous.
    """

    prompt: str
    answers: tuple[str | None, ...]
    kind: str
    source: str
    split: str

    @property
    def domain(self) -> str | None:
        return self.answers[0]


def load_real_prompts(split: str | None = None, path: Path | str | None = None) -> list[RealPrompt]:
    """The real-phrasing set: every row, or one split ("dev" or "test")."""
    if split not in (None, "dev", "test"):
        raise ValueError(f"split must be 'dev', 'test' or None, got {split!r}")
    path = Path(path) if path else data_file("real_prompts.json")
    raw = read_json(path)
    known = set(load_catalog()) | {None}
    rows = []
    for i, e in enumerate(raw.get("prompts", []) if isinstance(raw, dict) else []):
        answers = (e.get("domain"), *((e["also"],) if "also" in e else ()))
        if not isinstance(e.get("prompt"), str) or not set(answers) <= known:
            raise CatalogError(f"{path}: prompt #{i}: needs a prompt and catalog domains, got {e}")
        if e.get("kind") not in REAL_KINDS or e.get("split") not in ("dev", "test"):
            raise CatalogError(f"{path}: prompt #{i}: kind must be one of {REAL_KINDS}, "
                               "split dev or test")
        rows.append(RealPrompt(e["prompt"], answers, e["kind"], e.get("source", ""), e["split"]))
    if not rows:
        raise CatalogError(f"{path}: expected an object with a non-empty 'prompts' list")
    return [r for r in rows if split is None or r.split == split]


@dataclass(frozen=True)
class Templates:
    """Building blocks for synthetic prompts (see data/prompt_templates.json)."""

    verbs: tuple[str, ...]
    nouns: tuple[str, ...]
    templates: tuple[str, ...]
    fillers: tuple[str, ...]
    column_mentions: tuple[str, ...]
    negatives: tuple[str, ...]
    contexts: tuple[str, ...]  # "{prompt} for {purpose}": the situation around a request
    purposes: tuple[str, ...]
    extra_mentions: tuple[str, ...]  # "plus {columns}": columns from another table (notebook 08)
    titles: tuple[str, ...]  # "{phrase} data {years}": how datasets are named in lists
    descriptions: tuple[str, ...]  # "this dataset contains ...": what a README says
    issues: tuple[str, ...]  # "seed database with dummy {phrase}": how a ticket asks
    sentences: tuple[str, ...]  # a second sentence that says nothing about the table
    places: tuple[str, ...]
    off_topics: tuple[str, ...]  # subjects no catalog table fits: requests for them are refused
    not_tables: tuple[str, ...]  # requests for text, images or code, not for a table


def load_templates(path: Path | str | None = None) -> Templates:
    """Read the prompt templates file."""
    path = Path(path) if path else data_file("prompt_templates.json")
    raw = read_json(path)
    fields = Templates.__dataclass_fields__
    if not isinstance(raw, dict):
        raise CatalogError(f"{path}: expected an object with {', '.join(fields)}")
    for key in fields:
        values = raw.get(key)
        if not (isinstance(values, list) and values and all(isinstance(v, str) for v in values)):
            raise CatalogError(f"{path}: '{key}' must be a non-empty list of strings")
    return Templates(**{key: tuple(raw[key]) for key in fields})


def complete_table(columns: list[str], min_overlap: float = 0.5) -> list[str]:
    """The whole catalog table when `columns` are mostly one (Jaccard >= min_overlap), else
    `columns` unchanged: a hospital table missing one column is a worse answer than all of it."""
    chosen = set(columns)
    if not chosen:
        return []
    best = max(load_domains(), key=lambda d: jaccard(chosen, d.columns))
    return list(best.columns) if jaccard(chosen, best.columns) >= min_overlap else list(columns)


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """Shared items over all items of two sets (0.0 for two empty sets)."""
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 0.0


def catalog_order(columns: list[str]) -> list[str]:
    """Columns in the order of the catalog domain they overlap most, extras after in given order.

    Gives predicted tables a natural layout: patient_id, name, date_of_birth, ...
    """
    if not columns:
        return []
    chosen = set(columns)
    best = max(load_domains(), key=lambda d: len(chosen & set(d.columns)) / len(d.columns))
    rank = {c: i for i, c in enumerate(best.columns)}
    return sorted(columns, key=lambda c: (rank.get(c, len(rank)), columns.index(c)))
