"""A generated table as the bytes of an answer: JSON text straight from the columns, without a
pandas DataFrame (for a 100-row table, building one costs more than making the values), and CSV
headers that stay ASCII whatever script the column names are in."""

from __future__ import annotations

import json
from urllib.parse import quote, unquote

import numpy as np
import pandas as pd

from helpers.api_contract import MAX_ROWS
from helpers.generate import (
    GENERATORS,
    Context,
    check_request,
    column_seed,
    column_spec,
    generation_order,
    pools,
)


def table_columns(
    columns: list[str], rows: int, seed: int, locale: str, phone_format: str = "national",
    table: str | None = None,
) -> dict[str, object]:
    """The columns generate_dataframe would hold, as the generators make them, without the
    DataFrame: for a 100-row table, building one costs more than making the values. Same
    seeds and order as helpers.generate.generate_chunk, so the same values (tests hold it)."""
    columns = check_request(columns, rows, locale, phone_format)
    if rows > MAX_ROWS:  # one chunk (CHUNK_ROWS) is what this path reproduces
        raise ValueError(f"rows={rows:,}: table_columns serves at most {MAX_ROWS:,}")
    ctx = Context(rng=np.random.default_rng(seed), start=0, n=rows, locale=locale,
                  pools=pools(locale), options={"phone_format": phone_format})
    made = {}
    for column in generation_order(columns, table):
        spec, _ = column_spec(column, table)
        ctx.rng = np.random.default_rng(column_seed(seed, column, 0))
        made[column] = ctx.table[column] = GENERATORS[spec["kind"]](ctx, spec, column)
    return made


_encode_text = json.encoder.c_encode_basestring or json.encoder.py_encode_basestring
_category_names: dict[int, tuple[object, list[str]]] = {}  # id(dtype) -> (dtype, its names)


def category_names(dtype: pd.CategoricalDtype) -> list[str]:
    """A categorical dtype's categories as a list, once per dtype (it lives in an lru_cache)."""
    held = _category_names.get(id(dtype))
    if held is None or held[0] is not dtype:  # the dtype is held, so its id is not reused
        if len(_category_names) > 1024:
            _category_names.clear()
        held = _category_names[id(dtype)] = (dtype, dtype.categories.tolist())
    return held[1]


def missing(value: object) -> bool:
    """None, pandas' NA or a float NaN: written as JSON null."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def json_values(values: object) -> list[str]:
    """One column as JSON text, value by value, written as records_json writes it: dates
    "2025-12-31" (a column that is all midnights), timestamps "2025-12-31T08:30:00", null for
    anything missing. Categories are read through their codes: numpy's conversion of a
    pandas categorical costs more than making the column."""
    if isinstance(values, pd.Categorical):
        names = [_encode_text(n) if isinstance(n, str) else json.dumps(n)
                 for n in category_names(values.dtype)]
        return [names[c] if c >= 0 else "null" for c in values.codes.tolist()]
    array = np.asarray(values)
    kind = array.dtype.kind
    if kind == "M":
        unit = "D" if is_date_only(array) else "s"
        text = np.datetime_as_string(array, unit=unit).tolist()
        return ["null" if t == "NaT" else f'"{t}"' for t in text]
    if kind in "iu":
        return list(map(str, array.tolist()))
    if kind == "b":
        return ["true" if v else "false" for v in array.tolist()]
    if kind == "f":
        return ["null" if v != v else float.__repr__(v) for v in array.tolist()]
    return ["null" if missing(v) else _encode_text(v) if isinstance(v, str)
            else json.dumps(v.item() if isinstance(v, np.generic) else v, ensure_ascii=False)
            for v in array.tolist()]


def records(made: dict[str, object], columns: list[str]) -> list[dict]:
    """Rows as records (one dict per row), from the columns."""
    return json.loads(records_text(made, columns))


def records_text(made: dict[str, object], columns: list[str]) -> str:
    """Rows as a JSON array of records, as text, straight from the columns: each value is
    encoded once, and each row is one join (no dict per row, no second pass)."""
    keys = [_encode_text(c) + ": " for c in columns]
    values = [json_values(made[c]) for c in columns]
    rows = ("{" + ", ".join(map(str.__add__, keys, row)) + "}" for row in zip(*values, strict=True))
    return "[" + ", ".join(rows) + "]"


def records_json(table: pd.DataFrame) -> str:
    """Rows as a JSON array of records in one pandas pass; dates as '2025-12-31', timestamps
    as '2025-12-31T08:30:00'."""
    instants = [c for c, dtype in table.dtypes.items() if dtype.kind == "M"]
    dates = [c for c in instants if is_date_only(table[c])]
    if dates and len(dates) < len(instants):  # dates beside timestamps: write the dates first
        table = table.assign(**{c: np.datetime_as_string(table[c].to_numpy(), unit="D")
                                for c in dates})
    text = table.to_json(orient="records", date_format="iso", date_unit="s", force_ascii=False)
    # Every datetime column holds dates only: drop their midnight in one pass over the text.
    return text.replace('T00:00:00"', '"') if dates and len(dates) == len(instants) else text


def is_date_only(values: pd.Series | np.ndarray) -> bool:
    """No time of day anywhere in the column: it is written as plain dates."""
    instants = np.asarray(values)
    return bool((instants == instants.astype("datetime64[D]")).all())


def header_value(text: str) -> str:
    """A header value that is always ASCII: printable ASCII as it is, anything else as an RFC
    8187 ext-value, "UTF-8''" then the UTF-8 bytes percent-encoded ('規模' -> %E8%A6%8F%E6%A8%A1).
    """
    if text.isascii() and text.isprintable():
        return text
    return "UTF-8''" + quote(text, safe="!#$&+-.^_`|~")  # RFC 8187 attr-char stays as it is


def read_header(value: str) -> str:
    """header_value undone: what a client does with X-Columns and X-Reading."""
    return unquote(value[7:], errors="strict") if value.startswith("UTF-8''") else value
