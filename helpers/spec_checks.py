"""Checking a spec: what DatasetSpec.validate() asks of its tables, columns and keys.

Names, types, generator kinds, a column's params (a value list, dates, sizes, numbers the
generators can draw), keys, foreign keys and their cardinality, and tables that reference
each other in a circle. Every problem is a SpecError naming the table and column. The data
classes live in helpers.spec, which calls these checks, so this module reads the spec through
its fields and does not import them back (that would be an import cycle).

The generation side of helpers: it never imports torch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from helpers.ordering import dependency_order

CARDINALITIES = ("any", "fixed", "uniform", "skewed")
TYPES = ("integer", "real", "text", "date", "timestamp", "boolean", "uuid")
INT64, MAX_FLOAT = 2**63 - 2, 1e300  # rng.integers draws below high + 1; uniform needs a width
INDEX_KINDS = ("id", "digits", "isbn", "card", "uuid")  # kinds a key makes from its row number
OWN_KINDS = ("options",)  # filled by helpers.linked itself: a value list given in the spec


class SpecError(ValueError):
    """A spec that cannot be generated; the message names the table, column, line or field."""


# helpers.spec's DatasetSpec, TableSpec, ColumnSpec and Cardinality, read by their fields:
# this module cannot import them (see above)
Spec = Table = Column = Card = Any


def drawn_key_warnings(spec: Spec) -> list[str]:
    """A referenced column must be a function of the row number, so a child can name it
    without the parent in memory: an e-mail or a name someone references becomes an id."""
    said = []
    for t in spec.tables:
        for fk in t.foreign_keys:
            ref = spec.table(fk.table).column(fk.ref)
            if ref.type not in ("integer", "real", "uuid") and ref.kind not in INDEX_KINDS:
                said.append(f"{fk.table}.{fk.ref} is referenced by {t.name}.{fk.column}, so "
                            f"it holds keys made from the row number (not {ref.kind} values)")
    return said


def table_order(spec: Spec) -> list[str]:
    """Table names, every parent before its children; a cycle is a SpecError naming it."""
    needs = {t.name: {fk.table for fk in t.foreign_keys if fk.table != t.name}
             for t in spec.tables}
    order, stuck = dependency_order(list(needs), needs)
    if stuck:
        raise SpecError("the foreign keys form a cycle: " + " -> ".join(find_cycle(needs,
                                                                                  set(stuck))))
    return order


def find_cycle(needs: dict[str, set[str]], stuck: set[str]) -> list[str]:
    """One cycle among the tables that wait for each other (each stuck table waits for at
    least one other stuck table, so a walk among them must come back), as [a, b, ..., a]."""
    path = [min(stuck)]
    while True:
        nxt = min(p for p in needs[path[-1]] if p in stuck)
        if nxt in path:
            return path[path.index(nxt):] + [nxt]
        path.append(nxt)


def validate_table(t: Table, spec: Spec, kinds: set[str]) -> None:
    """Everything validate() checks inside one table."""
    if not t.columns:
        raise SpecError(f"table {t.name!r} has no columns")
    for c in t.columns:
        if not isinstance(c.name, str) or not c.name or not isinstance(c.params, dict):
            raise SpecError(f"table {t.name!r}: a column needs a name and a params object")
        for flag in ("not_null", "unique"):
            if not isinstance(getattr(c, flag), bool):
                raise SpecError(f"{t.name}.{c.name}: {flag} must be true or false, "
                                f"got {getattr(c, flag)!r}")
    names = t.names
    if len(set(names)) != len(names):
        raise SpecError(f"table {t.name!r}: a column is listed twice")
    if t.rows is not None and (isinstance(t.rows, bool) or not isinstance(t.rows, int)
                               or t.rows < 1):
        raise SpecError(f"table {t.name!r}: rows must be a whole number of at least 1, "
                        f"got {t.rows!r}")
    for c in t.columns:
        if not isinstance(c.type, str) or c.type not in TYPES:
            raise SpecError(f"{t.name}.{c.name}: unknown type {c.type!r} "
                            f"(one of {', '.join(TYPES)})")
        if not isinstance(c.kind, str) or c.kind not in kinds:
            raise SpecError(f"{t.name}.{c.name}: unknown generator kind {c.kind!r}")
    for c in t.columns:
        check_params(c, f"{t.name}.{c.name}")
    for group in [t.primary_key, *t.unique]:
        if not isinstance(group, list) or not all(isinstance(n, str) for n in group):
            raise SpecError(f"table {t.name!r}: a key is a list of column names")
        for name in group:
            t.column(name)
    for fk in t.foreign_keys:
        if not all(isinstance(v, str) for v in (fk.column, fk.table, fk.ref)):
            raise SpecError(f"table {t.name!r}: a foreign key names its column, table and ref")
        t.column(fk.column)
        where = f"{t.name}.{fk.column}"
        if fk.table not in {x.name for x in spec.tables}:
            raise SpecError(f"{where} references table {fk.table!r}, which the spec does not "
                            "have")
        parent = spec.table(fk.table)
        if fk.ref not in parent.names:
            raise SpecError(f"{where} references {fk.table}.{fk.ref}, which does not exist")
        if not parent.is_unique(fk.ref):
            raise SpecError(f"{where} references {fk.table}.{fk.ref}, which is neither the "
                            "primary key nor unique")
        ref = parent.column(fk.ref)
        child = t.column(fk.column)
        if child.type in ("integer", "real") and ref.type not in ("integer", "real"):
            raise SpecError(f"{where} is {child.type} but references {fk.table}.{fk.ref}, "
                            f"which is {ref.type}: give both the same type")
        validate_cardinality(fk.cardinality, where)


def check_params(c: Column, where: str) -> None:
    """Parameters a generator can use: a value list to draw from, sizes within reason."""
    if c.kind == "options":
        values = c.params.get("values")
        if not isinstance(values, list) or not values:
            raise SpecError(f"{where}: kind 'options' needs params.values, a non-empty list")
    if c.kind == "options" and "p" in c.params:
        p = c.params["p"]
        if not isinstance(p, list) or len(p) != len(c.params["values"]) or not all(
                isinstance(w, (int, float)) and not isinstance(w, bool) and w >= 0 for w in p) \
                or not sum(p) > 0:
            raise SpecError(f"{where}: params.p must be one weight of 0 or more per value, "
                            "not all 0")
    if c.kind == "options" and c.type in ("integer", "real") and not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in c.params["values"]):
        raise SpecError(f"{where}: an {c.type} column's allowed values must be numbers, got "
                        f"{c.params['values']!r}")
    for key in ("start", "end", "until"):
        value = c.params.get(key)
        if value is not None:
            try:
                np.datetime64(str(value), "D")
            except ValueError:
                raise SpecError(f"{where}: params.{key} must be a date like 2024-01-31, got "
                                f"{value!r}") from None
    for key in ("digits", "length", "decimals"):
        value = c.params.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 0 <= value <= 64):
            raise SpecError(f"{where}: params.{key} must be a whole number from 0 to 64")
    for key in ("low", "high"):  # a user's number the generators cannot draw: say which
        value = c.params.get(key)
        if value is None or isinstance(value, str):  # a date bound is text
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SpecError(f"{where}: params.{key} must be a number, got {value!r}")
        limit = INT64 if c.kind == "int" else MAX_FLOAT
        if not -limit <= value <= limit:  # also NaN and infinity
            said = f"about 1e{int(math.log10(abs(value)))}" if isinstance(value, int) \
                else f"{value:.6g}"  # str() of a 5,000-digit int is itself an error
            raise SpecError(f"{where}: params.{key} {said} is out of range: a {c.kind!r} "
                            f"column holds numbers up to {limit:.3g} either way")


def validate_cardinality(card: Card, where: str) -> None:
    """A known kind, counts of zero or more, low <= high."""
    if card.kind not in CARDINALITIES:
        raise SpecError(f"{where}: cardinality {card.kind!r} is not one of "
                        f"{', '.join(CARDINALITIES)}")
    for bound in ("low", "high"):
        value = getattr(card, bound)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise SpecError(f"{where}: cardinality {bound} must be a whole number, got {value!r}")
        if value is not None and value < 0:
            raise SpecError(f"{where}: a child count below zero ({bound}={value}); "
                            "each parent has 0 or more children")
    if card.kind in ("fixed", "uniform") and card.low is None:
        raise SpecError(f"{where}: cardinality {card.kind!r} needs low (children per parent)")
    if card.low is not None and card.high is not None and card.low > card.high:
        raise SpecError(f"{where}: cardinality low {card.low} is above high {card.high}")
    if card.kind == "skewed" and (isinstance(card.skew, bool) or not isinstance(
            card.skew, (int, float)) or not card.skew > 0):
        raise SpecError(f"{where}: skew must be above 0, got {card.skew!r}")

