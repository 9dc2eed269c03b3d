"""The command line's linked tables: `generate --schema FILE`, linked prompts, `check DB`.

    python -m helpers generate --schema shop.sql --out shop.sqlite --rows 1000
    python -m helpers generate --schema payload.json --out tables/      # one CSV per table
    python -m helpers generate "50 customers and their 200 orders" --out shop.sqlite
    python -m helpers check shop.sqlite                 # orphans and repeated keys
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from helpers.export import MAX_FILE_ROWS
from helpers.linked_out import DATABASES
from helpers.linked_plan import DEFAULT_ROWS
from helpers.spec import DatasetSpec, SpecError

SCHEMAS = (".sql", ".json", ".csv")


def load_spec(path: str | Path, dialect: str | None = None) -> DatasetSpec:
    """A spec from a file: CREATE TABLE (.sql), a spec or a JSON Schema (.json), a CSV."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SCHEMAS:
        raise ValueError(f"cannot read a schema from {path.name!r}: use one of "
                         f"{', '.join(SCHEMAS)}")
    if not path.is_file():
        raise FileNotFoundError(f"{str(path)!r}: file not found")
    text = path.read_text(encoding="utf-8")
    try:
        if suffix == ".sql":
            from helpers.spec_sql import spec_from_sql

            return spec_from_sql(text, dialect)
        if suffix == ".csv":
            from helpers.spec_csv import spec_from_csv

            return spec_from_csv(text, path.stem)
        from helpers.spec_jsonschema import spec_from_json_schema

        raw = json.loads(text)
        if isinstance(raw, dict) and isinstance(raw.get("tables"), list):  # our own spec
            return DatasetSpec.from_dict(raw)
        titled = isinstance(raw, dict) and raw.get("title")
        return spec_from_json_schema(raw, None if titled else path.stem)
    except json.JSONDecodeError as e:
        raise SpecError(f"{path.name}: not valid JSON (line {e.lineno}: {e.msg})") from None
    except SpecError as e:
        raise SpecError(f"{path.name}: {e}") from None


def is_folder(out: str) -> bool:
    """--out names a folder: it ends with a slash, is a folder, or has no extension."""
    return out.endswith(("/", "\\")) or Path(out).is_dir() or not Path(out).suffix


def write_linked(spec: DatasetSpec, out: str | None, rows: int, seed: int, locale: str,
                 force: bool, fmt: str = "csv") -> None:
    """Write the tables to a SQLite file or a folder, or print them."""
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    check_sizes(spec, seed, rows, printing=out is None)
    if out is None:
        from helpers.linked import generate_tables

        for name, table in generate_tables(spec, seed, locale, rows).items():
            print(f"-- {name} ({len(table):,} rows)")
            with pd.option_context("display.width", 200, "display.max_columns", None):
                print(table.to_string(max_rows=20))
        return
    from helpers.linked_out import write_folder, write_sqlite

    if is_folder(out):
        try:
            counts = write_folder(spec, out, seed, locale, rows, f".{fmt}", replace=force)
        except FileExistsError as e:
            raise FileExistsError(f"{e}: add --force to replace them") from None
    elif Path(out).suffix.lower() in DATABASES:
        if Path(out).exists() and not force:
            raise FileExistsError(f"{out!r} exists: add --force to replace it")
        counts = write_sqlite(spec, out, seed, locale, rows, replace=force)
    else:
        tables = "a schema's table goes" if len(spec.tables) == 1 else \
            f"{len(spec.tables)} linked tables go"
        raise ValueError(f"{tables} to a database or a folder: give --out a "
                         f"{'/'.join(DATABASES)} file or a folder (ending in /)")
    print("wrote " + ", ".join(f"{n} ({c:,} rows)" for n, c in counts.items()) + f" to {out}",
          file=sys.stderr)


def check_sizes(spec: DatasetSpec, seed: int, rows: int, printing: bool) -> None:
    """Every table's row count within the command line's limits before any row is made:
    MAX_FILE_ROWS per table written, MAX_IN_MEMORY_ROWS in all when printed."""
    from helpers.generate import MAX_IN_MEMORY_ROWS
    from helpers.linked_plan import TooManyRows, make_plan

    limit = MAX_IN_MEMORY_ROWS if printing else MAX_FILE_ROWS
    try:
        plan = make_plan(spec.validate(), seed, rows, max_rows=limit)
    except TooManyRows as e:
        raise ValueError(f"{e}" + (": add --out to write it instead" if printing else
                                   " (the command line's limit)")) from None
    total = sum(plan.rows.values())
    if printing and total > MAX_IN_MEMORY_ROWS:
        raise ValueError(f"the tables hold {total:,} rows, above {MAX_IN_MEMORY_ROWS:,} for "
                         "printing: add --out to write them instead")


def default_rows(args: argparse.Namespace) -> int:
    """--rows, the row count of every table the spec does not size (default 10)."""
    return DEFAULT_ROWS if args.rows is None else args.rows


def generate_schema(args: argparse.Namespace) -> None:
    """generate --schema FILE: the file's spec, filled and written."""
    spec = load_spec(args.schema, args.dialect)
    for warning in spec.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"tables: {', '.join(t.name for t in spec.tables)}", file=sys.stderr)
    write_linked(spec, args.out, default_rows(args), args.seed, args.locale or "en_US",
                 args.force, args.format)


def generate_linked_prompt(args: argparse.Namespace) -> bool:
    """A prompt that asks for two linked tables: read, fill and write them; False otherwise."""
    from helpers.linked_prompt import read_linked

    linked = read_linked(args.prompt)
    if linked is None:
        return False
    print(linked.summary(args.rows), file=sys.stderr)
    for line in linked.notes:
        print(line, file=sys.stderr)
    locale = args.locale or (linked.reading.locale if linked.reading else None) or "en_US"
    write_linked(linked.spec(), args.out, default_rows(args), args.seed, locale, args.force,
                 args.format)
    return True


def check_across(args: argparse.Namespace) -> int:
    """check DB or FOLDER: orphans and repeated keys, and each table's plausibility rules;
    exit status 1 when it finds any."""
    from helpers.linked_check import check_linked

    spec = load_spec(args.schema) if getattr(args, "schema", None) else None
    report = check_linked(args.file, spec, rules=True, locale=args.locale,
                          reference_date=args.reference_date)
    print(report)
    return 0 if report.ok else 1


def checks_across(file: str) -> bool:
    """True when `check FILE` means the tables of a database or a folder."""
    return Path(file).is_dir() or Path(file).suffix.lower() in DATABASES
