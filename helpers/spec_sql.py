"""CREATE TABLE statements -> a DatasetSpec, parsed with sqlglot (SQLite, PostgreSQL, MySQL).

Read: column types, PRIMARY KEY (on a column or the table), UNIQUE, NOT NULL, REFERENCES and
FOREIGN KEY, CHECK with a range (BETWEEN, <, <=, >, >=, joined by AND) or an IN list, and
ENUM(...). DEFAULT, AUTO_INCREMENT, indexes and other statements are ignored. Errors name the
line: a type nobody knows, a reference to a table or column the file does not create.
helpers.spec_sql_parse reads the statements as written; this module turns each column into a
generator spec (its kind from its name and type, its CHECK, DECIMAL, CHAR(n) or TINYINT limits
applied) and the references into foreign keys.
"""

from __future__ import annotations

from helpers.spec import ColumnSpec, DatasetSpec, ForeignKey, SpecError, TableSpec
from helpers.spec_columns import (
    catalog_table,
    drop_row_rules,
    infer_column,
    with_options,
    with_range,
)
from helpers.spec_sql_parse import (  # noqa: F401 (re-exported: helpers.spec_sql.<name> as before)
    DIALECTS,
    FAMILIES,
    INT_SPANS,
    RawColumn,
    RawTable,
    guess_dialect,
    line_of,
    literal,
    parse_tables,
    read_check,
    read_column,
    read_reference,
    read_table_constraint,
    type_family,
)
from helpers.specs import choices


def spec_from_sql(text: str, dialect: str | None = None) -> DatasetSpec:
    """A DatasetSpec from CREATE TABLE statements; SpecError names the line of a problem."""
    raws, warnings = parse_tables(text, dialect)
    by_name = {t.name: t for t in raws}
    tables = []
    for raw in raws:
        fks = []
        for column, parent, ref, line in raw.references:
            where = f"line {line}: {raw.name}.{column}"
            if column not in raw.columns:
                raise SpecError(f"{where}: the foreign key names a column the table lacks")
            if parent not in by_name:
                raise SpecError(f"{where} references table {parent!r}, which this file does "
                                "not create")
            keys = by_name[parent].primary_key
            ref = ref or (keys[0] if len(keys) == 1 else None)
            if ref not in by_name[parent].columns:
                raise SpecError(f"{where} references {parent}.{ref}, which does not exist")
            fks.append(ForeignKey(column, parent, ref))
        structural = set(raw.primary_key) | {fk.column for fk in fks}
        columns = [column_of(c, raw, c.name in structural, warnings) for c in raw.columns.values()]
        unique = [g for g in raw.unique if len(g) > 1]
        for group in raw.unique:
            if len(group) == 1:
                if group[0] not in raw.columns:
                    raise SpecError(f"line {raw.line}: {raw.name}: UNIQUE ({group[0]}) names a "
                                    "column the table lacks")
                next(c for c in columns if c.name == group[0]).unique = True
        tables.append(TableSpec(raw.name, columns, raw.primary_key, unique, fks,
                                catalog=catalog_table(raw.name)))
    return DatasetSpec(tables, warnings).validate()


