"""Prompt -> reading (the model) -> rows (Faker): the one place both halves meet."""

from __future__ import annotations

import pandas as pd

from helpers.contacts import city_named
from helpers.generate import LOCALES, generate_dataframe
from helpers.places import strip_place_fillers
from helpers.reading import read_prompt
from helpers.slots import PromptReading
from helpers.specs import type_word_head

EXAMPLE_PROMPTS = (
    "generate a hospital dataset",
    "I need fake bank account records",
    "hotel bookings with check-in and check-out dates",
    "a list of customers with emails and phone numbers",
)
DEFAULT_ROWS, DEFAULT_LOCALE = 10, "en_US"  # when neither the caller nor the prompt says


class NotADatasetRequest(ValueError):
    """The model found no table in the prompt."""


MODELS = ("classifier", "decoder")


def read_request(
    prompt: str, threshold: float | None = None, model: str = "classifier"
) -> PromptReading:
    """The prompt's reading (notebook 10), or NotADatasetRequest with example prompts that work.

    model="classifier" takes the table's columns from the classifier (notebooks 03-04) and
    edits them as the prompt says; model="decoder" writes them token by token (notebook 08),
    ignores the threshold, and drops the columns the prompt excludes.
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    reading = read_prompt(prompt, threshold=threshold)
    if model == "decoder":
        from helpers.decoding import generate_columns  # loaded only when asked for

        written = [c for c in generate_columns(prompt) if c not in reading.dropped]
        extra = [c for c in reading.added if c not in written]
        reading.columns = written + extra if written else []  # no table written: refused
    with_plain_names(reading)
    if reading.locale is None:
        locale, place, served = place_in_prompt(prompt)
        if locale is not None:
            reading.locale, reading.evidence["locale" if served else "place"] = locale, place
    if reading.table is None and reading.columns:
        subject, words = subject_in_prompt(reading)
        if subject is not None:
            reading.table = subject
            if words:
                reading.evidence["table"] = words
    if not reading.columns and reading.dropped and not reading.added:
        raise NotADatasetRequest(
            f"{prompt!r} excludes every column of the {reading.table or 'named'} table "
            f"({', '.join(reading.dropped)}): nothing is left to generate; exclude fewer")
    if not reading.columns:
        examples = "; ".join(f'"{p}"' for p in EXAMPLE_PROMPTS[:3])
        raise NotADatasetRequest(
            f"{prompt!r} does not look like a request for a dataset I know. Try for example: "
            f"{examples}"
        )
    return reading


def with_plain_names(reading: PromptReading) -> None:
    """'users plus a created_at timestamp' adds created_at, a datetime: a type word after a
    known column says what the column is and leaves its name (helpers.specs.type_word_head)."""
    names = {c: type_word_head(c) or c for c in reading.added}
    if all(old == new for old, new in names.items()):
        return
    reading.added = list(dict.fromkeys(names.values()))
    reading.columns = list(dict.fromkeys(names.get(c, c) for c in reading.columns))


def place_words() -> tuple[dict[str, str], dict[str, str], dict]:
    """(place or language -> locale, nationality -> locale, the place rules), all from
    data/reading.json: its locales' words and its place_rules."""
    from helpers.slots import load_reading_words

    places, adjectives = {}, {}
    words = load_reading_words()
    for locale, kinds in words["locales"].items():
        for kind in ("countries", "cities", "languages"):
            places.update({w: locale for w in kinds.get(kind, [])})
        adjectives.update({w: locale for w in kinds.get("adjectives", [])})
    return places, adjectives, words["place_rules"]


def place_in_prompt(prompt: str) -> tuple[str | None, str | None, bool]:
    """(locale, the words, served) for a place the model's tags did not give: 'in Mexico',
    'from Toronto', 'Italian customers'; a place no locale serves ('in Peru') gives the nearby
    locale of data/reading.json's place_rules with served False; (None, None, False) if none."""
    import re

    from helpers.pools import ascii_fold

    places, adjectives, rules = place_words()
    words = [ascii_fold(w) or w.lower() for w in re.findall(r"[^\W\d_]+", prompt)]
    lowered = " ".join(words)
    for before in sorted(rules["before_place"], key=len, reverse=True):
        for match in re.finditer(rf"\b{before} ((?:\w+ ?){{1,3}})", lowered):
            tail = match.group(1).split()
            for size in (3, 2, 1):
                phrase = " ".join(tail[:size])
                if len(tail) >= size and phrase in places:
                    return places[phrase], phrase.title(), True
                if len(tail) >= size and phrase in rules["nearby"]:
                    return rules["nearby"][phrase], phrase.title(), False
    for i, word in enumerate(words[:-1]):
        if word in adjectives and words[i + 1] in rules["people"]:
            return adjectives[word], word.title(), True
    return None, None, False


