"""One spec for tables that belong together, whatever it was read from.

A prompt, a CREATE TABLE file, a JSON Schema or a CSV header all become a DatasetSpec: its
tables, each column with the generator kind that fills it, primary and unique keys, not-null
columns, foreign keys with how many children each parent gets, and a row count per table. The
linked generator (helpers.linked) only ever sees this spec. It is plain data: to_json and
from_json round-trip it, and validate() names the table and column of anything wrong.

The generation side of helpers: it never imports torch.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
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


@dataclass
class Cardinality:
    """How many children each parent row gets: 'any' (each child picks a parent at random),
    'fixed' (exactly low), 'uniform' (low to high, evenly) or 'skewed' (Zipf: few get many)."""

    kind: str = "any"
    low: int | None = None
    high: int | None = None
    skew: float = 1.2  # the Zipf exponent of 'skewed'


@dataclass
class ForeignKey:
    """column -> table.ref: each value of `column` is a value of the parent's `ref`."""

    column: str
    table: str
    ref: str
    cardinality: Cardinality = field(default_factory=Cardinality)


@dataclass
class ColumnSpec:
    """One column: its type, the generator kind that fills it and that kind's parameters."""

    name: str
    type: str = "text"
    kind: str = "text"
    params: dict[str, Any] = field(default_factory=dict)
    not_null: bool = False
    unique: bool = False


@dataclass
class TableSpec:
    """One table: its columns, keys, foreign keys and row count (None: the default or what
    its foreign keys' cardinality makes)."""

    name: str
    columns: list[ColumnSpec]
    primary_key: list[str] = field(default_factory=list)
    unique: list[list[str]] = field(default_factory=list)  # constraints over several columns
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    rows: int | None = None
    catalog: str | None = None  # the catalog table whose own generator specs apply

    def column(self, name: str) -> ColumnSpec:
        """The column called `name`; SpecError naming the table when there is none."""
        for column in self.columns:
            if column.name == name:
                return column
        raise SpecError(f"table {self.name!r} has no column {name!r}")

    @property
    def names(self) -> list[str]:
        """The column names, in order."""
        return [c.name for c in self.columns]

    def is_unique(self, name: str) -> bool:
        """True when `name` alone is a key: the one-column primary key or a unique column."""
        return self.primary_key == [name] or self.column(name).unique or [name] in self.unique


@dataclass
class DatasetSpec:
    """Tables that belong together; `warnings` (not part of the spec's identity) lists columns
    a front-end filled by their type alone."""

    tables: list[TableSpec]
    warnings: list[str] = field(default_factory=list, compare=False)

    def table(self, name: str) -> TableSpec:
        """The table called `name`; SpecError when there is none."""
        for table in self.tables:
            if table.name == name:
                return table
        raise SpecError(f"no table {name!r} in the spec (tables: "
                        f"{', '.join(t.name for t in self.tables)})")

    def to_dict(self) -> dict:
        """The spec as plain JSON-ready data."""
        return {"tables": [asdict(t) for t in self.tables], "warnings": list(self.warnings)}

    def to_json(self, indent: int | None = 1) -> str:
        """The spec as a JSON document."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, raw: Any) -> DatasetSpec:
        """Read a spec from parsed JSON, naming the field of anything wrong."""
        if not isinstance(raw, dict) or not isinstance(raw.get("tables"), list):
            raise SpecError("a spec is an object with a 'tables' list")
        warnings = raw.get("warnings", [])
        if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
            raise SpecError("a spec's 'warnings' is a list of strings")
        spec = cls([table_from(t, f"tables[{i}]") for i, t in enumerate(raw["tables"])],
                   list(warnings))
        return spec.validate()

    @classmethod
    def from_json(cls, text: str) -> DatasetSpec:
        """Read a spec from a JSON document."""
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as e:
            raise SpecError(f"the spec is not valid JSON (line {e.lineno}: {e.msg})") from None

    def validate(self) -> DatasetSpec:
        """Check names, keys, kinds, references and counts; return self or raise SpecError."""
        from helpers.generators import GENERATORS  # the registry: which kinds exist

        names = [t.name for t in self.tables]
        if not names:
            raise SpecError("the spec has no tables")
        if len(set(names)) != len(names):
            twice = sorted({n for n in names if names.count(n) > 1})
            raise SpecError(f"a table is named twice: {', '.join(twice)}")
        for t in self.tables:
            validate_table(t, self, set(GENERATORS) | set(OWN_KINDS))
        table_order(self)  # a cycle is an error too
        for warning in drawn_key_warnings(self):
            if warning not in self.warnings:
                self.warnings.append(warning)
        return self


def drawn_key_warnings(spec: DatasetSpec) -> list[str]:
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


def table_order(spec: DatasetSpec) -> list[str]:
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


def validate_table(t: TableSpec, spec: DatasetSpec, kinds: set[str]) -> None:
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


def check_params(c: ColumnSpec, where: str) -> None:
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


def validate_cardinality(card: Cardinality, where: str) -> None:
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


def table_from(raw: Any, where: str) -> TableSpec:
    """A TableSpec from parsed JSON; `where` names it in errors."""
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        raise SpecError(f"{where}: a table is an object with a 'name' and 'columns'")
    where = f"{where} ({raw['name']!r})"
    columns = raw.get("columns")
    if not isinstance(columns, list):
        raise SpecError(f"{where}: 'columns' must be a list")
    try:
        cols = [ColumnSpec(**c) for c in columns]
        fks = [ForeignKey(**{**fk, "cardinality": Cardinality(**fk.get("cardinality", {}))})
               for fk in raw.get("foreign_keys", [])]
        rest = {k: v for k, v in raw.items() if k not in ("columns", "foreign_keys")}
        return TableSpec(columns=cols, foreign_keys=fks, **rest)
    except TypeError as e:  # an unknown or missing field: said in the spec's words
        raise SpecError(f"{where}: {field_error(e)}") from None


FIELDS = {"Cardinality": "a cardinality", "ForeignKey": "a foreign key",
          "ColumnSpec": "a column", "TableSpec": "a table"}


def field_error(error: TypeError) -> str:
    """A dataclass's complaint about its fields, without Python's names: 'a cardinality has
    no field 'count' (its fields: kind, low, high, skew)'."""
    import re
    from dataclasses import fields

    text = str(error)
    owner = re.match(r"(\w+)\.__init__\(\)", text)
    cls = {c.__name__: c for c in (Cardinality, ForeignKey, ColumnSpec, TableSpec)}.get(
        owner.group(1) if owner else "")
    what = FIELDS.get(cls.__name__, "it") if cls else "it"
    known = f" (its fields: {', '.join(f.name for f in fields(cls))})" if cls else ""
    unknown = re.search(r"unexpected keyword argument '(\w+)'", text)
    if unknown:
        return f"{what} has no field {unknown.group(1)!r}{known}"
    missing = re.findall(r"'(\w+)'", text) if "missing" in text else []
    if missing:
        return f"{what} needs {', '.join(repr(m) for m in missing)}{known}"
    return f"{what} is not written as a spec says{known}"
