"""CREATE TABLE statements as written, parsed with sqlglot (SQLite, PostgreSQL, MySQL).

Each table becomes a RawTable: its columns (RawColumn: type family, ENUM or CHECK values and
ranges, what DECIMAL(p, s), CHAR(n) or a TINYINT can hold, NOT NULL, UNIQUE), its keys and its
references, each with the line it was written on. Nothing is inferred here: helpers.spec_sql
turns these into a DatasetSpec. Errors name the line: a type nobody knows, SQL that does not
parse, a foreign key over several columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

from helpers.spec import SpecError

DIALECTS = ("sqlite", "postgres", "mysql")
FAMILIES = {  # words in sqlglot's type names -> our type families, the first match wins
    "timestamp": ("DATETIME", "TIMESTAMP"),
    "date": ("DATE",),
    "boolean": ("BOOLEAN", "BOOL", "BIT"),
    "uuid": ("UUID", "UNIQUEIDENTIFIER"),
    "integer": ("INT", "SERIAL", "YEAR"),
    "real": ("FLOAT", "DOUBLE", "DECIMAL", "NUMERIC", "MONEY", "REAL", "NUMBER"),
    "text": ("CHAR", "TEXT", "STRING", "ENUM", "JSON", "BLOB", "BINARY", "BYTEA", "INET", "TIME",
             "NAME", "XML", "SET", "CLOB"),
}

INT_SPANS = {  # the values an integer type holds (signed, or UNSIGNED: sqlglot's U...)
    "TINYINT": (-128, 127), "UTINYINT": (0, 255), "SMALLINT": (-32768, 32767),
    "USMALLINT": (0, 65535), "MEDIUMINT": (-8388608, 8388607), "UMEDIUMINT": (0, 16777215),
}


@dataclass
class RawColumn:
    """A column as written, before its kind is inferred."""

    name: str
    type: str | None
    line: int
    options: list | None = None
    low: float | None = None
    high: float | None = None
    not_null: bool = False
    unique: bool = False
    limit: float | None = None  # DECIMAL(p, s): below 10**(p-s)
    scale: int | None = None  # DECIMAL(p, s): s digits after the point
    length: int | None = None  # CHAR(n), VARCHAR(n): at most n characters
    span: tuple[int, int] | None = None  # what a TINYINT, SMALLINT, ... can hold


@dataclass
class RawTable:
    """A table as written: columns, keys and references with their lines."""

    name: str
    line: int
    columns: dict[str, RawColumn] = field(default_factory=dict)
    primary_key: list[str] = field(default_factory=list)
    unique: list[list[str]] = field(default_factory=list)
    references: list[tuple[str, str, str | None, int]] = field(default_factory=list)


def guess_dialect(text: str) -> str:
    """The dialect a file is most likely written in, from words only one of them uses."""
    low = text.lower()
    if "`" in text or "auto_increment" in low or "engine=" in low or " unsigned" in low:
        return "mysql"
    if "autoincrement" in low or "without rowid" in low:
        return "sqlite"
    return "postgres"


def line_of(node: exp.Expression, default: int) -> int:
    """The line a node starts on (sqlglot keeps it on identifiers)."""
    for ident in [node, *node.find_all(exp.Identifier)]:
        line = (ident.meta or {}).get("line") if isinstance(ident, exp.Identifier) else None
        if line:
            return line
    return default


def type_family(kind: exp.DataType | None, where: str) -> str | None:
    """Our type family of a declared type (None: no type written, as SQLite allows)."""
    if kind is None:
        return None
    name = (kind.sql(dialect="postgres") if kind.this == exp.DataType.Type.USERDEFINED
            else kind.this.name).upper()
    for family, words in FAMILIES.items():
        if any(w in name for w in words):
            return family
    raise SpecError(f"{where}: unknown type {kind.sql()!r}")


def literal(node: exp.Expression) -> object:
    """The value of a number or string literal (a negative number too); else None."""
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
        value = literal(node.this)
        return -value if isinstance(value, (int, float)) else None
    if not isinstance(node, exp.Literal):
        return None
    if node.is_string:
        return node.this
    return float(node.this) if any(c in node.this for c in ".eE") else int(node.this)


def read_check(check: exp.Expression, table: RawTable, line: int, warnings: list[str]) -> None:
    """Ranges and IN lists of a CHECK onto the columns they name; anything else is ignored."""
    if isinstance(check, exp.Paren):
        return read_check(check.this, table, line, warnings)
    if isinstance(check, exp.And):
        read_check(check.this, table, line, warnings)
        return read_check(check.expression, table, line, warnings)
    column = check.this if isinstance(check, (exp.Between, exp.In, exp.Binary)) else None
    other = check.args.get("expression") if isinstance(check, exp.Binary) else None
    flip = {exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE}
    if isinstance(other, exp.Column) and type(check) in flip:  # 0 < price: price > 0
        column, other, check = other, column, flip[type(check)](this=other, expression=column)
    raw = table.columns.get(column.name) if isinstance(column, exp.Column) else None
    step = 1 if raw is not None and raw.type == "integer" else 0.01
    if raw is not None and isinstance(check, exp.Between):
        raw.low, raw.high = literal(check.args["low"]), literal(check.args["high"])
    elif raw is not None and isinstance(check, exp.In) and check.expressions:
        raw.options = [literal(v) for v in check.expressions]
    elif raw is not None and type(check) in flip and isinstance(literal(other), (int, float)):
        value = literal(other)
        if isinstance(check, (exp.GT, exp.GTE)):
            raw.low = value + (step if isinstance(check, exp.GT) else 0)
        else:
            raw.high = value - (step if isinstance(check, exp.LT) else 0)
    else:
        warnings.append(f"line {line}: {table.name}: CHECK ({check.sql()}) not understood: "
                        "ignored")


def read_column(node: exp.ColumnDef, table: RawTable, warnings: list[str]) -> None:
    """One column definition and the constraints written on it."""
    line = line_of(node, table.line)
    where = f"line {line}: {table.name}.{node.name}"
    kind = node.args.get("kind")
    if kind is not None and kind.this == exp.DataType.Type.ARRAY:  # tags text[]: one column
        warnings.append(f"{where}: {kind.sql(dialect='postgres').lower()} is an array; each "
                        "row gets one text value")
        kind = exp.DataType.build("TEXT")
    raw = RawColumn(node.name, type_family(kind, where), line)
    if kind is not None and kind.this == exp.DataType.Type.ENUM:
        raw.options = [literal(v) for v in kind.expressions]
    digits = [literal(p.this) for p in kind.expressions] if kind is not None else []
    if raw.type == "real" and len(digits) == 2 and all(isinstance(d, int) for d in digits):
        whole = min(digits[0] - digits[1], 18)  # DECIMAL(400, 2) holds more than we ever draw
        raw.limit = 10.0 ** whole - 10.0 ** -digits[1]  # (and 10.0 ** 400 overflows)
        raw.scale = digits[1]
    if raw.type == "text" and len(digits) == 1 and isinstance(digits[0], int) \
            and "CHAR" in kind.this.name:
        raw.length = digits[0]
    if raw.type == "integer" and kind is not None:
        raw.span = INT_SPANS.get(kind.this.name)
    if raw.name in table.columns:
        raise SpecError(f"{where}: the column is listed twice")
    table.columns[raw.name] = raw
    for constraint in node.args.get("constraints") or []:
        c = constraint.args.get("kind")
        if isinstance(c, exp.PrimaryKeyColumnConstraint):
            table.primary_key = [raw.name]
        elif isinstance(c, exp.NotNullColumnConstraint) and not c.args.get("allow_null"):
            raw.not_null = True
        elif isinstance(c, exp.UniqueColumnConstraint):
            raw.unique = True
        elif isinstance(c, exp.Reference):
            read_reference([raw.name], c, table, line)
        elif isinstance(c, exp.CheckColumnConstraint):
            read_check(c.this, table, line, warnings)


def read_reference(columns: list[str], ref: exp.Reference, table: RawTable, line: int) -> None:
    """REFERENCES parent(column): one column each side (the parent's key when none is named)."""
    target = ref.this
    parent_table = target.this if isinstance(target, exp.Schema) else target
    refs = [e.name for e in target.expressions] if isinstance(target, exp.Schema) else []
    if len(columns) != 1 or len(refs) > 1:
        raise SpecError(f"line {line}: {table.name}: a foreign key over several columns "
                        f"({', '.join(columns)}) is not supported; use one column")
    table.references.append((columns[0], parent_table.name, refs[0] if refs else None, line))


def read_table_constraint(node: exp.Expression, table: RawTable, warnings: list[str]) -> None:
    """PRIMARY KEY (...), UNIQUE (...), FOREIGN KEY ... REFERENCES, CHECK at table level."""
    line = line_of(node, table.line)
    if isinstance(node, exp.Constraint):
        for part in node.expressions:
            read_table_constraint(part, table, warnings)
    elif isinstance(node, exp.PrimaryKey):
        table.primary_key = [e.name for e in node.expressions]
    elif isinstance(node, exp.UniqueColumnConstraint) and node.this is not None:
        table.unique.append([e.name for e in node.this.expressions])
    elif isinstance(node, exp.ForeignKey):
        read_reference([e.name for e in node.expressions], node.args["reference"], table, line)
    elif isinstance(node, exp.CheckColumnConstraint):
        read_check(node.this, table, line, warnings)


def parse_tables(text: str, dialect: str | None) -> tuple[list[RawTable], list[str]]:
    """Every CREATE TABLE of the text, as written."""
    dialect = dialect or guess_dialect(text)
    if dialect not in DIALECTS:
        raise SpecError(f"dialect must be one of {', '.join(DIALECTS)}, got {dialect!r}")
    try:
        statements = sqlglot.parse(text, read=dialect)
    except sqlglot.errors.ParseError as e:
        first = e.errors[0] if e.errors else {}
        raise SpecError(f"line {first.get('line', '?')}: cannot read this SQL "
                        f"({first.get('description', str(e))}) near "
                        f"{first.get('highlight', '')!r}") from None
    except (sqlglot.errors.SqlglotError, RecursionError) as e:  # an unclosed quote, say
        raise SpecError(f"cannot read this SQL: {e}") from None
    tables, warnings = [], []
    for statement in statements:
        if not isinstance(statement, exp.Create) or statement.kind != "TABLE":
            continue
        schema = statement.this
        if not isinstance(schema, exp.Schema):
            raise SpecError(f"line {line_of(statement, 0)}: CREATE TABLE ... AS SELECT has no "
                            "column list to read")
        table = RawTable(schema.this.name, line_of(schema.this, 0))
        for node in schema.expressions:
            if isinstance(node, exp.ColumnDef):
                read_column(node, table, warnings)
            else:
                read_table_constraint(node, table, warnings)
        tables.append(table)
    if not tables:
        raise SpecError("no CREATE TABLE statement found")
    return tables, warnings