def column_of(raw: RawColumn, table: RawTable, structural: bool,
              warnings: list[str]) -> ColumnSpec:
    """The column's kind from its name and type, with its CHECK range or list applied."""
    column, warning = infer_column(raw.name, raw.type, catalog_table(table.name), structural)
    is_key = raw.name in table.primary_key or raw.unique
    if warning and raw.options is None and raw.low is None and raw.high is None:
        warnings.append(f"line {raw.line}: {table.name}.{warning}")
    if raw.options is not None:
        with_options(column, raw.options)
    elif raw.low is not None or raw.high is not None:
        try:
            with_range(column, raw.low, raw.high)
        except SpecError as e:
            raise SpecError(f"line {raw.line}: {table.name}.{e}") from None
        if is_key:
            column.params["declared"] = [raw.low, raw.high]  # its ids stay inside it too
    if raw.span is not None:  # a TINYINT holds -128..127 whatever the name suggests
        low, high = raw.span
        if is_key:
            column.params["holds"] = [low, high]
        if column.kind in ("int", "float", "money", "age"):
            own = column.params.get("low", low), column.params.get("high", high)
            column.params["low"] = max(own[0], low)
            column.params["high"] = min(own[1], high)
            if column.params["low"] > column.params["high"]:
                # the kind's range lies outside the type: as near it as the type allows,
                # never below zero for a count that never is (a TINYINT population: 0..127)
                column.params["low"] = max(low, 0) if own[0] >= 0 else low
                if column.params["high"] < column.params["low"]:  # it lies below the type
                    column.params["high"] = high
                warnings.append(f"line {raw.line}: {table.name}.{raw.name}: its type holds "
                                f"{low} to {high}, outside the {own[0]} to {own[1]} a "
                                f"{raw.name} usually has; drawn from {column.params['low']} "
                                f"to {column.params['high']}")
    if raw.length is not None:
        fit_length(column, raw, table.name)
    if raw.limit is not None and column.kind in ("int", "float", "money"):
        high = min(column.params.get("high", raw.limit), raw.limit)  # what DECIMAL(p, s) holds
        places = column.params.get("decimals")
        if column.kind == "float" and places is not None:  # rounding must not pass the limit:
            places = min(places, raw.scale)                 # 0.99 to one place would be 1.0
            high = int(high * 10**places + 1e-9) / 10**places
            column.params["decimals"] = places
        low = column.params.get("low", 0)
        column.params.update(high=high, low=low if low <= high else high / 10)
        drop_row_rules(column, high)
    column.not_null = raw.not_null or raw.name in table.primary_key
    column.unique = raw.unique
    return column


MIN_LENGTHS = {  # kind -> (the fewest characters one takes, what to call it): a@b.co
    "email": (6, "an e-mail address"), "url": (10, "a URL"), "uuid": (36, "a UUID")}


def fit_length(column: ColumnSpec, raw: RawColumn, table: str) -> None:
    """CHAR(n)/VARCHAR(n): values cut to n characters (params max_length), a country as its
    two-letter code; a kind no n characters can hold (an e-mail in 5) is refused."""
    where = f"line {raw.line}: {table}.{raw.name}"
    need, what = MIN_LENGTHS.get(column.kind, (0, ""))
    if raw.length < need:
        raise SpecError(f"{where}: {raw.length} characters cannot hold {what} "
                        f"(at least {need}); give the column more room")
    if column.kind == "options":
        long = [v for v in column.params["values"] if isinstance(v, str) and len(v) > raw.length]
        if long:
            raise SpecError(f"{where}: the value {long[0]!r} does not fit in {raw.length} "
                            "characters")
        return  # every allowed value fits
    if raw.length < 1:
        raise SpecError(f"{where}: a text column of {raw.length} characters holds nothing")
    if column.kind == "choice":
        fit_choices(column, raw.length, where)
        if column.kind == "options":
            return
    column.params["max_length"] = raw.length


def fit_choices(column: ColumnSpec, n: int, where: str) -> None:
    """A value list in n characters: the values that fit, with their odds (VARCHAR(3) status:
    never 'pen' or 'in '); where none fits, their cut forms if each stays one of its own
    (CHAR(1) gender: f, m, n), else refused as a CHECK ... IN list that does not fit is."""
    values, p = choices({"kind": "choice", **column.params}, column.name)
    fits = [i for i, v in enumerate(values) if not isinstance(v, str) or len(v) <= n]
    if len(fits) == len(values):
        return
    if fits:
        column.kind = "options"
        column.params = {"values": [values[i] for i in fits]}
        if p is not None:
            column.params["p"] = [float(p[i]) for i in fits]
        return
    cut = [str(v)[:n] for v in values]
    if len(set(cut)) < len(cut) or any(c != c.strip() for c in cut):
        raise SpecError(f"{where}: the value {values[0]!r} does not fit in {n} characters")
