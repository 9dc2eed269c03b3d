"""Writing generated tables to .csv, .json or .parquet, in chunks, all or nothing."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from tqdm.std import tqdm

from helpers.generate import CHUNK_ROWS, check_request, iter_chunks

FORMATS = (".csv", ".json", ".parquet")


def check_output_path(path: Path | str) -> Path:
    """A path whose extension we can write and whose folder exists."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"cannot write {path.name!r}: use one of {', '.join(FORMATS)}")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"folder {str(path.parent)!r} does not exist")
    return path


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


WRITERS = {".csv": CsvWriter, ".json": JsonWriter, ".parquet": ParquetWriter}


def write_table(
    columns: Sequence[str], path: Path | str, rows: int = 10, seed: int = 0,
    locale: str = "en_US", progress: bool = False, phone_format: str = "national",
    table: str | None = None,
) -> Path:
    """Generate and write the table chunk by chunk (memory stays flat); no partial file is left
    behind if anything fails."""
    path = check_output_path(path)
    columns = check_request(columns, rows, locale, phone_format)
    partial = path.with_name(f".{path.name}.partial")
    writer = WRITERS[path.suffix.lower()](partial)
    try:
        chunks = iter_chunks(columns, rows, seed, locale, phone_format, table)
        show = progress and rows > CHUNK_ROWS
        for chunk in tqdm(chunks, total=math.ceil(rows / CHUNK_ROWS), disable=not show,
                          unit="chunk", desc=f"writing {path.name}"):
            writer.write(chunk)
        writer.close()
        os.replace(partial, path)
    except BaseException:
        writer.close()
        partial.unlink(missing_ok=True)
        raise
    return path
