"""A generated table as the bytes of an answer: JSON text straight from the columns, without a
pandas DataFrame (for a 100-row table, building one costs more than making the values), and CSV
headers that stay ASCII whatever script the column names are in."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import lru_cache
from itertools import chain, repeat
from urllib.parse import quote, unquote

import numpy as np
import pandas as pd

from helpers.api_contract import MAX_ROWS
from helpers.generate import check_request, column_plan, make_columns  # noqa: F401 (re-exported)
from helpers.specs import category_names, once  # noqa: F401 (category_names re-exported)


def table_columns(
    columns: list[str], rows: int, seed: int, locale: str, phone_format: str = "national",
    table: str | None = None, city: str | None = None,
) -> dict[str, object]:
    """The columns generate_dataframe would hold, as the generators make them, without the
    DataFrame: for a 100-row table, building one costs more than making the values. The very
    function generate_dataframe fills its DataFrame from (helpers.generate.make_columns)."""
    columns = check_request(columns, rows, locale, phone_format)
    if rows > MAX_ROWS:  # one chunk (CHUNK_ROWS) is what this path serves
        raise ValueError(f"rows={rows:,}: table_columns serves at most {MAX_ROWS:,}")
    return make_columns(columns, 0, rows, seed, locale, phone_format, table, city=city)


_encode_text = json.encoder.c_encode_basestring or json.encoder.py_encode_basestring


def category_json(dtype: pd.CategoricalDtype) -> list[str]:
    """A categorical dtype's categories as JSON text, once per dtype (helpers.specs.once: the
    generators keep one dtype per value list), with "null" last: the code -1 (a missing
    value) then picks it. The list must not be changed by the caller."""
    return once(categories_json, dtype)


def categories_json(dtype: pd.CategoricalDtype) -> list[str]:
    """category_json worked out afresh."""
    names = [_encode_text(n) if isinstance(n, str) else json.dumps(n)
             for n in category_names(dtype)]
    return [*names, "null"]


def missing(value: object) -> bool:
    """None, pandas' NA or a float NaN: written as JSON null."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def json_values(values: object) -> list[str]:
    """One column as JSON text, value by value, written as records_json writes it: dates
    "2025-12-31" (a column that is all midnights), timestamps "2025-12-31T08:30:00", null for
    anything missing. Categories are read through their codes: numpy's conversion of a
    pandas categorical costs more than making the column."""
    if isinstance(values, pd.Categorical):
        return list(map(category_json(values.dtype).__getitem__, values.codes.tolist()))
    array = np.asarray(values)
    kind = array.dtype.kind
    if kind == "M":
        fast = instants_json(array)
        if fast is not None:
            return fast
        unit = "D" if is_date_only(array) else "s"
        text = np.datetime_as_string(array, unit=unit).tolist()
        return ["null" if t == "NaT" else f'"{t}"' for t in text]
    if kind in "iu":
        return list(map(str, array.tolist()))
    if kind == "b":
        return ["true" if v else "false" for v in array.tolist()]
    if kind == "f":
        return ["null" if v != v else float.__repr__(v) for v in array.tolist()]
    items = array.tolist()
    if set(map(type, items)) == {str}:  # the usual text column: one C loop
        return list(map(_encode_text, items))
    return ["null" if missing(v) else _encode_text(v) if isinstance(v, str)
            else json.dumps(v.item() if isinstance(v, np.generic) else v, ensure_ascii=False)
            for v in items]


DAYS, SECONDS = np.dtype("datetime64[D]"), np.dtype("datetime64[s]")
FIRST_DAY, LAST_DAY = -719_162, 2_932_896  # 0001-01-01 and 9999-12-31, in days since 1970
EPOCH = date(1970, 1, 1)


@lru_cache(maxsize=65_536)
def day_text(day: int) -> str:
    """A day (days since 1970-01-01) as ISO text, '2025-12-31'; remembered, as numpy's own
    conversion costs about 2 microseconds a value and a table's dates repeat across requests."""
    return (EPOCH + timedelta(days=day)).isoformat()


@lru_cache(maxsize=65_536)
def day_json(day: int) -> str:
    """day_text as a JSON string, quotes included."""
    return f'"{day_text(day)}"'


def time_text(second: int) -> str:
    """A second of the day as 'T08:30:00'."""
    return f"T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"


@lru_cache(maxsize=1)
def day_times() -> list[str]:
    """time_text of every second of a day, made once (about 40 ms): a table's times of day
    rarely repeat across requests, so remembering them one by one would mostly miss."""
    return [time_text(second) for second in range(86_400)]


def instants_json(array: np.ndarray) -> list[str] | None:
    """Dates or seconds as the JSON text numpy's datetime_as_string would give, through the
    remembered days and times; None where this path does not apply (other units, NaT, dates
    outside years 1-9999), and the caller asks numpy."""
    if array.dtype == SECONDS:  # floor division: 1969-12-31T23:59:59 is day -1
        days, seconds = np.divmod(array.view(np.int64), 86_400)
    elif array.dtype == DAYS:
        days, seconds = array.view(np.int64), None
    else:
        return None
    if days.min() < FIRST_DAY or days.max() > LAST_DAY:  # NaT (the lowest int64) is too
        return None
    if seconds is None or not seconds.any():  # all midnights: plain dates
        return list(map(day_json, days.tolist()))
    times = day_times()
    return [f'"{day}{times[second]}"' for day, second in zip(map(day_text, days.tolist()),
                                                            seconds.tolist(), strict=True)]


def records(made: dict[str, object], columns: list[str]) -> list[dict]:
    """Rows as records (one dict per row), from the columns."""
    return json.loads(records_text(made, columns))


def records_text(made: dict[str, object], columns: list[str]) -> str:
    """Rows as a JSON array of records, as text, straight from the columns: each value is
    encoded once, and the whole array is one join over keys and values interleaved row by row
    (no dict per row, no format per row)."""
    values = [json_values(made[c]) for c in columns]
    n = len(values[0])
    if any(len(v) != n for v in values):
        raise ValueError(f"columns of unequal length: {[len(v) for v in values]}")
    keys = ["{" + _encode_text(columns[0]) + ": "] + [", " + _encode_text(c) + ": "
                                                      for c in columns[1:]]
    parts: list = []
    for key, column in zip(keys, values, strict=True):
        parts += [repeat(key, n), column]
    parts.append(repeat("}, ", n))
    rows = chain.from_iterable(zip(*parts, strict=False))  # lengths checked above
    return "[" + "".join(rows)[:-2] + "]"  # without the last ", "


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
