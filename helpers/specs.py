"""What data/ says about generating columns: column specs, value lists and locales.

The generation side reads these JSON files and nothing else: a new column, value list or locale
is an edit in data/, not in Python.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from helpers.catalog import load_catalog, read_json
from helpers.paths import data_file


@lru_cache(maxsize=1)
def load_generator_specs() -> dict:
    """data/generators.json: explicit column specs, name patterns and the reference date."""
    return read_json(data_file("generators.json"))


@lru_cache(maxsize=1)
def load_values() -> dict[str, list]:
    """data/values.json: value lists for categorical columns."""
    return read_json(data_file("values.json"))["values"]


@lru_cache(maxsize=1)
def load_locales() -> dict[str, dict]:
    """data/locales.json: country, name order, address format and phone plan per locale."""
    return read_json(data_file("locales.json"))["locales"]


# locale -> its country, for country columns that agree with the addresses
LOCALES: dict[str, str] = {locale: spec["country"] for locale, spec in load_locales().items()}


def column_spec(column: str, table: str | None = None) -> tuple[dict, str]:
    """The spec for a column and how it was found: 'catalog', 'pattern' or 'fallback'.

    `table`, a catalog table id, picks that table's own spec where data/ gives one (a car's
    price is not a pharmacy's), and a subject of data/generators.json's subject_tables its own
    (a volcano's name is the volcano's); None, or any other table, uses the shared specs.
    A name the catalog does not know is read as people say it (see `spoken_spec`): a subject
    before a column ('chess_rating', 'patient_age'), a type word after a known column
    ('created_at_timestamp'); then the name patterns; then a type word after anything
    ('completion_percent'); then plain text."""
    specs = load_generator_specs()
    own = own_specs(table)
    if column in own:
        return own[column], "catalog"
    if column in specs["columns"]:
        return specs["columns"][column], "catalog"
    spoken = spoken_spec(column, own)
    if spoken is not None:
        return spoken, "pattern"
    for rule in specs["patterns"]:
        if fnmatch.fnmatchcase(column, rule["match"]):
            return {k: v for k, v in rule.items() if k != "match"}, "pattern"
    words = column.split("_")
    if len(words) > 1 and words[-1] in specs.get("type_words", {}):
        return specs["type_words"][words[-1]], "pattern"
    return {"kind": "text"}, "fallback"


def own_specs(table: str | None) -> dict:
    """A table's own column specs: a catalog table's ("tables": a car's price), or a subject's
    the catalog lacks ("subject_tables": a volcano's name and country); {} for any other."""
    if not table:
        return {}
    specs = load_generator_specs()
    if table in specs.get("tables", {}) or table in load_catalog():  # a catalog table's own
        return specs.get("tables", {}).get(table, {})
    return specs.get("subject_tables", {}).get(table, {}).get("columns", {})


def spoken_spec(column: str, own: dict | None = None) -> dict | None:
    """A spec for a name built the way people build them, or None: 'chess_rating' (a subject's
    own range: Elo), 'order_total', 'ship_date' (data/generators.json's subjects), and
    'created_at_timestamp' (a known column and a type word: the type word only says what the
    column already is)."""
    specs = load_generator_specs()
    words = column.split("_")
    subjects = specs.get("subjects", {})
    for i in range(len(words) - 1, 0, -1):  # the longest known tail after a subject word
        tail = "_".join(words[i:])
        for word in words[:i]:
            if tail in subjects.get(word, {}):
                return subjects[word][tail]
    if len(words) > 1 and words[-1] in specs.get("type_words", {}):
        head = "_".join(words[:-1])
        known = (own or {}).get(head) or specs["columns"].get(head)
        # Only where the type word agrees: author_id is an identifier, not the author's name.
        if known is not None and known.get("kind") == specs["type_words"][words[-1]]["kind"]:
            return known
    return None


@lru_cache(maxsize=1)
def _catalog_sets() -> dict[frozenset, str]:
    return {frozenset(columns): table for table, columns in load_catalog().items()}


def catalog_table_of(columns: object) -> str | None:
    """The catalog table with exactly these columns (any order), or None: a table generated
    without naming its catalog table gets that table's own specs, and check_table reads it the
    same way, so both use the same data."""
    return _catalog_sets().get(frozenset(str(c) for c in columns))


def dependencies(spec: dict) -> tuple[str, ...]:
    """The columns a spec derives from: its "of", and the keys of its range or maker code."""
    of = spec.get("of", ())
    found = [of] if isinstance(of, str) else list(of)
    for key in ("range_by", "depreciation", "per_year", "wmi_by"):
        if key in spec:
            found.append(spec[key]["of"])
    for key in ("year_of", "currency_of", "city_of"):
        if key in spec:
            found.append(spec[key])
    return tuple(dict.fromkeys(found))


def row_range(spec: dict, table: Mapping[str, object], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's (low, high) for a number column: a product's price range or a model's years
    ("range_by", where the row's key has one), scaled down for a car's age ("depreciation"),
    or so much per year of age ("per_year": a car's mileage).
    The generators draw within it and check_table checks against it: one source for both."""
    low = np.full(n, float(spec.get("low", 0)))
    high = np.full(n, float(spec.get("high", 100)))
    by = spec.get("range_by")
    if by and by["of"] in table:
        keys = pd.Series(np.asarray(table[by["of"]], dtype=object))
        ranges = by["ranges"]
        low = keys.map({k: r[0] for k, r in ranges.items()}).fillna(pd.Series(low)).to_numpy(float)
        high = keys.map({k: r[1] for k, r in ranges.items()}).fillna(pd.Series(high)).to_numpy(
            float)
    dep = spec.get("depreciation")
    if dep and dep["of"] in table:
        factor = dep["per_year"] ** age_in_years(table[dep["of"]])
        low, high = low * factor, high * factor
    per = spec.get("per_year")
    if per and per["of"] in table:  # a car's mileage: so much a year of its age, at most
        age = age_in_years(table[per["of"]])
        low, high = age * per["low"], (age + 1) * per["high"]
    return low, high


def age_in_years(years: object) -> np.ndarray:
    """Whole years from each model year to the reference year (0 for this year's)."""
    years = pd.to_numeric(pd.Series(np.asarray(years, dtype=object)), errors="coerce")
    return np.clip(reference_year() - years.fillna(reference_year()).to_numpy(float), 0, None)


def has_row_range(spec: dict, columns: object) -> bool:
    """Whether a row's key decides this number column's range (see row_range)."""
    return any(key in spec and spec[key]["of"] in columns
               for key in ("range_by", "depreciation", "per_year"))


def currency_decimals(currencies: object) -> np.ndarray:
    """Each row's number of decimals for its currency: 0 for yen, 2 for euros
    (data/generators.json's currency_decimals)."""
    table = load_generator_specs()["currency_decimals"]
    keys = pd.Series(np.asarray(currencies, dtype=object))
    return keys.map(table).fillna(table["*"]).to_numpy(dtype=np.int64)


def reference_year() -> int:
    """The year of the reference day (a car's age is counted to it)."""
    return int(str(reference_day())[:4])


def reference_day() -> np.datetime64:
    """The fixed 'today' of every generated table (never the real today: tables must not drift)."""
    return np.datetime64(load_generator_specs()["reference_date"], "D")


def choices(spec: dict, column: str) -> tuple[list, np.ndarray | None]:
    """A categorical column's values and their probabilities (None: equal odds)."""
    values = load_values()[spec.get("values", column)]
    if isinstance(values, dict):
        weights = np.array(list(values.values()), dtype=float)
        return list(values), weights / weights.sum()
    return list(dict.fromkeys(values)), None
