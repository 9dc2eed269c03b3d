"""A child's dates on or after its parent's creation: no order before its customer signed up.

A parent's creation column (signup_date, created_at, ...: data/generators.json's date_order
"since") is drawn again, for every parent row, from the very streams helpers.linked drew it
from, and each child date drawn on its own (a plain date or time, not a birth date) is moved
into the span from its parent's date to the column's last day, keeping its place in that span;
dates that follow it ('after': a ship date) follow it there. One level: a grandparent's date
is not looked at. A year the child's row is dated by (a book's publication_year) comes when
its parent is an adult: from the year of the parent's birth plus ADULT (data/generators.json's
date_order adult_age). A column a relation
copies from the parent (a book's author: its author's name, data/relations.json) is the
parent row's value, drawn again the same way. The generation side: it never imports torch.
"""

from __future__ import annotations

import numpy as np

from helpers.date_pairs import DATE_KINDS, adult_age, birth_names, span
from helpers.draws import Context
from helpers.generate import CHUNK_ROWS
from helpers.generators import GENERATORS
from helpers.linked_plan import FkPlan, Plan
from helpers.pools import pools
from helpers.spec import ColumnSpec, DatasetSpec, TableSpec
from helpers.specs import dependencies, load_generator_specs
from helpers.streams import column_seed

CHUNK = CHUNK_ROWS  # drawn again chunk by chunk, as helpers.linked drew it


ADULT = adult_age()  # years from a parent's birth to the first year a child row may carry


def since_column(t: TableSpec) -> ColumnSpec | None:
    """The table's creation date (signup_date, created_at): a plain date or time, not a key."""
    return first_date(t, load_generator_specs().get("date_order", {}).get("since", []))


def first_date(t: TableSpec, names: list[str]) -> ColumnSpec | None:
    """The first of `names` the table has as a plain date or time that is no key."""
    for name in names:
        if name in t.names:
            c = t.column(name)
            if c.kind in DATE_KINDS and not t.is_unique(name):
                return c
    return None