def subject_in_prompt(reading: PromptReading) -> tuple[str | None, str | None]:
    """(subject, the word) of a table the catalog lacks, named by its subject: 'volcano
    eruptions with name, country, ...' -> ('volcano', 'volcano'): its name is then a volcano's
    and its country the volcano's (data/generators.json's subject_tables). With no subject, no
    place named and no column that places a row (an address, a phone), the subject marked
    "fallback" there ('world', None): the country varies across rows. (None, None) when
    neither applies."""
    from helpers.pools import ascii_fold
    from helpers.specs import load_generator_specs

    subjects = load_generator_specs().get("subject_tables", {})
    untagged = [ascii_fold(word) for word, tag in reading.tags if tag == "O"]
    for word in untagged:  # the first subject word the prompt uses, not a column it names
        for subject, spec in subjects.items():
            if word in spec["words"] and set(spec["columns"]) & set(reading.columns):
                return subject, word
    columns = set(reading.columns)
    for subject, spec in subjects.items():  # 'world': the one data/ marks as the fallback
        if spec.get("fallback") and reading.locale is None and set(spec["columns"]) & columns \
                and not set(spec.get("unless", ())) & columns:
            return subject, None
    return None, None


def columns_for(
    prompt: str, threshold: float | None = None, model: str = "classifier"
) -> list[str]:
    """The columns of the table the prompt asks for (see read_request)."""
    return read_request(prompt, threshold, model).columns


def rows_and_locale(
    reading: PromptReading, rows: int | None = None, locale: str | None = None
) -> tuple[int, str]:
    """Rows and locale: the caller's where given, else what the prompt says, else 10 and en_US.

    A prompt that asks for no rows at all ("0 rows") is an error, not an empty table.
    """
    if rows is None and reading.rows is not None:
        if reading.rows < 1:
            raise ValueError(f"the prompt asks for {reading.rows} rows "
                             f"({reading.evidence['rows']!r}): ask for at least 1")
        rows = reading.rows
    return (DEFAULT_ROWS if rows is None else rows,
            locale or reading.locale or DEFAULT_LOCALE)


def named_city(reading: PromptReading, locale: str) -> str | None:
    """The city the prompt named, when it is one of the locale's ('customers from Berlin'):
    every row then lives there. None when the prompt named a country or nothing."""
    if reading.locale != locale:
        return None
    return city_named(locale, reading.evidence.get("locale"))


def loc_spans(reading: PromptReading) -> list[str]:
    """The words the model tagged as a place, one text per span: 'in Peru' (B-LOC I-LOC)."""
    found: list[list[str]] = []
    previous = "O"
    for word, tag in reading.tags:
        if tag == "B-LOC" or (tag == "I-LOC" and not previous.endswith("LOC")):
            found.append([])
        if tag.endswith("LOC"):
            found[-1].append(word)
        previous = tag
    return [" ".join(words) for words in found]


def place_note(reading: PromptReading, locale: str) -> str | None:
    """One line when the prompt names a place no locale serves: 'Peru is not among the
    locales; using es_MX (supported: ...)'. None when it names none or a served one."""
    place = reading.evidence.get("place")
    if place is None and reading.locale is None:  # tagged a place, but one of no locale
        place = " ".join(filter(None, map(strip_place_fillers, loc_spans(reading)))) or None
    if place is None:
        return None
    return (f"{place} is not among the locales; using {locale} "
            f"(supported: {', '.join(LOCALES)})")


def generate_dataset(
    prompt: str, rows: int | None = None, seed: int = 0, locale: str | None = None,
    threshold: float | None = None, model: str = "classifier", phone_format: str = "national",
) -> pd.DataFrame:
    """Read the prompt and fill its table with fake values: `rows` rows in `locale` when given,
    else as many and where the prompt says (10 rows, en_US when it says nothing)."""
    reading = read_request(prompt, threshold, model)
    rows, locale = rows_and_locale(reading, rows, locale)
    return generate_dataframe(reading.columns, rows, seed, locale, phone_format, reading.table,
                              named_city(reading, locale))
