"""Faker's word lists, drawn once per locale: names, streets, cities, companies, sentences.

A pool belongs to the locale, not to the table: it is built the first time a table needs it (or
at a server's start-up, through `warm_pools`) from a Faker instance with a fixed seed of its own,
and every table of that locale then picks from it with its own numpy stream. So a new table
seed costs numpy draws only, and variety comes from composing parts (first x last name, house
number x street) rather than from asking Faker again.
"""

from __future__ import annotations

import threading
import unicodedata
import zlib
from collections.abc import Callable, Iterable

import numpy as np
from faker import Faker

from helpers.specs import load_locales

_build_lock = threading.RLock()  # taken only while a pool is built, never once it exists


_NO_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O",
                                   "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE"})


def ascii_fold(text: str) -> str:
    """'Müller' -> 'muller', 'Błażej' -> 'blazej', for e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    folded = folded.encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


_INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_VOWELS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_FINALS = ("- k k k n n n t l k m l l l p l m p p t t ng t t k t p t").split()
def romanize_hangul(text: str, spellings: dict[str, str] | None = None) -> str:
    """'민준' -> 'minjun' (Revised Romanization, syllable by syllable), for the e-mail addresses
    of Korean names; `spellings` gives names as people spell them ('김' -> 'kim')."""
    if spellings and text in spellings:
        return spellings[text]
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if not 0 <= code < 11172:
            out.append(ascii_fold(ch))
            continue
        parts = (_INITIALS[code // 588], _VOWELS[code % 588 // 28], _FINALS[code % 28])
        out.append("".join(p for p in parts if p != "-"))
    return "".join(out) or "user"


def distinct(values: Iterable) -> np.ndarray:
    """Distinct values, first-seen order kept, as an object array."""
    return np.array(list(dict.fromkeys(values)), dtype=object)


def column(values: Iterable) -> np.ndarray:
    """Values as an object array, duplicates kept (parallel to another array)."""
    return np.array(list(values), dtype=object)


def provider_list(fake: Faker, attribute: str) -> list:
    """A word list straight from Faker's locale provider (the whole list, not a sample)."""
    for provider in fake.get_providers():
        if hasattr(provider, attribute):
            return list(getattr(provider, attribute))
    raise AttributeError(f"Faker {fake.locales[0]} has no {attribute}")


class pooled:
    """A pool built on first use from a Faker instance of its own, seeded with the pool's name:
    the order in which pools get built never changes what they hold. Once built, the value sits
    in the instance's __dict__ and later reads never reach this descriptor (nor its lock)."""

    def __init__(self, make: Callable[[Faker, str], np.ndarray]):
        self.make, self.__doc__ = make, make.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, pools: Pools | None, owner: type | None = None) -> np.ndarray:
        if pools is None:
            return self  # type: ignore[return-value]
        with _build_lock:
            if self.name not in pools.__dict__:
                fake = Faker(pools.locale)
                fake.seed_instance(zlib.crc32(self.name.encode()))
                pools.__dict__[self.name] = self.make(fake, pools.locale)
        return pools.__dict__[self.name]


def draw(method: Callable[[], str], n: int) -> np.ndarray:
    """n Faker calls, duplicates dropped."""
    return distinct(method() for _ in range(n))


class Pools:
    """A locale's word lists as numpy object arrays; rows pick from them by index.

    Names come whole from Faker's lists (female first names, then male ones); everything else
    is drawn from Faker the first time a table asks for it."""

    def __init__(self, locale: str):
        self.locale = locale
        self.last_first = load_locales()[locale]["name_order"] == "last first"  # ja_JP
        self.joiner = load_locales()[locale].get("name_joiner", " ")  # zh_CN: 王秀英, no space
        fake = Faker(locale)
        if locale == "ja_JP":  # (kanji, kana, romaji): the e-mail spells the very same name
            female = list(dict.fromkeys(provider_list(fake, "first_name_female_pairs")))
            male = provider_list(fake, "first_name_male_pairs")
            firsts = female + [t for t in dict.fromkeys(male) if t not in female]
            lasts = list(dict.fromkeys(provider_list(fake, "last_name_pairs")))
            self.first, self.last = column(t[0] for t in firsts), column(t[0] for t in lasts)
            self.first_ascii = column(t[2].lower() for t in firsts)
            self.last_ascii = column(t[2].lower() for t in lasts)
        else:
            spec = load_locales()[locale]
            female = list(dict.fromkeys(provider_list(fake, "first_names_female")))
            male = provider_list(fake, "first_names_male")
            self.first = distinct(female + [n for n in male if n not in female])
            self.last = distinct(provider_list(fake, spec.get("last_names", "last_names")))
            if spec.get("romanize") == "hangul":  # Korean names: e-mails in Latin letters
                self.first_ascii = column(romanize_hangul(n) for n in self.first)
                spell = spec.get("surname_spellings", {})
                self.last_ascii = column(romanize_hangul(n, spell) for n in self.last)
            elif spec.get("romanize") == "spellings":  # Chinese names: pinyin, as data
                spell = spec["spellings"]
                self.first_ascii = column(spell.get(n) or "user" for n in self.first)
                self.last_ascii = column(spell.get(n) or "user" for n in self.last)
            else:
                self.first_ascii = column(ascii_fold(n) or "user" for n in self.first)
                self.last_ascii = column(ascii_fold(n) or "user" for n in self.last)
        self.female = len(female)  # self.first[:female] are female names
        self.email_domain = distinct(provider_list(fake, "free_email_domains"))

    @pooled
    def street(fake: Faker, locale: str) -> np.ndarray:
        """Street names without a number (as many Faker calls as data/locales.json says: enough
        for 95,000 distinct addresses in 100,000 rows); ja_JP: towns (machi)."""
        if locale == "ja_JP":
            return distinct(provider_list(fake, "towns"))
        return draw(fake.street_name, load_locales()[locale]["address"]["streets"])

    @pooled
    def city(fake: Faker, locale: str) -> np.ndarray:
        """Towns from Faker (2,000 calls). it_IT's provider builds its list of towns from a set,
        whose order changes with PYTHONHASHSEED: sorted first, so a seed gives the same towns
        in every process."""
        address = fake.provider("faker.providers.address")
        if isinstance(getattr(address, "cities", None), list):
            address.cities = sorted(address.cities)
        return draw(fake.city, 2_000)

    company = pooled(lambda fake, locale: draw(fake.company, 1_000))
    sentence = pooled(lambda fake, locale: draw(fake.sentence, 1_000))
    title = pooled(lambda fake, locale: draw(lambda: fake.sentence(nb_words=4).rstrip("."), 500))
    url = pooled(lambda fake, locale: draw(fake.uri, 500))
    user_agent = pooled(lambda fake, locale: draw(fake.user_agent, 200))

    def build_all(self) -> Pools:
        """Every lazy pool now (for a server, before its first request)."""
        for name, value in vars(Pools).items():
            if isinstance(value, pooled):
                getattr(self, name)
        return self


_built: dict[str, Pools] = {}


def pools(locale: str) -> Pools:
    """The pools of a locale (names at once, the rest when first used). Only a first use takes
    the lock, so that concurrent first requests build them once; later calls are a look-up."""
    found = _built.get(locale)
    if found is not None:
        return found
    with _build_lock:
        if locale not in _built:
            _built[locale] = Pools(locale)
    return _built[locale]


def warm_pools() -> None:
    """Build every pool of every locale now (a server calls this at start-up, not on a request)."""
    for locale in load_locales():
        pools(locale).build_all()
