"""A hand-written reader to measure the tag head against (notebook 10): regular expressions
for numbers, trigger words for "with", "without" and "only", and the locale words of data/.

It tags words the way the model does, so both go through the same helpers.slots and differ
only in how the tags were found: helpers.read_prompt(prompt, tagger=rule_tags). No model runs here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from helpers.slots import limit_words, load_reading_words, locale_words, raw_words

WITH = {"with", "including", "include", "includes", "plus", "containing", "has", "having",
        "add", "showing", "shows", "lists", "columns", "fields"}
WITHOUT = {"without", "no", "except", "excluding", "exclude", "omit", "skip", "drop", "remove",
           "minus", "hide", "not"}
ONLY = {"only", "just", "solely"}
STOP = {"but", "rows", "row", "records", "in", "from", "for", "of", "located", "based",
        "please", "them", "entries", "it", "me"}
SKIP = {"the", "a", "an", "their", "its", "any", "out", "leave", "column", "field", "for"}
NOT_ROWS = {"days", "years", "months", "weeks", "hours", "minutes", "percent", "s"}
YEAR = re.compile(r"(19|20)\d\d$")


def rule_tags(prompt: str) -> list[str]:
    """One BIO tag per word of the prompt, by rules (see the module docstring)."""
    matches = raw_words(prompt)
    lower = [m.group().lower() for m in matches]
    gaps = [prompt[matches[i - 1].end() : m.start()] if i else "" for i, m in enumerate(matches)]
    tags = ["O"] * len(lower)
    tag_rows(lower, tags, lambda i, end: limit_words(prompt, matches, i, end) is not None)
    tag_locales(lower, tags)
    tag_columns(lower, gaps, tags)
    return tags


def is_number(word: str) -> bool:
    return word.isdigit() or word in load_reading_words()["numbers"] and word not in ("a", "an")


def tag_rows(lower: list[str], tags: list[str],
             is_limit: Callable[[int, int], bool] = lambda i, end: False) -> None:
    """The first run of number words that is not a year, a number of days, percent, ..., or a
    value limit (`is_limit(start, end)`: 'under $5', 'older than 65')."""
    i = 0
    while i < len(lower):
        if not is_number(lower[i]) and not (lower[i] in ("a", "an") and i + 1 < len(lower)
                                            and lower[i + 1] in ("dozen", "hundred", "thousand")):
            i += 1
            continue
        end = i + 1
        while end < len(lower) and (is_number(lower[end]) or lower[end] == "and"
                                    and end + 1 < len(lower) and is_number(lower[end + 1])):
            end += 1
        after = lower[end] if end < len(lower) else ""
        if is_limit(i, end) or is_limit(i, i + 1):  # "under $5, 20 rows": 20 may be the count
            i = end if is_limit(i, end) else i + 1  # "above 1,000": both words are the limit
            continue
        if after in NOT_ROWS or YEAR.match(lower[i]) or (i and lower[i - 1] in ("version", "q")):
            i = end
            continue
        tags[i : end] = ["B-ROWS"] + ["I-ROWS"] * (end - i - 1)
        return


def tag_locales(lower: list[str], tags: list[str]) -> None:
    """Every place, nationality or language word of data/reading.json (longest first)."""
    table = locale_words()
    i = 0
    while i < len(lower):
        for size in (3, 2, 1):
            phrase = lower[i : i + size]
            if len(phrase) == size and " ".join(phrase) in table and \
                    all(t == "O" for t in tags[i : i + size]):
                tags[i : i + size] = ["B-LOC"] + ["I-LOC"] * (size - 1)
                i += size
                break
        else:
            i += 1


def tag_columns(lower: list[str], gaps: list[str], tags: list[str]) -> None:
    """After a trigger word, the listed names (split at commas, 'and', '&') are columns named
    (with), excluded (without) or kept (only), until a stop word, a number or a place."""
    mode, item_open = None, False
    for i, word in enumerate(lower):
        if tags[i] != "O":  # a row count or a place ends a list
            mode = None
            continue
        if word in ONLY:
            tags[i], mode, item_open = "B-ONLY", "COL", False
        elif word in WITHOUT or (word == "out" and i and lower[i - 1] == "leave"):
            mode, item_open = "NOT", False
        elif word in WITH or (word == "their" and i and lower[i - 1] == "and"):
            mode, item_open = "COL", False
        elif mode and word in STOP:
            mode = None
        elif mode and word in ("and", "or"):
            item_open = False
        elif mode and word not in SKIP:
            if "," in gaps[i] or "&" in gaps[i] or ";" in gaps[i]:
                item_open = False
            tags[i] = f"{'I' if item_open else 'B'}-{mode}"
            item_open = True
        if ("," in gaps[i] or ";" in gaps[i]) and mode and tags[i] == "O" and word in SKIP:
            item_open = False
        if i + 1 < len(lower) and ("." in gaps[i + 1] or ":" in gaps[i + 1] and mode is None):
            mode = mode if ":" in gaps[i + 1] else None
