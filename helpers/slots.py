"""From tagged words to a reading: what a prompt says besides which table it wants.

A tagger (the model's second head, or the rules of helpers.rule_reader) marks each word of a
prompt with a BIO tag: B-ROWS starts a row count, I-ROWS continues it, B-COL a column the prompt
names, B-NOT one it excludes, B-LOC a place or language, B-ONLY the word "only"; O is the rest.
This module turns those spans into values: 'two hundred' -> 200, 'Berlin' -> de_DE,
'phone number' -> phone, 'eruption date' -> eruption_date. No model runs here, and no Faker.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from helpers.catalog import load_catalog, read_json
from helpers.pairs import shared_columns
from helpers.paths import data_file
from helpers.tokenizer import WORD, check_prompt

SLOTS = ("COL", "NOT", "ROWS", "LOC", "ONLY")
TAGS = ("O", *(f"{edge}-{slot}" for slot in SLOTS for edge in "BI"))  # 11 tags, O first
_FILLER = {"the", "a", "an", "their", "its", "his", "her", "any", "s", "of", "column", "columns",
           "field", "fields"}  # around a column name, not part of it ("the VIN", "doctor's")
UNITS = ("_c", "_kg", "_kmh", "_mm", "_gb", "_kwh", "_ms", "_hours", "_minutes", "_seconds",
         "_tons", "_hectares")


@dataclass
class PromptReading:
    """Everything read from one prompt: the table's columns and what else the prompt says.

    `evidence` maps each reading to the words of the prompt it came from, so that a notebook or
    the API can show why: {"rows": "two hundred", "locale": "Berlin", "+phone": "phone number"}.
    """

    prompt: str
    columns: list[str]  # the final table: catalog table, minus dropped, plus added ([]: refused)
    # the catalog table it starts from; None: named columns or none (helpers.read_request then
    # names the subject of a table the catalog lacks: 'volcano', 'world', data/generators.json)
    table: str | None = None
    rows: int | None = None
    locale: str | None = None
    added: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)
    tags: list[tuple[str, str]] = field(default_factory=list)  # (word, tag) for each word

    def summary(self) -> str:
        """One line: 'read: 50 rows, de_DE, +phone, -address' (or 'read: nothing else')."""
        parts = [f"{self.rows} rows"] if self.rows is not None else []
        parts += [self.locale] if self.locale else []
        parts += [f"+{c}" for c in self.added] + [f"-{c}" for c in self.dropped]
        return "read: " + (", ".join(parts) if parts else "nothing besides the table")

    def to_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=1)
def load_reading_words() -> dict:
    """data/reading.json: number words, locale words, column synonyms and clause templates."""
    return read_json(data_file("reading.json"))


def raw_words(prompt: str) -> list[re.Match]:
    """The prompt's words as regex matches: the same words as tokenizer.words, in original case
    and with their positions, so a span can be cut out of the prompt as it was typed."""
    return list(WORD.finditer(check_prompt(prompt)))


def breaks(prompt: str, matches: list[re.Match]) -> set[int]:
    """Words that follow a comma, semicolon or colon: the model never sees punctuation, but a
    list of names does not run across one ('name, mass, radius' is three columns)."""
    def thousands(i: int) -> bool:  # '1,000': one number, not a list
        return matches[i - 1].group().isdigit() and re.fullmatch(r"\d{3}", matches[i].group())

    return {i for i in range(1, len(matches))
            if re.search(r"[,;:&/]", prompt[matches[i - 1].end() : matches[i].start()])
            and not thousands(i)}


def spans(tags: list[str], breaks: set[int] = frozenset()) -> list[tuple[str, int, int]]:
    """BIO tags -> (slot, start, end) word spans. A tagged word continues the span of its slot
    right before it, B- or I- alike, unless a break (`breaks`) separates them: names in a
    list are split by commas or 'and', never by nothing ('phone number' is one column,
    however the tagger marked 'number')."""
    found: list[tuple[str, int, int]] = []
    for i, tag in enumerate(tags):
        if tag == "O":
            continue
        slot = tag.split("-", 1)[1]
        touching = found and found[-1][0] == slot and found[-1][2] == i
        if touching and i not in breaks:
            found[-1] = (slot, found[-1][1], i + 1)
        else:
            found.append((slot, i, i + 1))
    return found


def parse_count(text: str) -> int | None:
    """'50', '1,000', 'two hundred', 'a dozen', 'twenty five', '10k' -> int; None if not a count."""
    numbers = load_reading_words()["numbers"]
    words = re.findall(r"\d[\d,.]*|[a-z]+", text.lower().replace("-", " "))
    total, current, seen = 0, 0, False
    for w in words:
        if w[0].isdigit():
            digits = w.replace(",", "")
            if not digits.isdigit():
                return None
            current, seen = current + int(digits), True
        elif w in ("and", "of", "rows", "row"):
            continue
        elif w in numbers:
            value, seen = numbers[w], True
            if value >= 100 or w in ("dozen", "k"):
                current = max(current, 1) * value
                if value >= 1000:
                    total, current = total + current, 0
            else:
                current += value
        else:
            return None
    return total + current if seen else None


@lru_cache(maxsize=1)
def locale_words() -> dict[str, str]:
    """Every word or phrase that points to a supported locale: 'berlin' -> 'de_DE'."""
    table = {}
    for locale, kinds in load_reading_words()["locales"].items():
        for phrases in kinds.values():
            for phrase in phrases:
                table[" ".join(WORD.findall(phrase.lower()))] = locale
    return table


def locale_for(text: str) -> str | None:
    """The locale a place, nationality or language points to ('Munich' -> 'de_DE'), or None."""
    words = [w for w in WORD.findall(text.lower()) if w not in ("the", "in", "from")]
    table = locale_words()
    for size in range(len(words), 0, -1):  # longest phrase first: 'new york' before 'york'
        for i in range(len(words) - size + 1):
            found = table.get(" ".join(words[i : i + size]))
            if found:
                return found
    return None


@lru_cache(maxsize=1)
def column_phrases() -> dict[str, list[str]]:
    """How people name each catalog column -> the columns it may be: 'phone number' -> ['phone'],
    'manager' -> ['manager_id'], 'temperature' -> ['temperature_c'], 'position' -> [...]."""
    table: dict[str, list[str]] = {}

    def add(phrase: str, column: str) -> None:
        key = " ".join(WORD.findall(phrase.lower().replace("_", " ")))
        if column not in table.setdefault(key, []):
            table[key].append(column)

    columns = sorted({c for cols in load_catalog().values() for c in cols})
    for column in columns:
        add(column, column)
    for column, phrases in load_reading_words()["columns"].items():
        for phrase in phrases:
            add(phrase, column)
    for column in columns:  # shorter forms last, so an exact name wins
        if column.endswith("_id"):
            add(column[:-3], column)
        if column.startswith("is_"):
            add(column[3:], column)
        for unit in UNITS:
            if column.endswith(unit):
                add(column[: -len(unit)], column)
    return table


@lru_cache(maxsize=1)
def _shared() -> frozenset[str]:
    """Columns at least two catalog tables have (pairs.shared_columns), looked up per phrase."""
    return frozenset(shared_columns())


def snake_case(words: list[str]) -> str:
    """['Eruption', 'date'] -> 'eruption_date'."""
    return "_".join(w.lower() for w in words)


def column_name_for(text: str, table: list[str] | tuple[str, ...] = ()) -> str | None:
    """The column a phrase names: a catalog column when one fits (the table's own first), else a
    snake_case name ('year built' -> 'year_built'); None when nothing is left of it.

    With no table (one the prompt makes of its own columns) a synonym counts only for a column
    many tables share: 'birthday' is still date_of_birth, but 'length' stays length (in the
    catalog it is the length of a film)."""
    words = [w.lower() for w in WORD.findall(text)]
    while words and words[0] in _FILLER:
        words.pop(0)
    while words and words[-1] in _FILLER - {"s"}:
        words.pop()
    if not words:
        return None
    phrases = column_phrases()
    for key in (" ".join(words), " ".join(w for w in words if w != "s")):
        for candidates in (phrases.get(key), phrases.get(key[:-1]) if key.endswith("s") else None):
            if candidates and table:
                return next((c for c in candidates if c in table), candidates[0])
            fits = [c for c in candidates or () if c in _shared() or c == snake_case(words)]
            if fits:
                return fits[0]
    return snake_case([w for w in words if w != "s"])


def read_spans(prompt: str, tags: list[str], table: str | None,
               table_columns: list[str]) -> PromptReading:
    """Assemble a reading from the prompt's word tags and the table a classifier chose.

    The rules: a stated count is the row count, a place the locale; named columns the table
    lacks are added, excluded ones it has are dropped; with 'only', the table is exactly the
    named columns; with no table, three or more named columns make a table of their own.
    """
    matches = raw_words(prompt)[: len(tags)]
    reading = PromptReading(prompt, [], table,
                            tags=[(m.group(), t) for m, t in zip(matches, tags, strict=False)])
    named: dict[str, str] = {}  # column -> the words that named it, in order
    excluded: dict[str, str] = {}
    only = False
    for slot, start, end in spans(tags[: len(matches)], breaks(prompt, matches)):
        text = prompt[matches[start].start() : matches[end - 1].end()]
        if slot == "ROWS" and reading.rows is None:
            count = parse_count(text)
            if count is not None:
                reading.rows, reading.evidence["rows"] = count, text
        elif slot == "LOC" and reading.locale is None:
            locale = locale_for(text)
            if locale:
                reading.locale, reading.evidence["locale"] = locale, text
        elif slot == "ONLY":
            only = True
        elif slot in ("COL", "NOT"):
            column = column_name_for(text, table_columns)
            if column:
                (named if slot == "COL" else excluded).setdefault(column, text)
    return finish(reading, table_columns, named, excluded, only)


def finish(reading: PromptReading, table_columns: list[str], named: dict[str, str],
           excluded: dict[str, str], only: bool) -> PromptReading:
    """The final columns from the table and the named, excluded and 'only' columns."""
    if not table_columns and len(named) < 3:  # no table, and too little to make one
        reading.table = None
        return reading
    if only and named:
        keep = [c for c in table_columns if c in named] + [c for c in named
                                                           if c not in table_columns]
        dropped = [c for c in table_columns if c not in named]
    else:
        dropped = [c for c in table_columns if c in excluded]
        keep = [c for c in table_columns if c not in excluded]
        keep += [c for c in named if c not in table_columns and c not in excluded]
    reading.columns = keep
    reading.added = [c for c in keep if c not in table_columns]
    reading.dropped = dropped
    for c in reading.added:
        reading.evidence[f"+{c}"] = named[c]
    for c in dropped:
        reading.evidence[f"-{c}"] = excluded.get(c, "only")
    return reading
