"""Before any row is made: the order of the tables, their row counts, and each foreign key's plan.

Parents come before children (a topological order); a self-reference (employees.manager_id)
is not an edge, since it is filled from earlier rows of the same table. Each foreign key gets
a plan that says, for any child row number, which parent row it points to, without holding
either table in memory:

- counts: children per parent are drawn once (fixed, uniform, skewed or any); child row r
  points to the parent whose running total first passes perm(r), a bijection of 0..rows-1, so
  the children of one parent are spread over the table and every parent gets exactly its count;
- one: a foreign key that is itself unique (one-to-one): row r points to parent perm(r);
- pair: two foreign keys that form a composite key (film_actor): row r takes pair number
  perm(r) of the parents' product, so no pair repeats;
- self: row r points to an earlier row, drawn at random; the first row points to no row.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from helpers.spec import (
    INDEX_KINDS,
    Cardinality,
    ColumnSpec,
    DatasetSpec,
    ForeignKey,
    SpecError,
    TableSpec,
    table_order,
)

DEFAULT_ROWS = 10


class TooManyRows(SpecError):
    """A table would have more rows than the caller allows (the API's per-table limit)."""


def salt(*parts: object) -> int:
    """A stable 32-bit number for names: the same spec and seed always plan the same way."""
    return zlib.crc32("\x1f".join(map(str, parts)).encode())


def mix(x: np.ndarray, key: int) -> np.ndarray:
    """splitmix64's finaliser: every output bit depends on every input bit (wraps mod 2**64)."""
    z = (x + np.uint64(key & 0xFFFFFFFFFFFF)) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def feistel(x: np.ndarray, half: int, key: int) -> np.ndarray:
    """A bijection of 0..4**half-1: four Feistel rounds over two halves of `half` bits."""
    mask = np.uint64((1 << half) - 1)
    left, right = x >> np.uint64(half), x & mask
    for round_ in range(4):
        left, right = right, left ^ (mix(right, key * 4 + round_) >> np.uint64(64 - half))
    return (left << np.uint64(half)) | right


def permute(rows: np.ndarray, n: int, key: int) -> np.ndarray:
    """A bijection of 0..n-1 that scatters neighbours, so nothing repeats and no pattern shows.

    A Feistel network permutes 0..4**h-1 (the smallest such range holding n); a value that
    lands outside 0..n-1 takes further steps along its own cycle until it is inside (cycle
    walking: under 4 steps on average, and still a bijection, not a retry of random draws)."""
    half = max(1, ((n - 1).bit_length() + 1) // 2)
    with np.errstate(over="ignore"):
        values = feistel(rows.astype(np.uint64), half, key)
        outside = values >= n
        while outside.any():
            values[outside] = feistel(values[outside], half, key)
            outside = values >= n
    return values.astype(np.int64)


def child_counts(card: Cardinality, parents: int, rows: int | None, rng: np.random.Generator,
                 where: str, default_rows: int = DEFAULT_ROWS) -> np.ndarray:
    """Children per parent, summing to `rows` (when given) and following the cardinality."""
    if card.kind == "fixed":
        if rows is not None and rows != card.low * parents:
            raise SpecError(f"{where}: {card.low} children for each of {parents:,} parents make "
                            f"{card.low * parents:,} rows, but the table asks for {rows:,}")
        return np.full(parents, card.low, dtype=np.int64)
    if card.kind == "uniform" and card.high is not None:
        return uniform_counts(card.low, card.high, parents, rows, rng, where)
    if rows is None:
        rows = default_rows
    if card.kind == "skewed":
        weights = (rng.permutation(parents) + 1.0) ** -card.skew  # Zipf over shuffled parents
        return rng.multinomial(rows, weights / weights.sum()).astype(np.int64)
    low = card.low or 0  # 'any', or 'uniform' with only a floor: at least low each
    if rows < low * parents:
        raise SpecError(f"{where}: at least {low} children for each of {parents:,} parents "
                        f"need {low * parents:,} rows, but the table asks for {rows:,}")
    extra = rng.multinomial(rows - low * parents, np.full(parents, 1.0 / parents))
    return extra.astype(np.int64) + low


def uniform_counts(low: int, high: int, parents: int, rows: int | None,
                   rng: np.random.Generator, where: str) -> np.ndarray:
    """low..high children per parent; with `rows` given, moved one at a time to sum to it."""
    counts = rng.integers(low, high + 1, size=parents).astype(np.int64)
    if rows is None:
        return counts
    if not low * parents <= rows <= high * parents:
        raise SpecError(f"{where}: {low} to {high} children for each of {parents:,} parents "
                        f"make {low * parents:,} to {high * parents:,} rows, not {rows:,}")
    total, lowest, highest = int(counts.sum()), low * parents, high * parents
    if total > rows:  # shrink every count's part above low by one factor: still in range
        counts = low + (counts - low) * (rows - lowest) // max(total - lowest, 1)
    elif total < rows:  # grow every count's room below high by one factor
        counts = high - (high - counts) * (highest - rows) // max(highest - total, 1)
    diff = rows - int(counts.sum())  # now fewer than `parents` either way
    while diff:  # each pass moves min(|diff|, room) children: one or two passes
        step = 1 if diff > 0 else -1
        room = np.flatnonzero(counts < high if step > 0 else counts > low)
        take = rng.choice(room, size=min(abs(diff), len(room)), replace=False)
        counts[take] += step
        diff -= step * len(take)
    return counts


@dataclass
class FkPlan:
    """How one foreign key column finds its parent row for any child row number."""

    fk: ForeignKey
    mode: str  # counts, one, pair, self
    parents: int
    ends: np.ndarray | None = None  # counts: running totals of children per parent
    key: int = 0
    other: int = 1  # pair: the other parent's row count
    first: bool = True  # pair: this column takes the pair number's quotient, else remainder

    def parent_rows(self, rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The parent row of each child row (-1: none, the first row of a self-reference)."""
        if self.mode == "self":
            parent = np.floor(rng.random(len(rows)) * rows).astype(np.int64)
            return np.where(rows == 0, -1, parent)
        if self.mode == "one":
            return permute(rows, self.parents, self.key)
        if self.mode == "pair":
            pair = permute(rows, self.parents * self.other, self.key)  # same k for both
            return pair // self.other if self.first else pair % self.parents
        return np.searchsorted(self.ends, permute(rows, int(self.ends[-1]), self.key),
                               side="right")


@dataclass
class Plan:
    """Row counts per table and a plan per foreign key column, in generation order."""

    order: list[str]
    rows: dict[str, int]
    fks: dict[tuple[str, str], FkPlan] = field(default_factory=dict)


def pair_columns(t: TableSpec) -> list[str]:
    """The two foreign keys that must not repeat as a pair: a composite key with no column
    unique alone and at least two foreign key columns (film_actor's actor_id, film_id)."""
    fk_columns = [fk.column for fk in t.foreign_keys]
    for group in [t.primary_key, *t.unique]:
        if len(group) > 1 and not any(t.is_unique(c) for c in group):
            linked = [c for c in group if c in fk_columns]
            if len(linked) >= 2:
                return linked[:2]
    return []


def sets_rows(card: Cardinality) -> bool:
    """True when the cardinality alone says how many children there are."""
    return card.kind == "fixed" or (card.kind == "uniform" and card.high is not None)


def referenced(spec: DatasetSpec) -> set[tuple[str, str]]:
    """(table, column) pairs some foreign key points to: their values must be row functions."""
    return {(fk.table, fk.ref) for t in spec.tables for fk in t.foreign_keys}


def check_rows(name: str, rows: int, max_rows: int | None) -> None:
    """Refuse a table past the caller's limit before anything its size is allocated."""
    if max_rows is not None and rows > max_rows:
        raise TooManyRows(f"table {name!r} would have {rows:,} rows; at most {max_rows:,} "
                          "per table here")


def key_range(column: ColumnSpec) -> tuple[int, int | None]:
    """A number key's first value and the highest it may reach: 1 (or the low end of the
    column's CHECK) up to the CHECK's high end or what its type holds (TINYINT: 127)."""
    low, high = (column.params.get("declared") or [None, None])[:2]
    holds = (column.params.get("holds") or [None, None])[1]
    first = 1 if low is None else int(np.ceil(low))
    tops = [int(np.floor(v)) for v in (high, holds) if v is not None]
    return first, min(tops) if tops else None


def check_keys(t: TableSpec, rows: int, keys: set[tuple[str, str]]) -> None:
    """Key columns that cannot hold `rows` different values are refused, not repeated."""
    for c in t.columns:
        if not (t.is_unique(c.name) or (t.name, c.name) in keys):
            continue
        where = f"{t.name}.{c.name}"
        if c.type == "boolean":
            raise SpecError(f"{where} is a key, but a boolean column holds only two values")
        if c.type in ("integer", "real") and c.kind != "options":
            first, top = key_range(c)
            low, high = (c.params.get("holds") or [None, None])[:2]
            if (low is not None and top is not None and top < first) and (
                    first > high or top < low):  # the CHECK asks for what the type cannot hold
                lo, hi = (c.params.get("declared") or [None, None])[:2]
                asked = f"{lo} to {hi}" if None not in (lo, hi) else \
                    f"{lo} and up" if hi is None else f"up to {hi}"
                raise SpecError(f"{where}: its CHECK range ({asked}) lies outside what its "
                                f"type holds ({low} to {high}): widen the type or fix the CHECK")
            if top is not None and rows > top - first + 1:
                raise SpecError(f"{where} is a key from {first} to {top}: {rows:,} rows cannot "
                                "all differ (widen its type or CHECK, or ask for fewer rows)")
        if c.kind == "options" and rows > len(set(c.params.get("values", []))):
            raise SpecError(f"{where} is unique, but its {len(set(c.params['values']))} allowed "
                            f"values cannot fill {rows:,} rows (allow more values or ask for "
                            "fewer rows)")
        n = c.params.get("max_length")
        if n is not None and (t.name, c.name) not in keys and len(str(rows)) + 1 > n and \
                c.type not in ("integer", "real", "uuid") and \
                c.kind not in (*INDEX_KINDS, "options", "digits"):
            raise SpecError(f"{where} is unique text of at most {n} characters: too short to "
                            f"tell {rows:,} rows apart by their row numbers (widen it to "
                            f"{len(str(rows)) + 1} or more, or ask for fewer rows)")
        digits = c.params.get("digits", 10)
        if c.kind == "digits" and c.type not in ("integer", "real", "uuid") \
                and rows > 10**digits:
            raise SpecError(f"{where} is a key of {digits} digits: {rows:,} rows cannot all "
                            "differ (give it more digits or fewer rows)")


def check_chain(spec: DatasetSpec, t: TableSpec) -> None:
    """A foreign key may point to a column that is itself a foreign key (it then names the
    grandparent's key), but not to a self-reference, whose rows are drawn, not planned."""
    for fk in t.foreign_keys:
        parent = spec.table(fk.table)
        if any(g.column == fk.ref and g.table == parent.name for g in parent.foreign_keys):
            raise SpecError(f"{t.name}.{fk.column} references {fk.table}.{fk.ref}, which "
                            "references its own table: point it at the table's key instead")


def make_plan(spec: DatasetSpec, seed: int = 0, default_rows: int = DEFAULT_ROWS,
              max_rows: int | None = None) -> Plan:
    """Row counts and foreign key plans for the whole spec; SpecError for what cannot be met
    (TooManyRows, before any large array is made, for a table past max_rows)."""
    plan, keys = Plan(table_order(spec), {}), referenced(spec)
    for name in plan.order:
        t = spec.table(name)
        rows = t.rows
        if rows is not None:
            check_rows(name, rows, max_rows)
        check_chain(spec, t)
        pairs = pair_columns(t)
        counted = [fk for fk in t.foreign_keys if fk.table != name and fk.column not in pairs
                   and not t.is_unique(fk.column)]
        counted.sort(key=lambda fk: not sets_rows(fk.cardinality))  # those that size it first
        drawn = {}
        if rows is None and not any(sets_rows(fk.cardinality) for fk in counted):
            rows = default_rows
        for fk in counted:  # the first count-giving key sets the rows when the spec does not
            rng = np.random.default_rng([seed, salt(name, fk.column)])
            counts = child_counts(fk.cardinality, plan.rows[fk.table], rows, rng,
                                  f"{name}.{fk.column}", default_rows)
            rows, drawn[fk.column] = int(counts.sum()), counts
        rows = rows if rows is not None else default_rows
        if rows < 1:
            raise SpecError(f"table {name!r}: its cardinality gives no rows at all")
        check_rows(name, rows, max_rows)
        check_keys(t, rows, keys)
        plan.rows[name] = rows
        for fk in t.foreign_keys:
            plan.fks[(name, fk.column)] = fk_plan(t, fk, plan, rows, pairs, drawn, seed)
    return plan


def fk_plan(t: TableSpec, fk: ForeignKey, plan: Plan, rows: int, pairs: list[str],
            drawn: dict[str, np.ndarray], seed: int) -> FkPlan:
    """How one foreign key column of a table with `rows` rows finds its parent rows."""
    name = t.name
    parents, key = plan.rows.get(fk.table, rows), salt(seed, name, fk.column)
    where = f"{name}.{fk.column}"
    if fk.table == name:
        return FkPlan(fk, "self", rows, key=key)
    if fk.column in pairs:
        partner = pairs[1 - pairs.index(fk.column)]
        other = next(f for f in t.foreign_keys if f.column == partner)
        others = plan.rows[other.table]
        if rows > parents * others:
            raise SpecError(f"{where}: {rows:,} rows cannot all be different pairs of "
                            f"{parents:,} x {others:,} parents")
        return FkPlan(fk, "pair", parents, key=salt(seed, name), other=others,
                      first=fk.column == pairs[0])
    if t.is_unique(fk.column):
        if rows > parents:
            raise SpecError(f"{where} is unique, so {rows:,} rows need as many "
                            f"{fk.table} rows; there are {parents:,}")
        return FkPlan(fk, "one", parents, key=key)
    return FkPlan(fk, "counts", parents, ends=np.cumsum(drawn[fk.column]), key=key)
