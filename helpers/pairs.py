"""Synthetic (prompt, columns) training pairs, generated from the catalog and a seed.

Breadth beats volume here: many verbs, templates and phrases, plus casing, punctuation,
filler words and typos, so that the model learns the domain words rather than the template.
"""

from __future__ import annotations

import hashlib
import json
import random
import string
from collections import Counter
from collections.abc import Sequence

from helpers.catalog import Templates, load_domains, load_templates

ROW_COUNTS = ("5", "10", "20", "25", "50", "100", "200", "500", "1000", "a few", "some")
# The recipe before real phrasings (notebook 08's decoder is still trained on it): no domain
# vocabulary, plain requests only, no off-topic or not-a-table refusals.
BEFORE_REAL_PHRASINGS = {"vocabulary_rate": 0, "title_rate": 0, "description_rate": 0,
                         "issue_rate": 0, "sentence_rate": 0, "per_off_topic": 0,
                         "per_not_table": 0}


def pairs_digest(pairs: Sequence[tuple]) -> str:
    """SHA-1 of the pairs as JSON, in order: a fingerprint of the data a checkpoint was trained
    on, so a test can tell when a change to the generators would stop it reproducing."""
    return hashlib.sha1(json.dumps(pairs, ensure_ascii=False).encode("utf-8")).hexdigest()