def drawn_again(table: str, column: ColumnSpec, rows: int, seed: int, locale: str
                ) -> np.ndarray:
    """A column that derives from no other (a plain date, a name without a gender) of `rows`
    rows exactly as helpers.linked drew it, chunk by chunk; dates in seconds."""
    parts = []
    for start in range(0, rows, CHUNK):
        n = min(CHUNK, rows - start)
        rng = np.random.default_rng(column_seed(seed, f"{table}.{column.name}", start // CHUNK))
        ctx = Context(rng=rng, start=start, n=n, locale=locale, pools=pools(locale), options={})
        parts.append(np.asarray(GENERATORS[column.kind](
            ctx, {"kind": column.kind, **column.params}, column.name)))
    values = np.concatenate(parts)
    return values.astype("datetime64[s]") if values.dtype.kind == "M" else values


def copied(spec: DatasetSpec, plan: Plan, t: TableSpec, seed: int, locale: str,
           bind: object) -> dict[str, tuple[FkPlan, np.ndarray]]:
    """column -> (foreign key plan, the parent column for every parent row) for the columns
    a relation copies from the parent (params 'copy': a book's author is its author's name),
    where the parent column derives from nothing else in its table and is no key."""
    found = {}
    for column in t.columns:
        copy = column.params.get("copy")
        fk = next((f for f in t.foreign_keys if copy and f.column == copy.get("through")), None)
        fk_plan = plan.fks.get((t.name, fk.column)) if fk else None
        if fk_plan is None or fk_plan.mode == "self":
            continue
        parent = bind(spec.table(fk.table))
        if copy["column"] not in parent.names:
            continue
        source = parent.column(copy["column"])
        if parent.is_unique(source.name) or source.kind == "options" or any(
                d in parent.names for d in dependencies(source.params)):
            continue
        found[column.name] = (fk_plan, drawn_again(parent.name, source,
                                                   plan.rows[parent.name], seed, locale))
    return found


def parent_dates(spec: DatasetSpec, plan: Plan, t: TableSpec, seed: int, locale: str,
                 bind: object, pick: object) -> list[tuple[FkPlan, np.ndarray]]:
    """(foreign key plan, the dates of every parent row) for each parent of `t` in which
    `pick` finds a column (bind: helpers.date_pairs.bind_table, as the parent was generated)."""
    found = []
    for fk in t.foreign_keys:
        fk_plan = plan.fks.get((t.name, fk.column))
        if fk.table == t.name or fk_plan is None or fk_plan.mode == "self":
            continue
        parent = bind(spec.table(fk.table))
        column = pick(parent)
        if column is not None:
            found.append((fk_plan, drawn_again(parent.name, column, plan.rows[parent.name],
                                               seed, locale)))
    return found


def parent_since(spec: DatasetSpec, plan: Plan, t: TableSpec, seed: int, locale: str,
                 bind: object) -> list[tuple[FkPlan, np.ndarray]]:
    """(foreign key plan, the parent's creation date of every parent row) for each parent of
    `t` that has one."""
    return parent_dates(spec, plan, t, seed, locale, bind, since_column)


def parent_births(spec: DatasetSpec, plan: Plan, t: TableSpec, seed: int, locale: str,
                  bind: object) -> list[tuple[FkPlan, np.ndarray]]:
    """(foreign key plan, the year each parent row was born) for each parent of `t` with a
    date of birth (an author's)."""
    born = parent_dates(spec, plan, t, seed, locale, bind,
                        lambda parent: first_date(parent, birth_names()))
    return [(fk_plan, dates.astype("datetime64[Y]").astype(np.int64) + 1970)
            for fk_plan, dates in born]


def years_after_birth(values: np.ndarray, column: ColumnSpec, rows: np.ndarray,
                      births: list[tuple[FkPlan, np.ndarray]], rng: np.random.Generator
                      ) -> np.ndarray:
    """A child's year column (publication_year) moved to ADULT years or more after each
    row's parent was born, keeping its place in the span up to the column's highest year."""
    high = column.params.get("high")
    if not births or column.kind != "int" or not column.name.endswith("_year") or high is None:
        return values
    floor = None
    for fk_plan, years in births:
        points = fk_plan.parent_rows(rows, rng)
        mine = np.where(points >= 0, years[np.maximum(points, 0)] + adult_age(), -(10**9))
        floor = mine if floor is None else np.maximum(floor, mine)
    low = column.params.get("low", 0)
    drawn = np.asarray(values, dtype=np.int64)
    share = (drawn - low) / max(high - low, 1)
    moved = np.rint(floor + share * np.maximum(high - floor, 0)).astype(np.int64)
    return np.where(floor > low, np.maximum(moved, floor), drawn)


def follows_parents(values: np.ndarray, column: ColumnSpec, rows: np.ndarray,
                    since: list[tuple[FkPlan, np.ndarray]], rng: np.random.Generator
                    ) -> np.ndarray:
    """A child's date column moved on or after each row's latest parent creation date."""
    bounds = span({"kind": column.kind, **column.params})
    if not since or bounds is None or column.name in birth_names():
        return values
    first = None
    for fk_plan, dates in since:
        points = fk_plan.parent_rows(rows, rng)  # planned: no draw is made for these modes
        mine = np.where(points >= 0, dates[np.maximum(points, 0)], np.datetime64("NaT"))
        first = mine if first is None else np.fmax(first, mine)
    start = bounds[0].astype("datetime64[s]").astype(np.int64)
    end = (bounds[1] + 1).astype("datetime64[s]").astype(np.int64) - 1
    drawn = np.asarray(values).astype("datetime64[s]").astype(np.int64)
    floor = first.astype(np.int64)
    known = ~np.isnat(first) & (floor > start)
    share = (drawn - start) / max(end - start, 1)
    moved = np.where(known, floor + share * np.maximum(end - floor, 0), drawn)
    unit = np.datetime_data(np.asarray(values).dtype)[0]
    out = moved.astype(np.int64).astype("datetime64[s]")
    if unit == "D":  # a day on or after a time: the next day unless it is midnight
        day = (out + np.timedelta64(86_399, "s")).astype("datetime64[D]")
        out = np.where(known, np.maximum(np.minimum(day, bounds[1]),
                                         first.astype("datetime64[D]")), day)
    return out.astype(np.asarray(values).dtype)
