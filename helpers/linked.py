"""Linked generation: every table of a DatasetSpec, parents first, chunk by chunk.

Nothing of a finished table is kept: a key is a function of the row number
(helpers.linked_keys) and a foreign key's plan says which parent row each child row points to
(helpers.linked_plan), so a child's foreign key is its parent's key computed again. Memory
stays at one chunk however many rows are made. Every column has its own random stream, seeded
from the seed, the table and the column, so the same spec and seed give the same tables.

The generation side of helpers: it never imports torch.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from helpers.date_pairs import bind_table
from helpers.draws import Context
from helpers.generate import CHUNK_ROWS, column_seed, dependencies, to_column
from helpers.generators import GENERATORS
from helpers.linked_dates import (
    copied,
    follows_parents,
    parent_births,
    parent_since,
    years_after_birth,
)
from helpers.linked_keys import (
    fit_unique,
    keeps_composites,
    key_mode,
    key_values,
    with_row_numbers,
)
from helpers.linked_plan import (
    DEFAULT_ROWS,
    Plan,
    make_plan,
    pair_columns,
    permute,
    referenced,
    salt,
)
from helpers.ordering import dependency_order
from helpers.pools import pools
from helpers.spec import ColumnSpec, DatasetSpec, SpecError, TableSpec
from helpers.specs import LOCALES


def column_order(t: TableSpec) -> list[ColumnSpec]:
    """Columns ordered so that each comes after those it derives from (email after name)."""
    names = t.names
    needs = {c.name: [d for d in dependencies(c.params) if d in names and d != c.name]
             for c in t.columns}
    order, circle = dependency_order(names, needs)
    if circle:
        raise SpecError(f"table {t.name!r}: columns derive from each other in a circle: "
                        f"{', '.join(circle)}")
    return [t.column(n) for n in order]


def keys_at(spec: DatasetSpec, plan: Plan, table: str, column: str, rows: np.ndarray,
            rng: np.random.Generator) -> np.ndarray:
    """table.column's values at these row numbers (-1: NULL): the column's own key, or, where
    that column is itself a foreign key, the key it names one table up (and so on)."""
    fk = plan.fks.get((table, column))
    if fk is None:
        return key_values(table, spec.table(table).column(column), rows)
    missing = rows < 0
    up = fk.parent_rows(np.where(missing, 0, rows), rng)  # planned, so no draw is made here
    return keys_at(spec, plan, fk.fk.table, fk.fk.ref, np.where(missing, -1, up), rng)


def as_type(values: object, column: ColumnSpec) -> object:
    """Numbers a kind draws as floats become whole numbers in an integer column; text is cut
    to the length a CHAR(n)/VARCHAR(n) gives (an e-mail keeps its domain)."""
    if column.type == "integer" and isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return np.rint(values).astype(np.int64)
    n = column.params.get("max_length")
    if n is not None and isinstance(values, pd.Categorical):  # a status from a value list
        values = np.asarray(values, dtype=object)
    if n is not None and isinstance(values, np.ndarray) and values.dtype == object:
        return np.array([cut(v, n, column.kind) for v in values.tolist()], dtype=object)
    return values


def cut(value: object, n: int, kind: str) -> object:
    """A text value in at most n characters: an e-mail's name part shortened, not its domain."""
    if not isinstance(value, str) or len(value) <= n:
        return value
    if kind == "email" and "@" in value:
        user, domain = value.split("@", 1)
        if len(domain) + 2 > n:
            domain = "x.io"
        return user[:max(1, n - len(domain) - 1)].rstrip("._") + "@" + domain
    return value[:n]


