"""Synthetic (prompt, columns) training pairs, generated from the catalog and a seed.

Breadth beats volume here: many verbs, templates and phrases, plus casing, punctuation,
filler words and typos, so that the model learns the domain words rather than the template.
"""

from __future__ import annotations

import random
import string
from collections import Counter

from helpers.catalog import Templates, load_domains, load_templates

ROW_COUNTS = ("5", "10", "20", "25", "50", "100", "200", "500", "1000", "a few", "some")


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


def render(template: str, phrase: str, rng: random.Random, t: Templates) -> str:
    """Fill one template with a phrase, a verb, a noun and a row count."""
    return template.format(
        verb=rng.choice(t.verbs),
        phrase=phrase,
        noun=rng.choice(t.nouns),
        rows=rng.choice(ROW_COUNTS),
    )


def training_pairs(
    seed: int = 0,
    per_domain: int = 150,
    per_negative: int = 5,
    typo_rate: float = 0.1,
    mention_rate: float = 0.3,
    noise_rate: float = 0.2,
    context_rate: float = 0.3,
) -> list[tuple[str, list[str]]]:
    """Deterministic (prompt, columns) pairs: `per_domain` per domain, plus non-dataset prompts
    labelled with no columns (`per_negative` variants of each).

    The rates switch the augmentations (0 turns one off, as notebook 07's ablation does):
    misspelt words, columns mentioned ("with email and phone"), unrelated noise words, and a
    purpose or persona around the request ("... for my analytics dashboard").
    """
    rng = random.Random(seed)
    t = load_templates()
    domains = load_domains()
    domain_words = {w for d in domains for phrase in d.phrases for w in phrase.split()}
    # words of everyday chatter that name no domain: safe noise, and topics with no table
    chatter = sorted({w for s in t.negatives for w in s.split()} - domain_words)
    pairs: list[tuple[str, list[str]]] = []
    for domain in domains:
        for _ in range(per_domain):
            phrase = typo_in(rng.choice(domain.phrases), rng, typo_rate)
            prompt = render(rng.choice(t.templates), phrase, rng, t)
            if rng.random() < mention_rate:
                prompt += " " + mention_columns(domain.columns, rng, t)
            if rng.random() < noise_rate:
                prompt = add_noise_words(prompt, rng, chatter)
            if rng.random() < context_rate:
                prompt = add_context(prompt, rng, t)
            pairs.append((vary_surface(prompt, rng, t.fillers), list(domain.columns)))
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
    for prompt, columns in training_pairs(seed, per_domain, per_negative):
        if columns and rng.random() < extra_rate:
            added = rng.sample([c for c in extras if c not in columns], rng.randint(1, 2))
            prompt = f"{prompt} {rng.choice(t.extra_mentions).format(columns=spoken_list(added))}"
            columns = columns + added
        pairs.append((prompt, columns))
    return pairs
