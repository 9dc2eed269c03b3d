"""Writing linked tables: a SQLite database that declares the spec's constraints, or a folder
with one CSV (or Parquet) file per table and the spec beside them.

The database declares PRIMARY KEY, UNIQUE, NOT NULL and FOREIGN KEY, so SQLite itself checks
the keys on every insert and `PRAGMA foreign_key_check` proves the references afterwards.
Tables are written parents first, chunk by chunk, so memory stays at one chunk. As with
helpers.export, a file appears whole or not at all (a temporary file, renamed when done).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

from helpers.export import (
    WRITERS,
    OutputError,
    publish,
    quote,
    reason,
    sql_values,
    temporary,
)
from helpers.linked import iter_dataset
from helpers.linked_plan import DEFAULT_ROWS
from helpers.spec import DatasetSpec, SpecError, TableSpec

SQL_TYPES = {"integer": "INTEGER", "real": "REAL", "text": "TEXT", "date": "DATE",
             "timestamp": "TIMESTAMP", "boolean": "BOOLEAN", "uuid": "TEXT"}
DATABASES = (".sqlite", ".sqlite3", ".db")
UNSAFE = re.compile(r"[^\w-]+")  # anything but letters, digits, _ and -: no /, \, .., ':'
WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"{d}{i}" for d in ("com", "lpt")
                                                for i in range(1, 10))}
MAX_STEM = 100  # well inside every file system's 255-byte name limit, as UTF-8


def file_stem(table: str) -> str:
    """A table's file name without its extension: the name itself where it is safe, else its
    letters, digits, _ and - with '_' between ('../victim' -> 'victim', '/tmp/x' -> 'tmp_x'),
    so that no table name, from SQL or anywhere else, can name a file outside the folder."""
    stem = UNSAFE.sub("_", table).strip("_")[:MAX_STEM] or "table"
    return f"{stem}_" if stem.lower() in WINDOWS_DEVICES else stem


def file_names(spec: DatasetSpec, suffix: str) -> dict[str, str]:
    """Each table's file name in a folder; a SpecError when two names clean to the same file
    (also when they differ only in case: macOS and Windows would make them one file)."""
    names: dict[str, str] = {}
    seen = {n.lower(): t for t, n in names.items()}
    for t in spec.tables:
        name = file_stem(t.name) + suffix
        if name.lower() in seen:
            first = seen[name.lower()]
            raise SpecError(f"tables {first!r} and {t.name!r} would both be written to "
                            f"{names[first]!r}: rename one of them")
        names[t.name], seen[name.lower()] = name, t.name
    return names


def create_table_sql(t: TableSpec) -> str:
    """CREATE TABLE with every constraint of the spec declared."""
    lines = [f"  {quote(c.name)} {SQL_TYPES[c.type]}" + (" NOT NULL" if c.not_null else "")
             + (" UNIQUE" if c.unique and [c.name] != t.primary_key else "") for c in t.columns]
    if t.primary_key:
        lines.append(f"  PRIMARY KEY ({', '.join(map(quote, t.primary_key))})")
    lines += [f"  UNIQUE ({', '.join(map(quote, group))})" for group in t.unique]
    lines += [f"  FOREIGN KEY ({quote(fk.column)}) REFERENCES {quote(fk.table)} ({quote(fk.ref)})"
              for fk in t.foreign_keys]
    return f"CREATE TABLE {quote(t.name)} (\n" + ",\n".join(lines) + "\n)"


def write_sqlite(spec: DatasetSpec, path: Path | str, seed: int = 0, locale: str = "en_US",
                 default_rows: int = DEFAULT_ROWS, replace: bool = True) -> dict[str, int]:
    """Generate every table into a SQLite file; returns the rows written per table."""
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"folder {str(path.parent)!r} does not exist")
    if not replace and path.exists():
        raise FileExistsError(f"{str(path)!r} exists")
    partial, counts = temporary(path), {}
    partial.unlink()  # sqlite makes the file itself
    try:
        with contextlib.closing(sqlite3.connect(partial)) as db:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            for t in spec.validate().tables:
                db.execute(create_table_sql(t))
            dates = {t.name: {c.name for c in t.columns if c.type == "date"} for t in spec.tables}
            for name, chunk in iter_dataset(spec, seed, locale, default_rows):
                marks = ", ".join("?" * chunk.shape[1])
                rows = zip(*(sql_values(chunk[c], c in dates[name]) for c in chunk.columns),
                           strict=True)
                db.executemany(f"INSERT INTO {quote(name)} VALUES ({marks})", rows)
                counts[name] = counts.get(name, 0) + len(chunk)
            db.commit()
        publish(partial, path, replace)
    except (OSError, sqlite3.DatabaseError) as e:
        text = reason(e) if isinstance(e, OSError) else str(e)
        raise OutputError(f"cannot write {str(path)!r}: {text}") from None
    finally:
        partial.unlink(missing_ok=True)
    return counts


def write_folder(spec: DatasetSpec, folder: Path | str, seed: int = 0, locale: str = "en_US",
                 default_rows: int = DEFAULT_ROWS, suffix: str = ".csv",
                 replace: bool = True) -> dict[str, int]:
    """One file per table (.csv or .parquet) and spec.json in `folder`; rows per table. A
    table's file is named by file_stem, never outside `folder`."""
    folder = Path(folder)
    if suffix not in (".csv", ".parquet"):
        raise ValueError(f"a folder holds .csv or .parquet files, not {suffix!r}")
    if suffix == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ValueError("Parquet needs pyarrow, which is not installed: use CSV") from None
    spec.validate()
    targets = {name: folder / file for name, file in file_names(spec, suffix).items()}
    targets["spec.json"] = folder / "spec.json"  # the spec travels with its tables
    folder.mkdir(parents=True, exist_ok=True)
    there = [p.name for p in targets.values() if p.exists()]
    if not replace and there:
        raise FileExistsError(f"{str(folder)!r} already holds {', '.join(there)}")
    partials: dict[str, Path] = {}
    writers, counts = {}, {}
    try:
        for name, chunk in iter_dataset(spec, seed, locale, default_rows):
            if name not in writers:
                partials[name] = temporary(targets[name])
                writers[name] = WRITERS[suffix](partials[name])
            writers[name].write(chunk)
            counts[name] = counts.get(name, 0) + len(chunk)
        for name, writer in writers.items():
            writer.close()
            publish(partials[name], targets[name], replace)
        partials["spec.json"] = temporary(targets["spec.json"])
        partials["spec.json"].write_text(spec.to_json() + "\n", encoding="utf-8")
        publish(partials["spec.json"], targets["spec.json"], replace)
    except OSError as e:
        raise OutputError(f"cannot write in {str(folder)!r}: {reason(e)}") from None
    finally:
        for writer in writers.values():
            with contextlib.suppress(Exception):
                writer.close()
        for partial in partials.values():
            partial.unlink(missing_ok=True)
    return counts
