"""Training prompts whose word tags are known by construction (notebook 10).

A prompt is assembled from pieces, and every piece knows what it is: the row count, a place,
a column named, one excluded, the word "only", or plain words (O). So each word's BIO tag comes
for free: 'generate 50 German customers without email' is built from '50' (ROWS),
'German' (LOC) and 'email' (NOT), and tagged
O B-ROWS B-LOC O O B-NOT. No model runs here.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

from helpers.catalog import Domain, load_domains, load_templates
from helpers.pairs import humanize, made_up_word
from helpers.slots import load_reading_words
from helpers.tokenizer import WORD, words

Tagged = tuple[str, list[str], list[str]]  # (prompt, the table's columns, one tag per word)
Piece = tuple[str, str]  # (text, slot) with slot "" for plain words
_FIELD = re.compile(r"\{(\w+)\}")

_SMALL = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    """1..999_999 in words: 250 -> 'two hundred fifty'."""
    if n >= 1000:
        rest = n % 1000
        return f"{number_words(n // 1000)} thousand" + (f" {number_words(rest)}" if rest else "")
    if n >= 100:
        rest = n % 100
        return f"{_SMALL[n // 100 - 1]} hundred" + (f" {number_words(rest)}" if rest else "")
    if n >= 20:
        return _TENS[n // 10 - 2] + (f" {_SMALL[n % 10 - 1]}" if n % 10 else "")
    return _SMALL[n - 1]


def spoken_count(rng: random.Random) -> str:
    """A row count the way people write one: '50', '1,000', 'two hundred', 'a dozen'."""
    n = rng.choice((3, 5, 7, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 75, 80, 100, 120, 150, 200,
                    250, 300, 400, 500, 600, 750, 1000, 1500, 2000, 2500, 5000, 10000))
    style = rng.random()
    if style < 0.5:
        return f"{n:,}" if n >= 1000 and rng.random() < 0.5 else str(n)
    if style < 0.6:
        return rng.choice(("a dozen", "two dozen", "a hundred", "a thousand", "three dozen"))
    return number_words(n)


def fill(template: str, values: dict[str, list[Piece]]) -> list[Piece]:
    """Split a template at its {fields}: literal text becomes plain pieces, a field its pieces."""
    out: list[Piece] = []
    at = 0
    for m in _FIELD.finditer(template):
        out.append((template[at : m.start()], ""))
        out.extend(values[m.group(1)])
        at = m.end()
    out.append((template[at:], ""))
    return out


def listed(names: list[str], slot: str, rng: random.Random) -> list[Piece]:
    """'email, phone number and salary', each name a piece of `slot`, the joins plain."""
    out: list[Piece] = []
    for i, name in enumerate(names):
        if i:
            last = i == len(names) - 1
            out.append((rng.choice((" and ", ", and ", " & ")) if last else ", ", ""))
        out.append((name, slot))
    return out


def invented_column(rng: random.Random) -> str:
    """A column name no list holds ('zumeka score', 'max tavoli'): the tag head must learn that
    a listed name is a column by where it stands, not by knowing the word."""
    rd = load_reading_words()
    word = made_up_word(rng) if rng.random() < 0.5 else rng.choice(plain_words())
    if rng.random() < 0.5:
        return f"{word} {rng.choice(rd['column_heads'])}"
    return f"{rng.choice(rd['column_modifiers'])} {word}" if rng.random() < 0.5 else word


@lru_cache(maxsize=1)
def plain_words() -> list[str]:
    """Real words that name no column: the catalog's vocabulary and the off-topic subjects, so
    that invented names also look like English ('glacier score')."""
    t = load_templates()
    found = {w for d in load_domains() for p in d.vocabulary for w in p.split()}
    found |= {w for topic in t.off_topics for w in topic.split()}
    return sorted(w for w in found if w.isalpha() and len(w) > 2)


def new_names(k: int, pool: list[str], rng: random.Random) -> list[str]:
    """k column names for a table outside the catalog: from `pool` or invented (a third)."""
    return [invented_column(rng) if rng.random() < 0.33 else rng.choice(pool) for _ in range(k)]


def say_column(column: str, rng: random.Random) -> str:
    """A column the way a person names it: its name with spaces, or a synonym from data/."""
    synonyms = load_reading_words()["columns"].get(column, [])
    if synonyms and rng.random() < 0.4:
        return rng.choice(synonyms)
    return humanize(column)


def recase(prompt: str, rng: random.Random) -> str:
    """Casing and end punctuation, the way people type; never a new word (the tags stay)."""
    draw = rng.random()
    prompt = prompt.upper() if draw < 0.08 else prompt.capitalize() if draw < 0.3 else prompt
    return prompt + (rng.choice(("?", "!", ".", " :)")) if rng.random() < 0.25 else "")


def tag_pieces(pieces: list[Piece]) -> tuple[str, list[str]]:
    """Pieces -> the prompt and one BIO tag per word of tokenizer.words(prompt); a word takes
    the slot of the piece it starts in ('1990' + 's' is one word, '1990s', and plain)."""
    prompt, owner, at = "", [], 0
    for text, slot in pieces:
        prompt += text
        owner += [(slot, at)] * len(text)  # each character: its piece's slot and piece id
        at += 1
    tags: list[str] = []
    previous = None
    for m in WORD.finditer(prompt):
        slot, piece = owner[m.start()]
        continuing = slot and previous == (slot, piece)
        tags.append("O" if not slot else f"{'I' if continuing else 'B'}-{slot}")
        previous = (slot, piece)
    return prompt, tags


def place(rng: random.Random) -> tuple[list[Piece], list[Piece]]:
    """A place as an adjective before the phrase ('German') or a clause after it ('in Munich')."""
    rd = load_reading_words()
    kinds = rd["locales"][rng.choice(rd["tagged_locales"])]  # the checkpoint's training set
    template = rng.choice(rd["places"])
    if template == "{adj}" or rng.random() < 0.35:
        return [(rng.choice(kinds["adjectives"]), "LOC")], []
    values = {"adj": [(rng.choice(kinds["adjectives"]), "LOC")],
              "city": [(rng.choice(kinds["cities"]), "LOC")],
              "country": [(rng.choice(kinds["countries"]), "LOC")],
              "language": [(rng.choice(kinds["languages"]), "LOC")]}
    if rng.random() < 0.1:  # a place with no supported locale is just words
        values = {k: [(rng.choice(rd["other_places"]), "")] for k in values}
    return [], fill(template, values)


def tagged_prompt(phrase: str, columns: tuple[str, ...], rng: random.Random,
                  new_table: bool = False) -> tuple[str, list[str]]:
    """One request for `phrase`, with some of: a row count, a place, named columns, excluded
    columns, 'only' columns and a number that is not a row count; its word tags."""
    rd = load_reading_words()
    adj, clauses = [], []
    count = [(spoken_count(rng), "ROWS")] if rng.random() < 0.5 else []
    in_frame = bool(count) and rng.random() < 0.6  # '50 customers', not 'customers, 50 rows'
    if rng.random() < 0.4:
        adj, after = place(rng)
        clauses += [after] if after else []
    if count and not in_frame:
        clauses.append(fill(rng.choice(rd["rows"]), {"n": count}))
    clauses += named_clauses(columns, new_table, rng)
    if rng.random() < 0.15:
        clauses.append(distractor(rng))
    rng.shuffle(clauses)
    pieces = framed(phrase, adj, count if in_frame else [], rng)
    for clause in clauses:
        pieces.append((rng.choice((" ", ", ", ", ", " - ", "; ", " but ")), ""))
        pieces.extend(clause)
    prompt, tags = tag_pieces(pieces)
    return recase(prompt, rng), tags


def framed(phrase: str, adj: list[Piece], count: list[Piece], rng: random.Random) -> list[Piece]:
    """The request itself ('generate 50 German {phrase}'); a frame with {rows} only if `count`
    goes inside it."""
    rd, t = load_reading_words(), load_templates()
    frames = [f for f in rd["frames"] if ("{rows}" in f) == bool(count) or
              (not count and "{rows} rows" not in f)]
    frame = rng.choice(frames)
    values = {"verb": [(rng.choice(t.verbs), "")], "noun": [(rng.choice(t.nouns), "")],
              "phrase": [(phrase, "")], "adj": adj, "rows": count}
    return fill(frame, values)


def named_clauses(columns: tuple[str, ...], new_table: bool,
                  rng: random.Random) -> list[list[Piece]]:
    """The columns a request names: a new table's own, a catalog table's (column_clauses), or
    for a subject no table fits, sometimes one or two that still make no table."""
    rd = load_reading_words()
    others = sorted({c for d in load_domains() for c in d.columns} - set(columns))
    if new_table:  # a table the catalog lacks: it is its named columns
        named = new_names(rng.randint(2, 5), rd["new_columns"] + [humanize(c) for c in others], rng)
        return [fill(rng.choice(rd["with"]), {"cols": listed(named, "COL", rng)})]
    if columns:
        return column_clauses(columns, others, rng)
    if rng.random() < 0.5:  # one or two columns of a table no one asked for: still refused
        named = new_names(rng.randint(1, 2), rd["new_columns"], rng)
        return [fill(rng.choice(rd["with"]), {"cols": listed(named, "COL", rng)})]
    return []


def distractor(rng: random.Random) -> list[Piece]:
    """A number that is no row count ('after 1990', 'in the last 7 days'): plain words."""
    n = [(str(rng.randint(1, 12)), "")]
    year = [(str(rng.randint(1950, 2025)), "")]
    return fill(rng.choice(load_reading_words()["distractors"]), {"n": n, "year": year})


def column_clauses(columns: tuple[str, ...], others: list[str],
                   rng: random.Random) -> list[list[Piece]]:
    """'with phone number', 'without manager', 'only name and email' for a catalog table."""
    rd = load_reading_words()
    clauses = []
    draw = rng.random()
    if draw < 0.15:  # only some of the table's columns
        keep = rng.sample(columns, rng.randint(2, min(4, len(columns))))
        said = listed([say_column(c, rng) for c in keep], "COL", rng)
        template = rng.choice(rd["only"])
        marker = re.search(r"\[(.+?)\]", template)  # the words that mean 'only' (data/)
        template = template.replace(marker.group(0), "{only}")
        clauses.append(fill(template, {"cols": said, "only": [(marker.group(1), "ONLY")]}))
        return clauses
    if draw < 0.75:
        pool = others if rng.random() < 0.6 else list(columns) + others
        extra = new_names(1, rd["new_columns"], rng) if rng.random() < 0.4 else []
        named = [say_column(c, rng) for c in rng.sample(pool, rng.randint(1, 2))] + extra
        clauses.append(fill(rng.choice(rd["with"]), {"cols": listed(named, "COL", rng)}))
    if rng.random() < 0.5:
        gone = [say_column(c, rng) for c in rng.sample(columns, rng.randint(1, 2))]
        clauses.append(fill(rng.choice(rd["without"]), {"cols": listed(gone, "NOT", rng)}))
    return clauses


def tagged_pairs(seed: int = 0, per_domain: int = 90, per_off_topic: int = 5,
                 per_negative: int = 2) -> list[Tagged]:
    """Deterministic (prompt, columns, tags): requests for every catalog table with counts,
    places and named or excluded columns; tables outside the catalog made of their named
    columns (the table head learns no columns for them); sentences with nothing to read."""
    rng = random.Random(f"tagged:{seed}")
    t = load_templates()
    out: list[Tagged] = []
    for domain in load_domains():
        for _ in range(per_domain):
            out.append(domain_request(domain, rng))
    for topic in t.off_topics:
        for _ in range(per_off_topic):
            prompt, tags = tagged_prompt(topic, (), rng, new_table=rng.random() < 0.75)
            out.append((prompt, [], tags))
    for sentence in t.negatives:
        for _ in range(per_negative):
            prompt = recase(sentence, rng)
            out.append((prompt, [], ["O"] * len(words(prompt))))
    rng.shuffle(out)
    return out


def domain_request(domain: Domain, rng: random.Random) -> Tagged:
    """One tagged request for a catalog table, labelled with all of its columns."""
    phrase = rng.choice(domain.words)
    prompt, tags = tagged_prompt(phrase, domain.columns, rng)
    return prompt, list(domain.columns), tags