def fill(spec: DatasetSpec, plan: Plan, t: TableSpec, column: ColumnSpec, ctx: Context,
         rows: np.ndarray, keys: set[tuple[str, str]]) -> object:
    """One column's values for the rows of this chunk."""
    fk = plan.fks.get((t.name, column.name))
    if fk is not None:
        points = fk.parent_rows(rows, ctx.rng)
        if column.not_null:  # a first row that must name someone names itself
            points = np.where(points < 0, rows, points)
        values = keys_at(spec, plan, fk.fk.table, fk.fk.ref, points, ctx.rng)
        if column.type == "integer" and values.dtype == object:  # NULL first manager
            return pd.array(values, dtype="Int64")
        return values
    keeper = column.name in keeps_composites(t, pair_columns(t))
    mode = key_mode(t, column, (t.name, column.name) in keys, keeper)
    if mode == "index":
        return key_values(t.name, column, rows)
    if column.kind == "options":
        options = np.asarray(column.params["values"], dtype=object)
        if mode == "suffix":  # unique: each allowed value once (check_keys made sure they fit)
            values, mode = options[permute(rows, len(options), salt(t.name, column.name))], None
        else:
            weights = column.params.get("p")  # spec.check_params made sure they are weights
            p = None if weights is None else np.asarray(weights, float) / sum(weights)
            values = options[ctx.rng.choice(len(options), size=ctx.n, p=p) if p is not None
                             else ctx.rng.integers(len(options), size=ctx.n)]
        if column.type in ("integer", "real", "boolean"):
            values = values.astype(np.int64 if column.type == "integer" else float
                                   if column.type == "real" else bool)
    else:
        values = GENERATORS[column.kind](ctx, {"kind": column.kind, **column.params}, column.name)
    if mode == "suffix":
        values = with_row_numbers(values, rows, column)
    if mode == "generator":  # unique as drawn, but a VARCHAR(n) cut could make two alike
        return fit_unique(values, as_type(values, column), rows, column)
    return as_type(values, column)


def iter_table(spec: DatasetSpec, plan: Plan, name: str, seed: int = 0, locale: str = "en_US",
               phone_format: str = "national") -> Iterator[pd.DataFrame]:
    """One table of the spec in chunks of at most CHUNK_ROWS rows."""
    t, total, keys = bind_table(spec.table(name)), plan.rows[name], referenced(spec)
    order = column_order(t)
    since = parent_since(spec, plan, t, seed, locale, bind_table)  # orders after sign-ups
    copies = copied(spec, plan, t, seed, locale, bind_table)  # a book's author's name
    births = parent_births(spec, plan, t, seed, locale, bind_table)  # no book before 18
    for start in range(0, total, CHUNK_ROWS):
        n = min(CHUNK_ROWS, total - start)
        rows = np.arange(start, start + n, dtype=np.int64)
        ctx = Context(rng=np.random.default_rng(0), start=start, n=n, locale=locale,
                      pools=pools(locale), options={"phone_format": phone_format})
        for column in order:
            ctx.rng = np.random.default_rng(column_seed(seed, f"{name}.{column.name}",
                                                        start // CHUNK_ROWS))
            ctx.table[column.name] = fill(spec, plan, t, column, ctx, rows, keys)
            if column.name in copies:
                fk_plan, values = copies[column.name]
                ctx.table[column.name] = values[fk_plan.parent_rows(rows, ctx.rng)]
            if births and column.kind == "int" and not t.is_unique(column.name):
                ctx.table[column.name] = years_after_birth(ctx.table[column.name], column, rows,
                                                           births, ctx.rng)
            if since and column.kind in ("date", "datetime") and not t.is_unique(column.name):
                ctx.table[column.name] = follows_parents(ctx.table[column.name], column, rows,
                                                         since, ctx.rng)
        yield pd.DataFrame({c: to_column(ctx.table[c]) for c in t.names},
                           index=pd.RangeIndex(start, start + n), copy=False)


def iter_dataset(spec: DatasetSpec, seed: int = 0, locale: str = "en_US",
                 default_rows: int = DEFAULT_ROWS, phone_format: str = "national",
                 ) -> Iterator[tuple[str, pd.DataFrame]]:
    """(table name, chunk) for every table, parents first: stream it to a file or database."""
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; supported: {', '.join(LOCALES)}")
    plan = make_plan(spec.validate(), seed, default_rows)
    for name in plan.order:
        for chunk in iter_table(spec, plan, name, seed, locale, phone_format):
            yield name, chunk


def generate_tables(spec: DatasetSpec, seed: int = 0, locale: str = "en_US",
                    default_rows: int = DEFAULT_ROWS, phone_format: str = "national",
                    ) -> dict[str, pd.DataFrame]:
    """Every table of the spec in memory, parents first (stream with iter_dataset for more)."""
    parts: dict[str, list[pd.DataFrame]] = {}
    for name, chunk in iter_dataset(spec, seed, locale, default_rows, phone_format):
        parts.setdefault(name, []).append(chunk)
    return {name: chunks[0] if len(chunks) == 1 else pd.concat(chunks)
            for name, chunks in parts.items()}
