"""Checking linked tables across tables: foreign keys that point nowhere, keys that repeat.

Works on a SQLite file (its own CREATE TABLE statements are the spec, unless one is given;
SQLite's `PRAGMA foreign_key_check` and `integrity_check` run too) or on a folder of CSV or
Parquet files with the spec (a spec.json in the folder, or one given). Only key columns are
read from files, so a large table costs one column of memory at a time.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.linked_out import DATABASES, file_stem, quote
from helpers.spec import DatasetSpec, SpecError


@dataclass
class LinkReport:
    """What the check found: one line per problem, and what was checked."""

    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    tables: dict[str, Any] = field(default_factory=dict)  # name -> its plausibility TableReport

    @property
    def ok(self) -> bool:
        """True when nothing was found, across the tables or in any one of them."""
        return not self.problems and all(r.ok for r in self.tables.values())

    def __str__(self) -> str:
        lines = [f"checked {len(self.checked)} keys and references: " + ", ".join(self.checked)
                 if self.checked else "no keys or references declared"]
        lines += [f"  {p}" for p in self.problems] or ["  no orphans, no duplicate keys"]
        lines += [f"table {name}: {report}" for name, report in self.tables.items()]
        return "\n".join(lines)


def key_groups(spec: DatasetSpec) -> list[tuple[str, list[str]]]:
    """(table, columns) of every primary key and unique constraint."""
    groups = []
    for t in spec.tables:
        found = [t.primary_key] if t.primary_key else []
        found += [[c.name] for c in t.columns if c.unique] + list(t.unique)
        groups += [(t.name, g) for g in found if g and (t.name, g) not in groups]
    return groups


def check_sqlite(path: Path | str, spec: DatasetSpec | None = None) -> LinkReport:
    """Orphans, duplicate keys and SQLite's own checks of a database file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{str(path)!r}: file not found")
    try:
        return sqlite_report(path, spec)
    except sqlite3.DatabaseError as e:  # not a database, or not the tables the spec names
        raise ValueError(f"cannot check {str(path)!r} as a SQLite database: {e}") from None


def sqlite_report(path: Path, spec: DatasetSpec | None) -> LinkReport:
    """check_sqlite's work, read-only (as_uri escapes a '?' or '#' in the path)."""
    report = LinkReport()
    uri = path.resolve().as_uri() + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        if spec is None:
            from helpers.spec_sql import spec_from_sql

            ddl = [r[0] for r in db.execute("SELECT sql FROM sqlite_master WHERE type = 'table'")]
            spec = spec_from_sql(";\n".join(ddl) + ";", dialect="sqlite")
        for table, columns in key_groups(spec):
            names = ", ".join(map(quote, columns))
            repeats = db.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {quote(table)} "
                                 f"GROUP BY {names} HAVING COUNT(*) > 1)").fetchone()[0]
            report.checked.append(f"{table}({', '.join(columns)})")
            if repeats:
                report.problems.append(f"{table}({', '.join(columns)}): {repeats:,} values repeat")
        for t in spec.tables:
            for fk in t.foreign_keys:
                col, ref = quote(fk.column), quote(fk.ref)
                orphans = db.execute(
                    f"SELECT COUNT(*) FROM {quote(t.name)} c WHERE c.{col} IS NOT NULL AND NOT "
                    f"EXISTS (SELECT 1 FROM {quote(fk.table)} p WHERE p.{ref} = c.{col})"
                ).fetchone()[0]
                report.checked.append(f"{t.name}.{fk.column} -> {fk.table}.{fk.ref}")
                if orphans:
                    report.problems.append(f"{t.name}.{fk.column}: {orphans:,} rows point to no "
                                           f"{fk.table}.{fk.ref}")
        fk_rows = db.execute("PRAGMA foreign_key_check").fetchall()
        if fk_rows:
            report.problems.append(f"PRAGMA foreign_key_check: {len(fk_rows):,} rows")
        integrity = db.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            report.problems.append(f"PRAGMA integrity_check: {integrity[:3]}")
    return report