def add_typo(word: str, rng: random.Random) -> str:
    """One keyboard slip: drop, double, swap or replace a letter (words of 4+ letters only)."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)  # keep the first letter: people rarely miss it
    kind = rng.choice(("drop", "double", "swap", "replace"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]


def vary_surface(prompt: str, rng: random.Random, fillers: tuple[str, ...]) -> str:
    """Random filler words, casing and punctuation, the way people actually type."""
    if rng.random() < 0.25:
        filler = rng.choice(fillers)
        prompt = f"{filler} {prompt}" if rng.random() < 0.3 else f"{prompt} {filler}"
    casing = rng.random()
    if casing < 0.1:
        prompt = prompt.upper()
    elif casing < 0.25:
        prompt = prompt.capitalize()
    elif casing < 0.32:
        prompt = prompt.title()
    if rng.random() < 0.3:
        prompt += rng.choice(("?", "!", ".", "...", " :)"))
    return prompt


def typo_in(phrase: str, rng: random.Random, rate: float = 0.1) -> str:
    """Misspell each word of `phrase` with probability `rate`."""
    return " ".join(add_typo(w, rng) if rng.random() < rate else w for w in phrase.split())


def made_up_word(rng: random.Random) -> str:
    """A pronounceable nonsense word ('tavoli'): trigrams the model has no reason to trust."""
    consonants, vowels = "bcdfghklmnprstvwz", "aeiou"
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))


def add_noise_words(prompt: str, rng: random.Random, pool: list[str]) -> str:
    """Insert 1-3 unrelated words at random places: a domain word should win over any noise."""
    words = prompt.split()
    for _ in range(rng.randint(1, 3)):
        noise = made_up_word(rng) if rng.random() < 0.5 else rng.choice(pool)
        words.insert(rng.randint(0, len(words)), noise)
    return " ".join(words)


def add_context(prompt: str, rng: random.Random, t: Templates) -> str:
    """Wrap a prompt in the situation people mention ("... for my analytics dashboard"), so
    that words about the purpose are learned to say nothing about the table."""
    return rng.choice(t.contexts).format(prompt=prompt, purpose=rng.choice(t.purposes))


CHATTER = ("um", "like", "basically", "actually", "you know", "kind of", "just", "really",
           "honestly", "so yeah")  # never in the training templates: filler the model never saw
PERTURBATIONS = ("typos", "shuffled", "filler words", "upper case")


def perturb(prompt: str, kind: str, seed: int = 0) -> str:
    """The same request, roughened one way (see PERTURBATIONS), deterministic per seed."""
    rng = random.Random(f"{seed}:{prompt}")
    words = prompt.split()
    if kind == "typos":  # a slip in 30% of the words of 4+ letters
        return typo_in(prompt, rng, rate=0.3)
    if kind == "shuffled":
        return " ".join(rng.sample(words, len(words)))
    if kind == "filler words":
        for _ in range(3):
            words.insert(rng.randint(0, len(words)), rng.choice(CHATTER))
        return " ".join(words)
    if kind == "upper case":
        return prompt.upper()
    raise ValueError(f"unknown perturbation {kind!r}; choose one of {', '.join(PERTURBATIONS)}")


def humanize(column: str) -> str:
    """How people write a column name: 'date_of_birth' -> 'date of birth'."""
    return column.replace("_", " ")


def mention_columns(columns: tuple[str, ...], rng: random.Random, t: Templates) -> str:
    """'with email and date of birth': people often describe a table by a few of its columns."""
    picked = rng.sample(columns, rng.randint(1, min(3, len(columns))))
    return rng.choice(t.column_mentions).format(columns=spoken_list(picked))


def spoken_list(columns: list[str]) -> str:
    """['email', 'date_of_birth', 'phone'] -> 'email, date of birth and phone'."""
    names = [humanize(c) for c in columns]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def render(template: str, phrase: str, rng: random.Random, t: Templates, columns: str = "") -> str:
    """Fill one template with a phrase, a verb, a noun and a row count, and, where the template
    has them, a place, years and a sentence (drawn only then, so that older templates give the
    same prompts for the same seed)."""
    fill = {"verb": rng.choice(t.verbs), "phrase": phrase, "noun": rng.choice(t.nouns),
            "rows": rng.choice(ROW_COUNTS), "columns": columns}
    if "{place}" in template:
        fill["place"] = rng.choice(t.places)
    if "{years}" in template:
        start = rng.randint(1950, 2020)
        end = start + rng.randint(1, 30)
        fill["years"] = f"{start}-{end}" if rng.random() < 0.7 else str(start)
    if "{sentence}" in template:
        fill["sentence"] = rng.choice(t.sentences)
    return template.format(**fill)


SHAPES = ("request", "title", "description", "issue")


def shaped(phrase: str, columns: tuple[str, ...], shape: str, rng: random.Random,
           t: Templates) -> str:
    """One prompt in one of the SHAPES real requests take: a plain request ("make a hospital
    dataset"), a dataset's title ("Hospital Data 1990-2009"), a README's description ("this
    dataset contains ...") or a ticket ("seed database with dummy patients")."""
    if shape == "title":
        title = render(rng.choice(t.titles), phrase, rng, t)
        return title.title() if rng.random() < 0.6 else title
    if shape == "description":
        mention = mention_columns(columns, rng, t) if columns else ""
        return render(rng.choice(t.descriptions), phrase, rng, t, mention)
    if shape == "issue":
        return render(rng.choice(t.issues), phrase, rng, t)
    return render(rng.choice(t.templates), phrase, rng, t)


def pick_shape(rng: random.Random, rates: dict[str, float]) -> str:
    """A shape drawn with the given rates; "request" takes what the others leave."""
    if not any(rates.values()):
        return "request"  # no draw: the older recipe's prompts stay as they were
    draw = rng.random()
    for shape, rate in rates.items():
        if draw < rate:
            return shape
        draw -= rate
    return "request"


def training_pairs(
    seed: int = 0,
    per_domain: int = 150,
    per_negative: int = 5,
    typo_rate: float = 0.1,
    mention_rate: float = 0.3,
    noise_rate: float = 0.2,
    context_rate: float = 0.3,
    title_rate: float = 0.2,
    description_rate: float = 0.1,
    issue_rate: float = 0.15,
    sentence_rate: float = 0.15,
    per_off_topic: int = 6,
    per_not_table: int = 5,
    vocabulary_rate: float = 0.4,
) -> list[tuple[str, list[str]]]:
    """Deterministic (prompt, columns) pairs: `per_domain` per domain, plus prompts labelled
    with no columns: non-dataset sentences (`per_negative` variants of each), requests for
    subjects no table fits (`per_off_topic` of each) and requests for text, images or code
    (`per_not_table` of each).

    The rates switch the augmentations (0 turns one off, as notebook 07's ablation does):
    misspelt words, columns mentioned ("with email and phone"), unrelated noise words, a
    purpose or persona around the request ("... for my analytics dashboard"), the shapes real
    requests take besides a plain request (titles, descriptions, tickets: see `shaped`) and a
    second sentence that says nothing about the table. vocabulary_rate is the share of requests
    that name their domain with a word of its vocabulary ("baseball") instead of a phrase
    ("sports"); the phrases keep the rest, so the core words stay frequent.
    """
    rng = random.Random(seed)
    t = load_templates()
    domains = load_domains()
    domain_words = {w for d in domains for phrase in (d.words if vocabulary_rate else d.phrases)
                    for w in phrase.split()}
    # words of everyday chatter that name no domain: safe noise, and topics with no table
    chatter = sorted({w for s in t.negatives for w in s.split()} - domain_words)
    rates = {"title": title_rate, "description": description_rate, "issue": issue_rate}

    def request(phrase: str, columns: tuple[str, ...]) -> str:
        shape = pick_shape(rng, rates)
        prompt = shaped(phrase, columns, shape, rng, t)
        if shape == "request" and columns and rng.random() < mention_rate:
            prompt += " " + mention_columns(columns, rng, t)
        if rng.random() < noise_rate:
            prompt = add_noise_words(prompt, rng, chatter)
        if shape in ("request", "issue") and rng.random() < context_rate:
            prompt = add_context(prompt, rng, t)
        if sentence_rate and rng.random() < sentence_rate:
            prompt = f"{prompt.rstrip('.')}. {rng.choice(t.sentences)}"
        return vary_surface(prompt, rng, t.fillers)

    pairs: list[tuple[str, list[str]]] = []
    for domain in domains:
        for _ in range(per_domain):
            vocab = vocabulary_rate and domain.vocabulary and rng.random() < vocabulary_rate
            phrase = typo_in(rng.choice(domain.vocabulary if vocab else domain.phrases), rng,
                             typo_rate)
            pairs.append((request(phrase, domain.columns), list(domain.columns)))
    for topic in t.off_topics:  # asked for like a table, but no table fits: refuse
        for _ in range(per_off_topic):
            pairs.append((request(typo_in(topic, rng, typo_rate), ()), []))
    for sentence in t.not_tables:  # "write a product description ...": not a table either
        for _ in range(per_not_table):
            prompt = add_context(sentence, rng, t) if rng.random() < context_rate else sentence
            pairs.append((vary_surface(typo_in(prompt, rng, typo_rate / 2), rng, t.fillers), []))
    for sentence in t.negatives:
        for _ in range(per_negative):
            prompt = sentence
            if rng.random() < 0.2:  # two requests in one breath: still not a table
                prompt = f"{sentence} and {rng.choice(t.negatives)}"
            if rng.random() < context_rate / 2:  # context alone does not make a request
                prompt = add_context(prompt, rng, t)
            pairs.append((vary_surface(typo_in(prompt, rng, typo_rate / 2), rng, t.fillers), []))
    for _ in range(per_negative * 10):  # gibberish is not a request either
        babble = " ".join(made_up_word(rng) for _ in range(rng.randint(1, 6)))
        pairs.append((vary_surface(babble, rng, t.fillers), []))
    rng.shuffle(pairs)
    return pairs


def shared_columns() -> list[str]:
    """Columns that at least two catalog tables have: the ones people add to any table."""
    counts = Counter(c for d in load_domains() for c in d.columns)
    return sorted(c for c, n in counts.items() if n >= 2)


def decoder_pairs(
    seed: int = 0, per_domain: int = 40, per_negative: int = 2, extra_rate: float = 0.5
) -> list[tuple[str, list[str]]]:
    """Pairs for the decoder of notebook 08: training_pairs, plus, in `extra_rate` of the requests,
    columns from other tables named at the end ("... plus email and phone"), which the answer
    lists after the table's own columns. A classifier over fixed tables cannot learn these."""
    rng = random.Random(f"extras:{seed}")
    t = load_templates()
    extras = shared_columns()
    pairs = []
    for prompt, columns in training_pairs(seed, per_domain, per_negative, **BEFORE_REAL_PHRASINGS):
        if columns and rng.random() < extra_rate:
            added = rng.sample([c for c in extras if c not in columns], rng.randint(1, 2))
            prompt = f"{prompt} {rng.choice(t.extra_mentions).format(columns=spoken_list(added))}"
            columns = columns + added
        pairs.append((prompt, columns))
    return pairs
