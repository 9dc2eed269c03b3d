"""Keys that are a function of the row number, so a child can name its parent's key without
the parent table in memory, and no two rows can share one (unique by construction, no retry).

A key column's value for row i: i + 1 for a number, PREFIX-000042 for an id, a bijection of
i for account numbers, card numbers and ISBNs (with their check digits), and a UUID that holds
i in its last bits. A unique column of any other kind keeps its drawn value and gains the row
number, except kinds whose generator is unique per table already (e-mail, VIN, SKU).
"""

from __future__ import annotations

import uuid

import numpy as np

from helpers.identifiers import affine, isbn13_digit, luhn_digit
from helpers.linked_plan import feistel, key_range, mix, salt
from helpers.spec import INDEX_KINDS, ColumnSpec, TableSpec

UNIQUE_BY_GENERATOR = ("email", "username", "vin", "sku")  # unique within a table already


def numbers_at(rows: np.ndarray, digits: int) -> list[int]:
    """Distinct numbers below 10**digits for distinct row numbers (identifiers' bijection)."""
    mixed = affine([int(r) for r in rows], digits, 0x9E3779B97F4A7C15, 12_345)
    reversed_ = [int(f"{x:0{digits}d}"[::-1]) for x in mixed]
    return affine(reversed_, digits, 0x2545F4914F6CDD1D, 0x5851F42D)


def id_prefix(column: ColumnSpec) -> str:
    """CUS for customer_id, as helpers.identifiers.gen_id names it."""
    return column.params.get("prefix") or column.name.removesuffix("_id")[:3].upper() or "ID"


def keeps_composites(table: TableSpec, pairs: list[str]) -> set[str]:
    """Columns made unique so that a composite key cannot repeat: in each key over several
    columns with none unique alone and no pair of foreign keys, its first other column."""
    fk_columns = {fk.column for fk in table.foreign_keys}
    keepers = set()
    for group in [table.primary_key, *table.unique]:
        if len(group) > 1 and not any(table.is_unique(c) for c in group) and not (
                set(pairs) <= set(group) and pairs):
            keepers.add(next((c for c in group if c not in fk_columns), group[0]))
    return keepers


def key_mode(table: TableSpec, column: ColumnSpec, referenced: bool,
             keeper: bool = False) -> str | None:
    """How a column is kept unique: 'index' (a function of the row number), 'suffix' (its
    drawn value plus the row number), 'generator' (unique already), or None (not a key)."""
    if not (table.is_unique(column.name) or referenced or keeper):
        return None
    if column.type in ("integer", "real", "uuid") or column.kind in INDEX_KINDS or referenced:
        return "index"
    return "generator" if column.kind in UNIQUE_BY_GENERATOR else "suffix"


def key_values(table: str, column: ColumnSpec, rows: np.ndarray) -> np.ndarray:
    """The key of each row number (-1: no row, None/NULL)."""
    missing = rows < 0
    rows = np.where(missing, 0, rows)
    if column.type in ("integer", "real") and column.kind == "options":  # CHECK (id IN ...)
        allowed = np.array(sorted(column.params["values"]))  # check_keys: enough of them
        values = allowed[rows]
        values = values.astype(object) if missing.any() else values
    elif column.type in ("integer", "real"):
        first = key_range(column)[0]  # 1, or the lowest a CHECK allows
        values = (rows + first).astype(object) if missing.any() else rows + first
    elif column.type == "uuid" or column.kind == "uuid":
        key = salt(table, column.name)
        with np.errstate(over="ignore"):  # a bijection of the low 62 bits keeps them unique,
            low = feistel(rows.astype(np.uint64), 31, key)  # the rest only has to look random
            high = mix(rows.astype(np.uint64), key ^ 0x5DEECE66D)
        values = np.array([str(uuid.UUID(int=(int(h) << 64) | int(lo), version=4))
                           for h, lo in zip(high.tolist(), low.tolist(), strict=True)],
                          dtype=object)  # below the variant bits, so version 4 keeps them
    elif column.kind == "digits":
        digits, prefix = column.params.get("digits", 10), column.params.get("prefix", "")
        values = np.array([f"{prefix}{v:0{digits}d}" for v in numbers_at(rows, digits)],
                          dtype=object)
    elif column.kind == "isbn":
        bodies = [f"978{v:09d}" for v in numbers_at(rows, 9)]
        values = np.array([b + isbn13_digit(b) for b in bodies], dtype=object)
    elif column.kind == "card":
        bodies = [f"4{v:014d}" for v in numbers_at(rows, 14)]
        values = np.array([b + luhn_digit(b) for b in bodies], dtype=object)
    else:
        prefix = id_prefix(column)
        values = np.array([f"{prefix}-{r + 1:06d}" for r in rows.tolist()], dtype=object)
    if missing.any():
        values = np.asarray(values, dtype=object)
        values[missing] = None
    return values


def with_row_numbers(values: np.ndarray, rows: np.ndarray, column: ColumnSpec) -> np.ndarray:
    """A drawn column made unique: text gains '-<row>', dates and times move one step a row."""
    if column.type in ("date", "timestamp"):
        unit = "D" if column.type == "date" else "s"
        start = np.datetime64(column.params.get("start", "2000-01-01"), unit)
        return start + rows.astype(f"timedelta64[{unit}]")
    if column.type == "boolean":
        return rows + 1  # only two values exist; the row number is the honest key
    text = np.asarray(values, dtype=object).astype(str).astype(object)
    n = column.params.get("max_length")
    if n is not None:  # shortened before the row number goes on, so a VARCHAR(n) keeps it
        return np.array([squeeze(v, n, r, column.kind) for v, r in
                         zip(text.tolist(), rows.tolist(), strict=True)], dtype=object)
    return text + "-" + (rows + 1).astype(str).astype(object)


def squeeze(value: str, n: int, row: int, kind: str) -> str:
    """value with '-<row + 1>' in at most n characters: the value is shortened, never the
    row number, so no two rows share one (an e-mail keeps its domain: ann-7@x.io)."""
    tag = f"-{row + 1}"
    if kind == "email" and "@" in value:
        user, domain = value.split("@", 1)
        if len(domain) + len(tag) + 2 > n:
            domain = "x.io"
        room = n - len(domain) - 1 - len(tag)
        if room >= 1:
            return user[:room].rstrip("._") + tag + "@" + domain
    return value[:max(0, n - len(tag))] + tag


def fit_unique(drawn: object, values: object, rows: np.ndarray, column: ColumnSpec) -> object:
    """A key its generator drew unique (an e-mail, a username) still unique once cut to its
    VARCHAR(n): a value the cut shortened gets its row number instead (all of them do if
    a shortened one would repeat one that fit)."""
    n = column.params.get("max_length")
    if n is None or not isinstance(values, np.ndarray) or values.dtype != object:
        return values
    drawn = np.asarray(drawn, dtype=object).astype(str)
    cut = np.array([len(v) > n for v in drawn.tolist()])
    if not cut.any():
        return values
    out = values.copy()
    out[cut] = with_row_numbers(drawn[cut], rows[cut], column)
    if len(set(out.tolist())) < len(out):
        out = with_row_numbers(drawn, rows, column)
    return out

