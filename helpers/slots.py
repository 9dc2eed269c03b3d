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

from helpers.catalog import load_catalog
from helpers.slot_columns import (  # noqa: F401 (re-exported: helpers.slots named them first)
    _FILLER,
    UNITS,
    column_name_for,
    column_of_table,
    column_phrases,
    load_reading_words,
    record_word,
    snake_case,
)
from helpers.slot_counts import COUNT_ENDS, limit_words, parse_count  # noqa: F401 (re-exported)
from helpers.tokenizer import WORD, check_prompt

SLOTS = ("COL", "NOT", "ROWS", "LOC", "ONLY")
TAGS = ("O", *(f"{edge}-{slot}" for slot in SLOTS for edge in "BI"))  # 11 tags, O first


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
    # what the prompt says that the table does not do, one line each: "'under $5' is not
    # applied: ...". The CLI prints them on stderr, the API returns them in its reading.
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: 'read: 50 rows, de_DE, +phone, -address' (or 'read: nothing else')."""
        parts = [f"{self.rows} rows"] if self.rows is not None else []
        parts += [self.locale] if self.locale else []
        parts += [f"+{c}" for c in self.added] + [f"-{c}" for c in self.dropped]
        return "read: " + (", ".join(parts) if parts else "nothing besides the table")

    def to_dict(self) -> dict:
        return asdict(self)


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


def read_spans(prompt: str, tags: list[str], table: str | None,
               table_columns: list[str]) -> PromptReading:
    """Assemble a reading from the prompt's word tags and the table a classifier chose.

    The rules: a stated count is the row count, a place the locale; named columns the table
    lacks are added, excluded ones it has are dropped; with 'only', the table is exactly the
    named columns; with no table, three or more named columns make a table of their own.
    What the reading does not do (a value limit, a second place, a word for whole records)
    gets a line in `notes`: this is the one place they are written.
    """
    matches = raw_words(prompt)[: len(tags)]
    reading = PromptReading(prompt, [], table,
                            tags=[(m.group(), t) for m, t in zip(matches, tags, strict=False)])
    named: dict[str, str] = {}  # column -> the words that named it, in order
    excluded: dict[str, str] = {}
    records: list[str] = []  # 'appointments': named like a column, a table of its own
    only, previous, limited = False, None, set()
    cuts = breaks(prompt, matches)
    for slot, start, end in late_starts(spans(tags[: len(matches)], cuts), tags, matches,
                                        cuts, table_columns):
        text = prompt[matches[start].start() : matches[end - 1].end()]
        if slot == "ROWS" and start not in limited:
            read_count(reading, prompt, matches, start, end, limited)
        elif slot == "LOC":
            read_place(reading, text)
        elif slot == "ONLY":
            only = True
        elif slot in ("COL", "NOT"):
            if slot == "COL" and previous and still_excluding(prompt, matches, previous, start):
                slot = "NOT"  # 'without name, email, city': the list goes on after a comma
            previous = (slot, end)
            column = column_name_for(text, table_columns)
            if column and slot == "COL" and column not in table_columns and record_word(text):
                records.append(record_word(text))
            elif column:
                (named if slot == "COL" else excluded).setdefault(column, text)
    counted = {i for slot, start, end in spans(tags[: len(matches)]) if slot == "ROWS"
               for i in range(start, end)} | limited
    for i, m in enumerate(matches):  # a limit the tagger left untagged: '200 orders over $50'
        if m.group().isdigit() and i not in counted and i not in limited:
            end = i + 1
            while end < len(matches) and re.fullmatch(r"\d{3}", matches[end].group()) and \
                    prompt[matches[end - 1].end() : matches[end].start()] == ",":  # '1,000'
                end += 1
            read_count(reading, prompt, matches, i, end, limited, limits_only=True)
    if records:
        are = "is a table of its own, not a column" if len(records) == 1 else \
            "are tables of their own, not columns"
        reading.notes.append(f"{', '.join(map(repr, records))} {are}: not added (two linked "
                             "tables: 'customers and their orders', from the command line or "
                             "POST /tables)")
    return finish(reading, table_columns, named, excluded, only)


def late_starts(found: list[tuple[str, int, int]], tags: list[str], matches: list[re.Match],
                cuts: set[int], table_columns: list[str]) -> list[tuple[str, int, int]]:
    """A column's name the tagger began late ('date of birth' tagged B-COL O I-COL, 'card
    number' O I-COL): a span that starts on an I- tag takes in up to three words before it
    when together they are a catalog column's name; the spans it covers go."""
    lower = [m.group().lower() for m in matches]
    known = {c for cols in load_catalog().values() for c in cols} | set(table_columns)
    out: list[tuple[str, int, int]] = []
    for slot, start, end in found:
        if slot in ("COL", "NOT") and tags[start].startswith("I-"):
            for k in (1, 2, 3):
                first = start - k
                if first < 0 or first + 1 in cuts or tags[first] not in ("O", f"B-{slot}",
                                                                         f"I-{slot}"):
                    break
                if column_name_for(" ".join(lower[first:end]), table_columns) in known:
                    out = [f for f in out if not (f[0] == slot and f[1] >= first)]
                    start = first
                    break
        out.append((slot, start, end))
    return out


