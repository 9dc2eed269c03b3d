"""What data/ says about generating columns: column specs, value lists and locales.

The generation side reads these JSON files and nothing else: a new column, value list or locale
is an edit in data/, not in Python.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
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
    head = type_word_head(column, own)
    return None if head is None else (own or {}).get(head) or specs["columns"][head]


def type_word_head(column: str, own: dict | None = None) -> str | None:
    """'created_at' for 'created_at_timestamp': a known column and a type word that only says
    what it already is; None for anything else (author_id is an identifier, not a name)."""
    specs = load_generator_specs()
    words = column.split("_")
    if len(words) > 1 and words[-1] in specs.get("type_words", {}):
        head = "_".join(words[:-1])
        known = (own or {}).get(head) or specs["columns"].get(head)
        if known is not None and known.get("kind") == specs["type_words"][words[-1]]["kind"]:
            return head
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


def key_codes(values: object) -> tuple[np.ndarray, list]:
    """A key column as (codes, keys): row i holds keys[codes[i]], and -1 a missing category.
    A pandas categorical gives its own codes (numpy's conversion of one costs more than making
    a 100-row column); anything else is numbered in first-seen order."""
    if isinstance(values, pd.Categorical):
        return values.codes, category_names(values.dtype)
    index: dict = {}
    items = np.asarray(values, dtype=object).tolist()
    codes = np.fromiter((index.setdefault(v, len(index)) for v in items), np.intp, len(items))
    return codes, list(index)


def per_key(keys: object, mapping: Mapping, default: np.ndarray,
            part: int | None = None) -> np.ndarray:
    """mapping[key] row by row as floats (mapping[key][part] with `part`), and `default`'s
    row where the mapping has no key (a missing key, or a value of None): pandas'
    keys.map(mapping).fillna(default), looked up once per distinct key, not once per row."""
    codes, names = key_codes(keys)
    table = (once(key_table, mapping, names, part) if isinstance(keys, pd.Categorical)
             else key_table(mapping, names, part))  # a categorical's names are kept: once
    values = table[codes]  # code -1 (a missing category) takes the last entry: NaN
    return np.where(np.isnan(values), default, values)


def key_table(mapping: Mapping, names: list, part: int | None = None) -> np.ndarray:
    """Each name's value in the mapping as a float (NaN: none), then a NaN for a missing key."""
    found = [mapping.get(k) for k in names]
    if part is not None:
        found = [None if v is None else v[part] for v in found]
    return np.array([np.nan if v is None else v for v in found] + [np.nan], dtype=float)


_once: dict[tuple, tuple] = {}  # (make, ids of its arguments) -> (the arguments, the result)


def once(make: Callable, *args: object) -> object:
    """make(*args), worked out once while the same argument objects are asked for again (a
    spec's lists from data/, a categorical's categories): for what a generator derives from
    its spec on every call. The arguments are held, so their ids are not reused meanwhile;
    the result must not be changed by the caller."""
    key = (make, *map(id, args))
    held = _once.get(key)
    if held is None or any(a is not b for a, b in zip(held[0], args, strict=True)):
        if len(_once) > 4096:
            _once.clear()
        held = _once[key] = (args, make(*args))
    return held[1]


_category_names: dict[int, tuple[object, list]] = {}  # id(dtype) -> (dtype, its categories)


def category_names(dtype: pd.CategoricalDtype) -> list:
    """A categorical dtype's categories as a list, worked out once per dtype: generators keep
    one dtype per value list, so a table's categories are read once, not on every request."""
    held = _category_names.get(id(dtype))
    if held is None or held[0] is not dtype:  # the dtype is held, so its id is not reused
        if len(_category_names) > 1024:
            _category_names.clear()
        held = _category_names[id(dtype)] = (dtype, dtype.categories.tolist())
    return held[1]


def row_range(spec: dict, table: Mapping[str, object], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's (low, high) for a number column: a product's price range or a model's years
    ("range_by", where the row's key has one), scaled down for a car's age ("depreciation"),
    or so much per year of age ("per_year": a car's mileage).
    The generators draw within it and check_table checks against it: one source for both."""
    low = np.full(n, float(spec.get("low", 0)))
    high = np.full(n, float(spec.get("high", 100)))
    by = spec.get("range_by")
    if by and by["of"] in table:
        keys, ranges = table[by["of"]], by["ranges"]
        low, high = per_key(keys, ranges, low, part=0), per_key(keys, ranges, high, part=1)
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
    numbers = np.asarray(years)
    if numbers.dtype.kind in "iuf":  # the usual year column: no pandas round trip needed
        numbers = numbers.astype(float)
        numbers = np.where(np.isnan(numbers), reference_year(), numbers)
    else:  # text or mixed: what cannot be read as a number counts as this year's
        numbers = pd.to_numeric(pd.Series(np.asarray(years, dtype=object)), errors="coerce")
        numbers = numbers.fillna(reference_year()).to_numpy(float)
    return np.clip(reference_year() - numbers, 0, None)


def has_row_range(spec: dict, columns: object) -> bool:
    """Whether a row's key decides this number column's range (see row_range)."""
    return any(key in spec and spec[key]["of"] in columns
               for key in ("range_by", "depreciation", "per_year"))


def currency_decimals(currencies: object) -> np.ndarray:
    """Each row's number of decimals for its currency: 0 for yen, 2 for euros
    (data/generators.json's currency_decimals)."""
    table = load_generator_specs()["currency_decimals"]
    return per_key(currencies, table, np.full(len(currencies), table["*"])).astype(np.int64)


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
