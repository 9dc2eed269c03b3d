"""Filling columns with realistic fake values: a table, column by column, chunk by chunk.

Faker fills each locale's pools once (helpers.pools); numpy then draws every row from those
pools and from plain distributions. Every column has its own random stream, seeded from the
table's seed and the column's name, so a column's values never depend on which other columns
exist, and a new seed costs numpy draws only. The generators themselves are in
helpers.generators (the registry), helpers.identifiers and helpers.contacts; the streams they
draw from in helpers.streams.

The generation side of helpers: it never imports torch.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from helpers.contacts import PHONE_FORMATS
from helpers.date_pairs import bind_rows
from helpers.generators import GENERATORS, Context
from helpers.identifiers import isbn13_digit, luhn_digit, unique_numbers, vin_check_digit
from helpers.ordering import dependency_order
from helpers.pools import Pools, ascii_fold, pools, warm_pools
from helpers.specs import (
    LOCALES,
    catalog_table_of,
    column_spec,
    dependencies,
    load_generator_specs,
    load_locales,
    load_values,
    reference_day,
)
from helpers.streams import (
    column_rng,
    column_seed,
    column_state,
    column_states,
    stream,
    thread_bits,
)

__all__ = [  # what this module offers; the names from the modules it joins are re-exported
    "CHUNK_ROWS", "MAX_IN_MEMORY_ROWS", "LOCALES", "PHONE_FORMATS", "GENERATORS", "Context",
    "Pools", "pools", "warm_pools", "ascii_fold", "column_spec", "load_generator_specs",
    "load_values", "load_locales", "reference_day", "luhn_digit", "isbn13_digit",
    "vin_check_digit", "unique_numbers", "check_request", "generation_order", "iter_chunks",
    "column_seed", "column_state", "column_states", "column_rng", "stream", "thread_bits",
    "column_plan", "table_specs", "make_columns", "generate_chunk", "generate_dataframe",
]

CHUNK_ROWS = 100_000  # rows generated (and written) at a time; memory does not grow past this
MAX_IN_MEMORY_ROWS = 1_000_000  # above this, write to a file instead of building one DataFrame


def check_request(
    columns: Sequence[str], rows: object, locale: str, phone_format: str = "national"
) -> list[str]:
    """Validate a generation request; return the columns as a list."""
    if isinstance(columns, str) or not isinstance(columns, Sequence):
        raise TypeError("columns must be a list of column names")
    if not columns:
        raise ValueError("columns is empty: give at least one column name")
    if not all(isinstance(c, str) and c for c in columns):
        raise TypeError("every column name must be a non-empty string")
    if len(set(columns)) != len(columns):
        raise ValueError("a column is listed twice")
    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)):
        raise TypeError(f"rows must be an integer, got {rows!r}")
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; supported: {', '.join(LOCALES)}")
    if phone_format not in PHONE_FORMATS:
        raise ValueError(f"phone_format must be one of {', '.join(PHONE_FORMATS)}, "
                         f"got {phone_format!r}")
    return list(columns)


def table_specs(columns: Sequence[str], table: str | None = None) -> dict[str, dict]:
    """Each column's spec as this table fills it: its own (helpers.specs.column_spec), with
    the rules that tie a row together applied (helpers.date_pairs.bind_rows: termination after
    hire, one person's first name, last name and e-mail)."""
    return bind_rows({c: column_spec(c, table)[0] for c in columns})


def generation_order(columns: list[str], table: str | None = None) -> list[str]:
    """Columns ordered so that each comes after those it derives from (gender, name, email)."""
    specs = table_specs(columns, table)
    needs = {c: [d for d in dependencies(specs[c]) if d in columns] for c in columns}
    order, circle = dependency_order(columns, needs)
    if circle:
        raise ValueError(f"columns derive from each other in a circle: {sorted(circle)}")
    return order


TEXT = pd.Series(["text"]).dtype  # pandas' own string dtype: "str" from pandas 3, else object


def to_column(values: object) -> object:
    """A column as pandas holds it: categories stay categories (with a fixed dtype, so chunks
    concatenate), strings become pandas strings, numbers and dates stay numpy arrays."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        return pd.array(values, dtype=TEXT)
    return values


@lru_cache(maxsize=4096)
def column_plan(columns: tuple[str, ...], table: str | None) -> tuple[tuple, ...]:
    """(column, spec, generator) in generation order, worked out once per set of columns:
    the order and the specs depend on the columns and the table alone, not on the seed."""
    plan, specs = [], table_specs(columns, table)
    for column in generation_order(list(columns), table):
        spec = specs[column]
        plan.append((column, spec, GENERATORS[spec["kind"]]))
    return tuple(plan)


def make_columns(
    columns: Sequence[str], start: int, n: int, seed: int, locale: str,
    phone_format: str = "national", table: str | None = None, rows: int | None = None,
    city: str | None = None,
) -> dict[str, object]:
    """Rows start..start+n-1 of a table of `rows` rows (default: start + n), column by column
    as the generators make them (numpy arrays, pandas categoricals), in `columns`' order: what
    generate_chunk puts in a DataFrame and the API writes as JSON straight away. Each column
    draws from its own stream (helpers.streams), so its values do not depend on the others."""
    table = catalog_table_of(columns) if table is None else table  # JSON, CSV, chunks alike
    bits = thread_bits()  # this thread's one bit generator, re-stated for each column
    ctx = Context(rng=np.random.Generator(bits), start=start, n=n, locale=locale,
                  pools=pools(locale), options={"phone_format": phone_format,
                                                "rows": start + n if rows is None else rows,
                                                "city": city})
    plan = column_plan(tuple(columns), table)
    states = column_states(seed, tuple(column for column, _, _ in plan), start // CHUNK_ROWS)
    for (column, spec, generator), state in zip(plan, states, strict=True):
        ctx.rng = stream(bits, state)
        ctx.table[column] = generator(ctx, spec, column)
    return {c: ctx.table[c] for c in columns}


def generate_chunk(
    columns: list[str], start: int, n: int, seed: int, locale: str,
    phone_format: str = "national", table: str | None = None, rows: int | None = None,
    city: str | None = None,
) -> pd.DataFrame:
    """Rows start..start+n-1 of a table of `rows` rows (default: start + n)."""
    if start == 0:
        for column in columns:
            if column_spec(column, table)[1] == "fallback":
                warnings.warn(f"no generator for column {column!r}: filling it with plain text",
                              stacklevel=3)
    made = make_columns(columns, start, n, seed, locale, phone_format, table, rows, city)
    return pd.DataFrame({c: to_column(v) for c, v in made.items()},
                        index=pd.RangeIndex(start, start + n), copy=False)


def iter_chunks(
    columns: Sequence[str], rows: int, seed: int = 0, locale: str = "en_US",
    phone_format: str = "national", table: str | None = None, city: str | None = None,
) -> Iterator[pd.DataFrame]:
    """The table in chunks of at most CHUNK_ROWS rows, for streaming to a file. Without
    `table`, columns that are exactly a catalog table's get that table's own specs."""
    columns = check_request(columns, rows, locale, phone_format)
    for start in range(0, rows, CHUNK_ROWS):
        yield generate_chunk(columns, start, min(CHUNK_ROWS, rows - start), seed, locale,
                             phone_format, table, rows, city)


def generate_dataframe(
    columns: Sequence[str], rows: int = 10, seed: int = 0, locale: str = "en_US",
    phone_format: str = "national", table: str | None = None, city: str | None = None,
) -> pd.DataFrame:
    """A DataFrame of `rows` fake rows for `columns`; the same arguments give the same table.
    phone_format: "national" ("(212) 555-0123", "030 1234567") or "e164" ("+12125550123").
    table: the catalog table the columns come from, for its own specs (a house's price); None:
    the catalog table with exactly these columns, if any. city: the one city every row's city
    column holds ("customers from Berlin"), with its area code and postcodes."""
    check_request(columns, rows, locale, phone_format)
    if rows > MAX_IN_MEMORY_ROWS:
        raise ValueError(f"rows={rows:,} is above the in-memory limit of {MAX_IN_MEMORY_ROWS:,}: "
                         "write to a file instead (write_table, or --out on the command line)")
    chunks = list(iter_chunks(columns, rows, seed, locale, phone_format, table, city))
    return chunks[0] if len(chunks) == 1 else pd.concat(chunks)
