"""A CSV header, or a sample CSV, -> a one-table DatasetSpec.

The header gives the column names, and each name its kind as everywhere else. Sample rows,
when there are some, say more: a column of whole numbers is an integer between the smallest
and the largest seen, ISO dates are dates within the range seen, true/false a boolean, and a
column with few distinct words (whose name gives no better clue) draws from those words.
"""

from __future__ import annotations

import csv
import io
import math
import re
from decimal import Decimal
from itertools import islice

from helpers.spec import ColumnSpec, DatasetSpec, SpecError, TableSpec
from helpers.spec_columns import (
    KEY_KINDS,
    catalog_table,
    guess_primary_key,
    infer_column,
    with_options,
)
from helpers.spec_jsonschema import snake

SAMPLE_ROWS = 10_000  # rows read to infer from; the rest of a large file is not needed
MAX_OPTIONS = 12  # at most this many distinct words make a list to draw from
WIDEN = 0.1  # a sample's numbers are drawn from its range widened by this share each way
PATTERNS = {  # a sample type, tried in this order, and what every value of it looks like
    "boolean": re.compile(r"(?i)true|false"),
    "integer": re.compile(r"[-+]?\d+"),
    "real": re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "timestamp": re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                            r"(Z|[+-]\d{2}:?\d{2})?"),
}


def sample_type(values: list[str]) -> str | None:
    """The narrowest type every value fits (None: no values to tell)."""
    if not values:
        return None
    for type_, pattern in PATTERNS.items():
        if all(pattern.fullmatch(v) for v in values):
            return type_
    return "text"


def decimal_places(value: str) -> int:
    """The places after the point a number is written to: 2.50 has two, 1e-3 three."""
    try:
        exponent = Decimal(value.strip()).as_tuple().exponent
    except ArithmeticError:  # decimal.InvalidOperation: not a number Decimal reads
        return 0
    return max(0, -exponent) if isinstance(exponent, int) else 0


def fit_sample(column: ColumnSpec, values: list[str], clue: bool) -> ColumnSpec:
    """The column's parameters from its sample: a numeric or date range, or a word list."""
    if column.kind in ("int", "float", "money", "age") and column.type in ("integer", "real"):
        numbers = [float(v) for v in values]
        low, high = min(numbers), max(numbers)
        margin = (high - low) * WIDEN  # a little past what the sample shows, not far
        low, high = (low - margin if low - margin >= 0 or low < 0 else 0.0), high + margin
        if column.type == "real" and column.kind in ("int", "age"):  # 0.5, 0.9: decimals stay
            column.kind = "float"
            column.params.pop("of", None)
        if column.kind == "float":  # places as parsed: 1e-3 has three, as 0.001 does
            places = max(decimal_places(v) for v in values)
            top = max(abs(n) for n in numbers)  # two significant digits even of 1.2e-8
            needed = 1 - math.floor(math.log10(top)) if 0 < top < math.inf else 0
            column.params["decimals"] = max(1, min(places, max(6, needed)))
        if column.kind in ("int", "age"):
            low, high = math.floor(low), math.ceil(high)
        else:  # bounds as written, one place finer than the values: 0.46, not 0.45999...
            places = column.params.get("decimals", 2) + 1
            low, high = round(low, places), round(high, places)
        column.params.update(low=low, high=high)
    elif column.kind in ("date", "datetime") and column.type in ("date", "timestamp"):
        column.params.update(start=min(values)[:10], end=max(values)[:10])
    elif column.type == "text" and (not clue or column.kind == "choice"):
        distinct = list(dict.fromkeys(values))
        # a value list the name picks (a plan: 'Unlimited', ...) yields to the sample's own
        # words; a name with no clue takes them when they repeat
        if len(distinct) <= MAX_OPTIONS and (column.kind == "choice"
                                             or len(values) >= 2 * len(distinct)):
            with_options(column, distinct)
    return column


DELIMITERS = ",;\t|"  # what separates a header's names: the one it uses most wins


def delimiter(text: str) -> str:
    """The field separator of a CSV from its header line: name;email;city is three columns."""
    header = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties go to the comma, listed first
    return best if counts[best] else ","


def spec_from_csv(text: str, name: str | None = None) -> DatasetSpec:
    """A DatasetSpec of one table from CSV text: its header, and its rows when it has some."""
    text = text.lstrip("\ufeff")
    # newline="": a line may end in \r, \n or \r\n, and a quoted field may hold any of them
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    try:
        rows = list(islice(reader, SAMPLE_ROWS + 1))  # the header and the sample
    except csv.Error as e:
        raise SpecError(f"line {reader.line_num}: the CSV cannot be read ({e})") from None
    header = rows[0] if rows else None
    if not header or not any(h.strip() for h in header):
        raise SpecError("the CSV has no header line: its first line must name the columns")
    names = [snake(h) for h in header]
    for i, (raw, column) in enumerate(zip(header, names, strict=True), start=1):
        if not raw.strip():
            raise SpecError(f"line 1, field {i}: a column has no name")
        if column in names[: i - 1]:
            raise SpecError(f"line 1, field {i}: column {column!r} appears twice")
    samples: list[list[str]] = [[] for _ in names]
    for line, row in enumerate(rows[1:], start=2):
        if row and len(row) != len(names):
            raise SpecError(f"line {line}: {len(row)} fields, but the header names "
                            f"{len(names)}")
        for values, value in zip(samples, row, strict=False):
            if value.strip():
                values.append(value.strip())
    table = snake(name or "records")
    catalog, warnings, columns = catalog_table(table), [], []
    named = [infer_column(n, None, catalog) for n in names]  # what each name alone says
    for (by_name, unknown), values in zip(named, samples, strict=True):
        sampled = sample_type(values)
        column, warning = infer_column(by_name.name, sampled, catalog)
        if column.type == "text" and values:  # a text sample says nothing against the name
            column = by_name if by_name.type == "text" else column
        elif (unknown is None and by_name.type == "text" and by_name.kind not in KEY_KINDS
              and sampled in ("integer", "real")):  # 02139 is a postcode, not the number 2139
            column, warning = by_name, None
        columns.append(fit_sample(column, values, warning is None) if values else column)
        if warning and columns[-1].kind != "options":
            warnings.append(warning)
    keys = guess_primary_key([c for c, _ in named])  # customer_id keys the table, 1,2,3 or not
    for column in columns:
        column.not_null = column.name in keys
    return DatasetSpec([TableSpec(table, columns, keys, catalog=catalog)], warnings).validate()
