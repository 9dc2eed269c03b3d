"""A locale's real cities and the columns drawn from them: city names and postcodes.

data/locales.json lists each locale's cities with their area code and postcode shapes
('10###', 'SW1 #@@'). A city column draws from them (or holds the one city a prompt names:
"customers from Berlin"), a postcode column follows its row's city, and helpers.contacts gives a
row's phone number that city's area code. The checker (helpers.plausibility) reads the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from helpers.draws import codes_by, pick
from helpers.identifiers import DIGITS, join_chars
from helpers.places import place_readings
from helpers.pools import ascii_fold
from helpers.specs import load_locales


@dataclass(frozen=True)
class Cities:
    """A locale's real cities (data/locales.json): names, area codes, postcode shapes."""

    names: np.ndarray  # (cities,) object
    areas: dict[str, str]  # city -> area code
    postcodes: dict[str, list[str]]  # city -> its postcode shapes
    spelled: dict[str, str]  # 'munich', 'münchen' -> 'München'
    shapes: list[str]  # every postcode shape, OTHER_SHAPE first
    shapes_by: dict[str, list[str]]  # postcodes, and "*": [OTHER_SHAPE] for any other city


OTHER_SHAPE = "#####"  # the postcode of a city the locale does not list


@lru_cache(maxsize=64)
def cities(locale: str) -> Cities:
    """The cities a locale's tables live in; the same data the checker reads."""
    found = load_locales()[locale].get("cities", [])
    spelled = {}
    for city in found:
        for name in (city["name"], city.get("en", city["name"])):
            spelled[name.lower()] = spelled[ascii_fold(name)] = city["name"]
    postcodes = {c["name"]: c["postcode"] for c in found}
    shapes = list(dict.fromkeys([OTHER_SHAPE, *(p for c in found for p in c["postcode"])]))
    return Cities(np.array([c["name"] for c in found], dtype=object),
                  {c["name"]: c["area"] for c in found}, postcodes, spelled, shapes,
                  {**postcodes, "*": [OTHER_SHAPE]})


def city_named(locale: str, text: str | None) -> str | None:
    """The locale's city a prompt's place names ('Munich', 'from Berlin', 'based in Munich'
    -> 'München', 'Berlin', 'München'), or None. The words before the place are
    helpers.places' (data/reading.json); a name may begin with one ('The Hague')."""
    if not text:
        return None
    known = cities(locale).spelled
    for phrase in place_readings(text):  # 'from The Hague': 'The Hague' before 'Hague'
        found = known.get(phrase.lower()) or known.get(ascii_fold(phrase))
        if found:
            return found
    return None


def gen_city(ctx, spec, column):
    """A town from Faker's pool; with "real" (the city column) one of the locale's real cities
    (data/locales.json), whose area code and postcodes the row's phone and postcode carry, or
    for every row the one the prompt named ("customers from Berlin")."""
    known = cities(ctx.locale).names
    if not spec.get("real") or not len(known):
        return pick(ctx, ctx.pools.city)
    named = ctx.options.get("city")
    if named:
        return np.full(ctx.n, named, dtype=object)
    return pick(ctx, known)


def gen_postcode(ctx, spec, column):
    """A postcode of the row's city (one of its shapes: '10###', 'SW1 #@@', 'M#@ #@#'), or of
    any of the locale's cities when the table has no city column."""
    known = cities(ctx.locale)
    city = ctx.table.get(spec.get("city_of", ""))
    city = pick(ctx, known.names) if city is None else np.asarray(city, dtype=object)
    city = np.where(pd.isna(city), "", city)  # no city (a NULL): as a city not listed, "*"
    # one uniform per row, spent on its city's shapes
    shapes = np.array(known.shapes, dtype=object)[codes_by(ctx, city, known.shapes_by,
                                                           known.shapes)]
    letters = np.array(list(load_locales()[ctx.locale].get("postcode_letters", "ABCDEFGH")))
    out = np.empty(ctx.n, dtype=object)
    for shape in sorted(set(shapes.tolist())):  # a fixed order: each shape draws in turn
        rows = np.flatnonzero(shapes == shape)
        chars = np.broadcast_to(np.array(list(shape)), (len(rows), len(shape))).copy()
        digit, letter = chars == "#", chars == "@"
        chars[digit] = DIGITS[ctx.rng.integers(10, size=int(digit.sum()))]
        chars[letter] = letters[ctx.rng.integers(len(letters), size=int(letter.sum()))]
        out[rows] = join_chars(chars)
    return out
