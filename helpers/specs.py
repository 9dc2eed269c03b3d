"""What data/ says about generating columns: column specs, value lists and locales.

The generation side reads these JSON files and nothing else: a new column, value list or locale
is an edit in data/, not in Python.
"""

from __future__ import annotations

import fnmatch
from functools import lru_cache

import numpy as np

from helpers.catalog import read_json
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
    price is not a pharmacy's); None, or a table outside the catalog, uses the shared specs."""
    specs = load_generator_specs()
    own = specs.get("tables", {}).get(table, {}) if table else {}
    if column in own:
        return own[column], "catalog"
    if column in specs["columns"]:
        return specs["columns"][column], "catalog"
    for rule in specs["patterns"]:
        if fnmatch.fnmatchcase(column, rule["match"]):
            return {k: v for k, v in rule.items() if k != "match"}, "pattern"
    return {"kind": "text"}, "fallback"


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