def still_excluding(prompt: str, matches: list[re.Match], previous: tuple[str, int],
                    start: int) -> bool:
    """Whether a named column goes on the list of excluded ones just before it: nothing but
    commas, 'and', 'or' or 'the' between them ('without phone, city and country')."""
    slot, end = previous
    between = prompt[matches[end - 1].end() : matches[start].start()].lower()
    return slot == "NOT" and "." not in between and set(WORD.findall(between)) <= {
        "and", "or", "nor", "the", "a", "an", "any"}


def read_count(reading: PromptReading, prompt: str, matches: list[re.Match], start: int,
               end: int, limited: set[int], limits_only: bool = False) -> None:
    """A span tagged ROWS: the row count (the first one), a value limit, or a number that
    cannot be a count ('2.5'); what is not read as the count gets a note. `limits_only`: an
    untagged number, noted when it is a limit and else left alone."""
    text = prompt[matches[start].start() : matches[end - 1].end()]
    limit = limit_words(prompt, matches, start, end)
    if limit is not None:
        lower = [m.group().lower() for m in matches]
        if lower[end : end + 1] in (["and"], ["to"]) and end + 1 < len(lower) and \
                parse_count(lower[end + 1]) is not None:  # 'between 18 and 65': both limits
            limited.add(end + 1)
            limit = prompt[prompt.find(limit) : matches[end + 1].end()]
        reading.notes.append(f"'{limit}' is not applied: the value ranges come from the "
                             "catalog, not the prompt")
        return
    if reading.rows is not None or limits_only:
        return
    count = parse_count(text)
    if count is None and any(c.isdigit() for c in text):  # a tagged word is no count: silent
        reading.notes.append(f"'{text}' is not a whole number: the row count is not read "
                             "from it")
    if count is None:
        return
    gap = prompt[matches[start - 1].end() if start else 0 : matches[start].start()]
    if gap.endswith("-") and (start == 0 or gap[:-1] and not gap[:-1].strip(" \t(")):
        # '-5 patients', 'generate -5 patients'; not 'covid-19'
        count, text = -count, f"-{text}"
    reading.rows, reading.evidence["rows"] = count, text
    if start and matches[start - 1].group().lower() in load_reading_words()["ranked"]:
        reading.notes.append(f"'{matches[start - 1].group()} {text}' is read as {count} rows; "
                             "they are not ranked: nothing is sorted by the prompt's measure")


def read_place(reading: PromptReading, text: str) -> None:
    """A span tagged LOC: the locale, or, when one is read already, a note that the table has
    one locale ('German and French customers' is de_DE)."""
    locale = locale_for(text)
    if locale and reading.locale is None:
        reading.locale, reading.evidence["locale"] = locale, text
    elif locale and locale != reading.locale:
        reading.notes.append(f"one locale per table; using {reading.locale} "
                             f"('{reading.evidence['locale']}'), not {locale} ('{text}')")


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
