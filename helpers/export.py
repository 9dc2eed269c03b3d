"""Writing generated tables to .csv, .json, .parquet or SQLite, in chunks, all or nothing.

Each run writes a temporary file of its own (tempfile, in the target's folder, so the final
rename stays on one file system) and renames it over the target only when it is complete: a
reader sees the old file or the new one, never half of one, and two runs writing the same path
cannot mix their rows. Anything that stops the run (an error, Ctrl-C, or a signal the command
line turns into an exception) removes the temporary file.
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.std import tqdm

from helpers.generate import CHUNK_ROWS, check_request, iter_chunks

FORMATS = (".csv", ".json", ".parquet")  # the file formats (notebook 06 writes each)
DATABASE_FORMATS = (".sqlite", ".sqlite3", ".db")  # one table in a SQLite file of its own
MAX_FILE_ROWS = 100_000_000  # per table, command line: README's 10,000,000 rows took 64 s


def check_output_path(path: Path | str) -> Path:
    """A path whose extension we can write, whose folder exists, and that is not a folder."""
    if not str(path).strip():
        raise ValueError("the output path is empty: give a file name such as patients.csv")
    path = Path(path)
    if path.suffix.lower() not in FORMATS + DATABASE_FORMATS:
        raise ValueError(f"cannot write {path.name!r}: use one of "
                         f"{', '.join(FORMATS + DATABASE_FORMATS)}")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"folder {str(path.parent)!r} does not exist")
    if path.is_dir():
        raise IsADirectoryError(f"{str(path)!r} is a folder: give a file name inside it")
    return path


class OutputError(OSError):
    """The file could not be written; the message names the target, never the temporary file."""


class CsvWriter:
    def __init__(self, path: Path):
        self.file = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.first = True

    def write(self, chunk: pd.DataFrame) -> None:
        chunk.to_csv(self.file, header=self.first, index=False)
        self.first = False

    def close(self) -> None:
        self.file.close()


class JsonWriter:
    """One JSON array of records, written a chunk at a time."""

    def __init__(self, path: Path):
        self.file = open(path, "w", encoding="utf-8")  # noqa: SIM115
        self.file.write("[")
        self.first = True

    def write(self, chunk: pd.DataFrame) -> None:
        records = chunk.to_json(orient="records", date_format="iso", force_ascii=False)
        self.file.write(("" if self.first else ",") + records[1:-1])
        self.first = False

    def close(self) -> None:
        self.file.write("]\n")
        self.file.close()


class ParquetWriter:
    def __init__(self, path: Path):
        self.path, self.writer = path, None

    def write(self, chunk: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(chunk, preserve_index=False)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, table.schema)
        self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def quote(name: str) -> str:
    """A name as SQL writes it, whatever characters it holds."""
    return '"' + name.replace('"', '""') + '"'


def sql_values(series: pd.Series, date_only: bool = False) -> list:
    """A column as SQLite takes it: Python numbers and strings, ISO dates ('2025-02-11' for a
    DATE column, `date_only`, as the CSV writes it; a time for a TIMESTAMP), None for NULL."""
    values = series.array
    if series.dtype.kind == "M":
        unit = "D" if date_only or str(series.dtype).endswith("[D]") else "s"
        text = np.datetime_as_string(series.to_numpy(), unit=unit).astype(object)
        return [None if v == "NaT" else v for v in text] if series.isna().any() else text.tolist()
    if series.dtype.kind in "iufb" and not series.hasnans:
        return series.to_numpy().tolist()
    return [None if v is None or v is pd.NA or v != v else v for v in values.tolist()]


class SqliteWriter:
    """One table in a SQLite file: columns typed from the first chunk (DATE where every value
    is a midnight, as the CSV writes it), rows inserted a chunk at a time."""

    def __init__(self, path: Path, table: str = "records"):
        import sqlite3

        self.db, self.table, self.dates = sqlite3.connect(path), table, None

    def write(self, chunk: pd.DataFrame) -> None:
        if self.dates is None:
            self.dates = {c for c in chunk.columns if chunk[c].dtype.kind == "M"
                          and (chunk[c].dropna() == chunk[c].dropna().dt.normalize()).all()}
            types = {c: "DATE" if c in self.dates else sql_type(chunk[c]) for c in chunk.columns}
            self.db.execute(f"CREATE TABLE {quote(self.table)} (" + ", ".join(
                f"{quote(c)} {t}" for c, t in types.items()) + ")")
        marks = ", ".join("?" * chunk.shape[1])
        rows = zip(*(sql_values(chunk[c], c in self.dates) for c in chunk.columns), strict=True)
        self.db.executemany(f"INSERT INTO {quote(self.table)} VALUES ({marks})", rows)

    def close(self) -> None:
        if self.db is not None:
            self.db.commit()
            self.db.close()
            self.db = None


def sql_type(values: pd.Series) -> str:
    """The SQLite type of a column as pandas holds it."""
    kinds = {"i": "INTEGER", "u": "INTEGER", "f": "REAL", "b": "BOOLEAN", "M": "TIMESTAMP"}
    return kinds.get(values.dtype.kind, "TEXT")


WRITERS = {".csv": CsvWriter, ".json": JsonWriter, ".parquet": ParquetWriter,
           **dict.fromkeys(DATABASE_FORMATS, SqliteWriter)}


def write_table(
    columns: Sequence[str], path: Path | str, rows: int = 10, seed: int = 0,
    locale: str = "en_US", progress: bool = False, phone_format: str = "national",
    table: str | None = None, replace: bool = True, city: str | None = None,
) -> Path:
    """Generate and write the table chunk by chunk (memory stays flat); the file appears whole
    or not at all. replace=False refuses a path that exists, even one made while writing."""
    path = check_output_path(path)
    columns = check_request(columns, rows, locale, phone_format)
    if not replace and path.exists():
        raise FileExistsError(f"{str(path)!r} exists")
    partial, writer = temporary(path), None
    try:
        writer = SqliteWriter(partial, table or path.stem) \
            if path.suffix.lower() in DATABASE_FORMATS else WRITERS[path.suffix.lower()](partial)
        chunks = iter_chunks(columns, rows, seed, locale, phone_format, table, city)
        show = progress and rows > CHUNK_ROWS
        for chunk in tqdm(chunks, total=math.ceil(rows / CHUNK_ROWS), disable=not show,
                          unit="chunk", desc=f"writing {path.name}"):
            writer.write(chunk)
        writer.close()
        publish(partial, path, replace)
    except OSError as e:
        raise OutputError(f"cannot write {str(path)!r}: {reason(e)}") from None
    finally:
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()
        partial.unlink(missing_ok=True)
    return path


def temporary(path: Path) -> Path:
    """A fresh temporary file beside `path`, readable as the final file will be (mkstemp's
    0600 is for the temporary file only)."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial",
                                        dir=path.parent)
    except OSError as e:
        raise OutputError(f"cannot write in {str(path.parent)!r}: {reason(e)}") from None
    os.close(handle)
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(name, 0o666 & ~mask)
    return Path(name)


def publish(partial: Path, path: Path, replace: bool) -> None:
    """Put the finished file in place in one step: os.replace, or a hard link that fails if
    the target appeared meanwhile (a file system without links: check, then replace)."""
    if replace:
        os.replace(partial, path)
        return
    try:
        os.link(partial, path)
    except FileExistsError:
        raise FileExistsError(f"{str(path)!r} appeared while writing; it was left as it "
                              "was") from None
    except OSError:
        if path.exists():
            raise FileExistsError(f"{str(path)!r} exists") from None
        os.replace(partial, path)


def reason(error: OSError) -> str:
    """An OSError in words, without its errno or the file name it carries."""
    if isinstance(error, FileExistsError) and not error.errno:
        return str(error)
    return (error.strerror or type(error).__name__).lower()
