"""Which column a phrase of a prompt names: 'phone number' -> phone, 'check-out dates' -> the
table's check_out, 'year built' -> year_built; and data/reading.json, which holds the words.

helpers.slots reads a tagged span with these; helpers.rule_reader and helpers.tagged_pairs read
the same words. No model runs here, and no Faker.
"""

from __future__ import annotations

from functools import lru_cache

from helpers.catalog import load_catalog, read_json
from helpers.pairs import shared_columns
from helpers.paths import data_file
from helpers.tokenizer import WORD

_FILLER = {"the", "a", "an", "their", "its", "his", "her", "any", "s", "of", "column", "columns",
           "field", "fields"}  # around a column name, not part of it ("the VIN", "doctor's")
UNITS = ("_c", "_kg", "_kmh", "_mm", "_gb", "_kwh", "_ms", "_hours", "_minutes", "_seconds",
         "_tons", "_hectares")


@lru_cache(maxsize=1)
def load_reading_words() -> dict:
    """data/reading.json: number words, locale words, column synonyms and clause templates."""
    return read_json(data_file("reading.json"))


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
    words = load_reading_words()
    for key in ("columns", "reading_columns"):  # the second: names the training never used
        for column, phrases in words[key].items():
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
    name = snake_case([w for w in words if w != "s"])
    return (table and column_of_table(words, list(table))) or name


def column_of_table(words: list[str], table: list[str]) -> str | None:
    """The table's own column a phrase no name list knows means, if one fits: its last word
    says what the column holds ('check-out dates': check_out), or the phrase is how the one
    column of the table that starts with it begins ('departure': departure_time)."""
    heads = load_reading_words()["type_heads"]
    if len(words) > 1 and words[-1] in heads:
        shorter = column_name_for(" ".join(words[:-1]), table)
        if shorter in table:
            return shorter
    stem = snake_case([w for w in words if w != "s"])
    for name in (stem, stem[:-1] if stem.endswith("s") else None):
        starting = [c for c in table if name and c.startswith(name + "_")]
        if len(starting) == 1:
            return starting[0]
    return None


def record_word(text: str) -> str | None:
    """The word, when a phrase named like a column is a word for whole records
    ('appointments', 'their payments': data/reading.json's not_columns) that no column's name
    list knows as it is written ('students' is enrolled_students); else None."""
    words = [w.lower() for w in WORD.findall(text) if w.lower() not in _FILLER]
    if len(words) != 1 or words[0] in column_phrases():
        return None
    return words[0] if words[0] in load_reading_words()["not_columns"] else None
