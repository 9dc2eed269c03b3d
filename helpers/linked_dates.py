"""A child's dates on or after its parent's creation: no order before its customer signed up.

A parent's creation column (signup_date, created_at, ...: data/generators.json's date_order
"since") is drawn again, for every parent row, from the very streams helpers.linked drew it
from, and each child date drawn on its own (a plain date or time, not a birth date) is moved
into the span from its parent's date to the column's last day, keeping its place in that span;
dates that follow it ('after': a ship date) follow it there. One level: a grandparent's date
is not looked at. The generation side of helpers: it never imports torch.
"""

from __future__ import annotations

import numpy as np

from helpers.date_pairs import DATE_KINDS, birth_names, span
from helpers.draws import Context
from helpers.generators import GENERATORS
from helpers.linked_plan import FkPlan, Plan
from helpers.pools import pools
from helpers.spec import ColumnSpec, DatasetSpec, TableSpec
from helpers.specs import load_generator_specs
from helpers.streams import column_seed

CHUNK = 100_000  # as helpers.generate.CHUNK_ROWS (not imported: generate imports linked's kin)


def since_column(t: TableSpec) -> ColumnSpec | None:
    """The table's creation date (signup_date, created_at): a plain date or time, not a key."""
    names = load_generator_specs().get("date_order", {}).get("since", [])
    for name in names:
        if name in t.names:
            c = t.column(name)
            if c.kind in DATE_KINDS and not t.is_unique(name):
                return c
    return None


def drawn_again(table: str, column: ColumnSpec, rows: int, seed: int, locale: str
                ) -> np.ndarray:
    """A plain date column of `rows` rows exactly as helpers.linked drew it, chunk by chunk."""
    parts = []
    for start in range(0, rows, CHUNK):
        n = min(CHUNK, rows - start)
        rng = np.random.default_rng(column_seed(seed, f"{table}.{column.name}", start // CHUNK))
        ctx = Context(rng=rng, start=start, n=n, locale=locale, pools=pools(locale), options={})
        parts.append(GENERATORS[column.kind](ctx, {"kind": column.kind, **column.params},
                                             column.name))
    return np.concatenate(parts).astype("datetime64[s]")


def parent_since(spec: DatasetSpec, plan: Plan, t: TableSpec, seed: int, locale: str,
                 bind: object) -> list[tuple[FkPlan, np.ndarray]]:
    """(foreign key plan, the parent's creation date of every parent row) for each parent of
    `t` that has one (bind: helpers.date_pairs.bind_table, as the parent was generated)."""
    found = []
    for fk in t.foreign_keys:
        fk_plan = plan.fks.get((t.name, fk.column))
        if fk.table == t.name or fk_plan is None or fk_plan.mode == "self":
            continue
        parent = bind(spec.table(fk.table))
        column = since_column(parent)
        if column is not None:
            found.append((fk_plan, drawn_again(parent.name, column, plan.rows[parent.name],
                                               seed, locale)))
    return found


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
