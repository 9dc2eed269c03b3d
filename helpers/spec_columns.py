"""From a column's name and type to the generator kind that fills it, for every front-end.

The name decides first, exactly as data/generators.json decides for prompts today
(helpers.specs.column_spec: catalog columns, then name patterns). A declared type the name's
kind cannot fill (customer_id INTEGER) or a name that gives no clue falls back to the type;
only the second is worth a warning. The generation side: no torch.
"""

from __future__ import annotations

import math

import numpy as np

from helpers.catalog import load_catalog
from helpers.spec import ColumnSpec, SpecError
from helpers.specs import column_spec

KIND_TYPES = {  # what SQL type a generator kind's values are
    "int": "integer", "age": "integer", "float": "real", "money": "real", "product": "real",
    "date": "date", "datetime": "timestamp", "bool": "boolean", "uuid": "uuid",
}
TYPE_FALLBACK: dict[str, tuple[str, dict]] = {  # a type's kind when nothing else is known
    "integer": ("int", {"low": 0, "high": 1000}), "real": ("float", {"low": 0.0, "high": 1000.0}),
    "text": ("text", {}), "date": ("date", {}), "timestamp": ("datetime", {}),
    "boolean": ("bool", {}), "uuid": ("uuid", {}),
}
FITS = {  # the kinds whose values each non-text type can hold
    "integer": {"int", "age", "bool"}, "real": {"int", "age", "float", "money", "product"},
    "date": {"date"}, "timestamp": {"datetime", "date"}, "boolean": {"bool"}, "uuid": {"uuid"},
}
KEY_KINDS = ("id", "digits", "isbn", "card", "uuid", "vin", "sku")  # made unique per row


def kind_type(kind: str, params: dict) -> str:
    """The SQL type family of a kind's values ('after' is a date or a time by its unit)."""
    if kind == "after":
        return "date" if params.get("unit") == "D" else "timestamp"
    return KIND_TYPES.get(kind, "text")


def catalog_table(name: str) -> str | None:
    """`name` when it is a catalog table id (its own generator specs then apply), else None."""
    return name if name in load_catalog() else None


def infer_column(name: str, type_: str | None = None, table: str | None = None,
                 structural: bool = False) -> tuple[ColumnSpec, str | None]:
    """The column a name (and, if known, a type) describes, and a warning when only the type
    could say how to fill it. structural: a key or foreign key, filled by the linked
    generator itself, so a missing clue is no reason to warn."""
    spec, found = column_spec(name, table)
    kind, params = spec["kind"], {k: v for k, v in spec.items() if k != "kind"}
    if type_ is None:
        return ColumnSpec(name, kind_type(kind, params), kind, params), (
            None if found != "fallback" or structural else
            f"{name}: no generator fits its name; filled with plain text")
    if found != "fallback" and (type_ == "text" or kind in FITS.get(type_, ())):
        return ColumnSpec(name, type_, kind, params), None
    kind, params = TYPE_FALLBACK[type_]
    warn = found == "fallback" and not structural
    return ColumnSpec(name, type_, kind, dict(params)), (
        f"{name}: no generator fits its name; filled as {type_}" if warn else None)


def guess_primary_key(columns: list[ColumnSpec]) -> list[str]:
    """A table whose first column is an identifier (customer_id, isbn, vin) is keyed by it."""
    first = columns[0] if columns else None
    return [first.name] if first is not None and first.kind in KEY_KINDS else []


def with_range(column: ColumnSpec, low: float | None, high: float | None) -> ColumnSpec:
    """The column drawn between low and high (a CHECK, a JSON Schema's minimum/maximum, a
    sample's range): a numeric kind keeps its own range where it lies inside the bounds,
    a date column draws between two dates, anything else becomes a number of its type.
    Bounds the user gave win over the catalog's row rules (a product's price range)."""
    if column.type in ("date", "timestamp"):
        return with_dates(column, low, high)
    for bound in (low, high):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
            raise SpecError(f"{column.name}: a number column's bound must be a number, "
                            f"got {bound!r}")
    whole = column.type == "integer" or (column.type not in ("real",) and column.kind == "int")
    if low is not None and high is not None and (
            low > high or (whole and math.ceil(low) > math.floor(high))):
        raise SpecError(f"{column.name}: no {'whole ' if whole else ''}number lies between "
                        f"{low} and {high}: its range is empty")
    drop_row_rules(column)
    if column.kind == "product":  # price x quantity: kept where no bound can be passed
        # a floor of a cent or less (CHECK (total > 0), minimum 0.01) holds for any product of
        # a positive price and quantity: it stays the product check_table expects
        if high is None and (low is None or low <= 0.01):
            return column
        column.kind = "money"
        column.params.pop("of", None)
    if column.kind not in ("int", "float", "money"):
        column.kind = "int" if column.type == "integer" else "float"
        column.params = {}
        if column.type not in ("integer", "real"):
            column.type = "integer" if column.kind == "int" else "real"
    cast = int if column.kind == "int" else float
    if cast is int:  # whole numbers inside the bounds: 0.5..2.5 is 1..2, not 0..2
        low = None if low is None else math.ceil(low)
        high = None if high is None else math.floor(high)
    lo, hi = column.params.get("low"), column.params.get("high")
    lo = low if lo is None or (low is not None and lo < low) else lo
    hi = high if hi is None or (high is not None and hi > high) else hi
    if lo is not None and hi is not None and lo > hi:  # the kind's range lies outside the bounds
        lo, hi = (low, lo + 1000) if high is None else (hi - 1000, high) if low is None else \
            (low, high)
    column.params.update({k: cast(v) for k, v in (("low", lo), ("high", hi)) if v is not None})
    return column


def with_dates(column: ColumnSpec, low: object, high: object) -> ColumnSpec:
    """A date or time column drawn between two ISO dates (a CHECK ... BETWEEN on a DATE)."""
    try:
        start, end = (None if v is None else np.datetime64(str(v)[:10], "D") for v in (low, high))
    except ValueError:
        raise SpecError(f"{column.name}: a date column's bounds must be dates like "
                        f"2020-01-31, got {low!r} and {high!r}") from None
    ten_years = np.timedelta64(3652, "D")
    start = start if start is not None else end - ten_years
    end = end if end is not None else start + ten_years
    if start > end:
        raise SpecError(f"{column.name}: its first date {start} comes after its last {end}")
    column.kind = "date" if column.type == "date" else "datetime"
    column.params = {"start": str(start), "end": str(end)}
    return column


def drop_row_rules(column: ColumnSpec, high: float | None = None) -> ColumnSpec:
    """Forget the catalog's per-row ranges (a product's price band, a car's mileage a year)
    where a bound the user gave could be passed: every one, or those reaching above `high`."""
    for key in ("range_by", "depreciation", "per_year"):
        rule = column.params.get(key)
        if rule is None:
            continue
        ranges = rule.get("ranges", {}) if isinstance(rule, dict) else {}
        if high is None or key == "per_year" or any(r[1] > high for r in ranges.values()):
            del column.params[key]
    return column


def with_options(column: ColumnSpec, values: list) -> ColumnSpec:
    """The column drawn from a fixed list of values (CHECK ... IN, an enum, a sample)."""
    column.kind, column.params = "options", {"values": list(values)}
    return column