def read_columns(folder: Path, table: str, columns: list[str]) -> pd.DataFrame:
    """Some columns of a table's file in the folder, as text (keys compare as written)."""
    for suffix in (".csv", ".parquet"):
        path = folder / f"{file_stem(table)}{suffix}"  # as write_folder names it: inside folder
        if path.is_file():
            if suffix == ".csv":
                return pd.read_csv(path, usecols=columns, dtype=str, keep_default_na=False,
                                   na_values=[""])
            return pd.read_parquet(path, columns=columns).astype("string")
    stem = file_stem(table)
    raise FileNotFoundError(f"{str(folder)!r} has no {stem}.csv or {stem}.parquet")


def check_folder(folder: Path | str, spec: DatasetSpec | None = None) -> LinkReport:
    """Orphans and duplicate keys of a folder with one file per table."""
    folder = Path(folder)
    if spec is None:
        if not (folder / "spec.json").is_file():
            raise SpecError(f"{str(folder)!r} has no spec.json: give the schema with --schema")
        spec = DatasetSpec.from_json((folder / "spec.json").read_text(encoding="utf-8"))
    report = LinkReport()
    for table, columns in key_groups(spec):
        frame = read_columns(folder, table, columns)
        repeats = int(frame.duplicated(keep="first").sum())
        report.checked.append(f"{table}({', '.join(columns)})")
        if repeats:
            report.problems.append(f"{table}({', '.join(columns)}): {repeats:,} values repeat")
    for t in spec.tables:
        for fk in t.foreign_keys:
            child = read_columns(folder, t.name, [fk.column])[fk.column].dropna()
            parent = set(read_columns(folder, fk.table, [fk.ref])[fk.ref].dropna())
            orphans = int((~child.isin(parent)).sum())
            report.checked.append(f"{t.name}.{fk.column} -> {fk.table}.{fk.ref}")
            if orphans:
                report.problems.append(f"{t.name}.{fk.column}: {orphans:,} rows point to no "
                                       f"{fk.table}.{fk.ref}")
    return report


def check_linked(target: Path | str, spec: DatasetSpec | None = None, rules: bool = False,
                 locale: str | None = None, reference_date: str | None = None) -> LinkReport:
    """check_sqlite for a database file, check_folder for a folder; rules=True also runs the
    plausibility rules on each table (helpers.plausibility.check_table, as `check FILE` does
    for one table file), with `locale` and `reference_date` as check_table takes them."""
    target = Path(target)
    if target.is_dir():
        report = check_folder(target, spec)
    elif target.suffix.lower() in DATABASES:
        report = check_sqlite(target, spec)
    else:
        raise ValueError(f"cannot check {str(target)!r} across tables: give a .sqlite/.db "
                         "file or a folder of CSV files")
    if rules:
        from helpers.plausibility import check_table

        spec = spec or spec_of(target)
        for t in spec.tables:
            table = whole_table(target, t.name)
            report.tables[t.name] = check_table(table, locale, reference_date, t.catalog,
                                                key=list(t.primary_key), name=t.name)
    return report


def spec_of(target: Path) -> DatasetSpec:
    """The spec a folder or database carries: its spec.json, or its CREATE TABLE statements."""
    if target.is_dir():
        return DatasetSpec.from_json((target / "spec.json").read_text(encoding="utf-8"))
    uri = target.resolve().as_uri() + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        from helpers.spec_sql import spec_from_sql

        ddl = [r[0] for r in db.execute("SELECT sql FROM sqlite_master WHERE type = 'table'")]
    return spec_from_sql(";\n".join(ddl) + ";", dialect="sqlite")


def whole_table(target: Path, table: str) -> pd.DataFrame:
    """Every column of one table, from the folder's file or the database, for its rules."""
    if target.is_dir():
        from helpers.plausibility import read_table

        for suffix in (".csv", ".parquet"):
            path = target / f"{file_stem(table)}{suffix}"
            if path.is_file():
                return read_table(str(path))
        raise FileNotFoundError(f"{str(target)!r} has no {file_stem(table)}.csv or .parquet")
    uri = target.resolve().as_uri() + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        return pd.read_sql_query(f"SELECT * FROM {quote(table)}", db)

