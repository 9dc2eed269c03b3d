"""One spec for tables that belong together, whatever it was read from.

A prompt, a CREATE TABLE file, a JSON Schema or a CSV header all become a DatasetSpec: its
tables, each column with the generator kind that fills it, primary and unique keys, not-null
columns, foreign keys with how many children each parent gets, and a row count per table. The
linked generator (helpers.linked) only ever sees this spec. It is plain data: to_json and
from_json round-trip it, and validate() names the table and column of anything wrong (the
checks themselves are helpers.spec_checks').

The generation side of helpers: it never imports torch.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from helpers.spec_checks import (  # noqa: F401 (re-exported: helpers.spec.<name> as before)
    CARDINALITIES,
    INDEX_KINDS,
    INT64,
    MAX_FLOAT,
    OWN_KINDS,
    TYPES,
    SpecError,
    check_params,
    drawn_key_warnings,
    find_cycle,
    table_order,
    validate_cardinality,
    validate_table,
)


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
